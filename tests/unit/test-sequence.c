/* Unit tests of the correlator's sequence window: retries dropped, late arrivals kept, gaps found. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "correlator.h"

typedef struct {
	SequenceWindow window;
	GArray *gaps;
	uint64_t lost;
} Fixture;

static int
setup(void **state)
{
	Fixture *f = g_new0(Fixture, 1);
	sequence_window_init(&f->window);
	f->gaps = g_array_new(FALSE, FALSE, sizeof(SequenceGap));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	Fixture *f = *state;
	g_array_free(f->gaps, TRUE);
	g_free(f);
	return 0;
}

static SequenceVerdict
feed(Fixture *f, uint64_t seq)
{
	return sequence_window_accept(&f->window, seq, f->gaps, &f->lost);
}

static void
test_in_order_and_retries(void **state)
{
	Fixture *f = *state;
	for (uint64_t seq = 1; seq <= 200; seq++)
		assert_int_equal(feed(f, seq), SEQUENCE_NEW);
	/* INFORM retries of recent and old numbers */
	assert_int_equal(feed(f, 200), SEQUENCE_DUPLICATE);
	assert_int_equal(feed(f, 150), SEQUENCE_DUPLICATE);
	assert_int_equal(feed(f, 3), SEQUENCE_DUPLICATE);
	assert_int_equal(f->lost, 0);
	assert_int_equal(f->gaps->len, 0);
}

static void
test_baseline_is_the_first_number_seen(void **state)
{
	Fixture *f = *state;
	/* the correlator met this agent mid-life: nothing before 1000 is lost */
	assert_int_equal(feed(f, 1000), SEQUENCE_NEW);
	for (uint64_t seq = 1001; seq <= 1100; seq++)
		assert_int_equal(feed(f, seq), SEQUENCE_NEW);
	assert_int_equal(f->lost, 0);
}

static void
test_late_arrival_is_kept_not_lost(void **state)
{
	Fixture *f = *state;
	feed(f, 1);
	feed(f, 2);
	feed(f, 4); /* 3 overtaken, e.g. an inform retried after 4 got through */
	feed(f, 5);
	assert_int_equal(feed(f, 3), SEQUENCE_NEW);
	assert_int_equal(feed(f, 3), SEQUENCE_DUPLICATE);
	for (uint64_t seq = 6; seq <= 300; seq++)
		feed(f, seq);
	assert_int_equal(f->lost, 0);
}

static void
test_gap_declared_when_it_leaves_the_window(void **state)
{
	Fixture *f = *state;
	feed(f, 1);
	feed(f, 2);
	feed(f, 5); /* 3 and 4 missing, but may still come */
	for (uint64_t seq = 6; seq <= 66; seq++)
		feed(f, seq);
	assert_int_equal(f->lost, 0); /* 3 and 4 are still inside the window of 64 */
	feed(f, 67);
	assert_int_equal(f->lost, 1); /* 3 left the window (67 - 64) */
	feed(f, 68);
	assert_int_equal(f->lost, 2);
	assert_int_equal(f->gaps->len, 1);
	SequenceGap *gap = &g_array_index(f->gaps, SequenceGap, 0);
	assert_int_equal(gap->from, 3);
	assert_int_equal(gap->to, 4);
	/* too late now: it was counted lost, a late copy is not processed twice over */
	assert_int_equal(feed(f, 3), SEQUENCE_DUPLICATE);
}

static void
test_big_jump_is_one_bounded_gap(void **state)
{
	Fixture *f = *state;
	feed(f, 10);
	feed(f, 4000000000u); /* a storm of losses, or a hostile number: bounded work */
	/* the 63 numbers just below the new one are still in the window: not lost yet */
	assert_int_equal(f->lost, (4000000000u - 64) - 11 + 1);
	assert_int_equal(f->gaps->len, 1);
	SequenceGap *gap = &g_array_index(f->gaps, SequenceGap, 0);
	assert_int_equal(gap->from, 11);
	assert_int_equal(gap->to, 4000000000u - 64);
}

static void
test_restore_counts_everything_up_to_last_as_seen(void **state)
{
	Fixture *f = *state;
	sequence_window_restore(&f->window, 500);
	assert_int_equal(feed(f, 500), SEQUENCE_DUPLICATE);
	assert_int_equal(feed(f, 450), SEQUENCE_DUPLICATE);
	assert_int_equal(feed(f, 501), SEQUENCE_NEW);
	for (uint64_t seq = 502; seq <= 700; seq++)
		feed(f, seq);
	assert_int_equal(f->lost, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_in_order_and_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_baseline_is_the_first_number_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_arrival_is_kept_not_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_declared_when_it_leaves_the_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_big_jump_is_one_bounded_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_counts_everything_up_to_last_as_seen, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("sequence", tests, NULL, NULL);
}
