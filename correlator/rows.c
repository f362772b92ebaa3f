/* Rows buffered during a transaction and written as multi-row statements before its commit. */
#include "config.h"

#include "correlator.h"

#include <stdint.h>
#include <string.h>

static const guint chunk_sizes[] = {100, 10, 1};
#define MAX_COLUMNS 13

/* The text of @statement for @n rows. */
static char *
rows_statement_sql(const RowsStatement *statement, guint n)
{
	GString *sql = g_string_new(statement->head);
	for (guint i = 0; i < n; i++) {
		g_string_append(sql, i == 0                          ? ""
		                     : statement->separator != NULL ? statement->separator
		                                                    : ", ");
		g_string_append(sql, statement->tuple);
	}
	g_string_append(sql, statement->tail);
	return g_string_free(sql, FALSE);
}

gboolean
rows_execute(ChopinDb *db, RowsStatement *statement, guint n_rows, RowsFillFunc fill,
             gpointer user_data, GError **error)
{
	ChopinDbValue params[100 * MAX_COLUMNS];
	guint done = 0;

	g_return_val_if_fail(statement->columns <= MAX_COLUMNS, FALSE);
	for (guint size = 0; size < G_N_ELEMENTS(chunk_sizes); size++) {
		guint n = chunk_sizes[size];
		ChopinDbStmt *stmt = NULL;
		while (n_rows - done >= n) {
			if (statement->sql[size] == NULL) /* kept for the program's life */
				statement->sql[size] = rows_statement_sql(statement, n);
			if (stmt == NULL &&
			    (stmt = chopin_db_prepare(db, statement->sql[size], error)) == NULL)
				return FALSE;
			for (guint i = 0; i < n; i++)
				fill(done + i, params + i * statement->columns, user_data);
			if (!chopin_db_stmt_execute(stmt, params, n * statement->columns, NULL,
			                            error))
				return FALSE;
			done += n;
		}
	}
	return TRUE;
}

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
	char device[32];  /* "": not a RAID device's event */
} EventRow;

/* The latest heartbeat of a host in this transaction, or the latest one deferred. */
typedef struct {
	guint host_id;
	uint64_t received_us;
	char received[32];
	char boot[32];
	guint64 interval_s;
	const char *machine_type; /* static */
	char *name, *os_name, *os_version, *agent_version, *hardware_model;
	guint64 digest;      /* of all of it but the time */
	uint64_t written_us; /* deferred: the time of the heartbeat its host last had written */
	gboolean sent;       /* deferred: written in the open transaction */
} HeartbeatRow;

/*
 * A heartbeat that changes nothing of its host but the time is written at most once per
 * HEARTBEAT_COALESCE_US of the receiver's clock; the latest one in between waits in
 * Rows.deferred and a later transaction writes it, so hosts.last_heartbeat trails the
 * latest heartbeat by about a second at most (docs/decisions.md).
 */
#define HEARTBEAT_COALESCE_US G_USEC_PER_SEC

/* What the hosts row says after the last heartbeat written. */
typedef struct {
	uint64_t received_us;
	guint64 digest;
} WrittenHeartbeat;

/* INSERT IGNORE: a duplicate (host, instance, sequence) is an event already stored. */
static RowsStatement event_insert = {
    "INSERT IGNORE INTO events (host_id, event_time, received_at, log_name, source, event_id, "
    "level, record_id, message, agent_instance, agent_sequence, rule_name, device_address) "
    "VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "",
    13,
    {NULL}};

/* The starts and stops among them, copied for check_chopin_heartbeat; the same (host,
 * instance, sequence) key makes a replay a no-op here as in events. */
static RowsStatement start_stop_insert = {
    "INSERT IGNORE INTO start_stop_events (host_id, event_time, source, event_id, message, "
    "agent_instance, agent_sequence) VALUES ",
    "(?, ?, ?, ?, LEFT(?, 160), ?, ?)",
    "",
    7,
    {NULL}};

