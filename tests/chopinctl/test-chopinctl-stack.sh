#!/bin/bash
# chopinctl on what the real stack produces: scenarios replayed over SNMP through chopin-trapd and chopin-correlator.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chopinctl/chopinctl-test-lib.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"

CORRELATOR=$top_builddir/correlator/chopin-correlator
SIM=$top_builddir/tools/chopin-agent-sim
SCENARIOS=$top_srcdir/tools/scenarios
CORRELATOR_PID=

tap_plan 53
trapd_setup
ctl_test_start
cleanup() {
	[ -n "$CORRELATOR_PID" ] && kill -KILL "$CORRELATOR_PID" 2>/dev/null
	trapd_cleanup
	ctl_test_cleanup
}
trap cleanup EXIT
[ -x "$CORRELATOR" ] || tap_bail "$CORRELATOR not built"
[ -x "$SIM" ] || tap_bail "$SIM not built"
sq() { chopin_sql -N -B chopin -e "$1"; }

# wait_for SQL EXPECTED: until the query prints EXPECTED (bounded: 60 s); prints the last answer.
wait_for() {
	local got
	for _ in $(seq 1 600); do
		got=$(sq "$1" 2>/dev/null)
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	printf '%s' "$got"
}

replay() { # FILE...: as SNMPv2c informs, as fast as they are acknowledged
	"$SIM" replay -q -T "udp:127.0.0.1:$TRAPD_PORT" -v 2c -c chopin --inform --speed max "$@"
}

# every record chopin-trapd spooled is in MySQL (the correlator's checkpoint caught up)
caught_up() {
	local spooled
	sleep 0.3 # a stats refresh
	spooled=$(sed -n 's/^records_spooled //p' "$T/state/trapd.stats")
	wait_for "SELECT record_count FROM correlator_checkpoints WHERE correlator_name = 'main'" "$spooled" >/dev/null
}

trapd_start
# chopinctl's configuration: the server, the option file groups, the spool and trapd's state
cat >"$CTL_CONF" <<EOF
database = { name = "chopin"; };
chopinctl = { reader_option_file = "$CTL_DIR/chopinctl.cnf"; timeout = "5s"; };
correlator = { spool_dir = "$T/spool"; name = "main"; };
trapd = { state_dir = "$T/state"; };
EOF
printf '%s' "$CTL_WRITER_PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' >"$CTL_DIR/writer-pw"
cat >"$T/correlator.conf" <<EOF
database: { socket = "$CHOPIN_TEST_SOCKET"; user = "chopin_writer"; password = "$(cat "$CTL_DIR/writer-pw")";
            name = "chopin"; connect_timeout = "2s"; };
correlator: { spool_dir = "$T/spool"; poll_interval = "20ms"; heartbeat_interval = "1s";
              retry_max = "1s"; rules = "$top_srcdir/correlator/rules.conf"; };
EOF
"$CORRELATOR" -f -c "$T/correlator.conf" >"$T/correlator.log" 2>&1 &
CORRELATOR_PID=$!

# CERNVS08's incident cut where the disk has failed and the VD is degraded (23 Sep), and the
# rest (the replacement and rebuild, 25 Sep) for later.
full=$SCENARIOS/cernvs08-vd-degraded.scenario
sed -e '/^# 25 Sep/,$d' -e '/^end /d' "$full" >"$T/cernvs08-degraded.scenario"
{
	sed -e '/^at /,$d' -e '/^end /d' "$full"
	sed -n '/^# 25 Sep/,$p' "$full"
} >"$T/cernvs08-rebuilt.scenario"
tap_run "CERNVS08 up to the degraded VD, replayed through trapd and the correlator" \
	replay "$T/cernvs08-degraded.scenario"
caught_up

# --- the operator's view of a degraded server ------------------------------------------------
ctl_ok "chopinctl host CERNVS08" host CERNVS08
for want in '^OS: +Windows Server 2008 R2$' '^Type: +physical$' '^Status: +active$' \
	'^  vd +c0/v0 +Dgrd +critical ' '^  pd +c0/e252/s0 +UBad +critical +ST3300657SS +3SJ0HW5Q0000B149L7KT ' \
	' RAID +critical +c0/v0 .*Virtual drive 0 on controller 0 is degraded' ' RAID +critical +c0/e252/s0 .*Drive 252:0 on controller 0 failed' \
	' +53x +.*MR_MONITOR +113 +information ' ' +10x +.*MR_MONITOR +268 ' ' +7x +.*MR_MONITOR +267 ' \
	"^Events 2019-09-16 .* \\(the host's last 7 days of events\\)$"; do
	if printf '%s\n' "$CTL_OUT" | grep -Eq -- "$want"; then
		tap_pass "host CERNVS08 shows $want"
	else
		tap_fail "host CERNVS08 shows $want" "$CTL_OUT"
	fi
