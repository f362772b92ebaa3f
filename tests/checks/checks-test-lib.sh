# Shared setup for tests/checks/*.sh: a private MariaDB with the schema, the read-only account and plugin runners.
#
# checks_test_start: start the server, run chopin-db-setup (schema, accounts),
# write a MySQL option file with chopin_reader's credentials and a chopin.conf
# pointing at it, in $CHECKS_DIR (removed at exit).  The plugins never get a
# credential on their command line.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
export top_srcdir top_builddir

. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"

CHECKS_BIN=$top_builddir/checks
DB_SETUP=$top_builddir/sql/chopin-db-setup
READER_PASSWORD="reader pw 'with' quotes"
WRITER_PASSWORD="writer-pw-1"

checks_test_cleanup() {
	chopin_db_stop
	if [ -n "${CHECKS_DIR:-}" ]; then
		rm -rf "$CHECKS_DIR"
	fi
}

checks_test_start() {
	for checks_plugin in check_chopin_raid check_chopin_updates check_chopin_heartbeat; do
		[ -x "$CHECKS_BIN/$checks_plugin" ] || tap_bail "$CHECKS_BIN/$checks_plugin not built"
	done
	[ -x "$DB_SETUP" ] || tap_bail "$DB_SETUP not built: run 'make sql/chopin-db-setup'"
	CHECKS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/chopin-checks.XXXXXX") || tap_bail "mktemp failed"
	if ! chopin_db_start 2>"$CHECKS_DIR/start.err"; then
		sed 's/^/# /' "$CHECKS_DIR/start.err"
		tap_bail "cannot start a private MariaDB server"
	fi
	trap 'checks_test_cleanup' EXIT
	if ! CHOPIN_READER_PASSWORD=$READER_PASSWORD CHOPIN_WRITER_PASSWORD=$WRITER_PASSWORD \
		"$DB_SETUP" --no-defaults --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
		--client="$MYSQL_CLIENT" --sql-dir="$top_srcdir/sql" --quiet >"$CHECKS_DIR/setup.log" 2>&1; then
		sed 's/^/# /' "$CHECKS_DIR/setup.log"
		tap_bail "chopin-db-setup failed"
	fi
	umask 077
	cat >"$CHECKS_DIR/reader.cnf" <<EOF
[client]
socket = $CHOPIN_TEST_SOCKET
user = chopin_reader
password = "$READER_PASSWORD"
EOF
	cat >"$CHECKS_DIR/chopin.conf" <<EOF
database = {
  option_file = "$CHECKS_DIR/reader.cnf";
  name = "chopin";
};
checks = {
  stale_after = "5m";
};
EOF
	CHECKS_CONF=$CHECKS_DIR/chopin.conf
}

# fixture SQL...: run SQL as root in the chopin database.
fixture() {
	chopin_sql chopin -e "$*" || tap_bail "fixture SQL failed: $*"
}

# checkpoint_age SECONDS: the correlator checkpoint is that old.
checkpoint_age() {
	fixture "REPLACE INTO correlator_checkpoints (correlator_name, spool_segment, spool_offset, updated_at)
		VALUES ('main', 'seg-000001', 4096, UTC_TIMESTAMP(6) - INTERVAL $1 SECOND)"
}

# run_check PLUGIN ARGS...: run with the test configuration; sets CHECK_OUT and CHECK_RC.
run_check() {
	run_check_plugin=$1
	shift
	CHECK_RC=0
	CHECK_OUT=$("$CHECKS_BIN/$run_check_plugin" --config "$CHECKS_CONF" "$@" 2>&1) || CHECK_RC=$?
}

# expect_check DESC RC ERE PLUGIN ARGS...: run, pass when the exit code is RC and the output
# matches ERE (the whole output, multi-line, as one string joined by newlines).
expect_check() {
	expect_desc=$1
	expect_rc=$2
	expect_re=$3
	shift 3
	run_check "$@"
	if [ "$CHECK_RC" -ne "$expect_rc" ]; then
		tap_fail "$expect_desc" "exit $CHECK_RC, expected $expect_rc" "$CHECK_OUT"
	elif ! printf '%s\n' "$CHECK_OUT" | grep -Eq -- "$expect_re"; then
		tap_fail "$expect_desc" "output does not match /$expect_re/:" "$CHECK_OUT"
	else
		tap_pass "$expect_desc"
	fi
}

# expect_line DESC ERE: the last plugin output has a line matching ERE.
expect_line() {
	tap_like "$CHECK_OUT" "$2" "$1"
}
