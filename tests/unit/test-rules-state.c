/* Unit tests of rule state save/restore (exactly-once) and of reloads keeping state. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules-test-util.h"

#define ALARM "alarm = { severity = \"critical\"; service = \"RAID\"; text = \"{count}\"; };"
#define C0V0  "Controller ID: 0 VD is now DEGRADED VD 0"
#define PD3   "Controller ID: 0 Rebuild automatically started on PD 03(e0xfc/s3)"
#define PD7   "Controller ID: 0 Unexpected sense: PD 07(e0xfc/s7)"

#define VD_RULE                                                                                    \
	" { name = \"vd\"; type = \"sequence\"; key = [\"controller\", \"vd\"]; within = "         \
	"\"10m\";\n"                                                                               \
	"   steps = ( { match = { id = 81; }; }, { followed_by = { id = 251; }; } );\n"            \
	"   " ALARM " clear = { id = 249; }; },\n"
#define RB_RULE                                                                                    \
	" { name = \"rb\"; type = \"sequence\"; key = [\"pd\"]; within = \"1h\";\n"                \
	"   steps = ( { match = { id = 106; }; }, { not_followed_by = { id = 100; }; } );\n"       \
	"   " ALARM " },\n"
#define ABSENCE_RULE                                                                               \
	" { name = \"inactive\"; type = \"absence\"; multiple = 3;\n"                              \
	"   alarm = { severity = \"critical\"; service = \"Heartbeat\"; text = \"{host}\"; }; }\n"
#define TH_RULE(count)                                                                             \
	" { name = \"th\"; type = \"threshold\"; key = [\"pd\"]; match = { id = 113; };\n"         \
	"   count = " count "; window = \"10m\"; bucket = \"1m\"; " ALARM " },\n"

static const char rules_v1[] =
    "lateness = \"30s\"; rules = (\n" VD_RULE RB_RULE TH_RULE("5") ABSENCE_RULE ");";
static const char rules_v2[] =
    "lateness = \"30s\"; rules = (\n" VD_RULE RB_RULE TH_RULE("6") ABSENCE_RULE ");";

/* Before the save point. */
static const TestStep first_half[] = {
    {'h', "h1", 0, 60},        {'e', "h1", 10, 81, C0V0},
    {'e', "h2", 11, 81, C0V0}, {'e', "h2", 12, 251, C0V0},
    {'e', "h1", 20, 106, PD3}, {'e', "h1", 21, 113, PD7},
    {'e', "h1", 22, 113, PD7}, {'e', "h1", 23, 113, PD7},
    {'e', "h1", 24, 113, PD7}, {'t', NULL, 30},
};

/* After it: every line depends on state saved above. */
static const TestStep second_half[] = {
    {'e', "h1", 40, 113, PD7, "raised th h1/p7 5"},
    {'e', "h1", 50, 251, C0V0, "raised vd h1/c0/v0 1"},
    {'e', "h2", 60, 249, C0V0, "cleared vd h2/c0/v0 1"},
    {'t', NULL, 200, 0, NULL, "raised inactive h1 1"},
    {'t', NULL, 3651, 0, NULL, "raised rb h1/p3 1|cleared th h1/p7 5"},
    {'h', "h1", 3700, 60, NULL, "cleared inactive h1 1"},
};

static void
run_steps(RulesEngine *engine, TestRecorder *recorder, const TestStep *steps, gsize n,
          gboolean check)
{
	for (gsize i = 0; i < n; i++) {
		g_autofree char *got = test_step_run(engine, recorder, &steps[i]);
		if (check && strcmp(got, steps[i].expect) != 0)
			fail_msg("step %zu: got \"%s\", want \"%s\"", i, got, steps[i].expect);
	}
}

static void
test_state_round_trip(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	g_autoptr(RulesEngine) original = test_engine_new(rules_v1, &recorder);
	run_steps(original, &recorder, first_half, G_N_ELEMENTS(first_half), FALSE);
	g_autoptr(GBytes) blob = rules_engine_save(original);
	assert_true(g_bytes_get_size(blob) < 1024);

	g_autoptr(RulesEngine) restored = test_engine_new(rules_v1, &recorder);
	g_autoptr(GError) error = NULL;
	assert_true(rules_engine_restore(restored, blob, &error));
	RulesEngineStats a, b;
	rules_engine_get_stats(original, &a);
	rules_engine_get_stats(restored, &b);
	assert_int_equal(a.keys, b.keys);
	assert_int_equal(a.open_alarms, b.open_alarms);
	run_steps(restored, &recorder, second_half, G_N_ELEMENTS(second_half), TRUE);
	run_steps(original, &recorder, second_half, G_N_ELEMENTS(second_half), TRUE);

	/* Save again after the second half: open alarms survive too. */
	g_autoptr(GBytes) blob2 = rules_engine_save(restored);
	g_autoptr(RulesEngine) again = test_engine_new(rules_v1, &recorder);
	assert_true(rules_engine_restore(again, blob2, NULL));
	TestStep clear = {'e', "h1", 100, 249, C0V0, "cleared vd h1/c0/v0 1"};
	run_steps(again, &recorder, &clear, 1, TRUE);
	test_recorder_clear(&recorder);
}

