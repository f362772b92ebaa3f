# Shared setup for tests/chopinctl/*.sh: a private MariaDB with the schema, both accounts, and chopinctl runners.
#
# ctl_test_start: start the server, run chopin-db-setup (schema, accounts), write in $CTL_DIR
# (removed at exit) a MySQL option file with a [chopin_reader] and a [chopin_writer] group and
# a chopin.conf whose chopinctl section points at it. chopinctl never gets a credential on its
# command line.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
export top_srcdir top_builddir

. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"

CHOPINCTL=$top_builddir/tools/chopinctl/chopinctl
DB_SETUP=$top_builddir/sql/chopin-db-setup
CTL_READER_PASSWORD="reader pw 'with' quotes"
CTL_WRITER_PASSWORD='writer\pw "2"'
PYTHON=${PYTHON:-python3}

ctl_test_cleanup() {
	chopin_db_stop
	if [ -n "${CTL_DIR:-}" ]; then
		rm -rf "$CTL_DIR"
	fi
}

# ctl_test_start: the database, the accounts, the option file and the configuration.
ctl_test_start() {
	[ -x "$CHOPINCTL" ] || tap_bail "$CHOPINCTL not built"
	[ -x "$DB_SETUP" ] || tap_bail "$DB_SETUP not built: run 'make sql/chopin-db-setup'"
	command -v "$PYTHON" >/dev/null 2>&1 || tap_bail "$PYTHON not found: the JSON is validated with python3 -m json.tool"
	CTL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/chopinctl-test.XXXXXX") || tap_bail "mktemp failed"
	if ! chopin_db_start 2>"$CTL_DIR/start.err"; then
		sed 's/^/# /' "$CTL_DIR/start.err"
		tap_bail "cannot start a private MariaDB server"
	fi
	trap 'ctl_test_cleanup' EXIT
	if ! CHOPIN_READER_PASSWORD=$CTL_READER_PASSWORD CHOPIN_WRITER_PASSWORD=$CTL_WRITER_PASSWORD \
		"$DB_SETUP" --no-defaults --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
		--client="$MYSQL_CLIENT" --sql-dir="$top_srcdir/sql" --quiet >"$CTL_DIR/setup.log" 2>&1; then
		sed 's/^/# /' "$CTL_DIR/setup.log"
		tap_bail "chopin-db-setup failed"
	fi
	(
		umask 077
		# option file values: backslash and double quote escaped inside double quotes
		# [client] names an account that does not exist: only the groups give access
		cat >"$CTL_DIR/chopinctl.cnf" <<EOF
[client]
socket = $CHOPIN_TEST_SOCKET
user = chopin_nobody

[chopin_reader]
user = chopin_reader
password = "$CTL_READER_PASSWORD"

[chopin_writer]
user = chopin_writer
password = "$(printf '%s' "$CTL_WRITER_PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
EOF
		# the reader alone, as [client], for the mariadb client and chopin-nagios-hosts
		cat >"$CTL_DIR/reader.cnf" <<EOF
[client]
socket = $CHOPIN_TEST_SOCKET
user = chopin_reader
password = "$CTL_READER_PASSWORD"
EOF
	)
	cat >"$CTL_DIR/chopin.conf" <<EOF
database = {
  name = "chopin";
  # chopinctl never uses these: they belong to the daemons
  user = "root";
  password = "not-used";
};
chopinctl = {
  reader_option_file = "$CTL_DIR/chopinctl.cnf";
  timeout = "5s";
};
correlator = {
  spool_dir = "$CTL_DIR/spool";
};
trapd = {
  state_dir = "$CTL_DIR/trapd";
};
EOF
	CTL_CONF=$CTL_DIR/chopin.conf
}

# ctl_fixture: load tests/data/chopinctl/fixture.sql as root.
ctl_fixture() {
	chopin_sql chopin <"$top_srcdir/tests/data/chopinctl/fixture.sql" || tap_bail "the fixture does not load"
}

# ctl ARGS...: run chopinctl with the test configuration; sets CTL_OUT (stdout), CTL_ERR
# (stderr) and CTL_RC.
ctl() {
	CTL_RC=0
	"$CHOPINCTL" -C "$CTL_CONF" "$@" >"$CTL_DIR/out" 2>"$CTL_DIR/err" || CTL_RC=$?
	CTL_OUT=$(cat "$CTL_DIR/out")
	CTL_ERR=$(cat "$CTL_DIR/err")
}

# ctl_ok DESC ARGS...: pass when chopinctl exits 0 (output in CTL_OUT).
ctl_ok() {
	ctl_ok_desc=$1
	shift
	ctl "$@"
	if [ "$CTL_RC" -eq 0 ]; then
		tap_pass "$ctl_ok_desc"
	else
		tap_fail "$ctl_ok_desc" "chopinctl $* exited $CTL_RC" "$CTL_ERR"
	fi
}

# ctl_fails DESC STATUS ERE ARGS...: pass when chopinctl exits STATUS, prints nothing on
# stdout, and its stderr matches ERE.
ctl_fails() {
	ctl_fails_desc=$1
	ctl_fails_status=$2
	ctl_fails_ere=$3
	shift 3
	ctl "$@"
	if [ "$CTL_RC" -ne "$ctl_fails_status" ]; then
		tap_fail "$ctl_fails_desc" "chopinctl $* exited $CTL_RC, expected $ctl_fails_status" \
			"stdout: $CTL_OUT" "stderr: $CTL_ERR"
	elif [ -n "$CTL_OUT" ]; then
		tap_fail "$ctl_fails_desc" "stdout is not empty on failure" "$CTL_OUT"
	elif ! printf '%s\n' "$CTL_ERR" | grep -Eq -- "$ctl_fails_ere"; then
		tap_fail "$ctl_fails_desc" "stderr does not match: $ctl_fails_ere" "$CTL_ERR"
	else
		tap_pass "$ctl_fails_desc"
	fi
}

# json_valid DESC: pass when CTL_OUT is valid JSON (python3 -m json.tool).
json_valid() {
	if printf '%s' "$CTL_OUT" | "$PYTHON" -m json.tool >/dev/null 2>"$CTL_DIR/json.err"; then
		tap_pass "$1"
	else
		tap_fail "$1" "not valid JSON: $(cat "$CTL_DIR/json.err")" "$CTL_OUT"
	fi
}

# json EXPR: evaluate a Python expression on the parsed CTL_OUT (bound to j); prints the result
# (lists joined by spaces, None as null).
json() {
	printf '%s' "$CTL_OUT" | "$PYTHON" -c '
import json, sys
j = json.load(sys.stdin)
r = eval(sys.argv[1])
if isinstance(r, list):
    print(" ".join(str(x) for x in r))
elif r is None:
    print("null")
elif isinstance(r, bool):
    print("true" if r else "false")
else:
    print(r)
' "$1" 2>&1
}
