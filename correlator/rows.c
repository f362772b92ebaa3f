/* Event rows buffered during a transaction and written as multi-row INSERTs before its commit. */
#include "config.h"

#include "correlator.h"

#include <string.h>

#define EVENT_COLUMNS 12
static const guint chunk_sizes[] = {100, 10, 1};

typedef struct {
	guint host_id;
	char event_time[32];
	char received[32];
	const char *log_name;
	gsize log_name_len;
	const char *source;
	gsize source_len;
	guint64 event_id;
	const char *level;
	guint64 record_id;
	const char *message;
	gsize message_len;
	char instance[24];
	guint64 sequence;
	const char *rule; /* NULL: kept by the default filter */
} EventRow;

struct _Rows {
	ChopinDb *db;
	GArray *events;      /* EventRow */
	GStringChunk *texts; /* the rows' strings, stable until the flush */
	char *sql[G_N_ELEMENTS(chunk_sizes)];
	ChopinDbValue *params;
};

static char *
rows_insert_sql(guint rows)
{
	GString *sql = g_string_new(
	    "INSERT IGNORE INTO events (host_id, event_time, received_at, log_name, source, "
	    "event_id, level, record_id, message, agent_instance, agent_sequence, rule_name) "
	    "VALUES ");
	for (guint i = 0; i < rows; i++)
		g_string_append(sql, i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		                            : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	return g_string_free(sql, FALSE);
}

Rows *
rows_new(ChopinDb *db)
{
	Rows *rows = g_new0(Rows, 1);
	rows->db = db;
	rows->events = g_array_new(FALSE, FALSE, sizeof(EventRow));
	rows->texts = g_string_chunk_new(64 * 1024);
	for (guint i = 0; i < G_N_ELEMENTS(chunk_sizes); i++)
		rows->sql[i] = rows_insert_sql(chunk_sizes[i]);
	rows->params = g_new(ChopinDbValue, chunk_sizes[0] * EVENT_COLUMNS);
	return rows;
}

void
rows_free(Rows *rows)
{
	if (rows == NULL)
		return;
	g_array_free(rows->events, TRUE);
	g_string_chunk_free(rows->texts);
	for (guint i = 0; i < G_N_ELEMENTS(chunk_sizes); i++)
		g_free(rows->sql[i]);
	g_free(rows->params);
	g_free(rows);
}

void
rows_clear(Rows *rows)
{
	g_array_set_size(rows->events, 0);
	g_string_chunk_clear(rows->texts);
}

static const char *
rows_copy(Rows *rows, const ChopinDbValue *value, gsize *ret_len)
{
	if (value->type != CHOPIN_DB_TEXT) {
		*ret_len = 0;
		return NULL;
	}
	*ret_len = value->v.text.len;
	return g_string_chunk_insert_len(rows->texts, value->v.text.data,
	                                 (gssize)value->v.text.len);
}

void
rows_add_event(Rows *rows, guint host_id, const char *event_time, const char *received,
               const ChopinDbValue *log_name, const ChopinDbValue *source, guint64 event_id,
               const char *level, guint64 record_id, const ChopinDbValue *message,
               const char *instance, guint64 sequence, const char *rule)
{
	EventRow row = {0};
	row.host_id = host_id;
	g_strlcpy(row.event_time, event_time, sizeof row.event_time);
	g_strlcpy(row.received, received, sizeof row.received);
	row.log_name = rows_copy(rows, log_name, &row.log_name_len);
	row.source = rows_copy(rows, source, &row.source_len);
	row.event_id = event_id;
	row.level = level; /* static strings */
	row.record_id = record_id;
	row.message = rows_copy(rows, message, &row.message_len);
	g_strlcpy(row.instance, instance, sizeof row.instance);
	row.sequence = sequence;
	row.rule = rule != NULL ? g_string_chunk_insert_const(rows->texts, rule) : NULL;
	g_array_append_val(rows->events, row);
}

static ChopinDbValue
text_or_null(const char *text, gsize len)
{
	return text != NULL ? CHOPIN_DB_VALUE_TEXT_LEN(text, len) : CHOPIN_DB_VALUE_NULL;
}

gboolean
rows_flush(Rows *rows, GError **error)
{
	guint done = 0, total = rows->events->len;

	for (guint size = 0; size < G_N_ELEMENTS(chunk_sizes); size++) {
		guint n = chunk_sizes[size];
		ChopinDbStmt *stmt = NULL;
		while (total - done >= n) {
			if (stmt == NULL &&
			    (stmt = chopin_db_prepare(rows->db, rows->sql[size], error)) == NULL)
				return FALSE;
			ChopinDbValue *p = rows->params;
			for (guint i = 0; i < n; i++) {
				const EventRow *row =
				    &g_array_index(rows->events, EventRow, done + i);
				*p++ = CHOPIN_DB_VALUE_UINT(row->host_id);
				*p++ = chopin_db_value_text(row->event_time);
				*p++ = chopin_db_value_text(row->received);
				*p++ = text_or_null(row->log_name, row->log_name_len);
				*p++ = text_or_null(row->source, row->source_len);
				*p++ = CHOPIN_DB_VALUE_UINT(row->event_id);
				*p++ = chopin_db_value_text(row->level);
				*p++ = CHOPIN_DB_VALUE_UINT(row->record_id);
				*p++ = text_or_null(row->message, row->message_len);
				*p++ = chopin_db_value_text(row->instance);
				*p++ = CHOPIN_DB_VALUE_UINT(row->sequence);
				*p++ = chopin_db_value_text(row->rule);
			}
			if (!chopin_db_stmt_execute(stmt, rows->params, n * EVENT_COLUMNS, NULL,
			                            error))
				return FALSE;
			done += n;
		}
	}
	rows_clear(rows);
	return TRUE;
}
