/* rules-threshold: N matches per key in a sliding event-time window of bucket counters; absence. */
#include "config.h"

#include <string.h>

#include "rules-private.h"

/* The window is a ring of n_buckets counters of bucket_us each. The count at time t covers the
 * bucket holding t and the n_buckets - 1 before it: every event younger than window - bucket
 * is counted, none older than window is; precision is one bucket width. State per key:
 * sizeof(RulesThresholdState) + 4 bytes per bucket, whatever the event rate. */

static gint64
threshold_bucket(const Rule *rule, gint64 t)
{
	gint64 bucket = t / rule->bucket_us;
	if (t < 0 && t % rule->bucket_us != 0)
		bucket--;
	return bucket;
}

/* Moves the newest bucket to number, dropping the counts that leave the window. */
static void
threshold_advance(const Rule *rule, RulesThresholdState *state, gint64 number)
{
	if (number <= state->head)
		return;
	if (number - state->head >= (gint64)rule->n_buckets) {
		memset(state->counts, 0, rule->n_buckets * sizeof(guint32));
		state->total = 0;
	} else {
		for (gint64 b = state->head + 1; b <= number; b++) {
			guint32 *slot = &state->counts[b % rule->n_buckets];
			state->total -= *slot;
			*slot = 0;
		}
	}
	state->head = number;
}

void
rules_threshold_feed(RulesEngine *engine, RulesRuntime *runtime, const RulesEvent *event)
{
	const Rule *rule = runtime->rule;
	const char *key = NULL;
	gint64 t = event->event_time_us;

	gboolean clear = FALSE;
	for (guint i = 0; i < rule->n_clears && !clear; i++)
		clear = rules_match_event(&rule->clears[i], event);
	gboolean counted = rules_match_event(&rule->match, event);
	if (!counted && !clear)
		return;
	if (!rules_engine_build_key(engine, rule, event))
		return;
	RulesThresholdState *state =
	    rules_engine_lookup(engine, runtime, engine->key->str, counted, &key);
	if (state == NULL)
		return;
	if (clear) {
		/* A clearing event closes the alarm and restarts the count. */
		rules_alarm_clear(engine, runtime, key, &state->alarm, event);
		memset(state->counts, 0, rule->n_buckets * sizeof(guint32));
		state->total = 0;
		if (!counted)
			return;
	}
	gint64 number = threshold_bucket(rule, t);
	if (state->last_rx == 0)
		state->head = number; /* a new key */
	if (number > state->head) {
		threshold_advance(rule, state, number);
	} else if (number <= state->head - (gint64)rule->n_buckets) {
		engine->stats.late++;
		return; /* older than the window */
	}
	if (state->counts[number % rule->n_buckets] < G_MAXUINT32) {
		state->counts[number % rule->n_buckets]++;
		state->total++;
	}
	state->last_time = MAX(state->last_time, t);
	state->last_rx = MAX(event->receive_time_us, 1);

	if (state->alarm.open && state->total < rule->clear_below)
		rules_alarm_clear(engine, runtime, key, &state->alarm, event);
	else if (state->alarm.open || state->total >= rule->count)
		rules_alarm_fire(engine, runtime, key, &state->alarm, state->total, t, event);
}

/* Open alarms decay with time: the key's event time is estimated as its last event time plus
 * the receiver time elapsed since. O(keys of the rule) when it has open alarms. */
void
rules_threshold_tick(RulesEngine *engine, RulesRuntime *runtime, gint64 now_us)
{
	const Rule *rule = runtime->rule;
	GHashTableIter iter;
	gpointer key, value;

	if (runtime->open == 0 || rule->clear_below == 0)
		return;
	g_hash_table_iter_init(&iter, runtime->table);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		RulesThresholdState *state = value;
		if (!state->alarm.open || now_us <= state->last_rx)
			continue;
		gint64 estimate = state->last_time + (now_us - state->last_rx);
		threshold_advance(rule, state, threshold_bucket(rule, estimate));
		rules_runtime_mark(runtime, key);
		if (state->total < rule->clear_below)
			rules_alarm_clear(engine, runtime, key, &state->alarm, NULL);
	}
}

void
rules_absence_heartbeat(RulesEngine *engine, RulesRuntime *runtime, const char *host,
                        gint64 interval_us, gint64 receive_time_us)
{
	const char *key = NULL;
	RulesAbsenceState *state = rules_engine_lookup(engine, runtime, host, TRUE, &key);
	state->interval_us = interval_us;
	state->last_seen_rx = MAX(state->last_seen_rx, receive_time_us);
	if (state->alarm.open)
		rules_alarm_clear(engine, runtime, key, &state->alarm, NULL);
}

/* O(hosts) per tick: the daemon ticks every few seconds. */
void
rules_absence_tick(RulesEngine *engine, RulesRuntime *runtime, gint64 now_us)
{
	const Rule *rule = runtime->rule;
	GHashTableIter iter;
	gpointer key, value;

	g_hash_table_iter_init(&iter, runtime->table);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		RulesAbsenceState *state = value;
		if (state->alarm.open || state->interval_us <= 0)
			continue;
		if (now_us - state->last_seen_rx > (gint64)rule->multiple * state->interval_us)
			rules_alarm_fire(engine, runtime, key, &state->alarm, 1,
			                 state->last_seen_rx, NULL);
	}
}
