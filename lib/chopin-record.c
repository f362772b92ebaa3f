/* The event record model and its spool codec: bounded, checksummed, never reads out of bounds. */
#include "config.h"

#include "chopin-record.h"

#include "chopin-crc32c.h"

#include <string.h>

/*
 * Payload layout (format version 1), little-endian:
 *
 *   u64 received_us
 *   u8  snmp_version          1, 2 or 3
 *   u8  quarantine_reason     ChopinQuarantineReason
 *   u8  source family         0, 4 or 6
 *   u8  security_name_len     0..CHOPIN_RECORD_SECURITY_NAME_MAX
 *   u8  source address[16]
 *   u16 source port
 *   u16 notification_oid_len  0..CHOPIN_RECORD_MAX_OID_LEN
 *   u32 notification_oid[notification_oid_len]
 *   u8  security_name[security_name_len]
 *   u16 n_fields              0..CHOPIN_RECORD_MAX_FIELDS
 *   n_fields times:
 *     u16 id, u8 type, then INT/UINT: 8 bytes; OCTETS: u16 length + bytes
 */
#define PAYLOAD_FIXED_SIZE (8 + 4 + 16 + 2 + 2)

static const char *const status_text[] = {
	[CHOPIN_RECORD_OK] = "ok",
	[CHOPIN_RECORD_INCOMPLETE] = "record incomplete (buffer ends inside it)",
	[CHOPIN_RECORD_BAD_MAGIC] = "bad magic",
	[CHOPIN_RECORD_BAD_VERSION] = "unsupported format version",
	[CHOPIN_RECORD_BAD_LENGTH] = "payload length over the limit",
	[CHOPIN_RECORD_BAD_CHECKSUM] = "checksum mismatch",
	[CHOPIN_RECORD_BAD_PAYLOAD] = "malformed payload",
	[CHOPIN_RECORD_TOO_LARGE] = "record too large",
	[CHOPIN_RECORD_INVALID] = "record breaks an invariant",
};

const char *
chopin_record_status_str(ChopinRecordStatus status)
{
	if ((size_t)status >= sizeof status_text / sizeof status_text[0])
		return "unknown status";
	return status_text[status];
}

void
chopin_record_clear(ChopinRecord *record)
{
	record->kind = 0;
	record->flags = 0;
	record->received_us = 0;
	record->snmp_version = 0;
	record->quarantine_reason = CHOPIN_QUARANTINE_NONE;
	memset(&record->source, 0, sizeof record->source);
	record->security_name_len = 0;
	record->notification_oid_len = 0;
	record->n_fields = 0;
}

static ChopinRecordField *
record_new_field(ChopinRecord *record, uint16_t id, uint8_t type)
{
	if (record->n_fields >= CHOPIN_RECORD_MAX_FIELDS)
		return NULL;
	ChopinRecordField *field = &record->fields[record->n_fields++];
	field->id = id;
	field->type = type;
	return field;
}

int
chopin_record_add_int(ChopinRecord *record, uint16_t id, int64_t value)
{
	ChopinRecordField *field = record_new_field(record, id, CHOPIN_FIELD_TYPE_INT);
	if (field == NULL)
		return -1;
	field->value.i = value;
	return 0;
}

int
chopin_record_add_uint(ChopinRecord *record, uint16_t id, uint64_t value)
{
	ChopinRecordField *field = record_new_field(record, id, CHOPIN_FIELD_TYPE_UINT);
	if (field == NULL)
		return -1;
	field->value.u = value;
	return 0;
}

int
chopin_record_add_octets(ChopinRecord *record, uint16_t id, const void *data, size_t len)
{
	if (len > CHOPIN_RECORD_MAX_FIELD_LEN || (len > 0 && data == NULL))
		return -1;
	ChopinRecordField *field = record_new_field(record, id, CHOPIN_FIELD_TYPE_OCTETS);
	if (field == NULL)
		return -1;
	field->value.octets.data = data;
	field->value.octets.len = (uint16_t)len;
	return 0;
}

