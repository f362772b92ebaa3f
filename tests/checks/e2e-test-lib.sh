# The end-to-end story shared by the Nagios 4 and Icinga 2 tests: the whole pipeline, then the pages a monitoring engine sends.
#
# The stack as installed: chopin-agent-sim replays the shipped CERNVS08 scenario as SNMP
# informs to chopin-trapd; chopin-correlator applies the shipped rules
# (correlator/rules.conf) into a private MariaDB; the engine runs our shipped objects
# unchanged, with hosts written by chopin-nagios-hosts from the database, and the shipped
# notification command appends to the file standing in for the pager.
#
#   CERNVS08  VD degraded -> RAID CRITICAL -> PROBLEM page; rebuild complete -> RECOVERY page.
#   VMAPP003  falls silent -> the correlator marks it inactive -> Heartbeat CRITICAL (page);
#             then a RAID alarm and 60 pending updates arrive: RAID and Updates go CRITICAL
#             but their pages are held back by the service dependency on Heartbeat; once
#             VMAPP003 beats again the RAID page goes out (so the dependency, nothing else,
#             held it back).
#
# A test sources this file, defines the engine hooks, then calls e2e_start and e2e_story
# (E2E_TESTS TAP lines, the hooks' own included):
#   engine_setup HOSTS_DIR   write the engine's configuration around the shipped objects and
#                            the generated hosts; two TAP lines (generator, validation)
#   engine_start             start it; return once it reads its command file
#   engine_stop              stop it (called at exit)
#   engine_state HOST SERVICE   "CRITICAL hard", "OK soft", ... (empty before the first check)
#   engine_force HOST SERVICE   schedule a forced check now
#   engine_notified HOST SERVICE  how many problem notifications the engine sent for it
#   engine_diag              print the engine's log tail as TAP diagnostics
# and set PAGES (the file the shipped notification command appends to).

E2E_TESTS=22
CORRELATOR=$top_builddir/correlator/chopin-correlator
SIM=$top_builddir/tools/chopin-agent-sim
GENERATOR=$top_srcdir/tools/chopin-nagios-hosts
CERNVS08_SCENARIO=$top_srcdir/tools/scenarios/cernvs08-vd-degraded.scenario
CORRELATOR_PID=

e2e_cleanup() {
	engine_stop
	if [ -n "$CORRELATOR_PID" ]; then
		kill -KILL "$CORRELATOR_PID" 2>/dev/null
		wait "$CORRELATOR_PID" 2>/dev/null
	fi
	trapd_cleanup
	chopin_db_stop
}

# e2e_start: MariaDB with the schema and accounts, chopin-trapd, chopin-correlator with the
# shipped rules; $T/checks.conf is the plugins' configuration (read-only account).
e2e_start() {
	for e2e_program in "$CORRELATOR" "$SIM" "$top_builddir/checks/check_chopin_raid" \
		"$top_builddir/sql/chopin-db-setup"; do
		[ -x "$e2e_program" ] || tap_bail "$e2e_program not built"
	done
	trapd_setup
	chopin_db_start || tap_bail "the private MariaDB did not start"
	trap e2e_cleanup EXIT
	CHOPIN_WRITER_PASSWORD=writer-pw CHOPIN_READER_PASSWORD=reader-pw \
		"$top_builddir/sql/chopin-db-setup" --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
		--no-defaults --sql-dir="$top_srcdir/sql" --quiet || tap_bail "chopin-db-setup failed"
	trapd_start
	cat >"$T/correlator.conf" <<CONF
database: { socket = "$CHOPIN_TEST_SOCKET"; user = "chopin_writer"; password = "writer-pw";
            name = "chopin"; connect_timeout = "2s"; read_timeout = "5s"; write_timeout = "5s"; };
correlator: { spool_dir = "$T/spool"; poll_interval = "20ms"; heartbeat_interval = "1s";
              retry_max = "1s"; rules = "$top_srcdir/correlator/rules.conf"; };
CONF
	"$CORRELATOR" -f -c "$T/correlator.conf" >"$T/correlator.log" 2>&1 &
	CORRELATOR_PID=$!
	(
		umask 077
		printf '[client]\nsocket = %s\nuser = chopin_reader\npassword = reader-pw\n' \
			"$CHOPIN_TEST_SOCKET" >"$T/reader.cnf"
		printf 'database = { option_file = "%s"; name = "chopin"; };\n' "$T/reader.cnf" \
			>"$T/checks.conf"
	)
}

