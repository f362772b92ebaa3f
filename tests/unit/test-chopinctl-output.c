/* Unit tests of chopinctl's pure parts: JSON escaping and writer, cells, time arguments. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "chopinctl.h"

/* ctl_json_escape: input bytes (with length, NUL allowed) -> the string body. */
#define CASE(input, escaped)                                                                       \
	{                                                                                          \
		input, sizeof(input) - 1, escaped                                                  \
	}
static const struct {
	const char *input;
	gsize len;
	const char *escaped;
} escapes[] = {
    CASE("plain", "plain"),
    CASE("quote \" and backslash \\", "quote \\\" and backslash \\\\"),
    CASE("\b\f\n\r\t", "\\b\\f\\n\\r\\t"),
    CASE("\001\037\033[31m\177", "\\u0001\\u001f\\u001b[31m\\u007f"),
    CASE("nul\000inside", "nul\\u0000inside"),
    CASE("/slash stays", "/slash stays"),
    /* UTF-8 passes through verbatim: 2, 3 and 4 bytes, U+2028 too */
    CASE("Ünïcödé 漢字 💾 \xe2\x80\xa8", "Ünïcödé 漢字 💾 \xe2\x80\xa8"),
    /* invalid UTF-8: each bad byte becomes U+FFFD, the rest is kept */
    CASE("bad \xff\xfe end", "bad \\ufffd\\ufffd end"),
    CASE("cut \xe6\xbc", "cut \\ufffd\\ufffd"),
    CASE("overlong \xc0\xaf", "overlong \\ufffd\\ufffd"),
    CASE("surrogate \xed\xa0\x80", "surrogate \\ufffd\\ufffd\\ufffd"),
};

static void
test_json_escape(void **state)
{
	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(escapes); i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		ctl_json_escape(out, escapes[i].input, escapes[i].len);
		if (strcmp(out->str, escapes[i].escaped) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, out->str,
			         escapes[i].escaped);
	}
}

static void
test_json_writer(void **state)
{
	(void)state;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(CtlJson) json = ctl_json_new(out);

	ctl_json_begin_object(json);
	ctl_json_key(json, "name");
	ctl_json_string(json, "CERNVS08");
	ctl_json_key(json, "n");
	ctl_json_int(json, -42);
	ctl_json_key(json, "ok");
	ctl_json_bool(json, TRUE);
	ctl_json_key(json, "none");
	ctl_json_string(json, NULL);
	ctl_json_key(json, "numbers");
	ctl_json_begin_array(json);
	ctl_json_number_text(json, "18446744073709551615");
	ctl_json_number_text(json, "3.25");
	ctl_json_number_text(json, "007"); /* not a JSON number: a string */
	ctl_json_number_text(json, NULL);
	ctl_json_end_array(json);
	ctl_json_key(json, "empty");
	ctl_json_begin_object(json);
	ctl_json_end_object(json);
	ctl_json_key(json, "k\"ey");
	ctl_json_begin_array(json);
	ctl_json_end_array(json);
	ctl_json_end_object(json);
	assert_true(ctl_json_finish(json));
	assert_string_equal(out->str, "{\n"
	                              "  \"name\": \"CERNVS08\",\n"
	                              "  \"n\": -42,\n"
	                              "  \"ok\": true,\n"
	                              "  \"none\": null,\n"
	                              "  \"numbers\": [\n"
	                              "    18446744073709551615,\n"
	                              "    3.25,\n"
	                              "    \"007\",\n"
	                              "    null\n"
	                              "  ],\n"
	                              "  \"empty\": {},\n"
	                              "  \"k\\\"ey\": []\n"
	                              "}\n");
}

static void
test_json_unfinished(void **state)
{
	(void)state;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(CtlJson) json = ctl_json_new(out);

	ctl_json_begin_array(json);
	assert_false(ctl_json_finish(json));
}

static const CtlColumn columns[] = {
    {"name", "NAME", CTL_TYPE_TEXT},     {"when", "WHEN", CTL_TYPE_TIME},
    {"n", "N", CTL_TYPE_COUNT},          {"up", "UP", CTL_TYPE_BOOL},
    {"tags", "TAGS", CTL_TYPE_LIST},     {"hidden", NULL, CTL_TYPE_INT},
    {NULL, "HUMAN ONLY", CTL_TYPE_TEXT},
};

