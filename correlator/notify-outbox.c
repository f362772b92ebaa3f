/* The alarm_notifications table: rows queued with the alarm change, loaded, outcomes recorded. */
#include "config.h"

#include "notify.h"

#include <string.h>

#include "correlator.h"

static const char *const state_names[] = {
    [NOTIFY_STATE_PENDING] = "pending",
    [NOTIFY_STATE_SENT] = "sent",
    [NOTIFY_STATE_ACKNOWLEDGED] = "acknowledged",
    [NOTIFY_STATE_FAILED] = "failed",
};

void
notify_outcome_free(NotifyOutcome *outcome)
{
	if (outcome == NULL)
		return;
	g_free(outcome->last_error);
	g_free(outcome);
}

gboolean
notify_outbox_add(ChopinDb *db, const char *correlator, const char *const *managers,
                  gboolean cleared, guint64 alarm_id, GError **error)
{
	/* the alarm as it stands in this transaction: raised just now, or about to be cleared */
	ChopinDbStmt *stmt = chopin_db_prepare(
	    db,
	    "INSERT INTO alarm_notifications (correlator_name, manager, alarm_id, kind, severity, "
	    "text, occurrences, created_at) "
	    "SELECT ?, ?, alarm_id, ?, severity, text, occurrences, UTC_TIMESTAMP(6) FROM alarms "
	    "WHERE alarm_id = ?",
	    error);
	if (stmt == NULL)
		return FALSE;
	for (const char *const *manager = managers; *manager != NULL; manager++) {
		ChopinDbValue params[] = {
		    chopin_db_value_text(correlator),
		    chopin_db_value_text(*manager),
		    chopin_db_value_text(cleared ? "cleared" : "raised"),
		    CHOPIN_DB_VALUE_UINT(alarm_id),
		};
		if (!chopin_db_stmt_execute(stmt, params, G_N_ELEMENTS(params), NULL, error))
			return FALSE;
	}
	return TRUE;
}

static char *
column_dup(ChopinDbStmt *stmt, guint column)
{
	return g_strdup(chopin_db_stmt_column_text(stmt, column, NULL));
}

gboolean
notify_outbox_load(ChopinDb *db, const char *correlator, const char *manager, guint64 after,
                   guint limit, GPtrArray *entries, GError **error)
{
	gboolean have_row;
	ChopinDbValue params[] = {chopin_db_value_text(correlator), chopin_db_value_text(manager),
	                          CHOPIN_DB_VALUE_UINT(after), CHOPIN_DB_VALUE_UINT(limit)};
	ChopinDbStmt *stmt = chopin_db_prepare(
	    db,
	    "SELECT n.notification_id, n.alarm_id, n.kind, h.name, a.service, a.rule_name, "
	    "n.severity, n.text, a.alarm_key, n.occurrences, "
	    "DATE_FORMAT(a.first_seen, '%Y-%m-%d %H:%i:%s.%f'), "
	    "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', n.created_at), n.attempts "
	    "FROM alarm_notifications n JOIN alarms a ON a.alarm_id = n.alarm_id "
	    "JOIN hosts h ON h.host_id = a.host_id "
	    "WHERE n.correlator_name = ? AND n.manager = ? AND n.state = 'pending' "
	    "AND n.notification_id > ? ORDER BY n.notification_id LIMIT ?",
	    error);
	if (stmt == NULL ||
	    !chopin_db_stmt_execute(stmt, params, G_N_ELEMENTS(params), NULL, error))
		return FALSE;
	for (;;) {
		if (!chopin_db_stmt_fetch(stmt, &have_row, error)) {
			chopin_db_stmt_reset(stmt);
			return FALSE;
		}
		if (!have_row)
			break;
		NotifyEntry *entry = g_new0(NotifyEntry, 1);
		entry->id = (guint64)chopin_db_stmt_column_int(stmt, 0, 0);
		entry->alarm_id = (guint64)chopin_db_stmt_column_int(stmt, 1, 0);
		entry->cleared =
		    g_strcmp0(chopin_db_stmt_column_text(stmt, 2, NULL), "cleared") == 0;
		entry->host = column_dup(stmt, 3);
		entry->service = column_dup(stmt, 4);
		entry->rule = column_dup(stmt, 5);
		entry->severity = column_dup(stmt, 6);
		entry->text = column_dup(stmt, 7);
		entry->key = column_dup(stmt, 8);
		entry->count =
		    (guint32)CLAMP(chopin_db_stmt_column_int(stmt, 9, 0), 0, G_MAXUINT32);
		entry->first_seen = column_dup(stmt, 10);
		entry->created_us = chopin_db_stmt_column_int(stmt, 11, 0);
		entry->attempts = (guint)chopin_db_stmt_column_int(stmt, 12, 0);
		g_ptr_array_add(entries, entry);
	}
	chopin_db_stmt_reset(stmt);
	return TRUE;
}

