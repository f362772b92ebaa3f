/* report-events: the report's events: the fleet chart, and per host its chart, devices, groups. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

#define DEVICES_SHOWN        12  /* per host, the busiest; the rest summed up in one line */
#define GROUPS_SHOWN         15  /* per host, the most frequent */
#define MESSAGE_CHARS        300 /* a message is cut after this many characters */
#define DEVICE_MESSAGE_CHARS 120

/* The stacking order of the charts: the most severe at the bottom, where it is seen first.
 * Keys are the columns of v_events_per_host_day. */
static const CtlChartSeries level_series[] = {
    {"critical", "critical", "#b2182b"},
    {"error", "error", "#e8601c"},
    {"warning", "warning", "#f1b621"},
    {"other", "other", "#6b9ac4"},
};

static const CtlChartSeries device_series[] = {
    {"events", "events", "#4a6fa5"},
};

typedef struct {
	const char *address; /* borrowed from the report's tables */
	CtlChart *chart;
	guint64 total;
} DeviceEvents;

typedef struct {
	const char *name; /* borrowed from the report's tables */
	CtlChart *chart;
	guint64 total;
	GPtrArray *devices; /* DeviceEvents, busiest first once sorted */
	GArray *groups;     /* row numbers in report->groups, most frequent first */
} HostEvents;

static void
device_events_free(DeviceEvents *device)
{
	ctl_chart_free(device->chart);
	g_free(device);
}

static void
host_events_free(HostEvents *host)
{
	ctl_chart_free(host->chart);
	g_ptr_array_unref(host->devices);
	g_array_unref(host->groups);
	g_free(host);
}

static guint64
cell_uint(const CtlTable *table, guint row, const char *name)
{
	guint64 value = 0;
	const char *text = ctl_table_get(table, row, name);

	if (text != NULL)
		g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, NULL);
	return value;
}

static HostEvents *
host_events_lookup(const CtlReport *report, GHashTable *hosts, const char *name)
{
	HostEvents *host = g_hash_table_lookup(hosts, name);

	if (host == NULL) {
		host = g_new0(HostEvents, 1);
		host->name = name;
		host->chart = ctl_chart_new(&report->first_day, report->n_days, level_series,
		                            G_N_ELEMENTS(level_series));
		host->devices = g_ptr_array_new_with_free_func((GDestroyNotify)device_events_free);
		host->groups = g_array_new(FALSE, FALSE, sizeof(guint));
		g_hash_table_insert(hosts, (gpointer)name, host);
	}
	return host;
}

static gint
host_events_compare(gconstpointer a, gconstpointer b)
{
	const HostEvents *x = *(HostEvents *const *)a, *y = *(HostEvents *const *)b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

static gint
device_events_compare(gconstpointer a, gconstpointer b)
{
	const DeviceEvents *x = *(DeviceEvents *const *)a, *y = *(DeviceEvents *const *)b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->address, y->address);
}

/* Every host with events in the period, the busiest first. */
static GPtrArray *
host_events_collect(const CtlReport *report)
{
	g_autoptr(GHashTable) by_name = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *hosts = g_ptr_array_new_with_free_func((GDestroyNotify)host_events_free);

	for (guint r = 0; r < ctl_table_get_n_rows(report->host_days); r++) {
		HostEvents *host = host_events_lookup(report, by_name,
		                                      ctl_table_get(report->host_days, r, "host"));
		const char *day = ctl_table_get(report->host_days, r, "day");
		for (guint s = 0; s < G_N_ELEMENTS(level_series); s++)
			ctl_chart_add(host->chart, s, day,
			              cell_uint(report->host_days, r, level_series[s].key));
		host->total += cell_uint(report->host_days, r, "events");
	}
	for (guint r = 0; r < ctl_table_get_n_rows(report->device_days); r++) {
		HostEvents *host = host_events_lookup(
		    report, by_name, ctl_table_get(report->device_days, r, "host"));
		const char *address = ctl_table_get(report->device_days, r, "device");
		DeviceEvents *device =
		    host->devices->len > 0
		        ? g_ptr_array_index(host->devices, host->devices->len - 1)
		        : NULL;
		/* rows come ordered by host, device, day */
		if (device == NULL || strcmp(device->address, address) != 0) {
			device = g_new0(DeviceEvents, 1);
			device->address = address;
			device->chart = ctl_chart_new(&report->first_day, report->n_days,
			                              device_series, G_N_ELEMENTS(device_series));
			g_ptr_array_add(host->devices, device);
		}
		guint64 events = cell_uint(report->device_days, r, "events");
		ctl_chart_add(device->chart, 0, ctl_table_get(report->device_days, r, "day"),
		              events);
		device->total += events;
	}
	for (guint r = 0; r < ctl_table_get_n_rows(report->groups); r++) {
		HostEvents *host =
		    host_events_lookup(report, by_name, ctl_table_get(report->groups, r, "host"));
		g_array_append_val(host->groups, r);
	}
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, by_name);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		HostEvents *host = value;
		g_ptr_array_sort(host->devices, device_events_compare);
		g_ptr_array_add(hosts, host);
	}
	g_ptr_array_sort(hosts, host_events_compare);
	return hosts;
}

