/*
 * The journal: what a transaction changed in the sequence windows and the rules' state,
 * written as one row of correlator_state instead of a row per agent instance and rule key.
 * Every minute or so a compaction writes the rows themselves and empties the journal.  On
 * restart the rows are read, then the journal over them, oldest entry first.
 */
#include "config.h"

#include "correlator.h"

#include <string.h>

#define JOURNAL_RULE "journal"
/* A compaction when the journal is this big, or older than max_age_us. */
#define JOURNAL_MAX_BYTES  (16 * 1024 * 1024)
#define JOURNAL_MAX_ROWS   2000

enum { ENTRY_INSTANCE = 'I', ENTRY_RULE = 'R' };

struct _Journal {
	ChopinDb *db;
	char *name;
	GByteArray *pending; /* entries of the open transaction */
	guint64 next_row;    /* state_key of the next row */
	gint64 max_age_us;
	/* what the journal in the database holds */
	gint64 since_us; /* first row's time; 0: empty */
	guint64 bytes, rows;
	GHashTable *instances; /* "host id/instance" -> JournalInstance, the latest of each */
	GPtrArray *rules;      /* GBytes: "state id\0state", oldest first */
};

Journal *
journal_new(ChopinDb *db, const char *correlator_name)
{
	Journal *journal = g_new0(Journal, 1);
	journal->db = db;
	journal->name = g_strdup(correlator_name);
	journal->pending = g_byte_array_new();
	journal->max_age_us = 60 * G_USEC_PER_SEC;
	journal->instances = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	journal->rules = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	return journal;
}

void
journal_free(Journal *journal)
{
	if (journal == NULL)
		return;
	g_byte_array_free(journal->pending, TRUE);
	g_hash_table_destroy(journal->instances);
	g_ptr_array_unref(journal->rules);
	g_free(journal->name);
	g_free(journal);
}

/* --- encoding: little-endian integers, strings with a 16- or 32-bit length ------------- */

static void
put_u64(GByteArray *out, guint64 value)
{
	guint64 le = GUINT64_TO_LE(value);
	g_byte_array_append(out, (const guint8 *)&le, 8);
}

static void
put_bytes(GByteArray *out, const void *data, gsize len)
{
	put_u64(out, len);
	g_byte_array_append(out, data, (guint)len);
}

typedef struct {
	const guint8 *p, *end;
	gboolean ok;
} Reader;

static guint64
get_u64(Reader *reader)
{
	guint64 le;
	if ((gsize)(reader->end - reader->p) < 8) {
		reader->ok = FALSE;
		return 0;
	}
	memcpy(&le, reader->p, 8);
	reader->p += 8;
	return GUINT64_FROM_LE(le);
}

static const guint8 *
get_bytes(Reader *reader, gsize *ret_len)
{
	guint64 len = get_u64(reader);
	if (!reader->ok || len > (guint64)(reader->end - reader->p)) {
		reader->ok = FALSE;
		return NULL;
	}
	const guint8 *data = reader->p;
	reader->p += len;
	*ret_len = (gsize)len;
	return data;
}

static gboolean
journal_exec(ChopinDb *db, const char *sql, const ChopinDbValue *params, guint n, GError **error)
{
	ChopinDbStmt *stmt = chopin_db_prepare(db, sql, error);
	return stmt != NULL && chopin_db_stmt_execute(stmt, params, n, NULL, error);
}

/* --- reading what the database holds -------------------------------------------------- */

static gboolean
journal_read_row(Journal *journal, const guint8 *data, gsize len)
{
	Reader reader = {data, data + len, TRUE};
	while (reader.ok && reader.p < reader.end) {
		guint8 type = *reader.p++;
		gsize n;
		if (type == ENTRY_INSTANCE) {
			JournalInstance entry = {0};
			entry.host_id = (guint)get_u64(&reader);
			const guint8 *instance = get_bytes(&reader, &n);
			if (!reader.ok || n >= sizeof entry.last_seen)
				return FALSE;
			g_autofree char *id = g_strndup((const char *)instance, n);
			entry.last_sequence = get_u64(&reader);
			entry.lost = get_u64(&reader);
			entry.duplicates = get_u64(&reader);
			const guint8 *seen = get_bytes(&reader, &n);
			if (!reader.ok || n >= sizeof entry.last_seen)
				return FALSE;
			memcpy(entry.last_seen, seen, n);
			g_hash_table_replace(journal->instances,
			                     g_strdup_printf("%u/%s", entry.host_id, id),
			                     g_memdup2(&entry, sizeof entry));
		} else if (type == ENTRY_RULE) {
			const guint8 *id = get_bytes(&reader, &n);
			gsize id_len = n;
			const guint8 *state = get_bytes(&reader, &n);
			if (!reader.ok || memchr(id, '\0', id_len) != NULL)
				return FALSE;
			GByteArray *rule = g_byte_array_sized_new((guint)(id_len + 1 + n));
			g_byte_array_append(rule, id, (guint)id_len);
			g_byte_array_append(rule, (const guint8 *)"", 1);
			g_byte_array_append(rule, state, (guint)n);
			g_ptr_array_add(journal->rules, g_byte_array_free_to_bytes(rule));
		} else {
			return FALSE;
		}
	}
	return reader.ok;
}

