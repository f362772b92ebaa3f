/* check_chopin_heartbeat: age of a server's last agent heartbeat, its reboots and shutdowns. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check-common.h"

/* Heartbeat thresholds when -w / -c are not given: multiples of the announced interval. */
#define DEFAULT_WARNING_INTERVALS  2
#define DEFAULT_CRITICAL_INTERVALS 3
#define DEFAULT_INTERVAL_S         300

typedef struct {
	bool have_heartbeat;
	gint64 age_s;
	gint64 interval_s; /* 0 when not announced */
	char *last_heartbeat;
	bool have_boot;
	gint64 uptime_s;
	char *boot_time;
	bool have_shutdown;
	gint64 shutdown_age_s;
	char *shutdown_at;
	char *shutdown_kind;
	char *agent_version;
} HeartbeatStatus;

static void
heartbeat_status_clear(HeartbeatStatus *status)
{
	g_free(status->last_heartbeat);
	g_free(status->boot_time);
	g_free(status->shutdown_at);
	g_free(status->shutdown_kind);
	g_free(status->agent_version);
}

/* The host's heartbeat row (part 0) and the start and stop events of the history window
 * (part 1), in any order (no ORDER BY over the UNION: it would cost a temporary table).
 * The starts and stops come from start_stop_events, where the correlator copies them
 * (EventLog 6005/6006/6008, User32 1074/1076, Kernel-Power 41, its own reboot findings):
 * a few rows per host, where the events table holds every event of the window. */
static const char heartbeat_sql[] =
    "SELECT 0, TIMESTAMPDIFF(SECOND, last_heartbeat, UTC_TIMESTAMP(6)),"
    " heartbeat_interval_s, DATE_FORMAT(last_heartbeat, '%Y-%m-%d %H:%i:%s UTC'),"
    " TIMESTAMPDIFF(SECOND, boot_time, UTC_TIMESTAMP(6)),"
    " DATE_FORMAT(boot_time, '%Y-%m-%d %H:%i:%s UTC'),"
    " TIMESTAMPDIFF(SECOND, last_shutdown_at, UTC_TIMESTAMP(6)),"
    " DATE_FORMAT(last_shutdown_at, '%Y-%m-%d %H:%i:%s UTC'), last_shutdown_kind,"
    " agent_version"
    " FROM hosts WHERE name = ?"
    " UNION ALL"
    " (SELECT 1, DATE_FORMAT(e.event_time, '%Y-%m-%d %H:%i:%s UTC'), e.source, e.event_id,"
    "  e.message, NULL, NULL, NULL, NULL, NULL"
    "  FROM hosts h JOIN start_stop_events e ON e.host_id = h.host_id"
    "  WHERE h.name = ? AND e.event_time >= UTC_TIMESTAMP(6) - INTERVAL ? SECOND"
    "  ORDER BY e.event_time DESC LIMIT 10)";

static gint64
heartbeat_window_s(const CheckContext *context)
{
	return chopin_config_get_duration_ms(context->config, "checks.history_window") / 1000;
}

static guint
heartbeat_params(const CheckContext *context, ChopinDbValue *ret_params)
{
	ret_params[0] = chopin_db_value_text(context->host_arg);
	ret_params[1] = chopin_db_value_text(context->host_arg);
	ret_params[2] = CHOPIN_DB_VALUE_INT(heartbeat_window_s(context));
	return 3;
}

/* The heartbeat row into status, the events as long output lines "event TIME ...". */
static gboolean
heartbeat_rows_read(GPtrArray *rows, HeartbeatStatus *status, GPtrArray *ret_events, GError **error)
{
	bool have_host = false;

	for (guint i = 0; i < rows->len; i++) {
		const CheckRow *row = g_ptr_array_index(rows, i);
		if (check_row_part(row) != 0) {
			g_ptr_array_add(
			    ret_events,
			    g_strdup_printf("event %s %s %" G_GINT64_FORMAT ": %s",
			                    check_row_text(row, 1), check_row_text(row, 2),
			                    check_row_int(row, 3, 0), check_row_text(row, 4)));
			continue;
		}
		have_host = true;
		status->have_heartbeat = !check_row_is_null(row, 1);
		status->age_s = check_row_int(row, 1, 0);
		status->interval_s = check_row_int(row, 2, 0);
		status->last_heartbeat = g_strdup(check_row_text(row, 3));
		status->have_boot = !check_row_is_null(row, 4);
		status->uptime_s = check_row_int(row, 4, 0);
		status->boot_time = g_strdup(check_row_text(row, 5));
		status->have_shutdown = !check_row_is_null(row, 6);
		status->shutdown_age_s = check_row_int(row, 6, 0);
		status->shutdown_at = g_strdup(check_row_text(row, 7));
		status->shutdown_kind = g_strdup(check_row_text(row, 8));
		status->agent_version = g_strdup(check_row_text(row, 9));
	}
	if (!have_host) {
		g_set_error(error, CHECK_ERROR, CHECK_ERROR_NO_DATA, "host row disappeared");
		return FALSE;
	}
	return TRUE;
}

