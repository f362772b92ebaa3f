#!/bin/bash
# Alarm notifications end to end: agent-sim -> chopin-trapd -> correlator -> net-snmp snmptrapd
# managers (a v2c trap receiver, an SNMPv3 inform receiver that starts late, a wrong key).
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"
. "$top_srcdir/tests/correlator/correlator-lib.sh"

SNMPTRAPD=${SNMPTRAPD:-$(command -v snmptrapd 2>/dev/null || echo /usr/sbin/snmptrapd)}
V2C_PID=
V3_PID=

tap_plan 37
[ -x "$SNMPTRAPD" ] || tap_bail "snmptrapd not found: install the Debian package snmptrapd"
# the IETF modules CHOPIN-MIB imports (Debian: erlang-snmp), so snmptrapd prints names
base_mibdir=${CHOPIN_BASE_MIBDIR:-}
for dir in /usr/lib/erlang/lib/snmp-*/mibs /usr/share/snmp/mibs; do
	[ -z "$base_mibdir" ] && [ -f "$dir/SNMPv2-SMI.mib" ] && base_mibdir=$dir
done
[ -n "$base_mibdir" ] || tap_bail "IETF base MIBs not found (Debian: erlang-snmp; or set CHOPIN_BASE_MIBDIR)"
trapd_setup
chopin_db_start || tap_bail "the private MariaDB did not start"
cleanup() {
	for pid in $CORRELATOR_PID $V2C_PID $V3_PID; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	[ -n "${KEEP:-}" ] && rm -rf "$KEEP" && cp -r "$T" "$KEEP" # KEEP=dir: what the run left, to read
	trapd_cleanup
	chopin_db_stop
}
trap cleanup EXIT
CHOPIN_WRITER_PASSWORD=writer-pw CHOPIN_READER_PASSWORD=reader-pw \
	"$top_builddir/sql/chopin-db-setup" --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
	--no-defaults --sql-dir="$top_srcdir/sql" --quiet || tap_bail "chopin-db-setup failed"