static void
test_state_restore_after_rule_change(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	g_autoptr(RulesEngine) original = test_engine_new(rules_v1, &recorder);
	run_steps(original, &recorder, first_half, G_N_ELEMENTS(first_half), FALSE);
	g_autoptr(GBytes) blob = rules_engine_save(original);

	/* "th" changed: its four counted events are forgotten; the others are kept. */
	g_autoptr(RulesEngine) changed = test_engine_new(rules_v2, &recorder);
	assert_true(rules_engine_restore(changed, blob, NULL));
	const TestStep steps[] = {
	    {'e', "h1", 40, 113, PD7, ""},
	    {'e', "h1", 50, 251, C0V0, "raised vd h1/c0/v0 1"},
	    {'t', NULL, 200, 0, NULL, "raised inactive h1 1"},
	};
	run_steps(changed, &recorder, steps, G_N_ELEMENTS(steps), TRUE);
	test_recorder_clear(&recorder);
}

static void
test_state_live_reload(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	g_autoptr(RulesEngine) engine = test_engine_new(rules_v1, &recorder);
	run_steps(engine, &recorder, first_half, G_N_ELEMENTS(first_half), FALSE);
	const TestStep raise = {'e', "h1", 40, 113, PD7, "raised th h1/p7 5"};
	run_steps(engine, &recorder, &raise, 1, TRUE);

	/* The changed rule's open alarm is cleared; unchanged rules carry on. */
	RulesSet *v2 = rules_set_new_from_data(rules_v2, "v2.conf", NULL);
	assert_non_null(v2);
	rules_engine_reload(engine, v2);
	g_autofree char *reload = test_recorder_take(&recorder);
	assert_string_equal(reload, "cleared th h1/p7 5");
	const TestStep after[] = {
	    {'e', "h1", 45, 113, PD7, ""},
	    {'e', "h1", 50, 251, C0V0, "raised vd h1/c0/v0 1"},
	};
	run_steps(engine, &recorder, after, G_N_ELEMENTS(after), TRUE);
	assert_string_equal(rules_set_get_name(rules_engine_get_rules(engine), 2), "th");

	/* Dropping a rule clears its alarms. */
	RulesSet *fewer =
	    rules_set_new_from_data("rules = (\n" RB_RULE ABSENCE_RULE ");", "f", NULL);
	assert_non_null(fewer);
	rules_engine_reload(engine, fewer);
	g_autofree char *dropped = test_recorder_take(&recorder);
	assert_true(strcmp(dropped, "cleared vd h1/c0/v0 1|cleared vd h2/c0/v0 1") == 0 ||
	            strcmp(dropped, "cleared vd h2/c0/v0 1|cleared vd h1/c0/v0 1") == 0);
	test_recorder_clear(&recorder);
}

static void
test_state_corrupt_blobs(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	g_autoptr(RulesEngine) original = test_engine_new(rules_v1, &recorder);
	run_steps(original, &recorder, first_half, G_N_ELEMENTS(first_half), FALSE);
	g_autoptr(GBytes) blob = rules_engine_save(original);
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(blob, &size);

	g_autoptr(RulesEngine) target = test_engine_new(rules_v1, &recorder);
	/* Every truncation is rejected and leaves no state. */
	for (gsize len = 0; len < size; len++) {
		g_autoptr(GBytes) cut = g_bytes_new(data, len);
		g_autoptr(GError) error = NULL;
		RulesEngineStats stats;
		if (rules_engine_restore(target, cut, &error))
			fail_msg("truncated blob of %zu bytes accepted", len);
		assert_true(g_error_matches(error, RULES_ERROR, RULES_ERROR_STATE));
		rules_engine_get_stats(target, &stats);
		assert_int_equal(stats.keys, 0);
	}
	/* Flipped bytes never crash (they may still decode). */
	g_autofree guint8 *copy = g_memdup2(data, size);
	for (gsize i = 4; i < size; i++) {
		copy[i] ^= 0xff;
		g_autoptr(GBytes) flipped = g_bytes_new(copy, size);
		(void)rules_engine_restore(target, flipped, NULL);
		copy[i] ^= 0xff;
	}
	g_autoptr(GBytes) extra = g_bytes_new("CHRS\x01\x00\x00", 7);
	assert_false(rules_engine_restore(target, extra, NULL));
	g_autoptr(GBytes) empty_ok = g_bytes_new("CHRS\x01\x00", 6);
	assert_true(rules_engine_restore(target, empty_ok, NULL));
	test_recorder_clear(&recorder);
}

