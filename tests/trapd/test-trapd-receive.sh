#!/bin/bash
# chopin-trapd over loopback with net-snmp's own tools: v1/v2c/v3, traps and informs, bad input.
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"

tap_plan 28
trapd_setup
trapd_start

# --- what must be accepted ---------------------------------------------------
tap_run "v2c trap sent" v2c $(shutdown_varbinds CERNVS08 1)
tap_run "v2c inform acknowledged" v2c_inform $(shutdown_varbinds CERNVS08 2)
tap_run "v3 authPriv trap (SHA-256/AES) sent" v3_trap $(shutdown_varbinds XLDAP11 3)
tap_run "v3 authPriv inform (SHA-512/AES) acknowledged" v3_inform $(shutdown_varbinds XLDAP13 4)
tap_run "v1 trap sent" snmptrap -v 1 -c chopin "127.0.0.1:$TRAPD_PORT" "$ROOT" 127.0.0.1 6 8 '' \
	"$ROOT.1.1.1.0" s VMAPP003 "$ROOT.1.1.2.0" u 4242 "$ROOT.1.1.3.0" u 5 \
	"$ROOT.1.1.4.0" x 07E3091706000000 "$ROOT.1.6.1.0" i 1 "$ROOT.1.6.2.0" s v1

# --- what must be refused and counted ------------------------------------------
v2c_wrong() { snmptrap -v 2c -c wrong "127.0.0.1:$TRAPD_PORT" '' "$@"; }
v2c_wrong $(shutdown_varbinds WRONG 90)
snmptrap -v 3 -e "$AGENT_ENGINE_ID" -u nosuchuser -l authPriv -a SHA-256 -A "auth pass phrase" \
	-x AES -X "priv pass phrase" "127.0.0.1:$TRAPD_PORT" '' $(shutdown_varbinds WRONG 91)
snmptrap -v 3 -e "$AGENT_ENGINE_ID" -u agentv3 -l authPriv -a SHA-256 -A "wrong auth phrase" \
	-x AES -X "priv pass phrase" "127.0.0.1:$TRAPD_PORT" '' $(shutdown_varbinds WRONG 92)
tap_run_fails "v3 inform with a wrong authentication key is not acknowledged" \
	snmpinform -v 3 -u informer -l authPriv -a SHA-512 -A wrongauthpass -x AES -X informprivpass \
	-t 1 -r 0 "127.0.0.1:$TRAPD_PORT" '' $(shutdown_varbinds WRONG 93)
tap_run_fails "v2c inform with a wrong community is not acknowledged" \
	snmpinform -v 2c -c wrong -t 1 -r 0 "127.0.0.1:$TRAPD_PORT" '' $(shutdown_varbinds WRONG 94)

# --- what must be quarantined ---------------------------------------------------
v2c "$ROOT.0.99" "$ROOT.1.1.1.0" s UNKNOWN
v2c "$ROOT.0.8" "$ROOT.1.1.1.0" s MISSING "$ROOT.1.1.2.0" u 4242
long=$(head -c 2049 /dev/zero | tr '\0' 'x')
v2c "$ROOT.0.2" "$ROOT.1.1.1.0" s OVERSIZE "$ROOT.1.1.2.0" u 4242 "$ROOT.1.1.3.0" u 6 \
	"$ROOT.1.1.4.0" x 07E3091706000000 "$ROOT.1.3.1.0" s System "$ROOT.1.3.2.0" s MR_MONITOR \
	"$ROOT.1.3.3.0" u 113 "$ROOT.1.3.4.0" i 4 "$ROOT.1.3.5.0" u 1 \
	"$ROOT.1.3.6.0" x 07E3091706000000 "$ROOT.1.3.7.0" s "$long"
v2c "$ROOT.0.8" "$ROOT.1.1.1.0" s WRONGTYPE "$ROOT.1.1.2.0" u 4242 "$ROOT.1.1.3.0" s seven \
	"$ROOT.1.1.4.0" x 07E3091706000000 "$ROOT.1.6.1.0" i 2 "$ROOT.1.6.2.0" s x

