/* report-html: the report page: style, header, fleet summary and the state tables. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

#define ALARM_TEXT_CHARS  400
#define CHANGE_TEXT_CHARS 400

/* The page's only style. No "<" or "&" in it: the page stays well-formed XML as well. */
static const char report_css[] =
    "body{font:14px/1.4 'DejaVu Sans',Arial,sans-serif;color:#222;background:#fff;"
    "max-width:1240px;margin:0 auto;padding:16px 24px}"
    "h1{font-size:24px;margin:0 0 4px}"
    "h2{font-size:19px;border-bottom:2px solid #345;padding-bottom:2px;margin:28px 0 8px}"
    "h3{font-size:16px;margin:18px 0 4px;overflow-wrap:anywhere}"
    "a{color:#1f4e8c}a.aside{font-size:12px;font-weight:normal;margin-left:8px}"
    ".meta{color:#555;margin:2px 0}.muted,.quiet{color:#666}"
    "nav{margin:10px 0;font-size:13px}nav a{margin-right:14px}"
    ".banner{border:2px solid #b2182b;background:#fde0dd;padding:8px 12px;margin:10px 0;"
    "font-weight:bold}"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px}"
    ".tile{border:1px solid #ccd;border-left:6px solid #7a9;border-radius:4px;"
    "padding:8px 10px;background:#f7f8fa}"
    ".tile.bad{border-left-color:#b2182b}.tile.warn{border-left-color:#e6a000}"
    ".tile h3{margin:0;font-size:12px;color:#555;text-transform:uppercase;"
    "letter-spacing:.04em}"
    ".tile .big{font-size:28px;font-weight:bold;margin:0}"
    ".tile ul{list-style:none;margin:0;padding:0;font-size:13px}"
    ".n{font-weight:bold;font-variant-numeric:tabular-nums}"
    "table{border-collapse:collapse;width:100%;margin:6px 0 14px;font-size:13px}"
    "th,td{border-bottom:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}"
    "td{overflow-wrap:break-word}th{background:#eef1f5;font-weight:600}"
    "td.msg,td.name{overflow-wrap:anywhere}td.name{min-width:9em}.nowrap{white-space:nowrap}"
    ".num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".device{white-space:nowrap;font-family:'DejaVu Sans Mono',"
    "monospace}"
    "td.msg{min-width:18em}tr.more td{color:#666;font-style:italic}"
    "tr.inactive td{background:#fdf0ef}"
    ".badge{display:inline-block;padding:0 5px;border-radius:3px;font-size:12px;"
    "background:#e4e7ec;white-space:nowrap}"
    ".b-critical{background:#b2182b;color:#fff}.b-error{background:#e8601c;color:#fff}"
    ".b-warning{background:#f1b621}.b-inactive{background:#b2182b;color:#fff}"
    ".b-ok,.b-active{background:#cfe8d5}"
    ".tag{display:inline-block;border:1px solid #bcc;border-radius:8px;padding:0 6px;"
    "margin:0 2px 2px 0;font-size:12px;white-space:nowrap}"
    "figure{margin:4px 0 8px}svg.chart{width:100%;height:auto;display:block}"
    "svg.spark{display:block}"
    "section.host{border-top:1px solid #ccd;margin-top:12px}"
    "footer{margin-top:28px;color:#666;font-size:12px;border-top:1px solid #ccd;"
    "padding-top:6px}"
    "@media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}"
    "a{color:inherit;text-decoration:none}a.aside{display:none}"
    "section.host,figure,tr,.tile{break-inside:avoid}h2,h3{break-after:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"
    "@page{size:A4 landscape;margin:12mm}";

static const char *const services[] = {"RAID", "Updates", "Heartbeat", "Hardware", "System"};

/* The report's counts, each from the rows the page lists. */
typedef struct {
	guint64 hosts, inactive, past_eos, eos_soon;
	guint64 alarms, critical, warning, unacknowledged;
	guint64 by_service[G_N_ELEMENTS(services)];
	guint64 raised, cleared;
	guint64 update_hosts, pending, security, failed, reboot;
	guint64 devices_critical, devices_warning, devices_unknown;
	guint64 events, critical_events, error_events, warning_events, other_events;
	guint64 changes;
} Summary;

/* --- cells ---------------------------------------------------------------------------------------
 */

static guint64
cell_uint(const CtlTable *table, guint row, const char *name)
{
	guint64 value = 0;
	const char *text = ctl_table_get(table, row, name);

	if (text != NULL)
		g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, NULL);
	return value;
}

