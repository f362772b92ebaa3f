# Shared helpers for chopin-trapd integration tests: a private trapd on a loopback port.
#
#   . "$top_srcdir/tests/trapd/trapd-lib.sh"
#   trapd_setup                     # temp dir $T, writes $T/chopin.conf (append to it first:
#                                   #   TRAPD_EXTRA may hold extra lines for the trapd section)
#   trapd_start                     # starts it on a free port: $TRAPD_PORT, $TRAPD_PID
#   trapd_counter NAME              # prints a counter from the stats file (after a refresh)
#   trapd_stop [SIGNAL]             # stops it (TERM by default) and waits
#   spool_dump                      # chopin-spool dump of $T/spool
# Everything runs on 127.0.0.1 only and is torn down on exit.

TRAPD=$top_builddir/trapd/chopin-trapd
CHOPIN_SPOOL=$top_builddir/tools/chopin-spool
ROOT=.1.3.6.1.4.1.8072.9999.9999.72
ENGINE_ID=0x80001f8805aabbccdd00112233
AGENT_ENGINE_ID=0x80001f8805010203040506
TRAPD_PID=

trapd_cleanup() {
	if [ -n "$TRAPD_PID" ]; then
		kill -KILL "$TRAPD_PID" 2>/dev/null
		wait "$TRAPD_PID" 2>/dev/null
	fi
	[ -n "${T:-}" ] && rm -rf "$T"
}

trapd_setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/chopin-trapd-test.XXXXXX") || tap_bail "mktemp failed"
	trap trapd_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	[ -x "$TRAPD" ] || tap_bail "$TRAPD not built"
	command -v snmptrap >/dev/null || tap_bail "snmptrap not found: install the Debian package snmp"
	# net-snmp's client tools: no system config, no MIBs, persistent state in $T
	SNMPCONFPATH=$T/snmpconf
	SNMP_PERSISTENT_DIR=$T/snmppersist
	MIBS=
	MIBDIRS=
	export SNMPCONFPATH SNMP_PERSISTENT_DIR MIBS MIBDIRS
	mkdir -p "$SNMPCONFPATH" "$SNMP_PERSISTENT_DIR"
	TRAPD_EXTRA=${TRAPD_EXTRA:-}  # replaces "rate_limit = 0;" when set
}

trapd_write_config() {
	cat >"$T/chopin.conf" <<CONF
trapd: {
  listen = [ "udp:127.0.0.1:$1" ];
  spool_dir = "$T/spool";
  state_dir = "$T/state";
  communities = [ "chopin" ];
  engine_id = "$ENGINE_ID";
  users = [ "-e $AGENT_ENGINE_ID agentv3 SHA-256 \"auth pass phrase\" AES \"priv pass phrase\"",
            "informer SHA-512 informauthpass AES informprivpass" ];
  stats_interval = "100ms";
${TRAPD_EXTRA:-rate_limit = 0;}
};
CONF
}

# trapd_start: start on a free random port (a few tries), wait until it is ready.
trapd_start() {
	for try in 1 2 3 4 5 6 7 8; do
		TRAPD_PORT=${TRAPD_PORT_FIXED:-$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))}
		trapd_write_config "$TRAPD_PORT"
		: >"$T/trapd.log"
		${TRAPD_WRAPPER:-} "$TRAPD" -f -c "$T/chopin.conf" >>"$T/trapd.log" 2>&1 &
		TRAPD_PID=$!
		for i in $(seq 1 100); do
			if grep -q 'ready' "$T/trapd.log"; then
				return 0
			fi
			if ! kill -0 "$TRAPD_PID" 2>/dev/null; then
				break
			fi
			sleep 0.05
		done
		wait "$TRAPD_PID" 2>/dev/null
		TRAPD_PID=
		[ -n "${TRAPD_PORT_FIXED:-}" ] && break
		grep -q 'cannot listen' "$T/trapd.log" || break
	done
	tap_diag_file "$T/trapd.log"
	tap_bail "chopin-trapd did not start"
}

trapd_stop() {
	[ -n "$TRAPD_PID" ] || return 0
	kill "-${1:-TERM}" "$TRAPD_PID" 2>/dev/null
	wait "$TRAPD_PID" 2>/dev/null
	TRAPD_PID=
}

# trapd_counter NAME: the counter after the next stats refresh.
trapd_counter() {
	sleep 0.25
	sed -n "s/^$1 //p" "$T/state/trapd.stats"
}

spool_dump() {
	"$CHOPIN_SPOOL" dump "$T/spool"
}

# Varbinds of a valid chopinAgentShutdown for HOST with sequence SEQ.
shutdown_varbinds() {
	echo "$ROOT.0.8 $ROOT.1.1.1.0 s $1 $ROOT.1.1.2.0 u 4242 $ROOT.1.1.3.0 u $2" \
		"$ROOT.1.1.4.0 x 07E3091706000000 $ROOT.1.6.1.0 i 2 $ROOT.1.6.2.0 s reboot"
}

v2c() { snmptrap -v 2c -c chopin "127.0.0.1:$TRAPD_PORT" '' "$@"; }
v2c_inform() { snmpinform -v 2c -c chopin -t 1 -r 3 "127.0.0.1:$TRAPD_PORT" '' "$@"; }
v3_trap() {
	snmptrap -v 3 -e "$AGENT_ENGINE_ID" -u agentv3 -l authPriv -a SHA-256 -A "auth pass phrase" \
		-x AES -X "priv pass phrase" "127.0.0.1:$TRAPD_PORT" '' "$@"
}
v3_inform() {
	snmpinform -v 3 -u informer -l authPriv -a SHA-512 -A informauthpass -x AES \
		-X informprivpass -t 1 -r 3 "127.0.0.1:$TRAPD_PORT" '' "$@"
}