/* The row of hosts (the servers table) of name: the anchors' number. */
static guint
host_row(const CtlReport *report, const char *name)
{
	for (guint r = 0; r < ctl_table_get_n_rows(report->hosts); r++)
		if (strcmp(ctl_table_get(report->hosts, r, "name"), name) == 0)
			return r;
	return G_MAXUINT;
}

void
ctl_report_html_fleet_chart(const CtlReport *report, GString *out)
{
	g_autoptr(CtlChart) chart = ctl_chart_new(&report->first_day, report->n_days, level_series,
	                                          G_N_ELEMENTS(level_series));
	g_autoptr(GString) title = g_string_new("Events per day, whole fleet, ");

	for (guint r = 0; r < ctl_table_get_n_rows(report->host_days); r++)
		for (guint s = 0; s < G_N_ELEMENTS(level_series); s++)
			ctl_chart_add(chart, s, ctl_table_get(report->host_days, r, "day"),
			              cell_uint(report->host_days, r, level_series[s].key));
	ctl_report_period_text(report, title);
	g_string_append(out, "<figure class=\"chart\" data-chart=\"fleet\">");
	ctl_chart_bars_svg(chart, title->str, "chart-fleet", out);
	g_string_append(out, "</figure>");
}

/* "53x message" of the first (most frequent) group of address, or NULL. */
static const char *
device_top_group(const CtlReport *report, const HostEvents *host, const char *address,
                 const char **ret_count)
{
	for (guint i = 0; i < host->groups->len; i++) {
		guint r = g_array_index(host->groups, guint, i);
		const char *device = ctl_table_get(report->groups, r, "device");
		if (device != NULL && strcmp(device, address) == 0) {
			*ret_count = ctl_table_get(report->groups, r, "count");
			return ctl_table_get(report->groups, r, "message");
		}
	}
	return NULL;
}

static void
host_devices_html(const CtlReport *report, const HostEvents *host, GString *out)
{
	guint64 scale = 0, rest_events = 0;

	if (host->devices->len == 0)
		return;
	for (guint i = 0; i < host->devices->len; i++) {
		const DeviceEvents *device = g_ptr_array_index(host->devices, i);
		scale = MAX(scale, ctl_chart_max_day(device->chart, NULL));
	}
	g_string_append(out, "<table class=\"devices\"><thead><tr><th>Device</th>"
	                     "<th class=\"num\">Events</th><th>Per day</th>"
	                     "<th>Most frequent</th></tr></thead><tbody>");
	for (guint i = 0; i < host->devices->len; i++) {
		const DeviceEvents *device = g_ptr_array_index(host->devices, i);
		if (i >= DEVICES_SHOWN) {
			rest_events += device->total;
			continue;
		}
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-device", device->address);
		g_string_append_printf(out, " data-events=\"%" G_GUINT64_FORMAT "\">",
		                       device->total);
		ctl_report_cell(out, device->address, "device", 0);
		g_string_append_printf(out, "<td class=\"num\">%" G_GUINT64_FORMAT "</td><td>",
		                       device->total);
		g_autoptr(GString) title = g_string_new(device->address);
		g_string_append(title, ": events per day, ");
		ctl_report_period_text(report, title);
		ctl_chart_sparkline_svg(device->chart, scale, title->str, out);
		g_string_append(out, "</td><td class=\"msg\">");
		const char *count = NULL;
		const char *message = device_top_group(report, host, device->address, &count);
		if (message != NULL) {
			g_string_append_printf(out, "<b>");
			ctl_html_append(out, count);
			g_string_append(out, "x</b> ");
			ctl_html_append_short(out, message, DEVICE_MESSAGE_CHARS);
		}
		g_string_append(out, "</td></tr>");
	}
	if (host->devices->len > DEVICES_SHOWN)
		g_string_append_printf(out,
		                       "<tr class=\"more\"><td colspan=\"4\">and %u more devices "
		                       "with %" G_GUINT64_FORMAT " events</td></tr>",
		                       host->devices->len - DEVICES_SHOWN, rest_events);
	g_string_append(out, "</tbody></table>");
}

