# Helpers shared by the correlator's end-to-end tests: source after tap.sh, mariadb.sh and
# trapd-lib.sh, once trapd_setup and chopin_db_start ran and chopin-db-setup created the
# accounts (writer password "writer-pw").
CORRELATOR=$top_builddir/correlator/chopin-correlator
SIM=$top_builddir/tools/chopin-agent-sim
CORRELATOR_PID=

sq() { chopin_sql -N chopin -e "$1"; }

# wait_like SQL ERE [SECONDS]: until the query's output matches ERE (default 30 s); prints it.
wait_like() {
	local got
	for _ in $(seq 1 $((${3:-30} * 10))); do
		got=$(sq "$1" 2>/dev/null)
		printf '%s' "$got" | grep -Eq "$2" && break
		sleep 0.1
	done
	printf '%s' "$got"
}

# wait_for SQL EXPECTED [SECONDS]: until the query prints EXPECTED (default 30 s); prints it.
wait_for() {
	local got
	for _ in $(seq 1 $((${3:-30} * 10))); do
		got=$(sq "$1" 2>/dev/null)
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	printf '%s' "$got"
}

# correlator_start [EXTRA CORRELATOR KEYS]: with $T/rules.conf and $T/nagios.cmd.
correlator_start() {
	cat >"$T/correlator.conf" <<CONF
database: { socket = "$CHOPIN_TEST_SOCKET"; user = "chopin_writer"; password = "writer-pw";
            name = "chopin"; connect_timeout = "2s"; read_timeout = "5s"; write_timeout = "5s"; };
correlator: { spool_dir = "$T/spool"; poll_interval = "20ms"; heartbeat_interval = "1s";
                            retry_max = "1s"; batch_records = 50; stream_rows = 10;
              rules = "$T/rules.conf";
              journal_interval = "3s";
              command_file = "$T/nagios.cmd"; ${1:-} };
CONF
	"$CORRELATOR" -f -c "$T/correlator.conf" >>"$T/correlator.log" 2>&1 &
	CORRELATOR_PID=$!
}

correlator_kill() {
	[ -n "$CORRELATOR_PID" ] && kill -KILL "$CORRELATOR_PID" 2>/dev/null
	[ -n "$CORRELATOR_PID" ] && wait "$CORRELATOR_PID" 2>/dev/null
	CORRELATOR_PID=
}

# replay FILE [sim args]: v2c informs to trapd.
replay() {
	local file=$1
	shift
	"$SIM" replay -q -T "udp:127.0.0.1:$TRAPD_PORT" -v 2c -c chopin --inform "$@" "$file"
}

# scenario FILE HOST COUNT EVERY [PD]: COUNT unexpected-sense entries from HOST, one every
# EVERY; with PD (e.g. 07(e0xfc/s7)) they name the drive, and feed the burst rule.
scenario() {
	local pd="= Port 0 - 252:0 'quoted'"
	[ -n "${5:-}" ] && pd=$5
	cat >"$1" <<SCN
start 2019-09-23T05:00:00Z
host $2 os="Windows Server 2019 Standard" version=10.0.17763 type=physical heartbeat=1h
at 1s repeat $3 every $4 event $2 source=MR_MONITOR id=113 level=information message="Controller ID: 0 Unexpected sense: PD $pd Event ID:113"
SCN
}
