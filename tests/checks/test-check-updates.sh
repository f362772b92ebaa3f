#!/bin/sh
# check_chopin_updates black-box: pending/security/failed updates, update age, OS end of support, -w/-c ranges.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/checks/checks-test-lib.sh"

tap_plan 25
checks_test_start
checkpoint_age 10

# Lifecycle rows relative to today, so the test does not age.
fixture "INSERT INTO os_lifecycle (os_lifecycle_id, os_pattern, product, mainstream_end, extended_end) VALUES
	(100, 'Test OS Far', 'Test OS Far', UTC_DATE() + INTERVAL 1000 DAY, UTC_DATE() + INTERVAL 2000 DAY),
	(101, 'Test OS Near', 'Test OS Near', UTC_DATE() - INTERVAL 100 DAY, UTC_DATE() + INTERVAL 30 DAY),
	(102, 'Test OS Past', 'Test OS Past', UTC_DATE() - INTERVAL 900 DAY, UTC_DATE() - INTERVAL 1 DAY)"

# host NAME ID LIFECYCLE_ID [OS_NAME]
host() {
	fixture "INSERT INTO hosts (host_id, name, os_name, os_lifecycle_id, status, first_seen)
		VALUES ($2, '$1', '${4:-Test OS}', $3, 'active', UTC_TIMESTAMP(6))"
}
# updates HOST_ID PENDING SECURITY FAILED SUCCESS_DAYS_AGO|NULL
updates() {
	if [ "$5" = NULL ]; then success=NULL; else success="UTC_TIMESTAMP(6) - INTERVAL $5 DAY"; fi
	fixture "INSERT INTO updates (host_id, last_search, pending_count, security_pending, failed_count,
		reboot_required, last_success, updated_at)
		VALUES ($1, UTC_TIMESTAMP(6), $2, $3, $4, 0, $success, UTC_TIMESTAMP(6))"
}

host UPDOK 1 100
updates 1 0 0 0 2
expect_check "up to date: OK" 0 '^Updates OK - UPDOK: up to date, last successful update 2 days ago' \
	check_chopin_updates -H UPDOK -w 5 -c 20
expect_line "perfdata with thresholds on pending" \
	'\| pending=0;5;20;0 security_pending=0;;;0 failed=0;;;0 days_since_success=2;;;0'
expect_line "end of support days in perfdata" 'eos_days_left=2000'
expect_check "no thresholds given: pending alone never alerts" 0 '^Updates OK' check_chopin_updates -H UPDOK

