/* The event record model and its spool codec (format version 1, docs/spool-format.md). */
#ifndef CHOPIN_RECORD_H
#define CHOPIN_RECORD_H

#include <stddef.h>
#include <stdint.h>

/*
 * A record is what chopin-trapd keeps of one received notification: when and
 * from where it arrived, how it was authenticated, which notification it is
 * (a CHOPIN-MIB kind, or the raw notification OID when quarantined) and its
 * values as typed fields keyed by CHOPIN-MIB field id ((group << 8) | sub,
 * see chopin-mib.h).
 *
 * On disk a record is a 16-byte header followed by the payload:
 *
 *   offset size  field
 *        0    4  magic "CHR1"
 *        4    1  format version (1)
 *        5    1  kind
 *        6    2  flags
 *        8    4  payload length (at most CHOPIN_RECORD_MAX_PAYLOAD)
 *       12    4  CRC-32C of bytes 4..11 followed by the payload
 *
 * All integers are little-endian.  Decoding never trusts a length before it
 * has checked it against what is left of the buffer.
 */

#define CHOPIN_RECORD_MAGIC          "CHR1"
#define CHOPIN_RECORD_VERSION        1
#define CHOPIN_RECORD_HEADER_SIZE    16
#define CHOPIN_RECORD_MAX_PAYLOAD    (128u * 1024u)
#define CHOPIN_RECORD_MAX_FIELDS     128
#define CHOPIN_RECORD_MAX_OID_LEN    128
#define CHOPIN_RECORD_MAX_FIELD_LEN  65535u
#define CHOPIN_RECORD_SECURITY_NAME_MAX 32

/* Record flags. */
enum {
	CHOPIN_RECORD_FLAG_INFORM = 1u << 0,     /* arrived as an INFORM (acknowledged) */
	CHOPIN_RECORD_FLAG_QUARANTINE = 1u << 1, /* failed validation; see quarantine_reason */
	CHOPIN_RECORD_FLAG_V1_CONVERTED = 1u << 2, /* SNMPv1 trap converted per RFC 3584 */
};
#define CHOPIN_RECORD_KNOWN_FLAGS 0x0007u

/* Why a record was quarantined (stored, never silently dropped). */
typedef enum {
	CHOPIN_QUARANTINE_NONE = 0,
	CHOPIN_QUARANTINE_UNKNOWN_NOTIFICATION = 1,
	CHOPIN_QUARANTINE_MISSING_VARBIND = 2,
	CHOPIN_QUARANTINE_WRONG_TYPE = 3,
	CHOPIN_QUARANTINE_OUT_OF_RANGE = 4,
	CHOPIN_QUARANTINE_UNKNOWN_VARBIND = 5,
	CHOPIN_QUARANTINE_DUPLICATE_VARBIND = 6,
	CHOPIN_QUARANTINE_MALFORMED = 7,
	CHOPIN_QUARANTINE_REASON_MAX = 7
} ChopinQuarantineReason;

/* Field value types. */
typedef enum {
	CHOPIN_FIELD_TYPE_INT = 1,    /* signed 64-bit */
	CHOPIN_FIELD_TYPE_UINT = 2,   /* unsigned 64-bit */
	CHOPIN_FIELD_TYPE_OCTETS = 3, /* byte string (UTF-8 text, DateAndTime, raw varbind text) */
	CHOPIN_FIELD_TYPE_MAX = 3
} ChopinFieldType;

/* Field ids at and above this carry raw varbinds of quarantined records, as text. */
#define CHOPIN_FIELD_RAW_VARBIND_BASE 0xff00u
/* Why a quarantined record failed validation, as text. */
#define CHOPIN_FIELD_QUARANTINE_DETAIL 0xfeffu

typedef struct {
	uint16_t id;
	uint8_t type; /* ChopinFieldType */
	union {
		int64_t i;
		uint64_t u;
		struct {
			const uint8_t *data; /* not owned: points into the encoded buffer or the caller's data */
			uint16_t len;
		} octets;
	} value;
} ChopinRecordField;

typedef struct {
	uint8_t family;   /* 0 unknown, 4 IPv4, 6 IPv6 */
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes */
	uint16_t port;
} ChopinRecordSource;