gboolean
notify_outbox_record(ChopinDb *db, GPtrArray *outcomes, GError **error)
{
	if (outcomes->len == 0)
		return TRUE;
	if (!chopin_db_begin(db, error))
		return FALSE;
	ChopinDbStmt *stmt =
	    chopin_db_prepare(db,
	                      "UPDATE alarm_notifications SET state = ?, attempts = ?, "
	                      "last_attempt_at = ?, last_error = ?, "
	                      "finished_at = IF(? = 'pending', NULL, UTC_TIMESTAMP(6)) "
	                      "WHERE notification_id = ? AND state = 'pending'",
	                      error);
	if (stmt == NULL)
		goto fail;
	for (guint i = 0; i < outcomes->len; i++) {
		const NotifyOutcome *outcome = outcomes->pdata[i];
		const char *state = state_names[outcome->state];
		char last_attempt[32];
		correlator_us_to_sql((uint64_t)MAX(outcome->last_attempt_us, 0), last_attempt,
		                     sizeof last_attempt);
		ChopinDbValue params[] = {
		    chopin_db_value_text(state),
		    CHOPIN_DB_VALUE_UINT(outcome->attempts),
		    outcome->last_attempt_us > 0 ? chopin_db_value_text(last_attempt)
		                                 : CHOPIN_DB_VALUE_NULL,
		    outcome->last_error != NULL
		        ? CHOPIN_DB_VALUE_TEXT_LEN(outcome->last_error,
		                                   notify_utf8_prefix(outcome->last_error, 255))
		        : CHOPIN_DB_VALUE_NULL,
		    chopin_db_value_text(state),
		    CHOPIN_DB_VALUE_UINT(outcome->id),
		};
		if (!chopin_db_stmt_execute(stmt, params, G_N_ELEMENTS(params), NULL, error))
			goto fail;
	}
	if (!chopin_db_commit(db, error))
		goto fail;
	return TRUE;
fail:
	chopin_db_rollback(db);
	return FALSE;
}

gboolean
notify_outbox_abandon(ChopinDb *db, const char *correlator, const char *const *managers,
                      guint64 *ret_count, GError **error)
{
	guint n = g_strv_length((char **)managers);
	g_autoptr(GString) sql = g_string_new(
	    "UPDATE alarm_notifications SET state = 'failed', finished_at = UTC_TIMESTAMP(6), "
	    "last_error = 'the manager is no longer in correlator.managers' "
	    "WHERE correlator_name = ? AND state = 'pending'");
	g_autofree ChopinDbValue *params = g_new(ChopinDbValue, n + 1);

	params[0] = chopin_db_value_text(correlator);
	if (n > 0) {
		g_string_append(sql, " AND manager NOT IN (");
		for (guint i = 0; i < n; i++) {
			g_string_append(sql, i == 0 ? "?" : ", ?");
			params[i + 1] = chopin_db_value_text(managers[i]);
		}
		g_string_append(sql, ")");
	}
	ChopinDbStmt *stmt = chopin_db_prepare(db, sql->str, error);
	return stmt != NULL && chopin_db_stmt_execute(stmt, params, n + 1, ret_count, error);
}
