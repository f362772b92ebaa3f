/* MySQL/MariaDB access: connect with timeouts, cached prepared statements, error classification. */
#include "config.h"

#include "chopin-mysql.h"

#include <mysql.h>
#include <stdint.h>
#include <string.h>

G_DEFINE_QUARK(chopin-db-error-quark, chopin_db_error)

struct _ChopinDb {
	MYSQL *mysql;
	gboolean connected;
	guint generation; /* bumped at each (re)connect; statements re-prepare when stale */
	GHashTable *statements; /* SQL text -> ChopinDbStmt */
	/* kept for reconnecting */
	gchar *host, *socket, *user, *password, *database, *option_file, *option_group;
	unsigned int port, connect_timeout_s, read_timeout_s, write_timeout_s;
	gboolean time_zone_independent;
	/* one statement executing on the worker thread (chopin_db_stmt_execute_async) */
	GThread *worker;
	GMutex lock;
	GCond cond;
	struct _ChopinDbStmt *job; /* submitted, not yet finished; NULL: none */
	gboolean in_flight;        /* submitted and not yet waited for */
	gboolean quit;
	GError *job_error;
};

typedef union {
	gint64 i;
	guint64 u;
	double d;
} StmtScalar;

struct _ChopinDbStmt {
	ChopinDb *db;
	gchar *sql;
	MYSQL_STMT *handle;
	guint generation;
	guint n_params;
	MYSQL_BIND *param_binds;
	StmtScalar *param_scalars;
	unsigned long *param_lengths;
	/* result side: every column fetched as text */
	guint n_columns;
	MYSQL_BIND *result_binds;
	char **result_buffers;
	unsigned long *result_lengths;
	my_bool *result_nulls;
	gboolean have_result;
};

/*
 * Server and client error numbers, by the names both MySQL and MariaDB
 * document.  Literal numbers: the two client libraries' headers disagree on
 * which names they define.
 */
static ChopinDbError
db_classify_errno(unsigned int code)
{
	switch (code) {
	case 1040: /* ER_CON_COUNT_ERROR */
	case 1053: /* ER_SERVER_SHUTDOWN */
	case 1927: /* ER_CONNECTION_KILLED (MariaDB) */
	case 2002: /* CR_CONNECTION_ERROR */
	case 2003: /* CR_CONN_HOST_ERROR */
	case 2005: /* CR_UNKNOWN_HOST */
	case 2006: /* CR_SERVER_GONE_ERROR */
	case 2013: /* CR_SERVER_LOST */
	case 2026: /* CR_SSL_CONNECTION_ERROR */
	case 2055: /* CR_SERVER_LOST_EXTENDED */
	case 4031: /* ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8) */
		return CHOPIN_DB_ERROR_CONNECTION;
	case 1205: /* ER_LOCK_WAIT_TIMEOUT */
	case 1213: /* ER_LOCK_DEADLOCK */
		return CHOPIN_DB_ERROR_RETRY;
	case 1062: /* ER_DUP_ENTRY */
	case 1586: /* ER_DUP_ENTRY_WITH_KEY_NAME */
		return CHOPIN_DB_ERROR_DUPLICATE;
	case 1044: /* ER_DBACCESS_DENIED_ERROR */
	case 1045: /* ER_ACCESS_DENIED_ERROR */
	case 1142: /* ER_TABLEACCESS_DENIED_ERROR */
	case 1143: /* ER_COLUMNACCESS_DENIED_ERROR */
	case 1227: /* ER_SPECIFIC_ACCESS_DENIED_ERROR */
	case 1370: /* ER_PROCACCESS_DENIED_ERROR */
		return CHOPIN_DB_ERROR_ACCESS;
	default:
		return CHOPIN_DB_ERROR_QUERY;
	}
}

static void
db_set_error(ChopinDb *db, unsigned int code, const char *message, const char *what,
	     GError **error)
{
	ChopinDbError kind = db_classify_errno(code);

	if (kind == CHOPIN_DB_ERROR_CONNECTION)
		db->connected = FALSE;
	g_set_error(error, CHOPIN_DB_ERROR, kind, "%s: %s (%u)", what, message, code);
}

