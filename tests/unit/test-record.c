/* Unit tests of the spool record codec: round trips, truncation, corruption, forged payloads. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chopin-crc32c.h"
#include "chopin-record.h"

static const char host_name[] = "CERNVS08";
static const char message[] = "Controller ID: 0 VD is now DEGRADED VD 0 Event ID:251 \xe2\x9c\x93 'quoted'";

static void
sample_record(ChopinRecord *record)
{
	chopin_record_clear(record);
	record->kind = 2;
	record->flags = CHOPIN_RECORD_FLAG_INFORM;
	record->received_us = UINT64_C(1569218432123456);
	record->snmp_version = 3;
	record->source.family = 4;
	memcpy(record->source.addr, "\x7f\x00\x00\x01", 4);
	record->source.port = 49152;
	memcpy(record->security_name, "chopinagent", 11);
	record->security_name_len = 11;
	static const uint32_t oid[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 72, 0, 2};
	memcpy(record->notification_oid, oid, sizeof oid);
	record->notification_oid_len = sizeof oid / sizeof oid[0];
	assert_int_equal(chopin_record_add_octets(record, 0x0101, host_name, strlen(host_name)), 0);
	assert_int_equal(chopin_record_add_uint(record, 0x0102, 4000000000u), 0);
	assert_int_equal(chopin_record_add_uint(record, 0x0103, 17), 0);
	assert_int_equal(chopin_record_add_int(record, 0x0304, -5), 0);
	assert_int_equal(chopin_record_add_octets(record, 0x0307, message, strlen(message)), 0);
	assert_int_equal(chopin_record_add_octets(record, 0x0308, "", 0), 0);
}

static size_t
encode_sample(uint8_t *buf, size_t size)
{
	ChopinRecord *record = malloc(sizeof *record);
	size_t len;
	sample_record(record);
	assert_int_equal(chopin_record_encode(record, buf, size, &len), CHOPIN_RECORD_OK);
	assert_int_equal(len, chopin_record_encoded_size(record));
	free(record);
	return len;
}

static void
test_round_trip(void **state)
{
	uint8_t buf[4096];
	ChopinRecord *in = malloc(sizeof *in), *out = malloc(sizeof *out);
	size_t len, consumed;
	char text[64];
	int64_t value;

	sample_record(in);
	assert_int_equal(chopin_record_encode(in, buf, sizeof buf, &len), CHOPIN_RECORD_OK);
	assert_int_equal(chopin_record_decode(buf, len, out, &consumed), CHOPIN_RECORD_OK);
	assert_int_equal(consumed, len);
	assert_int_equal(out->kind, 2);
	assert_int_equal(out->flags, CHOPIN_RECORD_FLAG_INFORM);
	assert_true(out->received_us == UINT64_C(1569218432123456));
	assert_int_equal(out->snmp_version, 3);
	assert_int_equal(out->source.family, 4);
	assert_memory_equal(out->source.addr, "\x7f\x00\x00\x01", 4);
	assert_int_equal(out->source.port, 49152);
	assert_int_equal(out->security_name_len, 11);
	assert_memory_equal(out->security_name, "chopinagent", 11);
	assert_int_equal(out->notification_oid_len, 12);
	assert_memory_equal(out->notification_oid, in->notification_oid, 12 * sizeof(uint32_t));
	assert_int_equal(out->n_fields, 6);

	assert_int_equal(chopin_record_get_string(out, 0x0101, text, sizeof text), 8);
	assert_string_equal(text, "CERNVS08");
	assert_int_equal(chopin_record_get_int(out, 0x0102, &value), 0);
	assert_true(value == 4000000000);
	assert_int_equal(chopin_record_get_int(out, 0x0304, &value), 0);
	assert_true(value == -5);
	const ChopinRecordField *field = chopin_record_find(out, 0x0307);
	assert_non_null(field);
	assert_int_equal(field->value.octets.len, strlen(message));
	assert_memory_equal(field->value.octets.data, message, strlen(message));
	/* octets point into the encoded buffer, not into the source record */
	assert_true(field->value.octets.data >= buf && field->value.octets.data < buf + len);
	assert_int_equal(chopin_record_get_string(out, 0x0308, text, sizeof text), 0);
	assert_string_equal(text, "");

	/* missing and wrongly typed fields */
	assert_int_equal(chopin_record_get_string(out, 0x0999, text, sizeof text), -1);
	assert_int_equal(chopin_record_get_string(out, 0x0102, text, sizeof text), -1);
	assert_int_equal(chopin_record_get_int(out, 0x0101, &value), -1);
	/* cut strings stay terminated and report the full length */
	assert_int_equal(chopin_record_get_string(out, 0x0101, text, 4), 8);
	assert_string_equal(text, "CER");
	free(in);
	free(out);
}

