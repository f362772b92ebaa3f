/* Rules to alarms: the engine fed from records, its actions and state written in the batch's
 * transaction. */
#include "config.h"

#include "correlator.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "chopin-log.h"
#include "notify.h"

#define STATE_RULE "engine"

/* Events linked to an alarm in alarm_events: the one that raised it, the first ones that fed
 * it, the one that cleared it.  A flood feeding an open alarm is counted, not linked. */
#define ALARM_LINKS_MAX 100

/* An event to link to an alarm once the events are written (the event's row is known by its
 * host, agent instance and sequence). */
typedef struct {
	guint64 alarm_id;
	guint host_id;
	char instance[24];
	guint64 sequence;
} AlarmLink;

/* The latest count, time and text of an open alarm, written once at commit. */
typedef struct {
	guint64 count;
	char last[32];
	char *text;
} AlarmUpdate;

/* A key's state to write at commit: offsets into Alarms.state_bytes. */
typedef struct {
	gsize id, key, state;
	gsize state_len;
} StateRow;

struct _Alarms {
	ChopinDb *db;
	char *name;
	char *rules_path;
	char *rules_text; /* the rules in force, parsed again to rebuild the engine */
	RulesEngine *engine;
	gboolean restored;
	gboolean synced; /* operator clears looked up in the open transaction */
	gboolean mirror_pending; /* the rules table must show the rules in force */
	gboolean purge_pending;  /* correlator_state may hold rows of rules no longer in force */
	gboolean legacy_pending; /* the whole-engine row of older versions is to be deleted */
	GArray *state_rows;      /* StateRow: the keys whose state changed, written at commit */
	GByteArray *state_bytes; /* their ids, keys and states */
	GHashTable *open_ids;    /* "rule\thost id\tkey" -> alarm id (guint64 *) of open alarms */
	GHashTable *updates;     /* alarm id (guint64 *) -> AlarmUpdate: written at commit */
	GArray *links;           /* AlarmLink, written at commit */
	Journal *journal;        /* the store's: where each transaction's state changes go */
	const char *instance_id; /* the event being fed: its row's natural key */
	guint64 sequence;
	/* the event being fed: its host id, and what the filters said */
	guint host_id;
	gboolean kept;
	char kept_rule[129];
	GError *error; /* the first database error inside a callback */
	/* "host\tservice" whose alarms changed in the open transaction: reported to the
	 * monitoring engine once it is committed */
	GHashTable *touched;
	char *command_file; /* NULL: no passive results */
	Notify *notify;     /* NULL: no SNMP managers */
	uint64_t raised, cleared;
};

/* --- the engine and its rules ------------------------------------------------------------ */

static void alarms_action_cb(const RulesAction *action, gpointer user_data);

static gboolean
alarms_build_engine(Alarms *alarms, GError **error)
{
	RulesSet *set = rules_set_new_from_data(alarms->rules_text, alarms->rules_path, error);
	if (set == NULL)
		return FALSE;
	if (alarms->engine != NULL)
		rules_engine_free(alarms->engine);
	alarms->engine = rules_engine_new(set, alarms_action_cb, alarms);
	alarms->restored = FALSE; /* alarms_restore() decides what is to be cleaned up */
	alarms->purge_pending = alarms->legacy_pending = FALSE;
	alarms->synced = FALSE;
	return TRUE;
}

static void
alarm_update_free(gpointer data)
{
	AlarmUpdate *update = data;
	g_free(update->text);
	g_free(update);
}

Alarms *
alarms_new(ChopinDb *db, const char *correlator_name, const char *rules_path, GError **error)
{
	Alarms *alarms = g_new0(Alarms, 1);
	alarms->db = db;
	alarms->state_rows = g_array_new(FALSE, FALSE, sizeof(StateRow));
	alarms->state_bytes = g_byte_array_new();
	alarms->open_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	alarms->updates =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, alarm_update_free);
	alarms->links = g_array_new(FALSE, FALSE, sizeof(AlarmLink));
	alarms->name = g_strdup(correlator_name);
	alarms->rules_path = g_strdup(rules_path);
	if (!g_file_get_contents(rules_path, &alarms->rules_text, NULL, error) ||
	    !alarms_build_engine(alarms, error)) {
		alarms_free(alarms);
		return NULL;
	}
	alarms->mirror_pending = TRUE;
	alarms->touched = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return alarms;
}

void
alarms_free(Alarms *alarms)
{
	if (alarms == NULL)
		return;
	if (alarms->engine != NULL)
		rules_engine_free(alarms->engine);
	g_clear_error(&alarms->error);
	if (alarms->touched != NULL)
		g_hash_table_destroy(alarms->touched);
	g_array_free(alarms->state_rows, TRUE);
	g_byte_array_free(alarms->state_bytes, TRUE);
	g_hash_table_destroy(alarms->open_ids);
	g_hash_table_destroy(alarms->updates);
	g_array_free(alarms->links, TRUE);
	g_free(alarms->command_file);
	g_free(alarms->rules_text);
	g_free(alarms->rules_path);
	g_free(alarms->name);
	g_free(alarms);
}