/* The host rows exist (their ids are known): an update of many rows at once. */
static RowsStatement heartbeat_upsert = {
    "INSERT INTO hosts (host_id, name, first_seen, os_name, os_version, machine_type, boot_time, "
    "heartbeat_interval_s, agent_version, hardware_model, last_heartbeat) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    " ON DUPLICATE KEY UPDATE os_name = VALUES(os_name), os_version = VALUES(os_version), "
    "machine_type = VALUES(machine_type), boot_time = VALUES(boot_time), "
    "heartbeat_interval_s = VALUES(heartbeat_interval_s), "
    "agent_version = VALUES(agent_version), hardware_model = VALUES(hardware_model), "
    "last_heartbeat = GREATEST(COALESCE(last_heartbeat, VALUES(last_heartbeat)), "
    "VALUES(last_heartbeat)), status = 'active'",
    11,
    {NULL}};

#define STREAM_ROWS_MAX 100
/* While a streamed statement runs, rows pile up; the next one takes up to this many times
 * stream_rows of them, so a slow server gets fewer, longer statements. */
static const guint stream_factors[] = {8, 4, 2, 1};
#define STREAM_FACTOR_MAX 8

/*
 * The event rows of this transaction for one connection: events[0 .. streamed) are written
 * (or being written) already.
 */
typedef struct {
	ChopinDb *db;
	GArray *events;      /* EventRow */
	guint streamed;
	EventRow *in_flight; /* the copy the statement in flight reads */
	gboolean open;       /* the writer: its transaction is begun */
} EventStream;

struct _Rows {
	/* [0] on the main connection, in its transaction; [1] on the writer, if any */
	EventStream streams[2];
	guint writers;         /* 1: the main connection only; 2: and the writer */
	gboolean writer_held;  /* after a rollback, until a commit: no writer (see rows_flush) */
	GHashTable *new_hosts; /* host ids whose hosts row this transaction inserted */
	GHashTable *heartbeats; /* host id -> HeartbeatRow */
	GHashTable *deferred;   /* host id -> HeartbeatRow, across transactions */
	/* host id -> WrittenHeartbeat, for the heartbeats written since written_since [0] and
	 * in the period before [1]: older ones are due again anyway */
	GHashTable *written[2];
	uint64_t written_since;
	guint64 coalesced;
	guint64 second; /* event rows the writer committed */
	GStringChunk *texts;    /* the rows' strings, stable until the flush */
	guint stream_rows;      /* rows per streamed statement, 0: no streaming */
	/* event_insert for stream_rows times stream_factors[i] rows, built on first use */
	char *stream_sql[G_N_ELEMENTS(stream_factors)];
};

static void
heartbeat_row_free(gpointer data)
{
	HeartbeatRow *row = data;
	g_free(row->name);
	g_free(row->os_name);
	g_free(row->os_version);
	g_free(row->agent_version);
	g_free(row->hardware_model);
	g_free(row);
}

Rows *
rows_new(ChopinDb *db)
{
	Rows *rows = g_new0(Rows, 1);
	rows->heartbeats =
	    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, heartbeat_row_free);
	rows->deferred =
	    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, heartbeat_row_free);
	for (guint i = 0; i < G_N_ELEMENTS(rows->written); i++)
		rows->written[i] = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	rows->new_hosts = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < G_N_ELEMENTS(rows->streams); i++)
		rows->streams[i].events = g_array_new(FALSE, FALSE, sizeof(EventRow));
	rows->streams[0].db = db;
	rows->writers = 1;
	rows->writer_held = TRUE;
	rows->texts = g_string_chunk_new(64 * 1024);
	return rows;
}

void
rows_free(Rows *rows)
{
	if (rows == NULL)
		return;
	/* the statements in flight read the texts */
	for (guint i = 0; i < G_N_ELEMENTS(rows->streams); i++) {
		EventStream *stream = &rows->streams[i];
		if (stream->db != NULL)
			(void)chopin_db_wait(stream->db, NULL);
		g_free(stream->in_flight);
		g_array_free(stream->events, TRUE);
	}
	for (guint i = 0; i < G_N_ELEMENTS(rows->stream_sql); i++)
		g_free(rows->stream_sql[i]);
	g_hash_table_destroy(rows->new_hosts);
	g_string_chunk_free(rows->texts);
	g_hash_table_destroy(rows->heartbeats);
	g_hash_table_destroy(rows->deferred);
	for (guint i = 0; i < G_N_ELEMENTS(rows->written); i++)
		g_hash_table_destroy(rows->written[i]);
	g_free(rows);
}

