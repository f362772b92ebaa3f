/* events: event-log entries aggregated with counts or listed, and a host's configuration history.
 */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

/* Bounds of a range as DATETIME(6) parameters; an open end is NULL. */
typedef struct {
	char since[32];
	char until[32];
} RangeText;

static void
range_params(const CtlTimeRange *range, RangeText *text, ChopinDbValue *ret_since,
             ChopinDbValue *ret_until)
{
	ctl_time_to_sql(range->since_us, text->since, sizeof text->since);
	ctl_time_to_sql(range->until_us, text->until, sizeof text->until);
	*ret_since = range->since_us == G_MININT64 ? CHOPIN_DB_VALUE_NULL
	                                           : chopin_db_value_text(text->since);
	*ret_until = range->until_us == G_MAXINT64 ? CHOPIN_DB_VALUE_NULL
	                                           : chopin_db_value_text(text->until);
}

/* The filter's WHERE clause on events e (host join h) and its parameters, in order. */
#define EVENT_WHERE                                                                                \
	" WHERE (? = 0 OR e.host_id = ?)"                                                          \
	" AND (? IS NULL OR e.device_address = ?)"                                                 \
	" AND (? IS NULL OR e.source = ?)"                                                         \
	" AND (? < 0 OR e.event_id = ?)"                                                           \
	" AND (? IS NULL OR e.level = ?)"                                                          \
	" AND (? IS NULL OR e.event_time >= ?)"                                                    \
	" AND (? IS NULL OR e.event_time < ?)"
#define EVENT_WHERE_PARAMS 14

static void
event_where_params(const CtlEventFilter *filter, RangeText *text, ChopinDbValue *params)
{
	ChopinDbValue since, until;
	range_params(&filter->range, text, &since, &until);
	ChopinDbValue values[EVENT_WHERE_PARAMS] = {
	    CHOPIN_DB_VALUE_UINT(filter->host_id),
	    CHOPIN_DB_VALUE_UINT(filter->host_id),
	    chopin_db_value_text(filter->device),
	    chopin_db_value_text(filter->device),
	    chopin_db_value_text(filter->source),
	    chopin_db_value_text(filter->source),
	    CHOPIN_DB_VALUE_INT(filter->event_id),
	    CHOPIN_DB_VALUE_INT(filter->event_id),
	    chopin_db_value_text(filter->level),
	    chopin_db_value_text(filter->level),
	    since,
	    since,
	    until,
	    until,
	};
	memcpy(params, values, sizeof values);
}

/* The most severe level of a group: the ENUM's lowest index (critical = 1). */
#define LEVEL_OF_GROUP                                                                             \
	"ELT(MIN(e.level + 0), 'critical', 'error', 'warning', 'information', 'verbose',"          \
	" 'audit_success', 'audit_failure', 'unknown')"

/* clang-format off */
static const CtlColumn group_columns[] = {
    {"count", "COUNT", CTL_TYPE_COUNT},
    {"host", "HOST", CTL_TYPE_TEXT},
    {"device", "DEVICE", CTL_TYPE_TEXT},
    {"source", "SOURCE", CTL_TYPE_TEXT},
    {"event_id", "ID", CTL_TYPE_INT},
    {"level", "LEVEL", CTL_TYPE_TEXT},
    {"first", NULL, CTL_TYPE_TIME},
    {"last", "LAST", CTL_TYPE_TIME},
    {"message", "MESSAGE", CTL_TYPE_TEXT},
};
/* clang-format on */

/* The same without the host column, for one host's view. */
/* clang-format off */
static const CtlColumn host_group_columns[] = {
    {"count", "COUNT", CTL_TYPE_COUNT},
    {"host", NULL, CTL_TYPE_TEXT},
    {"device", "DEVICE", CTL_TYPE_TEXT},
    {"source", "SOURCE", CTL_TYPE_TEXT},
    {"event_id", "ID", CTL_TYPE_INT},
    {"level", "LEVEL", CTL_TYPE_TEXT},
    {"first", NULL, CTL_TYPE_TIME},
    {"last", "LAST", CTL_TYPE_TIME},
    {"message", "MESSAGE", CTL_TYPE_TEXT},
};
/* clang-format on */

