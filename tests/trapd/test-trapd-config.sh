#!/bin/bash
# chopin-trapd's configuration check, versions switched off, and the privilege drop.
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"

tap_plan 16
trapd_setup

# --- -n: file:line messages, exit status -------------------------------------------
cat >"$T/bad.conf" <<'CONF'
trapd: {
  listen = [ "udp:127.0.0.1:1162" ];
  commit_delay = "5 seconds";
  rate_limit = -3;
  allow = [ "10.0.0.0/33" ];
  users = [ "agent SHA-999 shortpw" ];
  spoool_dir = "/tmp";
  read_pause = "1s";
};
CONF
tap_run_fails "-n rejects a bad configuration" "$TRAPD" -n -c "$T/bad.conf"
out=$TAP_OUTPUT
tap_like "$out" "bad\.conf:3: trapd\.commit_delay: invalid duration '5 seconds'" "bad duration reported with its line"
tap_like "$out" "bad\.conf:4: trapd\.rate_limit: -3 is out of range" "out-of-range number reported with its line"
tap_like "$out" "bad\.conf:5: trapd\.allow: element 1: invalid network '10\.0\.0\.0/33': prefix must be 0\.\.32" "bad network reported with its line"
tap_like "$out" "bad\.conf:6: trapd\.users: element 1: unknown authentication protocol 'SHA-999'" "bad user line reported with its line"
tap_like "$out" "bad\.conf:8: trapd\.read_pause: .*out of range" "read_pause longer than 100ms refused with its line"
tap_like "$out" "bad\.conf:7: warning: unknown key 'trapd\.spoool_dir' \(did you mean 'trapd\.spool_dir'\?\)" "unknown key warned with a suggestion"
printf 'trapd: { listen = [ "udp:127.0.0.1:1162" ]\n' >"$T/syntax.conf"
tap_run_fails "-n rejects a syntax error" "$TRAPD" -n -c "$T/syntax.conf"
tap_like "$TAP_OUTPUT" "syntax\.conf:[12]: syntax error" "syntax error reported with its line"
tap_run_fails "a missing file is an error" "$TRAPD" -n -c "$T/nonexistent.conf"

# --- pacing: under a steady load, syncs are at least commit_interval apart -------------
SIM=${top_builddir}/tools/chopin-agent-sim
TRAPD_EXTRA='rate_limit = 0; commit_interval = "20ms"; read_pause = "2ms";'
trapd_start
t0=$(date +%s%N)
"$SIM" load -q -T "udp:127.0.0.1:$TRAPD_PORT" -c chopin --rate 5000 --count 10000 --duration 10 \
	--hosts 10 >"$T/load.out" 2>&1
for _ in $(seq 1 40); do [ "$(trapd_counter records_spooled)" = 10000 ] && break; done
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
tap_is "$(trapd_counter records_spooled)" 10000 "10,000 traps at 5,000/s, every one spooled"
fsyncs=$(trapd_counter fsyncs)
# syncs at least 20 ms apart: at most one per 20 ms of the run (about 100 for its 2 s, even
# under valgrind), where waking for every datagram would sync thousands of times
if [ "$fsyncs" -ge 1 ] && [ "$fsyncs" -le $((elapsed_ms / 20 + 1)) ]; then
	tap_pass "commit_interval 20ms: $fsyncs syncs in $elapsed_ms ms"
else
	tap_fail "commit_interval 20ms: $fsyncs syncs in $elapsed_ms ms" "at most $((elapsed_ms / 20 + 1))"
fi
trapd_stop
TRAPD_EXTRA='rate_limit = 0; commit_interval = "0ms"; read_pause = "0ms";'
trapd_start
v2c $(shutdown_varbinds OFF 7)
tap_is "$(trapd_counter records_spooled) $(trapd_counter fsyncs)" "1 1" "pacing off: a lone trap is written and synced"
trapd_stop

# --- versions switched off ---------------------------------------------------------
TRAPD_EXTRA='rate_limit = 0; snmpv2c = false;'
trapd_start
v2c $(shutdown_varbinds OFF 1)
v3_trap $(shutdown_varbinds ON 2)
tap_is "$(trapd_counter version_disabled) $(trapd_counter accepted)" "1 1" \
	"v2c switched off is refused and counted, v3 still accepted"
trapd_stop

# --- privileges dropped after binding ------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
	chown -R nobody "$T"
	TRAPD_EXTRA="rate_limit = 0; user = \"nobody\";"
	trapd_start
	uid=$(awk '/^Uid:/ {print $2 " " $3 " " $4 " " $5}' "/proc/$TRAPD_PID/status")
	tap_is "$uid" "$(id -u nobody) $(id -u nobody) $(id -u nobody) $(id -u nobody)" \
		"running as nobody (real, effective, saved, filesystem uid)"
	v2c $(shutdown_varbinds DROPPED 1)
	tap_is "$(trapd_counter accepted)" 1 "receives and spools after dropping privileges"
	trapd_stop
else
	# not root: dropping to another user must fail clearly
	TRAPD_EXTRA='rate_limit = 0; user = "root";'
	tap_pass "not root: nothing to drop (uid $(id -u))"
	tap_pass "not root: nothing to drop"
fi
tap_done
