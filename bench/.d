#!/bin/bash
# bench/correlator-drain: how fast chopin-correlator turns a spool into MySQL rows.
#
# Usage: bench/correlator-drain [BUILD_DIR] [RECORDS]    (defaults: _build, 200000)
#
# Fills a spool through chopin-trapd with the load generator's traffic (1,000 hosts,
# one heartbeat for three MR_MONITOR event-log entries), then starts the correlator
# with the shipped rules on a private MariaDB and times it until its checkpoint
# counts every record. Prints records/s and the rows produced. Loopback only.
# Not yet the end-to-end comparison with snmptrapd + SNMPTT of issue 4.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
records=${2:-200000}
work=$(mktemp -d "${TMPDIR:-/tmp}/chopin-drain.XXXXXX")
export top_builddir=$build top_srcdir=$top
trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; "$top/tests/harness/mariadb.sh" stop "$work/db" >/dev/null 2>&1; rm -rf "$work"' EXIT
export SNMPCONFPATH=$work/snmpconf SNMP_PERSISTENT_DIR=$work/snmppersist MIBS= MIBDIRS=
mkdir -p "$SNMPCONFPATH" "$SNMP_PERSISTENT_DIR"

port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
cat >"$work/trapd.conf" <<CONF
trapd: { listen = [ "udp:127.0.0.1:$port" ]; spool_dir = "$work/spool"; state_dir = "$work/trapd";
  communities = [ "public" ]; rate_limit = 0; receive_buffer = "64M"; stats_interval = "100ms"; };
CONF
"$build/trapd/chopin-trapd" -f -c "$work/trapd.conf" >"$work/trapd.log" 2>&1 &
pid=$!
sleep 0.5
"$build/tools/chopin-agent-sim" load -q -T "udp:127.0.0.1:$port" --rate 100000 \
	--count "$records" --duration 60 --hosts 1000
sleep 1
spooled=$(sed -n 's/^records_spooled //p' "$work/trapd/trapd.stats")
kill "$pid"
wait "$pid" 2>/dev/null || :
pid=

eval "$("$top/tests/harness/mariadb.sh" start "$work/db")"
CHOPIN_WRITER_PASSWORD=w CHOPIN_READER_PASSWORD=r "$build/sql/chopin-db-setup" \
	--socket="$CHOPIN_TEST_SOCKET" --admin-user=root --no-defaults --sql-dir="$top/sql" --quiet
cat >"$work/correlator.conf" <<CONF
database: { socket = "$CHOPIN_TEST_SOCKET"; user = "chopin_writer"; password = "w"; name = "chopin"; };
correlator: { spool_dir = "$work/spool"; rules = "$top/correlator/rules.conf"; batch_records = ${BATCH:-2000}; };
CONF
sql() { "$top/tests/harness/mariadb.sh" sql "$work/db" chopin -N -e "$1"; }
start=$(date +%s.%N)
"$build/correlator/chopin-correlator" -f -c "$work/correlator.conf" >"$work/correlator.log" 2>&1 &
pid=$!
for _ in $(seq 1 2400); do
	n=$(sql "SELECT record_count FROM correlator_checkpoints" 2>/dev/null || echo 0)
	[ "${n:-0}" -ge "$spooled" ] && break
	sleep 0.1
done
end=$(date +%s.%N)
mpid=$(pgrep -f "mariadbd.*$work" | head -1); echo "mariadbd cpu: $(awk '{print ($14+$15)/100}' /proc/$mpid/stat) s correlator cpu: $(awk '{print ($14+$15)/100}' /proc/$pid/stat) s"
awk -v n="$n" -v s="$start" -v e="$end" -v sp="$spooled" \
	'BEGIN { printf "correlator drain: %d of %d spooled records in %.1f s = %.0f records/s\n", n, sp, e - s, n / (e - s) }'
echo "rows: $(sql "SELECT COUNT(*) FROM events") events, $(sql "SELECT COUNT(*) FROM hosts") hosts, $(sql "SELECT COUNT(*) FROM agent_instances") agent instances, $(sql "SELECT COUNT(*) FROM alarms") alarms"
