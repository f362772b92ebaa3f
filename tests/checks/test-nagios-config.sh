#!/bin/sh
# nagios-config/ proven with the real engines: generator output, nagios4 -v, icinga2 daemon -C, and a live Nagios 4 run.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/checks/checks-test-lib.sh"
. "$top_srcdir/tests/checks/nagios-test-lib.sh"

ICINGA2=${ICINGA2:-$(PATH=$PATH:/usr/sbin command -v icinga2 || :)}
GENERATOR=$top_srcdir/tools/chopin-nagios-hosts
ICINGA_SRC=$top_srcdir/nagios-config/icinga2

tap_plan 16
tap_require_tool "$NAGIOS" "nagios4 (Debian package nagios4-core)"
tap_require_tool "$ICINGA2" "icinga2 (Debian packages icinga2-bin, icinga2-common)"
checks_test_start
checkpoint_age 5

fixture "INSERT INTO hosts (host_id, name, machine_type, status, last_heartbeat, heartbeat_interval_s, first_seen) VALUES
	(1, 'CERNVS08', 'physical', 'active', UTC_TIMESTAMP(6), 60, UTC_TIMESTAMP(6)),
	(2, 'VMAPP003', 'virtual', 'inactive', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, 60, UTC_TIMESTAMP(6)),
	(3, 'XLDAP01', 'physical', 'active', UTC_TIMESTAMP(6), 60, UTC_TIMESTAMP(6)),
	(4, 'bad name;rm', 'physical', 'active', UTC_TIMESTAMP(6), 60, UTC_TIMESTAMP(6))"
fixture "INSERT INTO host_tags (host_id, tag) VALUES (1, 'site-meyrin'), (1, 'role/file server'),
	(2, 'site-meyrin'), (3, 'ldap')"