# --- malformed datagrams ----------------------------------------------------------
printf '\x30\x82\x01\x00\x02\x01\x01\x04\x06chopin\xa7\x82' >"/dev/udp/127.0.0.1/$TRAPD_PORT"
printf 'this is not SNMP at all' >"/dev/udp/127.0.0.1/$TRAPD_PORT"
head -c 3000 /dev/urandom >"/dev/udp/127.0.0.1/$TRAPD_PORT"
tap_run_fails "an SNMP GET is not answered" \
	snmpget -v 2c -c chopin -t 1 -r 0 "127.0.0.1:$TRAPD_PORT" .1.3.6.1.2.1.1.1.0
sleep 0.3
tap_run "daemon still alive after bad input" kill -0 "$TRAPD_PID"

# --- counters -----------------------------------------------------------------
tap_is "$(trapd_counter accepted)" 5 "5 notifications accepted"
tap_is "$(trapd_counter quarantined)" 4 "4 notifications quarantined"
tap_is "$(trapd_counter informs_acked)" 2 "2 informs acknowledged"
tap_like "$(trapd_counter auth_failures)" '^[5-9]$' "wrong community, user and keys counted as auth failures"
tap_like "$(trapd_counter malformed)" '^[3-9]$' "truncated and garbage datagrams counted as malformed"
tap_is "$(trapd_counter not_notifications)" 1 "the GET counted as not a notification"
tap_like "$(grep -c 'authentication failure' "$T/trapd.log")" '^[1-3]$' \
	"auth failures logged, rate-limited"

# --- the spool, record by record --------------------------------------------------
trapd_stop
dump=$(spool_dump)
tap_diag "$dump"
line() { printf '%s\n' "$dump" | grep -E "$1"; }
tap_is "$(printf '%s\n' "$dump" | wc -l)" 9 "9 records in the spool"
tap_like "$(line 'chopinSequence=1 ')" 'chopinAgentShutdown v2 trap from=127\.0\.0\.1 chopinHostName="CERNVS08" chopinAgentInstance=4242 chopinSequence=1 chopinAgentTime=2019-09-23T06:00:00\.0 chopinShutdownType=2 chopinShutdownReason="reboot"$' \
	"v2c trap stored with every object"
tap_like "$(line 'chopinSequence=2 ')" 'v2 inform from=127\.0\.0\.1 chopinHostName="CERNVS08"' "v2c inform stored, flagged inform"
tap_like "$(line 'chopinSequence=3 ')" 'v3 trap from=127\.0\.0\.1 user=agentv3 chopinHostName="XLDAP11"' "v3 trap stored with its user"
tap_like "$(line 'chopinSequence=4 ')" 'v3 inform from=127\.0\.0\.1 user=informer chopinHostName="XLDAP13"' "v3 inform stored with its user"
tap_like "$(line 'chopinSequence=5 ')" 'v1 trap,v1 from=127\.0\.0\.1 chopinHostName="VMAPP003".*chopinShutdownType=1 chopinShutdownReason="v1"' "v1 trap converted (RFC 3584) and stored"
tap_like "$(line 'UNKNOWN')" 'quarantined from=127\.0\.0\.1 reason=unknown-notification oid=\.1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.72\.0\.99 detail="not a CHOPIN-MIB notification"' "unknown notification quarantined with its OID"
tap_like "$(line 'MISSING')" 'reason=missing-varbind .*detail="chopinSequence is missing"' "missing varbind quarantined"
tap_like "$(line 'OVERSIZE')" 'reason=out-of-range .*detail="chopinEventMessage: 2049 octets, allowed 0\.\.2048"' "oversize string quarantined"
tap_like "$(line 'WRONGTYPE')" 'reason=wrong-type .*detail="chopinSequence: expected Unsigned32' "wrong type quarantined"
tap_unlike "$dump" 'WRONG"' "nothing that failed authentication reached the spool"
tap_run "spool check finds no corruption" "$CHOPIN_SPOOL" check "$T/spool"

tap_done
