/* Integration tests of the MySQL helper on the private MariaDB started by tests/db/test-mysql.sh. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chopin-mysql.h"

static const char *socket_path;

static ChopinDb *
connect_root(void)
{
	ChopinDbParams params = {
		.socket = socket_path,
		.user = "root",
		.database = "chopin_helper_test",
		.connect_timeout_s = 5,
		.read_timeout_s = 10,
		.write_timeout_s = 10,
	};
	g_autoptr(GError) error = NULL;
	ChopinDb *db = chopin_db_connect(&params, &error);
	if (db == NULL)
		fail_msg("connect: %s", error->message);
	return db;
}

static int
setup_database(void **state)
{
	ChopinDbParams params = {.socket = socket_path, .user = "root", .connect_timeout_s = 5};
	g_autoptr(GError) error = NULL;
	g_autoptr(ChopinDb) db = chopin_db_connect(&params, &error);
	if (db == NULL) {
		fprintf(stderr, "# connect: %s\n", error->message);
		return -1;
	}
	if (!chopin_db_exec(db, "CREATE DATABASE IF NOT EXISTS chopin_helper_test "
				"CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", &error) ||
	    !chopin_db_exec(db, "CREATE TABLE IF NOT EXISTS chopin_helper_test.t ("
				"id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, "
				"name VARCHAR(64) UNIQUE, body TEXT, n BIGINT, u BIGINT UNSIGNED, "
				"d DOUBLE) ENGINE=InnoDB", &error)) {
		fprintf(stderr, "# setup: %s\n", error->message);
		return -1;
	}
	return 0;
}

static void
test_unreachable_socket_is_a_connection_error(void **state)
{
	ChopinDbParams params = {
		.socket = "/nonexistent/chopin.sock", .user = "root", .connect_timeout_s = 2};
	g_autoptr(GError) error = NULL;
	ChopinDb *db = chopin_db_connect(&params, &error);
	assert_null(db);
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION));
	assert_non_null(strstr(error->message, "connecting to the database"));
}

static void
test_wrong_password_is_an_access_error(void **state)
{
	ChopinDbParams params = {.socket = socket_path,
				 .user = "root",
				 .password = "definitely-wrong",
				 .connect_timeout_s = 5};
	g_autoptr(GError) error = NULL;
	ChopinDb *db = chopin_db_connect(&params, &error);
	assert_null(db);
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_ACCESS));
}

static void
test_session_is_utc_and_utf8mb4(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(GError) error = NULL;
	gboolean have_row;
	ChopinDbStmt *stmt = chopin_db_prepare(
		db, "SELECT @@session.time_zone, @@character_set_connection", &error);
	assert_non_null(stmt);
	assert_true(chopin_db_stmt_execute(stmt, NULL, 0, NULL, &error));
	assert_true(chopin_db_stmt_fetch(stmt, &have_row, &error));
	assert_true(have_row);
	assert_string_equal(chopin_db_stmt_column_text(stmt, 0, NULL), "+00:00");
	assert_string_equal(chopin_db_stmt_column_text(stmt, 1, NULL), "utf8mb4");
	assert_true(chopin_db_stmt_fetch(stmt, &have_row, &error));
	assert_false(have_row);
}

/* time_zone_independent: no SET time_zone, the session keeps the server's zone. */
static void
test_time_zone_independent_keeps_the_server_zone(void **state)
{
	ChopinDbParams params = {.socket = socket_path,
				 .user = "root",
				 .connect_timeout_s = 5,
				 .time_zone_independent = TRUE};
	g_autoptr(ChopinDb) admin = connect_root();
	g_autoptr(GError) error = NULL;
	gboolean have_row;
	ChopinDbStmt *stmt;

	/* a server zone that is not UTC, so that a SET time_zone would show */
	assert_true(chopin_db_exec(admin, "SET GLOBAL time_zone = '+05:00'", &error));
	g_autoptr(ChopinDb) db = chopin_db_connect(&params, &error);
	assert_non_null(db);
	stmt = chopin_db_query(db, "SELECT @@session.time_zone", NULL, 0, &error);
	assert_non_null(stmt);
	assert_true(chopin_db_stmt_fetch(stmt, &have_row, &error));
	assert_true(have_row);
	assert_string_equal(chopin_db_stmt_column_text(stmt, 0, NULL), "+05:00");
	chopin_db_stmt_reset(stmt);
	assert_true(chopin_db_exec(admin, "SET GLOBAL time_zone = DEFAULT", &error));
}

