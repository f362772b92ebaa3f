/* alarms: open and recent alarms, one alarm's details, acknowledge and clear, ticket texts. */
#include "config.h"

#include "chopinctl.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Column widths of the alarms table (schema.sql). */
#define USER_MAX_CHARS    128
#define COMMENT_MAX_CHARS 1024

/* clang-format off */
static const CtlColumn alarm_list_columns[] = {
    {"alarm_id", "ID", CTL_TYPE_INT},
    {"host", "HOST", CTL_TYPE_TEXT},
    {"service", "SERVICE", CTL_TYPE_TEXT},
    {"severity", "SEVERITY", CTL_TYPE_TEXT},
    {"state", "STATE", CTL_TYPE_TEXT},
    {"rule_name", NULL, CTL_TYPE_TEXT},
    {"alarm_key", "KEY", CTL_TYPE_TEXT},
    {"occurrences", "N", CTL_TYPE_INT},
    {"first_seen", NULL, CTL_TYPE_TIME},
    {"last_seen", "LAST SEEN", CTL_TYPE_TIME},
    {"acknowledged_at", NULL, CTL_TYPE_TIME},
    {"acknowledged_by", "ACK", CTL_TYPE_TEXT},
    {"ack_comment", NULL, CTL_TYPE_TEXT},
    {"cleared_at", NULL, CTL_TYPE_TIME},
    {"cleared_by", NULL, CTL_TYPE_TEXT},
    {"clear_comment", NULL, CTL_TYPE_TEXT},
    {"has_ticket", NULL, CTL_TYPE_BOOL},
    {"text", "TEXT", CTL_TYPE_TEXT},
};
/* clang-format on */

#define ALARM_SELECT                                                                               \
	"SELECT a.alarm_id, h.name, a.service, a.severity, a.state, a.rule_name, a.alarm_key,"     \
	" a.occurrences, a.first_seen, a.last_seen, a.acknowledged_at, a.acknowledged_by,"         \
	" a.ack_comment, a.cleared_at, a.cleared_by, a.clear_comment,"                             \
	" a.ticket_text IS NOT NULL, a.text"                                                       \
	" FROM alarms a JOIN hosts h ON h.host_id = a.host_id"

CtlTable *
ctl_alarms_query(CtlContext *context, const CtlAlarmFilter *filter, GError **error)
{
	char since[32], until[32];
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return NULL;
	ctl_time_to_sql(filter->range.since_us, since, sizeof since);
	ctl_time_to_sql(filter->range.until_us, until, sizeof until);
	ChopinDbValue since_value = filter->range.since_us == G_MININT64
	                                ? CHOPIN_DB_VALUE_NULL
	                                : chopin_db_value_text(since);
	ChopinDbValue until_value = filter->range.until_us == G_MAXINT64
	                                ? CHOPIN_DB_VALUE_NULL
	                                : chopin_db_value_text(until);
	ChopinDbValue params[] = {
	    CHOPIN_DB_VALUE_INT(filter->all ? 1 : 0),
	    CHOPIN_DB_VALUE_INT(filter->with_ticket ? 1 : 0),
	    CHOPIN_DB_VALUE_UINT(filter->host_id),
	    CHOPIN_DB_VALUE_UINT(filter->host_id),
	    chopin_db_value_text(filter->service),
	    chopin_db_value_text(filter->service),
	    since_value,
	    since_value,
	    until_value,
	    until_value,
	    CHOPIN_DB_VALUE_UINT(filter->limit != 0 ? filter->limit : G_MAXINT64),
	};
	return ctl_query_table(db,
	                       ALARM_SELECT " WHERE (? = 1 OR a.state = 'open')"
	                                    " AND (? = 0 OR a.ticket_text IS NOT NULL)"
	                                    " AND (? = 0 OR a.host_id = ?)"
	                                    " AND (? IS NULL OR a.service = ?)"
	                                    " AND (? IS NULL OR a.last_seen >= ?)"
	                                    " AND (? IS NULL OR a.first_seen < ?)"
	                                    " ORDER BY a.state = 'open' DESC, a.last_seen DESC,"
	                                    " a.alarm_id DESC LIMIT ?",
	                       params, G_N_ELEMENTS(params), alarm_list_columns,
	                       G_N_ELEMENTS(alarm_list_columns), error);
}