CtlTable *
ctl_events_query_groups(CtlContext *context, const CtlEventFilter *filter, GError **error)
{
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return NULL;
	ChopinDbValue params[EVENT_WHERE_PARAMS + 1];
	RangeText text;
	event_where_params(filter, &text, params);
	params[EVENT_WHERE_PARAMS] =
	    CHOPIN_DB_VALUE_UINT(filter->limit != 0 ? filter->limit : G_MAXINT64);
	/* the group's first message stands for it, as in v_events_per_device_day */
	return ctl_query_table(
	    db,
	    "SELECT g.events, h.name, g.device_address, g.source, g.event_id, g.level,"
	    " g.first_time, g.last_time, s.message"
	    " FROM (SELECT e.host_id, e.device_address, e.source, e.event_id, COUNT(*) AS events,"
	    "   " LEVEL_OF_GROUP " AS level, MIN(e.event_time) AS first_time,"
	    "   MAX(e.event_time) AS last_time, MIN(e.id) AS first_row_id"
	    "   FROM events e" EVENT_WHERE
	    "   GROUP BY e.host_id, e.device_address, e.source, e.event_id) g"
	    " JOIN events s ON s.id = g.first_row_id"
	    " JOIN hosts h ON h.host_id = g.host_id"
	    " ORDER BY g.events DESC, g.last_time DESC, h.name, g.device_address, g.source,"
	    " g.event_id"
	    " LIMIT ?",
	    params, G_N_ELEMENTS(params), filter->host_id != 0 ? host_group_columns : group_columns,
	    G_N_ELEMENTS(group_columns), error);
}

/* clang-format off */
static const CtlColumn event_columns[] = {
    {"id", NULL, CTL_TYPE_INT},
    {"event_time", "TIME", CTL_TYPE_TIME},
    {"received_at", NULL, CTL_TYPE_TIME},
    {"host", "HOST", CTL_TYPE_TEXT},
    {"device", "DEVICE", CTL_TYPE_TEXT},
    {"log_name", NULL, CTL_TYPE_TEXT},
    {"source", "SOURCE", CTL_TYPE_TEXT},
    {"event_id", "ID", CTL_TYPE_INT},
    {"level", "LEVEL", CTL_TYPE_TEXT},
    {"rule", NULL, CTL_TYPE_TEXT},
    {"message", "MESSAGE", CTL_TYPE_TEXT},
};
/* clang-format on */

static CtlTable *
events_query_list(CtlContext *context, const CtlEventFilter *filter, GError **error)
{
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return NULL;
	ChopinDbValue params[EVENT_WHERE_PARAMS + 1];
	RangeText text;
	event_where_params(filter, &text, params);
	params[EVENT_WHERE_PARAMS] = CHOPIN_DB_VALUE_UINT(filter->limit);
	/* the newest LIMIT, shown oldest first like a log */
	return ctl_query_table(
	    db,
	    "SELECT l.* FROM (SELECT e.id, e.event_time, e.received_at, h.name, e.device_address,"
	    " e.log_name, e.source, e.event_id, e.level, e.rule_name, e.message"
	    " FROM events e JOIN hosts h ON h.host_id = e.host_id" EVENT_WHERE
	    " ORDER BY e.event_time DESC, e.id DESC LIMIT ?) l ORDER BY l.event_time, l.id",
	    params, G_N_ELEMENTS(params), event_columns, G_N_ELEMENTS(event_columns), error);
}

/* --- chopinctl events ---------------------------------------------------------------------- */

enum {
	EVENTS_HOST = 256,
	EVENTS_DEVICE,
	EVENTS_SOURCE,
	EVENTS_ID,
	EVENTS_LEVEL,
	EVENTS_SINCE,
	EVENTS_UNTIL,
	EVENTS_LIMIT,
	EVENTS_LIST,
};

typedef struct {
	CtlEventFilter filter;
	const char *host;
	const char *since;
	const char *until;
	const char *limit;
	gboolean list;
} EventsArgs;

static const char *const levels[] = {"critical",      "error",   "warning",
                                     "information",   "verbose", "audit_success",
                                     "audit_failure", "unknown", NULL};

