/* test-log: level threshold, message capture, GLib routing and rate-limited complaints. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#include <cmocka.h>

#include "chopin-log.h"

typedef struct {
	ChopinLogLevel level;
	char *message;
} Captured;

static GArray *captured;
static gint64 fake_now;

static void
capture_cb(ChopinLogLevel level, const char *message, gpointer user_data)
{
	Captured entry = {level, g_strdup(message)};

	g_assert_true(user_data == &captured);
	g_array_append_val(captured, entry);
}

static gint64
fake_clock(void)
{
	return fake_now;
}

static void
captured_clear(gpointer data)
{
	g_free(((Captured *)data)->message);
}

static int
setup(void **state)
{
	captured = g_array_new(FALSE, TRUE, sizeof(Captured));
	g_array_set_clear_func(captured, captured_clear);
	fake_now = 1000 * G_TIME_SPAN_SECOND;
	chopin_log_set_sink(capture_cb, &captured);
	chopin_log_set_clock(fake_clock);
	chopin_log_set_threshold(CHOPIN_LOG_DEBUG);
	return 0;
}

static int
teardown(void **state)
{
	chopin_log_set_sink(NULL, NULL);
	chopin_log_set_clock(NULL);
	chopin_log_set_threshold(CHOPIN_LOG_MESSAGE);
	g_array_unref(captured);
	captured = NULL;
	return 0;
}

static const char *
captured_message(guint index)
{
	assert_true(index < captured->len);
	return g_array_index(captured, Captured, index).message;
}

static ChopinLogLevel
captured_level(guint index)
{
	assert_true(index < captured->len);
	return g_array_index(captured, Captured, index).level;
}

static void
test_levels_and_threshold(void **state)
{
	static const struct {
		ChopinLogLevel threshold;
		guint expected; /* messages passing out of the five levels */
	} cases[] = {
	    {CHOPIN_LOG_DEBUG, 5},   {CHOPIN_LOG_INFO, 4},  {CHOPIN_LOG_MESSAGE, 3},
	    {CHOPIN_LOG_WARNING, 2}, {CHOPIN_LOG_ERROR, 1},
	};

	assert_int_equal(chopin_log_get_threshold(), CHOPIN_LOG_DEBUG);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_array_set_size(captured, 0);
		chopin_log_set_threshold(cases[i].threshold);
		assert_int_equal(chopin_log_get_threshold(), cases[i].threshold);
		for (ChopinLogLevel level = CHOPIN_LOG_DEBUG; level <= CHOPIN_LOG_ERROR; level++)
			chopin_log(level, "%s %d", chopin_log_level_name(level), 42);
		assert_int_equal(captured->len, cases[i].expected);
		/* the most severe always comes last and intact */
		assert_string_equal(captured_message(captured->len - 1), "error 42");
		assert_int_equal(captured_level(captured->len - 1), CHOPIN_LOG_ERROR);
		assert_int_equal(captured_level(0), cases[i].threshold);
	}
}

static void
test_level_names(void **state)
{
	static const char *const names[] = {"debug", "info", "message", "warning", "error"};
	ChopinLogLevel level = CHOPIN_LOG_ERROR;

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		assert_string_equal(chopin_log_level_name((ChopinLogLevel)i), names[i]);
		assert_true(chopin_log_level_from_name(names[i], &level));
		assert_int_equal(level, (ChopinLogLevel)i);
	}
	level = CHOPIN_LOG_INFO;
	assert_false(chopin_log_level_from_name("verbose", &level));
	assert_false(chopin_log_level_from_name("", &level));
	assert_false(chopin_log_level_from_name(NULL, &level));
	assert_false(chopin_log_level_from_name("DEBUG", &level));
	assert_int_equal(level, CHOPIN_LOG_INFO);
	assert_int_equal(chopin_log_facility_from_name("daemon"), LOG_DAEMON);
	assert_int_equal(chopin_log_facility_from_name("user"), LOG_USER);
	assert_int_equal(chopin_log_facility_from_name("local0"), LOG_LOCAL0);
	assert_int_equal(chopin_log_facility_from_name("local7"), LOG_LOCAL7);
	assert_int_equal(chopin_log_facility_from_name("kern"), -1);
	assert_int_equal(chopin_log_facility_from_name(NULL), -1);
}

static void
test_glib_capture(void **state)
{
	chopin_log_capture_glib();
	g_log("chopin-test", G_LOG_LEVEL_DEBUG, "debug from %s", "glib");
	g_log("chopin-test", G_LOG_LEVEL_INFO, "info");
	g_log("chopin-test", G_LOG_LEVEL_MESSAGE, "message");
	g_log(NULL, G_LOG_LEVEL_WARNING, "warning without domain");
	assert_int_equal(captured->len, 4);
	assert_string_equal(captured_message(0), "chopin-test: debug from glib");
	assert_int_equal(captured_level(0), CHOPIN_LOG_DEBUG);
	assert_int_equal(captured_level(1), CHOPIN_LOG_INFO);
	assert_int_equal(captured_level(2), CHOPIN_LOG_MESSAGE);
	assert_string_equal(captured_message(3), "warning without domain");
	assert_int_equal(captured_level(3), CHOPIN_LOG_WARNING);
	g_log_set_default_handler(g_log_default_handler, NULL);
}

/* One step of a complaint scenario: at time t (seconds since start), either complain or
 * release; what must be logged (NULL: nothing). */
typedef struct {
	gint64 t;
	gboolean release;
	const char *logged;
} ComplaintStep;