/* One alarm as a table of one row (details view); NOT_FOUND for an unknown id. */
/* clang-format off */
static const CtlColumn alarm_columns[] = {
    {"alarm_id", "Alarm", CTL_TYPE_INT},
    {"host", "Host", CTL_TYPE_TEXT},
    {"service", "Service", CTL_TYPE_TEXT},
    {"severity", "Severity", CTL_TYPE_TEXT},
    {"state", "State", CTL_TYPE_TEXT},
    {"rule_name", "Rule", CTL_TYPE_TEXT},
    {"alarm_key", "Key", CTL_TYPE_TEXT},
    {"occurrences", "Occurrences", CTL_TYPE_INT},
    {"first_seen", "First seen", CTL_TYPE_TIME},
    {"last_seen", "Last seen", CTL_TYPE_TIME},
    {"acknowledged_at", "Acknowledged", CTL_TYPE_TIME},
    {"acknowledged_by", "Acknowledged by", CTL_TYPE_TEXT},
    {"ack_comment", "Ack comment", CTL_TYPE_TEXT},
    {"cleared_at", "Cleared", CTL_TYPE_TIME},
    {"cleared_by", "Cleared by", CTL_TYPE_TEXT},
    {"clear_comment", "Clear comment", CTL_TYPE_TEXT},
    {"has_ticket", "Ticket", CTL_TYPE_BOOL},
    {"text", "Text", CTL_TYPE_TEXT},
};
/* clang-format on */

static CtlTable *
alarm_query_one(ChopinDb *db, guint64 alarm_id, GError **error)
{
	ChopinDbValue id = CHOPIN_DB_VALUE_UINT(alarm_id);
	g_autoptr(CtlTable) table =
	    ctl_query_table(db, ALARM_SELECT " WHERE a.alarm_id = ?", &id, 1, alarm_columns,
	                    G_N_ELEMENTS(alarm_columns), error);
	if (table == NULL)
		return NULL;
	if (ctl_table_get_n_rows(table) == 0) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_NOT_FOUND,
		            "unknown alarm id %" G_GUINT64_FORMAT
		            " ('chopinctl alarms --all' lists "
		            "them)",
		            alarm_id);
		return NULL;
	}
	return g_steal_pointer(&table);
}

static void
alarm_print_json(CtlContext *context, const CtlTable *alarm)
{
	g_autoptr(CtlJson) json = ctl_json_new(context->out);
	ctl_json_begin_object(json);
	ctl_json_key(json, "alarm");
	ctl_table_row_to_json(alarm, 0, json);
	ctl_json_end_object(json);
	ctl_json_finish(json);
}

/* --- chopinctl alarms [list] -------------------------------------------------------------- */

enum {
	ALARMS_ALL = 256,
	ALARMS_HOST,
	ALARMS_SERVICE,
	ALARMS_SINCE,
	ALARMS_UNTIL,
	ALARMS_LIMIT,
	ALARMS_WITH_TICKET,
	ALARMS_COMMENT,
	ALARMS_USER,
};

typedef struct {
	CtlAlarmFilter filter;
	const char *host;
	const char *since;
	const char *until;
	const char *limit;
	const char *comment;
	const char *user;
} AlarmsArgs;

static const char *const services[] = {"RAID", "Updates", "Heartbeat", "Hardware", "System", NULL};

static gboolean
alarms_option_cb(CtlContext *context, int id, const char *value, gpointer user_data, GError **error)
{
	AlarmsArgs *args = user_data;

	(void)context;
	switch (id) {
	case ALARMS_ALL:
		args->filter.all = TRUE;
		break;
	case ALARMS_HOST:
		args->host = value;
		break;
	case ALARMS_SERVICE:
		for (guint i = 0; services[i] != NULL; i++)
			if (g_ascii_strcasecmp(services[i], value) == 0)
				args->filter.service = services[i];
		if (args->filter.service == NULL) {
			g_autofree char *known = g_strjoinv(", ", (char **)services);
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "alarms: --service '%s': expected one of %s", value, known);
			return FALSE;
		}
		break;
	case ALARMS_SINCE:
		args->since = value;
		break;
	case ALARMS_UNTIL:
		args->until = value;
		break;
	case ALARMS_LIMIT:
		args->limit = value;
		break;
	case ALARMS_WITH_TICKET:
		args->filter.with_ticket = TRUE;
		break;
	case ALARMS_COMMENT:
		args->comment = value;
		break;
	case ALARMS_USER:
		args->user = value;
		break;
	}
	return TRUE;
}