typedef struct {
	uint8_t kind;   /* ChopinRecordKind from chopin-mib.h; 0 when unknown */
	uint16_t flags; /* CHOPIN_RECORD_FLAG_* */
	uint64_t received_us; /* receiver clock, microseconds since the Unix epoch */
	uint8_t snmp_version; /* 1, 2 (v2c) or 3 */
	uint8_t quarantine_reason; /* ChopinQuarantineReason */
	ChopinRecordSource source;
	uint8_t security_name_len; /* SNMPv3 user; empty for community-based versions */
	char security_name[CHOPIN_RECORD_SECURITY_NAME_MAX];
	uint16_t notification_oid_len;
	uint32_t notification_oid[CHOPIN_RECORD_MAX_OID_LEN];
	uint16_t n_fields;
	ChopinRecordField fields[CHOPIN_RECORD_MAX_FIELDS];
} ChopinRecord;

typedef enum {
	CHOPIN_RECORD_OK = 0,
	CHOPIN_RECORD_INCOMPLETE,  /* the buffer ends before the record does (e.g. a torn tail) */
	CHOPIN_RECORD_BAD_MAGIC,
	CHOPIN_RECORD_BAD_VERSION,
	CHOPIN_RECORD_BAD_LENGTH,  /* payload length over the limit */
	CHOPIN_RECORD_BAD_CHECKSUM,
	CHOPIN_RECORD_BAD_PAYLOAD, /* checksum fine but content malformed */
	CHOPIN_RECORD_TOO_LARGE,   /* encoding: does not fit the limits or the buffer */
	CHOPIN_RECORD_INVALID      /* encoding: the record in memory breaks an invariant */
} ChopinRecordStatus;

/* A short English description of @status; static storage. */
const char *chopin_record_status_str(ChopinRecordStatus status);

/* Resets @record to an empty record (no fields, kind 0). */
void chopin_record_clear(ChopinRecord *record);

/*
 * Appends a field.  Octets are referenced, not copied: @data must outlive the
 * record's encoding.  Returns 0, or -1 when the record already holds
 * CHOPIN_RECORD_MAX_FIELDS fields or @len exceeds CHOPIN_RECORD_MAX_FIELD_LEN.
 */
int chopin_record_add_int(ChopinRecord *record, uint16_t id, int64_t value);
int chopin_record_add_uint(ChopinRecord *record, uint16_t id, uint64_t value);
int chopin_record_add_octets(ChopinRecord *record, uint16_t id, const void *data, size_t len);

/* The first field with @id, or NULL. */
const ChopinRecordField *chopin_record_find(const ChopinRecord *record, uint16_t id);

/*
 * Copies the octets field @id into @buf as a NUL-terminated string (cut to
 * @size - 1 bytes).  Returns the field's full length, or -1 when the field is
 * missing or not octets (@buf then holds "").
 */
int chopin_record_get_string(const ChopinRecord *record, uint16_t id, char *buf, size_t size);

/* Stores the integer field @id in @ret_value.  Returns 0, or -1 when missing or not an integer. */
int chopin_record_get_int(const ChopinRecord *record, uint16_t id, int64_t *ret_value);

/* The number of bytes chopin_record_encode() will write for @record. */
size_t chopin_record_encoded_size(const ChopinRecord *record);

/*
 * Encodes @record into @buf (@size bytes) and stores the number of bytes
 * written in @ret_len.  Returns CHOPIN_RECORD_OK, CHOPIN_RECORD_TOO_LARGE or
 * CHOPIN_RECORD_INVALID; on error nothing useful is in @buf.
 */
ChopinRecordStatus chopin_record_encode(const ChopinRecord *record, uint8_t *buf, size_t size,
					size_t *ret_len);

/*
 * Decodes the record at the start of @buf (@len bytes) into @record and
 * stores its encoded size in @ret_consumed.  Octets fields of @record point
 * into @buf, which must stay alive and unchanged while they are used.
 * Returns CHOPIN_RECORD_OK, CHOPIN_RECORD_INCOMPLETE when @buf ends inside
 * the record, or a BAD_* status; on error @record is cleared and
 * @ret_consumed is 0.
 */
ChopinRecordStatus chopin_record_decode(const uint8_t *buf, size_t len, ChopinRecord *record,
					size_t *ret_consumed);

/*
 * Checks the header at the start of @buf and stores the whole record's size in
 * @ret_record_len without decoding the payload (but verifying its checksum).
 * Same statuses as chopin_record_decode(); used to scan spool segments.
 */
ChopinRecordStatus chopin_record_frame(const uint8_t *buf, size_t len, size_t *ret_record_len);

#endif