sq() { chopin_sql -N chopin -e "$1"; }

# replay FILE: as SNMPv2c informs, unpaced (each waits for chopin-trapd's acknowledgement).
replay() {
	"$SIM" replay -q -T "udp:127.0.0.1:$TRAPD_PORT" -v 2c -c chopin --inform --speed max "$1"
}

# wait_sql SECONDS SQL ERE: until the query's output matches ERE; prints the last output.
wait_sql() {
	local deadline=$((SECONDS + $1)) got
	while :; do
		got=$(sq "$2" 2>/dev/null)
		if printf '%s\n' "$got" | grep -Eq -- "$3" || [ "$SECONDS" -ge "$deadline" ]; then
			break
		fi
		sleep 0.2
	done
	printf '%s' "$got"
}

# wait_service SECONDS HOST SERVICE STATE: force a check about every second until the engine
# reports STATE ("CRITICAL hard"); prints the last state seen.
wait_service() {
	local deadline=$((SECONDS + $1)) next=0 got
	while :; do
		got=$(engine_state "$2" "$3")
		if [ "$got" = "$4" ] || [ "$SECONDS" -ge "$deadline" ]; then
			break
		fi
		if [ "$SECONDS" -ge "$next" ]; then
			engine_force "$2" "$3"
			next=$((SECONDS + 1))
		fi
		sleep 0.2
	done
	printf '%s' "$got"
}

# wait_page SECONDS ERE: until a line of the pager file matches; prints the matching lines.
wait_page() {
	local deadline=$((SECONDS + $1))
	while ! grep -Eq -- "$2" "$PAGES" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.2
	done
	grep -E -- "$2" "$PAGES" 2>/dev/null
}

# e2e_scenarios: $T/cernvs08-1.scenario and -2 from the shipped CERNVS08 incident, so that
# the engine sees the degraded state before the rebuild completes: the steps of 23 Sep (drive
# failure, VD degraded), then those of 25 Sep (replacement, rebuild complete, VD optimal).
# Left out: the 70 drive errors of 23 Sep (113/267/268), which open "PD error burst", a
# threshold alarm that decays on the receiver's clock (1 h) and so would outlive a replay
# compressed into seconds. $T/vmapp003.scenario: VMAPP003 as in vmapp003-silent.scenario,
# but beating every 10 s (the shortest interval an agent may announce) so that 3 missed beats
# fit in the test, on a supported OS with a recent update, so that only its silence is a
# problem.
e2e_scenarios() {
	awk -v p1="$T/cernvs08-1.scenario" -v p2="$T/cernvs08-2.scenario" '
		$1 == "at" && / id=(113|267|268) / { next }
		$1 == "at" { print > ($2 < "2019-09-25" ? p1 : p2); next }
		$1 == "end" { print "end 2019-09-23T07:00:00Z" > p1; print > p2; next }
		{ print > p1; print > p2 }' "$CERNVS08_SCENARIO"
	local now
	now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	cat >"$T/vmapp003.scenario" <<SCN
start $now
host VMAPP003 os="Windows Server 2022 Standard" version=10.0.20348 type=virtual model="VMware, Inc. VMware Virtual Platform" heartbeat=10s
at 0 update VMAPP003 pending=0 security=0 failed=0 reboot=no last-success=$now
at 1s silence VMAPP003
SCN
}

# agent_now: the current UTC time as an SNMPv2-TC DateAndTime, in hex for snmptrap.
agent_now() {
	date -u +%Y-%m-%d-%H-%M-%S | awk -F- '{ printf "%04X%02X%02X%02X%02X%02X00", $1, $2, $3, $4, $5, $6 }'
}

