#!/bin/bash
# chopin-correlator end to end: trapd, a private MariaDB, real SNMP; exactly-once under crashes.
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"
. "$top_srcdir/tests/correlator/correlator-lib.sh"

tap_plan 54
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
trapd_start
cp "$top_srcdir/correlator/rules.conf" "$T/rules.conf"
chmod u+w "$T/rules.conf"
: >"$T/nagios.cmd" # Nagios creates its command file; the correlator only appends to it
correlator_start
tap_run "chopin-correlator -n accepts its configuration and the shipped rules" \
	"$CORRELATOR" -n -c "$T/correlator.conf"
# the first one holds the lock once it has written its checkpoint
wait_for "SELECT COUNT(*) FROM correlator_checkpoints WHERE correlator_name = 'main'" 1 >/dev/null
"$CORRELATOR" -f -c "$T/correlator.conf" >"$T/second.log" 2>&1 &
second=$!
for _ in $(seq 1 100); do
	grep -q "another chopin-correlator" "$T/second.log" && break
	sleep 0.1
done
kill "$second" 2>/dev/null
wait "$second" 2>/dev/null
tap_like "$(cat "$T/second.log")" "another chopin-correlator named 'main' is running against this database" \
	"a second correlator with the same name waits instead of applying records twice"

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
tap_like "$(wait_like "SELECT CONCAT(reason, ' ', notification_oid) FROM trap_quarantine" 'CHOPIN-MIB')" \
	'^not a CHOPIN-MIB notification \.1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.72\.0\.99$' "quarantined notification stored"

# --- RAID inventory: snapshots compared, devices and history -------------------------------
tap_run "drive-replaced-slot scenario replayed" replay "$top_srcdir/tools/scenarios/drive-replaced-slot.scenario" --speed max
media="SELECT host_id FROM hosts WHERE name = 'CERNMEDIA26'"
tap_is "$(wait_for "SELECT text FROM config_history WHERE host_id = ($media) AND change_kind = 'replaced'" \
	"PD 252:7 replaced: serial Z4015LRA -> WFK0G8LP, model ST1200MM0129")" \
	"PD 252:7 replaced: serial Z4015LRA -> WFK0G8LP, model ST1200MM0129" "the drive replacement is in the configuration history"
tap_is "$(sq "SELECT CONCAT_WS('|', kind, model, serial, firmware, state, status, removed) FROM devices WHERE host_id = ($media) AND address = 'c0/e252/s7'")" \
	"pd|ST1200MM0129|WFK0G8LP|CSL6|Onln|ok|0" "the device row holds the new drive"
tap_is "$(sq "SELECT COUNT(*) FROM devices WHERE host_id = ($media)")" 10 "controller, VD, 7 PDs and the battery"
tap_is "$(sq "SELECT COUNT(*) FROM raid_snapshots WHERE host_id = ($media) AND complete = 0")" 0 "every snapshot completed"

# A snapshot whose parts straddle a kill -9 of the correlator.
part() { # KIND-NUMBER PART-INDEX EXTRA...: one part of snapshot 4242 of PARTHOST
	local kind=$1 index=$2
	shift 2
	snmptrap -v 2c -c chopin "127.0.0.1:$TRAPD_PORT" '' "$R.0.$kind" "$R.1.1.1.0" s PARTHOST \
		"$R.1.1.2.0" u 99 "$R.1.1.3.0" u "$index" "$R.1.1.4.0" x 07E3091706000000 \
		"$R.1.4.1.0" u 4242 "$R.1.4.2.0" u "$index" "$R.1.4.3.0" u 3 "$R.1.4.4.0" u 0 "$@"
}
part 3 1 "$R.1.4.5.0" s "PERC H710" "$R.1.4.6.0" s SN1 "$R.1.4.7.0" s 21.3 "$R.1.4.8.0" s Optimal \
	"$R.1.4.25.0" u 0 "$R.1.4.26.0" u 0
part 4 2 "$R.1.4.9.0" s 0/0 "$R.1.4.10.0" s RAID1 "$R.1.4.8.0" s Dgrd "$R.1.4.11.0" u 285568 "$R.1.4.12.0" s SYS
tap_is "$(wait_for "SELECT parts_received FROM raid_snapshots r JOIN hosts h USING (host_id) WHERE h.name = 'PARTHOST'" 2)" 2 \
	"two of three parts committed"