# wait_grep FILE ERE [COUNT]: until FILE has COUNT (default 1) lines matching ERE (bounded: 30 s).
wait_grep() {
	for _ in $(seq 1 300); do
		[ "$(grep -Ec -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ] && return 0
		sleep 0.1
	done
	return 1
}

# free_port: a UDP port nobody listens on (the caller binds it soon after).
free_port() {
	local port
	while :; do
		port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		grep -qi ":$(printf '%04X' "$port") " /proc/net/udp /proc/net/udp6 2>/dev/null || break
	done
	echo "$port"
}

# manager_start NAME PORT: net-snmp's snmptrapd as an SNMP manager, one notification per line
# ("%P" security information, then the varbinds separated by tabs), CHOPIN-MIB loaded.
manager_start() {
	local name=$1 port=$2 pid
	mkdir -p "$T/$name.persist"
	SNMP_PERSISTENT_DIR=$T/$name.persist "$SNMPTRAPD" -f -n -C -c "$T/$name.conf" \
		-Lo -F '%P\t%v\n' -M "$top_srcdir/mib:$base_mibdir" -m CHOPIN-MIB \
		"udp:127.0.0.1:$port" >>"$T/$name.log" 2>>"$T/$name.stdout" &
	pid=$!
	for _ in $(seq 1 50); do
		grep -qi ":$(printf '%04X' "$port") " /proc/net/udp 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null || { tap_diag_file "$T/$name.stdout"; tap_bail "snmptrapd $name did not start"; }
	eval "${3}_PID=$pid"
}

# fields LOG ALARM KIND: the varbinds of the notification KIND (Raised, Cleared) of ALARM id,
# one per line, without the sysUpTime value (it differs between notifications).
fields() {
	grep -P "chopinAlarm$3\t" "$1" | grep -P "\tCHOPIN-MIB::chopinAlarmId.0 = Gauge32: $2\t" |
		head -n 1 | tr '\t' '\n' | sed -e '1d' -e 's/^\(DISMAN-EVENT-MIB::sysUpTimeInstance\|SNMPv2-SMI::mib-2.1.3.0\) = .*/sysUpTime.0/'
}

# --- the managers and the correlator's configuration ---------------------------------------
V2C_PORT=$(free_port)
V3_PORT=$(free_port)
cat >"$T/v2c.conf" <<CONF
authCommunity log chopin-noc
CONF
cat >"$T/v3.conf" <<CONF
createUser chopin SHA-256 "chopin auth pass" AES "chopin priv pass"
createUser chopinbad SHA-256 "the right passphrase" AES "chopin priv pass"
authUser log chopin priv
authUser log chopinbad priv
CONF
printf 'chopin auth pass\n' >"$T/auth.secret"
chmod 600 "$T/auth.secret"
cp "$top_srcdir/correlator/rules.conf" "$T/rules.conf"
cat >"$T/correlator.conf" <<CONF
database: { socket = "$CHOPIN_TEST_SOCKET"; user = "chopin_writer"; password = "writer-pw";
            name = "chopin"; connect_timeout = "2s"; read_timeout = "5s"; write_timeout = "5s"; };
correlator: {
  spool_dir = "$T/spool"; poll_interval = "20ms"; heartbeat_interval = "1s"; retry_max = "1s";
  rules = "$T/rules.conf";
  managers = (
    { name = "noc-v2c"; address = "udp:127.0.0.1:$V2C_PORT"; version = "2c";
      community = "chopin-noc"; },
    { name = "noc-v3"; address = "udp:127.0.0.1:$V3_PORT"; version = "3"; user = "chopin";
      auth_protocol = "SHA-256"; auth_passphrase_file = "$T/auth.secret";
      priv_protocol = "AES"; priv_passphrase = "chopin priv pass";
      retries = 1; timeout = "300ms"; backoff_max = "1s"; },
    { name = "noc-v3-wrong-key"; address = "udp:127.0.0.1:$V3_PORT"; version = "3";
      user = "chopinbad"; auth_passphrase = "not the right passphrase";
      priv_passphrase = "chopin priv pass"; retries = 0; timeout = "300ms";
      backoff_max = "1s"; }
  );
};
CONF
chmod 600 "$T/correlator.conf"
# CORRELATOR_WRAPPER: e.g. "valgrind --log-file=..." (tools/run-tests)
correlator_start() {
	${CORRELATOR_WRAPPER:-} "$CORRELATOR" -f -v -c "$T/correlator.conf" >>"$T/correlator.log" 2>&1 &
	CORRELATOR_PID=$!
}

tap_is "$("$CORRELATOR" -n -c "$T/correlator.conf" 2>&1)" \
	"$T/correlator.conf: configuration OK, rules in $T/rules.conf OK" \
	"chopin-correlator -n accepts the managers, without a warning"
sed -e 's/auth_passphrase_file = "[^"]*";//' "$T/correlator.conf" >"$T/bad.conf"
chmod 644 "$T/bad.conf"
out=$("$CORRELATOR" -n -c "$T/bad.conf" 2>&1)
tap_is "$?" 1 "chopin-correlator -n refuses a bad manager"
tap_like "$out" "^$T/bad.conf:9: correlator.managers element 2: version 3 needs auth_passphrase" \
	"... at the file and line of the manager"
tap_like "$out" "^$T/bad.conf:[0-9]+: warning: correlator.managers element 1: community is a secret, but $T/bad.conf is readable by group or others \\(mode 0644\\)" \
	"inline secrets in a readable file are warned about"

# --- an alarm raised and cleared while the v3 manager is down ------------------------------------
manager_start v2c "$V2C_PORT" V2C
trapd_start
correlator_start
tap_run "CERNVS08 scenario replayed" \
	"$SIM" replay -q -T "udp:127.0.0.1:$TRAPD_PORT" -v 2c -c chopin --inform --speed max \
	"$top_srcdir/tools/scenarios/cernvs08-vd-degraded.scenario"
vs08="SELECT host_id FROM hosts WHERE name = 'CERNVS08'"
tap_is "$(wait_for "SELECT state FROM alarms WHERE host_id = ($vs08) AND rule_name = 'vd-degraded'" cleared)" \
	cleared "the VD degraded alarm was raised and cleared (ingest goes on with a manager down)"
ALARM=$(sq "SELECT alarm_id FROM alarms WHERE host_id = ($vs08) AND rule_name = 'vd-degraded'")
ALARM_ROW="SELECT CONCAT_WS('|', text, alarm_key) FROM alarms WHERE alarm_id = $ALARM"
IFS='|' read -r TEXT KEY <<<"$(sq "$ALARM_ROW")"
COUNT=$(sq "SELECT occurrences FROM alarm_notifications WHERE alarm_id = $ALARM AND kind = 'raised' AND manager = 'noc-v2c'")
FIRST=$(sq "SELECT CONCAT(DATE_FORMAT(first_seen, '%Y-%c-%e,%k:'), MINUTE(first_seen), ':', SECOND(first_seen), '.', FLOOR(MICROSECOND(first_seen) / 100000), ',+0:0') FROM alarms WHERE alarm_id = $ALARM")
expected_raised() {
	cat <<EOF
sysUpTime.0
SNMPv2-SMI::snmpModules.1.1.4.1.0 = OID: CHOPIN-MIB::chopinAlarmRaised
CHOPIN-MIB::chopinAlarmId.0 = Gauge32: $ALARM
CHOPIN-MIB::chopinAlarmHost.0 = STRING: CERNVS08
CHOPIN-MIB::chopinAlarmService.0 = STRING: RAID
CHOPIN-MIB::chopinAlarmRule.0 = STRING: vd-degraded
CHOPIN-MIB::chopinAlarmSeverity.0 = INTEGER: critical(3)
CHOPIN-MIB::chopinAlarmText.0 = STRING: $TEXT
CHOPIN-MIB::chopinAlarmKey.0 = STRING: $KEY
CHOPIN-MIB::chopinAlarmCount.0 = Gauge32: $COUNT
CHOPIN-MIB::chopinAlarmFirstSeen.0 = STRING: $FIRST
EOF
}
expected_cleared() {
	expected_raised | sed -e 's/chopinAlarmRaised/chopinAlarmCleared/' -e '/chopinAlarmCount\|chopinAlarmFirstSeen/d'
}
expected_raised >"$T/raised.expected"
expected_cleared >"$T/cleared.expected"

wait_grep "$T/v2c.log" "chopinAlarmCleared.*chopinAlarmId.0 = Gauge32: $ALARM	" ||
	tap_diag_file "$T/correlator.log" 20
fields "$T/v2c.log" "$ALARM" Raised >"$T/v2c-raised.got"
fields "$T/v2c.log" "$ALARM" Cleared >"$T/v2c-cleared.got"
tap_files_equal "$T/v2c-raised.got" "$T/raised.expected" \
	"v2c trap: chopinAlarmRaised with sysUpTime, snmpTrapOID and the alarm's objects in MIB order"
tap_files_equal "$T/v2c-cleared.got" "$T/cleared.expected" \
	"v2c trap: chopinAlarmCleared with the same alarm id"
tap_like "$(grep -E "chopinAlarmId.0 = Gauge32: $ALARM	" "$T/v2c.log" | grep -o 'chopinAlarm\(Raised\|Cleared\)' | tr '\n' ' ')" \
	'^chopinAlarmRaised chopinAlarmCleared $' "raised, then cleared, once each"
tap_like "$(grep -E "chopinAlarmId.0 = Gauge32: $ALARM	" "$T/v2c.log" | head -n 1)" \
	'^TRAP2, SNMP v2c, community chopin-noc' "sent as an SNMPv2c trap with the manager's community"
tap_is "$(wait_for "SELECT GROUP_CONCAT(state ORDER BY notification_id) FROM alarm_notifications WHERE alarm_id = $ALARM AND manager = 'noc-v2c'" sent,sent)" \
	sent,sent "the outbox records the traps as sent"
tap_is "$(wait_for "SELECT COUNT(*) FROM alarm_notifications WHERE manager = 'noc-v2c' AND state <> 'sent'" 0)" 0 \
	"every alarm change of the scenario went to the trap receiver"
tap_diag "commit to trap sent and recorded (ms): $(sq "SELECT GROUP_CONCAT(ROUND(TIMESTAMPDIFF(MICROSECOND, created_at, finished_at) / 1000, 1) ORDER BY notification_id) FROM alarm_notifications WHERE manager = 'noc-v2c'")"

# the v3 manager is down: the oldest inform is attempted again and again (the others wait
# behind it, in order), with the reason recorded
OLDEST_V3="SELECT MIN(notification_id) FROM alarm_notifications WHERE manager = 'noc-v3'"
tap_is "$(wait_for "SELECT attempts >= 3 FROM alarm_notifications WHERE notification_id = ($OLDEST_V3)" 1)" 1 \
	"informs to the manager that is down are attempted again"
tap_like "$(sq "SELECT CONCAT(state, ': ', last_error) FROM alarm_notifications WHERE notification_id = ($OLDEST_V3)")" \
	'^pending: no answer \(2 transmissions, timeout 300ms\)' "... and stay pending with the reason"
tap_like "$(grep -c "manager noc-v3: .*next attempt in" "$T/correlator.log")" '^[12]$' \
	"the failures are logged, rate-limited (not one line per attempt)"

# --- a crash, then the v3 manager comes up: the outbox still has it ----------------------------
kill -KILL "$CORRELATOR_PID"
wait "$CORRELATOR_PID" 2>/dev/null
correlator_start
manager_start v3 "$V3_PORT" V3
wait_grep "$T/v3.log" "user chopin, .*chopinAlarmCleared.*chopinAlarmId.0 = Gauge32: $ALARM	" ||
	tap_diag_file "$T/correlator.log" 20
fields "$T/v3.log" "$ALARM" Raised >"$T/v3-raised.got"
fields "$T/v3.log" "$ALARM" Cleared >"$T/v3-cleared.got"
tap_files_equal "$T/v3-raised.got" "$T/raised.expected" \
	"v3 inform, manager started late and correlator killed meanwhile: chopinAlarmRaised arrives, exact"
tap_files_equal "$T/v3-cleared.got" "$T/cleared.expected" \
	"... then chopinAlarmCleared with the same alarm id"
tap_like "$(grep -E "chopinAlarmId.0 = Gauge32: $ALARM	" "$T/v3.log" | grep 'user chopin,' | grep -o 'chopinAlarm\(Raised\|Cleared\)' | tr '\n' ' ')" \
	'^chopinAlarmRaised chopinAlarmCleared $' "in order: raised before cleared"
tap_like "$(grep -E "chopinAlarmId.0 = Gauge32: $ALARM	" "$T/v3.log" | head -n 1)" \
	'^INFORM, SNMP v3, user chopin, context' "sent as an SNMPv3 inform (authPriv user chopin; engine discovered)"
tap_is "$(wait_for "SELECT GROUP_CONCAT(state ORDER BY notification_id) FROM alarm_notifications WHERE alarm_id = $ALARM AND manager = 'noc-v3'" acknowledged,acknowledged)" \
	acknowledged,acknowledged "the outbox records the informs as acknowledged"
tap_diag "v3 informs after the restart, last attempt to acknowledgement recorded (ms): $(sq "SELECT GROUP_CONCAT(ROUND(TIMESTAMPDIFF(MICROSECOND, last_attempt_at, finished_at) / 1000, 1), ' after ', attempts, ' attempts' ORDER BY notification_id) FROM alarm_notifications WHERE manager = 'noc-v3'")"
tap_is "$(wait_for "SELECT COUNT(*) FROM alarm_notifications WHERE manager = 'noc-v3' AND state <> 'acknowledged'" 0)" 0 \
	"every alarm change reached the v3 manager"

# --- the wrong key: failures counted, nothing delivered, no crash ------------------------------
OLDEST_WRONG="SELECT MIN(notification_id) FROM alarm_notifications WHERE manager = 'noc-v3-wrong-key'"
tap_is "$(wait_for "SELECT attempts >= 2 FROM alarm_notifications WHERE notification_id = ($OLDEST_WRONG)" 1)" 1 \
	"wrong key: the inform is attempted again"
# An attempt whose report the manager sends later than the timeout (a loaded machine) records
# "no answer" instead; a later attempt gets the report in time.
tap_like "$(wait_like "SELECT CONCAT(state, ': ', last_error) FROM alarm_notifications WHERE notification_id = ($OLDEST_WRONG)" '^pending: .*(uthentication|digest)')" \
	'^pending: .*(uthentication|digest)' "... stays pending, the manager's report recorded"
tap_is "$(sq "SELECT COUNT(*) FROM alarm_notifications WHERE manager = 'noc-v3-wrong-key' AND state <> 'pending'")" 0 \
	"... none counted as delivered"
tap_is "$(grep -c 'user chopinbad' "$T/v3.log")" 0 "the manager accepted nothing signed with the wrong key"
tap_run "the correlator still runs" kill -0 "$CORRELATOR_PID"

# --- acknowledged, then kill -9: nothing is sent again ----------------------------------------
v2c_lines=$(grep -c 'chopinAlarm' "$T/v2c.log")
v3_lines=$(grep -c 'user chopin,' "$T/v3.log")
kill -KILL "$CORRELATOR_PID"
wait "$CORRELATOR_PID" 2>/dev/null
correlator_start
wait_grep "$T/correlator.log" "\\[$CORRELATOR_PID\\]: message: chopin-correlator .* ready" ||
	tap_diag_file "$T/correlator.log" 20
sleep 2 # the outbox is read at once; give a resend time to show
tap_is "$(grep -c 'chopinAlarm' "$T/v2c.log") $(grep -c 'user chopin,' "$T/v3.log")" "$v2c_lines $v3_lines" \
	"kill -9 after the acknowledgements: no trap and no inform sent again"
tap_is "$(sq "SELECT GROUP_CONCAT(state ORDER BY notification_id) FROM alarm_notifications WHERE alarm_id = $ALARM AND manager <> 'noc-v3-wrong-key'")" \
	sent,acknowledged,sent,acknowledged "... and the outbox still says sent / acknowledged"

# --- ingest does not wait for managers ---------------------------------------------------------
# 300 command timeouts on one drive raise pd-error-burst (50 in 1 h) while a manager hangs
cat >"$T/burst.scenario" <<SCN
start 2019-09-23T05:00:00Z
host BURSTHOST os="Windows Server 2019 Standard" version=10.0.17763 type=physical heartbeat=1h
at 1s repeat 300 every 1s event BURSTHOST source=MR_MONITOR id=267 level=information message="Controller ID: 0 Command timeout on PD 07(e0xfc/s7) Event ID:267"
SCN
kill -STOP "$V3_PID" # a manager that hangs
start_ms=$(date +%s%3N)
"$SIM" replay -q -T "udp:127.0.0.1:$TRAPD_PORT" -v 2c -c chopin --inform --speed max "$T/burst.scenario"
got=$(wait_for "SELECT COUNT(*) FROM events e JOIN hosts h USING (host_id) WHERE h.name = 'BURSTHOST'" 300)
elapsed=$(($(date +%s%3N) - start_ms))
tap_is "$got" 300 "300 events stored while a manager hangs"
tap_diag "300 informs into MariaDB in ${elapsed} ms with one manager hanging and one refusing the key"
kill -CONT "$V3_PID"
BURST="SELECT alarm_id FROM alarms a JOIN hosts h USING (host_id) WHERE h.name = 'BURSTHOST' AND a.rule_name = 'pd-error-burst'"
tap_is "$(wait_for "SELECT GROUP_CONCAT(manager, ':', state ORDER BY manager) FROM alarm_notifications WHERE alarm_id = ($BURST) AND manager <> 'noc-v3-wrong-key'" noc-v2c:sent,noc-v3:acknowledged)" \
	noc-v2c:sent,noc-v3:acknowledged "the burst alarm: trapped, and acknowledged once the manager resumed"
wait_grep "$T/v3.log" "user chopin, .*chopinAlarmRaised.*chopinAlarmHost.0 = STRING: BURSTHOST" ||
	tap_diag_file "$T/correlator.log" 20
tap_is "$(grep -c "user chopin, .*chopinAlarmRaised.*chopinAlarmHost.0 = STRING: BURSTHOST" "$T/v3.log")" 1 \
	"... the v3 manager got it once"

# --- an operator clears the burst alarm: the managers are told at the next transaction -----------
sq "UPDATE alarms SET state = 'cleared', cleared_at = UTC_TIMESTAMP(6), cleared_by = 'operator:test' WHERE alarm_id = ($BURST)"
cat >"$T/more.scenario" <<SCN
start 2019-09-23T06:00:00Z
host BURSTHOST os="Windows Server 2019 Standard" version=10.0.17763 type=physical heartbeat=1h
at 1s event BURSTHOST source=MR_MONITOR id=267 level=information message="Controller ID: 0 Command timeout on PD 07(e0xfc/s7) Event ID:267"
SCN
"$SIM" replay -q -T "udp:127.0.0.1:$TRAPD_PORT" -v 2c -c chopin --inform --speed max "$T/more.scenario"
tap_is "$(wait_for "SELECT GROUP_CONCAT(manager, ':', state ORDER BY manager) FROM alarm_notifications WHERE alarm_id = ($BURST) AND kind = 'cleared' AND manager <> 'noc-v3-wrong-key'" noc-v2c:sent,noc-v3:acknowledged)" \
	noc-v2c:sent,noc-v3:acknowledged "an operator's clear: chopinAlarmCleared to every manager"
wait_grep "$T/v3.log" "user chopin, .*chopinAlarmCleared.*chopinAlarmHost.0 = STRING: BURSTHOST" ||
	tap_diag_file "$T/correlator.log" 20
tap_is "$(grep -c "chopinAlarmCleared.*chopinAlarmHost.0 = STRING: BURSTHOST" "$T/v2c.log") $(grep -c "user chopin, .*chopinAlarmCleared.*chopinAlarmHost.0 = STRING: BURSTHOST" "$T/v3.log")" \
	"1 1" "... received once by each"

# --- counters at the end ---------------------------------------------------------------------
kill -TERM "$CORRELATOR_PID"
wait "$CORRELATOR_PID"
tap_ok $? "SIGTERM: the correlator stops cleanly"
CORRELATOR_PID=
tap_like "$(grep 'manager noc-v3-wrong-key: ' "$T/correlator.log" | tail -n 1)" \
	'[1-9][0-9]* notifications sent, 0 acknowledged, [1-9][0-9]* failed attempts' \
	"counters: the wrong key's failed attempts"
tap_like "$(grep 'manager noc-v3: [0-9]* notifications sent' "$T/correlator.log" | tail -n 1)" \
	'sent, [1-9][0-9]* acknowledged, .* 0 pending' "counters: the v3 manager's acknowledgements"
tap_like "$(grep 'manager noc-v2c: [0-9]* notifications sent' "$T/correlator.log" | tail -n 1)" \
	'[1-9][0-9]* notifications sent, 0 acknowledged, 0 failed attempts' "counters: traps are sent, never acknowledged"
tap_done
