#!/bin/sh
# Self-test of the shared shell harness: tap.sh reports failures, mariadb.sh starts, reports and cleans up.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

HARNESS=$top_srcdir/tests/harness/mariadb.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/chopin-harness.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
trap 'rm -rf "$work"' EXIT

tap_plan 15

# --- tap.sh: a failing check must say so -------------------------------------
cat >"$work/failing.sh" <<'SCRIPT'
. "$1"
tap_plan 3
tap_is "a" "b" "strings differ"
printf 'one\n' >"$2/got"; printf 'two\n' >"$2/want"
tap_files_equal "$2/got" "$2/want" "files differ"
tap_like "abc" '^a' "matches"
tap_done
SCRIPT
sh "$work/failing.sh" "$top_srcdir/tests/harness/tap.sh" "$work" >"$work/failing.out" 2>&1
tap_is "$?" 1 "tap_done exits 1 when a test failed"
tap_is "$(grep -c '^not ok' "$work/failing.out")" 2 "failures print 'not ok'"
tap_like "$(cat "$work/failing.out")" '# -two' "tap_files_equal shows a diff"
tap_like "$(cat "$work/failing.out")" "expected: 'b'" "tap_is shows what was expected"
printf '. "$1"\ntap_plan 2\ntap_pass one\ntap_done\n' >"$work/short.sh"
sh "$work/short.sh" "$top_srcdir/tests/harness/tap.sh" >/dev/null 2>&1
tap_is "$?" 1 "tap_done exits 1 when the plan was not met"

# --- mariadb.sh as a command -------------------------------------------------
start_out=$("$HARNESS" start "$work/db" 2>&1)
tap_like "$start_out" "^CHOPIN_TEST_SOCKET='$work/db/sock'; export CHOPIN_TEST_SOCKET" \
	"start prints eval-able environment lines"
eval "$start_out" 2>/dev/null
tap_is "$("$HARNESS" sql "$work/db" -N -B -e 'SELECT 6 * 7' 2>&1)" 42 "the server answers as root over its socket"
tap_is "$("$HARNESS" sql "$work/db" -N -B -e 'SELECT @@skip_networking, @@time_zone' 2>&1 | tr '\t' ' ')" \
	"1 +00:00" "the server has networking off and runs in UTC"
server_pid=${CHOPIN_TEST_PID:-0}
"$HARNESS" stop "$work/db"
tap_is "$?" 0 "stop succeeds"
if kill -0 "$server_pid" 2>/dev/null; then
	tap_fail "stop ends the server process" "pid $server_pid still alive"
else
	tap_pass "stop ends the server process"
fi
if [ -e "$work/db" ]; then tap_fail "stop removes the directory"; else tap_pass "stop removes the directory"; fi
tap_run_fails "start refuses a non-empty directory" "$HARNESS" start "$top_srcdir/tests/harness"

# --- failures are reported, not skipped --------------------------------------
printf '#!/bin/sh\necho "boom: simulated startup failure" >&2\nexit 1\n' >"$work/bad-mariadbd"
chmod +x "$work/bad-mariadbd"
MARIADBD=$work/bad-mariadbd "$HARNESS" start "$work/bad" >"$work/bad.out" 2>&1 && status=0 || status=$?
tap_is "$status" 1 "a server that dies at startup fails start"
tap_like "$(cat "$work/bad.out")" 'boom: simulated startup failure' "... and the error log tail is shown"
MARIADBD=/nonexistent/mariadbd "$HARNESS" start "$work/missing" >"$work/missing.out" 2>&1
tap_like "$(cat "$work/missing.out")" 'MARIADBD not found' "a missing server binary is a clear error"
tap_done
