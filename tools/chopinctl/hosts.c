/* hosts: the fleet list with its filters, and one server's full view (chopinctl host NAME). */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

/* --- chopinctl hosts ------------------------------------------------------------------------ */

/* clang-format off */
static const CtlColumn host_list_columns[] = {
    {"name", "NAME", CTL_TYPE_TEXT},
    {"machine_type", "TYPE", CTL_TYPE_TEXT},
    {"status", "STATUS", CTL_TYPE_TEXT},
    {"inactive", NULL, CTL_TYPE_BOOL},
    {"inactive_reason", NULL, CTL_TYPE_TEXT},
    {"last_heartbeat", "LAST HEARTBEAT", CTL_TYPE_TIME},
    {"os_name", "OS", CTL_TYPE_TEXT},
    {"os_version", NULL, CTL_TYPE_TEXT},
    {"end_of_support", NULL, CTL_TYPE_DATE},
    {"end_of_support_state", NULL, CTL_TYPE_TEXT},
    {NULL, "SUPPORT", CTL_TYPE_TEXT},
    {"last_shutdown_at", NULL, CTL_TYPE_TIME},
    {"last_shutdown_kind", NULL, CTL_TYPE_TEXT},
    {"last_os_update_success", NULL, CTL_TYPE_TIME},
    {"available_updates", "UPDATES", CTL_TYPE_INT},
    {"open_alarms", "ALARMS", CTL_TYPE_INT},
    {"tags", "TAGS", CTL_TYPE_LIST},
};
/* clang-format on */

/* The views are the documented reporting contract (docs/sql.md): the list is built on them. */
#define HOST_LIST_SELECT                                                                           \
	"SELECT o.name, o.machine_type, o.status, (i.name IS NOT NULL), i.reason,"                 \
	" o.last_heartbeat, o.os_name, o.os_version, e.extended_end, e.eos_state,"                 \
	" CASE WHEN e.eos_state = 'past end of support' THEN CONCAT('ended ', e.extended_end)"     \
	"      WHEN e.eos_state IS NOT NULL THEN CONCAT('ends ', e.extended_end) END,"             \
	" o.last_shutdown_at, o.last_shutdown_kind, o.last_os_update_success,"                     \
	" o.available_updates,"                                                                    \
	" (SELECT COUNT(*) FROM alarms a JOIN hosts ah ON ah.host_id = a.host_id"                  \
	"   WHERE ah.name = o.name AND a.state = 'open'),"                                         \
	" o.tags"                                                                                  \
	" FROM v_host_overview o"                                                                  \
	" LEFT JOIN v_inactive_hosts i ON i.name = o.name"                                         \
	" LEFT JOIN v_hosts_past_eos e ON e.host = o.name"                                         \
	" WHERE (? = 0 OR i.name IS NOT NULL)"                                                     \
	" AND (? = 0 OR e.eos_state = 'past end of support')"                                      \
	" AND (? = 0 OR o.available_updates > 0)"                                                  \
	" AND (? IS NULL OR o.name = ?)"

CtlTable *
ctl_hosts_query(CtlContext *context, const CtlHostFilter *filter, GError **error)
{
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return NULL;
	g_autoptr(GString) sql = g_string_new(HOST_LIST_SELECT);
	g_autoptr(GArray) params = g_array_new(FALSE, FALSE, sizeof(ChopinDbValue));
	ChopinDbValue flags[] = {CHOPIN_DB_VALUE_INT(filter->inactive ? 1 : 0),
	                         CHOPIN_DB_VALUE_INT(filter->past_eos ? 1 : 0),
	                         CHOPIN_DB_VALUE_INT(filter->pending_updates ? 1 : 0),
	                         chopin_db_value_text(filter->name),
	                         chopin_db_value_text(filter->name)};
	g_array_append_vals(params, flags, G_N_ELEMENTS(flags));
	for (guint i = 0; filter->tags != NULL && filter->tags[i] != NULL; i++) {
		g_string_append(sql,
		                " AND EXISTS (SELECT 1 FROM host_tags t JOIN hosts th"
		                " ON th.host_id = t.host_id WHERE th.name = o.name AND t.tag = ?)");
		ChopinDbValue tag = chopin_db_value_text(filter->tags[i]);
		g_array_append_val(params, tag);
	}
	g_string_append(sql, " ORDER BY o.name");
	return ctl_query_table(db, sql->str, (const ChopinDbValue *)(void *)params->data,
	                       params->len, host_list_columns, G_N_ELEMENTS(host_list_columns),
	                       error);
}