static gboolean
cell_is(const CtlTable *table, guint row, const char *name, const char *value)
{
	const char *text = ctl_table_get(table, row, name);
	return text != NULL && strcmp(text, value) == 0;
}

void
ctl_report_cell(GString *out, const char *text, const char *class_name, gsize max_chars)
{
	g_string_append(out, "<td");
	if (class_name != NULL)
		ctl_html_attribute(out, "class", class_name);
	g_string_append_c(out, '>');
	if (text == NULL || text[0] == '\0')
		g_string_append_c(out, '-');
	else
		ctl_html_append_short(out, text, max_chars);
	g_string_append(out, "</td>");
}

void
ctl_report_cell_number(GString *out, const char *number)
{
	ctl_report_cell(out, number, "num", 0);
}

void
ctl_report_cell_time(GString *out, const char *time)
{
	g_autofree char *text = ctl_cell_display(CTL_TYPE_TIME, time);
	ctl_report_cell(out, text, "time", 0);
}

void
ctl_report_badge(GString *out, const char *value)
{
	static const char *const known[] = {"critical", "error",  "warning", "ok",
	                                    "inactive", "active", NULL};

	if (value == NULL) {
		g_string_append_c(out, '-');
		return;
	}
	g_string_append(out, "<span class=\"badge");
	if (g_strv_contains(known, value))
		g_string_append_printf(out, " b-%s", value);
	g_string_append(out, "\">");
	ctl_html_append(out, value);
	g_string_append(out, "</span>");
}

static void
metric(GString *out, const char *name, guint64 value, const char *label)
{
	g_string_append_printf(
	    out, "<li><span class=\"n\" data-metric=\"%s\">%" G_GUINT64_FORMAT "</span> %s</li>",
	    name, value, label);
}

/* --- the summary
 * ---------------------------------------------------------------------------------- */

static void
summary_count(const CtlReport *report, Summary *sum)
{
	const CtlTable *t;

	t = report->hosts;
	sum->hosts = ctl_table_get_n_rows(t);
	for (guint r = 0; r < sum->hosts; r++) {
		sum->inactive += cell_is(t, r, "inactive", "1");
		sum->past_eos += cell_is(t, r, "end_of_support_state", "past end of support");
		sum->eos_soon += cell_is(t, r, "end_of_support_state", "ends within 180 days");
	}
	t = report->alarms;
	sum->alarms = ctl_table_get_n_rows(t);
	for (guint r = 0; r < sum->alarms; r++) {
		sum->critical += cell_is(t, r, "severity", "critical");
		sum->warning += cell_is(t, r, "severity", "warning");
		sum->unacknowledged += ctl_table_get(t, r, "acknowledged_at") == NULL;
		for (guint s = 0; s < G_N_ELEMENTS(services); s++)
			sum->by_service[s] += cell_is(t, r, "service", services[s]);
	}
	if (ctl_table_get_n_rows(report->alarm_counts) > 0) {
		sum->raised = cell_uint(report->alarm_counts, 0, "raised");
		sum->cleared = cell_uint(report->alarm_counts, 0, "cleared");
	}
	t = report->updates;
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		sum->update_hosts += cell_uint(t, r, "pending") > 0;
		sum->pending += cell_uint(t, r, "pending");
		sum->security += cell_uint(t, r, "security");
		sum->failed += cell_uint(t, r, "failed");
		sum->reboot += !cell_is(t, r, "reboot_required", "0");
	}
	t = report->devices;
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		sum->devices_critical += cell_is(t, r, "status", "critical");
		sum->devices_warning += cell_is(t, r, "status", "warning");
		sum->devices_unknown += cell_is(t, r, "status", "unknown");
	}
	t = report->host_days;
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		sum->events += cell_uint(t, r, "events");
		sum->critical_events += cell_uint(t, r, "critical");
		sum->error_events += cell_uint(t, r, "error");
		sum->warning_events += cell_uint(t, r, "warning");
		sum->other_events += cell_uint(t, r, "other");
	}
	if (ctl_table_get_n_rows(report->changes) > 0)
		sum->changes = cell_uint(report->changes, 0, "total");
}

