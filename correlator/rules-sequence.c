/* rules-sequence: keyed "followed by" / "not followed by" chains within an event-time window. */
#include "config.h"

#include <string.h>

#include "rules-private.h"

/* A positive step is remembered as the partial match ending there with the latest start (the
 * one with the most of its window left) plus the latest raw time the step was seen, so that a
 * step arriving before its predecessor (out of order, within the lateness tolerance) still
 * completes the chain when the predecessor comes. State per key: O(steps). */

void
rules_sequence_reset(const Rule *rule, RulesSequenceState *state)
{
	for (guint i = 0; i < rule->n_steps; i++) {
		state->prefix[i].valid = FALSE;
		state->prefix[i].start = 0;
		state->prefix[i].end = 0;
		state->prefix[i].raw = G_MININT64;
	}
	if (state->pending_due_rx != 0)
		state->generation++;
	state->pending_due_rx = 0;
	state->pending_deadline = 0;
}

static void
heap_swap(RulesDue *a, RulesDue *b)
{
	RulesDue tmp = *a;
	*a = *b;
	*b = tmp;
}

void
rules_runtime_push_due(RulesRuntime *runtime, gint64 due, const char *key,
                       RulesSequenceState *state)
{
	RulesDue entry = {due, key, state, state->generation};
	g_array_append_val(runtime->heap, entry);
	RulesDue *heap = (RulesDue *)(void *)runtime->heap->data;
	for (guint i = runtime->heap->len - 1; i > 0;) {
		guint parent = (i - 1) / 2;
		if (heap[parent].due <= heap[i].due)
			break;
		heap_swap(&heap[parent], &heap[i]);
		i = parent;
	}
}

static RulesDue
heap_pop(RulesRuntime *runtime)
{
	RulesDue *heap = (RulesDue *)(void *)runtime->heap->data;
	RulesDue top = heap[0];
	guint len = runtime->heap->len - 1;
	heap[0] = heap[len];
	g_array_set_size(runtime->heap, len);
	for (guint i = 0;;) {
		guint smallest = i, left = 2 * i + 1, right = 2 * i + 2;
		if (left < len && heap[left].due < heap[smallest].due)
			smallest = left;
		if (right < len && heap[right].due < heap[smallest].due)
			smallest = right;
		if (smallest == i)
			break;
		heap_swap(&heap[i], &heap[smallest]);
		i = smallest;
	}
	return top;
}

static void
sequence_fire(RulesEngine *engine, RulesRuntime *runtime, const char *key,
              RulesSequenceState *state, gint64 time_us, const RulesEvent *event)
{
	rules_alarm_fire(engine, runtime, key, &state->alarm, 0, time_us, event);
	rules_sequence_reset(runtime->rule, state);
}

/* The chain is complete: fire now, or wait out a trailing "not followed by". */
static void
sequence_complete(RulesEngine *engine, RulesRuntime *runtime, const char *key,
                  RulesSequenceState *state, const RulesEvent *event)
{
	const Rule *rule = runtime->rule;
	const RulesPrefix *last = &state->prefix[rule->n_steps - 1];
	if (rule->steps[rule->n_steps - 1].negatives->len == 0) {
		sequence_fire(engine, runtime, key, state, last->end, event);
		return;
	}
	if (state->pending_due_rx != 0)
		return;
	state->pending_deadline = last->start + rule->within_us;
	state->pending_due_rx = event->receive_time_us +
	                        (state->pending_deadline - event->event_time_us) +
	                        rule->lateness_us;
	state->pending_due_rx = MAX(state->pending_due_rx, 1);
	state->generation++;
	rules_runtime_push_due(runtime, state->pending_due_rx, key, state);
}