static void
test_state_size_per_key(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	g_autoptr(RulesEngine) engine = test_engine_new(rules_v1, &recorder);
	for (guint host = 0; host < 1000; host++) {
		g_autofree char *name = g_strdup_printf("host%04u", host);
		TestStep steps[] = {{'e', name, 1600000000, 81, C0V0},
		                    {'h', name, 1600000000, 120}};
		run_steps(engine, &recorder, steps, G_N_ELEMENTS(steps), FALSE);
	}
	g_autoptr(GBytes) blob = rules_engine_save(engine);
	/* Two keys per host (vd and inactive): well under 100 bytes per key. */
	assert_true(g_bytes_get_size(blob) < 2000 * 100);
	test_recorder_clear(&recorder);
}

/* --- incremental persistence: one saved state per rule and key ----------------------- */

typedef struct {
	GHashTable *rows; /* "state id\tkey" -> GBytes; what the database would hold */
	guint calls;
} SavedRows;

static void
saved_rows_cb(const char *state_id, const char *key, const guint8 *state, gsize len,
              gpointer user_data)
{
	SavedRows *saved = user_data;
	saved->calls++;
	g_hash_table_replace(saved->rows, g_strdup_printf("%s\t%s", state_id, key),
	                     g_bytes_new(state, len));
}

static void
saved_rows_restore(const SavedRows *saved, RulesEngine *engine)
{
	GHashTableIter iter;
	gpointer row, bytes;
	g_hash_table_iter_init(&iter, saved->rows);
	while (g_hash_table_iter_next(&iter, &row, &bytes)) {
		g_autofree char *id = g_strndup(row, strcspn(row, "\t"));
		gsize len;
		const guint8 *data = g_bytes_get_data(bytes, &len);
		g_autoptr(GError) error = NULL;
		if (!rules_engine_restore_key(engine, id, data, len, FALSE, &error))
			fail_msg("restore of %s: %s", (const char *)row, error->message);
	}
}

static void
test_state_incremental_round_trip(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	SavedRows saved = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                         (GDestroyNotify)g_bytes_unref),
	                   0};
	g_autoptr(RulesEngine) original = test_engine_new(rules_v1, &recorder);
	/* saved in two commits, as the correlator does */
	run_steps(original, &recorder, first_half, 4, FALSE);
	rules_engine_save_changes(original, FALSE, saved_rows_cb, &saved);
	run_steps(original, &recorder, first_half + 4, G_N_ELEMENTS(first_half) - 4, FALSE);
	rules_engine_save_changes(original, FALSE, saved_rows_cb, &saved);
	/* keys: vd h1 and h2, rb h1/p3, th h1/p7, inactive h1 */
	assert_int_equal(g_hash_table_size(saved.rows), 5);

	g_autoptr(RulesEngine) restored = test_engine_new(rules_v1, &recorder);
	saved_rows_restore(&saved, restored);
	RulesEngineStats a, b;
	rules_engine_get_stats(original, &a);
	rules_engine_get_stats(restored, &b);
	assert_int_equal(a.keys, b.keys);
	assert_int_equal(a.open_alarms, b.open_alarms);
	/* a restored engine has nothing to write */
	saved.calls = 0;
	rules_engine_save_changes(restored, FALSE, saved_rows_cb, &saved);
	assert_int_equal(saved.calls, 0);
	run_steps(restored, &recorder, second_half, G_N_ELEMENTS(second_half), TRUE);
	rules_engine_save_changes(restored, FALSE, saved_rows_cb, &saved);
	saved.calls = 0;

	/* one event changes one key: one row written, not the whole state */
	TestStep one = {'e', "h9", 10, 81, C0V0, ""};
	run_steps(restored, &recorder, &one, 1, TRUE);
	rules_engine_save_changes(restored, FALSE, saved_rows_cb, &saved);
	assert_int_equal(saved.calls, 1);

	/* a rule whose definition changed does not take the old rows back */
	g_autoptr(RulesEngine) changed = test_engine_new(rules_v2, &recorder);
	saved_rows_restore(&saved, changed);
	RulesEngineStats c;
	rules_engine_get_stats(changed, &c);
	assert_int_equal(c.keys, 5); /* vd h1, h2 and h9, rb h1/p3, inactive h1: th is dropped */
	g_autoptr(GPtrArray) ids = rules_engine_get_state_ids(changed);
	assert_int_equal(ids->len, 4);
	g_autoptr(GPtrArray) old_ids = rules_engine_get_state_ids(original);
	guint unknown = 0;
	for (guint i = 0; i < old_ids->len; i++)
		unknown += !rules_engine_has_state_id(changed, g_ptr_array_index(old_ids, i));
	assert_int_equal(unknown, 1);
	g_hash_table_destroy(saved.rows);
	test_recorder_clear(&recorder);
}