/* A tile: its title (a link to anchor), its big number (none when metric_name is NULL), then
 * the caller's list items; tile_end closes it. */
static void
tile_begin(GString *out, const char *title, gboolean bad, gboolean warn, const char *metric_name,
           guint64 big, const char *anchor)
{
	g_string_append_printf(out, "<div class=\"tile%s\"><h3><a href=\"#%s\">%s</a></h3>",
	                       bad    ? " bad"
	                       : warn ? " warn"
	                              : "",
	                       anchor, title);
	if (metric_name != NULL)
		g_string_append_printf(
		    out, "<p class=\"big\" data-metric=\"%s\">%" G_GUINT64_FORMAT "</p>",
		    metric_name, big);
	g_string_append(out, "<ul>");
}

static void
tile_end(GString *out)
{
	g_string_append(out, "</ul></div>");
}

static void
summary_tiles(const Summary *sum, GString *out)
{
	g_string_append(out, "<div class=\"tiles\">");
	tile_begin(out, "Hosts", sum->inactive > 0, FALSE, "hosts.total", sum->hosts, "servers");
	metric(out, "hosts.active", sum->hosts - sum->inactive, "reporting");
	metric(out, "hosts.inactive", sum->inactive, "inactive or silent");
	tile_end(out);
	tile_begin(out, "Open alarms", sum->critical > 0, sum->alarms > 0, "alarms.open",
	           sum->alarms, "alarms");
	metric(out, "alarms.critical", sum->critical, "critical");
	metric(out, "alarms.warning", sum->warning, "warning");
	metric(out, "alarms.unacknowledged", sum->unacknowledged, "not acknowledged");
	tile_end(out);
	tile_begin(out, "Open alarms by service", FALSE, FALSE, NULL, 0, "alarms");
	for (guint s = 0; s < G_N_ELEMENTS(services); s++) {
		g_autofree char *name = g_strdup_printf("alarms.service.%s", services[s]);
		metric(out, name, sum->by_service[s], services[s]);
	}
	tile_end(out);
	tile_begin(out, "Alarms raised", FALSE, FALSE, "alarms.raised", sum->raised, "alarms");
	g_string_append(out, "<li>in the period</li>");
	metric(out, "alarms.cleared", sum->cleared, "of them cleared since");
	tile_end(out);
	tile_begin(out, "Events", sum->critical_events > 0, sum->error_events > 0, "events.total",
	           sum->events, "events");
	metric(out, "events.critical", sum->critical_events, "critical");
	metric(out, "events.error", sum->error_events, "error");
	metric(out, "events.warning", sum->warning_events, "warning");
	metric(out, "events.other", sum->other_events, "other");
	tile_end(out);
	tile_begin(out, "Devices", sum->devices_critical > 0, sum->devices_warning > 0,
	           "devices.attention",
	           sum->devices_critical + sum->devices_warning + sum->devices_unknown, "devices");
	metric(out, "devices.critical", sum->devices_critical, "critical");
	metric(out, "devices.warning", sum->devices_warning, "warning");
	metric(out, "devices.unknown", sum->devices_unknown, "unknown");
	tile_end(out);
	tile_begin(out, "Configuration", FALSE, FALSE, "changes.total", sum->changes, "changes");
	g_string_append(out, "<li>RAID changes received in the period</li>");
	tile_end(out);
	tile_begin(out, "Updates", sum->failed > 0, sum->update_hosts > 0, "updates.hosts",
	           sum->update_hosts, "updates");
	g_string_append(out, "<li>hosts with updates pending</li>");
	metric(out, "updates.pending", sum->pending, "updates pending");
	metric(out, "updates.security", sum->security, "of them security");
	metric(out, "updates.failed", sum->failed, "failed");
	metric(out, "updates.reboot", sum->reboot, "hosts need a reboot");
	tile_end(out);
	tile_begin(out, "OS support", sum->past_eos > 0, sum->eos_soon > 0, "eos.past",
	           sum->past_eos, "support");
	g_string_append(out, "<li>past the end of support</li>");
	metric(out, "eos.soon", sum->eos_soon, "ending within 180 days");
	tile_end(out);
	g_string_append(out, "</div>");
}