fixture "INSERT INTO devices (host_id, kind, address, serial, state, first_seen, last_seen) VALUES
	(1, 'vd', 'c0/v0', NULL, 'Dgrd', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
	(1, 'pd', 'c0/e252/s0', '3SJ0HW5Q', 'UBad', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
	(3, 'vd', 'c0/v0', NULL, 'Optl', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
fixture "INSERT INTO updates (host_id, pending_count, last_success, updated_at) VALUES
	(1, 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)), (2, 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
	(3, 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"

# --- the generator, as the read-only account -------------------------------------------------
gen() {
	"$GENERATOR" --client="$MYSQL_CLIENT" --defaults-file="$CHECKS_DIR/reader.cnf" "$@"
}
tap_run "generator writes Nagios hosts" gen --format=nagios --output="$CHECKS_DIR/hosts.cfg"
hosts_cfg=$(cat "$CHECKS_DIR/hosts.cfg" 2>/dev/null)
tap_like "$hosts_cfg" '^    hostgroups  \+chopin-tag-role_file_server,chopin-tag-site-meyrin$' "tags become hostgroups"
tap_like "$TAP_OUTPUT" 'skipping host with an unusable name: bad name;rm' "unusable host names are skipped with a warning"
tap_is "$(grep -c '^define host {' "$CHECKS_DIR/hosts.cfg")" 3 "one host per usable row"
tap_run "generator writes Icinga 2 hosts" gen --format=icinga2 --output="$CHECKS_DIR/hosts.conf"
tap_like "$(cat "$CHECKS_DIR/hosts.conf")" '^  groups \+= \[ "chopin-tag-ldap" \]$' "Icinga 2 hosts join tag groups"

# --- nagios4 -v ---------------------------------------------------------------------------------
NDIR=$CHECKS_DIR/nagios
# shellcheck disable=SC2086 # the object list is split on purpose
nagios_main "$NDIR" "$CHECKS_CONF" $NAGIOS_OBJECTS "$CHECKS_DIR/hosts.cfg"
tap_run "nagios4 -v accepts our objects and the generated hosts" "$NAGIOS" -v "$NDIR/nagios.cfg"
tap_like "$TAP_OUTPUT" '^Total Errors: +0$' "nagios4 -v: no errors"
tap_like "$TAP_OUTPUT" 'Checked 6 service dependencies' "nagios4 -v: RAID and Updates depend on Heartbeat on each host"

# The validation can fail: a dependency on a service no host has.
printf 'define servicedependency {\n  host_name CERNVS08\n  service_description NoSuchService\n  dependent_service_description RAID\n}\n' \
	>"$CHECKS_DIR/broken.cfg"
# shellcheck disable=SC2086
nagios_main "$CHECKS_DIR/nagios-broken" "$CHECKS_CONF" $NAGIOS_OBJECTS "$CHECKS_DIR/hosts.cfg" \
	"$CHECKS_DIR/broken.cfg"
tap_run_fails "nagios4 -v rejects a broken dependency (the test can fail)" "$NAGIOS" -v "$CHECKS_DIR/nagios-broken/nagios.cfg"

# --- icinga2 daemon -C, in its own directories, not the system service ----------------------
# icinga_check DIR FILES...: validate a main icinga2.conf including FILES.
icinga_check() {
	icinga_dir=$1
	shift
	mkdir -p "$icinga_dir/data" "$icinga_dir/log" "$icinga_dir/cache" "$icinga_dir/spool" "$icinga_dir/run"
	{
		printf 'include <itl>\nconst PluginDir = "%s"\n' "$CHECKS_BIN"
		for icinga_file in "$@"; do
			printf 'include "%s"\n' "$icinga_file"
		done
	} >"$icinga_dir/icinga2.conf"
	"$ICINGA2" daemon -C -c "$icinga_dir/icinga2.conf" -DDataDir="$icinga_dir/data" \
		-DLogDir="$icinga_dir/log" -DCacheDir="$icinga_dir/cache" -DSpoolDir="$icinga_dir/spool" \
		-DInitRunDir="$icinga_dir/run" -DRunAsUser="$(id -un)" -DRunAsGroup="$(id -gn)"
}
tap_run "icinga2 daemon -C accepts our objects and the generated hosts" icinga_check "$CHECKS_DIR/icinga" \
	"$ICINGA_SRC/chopin-commands.conf" "$ICINGA_SRC/chopin-services.conf" \
	"$ICINGA_SRC/chopin-notifications.conf" "$CHECKS_DIR/hosts.conf"
tap_like "$TAP_OUTPUT" 'Instantiated 6 Dependencies' "icinga2: RAID and Updates depend on Heartbeat on each host"
printf 'object Service "RAID" {\n  host_name = "NOSUCHHOST"\n  check_command = "chopin-raid"\n}\n' >"$CHECKS_DIR/broken.conf"
tap_run_fails "icinga2 daemon -C rejects a service on an unknown host (the test can fail)" icinga_check \
	"$CHECKS_DIR/icinga-broken" "$ICINGA_SRC/chopin-commands.conf" "$ICINGA_SRC/chopin-services.conf" \
	"$ICINGA_SRC/chopin-notifications.conf" "$CHECKS_DIR/hosts.conf" "$CHECKS_DIR/broken.conf"

# --- a live Nagios 4 runs our plugins against the fixture database ----------------------------
"$NAGIOS" "$NDIR/nagios.cfg" >"$NDIR/stdout.log" 2>&1 &
nagios_pid=$!
trap 'kill "$nagios_pid" 2>/dev/null; wait "$nagios_pid" 2>/dev/null; checks_test_cleanup' EXIT
service_state() { nagios_service_state "$NDIR" "$1" "$2"; }
tries=120
while [ "$tries" -gt 0 ]; do
	if [ "$(service_state CERNVS08 RAID)" = 2/1 ] && [ -s "$NDIR/chopin-notifications.log" ] &&
		[ -n "$(service_state XLDAP01 RAID)" ] && [ -n "$(service_state VMAPP003 Heartbeat)" ]; then
		break
	fi
	sleep 0.5
	tries=$((tries - 1))
done
tap_is "$(service_state CERNVS08 RAID)" 2/1 "live Nagios: CERNVS08 RAID is CRITICAL (hard)"
tap_like "$(cat "$NDIR/chopin-notifications.log" 2>/dev/null)" \
	'PROBLEM CERNVS08/RAID CRITICAL to chopin-oncall: RAID CRITICAL - CERNVS08: VD c0/v0 degraded' \
	"live Nagios: the notification command wrote the CRITICAL to its file"
tap_is "$(service_state XLDAP01 RAID | cut -d/ -f1)/$(service_state VMAPP003 Heartbeat | cut -d/ -f1)" 0/2 \
	"live Nagios: XLDAP01 RAID OK, inactive VMAPP003 Heartbeat CRITICAL"
if [ "$tries" -le 0 ]; then
	tap_diag_file "$NDIR/nagios.log" 30
fi

tap_done
