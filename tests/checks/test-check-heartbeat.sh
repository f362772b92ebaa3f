#!/bin/sh
# check_chopin_heartbeat black-box: heartbeat age vs -w/-c and defaults, inactive hosts, reboots and shutdowns.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/checks/checks-test-lib.sh"

tap_plan 18
checks_test_start
checkpoint_age 10

# host NAME ID STATUS AGE_SECONDS|NULL INTERVAL
host() {
	if [ "$4" = NULL ]; then beat=NULL; else beat="UTC_TIMESTAMP(6) - INTERVAL $4 SECOND"; fi
	fixture "INSERT INTO hosts (host_id, name, status, last_heartbeat, heartbeat_interval_s,
		boot_time, agent_version, first_seen)
		VALUES ($2, '$1', '$3', $beat, $5, UTC_TIMESTAMP(6) - INTERVAL 30 DAY, '1.4.2',
		UTC_TIMESTAMP(6) - INTERVAL 60 DAY)"
}

host HBOK 1 active 30 60
expect_check "fresh heartbeat, default thresholds 2x/3x interval: OK" 0 \
	'^Heartbeat OK - HBOK: last heartbeat 3[0-9] s ago' check_chopin_heartbeat -H HBOK
expect_line "perfdata age with default thresholds, uptime" '\| age=3[0-9]s;120;180;0 uptime=259[0-9]{4}s;;;0$'
expect_line "long output: status, interval, thresholds, agent" \
	'^status active, heartbeat interval 60 s, thresholds warning 120 s, critical 180 s, agent 1.4.2$'
tap_unlike "$CHECK_OUT" 'recent reboot' "a 30-day-old boot is not a recent reboot"

host HBLATE 2 active 300 60
expect_check "300 s old with -w 60 -c 600: WARNING" 1 '^Heartbeat WARNING - HBLATE: last heartbeat 30[0-9] s ago' \
	check_chopin_heartbeat -H HBLATE -w 60 -c 600
expect_line "perfdata carries the given thresholds" 'age=30[0-9]s;60;600;0'
expect_check "300 s old with -w 60 -c 200: CRITICAL" 2 '^Heartbeat CRITICAL - HBLATE' \
	check_chopin_heartbeat -H HBLATE -w 60 -c 200
expect_check "300 s old with -w 400 -c 600: OK" 0 '^Heartbeat OK - HBLATE' \
	check_chopin_heartbeat -H HBLATE -w 400 -c 600
expect_check "default thresholds: 300 s > 3 intervals of 60 s: CRITICAL" 2 '^Heartbeat CRITICAL - HBLATE' \
	check_chopin_heartbeat -H HBLATE

host HBGONE 3 inactive 4000 60
expect_check "inactive host: CRITICAL even with huge thresholds" 2 \
	'^Heartbeat CRITICAL - HBGONE: inactive \(marked by the correlator\), last heartbeat 400[0-9] s ago' \
	check_chopin_heartbeat -H HBGONE -w 100000 -c 200000
host HBNEVER 4 unknown NULL 60
expect_check "no heartbeat ever: CRITICAL, no age perfdata" 2 '^Heartbeat CRITICAL - HBNEVER: no heartbeat ever received \| uptime=' \
	check_chopin_heartbeat -H HBNEVER

host HBBOOT 5 active 20 60
fixture "UPDATE hosts SET boot_time = UTC_TIMESTAMP(6) - INTERVAL 2 HOUR,
	last_shutdown_at = UTC_TIMESTAMP(6) - INTERVAL 3 HOUR, last_shutdown_kind = 'unexpected'
	WHERE host_id = 5"
fixture "INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, level, message)
	VALUES (5, UTC_TIMESTAMP(6) - INTERVAL 2 HOUR, UTC_TIMESTAMP(6), 'System', 'EventLog', 6008, 'error',
	'The previous system shutdown was unexpected.'),
	(5, UTC_TIMESTAMP(6) - INTERVAL 2 HOUR, UTC_TIMESTAMP(6), 'System', 'Disk', 7, 'error', 'bad block'),
	(5, UTC_TIMESTAMP(6) - INTERVAL 30 DAY, UTC_TIMESTAMP(6), 'System', 'EventLog', 6006, 'information',
	'old clean stop'),
	(5, UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, UTC_TIMESTAMP(6), 'System', 'EventLog', 6005, 'information',
	'The Event log service was started.')"
# The correlator copies the starts and stops to start_stop_events (tests/correlator checks
# that it does); the check reads them there.
fixture "INSERT INTO start_stop_events (host_id, event_time, source, event_id, message)
	SELECT host_id, event_time, source, event_id, LEFT(message, 160) FROM events
	WHERE host_id = 5 AND source = 'EventLog'"
expect_check "recent reboot does not change the state" 0 '^Heartbeat OK - HBBOOT' check_chopin_heartbeat -H HBBOOT
expect_line "recent reboot in long output" '^recent reboot: booted [0-9-]+ [0-9:]+ UTC, up 0 d 02 h'
expect_line "unexpected shutdown in long output" '^UNEXPECTED shutdown at '
expect_line "event 6008 listed" '^event [0-9-]+ [0-9:]+ UTC EventLog 6008: The previous system shutdown was unexpected\.'
tap_unlike "$CHECK_OUT" 'bad block|old clean stop' "other events and events outside the window are not listed"
tap_is "$(printf '%s\n' "$CHECK_OUT" | sed -n 's/^event .* EventLog \([0-9]*\):.*/\1/p' | tr '\n' ' ')" "6005 6008 " \
	"events newest first"

expect_check "bad range: UNKNOWN" 3 '^Heartbeat UNKNOWN - warning threshold: invalid range' \
	check_chopin_heartbeat -H HBOK -w 10:x

tap_done