const ChopinRecordField *
chopin_record_find(const ChopinRecord *record, uint16_t id)
{
	for (uint16_t i = 0; i < record->n_fields; i++)
		if (record->fields[i].id == id)
			return &record->fields[i];
	return NULL;
}

int
chopin_record_get_string(const ChopinRecord *record, uint16_t id, char *buf, size_t size)
{
	const ChopinRecordField *field = chopin_record_find(record, id);

	if (size > 0)
		buf[0] = '\0';
	if (field == NULL || field->type != CHOPIN_FIELD_TYPE_OCTETS)
		return -1;
	if (size > 0) {
		size_t n = field->value.octets.len < size - 1 ? field->value.octets.len : size - 1;
		if (n > 0)
			memcpy(buf, field->value.octets.data, n);
		buf[n] = '\0';
	}
	return field->value.octets.len;
}

int
chopin_record_get_int(const ChopinRecord *record, uint16_t id, int64_t *ret_value)
{
	const ChopinRecordField *field = chopin_record_find(record, id);

	if (field == NULL)
		return -1;
	if (field->type == CHOPIN_FIELD_TYPE_INT) {
		*ret_value = field->value.i;
		return 0;
	}
	if (field->type == CHOPIN_FIELD_TYPE_UINT && field->value.u <= INT64_MAX) {
		*ret_value = (int64_t)field->value.u;
		return 0;
	}
	return -1;
}

/* --- little-endian writer ------------------------------------------------ */

static uint8_t *
put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static uint8_t *
put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return p + 4;
}

static uint8_t *
put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return p + 8;
}

static size_t
record_payload_size(const ChopinRecord *record)
{
	size_t size = PAYLOAD_FIXED_SIZE + 4u * record->notification_oid_len +
		      record->security_name_len + 2;

	for (uint16_t i = 0; i < record->n_fields; i++) {
		const ChopinRecordField *field = &record->fields[i];
		size += 3;
		size += field->type == CHOPIN_FIELD_TYPE_OCTETS ? 2u + field->value.octets.len : 8u;
	}
	return size;
}

size_t
chopin_record_encoded_size(const ChopinRecord *record)
{
	return CHOPIN_RECORD_HEADER_SIZE + record_payload_size(record);
}

static int
record_is_valid(const ChopinRecord *record)
{
	if (record->snmp_version < 1 || record->snmp_version > 3)
		return 0;
	if (record->flags & ~CHOPIN_RECORD_KNOWN_FLAGS)
		return 0;
	if (record->quarantine_reason > CHOPIN_QUARANTINE_REASON_MAX)
		return 0;
	if (!(record->flags & CHOPIN_RECORD_FLAG_QUARANTINE) !=
	    (record->quarantine_reason == CHOPIN_QUARANTINE_NONE))
		return 0;
	if (record->source.family != 0 && record->source.family != 4 && record->source.family != 6)
		return 0;
	if (record->security_name_len > CHOPIN_RECORD_SECURITY_NAME_MAX)
		return 0;
	if (record->notification_oid_len > CHOPIN_RECORD_MAX_OID_LEN)
		return 0;
	if (record->n_fields > CHOPIN_RECORD_MAX_FIELDS)
		return 0;
	for (uint16_t i = 0; i < record->n_fields; i++) {
		uint8_t type = record->fields[i].type;
		if (type < CHOPIN_FIELD_TYPE_INT || type > CHOPIN_FIELD_TYPE_MAX)
			return 0;
	}
	return 1;
}

