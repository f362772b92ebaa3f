#!/bin/sh
# chopinctl on bad input: unknown host or alarm, bad time ranges, bad options and configuration, the database down.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chopinctl/chopinctl-test-lib.sh"

tap_plan 44
ctl_test_start
ctl_fixture

# --- help, version, usage ---------------------------------------------------------------------------
ctl_ok "--help" --help
tap_like "$CTL_OUT" 'Usage: chopinctl \[OPTION\]\.\.\. COMMAND' "--help: the usage line"
for command in hosts host events alarms ticket history tags rules stats report; do
	if printf '%s\n' "$CTL_OUT" | grep -Eq "^  $command "; then
		tap_pass "--help lists $command"
	else
		tap_fail "--help lists $command" "$CTL_OUT"
	fi
done
tap_like "$CTL_OUT" '4 database unavailable' "--help documents the exit statuses"
ctl_ok "alarms --help" alarms --help
tap_like "$CTL_OUT" 'Usage: chopinctl alarms \[list\]' "COMMAND --help: the command's usage"
ctl_ok "--version" --version
tap_like "$CTL_OUT" '^chopinctl \(chopin\) ' "--version"
ctl_fails "no command" 2 'no command given' 
ctl_fails "an unknown command" 2 "unknown command 'frobnicate'" frobnicate
ctl_fails "an unknown option" 2 "hosts: unknown option '--frobnicate'" hosts --frobnicate
ctl_fails "an option without its value" 2 "option '--tag' needs a value" hosts --tag
ctl_fails "a stray argument" 2 "unexpected argument 'RAIDSRV01'" hosts RAIDSRV01
ctl_fails "a bad -t" 2 "-t '0': expected seconds" -t 0 hosts

# --- unknown things -------------------------------------------------------------------------------
ctl_fails "host: an unknown host" 3 "unknown host 'NOSUCH'" host NOSUCH
ctl_fails "history: an unknown host" 3 "unknown host 'NOSUCH'" history NOSUCH
ctl_fails "events --host: an unknown host" 3 "unknown host 'NOSUCH'" events --host NOSUCH
ctl_fails "alarms show: an unknown alarm" 3 'unknown alarm id 4242' alarms show 4242
ctl_fails "ticket: an unknown alarm" 3 'unknown alarm id 4242' ticket 4242
ctl_fails "ticket: an alarm without a ticket" 3 'alarm 12 \(update-install-failed on DBSRV02\) has no ticket text' ticket 12
ctl_fails "ticket: not a number" 2 "'-1' is not an alarm id" ticket -- -1
ctl_fails "rules: an unknown rule" 3 "no rule 'nosuch' in force" rules nosuch

# --- bad time ranges ----------------------------------------------------------------------------------
ctl_fails "--since garbage" 2 "bad time range: --since 'yesterday' is not a time" events --since yesterday
ctl_fails "--until: not a real date" 2 "bad time range: --until '2026-02-30' is not a time" events --until 2026-02-30
ctl_fails "--since after --until" 2 'bad time range: --since 1d is not before --until 7d' events --since 1d --until 7d
ctl_fails "a bare number is no duration" 2 "'7' is not a time" alarms --since 7
ctl_fails "host --since: a bad range before any query" 2 'bad time range' host RAIDSRV01 --since 2026-13-01
ctl_fails "history --until: a bad range" 2 'bad time range' history RAIDSRV01 --until 24x

# --- configuration and option files ----------------------------------------------------------------
ctl_fails "a missing -C file" 5 'cannot read .*/nosuch.conf' -C "$CTL_DIR/nosuch.conf" hosts
printf 'chopinctl = {\n  timeout = "soon";\n};\n' >"$CTL_DIR/bad.conf"
ctl_fails "a bad configuration: file:line and exit 5" 5 'bad.conf:2: chopinctl.timeout' -C "$CTL_DIR/bad.conf" hosts
sed "s|$CTL_DIR/chopinctl.cnf|$CTL_DIR/nosuch.cnf|" "$CTL_CONF" >"$CTL_DIR/no-cnf.conf"
ctl_fails "an unreadable option file" 5 'cannot read option file .*/nosuch.cnf' -C "$CTL_DIR/no-cnf.conf" hosts

# --- the database down -------------------------------------------------------------------------------
cat >"$CTL_DIR/gone.cnf" <<EOF
[client]
socket = $CTL_DIR/no-such-socket
[chopin_reader]
user = chopin_reader
EOF
ctl_fails "no server at the socket: exit 4" 4 'database unavailable \(read-only account, option group \[chopin_reader\]\).*connecting' \
	--defaults-file "$CTL_DIR/gone.cnf" hosts
# a server that accepts the connection and never answers: -t bounds the wait
port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
"$PYTHON" -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
open(sys.argv[2], "w").close()
conns = []
deadline = time.time() + 30
while time.time() < deadline:
    s.settimeout(1)
    try:
        conns.append(s.accept()[0])
    except socket.timeout:
        pass
' "$port" "$CTL_DIR/listening" &
silent=$!
for _ in $(seq 1 100); do [ -e "$CTL_DIR/listening" ] && break; sleep 0.1; done
printf '[client]\nhost = 127.0.0.1\nport = %s\nprotocol = tcp\n[chopin_reader]\nuser = chopin_reader\n' "$port" >"$CTL_DIR/silent.cnf"
start=$(date +%s)
ctl_fails "a server that never answers: exit 4" 4 'database unavailable.*handshake' \
	--defaults-file "$CTL_DIR/silent.cnf" -t 2 hosts
elapsed=$(($(date +%s) - start))
kill "$silent" 2>/dev/null
wait "$silent" 2>/dev/null
if [ "$elapsed" -ge 1 ] && [ "$elapsed" -le 10 ]; then
	tap_pass "... within -t ($elapsed s)"
else
	tap_fail "... within -t" "took $elapsed s"
fi
chopin_db_stop
ctl_fails "the test server stopped: exit 4, a clear message" 4 'database unavailable.*connecting to the database' hosts
tap_done
