/* report: chopinctl report --html FILE: the period, the data in one snapshot, the page written. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

#define REPORT_DEFAULT_DAYS 30
#define REPORT_MAX_DAYS     366

/* clang-format off */
static const CtlColumn host_day_columns[] = {
    {"host", NULL, CTL_TYPE_TEXT},
    {"day", NULL, CTL_TYPE_DATE},
    {"events", NULL, CTL_TYPE_INT},
    {"critical", NULL, CTL_TYPE_INT},
    {"error", NULL, CTL_TYPE_INT},
    {"warning", NULL, CTL_TYPE_INT},
    {"other", NULL, CTL_TYPE_INT},
};
static const CtlColumn device_day_columns[] = {
    {"host", NULL, CTL_TYPE_TEXT},
    {"device", NULL, CTL_TYPE_TEXT},
    {"day", NULL, CTL_TYPE_DATE},
    {"events", NULL, CTL_TYPE_INT},
};
static const CtlColumn alarm_count_columns[] = {
    {"raised", NULL, CTL_TYPE_INT},
    {"cleared", NULL, CTL_TYPE_INT},
};
static const CtlColumn device_columns[] = {
    {"host", NULL, CTL_TYPE_TEXT},
    {"kind", NULL, CTL_TYPE_TEXT},
    {"address", NULL, CTL_TYPE_TEXT},
    {"state", NULL, CTL_TYPE_TEXT},
    {"status", NULL, CTL_TYPE_TEXT},
    {"model", NULL, CTL_TYPE_TEXT},
    {"serial", NULL, CTL_TYPE_TEXT},
    {"last_seen", NULL, CTL_TYPE_TIME},
};
static const CtlColumn change_columns[] = {
    {"host", NULL, CTL_TYPE_TEXT},
    {"changed_at", NULL, CTL_TYPE_TIME},
    {"device", NULL, CTL_TYPE_TEXT},
    {"change", NULL, CTL_TYPE_TEXT},
    {"text", NULL, CTL_TYPE_TEXT},
    {"total", NULL, CTL_TYPE_INT},
};
static const CtlColumn update_columns[] = {
    {"host", NULL, CTL_TYPE_TEXT},
    {"pending", NULL, CTL_TYPE_INT},
    {"security", NULL, CTL_TYPE_INT},
    {"failed", NULL, CTL_TYPE_INT},
    {"reboot_required", NULL, CTL_TYPE_BOOL},
    {"last_search", NULL, CTL_TYPE_TIME},
    {"last_success", NULL, CTL_TYPE_TIME},
    {"pending_kbs", NULL, CTL_TYPE_TEXT},
};
static const CtlColumn rule_columns[] = {
    {"rule", NULL, CTL_TYPE_TEXT},
    {"type", NULL, CTL_TYPE_TEXT},
    {"enabled", NULL, CTL_TYPE_BOOL},
    {"loaded_at", NULL, CTL_TYPE_TIME},
    {"open_alarms", NULL, CTL_TYPE_INT},
};
static const CtlColumn checkpoint_columns[] = {
    {"correlator", NULL, CTL_TYPE_TEXT},
    {"updated_at", NULL, CTL_TYPE_TIME},
    {"age_s", NULL, CTL_TYPE_INT},
};
/* clang-format on */

void
ctl_report_clear(CtlReport *report)
{
	g_free(report->host);
	ctl_table_free(report->hosts);
	ctl_table_free(report->host_days);
	ctl_table_free(report->device_days);
	ctl_table_free(report->groups);
	ctl_table_free(report->alarms);
	ctl_table_free(report->alarm_counts);
	ctl_table_free(report->devices);
	ctl_table_free(report->changes);
	ctl_table_free(report->updates);
	ctl_table_free(report->rules);
	ctl_table_free(report->checkpoints);
	memset(report, 0, sizeof *report);
}

/* --- the period ---------------------------------------------------------------------------------
 */