static gboolean
events_option_cb(CtlContext *context, int id, const char *value, gpointer user_data, GError **error)
{
	EventsArgs *args = user_data;
	guint64 number;

	(void)context;
	switch (id) {
	case EVENTS_HOST:
		args->host = value;
		break;
	case EVENTS_DEVICE:
		args->filter.device = value;
		break;
	case EVENTS_SOURCE:
		args->filter.source = value;
		break;
	case EVENTS_ID:
		if (!g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT32, &number, NULL)) {
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "events: --id '%s': expected an event id (a number)", value);
			return FALSE;
		}
		args->filter.event_id = (gint64)number;
		break;
	case EVENTS_LEVEL:
		if (!g_strv_contains(levels, value)) {
			g_autofree char *known = g_strjoinv(", ", (char **)levels);
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "events: --level '%s': expected one of %s", value, known);
			return FALSE;
		}
		args->filter.level = value;
		break;
	case EVENTS_SINCE:
		args->since = value;
		break;
	case EVENTS_UNTIL:
		args->until = value;
		break;
	case EVENTS_LIMIT:
		args->limit = value;
		break;
	case EVENTS_LIST:
		args->list = TRUE;
		break;
	}
	return TRUE;
}

static void
range_to_json(CtlJson *json, const char *key, gint64 us, gint64 open_end)
{
	char sql[32];

	ctl_json_key(json, key);
	if (us == open_end) {
		ctl_json_null(json);
		return;
	}
	ctl_time_to_sql(us, sql, sizeof sql);
	g_autofree char *iso = ctl_time_sql_to_iso(sql);
	ctl_json_string(json, iso);
}

static gboolean
events_run(CtlContext *context, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"host", 0, TRUE, EVENTS_HOST},     {"device", 0, TRUE, EVENTS_DEVICE},
	    {"source", 0, TRUE, EVENTS_SOURCE}, {"id", 0, TRUE, EVENTS_ID},
	    {"level", 0, TRUE, EVENTS_LEVEL},   {"since", 0, TRUE, EVENTS_SINCE},
	    {"until", 0, TRUE, EVENTS_UNTIL},   {"limit", 0, TRUE, EVENTS_LIMIT},
	    {"list", 0, FALSE, EVENTS_LIST},    {NULL, 0, FALSE, 0},
	};
	EventsArgs args = {.filter = {.event_id = -1}};
	g_autofree char **operands = NULL;
	gboolean help;

	if (!ctl_options_parse(context, argc, argv, options, events_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "events: unexpected argument '%s' (a host is --host NAME)",
		            operands[0]);
		return FALSE;
	}
	if (!ctl_time_range_parse(args.since, args.until, g_get_real_time(), &args.filter.range,
	                          error))
		return FALSE;
	if (args.limit != NULL && !ctl_parse_limit(args.limit, &args.filter.limit, error))
		return FALSE;
	if (args.list && args.limit == NULL)
		args.filter.limit = 100;
	if (args.host != NULL) {
		ChopinDb *db = ctl_db_reader(context, error);
		if (db == NULL ||
		    !ctl_host_lookup(db, args.host, &args.filter.host_id, NULL, error))
			return FALSE;
	}
	g_autoptr(CtlTable) table = args.list
	                                ? events_query_list(context, &args.filter, error)
	                                : ctl_events_query_groups(context, &args.filter, error);
	if (table == NULL)
		return FALSE;
	if (!context->json) {
		ctl_table_print(table, context->out, context->no_header);
		return TRUE;
	}
	g_autoptr(CtlJson) json = ctl_json_new(context->out);
	ctl_json_begin_object(json);
	range_to_json(json, "since", args.filter.range.since_us, G_MININT64);
	range_to_json(json, "until", args.filter.range.until_us, G_MAXINT64);
	ctl_json_key(json, args.list ? "events" : "groups");
	ctl_table_to_json(table, json);
	ctl_json_end_object(json);
	ctl_json_finish(json);
	return TRUE;
}

