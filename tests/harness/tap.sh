# TAP producer helpers for shell tests: plan, ok/not ok with diagnostics, is/like/diff/command helpers.
#
# Source it from a POSIX sh test:  . "$top_srcdir/tests/harness/tap.sh"
# Every helper prints exactly one test line (except tap_plan, tap_diag,
# tap_bail) and returns 0 on pass, 1 on failure, so "set -e" tests must
# write "tap_is ... || :" if they want to go on after a failure.  Finish
# with tap_done, which exits non-zero when any test failed or the plan was
# not met.  Names are prefixed tap_ / TAP_ to stay out of the test's way.

TAP_COUNT=0
TAP_FAILED=0
TAP_PLANNED=

# tap_plan N: announce N tests.
tap_plan() {
	TAP_PLANNED=$1
	printf '1..%s\n' "$1"
}

# tap_diag TEXT...: print TEXT (arguments joined by spaces) as "# " diagnostics; multi-line safe.
tap_diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# tap_diag_file FILE [MAX_LINES]: print a file (default last 40 lines) as diagnostics.
tap_diag_file() {
	if [ -r "$1" ]; then
		tail -n "${2:-40}" "$1" | sed 's/^/# /'
	else
		printf '# (no file %s)\n' "$1"
	fi
}

# tap_pass DESC: a passing test.
tap_pass() {
	TAP_COUNT=$((TAP_COUNT + 1))
	printf 'ok %d - %s\n' "$TAP_COUNT" "$1"
	return 0
}

# tap_fail DESC [DIAG...]: a failing test; each DIAG becomes diagnostic line(s).
tap_fail() {
	TAP_COUNT=$((TAP_COUNT + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_COUNT" "$1"
	shift
	for tap_fail_line in "$@"; do
		tap_diag "$tap_fail_line"
	done
	return 1
}

# tap_ok STATUS DESC: pass when STATUS (an exit status) is 0.
tap_ok() {
	if [ "$1" -eq 0 ]; then
		tap_pass "$2"
	else
		tap_fail "$2" "exit status $1"
	fi
}

# tap_is GOT EXPECTED DESC: pass when the two strings are equal.
tap_is() {
	if [ "x$1" = "x$2" ]; then
		tap_pass "$3"
	else
		tap_fail "$3" "     got: '$1'" "expected: '$2'"
	fi
}

# tap_like GOT ERE DESC: pass when GOT matches the extended regular expression.
tap_like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		tap_pass "$3"
	else
		tap_fail "$3" "     got: '$1'" "expected to match: /$2/"
	fi
}

# tap_unlike GOT ERE DESC: pass when GOT does not match the regular expression.
tap_unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		tap_fail "$3" "     got: '$1'" "expected not to match: /$2/"
	else
		tap_pass "$3"
	fi
}

# tap_files_equal GOT_FILE EXPECTED_FILE DESC: compare byte for byte, unified diff on failure.
tap_files_equal() {
	if [ ! -r "$2" ]; then
		tap_fail "$3" "missing expected file $2"
	elif [ ! -r "$1" ]; then
		tap_fail "$3" "missing output file $1"
	elif cmp -s "$2" "$1"; then
		tap_pass "$3"
	else
		tap_fail "$3" "diff -u expected got:"
		diff -u "$2" "$1" | sed 's/^/# /'
		return 1
	fi
}

# tap_run DESC COMMAND [ARGS...]: pass when COMMAND exits 0; its output goes
# to diagnostics on failure.  The output of the last command is kept in
# $TAP_OUTPUT.
tap_run() {
	tap_run_desc=$1
	shift
	if TAP_OUTPUT=$("$@" 2>&1); then
		tap_pass "$tap_run_desc"
	else
		tap_run_status=$?
		tap_fail "$tap_run_desc" "command failed (exit $tap_run_status): $*" "$TAP_OUTPUT"
	fi
}

# tap_run_fails DESC COMMAND [ARGS...]: pass when COMMAND exits non-zero
# (output kept in $TAP_OUTPUT, shown as a diagnostic either way on failure).
tap_run_fails() {
	tap_run_desc=$1
	shift
	if TAP_OUTPUT=$("$@" 2>&1); then
		tap_fail "$tap_run_desc" "command unexpectedly succeeded: $*" "$TAP_OUTPUT"
	else
		tap_pass "$tap_run_desc"
	fi
}

# tap_bail REASON: abort the whole test script ("Bail out!"), exit 1.
tap_bail() {
	printf 'Bail out! %s\n' "$*"
	exit 1
}

# tap_require_tool VAR_VALUE NAME: bail out (a failure, not a skip) when a
# tool the test needs was not found or is not executable.
tap_require_tool() {
	if [ -z "$1" ]; then
		tap_bail "$2 not found (configure did not find it; install it and re-run configure)"
	fi
	if [ ! -x "$1" ] && ! command -v "$1" >/dev/null 2>&1; then
		tap_bail "$2 not executable: $1"
	fi
}

# tap_done: check the plan, exit 0 when every test passed, 1 otherwise.
tap_done() {
	if [ -n "$TAP_PLANNED" ] && [ "$TAP_COUNT" -ne "$TAP_PLANNED" ]; then
		tap_diag "planned $TAP_PLANNED tests but ran $TAP_COUNT"
		exit 1
	fi
	if [ -z "$TAP_PLANNED" ]; then
		printf '1..%d\n' "$TAP_COUNT"
	fi
	if [ "$TAP_FAILED" -ne 0 ]; then
		tap_diag "$TAP_FAILED of $TAP_COUNT tests failed"
		exit 1
	fi
	exit 0
}