void
rows_set_stream_rows(Rows *rows, guint stream_rows)
{
	rows->stream_rows = MIN(stream_rows, STREAM_ROWS_MAX);
	for (guint i = 0; i < G_N_ELEMENTS(rows->stream_sql); i++)
		g_clear_pointer(&rows->stream_sql[i], g_free);
	for (guint i = 0; i < G_N_ELEMENTS(rows->streams); i++) {
		EventStream *stream = &rows->streams[i];
		/* the statement in flight reads in_flight */
		if (stream->db != NULL)
			(void)chopin_db_wait(stream->db, NULL);
		g_free(stream->in_flight);
		stream->in_flight = g_new(EventRow, MAX(rows->stream_rows, 1) * STREAM_FACTOR_MAX);
	}
}

void
rows_set_writer(Rows *rows, ChopinDb *writer)
{
	rows_clear(rows);
	rows->streams[1].db = writer;
	rows->writers = writer != NULL ? 2 : 1;
}

guint
rows_streamed(const Rows *rows)
{
	guint streamed = 0;
	for (guint i = 0; i < rows->writers; i++)
		streamed += rows->streams[i].streamed;
	return streamed;
}

void
rows_clear(Rows *rows)
{
	for (guint i = 0; i < G_N_ELEMENTS(rows->streams); i++) {
		EventStream *stream = &rows->streams[i];
		/* the statement in flight reads the texts */
		if (stream->db != NULL)
			(void)chopin_db_wait(stream->db, NULL);
		stream->streamed = 0;
		g_array_set_size(stream->events, 0);
	}
	g_hash_table_remove_all(rows->new_hosts);
	g_hash_table_remove_all(rows->heartbeats);
	g_string_chunk_clear(rows->texts);
}

void
rows_forget(Rows *rows)
{
	GHashTableIter iter;
	gpointer value;

	EventStream *writer = &rows->streams[1];
	if (writer->open) {
		chopin_db_rollback(writer->db);
		writer->open = FALSE;
	}
	rows_clear(rows);
	/* a replay may find rows the writer committed: until a commit, the main connection
	 * writes them all (rows_flush) */
	rows->writer_held = TRUE;
	/* what the rolled-back transaction wrote is not in hosts: write it again */
	for (guint i = 0; i < G_N_ELEMENTS(rows->written); i++)
		g_hash_table_remove_all(rows->written[i]);
	g_hash_table_iter_init(&iter, rows->deferred);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		((HeartbeatRow *)value)->sent = FALSE;
}

void
rows_committed(Rows *rows)
{
	GHashTableIter iter;
	gpointer value;

	rows->writer_held = FALSE;
	g_hash_table_iter_init(&iter, rows->deferred);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		if (((HeartbeatRow *)value)->sent)
			g_hash_table_iter_remove(&iter);
}

guint
rows_deferred(const Rows *rows)
{
	return g_hash_table_size(rows->deferred);
}

guint64
rows_coalesced(const Rows *rows)
{
	return rows->coalesced;
}

guint64
rows_second(const Rows *rows)
{
	return rows->second;
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

/*
 * Which connection writes a host's event rows: with a writer, half the hosts' go there, by
 * host id, so that two server threads insert at once.  Not a host this transaction created
 * (the writer commits first and does not check the foreign key: its rows would name a host
 * that a rollback takes back), and not while writer_held.
 */
static guint
rows_stream_of(const Rows *rows, guint host_id)
{
	if (rows->writers < 2 || rows->writer_held ||
	    g_hash_table_contains(rows->new_hosts, GUINT_TO_POINTER(host_id)))
		return 0;
	return host_id % 2;
}

void
rows_add_event(Rows *rows, guint host_id, const char *event_time, const char *received,
               const ChopinDbValue *log_name, const ChopinDbValue *source, guint64 event_id,
               const char *level, guint64 record_id, const ChopinDbValue *message,
               const char *instance, guint64 sequence, const char *rule, const char *device)
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
	g_strlcpy(row.device, device != NULL ? device : "", sizeof row.device);
	g_array_append_val(rows->streams[rows_stream_of(rows, host_id)].events, row);
}

void
rows_note_new_host(Rows *rows, guint host_id)
{
	g_hash_table_add(rows->new_hosts, GUINT_TO_POINTER(host_id));
}

/* FNV-1a over what a heartbeat writes besides its time; a collision only delays a change by
 * HEARTBEAT_COALESCE_US, since the deferred row carries all of it. */