kill -KILL "$CORRELATOR_PID"
wait "$CORRELATOR_PID" 2>/dev/null
correlator_start
part 5 3 "$R.1.4.13.0" s 32:1 "$R.1.4.14.0" u 1 "$R.1.4.23.0" i 0 "$R.1.4.8.0" s Offln \
	"$R.1.4.11.0" u 285568 "$R.1.4.5.0" s ST300MM0006 "$R.1.4.6.0" s "  S0K2ABCD  " "$R.1.4.7.0" s LS08 \
	"$R.1.4.15.0" s HDD "$R.1.4.16.0" s SAS "$R.1.4.22.0" s 5000c500 "$R.1.4.17.0" u 0 \
	"$R.1.4.18.0" u 0 "$R.1.4.19.0" u 0 "$R.1.4.20.0" i 30 "$R.1.4.21.0" i 2
tap_is "$(wait_for "SELECT GROUP_CONCAT(CONCAT(d.address, '=', d.status, ':', COALESCE(d.serial, '')) ORDER BY d.address) FROM devices d JOIN hosts h USING (host_id) WHERE h.name = 'PARTHOST'" \
	"c0=ok:SN1,c0/e32/s1=critical:S0K2ABCD,c0/v0=critical:")" \
	"c0=ok:SN1,c0/e32/s1=critical:S0K2ABCD,c0/v0=critical:" \
	"parts before and after a kill -9 make one snapshot; states give statuses; serials trimmed" ||
	{ tap_diag "quarantine: $(sq 'SELECT GROUP_CONCAT(reason) FROM trap_quarantine')";
	  tap_diag "snapshots: $(sq "SELECT GROUP_CONCAT(CONCAT(snapshot_id, ':', parts_received, '/', parts_total)) FROM raid_snapshots")";
	  tap_diag_file "$T/correlator.log" 20; }

# --- kill -9 of the correlator in the middle of a run ------------------------------------------
scenario "$T/kill.scenario" KILLHOST 400 1s '07(e0xfc/s7)'
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
tap_is "$(wait_for "SELECT CONCAT_WS('|', a.occurrences, (SELECT COUNT(*) FROM alarm_events ae WHERE ae.alarm_id = a.alarm_id)) FROM alarms a JOIN hosts h USING (host_id) WHERE h.name = 'KILLHOST' AND a.rule_name = 'pd-error-burst'" "400|51")" "400|51" \
	"the burst alarm counts 400 errors across the kill; the raising event and the next 50 are linked"

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
tap_is "$(sq "SELECT COUNT(*) FROM alarms WHERE rule_name = 'inactive-server'")" 0 \
	"catching up after the outages judged silence on the receiver's time: no host flapped inactive"

# --- rules: alarms raised and cleared, filters, reload ------------------------------------------
tap_run "CERNVS08 scenario replayed" replay "$top_srcdir/tools/scenarios/cernvs08-vd-degraded.scenario" --speed max
vs08="SELECT host_id FROM hosts WHERE name = 'CERNVS08'"
tap_is "$(wait_for "SELECT CONCAT_WS('|', rule_name, alarm_key, service, severity, state, cleared_by) FROM alarms WHERE host_id = ($vs08) AND rule_name = 'vd-degraded'" \
	"vd-degraded|c0/v0|RAID|critical|cleared|vd-degraded")" "vd-degraded|c0/v0|RAID|critical|cleared|vd-degraded" \
	"81 then 251 raised 'VD degraded' on c0/v0; the rebuild's completion cleared it"
tap_is "$(sq "SELECT GROUP_CONCAT(e.event_id ORDER BY e.event_time, e.id) FROM alarm_events ae JOIN alarms a USING (alarm_id) JOIN events e ON e.id = ae.event_row_id WHERE a.host_id = ($vs08) AND a.rule_name = 'vd-degraded'")" \
	"251,99" "alarm_events links the 251 that raised 'VD degraded' and the rebuild completion (99) that cleared it"
tap_is "$(sq "SELECT COUNT(*) FROM events WHERE host_id = ($vs08) AND event_id = 251 AND rule_name IS NULL")" 1 \
	"the 251 is stored, kept by the default filter"
tap_is "$(sq "SELECT GROUP_CONCAT(DISTINCT CONCAT(event_id, '=', COALESCE(device_address, '-')) ORDER BY event_id) FROM events WHERE host_id = ($vs08) AND event_id IN (81, 113, 251)")" \
	"81=c0/v0,113=c0/e252/s0,251=c0/v0" "MR_MONITOR entries name their device: the drive's slot, the VD"
tap_like "$(grep ';CERNVS08;RAID;' "$T/nagios.cmd" | tail -n 1)" \
	'^\[[0-9]+\] PROCESS_SERVICE_CHECK_RESULT;CERNVS08;RAID;0;OK - no open alarm' \
	"passive results: the last one for CERNVS08's RAID says OK once the alarms cleared"