static void
inactive_hosts_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->hosts;
	gboolean any = FALSE;

	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		if (!cell_is(t, r, "inactive", "1"))
			continue;
		if (!any)
			g_string_append(out, "<h3>Inactive servers</h3><table class=\"inactive\">"
			                     "<thead><tr><th>Server</th><th>Why</th>"
			                     "<th>Last heartbeat</th></tr></thead><tbody>");
		any = TRUE;
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-inactive-host", ctl_table_get(t, r, "name"));
		g_string_append_printf(out, "><td><a href=\"#server-%u\">", r);
		ctl_html_append(out, ctl_table_get(t, r, "name"));
		g_string_append(out, "</a></td>");
		ctl_report_cell(out, ctl_table_get(t, r, "inactive_reason"), NULL, 0);
		ctl_report_cell_time(out, ctl_table_get(t, r, "last_heartbeat"));
		g_string_append(out, "</tr>");
	}
	if (any)
		g_string_append(out, "</tbody></table>");
}

/* --- the page's frame ------------------------------------------------------------------------ */

static void
age_text(gint64 seconds, GString *out)
{
	if (seconds < 120)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " s", seconds);
	else if (seconds < 2 * 3600)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " min", seconds / 60);
	else if (seconds < 2 * 86400)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " h", seconds / 3600);
	else
		g_string_append_printf(out, "%" G_GINT64_FORMAT " days", seconds / 86400);
}

/* Where the data stands: the newest correlator checkpoint, and a banner when it is stale. */
static void
freshness_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->checkpoints;

	if (ctl_table_get_n_rows(t) == 0) {
		g_string_append(out,
		                "<p class=\"banner\" data-stale=\"no-checkpoint\">No correlator "
		                "has checkpointed yet: nothing received has been processed, "
		                "and this page shows no live data.</p>");
		return;
	}
	gint64 age = (gint64)cell_uint(t, 0, "age_s");
	g_autofree char *at = ctl_cell_display(CTL_TYPE_TIME, ctl_table_get(t, 0, "updated_at"));
	g_autoptr(GString) age_string = g_string_new(NULL);
	age_text(age, age_string);
	if (age > report->stale_after_s) {
		g_autoptr(GString) limit = g_string_new(NULL);
		age_text(report->stale_after_s, limit);
		g_string_append(out,
		                "<p class=\"banner\" data-stale=\"stale\">Stale data: correlator ");
		ctl_html_append(out, ctl_table_get(t, 0, "correlator"));
		g_string_append_printf(out,
		                       " last checkpointed at %s UTC, %s ago (checks.stale_after: "
		                       "%s). The pipeline may be down: the fleet may be worse "
		                       "than this page shows.</p>",
		                       at, age_string->str, limit->str);
		return;
	}
	g_string_append(out, "<p class=\"meta\" data-stale=\"fresh\">Data as of correlator ");
	ctl_html_append(out, ctl_table_get(t, 0, "correlator"));
	g_string_append_printf(out, "'s checkpoint at %s UTC (%s before this report).</p>", at,
	                       age_string->str);
}