done
ctl host CERNVS08 --json
json_valid "host CERNVS08 --json is valid JSON"
vd_alarm=$(json '[a["alarm_id"] for a in j["open_alarms"] if a["rule_name"] == "vd-degraded"][0]')
pd_alarm=$(json '[a["alarm_id"] for a in j["open_alarms"] if a["rule_name"] == "pd-failed"][0]')
tap_like "$vd_alarm:$pd_alarm" '^[0-9]+:[0-9]+$' "the open vd-degraded and pd-failed alarms, by id"
ctl_ok "chopinctl ticket (the failed drive)" ticket "$pd_alarm"
tap_like "$CTL_OUT" 'Machine: CERNVS08
Controller: 0
Enclosure:slot: 252:0
Serial number: 3SJ0HW5Q0000B149L7KT
Model: ST3300657SS' "ticket: the drive to replace, with its serial and model"
ctl events --host CERNVS08 --device c0/e252/s0 --json
json_valid "events --json is valid JSON"
tap_is "$(json '[str(g["count"]) + "x" + str(g["event_id"]) for g in j["groups"]][:4]')" "53x113 10x268 7x267 2x114" \
	"events aggregates the failing drive's entries with counts"
ctl_ok "chopinctl alarms" alarms
tap_like "$CTL_OUT" "$vd_alarm +CERNVS08 +RAID +critical +open +c0/v0 " "alarms lists the open VD alarm"

# --- an operator clears the VD alarm; the next degradation is a new alarm ---------------------------
USER=oncall ctl alarms ack "$vd_alarm" --comment "seen, ordering a disk"
tap_is "$CTL_RC" 0 "alarms ack on the live alarm"
USER=oncall ctl alarms clear "$vd_alarm" --comment "VD handled by hand"
tap_is "$CTL_RC" 0 "alarms clear on the live alarm"
for _ in $(seq 1 100); do
	grep -q "was cleared in the database" "$T/correlator.log" && break
	sleep 0.1
done
tap_like "$(cat "$T/correlator.log")" "alarm CERNVS08/c0/v0 of rule vd-degraded was cleared in the database \\(by an operator\\)" \
	"the correlator notices the operator's clear and forgets the rule's state for it"
cat >"$T/again.scenario" <<'EOF'
start 2019-09-24T10:00:00Z
host CERNVS08 os="Windows Server 2008 R2" version=6.1.7601 type=physical model="Dell Inc. PowerEdge R710" heartbeat=2m boot=2019-05-20T15:19:40Z agent=1.4.2
at 1s event CERNVS08 source=MR_MONITOR id=81 level=information message="Controller ID: 0 State change on VD 0 from OPTIMAL(3) to DEGRADED(2) Event ID:81"
at 2s event CERNVS08 source=MR_MONITOR id=251 level=error message="Controller ID: 0 VD is now DEGRADED VD 0 Event ID:251"
EOF
tap_run "a new degradation of VD 0 replayed" replay "$T/again.scenario"
caught_up
tap_is "$(sq "SELECT COUNT(*) FROM alarms a JOIN hosts h USING (host_id) WHERE h.name = 'CERNVS08' AND rule_name = 'vd-degraded' AND state = 'open' AND alarm_id > $vd_alarm")" 1 \
	"... raises a new open alarm (not an update of the cleared one)"
tap_is "$(sq "SELECT CONCAT_WS('|', state, acknowledged_by, ack_comment, cleared_by, clear_comment, occurrences) FROM alarms WHERE alarm_id = $vd_alarm")" \
	"cleared|oncall|seen, ordering a disk|oncall|VD handled by hand|1" "the cleared alarm keeps the operator's record, untouched"

# --- the disk is replaced and the VD rebuilt ---------------------------------------------------------
tap_run "CERNVS08's replacement and rebuild replayed" replay "$T/cernvs08-rebuilt.scenario"
caught_up
ctl host CERNVS08 --json
tap_is "$(json '[d["address"] + "=" + d["state"] for d in j["devices"] if d["kind"] != "battery"]')" \
	"c0=Optimal c0/v0=Optl c0/e252/s0=Onln c0/e252/s1=Onln" "host: the VD optimal again, the new drive online"