static gboolean
alarms_list(CtlContext *context, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"all", 'a', FALSE, ALARMS_ALL},
	    {"host", 0, TRUE, ALARMS_HOST},
	    {"service", 0, TRUE, ALARMS_SERVICE},
	    {"since", 0, TRUE, ALARMS_SINCE},
	    {"until", 0, TRUE, ALARMS_UNTIL},
	    {"limit", 0, TRUE, ALARMS_LIMIT},
	    {"with-ticket", 0, FALSE, ALARMS_WITH_TICKET},
	    {NULL, 0, FALSE, 0},
	};
	AlarmsArgs args = {0};
	g_autofree char **operands = NULL;
	gboolean help;

	if (!ctl_options_parse(context, argc, argv, options, alarms_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "alarms: unexpected argument '%s' (subcommands: show, ack, clear)",
		            operands[0]);
		return FALSE;
	}
	if (!ctl_time_range_parse(args.since, args.until, g_get_real_time(), &args.filter.range,
	                          error) ||
	    (args.limit != NULL && !ctl_parse_limit(args.limit, &args.filter.limit, error)))
		return FALSE;
	if (args.host != NULL) {
		ChopinDb *db = ctl_db_reader(context, error);
		if (db == NULL ||
		    !ctl_host_lookup(db, args.host, &args.filter.host_id, NULL, error))
			return FALSE;
	}
	g_autoptr(CtlTable) table = ctl_alarms_query(context, &args.filter, error);
	if (table == NULL)
		return FALSE;
	if (context->json) {
		g_autoptr(CtlJson) json = ctl_json_new(context->out);
		ctl_json_begin_object(json);
		ctl_json_key(json, "alarms");
		ctl_table_to_json(table, json);
		ctl_json_end_object(json);
		ctl_json_finish(json);
	} else {
		ctl_table_print(table, context->out, context->no_header);
	}
	return TRUE;
}

/* --- chopinctl alarms show ID ------------------------------------------------------------- */

/* clang-format off */
static const CtlColumn alarm_event_columns[] = {
    {"event_time", "TIME", CTL_TYPE_TIME},
    {"device", "DEVICE", CTL_TYPE_TEXT},
    {"source", "SOURCE", CTL_TYPE_TEXT},
    {"event_id", "ID", CTL_TYPE_INT},
    {"level", "LEVEL", CTL_TYPE_TEXT},
    {"message", "MESSAGE", CTL_TYPE_TEXT},
};
/* clang-format on */

/* The single operand ID of a subcommand. */
static gboolean
alarm_id_operand(char **operands, const char *subcommand, guint64 *ret_id, GError **error)
{
	if (operands[0] == NULL || operands[1] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "alarms %s: expected one alarm ID",
		            subcommand);
		return FALSE;
	}
	return ctl_parse_id(operands[0], "an alarm id", ret_id, error);
}

