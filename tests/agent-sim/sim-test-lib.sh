# sim-test-lib.sh: shared setup for the chopin-agent-sim tests: paths, scratch dir, snmptrapd helpers.
# Sourced, not run. Needs top_srcdir and top_builddir (exported by make check).

: "${top_srcdir:?top_srcdir is not set: run this test through make check}"
: "${top_builddir:?top_builddir is not set: run this test through make check}"
. "$top_srcdir/tests/harness/tap.sh"

SIM=$top_builddir/tools/chopin-agent-sim
SCENARIO_DIR=$top_srcdir/tools/scenarios
SIM_DATA=$top_srcdir/tests/data/agent-sim
SNMPTRAPD=${SNMPTRAPD:-$(command -v snmptrapd 2>/dev/null || echo /usr/sbin/snmptrapd)}

# The IETF base modules CHOPIN-MIB imports (Debian: erlang-snmp).
base_mibdir=${CHOPIN_BASE_MIBDIR:-}
if [ -z "$base_mibdir" ]; then
	for dir in /usr/lib/erlang/lib/snmp-*/mibs /usr/share/snmp/mibs; do
		if [ -f "$dir/SNMPv2-SMI.mib" ] || [ -f "$dir/SNMPv2-SMI.txt" ]; then
			base_mibdir=$dir
		fi
	done
fi

[ -x "$SIM" ] || tap_bail "chopin-agent-sim not built: $SIM"

# Scratch space; the source tree may be read-only (distcheck).
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/chopin-sim-test.XXXXXX") ||
	tap_bail "cannot create a temporary directory"
trapd_pid=
sim_cleanup() {
	if [ -n "$trapd_pid" ]; then
		kill "$trapd_pid" 2>/dev/null
		wait "$trapd_pid" 2>/dev/null
	fi
	rm -rf "$work_dir"
}
trap sim_cleanup EXIT
trap 'exit 1' INT TERM

# Keep net-snmp away from the user's and the system's configuration and state.
mkdir "$work_dir/snmpconf" "$work_dir/persist"
SNMPCONFPATH=$work_dir/snmpconf
SNMP_PERSISTENT_DIR=$work_dir/persist
export SNMPCONFPATH SNMP_PERSISTENT_DIR

# A port in 20000..59999 that nothing listens on now (the caller still
# checks that its server came up: another test may take it meanwhile).
sim_pick_port() {
	while :; do
		port=$(( ($(od -An -N2 -tu2 /dev/urandom) % 40000) + 20000 ))
		if ! grep -q ":$(printf '%04X' "$port") " /proc/net/udp 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
}

# trapd_start CONF LOG: runs snmptrapd on a free loopback port with CHOPIN-MIB
# loaded; sets trapd_pid and trapd_port. Bails out when it does not come up.
trapd_start() {
	tap_require_tool "$SNMPTRAPD" "snmptrapd (Debian package snmptrapd)"
	[ -n "$base_mibdir" ] || tap_bail "IETF base MIBs not found (Debian: erlang-snmp; or set CHOPIN_BASE_MIBDIR)"
	for attempt in 1 2 3 4 5; do
		trapd_port=$(sim_pick_port)
		rm -f "$2"
		"$SNMPTRAPD" -f -n -C -c "$1" -Lf "$2" -M "$top_srcdir/mib:$base_mibdir" \
			-m CHOPIN-MIB "udp:127.0.0.1:$trapd_port" >"$2.stdout" 2>&1 &
		trapd_pid=$!
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			if grep -q ":$(printf '%04X' "$trapd_port") " /proc/net/udp 2>/dev/null &&
				kill -0 "$trapd_pid" 2>/dev/null; then
				return 0
			fi
			kill -0 "$trapd_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$trapd_pid" 2>/dev/null
		wait "$trapd_pid" 2>/dev/null
		trapd_pid=
	done
	tap_diag_file "$2"
	tap_bail "snmptrapd did not start"
}

trapd_stop() {
	if [ -n "$trapd_pid" ]; then
		kill "$trapd_pid" 2>/dev/null
		wait "$trapd_pid" 2>/dev/null
		trapd_pid=
	fi
}

# trapd_wait_for LOG N: waits (at most 10 s) until LOG holds N notifications.
trapd_wait_for() {
	for i in $(seq 1 100); do
		[ "$(grep -c 'chopinHostName.0 = ' "$1" 2>/dev/null)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# trapd_notifications LOG: "HOST INSTANCE SEQUENCE KIND" per logged notification.
trapd_notifications() {
	grep 'chopinHostName.0 = ' "$1" | tr '\t' '\n' | awk '
		/snmpTrapOID.0 = OID: |snmpModules.1.1.4.1.0 = OID: / { sub(/.*::/, ""); kind = $0 }
		/chopinHostName.0 = STRING: / { sub(/.*STRING: /, ""); gsub(/"/, ""); host = $0 }
		/chopinAgentInstance.0 = Gauge32: / { sub(/.*Gauge32: /, ""); instance = $0 }
		/chopinSequence.0 = Gauge32: / {
			sub(/.*Gauge32: /, "")
			print host, instance, $0, kind
		}'
}

# sim_expected VERBOSE_OUTPUT: the same four columns from replay --verbose.
sim_expected() {
	sed -n 's/^[^ ]* \([^ ]*\) instance=\([0-9]*\) seq=\([0-9]*\) \([A-Za-z]*\).*/\1 \2 \3 \4/p' "$1"
}