/* chopin_db_query: prepare and execute in one call; errors as from prepare/execute; the
 * statement is cached and re-executed, and prepared again after a reconnect. */
static void
test_query_prepares_and_executes_once(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(GError) error = NULL;
	const char *hostile = "x' OR '1'='1";
	const char *sql = "SELECT CONCAT(?, '|', ?), ? + 1";
	ChopinDbValue params[] = {chopin_db_value_text(hostile), CHOPIN_DB_VALUE_NULL,
				  CHOPIN_DB_VALUE_INT(41)};
	gboolean have_row;

	ChopinDbStmt *stmt = chopin_db_query(db, sql, params, 3, &error);
	assert_non_null(stmt);
	assert_true(chopin_db_stmt_fetch(stmt, &have_row, &error));
	assert_true(have_row);
	assert_null(chopin_db_stmt_column_text(stmt, 0, NULL)); /* CONCAT with NULL */
	assert_int_equal(chopin_db_stmt_column_int(stmt, 1, -1), 42);
	assert_true(chopin_db_stmt_fetch(stmt, &have_row, &error));
	assert_false(have_row);

	params[1] = chopin_db_value_text("b");
	assert_ptr_equal(chopin_db_query(db, sql, params, 3, &error), stmt);
	assert_true(chopin_db_stmt_fetch(stmt, &have_row, &error));
	assert_string_equal(chopin_db_stmt_column_text(stmt, 0, NULL), "x' OR '1'='1|b");
	chopin_db_stmt_reset(stmt);

	/* wrong parameter count, bad SQL: errors, not crashes */
	assert_null(chopin_db_query(db, "SELECT ? + ?", params, 1, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_USAGE) ||
		    g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_QUERY));
	fprintf(stderr, "# wrong parameter count: %s\n", error->message);
	g_clear_error(&error);
	assert_null(chopin_db_query(db, "SELEKT 1", NULL, 0, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_QUERY));
	g_clear_error(&error);

	/* the connection is still usable, and a reconnect prepares again */
	assert_true(chopin_db_reconnect(db, &error));
	stmt = chopin_db_query(db, sql, params, 3, &error);
	assert_non_null(stmt);
	assert_true(chopin_db_stmt_fetch(stmt, &have_row, &error));
	assert_string_equal(chopin_db_stmt_column_text(stmt, 0, NULL), "x' OR '1'='1|b");
	chopin_db_stmt_reset(stmt);
}

static void
test_hostile_strings_round_trip(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(GError) error = NULL;
	g_autofree char *long_text = g_strnfill(5000, 'x');
	const struct {
		const char *name;
		const char *body;
		size_t len;
	} cases[] = {
#define LITERAL(s) s, sizeof(s) - 1
		{"quotes", LITERAL("it's \"quoted\" `back`")},
		{"sql", LITERAL("'); DROP TABLE t; -- \\")},
		{"control", LITERAL("tab\tnl\ncr\rbell\a\x01\x7f")},
		{"nul", LITERAL("before\0after")},
		{"utf8", LITERAL("\xf0\x9f\x92\xbe disk \xc3\xa9t\xc3\xa9 \xe2\x9c\x93")},
#undef LITERAL
		{"long", long_text, 5000},
		{"empty", "", 0},
	};
	ChopinDbStmt *insert = chopin_db_prepare(
		db, "INSERT INTO t (name, body) VALUES (?, ?)", &error);
	assert_non_null(insert);
	ChopinDbStmt *select =
		chopin_db_prepare(db, "SELECT body, LENGTH(body) FROM t WHERE name = ?", &error);
	assert_non_null(select);
	/* the same SQL text gives the same cached statement */
	assert_ptr_equal(chopin_db_prepare(db, "SELECT body, LENGTH(body) FROM t WHERE name = ?",
					   &error),
			 select);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ChopinDbValue params[] = {
			chopin_db_value_text(cases[i].name),
			CHOPIN_DB_VALUE_TEXT_LEN(cases[i].body, cases[i].len),
		};
		guint64 affected = 0;
		if (!chopin_db_stmt_execute(insert, params, 2, &affected, &error))
			fail_msg("%s: %s", cases[i].name, error->message);
		assert_int_equal(affected, 1);
		assert_true(chopin_db_stmt_insert_id(insert) > 0);

		gboolean have_row;
		gsize len;
		assert_true(chopin_db_stmt_execute(select, params, 1, NULL, &error));
		assert_true(chopin_db_stmt_fetch(select, &have_row, &error));
		assert_true(have_row);
		const char *body = chopin_db_stmt_column_text(select, 0, &len);
		assert_int_equal(len, cases[i].len);
		assert_memory_equal(body, cases[i].body, cases[i].len);
		assert_int_equal(chopin_db_stmt_column_int(select, 1, -1), (gint64)cases[i].len);
		chopin_db_stmt_reset(select);
	}
}

