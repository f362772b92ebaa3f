/* Unit tests of the rule engine: table-driven scripts of events, heartbeats and ticks. */
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
#define C0V1  "Controller ID: 0 VD is now DEGRADED VD 1"
#define C1V0  "Controller ID: 1 VD is now DEGRADED VD 0"
#define PD3   "Controller ID: 0 Rebuild automatically started on PD 03(e0xfc/s3)"
#define PD4   "Controller ID: 0 Rebuild automatically started on PD 04(e0xfc/s4)"
#define PD3OK "Controller ID: 0 Rebuild complete on PD 03(e0xfc/s3)"
#define PD7   "Controller ID: 0 Unexpected sense: PD 07(e0xfc/s7) Path 5000c500"

static const char vd_rules[] =
    "filter_default = \"drop\"; lateness = \"30s\";\n"
    "rules = ( { name = \"vd\"; type = \"sequence\"; key = [\"host\", \"controller\", \"vd\"];\n"
    "  within = \"10m\";\n"
    "  steps = ( { match = { id = 81; }; }, { followed_by = { id = [250, 251]; }; } );\n"
    "  " ALARM "\n  clear = ( { id = [249, 99]; } ); } );";

static const char rebuild_rules[] =
    "filter_default = \"drop\"; lateness = \"30s\";\n"
    "rules = ( { name = \"rb\"; type = \"sequence\"; key = [\"pd\"]; within = \"1h\";\n"
    "  steps = ( { match = { id = 106; }; }, { not_followed_by = { id = 100; }; } );\n"
    "  " ALARM "\n  clear = { id = 100; }; },\n"
    " { name = \"mid\"; type = \"sequence\"; key = [\"controller\", \"vd\"]; within = \"5m\";\n"
    "  steps = ( { match = { id = 81; }; }, { not_followed_by = { id = 249; }; },\n"
    "            { followed_by = { id = 251; }; } );\n"
    "  " ALARM " } );";

static const char threshold_rules[] =
    "filter_default = \"drop\";\n"
    "rules = ( { name = \"th\"; type = \"threshold\"; key = [\"pd\"]; match = { id = 113; };\n"
    "  count = 5; clear_below = 2; window = \"10m\"; bucket = \"1m\";\n"
    "  " ALARM " } );";

static const char absence_rules[] =
    "filter_default = \"drop\";\n"
    "rules = ( { name = \"inactive\"; type = \"absence\"; multiple = 3;\n"
    "  alarm = { severity = \"critical\"; service = \"Heartbeat\"; text = \"{host}\"; }; } );";

static const char filter_rules[] =
    "rules = (\n"
    " { name = \"noise\"; type = \"filter\"; action = \"drop\";\n"
    "   match = { id = (35, 39, \"58-66\"); level = [\"information\"]; }; },\n"
    " { name = \"loud\"; type = \"filter\"; action = \"drop\";\n"
    "   match = { id = 36; level = \"warning\"; }; },\n"
    " { name = \"whea\"; type = \"filter\"; action = \"keep\";\n"
    "   match = { source = [\"WHEA-Logger\", \"Microsoft-Windows-WHEA-Logger\"]; }; },\n"
    " { name = \"lab\"; type = \"filter\"; action = \"drop\"; match = { host = \"lab-*\"; }; },\n"
    " { name = \"patrol\"; type = \"filter\"; action = \"drop\";\n"
    "   match = { message = \"^Patrol\"; }; } );";

typedef struct {
	const char *name;
	const char *rules;
	TestStep steps[24];
} Scenario;

