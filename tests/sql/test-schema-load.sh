#!/bin/sh
# schema.sql loads on an empty database; chopin-db-setup creates, re-runs idempotently and refuses foreign databases.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

TABLES='agent_instances
alarm_events
alarm_notifications
alarms
config_history
correlator_checkpoints
correlator_state
devices
events
host_tags
hosts
lost_trap_gaps
os_lifecycle
raid_snapshots
rules
schema_version
start_stop_events
trap_quarantine
update_items
updates'
VIEWS='v_events_per_device_day
v_events_per_host_day
v_host_overview
v_hosts_past_eos
v_inactive_hosts
v_noisiest_hosts
v_open_alarms
v_pending_updates
v_recent_config_changes'

# list_objects DB TYPE: sorted names of BASE TABLEs or VIEWs in DB.
list_objects() {
	chopin_sql -N -B -e "SELECT table_name FROM information_schema.tables
		WHERE table_schema = '$1' AND table_type = '$2'" | LC_ALL=C sort
}

# structure DB: table/column/index fingerprint, to prove a re-run changed nothing.
structure() {
	chopin_sql -N -B -e "SELECT table_name, column_name, column_type, is_nullable, collation_name
		FROM information_schema.columns WHERE table_schema = '$1' ORDER BY table_name, ordinal_position;
		SELECT table_name, index_name, seq_in_index, column_name, non_unique
		FROM information_schema.statistics WHERE table_schema = '$1'
		ORDER BY table_name, index_name, seq_in_index;
		SELECT version, description FROM \`$1\`.schema_version ORDER BY version;
		SELECT COUNT(*) FROM \`$1\`.os_lifecycle"
}

tap_plan 21
sql_test_require_setup
sql_test_start

# --- schema.sql on its own -------------------------------------------------
tap_run "schema.sql loads into an empty database" sql_test_load_schema chopin ||
	tap_bail "schema.sql does not load"
tap_is "$(list_objects chopin 'BASE TABLE')" "$TABLES" "all tables exist"
tap_is "$(list_objects chopin VIEW)" "$VIEWS" "all reporting views exist"
marker=$(sql_test_schema_marker)
tap_like "$marker" '^[0-9]+$' "schema.sql header carries chopin-schema-version"
tap_is "$(chopin_sql -N -B chopin -e 'SELECT MAX(version) FROM schema_version')" "$marker" \
	"schema_version holds the header's version"
tap_is "$(chopin_sql -N -B -e "SELECT COUNT(*) FROM information_schema.tables
	WHERE table_schema = 'chopin' AND table_type = 'BASE TABLE'
	AND (engine <> 'InnoDB' OR table_collation NOT LIKE 'utf8mb4%')")" 0 \
	"every table is InnoDB with a utf8mb4 default collation"
tap_is "$(chopin_sql -N -B -e "SELECT COUNT(*) FROM information_schema.columns
	WHERE table_schema = 'chopin' AND data_type IN ('datetime','timestamp') AND datetime_precision <> 6")" 0 \
	"every time column is DATETIME(6)"
tap_is "$(chopin_sql -N -B -e "SELECT COUNT(*) FROM information_schema.columns
	WHERE table_schema = 'chopin' AND data_type = 'timestamp'")" 0 \
	"no TIMESTAMP columns (session time zone conversions)"
tap_is "$(chopin_sql -N -B chopin -e "SELECT product, mainstream_end, extended_end FROM os_lifecycle ORDER BY product" | tr '\t' ' ')" \
"Windows Server 2008 2015-01-13 2020-01-14
Windows Server 2008 R2 2015-01-13 2020-01-14
Windows Server 2012 2018-10-09 2023-10-10
Windows Server 2012 R2 2018-10-09 2023-10-10
Windows Server 2016 2022-01-11 2027-01-12
Windows Server 2019 2024-01-09 2029-01-09
Windows Server 2022 2026-10-13 2031-10-14
Windows Server 2025 2029-11-13 2034-11-14" "os_lifecycle is seeded with Microsoft's dates"
tap_run_fails "schema.sql refuses to load over an existing schema" sh -c \
	'"$MYSQL_CLIENT" --no-defaults --socket="$CHOPIN_TEST_SOCKET" -uroot chopin <"$1"' sh "$SQL_DIR/schema.sql"

# --- chopin-db-setup -------------------------------------------------------
CHOPIN_WRITER_PASSWORD='writer-pw-1'
CHOPIN_READER_PASSWORD='reader-pw-1'
export CHOPIN_WRITER_PASSWORD CHOPIN_READER_PASSWORD

tap_run "chopin-db-setup --help exits 0" "$DB_SETUP" --help
tap_like "$TAP_OUTPUT" '--socket' "--help documents the options"
"$DB_SETUP" --frobnicate >/dev/null 2>&1
tap_is "$?" 2 "an unknown option is a usage error (exit 2)"

tap_run "chopin-db-setup creates and loads a new database" sql_test_setup --database=chopin_setup
first_output=$TAP_OUTPUT
tap_like "$first_output" 'loaded schema version' "first run reports the schema load"
before=$(structure chopin_setup)
tap_run "chopin-db-setup runs again on the same database" sql_test_setup --database=chopin_setup
tap_like "$TAP_OUTPUT" "is at schema version $marker" "second run finds the schema current"
tap_is "$(structure chopin_setup)" "$before" "second run changed no table, index, version or seed row"
tap_unlike "$first_output$TAP_OUTPUT" 'writer-pw-1|reader-pw-1' "passwords are never printed"

chopin_sql -e 'CREATE DATABASE foreign_db; CREATE TABLE foreign_db.t (i INT)'
tap_run_fails "chopin-db-setup refuses a non-Chopin database" sql_test_setup --database=foreign_db
(
	unset CHOPIN_WRITER_PASSWORD
	"$DB_SETUP" --no-defaults --socket="$CHOPIN_TEST_SOCKET" --admin-user=root \
		--client="$MYSQL_CLIENT" --sql-dir="$SQL_DIR" --database=chopin_nopw >/dev/null 2>&1
) && status=0 || status=$?
tap_is "$status" 1 "a missing account password is an error"
tap_done
