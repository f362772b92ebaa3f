/* Sequence tracking per agent instance: drop INFORM retries, keep late arrivals, count losses. */
#include "config.h"

#include "correlator.h"

#define WINDOW_BITS 64

void
sequence_window_init(SequenceWindow *window)
{
	window->last = 0;
	window->seen = 0;
}

void
sequence_window_restore(SequenceWindow *window, uint64_t last)
{
	window->last = last;
	window->seen = UINT64_MAX;
}

/* Records the lost run @from..@to, merged with the previous run when adjacent. */
static void
gap_add(GArray *gaps, uint64_t from, uint64_t to, uint64_t *ret_lost)
{
	*ret_lost += to - from + 1;
	if (gaps == NULL)
		return;
	if (gaps->len > 0) {
		SequenceGap *tail = &g_array_index(gaps, SequenceGap, gaps->len - 1);
		if (tail->to + 1 == from) {
			tail->to = to;
			return;
		}
	}
	SequenceGap gap = {from, to};
	g_array_append_val(gaps, gap);
}

SequenceVerdict
sequence_window_accept(SequenceWindow *window, uint64_t seq, GArray *gaps, uint64_t *ret_lost)
{
	if (window->last == 0) {
		/* the first number seen is the baseline: nothing before it counts as lost */
		window->last = seq;
		window->seen = UINT64_MAX;
		return SEQUENCE_NEW;
	}
	if (seq > window->last) {
		uint64_t shift = seq - window->last;
		/* numbers leaving the window unseen are lost, oldest first */
		for (uint64_t i = WINDOW_BITS; i-- > 0;) {
			if (i + shift >= WINDOW_BITS && i < window->last &&
			    !(window->seen & ((uint64_t)1 << i)))
				gap_add(gaps, window->last - i, window->last - i, ret_lost);
		}
		/* numbers skipped so far that they never entered the window */
		uint64_t window_start = seq - (WINDOW_BITS - 1);
		if (seq > WINDOW_BITS - 1 && window_start > window->last + 1)
			gap_add(gaps, window->last + 1, window_start - 1, ret_lost);
		window->seen = shift >= WINDOW_BITS ? 0 : window->seen << shift;
		window->seen |= 1;
		window->last = seq;
		return SEQUENCE_NEW;
	}
	uint64_t age = window->last - seq;
	if (age >= WINDOW_BITS)
		return SEQUENCE_DUPLICATE; /* already declared lost or seen: too late either way */
	uint64_t bit = (uint64_t)1 << age;
	if (window->seen & bit)
		return SEQUENCE_DUPLICATE;
	window->seen |= bit;
	return SEQUENCE_NEW;
}