static const Scenario scenarios[] = {
    {"sequence with interleaving keys and clearing",
     vd_rules,
     {{'e', "h1", 100, 81, C0V0, ""},
      {'e', "h2", 101, 81, C0V0, ""},
      {'e', "h1", 102, 81, C0V1, ""},
      {'e', "h2", 150, 251, C0V1, ""}, /* h2 VD 1 never started */
      {'e', "h1", 151, 251, C1V0, ""}, /* other controller */
      {'e', "h1", 160, 251, C0V0, "raised vd h1/c0/v0 1"},
      {'e', "h2", 170, 250, C0V0, "raised vd h2/c0/v0 1"},
      {'e', "h1", 200, 251, C0V0, ""}, /* chain consumed */
      {'e', "h1", 210, 81, C0V0, ""},
      {'e', "h1", 220, 251, C0V0, "updated vd h1/c0/v0 2"},
      {'e', "h1", 300, 249, C0V0, "cleared vd h1/c0/v0 2"},
      {'e', "h1", 310, 99, "Controller ID: 0 Rebuild complete on VD 01/1", ""},
      {'e', "h1", 320, 251, C0V1, "raised vd h1/c0/v1 1"},
      {'e', "h1", 330, 99, "Controller ID: 0 Rebuild complete on VD 01/1", "cleared vd h1/c0/v1 1"},
      {'e', "h3", 340, 251, "VD is now DEGRADED", ""}, /* no controller: not keyed */
      {0}}},
    {"sequence window expires",
     vd_rules,
     {{'e', "h1", 1000, 81, C0V0, ""},
      {'e', "h1", 1601, 251, C0V0, ""}, /* 601 s > 10m */
      {'e', "h1", 1700, 81, C0V0, ""},
      {'e', "h1", 2300, 251, C0V0, "raised vd h1/c0/v0 1"}, /* exactly 10m */
      {'e', "h1", 2400, 81, C0V0, ""},
      {'e', "h1", 2500, 81, C0V0, ""}, /* a later start restarts the window */
      {'e', "h1", 3050, 251, C0V0, "updated vd h1/c0/v0 2"},
      {0}}},
    {"out-of-order events within the lateness tolerance",
     vd_rules,
     {{'e', "h1", 500, 251, C0V0, "", NULL, 500},
      {'e', "h1", 490, 81, C0V0, "raised vd h1/c0/v0 1", NULL, 501},
      {'e', "h2", 1000, 251, C0V0, "", NULL, 1000},
      {'e', "h2", 960, 81, C0V0, "", NULL, 1001}, /* 40 s late > 30 s: ignored */
      {'e', "h3", 2000, 81, C0V0, "", NULL, 2000},
      {'e', "h3", 1990, 251, C0V0, "", NULL, 2001}, /* before its 81 in event time */
      {'e', "h3", 2010, 251, C0V0, "raised vd h3/c0/v0 1", NULL, 2010},
      {'e', "h4", 3000, 251, C0V0, "", NULL, 3000},
      {'e', "h4", 3000, 81, C0V0, "", NULL, 3000}, /* same second: arrival order rules */
      {'e', "h4", 3000, 251, C0V0, "raised vd h4/c0/v0 1", NULL, 3000},
      {0}}},
    {"not followed by, trailing and in the middle",
     rebuild_rules,
     {{'e', "h1", 0, 106, PD3, ""},
      {'e', "h1", 100, 100, PD3OK, ""}, /* completed: cancelled */
      {'t', NULL, 4000, 0, NULL, ""},
      {'e', "h1", 5000, 106, PD3, ""},
      {'t', NULL, 8629, 0, NULL, ""}, /* due at 5000 + 1h + 30 s */
      {'t', NULL, 8630, 0, NULL, "raised rb h1/p3 1"},
      {'t', NULL, 9000, 0, NULL, ""},
      {'e', "h1", 9000, 100, PD3OK, "cleared rb h1/p3 1"},
      {'e', "h2", 10000, 106, PD4, ""},
      {'e', "h2", 13631, 106, PD4, "raised rb h2/p4 1"}, /* passed in event time */
      {'t', NULL, 13700, 0, NULL, ""},                   /* the old deadline is stale */
      {'e', "h1", 20000, 81, C0V0, ""},
      {'e', "h1", 20010, 249, C0V0, ""},
      {'e', "h1", 20020, 251, C0V0, ""}, /* broken by the 249 */
      {'e', "h1", 20100, 81, C0V0, ""},
      {'e', "h1", 20110, 251, C0V0, "raised mid h1/c0/v0 1"},
      {0}}},
    {"threshold edges, bucket precision and decay",
     threshold_rules,
     {{'e', "h1", 0, 113, PD7, ""},
      {'e', "h1", 10, 113, PD7, ""},
      {'e', "h1", 20, 113, PD7, ""},
      {'e', "h1", 30, 113, PD7, ""},                  /* N - 1 */
      {'e', "h1", 40, 113, PD7, "raised th h1/p7 5"}, /* N */
      {'e', "h1", 50, 113, PD7, "updated th h1/p7 6"},
      {'t', NULL, 599, 0, NULL, ""},
      {'t', NULL, 600, 0, NULL, "cleared th h1/p7 6"}, /* bucket 0 left the window */
      {'e', "h2", 0, 113, PD7, ""},
      {'e', "h2", 1, 113, PD7, ""},
      {'e', "h2", 2, 113, PD7, ""},
      {'e', "h2", 3, 113, PD7, ""},
      {'e', "h2", 599, 113, PD7, "raised th h2/p7 5"}, /* last bucket of the window */
      {'e', "h3", 59, 113, PD7, ""},
      {'e', "h3", 59, 113, PD7, ""},
      {'e', "h3", 59, 113, PD7, ""},
      {'e', "h3", 59, 113, PD7, ""},
      {'e', "h3", 600, 113, PD7, ""}, /* 541 s apart but buckets 0 and 10: precision */
      {'e', "h3", 1300, 113, PD7, ""},
      {'e', "h3", 100, 113, PD7, ""}, /* older than the window: ignored */
      {0}}},
    {"absence on the receiver's clock",
     absence_rules,
     {{'h', "h1", 0, 60, NULL, ""},
      {'t', NULL, 180, 0, NULL, ""},
      {'t', NULL, 181, 0, NULL, "raised inactive h1 1"},
      {'t', NULL, 200, 0, NULL, ""},
      {'h', "h1", 250, 60, NULL, "cleared inactive h1 1"},
      {'t', NULL, 400, 0, NULL, ""},
      {'h', "h2", 400, 300, NULL, ""},
      {'t', NULL, 1301, 0, NULL, "raised inactive h1 1|raised inactive h2 1"},
      {0}}},
    /* An operator cleared the alarm (chopinctl alarms clear): the engine forgets it and its
     * evidence; only new events raise it again, as a new alarm, never at once. */
    {"operator clear: a new sequence raises a new alarm",
     vd_rules,
     {{'e', "h1", 100, 81, C0V0, ""},
      {'e', "h1", 160, 251, C0V0, "raised vd h1/c0/v0 1"},
      {'f', "h1/c0/v0", 0, 0, "vd", "forgot vd h1/c0/v0"},
      {'f', "h1/c0/v0", 0, 0, "vd", ""}, /* closed already */
      {'f', "h2/c0/v0", 0, 0, "vd", ""}, /* no such key */
      {'f', "h1/c0/v0", 0, 0, "nosuch", ""},
      {'e', "h1", 200, 251, C0V0, ""}, /* no chain: nothing */
      {'e', "h1", 210, 81, C0V0, ""},
      {'e', "h1", 220, 251, C0V0, "raised vd h1/c0/v0 1"}, /* not "updated ... 2" */
      {'e', "h1", 300, 249, C0V0, "cleared vd h1/c0/v0 1"},
      {0}}},
    {"operator clear: a threshold counts afresh",
     threshold_rules,
     {{'e', "h1", 0, 113, PD7, ""},
      {'e', "h1", 10, 113, PD7, ""},
      {'e', "h1", 20, 113, PD7, ""},
      {'e', "h1", 30, 113, PD7, ""},
      {'e', "h1", 40, 113, PD7, "raised th h1/p7 5"},
      {'f', "h1/p7", 0, 0, "th", "forgot th h1/p7"},
      {'e', "h1", 50, 113, PD7, ""}, /* the old four do not count: no re-raise */
      {'e', "h1", 60, 113, PD7, ""},
      {'e', "h1", 70, 113, PD7, ""},
      {'e', "h1", 80, 113, PD7, ""},
      {'t', NULL, 90, 0, NULL, ""},
      {'e', "h1", 90, 113, PD7, "raised th h1/p7 5"}, /* five new ones */
      {0}}},
    {"operator clear: an absent host is not flagged again until it came back",
     absence_rules,
     {{'h', "h1", 0, 60, NULL, ""},
      {'t', NULL, 181, 0, NULL, "raised inactive h1 1"},
      {'f', "h1", 0, 0, "inactive", "forgot inactive h1"},
      {'t', NULL, 300, 0, NULL, ""}, /* still silent, but not raised again at once */
      {'t', NULL, 3000, 0, NULL, ""},
      {'h', "h1", 4000, 60, NULL, ""}, /* back: nothing to clear */
      {'t', NULL, 4180, 0, NULL, ""},
      {'t', NULL, 4181, 0, NULL, "raised inactive h1 1"}, /* gone again */
      {0}}},
    {"filters: first match wins",
     filter_rules,
     {{'e', "h1", 0, 35, "", ""},
      {'e', "h1", 0, 81, "", "kept -"},
      {'e', "h1", 0, 36, "", "kept -"}, /* level does not match */
      {'e', "h1", 0, 60, "", ""},       /* range 58-66 */
      {'e', "h1", 0, 67, "", "kept -"},
      {'e', "lab-1", 0, 81, "", ""},
      {'e', "lab-1", 0, 19, "", "kept whea", "WHEA-Logger"},
      {'e', "h1", 0, 40, "Patrol Read progress", ""},
      {'e', "h1", 0, 40, "Read Patrol", "kept -"},
      {0}}},
};

