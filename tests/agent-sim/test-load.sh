#!/bin/sh
# test-load.sh: bounded load runs: paced pre-encoded traps to a counting sink, informs to snmptrapd; the reports' counts.
. "${top_srcdir:?top_srcdir is not set: run this test through make check}/tests/agent-sim/sim-test-lib.sh"

tap_plan 18

json_field() { # json_field NAME FILE: a number from a one-line JSON report
	sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$2"
}

# 20,000 traps at 50,000/s to the simulator's own counting sink.
"$SIM" sink -T udp:127.0.0.1:0 --count 20000 --duration 30 --json >"$work_dir/sink.out" 2>"$work_dir/sink.err" &
sink_pid=$!
for i in $(seq 1 50); do
	grep -q 'listening on' "$work_dir/sink.err" && break
	sleep 0.1
done
port=$(sed -n 's/^listening on udp:127.0.0.1:\([0-9]*\)$/\1/p' "$work_dir/sink.err")
[ -n "$port" ] || tap_bail "the sink did not start: $(cat "$work_dir/sink.err")"
timeout 60 "$SIM" load -T "udp:127.0.0.1:$port" --rate 50000 --count 20000 --duration 10 --hosts 50 \
	--json >"$work_dir/load.json" 2>"$work_dir/load.err"
tap_is "$?" 0 "trap load exits 0"
wait "$sink_pid"
tap_is "$(json_field packets "$work_dir/load.json")" 20000 "the report counts 20000 packets sent"
tap_is "$(json_field send_errors "$work_dir/load.json")" 0 "without send errors"
duration=$(json_field duration "$work_dir/load.json")
rate=$(json_field offered_rate "$work_dir/load.json")
tap_ok "$(awk -v d="$duration" 'BEGIN { exit !(d >= 0.38 && d < 2.0) }'; echo $?)" \
	"paced: 20000 at 50000/s take about 0.4 s (took $duration s)"
tap_ok "$(awk -v r="$rate" 'BEGIN { exit !(r <= 52600 && r >= 10000) }'; echo $?)" \
	"offered rate $rate/s stays at or under the target"
tap_is "$(json_field bytes "$work_dir/load.json")" "$(json_field bytes "$work_dir/sink.out")" \
	"the sink received every byte the report counts"
tap_is "$(json_field received "$work_dir/sink.out")" 20000 "the sink received 20000 packets"

# Bounded in time: a rate nobody can reach stops at --duration.
timeout 30 "$SIM" load -T "udp:127.0.0.1:$port" --rate 100000000 --duration 0.5 --pool 1000 \
	--json >"$work_dir/bound.json" 2>&1
duration=$(json_field duration "$work_dir/bound.json")
tap_ok "$(awk -v d="$duration" 'BEGIN { exit !(d >= 0.5 && d < 1.0) }'; echo $?)" \
	"an unreachable rate stops at --duration 0.5 (took $duration s)"

# Informs to snmptrapd: all acknowledged, latency reported.
printf 'disableAuthorization yes\n' >"$work_dir/trapd.conf"
trapd_start "$work_dir/trapd.conf" "$work_dir/trapd.log"
timeout 60 "$SIM" load --inform -T "udp:127.0.0.1:$trapd_port" --rate 2000 --count 400 \
	--duration 10 --window 8 -t 2 -r 2 --json >"$work_dir/inform.json" 2>"$work_dir/inform.err"
tap_is "$?" 0 "inform load exits 0"
tap_is "$(json_field acked "$work_dir/inform.json")/$(json_field timeouts "$work_dir/inform.json")" \
	"400/0" "400 informs acknowledged, none timed out"
p50=$(json_field latency_p50_ms "$work_dir/inform.json")
p99=$(json_field latency_p99_ms "$work_dir/inform.json")
tap_ok "$(awk -v a="$p50" -v b="$p99" 'BEGIN { exit !(a > 0 && b >= a) }'; echo $?)" \
	"latency percentiles reported (p50 $p50 ms, p99 $p99 ms)"
trapd_stop

# --seed, --epoch and --skip: a second run continues the first one's fleet (bench/host-state
# sends its phases this way). 50 notifications from 10 hosts (rounds 0-4: heartbeats in 0
# and 4), then the last 20 of them again; the notifications' varbinds must be the same.
trapd_start "$work_dir/trapd.conf" "$work_dir/fleet.log"
fleet="--hosts 10 --seed 7 --epoch 1796600000 --rate 1000 --duration 10"
timeout 30 "$SIM" load -q -T "udp:127.0.0.1:$trapd_port" $fleet --count 50 2>"$work_dir/fleet.err"
trapd_wait_for "$work_dir/fleet.log" 50
timeout 30 "$SIM" load -q -T "udp:127.0.0.1:$trapd_port" $fleet --count 20 --skip 30 \
	2>>"$work_dir/fleet.err"
trapd_wait_for "$work_dir/fleet.log" 70
trapd_stop
trapd_notifications "$work_dir/fleet.log" >"$work_dir/fleet.txt"
tap_is "$(wc -l <"$work_dir/fleet.txt")" 70 "both runs logged (50 + 20 notifications)"
tap_is "$(sed -n '51,70p' "$work_dir/fleet.txt")" "$(sed -n '31,50p' "$work_dir/fleet.txt")" \
	"--skip 30 sends the 31st to 50th notifications of the same fleet (hosts, instances, sequences)"
# the varbinds from the notification's OID on (snmpTrapOID.0, which snmptrapd names
# snmpModules.1.1.4.1.0 without SNMPv2-MIB)
grep 'chopinHostName.0 = ' "$work_dir/fleet.log" |
	sed 's/.*snmpModules\.1\.1\.4\.1\.0 = //; s/.*snmpTrapOID\.0 = //' >"$work_dir/fleet.vb"
tap_is "$(sed -n '51,70p' "$work_dir/fleet.vb")" "$(sed -n '31,50p' "$work_dir/fleet.vb")" \
	"... with the same varbinds: boot times, event times, record ids, messages"
tap_is "$(grep -c -E 'chopinHeartbeatInterval\.0 = Gauge32: 120([^0-9]|$)' "$work_dir/fleet.log")" 30 \
	"the load's heartbeats announce 120 s by default (rounds 0 and 4 of 10 hosts, then 4 again)"

# --heartbeat-interval: what the heartbeats announce (bench/host-state's fleet stays quiet
# but alive for an hour); out of CHOPIN-MIB's 10..86400 it is a usage error.
trapd_start "$work_dir/trapd.conf" "$work_dir/interval.log"
timeout 30 "$SIM" load -q -T "udp:127.0.0.1:$trapd_port" --hosts 3 --count 3 --rate 1000 \
	--heartbeat-interval 3600 2>"$work_dir/interval.err"
trapd_wait_for "$work_dir/interval.log" 3
trapd_stop
tap_is "$(grep -c -E 'chopinHeartbeatInterval\.0 = Gauge32: 3600([^0-9]|$)' "$work_dir/interval.log")" 3 \
	"--heartbeat-interval 3600: every heartbeat announces 3600 s"
"$SIM" load -T "udp:127.0.0.1:$trapd_port" --count 1 --heartbeat-interval 9 \
	>/dev/null 2>"$work_dir/interval9.err"
tap_is "$?" 2 "--heartbeat-interval 9 is a usage error (exit 2)"
tap_like "$(cat "$work_dir/interval9.err")" "expected 10..86400" "... saying the range"
tap_done
