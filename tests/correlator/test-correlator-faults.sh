#!/bin/bash
# chopin-correlator under faults at random points of a run of N informs: kill -9 of the
# correlator and crashes of the MariaDB server leave exactly N events (none lost, none
# twice); then the database is down for minutes while traffic goes on, and nothing is lost.
#
#   CHOPIN_FAULT_INFORMS  N (default 3000, sent over N/100 seconds)
#   CHOPIN_FAULT_SEED     reproduces the fault times of a failed run (printed at the start)
#   CHOPIN_DB_OUTAGE_S    seconds the database stays down in the second part (default 120)
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"
. "$top_srcdir/tests/correlator/correlator-lib.sh"

N=${CHOPIN_FAULT_INFORMS:-3000}
OUTAGE=${CHOPIN_DB_OUTAGE_S:-120}
seed=${CHOPIN_FAULT_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
RANDOM=$seed

tap_plan 16
tap_diag "fault times from seed $seed (set CHOPIN_FAULT_SEED=$seed to replay them)"
trapd_setup
chopin_db_start || tap_bail "the private MariaDB did not start"
REPLAY_PID=
cleanup() {
	[ -n "$REPLAY_PID" ] && kill -KILL "$REPLAY_PID" 2>/dev/null
	correlator_kill
	trapd_cleanup
	chopin_db_stop
}
trap cleanup EXIT
CHOPIN_WRITER_PASSWORD=writer-pw CHOPIN_READER_PASSWORD=reader-pw \
	"$top_builddir/sql/chopin-db-setup" --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
	--no-defaults --sql-dir="$top_srcdir/sql" --quiet || tap_bail "chopin-db-setup failed"

trapd_start
cp "$top_srcdir/correlator/rules.conf" "$T/rules.conf"
: >"$T/nagios.cmd"
correlator_start
host_events() { sq "SELECT COUNT(*) FROM events e JOIN hosts h USING (host_id) WHERE h.name = '$1'"; }
# random_ms LOW HIGH: a pause in [LOW, HIGH) milliseconds, as seconds for sleep
random_ms() { awk -v ms=$(($1 + RANDOM % ($2 - $1))) 'BEGIN { printf "%.3f", ms / 1000 }'; }

# --- part 1: N informs paced over N/100 s; faults at random points until they are all sent ----
scenario "$T/faults.scenario" FAULTHOST "$N" 1s '07(e0xfc/s7)'
replay "$T/faults.scenario" --speed 100 -t 1 -r 20 &
REPLAY_PID=$!
kills=0 crashes=0 schedule=
while kill -0 "$REPLAY_PID" 2>/dev/null; do
	sleep "$(random_ms 300 3000)"
	kill -0 "$REPLAY_PID" 2>/dev/null || break
	if [ $((RANDOM % 2)) -eq 0 ]; then
		correlator_kill
		kills=$((kills + 1))
		down=$(random_ms 0 1500)
		schedule="$schedule correlator-kill(${down}s)"
		sleep "$down"
		correlator_start
	else
		down=$(random_ms 0 2500)
		crashes=$((crashes + 1))
		schedule="$schedule mariadb-crash(${down}s)"
		chopin_db_crash_restart "$down" || tap_bail "MariaDB did not come back"
	fi
done
wait "$REPLAY_PID"
tap_ok $? "all $N informs acknowledged by chopin-trapd"
REPLAY_PID=
tap_diag "faults:$schedule"
[ $((kills + crashes)) -ge 3 ]
tap_ok $? "at least 3 faults during the run ($kills correlator kills, $crashes database crashes)"
# correlator.connections 2 (the default): FAULTHOST's id is odd, so its rows go through the
# second connection, committed before each batch's transaction
tap_is "$(sq "SELECT host_id % 2 FROM hosts WHERE name = 'FAULTHOST'")" 1 \
	"FAULTHOST's event rows are the second connection's"
tap_is "$(wait_for "SELECT COUNT(*) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'FAULTHOST'" "$N" 60)" "$N" \
	"exactly $N events stored"
tap_is "$(sq "SELECT COUNT(DISTINCT agent_sequence) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'FAULTHOST'")" "$N" \
	"each of them once"
tap_is "$(sq "SELECT COUNT(*) FROM lost_trap_gaps g JOIN hosts h USING (host_id) WHERE h.name = 'FAULTHOST'")" 0 \
	"no sequence gap recorded"
tap_is "$(sq "SELECT CONCAT_WS('|', a.occurrences, (SELECT COUNT(*) FROM alarm_events ae WHERE ae.alarm_id = a.alarm_id)) FROM alarms a JOIN hosts h USING (host_id) WHERE h.name = 'FAULTHOST' AND a.rule_name = 'pd-error-burst'")" "$N|51" \
	"the rules' state is exact too: one burst alarm counting $N errors, 51 events linked"
spooled=$(trapd_counter records_spooled)
tap_is "$(wait_for "SELECT record_count FROM correlator_checkpoints" "$spooled" 30)" "$spooled" \
	"the checkpoint counts each spooled record once ($spooled)"

# --- part 2: the database down for minutes while traffic goes on -----------------------------
M=600
before=$(sq "SELECT record_count FROM correlator_checkpoints")
log_lines=$(wc -l <"$T/correlator.log")
kill -KILL "$CHOPIN_TEST_PID"
wait "$CHOPIN_TEST_PID" 2>/dev/null
start=$(date +%s)
scenario "$T/outage.scenario" OUTAGEHOST "$M" 1s
# spread over the first half of the outage
tap_run "$M informs acknowledged while the database is down" \
	replay "$T/outage.scenario" --speed $((M * 2 / OUTAGE > 0 ? M * 2 / OUTAGE : 1)) -t 1 -r 5
sleep $((OUTAGE - ($(date +%s) - start) > 0 ? OUTAGE - ($(date +%s) - start) : 0))
tap_run "the correlator survives ${OUTAGE}s without its database" kill -0 "$CORRELATOR_PID"
[ "$(trapd_counter records_spooled)" -ge $((spooled + M)) ]
tap_ok $? "the spool holds the backlog meanwhile"
chopin_db_launch "$CHOPIN_TEST_DIR" || tap_bail "MariaDB did not come back"
tap_is "$(wait_for "SELECT COUNT(*) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'OUTAGEHOST'" "$M" 60)" "$M" \
	"all $M events stored after the database returned"
tap_is "$(sq "SELECT COUNT(DISTINCT agent_sequence) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'OUTAGEHOST'")" "$M" \
	"each of them once"
[ "$(sq "SELECT record_count FROM correlator_checkpoints")" -gt "$before" ]
tap_ok $? "the checkpoint moved on"
outage_log=$(tail -n +$((log_lines + 1)) "$T/correlator.log")
warnings=$(printf '%s\n' "$outage_log" | grep -c 'warning:')
# one retry a second (retry_max): the complaint is repeated after 10 s, 20 s, 40 s, ...
[ "$warnings" -ge 1 ] && [ "$warnings" -le 8 ]
tap_ok $? "the outage is logged at growing intervals, not at every retry ($warnings warnings in ${OUTAGE}s)" ||
	tap_diag "$outage_log"
tap_like "$outage_log" "database reachable, resuming at spool position" "the recovery is logged"
tap_done
