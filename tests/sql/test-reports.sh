#!/bin/sh
# The SQL reports in sql/reports/ return the hand-computed rows on the fixture fleet, as the read-only account.
#
# tests/data/sql/reports-fixture.sql says how each expected number was worked out; the
# expected outputs are tests/data/sql/expected/reports/*.tsv.  The clock is pinned (SET
# timestamp moves UTC_TIMESTAMP() on both engines), so the default periods are fixed too.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

REPORTS_DIR=$SQL_DIR/reports
EXPECTED_DIR=$DATA_DIR/expected/reports
REPORTS='host-availability raid-incidents-per-month top-failing-drive-models pd-mtbf
updates-pending-too-long os-end-of-support'
CLOCK="SET time_zone = '+00:00'; SET timestamp = UNIX_TIMESTAMP('2026-08-01 12:00:00');"
PERIOD="SET @from = '2026-01-01', @to = '2026-07-01';"
R_PW='reader pw'

# expected output|report|parameters (SQL run before the report)|what it shows
CASES="host-availability-day|host-availability|SET @from = '2026-07-01', @to = '2026-07-02';|availability over one day: straddling, open, overlapping, touching, late-joining outages
host-availability-to-now|host-availability|SET @from = '2026-07-31 12:00', @to = '2026-08-02';|availability: a period past now ends now
host-availability-defaults|host-availability||availability with the defaults: the last 30 whole days
raid-incidents-period|raid-incidents-per-month|SET @from = '2025-11-15', @to = '2026-08-01';|RAID incidents per month, a month without any, month boundaries
raid-incidents-defaults|raid-incidents-per-month||RAID incidents with the defaults: 12 months up to this one
top-models-period|top-failing-drive-models|$PERIOD|top failing models: ticket, device and unknown models, ties share a rank
top-models-top3|top-failing-drive-models|$PERIOD SET @top = 3;|top failing models: @top = 3 keeps the tie at rank 1 and rank 3
top-models-rules|top-failing-drive-models|$PERIOD SET @top = 1, @pd_failure_rules = 'pd-failed, pd-predictive-failure';|top failing models: a second failure rule makes a three-way tie
top-models-defaults|top-failing-drive-models||top failing models with the defaults: the last year
pd-mtbf-period|pd-mtbf|$PERIOD|MTBF: fleet and per model, intervals and drive hours
pd-mtbf-defaults|pd-mtbf||MTBF with the defaults: the last year up to now
updates-defaults|updates-pending-too-long||updates pending longer than 30 days: each basis, the 30-day boundary
updates-60-days|updates-pending-too-long|SET @days = 60;|updates pending longer than 60 days
os-eos-defaults|os-end-of-support||OS end of support: past, within 180 days, explicit link, unknown
os-eos-as-of|os-end-of-support|SET @as_of = '2027-01-12', @days = 0, @include_unknown = 0;|OS end of support as of the day 2016 ends, unknown hosts left out"

# report|parameters|the error message expected
BAD_CASES="host-availability|SET @from = '2026-02-30';|@from is not a date: 2026-02-30
raid-incidents-per-month|SET @to = 'soon';|@to is not a date: soon
pd-mtbf|SET @from = '2026-08-01', @to = '2026-07-01';|@from is not before @to
top-failing-drive-models|SET @top = 'ten';|@top is not a whole number: ten
updates-pending-too-long|SET @days = -1;|@days is not a whole number: -1
os-end-of-support|SET @include_unknown = 2;|@include_unknown is not 0 or 1: 2"

n_reports=$(printf '%s\n' $REPORTS | wc -l)
n_cases=$(printf '%s\n' "$CASES" | wc -l)
n_bad=$(printf '%s\n' "$BAD_CASES" | wc -l)
tap_plan $((4 + n_cases + n_bad + 3 * n_reports))

# The source checks need no server.
for report in $REPORTS; do
	file=$REPORTS_DIR/$report.sql
	missing=
	for section in '^-- Answers' '^-- Run' '^-- Parameters' '^-- Columns'; do
		grep -q -- "$section" "$file" 2>/dev/null || missing="$missing ${section#^-- }"
	done
	tap_is "$missing" "" "$report.sql: header says what it answers, how to run it, parameters, columns"