const CtlCommand ctl_command_events = {
    .name = "events",
    .synopsis = "[--host NAME] [--device ADDRESS] [--source SOURCE] [--id ID] [--level LEVEL]\n"
                "[--since TIME] [--until TIME] [--list] [--limit N]",
    .summary = "events aggregated with counts (\"53x Unexpected sense\"), or listed",
    .help = "Events are grouped by host, device, source and event id, most frequent first,\n"
            "with the most severe level and the first message of each group.\n\n"
            "Options:\n"
            "      --host=NAME          one host's events\n"
            "      --device=ADDRESS     one device: c0, c0/v0, c0/e252/s7\n"
            "      --source=SOURCE      one event source, e.g. MR_MONITOR\n"
            "      --id=ID              one event id (with --source: one event type)\n"
            "      --level=LEVEL        critical, error, warning, information, verbose, ...\n"
            "      --since=TIME         agent event time from TIME\n"
            "      --until=TIME         agent event time before TIME\n"
            "      --list               the events themselves, oldest first\n"
            "      --limit=N            at most N groups (default: all) or events (100)\n"
            "TIME is a date or date-time (2026-08-01, 2026-08-01T12:00:00Z), UTC unless it\n"
            "carries an offset, a duration back from now (7d, 24h, 90m) or 'now'.\n",
    .run = events_run,
};

/* --- chopinctl history NAME ------------------------------------------------------------------ */

/* clang-format off */
static const CtlColumn history_columns[] = {
    {"changed_at", "TIME", CTL_TYPE_TIME},
    {"device", "DEVICE", CTL_TYPE_TEXT},
    {"change", "CHANGE", CTL_TYPE_TEXT},
    {"attribute", NULL, CTL_TYPE_TEXT},
    {"old_value", NULL, CTL_TYPE_TEXT},
    {"new_value", NULL, CTL_TYPE_TEXT},
    {"text", "TEXT", CTL_TYPE_TEXT},
};
/* clang-format on */

static gboolean
history_run(CtlContext *context, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"since", 0, TRUE, EVENTS_SINCE},
	    {"until", 0, TRUE, EVENTS_UNTIL},
	    {"limit", 0, TRUE, EVENTS_LIMIT},
	    {NULL, 0, FALSE, 0},
	};
	EventsArgs args = {0};
	g_autofree char **operands = NULL;
	g_autofree char *name = NULL;
	gboolean help;
	guint64 host_id, limit = G_MAXINT64;

	if (!ctl_options_parse(context, argc, argv, options, events_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] == NULL || operands[1] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "history: expected one host NAME");
		return FALSE;
	}
	CtlTimeRange range;
	if (!ctl_time_range_parse(args.since, args.until, g_get_real_time(), &range, error) ||
	    (args.limit != NULL && !ctl_parse_limit(args.limit, &limit, error)))
		return FALSE;
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL || !ctl_host_lookup(db, operands[0], &host_id, &name, error))
		return FALSE;
	RangeText text;
	ChopinDbValue since, until;
	range_params(&range, &text, &since, &until);
	ChopinDbValue params[] = {CHOPIN_DB_VALUE_UINT(host_id), since, since, until, until,
	                          CHOPIN_DB_VALUE_UINT(limit)};
	g_autoptr(CtlTable) table = ctl_query_table(
	    db,
	    "SELECT changed_at, device_address, change_kind, attribute, old_value, new_value, text"
	    " FROM config_history WHERE host_id = ?"
	    " AND (? IS NULL OR changed_at >= ?) AND (? IS NULL OR changed_at < ?)"
	    " ORDER BY changed_at DESC, change_id DESC LIMIT ?",
	    params, G_N_ELEMENTS(params), history_columns, G_N_ELEMENTS(history_columns), error);
	if (table == NULL)
		return FALSE;
	if (!context->json) {
		ctl_table_print(table, context->out, context->no_header);
		return TRUE;
	}
	g_autoptr(CtlJson) json = ctl_json_new(context->out);
	ctl_json_begin_object(json);
	ctl_json_key(json, "host");
	ctl_json_string(json, name);
	ctl_json_key(json, "changes");
	ctl_table_to_json(table, json);
	ctl_json_end_object(json);
	ctl_json_finish(json);
	return TRUE;
}

const CtlCommand ctl_command_history = {
    .name = "history",
    .synopsis = "NAME [--since TIME] [--until TIME] [--limit N]",
    .summary = "a host's RAID configuration history (drives replaced, added, changed)",
    .help = "Changes found by comparing RAID inventory snapshots, newest first.\n\n"
            "Options:\n"
            "      --since=TIME         changes from TIME\n"
            "      --until=TIME         changes before TIME\n"
            "      --limit=N            at most N changes\n",
    .run = history_run,
};
