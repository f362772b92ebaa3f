#!/bin/sh
# check_chopin_raid black-box: exit code, status line, long output and perfdata for every RAID state.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/checks/checks-test-lib.sh"

tap_plan 27
checks_test_start
checkpoint_age 10

# host NAME ID [machine_type]
host() {
	fixture "INSERT INTO hosts (host_id, name, machine_type, status, first_seen)
		VALUES ($2, '$1', '${3:-physical}', 'active', UTC_TIMESTAMP(6))"
}
# device HOST_ID KIND ADDRESS STATE [SERIAL] [ATTRIBUTES] [REMOVED]
device() {
	fixture "INSERT INTO devices (host_id, kind, address, model, serial, size_mib, state, status,
		attributes, first_seen, last_seen, removed)
		VALUES ($1, '$2', '$3', 'ST3300657SS', NULLIF('${5:-}', ''), 285568, '$4', 'unknown',
		NULLIF('${6:-}', ''), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), ${7:-0})"
}
# healthy HOST_ID: a controller, battery, RAID1 VD and two online drives
healthy() {
	device "$1" controller c0 Optimal 09T0022
	device "$1" battery c0/bbu Optimal
	device "$1" vd c0/v0 Optl
	device "$1" pd c0/e252/s0 Onln SER0A
	device "$1" pd c0/e252/s1 Onln SER1A
}

host RAIDOK 1
healthy 1
expect_check "healthy host: OK" 0 '^RAID OK - RAIDOK: 1 VD and 2 PD healthy' check_chopin_raid -H RAIDOK
expect_line "OK perfdata on the status line" \
	'^RAID OK - .* \| vd_ok=1;;;0 vd_warning=0;;;0 vd_critical=0;;;0 pd_ok=2;;;0 pd_warning=0;;;0 pd_critical=0;;;0 media_errors=0c;;;0'
expect_line "long output lists the PD with slot and serial" '^\[OK\] PD c0/e252/s1 slot 252:1: Onln \(online\), serial SER1A'
expect_check "host name matched regardless of case, canonical name printed" 0 '^RAID OK - RAIDOK:' \
	check_chopin_raid -H raidok

host RAIDDGRD 2
device 2 controller c0 'Needs Attention'
device 2 vd c0/v0 Dgrd
device 2 pd c0/e252/s0 UBad 3SJ0HW5Q 'media_errors=87
other_errors=10
predictive_failures=1'
device 2 pd c0/e252/s1 Onln SER1B
expect_check "degraded VD and failed PD: CRITICAL" 2 \
	'^RAID CRITICAL - RAIDDGRD: .*VD c0/v0 degraded.*PD 252:0 failed' check_chopin_raid -H RAIDDGRD
expect_line "replacement line names host, slot, serial, model, size" \
	'replace drive: host RAIDDGRD, controller slot 252:0 \(c0/e252/s0\), serial 3SJ0HW5Q, model ST3300657SS, size 285568 MiB'
expect_line "error counters in perfdata" 'media_errors=87c;;;0 other_errors=10c;;;0 predictive_failures=1;;;0'
expect_line "counts by state" 'vd_critical=1;;;0 pd_ok=1;;;0 pd_warning=0;;;0 pd_critical=1;;;0'

host RAIDOFLN 3
device 3 vd c0/v0 OfLn
expect_check "offline VD: CRITICAL" 2 '^RAID CRITICAL - RAIDOFLN: VD c0/v0 offline' check_chopin_raid -H RAIDOFLN

host RAIDRBLD 4
device 4 vd c0/v0 Pdgd
device 4 pd c0/e252/s0 Rbld SER0D
device 4 pd c0/e252/s1 Onln SER1D
expect_check "partially degraded VD, rebuilding PD: WARNING" 1 \
	'^RAID WARNING - RAIDRBLD: VD c0/v0 partially degraded, PD 252:0 rebuilding' check_chopin_raid -H RAIDRBLD

host RAIDPRED 5
device 5 vd c0/v0 Optl
device 5 pd c0/e252/s0 Onln SER0E 'predictive-failures=2
media-errors=5'
expect_check "predictive failure: WARNING" 1 '^RAID WARNING - RAIDPRED: PD 252:0 predictive failure' \
	check_chopin_raid -H RAIDPRED
