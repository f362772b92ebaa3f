/* Unit tests of chopin-trapd's SNMPv2c fast path (trapd/decode.c): on the committed
 * corpus, on re-encodings of its traps (long-form lengths, edge values) and on every
 * single-byte change and truncation of some of them, the fast path either declines or
 * gives exactly the PDU and the record net-snmp's parser gives. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "decode-check.h"

/* --- a BER tree, to re-encode a trap in other forms --------------------------------- */

typedef struct Tlv Tlv;
struct Tlv {
	uint8_t tag;
	GByteArray *value; /* primitive contents */
	GPtrArray *children; /* constructed: Tlv */
};

static void
tlv_free(gpointer data)
{
	Tlv *tlv = data;
	if (tlv->value != NULL)
		g_byte_array_unref(tlv->value);
	if (tlv->children != NULL)
		g_ptr_array_unref(tlv->children);
	g_free(tlv);
}

static gboolean
constructed(uint8_t tag)
{
	return (tag & 0x20) != 0;
}

/* Parses one TLV at data[*pos] (definite lengths; the corpus's own encodings). */
static Tlv *
tlv_parse(const uint8_t *data, size_t size, size_t *pos)
{
	assert_true(*pos + 2 <= size);
	Tlv *tlv = g_new0(Tlv, 1);
	tlv->tag = data[(*pos)++];
	size_t len = data[(*pos)++];
	if (len & 0x80) {
		size_t octets = len & 0x7f;
		len = 0;
		while (octets-- > 0)
			len = len << 8 | data[(*pos)++];
	}
	assert_true(*pos + len <= size);
	size_t end = *pos + len;
	if (constructed(tlv->tag)) {
		tlv->children = g_ptr_array_new_with_free_func(tlv_free);
		while (*pos < end)
			g_ptr_array_add(tlv->children, tlv_parse(data, end, pos));
	} else {
		tlv->value = g_byte_array_new();
		g_byte_array_append(tlv->value, data + *pos, (guint)len);
		*pos = end;
	}
	return tlv;
}

/* Length forms: 0 as short as possible, or 1, 2, 3 octets after 0x81, 0x82, 0x83. */
static void
put_length(GByteArray *out, size_t len, int form)
{
	uint8_t b[4];
	if (form == 0 && len < 128) {
		b[0] = (uint8_t)len;
		g_byte_array_append(out, b, 1);
		return;
	}
	int octets = form > 0 ? form : len < 256 ? 1 : 2;
	b[0] = (uint8_t)(0x80 | octets);
	for (int i = 0; i < octets; i++)
		b[1 + i] = (uint8_t)(len >> (8 * (octets - 1 - i)));
	g_byte_array_append(out, b, (guint)octets + 1);
}

static GByteArray *
tlv_encode(const Tlv *tlv, int form)
{
	GByteArray *out = g_byte_array_new();
	GByteArray *inner;
	if (tlv->children != NULL) {
		inner = g_byte_array_new();
		for (guint i = 0; i < tlv->children->len; i++) {
			GByteArray *child = tlv_encode(g_ptr_array_index(tlv->children, i), form);
			g_byte_array_append(inner, child->data, child->len);
			g_byte_array_unref(child);
		}
	} else {
		inner = g_byte_array_ref(tlv->value);
	}
	g_byte_array_append(out, &tlv->tag, 1);
	put_length(out, inner->len, form);
	g_byte_array_append(out, inner->data, inner->len);
	g_byte_array_unref(inner);
	return out;
}

static Tlv *
child(const Tlv *tlv, guint i)
{
	assert_non_null(tlv->children);
	assert_true(i < tlv->children->len);
	return g_ptr_array_index(tlv->children, i);
}

/* The varbind list of a v2c message: message[2] is the PDU, PDU[3] the list. */
static Tlv *
varbinds(const Tlv *message)
{
	return child(child(message, 2), 3);
}