gboolean
journal_load(Journal *journal, GError **error)
{
	gboolean have_row;
	journal_forget(journal);
	g_hash_table_remove_all(journal->instances);
	g_ptr_array_set_size(journal->rules, 0);
	journal->since_us = 0;
	journal->bytes = journal->rows = 0;
	journal->next_row = 1;
	ChopinDbValue params[] = {chopin_db_value_text(journal->name)};
	ChopinDbStmt *stmt = chopin_db_prepare(
	    journal->db,
	    "SELECT state_key, state, TIMESTAMPDIFF(MICROSECOND, '1970-01-01', updated_at) "
	    "FROM correlator_state WHERE correlator_name = ? AND rule_name = '" JOURNAL_RULE
	    "' ORDER BY state_key",
	    error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error))
		return FALSE;
	for (;;) {
		if (!chopin_db_stmt_fetch(stmt, &have_row, error))
			return FALSE;
		if (!have_row)
			break;
		gsize len;
		guint64 row = g_ascii_strtoull(chopin_db_stmt_column_text(stmt, 0, NULL), NULL, 10);
		const char *state = chopin_db_stmt_column_text(stmt, 1, &len);
		if (!journal_read_row(journal, (const guint8 *)state, len)) {
			chopin_db_stmt_reset(stmt);
			g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_QUERY,
			            "journal row %" G_GUINT64_FORMAT " of correlator '%s' is corrupt",
			            row, journal->name);
			return FALSE;
		}
		if (journal->since_us == 0)
			journal->since_us = chopin_db_stmt_column_int(stmt, 2, 0);
		journal->bytes += len;
		journal->rows++;
		journal->next_row = MAX(journal->next_row, row + 1);
	}
	chopin_db_stmt_reset(stmt);
	return TRUE;
}

void
journal_foreach_instance(Journal *journal, JournalInstanceFunc func, gpointer user_data)
{
	GHashTableIter iter;
	gpointer key, value;
	g_hash_table_iter_init(&iter, journal->instances);
	while (g_hash_table_iter_next(&iter, &key, &value))
		func(strchr(key, '/') + 1, value, user_data);
}

void
journal_foreach_rule(Journal *journal, JournalRuleFunc func, gpointer user_data)
{
	for (guint i = 0; i < journal->rules->len; i++) {
		gsize len;
		const char *data = g_bytes_get_data(g_ptr_array_index(journal->rules, i), &len);
		gsize id_len = strlen(data) + 1;
		func(data, (const guint8 *)data + id_len, len - id_len, user_data);
	}
}

/* --- the open transaction ---------------------------------------------------------------- */

void
journal_forget(Journal *journal)
{
	g_byte_array_set_size(journal->pending, 0);
}

void
journal_set_max_age(Journal *journal, gint64 age_us)
{
	journal->max_age_us = age_us;
}

gboolean
journal_compaction_due(const Journal *journal, gint64 now_us)
{
	return journal->rows > 0 &&
	       (now_us - journal->since_us >= journal->max_age_us || now_us < journal->since_us ||
	        journal->bytes >= JOURNAL_MAX_BYTES || journal->rows >= JOURNAL_MAX_ROWS);
}

void
journal_put_instance(Journal *journal, const JournalInstance *entry, const char *instance_id)
{
	guint8 type = ENTRY_INSTANCE;
	g_byte_array_append(journal->pending, &type, 1);
	put_u64(journal->pending, entry->host_id);
	put_bytes(journal->pending, instance_id, strlen(instance_id));
	put_u64(journal->pending, entry->last_sequence);
	put_u64(journal->pending, entry->lost);
	put_u64(journal->pending, entry->duplicates);
	put_bytes(journal->pending, entry->last_seen, strlen(entry->last_seen));
}

void
journal_put_rule(Journal *journal, const char *state_id, const guint8 *state, gsize len)
{
	guint8 type = ENTRY_RULE;
	g_byte_array_append(journal->pending, &type, 1);
	put_bytes(journal->pending, state_id, strlen(state_id));
	put_bytes(journal->pending, state, len);
}

gboolean
journal_write(Journal *journal, gboolean compacted, GError **error)
{
	ChopinDbValue name = chopin_db_value_text(journal->name);
	if (compacted) {
		/* the rows hold everything now */
		if (journal->rows > 0 &&
		    !journal_exec(journal->db,
		                           "DELETE FROM correlator_state WHERE correlator_name = ? AND "
		                           "rule_name = '" JOURNAL_RULE "'",
		                           &name, 1, error))
			return FALSE;
	} else if (journal->pending->len > 0) {
		char key[24];
		g_snprintf(key, sizeof key, "%020" G_GUINT64_FORMAT, journal->next_row);
		ChopinDbValue params[] = {
		    name, chopin_db_value_text(key),
		    CHOPIN_DB_VALUE_BLOB((const char *)journal->pending->data, journal->pending->len)};
		if (!journal_exec(journal->db,
		                           "INSERT INTO correlator_state (correlator_name, rule_name, "
		                           "state_key, state, updated_at) VALUES (?, '" JOURNAL_RULE
		                           "', ?, ?, UTC_TIMESTAMP(6))",
		                           params, G_N_ELEMENTS(params), error))
			return FALSE;
	}
	return TRUE;
}

void
journal_committed(Journal *journal, gboolean compacted, gint64 now_us)
{
	if (compacted) {
		journal->rows = journal->bytes = 0;
		journal->since_us = 0;
		g_hash_table_remove_all(journal->instances);
		g_ptr_array_set_size(journal->rules, 0);
	} else if (journal->pending->len > 0) {
		if (journal->rows == 0)
			journal->since_us = now_us;
		journal->rows++;
		journal->bytes += journal->pending->len;
		journal->next_row++;
	}
	g_byte_array_set_size(journal->pending, 0);
}