static void
run_complaint_steps(const ComplaintStep *steps, gsize n_steps)
{
	ChopinComplaint complaint = CHOPIN_COMPLAINT_INIT;
	gint64 start = fake_now;

	for (gsize i = 0; i < n_steps; i++) {
		guint before = captured->len;
		gboolean logged;

		fake_now = start + steps[i].t * G_TIME_SPAN_SECOND;
		print_message("# step %" G_GSIZE_FORMAT " at %" G_GINT64_FORMAT "s\n", i,
		              steps[i].t);
		if (steps[i].release)
			logged = chopin_complaint_release(&complaint, CHOPIN_LOG_MESSAGE,
			                                  "database %s reachable again", "db1");
		else
			logged = chopin_complain(&complaint, CHOPIN_LOG_WARNING,
			                         "database %s unreachable", "db1");
		assert_int_equal(logged, steps[i].logged != NULL);
		if (steps[i].logged == NULL) {
			assert_int_equal(captured->len, before);
			continue;
		}
		assert_int_equal(captured->len, before + 1);
		assert_string_equal(captured_message(before), steps[i].logged);
		assert_int_equal(captured_level(before),
		                 steps[i].release ? CHOPIN_LOG_MESSAGE : CHOPIN_LOG_WARNING);
	}
}

static void
test_complaint_backoff(void **state)
{
	static const ComplaintStep steps[] = {
	    {0, FALSE, "database db1 unreachable"},
	    {1, FALSE, NULL},
	    {5, FALSE, NULL},
	    {9, FALSE, NULL},
	    /* 10 s after the first: logged, interval now 20 s */
	    {10, FALSE, "database db1 unreachable (3 similar messages suppressed)"},
	    {29, FALSE, NULL},
	    /* 20 s later: logged, interval now 40 s */
	    {30, FALSE, "database db1 unreachable (1 similar message suppressed)"},
	    {69, FALSE, NULL},
	    {70, FALSE, "database db1 unreachable (1 similar message suppressed)"},
	    /* nothing in between: no suppression note */
	    {150, FALSE, "database db1 unreachable"},
	    {151, FALSE, NULL},
	    {200, TRUE, "database db1 reachable again after 11 failures"},
	    /* released twice: the second is silent */
	    {201, TRUE, NULL},
	    /* a new outage starts over with a 10 s interval */
	    {300, FALSE, "database db1 unreachable"},
	    {305, FALSE, NULL},
	    {310, FALSE, "database db1 unreachable (1 similar message suppressed)"},
	    {311, TRUE, "database db1 reachable again after 3 failures"},
	};

	run_complaint_steps(steps, G_N_ELEMENTS(steps));
}

static void
test_complaint_single_failure(void **state)
{
	static const ComplaintStep steps[] = {
	    {0, TRUE, NULL},
	    {0, FALSE, "database db1 unreachable"},
	    {0, TRUE, "database db1 reachable again after 1 failure"},
	};

	run_complaint_steps(steps, G_N_ELEMENTS(steps));
}

static void
test_complaint_max_interval(void **state)
{
	ChopinComplaint complaint = CHOPIN_COMPLAINT_INIT;
	gint64 logged_at[32];
	guint n_logged = 0;

	/* complain every minute for ten days: the interval doubles from 10 s to one day */
	for (gint64 minute = 0; minute < 10 * 24 * 60; minute++) {
		fake_now = minute * 60 * G_TIME_SPAN_SECOND;
		if (chopin_complain(&complaint, CHOPIN_LOG_WARNING, "flood")) {
			assert_true(n_logged < G_N_ELEMENTS(logged_at));
			logged_at[n_logged++] = minute;
		}
		assert_true(complaint.interval <= CHOPIN_COMPLAINT_MAX_INTERVAL);
	}
	assert_int_equal(complaint.interval, CHOPIN_COMPLAINT_MAX_INTERVAL);
	assert_int_equal(complaint.occurrences, 10 * 24 * 60);
	/* the last two logged lines are one day apart */
	assert_true(n_logged >= 3);
	assert_int_equal(logged_at[n_logged - 1] - logged_at[n_logged - 2], 24 * 60);
	/* 0 min, then every interval rounded up to whole minutes: 10 s, 20 s, 40 s, 80 s ... */
	assert_int_equal(logged_at[0], 0);
	assert_int_equal(logged_at[1], 1);
	assert_int_equal(logged_at[2], 2);
	assert_int_equal(logged_at[3], 3);
	assert_int_equal(logged_at[4], 5);
}

static void
test_complaint_below_threshold(void **state)
{
	ChopinComplaint complaint = CHOPIN_COMPLAINT_INIT;

	/* a complaint under the threshold still counts, so the release reports it */
	chopin_log_set_threshold(CHOPIN_LOG_ERROR);
	assert_true(chopin_complain(&complaint, CHOPIN_LOG_WARNING, "quiet"));
	assert_int_equal(captured->len, 0);
	assert_int_equal(complaint.occurrences, 1);
	assert_true(chopin_complaint_release(&complaint, CHOPIN_LOG_ERROR, "back"));
	assert_int_equal(captured->len, 1);
	assert_string_equal(captured_message(0), "back after 1 failure");
	assert_int_equal(complaint.interval, 0);
	assert_int_equal(complaint.occurrences, 0);
}

static void
test_stderr_default(void **state)
{
	/* without a sink, messages go to stderr; only checks nothing crashes and the sink is
	 * really bypassed */
	chopin_log_set_sink(NULL, NULL);
	chopin_log_open("test-log", TRUE, LOG_USER);
	chopin_log(CHOPIN_LOG_DEBUG, "to stderr %s", "ok");
	chopin_log_close();
	chopin_log_set_sink(capture_cb, &captured);
	assert_int_equal(captured->len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_levels_and_threshold, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_level_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_glib_capture, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_complaint_backoff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_complaint_single_failure, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_complaint_max_interval, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_complaint_below_threshold, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stderr_default, setup, teardown),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
