#!/bin/bash
# chopin-correlator end to end: trapd, a private MariaDB, real SNMP; exactly-once under crashes.
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"

CORRELATOR=$top_builddir/correlator/chopin-correlator
SIM=$top_builddir/tools/chopin-agent-sim
CORRELATOR_PID=

tap_plan 17
trapd_setup
chopin_db_start || tap_bail "the private MariaDB did not start"
cleanup() {
	[ -n "$CORRELATOR_PID" ] && kill -KILL "$CORRELATOR_PID" 2>/dev/null
	trapd_cleanup
	chopin_db_stop
}
trap cleanup EXIT
CHOPIN_WRITER_PASSWORD=writer-pw CHOPIN_READER_PASSWORD=reader-pw \
	"$top_builddir/sql/chopin-db-setup" --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
	--no-defaults --sql-dir="$top_srcdir/sql" --quiet || tap_bail "chopin-db-setup failed"
sq() { chopin_sql -N chopin -e "$1"; }

# wait_for SQL EXPECTED: until the query prints EXPECTED (bounded: 30 s).
wait_for() {
	local got
	for _ in $(seq 1 300); do
		got=$(sq "$1" 2>/dev/null)
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	printf '%s' "$got"
}

correlator_start() {
	cat >"$T/correlator.conf" <<CONF
database: { socket = "$CHOPIN_TEST_SOCKET"; user = "chopin_writer"; password = "writer-pw";
            name = "chopin"; connect_timeout = "2s"; read_timeout = "5s"; write_timeout = "5s"; };
correlator: { spool_dir = "$T/spool"; poll_interval = "20ms"; heartbeat_interval = "1s";
              retry_max = "1s"; batch_records = 50; };
CONF
	"$CORRELATOR" -f -c "$T/correlator.conf" >>"$T/correlator.log" 2>&1 &
	CORRELATOR_PID=$!
}

# scenario FILE HOST COUNT EVERY: COUNT event-log entries from HOST, one every EVERY.
scenario() {
	cat >"$1" <<SCN
start 2019-09-23T05:00:00Z
host $2 os="Windows Server 2019 Standard" version=10.0.17763 type=physical heartbeat=1h
at 1s repeat $3 every $4 event $2 source=MR_MONITOR id=113 level=information message="Controller ID: 0 Unexpected sense: PD = Port 0 - 252:0 'quoted' Event ID:113"
SCN
}
replay() { # FILE [sim args]
	local file=$1
	shift
	"$SIM" replay -q -T "udp:127.0.0.1:$TRAPD_PORT" -v 2c -c chopin --inform "$@" "$file"
}

trapd_start
tap_run "chopin-correlator -n accepts its configuration" "$CORRELATOR" -n -c /dev/null
correlator_start

# --- rows, exactly ---------------------------------------------------------------------
scenario "$T/basic.scenario" CERNVS08 50 10s
tap_run "50 event-log informs acknowledged" replay "$T/basic.scenario" --speed max
tap_is "$(wait_for "SELECT COUNT(*) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'CERNVS08'" 50)" 50 \
	"50 events stored for CERNVS08"
tap_is "$(sq "SELECT CONCAT_WS('|', os_name, os_version, machine_type, heartbeat_interval_s, status) FROM hosts WHERE name = 'CERNVS08'")" \
	"Windows Server 2019 Standard|10.0.17763|physical|3600|active" "host registered from its heartbeat"
tap_is "$(sq "SELECT CONCAT_WS('|', source, event_id, level, event_time, message) FROM events WHERE agent_sequence = (SELECT MIN(agent_sequence) FROM events WHERE event_id = 113) LIMIT 1")" \
	"MR_MONITOR|113|information|2019-09-23 05:00:01.000000|Controller ID: 0 Unexpected sense: PD = Port 0 - 252:0 'quoted' Event ID:113" \
	"event row holds the agent's time and text verbatim"