/* Positive step index matched at time t. Returns TRUE when the last step became valid. */
static gboolean
sequence_advance(const Rule *rule, RulesSequenceState *state, guint index, gint64 t)
{
	RulesPrefix *prefix = state->prefix;
	gint64 start;

	prefix[index].raw = MAX(prefix[index].raw, t);
	if (index == 0) {
		start = t;
	} else {
		const RulesPrefix *before = &prefix[index - 1];
		if (!before->valid || before->end > t || t - before->start > rule->within_us)
			return FALSE;
		start = before->start;
	}
	if (prefix[index].valid && start < prefix[index].start)
		return FALSE;
	prefix[index].valid = TRUE;
	prefix[index].start = start;
	prefix[index].end = t;
	/* Later steps already seen out of order complete the chain now. They arrived earlier, so
	 * they must be strictly later in event time: on a tie, arrival order says "before". */
	guint j;
	for (j = index + 1; j < rule->n_steps; j++) {
		const RulesPrefix *before = &prefix[j - 1];
		gint64 raw = prefix[j].raw;
		if (raw == G_MININT64 || raw <= before->end ||
		    raw - before->start > rule->within_us)
			break;
		if (prefix[j].valid && before->start < prefix[j].start)
			break;
		prefix[j].valid = TRUE;
		prefix[j].start = before->start;
		prefix[j].end = raw;
	}
	return j == rule->n_steps;
}

void
rules_sequence_feed(RulesEngine *engine, RulesRuntime *runtime, const RulesEvent *event)
{
	const Rule *rule = runtime->rule;
	guint32 positive = 0, negative = 0;
	gboolean clear = FALSE;
	gint64 t = event->event_time_us;

	/* Most events match nothing here and cost no key lookup. */
	for (guint i = 0; i < rule->n_steps; i++) {
		if (rules_match_event(&rule->steps[i].match, event))
			positive |= 1u << i;
		for (guint n = 0; n < rule->steps[i].negatives->len; n++)
			if (rules_match_event(g_ptr_array_index(rule->steps[i].negatives, n),
			                      event))
				negative |= 1u << i;
	}
	for (guint i = 0; i < rule->n_clears && !clear; i++)
		clear = rules_match_event(&rule->clears[i], event);
	if (positive == 0 && negative == 0 && !clear)
		return;
	if (!rules_engine_build_key(engine, rule, event))
		return;
	const char *key = NULL;
	RulesSequenceState *state =
	    rules_engine_lookup(engine, runtime, engine->key->str, positive != 0, &key);
	if (state == NULL)
		return;
	if (state->max_time != G_MININT64 && t < state->max_time - rule->lateness_us) {
		engine->stats.late++;
		return;
	}
	state->max_time = MAX(state->max_time, t);

	/* A trailing "not followed by" whose window passed in event time fires first. */
	if (state->pending_due_rx != 0 && t > state->pending_deadline + rule->lateness_us)
		sequence_fire(engine, runtime, key, state, state->prefix[rule->n_steps - 1].end,
		              event);
	if (clear)
		rules_alarm_clear(engine, runtime, key, &state->alarm, event);
	for (guint i = 0; negative != 0 && i < rule->n_steps; i++) {
		RulesPrefix *prefix = &state->prefix[i];
		if ((negative & (1u << i)) == 0 || !prefix->valid || t < prefix->end ||
		    t - prefix->start > rule->within_us)
			continue;
		if (i == rule->n_steps - 1)
			rules_sequence_reset(rule, state);
		else
			prefix->valid = FALSE;
	}
	/* Backwards, so that an event matching two steps does not chain with itself. */
	for (guint i = rule->n_steps; positive != 0 && i-- > 0;) {
		if ((positive & (1u << i)) != 0 && sequence_advance(rule, state, i, t)) {
			sequence_complete(engine, runtime, key, state, event);
			break;
		}
	}
}

void
rules_sequence_tick(RulesEngine *engine, RulesRuntime *runtime, gint64 now_us)
{
	while (runtime->heap->len > 0) {
		const RulesDue *top = &g_array_index(runtime->heap, RulesDue, 0);
		if (top->due > now_us)
			break;
		RulesDue due = heap_pop(runtime);
		RulesSequenceState *state = due.state;
		if (due.generation != state->generation || state->pending_due_rx == 0)
			continue; /* stale: cancelled, fired or re-armed since */
		rules_runtime_touch(runtime, due.key);
		sequence_fire(engine, runtime, due.key, state,
		              state->prefix[runtime->rule->n_steps - 1].end, NULL);
	}
}