static void
date_from_us(gint64 us, GDate *ret_date)
{
	gint64 seconds = us / G_USEC_PER_SEC - (us % G_USEC_PER_SEC < 0 ? 1 : 0);
	g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(seconds);

	g_date_clear(ret_date, 1);
	g_date_set_dmy(ret_date, (GDateDay)g_date_time_get_day_of_month(time),
	               (GDateMonth)g_date_time_get_month(time),
	               (GDateYear)g_date_time_get_year(time));
}

/*
 * The period in whole UTC days, as the per-day charts and views count: from the day of
 * --since (default: 29 days before the last) to the day before --until (default: now),
 * both included. FALSE with CTL_ERROR_USAGE for a bad or too long range.
 */
static gboolean
report_period(const char *since, const char *until, gint64 now_us, CtlReport *report,
              GError **error)
{
	CtlTimeRange range;
	GDate last;

	if (!ctl_time_range_parse(since, until != NULL ? until : "now", now_us, &range, error))
		return FALSE;
	date_from_us(range.until_us - 1, &last);
	if (since != NULL) {
		date_from_us(range.since_us, &report->first_day);
	} else {
		report->first_day = last;
		g_date_subtract_days(&report->first_day, REPORT_DEFAULT_DAYS - 1);
	}
	gint days = g_date_days_between(&report->first_day, &last) + 1;
	if (days > REPORT_MAX_DAYS) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "bad time range: %d days; a report covers at most %d days", days,
		            REPORT_MAX_DAYS);
		return FALSE;
	}
	report->n_days = (guint)days;
	return TRUE;
}

void
ctl_report_period_text(const CtlReport *report, GString *out)
{
	char first[16], last[16];
	GDate end = report->first_day;

	g_date_add_days(&end, report->n_days - 1);
	g_date_strftime(first, sizeof first, "%Y-%m-%d", &report->first_day);
	g_date_strftime(last, sizeof last, "%Y-%m-%d", &end);
	g_string_append_printf(out, "%s to %s", first, last);
}

gint64
ctl_report_period_start_us(const CtlReport *report, guint day)
{
	GDate date = report->first_day;

	g_date_add_days(&date, day);
	g_autoptr(GDateTime) time = g_date_time_new_utc(
	    g_date_get_year(&date), g_date_get_month(&date), g_date_get_day(&date), 0, 0, 0);
	return g_date_time_to_unix(time) * G_USEC_PER_SEC;
}

/* --- the data ------------------------------------------------------------------------------------
 */

/*
 * Runs select (its WHERE clause already open, with params) with " AND host_column = ?" for a
 * one-host report (the host's name, or its id when by_id), then tail (GROUP BY, ORDER BY).
 */
static CtlTable *
report_query(ChopinDb *db, const CtlReport *report, const char *select, const char *host_column,
             gboolean by_id, const char *tail, const ChopinDbValue *params, guint n_params,
             const CtlColumn *columns, guint n_columns, GError **error)
{
	g_autoptr(GString) sql = g_string_new(select);
	g_autoptr(GArray) values = g_array_new(FALSE, FALSE, sizeof(ChopinDbValue));

	g_array_append_vals(values, params, n_params);
	if (report->host != NULL) {
		ChopinDbValue host = by_id ? CHOPIN_DB_VALUE_UINT(report->host_id)
		                           : chopin_db_value_text(report->host);
		g_string_append_printf(sql, " AND %s = ?", host_column);
		g_array_append_val(values, host);
	}
	g_string_append_c(sql, ' ');
	g_string_append(sql, tail);
	return ctl_query_table(db, sql->str, (const ChopinDbValue *)(void *)values->data,
	                       values->len, columns, n_columns, error);
}

/*
 * Events per host and day, per device and day, and in groups. The first two count exactly as
 * v_events_per_host_day and v_events_per_device_day do (the tests compare them), but on events
 * with an event_time range: MariaDB does not push a condition holding a statement parameter
 * into a grouped view, and a prepared statement over the view reads every event of every host
 * (docs/decisions.md).
 */