# vmapp003_trap SEQUENCE NOTIFICATION VARBINDS...: one CHOPIN-MIB notification from VMAPP003's
# agent (a v2c trap from net-snmp's snmptrap).
vmapp003_trap() {
	local sequence=$1 notification=$2
	shift 2
	snmptrap -v 2c -c chopin "127.0.0.1:$TRAPD_PORT" '' "$ROOT.0.$notification" \
		"$ROOT.1.1.1.0" s VMAPP003 "$ROOT.1.1.2.0" u 90031 "$ROOT.1.1.3.0" u "$sequence" \
		"$ROOT.1.1.4.0" x "$(agent_now)" "$@"
}

# vmapp003_event SEQUENCE ID MESSAGE: an MR_MONITOR event-log entry.
vmapp003_event() {
	vmapp003_trap "$1" 2 "$ROOT.1.3.1.0" s System "$ROOT.1.3.2.0" s MR_MONITOR \
		"$ROOT.1.3.3.0" u "$2" "$ROOT.1.3.4.0" i 4 "$ROOT.1.3.5.0" u "$1" \
		"$ROOT.1.3.6.0" x "$(agent_now)" "$ROOT.1.3.7.0" s "$3"
}

e2e_story() {
	local vs08="(SELECT host_id FROM hosts WHERE name = 'CERNVS08')"
	local vmapp="(SELECT host_id FROM hosts WHERE name = 'VMAPP003')"
	local silent_since

	e2e_scenarios
	tap_run "VMAPP003 replayed: one heartbeat, an update status, then silence" \
		replay "$T/vmapp003.scenario"
	silent_since=$SECONDS
	tap_run "CERNVS08, 23 Sep: the drive fails, the VD degrades" replay "$T/cernvs08-1.scenario"
	tap_is "$(wait_sql 20 "SELECT CONCAT(a.state, ' ', d.state) FROM alarms a JOIN devices d ON d.host_id = a.host_id AND d.address = 'c0/v0' WHERE a.host_id = $vs08 AND a.rule_name = 'vd-degraded'" '^open Dgrd$')" \
		"open Dgrd" "the correlator raised 'VD degraded' and recorded the VD as Dgrd" ||
		tap_diag_file "$T/correlator.log" 20

	# The engine, on the shipped objects and the hosts the database knows.
	engine_setup
	engine_start

	# CERNVS08: a page for the degraded VD, then the recovery.
	tap_is "$(wait_service 30 CERNVS08 RAID 'CRITICAL hard')" "CRITICAL hard" \
		"CERNVS08 RAID is CRITICAL (hard)" || engine_diag
	tap_like "$(wait_page 10 ' PROBLEM CERNVS08/RAID ')" \
		'PROBLEM CERNVS08/RAID CRITICAL to chopin-oncall: RAID CRITICAL - CERNVS08: .*VD c0/v0 degraded' \
		"the notification command paged the CRITICAL for CERNVS08/RAID" || engine_diag
	tap_run "CERNVS08, 25 Sep: drive replaced, rebuild complete, VD optimal" \
		replay "$T/cernvs08-2.scenario"
	tap_is "$(wait_sql 20 "SELECT CONCAT_WS(' ', a.state, a.cleared_by, d.state, (SELECT COUNT(*) FROM alarms o WHERE o.host_id = a.host_id AND o.service = 'RAID' AND o.state = 'open')) FROM alarms a JOIN devices d ON d.host_id = a.host_id AND d.address = 'c0/v0' WHERE a.host_id = $vs08 AND a.rule_name = 'vd-degraded'" '^cleared vd-degraded Optl 0$')" \
		"cleared vd-degraded Optl 0" \
		"the rebuild's completion cleared the alarm; the VD is Optl; no RAID alarm open"
	tap_is "$(wait_service 30 CERNVS08 RAID 'OK hard')" "OK hard" "CERNVS08 RAID is OK again"
	tap_like "$(wait_page 10 ' RECOVERY CERNVS08/RAID ')" \
		'RECOVERY CERNVS08/RAID OK to chopin-oncall: RAID OK - CERNVS08: 1 VD and 2 PD healthy' \
		"the notification command paged the RECOVERY for CERNVS08/RAID" || engine_diag

	# VMAPP003: three missed 10 s beats on the correlator's clock, then its next tick.
	tap_is "$(wait_sql 60 "SELECT CONCAT(h.status, ' ', a.state) FROM hosts h JOIN alarms a ON a.host_id = h.host_id AND a.rule_name = 'inactive-server' WHERE h.host_id = $vmapp" '^inactive open$')" \
		"inactive open" \
		"the correlator marked VMAPP003 inactive ($((SECONDS - silent_since)) s after its last beat)"
	tap_is "$(wait_service 20 VMAPP003 Heartbeat 'CRITICAL hard')" "CRITICAL hard" \
		"VMAPP003 Heartbeat is CRITICAL (hard)"
	tap_like "$(wait_page 10 ' PROBLEM VMAPP003/Heartbeat ')" \
		'PROBLEM VMAPP003/Heartbeat CRITICAL to chopin-oncall: Heartbeat CRITICAL - VMAPP003: inactive' \
		"the notification command paged VMAPP003's silence"

	# While silent, VMAPP003's event forwarder still delivers: the VD degrades and 60 updates
	# are pending.
	vmapp003_event 1 81 "Controller ID: 0 State change on VD 0 from OPTIMAL(3) to DEGRADED(2) Event ID:81"
	vmapp003_event 2 251 "Controller ID: 0 VD is now DEGRADED VD 0 Event ID:251"
	vmapp003_trap 3 7 "$ROOT.1.5.1.0" u 60 "$ROOT.1.5.2.0" u 12 "$ROOT.1.5.3.0" u 0 \
		"$ROOT.1.5.4.0" x "$(agent_now)" "$ROOT.1.5.5.0" i 2 "$ROOT.1.5.6.0" s KB5034439 \
		"$ROOT.1.5.7.0" x "$(agent_now)"
	tap_is "$(wait_sql 20 "SELECT CONCAT((SELECT state FROM alarms WHERE host_id = $vmapp AND rule_name = 'vd-degraded'), ' ', (SELECT pending_count FROM updates WHERE host_id = $vmapp), ' ', (SELECT status FROM hosts WHERE host_id = $vmapp))" '^open 60 inactive$')" \
		"open 60 inactive" "VMAPP003, still inactive: 'VD degraded' open and 60 updates pending"
	tap_is "$(wait_service 30 VMAPP003 RAID 'CRITICAL hard'), $(wait_service 30 VMAPP003 Updates 'CRITICAL hard')" \
		"CRITICAL hard, CRITICAL hard" "VMAPP003 RAID and Updates are CRITICAL (hard)"
	sleep 1 # a page, had one been sent, would be in the file by now
	tap_unlike "$(cat "$PAGES")" 'PROBLEM VMAPP003/(RAID|Updates) ' \
		"no RAID or Updates page for VMAPP003 while its Heartbeat is CRITICAL"
	tap_like "$(engine_notified VMAPP003 RAID)/$(engine_notified VMAPP003 Updates)/$(engine_notified VMAPP003 Heartbeat)" \
		'^0/0/[1-9]' "the engine counts no RAID or Updates notification for VMAPP003, and its Heartbeat's"

	# VMAPP003 beats again: Heartbeat recovers, and the RAID problem, still there, is paged now.
	sed -n -e "s/^start .*/start $(date -u +%Y-%m-%dT%H:%M:%SZ)/p" -e '/^host /p' \
		"$T/vmapp003.scenario" >"$T/vmapp003-back.scenario"
	echo 'at 0 heartbeat VMAPP003' >>"$T/vmapp003-back.scenario"
	tap_run "VMAPP003 beats again" replay "$T/vmapp003-back.scenario"
	tap_is "$(wait_sql 20 "SELECT status FROM hosts WHERE host_id = $vmapp" '^active$')" active \
		"the correlator marked VMAPP003 active again"
	tap_is "$(wait_service 20 VMAPP003 Heartbeat 'OK hard')" "OK hard" "VMAPP003 Heartbeat is OK again"
	engine_force VMAPP003 RAID
	tap_like "$(wait_page 20 ' PROBLEM VMAPP003/RAID ')" \
		'PROBLEM VMAPP003/RAID CRITICAL to chopin-oncall: RAID CRITICAL - VMAPP003: 1 open alarm' \
		"with the Heartbeat OK the held-back RAID page goes out: the dependency held it" ||
		{ engine_diag; tap_diag_file "$PAGES"; }

	tap_diag "took $SECONDS s; pages:"
	tap_diag_file "$PAGES"
}
