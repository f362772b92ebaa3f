#!/bin/bash
# End to end with Icinga 2: agents over SNMP, chopin-trapd, chopin-correlator, MariaDB, our plugins under the shipped objects, pages.
#
# The story is in tests/checks/e2e-test-lib.sh. An icinga2 daemon runs in a temporary
# directory (its DataDir, LogDir, ... given with -D) on nagios-config/icinga2/*.conf
# unchanged, with the checker, notification and external command features; PluginDir
# holds wrappers that give the plugins the test's configuration file. The shipped check
# intervals are minutes: forced checks through the command file drive every check. States
# are read from the daemon's log ("hard state change from ... to ...").
set -u
. "$top_srcdir/tests/harness/tap.sh"
. "$top_srcdir/tests/harness/mariadb.sh"
. "$top_srcdir/tests/trapd/trapd-lib.sh"
. "$top_srcdir/tests/checks/e2e-test-lib.sh"

ICINGA2=${ICINGA2:-$(PATH=$PATH:/usr/sbin command -v icinga2 || :)}
ICINGA_SRC=$top_srcdir/nagios-config/icinga2
ICINGA_PID=

# icinga COMMAND...: icinga2 with every path of its own inside $IDIR.
icinga() {
	"$ICINGA2" "$@" -c "$IDIR/icinga2.conf" -DDataDir="$IDIR/data" -DLogDir="$IDIR/log" \
		-DCacheDir="$IDIR/cache" -DSpoolDir="$IDIR/spool" -DInitRunDir="$IDIR/run" \
		-DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)"
}

engine_setup() {
	IDIR=$T/icinga
	PAGES=$IDIR/data/chopin-notifications.log
	mkdir -p "$IDIR/data" "$IDIR/log" "$IDIR/cache" "$IDIR/spool" "$IDIR/run" "$IDIR/plugins"
	tap_run "chopin-nagios-hosts writes the hosts from the database" "$GENERATOR" \
		--client="$MYSQL_CLIENT" --defaults-file="$T/reader.cnf" --format=icinga2 \
		--output="$IDIR/hosts.conf"
	for plugin in check_chopin_raid check_chopin_updates check_chopin_heartbeat; do
		printf '#!/bin/sh\nexec "%s" --config "%s" "$@"\n' "$top_builddir/checks/$plugin" \
			"$T/checks.conf" >"$IDIR/plugins/$plugin"
		chmod +x "$IDIR/plugins/$plugin"
	done
	cat >"$IDIR/icinga2.conf" <<CONF
include <itl>
const PluginDir = "$IDIR/plugins"
object CheckerComponent "checker" { }
object NotificationComponent "notification" { }
object ExternalCommandListener "command" { command_path = "$IDIR/icinga2.cmd" }
object FileLogger "main-log" { severity = "notice"; path = "$IDIR/icinga2.log" }
include "$ICINGA_SRC/chopin-commands.conf"
include "$ICINGA_SRC/chopin-services.conf"
include "$ICINGA_SRC/chopin-notifications.conf"
include "$IDIR/hosts.conf"
CONF
	tap_run "icinga2 daemon -C: no errors" icinga daemon -C
}

engine_start() {
	# its own process group: the daemon forks an umbrella and a worker process
	setsid "$ICINGA2" daemon -c "$IDIR/icinga2.conf" -DDataDir="$IDIR/data" -DLogDir="$IDIR/log" \
		-DCacheDir="$IDIR/cache" -DSpoolDir="$IDIR/spool" -DInitRunDir="$IDIR/run" \
		-DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)" >"$IDIR/stdout.log" 2>&1 &
	ICINGA_PID=$!
	for _ in $(seq 1 150); do
		[ -p "$IDIR/icinga2.cmd" ] && grep -q "'checker' started" "$IDIR/icinga2.log" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	tap_diag_file "$IDIR/stdout.log"
	tap_bail "Icinga 2 did not start"
}

engine_stop() {
	[ -n "$ICINGA_PID" ] || return 0
	kill -TERM -- "-$ICINGA_PID" 2>/dev/null
	for _ in $(seq 1 30); do
		kill -0 -- "-$ICINGA_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$ICINGA_PID" 2>/dev/null
	wait "$ICINGA_PID" 2>/dev/null
	ICINGA_PID=
}

engine_state() {
	sed -n "s/.*Checkable '$1!$2' \([a-z]*\) state change from [A-Z]* to \([A-Z]*\) detected.*/\2 \1/p" \
		"$IDIR/icinga2.log" 2>/dev/null | tail -n 1
}

engine_force() {
	timeout 5 sh -c 'printf "[%s] SCHEDULE_FORCED_SVC_CHECK;%s;%s;%s\n" "$3" "$1" "$2" "$3" >"$4"' \
		sh "$1" "$2" "$(date +%s)" "$IDIR/icinga2.cmd"
}

engine_notified() {
	grep -c "Sending .*'Problem' notification '$1!$2!" "$IDIR/icinga2.log"
}

engine_diag() {
	grep -v -e 'CheckerComponent: Pending' -e 'ExternalCommandListener' "$IDIR/icinga2.log" |
		tail -n 30 | sed 's/^/# /'
}

tap_plan "$E2E_TESTS"
tap_require_tool "$ICINGA2" "icinga2 (Debian packages icinga2-bin, icinga2-common)"
e2e_start
e2e_story
tap_done