static gboolean
alarms_show(CtlContext *context, int argc, char **argv, GError **error)
{
	AlarmsArgs args = {0};
	g_autofree char **operands = NULL;
	gboolean help;
	guint64 alarm_id;

	if (!ctl_options_parse(context, argc, argv, NULL, alarms_option_cb, &args, &operands, &help,
	                       error))
		return FALSE;
	if (help)
		return TRUE;
	if (!alarm_id_operand(operands, "show", &alarm_id, error))
		return FALSE;
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return FALSE;
	g_autoptr(CtlTable) alarm = alarm_query_one(db, alarm_id, error);
	if (alarm == NULL)
		return FALSE;
	ChopinDbValue id = CHOPIN_DB_VALUE_UINT(alarm_id);
	g_autoptr(CtlTable) events = ctl_query_table(
	    db,
	    "SELECT e.event_time, e.device_address, e.source, e.event_id, e.level, e.message"
	    " FROM alarm_events ae JOIN events e ON e.id = ae.event_row_id"
	    " WHERE ae.alarm_id = ? ORDER BY e.event_time, e.id",
	    &id, 1, alarm_event_columns, G_N_ELEMENTS(alarm_event_columns), error);
	if (events == NULL)
		return FALSE;
	ChopinDbStmt *stmt =
	    ctl_query(db, "SELECT ticket_text FROM alarms WHERE alarm_id = ?", &id, 1, error);
	gboolean have_row;
	if (stmt == NULL || !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	g_autofree char *ticket =
	    have_row ? g_strdup(chopin_db_stmt_column_text(stmt, 0, NULL)) : NULL;
	chopin_db_stmt_reset(stmt);
	if (context->json) {
		g_autoptr(CtlJson) json = ctl_json_new(context->out);
		ctl_json_begin_object(json);
		ctl_json_key(json, "alarm");
		ctl_table_row_to_json(alarm, 0, json);
		ctl_json_key(json, "ticket");
		ctl_json_string(json, ticket);
		ctl_json_key(json, "events");
		ctl_table_to_json(events, json);
		ctl_json_end_object(json);
		ctl_json_finish(json);
		return TRUE;
	}
	ctl_table_print_record(alarm, 0, context->out, 0);
	if (ctl_table_get_n_rows(events) > 0) {
		ctl_print(context, "\nEvents that raised or fed it\n");
		ctl_table_print(events, context->out, context->no_header);
	}
	return TRUE;
}

/* --- chopinctl alarms ack|clear ID --comment TEXT ------------------------------------------ */

/* $USER, else the account's name in the password database. */
static char *
operator_name(void)
{
	const char *user = g_getenv("USER");
	if (user != NULL && user[0] != '\0')
		return g_strdup(user);
	struct passwd *entry = getpwuid(getuid());
	if (entry != NULL && entry->pw_name != NULL && entry->pw_name[0] != '\0')
		return g_strdup(entry->pw_name);
	return g_strdup_printf("uid %lu", (unsigned long)getuid());
}

/* Text an operator gives: valid UTF-8, no control characters but tab and newline, not empty,
 * at most max_chars characters. */
static gboolean
operator_text_check(const char *what, const char *text, guint max_chars, GError **error)
{
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "%s is not valid UTF-8", what);
		return FALSE;
	}
	g_autofree char *trimmed = g_strstrip(g_strdup(text));
	if (trimmed[0] == '\0') {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "%s is empty", what);
		return FALSE;
	}
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);
		if (g_unichar_iscntrl(ch) && ch != '\t' && ch != '\n') {
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "%s contains a control character (U+%04X)", what, ch);
			return FALSE;
		}
	}
	if (g_utf8_strlen(text, -1) > (glong)max_chars) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "%s is longer than %u characters",
		            what, max_chars);
		return FALSE;
	}
	return TRUE;
}

typedef enum {
	ACTION_ACK,
	ACTION_CLEAR,
} AlarmAction;

/* Locks the alarm, checks it is open, records the action; commits. */
static gboolean
alarm_record_action(ChopinDb *db, AlarmAction action, guint64 alarm_id, const char *user,
                    const char *comment, GError **error)
{
	ChopinDbValue id = CHOPIN_DB_VALUE_UINT(alarm_id);
	gboolean have_row;

	if (!chopin_db_begin(db, error))
		return FALSE;
	ChopinDbStmt *stmt = ctl_query(
	    db, "SELECT state, cleared_by, cleared_at FROM alarms WHERE alarm_id = ? FOR UPDATE",
	    &id, 1, error);
	if (stmt == NULL || !chopin_db_stmt_fetch(stmt, &have_row, error))
		goto fail;
	if (!have_row) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_NOT_FOUND,
		            "unknown alarm id %" G_GUINT64_FORMAT
		            " ('chopinctl alarms --all' lists "
		            "them)",
		            alarm_id);
		goto fail;
	}
	if (strcmp(chopin_db_stmt_column_text(stmt, 0, NULL), "open") != 0) {
		const char *by = chopin_db_stmt_column_text(stmt, 1, NULL);
		const char *at = chopin_db_stmt_column_text(stmt, 2, NULL);
		g_set_error(error, CTL_ERROR, CTL_ERROR_FAILED,
		            "alarm %" G_GUINT64_FORMAT " is already cleared (by %s at %.19s UTC): "
		            "nothing to %s",
		            alarm_id, by != NULL ? by : "?", at != NULL ? at : "?",
		            action == ACTION_ACK ? "acknowledge" : "clear");
		chopin_db_stmt_reset(stmt);
		goto fail;
	}
	chopin_db_stmt_reset(stmt);
	ChopinDbValue params[] = {chopin_db_value_text(user), chopin_db_value_text(comment), id};
	stmt = chopin_db_prepare(
	    db,
	    action == ACTION_ACK
	        ? "UPDATE alarms SET acknowledged_at = UTC_TIMESTAMP(6), acknowledged_by = ?,"
	          " ack_comment = ? WHERE alarm_id = ?"
	        : "UPDATE alarms SET state = 'cleared', cleared_at = UTC_TIMESTAMP(6),"
	          " cleared_by = ?, clear_comment = ? WHERE alarm_id = ?",
	    error);
	if (stmt == NULL ||
	    !chopin_db_stmt_execute(stmt, params, G_N_ELEMENTS(params), NULL, error) ||
	    !chopin_db_commit(db, error))
		goto fail;
	return TRUE;