host UPDPEND 2 100
updates 2 12 3 0 1
fixture "INSERT INTO update_items (host_id, kb, title, kind, state, first_seen, last_seen) VALUES
	(2, 'KB5034439', '2024-01 Security Update', 'security', 'pending', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
	(2, 'KB0000001', 'Defender definitions', 'other', 'pending', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
	(2, 'KB0000002', 'already installed', 'other', 'installed', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
expect_check "12 pending over -w 5: WARNING" 1 '^Updates WARNING - UPDPEND: 12 pending \(3 security\)' \
	check_chopin_updates -H UPDPEND -w 5 -c 20
expect_line "security update listed first" '^    pending KB5034439 \(security\): 2024-01 Security Update'
tap_unlike "$CHECK_OUT" 'KB0000002' "installed updates are not listed"
expect_check "12 pending over -c 10: CRITICAL" 2 '^Updates CRITICAL - UPDPEND: 12 pending' \
	check_chopin_updates -H UPDPEND -w 5 -c 10
expect_check "12 pending within -w 20 -c 30: OK" 0 '^Updates OK - UPDPEND: 12 pending' \
	check_chopin_updates -H UPDPEND -w 20 -c 30
expect_check "range syntax @10:20 alerts inside" 1 '^Updates WARNING' \
	check_chopin_updates -H UPDPEND -w @10:20
expect_check "range syntax ~:5 alerts above 5" 2 '^Updates CRITICAL .*pending=12;;~:5;0' \
	check_chopin_updates -H UPDPEND -c '~:5'

host UPDFAIL 3 100
updates 3 0 0 2 3
fixture "INSERT INTO update_items (host_id, kb, title, kind, state, first_seen, last_seen) VALUES
	(3, 'KB5031361', 'Cumulative Update', 'security', 'failed', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
expect_check "failed installs: WARNING" 1 '^Updates WARNING - UPDFAIL: 2 failed installs' \
	check_chopin_updates -H UPDFAIL
expect_line "failed KB listed" '^    failed KB5031361 \(security\): Cumulative Update'

# 35 pending: 30 listed, security first then by KB, then "more"; 2 failed listed apart.
host UPDMANY 10 100
updates 10 35 1 2 1
fixture "INSERT INTO update_items (host_id, kb, title, kind, state, first_seen, last_seen)
	WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 35)
	SELECT 10, CONCAT('KB9', LPAD(i, 6, '0')), CONCAT('update ', i), IF(i = 35, 'security', 'other'),
	       'pending', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM n
	UNION ALL SELECT 10, 'KB8000002', 'failed two', 'other', 'failed', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
	UNION ALL SELECT 10, 'KB8000001', 'failed one', 'other', 'failed', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)"
run_check check_chopin_updates -H UPDMANY
tap_is "$(printf '%s\n' "$CHECK_OUT" | grep -c '^    pending KB9')" 30 "at most 30 pending updates listed"
tap_is "$(printf '%s\n' "$CHECK_OUT" | sed -n 's/^    \(pending\|failed\) \(KB[0-9]*\).*/\1 \2/p' | sed -n '1,4p;$p' | tr '\n' ' ')" \
	"failed KB8000001 failed KB8000002 pending KB9000035 pending KB9000001 pending KB9000029 " \
	"failed first, then pending: security first, then by KB"
expect_line "the rest announced" '^    \.\.\. more pending updates$'

host UPDOLD 4 100
updates 4 0 0 0 100
expect_check "last success 100 days ago: WARNING" 1 '^Updates WARNING - UPDOLD: last successful update 100 days ago' \
	check_chopin_updates -H UPDOLD
host UPDNEVER 5 100
updates 5 0 0 0 NULL
expect_check "never a successful update: WARNING, perfdata U" 1 'no successful update recorded.*days_since_success=U' \
	check_chopin_updates -H UPDNEVER

host UPDNEAR 6 101
updates 6 0 0 0 1
expect_check "OS near end of support: WARNING" 1 '^Updates WARNING - UPDNEAR: Test OS Near end of support in 30 days' \
	check_chopin_updates -H UPDNEAR
host UPDPAST 7 102
updates 7 0 0 0 1
expect_check "OS past end of support: CRITICAL" 2 '^Updates CRITICAL - UPDPAST: Test OS Past past end of support' \
	check_chopin_updates -H UPDPAST
host UPD2012 8 NULL 'Microsoft Windows Server 2012 R2 Standard'
updates 8 0 0 0 1
expect_check "os_name matched against the Microsoft lifecycle seed: CRITICAL" 2 'Windows Server 2012 R2 past end of support \(2023-10-10\)' \
	check_chopin_updates -H UPD2012

host NOUPD 9 100
expect_check "no update status yet: UNKNOWN" 3 '^Updates UNKNOWN - NOUPD: no Windows Update status' \
	check_chopin_updates -H NOUPD
expect_check "bad range: UNKNOWN" 3 '^Updates UNKNOWN - critical threshold: invalid range' \
	check_chopin_updates -H UPDOK -c 'abc'
expect_check "unknown host: UNKNOWN" 3 "^Updates UNKNOWN - host 'NOSUCH' is not known" \
	check_chopin_updates -H NOSUCH
checkpoint_age 3600
expect_check "stale pipeline: UNKNOWN" 3 '^Updates UNKNOWN - pipeline stale' check_chopin_updates -H UPDOK

tap_done