enum {
	HOSTS_INACTIVE = 256,
	HOSTS_TAG,
	HOSTS_EOS,
	HOSTS_PENDING,
};

typedef struct {
	CtlHostFilter filter;
	GPtrArray *tags;
} HostsArgs;

static gboolean
hosts_option_cb(CtlContext *context, int id, const char *value, gpointer user_data, GError **error)
{
	HostsArgs *args = user_data;

	(void)context;
	(void)error;
	switch (id) {
	case HOSTS_INACTIVE:
		args->filter.inactive = TRUE;
		break;
	case HOSTS_TAG:
		g_ptr_array_add(args->tags, (gpointer)value);
		break;
	case HOSTS_EOS:
		args->filter.past_eos = TRUE;
		break;
	case HOSTS_PENDING:
		args->filter.pending_updates = TRUE;
		break;
	}
	return TRUE;
}

static gboolean
hosts_run(CtlContext *context, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"inactive", 0, FALSE, HOSTS_INACTIVE},
	    {"tag", 0, TRUE, HOSTS_TAG},
	    {"eos", 0, FALSE, HOSTS_EOS},
	    {"past-eos", 0, FALSE, HOSTS_EOS},
	    {"pending-updates", 0, FALSE, HOSTS_PENDING},
	    {NULL, 0, FALSE, 0},
	};
	g_autoptr(GPtrArray) tags = g_ptr_array_new();
	HostsArgs args = {.tags = tags};
	g_autofree char **operands = NULL;
	gboolean help;

	if (!ctl_options_parse(context, argc, argv, options, hosts_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "hosts: unexpected argument '%s' (for one server: chopinctl host %s)",
		            operands[0], operands[0]);
		return FALSE;
	}
	g_ptr_array_add(tags, NULL);
	args.filter.tags = (const char *const *)tags->pdata;
	g_autoptr(CtlTable) table = ctl_hosts_query(context, &args.filter, error);
	if (table == NULL)
		return FALSE;
	if (context->json) {
		g_autoptr(CtlJson) json = ctl_json_new(context->out);
		ctl_json_begin_object(json);
		ctl_json_key(json, "hosts");
		ctl_table_to_json(table, json);
		ctl_json_end_object(json);
		ctl_json_finish(json);
	} else {
		ctl_table_print(table, context->out, context->no_header);
	}
	return TRUE;
}

const CtlCommand ctl_command_hosts = {
    .name = "hosts",
    .synopsis = "[--inactive] [--tag TAG]... [--eos] [--pending-updates]",
    .summary = "list the servers, with filters",
    .help = "Options:\n"
            "      --inactive           only hosts marked inactive or whose heartbeat is overdue\n"
            "      --tag=TAG            only hosts with this tag (repeat: all of them)\n"
            "      --eos                only hosts whose OS is past its end of support\n"
            "      --pending-updates    only hosts with Windows updates pending\n",
    .run = hosts_run,
};

/* --- chopinctl host NAME ------------------------------------------------------------------ */

/* clang-format off */
static const CtlColumn host_columns[] = {
    {"name", "Name", CTL_TYPE_TEXT},
    {"os_name", "OS", CTL_TYPE_TEXT},
    {"os_version", "OS version", CTL_TYPE_TEXT},
    {"end_of_support", NULL, CTL_TYPE_DATE},
    {"end_of_support_state", NULL, CTL_TYPE_TEXT},
    {NULL, "Support", CTL_TYPE_TEXT},
    {"machine_type", "Type", CTL_TYPE_TEXT},
    {"hardware_model", "Model", CTL_TYPE_TEXT},
    {"status", "Status", CTL_TYPE_TEXT},
    {"inactive_reason", NULL, CTL_TYPE_TEXT},
    {"last_heartbeat", "Last heartbeat", CTL_TYPE_TIME},
    {"heartbeat_interval_s", "Heartbeat every (s)", CTL_TYPE_INT},
    {"boot_time", "Boot time", CTL_TYPE_TIME},
    {"last_shutdown_at", "Last shutdown", CTL_TYPE_TIME},
    {"last_shutdown_kind", "Shutdown kind", CTL_TYPE_TEXT},
    {"last_os_update_success", "Last OS update", CTL_TYPE_TIME},
    {"available_updates", "Available updates", CTL_TYPE_INT},
    {"security_updates", "Security updates", CTL_TYPE_INT},
    {"failed_updates", "Failed updates", CTL_TYPE_INT},
    {"reboot_required", "Reboot required", CTL_TYPE_BOOL},
    {"agent_version", "Agent", CTL_TYPE_TEXT},
    {"first_seen", "First seen", CTL_TYPE_TIME},
    {"tags", "Tags", CTL_TYPE_LIST},
};
/* clang-format on */