fail:
	chopin_db_rollback(db);
	return FALSE;
}

static gboolean
alarms_act(CtlContext *context, AlarmAction action, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"comment", 'm', TRUE, ALARMS_COMMENT},
	    {"user", 0, TRUE, ALARMS_USER},
	    {NULL, 0, FALSE, 0},
	};
	const char *name = action == ACTION_ACK ? "ack" : "clear";
	AlarmsArgs args = {0};
	g_autofree char **operands = NULL;
	gboolean help;
	guint64 alarm_id;

	if (!ctl_options_parse(context, argc, argv, options, alarms_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (!alarm_id_operand(operands, name, &alarm_id, error))
		return FALSE;
	if (args.comment == NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "alarms %s: --comment TEXT is required (it is recorded with your name)",
		            name);
		return FALSE;
	}
	g_autofree char *user = args.user != NULL ? g_strdup(args.user) : operator_name();
	if (!operator_text_check("--comment", args.comment, COMMENT_MAX_CHARS, error) ||
	    !operator_text_check("the user name", user, USER_MAX_CHARS, error))
		return FALSE;
	ChopinDb *db = ctl_db_writer(context, error);
	if (db == NULL || !alarm_record_action(db, action, alarm_id, user, args.comment, error))
		return FALSE;
	g_autoptr(CtlTable) alarm = alarm_query_one(db, alarm_id, error);
	if (alarm == NULL)
		return FALSE;
	if (context->json) {
		alarm_print_json(context, alarm);
		return TRUE;
	}
	ctl_print(context, "alarm %" G_GUINT64_FORMAT " (%s %s on %s) %s by %s\n", alarm_id,
	          ctl_table_get(alarm, 0, "service"), ctl_table_get(alarm, 0, "severity"),
	          ctl_table_get(alarm, 0, "host"),
	          action == ACTION_ACK ? "acknowledged" : "cleared", user);
	return TRUE;
}

static gboolean
alarms_run(CtlContext *context, int argc, char **argv, GError **error)
{
	if (argc > 1 && strcmp(argv[1], "show") == 0)
		return alarms_show(context, argc - 1, argv + 1, error);
	if (argc > 1 && strcmp(argv[1], "ack") == 0)
		return alarms_act(context, ACTION_ACK, argc - 1, argv + 1, error);
	if (argc > 1 && strcmp(argv[1], "clear") == 0)
		return alarms_act(context, ACTION_CLEAR, argc - 1, argv + 1, error);
	if (argc > 1 && strcmp(argv[1], "list") == 0)
		return alarms_list(context, argc - 1, argv + 1, error);
	return alarms_list(context, argc, argv, error);
}