static void
page_head(const CtlReport *report, GString *out)
{
	g_autoptr(GString) title = g_string_new(NULL);
	g_autoptr(GDateTime) now =
	    g_date_time_new_from_unix_utc(report->generated_us / G_USEC_PER_SEC);
	g_autofree char *generated = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

	if (report->host != NULL) {
		g_string_append(title, "Chopin report: ");
		g_string_append(title, report->host);
	} else {
		g_string_append(title, "Chopin fleet report");
	}
	g_string_append(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	                     "lang=\"en\"><head><meta charset=\"utf-8\"/>"
	                     "<meta http-equiv=\"Content-Security-Policy\" "
	                     "content=\"default-src 'none'; style-src 'unsafe-inline'\"/>"
	                     "<meta name=\"viewport\" content=\"width=device-width\"/>"
	                     "<meta name=\"generator\" content=\"chopinctl " PACKAGE_VERSION
	                     "\"/><title>");
	ctl_html_append(out, title->str);
	g_string_append(out, ", ");
	ctl_report_period_text(report, out);
	g_string_append_printf(out, "</title><style>%s</style></head>\n<body><header><h1>",
	                       report_css);
	ctl_html_append(out, title->str);
	g_string_append(out, "</h1><p class=\"meta\">Period: <span class=\"period\">");
	ctl_report_period_text(report, out);
	g_string_append_printf(out,
	                       "</span> (<span data-metric=\"period.days\">%u</span> UTC days, "
	                       "event time). Generated %s UTC by chopinctl with the read-only "
	                       "account.</p>",
	                       report->n_days, generated);
	freshness_html(report, out);
	g_string_append(out, "<nav><a href=\"#summary\">Summary</a><a href=\"#alarms\">Open "
	                     "alarms</a><a href=\"#events\">Events</a><a href=\"#devices\">"
	                     "Devices</a><a href=\"#changes\">Configuration changes</a>"
	                     "<a href=\"#servers\">Servers</a><a href=\"#updates\">Updates</a>"
	                     "<a href=\"#support\">OS support</a><a href=\"#rules\">Rules</a>"
	                     "</nav></header>\n");
}

/* --- the state tables ----------------------------------------------------------------------- */

static void
alarms_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->alarms;

	g_string_append(out, "<section id=\"alarms\"><h2>Open alarms</h2>");
	if (ctl_table_get_n_rows(t) == 0) {
		g_string_append(out, "<p class=\"muted\">No open alarm.</p></section>\n");
		return;
	}
	g_string_append(out, "<table><thead><tr><th class=\"num\">ID</th><th>Host</th>"
	                     "<th>Service</th><th>Severity</th><th>Since</th><th>Last seen</th>"
	                     "<th class=\"num\">N</th><th>Acknowledged</th><th>Text</th>"
	                     "</tr></thead><tbody>");
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-alarm-id", ctl_table_get(t, r, "alarm_id"));
		g_string_append_c(out, '>');
		ctl_report_cell_number(out, ctl_table_get(t, r, "alarm_id"));
		ctl_report_cell(out, ctl_table_get(t, r, "host"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "service"), NULL, 0);
		g_string_append(out, "<td>");
		ctl_report_badge(out, ctl_table_get(t, r, "severity"));
		g_string_append(out, "</td>");
		ctl_report_cell_time(out, ctl_table_get(t, r, "first_seen"));
		ctl_report_cell_time(out, ctl_table_get(t, r, "last_seen"));
		ctl_report_cell_number(out, ctl_table_get(t, r, "occurrences"));
		ctl_report_cell(out, ctl_table_get(t, r, "acknowledged_by"), NULL, 0);
		g_string_append(out, "<td class=\"msg\">");
		ctl_html_append_short(out, ctl_table_get(t, r, "text"), ALARM_TEXT_CHARS);
		if (cell_is(t, r, "has_ticket", "1"))
			g_string_append(out, " <span class=\"badge\">ticket</span>");
		g_string_append(out, "</td></tr>");
	}
	g_string_append(out, "</tbody></table></section>\n");
}