static void
db_set_mysql_error(ChopinDb *db, const char *what, GError **error)
{
	db_set_error(db, mysql_errno(db->mysql), mysql_error(db->mysql), what, error);
}

static void
db_set_stmt_error(ChopinDbStmt *stmt, const char *what, GError **error)
{
	db_set_error(stmt->db, mysql_stmt_errno(stmt->handle), mysql_stmt_error(stmt->handle),
		     what, error);
}

ChopinDbValue
chopin_db_value_text(const char *s)
{
	if (s == NULL)
		return CHOPIN_DB_VALUE_NULL;
	return CHOPIN_DB_VALUE_TEXT_LEN(s, strlen(s));
}

/* --- statements ---------------------------------------------------------- */

static void
stmt_free_result(ChopinDbStmt *stmt)
{
	if (stmt->have_result && stmt->handle != NULL)
		mysql_stmt_free_result(stmt->handle);
	stmt->have_result = FALSE;
	for (guint i = 0; i < stmt->n_columns; i++)
		g_free(stmt->result_buffers[i]);
	g_clear_pointer(&stmt->result_buffers, g_free);
	g_clear_pointer(&stmt->result_binds, g_free);
	g_clear_pointer(&stmt->result_lengths, g_free);
	g_clear_pointer(&stmt->result_nulls, g_free);
	stmt->n_columns = 0;
}

static void
stmt_close(ChopinDbStmt *stmt)
{
	stmt_free_result(stmt);
	if (stmt->handle != NULL)
		mysql_stmt_close(stmt->handle);
	stmt->handle = NULL;
	g_clear_pointer(&stmt->param_binds, g_free);
	g_clear_pointer(&stmt->param_scalars, g_free);
	g_clear_pointer(&stmt->param_lengths, g_free);
	stmt->n_params = 0;
}

static void
stmt_free(gpointer data)
{
	ChopinDbStmt *stmt = data;

	stmt_close(stmt);
	g_free(stmt->sql);
	g_free(stmt);
}

static void
stmt_params_alloc(ChopinDbStmt *stmt, guint n_params)
{
	stmt->n_params = n_params;
	stmt->param_binds = g_new0(MYSQL_BIND, n_params ? n_params : 1);
	stmt->param_scalars = g_new0(StmtScalar, n_params ? n_params : 1);
	stmt->param_lengths = g_new0(unsigned long, n_params ? n_params : 1);
}

/* Prepares @stmt on the current connection if it is not prepared there yet. */
static gboolean
stmt_ensure_prepared(ChopinDbStmt *stmt, GError **error)
{
	ChopinDb *db = stmt->db;

	if (stmt->handle != NULL && stmt->generation == db->generation)
		return TRUE;
	if (stmt->handle != NULL)
		stmt_close(stmt); /* prepared on an earlier connection */
	if (!db->connected) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION,
			    "not connected to the database");
		return FALSE;
	}
	stmt->handle = mysql_stmt_init(db->mysql);
	if (stmt->handle == NULL) {
		db_set_mysql_error(db, "preparing statement", error);
		return FALSE;
	}
	if (mysql_stmt_prepare(stmt->handle, stmt->sql, strlen(stmt->sql)) != 0) {
		db_set_stmt_error(stmt, "preparing statement", error);
		mysql_stmt_close(stmt->handle);
		stmt->handle = NULL;
		return FALSE;
	}
	stmt->generation = db->generation;
	stmt_params_alloc(stmt, (guint)mysql_stmt_param_count(stmt->handle));
	return TRUE;
}

/* The cache entry for @sql, created (not prepared) on first use. */
static ChopinDbStmt *
db_statement_get(ChopinDb *db, const char *sql)
{
	ChopinDbStmt *stmt = g_hash_table_lookup(db->statements, sql);

	if (stmt == NULL) {
		stmt = g_new0(ChopinDbStmt, 1);
		stmt->db = db;
		stmt->sql = g_strdup(sql);
		g_hash_table_insert(db->statements, stmt->sql, stmt);
	}
	return stmt;
}

