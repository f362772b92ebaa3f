#!/bin/sh
# The plugins' shared skeleton: options, usage errors, database down or hung (-t bound), stale pipeline, unknown host.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/checks/checks-test-lib.sh"

PLUGINS="check_chopin_raid check_chopin_updates check_chopin_heartbeat"
tap_plan 35
checks_test_start

# now_ms: wall clock in milliseconds (GNU date).
now_ms() { date +%s%3N; }

# --- options -----------------------------------------------------------------------
for plugin in $PLUGINS; do
	run_check "$plugin" --help
	tap_like "$CHECK_RC:$CHECK_OUT" "^0:$plugin \(chopin\)" "$plugin --help exits 0"
done
expect_check "-V prints the version, exits 0" 0 '^check_chopin_raid \(chopin\) [0-9]' check_chopin_raid -V
expect_check "missing -H: UNKNOWN with usage" 3 '^RAID UNKNOWN - -H HOST is required' check_chopin_raid
expect_line "usage line follows" '^Usage: check_chopin_raid -H HOST'
expect_check "-t 0: UNKNOWN" 3 "^Heartbeat UNKNOWN - -t '0': expected seconds" check_chopin_heartbeat -H X -t 0
expect_check "unknown option: UNKNOWN" 3 "^Updates UNKNOWN - unknown option '--bogus'" \
	check_chopin_updates -H X --bogus
expect_check "-w on a plugin without thresholds: UNKNOWN" 3 '^RAID UNKNOWN - -w is not an option' \
	check_chopin_raid -H X -w 1
expect_check "bad --stale-after: UNKNOWN" 3 "^RAID UNKNOWN - --stale-after 'soon'" \
	check_chopin_raid -H X --stale-after soon
printf 'checks = { stale_after = "forever"; };\n' >"$CHECKS_DIR/bad.conf"
CHECK_RC=0
CHECK_OUT=$("$CHECKS_BIN/check_chopin_raid" --config "$CHECKS_DIR/bad.conf" -H X 2>&1) || CHECK_RC=$?
tap_like "$CHECK_RC:$CHECK_OUT" "^3:RAID UNKNOWN - bad configuration: .*bad.conf:1:" "bad configuration file: UNKNOWN with file:line"
CHECK_RC=0
CHECK_OUT=$("$CHECKS_BIN/check_chopin_raid" --config "$CHECKS_DIR/none.conf" -H X 2>&1) || CHECK_RC=$?
tap_like "$CHECK_RC:$CHECK_OUT" "^3:RAID UNKNOWN - cannot read configuration" "missing --config file: UNKNOWN"

# --- pipeline freshness ----------------------------------------------------------------
fixture "INSERT INTO hosts (host_id, name, status, last_heartbeat, heartbeat_interval_s, first_seen)
	VALUES (1, 'SRV01', 'active', UTC_TIMESTAMP(6), 60, UTC_TIMESTAMP(6))"
expect_check "no correlator checkpoint at all: UNKNOWN" 3 '^Heartbeat UNKNOWN - pipeline not running' \
	check_chopin_heartbeat -H SRV01
checkpoint_age 600
for plugin in $PLUGINS; do
	expect_check "$plugin: checkpoint 600 s old, limit 5m: UNKNOWN" 3 \
		"UNKNOWN - pipeline stale: correlator 'main' last advanced its checkpoint 60[0-9] s ago \(limit 300 s\)" \
		"$plugin" -H SRV01
done
expect_check "--stale-after 1h accepts it" 0 '^Heartbeat OK' check_chopin_heartbeat -H SRV01 --stale-after 1h
sed 's/stale_after = "5m"/stale_after = "20m"/' "$CHECKS_CONF" >"$CHECKS_DIR/lenient.conf"
CHECK_RC=0
CHECK_OUT=$("$CHECKS_BIN/check_chopin_heartbeat" --config "$CHECKS_DIR/lenient.conf" -H SRV01 2>&1) || CHECK_RC=$?
tap_like "$CHECK_RC:$CHECK_OUT" '^0:Heartbeat OK' "checks.stale_after = 20m in the configuration accepts it"
expect_check "--stale-after overrides the configuration" 3 'pipeline stale' \
	check_chopin_heartbeat -H SRV01 --stale-after 1m
fixture "INSERT INTO correlator_checkpoints (correlator_name, spool_segment, spool_offset, updated_at)
	VALUES ('shard2', 'seg-000009', 0, UTC_TIMESTAMP(6))"
expect_check "the newest checkpoint counts when checks.correlator is unset" 0 '^Heartbeat OK' \
	check_chopin_heartbeat -H SRV01
sed 's/stale_after = "5m";/stale_after = "5m"; correlator = "main";/' "$CHECKS_CONF" >"$CHECKS_DIR/main.conf"
CHECK_RC=0
CHECK_OUT=$("$CHECKS_BIN/check_chopin_heartbeat" --config "$CHECKS_DIR/main.conf" -H SRV01 2>&1) || CHECK_RC=$?
tap_like "$CHECK_RC:$CHECK_OUT" "^3:Heartbeat UNKNOWN - pipeline stale: correlator 'main'" \
	"checks.correlator = main watches that one"
checkpoint_age 5

# --- the server's time zone does not matter (the plugins never set the session's) -----------
fixture "UPDATE hosts SET last_heartbeat = UTC_TIMESTAMP(6) - INTERVAL 100 SECOND WHERE name = 'SRV01'"
chopin_sql -e "SET GLOBAL time_zone = '+05:00'" || tap_bail "cannot set the server time zone"
expect_check "server time zone +05:00: heartbeat age still measured in UTC" 0 \
	'^Heartbeat OK - SRV01: last heartbeat 10[0-9] s ago' check_chopin_heartbeat -H SRV01
