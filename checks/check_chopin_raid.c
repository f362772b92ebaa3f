/* check_chopin_raid: RAID controllers, virtual and physical drives and RAID alarms of one server.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "check-common.h"

/* Counts for the status line and perfdata. */
typedef struct {
	gint64 devices;
	gint64 vd[3]; /* OK, WARNING, CRITICAL */
	gint64 pd[3];
	gint64 media_errors;
	gint64 other_errors;
	gint64 predictive_failures;
	gint64 alarms_critical;
	gint64 alarms_warning;
	GString *problems; /* "VD c0/v0 degraded, PD 252:0 failed" */
} RaidSummary;

/* One state word as storcli prints it, and what it means for the service. */
typedef struct {
	const char *state;
	ChopinState service_state;
	const char *meaning;
} RaidStateWord;

static const RaidStateWord vd_states[] = {
    {"Optl", CHOPIN_STATE_OK, "optimal"},
    {"Optimal", CHOPIN_STATE_OK, "optimal"},
    {"Dgrd", CHOPIN_STATE_CRITICAL, "degraded"},
    {"Degraded", CHOPIN_STATE_CRITICAL, "degraded"},
    {"OfLn", CHOPIN_STATE_CRITICAL, "offline"},
    {"Offline", CHOPIN_STATE_CRITICAL, "offline"},
    {"Pdgd", CHOPIN_STATE_WARNING, "partially degraded"},
    {"Partially Degraded", CHOPIN_STATE_WARNING, "partially degraded"},
    {"Rec", CHOPIN_STATE_WARNING, "recovering"},
    {NULL, CHOPIN_STATE_OK, NULL},
};

static const RaidStateWord pd_states[] = {
    {"Onln", CHOPIN_STATE_OK, "online"},
    {"Online", CHOPIN_STATE_OK, "online"},
    {"UGood", CHOPIN_STATE_OK, "unconfigured good"},
    {"DHS", CHOPIN_STATE_OK, "dedicated hot spare"},
    {"GHS", CHOPIN_STATE_OK, "global hot spare"},
    {"JBOD", CHOPIN_STATE_OK, "JBOD"},
    {"Rbld", CHOPIN_STATE_WARNING, "rebuilding"},
    {"Rebuild", CHOPIN_STATE_WARNING, "rebuilding"},
    {"Cpybck", CHOPIN_STATE_WARNING, "copying back"},
    {"UBad", CHOPIN_STATE_CRITICAL, "failed: unconfigured bad"},
    {"Failed", CHOPIN_STATE_CRITICAL, "failed"},
    {"Offln", CHOPIN_STATE_CRITICAL, "offline"},
    {"Offline", CHOPIN_STATE_CRITICAL, "offline"},
    {"Msng", CHOPIN_STATE_CRITICAL, "missing"},
    {"Missing", CHOPIN_STATE_CRITICAL, "missing"},
    {NULL, CHOPIN_STATE_OK, NULL},
};

static const RaidStateWord controller_states[] = {
    {"Optimal", CHOPIN_STATE_OK, "optimal"},
    {"Optl", CHOPIN_STATE_OK, "optimal"},
    {"OK", CHOPIN_STATE_OK, "ok"},
    {NULL, CHOPIN_STATE_OK, NULL},
};

static const RaidStateWord battery_states[] = {
    {"Optimal", CHOPIN_STATE_OK, "optimal"},
    {"Optl", CHOPIN_STATE_OK, "optimal"},
    {"Good", CHOPIN_STATE_OK, "good"},
    {"OK", CHOPIN_STATE_OK, "ok"},
    {"Learning", CHOPIN_STATE_OK, "learn cycle"},
    {"Charging", CHOPIN_STATE_OK, "charging"},
    {NULL, CHOPIN_STATE_OK, NULL},
};

/* source, then k1, k2, k3: devices by kind and address, alarms critical first by age. */
static gint
raid_row_compare_cb(gconstpointer a, gconstpointer b)
{
	const CheckRow *x = *(const CheckRow *const *)a;
	const CheckRow *y = *(const CheckRow *const *)b;
	gint64 dx, dy;
	int order;

	for (guint column = 0; column <= 10; column += 10) {
		dx = check_row_int(x, column, 0);
		dy = check_row_int(y, column, 0);
		if (dx != dy)
			return dx < dy ? -1 : 1;
	}
	order = g_strcmp0(check_row_text(x, 11), check_row_text(y, 11));
	if (order != 0)
		return order;
	dx = check_row_int(x, 12, 0);
	dy = check_row_int(y, 12, 0);
	return dx < dy ? -1 : dx > dy;
}