static void
test_numbers_null_and_duplicates(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(GError) error = NULL;
	gboolean have_row;
	ChopinDbStmt *insert = chopin_db_prepare(
		db, "INSERT INTO t (name, body, n, u, d) VALUES (?, ?, ?, ?, ?)", &error);
	assert_non_null(insert);
	ChopinDbValue params[] = {
		chopin_db_value_text("numbers"),
		CHOPIN_DB_VALUE_NULL,
		CHOPIN_DB_VALUE_INT(G_MININT64),
		CHOPIN_DB_VALUE_UINT(G_MAXUINT64),
		CHOPIN_DB_VALUE_DOUBLE(0.25),
	};
	assert_true(chopin_db_stmt_execute(insert, params, 5, NULL, &error));

	/* the same unique name again */
	assert_false(chopin_db_stmt_execute(insert, params, 5, NULL, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_DUPLICATE));
	g_clear_error(&error);

	/* wrong parameter count is a usage error, not a crash */
	assert_false(chopin_db_stmt_execute(insert, params, 2, NULL, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_USAGE));
	g_clear_error(&error);

	ChopinDbStmt *select =
		chopin_db_prepare(db, "SELECT body, n, u, d FROM t WHERE name = 'numbers'", &error);
	assert_true(chopin_db_stmt_execute(select, NULL, 0, NULL, &error));
	assert_int_equal(chopin_db_stmt_n_columns(select), 4);
	assert_true(chopin_db_stmt_fetch(select, &have_row, &error));
	assert_true(have_row);
	assert_null(chopin_db_stmt_column_text(select, 0, NULL));
	assert_int_equal(chopin_db_stmt_column_int(select, 0, 42), 42);
	assert_string_equal(chopin_db_stmt_column_text(select, 1, NULL), "-9223372036854775808");
	assert_string_equal(chopin_db_stmt_column_text(select, 2, NULL), "18446744073709551615");
	assert_string_equal(chopin_db_stmt_column_text(select, 3, NULL), "0.25");
	chopin_db_stmt_reset(select);
}

/* The correlator tells a host row it has just created (nothing stored to read back) from one
 * that was there by the affected rows of this upsert: 1 for an insert, 0 for an existing row,
 * which the update leaves as it is (no CLIENT_FOUND_ROWS); the id either way. */
static void
test_upsert_affected_rows_tell_new_from_existing(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(GError) error = NULL;
	ChopinDbStmt *upsert = chopin_db_prepare(
		db, "INSERT INTO t (name) VALUES (?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
		&error);
	assert_non_null(upsert);
	ChopinDbValue params[] = {chopin_db_value_text("upsert-me")};
	guint64 affected = 99;
	assert_true(chopin_db_stmt_execute(upsert, params, 1, &affected, &error));
	assert_int_equal(affected, 1);
	guint64 id = chopin_db_stmt_insert_id(upsert);
	assert_true(id > 0);
	affected = 99;
	assert_true(chopin_db_stmt_execute(upsert, params, 1, &affected, &error));
	assert_int_equal(affected, 0);
	assert_int_equal(chopin_db_stmt_insert_id(upsert), id);
}

