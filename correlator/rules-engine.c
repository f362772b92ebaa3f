/* rules-engine: runs filters and correlation rules over events and emits alarm actions. */
#include "config.h"

#include <string.h>

#include "chopin-config.h"
#include "rules-private.h"

gsize
rules_state_size(const Rule *rule)
{
	switch (rule->type) {
	case RULES_TYPE_SEQUENCE:
		return sizeof(RulesSequenceState) + rule->n_steps * sizeof(RulesPrefix);
	case RULES_TYPE_THRESHOLD:
		return sizeof(RulesThresholdState) + rule->n_buckets * sizeof(guint32);
	case RULES_TYPE_ABSENCE:
		return sizeof(RulesAbsenceState);
	case RULES_TYPE_FILTER:
	default:
		return 0;
	}
}

void
rules_state_reset(const Rule *rule, gpointer state)
{
	memset(state, 0, rules_state_size(rule));
	if (rule->type == RULES_TYPE_SEQUENCE) {
		RulesSequenceState *sequence = state;
		sequence->max_time = G_MININT64;
		rules_sequence_reset(rule, sequence);
	}
}

RulesRuntime *
rules_runtime_new(Rule *rule)
{
	RulesRuntime *runtime = g_new0(RulesRuntime, 1);
	runtime->rule = rule;
	runtime->table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	runtime->heap = g_array_new(FALSE, FALSE, sizeof(RulesDue));
	runtime->dirty = g_hash_table_new(g_str_hash, g_str_equal);
	runtime->unflushed = g_hash_table_new(g_str_hash, g_str_equal);
	runtime->state_id = rules_state_id(rule);
	return runtime;
}

void
rules_runtime_mark(RulesRuntime *runtime, char *own_key)
{
	g_hash_table_add(runtime->dirty, own_key);
	g_hash_table_add(runtime->unflushed, own_key);
}

void
rules_runtime_touch(RulesRuntime *runtime, const char *key)
{
	gpointer own_key;
	if (g_hash_table_lookup_extended(runtime->table, key, &own_key, NULL))
		rules_runtime_mark(runtime, own_key);
}

void
rules_runtime_free(RulesRuntime *runtime)
{
	if (runtime == NULL)
		return;
	g_hash_table_unref(runtime->dirty);
	g_hash_table_unref(runtime->unflushed);
	g_free(runtime->state_id);
	g_hash_table_unref(runtime->table);
	g_array_unref(runtime->heap);
	g_free(runtime);
}

gpointer
rules_engine_lookup(RulesEngine *engine, RulesRuntime *runtime, const char *key, gboolean create,
                    const char **ret_key)
{
	gpointer own_key = NULL, state = NULL;
	if (g_hash_table_lookup_extended(runtime->table, key, &own_key, &state) || !create) {
		if (state != NULL)
			rules_runtime_mark(runtime, own_key); /* the caller is about to change it */
		if (ret_key != NULL)
			*ret_key = own_key;
		return state;
	}
	state = g_malloc(rules_state_size(runtime->rule));
	rules_state_reset(runtime->rule, state);
	own_key = g_strdup(key);
	g_hash_table_insert(runtime->table, own_key, state);
	rules_runtime_mark(runtime, own_key);
	engine->stats.keys++;
	if (ret_key != NULL)
		*ret_key = own_key;
	return state;
}

static void
engine_append_int(GString *out, char tag, gint value)
{
	char digits[16];
	guint n = 0;
	guint v = (guint)value;
	g_string_append_c(out, '/');
	g_string_append_c(out, tag);
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		g_string_append_c(out, digits[--n]);
}

