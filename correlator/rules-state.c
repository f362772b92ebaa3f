/* rules-state: the engine's per-rule, per-key state to and from a compact versioned blob. */
#include "config.h"

#include <string.h>

#include "rules-private.h"

/* Layout: "CHRS", version, rule count, then per rule: name, definition fingerprint, type,
 * payload length, payload (key count, then per key: key, alarm, type-specific state).
 * Integers are LEB128 varints, signed ones zigzag-encoded; strings are length + bytes. */

#define STATE_MAGIC   "CHRS"
#define STATE_VERSION 1

static void
put_uint(GByteArray *out, guint64 value)
{
	guint8 byte;
	do {
		byte = value & 0x7f;
		value >>= 7;
		if (value != 0)
			byte |= 0x80;
		g_byte_array_append(out, &byte, 1);
	} while (value != 0);
}

static void
put_int(GByteArray *out, gint64 value)
{
	put_uint(out, ((guint64)value << 1) ^ (guint64)(value >> 63));
}

static void
put_string(GByteArray *out, const char *text)
{
	gsize len = strlen(text);
	put_uint(out, len);
	g_byte_array_append(out, (const guint8 *)text, (guint)len);
}

typedef struct {
	const guint8 *p;
	const guint8 *end;
	gboolean ok;
} StateReader;

static guint64
get_uint(StateReader *reader)
{
	guint64 value = 0;
	for (guint shift = 0; shift < 64; shift += 7) {
		if (reader->p >= reader->end) {
			reader->ok = FALSE;
			return 0;
		}
		guint8 byte = *reader->p++;
		value |= (guint64)(byte & 0x7f) << shift;
		if ((byte & 0x80) == 0)
			return value;
	}
	reader->ok = FALSE;
	return 0;
}

static gint64
get_int(StateReader *reader)
{
	guint64 value = get_uint(reader);
	return (gint64)(value >> 1) ^ -(gint64)(value & 1);
}

/* Returns a newly allocated string, NULL when truncated. */
static char *
get_string(StateReader *reader)
{
	guint64 len = get_uint(reader);
	if (!reader->ok || len > (guint64)(reader->end - reader->p) ||
	    memchr(reader->p, '\0', len) != NULL) {
		reader->ok = FALSE;
		return NULL;
	}
	char *text = g_strndup((const char *)reader->p, len);
	reader->p += len;
	return text;
}

static void
state_put_value(GByteArray *out, const Rule *rule, gconstpointer value)
{
	const RulesAlarmState *alarm = value; /* every state starts with its alarm */
	put_uint(out, alarm->open ? 1 : 0);
	put_uint(out, alarm->count);
	put_int(out, alarm->first_seen_us);
	put_int(out, alarm->last_seen_us);
	if (rule->type == RULES_TYPE_SEQUENCE) {
		const RulesSequenceState *state = value;
		put_int(out, state->max_time);
		put_int(out, state->pending_deadline);
		put_int(out, state->pending_due_rx);
		for (guint i = 0; i < rule->n_steps; i++) {
			put_uint(out, state->prefix[i].valid ? 1 : 0);
			put_int(out, state->prefix[i].start);
			put_int(out, state->prefix[i].end);
			put_int(out, state->prefix[i].raw);
		}
	} else if (rule->type == RULES_TYPE_THRESHOLD) {
		const RulesThresholdState *state = value;
		put_int(out, state->head);
		put_int(out, state->last_time);
		put_int(out, state->last_rx);
		put_uint(out, state->total);
		for (guint i = 0; i < rule->n_buckets; i++)
			put_uint(out, state->counts[i]);
	} else if (rule->type == RULES_TYPE_ABSENCE) {
		const RulesAbsenceState *state = value;
		put_int(out, state->interval_us);
		put_int(out, state->last_seen_rx);
	}
}

static void
state_put_key(GByteArray *out, const Rule *rule, const char *key, gconstpointer value)
{
	put_string(out, key);
	state_put_value(out, rule, value);
}