const CtlCommand ctl_command_alarms = {
    .name = "alarms",
    .synopsis = "[list] [--all] [--host NAME] [--service SERVICE] [--with-ticket]\n"
                "[--since TIME] [--until TIME] [--limit N]\n"
                "show ID\n"
                "ack ID --comment TEXT [--user NAME]\n"
                "clear ID --comment TEXT [--user NAME]",
    .summary = "open and recent alarms; acknowledge or clear one",
    .help = "Without a subcommand: the open alarms, most recent first.\n\n"
            "Options of the list:\n"
            "  -a, --all                cleared alarms too\n"
            "      --host=NAME          one host's alarms\n"
            "      --service=SERVICE    RAID, Updates, Heartbeat, Hardware or System\n"
            "      --with-ticket        only alarms carrying a ticket text\n"
            "      --since=TIME         alarms seen from TIME on\n"
            "      --until=TIME         alarms first seen before TIME\n"
            "      --limit=N            at most N alarms\n"
            "Acknowledging and clearing (the writer account):\n"
            "  -m, --comment=TEXT       why (required; recorded with the alarm)\n"
            "      --user=NAME          who (default: $USER, else the login name)\n"
            "An acknowledged alarm stays open; a cleared one is closed, and the correlator\n"
            "forgets the rule's state for it, so only new events raise it again.\n",
    .run = alarms_run,
};

/* --- chopinctl ticket ALARM ---------------------------------------------------------------- */

static gboolean
ticket_run(CtlContext *context, int argc, char **argv, GError **error)
{
	AlarmsArgs args = {0};
	g_autofree char **operands = NULL;
	gboolean help, have_row;
	guint64 alarm_id;

	if (!ctl_options_parse(context, argc, argv, NULL, alarms_option_cb, &args, &operands, &help,
	                       error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] == NULL || operands[1] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "ticket: expected one alarm ID");
		return FALSE;
	}
	if (!ctl_parse_id(operands[0], "an alarm id", &alarm_id, error))
		return FALSE;
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return FALSE;
	ChopinDbValue id = CHOPIN_DB_VALUE_UINT(alarm_id);
	ChopinDbStmt *stmt =
	    ctl_query(db,
	              "SELECT h.name, a.state, a.rule_name, a.alarm_key, a.ticket_text"
	              " FROM alarms a JOIN hosts h ON h.host_id = a.host_id WHERE a.alarm_id = ?",
	              &id, 1, error);
	if (stmt == NULL || !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	if (!have_row) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_NOT_FOUND,
		            "unknown alarm id %" G_GUINT64_FORMAT, alarm_id);
		return FALSE;
	}
	g_autofree char *host = g_strdup(chopin_db_stmt_column_text(stmt, 0, NULL));
	g_autofree char *state = g_strdup(chopin_db_stmt_column_text(stmt, 1, NULL));
	g_autofree char *rule = g_strdup(chopin_db_stmt_column_text(stmt, 2, NULL));
	g_autofree char *key = g_strdup(chopin_db_stmt_column_text(stmt, 3, NULL));
	g_autofree char *ticket = g_strdup(chopin_db_stmt_column_text(stmt, 4, NULL));
	chopin_db_stmt_reset(stmt);
	if (ticket == NULL) {
		g_set_error(
		    error, CTL_ERROR, CTL_ERROR_NOT_FOUND,
		    "alarm %" G_GUINT64_FORMAT " (%s on %s) has no ticket text: only drive "
		    "failures carry one ('chopinctl alarms --all --with-ticket' lists them)",
		    alarm_id, rule, host);
		return FALSE;
	}
	if (context->json) {
		g_autoptr(CtlJson) json = ctl_json_new(context->out);
		ctl_json_begin_object(json);
		ctl_json_key(json, "alarm_id");
		ctl_json_int(json, (gint64)alarm_id);
		ctl_json_key(json, "host");
		ctl_json_string(json, host);
		ctl_json_key(json, "state");
		ctl_json_string(json, state);
		ctl_json_key(json, "rule_name");
		ctl_json_string(json, rule);
		ctl_json_key(json, "alarm_key");
		ctl_json_string(json, key);
		ctl_json_key(json, "ticket");
		ctl_json_string(json, ticket);
		ctl_json_end_object(json);
		ctl_json_finish(json);
		return TRUE;
	}
	/* line by line, each made safe for a terminal, for pasting into the vendor's form */
	g_auto(GStrv) lines = g_strsplit(ticket, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *line = ctl_text_safe(lines[i]);
		ctl_print(context, "%s\n", line);
	}
	return TRUE;
}

const CtlCommand ctl_command_ticket = {
    .name = "ticket",
    .synopsis = "ALARM",
    .summary = "the drive replacement ticket text stored with an alarm",
    .help = "Prints the vendor ticket text (machine, slot, serial, model, size) the correlator\n"
            "stored when it raised the alarm, ready to paste.\n",
    .run = ticket_run,
};