gboolean
rules_engine_build_key(RulesEngine *engine, const Rule *rule, const RulesEvent *event)
{
	static const char tags[] = {'h', 'c', 'v', 'p', 'e', 's'};
	GString *key = engine->key;

	g_string_assign(key, event->host != NULL ? event->host : "");
	for (guint i = 0; i < rule->n_key; i++) {
		gint value;
		switch (rule->key[i]) {
		case RULES_KEY_HOST:
			continue;
		case RULES_KEY_CONTROLLER:
			value = event->raid.controller;
			break;
		case RULES_KEY_VD:
			value = event->raid.vd;
			break;
		case RULES_KEY_PD:
			value = event->raid.pd;
			break;
		case RULES_KEY_ENCLOSURE:
			value = event->raid.enclosure;
			break;
		case RULES_KEY_SLOT:
			value = event->raid.slot;
			break;
		case RULES_KEY_SOURCE:
			g_string_append(key, "/src=");
			g_string_append(key, event->source != NULL ? event->source : "");
			continue;
		case RULES_KEY_ID:
			g_string_append_printf(key, "/id=%u", event->event_id);
			continue;
		default:
			return FALSE;
		}
		if (value < 0)
			return FALSE;
		engine_append_int(key, tags[rule->key[i]], value);
	}
	return TRUE;
}

/* A RAID field for a template: from the event, else from the key ("/c0"), else "?". */
static void
engine_append_field(GString *out, const RulesEvent *event, gint event_value, const char *key,
                    char tag)
{
	if (event != NULL && event_value >= 0) {
		g_string_append_printf(out, "%d", event_value);
		return;
	}
	for (const char *p = strchr(key, '/'); p != NULL; p = strchr(p + 1, '/')) {
		if (p[1] == tag && g_ascii_isdigit(p[2])) {
			for (p += 2; g_ascii_isdigit(*p); p++)
				g_string_append_c(out, *p);
			return;
		}
	}
	g_string_append_c(out, '?');
}

static gint64
engine_rule_window(const Rule *rule)
{
	if (rule->type == RULES_TYPE_SEQUENCE)
		return rule->within_us;
	if (rule->type == RULES_TYPE_THRESHOLD)
		return rule->window_us;
	return 0;
}

/* Expands {host} {controller} {vd} {pd} {enclosure} {slot} {count} {window} {message}
 * {source} {id} {key} {alarm}; unknown names are copied as they are. */
static void
engine_expand(GString *out, const Rule *rule, const char *key, const char *host,
              const RulesAlarmState *alarm, const RulesEvent *event, gint64 window_us)
{
	const RulesRaidKeys *raid = event != NULL ? &event->raid : NULL;
	g_string_truncate(out, 0);
	for (const char *p = rule->text; *p != '\0'; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		if (end == NULL) {
			g_string_append_c(out, *p);
			continue;
		}
		gsize len = (gsize)(end - p - 1);
		const char *name = p + 1;
#define FIELD_IS(word) (len == sizeof(word) - 1 && strncmp(name, word, len) == 0)
		if (FIELD_IS("host"))
			g_string_append(out, host);
		else if (FIELD_IS("controller"))
			engine_append_field(out, event, raid ? raid->controller : -1, key, 'c');
		else if (FIELD_IS("vd"))
			engine_append_field(out, event, raid ? raid->vd : -1, key, 'v');
		else if (FIELD_IS("pd"))
			engine_append_field(out, event, raid ? raid->pd : -1, key, 'p');
		else if (FIELD_IS("enclosure"))
			engine_append_field(out, event, raid ? raid->enclosure : -1, key, 'e');
		else if (FIELD_IS("slot"))
			engine_append_field(out, event, raid ? raid->slot : -1, key, 's');
		else if (FIELD_IS("count"))
			g_string_append_printf(out, "%" G_GUINT64_FORMAT, alarm->count);
		else if (FIELD_IS("window")) {
			g_autofree char *text = chopin_config_format_duration(window_us / 1000);
			g_string_append(out, text);
		} else if (FIELD_IS("message"))
			g_string_append(out, event != NULL && event->message ? event->message : "");
		else if (FIELD_IS("source"))
			g_string_append(out, event != NULL && event->source ? event->source : "");
		else if (FIELD_IS("id") && event != NULL)
			g_string_append_printf(out, "%u", event->event_id);
		else if (FIELD_IS("key"))
			g_string_append(out, key);
		else if (FIELD_IS("alarm"))
			g_string_append(out, rule->alarm_name);
		else {
			g_string_append_len(out, p, (gssize)(len + 2));
		}
#undef FIELD_IS
		p = end;
	}
}