static void
test_records_back_to_back(void **state)
{
	uint8_t buf[8192];
	ChopinRecord *record = malloc(sizeof *record);
	size_t len = encode_sample(buf, sizeof buf);
	size_t len2 = encode_sample(buf + len, sizeof buf - len);
	size_t consumed;

	assert_int_equal(chopin_record_decode(buf, len + len2, record, &consumed), CHOPIN_RECORD_OK);
	assert_int_equal(consumed, len);
	assert_int_equal(chopin_record_decode(buf + len, len2, record, &consumed), CHOPIN_RECORD_OK);
	assert_int_equal(consumed, len2);
	free(record);
}

static void
test_every_truncation_is_incomplete(void **state)
{
	uint8_t buf[4096];
	ChopinRecord *record = malloc(sizeof *record);
	size_t len = encode_sample(buf, sizeof buf);
	size_t consumed, framed;

	for (size_t cut = 0; cut < len; cut++) {
		/* copy so that ASan sees reads past the cut */
		uint8_t *copy = malloc(cut > 0 ? cut : 1);
		memcpy(copy, buf, cut);
		assert_int_equal(chopin_record_decode(copy, cut, record, &consumed),
				 CHOPIN_RECORD_INCOMPLETE);
		assert_int_equal(consumed, 0);
		assert_int_equal(record->n_fields, 0);
		assert_int_equal(chopin_record_frame(copy, cut, &framed), CHOPIN_RECORD_INCOMPLETE);
		free(copy);
	}
	free(record);
}

static void
test_every_bit_flip_is_detected(void **state)
{
	uint8_t buf[4096];
	ChopinRecord *record = malloc(sizeof *record);
	size_t len = encode_sample(buf, sizeof buf);
	size_t consumed;

	for (size_t byte = 0; byte < len; byte++) {
		for (int bit = 0; bit < 8; bit++) {
			uint8_t *copy = malloc(len);
			memcpy(copy, buf, len);
			copy[byte] ^= (uint8_t)(1u << bit);
			ChopinRecordStatus status = chopin_record_decode(copy, len, record, &consumed);
			assert_int_not_equal(status, CHOPIN_RECORD_OK);
			if (byte < 4)
				assert_int_equal(status, CHOPIN_RECORD_BAD_MAGIC);
			else if (byte == 4)
				assert_int_equal(status, CHOPIN_RECORD_BAD_VERSION);
			else if (byte >= CHOPIN_RECORD_HEADER_SIZE)
				assert_int_equal(status, CHOPIN_RECORD_BAD_CHECKSUM);
			free(copy);
		}
	}
	free(record);
}

/* Writes a header for @payload (with a correct checksum) in front of it. */
static size_t
forge(uint8_t *buf, uint8_t kind, uint16_t flags, const uint8_t *payload, size_t payload_len)
{
	memcpy(buf, CHOPIN_RECORD_MAGIC, 4);
	buf[4] = CHOPIN_RECORD_VERSION;
	buf[5] = kind;
	buf[6] = (uint8_t)flags;
	buf[7] = (uint8_t)(flags >> 8);
	for (int i = 0; i < 4; i++)
		buf[8 + i] = (uint8_t)(payload_len >> (8 * i));
	memcpy(buf + CHOPIN_RECORD_HEADER_SIZE, payload, payload_len);
	uint32_t crc = chopin_crc32c(0, buf + 4, 8);
	crc = chopin_crc32c(crc, buf + CHOPIN_RECORD_HEADER_SIZE, payload_len);
	for (int i = 0; i < 4; i++)
		buf[12 + i] = (uint8_t)(crc >> (8 * i));
	return CHOPIN_RECORD_HEADER_SIZE + payload_len;
}