ChopinRecordStatus
chopin_record_encode(const ChopinRecord *record, uint8_t *buf, size_t size, size_t *ret_len)
{
	*ret_len = 0;
	if (!record_is_valid(record))
		return CHOPIN_RECORD_INVALID;

	size_t payload_len = record_payload_size(record);
	if (payload_len > CHOPIN_RECORD_MAX_PAYLOAD || CHOPIN_RECORD_HEADER_SIZE + payload_len > size)
		return CHOPIN_RECORD_TOO_LARGE;

	uint8_t *p = buf;
	memcpy(p, CHOPIN_RECORD_MAGIC, 4);
	p += 4;
	*p++ = CHOPIN_RECORD_VERSION;
	*p++ = record->kind;
	p = put_u16(p, record->flags);
	p = put_u32(p, (uint32_t)payload_len);
	uint8_t *crc_at = p;
	p += 4;

	p = put_u64(p, record->received_us);
	*p++ = record->snmp_version;
	*p++ = record->quarantine_reason;
	*p++ = record->source.family;
	*p++ = record->security_name_len;
	memcpy(p, record->source.addr, 16);
	p += 16;
	p = put_u16(p, record->source.port);
	p = put_u16(p, record->notification_oid_len);
	for (uint16_t i = 0; i < record->notification_oid_len; i++)
		p = put_u32(p, record->notification_oid[i]);
	memcpy(p, record->security_name, record->security_name_len);
	p += record->security_name_len;
	p = put_u16(p, record->n_fields);
	for (uint16_t i = 0; i < record->n_fields; i++) {
		const ChopinRecordField *field = &record->fields[i];
		p = put_u16(p, field->id);
		*p++ = field->type;
		switch (field->type) {
		case CHOPIN_FIELD_TYPE_INT:
			p = put_u64(p, (uint64_t)field->value.i);
			break;
		case CHOPIN_FIELD_TYPE_UINT:
			p = put_u64(p, field->value.u);
			break;
		default:
			p = put_u16(p, field->value.octets.len);
			if (field->value.octets.len > 0)
				memcpy(p, field->value.octets.data, field->value.octets.len);
			p += field->value.octets.len;
			break;
		}
	}

	uint32_t crc = chopin_crc32c(0, buf + 4, 8);
	crc = chopin_crc32c(crc, buf + CHOPIN_RECORD_HEADER_SIZE, payload_len);
	put_u32(crc_at, crc);
	*ret_len = (size_t)(p - buf);
	return CHOPIN_RECORD_OK;
}

/* --- bounded reader ------------------------------------------------------ */

typedef struct {
	const uint8_t *p;
	const uint8_t *end;
	int failed;
} Reader;

static int
reader_has(Reader *r, size_t n)
{
	if (r->failed || (size_t)(r->end - r->p) < n) {
		r->failed = 1;
		return 0;
	}
	return 1;
}

static uint8_t
get_u8(Reader *r)
{
	if (!reader_has(r, 1))
		return 0;
	return *r->p++;
}