/* -w / -c, or multiples of the announced interval when not given. */
static void
heartbeat_thresholds_default(CheckContext *context, const HeartbeatStatus *status)
{
	gint64 interval = status->interval_s > 0 ? status->interval_s : DEFAULT_INTERVAL_S;
	char text[32];

	if (!context->thresholds.has_warning) {
		snprintf(text, sizeof text, "%" G_GINT64_FORMAT,
		         interval * DEFAULT_WARNING_INTERVALS);
		context->thresholds.has_warning =
		    chopin_range_parse(text, &context->thresholds.warning, NULL, 0) == 0;
	}
	if (!context->thresholds.has_critical) {
		snprintf(text, sizeof text, "%" G_GINT64_FORMAT,
		         interval * DEFAULT_CRITICAL_INTERVALS);
		context->thresholds.has_critical =
		    chopin_range_parse(text, &context->thresholds.critical, NULL, 0) == 0;
	}
}

/* Newest first: the lines start with "event " and a fixed-width UTC time. */
static gint
heartbeat_event_compare_cb(gconstpointer a, gconstpointer b)
{
	return -strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Status line and state from the host status and the heartbeat age. */
static void
heartbeat_evaluate(CheckContext *context, ChopinOutput *output, const HeartbeatStatus *status)
{
	const char *name = context->host.name;

	if (g_strcmp0(context->host.status, "inactive") == 0) {
		chopin_output_set_state(output, CHOPIN_STATE_CRITICAL);
		if (status->have_heartbeat)
			chopin_output_set_summary(output,
			                          "%s: inactive (marked by the correlator), last "
			                          "heartbeat %" G_GINT64_FORMAT " s ago (%s)",
			                          name, status->age_s, status->last_heartbeat);
		else
			chopin_output_set_summary(output,
			                          "%s: inactive, no heartbeat ever received", name);
	} else if (!status->have_heartbeat) {
		chopin_output_set_state(output, CHOPIN_STATE_CRITICAL);
		chopin_output_set_summary(output, "%s: no heartbeat ever received", name);
	} else {
		chopin_output_set_state(output, chopin_thresholds_evaluate(&context->thresholds,
		                                                           (double)status->age_s));
		chopin_output_set_summary(output,
		                          "%s: last heartbeat %" G_GINT64_FORMAT " s ago (%s)",
		                          name, status->age_s, status->last_heartbeat);
	}
}

static void
heartbeat_history_describe(CheckContext *context, ChopinOutput *output,
                           const HeartbeatStatus *status, gint64 window_s)
{
	char warning[32] = "", critical[32] = "";

	chopin_range_format(&context->thresholds.warning, warning, sizeof warning);
	chopin_range_format(&context->thresholds.critical, critical, sizeof critical);
	chopin_output_add_line(output,
	                       "status %s, heartbeat interval %" G_GINT64_FORMAT
	                       " s, thresholds warning %s s, critical %s s, agent %s",
	                       context->host.status, status->interval_s, warning, critical,
	                       status->agent_version != NULL ? status->agent_version : "?");
	if (status->have_boot)
		chopin_output_add_line(
		    output, "%sbooted %s, up %" G_GINT64_FORMAT " d %02" G_GINT64_FORMAT " h",
		    status->uptime_s <= window_s ? "recent reboot: " : "", status->boot_time,
		    status->uptime_s / 86400, status->uptime_s % 86400 / 3600);
	if (status->have_shutdown && status->shutdown_age_s <= window_s)
		chopin_output_add_line(output, "%s shutdown at %s",
		                       g_strcmp0(status->shutdown_kind, "unexpected") == 0
		                           ? "UNEXPECTED"
		                       : status->shutdown_kind != NULL ? status->shutdown_kind
		                                                       : "unknown",
		                       status->shutdown_at);
}

static gboolean
heartbeat_evaluate_rows(CheckContext *context, GPtrArray *rows, ChopinOutput *output,
                        GError **error)
{
	HeartbeatStatus status = {0};
	gint64 window_s = heartbeat_window_s(context);
	gboolean ok = FALSE;

	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func(g_free);

	if (!heartbeat_rows_read(rows, &status, events, error))
		goto out;
	heartbeat_thresholds_default(context, &status);
	heartbeat_evaluate(context, output, &status);
	heartbeat_history_describe(context, output, &status, window_s);
	g_ptr_array_sort(events, heartbeat_event_compare_cb);
	for (guint i = 0; i < events->len; i++)
		chopin_output_add_line(output, "%s", (const char *)g_ptr_array_index(events, i));
	if (status.have_heartbeat)
		check_perfdata_add(output, "age", (double)status.age_s, "s", &context->thresholds,
		                   true, 0);
	if (status.have_boot)
		check_perfdata_add(output, "uptime", (double)status.uptime_s, "s", NULL, true, 0);
	ok = TRUE;
out:
	heartbeat_status_clear(&status);
	return ok;
}

static const CheckPlugin heartbeat_plugin = {
    .program = "check_chopin_heartbeat",
    .service = "Heartbeat",
    .purpose = "Age of a Windows server's last Chopin agent heartbeat; CRITICAL when the\n"
               "correlator marked it inactive. Lists recent reboots and shutdowns.",
    .threshold_help = "heartbeat age in seconds (default 2 and 3 announced intervals)",
    .sql = heartbeat_sql,
    .n_columns = 10,
    .params = heartbeat_params,
    .evaluate = heartbeat_evaluate_rows,
};

int
main(int argc, char **argv)
{
	return check_main(&heartbeat_plugin, argc, argv);
}
