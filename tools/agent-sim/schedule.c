/* schedule.c: the heartbeat schedule, a binary min-heap of hosts keyed by their next heartbeat
 * offset. */
#include "config.h"

#include <stdlib.h>

#include "agent-sim.h"

#define SCHEDULE_ABSENT SIZE_MAX

/* Whether slot a sorts before slot b: earlier key, then lower item (deterministic). */
static bool
schedule_before(const SimSchedule *schedule, size_t a, size_t b)
{
	size_t item_a = schedule->heap[a], item_b = schedule->heap[b];

	if (schedule->keys[item_a] != schedule->keys[item_b])
		return schedule->keys[item_a] < schedule->keys[item_b];
	return item_a < item_b;
}

static void
schedule_swap(SimSchedule *schedule, size_t a, size_t b)
{
	size_t item = schedule->heap[a];

	schedule->heap[a] = schedule->heap[b];
	schedule->heap[b] = item;
	schedule->positions[schedule->heap[a]] = a;
	schedule->positions[schedule->heap[b]] = b;
}

static void
schedule_sift_up(SimSchedule *schedule, size_t slot)
{
	while (slot > 0 && schedule_before(schedule, slot, (slot - 1) / 2)) {
		schedule_swap(schedule, slot, (slot - 1) / 2);
		slot = (slot - 1) / 2;
	}
}

static void
schedule_sift_down(SimSchedule *schedule, size_t slot)
{
	for (;;) {
		size_t left = 2 * slot + 1, right = left + 1, smallest = slot;

		if (left < schedule->n && schedule_before(schedule, left, smallest))
			smallest = left;
		if (right < schedule->n && schedule_before(schedule, right, smallest))
			smallest = right;
		if (smallest == slot)
			return;
		schedule_swap(schedule, slot, smallest);
		slot = smallest;
	}
}

int
schedule_init(SimSchedule *schedule, size_t n_items)
{
	schedule->n = 0;
	schedule->n_items = n_items;
	schedule->heap = calloc(n_items > 0 ? n_items : 1, sizeof(size_t));
	schedule->positions = calloc(n_items > 0 ? n_items : 1, sizeof(size_t));
	schedule->keys = calloc(n_items > 0 ? n_items : 1, sizeof(int64_t));
	if (schedule->heap == NULL || schedule->positions == NULL || schedule->keys == NULL) {
		schedule_clear(schedule);
		return -1;
	}
	for (size_t i = 0; i < n_items; i++)
		schedule->positions[i] = SCHEDULE_ABSENT;
	return 0;
}

void
schedule_clear(SimSchedule *schedule)
{
	if (schedule == NULL)
		return;
	free(schedule->heap);
	free(schedule->positions);
	free(schedule->keys);
	schedule->heap = schedule->positions = NULL;
	schedule->keys = NULL;
	schedule->n = schedule->n_items = 0;
}

void
schedule_set(SimSchedule *schedule, size_t item, int64_t key)
{
	size_t slot = schedule->positions[item];

	schedule->keys[item] = key;
	if (slot == SCHEDULE_ABSENT) {
		slot = schedule->n++;
		schedule->heap[slot] = item;
		schedule->positions[item] = slot;
	}
	schedule_sift_up(schedule, slot);
	schedule_sift_down(schedule, schedule->positions[item]);
}

void
schedule_remove(SimSchedule *schedule, size_t item)
{
	size_t slot = schedule->positions[item], last;

	if (slot == SCHEDULE_ABSENT)
		return;
	last = --schedule->n;
	if (slot != last) {
		schedule_swap(schedule, slot, last);
		schedule->positions[item] = SCHEDULE_ABSENT;
		schedule_sift_up(schedule, slot);
		schedule_sift_down(schedule, schedule->positions[schedule->heap[slot]]);
	} else {
		schedule->positions[item] = SCHEDULE_ABSENT;
	}
}

bool
schedule_contains(const SimSchedule *schedule, size_t item)
{
	return schedule->positions[item] != SCHEDULE_ABSENT;
}

bool
schedule_peek(const SimSchedule *schedule, size_t *ret_item, int64_t *ret_key)
{
	if (schedule->n == 0)
		return false;
	*ret_item = schedule->heap[0];
	*ret_key = schedule->keys[schedule->heap[0]];
	return true;
}