tap_is "$(sq "SELECT COUNT(*) FROM correlator_checkpoints WHERE correlator_name = 'main' AND updated_at > UTC_TIMESTAMP(6) - INTERVAL 10 SECOND")" 1 \
	"the checkpoint (pipeline heartbeat) is fresh"

# --- duplicates, gaps, quarantine --------------------------------------------------------
R=$ROOT
ev() { # SEQ INSTANCE: one event entry from GAPHOST as a v2c trap
	snmptrap -v 2c -c chopin "127.0.0.1:$TRAPD_PORT" '' "$R.0.2" "$R.1.1.1.0" s GAPHOST \
		"$R.1.1.2.0" u "$2" "$R.1.1.3.0" u "$1" "$R.1.1.4.0" x 07E3091706000000 \
		"$R.1.3.1.0" s System "$R.1.3.2.0" s Test "$R.1.3.3.0" u 1 "$R.1.3.4.0" i 4 \
		"$R.1.3.5.0" u "$1" "$R.1.3.6.0" x 07E3091706000000 "$R.1.3.7.0" s "seq $1"
}
for seq in 1 2 2 5 6 5; do ev "$seq" 777; done
tap_is "$(wait_for "SELECT COUNT(*) FROM events WHERE agent_instance = '777'" 4)" 4 "retries of 2 and 5 dropped: 4 events"
tap_is "$(wait_for "SELECT duplicate_count FROM agent_instances WHERE instance_id = '777'" 2)" 2 "duplicates counted"
ev 3 777
tap_is "$(wait_for "SELECT COUNT(*) FROM events WHERE agent_instance = '777'" 5)" 5 "a late arrival (3) is kept"
ev 70 777
tap_is "$(wait_for "SELECT CONCAT(from_seq, '-', to_seq, ':', lost_count) FROM lost_trap_gaps WHERE instance_id = '777'" "4-4:1")" "4-4:1" \
	"4 declared lost once it left the window"
snmptrap -v 2c -c chopin "127.0.0.1:$TRAPD_PORT" '' "$R.0.99" "$R.1.1.1.0" s ROGUE
tap_like "$(wait_for "SELECT CONCAT(reason, ' ', notification_oid) FROM trap_quarantine" "not a CHOPIN-MIB notification .1.3.6.1.4.1.8072.9999.9999.72.0.99")" \
	'^not a CHOPIN-MIB notification \.1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.72\.0\.99$' "quarantined notification stored"

# --- kill -9 of the correlator in the middle of a run ------------------------------------------
scenario "$T/kill.scenario" KILLHOST 400 1s
replay "$T/kill.scenario" --speed 200 &
sender=$!
sleep 0.7
kill -KILL "$CORRELATOR_PID"
wait "$CORRELATOR_PID" 2>/dev/null
sleep 0.3
correlator_start
wait "$sender"
tap_is "$(wait_for "SELECT COUNT(*) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'KILLHOST'" 400)" 400 \
	"kill -9 of the correlator: exactly 400 events"
tap_is "$(sq "SELECT COUNT(*) - COUNT(DISTINCT agent_sequence) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'KILLHOST'")" 0 \
	"none twice"

# --- the database crashes and stays down for a while -----------------------------------------
scenario "$T/db.scenario" DBHOST 400 1s
replay "$T/db.scenario" --speed 200 &
sender=$!
sleep 0.7
chopin_db_crash_restart 3 || tap_bail "MariaDB did not come back"
wait "$sender"
tap_is "$(wait_for "SELECT COUNT(*) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'DBHOST'" 400)" 400 \
	"MariaDB killed and down 3 s: exactly 400 events"
tap_is "$(sq "SELECT COUNT(*) - COUNT(DISTINCT agent_sequence) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'DBHOST'")" 0 \
	"none twice"
tap_like "$(cat "$T/correlator.log")" "database reachable, resuming at spool position" "the outage and the recovery are logged"
tap_run "correlator still running" kill -0 "$CORRELATOR_PID"
tap_done
