#!/bin/sh
# test-cli.sh: chopin-agent-sim's command line: help, version, check mode, exit codes, scenario errors and replay bounds.
. "${top_srcdir:?top_srcdir is not set: run this test through make check}/tests/agent-sim/sim-test-lib.sh"

tap_plan 14

tap_run "--help exits 0" "$SIM" --help
tap_like "$TAP_OUTPUT" 'chopin-agent-sim replay .*-T TARGET' "--help shows the replay usage"
tap_run "--version exits 0" "$SIM" --version
tap_like "$TAP_OUTPUT" '^chopin-agent-sim [0-9]' "--version prints the version"

"$SIM" frobnicate >/dev/null 2>&1
tap_is "$?" 2 "an unknown command exits 2"
"$SIM" load --rate -5 >/dev/null 2>&1
tap_is "$?" 2 "a bad option value exits 2"

# Every shipped scenario parses.
tap_run "check accepts every shipped scenario" "$SIM" check "$SCENARIO_DIR"/*.scenario
tap_is "$(printf '%s\n' "$TAP_OUTPUT" | grep -c ': ok (')" \
	"$(ls "$SCENARIO_DIR"/*.scenario | wc -l)" "check reports ok for each shipped scenario"

# A bad scenario: exit 2 and "file:line: message" on stderr, nothing sent.
printf 'start 2019-09-23T05:00:00Z\nhost A\nat 10 dance A\n' >"$work_dir/bad.scenario"
"$SIM" replay -T udp:127.0.0.1:9 "$work_dir/bad.scenario" >"$work_dir/bad.out" 2>"$work_dir/bad.err"
tap_is "$?" 2 "a bad scenario exits 2"
tap_is "$(cat "$work_dir/bad.err")" "$work_dir/bad.scenario:3: unknown action 'dance'" \
	"the error is file:line: message"

# Informs nobody acknowledges: exit 1, bounded by timeout and retries.
port=$(sim_pick_port)
start=$(date +%s)
timeout 30 "$SIM" replay --inform -t 0.2 -r 1 --speed max -T "udp:127.0.0.1:$port" \
	"$SIM_DATA/smoke.scenario" >/dev/null 2>"$work_dir/noack.err"
status=$?
elapsed=$(($(date +%s) - start))
tap_is "$status" 1 "unacknowledged informs exit 1"
tap_like "$(cat "$work_dir/noack.err")" 'not acknowledged' "and say so"
tap_like "$elapsed" '^[0-9]$' "and give up within 10 s (took ${elapsed} s)"

# Time compression: a 6-hour scenario at the default speed takes about 5 s, not 6 h.
start=$(date +%s)
timeout 60 "$SIM" replay -q -T "udp:127.0.0.1:$port" "$SCENARIO_DIR/vmapp003-silent.scenario"
elapsed=$(($(date +%s) - start))
tap_like "$elapsed" '^([4-9]|10)$' "vmapp003-silent replays 6 h of scenario in about 5 s (took ${elapsed} s)"

tap_done