tap_unlike "$(cat "$T/nagios.cmd")" ';(Hardware|System);' "only the services the Nagios configuration defines get passive results"
tap_run "CERNDATA20 scenario replayed" replay "$top_srcdir/tools/scenarios/cerndata20-memory-errors.scenario" --speed max
tap_like "$(wait_like "SELECT CONCAT(service, ' ', state, ' ', text) FROM alarms a JOIN hosts h USING (host_id) WHERE h.name = 'CERNDATA20' AND rule_name = 'memory-corrected-errors'" '^Hardware open')" \
	'^Hardware open [0-9]+ in 7d: A corrected hardware error has occurred' "thousands of corrected memory errors in 7 days raise one Hardware alarm"
# --- reboots: a planned restart, then a hang and an unexpected reboot ---------------------------
tap_run "unexpected-reboot scenario replayed" replay "$top_srcdir/tools/scenarios/unexpected-reboot.scenario" --speed max
home="SELECT host_id FROM hosts WHERE name = 'CERNHOME15'"
tap_is "$(wait_for "SELECT GROUP_CONCAT(CONCAT_WS('|', event_id, level, event_time) ORDER BY event_time SEPARATOR ' ') FROM events WHERE host_id = ($home) AND source = 'Chopin'" \
	"1|information|2019-10-16 03:22:31.000000 2|error|2019-10-16 08:33:10.000000")" \
	"1|information|2019-10-16 03:22:31.000000 2|error|2019-10-16 08:33:10.000000" \
	"two reboots from the boot-time changes: the planned one clean, the hang's one unexpected"
tap_like "$(sq "SELECT message FROM events WHERE host_id = ($home) AND source = 'Chopin' AND event_id = 1")" \
	'^Rebooted: up since 2019-10-16 03:22:31 UTC after a clean shutdown at 2019-10-16 03:20:56 UTC; the previous boot was 2019-05-20 15:12:[0-9]{2} UTC$' \
	"the clean reboot names the announced shutdown and the previous boot"
tap_like "$(sq "SELECT message FROM events WHERE host_id = ($home) AND source = 'Chopin' AND event_id = 2")" \
	'^Rebooted after an unexpected shutdown: up since 2019-10-16 08:33:10 UTC; no shutdown was announced, the last heartbeat was at 2019-10-16 07:5[0-9]:[0-9]{2} UTC' \
	"the unexpected reboot gives the last sign of life"
tap_is "$(wait_for "SELECT CONCAT_WS('|', last_shutdown_kind, boot_time) FROM hosts WHERE name = 'CERNHOME15'" "unexpected|2019-10-16 08:33:10.000000")" \
	"unexpected|2019-10-16 08:33:10.000000" "the host's last shutdown is the unexpected one"
tap_is "$(sq "SELECT GROUP_CONCAT(CONCAT(source, ':', event_id) ORDER BY event_time, source, event_id SEPARATOR ' ') FROM start_stop_events WHERE host_id = ($home)")" \
	"User32:1074 EventLog:6006 Chopin:1 EventLog:6005 Chopin:2 EventLog:6008 Microsoft-Windows-Kernel-Power:41 EventLog:6005" \
	"the starts and stops (not 6009) are copied to start_stop_events for the heartbeat check"
tap_is "$(sq "SELECT COUNT(*) FROM start_stop_events s JOIN events e ON e.host_id = s.host_id AND e.agent_instance = s.agent_instance AND e.agent_sequence = s.agent_sequence AND e.event_time = s.event_time AND e.event_id = s.event_id AND LEFT(e.message, 160) = s.message WHERE s.host_id = ($home)")" \
	"8" "each copy matches its event row (time, id, message, agent key)"
tap_like "$(wait_like "SELECT CONCAT_WS('|', service, severity, occurrences) FROM alarms WHERE host_id = ($home) AND rule_name = 'unexpected-shutdown'" '^System')" \
	'^System\|warning\|3$' "one System alarm from 6008, Kernel-Power 41 and the correlator's own finding"
tap_is "$(wait_for "SELECT CONCAT_WS('|', SUM(rule_name LIKE 'r:%:vd-degraded' AND state_key = 'CERNVS08/c0/v0'), SUM(rule_name = 'engine'), SUM(rule_name = 'journal'))  FROM correlator_state" "1|0|0" 10)" "1|0|0" \
	"the journal is compacted within journal_interval: the rules' state has a row per rule and key (CERNVS08's VD has its own)"
