#!/bin/sh
# test-replay-snmptrapd.sh: scenarios replayed to net-snmp's snmptrapd as v2c/v3 traps and informs arrive complete and in sequence.
. "${top_srcdir:?top_srcdir is not set: run this test through make check}/tests/agent-sim/sim-test-lib.sh"

TRAP_ENGINE=0x8000000001020304
HOST_ENGINE=0x80001f88045641505033
cat >"$work_dir/trapd.conf" <<CONF
disableAuthorization yes
createUser -e $TRAP_ENGINE simuser SHA-256 simauthpass AES simprivpass
createUser -e $HOST_ENGINE simuser SHA-256 simauthpass AES simprivpass
createUser -e $TRAP_ENGINE shauser SHA shaauthpass
createUser -e $HOST_ENGINE shauser SHA shaauthpass
createUser informuser SHA-512 informauthpass AES informprivpass
CONF

modes="v2c-trap v2c-inform v3-trap-sha256-aes v3-inform-sha512-aes v3-trap-sha1-authnopriv v2c-trap-3-clones"
tap_plan 26

# replay_mode MODE: replays smoke.scenario; 3 tests (exit, content, sequences).
replay_mode() {
	mode=$1
	log=$work_dir/$mode.log
	case $mode in
	v2c-trap) set -- -v 2c -c public ;;
	v2c-inform) set -- -v 2c -c public --inform ;;
	v2c-trap-3-clones) set -- -v 2c -c public --hosts 3 ;;
	v3-trap-sha256-aes) set -- -v 3 -u simuser -l authPriv -a SHA-256 -A simauthpass \
		-x AES -X simprivpass -e $TRAP_ENGINE ;;
	v3-inform-sha512-aes) set -- -v 3 -u informuser -l authPriv -a SHA-512 -A informauthpass \
		-x AES -X informprivpass --inform ;;
	v3-trap-sha1-authnopriv) set -- -v 3 -u shauser -l authNoPriv -a SHA -A shaauthpass \
		-e $TRAP_ENGINE ;;
	esac
	trapd_start "$work_dir/trapd.conf" "$log"
	timeout 60 "$SIM" replay "$@" -T "udp:127.0.0.1:$trapd_port" --speed max --verbose \
		"$SIM_DATA/smoke.scenario" >"$work_dir/$mode.out" 2>"$work_dir/$mode.err"
	status=$?
	if [ "$status" -eq 0 ]; then
		tap_pass "$mode: replay exits 0"
	else
		tap_fail "$mode: replay exits 0" "exit status $status"
		tap_diag_file "$work_dir/$mode.err"
	fi
	sim_expected "$work_dir/$mode.out" | sort >"$work_dir/$mode.expected"
	expected=$(wc -l <"$work_dir/$mode.expected")
	trapd_wait_for "$log" "$expected"
	trapd_stop
	trapd_notifications "$log" | sort >"$work_dir/$mode.got"
	if [ "$expected" -ge 20 ]; then
		tap_files_equal "$work_dir/$mode.got" "$work_dir/$mode.expected" \
			"$mode: snmptrapd logged the $expected notifications sent (host, instance, sequence, kind)"
	else
		tap_fail "$mode: snmptrapd logged the notifications sent" "only $expected sent"
		tap_diag_file "$work_dir/$mode.err"
	fi
	gaps=$(sort -k1,1 -k2,2n -k3,3n "$work_dir/$mode.got" | awk '
		$1 " " $2 != key { key = $1 " " $2; next_seq = 1 }
		{ if ($3 != next_seq) print key ": " $3 " where " next_seq " was due"; next_seq = $3 + 1 }')
	tap_is "$gaps" "" "$mode: sequence numbers run 1..N per agent instance without gaps"
}

for mode in $modes; do
	replay_mode "$mode"
done

# Object values as snmptrapd decoded them (v2c trap log).
log=$work_dir/v2c-trap.log
tap_like "$(grep -c 'chopinEventMessage.0 = STRING: Controller ID: 0 VD is now DEGRADED VD 0 Event ID:251' "$log")" '^1$' \
	"event 251 arrives with its MR_MONITOR text"
tap_like "$(grep 'chopinRaidPhysicalDrive' "$log" | tr '\t' '\n' | grep -E 'chopinRaid(EnclosureSlot|Serial|PartIndex|PartTotal|SizeMiB)\.0' | sed 's/.*chopin//' | tr '\n' ' ')" \
	'^RaidPartIndex.0 = Gauge32: 3 RaidPartTotal.0 = Gauge32: 4 RaidEnclosureSlot.0 = STRING: 252:7 .*RaidSizeMiB.0 = Gauge32: 285568 MiB .*RaidSerial.0 = STRING: 6SJ6S6HL0000N341ZEE ' \
	"physical drive part 3/4 carries slot 252:7, size and serial"
tap_is "$(grep -o 'chopinAgentTime.0 = STRING: [^	]*' "$log" | grep -c '2019-9-23,5:10:32.0,+0:0')" 1 \
	"agent time is scenario time (event at 2019-09-23 05:10:32 UTC)"
instances=$(awk '$1 == "VMAPP003" { print $2 }' "$work_dir/v2c-trap.got" | sort -u | wc -l)
tap_is "$instances" 2 "reboot gives VMAPP003 a new agent instance"
tap_like "$(grep 'VMAPP003' "$log" | grep -o 'chopinBootTime.0 = STRING: [^	]*' | sort -u | tr '\n' ' ')" \
	'2019-9-23,5:22:30.0,\+0:0' "the heartbeat after the reboot carries the new boot time"
tap_like "$(grep -o 'chopinShutdownType.0 = INTEGER: [a-z]*([0-9])' "$log")" '^chopinShutdownType.0 = INTEGER: restart\(2\)$' \
	"shutdown arrives as restart(2)"

# A shipped scenario, paced (about 1000 traps/s), arrives whole at snmptrapd.
printf 'disableAuthorization yes\n' >"$work_dir/plain.conf"
log=$work_dir/cernvs08.log
trapd_start "$work_dir/plain.conf" "$log"
timeout 60 "$SIM" replay -T "udp:127.0.0.1:$trapd_port" --max-wall 2 --verbose \
	"$SCENARIO_DIR/cernvs08-vd-degraded.scenario" >"$work_dir/cernvs08.out" 2>"$work_dir/cernvs08.err"
sim_expected "$work_dir/cernvs08.out" | sort >"$work_dir/cernvs08.expected"
expected=$(wc -l <"$work_dir/cernvs08.expected")
trapd_wait_for "$log" "$expected"
trapd_stop
trapd_notifications "$log" | sort >"$work_dir/cernvs08.got"
tap_files_equal "$work_dir/cernvs08.got" "$work_dir/cernvs08.expected" \
	"cernvs08-vd-degraded: all $expected notifications arrive"
tap_is "$(grep -c 'chopinEventId.0 = Gauge32: 113' "$log")" 53 \
	"cernvs08-vd-degraded: the 53 unexpected-sense events (113) arrive"

tap_done