static guint64
digest_add(guint64 digest, const char *text)
{
	for (const char *c = text != NULL ? text : ""; *c != '\0'; c++)
		digest = (digest ^ (guchar)*c) * 0x100000001b3u;
	/* a separator, so that "ab" + "c" differs from "a" + "bc"; NULL differs from "" */
	return (digest ^ (text != NULL ? 0x1fu : 0x1eu)) * 0x100000001b3u;
}

static guint64
heartbeat_digest(const HeartbeatRow *row)
{
	guint64 digest = 0xcbf29ce484222325u;
	const char *const parts[] = {row->name,         row->os_name,       row->os_version,
	                             row->machine_type, row->boot,          row->agent_version,
	                             row->hardware_model};
	for (gsize i = 0; i < G_N_ELEMENTS(parts); i++)
		digest = digest_add(digest, parts[i]);
	for (guint shift = 0; shift < 64; shift += 8)
		digest = (digest ^ ((row->interval_s >> shift) & 0xffu)) * 0x100000001b3u;
	return digest;
}

void
rows_add_heartbeat(Rows *rows, guint host_id, uint64_t received_us, const char *received,
                   const char *name, const char *os_name, const char *os_version,
                   const char *machine_type, const char *boot, guint64 interval_s,
                   const char *agent_version, const char *hardware_model)
{
	HeartbeatRow *row = g_hash_table_lookup(rows->heartbeats, GUINT_TO_POINTER(host_id));
	if (row != NULL && row->received_us > received_us)
		return; /* an older heartbeat arriving late changes nothing */
	row = g_new0(HeartbeatRow, 1);
	row->host_id = host_id;
	row->received_us = received_us;
	g_strlcpy(row->received, received, sizeof row->received);
	g_strlcpy(row->boot, boot != NULL ? boot : "", sizeof row->boot);
	row->interval_s = interval_s;
	row->machine_type = machine_type;
	row->name = g_strdup(name);
	row->os_name = g_strdup(os_name);
	row->os_version = g_strdup(os_version);
	row->agent_version = g_strdup(agent_version);
	row->hardware_model = g_strdup(hardware_model);
	row->digest = heartbeat_digest(row);
	g_hash_table_replace(rows->heartbeats, GUINT_TO_POINTER(host_id), row);
}

static ChopinDbValue
text_or_null(const char *text, gsize len)
{
	return text != NULL ? CHOPIN_DB_VALUE_TEXT_LEN(text, len) : CHOPIN_DB_VALUE_NULL;
}

static void
heartbeat_fill(guint index, ChopinDbValue *p, gpointer user_data)
{
	const HeartbeatRow *row = g_ptr_array_index((GPtrArray *)user_data, index);
	*p++ = CHOPIN_DB_VALUE_UINT(row->host_id);
	*p++ = chopin_db_value_text(row->name);
	*p++ = chopin_db_value_text(row->received);
	*p++ = chopin_db_value_text(row->os_name);
	*p++ = chopin_db_value_text(row->os_version);
	*p++ = chopin_db_value_text(row->machine_type);
	*p++ = chopin_db_value_text(row->boot[0] ? row->boot : NULL);
	*p++ = CHOPIN_DB_VALUE_UINT(row->interval_s);
	*p++ = chopin_db_value_text(row->agent_version);
	*p++ = chopin_db_value_text(row->hardware_model);
	*p = chopin_db_value_text(row->received);
}

/* EventLog 6005/6006/6008, User32 1074/1076, Kernel-Power 41, Chopin's own reboot findings
 * 1/2: the events rows_flush() copies to start_stop_events as well. */
static gboolean
rows_is_start_stop(const char *source, gsize source_len, guint64 event_id)
{
	static const struct {
		const char *source;
		guint64 ids[3];
	} kinds[] = {
	    {"EventLog", {6005, 6006, 6008}},
	    {"User32", {1074, 1076, 0}},
	    {"Microsoft-Windows-Kernel-Power", {41, 0, 0}},
	    {"Kernel-Power", {41, 0, 0}},
	    {"Chopin", {1, 2, 0}},
	};
	if (source == NULL)
		return FALSE;
	for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
		if (strlen(kinds[k].source) != source_len ||
		    memcmp(kinds[k].source, source, source_len) != 0)
			continue;
		for (gsize i = 0; i < G_N_ELEMENTS(kinds[k].ids) && kinds[k].ids[i] != 0; i++)
			if (kinds[k].ids[i] == event_id)
				return TRUE;
		return FALSE;
	}
	return FALSE;
}

