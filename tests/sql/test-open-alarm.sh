#!/bin/sh
# At most one open alarm per rule+host+key: a second open insert fails, clearing allows a new one.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

# alarm_sql SQL: run SQL in the test database; the client exits non-zero on an error.
alarm_sql() {
	chopin_sql -N -B chopin -e "$1"
}

# open_alarm RULE HOST_ID KEY: insert an open alarm.
open_alarm() {
	alarm_sql "INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, text, first_seen, last_seen)
		VALUES ('$1', $2, '$3', 'RAID', 'critical', 'test alarm', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
}

tap_plan 14
sql_test_start
tap_run "schema loads" sql_test_load_schema chopin || tap_bail "no schema"
alarm_sql "INSERT INTO hosts (host_id, name, first_seen) VALUES
	(1, 'RAIDSRV01', UTC_TIMESTAMP(6)), (2, 'RAIDSRV02', UTC_TIMESTAMP(6))" ||
	tap_bail "cannot insert hosts"

tap_run "an open alarm is accepted" open_alarm vd-degraded 1 c0/v0
tap_run_fails "a second open alarm for the same rule+host+key is refused" open_alarm vd-degraded 1 c0/v0
tap_like "$TAP_OUTPUT" 'Duplicate entry|1062' "the refusal is a duplicate-key error"
tap_run "same rule+host, another key: accepted" open_alarm vd-degraded 1 c0/v1
tap_run "same rule+key, another host: accepted" open_alarm vd-degraded 2 c0/v0
tap_run "same host+key, another rule: accepted" open_alarm pd-failed 1 c0/v0
tap_run "key matching is exact (C0/V0 is another key)" open_alarm vd-degraded 1 C0/V0

tap_run "clearing the open alarm works" alarm_sql \
	"UPDATE alarms SET state = 'cleared', cleared_at = UTC_TIMESTAMP(6), cleared_by = 'vd-optimal'
	 WHERE rule_name = 'vd-degraded' AND host_id = 1 AND alarm_key = 'c0/v0' AND state = 'open'"
tap_run "after clearing, a new open alarm for the key is accepted" open_alarm vd-degraded 1 c0/v0
alarm_sql "UPDATE alarms SET state = 'cleared' WHERE rule_name = 'vd-degraded' AND host_id = 1
	AND alarm_key = 'c0/v0' AND state = 'open'"
tap_is "$(alarm_sql "SELECT COUNT(*) FROM alarms WHERE rule_name = 'vd-degraded' AND host_id = 1
	AND alarm_key = 'c0/v0' AND state = 'cleared'")" 2 "cleared alarms with the same key coexist"
open_alarm vd-degraded 1 c0/v0 >/dev/null 2>&1 || tap_diag "could not reopen for the next test"
tap_run_fails "re-opening an old cleared alarm while another is open is refused" alarm_sql \
	"UPDATE alarms SET state = 'open' WHERE rule_name = 'vd-degraded' AND host_id = 1
	 AND alarm_key = 'c0/v0' AND state = 'cleared' ORDER BY alarm_id LIMIT 1"
tap_run_fails "writing open_flag = NULL does not bypass the constraint" alarm_sql \
	"INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, text, first_seen, last_seen, open_flag)
	 VALUES ('vd-degraded', 1, 'c0/v0', 'RAID', 'critical', 't', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), NULL)"
tap_is "$(alarm_sql "SELECT COUNT(*) FROM v_open_alarms")" 5 "v_open_alarms shows the five open alarms"
tap_done