ChopinDbStmt *
chopin_db_prepare(ChopinDb *db, const char *sql, GError **error)
{
	g_return_val_if_fail(db != NULL, NULL);
	g_return_val_if_fail(sql != NULL, NULL);

	if (!chopin_db_wait(db, error))
		return NULL;
	ChopinDbStmt *stmt = db_statement_get(db, sql);
	if (!stmt_ensure_prepared(stmt, error))
		return NULL;
	return stmt;
}

static void
stmt_bind_params(ChopinDbStmt *stmt, const ChopinDbValue *params)
{
	memset(stmt->param_binds, 0, sizeof(MYSQL_BIND) * stmt->n_params);
	for (guint i = 0; i < stmt->n_params; i++) {
		MYSQL_BIND *bind = &stmt->param_binds[i];
		StmtScalar *scalar = &stmt->param_scalars[i];
		switch (params[i].type) {
		case CHOPIN_DB_NULL:
			bind->buffer_type = MYSQL_TYPE_NULL;
			break;
		case CHOPIN_DB_INT:
			scalar->i = params[i].v.i;
			bind->buffer_type = MYSQL_TYPE_LONGLONG;
			bind->buffer = &scalar->i;
			break;
		case CHOPIN_DB_UINT:
			scalar->u = params[i].v.u;
			bind->buffer_type = MYSQL_TYPE_LONGLONG;
			bind->buffer = &scalar->u;
			bind->is_unsigned = 1;
			break;
		case CHOPIN_DB_DOUBLE:
			scalar->d = params[i].v.d;
			bind->buffer_type = MYSQL_TYPE_DOUBLE;
			bind->buffer = &scalar->d;
			break;
		case CHOPIN_DB_TEXT:
		case CHOPIN_DB_BLOB:
			stmt->param_lengths[i] = (unsigned long)params[i].v.text.len;
			bind->buffer_type = params[i].type == CHOPIN_DB_BLOB ? MYSQL_TYPE_BLOB
									       : MYSQL_TYPE_STRING;
			/* the client library does not write through this pointer */
			bind->buffer = (void *)(uintptr_t)params[i].v.text.data;
			bind->buffer_length = stmt->param_lengths[i];
			bind->length = &stmt->param_lengths[i];
			break;
		}
	}
}

/* After execute: buffers the result set and binds every column as text. */
static gboolean
stmt_prepare_result(ChopinDbStmt *stmt, GError **error)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(stmt->handle);
	if (meta == NULL)
		return TRUE; /* no result set */

	my_bool update_max = 1;
	mysql_stmt_attr_set(stmt->handle, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
	if (mysql_stmt_store_result(stmt->handle) != 0) {
		mysql_free_result(meta);
		db_set_stmt_error(stmt, "reading result", error);
		return FALSE;
	}
	stmt->have_result = TRUE;
	stmt->n_columns = mysql_num_fields(meta);
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	stmt->result_binds = g_new0(MYSQL_BIND, stmt->n_columns ? stmt->n_columns : 1);
	stmt->result_buffers = g_new0(char *, stmt->n_columns ? stmt->n_columns : 1);
	stmt->result_lengths = g_new0(unsigned long, stmt->n_columns ? stmt->n_columns : 1);
	stmt->result_nulls = g_new0(my_bool, stmt->n_columns ? stmt->n_columns : 1);
	for (guint i = 0; i < stmt->n_columns; i++) {
		unsigned long size = MAX(fields[i].max_length, 64ul) + 1;
		stmt->result_buffers[i] = g_malloc(size);
		stmt->result_binds[i].buffer_type = MYSQL_TYPE_STRING;
		stmt->result_binds[i].buffer = stmt->result_buffers[i];
		stmt->result_binds[i].buffer_length = size;
		stmt->result_binds[i].length = &stmt->result_lengths[i];
		stmt->result_binds[i].is_null = &stmt->result_nulls[i];
	}
	mysql_free_result(meta);
	if (mysql_stmt_bind_result(stmt->handle, stmt->result_binds) != 0) {
		db_set_stmt_error(stmt, "binding result", error);
		return FALSE;
	}
	return TRUE;
}