gboolean
alarms_reload(Alarms *alarms, GError **error)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(alarms->rules_path, &text, NULL, error))
		return FALSE;
	RulesSet *set = rules_set_new_from_data(text, alarms->rules_path, error);
	if (set == NULL)
		return FALSE; /* the rules in force stay */
	g_free(alarms->rules_text);
	alarms->rules_text = g_steal_pointer(&text);
	/* the engine keeps the state of unchanged rules and clears the alarms of the others:
	 * those actions go into the next transaction */
	rules_engine_reload(alarms->engine, set);
	alarms->mirror_pending = TRUE;
	alarms->purge_pending = TRUE;
	return TRUE;
}

void
alarms_forget(Alarms *alarms)
{
	/* the engine may hold state of a rolled-back transaction: rebuild it from the database */
	g_autoptr(GError) error = NULL;
	if (!alarms_build_engine(alarms, &error))
		g_error("rules in force no longer parse: %s", error->message); /* parsed before */
	alarms->mirror_pending = TRUE;
	g_hash_table_remove_all(alarms->touched);
	g_hash_table_remove_all(alarms->open_ids);
	g_hash_table_remove_all(alarms->updates);
	g_array_set_size(alarms->links, 0);
}

static gboolean
exec(Alarms *alarms, const char *sql, const ChopinDbValue *params, guint n, guint64 *ret_affected,
     GError **error)
{
	ChopinDbStmt *stmt = chopin_db_prepare(alarms->db, sql, error);
	return stmt != NULL && chopin_db_stmt_execute(stmt, params, n, ret_affected, error);
}

static void
alarms_journal_rule_cb(const char *state_id, const guint8 *state, gsize len, gpointer user_data)
{
	static ChopinComplaint complaint = CHOPIN_COMPLAINT_INIT;
	Alarms *alarms = user_data;
	g_autoptr(GError) error = NULL;
	if (!rules_engine_has_state_id(alarms->engine, state_id))
		return; /* a rule no longer in force */
	if (!rules_engine_restore_key(alarms->engine, state_id, state, len, TRUE, &error))
		chopin_complain(&complaint, CHOPIN_LOG_WARNING, "journaled rule state: %s",
		                error->message);
}

/* Loads the engine's state committed with the last checkpoint (once per engine): one row per
 * rule and key; an older version's single row for the whole engine is read when there are
 * none, and rewritten as rows at the next commit. */
static gboolean
alarms_restore(Alarms *alarms, GError **error)
{
	static ChopinComplaint complaint = CHOPIN_COMPLAINT_INIT;
	gboolean have_row;
	guint rows = 0, unreadable = 0;
	ChopinDbValue params[] = {chopin_db_value_text(alarms->name)};
	ChopinDbStmt *stmt =
	    chopin_db_prepare(alarms->db,
	                      "SELECT rule_name, state FROM correlator_state WHERE "
	                      "correlator_name = ? AND rule_name LIKE 'r:%'",
	                      error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error))
		return FALSE;
	for (;;) {
		if (!chopin_db_stmt_fetch(stmt, &have_row, error))
			return FALSE;
		if (!have_row)
			break;
		gsize len;
		const char *id = chopin_db_stmt_column_text(stmt, 0, NULL);
		const char *state = chopin_db_stmt_column_text(stmt, 1, &len);
		g_autoptr(GError) local = NULL;
		rows++;
		if (!rules_engine_has_state_id(alarms->engine, id))
			alarms->purge_pending = TRUE;
		else if (!rules_engine_restore_key(alarms->engine, id, (const guint8 *)state, len,
		                                   FALSE, &local)) {
			unreadable++;
			chopin_complain(&complaint, CHOPIN_LOG_WARNING, "saved rule state: %s",
			                local->message);
		}
	}
	chopin_db_stmt_reset(stmt);
	if (unreadable > 0)
		chopin_log(CHOPIN_LOG_WARNING, "%u saved rule states unreadable: those keys start afresh",
		           unreadable);

	stmt = chopin_db_prepare(alarms->db,
	                         "SELECT state FROM correlator_state WHERE correlator_name = ? AND "
	                         "rule_name = '" STATE_RULE "' AND state_key = ''",
	                         error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	if (have_row) {
		alarms->legacy_pending = TRUE;
		if (rows == 0) {
			gsize len;
			const char *blob = chopin_db_stmt_column_text(stmt, 0, &len);
			g_autoptr(GBytes) bytes = g_bytes_new(blob, len);
			g_autoptr(GError) local = NULL;
			if (!rules_engine_restore(alarms->engine, bytes, &local))
				chopin_log(CHOPIN_LOG_WARNING,
				           "saved rule state unreadable (%s): starting the rules afresh",
				           local->message);
			rules_engine_touch_all(alarms->engine);
		}
	}
	chopin_db_stmt_reset(stmt);
	/* then what changed since the rows were written, oldest first */
	if (alarms->journal != NULL)
		journal_foreach_rule(alarms->journal, alarms_journal_rule_cb, alarms);
	alarms->restored = TRUE;
	return TRUE;
}

