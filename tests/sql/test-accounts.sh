#!/bin/sh
# chopin-db-setup's accounts: the reader can only SELECT, the writer can write rows but not change schema or grants.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

# Passwords with quotes, a backslash and a space prove the escaping.
W_PW="w'ri\\ter \"pw\" 1"
R_PW="r'ea\\der pw 1"

as_reader() { chopin_sql_as chopin_reader "$R_PW" -N -B chopin -e "$1"; }
as_writer() { chopin_sql_as chopin_writer "$W_PW" -N -B chopin -e "$1"; }

# denied DESC COMMAND...: pass only when COMMAND fails with a privilege
# error (not a login failure, 1045, nor a syntax error).
denied() {
	denied_desc=$1
	shift
	if denied_out=$("$@" 2>&1); then
		tap_fail "$denied_desc" "command unexpectedly succeeded: $*"
	elif printf '%s\n' "$denied_out" | grep -Eq '^ERROR (1044|1142|1143|1227|1410)'; then
		tap_pass "$denied_desc"
	else
		tap_fail "$denied_desc" "failed, but not with a privilege error:" "$denied_out"
	fi
}

tap_plan 29
sql_test_require_setup
sql_test_start

pwfile=$(mktemp "${TMPDIR:-/tmp}/chopin-pw.XXXXXX") || tap_bail "mktemp failed"
trap 'rm -f "$pwfile"; chopin_db_stop' EXIT
printf 'writer=%s\n# comment line\nreader=%s\n' "$W_PW" "$R_PW" >"$pwfile"

tap_run "chopin-db-setup with a password file" sql_test_setup --password-file="$pwfile"
case $TAP_OUTPUT in
*"$W_PW"* | *"$R_PW"*) tap_fail "setup output does not contain the passwords" "$TAP_OUTPUT" ;;
*) tap_pass "setup output does not contain the passwords" ;;
esac
chopin_sql chopin -e "INSERT INTO hosts (host_id, name, first_seen) VALUES (1, 'RAIDSRV01', UTC_TIMESTAMP(6))"

# reader
tap_is "$(as_reader 'SELECT name FROM hosts' 2>&1)" RAIDSRV01 "reader can SELECT a table"
tap_is "$(as_reader 'SELECT name FROM v_host_overview' 2>&1)" RAIDSRV01 "reader can SELECT a view"
denied "reader cannot INSERT" as_reader \
	"INSERT INTO hosts (name, first_seen) VALUES ('X', UTC_TIMESTAMP(6))"
denied "reader cannot UPDATE" as_reader "UPDATE hosts SET status = 'inactive'"
denied "reader cannot DELETE" as_reader "DELETE FROM hosts"
denied "reader cannot DROP TABLE" as_reader "DROP TABLE events"
denied "reader cannot CREATE TABLE" as_reader "CREATE TABLE t (i INT)"
denied "reader cannot read another database (mysql.user)" as_reader "SELECT user FROM mysql.user"

# writer
tap_run "writer can INSERT" as_writer \
	"INSERT INTO hosts (host_id, name, first_seen) VALUES (2, 'DBSRV02', UTC_TIMESTAMP(6))"
tap_run "writer can UPDATE" as_writer "UPDATE hosts SET status = 'active' WHERE host_id = 2"
tap_run "writer can DELETE" as_writer "DELETE FROM hosts WHERE host_id = 2"
tap_run "writer can SELECT a view" as_writer "SELECT COUNT(*) FROM v_open_alarms"
tap_run "writer can run a transaction with SELECT ... FOR UPDATE" as_writer \
	"START TRANSACTION; SELECT host_id FROM hosts WHERE host_id = 1 FOR UPDATE;
	 INSERT INTO correlator_checkpoints VALUES ('c1', 'seg-000001', 4096, 10, UTC_TIMESTAMP(6)); COMMIT"
denied "writer cannot DROP TABLE" as_writer "DROP TABLE events"
denied "writer cannot CREATE TABLE" as_writer "CREATE TABLE t (i INT)"
denied "writer cannot ALTER TABLE" as_writer "ALTER TABLE hosts ADD COLUMN x INT"
denied "writer cannot GRANT" as_writer "GRANT SELECT ON chopin.* TO chopin_reader@localhost"
denied "writer cannot CREATE DATABASE" as_writer "CREATE DATABASE other"
denied "writer cannot TRUNCATE" as_writer "TRUNCATE TABLE events"

# re-running with new passwords rotates them
W_PW_OLD=$W_PW
W_PW='second-writer-pw'
R_PW='second-reader-pw'
CHOPIN_WRITER_PASSWORD=$W_PW CHOPIN_READER_PASSWORD=$R_PW
export CHOPIN_WRITER_PASSWORD CHOPIN_READER_PASSWORD
tap_run "re-running chopin-db-setup with new passwords" sql_test_setup
tap_run "writer logs in with the new password" as_writer "SELECT 1"
tap_run "reader logs in with the new password" as_reader "SELECT 1"
tap_run_fails "the old writer password no longer works" \
	chopin_sql_as chopin_writer "$W_PW_OLD" -e "SELECT 1"
tap_is "$(chopin_sql -N -B -e "SELECT COUNT(*) FROM mysql.user WHERE user LIKE 'chopin\\_%'")" 2 \
	"exactly two accounts exist after two runs"

# An administrator with a password (quote, backslash) given in the environment;
# the server runs with NO_BACKSLASH_ESCAPES to prove the escaping does not depend on it.
chopin_sql -e "SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')"
# A new session, so the backslash below is literal.
chopin_sql -e "CREATE USER chopin_admin@localhost IDENTIFIED BY 'ad''min\pw';
	GRANT ALL PRIVILEGES ON *.* TO chopin_admin@localhost WITH GRANT OPTION"
W_PW='third\writer'
tap_run "chopin-db-setup as an administrator with CHOPIN_ADMIN_PASSWORD" env \
	CHOPIN_ADMIN_PASSWORD="ad'min\\pw" CHOPIN_WRITER_PASSWORD="$W_PW" \
	"$DB_SETUP" --no-defaults --socket="$CHOPIN_TEST_SOCKET" --admin-user=chopin_admin \
	--client="$MYSQL_CLIENT" --sql-dir="$SQL_DIR"
tap_run "the writer password with a backslash works under NO_BACKSLASH_ESCAPES" as_writer "SELECT 1"
tap_run_fails "a wrong administrator password is refused" env \
	CHOPIN_ADMIN_PASSWORD=wrong "$DB_SETUP" --no-defaults --socket="$CHOPIN_TEST_SOCKET" \
	--admin-user=chopin_admin --client="$MYSQL_CLIENT" --sql-dir="$SQL_DIR"
tap_done
