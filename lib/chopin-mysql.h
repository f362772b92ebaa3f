/* MySQL/MariaDB access: connect with timeouts, prepared statements only, explicit reconnect. */
#ifndef CHOPIN_MYSQL_H
#define CHOPIN_MYSQL_H

#include <glib.h>

G_BEGIN_DECLS

#define CHOPIN_DB_ERROR (chopin_db_error_quark())
GQuark chopin_db_error_quark(void);

/*
 * Error codes in CHOPIN_DB_ERROR.  Callers decide on the code, never on the
 * message: CONNECTION and RETRY are transient (reconnect or retry the
 * transaction), the others are not.
 */
typedef enum {
	CHOPIN_DB_ERROR_CONNECTION, /* server unreachable, gone away, lost or killed */
	CHOPIN_DB_ERROR_RETRY,      /* deadlock or lock wait timeout: retry the transaction */
	CHOPIN_DB_ERROR_DUPLICATE,  /* unique key violation */
	CHOPIN_DB_ERROR_ACCESS,     /* authentication failed or statement not permitted */
	CHOPIN_DB_ERROR_QUERY,      /* any other server-side error */
	CHOPIN_DB_ERROR_USAGE,      /* wrong number of parameters, bad column index */
} ChopinDbError;

/* How to reach the database.  NULL/0 members take the client library's default. */
typedef struct {
	const char *host;
	unsigned int port;
	const char *socket;
	const char *user;
	const char *password;
	const char *database;
	const char *option_file;  /* a MySQL option file (e.g. ~/.my.cnf) read before connecting */
	const char *option_group; /* its group; "client" is always read as well */
	unsigned int connect_timeout_s;
	unsigned int read_timeout_s;
	unsigned int write_timeout_s;
	/* TRUE when none of the caller's statements depends on the session time zone (they
	 * read DATETIME columns and compare them with UTC_TIMESTAMP(), never NOW() or a
	 * TIMESTAMP column): the connection keeps the server's zone, one round trip less. */
	gboolean time_zone_independent;
} ChopinDbParams;

typedef struct _ChopinDb ChopinDb;
typedef struct _ChopinDbStmt ChopinDbStmt;

typedef enum {
	CHOPIN_DB_NULL,
	CHOPIN_DB_INT,
	CHOPIN_DB_UINT,
	CHOPIN_DB_DOUBLE,
	CHOPIN_DB_TEXT, /* bytes, not necessarily NUL-terminated; stored verbatim */
	CHOPIN_DB_BLOB, /* binary bytes (v.text), never converted between character sets */
} ChopinDbType;

/* A statement parameter.  Text is referenced, not copied. */
typedef struct {
	ChopinDbType type;
	union {
		gint64 i;
		guint64 u;
		double d;
		struct {
			const char *data;
			gsize len;
		} text;
	} v;
} ChopinDbValue;

#define CHOPIN_DB_VALUE_NULL ((ChopinDbValue){.type = CHOPIN_DB_NULL})
#define CHOPIN_DB_VALUE_INT(x) ((ChopinDbValue){.type = CHOPIN_DB_INT, .v.i = (x)})
#define CHOPIN_DB_VALUE_UINT(x) ((ChopinDbValue){.type = CHOPIN_DB_UINT, .v.u = (x)})
#define CHOPIN_DB_VALUE_DOUBLE(x) ((ChopinDbValue){.type = CHOPIN_DB_DOUBLE, .v.d = (x)})
#define CHOPIN_DB_VALUE_TEXT_LEN(s, n) \
	((ChopinDbValue){.type = CHOPIN_DB_TEXT, .v.text = {.data = (s), .len = (n)}})
#define CHOPIN_DB_VALUE_BLOB(s, n) \
	((ChopinDbValue){.type = CHOPIN_DB_BLOB, .v.text = {.data = (s), .len = (n)}})
/* A NUL-terminated string, or SQL NULL when @s is NULL. */
ChopinDbValue chopin_db_value_text(const char *s);

/*
 * Connects, sets utf8mb4 and, unless @params is time_zone_independent, the
 * session time zone to UTC (every DATETIME in the schema is UTC).  Returns a
 * new handle (free with chopin_db_free()), or NULL with @error set
 * (CONNECTION or ACCESS).
 */