static void
devices_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->devices;

	g_string_append(out, "<section id=\"devices\"><h2>Devices needing attention</h2>");
	if (ctl_table_get_n_rows(t) == 0) {
		g_string_append(out, "<p class=\"muted\">Every device of the latest RAID "
		                     "inventories is ok.</p></section>\n");
		return;
	}
	g_string_append(out, "<table><thead><tr><th>Host</th><th>Device</th><th>Kind</th>"
	                     "<th>State</th><th>Status</th><th>Model</th><th>Serial</th>"
	                     "<th>Last seen</th></tr></thead><tbody>");
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-host", ctl_table_get(t, r, "host"));
		ctl_html_attribute(out, "data-device", ctl_table_get(t, r, "address"));
		ctl_html_attribute(out, "data-status", ctl_table_get(t, r, "status"));
		g_string_append_c(out, '>');
		ctl_report_cell(out, ctl_table_get(t, r, "host"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "address"), "device", 0);
		ctl_report_cell(out, ctl_table_get(t, r, "kind"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "state"), NULL, 0);
		g_string_append(out, "<td>");
		ctl_report_badge(out, ctl_table_get(t, r, "status"));
		g_string_append(out, "</td>");
		ctl_report_cell(out, ctl_table_get(t, r, "model"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "serial"), "device", 0);
		ctl_report_cell_time(out, ctl_table_get(t, r, "last_seen"));
		g_string_append(out, "</tr>");
	}
	g_string_append(out, "</tbody></table></section>\n");
}

static void
changes_html(const CtlReport *report, const Summary *sum, GString *out)
{
	const CtlTable *t = report->changes;

	g_string_append(out, "<section id=\"changes\"><h2>Configuration changes</h2>");
	if (ctl_table_get_n_rows(t) == 0) {
		g_string_append(out, "<p class=\"muted\">No RAID configuration change in the "
		                     "period.</p></section>\n");
		return;
	}
	g_string_append_printf(out, "<p class=\"muted\">%" G_GUINT64_FORMAT " in the period",
	                       sum->changes);
	if (sum->changes > ctl_table_get_n_rows(t))
		g_string_append_printf(out, ", the newest %u shown", ctl_table_get_n_rows(t));
	g_string_append(out, ".</p><table><thead><tr><th>Time</th><th>Host</th><th>Device</th>"
	                     "<th>Change</th><th>What</th></tr></thead><tbody>");
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-host", ctl_table_get(t, r, "host"));
		ctl_html_attribute(out, "data-change", ctl_table_get(t, r, "change"));
		g_string_append_c(out, '>');
		ctl_report_cell_time(out, ctl_table_get(t, r, "changed_at"));
		ctl_report_cell(out, ctl_table_get(t, r, "host"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "device"), "device", 0);
		ctl_report_cell(out, ctl_table_get(t, r, "change"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "text"), "msg", CHANGE_TEXT_CHARS);
		g_string_append(out, "</tr>");
	}
	g_string_append(out, "</tbody></table></section>\n");
}

static void
tags_cell(GString *out, const char *tags)
{
	g_string_append(out, "<td>");
	if (tags == NULL || tags[0] == '\0') {
		g_string_append(out, "-</td>");
		return;
	}
	g_auto(GStrv) list = g_strsplit(tags, ",", -1);
	for (guint i = 0; list[i] != NULL; i++)
		ctl_html_element(out, "span", "tag", list[i]);
	g_string_append(out, "</td>");
}

