#!/bin/bash
# End to end with Nagios 4: agents over SNMP, chopin-trapd, chopin-correlator, MariaDB, our plugins under the shipped objects, pages.
#
# The story is in tests/checks/e2e-test-lib.sh. Nagios 4 runs nagios-config/nagios4/*.cfg
# unchanged: only paths and interval_length=1 in nagios.cfg differ from production
# (tests/checks/nagios-test-lib.sh), so the shipped intervals (Heartbeat every 2, RAID every
# 5, retries every 1, 3 attempts) are seconds; forced checks through the command file do
# the rest.
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"
. "$top_srcdir/tests/checks/nagios-test-lib.sh"
. "$top_srcdir/tests/checks/e2e-test-lib.sh"

NAGIOS_PID=

engine_setup() {
	NDIR=$T/nagios
	PAGES=$NDIR/chopin-notifications.log
	mkdir -p "$NDIR"
	tap_run "chopin-nagios-hosts writes the hosts from the database" "$GENERATOR" \
		--client="$MYSQL_CLIENT" --defaults-file="$T/reader.cnf" --format=nagios \
		--output="$NDIR/hosts.cfg"
	# shellcheck disable=SC2086 # the object list is split on purpose
	nagios_main "$NDIR" "$T/checks.conf" $NAGIOS_OBJECTS "$NDIR/hosts.cfg"
	tap_run "nagios4 -v: no errors" "$NAGIOS" -v "$NDIR/nagios.cfg"
}

engine_start() {
	"$NAGIOS" "$NDIR/nagios.cfg" >"$NDIR/stdout.log" 2>&1 &
	NAGIOS_PID=$!
	for _ in $(seq 1 100); do
		[ -p "$NDIR/nagios.cmd" ] && [ -s "$NDIR/status.dat" ] && return 0
		sleep 0.1
	done
	tap_diag_file "$NDIR/stdout.log"
	tap_bail "Nagios did not start"
}

engine_stop() {
	if [ -n "$NAGIOS_PID" ]; then
		kill "$NAGIOS_PID" 2>/dev/null
		wait "$NAGIOS_PID" 2>/dev/null
		NAGIOS_PID=
	fi
}

engine_state() {
	local state
	state=$(nagios_service_state "$NDIR" "$1" "$2") || return 0
	case $state in
	0/*) printf OK ;;
	1/*) printf WARNING ;;
	2/*) printf CRITICAL ;;
	*) printf UNKNOWN ;;
	esac
	case $state in
	*/1) printf ' hard' ;;
	*) printf ' soft' ;;
	esac
}

engine_force() {
	nagios_command "$NDIR" "SCHEDULE_FORCED_SVC_CHECK;$1;$2;$(date +%s)"
}

engine_notified() {
	nagios_service_field "$NDIR" "$1" "$2" current_notification_number
}

engine_diag() {
	tap_diag_file "$NDIR/nagios.log" 30
}

tap_plan "$E2E_TESTS"
tap_require_tool "$NAGIOS" "nagios4 (Debian package nagios4-core)"
e2e_start
e2e_story
tap_done
