# Shared by the Nagios 4 tests: a private main configuration around our objects, status.dat readers, external commands.
#
# nagios_main DIR PLUGIN_CONF OBJECT_FILES...: write DIR/nagios.cfg (everything under DIR,
#   interval_length=1, external commands on), DIR/resource.cfg ($USER1$ = DIR/plugins,
#   $USER2$ = DIR, where the shipped notification command writes chopin-notifications.log)
#   and DIR/plugins/, wrappers that run the built plugins with --config PLUGIN_CONF.
#   Only paths and the time unit differ from a production nagios.cfg: the object files
#   are used as they are.
# nagios_service_field DIR HOST SERVICE FIELD: that field of the service in DIR/status.dat
#   (empty until Nagios has checked the service once).
# nagios_service_state DIR HOST SERVICE: "current_state/state_type" (2/1: CRITICAL, hard).
# nagios_command DIR 'COMMAND;ARGS': submit an external command through DIR/nagios.cmd
#   (a FIFO Nagios reads); fails after 5 s when nobody reads it.

NAGIOS=${NAGIOS:-$(PATH=$PATH:/usr/sbin command -v nagios4 || command -v nagios || :)}
NAGIOS_SRC=$top_srcdir/nagios-config/nagios4
NAGIOS_OBJECTS="$NAGIOS_SRC/chopin-commands.cfg $NAGIOS_SRC/chopin-templates.cfg
	$NAGIOS_SRC/chopin-services.cfg $NAGIOS_SRC/chopin-contacts.cfg"

nagios_main() {
	nagios_dir=$1
	nagios_plugin_conf=$2
	shift 2
	mkdir -p "$nagios_dir/checkresults" "$nagios_dir/plugins"
	{
		for nagios_file in "$@"; do
			printf 'cfg_file=%s\n' "$nagios_file"
		done
		cat <<NAGIOS_CFG
log_file=$nagios_dir/nagios.log
resource_file=$nagios_dir/resource.cfg
status_file=$nagios_dir/status.dat
status_update_interval=1
object_cache_file=$nagios_dir/objects.cache
precached_object_file=$nagios_dir/objects.precache
temp_file=$nagios_dir/nagios.tmp
temp_path=$nagios_dir
lock_file=$nagios_dir/nagios.lock
check_result_path=$nagios_dir/checkresults
check_result_reaper_frequency=1
check_external_commands=1
command_file=$nagios_dir/nagios.cmd
query_socket=$nagios_dir/nagios.qh
log_archive_path=$nagios_dir
debug_file=$nagios_dir/nagios.debug
state_retention_file=$nagios_dir/retention.dat
retain_state_information=0
nagios_user=$(id -un)
nagios_group=$(id -gn)
interval_length=1
max_service_check_spread=1
max_host_check_spread=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
enable_notifications=1
log_notifications=1
illegal_macro_output_chars=\`~\$&|'"<>
NAGIOS_CFG
	} >"$nagios_dir/nagios.cfg"
	for nagios_plugin in check_chopin_raid check_chopin_updates check_chopin_heartbeat; do
		printf '#!/bin/sh\nexec "%s" --config "%s" "$@"\n' "$top_builddir/checks/$nagios_plugin" \
			"$nagios_plugin_conf" >"$nagios_dir/plugins/$nagios_plugin"
		chmod +x "$nagios_dir/plugins/$nagios_plugin"
	done
	printf '$USER1$=%s\n$USER2$=%s\n' "$nagios_dir/plugins" "$nagios_dir" >"$nagios_dir/resource.cfg"
}

nagios_service_field() {
	awk -v host="$2" -v service="$3" -v field="$4" '
		/^servicestatus \{/ { in_s = 1; h = ""; s = ""; v = ""; checked = 0; next }
		in_s && /^\thost_name=/ { h = substr($0, index($0, "=") + 1) }
		in_s && /^\tservice_description=/ { s = substr($0, index($0, "=") + 1) }
		in_s && index($0, "\t" field "=") == 1 { v = substr($0, index($0, "=") + 1) }
		in_s && /^\thas_been_checked=1/ { checked = 1 }
		in_s && /^\t\}/ { if (h == host && s == service && checked) print v; in_s = 0 }
	' "$1/status.dat" 2>/dev/null
}

nagios_service_state() {
	nagios_state=$(nagios_service_field "$1" "$2" "$3" current_state)
	[ -n "$nagios_state" ] && printf '%s/%s\n' "$nagios_state" \
		"$(nagios_service_field "$1" "$2" "$3" state_type)"
}

nagios_command() {
	# the command file is a FIFO: bounded, in case Nagios is not reading it
	timeout 5 sh -c 'printf "[%s] %s\n" "$(date +%s)" "$2" >"$1/nagios.cmd"' sh "$1" "$2"
}