static void
servers_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->hosts;
	g_autoptr(GHashTable) busy = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint r = 0; r < ctl_table_get_n_rows(report->host_days); r++)
		g_hash_table_add(busy, (gpointer)ctl_table_get(report->host_days, r, "host"));
	g_string_append(out, "<section id=\"servers\"><h2>Servers</h2><table><thead><tr>"
	                     "<th>Server</th><th>Type</th><th>Status</th><th>Last heartbeat</th>"
	                     "<th>OS</th><th>Support</th><th>Last shutdown</th>"
	                     "<th>Last OS update</th><th class=\"num\">Updates</th>"
	                     "<th class=\"num\">Alarms</th><th>Tags</th></tr></thead><tbody>");
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		const char *name = ctl_table_get(t, r, "name");
		gboolean inactive = cell_is(t, r, "inactive", "1");
		g_string_append_printf(out, "<tr id=\"server-%u\"%s", r,
		                       inactive ? " class=\"inactive\"" : "");
		ctl_html_attribute(out, "data-host", name);
		g_string_append(out, "><td class=\"name\">");
		if (g_hash_table_contains(busy, name)) {
			g_string_append_printf(out, "<a href=\"#events-%u\">", r);
			ctl_html_append(out, name);
			g_string_append(out, "</a>");
		} else {
			ctl_html_append(out, name);
		}
		g_string_append(out, "</td>");
		ctl_report_cell(out, ctl_table_get(t, r, "machine_type"), "nowrap", 0);
		g_string_append(out, "<td>");
		ctl_report_badge(out, inactive ? "inactive" : ctl_table_get(t, r, "status"));
		if (inactive) {
			g_string_append(out, " ");
			ctl_html_append(out, ctl_table_get(t, r, "inactive_reason"));
		}
		g_string_append(out, "</td>");
		ctl_report_cell_time(out, ctl_table_get(t, r, "last_heartbeat"));
		ctl_report_cell(out, ctl_table_get(t, r, "os_name"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "SUPPORT"), "nowrap", 0);
		g_autofree char *shutdown =
		    ctl_cell_display(CTL_TYPE_TIME, ctl_table_get(t, r, "last_shutdown_at"));
		const char *kind = ctl_table_get(t, r, "last_shutdown_kind");
		g_autofree char *shutdown_text =
		    kind != NULL ? g_strdup_printf("%s (%s)", shutdown, kind) : g_strdup(shutdown);
		ctl_report_cell(out, shutdown_text, "time", 0);
		ctl_report_cell_time(out, ctl_table_get(t, r, "last_os_update_success"));
		ctl_report_cell_number(out, ctl_table_get(t, r, "available_updates"));
		ctl_report_cell_number(out, ctl_table_get(t, r, "open_alarms"));
		tags_cell(out, ctl_table_get(t, r, "tags"));
		g_string_append(out, "</tr>");
	}
	g_string_append(out, "</tbody></table></section>\n");
}

static void
updates_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->updates;

	g_string_append(out, "<section id=\"updates\"><h2>Pending updates</h2>");
	if (ctl_table_get_n_rows(t) == 0) {
		g_string_append(out, "<p class=\"muted\">No update pending or failed, no reboot "
		                     "required.</p></section>\n");
		return;
	}
	g_string_append(out, "<table><thead><tr><th>Host</th><th class=\"num\">Pending</th>"
	                     "<th class=\"num\">Security</th><th class=\"num\">Failed</th>"
	                     "<th>Reboot</th><th>Last search</th><th>Last success</th>"
	                     "<th>Pending KBs</th></tr></thead><tbody>");
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-host", ctl_table_get(t, r, "host"));
		g_string_append_c(out, '>');
		ctl_report_cell(out, ctl_table_get(t, r, "host"), NULL, 0);
		ctl_report_cell_number(out, ctl_table_get(t, r, "pending"));
		ctl_report_cell_number(out, ctl_table_get(t, r, "security"));
		ctl_report_cell_number(out, ctl_table_get(t, r, "failed"));
		ctl_report_cell(out, cell_is(t, r, "reboot_required", "0") ? "no" : "required",
		                NULL, 0);
		ctl_report_cell_time(out, ctl_table_get(t, r, "last_search"));
		ctl_report_cell_time(out, ctl_table_get(t, r, "last_success"));
		ctl_report_cell(out, ctl_table_get(t, r, "pending_kbs"), NULL, 0);
		g_string_append(out, "</tr>");
	}
	g_string_append(out, "</tbody></table></section>\n");
}