static void
start_stop_fill(guint index, ChopinDbValue *p, gpointer user_data)
{
	const EventRow *row = g_ptr_array_index((GPtrArray *)user_data, index);
	*p++ = CHOPIN_DB_VALUE_UINT(row->host_id);
	*p++ = chopin_db_value_text(row->event_time);
	*p++ = text_or_null(row->source, row->source_len);
	*p++ = CHOPIN_DB_VALUE_UINT(row->event_id);
	*p++ = text_or_null(row->message, row->message_len);
	*p++ = chopin_db_value_text(row->instance);
	*p = CHOPIN_DB_VALUE_UINT(row->sequence);
}

static void
event_row_fill(const EventRow *row, ChopinDbValue *p)
{
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
	*p = chopin_db_value_text(row->device[0] != '\0' ? row->device : NULL);
}

static void
event_fill(guint index, ChopinDbValue *p, gpointer user_data)
{
	event_row_fill(&g_array_index((GArray *)user_data, EventRow, index), p);
}

/* The rows of a stream not streamed yet. */
static void
event_rest_fill(guint index, ChopinDbValue *p, gpointer user_data)
{
	EventStream *stream = user_data;
	event_fill(stream->streamed + index, p, stream->events);
}

/* The writer's transaction, begun on first use; its session skips the foreign key check,
 * which would share-lock the hosts rows the main connection updates (rows_stream_of()). */
static gboolean
writer_begin(EventStream *writer, GError **error)
{
	if (writer->open)
		return TRUE;
	if (!chopin_db_is_connected(writer->db) && !chopin_db_reconnect(writer->db, error))
		return FALSE;
	if (!chopin_db_exec(writer->db, "SET SESSION foreign_key_checks = 0", error) ||
	    !chopin_db_begin(writer->db, error))
		return FALSE;
	writer->open = TRUE;
	return TRUE;
}

static gboolean
stream_rows(Rows *rows, EventStream *stream, GError **error)
{
	guint waiting = stream->events->len - stream->streamed;

	if (rows->stream_rows < 2 || waiting < rows->stream_rows)
		return TRUE;
	/* while the previous statement runs, keep applying records, up to a full statement */
	if (waiting < rows->stream_rows * STREAM_FACTOR_MAX && chopin_db_busy(stream->db))
		return TRUE;
	/* the previous statement must be done before its copy is overwritten */
	if (!chopin_db_wait(stream->db, error))
		return FALSE;
	if (stream != &rows->streams[0] && !writer_begin(stream, error))
		return FALSE;
	guint size = 0;
	while (rows->stream_rows * stream_factors[size] > waiting)
		size++;
	guint n = rows->stream_rows * stream_factors[size];
	memcpy(stream->in_flight, &g_array_index(stream->events, EventRow, stream->streamed),
	       n * sizeof(EventRow));
	if (rows->stream_sql[size] == NULL)
		rows->stream_sql[size] = rows_statement_sql(&event_insert, n);
	ChopinDbStmt *stmt = chopin_db_prepare(stream->db, rows->stream_sql[size], error);
	if (stmt == NULL)
		return FALSE;
	g_autofree ChopinDbValue *params = g_new(ChopinDbValue, n * event_insert.columns);
	for (guint i = 0; i < n; i++)
		event_row_fill(&stream->in_flight[i], params + i * event_insert.columns);
	if (!chopin_db_stmt_execute_async(stmt, params, n * event_insert.columns, error))
		return FALSE;
	stream->streamed += n;
	return TRUE;
}

gboolean
rows_stream(Rows *rows, GError **error)
{
	for (guint i = 0; i < rows->writers; i++)
		if (!stream_rows(rows, &rows->streams[i], error))
			return FALSE;
	return TRUE;
}

static void
rows_note_written(Rows *rows, const HeartbeatRow *row)
{
	WrittenHeartbeat *written = g_new(WrittenHeartbeat, 1);
	written->received_us = row->received_us;
	written->digest = row->digest;
	g_hash_table_replace(rows->written[0], GUINT_TO_POINTER(row->host_id), written);
}

