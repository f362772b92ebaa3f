#!/bin/bash
# chopin-trapd's promises under stress: kill -9 loses no acknowledged inform, torn tails are
# cut, a full disk is back-pressure, one source's storm does not crowd out another.
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"

tap_plan 15
trapd_setup
trapd_start

# --- kill -9 during an inform load ------------------------------------------------
# Four agents send 40 informs each; every one snmpinform reports acknowledged is noted.
worker() {
	local host=$1 seq
	for seq in $(seq 1 40); do
		if snmpinform -v 2c -c chopin -t 1 -r 6 "127.0.0.1:$TRAPD_PORT" '' \
			$(shutdown_varbinds "$host" "$seq") 2>/dev/null; then
			echo "$host $seq" >>"$T/acked"
		fi
	done
}
: >"$T/acked"
for host in AGENT1 AGENT2 AGENT3 AGENT4; do
	worker "$host" &
done
sleep 1.5
kill -KILL "$TRAPD_PID"
wait "$TRAPD_PID" 2>/dev/null
TRAPD_PID=
acked_before_kill=$(wc -l <"$T/acked")
sleep 1
TRAPD_PORT_FIXED=$TRAPD_PORT trapd_start
wait_workers() { for job in $(jobs -p); do [ "$job" = "$TRAPD_PID" ] || wait "$job"; done; }
wait_workers
tap_like "$acked_before_kill" '^[1-9][0-9]*$' "informs were acknowledged before the kill ($acked_before_kill)"
tap_is "$(wc -l <"$T/acked")" 160 "every inform acknowledged in the end (retries reach the restarted daemon)"
trapd_stop
missing=0
dump=$(spool_dump)
while read -r host seq; do
	if ! printf '%s\n' "$dump" | grep -q "chopinHostName=\"$host\" chopinAgentInstance=4242 chopinSequence=$seq "; then
		missing=$((missing + 1))
		tap_diag "acknowledged but not in the spool: $host $seq"
	fi
done <"$T/acked"
tap_is "$missing" 0 "no acknowledged inform is missing from the spool after kill -9"

# --- a torn tail is cut at start and reported ---------------------------------------
last=$(ls "$T/spool" | grep '\.spool$' | sort | tail -n 1)
first=$(ls "$T/spool" | grep '\.spool$' | sort | head -n 1)
head -c 60 "$T/spool/$first" >>"$T/spool/$last"
records_before=$("$CHOPIN_SPOOL" check "$T/spool" | cut -d' ' -f1)
TRAPD_PORT_FIXED=$TRAPD_PORT trapd_start
tap_like "$(cat "$T/trapd.log")" "cut a torn tail of 60 bytes" "torn tail cut and reported at start"
trapd_stop
tap_run "spool has no corruption after the repair" "$CHOPIN_SPOOL" check "$T/spool"
tap_is "$("$CHOPIN_SPOOL" check "$T/spool" | cut -d' ' -f1)" "$records_before" "no whole record lost by the repair"

# --- a full disk: traps dropped and counted, informs not acknowledged, then recovery ------
rm -rf "$T/spool"
TRAPD_WRAPPER="prlimit --fsize=1500:unlimited" TRAPD_PORT_FIXED=$TRAPD_PORT trapd_start
for seq in $(seq 1 30); do v2c $(shutdown_varbinds FULLDISK "$seq"); sleep 0.01; done
tap_run_fails "an inform is not acknowledged while the spool cannot be written" \
	snmpinform -v 2c -c chopin -t 1 -r 0 "127.0.0.1:$TRAPD_PORT" '' $(shutdown_varbinds FULLDISK 99)
tap_like "$(trapd_counter dropped)" '^[1-9][0-9]*$' "dropped notifications counted"
tap_is "$(grep -c 'notifications dropped, informs not acknowledged' "$T/trapd.log")" 1 \
	"one clear log line for the outage"
prlimit --pid "$TRAPD_PID" --fsize=unlimited
tap_run "after space returns an inform is acknowledged" v2c_inform $(shutdown_varbinds FULLDISK 100)
tap_like "$(cat "$T/trapd.log")" "spool writable again" "recovery logged"
trapd_stop
tap_like "$(spool_dump | grep -c FULLDISK)" '^([1-9]|1[0-9])$' "what fitted before the outage and after it is in the spool"

# --- rate limits per source, access control ------------------------------------------
rm -rf "$T/spool"
TRAPD_EXTRA='rate_limit = 5; rate_burst = 5; allow = [ "127.0.0.1/32", "127.0.0.2/32" ];'
TRAPD_WRAPPER= TRAPD_PORT_FIXED=$TRAPD_PORT trapd_start
for seq in $(seq 1 40); do v2c $(shutdown_varbinds STORM "$seq"); done
snmptrap --clientaddr=127.0.0.2 -v 2c -c chopin "127.0.0.1:$TRAPD_PORT" '' $(shutdown_varbinds QUIET 1)
snmptrap --clientaddr=127.0.0.9 -v 2c -c chopin "127.0.0.1:$TRAPD_PORT" '' $(shutdown_varbinds OUTSIDER 1)
tap_like "$(trapd_counter rate_limited)" '^(2[0-9]|3[0-5])$' "the storming source is rate-limited"
tap_is "$(trapd_counter denied)" 1 "a source outside trapd.allow is denied"
trapd_stop
tap_is "$(spool_dump | grep -c 'chopinHostName="QUIET"')" 1 "another source still gets through during the storm"

tap_done