/* Waits for the statement in flight, prepares @stmt if needed and binds @params: what
 * every execution does before the server runs it. */
static gboolean
stmt_bind_for_execute(ChopinDbStmt *stmt, const ChopinDbValue *params, guint n_params,
		      GError **error)
{
	if (!chopin_db_wait(stmt->db, error) || !stmt_ensure_prepared(stmt, error))
		return FALSE;
	if (n_params != stmt->n_params) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_USAGE,
			    "statement takes %u parameters, %u given", stmt->n_params, n_params);
		return FALSE;
	}
	stmt_free_result(stmt);
	if (stmt->n_params > 0) {
		stmt_bind_params(stmt, params);
		if (mysql_stmt_bind_param(stmt->handle, stmt->param_binds) != 0) {
			db_set_stmt_error(stmt, "binding parameters", error);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
chopin_db_stmt_execute(ChopinDbStmt *stmt, const ChopinDbValue *params, guint n_params,
		       guint64 *ret_affected, GError **error)
{
	g_return_val_if_fail(stmt != NULL, FALSE);

	if (!stmt_bind_for_execute(stmt, params, n_params, error))
		return FALSE;
	if (mysql_stmt_execute(stmt->handle) != 0) {
		db_set_stmt_error(stmt, "executing statement", error);
		return FALSE;
	}
	if (!stmt_prepare_result(stmt, error))
		return FALSE;
	if (ret_affected != NULL)
		*ret_affected = (guint64)mysql_stmt_affected_rows(stmt->handle);
	return TRUE;
}

#ifdef HAVE_MARIADB_STMT_EXECUTE_DIRECT
/* Prepares and executes @stmt in one round trip: the parameters are bound before the
 * server has counted them, so the caller's count is announced with PREBIND_PARAMS. */
static gboolean
stmt_execute_direct(ChopinDbStmt *stmt, const ChopinDbValue *params, guint n_params,
		    GError **error)
{
	ChopinDb *db = stmt->db;
	unsigned int count = n_params;

	if (stmt->handle != NULL)
		stmt_close(stmt); /* prepared on an earlier connection */
	if (!db->connected) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION,
			    "not connected to the database");
		return FALSE;
	}
	stmt->handle = mysql_stmt_init(db->mysql);
	if (stmt->handle == NULL) {
		db_set_mysql_error(db, "preparing statement", error);
		return FALSE;
	}
	stmt_params_alloc(stmt, n_params);
	if (n_params > 0) {
		stmt_bind_params(stmt, params);
		if (mysql_stmt_attr_set(stmt->handle, STMT_ATTR_PREBIND_PARAMS, &count) != 0 ||
		    mysql_stmt_bind_param(stmt->handle, stmt->param_binds) != 0) {
			db_set_stmt_error(stmt, "binding parameters", error);
			stmt_close(stmt);
			return FALSE;
		}
	}
	if (mariadb_stmt_execute_direct(stmt->handle, stmt->sql, strlen(stmt->sql)) != 0) {
		db_set_stmt_error(stmt, "executing statement", error);
		stmt_close(stmt);
		return FALSE;
	}
	stmt->generation = db->generation;
	if (mysql_stmt_param_count(stmt->handle) != n_params) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_USAGE,
			    "statement takes %lu parameters, %u given",
			    (unsigned long)mysql_stmt_param_count(stmt->handle), n_params);
		stmt_close(stmt);
		return FALSE;
	}
	return stmt_prepare_result(stmt, error);
}
#endif