/* A minimal valid payload: v2c, no OID, no name, then @tail appended. */
static size_t
payload_with_tail(uint8_t *p, uint8_t version, uint8_t reason, uint8_t family,
		  uint8_t name_len, uint16_t oid_len, const uint8_t *tail, size_t tail_len)
{
	memset(p, 0, 8);
	p[8] = version;
	p[9] = reason;
	p[10] = family;
	p[11] = name_len;
	memset(p + 12, 0, 18);
	p[30] = (uint8_t)oid_len;
	p[31] = (uint8_t)(oid_len >> 8);
	memcpy(p + 32, tail, tail_len);
	return 32 + tail_len;
}

static void
test_forged_payloads(void **state)
{
	static const struct {
		const char *what;
		uint8_t version, reason, family, name_len;
		uint16_t oid_len;
		uint16_t flags;
		const char *tail;
		size_t tail_len;
		ChopinRecordStatus expect;
	} cases[] = {
		{"minimal valid", 2, 0, 4, 0, 0, 0, "\x00\x00", 2, CHOPIN_RECORD_OK},
		{"one uint field", 2, 0, 4, 0, 0, 0, "\x01\x00\x01\x01\x02\x07\0\0\0\0\0\0\0", 13,
		 CHOPIN_RECORD_OK},
		{"snmp version 0", 0, 0, 4, 0, 0, 0, "\x00\x00", 2, CHOPIN_RECORD_BAD_PAYLOAD},
		{"snmp version 4", 4, 0, 4, 0, 0, 0, "\x00\x00", 2, CHOPIN_RECORD_BAD_PAYLOAD},
		{"address family 5", 2, 0, 5, 0, 0, 0, "\x00\x00", 2, CHOPIN_RECORD_BAD_PAYLOAD},
		{"unknown flag", 2, 0, 4, 0, 0, 0x80, "\x00\x00", 2, CHOPIN_RECORD_BAD_PAYLOAD},
		{"quarantine flag without reason", 2, 0, 4, 0, 0, CHOPIN_RECORD_FLAG_QUARANTINE,
		 "\x00\x00", 2, CHOPIN_RECORD_BAD_PAYLOAD},
		{"reason without quarantine flag", 2, 1, 4, 0, 0, 0, "\x00\x00", 2,
		 CHOPIN_RECORD_BAD_PAYLOAD},
		{"reason out of range", 2, 99, 4, 0, 0, CHOPIN_RECORD_FLAG_QUARANTINE, "\x00\x00", 2,
		 CHOPIN_RECORD_BAD_PAYLOAD},
		{"oid length over limit", 2, 0, 4, 0, 129, 0, "\x00\x00", 2,
		 CHOPIN_RECORD_BAD_PAYLOAD},
		{"oid runs past the end", 2, 0, 4, 0, 5, 0, "\x01\0\0\0\x00\x00", 6,
		 CHOPIN_RECORD_BAD_PAYLOAD},
		{"security name over limit", 2, 0, 4, 33, 0, 0, "\x00\x00", 2,
		 CHOPIN_RECORD_BAD_PAYLOAD},
		{"security name past the end", 3, 0, 4, 20, 0, 0, "ab\x00\x00", 4,
		 CHOPIN_RECORD_BAD_PAYLOAD},
		{"field count over limit", 2, 0, 4, 0, 0, 0, "\x81\x00", 2, CHOPIN_RECORD_BAD_PAYLOAD},
		{"field count past the end", 2, 0, 4, 0, 0, 0, "\x02\x00\x01\x01\x02\0\0\0\0\0\0\0\0",
		 13, CHOPIN_RECORD_BAD_PAYLOAD},
		{"unknown field type", 2, 0, 4, 0, 0, 0, "\x01\x00\x01\x01\x09\0\0", 7,
		 CHOPIN_RECORD_BAD_PAYLOAD},
		{"octets length past the end", 2, 0, 4, 0, 0, 0, "\x01\x00\x01\x01\x03\xff\xff" "abc",
		 10, CHOPIN_RECORD_BAD_PAYLOAD},
		{"trailing bytes", 2, 0, 4, 0, 0, 0, "\x00\x00zz", 4, CHOPIN_RECORD_BAD_PAYLOAD},
	};
	ChopinRecord *record = malloc(sizeof *record);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t payload[256], buf[512];
		size_t consumed;
		size_t payload_len = payload_with_tail(payload, cases[i].version, cases[i].reason,
						       cases[i].family, cases[i].name_len,
						       cases[i].oid_len,
						       (const uint8_t *)cases[i].tail,
						       cases[i].tail_len);
		size_t len = forge(buf, 1, cases[i].flags, payload, payload_len);
		uint8_t *exact = malloc(len);
		memcpy(exact, buf, len);
		ChopinRecordStatus status = chopin_record_decode(exact, len, record, &consumed);
		if (status != cases[i].expect)
			fail_msg("%s: got '%s', expected '%s'", cases[i].what,
				 chopin_record_status_str(status),
				 chopin_record_status_str(cases[i].expect));
		assert_int_equal(consumed, status == CHOPIN_RECORD_OK ? len : 0);
		free(exact);
	}
	free(record);
}