/* What a device's state means. Unknown words warn (the MIB's rule); NULL meaning then. */
static ChopinState
raid_state_classify(const char *kind, const char *state, const char **ret_meaning)
{
	const RaidStateWord *table = strcmp(kind, "vd") == 0        ? vd_states
	                             : strcmp(kind, "pd") == 0      ? pd_states
	                             : strcmp(kind, "battery") == 0 ? battery_states
	                                                            : controller_states;

	*ret_meaning = NULL;
	if (state == NULL) {
		*ret_meaning = "state not reported";
		return CHOPIN_STATE_WARNING;
	}
	for (; table->state != NULL; table++)
		if (g_ascii_strcasecmp(table->state, state) == 0) {
			*ret_meaning = table->meaning;
			return table->service_state;
		}
	if (strcmp(kind, "battery") == 0)
		*ret_meaning = "battery problem";
	else if (strcmp(kind, "controller") == 0)
		*ret_meaning = "controller or cache problem";
	else
		*ret_meaning = "unrecognised state";
	return CHOPIN_STATE_WARNING;
}

/* The value of key in "key=value" lines ('-' and '_' in keys are the same); NULL if absent. */
static char *
raid_attribute(const char *attributes, const char *key)
{
	g_auto(GStrv) lines = NULL;

	if (attributes == NULL)
		return NULL;
	lines = g_strsplit(attributes, "\n", -1);
	for (char **line = lines; *line != NULL; line++) {
		char *equals = strchr(*line, '=');
		if (equals == NULL)
			continue;
		*equals = '\0';
		g_strdelimit(*line, "-", '_');
		if (g_ascii_strcasecmp(g_strstrip(*line), key) == 0)
			return g_strdup(g_strstrip(equals + 1));
	}
	return NULL;
}

static gint64
raid_attribute_count(const char *attributes, const char *key)
{
	g_autofree char *value = raid_attribute(attributes, key);

	return value != NULL ? g_ascii_strtoll(value, NULL, 10) : 0;
}

/* "c0/e252/s7" -> "252:7"; other addresses are returned as they are. */
static char *
raid_slot_name(const char *address)
{
	const char *enclosure = strstr(address, "/e");
	const char *slot = strstr(address, "/s");

	if (enclosure != NULL && slot != NULL && slot > enclosure)
		return g_strdup_printf("%.*s:%s", (int)(slot - enclosure - 2), enclosure + 2,
		                       slot + 2);
	return g_strdup(address);
}