static int
compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_engine_scenarios(void **state)
{
	for (gsize s = 0; s < G_N_ELEMENTS(scenarios); s++) {
		TestRecorder recorder;
		test_recorder_init(&recorder);
		recorder.record_kept = TRUE;
		g_autoptr(RulesEngine) engine = test_engine_new(scenarios[s].rules, &recorder);
		for (gsize i = 0; scenarios[s].steps[i].op != 0; i++) {
			const TestStep *step = &scenarios[s].steps[i];
			g_autofree char *got = test_step_run(engine, &recorder, step);
			if (step->op == 't') {
				/* A tick visits keys in table order: compare sorted. */
				g_auto(GStrv) parts = g_strsplit(got, "|", -1);
				qsort(parts, g_strv_length(parts), sizeof(char *), compare_strings);
				g_free(got);
				got = g_strjoinv("|", parts);
			}
			if (strcmp(got, step->expect) != 0)
				fail_msg("%s, step %zu: got \"%s\", want \"%s\"", scenarios[s].name,
				         i, got, step->expect);
		}
		test_recorder_clear(&recorder);
	}
}

static void
test_engine_late_stats_and_default_drop(void **state)
{
	TestRecorder recorder;
	RulesEngineStats stats;
	test_recorder_init(&recorder);
	recorder.record_kept = TRUE;
	g_autoptr(RulesEngine) engine = test_engine_new(vd_rules, &recorder);
	TestStep steps[] = {
	    {'e', "h2", 1000, 251, C0V0, ""},
	    {'e', "h2", 960, 81, C0V0, ""},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(steps); i++)
		g_free(test_step_run(engine, &recorder, &steps[i]));
	rules_engine_get_stats(engine, &stats);
	assert_int_equal(stats.events, 2);
	assert_int_equal(stats.late, 1);
	assert_int_equal(stats.keys, 1);
	assert_int_equal(stats.open_alarms, 0);
	test_recorder_clear(&recorder);
}