/* clang-format off */
static const CtlColumn update_item_columns[] = {
    {"kb", "KB", CTL_TYPE_TEXT},
    {"state", "STATE", CTL_TYPE_TEXT},
    {"kind", "KIND", CTL_TYPE_TEXT},
    {"first_seen", NULL, CTL_TYPE_TIME},
    {"title", "TITLE", CTL_TYPE_TEXT},
};
/* clang-format on */

/* clang-format off */
static const CtlColumn device_columns[] = {
    {"kind", "KIND", CTL_TYPE_TEXT},
    {"address", "ADDRESS", CTL_TYPE_TEXT},
    {"state", "STATE", CTL_TYPE_TEXT},
    {"status", "STATUS", CTL_TYPE_TEXT},
    {"removed", NULL, CTL_TYPE_BOOL},
    {"model", "MODEL", CTL_TYPE_TEXT},
    {"serial", "SERIAL", CTL_TYPE_TEXT},
    {"firmware", NULL, CTL_TYPE_TEXT},
    {"size_mib", NULL, CTL_TYPE_INT},
    {NULL, "SIZE", CTL_TYPE_TEXT},
    {"last_seen", NULL, CTL_TYPE_TIME},
};
/* clang-format on */

/* clang-format off */
static const CtlColumn host_alarm_columns[] = {
    {"alarm_id", "ID", CTL_TYPE_INT},
    {"service", "SERVICE", CTL_TYPE_TEXT},
    {"severity", "SEVERITY", CTL_TYPE_TEXT},
    {"rule_name", NULL, CTL_TYPE_TEXT},
    {"alarm_key", "KEY", CTL_TYPE_TEXT},
    {"occurrences", "N", CTL_TYPE_INT},
    {"first_seen", "SINCE", CTL_TYPE_TIME},
    {"last_seen", NULL, CTL_TYPE_TIME},
    {"acknowledged_by", "ACK", CTL_TYPE_TEXT},
    {"has_ticket", NULL, CTL_TYPE_BOOL},
    {"text", "TEXT", CTL_TYPE_TEXT},
};
/* clang-format on */

typedef struct {
	const char *since;
	const char *until;
	const char *limit;
} HostArgs;

enum {
	HOST_SINCE = 256,
	HOST_UNTIL,
	HOST_LIMIT,
};

static gboolean
host_option_cb(CtlContext *context, int id, const char *value, gpointer user_data, GError **error)
{
	HostArgs *args = user_data;

	(void)context;
	(void)error;
	if (id == HOST_SINCE)
		args->since = value;
	else if (id == HOST_UNTIL)
		args->until = value;
	else if (id == HOST_LIMIT)
		args->limit = value;
	return TRUE;
}

/* Without --since, "recent" is the last seven days; for a host whose last event is older
 * than that (a quiet host, a replay of an old incident), the seven days before its last event,
 * so that the view still shows what it last reported. */