static gboolean
report_gather_events(CtlContext *context, ChopinDb *db, CtlReport *report, GError **error)
{
	char since[32], until[32];

	ctl_time_to_sql(ctl_report_period_start_us(report, 0), since, sizeof since);
	ctl_time_to_sql(ctl_report_period_start_us(report, report->n_days), until, sizeof until);
	ChopinDbValue range[] = {chopin_db_value_text(since), chopin_db_value_text(until)};
	report->host_days = report_query(
	    db, report,
	    "SELECT h.name, DATE(e.event_time), COUNT(*), SUM(e.level = 'critical'),"
	    " SUM(e.level = 'error'), SUM(e.level = 'warning'),"
	    " SUM(e.level NOT IN ('critical', 'error', 'warning'))"
	    " FROM events e JOIN hosts h ON h.host_id = e.host_id"
	    " WHERE e.event_time >= ? AND e.event_time < ?",
	    "e.host_id", TRUE, "GROUP BY e.host_id, h.name, DATE(e.event_time) ORDER BY h.name, 2",
	    range, G_N_ELEMENTS(range), host_day_columns, G_N_ELEMENTS(host_day_columns), error);
	if (report->host_days == NULL)
		return FALSE;
	report->device_days = report_query(
	    db, report,
	    "SELECT h.name, e.device_address, DATE(e.event_time), COUNT(*)"
	    " FROM events e JOIN hosts h ON h.host_id = e.host_id"
	    " WHERE e.device_address IS NOT NULL AND e.event_time >= ? AND e.event_time < ?",
	    "e.host_id", TRUE,
	    "GROUP BY e.host_id, h.name, e.device_address, DATE(e.event_time)"
	    " ORDER BY h.name, e.device_address, 3",
	    range, G_N_ELEMENTS(range), device_day_columns, G_N_ELEMENTS(device_day_columns),
	    error);
	if (report->device_days == NULL)
		return FALSE;
	CtlEventFilter filter = {
	    .host_id = report->host_id,
	    .event_id = -1,
	    .range = {ctl_report_period_start_us(report, 0),
	              ctl_report_period_start_us(report, report->n_days)},
	};
	report->groups = ctl_events_query_groups(context, &filter, error);
	return report->groups != NULL;
}