static void
test_header_limits(void **state)
{
	uint8_t buf[64];
	size_t framed;

	/* payload length over the limit is corruption, not a reason to wait for more */
	memcpy(buf, CHOPIN_RECORD_MAGIC, 4);
	buf[4] = CHOPIN_RECORD_VERSION;
	memset(buf + 5, 0, 11);
	buf[10] = 0x10; /* 1 MiB */
	assert_int_equal(chopin_record_frame(buf, sizeof buf, &framed), CHOPIN_RECORD_BAD_LENGTH);
	buf[10] = 0;
	buf[8] = 3; /* shorter than the fixed part */
	assert_int_equal(chopin_record_frame(buf, sizeof buf, &framed), CHOPIN_RECORD_BAD_LENGTH);
	buf[4] = 2;
	assert_int_equal(chopin_record_frame(buf, sizeof buf, &framed), CHOPIN_RECORD_BAD_VERSION);
	assert_int_equal(chopin_record_frame((const uint8_t *)"CHX", 3, &framed),
			 CHOPIN_RECORD_BAD_MAGIC);
	assert_int_equal(chopin_record_frame((const uint8_t *)"CH", 2, &framed),
			 CHOPIN_RECORD_INCOMPLETE);
	assert_int_equal(chopin_record_frame((const uint8_t *)"", 0, &framed),
			 CHOPIN_RECORD_INCOMPLETE);
}

