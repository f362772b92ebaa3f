#!/bin/sh
# Every reporting view returns exactly the expected rows on the fixture fleet, with the clock pinned.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

# The fixture is absolute; the session clock is pinned (SET timestamp moves
# NOW() and UTC_TIMESTAMP() on both engines), so the views are deterministic.
CLOCK="SET time_zone = '+00:00'; SET timestamp = UNIX_TIMESTAMP('2026-08-01 12:00:00');"

# view|ORDER BY clause (the views themselves promise no order)
VIEWS='v_inactive_hosts|name
v_events_per_host_day|host, day
v_events_per_device_day|host, day, device_address, source, event_id
v_recent_config_changes|host, changed_at
v_pending_updates|host
v_hosts_past_eos|host
v_noisiest_hosts|noise_rank, host
v_open_alarms|alarm_id
v_host_overview|name'

tap_plan 11
sql_test_start
out=$(mktemp -d "${TMPDIR:-/tmp}/chopin-views.XXXXXX") || tap_bail "mktemp failed"
trap 'rm -rf "$out"; chopin_db_stop' EXIT

load_fixture() {
	chopin_sql chopin <"$DATA_DIR/fixture-views.sql"
}

tap_run "schema loads" sql_test_load_schema chopin || tap_bail "no schema, nothing to test"
tap_run "fixture loads" load_fixture || tap_bail "no fixture, nothing to test"

old_ifs=$IFS
IFS='
'
for entry in $VIEWS; do
	IFS=$old_ifs
	view=${entry%%|*}
	order=${entry#*|}
	chopin_sql --batch chopin -e "$CLOCK SELECT * FROM $view ORDER BY $order" \
		>"$out/$view.tsv" 2>&1
	tap_files_equal "$out/$view.tsv" "$DATA_DIR/expected/$view.tsv" "$view returns the expected rows"
done
IFS=$old_ifs
tap_done