static void raid_problem_add(RaidSummary *summary, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void
raid_problem_add(RaidSummary *summary, const char *format, ...)
{
	va_list args;

	if (summary->problems->len > 0)
		g_string_append(summary->problems, ", ");
	va_start(args, format);
	g_string_append_vprintf(summary->problems, format, args);
	va_end(args);
}

/* One devices row: classify, count, describe. */
static void
raid_device_evaluate(const CheckRow *row, const CheckContext *context, ChopinOutput *output,
                     RaidSummary *summary)
{
	const char *kind = check_row_text(row, 1);
	const char *address = check_row_text(row, 2);
	const char *model = check_row_text(row, 3);
	const char *serial = check_row_text(row, 4);
	gint64 size_mib = check_row_int(row, 5, -1);
	const char *state_word = check_row_text(row, 6);
	const char *status = check_row_text(row, 7);
	const char *attributes = check_row_text(row, 8);
	bool removed = check_row_int(row, 9, 0) != 0;
	const char *meaning;
	ChopinState state = raid_state_classify(kind, state_word, &meaning);
	gint64 predictive = raid_attribute_count(attributes, "predictive_failures") +
	                    raid_attribute_count(attributes, "predictive");
	gint64 media = raid_attribute_count(attributes, "media_errors");
	gint64 other = raid_attribute_count(attributes, "other_errors");
	g_autofree char *replace = raid_attribute(attributes, "replace");
	g_autofree char *slot = raid_slot_name(address);
	g_autoptr(GString) notes = g_string_new(NULL);
	bool is_pd = strcmp(kind, "pd") == 0;
	bool is_vd = strcmp(kind, "vd") == 0;

	summary->devices++;
	if (g_strcmp0(status, "critical") == 0)
		state = chopin_state_worst(state, CHOPIN_STATE_CRITICAL);
	else if (g_strcmp0(status, "warning") == 0)
		state = chopin_state_worst(state, CHOPIN_STATE_WARNING);
	if (removed) {
		if (is_pd) {
			state = CHOPIN_STATE_CRITICAL;
			meaning = "missing from the latest inventory";
		} else {
			state = CHOPIN_STATE_OK;
			meaning = "removed";
		}
	}
	if (predictive > 0) {
		state = chopin_state_worst(state, CHOPIN_STATE_WARNING);
		g_string_append_printf(notes, ", predictive failures %" G_GINT64_FORMAT,
		                       predictive);
	}
	if (replace != NULL &&
	    (g_ascii_strcasecmp(replace, "yes") == 0 || strcmp(replace, "1") == 0)) {
		state = chopin_state_worst(state, CHOPIN_STATE_WARNING);
		g_string_append(notes, ", must be replaced");
	}
	if (media > 0 || other > 0)
		g_string_append_printf(
		    notes, ", media errors %" G_GINT64_FORMAT ", other errors %" G_GINT64_FORMAT,
		    media, other);
	summary->media_errors += media;
	summary->other_errors += other;
	summary->predictive_failures += predictive;
	if (is_vd)
		summary->vd[state == CHOPIN_STATE_CRITICAL ? 2 : state == CHOPIN_STATE_WARNING]++;
	if (is_pd)
		summary->pd[state == CHOPIN_STATE_CRITICAL ? 2 : state == CHOPIN_STATE_WARNING]++;
	chopin_output_raise_state(output, state);

	chopin_output_add_line(
	    output, "[%s] %s %s%s%s: %s (%s)%s%s%s%s%s", chopin_state_name(state),
	    is_vd   ? "VD"
	    : is_pd ? "PD"
	            : kind,
	    address, is_pd ? " slot " : "", is_pd ? slot : "",
	    state_word != NULL ? state_word : "-", meaning, serial != NULL ? ", serial " : "",
	    serial != NULL ? serial : "", model != NULL ? ", model " : "",
	    model != NULL ? model : "", notes->str);
	if (state != CHOPIN_STATE_OK)
		raid_problem_add(summary, "%s %s %s",
		                 is_vd   ? "VD"
		                 : is_pd ? "PD"
		                         : kind,
		                 is_pd ? slot : address,
		                 predictive > 0 && state == CHOPIN_STATE_WARNING &&
		                         g_strcmp0(meaning, "online") == 0
		                     ? "predictive failure"
		                     : meaning);
	if (is_pd && state == CHOPIN_STATE_CRITICAL) {
		g_autofree char *size =
		    size_mib >= 0 ? g_strdup_printf(", size %" G_GINT64_FORMAT " MiB", size_mib)
		                  : g_strdup("");
		chopin_output_add_line(
		    output,
		    "    replace drive: host %s, controller slot %s (%s), serial %s, "
		    "model %s%s",
		    context->host.name, slot, address, serial != NULL ? serial : "?",
		    model != NULL ? model : "?", size);
	}
}

/* One open RAID alarm row (same column layout as the devices rows, see raid_gather). */
static void
raid_alarm_evaluate(const CheckRow *row, ChopinOutput *output, RaidSummary *summary)
{
	bool critical = g_strcmp0(check_row_text(row, 1), "critical") == 0;
	const char *key = check_row_text(row, 2);
	const char *ticket = check_row_text(row, 4);
	const char *acknowledged_by = check_row_text(row, 6);
	ChopinState state = critical ? CHOPIN_STATE_CRITICAL : CHOPIN_STATE_WARNING;

	chopin_output_raise_state(output, state);
	summary->alarms_critical += critical;
	summary->alarms_warning += !critical;
	chopin_output_add_line(output, "[%s] alarm %s%s%s (%" G_GINT64_FORMAT "x)%s%s",
	                       chopin_state_name(state), check_row_text(row, 3),
	                       key != NULL && key[0] != '\0' ? " on " : "", key != NULL ? key : "",
	                       check_row_int(row, 5, 1),
	                       acknowledged_by != NULL ? ", acknowledged by " : "",
	                       acknowledged_by != NULL ? acknowledged_by : "");
	if (ticket != NULL && ticket[0] != '\0') {
		g_auto(GStrv) lines = g_strsplit(ticket, "\n", -1);
		chopin_output_add_line(output, "    replacement ticket:");
		for (char **line = lines; *line != NULL; line++)
			if (g_strstrip(*line)[0] != '\0')
				chopin_output_add_line(output, "      %s", *line);
	}
}

/* Devices (part 0), then open RAID alarms (part 1); rows are sorted here rather than by the
 * server (an ORDER BY over a UNION costs a temporary table per check). k1, k2, k3 are the
 * sort keys. */
static const char raid_sql[] =
    "SELECT 0, d.kind, d.address, d.model, d.serial COLLATE utf8mb4_unicode_ci,"
    "  d.size_mib, d.state, d.status, d.attributes, d.removed,"
    "  FIELD(d.kind, 'controller', 'battery', 'vd', 'pd') AS k1,"
    "  d.address COLLATE utf8mb4_bin AS k2, 0 AS k3"
    " FROM hosts h JOIN devices d ON d.host_id = h.host_id WHERE h.name = ?"
    " UNION ALL"
    " SELECT 1, a.severity, a.alarm_key, a.text, a.ticket_text, a.occurrences,"
    "  a.acknowledged_by, NULL, NULL, 0, IF(a.severity = 'critical', 0, 1),"
    "  DATE_FORMAT(a.first_seen, '%Y%m%d%H%i%s%f') COLLATE utf8mb4_bin, a.alarm_id"
    " FROM hosts h JOIN alarms a ON a.host_id = h.host_id"
    " WHERE h.name = ? AND a.service = 'RAID' AND a.state = 'open'";

static guint
raid_params(const CheckContext *context, ChopinDbValue *ret_params)
{
	ret_params[0] = chopin_db_value_text(context->host_arg);
	ret_params[1] = chopin_db_value_text(context->host_arg);
	return 2;
}

static void
raid_perfdata_add(ChopinOutput *output, const RaidSummary *summary)
{
	check_perfdata_count(output, "vd_ok", summary->vd[0]);
	check_perfdata_count(output, "vd_warning", summary->vd[1]);
	check_perfdata_count(output, "vd_critical", summary->vd[2]);
	check_perfdata_count(output, "pd_ok", summary->pd[0]);
	check_perfdata_count(output, "pd_warning", summary->pd[1]);
	check_perfdata_count(output, "pd_critical", summary->pd[2]);
	check_perfdata_add(output, "media_errors", (double)summary->media_errors, "c", NULL, true,
	                   0);
	check_perfdata_add(output, "other_errors", (double)summary->other_errors, "c", NULL, true,
	                   0);
	check_perfdata_count(output, "predictive_failures", summary->predictive_failures);
	check_perfdata_count(output, "alarms_critical", summary->alarms_critical);
	check_perfdata_count(output, "alarms_warning", summary->alarms_warning);
}

static gboolean
raid_evaluate(CheckContext *context, GPtrArray *rows, ChopinOutput *output, GError **error)
{
	RaidSummary summary = {.problems = g_string_new(NULL)};
	g_autoptr(GString) problems = summary.problems;

	g_ptr_array_sort(rows, raid_row_compare_cb);
	for (guint i = 0; i < rows->len; i++) {
		const CheckRow *row = g_ptr_array_index(rows, i);
		if (check_row_part(row) == 0)
			raid_device_evaluate(row, context, output, &summary);
		else
			raid_alarm_evaluate(row, output, &summary);
	}
	if (summary.devices == 0 && summary.alarms_critical + summary.alarms_warning == 0) {
		if (g_strcmp0(context->host.machine_type, "virtual") == 0) {
			chopin_output_set_summary(output, "%s: virtual machine, no RAID inventory",
			                          context->host.name);
			return TRUE;
		}
		g_set_error(error, CHECK_ERROR, CHECK_ERROR_NO_DATA,
		            "no RAID inventory received from this host yet");
		return FALSE;
	}
	if (summary.alarms_critical + summary.alarms_warning > 0)
		raid_problem_add(&summary, "%" G_GINT64_FORMAT " open alarm%s",
		                 summary.alarms_critical + summary.alarms_warning,
		                 summary.alarms_critical + summary.alarms_warning > 1 ? "s" : "");
	if (problems->len > 0)
		chopin_output_set_summary(output, "%s: %s", context->host.name, problems->str);
	else
		chopin_output_set_summary(output,
		                          "%s: %" G_GINT64_FORMAT " VD and %" G_GINT64_FORMAT
		                          " PD healthy, no open RAID alarm",
		                          context->host.name, summary.vd[0], summary.pd[0]);
	raid_perfdata_add(output, &summary);
	return TRUE;
}

static const CheckPlugin raid_plugin = {
    .program = "check_chopin_raid",
    .service = "RAID",
    .purpose = "RAID state of a Windows server as Chopin recorded it: controllers, virtual and\n"
               "physical drives, batteries and open RAID alarms.",
    .threshold_help = NULL,
    .sql = raid_sql,
    .n_columns = 13,
    .params = raid_params,
    .evaluate = raid_evaluate,
};

int
main(int argc, char **argv)
{
	return check_main(&raid_plugin, argc, argv);
}