static void
engine_emit(RulesEngine *engine, const Rule *rule, RulesActionType type, const char *key,
            const RulesAlarmState *alarm, const RulesEvent *event, gint64 window_us)
{
	char host[256];
	gsize host_len = strcspn(key, "/");

	if (engine->callback == NULL)
		return;
	host_len = MIN(host_len, sizeof host - 1);
	memcpy(host, key, host_len);
	host[host_len] = '\0';
	engine_expand(engine->text, rule, key, host, alarm, event, window_us);
	RulesAction action = {
	    .type = type,
	    .rule = rule->name,
	    .key = key,
	    .host = host,
	    .alarm = rule->alarm_name,
	    .severity = rule->severity,
	    .service = rule->service,
	    .text = engine->text->str,
	    .count = alarm->count,
	    .first_seen_us = alarm->first_seen_us,
	    .last_seen_us = alarm->last_seen_us,
	    .event = event,
	};
	engine->callback(&action, engine->user_data);
}

void
rules_alarm_fire(RulesEngine *engine, RulesRuntime *runtime, const char *key,
                 RulesAlarmState *alarm, guint64 set_count, gint64 time_us, const RulesEvent *event)
{
	RulesActionType type = RULES_ACTION_UPDATED;
	gint64 window_us = engine_rule_window(runtime->rule);
	rules_runtime_touch(runtime, key);
	if (!alarm->open) {
		alarm->open = TRUE;
		alarm->count = 0;
		alarm->first_seen_us = time_us;
		runtime->open++;
		engine->stats.open_alarms++;
		type = RULES_ACTION_RAISED;
	}
	alarm->count = set_count != 0 ? set_count : alarm->count + 1;
	alarm->last_seen_us = MAX(alarm->last_seen_us, time_us);
	engine_emit(engine, runtime->rule, type, key, alarm, event, window_us);
}

void
rules_alarm_clear(RulesEngine *engine, RulesRuntime *runtime, const char *key,
                  RulesAlarmState *alarm, const RulesEvent *event)
{
	if (!alarm->open)
		return;
	rules_runtime_touch(runtime, key);
	alarm->open = FALSE;
	runtime->open--;
	engine->stats.open_alarms--;
	engine_emit(engine, runtime->rule, RULES_ACTION_CLEARED, key, alarm, event,
	            engine_rule_window(runtime->rule));
	alarm->count = 0;
}

static void
engine_index_runtimes(RulesEngine *engine)
{
	g_ptr_array_set_size(engine->filters, 0);
	g_ptr_array_set_size(engine->correlators, 0);
	g_ptr_array_set_size(engine->absences, 0);
	for (guint i = 0; i < engine->runtimes->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		switch (runtime->rule->type) {
		case RULES_TYPE_FILTER:
			g_ptr_array_add(engine->filters, runtime);
			break;
		case RULES_TYPE_ABSENCE:
			g_ptr_array_add(engine->absences, runtime);
			break;
		default:
			g_ptr_array_add(engine->correlators, runtime);
			break;
		}
	}
}

RulesEngine *
rules_engine_new(RulesSet *rules, RulesActionFunc callback, gpointer user_data)
{
	g_return_val_if_fail(rules != NULL, NULL);
	RulesEngine *engine = g_new0(RulesEngine, 1);
	engine->rules = rules;
	engine->callback = callback;
	engine->user_data = user_data;
	engine->key = g_string_sized_new(256);
	engine->text = g_string_sized_new(256);
	engine->runtimes = g_ptr_array_new_with_free_func((GDestroyNotify)rules_runtime_free);
	engine->filters = g_ptr_array_new();
	engine->correlators = g_ptr_array_new();
	engine->absences = g_ptr_array_new();
	for (guint i = 0; i < rules->rules->len; i++)
		g_ptr_array_add(engine->runtimes,
		                rules_runtime_new(g_ptr_array_index(rules->rules, i)));
	engine_index_runtimes(engine);
	return engine;
}