/* Alarms, devices, configuration changes, updates, rules and checkpoints. */
static gboolean
report_gather_state(CtlContext *context, ChopinDb *db, CtlReport *report, GError **error)
{
	char since[32], until[32];

	CtlAlarmFilter alarm_filter = {.host_id = report->host_id,
	                               .range = {G_MININT64, G_MAXINT64}};
	report->alarms = ctl_alarms_query(context, &alarm_filter, error);
	if (report->alarms == NULL)
		return FALSE;
	ctl_time_to_sql(ctl_report_period_start_us(report, 0), since, sizeof since);
	ctl_time_to_sql(ctl_report_period_start_us(report, report->n_days), until, sizeof until);
	ChopinDbValue range[] = {chopin_db_value_text(since), chopin_db_value_text(until)};
	report->alarm_counts =
	    report_query(db, report,
	                 "SELECT COUNT(*), COALESCE(SUM(state = 'cleared'), 0) FROM alarms"
	                 " WHERE first_seen >= ? AND first_seen < ?",
	                 "host_id", TRUE, "", range, G_N_ELEMENTS(range), alarm_count_columns,
	                 G_N_ELEMENTS(alarm_count_columns), error);
	if (report->alarm_counts == NULL)
		return FALSE;
	report->devices = report_query(
	    db, report,
	    "SELECT h.name, d.kind, d.address, d.state, d.status, d.model, d.serial, d.last_seen"
	    " FROM devices d JOIN hosts h ON h.host_id = d.host_id"
	    " WHERE d.removed = 0 AND d.status <> 'ok'",
	    "d.host_id", TRUE,
	    "ORDER BY FIELD(d.status, 'critical', 'warning', 'unknown'), h.name,"
	    " FIELD(d.kind, 'controller', 'vd', 'pd', 'battery'), CHAR_LENGTH(d.address),"
	    " d.address",
	    NULL, 0, device_columns, G_N_ELEMENTS(device_columns), error);
	if (report->devices == NULL)
		return FALSE;
	report->changes = report_query(
	    db, report,
	    "SELECT h.name, c.changed_at, c.device_address, c.change_kind, c.text,"
	    " COUNT(*) OVER ()"
	    " FROM config_history c JOIN hosts h ON h.host_id = c.host_id"
	    " WHERE c.changed_at >= ? AND c.changed_at < ?",
	    "c.host_id", TRUE,
	    "ORDER BY c.changed_at DESC, c.change_id DESC LIMIT " G_STRINGIFY(
	        CTL_REPORT_MAX_CHANGES),
	    range, G_N_ELEMENTS(range), change_columns, G_N_ELEMENTS(change_columns), error);
	if (report->changes == NULL)
		return FALSE;
	report->updates = report_query(
	    db, report,
	    "SELECT host, pending_count, security_pending, failed_count, reboot_required,"
	    " last_search, last_success, pending_kbs FROM v_pending_updates WHERE 1 = 1",
	    "host", FALSE, "ORDER BY host", NULL, 0, update_columns, G_N_ELEMENTS(update_columns),
	    error);
	if (report->updates == NULL)
		return FALSE;
	report->rules = ctl_query_table(
	    db,
	    "SELECT r.rule_name, r.rule_type, r.enabled, r.loaded_at,"
	    " (SELECT COUNT(*) FROM alarms a WHERE a.rule_name = r.rule_name AND a.state = 'open')"
	    " FROM rules r ORDER BY r.rule_name",
	    NULL, 0, rule_columns, G_N_ELEMENTS(rule_columns), error);
	if (report->rules == NULL)
		return FALSE;
	report->checkpoints = ctl_query_table(
	    db,
	    "SELECT correlator_name, updated_at, TIMESTAMPDIFF(SECOND, updated_at,"
	    " UTC_TIMESTAMP(6)) FROM correlator_checkpoints ORDER BY updated_at DESC,"
	    " correlator_name",
	    NULL, 0, checkpoint_columns, G_N_ELEMENTS(checkpoint_columns), error);
	return report->checkpoints != NULL;
}

/*
 * Everything the page shows, read in one read-only transaction with a consistent snapshot and
 * the session clock pinned to the report's time, so that its numbers agree with each other
 * (and the views' "now" is the page's) while the correlator goes on writing.
 */
static gboolean
report_gather(CtlContext *context, ChopinDb *db, CtlReport *report, GError **error)
{
	g_autofree char *pin = g_strdup_printf("SET timestamp = %" G_GINT64_FORMAT ".%06d",
	                                       report->generated_us / G_USEC_PER_SEC,
	                                       (int)(report->generated_us % G_USEC_PER_SEC));

	if (!chopin_db_exec(db, pin, error) ||
	    !chopin_db_exec(db, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", error))
		return FALSE;
	CtlHostFilter host_filter = {.name = report->host};
	report->hosts = ctl_hosts_query(context, &host_filter, error);
	if (report->hosts == NULL || !report_gather_events(context, db, report, error) ||
	    !report_gather_state(context, db, report, error))
		return FALSE;
	return chopin_db_exec(db, "COMMIT", error);
}

/* --- the command ------------------------------------------------------------------------------ */

enum {
	REPORT_HTML = 256,
	REPORT_HOST,
	REPORT_SINCE,
	REPORT_UNTIL,
};

typedef struct {
	const char *html;
	const char *host;
	const char *since;
	const char *until;
} ReportArgs;

static gboolean
report_option_cb(CtlContext *context, int id, const char *value, gpointer user_data, GError **error)
{
	ReportArgs *args = user_data;

	(void)context;
	(void)error;
	switch (id) {
	case REPORT_HTML:
		args->html = value;
		break;
	case REPORT_HOST:
		args->host = value;
		break;
	case REPORT_SINCE:
		args->since = value;
		break;
	case REPORT_UNTIL:
		args->until = value;
		break;
	}
	return TRUE;
}

/* The page to FILE, replacing it only once it is complete; "-" is standard output. */
static gboolean
report_write(CtlContext *context, const char *path, const GString *page, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (strcmp(path, "-") == 0) {
		g_string_append_len(context->out, page->str, (gssize)page->len);
		return TRUE;
	}
	if (!g_file_set_contents(path, page->str, (gssize)page->len, &local)) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_FAILED, "report: %s", local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
report_check_args(CtlContext *context, const ReportArgs *args, char **operands, GError **error)
{
	if (operands[0] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "report: unexpected argument '%s' (the page goes to --html FILE)",
		            operands[0]);
		return FALSE;
	}
	if (args->html == NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "report: --html FILE is required ('-' for standard output)");
		return FALSE;
	}
	if (args->html[0] == '\0') {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "report: --html: empty file name");
		return FALSE;
	}
	if (context->json) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "report: no JSON form; the other commands' --json give the same data");
		return FALSE;
	}
	return TRUE;
}