expect_line "predictive count in long output" 'predictive failures 2, media errors 5'

host RAIDBBU 6
device 6 vd c0/v0 Optl
device 6 battery c0/bbu Failed
expect_check "battery problem: WARNING" 1 '^RAID WARNING - RAIDBBU: battery c0/bbu battery problem' \
	check_chopin_raid -H RAIDBBU

host RAIDCACHE 7
device 7 controller c0 'Cache Disabled'
device 7 vd c0/v0 Optl
expect_check "controller/cache problem: WARNING" 1 '^RAID WARNING - RAIDCACHE: controller c0 controller or cache problem' \
	check_chopin_raid -H RAIDCACHE

host RAIDMISS 8
device 8 vd c0/v0 Optl
device 8 pd c0/e252/s0 Onln SER0H
device 8 pd c0/e252/s1 Onln SER1H '' 1
expect_check "PD missing from the latest inventory: CRITICAL" 2 '^RAID CRITICAL - RAIDMISS: PD 252:1 missing' \
	check_chopin_raid -H RAIDMISS

host RAIDALRM 9
healthy 9
fixture "INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, text, ticket_text,
	first_seen, last_seen) VALUES ('vd-degraded', 9, 'c0/v0', 'RAID', 'critical',
	'VD degraded, drive offline', 'Please replace the drive:\nmachine RAIDALRM\nslot 252:0\nserial 3SJ0HW5Q',
	UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
fixture "INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, state, text,
	first_seen, last_seen, cleared_at) VALUES ('pd-predictive-failure', 9, 'c0/e252/s1', 'RAID',
	'critical', 'cleared', 'cleared one', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
fixture "INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, text, first_seen,
	last_seen) VALUES ('vd-degraded', 9, 'x', 'Updates', 'critical', 'not RAID',
	UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
expect_check "open critical RAID alarm: CRITICAL" 2 '^RAID CRITICAL - RAIDALRM: 1 open alarm' \
	check_chopin_raid -H RAIDALRM
expect_line "alarm text and key in long output" '^\[CRITICAL\] alarm VD degraded, drive offline on c0/v0 \(1x\)'
expect_line "ticket text in long output" '^      serial 3SJ0HW5Q$'
tap_unlike "$CHECK_OUT" 'cleared one|not RAID' "cleared alarms and other services' alarms are ignored"
expect_line "alarm counts in perfdata" 'alarms_critical=1;;;0 alarms_warning=0;;;0'

host RAIDWALM 10
healthy 10
fixture "INSERT INTO alarms (rule_name, host_id, alarm_key, service, severity, text, first_seen,
	last_seen) VALUES ('pd-media-errors', 10, 'c0/e252/s0', 'RAID', 'warning',
	'PD media errors increasing', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
expect_check "open warning RAID alarm: WARNING" 1 '^RAID WARNING - RAIDWALM: 1 open alarm' \
	check_chopin_raid -H RAIDWALM

host VMHOST 11 virtual
expect_check "virtual machine without inventory: OK" 0 '^RAID OK - VMHOST: virtual machine' \
	check_chopin_raid -H VMHOST
host NOINV 12 physical
expect_check "physical host without inventory: UNKNOWN" 3 '^RAID UNKNOWN - NOINV: no RAID inventory' \
	check_chopin_raid -H NOINV

host RAIDODD 13
device 13 vd c0/v0 Weird
expect_check "unrecognised state: WARNING (never OK)" 1 'VD c0/v0 unrecognised state' \
	check_chopin_raid -H RAIDODD

fixture "UPDATE devices SET status = 'critical' WHERE host_id = 1 AND address = 'c0/v0'"
expect_check "the correlator's derived status critical wins" 2 '^RAID CRITICAL - RAIDOK' check_chopin_raid -H RAIDOK

expect_check "unknown host: UNKNOWN" 3 "^RAID UNKNOWN - host 'NOSUCH' is not known to Chopin" \
	check_chopin_raid -H NOSUCH
checkpoint_age 3600
expect_check "stale pipeline beats a CRITICAL: UNKNOWN" 3 '^RAID UNKNOWN - pipeline stale' \
	check_chopin_raid -H RAIDDGRD

tap_done