static void
set_value(Tlv *tlv, uint8_t tag, const uint8_t *bytes, size_t len)
{
	tlv->tag = tag;
	g_byte_array_set_size(tlv->value, 0);
	g_byte_array_append(tlv->value, bytes, (guint)len);
}

/* the corpus's net-snmp-* files that are SNMPv2c traps (the others: SNMPv1, SNMPv3) */
#define NET_SNMP_V2C_TRAPS 5

/* --- the corpus ----------------------------------------------------------------------- */

static GByteArray *
corpus_file(const char *name)
{
	const char *top_srcdir = g_getenv("top_srcdir");
	if (top_srcdir == NULL)
		fail_msg("top_srcdir is not set: run through make check");
	g_autofree char *path = g_build_filename(top_srcdir, "tests", "fuzz", "corpus", name, NULL);
	g_autofree char *data = NULL;
	gsize len;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(path, &data, &len, &error))
		fail_msg("%s", error->message);
	GByteArray *bytes = g_byte_array_new();
	g_byte_array_append(bytes, (const guint8 *)data, (guint)len);
	return bytes;
}

static Tlv *
corpus_tree(const char *name)
{
	g_autoptr(GByteArray) bytes = corpus_file(name);
	size_t pos = 0;
	Tlv *tree = tlv_parse(bytes->data, bytes->len, &pos);
	assert_int_equal(pos, bytes->len);
	return tree;
}

static DecodeCheck
check(const uint8_t *data, size_t len)
{
	const char *why = NULL;
	DecodeCheck result = decode_check(data, len, &why);
	if (result == DECODE_DIFFERENT)
		fail_msg("fast path and net-snmp disagree: %s", why);
	return result;
}

static DecodeCheck
check_tree(const Tlv *tree, int form)
{
	g_autoptr(GByteArray) bytes = tlv_encode(tree, form);
	return check(bytes->data, bytes->len);
}

static void
test_corpus(void **state)
{
	(void)state;
	int fast = 0;
	for (int i = 0; i < 40; i++) {
		g_autofree char *name = g_strdup_printf("sim-%03d", i);
		g_autoptr(GByteArray) bytes = corpus_file(name);
		/* every notification the simulator sends (all SNMPv2c traps) takes the fast path */
		assert_int_equal(check(bytes->data, bytes->len), DECODE_SAME);
		fast++;
	}
	assert_int_equal(fast, 40);
	/* net-snmp's own snmptrap: its v2c traps the same, SNMPv1 and v3 left to net-snmp */
	int same = 0;
	for (int i = 0; i < 8; i++) {
		g_autofree char *name = g_strdup_printf("net-snmp-%03d", i);
		g_autoptr(GByteArray) bytes = corpus_file(name);
		if (check(bytes->data, bytes->len) == DECODE_SAME)
			same++;
	}
	assert_int_equal(same, NET_SNMP_V2C_TRAPS);
}

static void
test_length_forms(void **state)
{
	(void)state;
	g_autoptr(GPtrArray) trees = g_ptr_array_new_with_free_func(tlv_free);
	g_ptr_array_add(trees, corpus_tree("sim-000"));
	g_ptr_array_add(trees, corpus_tree("sim-001"));
	g_ptr_array_add(trees, corpus_tree("net-snmp-000"));
	for (guint i = 0; i < trees->len; i++) {
		Tlv *tree = g_ptr_array_index(trees, i);
		assert_int_equal(check_tree(tree, 0), DECODE_SAME);
		/* every length in long form, one or two octets: net-snmp reads them, so do we */
		g_autoptr(GByteArray) two = tlv_encode(tree, 2);
		assert_int_equal(check(two->data, two->len), DECODE_SAME);
		/* three length octets: left to net-snmp */
		assert_int_equal(check_tree(tree, 3), DECODE_DECLINED);
	}
}