static gboolean
host_event_range(ChopinDb *db, guint64 host_id, const HostArgs *args, CtlTimeRange *range,
                 gboolean *ret_relative_to_last, GError **error)
{
	gint64 now_us = g_get_real_time();
	char until_sql[32];
	gboolean have_row;

	*ret_relative_to_last = FALSE;
	if (!ctl_time_range_parse(args->since, args->until, now_us, range, error))
		return FALSE;
	if (args->since != NULL)
		return TRUE;
	ctl_time_to_sql(range->until_us, until_sql, sizeof until_sql);
	ChopinDbValue params[] = {CHOPIN_DB_VALUE_UINT(host_id),
	                          args->until != NULL ? chopin_db_value_text(until_sql)
	                                              : CHOPIN_DB_VALUE_NULL};
	ChopinDbStmt *stmt = ctl_query(db,
	                               "SELECT MAX(event_time) FROM events WHERE host_id = ?"
	                               " AND event_time < COALESCE(?, '9999-12-31')",
	                               params, 2, error);
	if (stmt == NULL || !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	g_autofree char *last_iso =
	    have_row ? ctl_time_sql_to_iso(chopin_db_stmt_column_text(stmt, 0, NULL)) : NULL;
	chopin_db_stmt_reset(stmt);
	gint64 end = args->until != NULL ? range->until_us : now_us;
	gint64 last_us;
	if (last_iso != NULL && ctl_time_parse(last_iso, now_us, &last_us, NULL)) {
		if (last_us >= end)
			end = last_us + 1; /* agent clocks ahead of ours */
		else if (last_us < end - 7 * G_TIME_SPAN_DAY) {
			end = last_us + 1;
			*ret_relative_to_last = TRUE;
		}
	}
	range->since_us = end - 7 * G_TIME_SPAN_DAY;
	range->until_us = end;
	return TRUE;
}

/* The host's sections, every one a table. */
typedef struct {
	CtlTable *host;
	CtlTable *updates;
	CtlTable *devices;
	CtlTable *alarms;
	CtlTable *events;
	CtlTimeRange range;
	gboolean relative_to_last;
} HostView;

static void
host_view_clear(HostView *view)
{
	ctl_table_free(view->host);
	ctl_table_free(view->updates);
	ctl_table_free(view->devices);
	ctl_table_free(view->alarms);
	ctl_table_free(view->events);
}

static gboolean
host_view_gather(CtlContext *context, ChopinDb *db, guint64 host_id, const HostArgs *args,
                 HostView *view, GError **error)
{
	ChopinDbValue id = CHOPIN_DB_VALUE_UINT(host_id);

	view->host = ctl_query_table(
	    db,
	    "SELECT h.name, h.os_name, h.os_version, e.extended_end, e.eos_state,"
	    " CASE WHEN e.eos_state = 'past end of support' THEN CONCAT('ended ', e.extended_end)"
	    "      WHEN e.eos_state IS NOT NULL THEN CONCAT('ends ', e.extended_end) END,"
	    " h.machine_type, h.hardware_model, h.status, i.reason, h.last_heartbeat,"
	    " h.heartbeat_interval_s, h.boot_time, h.last_shutdown_at, h.last_shutdown_kind,"
	    " h.last_os_update_success, u.pending_count, u.security_pending, u.failed_count,"
	    " u.reboot_required, h.agent_version, h.first_seen,"
	    " (SELECT GROUP_CONCAT(t.tag ORDER BY t.tag SEPARATOR ',') FROM host_tags t"
	    "   WHERE t.host_id = h.host_id)"
	    " FROM hosts h LEFT JOIN updates u ON u.host_id = h.host_id"
	    " LEFT JOIN v_hosts_past_eos e ON e.host = h.name"
	    " LEFT JOIN v_inactive_hosts i ON i.name = h.name"
	    " WHERE h.host_id = ?",
	    &id, 1, host_columns, G_N_ELEMENTS(host_columns), error);
	if (view->host == NULL)
		return FALSE;
	view->updates = ctl_query_table(
	    db,
	    "SELECT kb, state, kind, first_seen, title FROM update_items"
	    " WHERE host_id = ? AND state IN ('pending', 'failed') ORDER BY state, kb",
	    &id, 1, update_item_columns, G_N_ELEMENTS(update_item_columns), error);
	if (view->updates == NULL)
		return FALSE;
	view->devices = ctl_query_table(
	    db,
	    "SELECT kind, address, state, status, removed, model, serial, firmware, size_mib,"
	    " CASE WHEN size_mib >= 1048576 THEN CONCAT(ROUND(size_mib / 1048576, 3), ' TiB')"
	    "      WHEN size_mib IS NOT NULL THEN CONCAT(ROUND(size_mib / 1024, 3), ' GiB') END,"
	    " last_seen"
	    " FROM devices WHERE host_id = ?"
	    " ORDER BY FIELD(kind, 'controller', 'vd', 'pd', 'battery'), CHAR_LENGTH(address),"
	    " address",
	    &id, 1, device_columns, G_N_ELEMENTS(device_columns), error);
	if (view->devices == NULL)
		return FALSE;
	view->alarms = ctl_query_table(
	    db,
	    "SELECT alarm_id, service, severity, rule_name, alarm_key, occurrences, first_seen,"
	    " last_seen, acknowledged_by, ticket_text IS NOT NULL, text FROM alarms"
	    " WHERE host_id = ? AND state = 'open' ORDER BY severity DESC, first_seen, alarm_id",
	    &id, 1, host_alarm_columns, G_N_ELEMENTS(host_alarm_columns), error);
	if (view->alarms == NULL)
		return FALSE;
	if (!host_event_range(db, host_id, args, &view->range, &view->relative_to_last, error))
		return FALSE;
	CtlEventFilter filter = {.host_id = host_id, .event_id = -1, .range = view->range};
	if (args->limit != NULL && !ctl_parse_limit(args->limit, &filter.limit, error))
		return FALSE;
	if (args->limit == NULL)
		filter.limit = 20;
	view->events = ctl_events_query_groups(context, &filter, error);
	return view->events != NULL;
}

static void
range_json(CtlJson *json, const CtlTimeRange *range)
{
	char sql[32];
	ctl_time_to_sql(range->since_us, sql, sizeof sql);
	g_autofree char *since = ctl_time_sql_to_iso(sql);
	ctl_time_to_sql(range->until_us, sql, sizeof sql);
	g_autofree char *until = ctl_time_sql_to_iso(sql);
	ctl_json_key(json, "since");
	ctl_json_string(json, since);
	ctl_json_key(json, "until");
	ctl_json_string(json, until);
}

static void
host_view_json(CtlContext *context, const HostView *view)
{
	g_autoptr(CtlJson) json = ctl_json_new(context->out);

	ctl_json_begin_object(json);
	ctl_json_key(json, "host");
	ctl_table_row_to_json(view->host, 0, json);
	ctl_json_key(json, "updates");
	ctl_table_to_json(view->updates, json);
	ctl_json_key(json, "devices");
	ctl_table_to_json(view->devices, json);
	ctl_json_key(json, "open_alarms");
	ctl_table_to_json(view->alarms, json);
	ctl_json_key(json, "events");
	ctl_json_begin_object(json);
	range_json(json, &view->range);
	ctl_json_key(json, "groups");
	ctl_table_to_json(view->events, json);
	ctl_json_end_object(json);
	ctl_json_end_object(json);
	ctl_json_finish(json);
}

static void
host_section(CtlContext *context, const char *title, const CtlTable *table, const char *empty)
{
	ctl_print(context, "\n%s\n", title);
	if (ctl_table_get_n_rows(table) == 0) {
		ctl_print(context, "  %s\n", empty);
		return;
	}
	g_autoptr(GString) text = g_string_new(NULL);
	ctl_table_print(table, text, context->no_header);
	/* indent the section's lines */
	g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
	for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
		ctl_print(context, "  %s\n", lines[i]);
}

static void
host_view_print(CtlContext *context, const HostView *view)
{
	char since[32], until[32];

	ctl_table_print_record(view->host, 0, context->out, 0);
	host_section(context, "Pending and failed updates", view->updates, "none");
	host_section(context, "Devices (latest RAID inventory)", view->devices,
	             "no RAID inventory received");
	host_section(context, "Open alarms", view->alarms, "none");
	ctl_time_to_sql(view->range.since_us, since, sizeof since);
	ctl_time_to_sql(view->range.until_us, until, sizeof until);
	since[19] = until[19] = '\0';
	g_autofree char *title =
	    g_strdup_printf("Events %s .. %s UTC%s", since, until,
	                    view->relative_to_last ? " (the host's last 7 days of events)" : "");
	host_section(context, title, view->events, "none");
}

static gboolean
host_run(CtlContext *context, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"since", 0, TRUE, HOST_SINCE},
	    {"until", 0, TRUE, HOST_UNTIL},
	    {"limit", 0, TRUE, HOST_LIMIT},
	    {NULL, 0, FALSE, 0},
	};
	HostArgs args = {0};
	g_autofree char **operands = NULL;
	gboolean help;
	guint64 host_id;

	if (!ctl_options_parse(context, argc, argv, options, host_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] == NULL || operands[1] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "host: expected one host NAME");
		return FALSE;
	}
	/* a bad range is a usage error before any connection */
	CtlTimeRange unused;
	if (!ctl_time_range_parse(args.since, args.until, g_get_real_time(), &unused, error))
		return FALSE;
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL || !ctl_host_lookup(db, operands[0], &host_id, NULL, error))
		return FALSE;
	HostView view = {0};
	gboolean ok = host_view_gather(context, db, host_id, &args, &view, error);
	if (ok && context->json)
		host_view_json(context, &view);
	else if (ok)
		host_view_print(context, &view);
	host_view_clear(&view);
	return ok;
}

const CtlCommand ctl_command_host = {
    .name = "host",
    .synopsis = "NAME [--since TIME] [--until TIME] [--limit N]",
    .summary = "one server: OS, status, updates, devices, open alarms, recent events, tags",
    .help = "Options:\n"
            "      --since=TIME         events from TIME (default: the last 7 days of the\n"
            "                           host's events)\n"
            "      --until=TIME         events before TIME\n"
            "      --limit=N            at most N event groups (default 20)\n"
            "TIME is a date or date-time (2026-08-01, 2026-08-01T12:00:00Z), UTC unless it\n"
            "carries an offset, a duration back from now (7d, 24h, 90m) or 'now'.\n",
    .run = host_run,
};