static gboolean
report_run(CtlContext *context, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"html", 0, TRUE, REPORT_HTML},
	    {"host", 0, TRUE, REPORT_HOST},
	    {"since", 0, TRUE, REPORT_SINCE},
	    {"until", 0, TRUE, REPORT_UNTIL},
	    {NULL, 0, FALSE, 0},
	};
	ReportArgs args = {0};
	g_autofree char **operands = NULL;
	gboolean help;
	CtlReport report = {.generated_us = g_get_real_time()};

	if (!ctl_options_parse(context, argc, argv, options, report_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	/* usage errors, then the period, before any connection */
	if (!report_check_args(context, &args, operands, error) ||
	    !report_period(args.since, args.until, report.generated_us, &report, error))
		return FALSE;
	const ChopinConfig *config = ctl_config(context, error);
	if (config == NULL)
		return FALSE;
	report.stale_after_s = chopin_config_get_duration_ms(config, "checks.stale_after") / 1000;
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL || (args.host != NULL &&
	                   !ctl_host_lookup(db, args.host, &report.host_id, &report.host, error))) {
		ctl_report_clear(&report);
		return FALSE;
	}
	gboolean ok = report_gather(context, db, &report, error);
	if (ok) {
		g_autoptr(GString) page = g_string_sized_new(256 * 1024);
		ctl_report_html(&report, page);
		ok = report_write(context, args.html, page, error);
	}
	ctl_report_clear(&report);
	return ok;
}

const CtlCommand ctl_command_report = {
    .name = "report",
    .synopsis = "--html FILE [--host NAME] [--since TIME] [--until TIME]",
    .summary = "one self-contained HTML page: fleet overview, events per day, alarms",
    .help = "The page has no script and loads nothing: inline CSS and SVG charts, for a\n"
            "browser, a mail attachment or paper. It shows the fleet's summary, the\n"
            "events per day of every host and device, the event groups (\"53x Unexpected\n"
            "sense\"), open alarms, devices needing attention, configuration changes, the\n"
            "servers, pending updates and the rules.\n\n"
            "Options:\n"
            "      --html=FILE          write the page to FILE ('-': standard output);\n"
            "                           FILE is replaced only once the page is complete\n"
            "      --host=NAME          one host's report\n"
            "      --since=TIME         from TIME's UTC day (default: 30 days up to the\n"
            "                           last one)\n"
            "      --until=TIME         up to TIME, excluded (default: now, today included)\n"
            "The period is whole UTC days, at most 366. TIME is a date or date-time\n"
            "(2026-08-01, 2026-08-01T12:00:00Z), UTC unless it carries an offset, a\n"
            "duration back from now (7d, 24h, 90m) or 'now'.\n",
    .run = report_run,
};