static void
test_rollback_discards(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(GError) error = NULL;
	gboolean have_row;

	assert_true(chopin_db_begin(db, &error));
	ChopinDbStmt *insert = chopin_db_prepare(db, "INSERT INTO t (name) VALUES (?)", &error);
	ChopinDbValue name = chopin_db_value_text("rolled-back");
	assert_true(chopin_db_stmt_execute(insert, &name, 1, NULL, &error));
	chopin_db_rollback(db);

	assert_true(chopin_db_begin(db, &error));
	ChopinDbValue kept = chopin_db_value_text("committed");
	assert_true(chopin_db_stmt_execute(insert, &kept, 1, NULL, &error));
	assert_true(chopin_db_commit(db, &error));

	ChopinDbStmt *count = chopin_db_prepare(
		db, "SELECT SUM(name = 'rolled-back'), SUM(name = 'committed') FROM t", &error);
	assert_true(chopin_db_stmt_execute(count, NULL, 0, NULL, &error));
	assert_true(chopin_db_stmt_fetch(count, &have_row, &error));
	assert_int_equal(chopin_db_stmt_column_int(count, 0, -1), 0);
	assert_int_equal(chopin_db_stmt_column_int(count, 1, -1), 1);
	chopin_db_stmt_reset(count);
}

/* A statement on the worker thread: its rows are there once waited for, its error comes back
 * from chopin_db_wait() or from the next call, and a rollback discards it. */
static void
test_async_execute_wait_and_errors(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(GError) error = NULL;
	gboolean have_row;

	assert_true(chopin_db_wait(db, &error)); /* nothing in flight */
	assert_true(chopin_db_begin(db, &error));
	ChopinDbStmt *insert =
		chopin_db_prepare(db, "INSERT INTO t (name, body) VALUES (?, ?), (?, ?)", &error);
	assert_non_null(insert);
	ChopinDbValue rows[] = {
		chopin_db_value_text("async-1"), chopin_db_value_text("first"),
		chopin_db_value_text("async-2"), chopin_db_value_text("second"),
	};
	assert_true(chopin_db_stmt_execute_async(insert, rows, 4, &error));
	/* the next call waits for it, then sees its rows */
	ChopinDbStmt *count = chopin_db_prepare(
		db, "SELECT COUNT(*) FROM t WHERE name IN ('async-1', 'async-2')", &error);
	assert_true(chopin_db_stmt_execute(count, NULL, 0, NULL, &error));
	assert_true(chopin_db_stmt_fetch(count, &have_row, &error));
	assert_int_equal(chopin_db_stmt_column_int(count, 0, -1), 2);
	chopin_db_stmt_reset(count);

	/* a duplicate: the error is the statement's, reported by chopin_db_wait() */
	assert_true(chopin_db_stmt_execute_async(insert, rows, 4, &error));
	assert_false(chopin_db_wait(db, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_DUPLICATE));
	g_clear_error(&error);
	assert_true(chopin_db_wait(db, &error)); /* reported once */

	/* ... or by whatever call comes next */
	assert_true(chopin_db_stmt_execute_async(insert, rows, 4, &error));
	assert_false(chopin_db_commit(db, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_DUPLICATE));
	g_clear_error(&error);

	/* the usage error comes at once, nothing is started */
	assert_false(chopin_db_stmt_execute_async(insert, rows, 3, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_USAGE));
	g_clear_error(&error);
	chopin_db_rollback(db);
	assert_true(chopin_db_stmt_execute(count, NULL, 0, NULL, &error));
	assert_true(chopin_db_stmt_fetch(count, &have_row, &error));
	assert_int_equal(chopin_db_stmt_column_int(count, 0, -1), 0);
	chopin_db_stmt_reset(count);

	/* freed with a statement in flight: waits, no leak, no crash */
	ChopinDbValue other[] = {
		chopin_db_value_text("async-3"), CHOPIN_DB_VALUE_NULL,
		chopin_db_value_text("async-4"), CHOPIN_DB_VALUE_NULL,
	};
	assert_true(chopin_db_stmt_execute_async(insert, other, 4, &error));
}