static void
test_engine_texts(void **state)
{
	TestRecorder recorder;
	test_recorder_init(&recorder);
	g_autoptr(GError) error = NULL;
	RulesSet *rules = rules_set_new_from_file(RULES_CONF, &error);
	if (rules == NULL)
		fail_msg("%s", error->message);
	g_autoptr(RulesEngine) engine = rules_engine_new(rules, test_recorder_cb, &recorder);

	/* The seed: 3032 corrected errors every 199 s; the alarm opens at the 1000th. */
	for (gint64 i = 0; i < 1000; i++) {
		TestStep step = {'e',
		                 "CERNDATA20",
		                 1570620360 + i * 199,
		                 19,
		                 "A corrected hardware error has occurred.",
		                 NULL,
		                 "Microsoft-Windows-WHEA-Logger"};
		g_autofree char *got = test_step_run(engine, &recorder, &step);
		assert_string_equal(got, i < 999 ? ""
		                                 : "raised memory-corrected-errors "
		                                   "CERNDATA20 1000");
	}
	assert_string_equal(
	    g_ptr_array_index(recorder.texts, 0),
	    "1000 in 7d: A corrected hardware error has occurred. Component: Memory");

	const TestStep vd[] = {
	    {'e', "CERNVS08", 100, 81,
	     "Controller ID: 0 State change on VD 00/0 from OPTIMAL(3) to DEGRADED(2)"},
	    {'e', "CERNVS08", 101, 251, "Controller ID: 0 VD is now DEGRADED VD 0"},
	    {'e', "CERNVS08", 102, 114,
	     "Controller ID: 0 State change on PD 03(e0xfc/s3) from ONLINE(18) to FAILED(11)"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(vd); i++)
		g_free(test_step_run(engine, &recorder, &vd[i]));
	assert_string_equal(g_ptr_array_index(recorder.texts, 1),
	                    "Virtual drive 0 on controller 0 is degraded: Controller ID: 0 VD is "
	                    "now DEGRADED VD 0");
	assert_string_equal(g_ptr_array_index(recorder.texts, 2),
	                    "Drive 252:3 on controller 0 failed: Controller ID: 0 State change on "
	                    "PD 03(e0xfc/s3) from ONLINE(18) to FAILED(11)");
	test_recorder_clear(&recorder);
}

/* The shipped rules on the seeds' event sequences. */
static void
test_engine_shipped_rules(void **state)
{
	static const TestStep steps[] = {
	    {'e', "S1", 1000, 114,
	     "Controller ID: 0 State change on PD 03(e0xfc/s3) from ONLINE(18) to FAILED(11)",
	     "raised pd-failed S1/c0/e252/s3 1"},
	    {'e', "S1", 1001, 114,
	     "Controller ID: 0 State change on PD 03(e0xfc/s3) from FAILED(11) to "
	     "UNCONFIGURED_BAD(1)",
	     ""},
	    {'e', "S1", 1002, 81,
	     "Controller ID: 0 State change on VD 00/0 from OPTIMAL(3) to PARTIALLY DEGRADED(1)",
	     ""},
	    {'e', "S1", 1002, 250, "Controller ID: 0 VD is now PARTIALLY DEGRADED VD 0",
	     "raised vd-degraded S1/c0/v0 1"},
	    {'e', "S1", 1100, 106,
	     "Controller ID: 0 Rebuild automatically started on PD 03(e0xfc/s3)", ""},
	    {'e', "S1", 9000, 100, "Controller ID: 0 Rebuild complete on PD 03(e0xfc/s3)", ""},
	    {'e', "S1", 9001, 99, "Controller ID: 0 Rebuild complete on VD 00/0",
	     "cleared vd-degraded S1/c0/v0 1"},
	    {'e', "S2", 1000, 106,
	     "Controller ID: 1 Rebuild automatically started on PD 05(e0xfc/s5)", ""},
	    {'t', NULL, 1000 + 2 * 86400 + 60, 0, NULL, "raised rebuild-started S2/c1/p5 1"},
	    {'e', "S2", 200000, 102,
	     "Controller ID: 1 Rebuild failed on PD 05(e0xfc/s5) due to target drive error",
	     "cleared rebuild-started S2/c1/p5 1|raised rebuild-failed S2/c1 1"},
	    {'e', "S1", 200001, 247, "Controller ID: 0 Inserted: PD 03(e0xfc/s3) Info: enclPd=fc",
	     "cleared pd-failed S1/c0/e252/s3 1"},
	    {'e', "S2", 200002, 100, "Controller ID: 1 Rebuild complete on PD 05(e0xfc/s5)",
	     "cleared rebuild-failed S2/c1 1"},
	    {'e', "S3", 1000, 148, "Controller ID: 0 Battery is discharging",
	     "raised battery-failure S3/c0 1"},
	    {'e', "S3", 1001, 96, "Controller ID: 0 Predictive failure: PD 0a(e0xfc/s10)",
	     "raised pd-predictive-failure S3/c0/e252/s10 1"},
	    {'e', "S3", 1002, 281,
	     "Controller ID: 0 CopyBack automatically started on PD 0a(e0xfc/s10)", ""},
	    {'e', "S3", 5000, 278, "Controller ID: 0 CopyBack complete on PD 0a(e0xfc/s10)", ""},
	    {'e', "S4", 1000, 41, "The system has rebooted without cleanly shutting down first.",
	     "raised unexpected-shutdown S4 1", "Microsoft-Windows-Kernel-Power"},
	    {'e', "S4", 1000, 6008, "The previous system shutdown was unexpected.",
	     "updated unexpected-shutdown S4 2", "EventLog"},
	    {'e', "S5", 1000, 20, "Installation Failure: Windows failed to install KB4524104",
	     "raised update-install-failed S5 1", "Microsoft-Windows-WindowsUpdateClient"},
	    {'e', "S5", 2000, 19, "Installation Successful: KB4524104",
	     "cleared update-install-failed S5 1", "Microsoft-Windows-WindowsUpdateClient"},
	    {'e', "S6", 1000, 35, "Patrol Read complete", ""},
	};
	TestRecorder recorder;
	test_recorder_init(&recorder);
	recorder.record_kept = FALSE;
	g_autoptr(GError) error = NULL;
	RulesSet *rules = rules_set_new_from_file(RULES_CONF, &error);
	if (rules == NULL)
		fail_msg("%s", error->message);
	g_autoptr(RulesEngine) engine = rules_engine_new(rules, test_recorder_cb, &recorder);
	for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autofree char *got = test_step_run(engine, &recorder, &steps[i]);
		if (strcmp(got, steps[i].expect) != 0)
			fail_msg("step %zu: got \"%s\", want \"%s\"", i, got, steps[i].expect);
	}
	/* A burst of 50 errors on one drive within the hour; inactive servers. */
	for (gint64 i = 0; i < 50; i++) {
		TestStep sense = {'e', "S7", 1000 + i * 60, i % 3 == 0 ? 113 : 267,
		                  "Controller ID: 0 Command timeout on PD 07(e0xfc/s7)"};
		g_autofree char *got = test_step_run(engine, &recorder, &sense);
		assert_string_equal(got, i < 49 ? "" : "raised pd-error-burst S7/c0/p7 50");
	}
	TestStep heartbeat = {'h', "VMAPP003", 4000, 120};
	g_free(test_step_run(engine, &recorder, &heartbeat));
	TestStep tick = {'t', NULL, 4361};
	g_autofree char *inactive = test_step_run(engine, &recorder, &tick);
	assert_string_equal(inactive, "raised inactive-server VMAPP003 1");
	assert_string_equal(g_ptr_array_index(recorder.texts, recorder.texts->len - 1),
	                    "Inactive servers: VMAPP003 (no heartbeat for 3 intervals)");
	test_recorder_clear(&recorder);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_engine_scenarios),
	    cmocka_unit_test(test_engine_late_stats_and_default_drop),
	    cmocka_unit_test(test_engine_texts),
	    cmocka_unit_test(test_engine_shipped_rules),
	};
	return cmocka_run_group_tests_name("rules-engine", tests, NULL, NULL);
}