/*
 * The heartbeats this transaction writes to hosts: those of this transaction that change
 * more than the time or come HEARTBEAT_COALESCE_US after the one last written, and the
 * deferred ones that are due (all of them when @all).  The others wait in deferred.
 */
static void
rows_pick_heartbeats(Rows *rows, uint64_t clock_us, gboolean all, GPtrArray *ret_rows)
{
	GHashTableIter iter;
	gpointer key, value;

	if (clock_us >= rows->written_since + HEARTBEAT_COALESCE_US) {
		GHashTable *older = rows->written[1];
		g_hash_table_remove_all(older);
		rows->written[1] = rows->written[0];
		rows->written[0] = older;
		if (clock_us >= rows->written_since + 2 * HEARTBEAT_COALESCE_US)
			g_hash_table_remove_all(rows->written[1]);
		rows->written_since = clock_us;
	}
	g_hash_table_iter_init(&iter, rows->heartbeats);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		HeartbeatRow *row = value;
		const WrittenHeartbeat *written = g_hash_table_lookup(rows->written[0], key);
		if (written == NULL)
			written = g_hash_table_lookup(rows->written[1], key);
		HeartbeatRow *deferred = g_hash_table_lookup(rows->deferred, key);
		if (!all && written != NULL && written->digest == row->digest &&
		    row->received_us >= written->received_us &&
		    row->received_us < written->received_us + HEARTBEAT_COALESCE_US) {
			if (deferred == NULL || deferred->received_us <= row->received_us) {
				row->written_us = written->received_us;
				rows->coalesced++;
				g_hash_table_iter_steal(&iter);
				g_hash_table_replace(rows->deferred, key, row);
			}
			continue;
		}
		/* a deferred one is older, and if this transaction fails its records (this
		 * heartbeat's among them) are applied again */
		if (deferred != NULL && deferred->received_us <= row->received_us)
			g_hash_table_remove(rows->deferred, key);
		rows_note_written(rows, row);
		g_ptr_array_add(ret_rows, row);
	}
	g_hash_table_iter_init(&iter, rows->deferred);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		HeartbeatRow *row = value;
		if (row->sent || (!all && clock_us < row->written_us + HEARTBEAT_COALESCE_US))
			continue;
		/* dropped at commit: its records are committed already, so a rollback must not
		 * lose it */
		row->sent = TRUE;
		rows_note_written(rows, row);
		g_ptr_array_add(ret_rows, row);
	}
}

gboolean
rows_flush(Rows *rows, uint64_t clock_us, gboolean all_heartbeats, GError **error)
{
	g_autoptr(GPtrArray) heartbeats = g_ptr_array_new();

	rows_pick_heartbeats(rows, clock_us, all_heartbeats, heartbeats);
	g_autoptr(GPtrArray) start_stops = g_ptr_array_new();
	for (guint s = 0; s < rows->writers; s++) {
		GArray *events = rows->streams[s].events;
		for (guint i = 0; i < events->len; i++) {
			EventRow *row = &g_array_index(events, EventRow, i);
			if (rows_is_start_stop(row->source, row->source_len, row->event_id))
				g_ptr_array_add(start_stops, row);
		}
	}
	/* the writer's rows are committed first: should the main transaction fail, the
	 * replay finds them and INSERT IGNORE leaves them as they are */
	EventStream *writer = &rows->streams[1], *main = &rows->streams[0];
	if (rows->writers > 1 && writer->events->len > 0) {
		if (!writer_begin(writer, error) || !chopin_db_wait(writer->db, error) ||
		    !rows_execute(writer->db, &event_insert, writer->events->len - writer->streamed,
		                  event_rest_fill, writer, error) ||
		    !chopin_db_commit(writer->db, error))
			return FALSE;
		writer->open = FALSE;
		rows->second += writer->events->len;
	}
	if (!rows_execute(main->db, &heartbeat_upsert, heartbeats->len, heartbeat_fill, heartbeats,
	                  error) ||
	    !rows_execute(main->db, &event_insert, main->events->len - main->streamed,
	                  event_rest_fill, main, error) ||
	    !rows_execute(main->db, &start_stop_insert, start_stops->len, start_stop_fill,
	                  start_stops, error))
		return FALSE;
	rows_clear(rows);
	return TRUE;
}