static void
test_killed_connection_then_reconnect(void **state)
{
	g_autoptr(ChopinDb) db = connect_root();
	g_autoptr(ChopinDb) killer = connect_root();
	g_autoptr(GError) error = NULL;
	gboolean have_row;

	ChopinDbStmt *id_stmt = chopin_db_prepare(db, "SELECT CONNECTION_ID()", &error);
	assert_true(chopin_db_stmt_execute(id_stmt, NULL, 0, NULL, &error));
	assert_true(chopin_db_stmt_fetch(id_stmt, &have_row, &error));
	gint64 id = chopin_db_stmt_column_int(id_stmt, 0, -1);
	chopin_db_stmt_reset(id_stmt);
	assert_true(id > 0);

	ChopinDbStmt *kill = chopin_db_prepare(killer, "KILL CONNECTION ?", &error);
	if (kill == NULL) {
		/* KILL cannot be prepared on every server version: fall back to text */
		g_clear_error(&error);
		g_autofree char *sql = g_strdup_printf("KILL CONNECTION %" G_GINT64_FORMAT, id);
		assert_true(chopin_db_exec(killer, sql, &error));
	} else {
		ChopinDbValue victim = CHOPIN_DB_VALUE_INT(id);
		assert_true(chopin_db_stmt_execute(kill, &victim, 1, NULL, &error));
	}

	assert_false(chopin_db_stmt_execute(id_stmt, NULL, 0, NULL, &error));
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION));
	assert_false(chopin_db_is_connected(db));
	g_clear_error(&error);

	assert_true(chopin_db_reconnect(db, &error));
	assert_true(chopin_db_is_connected(db));
	/* the cached statement is re-prepared on the new connection */
	assert_true(chopin_db_stmt_execute(id_stmt, NULL, 0, NULL, &error));
	assert_true(chopin_db_stmt_fetch(id_stmt, &have_row, &error));
	assert_true(have_row);
	assert_true(chopin_db_stmt_column_int(id_stmt, 0, -1) != id);
	chopin_db_stmt_reset(id_stmt);
}

static void
test_read_timeout_bounds_a_slow_query(void **state)
{
	ChopinDbParams params = {
		.socket = socket_path, .user = "root", .connect_timeout_s = 5, .read_timeout_s = 1};
	g_autoptr(GError) error = NULL;
	g_autoptr(ChopinDb) db = chopin_db_connect(&params, &error);
	assert_non_null(db);
	gint64 start = g_get_monotonic_time();
	ChopinDbStmt *stmt = chopin_db_prepare(db, "SELECT SLEEP(20)", &error);
	assert_non_null(stmt);
	assert_false(chopin_db_stmt_execute(stmt, NULL, 0, NULL, &error));
	gint64 elapsed_ms = (g_get_monotonic_time() - start) / 1000;
	assert_true(g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION));
	/* one read timeout, or the client library's three tries of it: far below 20 s */
	assert_true(elapsed_ms < 10000);
}

int
main(void)
{
	socket_path = getenv("CHOPIN_TEST_SOCKET");
	if (socket_path == NULL) {
		fprintf(stderr, "CHOPIN_TEST_SOCKET is not set: run through tests/db/test-mysql.sh\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unreachable_socket_is_a_connection_error),
		cmocka_unit_test(test_wrong_password_is_an_access_error),
		cmocka_unit_test(test_session_is_utc_and_utf8mb4),
		cmocka_unit_test(test_time_zone_independent_keeps_the_server_zone),
		cmocka_unit_test(test_query_prepares_and_executes_once),
		cmocka_unit_test(test_hostile_strings_round_trip),
		cmocka_unit_test(test_numbers_null_and_duplicates),
		cmocka_unit_test(test_upsert_affected_rows_tell_new_from_existing),
		cmocka_unit_test(test_rollback_discards),
		cmocka_unit_test(test_async_execute_wait_and_errors),
		cmocka_unit_test(test_killed_connection_then_reconnect),
		cmocka_unit_test(test_read_timeout_bounds_a_slow_query),
	};
	return cmocka_run_group_tests_name("mysql", tests, setup_database, NULL);
}