static void
test_declined(void **state)
{
	(void)state;
	g_autoptr(GByteArray) bytes = corpus_file("sim-000");
	g_autoptr(GByteArray) copy = g_byte_array_new();

	/* a byte after the message: net-snmp ignores it, the fast path declines */
	g_byte_array_append(copy, bytes->data, bytes->len);
	g_byte_array_append(copy, (const guint8 *)"\0", 1);
	assert_int_equal(check(copy->data, copy->len), DECODE_DECLINED);

	Tlv *tree = corpus_tree("sim-000");
	/* an inform (needs a response PDU) and a GetRequest */
	child(tree, 2)->tag = SNMP_MSG_INFORM;
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	child(tree, 2)->tag = SNMP_MSG_GET;
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	child(tree, 2)->tag = SNMP_MSG_TRAP2;
	/* version 1 and 3 in a v2c-shaped message */
	uint8_t v1[] = {0x00}, v3[] = {0x03}, v2c[] = {0x01};
	set_value(child(tree, 0), 0x02, v1, 1);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	set_value(child(tree, 0), 0x02, v3, 1);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	set_value(child(tree, 0), 0x02, v2c, 1);
	assert_int_equal(check_tree(tree, 0), DECODE_SAME);

	/* a request-id of five octets: net-snmp truncates it; the fast path declines */
	uint8_t reqid5[] = {0x01, 0x00, 0x00, 0x00, 0x01};
	set_value(child(child(tree, 2), 0), 0x02, reqid5, sizeof reqid5);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	uint8_t reqid[] = {0x7f, 0xff, 0xff, 0xff};
	set_value(child(child(tree, 2), 0), 0x02, reqid, sizeof reqid);
	assert_int_equal(check_tree(tree, 0), DECODE_SAME);

	/* a Counter64 and an IpAddress value in the last varbind */
	Tlv *last = child(varbinds(tree), varbinds(tree)->children->len - 1);
	g_autoptr(GByteArray) saved = g_byte_array_new();
	uint8_t saved_tag = child(last, 1)->tag;
	g_byte_array_append(saved, child(last, 1)->value->data, child(last, 1)->value->len);
	uint8_t c64[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
	set_value(child(last, 1), ASN_COUNTER64, c64, sizeof c64);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	set_value(child(last, 1), ASN_IPADDRESS, c64, 4);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	set_value(child(last, 1), saved_tag, saved->data, saved->len);
	assert_int_equal(check_tree(tree, 0), DECODE_SAME);

	/* a sub-identifier with a leading 0x80 (non-minimal): net-snmp reads it, we decline */
	Tlv *name = child(last, 0);
	g_autoptr(GByteArray) oid_saved = g_byte_array_new();
	g_byte_array_append(oid_saved, name->value->data, name->value->len);
	g_byte_array_set_size(name->value, 0);
	g_byte_array_append(name->value, oid_saved->data, 1);
	g_byte_array_append(name->value, (const guint8 *)"\x80", 1);
	g_byte_array_append(name->value, oid_saved->data + 1, oid_saved->len - 1);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	/* an OID of 33 arcs: longer than the fast path keeps */
	g_byte_array_set_size(name->value, 0);
	g_byte_array_append(name->value, (const guint8 *)"\x2b", 1);
	for (int i = 0; i < 31; i++)
		g_byte_array_append(name->value, (const guint8 *)"\x01", 1);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	/* an empty OID (net-snmp reads 06 00 as 0.0) */
	g_byte_array_set_size(name->value, 0);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	tlv_free(tree);
}

static void
test_edge_values(void **state)
{
	(void)state;
	Tlv *tree = corpus_tree("sim-000");
	Tlv *list = varbinds(tree);
	/* sysUpTime: TimeTicks of five octets with a leading zero, and with the high bit set */
	uint8_t ticks_max[] = {0x00, 0xff, 0xff, 0xff, 0xff}, ticks_high[] = {0x80};
	set_value(child(child(list, 0), 1), ASN_TIMETICKS, ticks_max, sizeof ticks_max);
	assert_int_equal(check_tree(tree, 0), DECODE_SAME);
	set_value(child(child(list, 0), 1), ASN_TIMETICKS, ticks_high, sizeof ticks_high);
	assert_int_equal(check_tree(tree, 0), DECODE_SAME);
	/* five octets without the leading zero: net-snmp refuses, so must we */
	uint8_t ticks_bad[] = {0x01, 0xff, 0xff, 0xff, 0xff};
	set_value(child(child(list, 0), 1), ASN_TIMETICKS, ticks_bad, sizeof ticks_bad);
	assert_int_equal(check_tree(tree, 0), DECODE_DECLINED);
	set_value(child(child(list, 0), 1), ASN_TIMETICKS, ticks_high, sizeof ticks_high);
	/* every Gauge32 and INTEGER of the notification at its extremes: the same record
	 * (accepted, or quarantined as out of range with the same text) */
	for (guint i = 2; i < list->children->len; i++) {
		Tlv *value = child(child(list, i), 1);
		g_autoptr(GByteArray) saved = g_byte_array_new();
		g_byte_array_append(saved, value->value->data, value->value->len);
		if (value->tag == ASN_GAUGE) {
			uint8_t forms[][5] = {{0x00, 0xff, 0xff, 0xff, 0xff}, {0x00}, {0xff}};
			size_t lens[] = {5, 1, 1};
			for (size_t k = 0; k < G_N_ELEMENTS(lens); k++) {
				set_value(value, ASN_GAUGE, forms[k], lens[k]);
				assert_int_equal(check_tree(tree, 0), DECODE_SAME);
			}
		} else if (value->tag == ASN_INTEGER) {
			uint8_t forms[][4] = {{0x80, 0x00, 0x00, 0x00}, {0x7f, 0xff, 0xff, 0xff}, {0xff}};
			size_t lens[] = {4, 4, 1};
			for (size_t k = 0; k < G_N_ELEMENTS(lens); k++) {
				set_value(value, ASN_INTEGER, forms[k], lens[k]);
				assert_int_equal(check_tree(tree, 0), DECODE_SAME);
			}
		} else if (value->tag == ASN_OCTET_STR) {
			set_value(value, ASN_OCTET_STR, NULL, 0);
			assert_int_equal(check_tree(tree, 0), DECODE_SAME);
			/* the wrong type for the object: quarantined the same way by both */
			uint8_t one[] = {0x01};
			set_value(value, ASN_COUNTER, one, 1);
			assert_int_equal(check_tree(tree, 0), DECODE_SAME);
		}
		set_value(value, value->tag == ASN_COUNTER ? ASN_OCTET_STR : value->tag, saved->data,
			  saved->len);
	}
	assert_int_equal(check_tree(tree, 0), DECODE_SAME);
	tlv_free(tree);
}

/* Every single-byte change (four values) and every truncation of a few traps. */
static void
test_mutations(void **state)
{
	(void)state;
	static const char *const names[] = {"sim-000", "sim-001", "sim-013", "net-snmp-000"};
	static const uint8_t flips[] = {0x01, 0x80, 0x7f};
	unsigned long same = 0, declined = 0;

	for (size_t f = 0; f < G_N_ELEMENTS(names); f++) {
		g_autoptr(GByteArray) bytes = corpus_file(names[f]);
		g_autofree uint8_t *copy = g_malloc(bytes->len);
		for (guint pos = 0; pos < bytes->len; pos++) {
			for (size_t k = 0; k <= G_N_ELEMENTS(flips); k++) {
				memcpy(copy, bytes->data, bytes->len);
				copy[pos] = k < G_N_ELEMENTS(flips) ? copy[pos] ^ flips[k] : 0x00;
				if (check(copy, bytes->len) == DECODE_SAME)
					same++;
				else
					declined++;
			}
			if (check(bytes->data, pos) == DECODE_SAME)
				fail_msg("a trap cut to %u octets was taken as whole", pos);
		}
	}
	/* string and number changes keep a decodable trap; tag and length changes do not */
	assert_true(same > 1000);
	assert_true(declined > 1000);
}

int
main(void)
{
	decode_check_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_length_forms),
	    cmocka_unit_test(test_declined),
	    cmocka_unit_test(test_edge_values),
	    cmocka_unit_test(test_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