static void
support_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->hosts;
	gboolean any = FALSE;

	g_string_append(out, "<section id=\"support\"><h2>OS end of support</h2>");
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		if (ctl_table_get(t, r, "end_of_support_state") == NULL)
			continue;
		if (!any)
			g_string_append(out, "<table><thead><tr><th>Host</th><th>OS</th>"
			                     "<th>Extended support ends</th><th>State</th></tr>"
			                     "</thead><tbody>");
		any = TRUE;
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-host", ctl_table_get(t, r, "name"));
		ctl_html_attribute(out, "data-eos", ctl_table_get(t, r, "end_of_support_state"));
		g_string_append_c(out, '>');
		ctl_report_cell(out, ctl_table_get(t, r, "name"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "os_name"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "end_of_support"), "time", 0);
		ctl_report_cell(out, ctl_table_get(t, r, "end_of_support_state"), NULL, 0);
		g_string_append(out, "</tr>");
	}
	g_string_append(out, any ? "</tbody></table></section>\n"
	                         : "<p class=\"muted\">No OS past or within 180 days of the end "
	                           "of its extended support.</p></section>\n");
}

static void
rules_html(const CtlReport *report, GString *out)
{
	const CtlTable *t = report->rules;

	g_string_append(out, "<section id=\"rules\"><h2>Rules in force</h2>");
	if (ctl_table_get_n_rows(t) == 0) {
		g_string_append(out, "<p class=\"muted\">The correlator has not published its "
		                     "rules.</p></section>\n");
		return;
	}
	g_string_append(out, "<table><thead><tr><th>Rule</th><th>Type</th><th>Enabled</th>"
	                     "<th>Loaded</th><th class=\"num\">Open alarms (fleet)</th></tr>"
	                     "</thead><tbody>");
	for (guint r = 0; r < ctl_table_get_n_rows(t); r++) {
		g_string_append(out, "<tr>");
		ctl_report_cell(out, ctl_table_get(t, r, "rule"), NULL, 0);
		ctl_report_cell(out, ctl_table_get(t, r, "type"), NULL, 0);
		ctl_report_cell(out, cell_is(t, r, "enabled", "0") ? "no" : "yes", NULL, 0);
		ctl_report_cell_time(out, ctl_table_get(t, r, "loaded_at"));
		ctl_report_cell_number(out, ctl_table_get(t, r, "open_alarms"));
		g_string_append(out, "</tr>");
	}
	g_string_append(out, "</tbody></table></section>\n");
}

void
ctl_report_html(const CtlReport *report, GString *out)
{
	Summary sum = {0};

	summary_count(report, &sum);
	page_head(report, out);
	g_string_append(out, "<main><section id=\"summary\"><h2>Summary</h2>");
	summary_tiles(&sum, out);
	inactive_hosts_html(report, out);
	if (report->host == NULL && sum.events > 0) {
		g_string_append(out, "<h3>Events per day, whole fleet</h3>");
		ctl_report_html_fleet_chart(report, out);
	}
	g_string_append(out, "</section>\n");
	alarms_html(report, out);
	g_string_append(out, "<section id=\"events\"><h2>Events by host and device</h2>");
	ctl_report_html_events(report, out);
	g_string_append(out, "</section>\n");
	devices_html(report, out);
	changes_html(report, &sum, out);
	servers_html(report, out);
	updates_html(report, out);
	support_html(report, out);
	rules_html(report, out);
	g_string_append(out, "</main><footer>Chopin " PACKAGE_VERSION
	                     ". Times are UTC. Events are counted by the agents' event time "
	                     "per UTC day (v_events_per_host_day, v_events_per_device_day); "
	                     "alarms, devices, updates and support are as of the report's "
	                     "time.</footer></body></html>\n");
}