static uint16_t
get_u16(Reader *r)
{
	if (!reader_has(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[0] | r->p[1] << 8);
	r->p += 2;
	return v;
}

static uint32_t
read_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t
get_u32(Reader *r)
{
	if (!reader_has(r, 4))
		return 0;
	uint32_t v = read_u32(r->p);
	r->p += 4;
	return v;
}

static uint64_t
get_u64(Reader *r)
{
	if (!reader_has(r, 8))
		return 0;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | r->p[i];
	r->p += 8;
	return v;
}

static const uint8_t *
get_bytes(Reader *r, size_t n)
{
	if (!reader_has(r, n))
		return NULL;
	const uint8_t *p = r->p;
	r->p += n;
	return p;
}

ChopinRecordStatus
chopin_record_frame(const uint8_t *buf, size_t len, size_t *ret_record_len)
{
	*ret_record_len = 0;
	/* A partial magic at the very end is a torn write, anything else is corruption. */
	size_t magic_seen = len < 4 ? len : 4;
	if (memcmp(buf, CHOPIN_RECORD_MAGIC, magic_seen) != 0)
		return CHOPIN_RECORD_BAD_MAGIC;
	if (len < 5)
		return CHOPIN_RECORD_INCOMPLETE;
	if (buf[4] != CHOPIN_RECORD_VERSION)
		return CHOPIN_RECORD_BAD_VERSION;
	if (len < CHOPIN_RECORD_HEADER_SIZE)
		return CHOPIN_RECORD_INCOMPLETE;

	uint32_t payload_len = read_u32(buf + 8);
	if (payload_len > CHOPIN_RECORD_MAX_PAYLOAD || payload_len < PAYLOAD_FIXED_SIZE + 2)
		return CHOPIN_RECORD_BAD_LENGTH;
	if (len - CHOPIN_RECORD_HEADER_SIZE < payload_len)
		return CHOPIN_RECORD_INCOMPLETE;

	uint32_t crc = chopin_crc32c(0, buf + 4, 8);
	crc = chopin_crc32c(crc, buf + CHOPIN_RECORD_HEADER_SIZE, payload_len);
	if (crc != read_u32(buf + 12))
		return CHOPIN_RECORD_BAD_CHECKSUM;
	*ret_record_len = CHOPIN_RECORD_HEADER_SIZE + (size_t)payload_len;
	return CHOPIN_RECORD_OK;
}

static ChopinRecordStatus
record_decode_payload(Reader *r, ChopinRecord *record)
{
	record->received_us = get_u64(r);
	record->snmp_version = get_u8(r);
	record->quarantine_reason = get_u8(r);
	record->source.family = get_u8(r);
	record->security_name_len = get_u8(r);
	const uint8_t *addr = get_bytes(r, 16);
	if (addr != NULL)
		memcpy(record->source.addr, addr, 16);
	record->source.port = get_u16(r);
	record->notification_oid_len = get_u16(r);
	if (r->failed || record->notification_oid_len > CHOPIN_RECORD_MAX_OID_LEN ||
	    record->security_name_len > CHOPIN_RECORD_SECURITY_NAME_MAX)
		return CHOPIN_RECORD_BAD_PAYLOAD;
	for (uint16_t i = 0; i < record->notification_oid_len; i++)
		record->notification_oid[i] = get_u32(r);
	const uint8_t *name = get_bytes(r, record->security_name_len);
	if (name != NULL && record->security_name_len > 0)
		memcpy(record->security_name, name, record->security_name_len);

	uint16_t n_fields = get_u16(r);
	if (r->failed || n_fields > CHOPIN_RECORD_MAX_FIELDS)
		return CHOPIN_RECORD_BAD_PAYLOAD;
	for (uint16_t i = 0; i < n_fields; i++) {
		ChopinRecordField *field = &record->fields[i];
		field->id = get_u16(r);
		field->type = get_u8(r);
		switch (field->type) {
		case CHOPIN_FIELD_TYPE_INT:
			field->value.i = (int64_t)get_u64(r);
			break;
		case CHOPIN_FIELD_TYPE_UINT:
			field->value.u = get_u64(r);
			break;
		case CHOPIN_FIELD_TYPE_OCTETS:
			field->value.octets.len = get_u16(r);
			field->value.octets.data = get_bytes(r, field->value.octets.len);
			break;
		default:
			return CHOPIN_RECORD_BAD_PAYLOAD;
		}
		if (r->failed)
			return CHOPIN_RECORD_BAD_PAYLOAD;
	}
	record->n_fields = n_fields;
	if (r->p != r->end)
		return CHOPIN_RECORD_BAD_PAYLOAD; /* trailing bytes */
	return record_is_valid(record) ? CHOPIN_RECORD_OK : CHOPIN_RECORD_BAD_PAYLOAD;
}

ChopinRecordStatus
chopin_record_decode(const uint8_t *buf, size_t len, ChopinRecord *record, size_t *ret_consumed)
{
	size_t record_len;

	*ret_consumed = 0;
	chopin_record_clear(record);
	ChopinRecordStatus status = chopin_record_frame(buf, len, &record_len);
	if (status != CHOPIN_RECORD_OK)
		return status;

	record->kind = buf[5];
	record->flags = (uint16_t)(buf[6] | buf[7] << 8);
	Reader reader = {
		.p = buf + CHOPIN_RECORD_HEADER_SIZE,
		.end = buf + record_len,
		.failed = 0,
	};
	status = record_decode_payload(&reader, record);
	if (status != CHOPIN_RECORD_OK) {
		chopin_record_clear(record);
		return status;
	}
	*ret_consumed = record_len;
	return CHOPIN_RECORD_OK;
}