void
rules_engine_free(RulesEngine *engine)
{
	if (engine == NULL)
		return;
	g_ptr_array_unref(engine->filters);
	g_ptr_array_unref(engine->correlators);
	g_ptr_array_unref(engine->absences);
	g_ptr_array_unref(engine->runtimes);
	rules_set_free(engine->rules);
	g_string_free(engine->key, TRUE);
	g_string_free(engine->text, TRUE);
	g_free(engine);
}

void
rules_engine_feed(RulesEngine *engine, const RulesEvent *event)
{
	g_return_if_fail(engine != NULL && event != NULL);
	const RulesRuntime *decided = NULL;

	engine->stats.events++;
	for (guint i = 0; i < engine->filters->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->filters, i);
		if (rules_match_event(&runtime->rule->match, event)) {
			decided = runtime;
			break;
		}
	}
	if (engine->callback != NULL &&
	    (decided != NULL ? decided->rule->keep : engine->rules->filter_default_keep)) {
		RulesAction action = {.type = RULES_ACTION_KEPT,
		                      .rule = decided != NULL ? decided->rule->name : NULL,
		                      .host = event->host,
		                      .event = event};
		engine->callback(&action, engine->user_data);
	}
	for (guint i = 0; i < engine->correlators->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->correlators, i);
		if (runtime->rule->type == RULES_TYPE_SEQUENCE)
			rules_sequence_feed(engine, runtime, event);
		else
			rules_threshold_feed(engine, runtime, event);
	}
}

void
rules_engine_heartbeat(RulesEngine *engine, const char *host, gint64 interval_us,
                       gint64 receive_time_us)
{
	g_return_if_fail(engine != NULL && host != NULL);
	for (guint i = 0; i < engine->absences->len; i++)
		rules_absence_heartbeat(engine, g_ptr_array_index(engine->absences, i), host,
		                        interval_us, receive_time_us);
}

void
rules_engine_tick(RulesEngine *engine, gint64 now_us)
{
	g_return_if_fail(engine != NULL);
	/* Absences and threshold decays scan every key of their rule: at most once a second of
	 * the clock, so that frequent commits do not make the cost grow with the fleet. */
	gboolean scan = now_us >= engine->next_scan_us ||
	                now_us < engine->next_scan_us - RULES_SCAN_INTERVAL_US; /* went back */
	if (scan)
		engine->next_scan_us = now_us + RULES_SCAN_INTERVAL_US;
	for (guint i = 0; i < engine->correlators->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->correlators, i);
		if (runtime->rule->type == RULES_TYPE_SEQUENCE)
			rules_sequence_tick(engine, runtime, now_us);
		else if (scan)
			rules_threshold_tick(engine, runtime, now_us);
	}
	for (guint i = 0; scan && i < engine->absences->len; i++)
		rules_absence_tick(engine, g_ptr_array_index(engine->absences, i), now_us);
}

/* Clears every open alarm of a runtime that is going away. */
static void
engine_clear_runtime(RulesEngine *engine, RulesRuntime *runtime)
{
	GHashTableIter iter;
	gpointer key, state;
	if (runtime->rule->type == RULES_TYPE_FILTER || runtime->open == 0)
		return;
	g_hash_table_iter_init(&iter, runtime->table);
	while (g_hash_table_iter_next(&iter, &key, &state))
		rules_alarm_clear(engine, runtime, key, state, NULL);
}