GBytes *
rules_engine_save(const RulesEngine *engine)
{
	g_return_val_if_fail(engine != NULL, NULL);
	GByteArray *out = g_byte_array_new();
	g_autoptr(GByteArray) payload = g_byte_array_new();

	g_byte_array_append(out, (const guint8 *)STATE_MAGIC, 4);
	put_uint(out, STATE_VERSION);
	put_uint(out, engine->runtimes->len);
	for (guint i = 0; i < engine->runtimes->len; i++) {
		const RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		const Rule *rule = runtime->rule;
		GHashTableIter iter;
		gpointer key, value;

		g_byte_array_set_size(payload, 0);
		put_uint(payload, g_hash_table_size(runtime->table));
		g_hash_table_iter_init(&iter, runtime->table);
		while (g_hash_table_iter_next(&iter, &key, &value))
			state_put_key(payload, rule, key, value);
		put_string(out, rule->name);
		put_uint(out, rule->fingerprint);
		put_uint(out, rule->type);
		put_uint(out, payload->len);
		g_byte_array_append(out, payload->data, payload->len);
	}
	return g_byte_array_free_to_bytes(out);
}

static void
state_get_value(StateReader *reader, RulesEngine *engine, RulesRuntime *runtime, const char *key)
{
	const Rule *rule = runtime->rule;
	const char *own_key = NULL;
	RulesAlarmState *alarm = rules_engine_lookup(engine, runtime, key, TRUE, &own_key);
	/* as saved; a key read again (from a journal) replaces what was read before */
	g_hash_table_remove(runtime->dirty, own_key);
	g_hash_table_remove(runtime->unflushed, own_key);
	if (alarm->open) {
		runtime->open--;
		engine->stats.open_alarms--;
	}
	if (rule->type == RULES_TYPE_SEQUENCE)
		((RulesSequenceState *)alarm)->generation++; /* a due pushed before is stale */
	alarm->open = get_uint(reader) != 0;
	alarm->count = get_uint(reader);
	alarm->first_seen_us = get_int(reader);
	alarm->last_seen_us = get_int(reader);
	if (alarm->open) {
		runtime->open++;
		engine->stats.open_alarms++;
	}
	if (rule->type == RULES_TYPE_SEQUENCE) {
		RulesSequenceState *state = (RulesSequenceState *)alarm;
		state->max_time = get_int(reader);
		state->pending_deadline = get_int(reader);
		state->pending_due_rx = get_int(reader);
		for (guint i = 0; i < rule->n_steps; i++) {
			state->prefix[i].valid = get_uint(reader) != 0;
			state->prefix[i].start = get_int(reader);
			state->prefix[i].end = get_int(reader);
			state->prefix[i].raw = get_int(reader);
		}
		if (state->pending_due_rx != 0)
			rules_runtime_push_due(runtime, state->pending_due_rx, own_key, state);
	} else if (rule->type == RULES_TYPE_THRESHOLD) {
		RulesThresholdState *state = (RulesThresholdState *)alarm;
		state->head = get_int(reader);
		state->last_time = get_int(reader);
		state->last_rx = get_int(reader);
		state->total = get_uint(reader);
		for (guint i = 0; i < rule->n_buckets; i++)
			state->counts[i] = (guint32)get_uint(reader);
	} else if (rule->type == RULES_TYPE_ABSENCE) {
		RulesAbsenceState *state = (RulesAbsenceState *)alarm;
		state->interval_us = get_int(reader);
		state->last_seen_rx = get_int(reader);
	}
}

static void
state_get_key(StateReader *reader, RulesEngine *engine, RulesRuntime *runtime)
{
	g_autofree char *key = get_string(reader);
	if (key != NULL)
		state_get_value(reader, engine, runtime, key);
}