ChopinDbStmt *
chopin_db_query(ChopinDb *db, const char *sql, const ChopinDbValue *params, guint n_params,
		GError **error)
{
	g_return_val_if_fail(db != NULL, NULL);
	g_return_val_if_fail(sql != NULL, NULL);

	if (!chopin_db_wait(db, error))
		return NULL;
	ChopinDbStmt *stmt = db_statement_get(db, sql);
#ifdef HAVE_MARIADB_STMT_EXECUTE_DIRECT
	if (stmt->handle == NULL || stmt->generation != db->generation)
		return stmt_execute_direct(stmt, params, n_params, error) ? stmt : NULL;
#endif
	if (!chopin_db_stmt_execute(stmt, params, n_params, NULL, error))
		return NULL;
	return stmt;
}

guint64
chopin_db_stmt_insert_id(ChopinDbStmt *stmt)
{
	g_return_val_if_fail(stmt != NULL && stmt->handle != NULL, 0);
	return (guint64)mysql_stmt_insert_id(stmt->handle);
}

gboolean
chopin_db_stmt_fetch(ChopinDbStmt *stmt, gboolean *ret_have_row, GError **error)
{
	g_return_val_if_fail(stmt != NULL, FALSE);

	*ret_have_row = FALSE;
	if (!stmt->have_result)
		return TRUE;
	int rc = mysql_stmt_fetch(stmt->handle);
	if (rc == MYSQL_NO_DATA) {
		stmt_free_result(stmt);
		return TRUE;
	}
	if (rc == 1) {
		db_set_stmt_error(stmt, "fetching row", error);
		return FALSE;
	}
	if (rc == MYSQL_DATA_TRUNCATED) {
		/* a value longer than the buffer: grow it and fetch that column again */
		for (guint i = 0; i < stmt->n_columns; i++) {
			MYSQL_BIND *bind = &stmt->result_binds[i];
			if (stmt->result_nulls[i] || stmt->result_lengths[i] < bind->buffer_length)
				continue;
			unsigned long size = stmt->result_lengths[i] + 1;
			stmt->result_buffers[i] = g_realloc(stmt->result_buffers[i], size);
			bind->buffer = stmt->result_buffers[i];
			bind->buffer_length = size;
			if (mysql_stmt_fetch_column(stmt->handle, bind, i, 0) != 0) {
				db_set_stmt_error(stmt, "fetching column", error);
				return FALSE;
			}
		}
	}
	for (guint i = 0; i < stmt->n_columns; i++)
		if (!stmt->result_nulls[i])
			stmt->result_buffers[i][stmt->result_lengths[i]] = '\0';
	*ret_have_row = TRUE;
	return TRUE;
}

guint
chopin_db_stmt_n_columns(ChopinDbStmt *stmt)
{
	g_return_val_if_fail(stmt != NULL, 0);
	return stmt->n_columns;
}

const char *
chopin_db_stmt_column_text(ChopinDbStmt *stmt, guint column, gsize *ret_len)
{
	g_return_val_if_fail(stmt != NULL, NULL);
	g_return_val_if_fail(column < stmt->n_columns, NULL);

	if (stmt->result_nulls[column]) {
		if (ret_len != NULL)
			*ret_len = 0;
		return NULL;
	}
	if (ret_len != NULL)
		*ret_len = stmt->result_lengths[column];
	return stmt->result_buffers[column];
}

gint64
chopin_db_stmt_column_int(ChopinDbStmt *stmt, guint column, gint64 fallback)
{
	const char *text = chopin_db_stmt_column_text(stmt, column, NULL);
	gint64 value;

	if (text == NULL || !g_ascii_string_to_signed(text, 10, G_MININT64, G_MAXINT64, &value, NULL))
		return fallback;
	return value;
}

void
chopin_db_stmt_reset(ChopinDbStmt *stmt)
{
	g_return_if_fail(stmt != NULL);
	stmt_free_result(stmt);
}

/* --- one statement in flight ---------------------------------------------- */