static void
test_cells(void **state)
{
	static const struct {
		CtlType type;
		const char *value;
		const char *display;
	} cells[] = {
	    {CTL_TYPE_TEXT, NULL, "-"},
	    {CTL_TYPE_TEXT, "", "-"},
	    {CTL_TYPE_TEXT, "line\nbreak\ttab", "line break tab"},
	    {CTL_TYPE_TEXT, "esc\033[31mred\177", "esc?[31mred?"},
	    {CTL_TYPE_TEXT, "bad \xff utf", "bad ? utf"},
	    {CTL_TYPE_TEXT, "c1 \xc2\x9b x", "c1 ? x"},
	    {CTL_TYPE_TIME, "2026-08-01 09:00:00.250000", "2026-08-01 09:00:00"},
	    {CTL_TYPE_BOOL, "0", "no"},
	    {CTL_TYPE_BOOL, "1", "yes"},
	    {CTL_TYPE_COUNT, "53", "53x"},
	    {CTL_TYPE_LIST, "", "-"},
	    {CTL_TYPE_INT, "7", "7"},
	};
	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(cells); i++) {
		g_autofree char *got = ctl_cell_display(cells[i].type, cells[i].value);
		if (strcmp(got, cells[i].display) != 0)
			fail_msg("cell %zu: got \"%s\", want \"%s\"", i, got, cells[i].display);
	}
}

/* A table filled by hand, as ctl_table_fill would from a statement. */
static CtlTable *
table_of(const char *const rows[][7], guint n_rows)
{
	CtlTable *table = ctl_table_new(columns, G_N_ELEMENTS(columns));
	for (guint r = 0; r < n_rows; r++)
		ctl_table_add_row(table, rows[r]);
	return table;
}

static void
test_table_print_and_json(void **state)
{
	static const char *const rows[][7] = {
	    {"CERNVS08", "2019-09-23 06:00:32.000000", "53", "1", "geneva,raid", "5", "x"},
	    {"漢字SRV", NULL, "7", "0", NULL, NULL, NULL},
	};
	(void)state;
	g_autoptr(CtlTable) table = table_of(rows, 2);
	g_autoptr(GString) text = g_string_new(NULL);

	ctl_table_print(table, text, FALSE);
	assert_string_equal(text->str,
	                    "NAME      WHEN                   N  UP   TAGS         HUMAN ONLY\n"
	                    "CERNVS08  2019-09-23 06:00:32  53x  yes  geneva,raid  x\n"
	                    "漢字SRV   -                     7x  no   -            -\n");
	g_string_truncate(text, 0);
	ctl_table_print(table, text, TRUE);
	assert_non_null(g_str_has_prefix(text->str, "CERNVS08") ? text->str : NULL);

	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(CtlJson) json = ctl_json_new(out);
	ctl_table_to_json(table, json);
	assert_true(ctl_json_finish(json));
	assert_string_equal(out->str, "[\n"
	                              "  {\n"
	                              "    \"name\": \"CERNVS08\",\n"
	                              "    \"when\": \"2019-09-23T06:00:32Z\",\n"
	                              "    \"n\": 53,\n"
	                              "    \"up\": true,\n"
	                              "    \"tags\": [\n"
	                              "      \"geneva\",\n"
	                              "      \"raid\"\n"
	                              "    ],\n"
	                              "    \"hidden\": 5\n"
	                              "  },\n"
	                              "  {\n"
	                              "    \"name\": \"漢字SRV\",\n"
	                              "    \"when\": null,\n"
	                              "    \"n\": 7,\n"
	                              "    \"up\": false,\n"
	                              "    \"tags\": [],\n"
	                              "    \"hidden\": null\n"
	                              "  }\n"
	                              "]\n");
	assert_string_equal(ctl_table_get(table, 1, "name"), "漢字SRV");
	assert_string_equal(ctl_table_get(table, 0, "HUMAN ONLY"), "x");
}

/* --- time arguments ----------------------------------------------------------------------- */

/* 2026-08-01 12:00:00 UTC */
#define NOW_US (G_GINT64_CONSTANT(1785585600) * G_USEC_PER_SEC)