static RulesRuntime *
state_find_runtime(RulesEngine *engine, const char *name, guint64 fingerprint, guint64 type)
{
	for (guint i = 0; i < engine->runtimes->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		if (strcmp(runtime->rule->name, name) == 0 &&
		    runtime->rule->fingerprint == fingerprint && runtime->rule->type == type)
			return runtime;
	}
	return NULL;
}

static void
state_drop_all(RulesEngine *engine)
{
	for (guint i = 0; i < engine->runtimes->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		g_hash_table_remove_all(runtime->dirty);
		g_hash_table_remove_all(runtime->unflushed);
		g_hash_table_remove_all(runtime->table);
		g_array_set_size(runtime->heap, 0);
		runtime->open = 0;
	}
	engine->stats.keys = 0;
	engine->stats.open_alarms = 0;
}

gboolean
rules_engine_restore(RulesEngine *engine, GBytes *blob, GError **error)
{
	g_return_val_if_fail(engine != NULL && blob != NULL, FALSE);
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(blob, &size);
	StateReader reader = {data, data + size, TRUE};

	state_drop_all(engine);
	if (size < 4 || memcmp(data, STATE_MAGIC, 4) != 0) {
		g_set_error_literal(error, RULES_ERROR, RULES_ERROR_STATE,
		                    "not a rules state blob (bad magic)");
		return FALSE;
	}
	reader.p += 4;
	guint64 version = get_uint(&reader);
	if (reader.ok && version != STATE_VERSION) {
		g_set_error(error, RULES_ERROR, RULES_ERROR_STATE,
		            "unsupported rules state version %" G_GUINT64_FORMAT, version);
		return FALSE;
	}
	guint64 n_rules = get_uint(&reader);
	for (guint64 r = 0; reader.ok && r < n_rules; r++) {
		g_autofree char *name = get_string(&reader);
		guint64 fingerprint = get_uint(&reader);
		guint64 type = get_uint(&reader);
		guint64 len = get_uint(&reader);
		if (!reader.ok || len > (guint64)(reader.end - reader.p)) {
			reader.ok = FALSE;
			break;
		}
		StateReader payload = {reader.p, reader.p + len, TRUE};
		reader.p += len;
		RulesRuntime *runtime = state_find_runtime(engine, name, fingerprint, type);
		if (runtime == NULL || runtime->rule->type == RULES_TYPE_FILTER)
			continue; /* removed or changed since: its state is dropped */
		guint64 n_keys = get_uint(&payload);
		for (guint64 k = 0; payload.ok && k < n_keys; k++)
			state_get_key(&payload, engine, runtime);
		if (!payload.ok || payload.p != payload.end)
			reader.ok = FALSE;
	}
	if (!reader.ok || reader.p != reader.end) {
		state_drop_all(engine);
		g_set_error_literal(error, RULES_ERROR, RULES_ERROR_STATE,
		                    "truncated or corrupt rules state blob");
		return FALSE;
	}
	return TRUE;
}

/* --- one row per rule and key ----------------------------------------------------------- */

#define KEY_STATE_VERSION 1

char *
rules_state_id(const Rule *rule)
{
	/* the fingerprint changes with the definition: rows of an edited rule are not read back */
	g_autofree char *id =
	    g_strdup_printf("r:%016" G_GINT64_MODIFIER "x:%s", rule->fingerprint, rule->name);
	return g_utf8_substring(id, 0, MIN(g_utf8_strlen(id, -1), RULES_STATE_ID_MAX));
}

void
rules_engine_save_changes(RulesEngine *engine, gboolean all, RulesStateFunc func,
                          gpointer user_data)
{
	g_return_if_fail(engine != NULL && func != NULL);
	g_autoptr(GByteArray) out = g_byte_array_new();
	for (guint i = 0; i < engine->runtimes->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		GHashTableIter iter;
		gpointer key;
		GHashTable *keys = all ? runtime->unflushed : runtime->dirty;
		if (g_hash_table_size(keys) == 0)
			continue;
		g_hash_table_iter_init(&iter, keys);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			gconstpointer value = g_hash_table_lookup(runtime->table, key);
			g_byte_array_set_size(out, 0);
			put_uint(out, KEY_STATE_VERSION);
			put_uint(out, runtime->rule->type);
			state_put_key(out, runtime->rule, key, value);
			func(runtime->state_id, key, out->data, out->len, user_data);
		}
		g_hash_table_remove_all(runtime->dirty);
		if (all)
			g_hash_table_remove_all(runtime->unflushed);
	}
}