static void
host_groups_html(const CtlReport *report, const HostEvents *host, GString *out)
{
	const CtlTable *groups = report->groups;
	guint64 rest_events = 0;

	g_string_append(out, "<table class=\"groups\"><thead><tr><th class=\"num\">Count</th>"
	                     "<th>Device</th><th>Source</th><th class=\"num\">ID</th>"
	                     "<th>Level</th><th>First</th><th>Last</th><th>Message</th>"
	                     "</tr></thead><tbody>");
	for (guint i = 0; i < host->groups->len; i++) {
		guint r = g_array_index(host->groups, guint, i);
		if (i >= GROUPS_SHOWN) {
			rest_events += cell_uint(groups, r, "count");
			continue;
		}
		const char *device = ctl_table_get(groups, r, "device");
		const char *level = ctl_table_get(groups, r, "level");
		g_string_append(out, "<tr");
		ctl_html_attribute(out, "data-device", device != NULL ? device : "");
		ctl_html_attribute(out, "data-source", ctl_table_get(groups, r, "source"));
		ctl_html_attribute(out, "data-event-id", ctl_table_get(groups, r, "event_id"));
		ctl_html_attribute(out, "data-count", ctl_table_get(groups, r, "count"));
		g_string_append(out, "><td class=\"num\">");
		ctl_html_append(out, ctl_table_get(groups, r, "count"));
		g_string_append(out, "x</td>");
		ctl_report_cell(out, device, "device", 0);
		ctl_report_cell(out, ctl_table_get(groups, r, "source"), NULL, 0);
		ctl_report_cell_number(out, ctl_table_get(groups, r, "event_id"));
		g_string_append(out, "<td>");
		ctl_report_badge(out, level);
		g_string_append(out, "</td>");
		ctl_report_cell_time(out, ctl_table_get(groups, r, "first"));
		ctl_report_cell_time(out, ctl_table_get(groups, r, "last"));
		ctl_report_cell(out, ctl_table_get(groups, r, "message"), "msg", MESSAGE_CHARS);
		g_string_append(out, "</tr>");
	}
	if (host->groups->len > GROUPS_SHOWN)
		g_string_append_printf(out,
		                       "<tr class=\"more\"><td colspan=\"8\">and %u more kinds of "
		                       "event with %" G_GUINT64_FORMAT " events</td></tr>",
		                       host->groups->len - GROUPS_SHOWN, rest_events);
	g_string_append(out, "</tbody></table>");
}

static void
host_section_html(const CtlReport *report, const HostEvents *host, GString *out)
{
	guint row = host_row(report, host->name);
	g_autofree char *id = g_strdup_printf("events-%u", row);
	g_autoptr(GString) title = g_string_new("Events per day on ");

	g_string_append_printf(out, "<section class=\"host\" id=\"%s\"", id);
	ctl_html_attribute(out, "data-host", host->name);
	g_string_append_printf(out, " data-events=\"%" G_GUINT64_FORMAT "\"><h3><span>",
	                       host->total);
	ctl_html_append(out, host->name);
	g_string_append_printf(out,
	                       "</span> <a class=\"aside\" href=\"#server-%u\">server</a></h3>"
	                       "<p class=\"muted\">%" G_GUINT64_FORMAT " %s",
	                       row, host->total, host->total == 1 ? "event" : "events");
	for (guint s = 0; s < G_N_ELEMENTS(level_series); s++)
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " %s", s == 0 ? ": " : ", ",
		                       ctl_chart_series_total(host->chart, s),
		                       level_series[s].label);
	g_string_append(out, ".</p><figure class=\"chart\">");
	g_string_append(title, host->name);
	g_string_append(title, ", ");
	ctl_report_period_text(report, title);
	g_autofree char *chart_id = g_strdup_printf("chart-%u", row);
	ctl_chart_bars_svg(host->chart, title->str, chart_id, out);
	g_string_append(out, "</figure>");
	host_devices_html(report, host, out);
	host_groups_html(report, host, out);
	g_string_append(out, "</section>");
}

void
ctl_report_html_events(const CtlReport *report, GString *out)
{
	g_autoptr(GPtrArray) hosts = host_events_collect(report);
	g_autoptr(GHashTable) busy = g_hash_table_new(g_str_hash, g_str_equal);
	gboolean first = TRUE;

	if (hosts->len == 0)
		g_string_append(out, "<p class=\"muted\">No events in the period.</p>");
	for (guint i = 0; i < hosts->len; i++) {
		const HostEvents *host = g_ptr_array_index(hosts, i);
		g_hash_table_add(busy, (gpointer)host->name);
		host_section_html(report, host, out);
	}
	for (guint r = 0; r < ctl_table_get_n_rows(report->hosts); r++) {
		const char *name = ctl_table_get(report->hosts, r, "name");
		if (g_hash_table_contains(busy, name))
			continue;
		g_string_append(out,
		                first ? "<p class=\"quiet\">No events in the period from: " : ", ");
		first = FALSE;
		g_string_append_printf(out, "<a href=\"#server-%u\"", r);
		ctl_html_attribute(out, "data-quiet-host", name);
		g_string_append_c(out, '>');
		ctl_html_append(out, name);
		g_string_append(out, "</a>");
	}
	if (!first)
		g_string_append(out, ".</p>");
}
