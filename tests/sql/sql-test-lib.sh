# Shared setup for tests/sql/*.sh: locate the trees, load the TAP and MariaDB helpers.
#
# Sets top_srcdir/top_builddir (defaults: the source tree of this file, and
# the current directory), SQL_DIR (sql/ in the source tree), DATA_DIR
# (tests/data/sql), DB_SETUP (the built chopin-db-setup).

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
export top_srcdir top_builddir
SQL_DIR=$top_srcdir/sql
DATA_DIR=$top_srcdir/tests/data/sql
DB_SETUP=$top_builddir/sql/chopin-db-setup

. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"

# sql_test_start: start the private server or bail out (a failure, not a skip).
sql_test_start() {
	if ! chopin_db_start 2>"${TMPDIR:-/tmp}/chopin-sql-test.$$.err"; then
		sed 's/^/# /' "${TMPDIR:-/tmp}/chopin-sql-test.$$.err"
		rm -f "${TMPDIR:-/tmp}/chopin-sql-test.$$.err"
		tap_bail "cannot start a private MariaDB server (see diagnostics above)"
	fi
	rm -f "${TMPDIR:-/tmp}/chopin-sql-test.$$.err"
}

# sql_test_require_setup: bail out unless chopin-db-setup has been built.
sql_test_require_setup() {
	if [ ! -x "$DB_SETUP" ]; then
		tap_bail "$DB_SETUP not built: run 'make sql/chopin-db-setup' in the build tree"
	fi
}

# sql_test_load_schema DB: create DB and load sql/schema.sql into it; 0 on success.
sql_test_load_schema() {
	chopin_sql -e "CREATE DATABASE \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" &&
		chopin_sql "$1" <"$SQL_DIR/schema.sql"
}

# sql_test_schema_marker: the version number in schema.sql's header.
sql_test_schema_marker() {
	sed -n 's/^-- Version: *chopin-schema-version: *\([0-9][0-9]*\).*/\1/p' "$SQL_DIR/schema.sql" | head -n 1
}

# sql_test_setup [ARGS...]: run chopin-db-setup as root over the test socket.
sql_test_setup() {
	"$DB_SETUP" --no-defaults --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
		--client="$MYSQL_CLIENT" --sql-dir="$SQL_DIR" "$@"
}