tap_is "$(json 'len(j["open_alarms"])')" 0 "host: no open alarm left" ||
	tap_diag "$(json 'j["open_alarms"]')"
ctl alarms --all --host CERNVS08 --service RAID --json
tap_is "$(json '[a["rule_name"] + ":" + a["cleared_by"] for a in j["alarms"]]' | tr ' ' '\n' | sort | paste -sd' ')" \
	"pd-failed:pd-failed vd-degraded:oncall vd-degraded:vd-degraded" \
	"alarms --all: the rules cleared theirs, the operator's clear stays the operator's"
ctl_ok "chopinctl history CERNVS08" history CERNVS08
tap_like "$CTL_OUT" 'c0/e252/s0 +replaced +PD 252:0 replaced: serial 3SJ0HW5Q0000B149L7KT -> 6SE1QZ7N0000B2213VXA' \
	"history: the drive replacement found by the snapshot diff"

# --- the rest of the seed incidents, as the demo replays them ----------------------------------------
tap_run "the other seed scenarios replayed" replay "$SCENARIOS/drive-replaced-slot.scenario" \
	"$SCENARIOS/xldap-replace.scenario" "$SCENARIOS/vmapp003-silent.scenario" \
	"$SCENARIOS/unexpected-reboot.scenario" "$SCENARIOS/update-status.scenario"
caught_up
ctl alarms --all --host CERNMEDIA26 --with-ticket --json
media_alarm=$(json '[a["alarm_id"] for a in j["alarms"] if a["rule_name"] == "pd-failed"][0]')
ctl_ok "chopinctl ticket for the replaced drive (CERNMEDIA26 252:7)" ticket "$media_alarm"
tap_like "$CTL_OUT" 'Machine: CERNMEDIA26
Controller: 0
Enclosure:slot: 252:7
Serial number: Z4015LRA
Model: ST1200MM0088' "ticket: the failed drive's serial and model, as it was when it failed"
ctl history CERNMEDIA26 --json
tap_is "$(json '[c["text"] for c in j["changes"] if c["change"] == "replaced"][0]')" \
	"PD 252:7 replaced: serial Z4015LRA -> WFK0G8LP, model ST1200MM0129" "history: CERNMEDIA26's drive replacement"
ctl_ok "chopinctl hosts" hosts --json
json_valid "hosts --json is valid JSON"
tap_is "$(json '[h["name"] for h in j["hosts"]]')" \
	"CERNHOME15 CERNMEDIA26 CERNVS08 CERNWEB21 VMAPP003 VMAPP004 XLDAP11 XLDAP13" "hosts: every server the scenarios announced"
tap_is "$(json '[h["name"] for h in j["hosts"] if h["end_of_support_state"] == "past end of support"]')" \
	"CERNHOME15 CERNVS08 CERNWEB21 VMAPP003 VMAPP004 XLDAP11 XLDAP13" "hosts: the 2008 R2 and 2012 R2 servers are past their end of support"
ctl hosts --pending-updates --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}' | paste -sd' ')" \
	"$(sq "SELECT h.name FROM hosts h JOIN updates u USING (host_id) WHERE u.pending_count > 0 ORDER BY h.name" | paste -sd' ')" \
	"hosts --pending-updates: the hosts whose agents report pending updates"
ctl_ok "chopinctl events" events --since 2019-09-01 --until 2019-11-01 --json
tap_is "$(json 'sum(g["count"] for g in j["groups"])')" "$(sq "SELECT COUNT(*) FROM events WHERE event_time >= '2019-09-01'")" \
	"events: the groups count every stored event once"
ctl_ok "chopinctl rules" rules --json
tap_is "$(json 'len(j["rules"])')" "$(grep -c 'type = "' "$top_srcdir/correlator/rules.conf")" "rules: the correlator's rules in force"
ctl_ok "chopinctl tags add" tags add CERNVS08 raid-fleet
ctl hosts --tag raid-fleet --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}')" "CERNVS08" "tags: the new tag filters hosts"
ctl_ok "chopinctl stats" stats --json
json_valid "stats --json is valid JSON"
tap_is "$(json '[j["trapd"]["counters"]["records_spooled"] == j["correlators"][0]["records"], j["correlators"][0]["name"], j["spool"]["backlog_bytes"]]')" \
	"True main 0" "stats: trapd's spooled records all consumed by the correlator, no spool backlog"
ctl_ok "chopinctl stats (human)" stats
tap_like "$CTL_OUT" 'backlog: 0 bytes in 0 segments not yet consumed' "stats: the backlog line"
tap_done