done
# UTC_TIMESTAMP()/UTC_DATE() only: NOW(), CURDATE() and friends follow the session time zone.
hits=$(sed 's/--.*//' "$REPORTS_DIR"/*.sql |
	grep -Ein '(^|[^A-Za-z0-9_])(NOW|CURDATE|CURTIME|SYSDATE|LOCALTIME|LOCALTIMESTAMP|UNIX_TIMESTAMP|FROM_UNIXTIME|CONVERT_TZ)[[:space:]]*\(|CURRENT_(DATE|TIME|TIMESTAMP)' || :)
tap_is "$hits" "" "the reports read only the UTC clock"

sql_test_require_setup
sql_test_start
out=$(mktemp -d "${TMPDIR:-/tmp}/chopin-reports.XXXXXX") || tap_bail "mktemp failed"
trap 'rm -rf "$out"; chopin_db_stop' EXIT

setup_database() {
	CHOPIN_READER_PASSWORD=$R_PW
	CHOPIN_WRITER_PASSWORD='writer pw'
	export CHOPIN_READER_PASSWORD CHOPIN_WRITER_PASSWORD
	sql_test_setup --quiet
}
load_fixture() {
	chopin_sql chopin <"$DATA_DIR/reports-fixture.sql"
}
tap_run "chopin-db-setup creates the database and the accounts" setup_database ||
	tap_bail "no database, nothing to test"
tap_run "fixture loads" load_fixture || tap_bail "no fixture, nothing to test"
tap_is "$(chopin_sql_as chopin_reader "$R_PW" -N -B chopin -e 'SELECT COUNT(*) FROM alarms' 2>&1)" 33 \
	"the read-only account sees the fixture"

# run_as_is REPORT: the file alone on the client's input, as a reporter would run it.
run_as_is() {
	chopin_sql_as chopin_reader "$R_PW" chopin <"$REPORTS_DIR/$1.sql"
}

# run_report REPORT PRELUDE [CLIENT ARGS...]: the report as the read-only account, after PRELUDE.
run_report() {
	run_report_file=$REPORTS_DIR/$1.sql
	run_report_prelude=$2
	shift 2
	{
		printf '%s\n' "$run_report_prelude"
		cat "$run_report_file"
	} | chopin_sql_as chopin_reader "$R_PW" --batch "$@" chopin
}

old_ifs=$IFS
IFS='
'
for entry in $CASES; do
	IFS=$old_ifs
	expected=${entry%%|*}
	rest=${entry#*|}
	report=${rest%%|*}
	rest=${rest#*|}
	params=${rest%%|*}
	what=${rest#*|}
	run_report "$report" "$CLOCK $params" >"$out/$expected.tsv" 2>&1
	tap_files_equal "$out/$expected.tsv" "$EXPECTED_DIR/$expected.tsv" "$what"
done
IFS='
'
for entry in $BAD_CASES; do
	IFS=$old_ifs
	report=${entry%%|*}
	rest=${entry#*|}
	params=${rest%%|*}
	message=${rest#*|}
	if run_report "$report" "$CLOCK $params" >"$out/bad.txt" 2>&1; then
		tap_fail "$report.sql refuses '$params'" "it succeeded:" "$(cat "$out/bad.txt")"
	elif grep -Fq -- "bad report parameter" "$out/bad.txt" && grep -Fq -- "$message" "$out/bad.txt"; then
		tap_pass "$report.sql refuses '$params' with an error naming it"
	else
		tap_fail "$report.sql refuses '$params' with an error naming it" "$(cat "$out/bad.txt")"
	fi
done
IFS=$old_ifs

for report in $REPORTS; do
	tap_run "$report.sql runs as is (mariadb chopin < $report.sql, today's clock)" \
		run_as_is "$report"
	# MySQL 8 connects with utf8mb4_0900_ai_ci, MariaDB with utf8mb4_general_ci; the
	# tables use utf8mb4_unicode_ci.  A string parameter compared with a column without an
	# explicit collation is an "Illegal mix of collations" on the engine whose connection
	# collation differs: run under a third one.
	case $report in
	host-availability) expected=host-availability-defaults ;;
	raid-incidents-per-month) expected=raid-incidents-defaults ;;
	top-failing-drive-models) expected=top-models-defaults ;;
	pd-mtbf) expected=pd-mtbf-defaults ;;
	updates-pending-too-long) expected=updates-defaults ;;
	os-end-of-support) expected=os-eos-defaults ;;
	esac
	run_report "$report" "SET NAMES utf8mb4 COLLATE utf8mb4_bin; $CLOCK" >"$out/bin.tsv" 2>&1
	tap_files_equal "$out/bin.tsv" "$EXPECTED_DIR/$expected.tsv" \
		"$report.sql gives the same rows whatever the connection's collation"
done
tap_done