static void
test_encode_limits(void **state)
{
	ChopinRecord *record = malloc(sizeof *record);
	static uint8_t big[CHOPIN_RECORD_MAX_FIELD_LEN + 1];
	uint8_t buf[256];
	size_t len;

	chopin_record_clear(record);
	record->snmp_version = 2;
	for (int i = 0; i < CHOPIN_RECORD_MAX_FIELDS; i++)
		assert_int_equal(chopin_record_add_uint(record, (uint16_t)i, (uint64_t)i), 0);
	assert_int_equal(chopin_record_add_uint(record, 999, 1), -1);
	assert_int_equal(chopin_record_add_octets(record, 999, "x", 1), -1);
	/* does not fit the buffer */
	assert_int_equal(chopin_record_encode(record, buf, sizeof buf, &len),
			 CHOPIN_RECORD_TOO_LARGE);
	assert_int_equal(len, 0);

	chopin_record_clear(record);
	record->snmp_version = 2;
	assert_int_equal(chopin_record_add_octets(record, 1, big, sizeof big), -1);
	assert_int_equal(chopin_record_add_octets(record, 1, NULL, 3), -1);
	assert_int_equal(record->n_fields, 0);

	/* two maximal fields exceed the payload limit */
	assert_int_equal(chopin_record_add_octets(record, 1, big, CHOPIN_RECORD_MAX_FIELD_LEN), 0);
	assert_int_equal(chopin_record_add_octets(record, 2, big, CHOPIN_RECORD_MAX_FIELD_LEN), 0);
	assert_int_equal(chopin_record_add_octets(record, 3, big, CHOPIN_RECORD_MAX_FIELD_LEN), 0);
	uint8_t *huge = malloc(4 * CHOPIN_RECORD_MAX_PAYLOAD);
	assert_int_equal(chopin_record_encode(record, huge, 4 * CHOPIN_RECORD_MAX_PAYLOAD, &len),
			 CHOPIN_RECORD_TOO_LARGE);
	free(huge);

	/* invariants */
	chopin_record_clear(record);
	assert_int_equal(chopin_record_encode(record, buf, sizeof buf, &len),
			 CHOPIN_RECORD_INVALID); /* snmp version 0 */
	record->snmp_version = 2;
	record->flags = CHOPIN_RECORD_FLAG_QUARANTINE;
	assert_int_equal(chopin_record_encode(record, buf, sizeof buf, &len),
			 CHOPIN_RECORD_INVALID);
	record->quarantine_reason = CHOPIN_QUARANTINE_MISSING_VARBIND;
	assert_int_equal(chopin_record_encode(record, buf, sizeof buf, &len), CHOPIN_RECORD_OK);
	free(record);
}

static void
test_random_payloads_never_misread(void **state)
{
	/* Random payloads with a valid checksum must decode or be rejected, never overrun. */
	ChopinRecord *record = malloc(sizeof *record);
	uint32_t seed = 7;
	int accepted = 0;
	for (int round = 0; round < 20000; round++) {
		uint8_t payload[96], buf[160];
		size_t payload_len = 34 + (size_t)(round % 60);
		for (size_t i = 0; i < payload_len; i++) {
			seed = seed * 1664525u + 1013904223u;
			payload[i] = (uint8_t)(seed >> 24);
		}
		/* steer half of the rounds towards plausible headers */
		if (round & 1) {
			payload[8] = 2;
			payload[9] = 0;
			payload[10] = 4;
			payload[11] = (uint8_t)(payload[11] % 4);
			payload[30] = (uint8_t)(payload[30] % 4);
			payload[31] = 0;
		}
		size_t len = forge(buf, 1, 0, payload, payload_len);
		uint8_t *exact = malloc(len);
		memcpy(exact, buf, len);
		size_t consumed;
		if (chopin_record_decode(exact, len, record, &consumed) == CHOPIN_RECORD_OK) {
			accepted++;
			assert_int_equal(consumed, len);
			for (uint16_t f = 0; f < record->n_fields; f++)
				if (record->fields[f].type == CHOPIN_FIELD_TYPE_OCTETS)
					assert_true(record->fields[f].value.octets.data +
							    record->fields[f].value.octets.len <=
						    exact + len);
		}
		free(exact);
	}
	(void)accepted;
	free(record);
}

static void
test_status_strings(void **state)
{
	assert_string_equal(chopin_record_status_str(CHOPIN_RECORD_BAD_CHECKSUM),
			    "checksum mismatch");
	assert_string_equal(chopin_record_status_str((ChopinRecordStatus)999), "unknown status");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_records_back_to_back),
		cmocka_unit_test(test_every_truncation_is_incomplete),
		cmocka_unit_test(test_every_bit_flip_is_detected),
		cmocka_unit_test(test_forged_payloads),
		cmocka_unit_test(test_header_limits),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_random_payloads_never_misread),
		cmocka_unit_test(test_status_strings),
	};
	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