static gpointer
db_worker(gpointer data)
{
	ChopinDb *db = data;

	/* the client library's per-thread state (libmysqlclient requires it, MariaDB's allows it) */
	mysql_thread_init();
	g_mutex_lock(&db->lock);
	for (;;) {
		while (db->job == NULL && !db->quit)
			g_cond_wait(&db->cond, &db->lock);
		if (db->job == NULL)
			break;
		ChopinDbStmt *stmt = db->job;
		GError *error = NULL;
		g_mutex_unlock(&db->lock);
		/* the submitting thread touches neither the connection nor this statement
		 * until chopin_db_wait() has seen the job finish */
		if (mysql_stmt_execute(stmt->handle) != 0)
			db_set_stmt_error(stmt, "executing statement", &error);
		g_mutex_lock(&db->lock);
		db->job_error = error;
		db->job = NULL;
		g_cond_broadcast(&db->cond);
	}
	g_mutex_unlock(&db->lock);
	mysql_thread_end();
	return NULL;
}

gboolean
chopin_db_wait(ChopinDb *db, GError **error)
{
	g_return_val_if_fail(db != NULL, FALSE);

	if (!db->in_flight)
		return TRUE;
	g_mutex_lock(&db->lock);
	while (db->job != NULL)
		g_cond_wait(&db->cond, &db->lock);
	GError *job_error = db->job_error;
	db->job_error = NULL;
	g_mutex_unlock(&db->lock);
	db->in_flight = FALSE;
	if (job_error != NULL) {
		g_propagate_error(error, job_error);
		return FALSE;
	}
	return TRUE;
}

gboolean
chopin_db_busy(ChopinDb *db)
{
	g_return_val_if_fail(db != NULL, FALSE);

	if (!db->in_flight)
		return FALSE;
	g_mutex_lock(&db->lock);
	gboolean busy = db->job != NULL;
	g_mutex_unlock(&db->lock);
	return busy;
}

gboolean
chopin_db_stmt_execute_async(ChopinDbStmt *stmt, const ChopinDbValue *params, guint n_params,
			     GError **error)
{
	g_return_val_if_fail(stmt != NULL, FALSE);
	ChopinDb *db = stmt->db;

	if (!stmt_bind_for_execute(stmt, params, n_params, error))
		return FALSE;
	if (db->worker == NULL) {
		db->worker = g_thread_try_new("chopin-db", db_worker, db, error);
		if (db->worker == NULL)
			return FALSE;
	}
	g_mutex_lock(&db->lock);
	db->job = stmt;
	db->in_flight = TRUE;
	g_cond_broadcast(&db->cond);
	g_mutex_unlock(&db->lock);
	return TRUE;
}

/* --- connections --------------------------------------------------------- */

static gboolean
db_open(ChopinDb *db, GError **error)
{
	db->mysql = mysql_init(NULL);
	if (db->mysql == NULL) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION,
			    "mysql_init failed: out of memory");
		return FALSE;
	}
	if (db->option_file != NULL)
		mysql_options(db->mysql, MYSQL_READ_DEFAULT_FILE, db->option_file);
	if (db->option_group != NULL || db->option_file != NULL)
		mysql_options(db->mysql, MYSQL_READ_DEFAULT_GROUP,
			      db->option_group != NULL ? db->option_group : "client");
	if (db->connect_timeout_s > 0)
		mysql_options(db->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &db->connect_timeout_s);
	if (db->read_timeout_s > 0)
		mysql_options(db->mysql, MYSQL_OPT_READ_TIMEOUT, &db->read_timeout_s);
	if (db->write_timeout_s > 0)
		mysql_options(db->mysql, MYSQL_OPT_WRITE_TIMEOUT, &db->write_timeout_s);
	mysql_options(db->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");

	if (mysql_real_connect(db->mysql, db->host, db->user, db->password, db->database, db->port,
			       db->socket, 0) == NULL) {
		db_set_mysql_error(db, "connecting to the database", error);
		mysql_close(db->mysql);
		db->mysql = NULL;
		return FALSE;
	}
	db->connected = TRUE;
	db->generation++;
	if (db->time_zone_independent)
		return TRUE;
	if (mysql_query(db->mysql, "SET time_zone = '+00:00'") != 0) {
		db_set_mysql_error(db, "setting the session time zone", error);
		return FALSE;
	}
	return TRUE;
}