expect_check "server time zone +05:00: checkpoint age still measured in UTC" 3 \
	"pipeline stale: correlator 'main' last advanced its checkpoint [0-9] s ago \(limit 1 s\)" \
	check_chopin_heartbeat -H SRV01 --config "$CHECKS_DIR/main.conf" --stale-after 1s
chopin_sql -e "SET GLOBAL time_zone = DEFAULT"

# --- unknown host ------------------------------------------------------------------------
for plugin in $PLUGINS; do
	expect_check "$plugin: unknown host: UNKNOWN" 3 "UNKNOWN - host 'NOSUCH' is not known to Chopin" \
		"$plugin" -H NOSUCH
done

# --- database unreachable ------------------------------------------------------------------
sed "s|^socket = .*|socket = $CHECKS_DIR/no-such.sock|" "$CHECKS_DIR/reader.cnf" >"$CHECKS_DIR/down.cnf"
expect_check "no server at the socket: UNKNOWN, database unreachable" 3 \
	'^Heartbeat UNKNOWN - database unreachable: .*no-such.sock' \
	check_chopin_heartbeat -H SRV01 --defaults-file "$CHECKS_DIR/down.cnf"
sed 's/^password = .*/password = wrong/' "$CHECKS_DIR/reader.cnf" >"$CHECKS_DIR/badpw.cnf"
expect_check "wrong password: UNKNOWN, database unreachable (access denied)" 3 \
	'^RAID UNKNOWN - database unreachable: .*Access denied' \
	check_chopin_raid -H SRV01 --defaults-file "$CHECKS_DIR/badpw.cnf"
tap_unlike "$CHECK_OUT" 'reader pw' "the password is never printed"

# An account whose authentication needs a client plugin loaded at run time (ed25519 here;
# caching_sha2_password on MySQL 8 is loaded the same way): the plugins may carry the client
# library statically linked (configure: --enable-static-check-client) and must still load it.
fixture "INSTALL SONAME 'auth_ed25519'"
fixture "CREATE USER 'edreader'@'localhost' IDENTIFIED VIA ed25519 USING PASSWORD('ed pw');
	GRANT SELECT ON chopin.* TO 'edreader'@'localhost'"
sed 's/^user = .*/user = edreader/; s/^password = .*/password = "ed pw"/' "$CHECKS_DIR/reader.cnf" >"$CHECKS_DIR/ed.cnf"
expect_check "an ed25519 account: the client plugin loads, the check runs" 0 '^Heartbeat OK' \
	check_chopin_heartbeat -H SRV01 --stale-after 1h --defaults-file "$CHECKS_DIR/ed.cnf"
sed 's/^password = .*/password = "wrong"/' "$CHECKS_DIR/ed.cnf" >"$CHECKS_DIR/edbad.cnf"
expect_check "an ed25519 account, wrong password: access denied, not a plugin error" 3 \
	'^Heartbeat UNKNOWN - database unreachable: .*Access denied' \
	check_chopin_heartbeat -H SRV01 --stale-after 1h --defaults-file "$CHECKS_DIR/edbad.cnf"

# A stopped server: the kernel accepts the connection, nobody answers.
kill -STOP "$CHOPIN_TEST_PID"
start=$(now_ms)
expect_check "server hung while connecting, -t 2: UNKNOWN" 3 \
	'^RAID UNKNOWN - .*(within 2 s|timeout|Lost connection|lost connection)' check_chopin_raid -H SRV01 -t 2
elapsed=$(($(now_ms) - start))
kill -CONT "$CHOPIN_TEST_PID"
if [ "$elapsed" -ge 1500 ] && [ "$elapsed" -le 3500 ]; then
	tap_pass "-t 2 bounds a hung connect: ${elapsed} ms"
else
	tap_fail "-t 2 bounds a hung connect" "took ${elapsed} ms"
fi

# A table lock held by another session: the query waits, -t ends it.
fixture "INSERT INTO hosts (host_id, name, machine_type, first_seen) VALUES (2, 'LOCKED', 'physical', UTC_TIMESTAMP(6))"
"$MYSQL_CLIENT" --no-defaults --socket="$CHOPIN_TEST_SOCKET" --user=root chopin \
	-e "LOCK TABLES devices WRITE; SELECT SLEEP(30)" >/dev/null 2>&1 &
locker=$!
locker=$!
tries=50
while [ "$tries" -gt 0 ] && [ "$(chopin_sql -N -B -e "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%'")" != 1 ]; do
	sleep 0.1
	tries=$((tries - 1))
done
start=$(now_ms)
expect_check "query blocked by a table lock, -t 2: UNKNOWN" 3 '^RAID UNKNOWN - (no answer from the database within 2 s \(-t\) while querying|.*timeout|.*Lost connection)' \
	check_chopin_raid -H LOCKED -t 2
elapsed=$(($(now_ms) - start))
kill "$locker" 2>/dev/null
wait "$locker" 2>/dev/null
if [ "$elapsed" -ge 1500 ] && [ "$elapsed" -le 3500 ]; then
	tap_pass "-t 2 bounds a blocked query: ${elapsed} ms"
else
	tap_fail "-t 2 bounds a blocked query" "took ${elapsed} ms"
fi

tap_done