void
rules_engine_touch_all(RulesEngine *engine)
{
	g_return_if_fail(engine != NULL);
	for (guint i = 0; i < engine->runtimes->len; i++) {
		RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		GHashTableIter iter;
		gpointer key;
		g_hash_table_iter_init(&iter, runtime->table);
		while (g_hash_table_iter_next(&iter, &key, NULL))
			rules_runtime_mark(runtime, key);
	}
}

gboolean
rules_engine_has_state_id(const RulesEngine *engine, const char *state_id)
{
	g_return_val_if_fail(engine != NULL && state_id != NULL, FALSE);
	for (guint i = 0; i < engine->runtimes->len; i++) {
		const RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		if (runtime->rule->type != RULES_TYPE_FILTER &&
		    strcmp(runtime->state_id, state_id) == 0)
			return TRUE;
	}
	return FALSE;
}

GPtrArray *
rules_engine_get_state_ids(const RulesEngine *engine)
{
	g_return_val_if_fail(engine != NULL, NULL);
	GPtrArray *ids = g_ptr_array_new();
	for (guint i = 0; i < engine->runtimes->len; i++) {
		const RulesRuntime *runtime = g_ptr_array_index(engine->runtimes, i);
		if (runtime->rule->type != RULES_TYPE_FILTER)
			g_ptr_array_add(ids, runtime->state_id);
	}
	return ids;
}

gboolean
rules_engine_restore_key(RulesEngine *engine, const char *state_id, const guint8 *data, gsize len,
                         gboolean unflushed, GError **error)
{
	g_return_val_if_fail(engine != NULL && state_id != NULL, FALSE);
	RulesRuntime *runtime = NULL;
	for (guint i = 0; i < engine->runtimes->len && runtime == NULL; i++) {
		RulesRuntime *candidate = g_ptr_array_index(engine->runtimes, i);
		if (candidate->rule->type != RULES_TYPE_FILTER &&
		    strcmp(candidate->state_id, state_id) == 0)
			runtime = candidate;
	}
	if (runtime == NULL)
		return TRUE; /* a rule removed or changed since: its state is dropped */
	StateReader reader = {data, data + len, TRUE};
	guint64 version = get_uint(&reader);
	guint64 type = get_uint(&reader);
	g_autofree char *key = reader.ok ? get_string(&reader) : NULL;
	if (key == NULL || version != KEY_STATE_VERSION || type != runtime->rule->type) {
		g_set_error(error, RULES_ERROR, RULES_ERROR_STATE, "unreadable state of rule %s",
		            runtime->rule->name);
		return FALSE;
	}
	state_get_value(&reader, engine, runtime, key);
	if (!reader.ok || reader.p != reader.end) {
		/* start the key afresh rather than keep garbage */
		RulesAlarmState *alarm = g_hash_table_lookup(runtime->table, key);
		if (alarm->open) {
			runtime->open--;
			engine->stats.open_alarms--;
		}
		rules_state_reset(runtime->rule, alarm);
		rules_runtime_touch(runtime, key); /* the reset state replaces the saved one */
		g_set_error(error, RULES_ERROR, RULES_ERROR_STATE,
		            "truncated state of rule %s, key %s", runtime->rule->name, key);
		return FALSE;
	}
	if (unflushed) {
		gpointer own_key;
		if (g_hash_table_lookup_extended(runtime->table, key, &own_key, NULL))
			g_hash_table_add(runtime->unflushed, own_key);
	}
	return TRUE;
}