ChopinDb *
chopin_db_connect(const ChopinDbParams *params, GError **error)
{
	g_return_val_if_fail(params != NULL, NULL);

	g_autoptr(ChopinDb) db = g_new0(ChopinDb, 1);
	g_mutex_init(&db->lock);
	g_cond_init(&db->cond);
	db->statements = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, stmt_free);
	db->host = g_strdup(params->host);
	db->socket = g_strdup(params->socket);
	db->user = g_strdup(params->user);
	db->password = g_strdup(params->password);
	db->database = g_strdup(params->database);
	db->option_file = g_strdup(params->option_file);
	db->option_group = g_strdup(params->option_group);
	db->port = params->port;
	db->connect_timeout_s = params->connect_timeout_s;
	db->read_timeout_s = params->read_timeout_s;
	db->write_timeout_s = params->write_timeout_s;
	db->time_zone_independent = params->time_zone_independent;
	if (!db_open(db, error))
		return NULL;
	return g_steal_pointer(&db);
}

static void
db_close(ChopinDb *db)
{
	(void)chopin_db_wait(db, NULL);
	/* statements of this connection must be closed before it */
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, db->statements);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		stmt_close(value);
	if (db->mysql != NULL)
		mysql_close(db->mysql);
	db->mysql = NULL;
	db->connected = FALSE;
}

gboolean
chopin_db_reconnect(ChopinDb *db, GError **error)
{
	g_return_val_if_fail(db != NULL, FALSE);
	db_close(db);
	return db_open(db, error);
}

gboolean
chopin_db_is_connected(const ChopinDb *db)
{
	return db != NULL && db->connected;
}

void
chopin_db_free(ChopinDb *db)
{
	if (db == NULL)
		return;
	if (db->statements != NULL) {
		db_close(db);
		g_hash_table_destroy(db->statements);
	}
	if (db->worker != NULL) {
		g_mutex_lock(&db->lock);
		db->quit = TRUE;
		g_cond_broadcast(&db->cond);
		g_mutex_unlock(&db->lock);
		g_thread_join(db->worker);
	}
	g_mutex_clear(&db->lock);
	g_cond_clear(&db->cond);
	g_free(db->host);
	g_free(db->socket);
	g_free(db->user);
	if (db->password != NULL)
		memset(db->password, 0, strlen(db->password));
	g_free(db->password);
	g_free(db->database);
	g_free(db->option_file);
	g_free(db->option_group);
	g_free(db);
}

gboolean
chopin_db_exec(ChopinDb *db, const char *sql, GError **error)
{
	g_return_val_if_fail(db != NULL && sql != NULL, FALSE);

	if (!chopin_db_wait(db, error))
		return FALSE;
	if (!db->connected) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION,
			    "not connected to the database");
		return FALSE;
	}
	if (mysql_real_query(db->mysql, sql, strlen(sql)) != 0) {
		db_set_mysql_error(db, "executing statement", error);
		return FALSE;
	}
	MYSQL_RES *result = mysql_store_result(db->mysql);
	if (result != NULL)
		mysql_free_result(result);
	return TRUE;
}

gboolean
chopin_db_begin(ChopinDb *db, GError **error)
{
	return chopin_db_exec(db, "START TRANSACTION", error);
}

gboolean
chopin_db_commit(ChopinDb *db, GError **error)
{
	return chopin_db_exec(db, "COMMIT", error);
}

void
chopin_db_rollback(ChopinDb *db)
{
	if (db != NULL)
		(void)chopin_db_wait(db, NULL);
	if (db != NULL && db->connected)
		(void)mysql_real_query(db->mysql, "ROLLBACK", 8);
}