static void
test_state_incremental_corrupt(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	SavedRows saved = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                         (GDestroyNotify)g_bytes_unref),
	                   0};
	g_autoptr(RulesEngine) original = test_engine_new(rules_v1, &recorder);
	run_steps(original, &recorder, first_half, G_N_ELEMENTS(first_half), FALSE);
	rules_engine_touch_all(original);
	rules_engine_save_changes(original, FALSE, saved_rows_cb, &saved);
	GHashTableIter iter;
	gpointer row, bytes;
	g_hash_table_iter_init(&iter, saved.rows);
	while (g_hash_table_iter_next(&iter, &row, &bytes)) {
		g_autofree char *id = g_strndup(row, strcspn(row, "\t"));
		gsize len;
		const guint8 *data = g_bytes_get_data(bytes, &len);
		for (gsize cut = 0; cut < len; cut++) {
			g_autoptr(RulesEngine) target = test_engine_new(rules_v1, &recorder);
			g_autoptr(GError) error = NULL;
			assert_false(rules_engine_restore_key(target, id, data, cut, FALSE, &error));
			assert_non_null(error);
			RulesEngineStats stats;
			rules_engine_get_stats(target, &stats);
			assert_int_equal(stats.open_alarms, 0);
		}
		/* unknown rule: skipped, not an error */
		g_autoptr(RulesEngine) target = test_engine_new(rules_v1, &recorder);
		assert_true(rules_engine_restore_key(target, "r:0000000000000000:gone", data, len,
		                                     FALSE, NULL));
	}
	g_hash_table_destroy(saved.rows);
	test_recorder_clear(&recorder);
}

/* An operator's clear (rules_engine_forget_alarm) is a change like any other: saved with the
 * next commit, so that a restart does not bring the forgotten alarm and its counts back. */
static void
test_state_forget_is_saved(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	SavedRows saved = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                         (GDestroyNotify)g_bytes_unref),
	                   0};
	static const TestStep raise[] = {
	    {'e', "h1", 21, 113, PD7, ""}, {'e', "h1", 22, 113, PD7, ""},
	    {'e', "h1", 23, 113, PD7, ""}, {'e', "h1", 24, 113, PD7, ""},
	    {'e', "h1", 25, 113, PD7, "raised th h1/p7 5"},
	};
	g_autoptr(RulesEngine) original = test_engine_new(rules_v1, &recorder);
	run_steps(original, &recorder, raise, G_N_ELEMENTS(raise), TRUE);
	rules_engine_save_changes(original, FALSE, saved_rows_cb, &saved);
	saved.calls = 0;
	assert_true(rules_engine_forget_alarm(original, "th", "h1/p7"));
	rules_engine_save_changes(original, FALSE, saved_rows_cb, &saved);
	assert_int_equal(saved.calls, 1);

	g_autoptr(RulesEngine) restored = test_engine_new(rules_v1, &recorder);
	saved_rows_restore(&saved, restored);
	RulesEngineStats stats;
	rules_engine_get_stats(restored, &stats);
	assert_int_equal(stats.open_alarms, 0);
	/* the counts went with it: one more event is one, not six */
	TestStep more = {'e', "h1", 26, 113, PD7, ""};
	run_steps(restored, &recorder, &more, 1, TRUE);
	g_hash_table_destroy(saved.rows);
	test_recorder_clear(&recorder);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state_round_trip),
	    cmocka_unit_test(test_state_restore_after_rule_change),
	    cmocka_unit_test(test_state_live_reload),
	    cmocka_unit_test(test_state_corrupt_blobs),
	    cmocka_unit_test(test_state_size_per_key),
	    cmocka_unit_test(test_state_incremental_round_trip),
	    cmocka_unit_test(test_state_incremental_corrupt),
	    cmocka_unit_test(test_state_forget_is_saved),
	};
	return cmocka_run_group_tests_name("rules-state", tests, NULL, NULL);
}