void
rules_engine_reload(RulesEngine *engine, RulesSet *rules)
{
	g_return_if_fail(engine != NULL && rules != NULL);
	g_autoptr(GPtrArray) runtimes =
	    g_ptr_array_new_with_free_func((GDestroyNotify)rules_runtime_free);

	for (guint i = 0; i < rules->rules->len; i++) {
		Rule *rule = g_ptr_array_index(rules->rules, i);
		RulesRuntime *kept = NULL;
		for (guint j = 0; j < engine->runtimes->len; j++) {
			RulesRuntime *old = g_ptr_array_index(engine->runtimes, j);
			if (old != NULL && strcmp(old->rule->name, rule->name) == 0 &&
			    old->rule->fingerprint == rule->fingerprint &&
			    strcmp(old->rule->definition, rule->definition) == 0) {
				kept = g_ptr_array_steal_index(engine->runtimes, j);
				g_ptr_array_insert(engine->runtimes, (gint)j, NULL);
				break;
			}
		}
		if (kept != NULL)
			kept->rule = rule;
		else
			kept = rules_runtime_new(rule);
		g_ptr_array_add(runtimes, kept);
	}
	for (guint j = 0; j < engine->runtimes->len; j++) {
		RulesRuntime *old = g_ptr_array_index(engine->runtimes, j);
		if (old == NULL)
			continue;
		engine_clear_runtime(engine, old);
		engine->stats.keys -= g_hash_table_size(old->table);
	}
	g_ptr_array_unref(engine->runtimes);
	engine->runtimes = g_steal_pointer(&runtimes);
	rules_set_free(engine->rules);
	engine->rules = rules;
	engine_index_runtimes(engine);
}

void
rules_engine_get_stats(const RulesEngine *engine, RulesEngineStats *ret_stats)
{
	g_return_if_fail(engine != NULL && ret_stats != NULL);
	*ret_stats = engine->stats;
}

void
rules_engine_foreach_open_alarm(const RulesEngine *engine, RulesOpenAlarmFunc func,
                                gpointer user_data)
{
	g_return_if_fail(engine != NULL && func != NULL);
	for (guint i = 0; i < engine->runtimes->len; i++) {
		const RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		GHashTableIter iter;
		gpointer key, state;
		if (runtime->rule->type == RULES_TYPE_FILTER || runtime->open == 0)
			continue;
		g_hash_table_iter_init(&iter, runtime->table);
		while (g_hash_table_iter_next(&iter, &key, &state))
			if (((const RulesAlarmState *)state)->open) /* every state starts with it */
				func(runtime->rule->name, key, runtime->rule->service, user_data);
	}
}

gboolean
rules_engine_forget_alarm(RulesEngine *engine, const char *rule, const char *key)
{
	g_return_val_if_fail(engine != NULL && rule != NULL && key != NULL, FALSE);
	for (guint i = 0; i < engine->runtimes->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		if (runtime->rule->type == RULES_TYPE_FILTER || strcmp(runtime->rule->name, rule) != 0)
			continue;
		gpointer state = g_hash_table_lookup(runtime->table, key);
		RulesAlarmState *alarm = state;
		if (alarm == NULL || !alarm->open)
			return FALSE;
		rules_runtime_touch(runtime, key); /* saved with the next commit */
		alarm->open = FALSE;
		alarm->count = 0;
		runtime->open--;
		engine->stats.open_alarms--;
		switch (runtime->rule->type) {
		case RULES_TYPE_SEQUENCE:
			rules_sequence_reset(runtime->rule, state);
			break;
		case RULES_TYPE_THRESHOLD: {
			RulesThresholdState *threshold = state;
			memset(threshold->counts, 0, runtime->rule->n_buckets * sizeof(guint32));
			threshold->total = 0;
			break;
		}
		case RULES_TYPE_ABSENCE:
			((RulesAbsenceState *)state)->interval_us = 0;
			break;
		case RULES_TYPE_FILTER:
			break;
		}
		return TRUE;
	}
	return FALSE;
}

const RulesSet *
rules_engine_get_rules(const RulesEngine *engine)
{
	g_return_val_if_fail(engine != NULL, NULL);
	return engine->rules;
}