ChopinDb *chopin_db_connect(const ChopinDbParams *params, GError **error);
void chopin_db_free(ChopinDb *db);

/* Closes and reopens the connection; prepared statements are re-prepared on next use. */
gboolean chopin_db_reconnect(ChopinDb *db, GError **error);

/* TRUE while the last operation did not lose the connection. */
gboolean chopin_db_is_connected(const ChopinDb *db);

/* Runs a statement that takes no parameters and returns no rows (e.g. START TRANSACTION). */
gboolean chopin_db_exec(ChopinDb *db, const char *sql, GError **error);
gboolean chopin_db_begin(ChopinDb *db, GError **error);
gboolean chopin_db_commit(ChopinDb *db, GError **error);
/* Rolls back; errors are ignored because a lost connection rolls back by itself. */
void chopin_db_rollback(ChopinDb *db);

/*
 * A prepared statement for @sql, cached on @db by SQL text: preparing the same
 * text again returns the same statement.  Owned by @db; valid until
 * chopin_db_free().  Returns NULL with @error set on failure.
 */
ChopinDbStmt *chopin_db_prepare(ChopinDb *db, const char *sql, GError **error);

/*
 * Prepares (unless already prepared on this connection) and executes @sql with
 * @params, in one round trip where the client library and server allow it
 * (MariaDB Connector/C's mariadb_stmt_execute_direct on MariaDB >= 10.2; other
 * servers: prepare, then execute).  For a program that runs a statement once
 * per connection, such as a check plugin.  @n_params must be the number of
 * markers in @sql.  Returns the statement (owned by @db and cached like
 * chopin_db_prepare()'s) positioned before the first row, or NULL with @error
 * set.
 */
ChopinDbStmt *chopin_db_query(ChopinDb *db, const char *sql, const ChopinDbValue *params,
			      guint n_params, GError **error);

/*
 * Binds @params (exactly as many as the statement has markers) and executes.
 * A statement that returns rows is buffered on the client; read it with
 * chopin_db_stmt_fetch().  @ret_affected (may be NULL) gets the affected row
 * count.  Returns FALSE with @error set on failure.
 */
/* Starts executing @stmt (a statement without a result set, such as an INSERT) on a worker
 * thread and returns at once: the caller goes on with other work while the server runs it.
 * The text and blob values of @params must stay valid until the statement finished:
 * chopin_db_wait() returns its outcome, and every other call on the connection waits for
 * it first (and fails with its error). One statement at a time. */
gboolean chopin_db_stmt_execute_async(ChopinDbStmt *stmt, const ChopinDbValue *params,
                                      guint n_params, GError **error);
/* Waits for the statement chopin_db_stmt_execute_async() started, if any; FALSE with its
 * error when it failed. */
gboolean chopin_db_wait(ChopinDb *db, GError **error);
/* Whether the statement chopin_db_stmt_execute_async() submitted is still running (then
 * chopin_db_wait() would block). */
gboolean chopin_db_busy(ChopinDb *db);
gboolean chopin_db_stmt_execute(ChopinDbStmt *stmt, const ChopinDbValue *params, guint n_params,
				guint64 *ret_affected, GError **error);

/* The AUTO_INCREMENT id generated by the last execute of @stmt. */
guint64 chopin_db_stmt_insert_id(ChopinDbStmt *stmt);

/*
 * Moves to the next row.  Returns TRUE with *ret_have_row set (FALSE at the
 * end), or FALSE with @error set.
 */
gboolean chopin_db_stmt_fetch(ChopinDbStmt *stmt, gboolean *ret_have_row, GError **error);

guint chopin_db_stmt_n_columns(ChopinDbStmt *stmt);

/*
 * Column @column of the current row as text (owned by @stmt, valid until the
 * next fetch), NULL for SQL NULL.  @ret_len (may be NULL) gets the length.
 */
const char *chopin_db_stmt_column_text(ChopinDbStmt *stmt, guint column, gsize *ret_len);

/* Column as an integer; @fallback for NULL or non-numeric text. */
gint64 chopin_db_stmt_column_int(ChopinDbStmt *stmt, guint column, gint64 fallback);

/* Discards unread rows of the current result. */
void chopin_db_stmt_reset(ChopinDbStmt *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ChopinDb, chopin_db_free)

G_END_DECLS

#endif