tap_is "$(sq "SELECT COUNT(*) FROM rules")" "$(grep -c 'type = "' "$T/rules.conf")" "the rules in force are mirrored in the rules table"
printf 'rules = ( { name = "broken"; type = "nonsense"; } );\n' >"$T/rules.conf"
kill -HUP "$CORRELATOR_PID"
sleep 0.5
tap_like "$(cat "$T/correlator.log")" "rules not reloaded, the rules in force stay: .*rules.conf:1" "a bad rules file is refused on SIGHUP, with file:line"
tap_run "correlator still running" kill -0 "$CORRELATOR_PID"
# --- host names: one host whatever the case of its name, ASCII or not -----------------------
# (two scenarios: the simulator refuses two spellings of one name in one)
for spelling in "MixCase-Host01 Zürich-DC1" "MIXCASE-host01 ZÜRICH-dc1"; do
	printf '%s\n' 'start 2019-09-23T05:00:00Z' >"$T/names.scenario"
	for name in $spelling; do
		printf 'host %s os="Windows Server 2019 Standard" version=10.0.17763 type=physical heartbeat=1h\n' \
			"$name" >>"$T/names.scenario"
	done
	for name in $spelling; do
		printf 'at 1s repeat 3 every 1s event %s source=MR_MONITOR id=113 level=information message="Controller ID: 0 Unexpected sense: PD = Port 0 - 252:0 Event ID:113"\n' \
			"$name" >>"$T/names.scenario"
	done
	replay "$T/names.scenario" --speed max >>"$T/names.log" 2>&1 || tap_diag_file "$T/names.log"
done
tap_is "$(wait_for "SELECT GROUP_CONCAT(n ORDER BY n) FROM (SELECT COUNT(*) AS n FROM events e JOIN hosts h USING (host_id) WHERE h.name IN ('mixcase-host01', 'zürich-dc1') GROUP BY host_id) c" "6,6")" \
	"6,6" "two spellings of a name are one host: its 6 events under one host row (ASCII and UTF-8 names)"
tap_is "$(sq "SELECT COUNT(*) FROM hosts WHERE name IN ('mixcase-host01', 'zürich-dc1')")" 2 \
	"one hosts row for each name, whatever the case it came in"
# --- heartbeats: a host's row is written at most once a second, and ends with the latest ------
# 61 heartbeats (every 10 s of scenario time, replayed in well under a second), an event
# just before the last one and one just after it
cat >"$T/heartbeats.scenario" <<'SCN'
start 2019-09-23T05:00:00Z
host HBHOST os="Windows Server 2022 Standard" version=10.0.20348 type=virtual heartbeat=10s
end 609s
at 595s event HBHOST source=HbTest id=1 level=information message="before the last heartbeat"
at 605s event HBHOST source=HbTest id=2 level=information message="after the last heartbeat"
SCN
tap_run "61 heartbeats and 2 events acknowledged" replay "$T/heartbeats.scenario" --speed max
hb_between="SELECT h.last_heartbeat > b.received_at AND h.last_heartbeat < a.received_at
	FROM hosts h JOIN events b ON b.host_id = h.host_id AND b.source = 'HbTest' AND b.event_id = 1
	JOIN events a ON a.host_id = h.host_id AND a.source = 'HbTest' AND a.event_id = 2
	WHERE h.name = 'HBHOST'"
tap_is "$(wait_for "$hb_between" 1 10)" 1 \
	"hosts.last_heartbeat is the last heartbeat's time (between the events sent around it), though earlier ones were put off"
# stream_rows = 10 (correlator-lib.sh): batches of up to 50 records wrote their event rows in
# statements that ran while the next records were applied; every check above holds with it.
kill -TERM "$CORRELATOR_PID"
wait "$CORRELATOR_PID" 2>/dev/null
CORRELATOR_PID=
streamed=$(sed -n 's/.* reboots, \([0-9]*\) event rows streamed.*/\1/p' "$T/correlator.log" | tail -n 1)
[ "${streamed:-0}" -gt 0 ]
tap_ok $? "event rows were streamed during the batches: ${streamed:-none}"
second=$(sed -n 's/.* streamed, \([0-9]*\) written on the second connection.*/\1/p' "$T/correlator.log" | tail -n 1)
[ "${second:-0}" -gt 0 ]
tap_ok $? "the second connection wrote event rows (${second:-none} of them), every check above holds with it"
coalesced=$(sed -n 's/.* \([0-9]*\) heartbeats coalesced.*/\1/p' "$T/correlator.log" | tail -n 1)
[ "${coalesced:-0}" -gt 0 ]
tap_ok $? "heartbeats less than a second after their host's last written one were put off (${coalesced:-none} in this run)"
tap_done