/* --- alarms cleared by an operator ------------------------------------------------------- */

typedef struct {
	char *rule;
	char *key;
	char *service;
} HeldAlarm;

static void
held_alarm_free(gpointer data)
{
	HeldAlarm *alarm = data;
	g_free(alarm->rule);
	g_free(alarm->key);
	g_free(alarm->service);
	g_free(alarm);
}

static void
held_alarm_collect_cb(const char *rule, const char *key, const char *service, gpointer user_data)
{
	HeldAlarm *alarm = g_new0(HeldAlarm, 1);
	alarm->rule = g_strdup(rule);
	alarm->key = g_strdup(key);
	alarm->service = g_strdup(service);
	g_ptr_array_add(user_data, alarm);
}

/* "rule\nhost/key" with the host case-folded: hosts.name compares without case. */
static char *
held_alarm_name(const char *rule, const char *host, gsize host_len, const char *key)
{
	g_autofree char *folded = g_utf8_casefold(host, (gssize)host_len);
	return g_strdup_printf("%s\n%s%s%s", rule, folded, key[0] != '\0' ? "/" : "", key);
}

/* The SNMP managers learn of an operator's clear as of any other: chopinAlarmCleared. */
static gboolean
alarms_notify_operator_clear(Alarms *alarms, const char *rule, const char *host, gsize host_len,
                             const char *key, GError **error)
{
	gboolean have_row;

	if (alarms->notify == NULL)
		return TRUE;
	g_autofree char *host_name = g_strndup(host, host_len);
	ChopinDbValue params[] = {chopin_db_value_text(rule), chopin_db_value_text(host_name),
	                          chopin_db_value_text(key)};
	ChopinDbStmt *stmt = chopin_db_prepare(
	    alarms->db,
	    "SELECT a.alarm_id FROM alarms a JOIN hosts h ON h.host_id = a.host_id"
	    " WHERE a.rule_name = ? AND h.name = ? AND a.alarm_key = ? AND a.state = 'cleared'"
	    " ORDER BY a.alarm_id DESC LIMIT 1",
	    error);
	if (stmt == NULL ||
	    !chopin_db_stmt_execute(stmt, params, G_N_ELEMENTS(params), NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	guint64 alarm_id = have_row ? (guint64)chopin_db_stmt_column_int(stmt, 0, 0) : 0;
	chopin_db_stmt_reset(stmt);
	return alarm_id == 0 || notify_alarm_changed(alarms->notify, TRUE, alarm_id, error);
}

/*
 * An alarm closed outside the engine (chopinctl alarms clear, or an UPDATE by hand) while the
 * engine still holds it open would otherwise swallow the next occurrence (updates go to a row
 * that is no longer open) or be raised again from stale evidence. Once per transaction, while
 * the engine holds open alarms, the rows still open are compared with the engine's, and the
 * engine forgets the others (rules_engine_forget_alarm): only new events raise them again.
 */
static gboolean
alarms_sync_operator_clears(Alarms *alarms, GError **error)
{
	RulesEngineStats stats;
	gboolean have_row;

	rules_engine_get_stats(alarms->engine, &stats);
	if (stats.open_alarms == 0)
		return TRUE;
	ChopinDbStmt *stmt = chopin_db_prepare(
	    alarms->db,
	    "SELECT a.rule_name, h.name, a.alarm_key FROM alarms a"
	    " JOIN hosts h ON h.host_id = a.host_id WHERE a.state = 'open'",
	    error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, NULL, 0, NULL, error))
		return FALSE;
	g_autoptr(GHashTable) open_rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (;;) {
		if (!chopin_db_stmt_fetch(stmt, &have_row, error))
			return FALSE;
		if (!have_row)
			break;
		const char *host = chopin_db_stmt_column_text(stmt, 1, NULL);
		g_hash_table_add(open_rows,
		                 held_alarm_name(chopin_db_stmt_column_text(stmt, 0, NULL), host,
		                               strlen(host), chopin_db_stmt_column_text(stmt, 2, NULL)));
	}
	g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func(held_alarm_free);
	rules_engine_foreach_open_alarm(alarms->engine, held_alarm_collect_cb, held);
	for (guint i = 0; i < held->len; i++) {
		const HeldAlarm *alarm = g_ptr_array_index(held, i);
		gsize host_len = strcspn(alarm->key, "/");
		const char *key = alarm->key[host_len] == '/' ? alarm->key + host_len + 1 : "";
		g_autofree char *id = held_alarm_name(alarm->rule, alarm->key, host_len, key);
		if (g_hash_table_contains(open_rows, id) ||
		    !rules_engine_forget_alarm(alarms->engine, alarm->rule, alarm->key))
			continue;
		chopin_log(CHOPIN_LOG_MESSAGE,
		           "alarm %s of rule %s was cleared in the database (by an operator): the "
		           "rule forgets its evidence, new events will raise it again",
		           alarm->key, alarm->rule);
		if (!alarms_notify_operator_clear(alarms, alarm->rule, alarm->key, host_len, key,
		                                  error))
			return FALSE;
		/* the service's passive result follows the rows still open */
		g_hash_table_add(alarms->touched, g_strdup_printf("%.*s\t%s", (int)host_len,
		                                                  alarm->key, alarm->service));
	}
	return TRUE;
}

/* The engine, restored once, in step with the operators' clears in this transaction. */
static gboolean
alarms_ready(Alarms *alarms, GError **error)
{
	if (!alarms->restored && !alarms_restore(alarms, error))
		return FALSE;
	if (!alarms->synced && !alarms_sync_operator_clears(alarms, error))
		return FALSE;
	alarms->synced = TRUE;
	return TRUE;
}

/* --- actions into rows ------------------------------------------------------------------- */

static gboolean
host_id_of(Alarms *alarms, const char *host, guint *ret_id, GError **error)
{
	gboolean have_row;
	ChopinDbValue params[] = {chopin_db_value_text(host)};
	ChopinDbStmt *stmt =
	    chopin_db_prepare(alarms->db, "SELECT host_id FROM hosts WHERE name = ?", error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	*ret_id = have_row ? (guint)chopin_db_stmt_column_int(stmt, 0, 0) : 0;
	chopin_db_stmt_reset(stmt);
	return TRUE;
}

/* The vendor ticket text for a drive to replace, from the latest inventory; NULL if unknown. */
static char *
ticket_text(Alarms *alarms, guint host_id, const char *host, const RulesEvent *event,
            GError **error)
{
	if (event == NULL || event->raid.enclosure < 0 || event->raid.slot < 0)
		return NULL;
	g_autofree char *address = g_strdup_printf("c%d/e%d/s%d", MAX(event->raid.controller, 0),
	                                           event->raid.enclosure, event->raid.slot);
	gboolean have_row;
	ChopinDbValue params[] = {CHOPIN_DB_VALUE_UINT(host_id), chopin_db_value_text(address)};
	ChopinDbStmt *stmt = chopin_db_prepare(alarms->db,
	                                       "SELECT serial, model, size_mib, firmware FROM "
	                                       "devices WHERE host_id = ? AND address = ?",
	                                       error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 2, NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return NULL;
	char *text = NULL;
	if (have_row) {
		const char *serial = chopin_db_stmt_column_text(stmt, 0, NULL);
		const char *model = chopin_db_stmt_column_text(stmt, 1, NULL);
		gint64 size_mib = chopin_db_stmt_column_int(stmt, 2, 0);
		const char *firmware = chopin_db_stmt_column_text(stmt, 3, NULL);
		text = g_strdup_printf(
		    "Please replace the failed disk.\n"
		    "Machine: %s\nController: %d\nEnclosure:slot: %d:%d\nSerial number: %s\n"
		    "Model: %s\nFirmware: %s\nSize: %.3f GiB (%" G_GINT64_FORMAT " MiB)",
		    host, MAX(event->raid.controller, 0), event->raid.enclosure, event->raid.slot,
		    serial ? serial : "unknown", model ? model : "unknown",
		    firmware ? firmware : "unknown", (double)size_mib / 1024.0, size_mib);
	}
	chopin_db_stmt_reset(stmt);
	return text;
}

/* The id of the open alarm of rule, host and key: 0 when there is none. Cached for the
 * transaction (an operator may clear an alarm in SQL between two). */
static gboolean
open_alarm_id(Alarms *alarms, const ChopinDbValue *where, const char *cache_key,
              guint64 *ret_id, GError **error)
{
	guint64 *cached = g_hash_table_lookup(alarms->open_ids, cache_key);
	if (cached != NULL) {
		*ret_id = *cached;
		return TRUE;
	}
	gboolean have_row;
	ChopinDbStmt *stmt = chopin_db_prepare(alarms->db,
	                                       "SELECT alarm_id FROM alarms WHERE rule_name = ? AND "
	                                       "host_id = ? AND alarm_key = ? AND state = 'open'",
	                                       error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, where, 3, NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	*ret_id = have_row ? (guint64)chopin_db_stmt_column_int(stmt, 0, 0) : 0;
	chopin_db_stmt_reset(stmt);
	if (*ret_id != 0)
		g_hash_table_insert(alarms->open_ids, g_strdup(cache_key), g_memdup2(ret_id, 8));
	return TRUE;
}

static void
alarms_link(Alarms *alarms, guint64 alarm_id, guint host_id, const RulesAction *action)
{
	if (action->event == NULL || alarms->instance_id == NULL || alarm_id == 0)
		return;
	AlarmLink link = {alarm_id, host_id, "", alarms->sequence};
	g_strlcpy(link.instance, alarms->instance_id, sizeof link.instance);
	g_array_append_val(alarms->links, link);
}

static gboolean
alarm_update_write(Alarms *alarms, guint64 alarm_id, const AlarmUpdate *update, GError **error)
{
	ChopinDbValue params[] = {CHOPIN_DB_VALUE_UINT(update->count),
	                          chopin_db_value_text(update->last),
	                          chopin_db_value_text(update->text), CHOPIN_DB_VALUE_UINT(alarm_id)};
	return exec(alarms,
	            "UPDATE alarms SET occurrences = ?, last_seen = ?, text = ? "
	            "WHERE alarm_id = ? AND state = 'open'",
	            params, G_N_ELEMENTS(params), NULL, error);
}

static gboolean
alarms_write_action(Alarms *alarms, const RulesAction *action, GError **error)
{
	guint host_id = alarms->host_id;
	if (action->event == NULL && !host_id_of(alarms, action->host, &host_id, error))
		return FALSE;
	if (host_id == 0)
		return TRUE; /* a host the database does not know (yet): nothing to attach it to */
	const char *key = action->key;
	size_t host_len = strlen(action->host);
	if (strncmp(key, action->host, host_len) == 0)
		key += host_len;
	if (*key == '/')
		key++;
	char first[32], last[32];
	correlator_us_to_sql((uint64_t)MAX(action->first_seen_us, 0), first, sizeof first);
	correlator_us_to_sql((uint64_t)MAX(action->last_seen_us, 0), last, sizeof last);
	ChopinDbValue where[] = {chopin_db_value_text(action->rule), CHOPIN_DB_VALUE_UINT(host_id),
	                         chopin_db_value_text(key)};
	g_autofree char *cache_key = g_strdup_printf("%s\t%u\t%s", action->rule, host_id, key);
	guint64 alarm_id = 0;

	switch (action->type) {
	case RULES_ACTION_RAISED: {
		g_autofree char *ticket =
		    ticket_text(alarms, host_id, action->host, action->event, error);
		if (error != NULL && *error != NULL)
			return FALSE;
		ChopinDbValue params[] = {
		    where[0],
		    where[1],
		    where[2],
		    chopin_db_value_text(action->service),
		    chopin_db_value_text(action->severity),
		    chopin_db_value_text(action->text),
		    chopin_db_value_text(ticket),
		    CHOPIN_DB_VALUE_UINT(MAX(action->count, 1)),
		    chopin_db_value_text(first),
		    chopin_db_value_text(last),
		};
		ChopinDbStmt *stmt = chopin_db_prepare(
		    alarms->db,
		    "INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, text, "
		    "ticket_text, occurrences, first_seen, last_seen) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    error);
		if (stmt == NULL ||
		    !chopin_db_stmt_execute(stmt, params, G_N_ELEMENTS(params), NULL, error))
			return FALSE;
		alarm_id = chopin_db_stmt_insert_id(stmt);
		g_hash_table_insert(alarms->open_ids, g_strdup(cache_key), g_memdup2(&alarm_id, 8));
		alarms_link(alarms, alarm_id, host_id, action);
		if (!notify_alarm_changed(alarms->notify, FALSE, alarm_id, error))
			return FALSE;
		alarms->raised++;
		g_hash_table_add(alarms->touched,
		                 g_strdup_printf("%s\t%s", action->host, action->service));
		if (g_strcmp0(action->service, "Heartbeat") == 0)
			return exec(alarms,
			            "UPDATE hosts SET status = 'inactive' WHERE host_id = ?",
			            &where[1], 1, NULL, error);
		return TRUE;
	}
	case RULES_ACTION_UPDATED: {
		/* a flood updates the same alarm many times a batch: written once, at commit */
		if (!open_alarm_id(alarms, where, cache_key, &alarm_id, error))
			return FALSE;
		if (alarm_id == 0)
			return TRUE; /* cleared by an operator meanwhile */
		AlarmUpdate *update = g_hash_table_lookup(alarms->updates, &alarm_id);
		if (update == NULL) {
			update = g_new0(AlarmUpdate, 1);
			g_hash_table_insert(alarms->updates, g_memdup2(&alarm_id, 8), update);
		}
		update->count = MAX(action->count, 1);
		g_strlcpy(update->last, last, sizeof update->last);
		g_free(update->text);
		update->text = g_strdup(action->text);
		if (action->count <= ALARM_LINKS_MAX)
			alarms_link(alarms, alarm_id, host_id, action);
		return TRUE;
	}
	case RULES_ACTION_CLEARED: {
		char now[32];
		correlator_us_to_sql((uint64_t)g_get_real_time(), now, sizeof now);
		ChopinDbValue params[] = {chopin_db_value_text(now), where[0], where[0], where[1],
		                          where[2]};
		alarms->cleared++;
		g_hash_table_add(alarms->touched,
		                 g_strdup_printf("%s\t%s", action->host, action->service));
		if (!open_alarm_id(alarms, where, cache_key, &alarm_id, error))
			return FALSE;
		AlarmUpdate *update = g_hash_table_lookup(alarms->updates, &alarm_id);
		if (update != NULL) {
			if (!alarm_update_write(alarms, alarm_id, update, error))
				return FALSE;
			g_hash_table_remove(alarms->updates, &alarm_id);
		}
		alarms_link(alarms, alarm_id, host_id, action);
		g_hash_table_remove(alarms->open_ids, cache_key);
		/* before the UPDATE, with the alarm's final count: the notification of the clear */
		if (alarm_id != 0 && !notify_alarm_changed(alarms->notify, TRUE, alarm_id, error))
			return FALSE;
		if (!exec(
		        alarms,
		        "UPDATE alarms SET state = 'cleared', cleared_at = ?, cleared_by = ? "
		        "WHERE rule_name = ? AND host_id = ? AND alarm_key = ? AND state = 'open'",
		        params, G_N_ELEMENTS(params), NULL, error))
			return FALSE;
		if (g_strcmp0(action->service, "Heartbeat") == 0)
			return exec(alarms, "UPDATE hosts SET status = 'active' WHERE host_id = ?",
			            &where[1], 1, NULL, error);
		return TRUE;
	}
	case RULES_ACTION_KEPT:
		break;
	}
	return TRUE;
}

static void
alarms_action_cb(const RulesAction *action, gpointer user_data)
{
	Alarms *alarms = user_data;

	if (action->type == RULES_ACTION_KEPT) {
		alarms->kept = TRUE;
		g_strlcpy(alarms->kept_rule, action->rule != NULL ? action->rule : "",
		          sizeof alarms->kept_rule);
		return;
	}
	if (alarms->error != NULL)
		return; /* the transaction is lost already */
	alarms_write_action(alarms, action, &alarms->error);
}

static gboolean
alarms_take_error(Alarms *alarms, GError **error)
{
	if (alarms->error == NULL)
		return TRUE;
	g_propagate_error(error, alarms->error);
	alarms->error = NULL;
	return FALSE;
}

/* --- what the store calls ------------------------------------------------------------------ */

gboolean
alarms_event(Alarms *alarms, const RulesEvent *event, guint host_id, const char *instance_id,
             guint64 sequence, gboolean *ret_kept, const char **ret_rule, GError **error)
{
	if (!alarms_ready(alarms, error))
		return FALSE;
	alarms->host_id = host_id;
	alarms->instance_id = instance_id;
	alarms->sequence = sequence;
	alarms->kept = FALSE;
	alarms->kept_rule[0] = '\0';
	rules_engine_feed(alarms->engine, event);
	alarms->instance_id = NULL;
	*ret_kept = alarms->kept;
	*ret_rule = alarms->kept_rule[0] ? alarms->kept_rule : NULL;
	return alarms_take_error(alarms, error);
}

gboolean
alarms_heartbeat(Alarms *alarms, const char *host, gint64 interval_us, gint64 receive_us,
                 GError **error)
{
	if (!alarms_ready(alarms, error))
		return FALSE;
	alarms->host_id = 0;
	rules_engine_heartbeat(alarms->engine, host, interval_us, receive_us);
	return alarms_take_error(alarms, error);
}

/* --- the engine's state, saved with each commit ------------------------------------------ */

static void
state_collect_cb(const char *state_id, const char *key, const guint8 *state, gsize len,
                 gpointer user_data)
{
	Alarms *alarms = user_data;
	GByteArray *bytes = alarms->state_bytes;
	StateRow row;
	row.id = bytes->len;
	g_byte_array_append(bytes, (const guint8 *)state_id, (guint)strlen(state_id) + 1);
	row.key = bytes->len;
	if (g_utf8_strlen(key, -1) <= 255) {
		g_byte_array_append(bytes, (const guint8 *)key, (guint)strlen(key) + 1);
	} else {
		/* too long for the column: its digest (the state holds the key itself) */
		g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
		g_autofree char *column = g_strconcat("#sha256:", digest, NULL);
		g_byte_array_append(bytes, (const guint8 *)column, (guint)strlen(column) + 1);
	}
	row.state = bytes->len;
	row.state_len = len;
	g_byte_array_append(bytes, state, (guint)len);
	g_array_append_val(alarms->state_rows, row);
}

static RowsStatement state_upsert = {
    "INSERT INTO correlator_state (correlator_name, rule_name, state_key, state, updated_at) "
    "VALUES ",
    "(?, ?, ?, ?, UTC_TIMESTAMP(6))",
    " ON DUPLICATE KEY UPDATE state = VALUES(state), updated_at = VALUES(updated_at)",
    4,
    {NULL}};

static void
state_fill(guint index, ChopinDbValue *p, gpointer user_data)
{
	Alarms *alarms = user_data;
	const StateRow *row = &g_array_index(alarms->state_rows, StateRow, index);
	const char *bytes = (const char *)alarms->state_bytes->data;
	*p++ = chopin_db_value_text(alarms->name);
	*p++ = chopin_db_value_text(bytes + row->id);
	*p++ = chopin_db_value_text(bytes + row->key);
	*p = CHOPIN_DB_VALUE_BLOB(bytes + row->state, row->state_len);
}

static RowsStatement link_insert = {
    "INSERT IGNORE INTO alarm_events (alarm_id, event_row_id) ",
    "SELECT ?, id FROM events WHERE host_id = ? AND agent_instance = ? AND agent_sequence = ?",
    "",
    4,
    {NULL},
    " UNION ALL "};

static void
link_fill(guint index, ChopinDbValue *p, gpointer user_data)
{
	const AlarmLink *link = &g_array_index((GArray *)user_data, AlarmLink, index);
	*p++ = CHOPIN_DB_VALUE_UINT(link->alarm_id);
	*p++ = CHOPIN_DB_VALUE_UINT(link->host_id);
	*p++ = chopin_db_value_text(link->instance);
	*p = CHOPIN_DB_VALUE_UINT(link->sequence);
}

/* The alarms' latest counts, and the links of the batch's events (written by now). */
static gboolean
alarms_write_updates(Alarms *alarms, GError **error)
{
	GHashTableIter iter;
	gpointer id, update;
	g_hash_table_iter_init(&iter, alarms->updates);
	while (g_hash_table_iter_next(&iter, &id, &update))
		if (!alarm_update_write(alarms, *(guint64 *)id, update, error))
			return FALSE;
	g_hash_table_remove_all(alarms->updates);
	if (!rows_execute(alarms->db, &link_insert, alarms->links->len, link_fill, alarms->links,
	                  error))
		return FALSE;
	g_array_set_size(alarms->links, 0);
	g_hash_table_remove_all(alarms->open_ids);
	return TRUE;
}

/* Rows of rules no longer in force (removed, or edited: a new state id) are deleted. */
static gboolean
alarms_purge_state(Alarms *alarms, GError **error)
{
	g_autoptr(GPtrArray) ids = rules_engine_get_state_ids(alarms->engine);
	GString *sql = g_string_new("DELETE FROM correlator_state WHERE correlator_name = ? AND "
	                            "rule_name LIKE 'r:%'");
	g_autofree ChopinDbValue *params = g_new(ChopinDbValue, ids->len + 1);
	params[0] = chopin_db_value_text(alarms->name);
	for (guint i = 0; i < ids->len; i++) {
		g_string_append(sql, i == 0 ? " AND rule_name NOT IN (?" : ", ?");
		params[i + 1] = chopin_db_value_text(g_ptr_array_index(ids, i));
	}
	if (ids->len > 0)
		g_string_append_c(sql, ')');
	gboolean ok = exec(alarms, sql->str, params, ids->len + 1, NULL, error);
	g_string_free(sql, TRUE);
	return ok;
}

static void
state_journal_cb(const char *state_id, const char *key, const guint8 *state, gsize len,
                 gpointer user_data)
{
	journal_put_rule(user_data, state_id, state, len);
}

/* The keys whose state the transaction changed go to the journal, one row for all; at a
 * compaction every key changed since the last one gets its own row.  Either way the cost of
 * a commit follows what was touched, not the size of the fleet. */
static gboolean
alarms_save_state(Alarms *alarms, gboolean compact, GError **error)
{
	if (!compact && alarms->journal != NULL) {
		rules_engine_save_changes(alarms->engine, FALSE, state_journal_cb, alarms->journal);
		compact = alarms->purge_pending || alarms->legacy_pending;
		if (!compact)
			return TRUE;
	}
	g_array_set_size(alarms->state_rows, 0);
	g_byte_array_set_size(alarms->state_bytes, 0);
	rules_engine_save_changes(alarms->engine, TRUE, state_collect_cb, alarms);
	if (!rows_execute(alarms->db, &state_upsert, alarms->state_rows->len, state_fill, alarms,
	                  error))
		return FALSE;
	if (alarms->purge_pending && !alarms_purge_state(alarms, error))
		return FALSE;
	alarms->purge_pending = FALSE;
	if (alarms->legacy_pending) {
		ChopinDbValue params[] = {chopin_db_value_text(alarms->name)};
		if (!exec(alarms,
		          "DELETE FROM correlator_state WHERE correlator_name = ? AND rule_name = "
		          "'" STATE_RULE "' AND state_key = ''",
		          params, 1, NULL, error))
			return FALSE;
		alarms->legacy_pending = FALSE;
	}
	return TRUE;
}

gboolean
alarms_flush(Alarms *alarms, gint64 now_us, gboolean compact, GError **error)
{
	if (!alarms_ready(alarms, error))
		return FALSE;
	alarms->host_id = 0;
	rules_engine_tick(alarms->engine, now_us);
	if (!alarms_take_error(alarms, error))
		return FALSE;
	if (alarms->mirror_pending) {
		const RulesSet *set = rules_engine_get_rules(alarms->engine);
		char now[32];
		correlator_us_to_sql((uint64_t)g_get_real_time(), now, sizeof now);
		if (!exec(alarms, "DELETE FROM rules", NULL, 0, NULL, error))
			return FALSE;
		for (guint i = 0; i < rules_set_get_count(set); i++) {
			ChopinDbValue params[] = {
			    chopin_db_value_text(rules_set_get_name(set, i)),
			    chopin_db_value_text(rules_set_get_type(set, i)),
			    chopin_db_value_text(rules_set_get_definition(set, i)),
			    chopin_db_value_text(now)};
			if (!exec(alarms,
			          "INSERT INTO rules (rule_name, rule_type, definition, enabled, "
			          "loaded_at) "
			          "VALUES (?, ?, ?, 1, ?)",
			          params, 4, NULL, error))
				return FALSE;
		}
		alarms->mirror_pending = FALSE;
	}
	alarms->synced = FALSE; /* the next transaction looks again */
	return alarms_write_updates(alarms, error) && alarms_save_state(alarms, compact, error);
}

void
alarms_set_journal(Alarms *alarms, Journal *journal)
{
	alarms->journal = journal;
}

void
alarms_set_command_file(Alarms *alarms, const char *path)
{
	g_free(alarms->command_file);
	alarms->command_file = g_strdup(path);
}

/* The services the shipped Nagios/Icinga configuration defines. */
static gboolean
nagios_service(const char *service)
{
	return strcmp(service, "RAID") == 0 || strcmp(service, "Updates") == 0 ||
	       strcmp(service, "Heartbeat") == 0;
}

void
alarms_set_notify(Alarms *alarms, Notify *notify)
{
	alarms->notify = notify;
}

void
alarms_after_commit(Alarms *alarms)
{
	static ChopinComplaint complaint = CHOPIN_COMPLAINT_INIT;
	GHashTableIter iter;
	gpointer key;
	g_autoptr(GString) lines = g_string_new(NULL);

	notify_after_commit(alarms->notify);

	if (alarms->command_file == NULL) {
		g_hash_table_remove_all(alarms->touched);
		return;
	}
	g_hash_table_iter_init(&iter, alarms->touched);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		g_auto(GStrv) parts = g_strsplit(key, "\t", 2);
		if (parts[1] == NULL || !nagios_service(parts[1]))
			continue;
		/* the service's state is its worst open alarm, not the last change */
		g_autoptr(GError) error = NULL;
		gboolean have_row;
		ChopinDbValue params[] = {chopin_db_value_text(parts[0]),
		                          chopin_db_value_text(parts[1])};
		ChopinDbStmt *stmt = chopin_db_prepare(
		    alarms->db,
		    "SELECT MAX(a.severity = 'critical'), COUNT(*), MAX(a.text) FROM alarms a "
		    "JOIN hosts h USING (host_id) WHERE h.name = ? AND a.service = ? "
		    "AND a.state = 'open'",
		    &error);
		if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 2, NULL, &error) ||
		    !chopin_db_stmt_fetch(stmt, &have_row, &error) || !have_row) {
			chopin_complain(&complaint, CHOPIN_LOG_WARNING, "passive results: %s",
			                error != NULL ? error->message : "no row");
			continue;
		}
		gint64 open = chopin_db_stmt_column_int(stmt, 1, 0);
		int code = open == 0 ? 0 : chopin_db_stmt_column_int(stmt, 0, 0) == 1 ? 2 : 1;
		g_autofree char *text = g_strdup(chopin_db_stmt_column_text(stmt, 2, NULL));
		chopin_db_stmt_reset(stmt);
		if (text != NULL)
			g_strdelimit(text, "\n;|", ' ');
		g_string_append_printf(
		    lines, "[%" G_GINT64_FORMAT "] PROCESS_SERVICE_CHECK_RESULT;%s;%s;%d;%s %s\n",
		    g_get_real_time() / G_USEC_PER_SEC, parts[0], parts[1], code,
		    code == 0   ? "OK - no open alarm"
		    : code == 2 ? "CRITICAL -"
		                : "WARNING -",
		    open == 0 ? "" : text);
	}
	g_hash_table_remove_all(alarms->touched);
	if (lines->len == 0)
		return;
	/* Nagios' command file is a FIFO: never block the correlator on it */
	int fd = open(alarms->command_file, O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || write(fd, lines->str, lines->len) != (ssize_t)lines->len)
		chopin_complain(&complaint, CHOPIN_LOG_WARNING, "passive results to %s: %s",
		                alarms->command_file, g_strerror(errno));
	else
		chopin_complaint_release(&complaint, CHOPIN_LOG_MESSAGE,
		                         "passive results flow again");
	if (fd >= 0)
		close(fd);
}