static void
test_time_parse(void **state)
{
	static const struct {
		const char *text;
		const char *sql; /* NULL: must be refused */
	} times[] = {
	    {"now", "2026-08-01 12:00:00.000000"},
	    {"7d", "2026-07-25 12:00:00.000000"},
	    {"24h", "2026-07-31 12:00:00.000000"},
	    {"90m", "2026-08-01 10:30:00.000000"},
	    {"1h30m", "2026-08-01 10:30:00.000000"},
	    {"2026-08-01", "2026-08-01 00:00:00.000000"},
	    {"2026-08-01T12:34", "2026-08-01 12:34:00.000000"},
	    {"2026-08-01T12:34:56Z", "2026-08-01 12:34:56.000000"},
	    {"2026-08-01 12:34:56.25", "2026-08-01 12:34:56.250000"},
	    {"2026-08-01T14:34:56+02:00", "2026-08-01 12:34:56.000000"},
	    {"2026-08-01T10:04:56-0230", "2026-08-01 12:34:56.000000"},
	    {"2024-02-29", "2024-02-29 00:00:00.000000"},
	    {"", NULL},
	    {"7", NULL}, /* a bare number: which unit? */
	    {"-7d", NULL},
	    {"7 days", NULL},
	    {"yesterday", NULL},
	    {"2026-02-30", NULL},
	    {"2025-02-29", NULL},
	    {"2026-13-01", NULL},
	    {"2026-08-01T24:00", NULL},
	    {"2026-08-01T12:60", NULL},
	    {"2026-08-01T12:00:00+25:00", NULL},
	    {"2026-08-01junk", NULL},
	    {"2026-8-1", NULL},
	    {"0999-01-01", NULL},
	    {"99999d", NULL}, /* more than ten years back */
	};
	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(times); i++) {
		g_autoptr(GError) error = NULL;
		gint64 us = 0;
		gboolean ok = ctl_time_parse(times[i].text, NOW_US, &us, &error);
		if (times[i].sql == NULL) {
			if (ok)
				fail_msg("'%s' was accepted", times[i].text);
			assert_true(g_error_matches(error, CTL_ERROR, CTL_ERROR_USAGE));
			continue;
		}
		if (!ok)
			fail_msg("'%s' was refused: %s", times[i].text, error->message);
		char sql[32];
		ctl_time_to_sql(us, sql, sizeof sql);
		if (strcmp(sql, times[i].sql) != 0)
			fail_msg("'%s': got %s, want %s", times[i].text, sql, times[i].sql);
	}
}

static void
test_time_range(void **state)
{
	CtlTimeRange range;
	(void)state;

	assert_true(ctl_time_range_parse(NULL, NULL, NOW_US, &range, NULL));
	assert_true(range.since_us == G_MININT64 && range.until_us == G_MAXINT64);
	assert_true(ctl_time_range_parse("7d", "now", NOW_US, &range, NULL));
	assert_true(range.until_us - range.since_us == 7 * G_TIME_SPAN_DAY);

	g_autoptr(GError) error = NULL;
	assert_false(ctl_time_range_parse("1d", "7d", NOW_US, &range, &error));
	assert_true(g_error_matches(error, CTL_ERROR, CTL_ERROR_USAGE));
	assert_non_null(strstr(error->message, "bad time range"));
	g_clear_error(&error);
	assert_false(ctl_time_range_parse("2026-08-01", "2026-08-01", NOW_US, &range, &error));
	g_clear_error(&error);
	assert_false(ctl_time_range_parse("bogus", NULL, NOW_US, &range, &error));
	assert_non_null(strstr(error->message, "--since"));
}

static void
test_time_sql_to_iso(void **state)
{
	static const struct {
		const char *sql;
		const char *iso;
	} conversions[] = {
	    {"2026-08-01 09:00:00.000000", "2026-08-01T09:00:00Z"},
	    {"2026-08-01 09:00:00", "2026-08-01T09:00:00Z"},
	    {"2026-08-01 09:00:00.250000", "2026-08-01T09:00:00.250000Z"},
	    {"2026-08-01", NULL},
	    {"2026-08-01T09:00:00", NULL},
	    {"2026-08-01 09:00:00.", NULL},
	    {"2026-08-01 09:00:00.12x", NULL},
	    {NULL, NULL},
	};
	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(conversions); i++) {
		g_autofree char *iso = ctl_time_sql_to_iso(conversions[i].sql);
		if (g_strcmp0(iso, conversions[i].iso) != 0)
			fail_msg("'%s': got %s, want %s", conversions[i].sql, iso ? iso : "NULL",
			         conversions[i].iso ? conversions[i].iso : "NULL");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_escape),          cmocka_unit_test(test_json_writer),
	    cmocka_unit_test(test_json_unfinished),      cmocka_unit_test(test_cells),
	    cmocka_unit_test(test_table_print_and_json), cmocka_unit_test(test_time_parse),
	    cmocka_unit_test(test_time_range),           cmocka_unit_test(test_time_sql_to_iso),
	};
	return cmocka_run_group_tests_name("chopinctl-output", tests, NULL, NULL);
}
