/* chopinctl: the operator's command-line view of Chopin; private interfaces grouped by file. */
#ifndef CHOPINCTL_H
#define CHOPINCTL_H

#include <stdio.h>

#include <glib.h>

#include "chopin-config.h"
#include "chopin-mysql.h"

G_BEGIN_DECLS

/* --- exit statuses and errors (output.c) ------------------------------------------------------ */

/* Exit statuses, documented in chopinctl(1). The codes of CTL_ERROR are the same numbers. */
typedef enum {
	CTL_EXIT_OK = 0,
	CTL_EXIT_FAILURE = 1,   /* the operation failed or was refused (alarm already cleared) */
	CTL_EXIT_USAGE = 2,     /* bad option, argument or time range */
	CTL_EXIT_NOT_FOUND = 3, /* unknown host, alarm, rule or tag */
	CTL_EXIT_DATABASE = 4,  /* database unreachable, credentials refused, timeout */
	CTL_EXIT_CONFIG = 5,    /* the configuration file or an option file cannot be used */
} CtlExit;

#define CTL_ERROR (ctl_error_quark())
GQuark ctl_error_quark(void);

typedef enum {
	CTL_ERROR_FAILED = CTL_EXIT_FAILURE,
	CTL_ERROR_USAGE = CTL_EXIT_USAGE,
	CTL_ERROR_NOT_FOUND = CTL_EXIT_NOT_FOUND,
	CTL_ERROR_DATABASE = CTL_EXIT_DATABASE,
	CTL_ERROR_CONFIG = CTL_EXIT_CONFIG,
} CtlError;

/* The exit status an error stands for (CTL_ERROR codes, database and configuration errors). */
CtlExit ctl_error_exit_status(const GError *error);

/* --- output: JSON writer (json.c) ------------------------------------------------------------- */

typedef struct _CtlJson CtlJson;

/* A writer appending pretty-printed JSON (two-space indentation) to out, which it does not
 * own. Values, keys and nesting are checked: misuse is a programming error (g_critical). */
CtlJson *ctl_json_new(GString *out);
/* Ends the document with a newline. Returns FALSE (a bug) when a container is still open. */
gboolean ctl_json_finish(CtlJson *json);
void ctl_json_free(CtlJson *json);
void ctl_json_begin_object(CtlJson *json);
void ctl_json_end_object(CtlJson *json);
void ctl_json_begin_array(CtlJson *json);
void ctl_json_end_array(CtlJson *json);
/* The member name of the next value inside an object. */
void ctl_json_key(CtlJson *json, const char *key);
/* A string; NULL writes null. */
void ctl_json_string(CtlJson *json, const char *value);
void ctl_json_string_len(CtlJson *json, const char *value, gsize len);
void ctl_json_int(CtlJson *json, gint64 value);
void ctl_json_bool(CtlJson *json, gboolean value);
void ctl_json_null(CtlJson *json);
/* A number given as text (a database column): written as is when it is a JSON number, as a
 * string otherwise; NULL writes null. */
void ctl_json_number_text(CtlJson *json, const char *text);

/* Appends value as the body of a JSON string (no quotes): quote, backslash and control
 * characters escaped, valid UTF-8 copied verbatim, each invalid byte replaced by U+FFFD. */
void ctl_json_escape(GString *out, const char *value, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CtlJson, ctl_json_free)

/* --- output: tables for humans and JSON (output.c) ---------------------------------------- */

typedef enum {
	CTL_TYPE_TEXT,  /* a string */
	CTL_TYPE_INT,   /* a number */
	CTL_TYPE_COUNT, /* a number; humans read "53x" */
	CTL_TYPE_TIME,  /* a UTC DATETIME; JSON gets ISO 8601 "2026-08-01T09:00:00Z" */
	CTL_TYPE_DATE,  /* a DATE */
	CTL_TYPE_BOOL,  /* 0 / 1; humans read no / yes, JSON false / true */
	CTL_TYPE_LIST,  /* comma-separated (GROUP_CONCAT); JSON gets an array of strings */
} CtlType;

/* One column of a result: key is its JSON member name (NULL: not in JSON), title its human
 * header (NULL: not shown to humans). Columns are in the order of the SELECT list. */
typedef struct {
	const char *key;
	const char *title;
	CtlType type;
} CtlColumn;

/* A query result as text cells (NULL for SQL NULL); the column table is borrowed. */
typedef struct _CtlTable CtlTable;

CtlTable *ctl_table_new(const CtlColumn *columns, guint n_columns);
void ctl_table_free(CtlTable *table);
/* Appends every remaining row of an executed statement. FALSE with error on a fetch error. */
gboolean ctl_table_fill(CtlTable *table, ChopinDbStmt *stmt, GError **error);
/* Appends a row of n_columns cells (copied; NULL cells are SQL NULL). */
void ctl_table_add_row(CtlTable *table, const char *const *cells);
guint ctl_table_get_n_rows(const CtlTable *table);
guint ctl_table_get_n_columns(const CtlTable *table);
const CtlColumn *ctl_table_get_column(const CtlTable *table, guint column);
/* The cell of the column whose key (or, for internal columns, title) is name; NULL for SQL
 * NULL. Owned by the table. Asking for an unknown name is a programming error. */
const char *ctl_table_get(const CtlTable *table, guint row, const char *name);
const char *ctl_table_get_cell(const CtlTable *table, guint row, guint column);

/* A cell as humans read it: NULL "-", times "2026-08-01 09:00:00", booleans yes / no, control
 * characters made harmless for a terminal. The caller frees it. */
char *ctl_cell_display(CtlType type, const char *value);

/* text with control characters made harmless (as in cells). The caller frees it. */
char *ctl_text_safe(const char *text);

/* Aligned columns with a header line (unless no_header), human columns only. */
void ctl_table_print(const CtlTable *table, GString *out, gboolean no_header);
/* One row as "Title:  value" lines, indented by indent spaces. */
void ctl_table_print_record(const CtlTable *table, guint row, GString *out, guint indent);
/* Every row as an array of objects / one row as an object, JSON columns only. */
void ctl_table_to_json(const CtlTable *table, CtlJson *json);
void ctl_table_row_to_json(const CtlTable *table, guint row, CtlJson *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CtlTable, ctl_table_free)

/* --- output: HTML text and SVG charts (html.c, chart.c) ----------------------------------- */

/*
 * Appends len bytes of text (NULL: nothing) escaped for HTML element content and quoted
 * attribute values alike: & < > " ' as references, tab and newline kept, carriage return a
 * space, other C0 controls and DEL as their Unicode control pictures (U+2400 + code, visible
 * and harmless), C1 controls, bidirectional overrides and isolates and invalid UTF-8 bytes
 * as U+FFFD. At most max_chars characters (0: no limit), then an ellipsis. The output is
 * valid UTF-8 that XML 1.0 accepts too. Returns the characters of text consumed.
 */
gsize ctl_html_append_len(GString *out, const char *text, gsize len, gsize max_chars);
/* The same for a NUL-terminated text, whole or cut after max_chars characters. */
void ctl_html_append(GString *out, const char *text);
void ctl_html_append_short(GString *out, const char *text, gsize max_chars);
/* text escaped as above, newly allocated. */
char *ctl_html_escape(const char *text);
/* Appends ' name="value"' with value escaped (name is the program's, not data). */
void ctl_html_attribute(GString *out, const char *name, const char *value);
/* Appends <tag class="class_name">text</tag>, text escaped; class_name may be NULL. */
void ctl_html_element(GString *out, const char *tag, const char *class_name, const char *text);

/* One stacked series of a chart: key goes to data-series, label to the legend and tooltips,
 * colour is the fill. All three are the program's constants. */
typedef struct {
	const char *key;
	const char *label;
	const char *colour;
} CtlChartSeries;

/* Counts per UTC day and series, drawn as SVG. */
typedef struct _CtlChart CtlChart;

/* A chart of n_days days from first_day with n_series series (borrowed), all counts 0. */
CtlChart *ctl_chart_new(const GDate *first_day, guint n_days, const CtlChartSeries *series,
                        guint n_series);
void ctl_chart_free(CtlChart *chart);
guint ctl_chart_get_n_days(const CtlChart *chart);
/* Adds count to series on day ("YYYY-MM-DD"); FALSE when the day is not a date or outside the
 * chart (nothing added). */
gboolean ctl_chart_add(CtlChart *chart, guint series, const char *day, guint64 count);
guint64 ctl_chart_get(const CtlChart *chart, guint series, guint day);
guint64 ctl_chart_day_total(const CtlChart *chart, guint day);
guint64 ctl_chart_series_total(const CtlChart *chart, guint series);
/* The largest day total (0 for an empty chart) and its day (the first such). */
guint64 ctl_chart_max_day(const CtlChart *chart, guint *ret_day);
/* The smallest step of 1, 2 or 5 times a power of ten dividing 0 .. max in at most max_ticks
 * steps: the y axis's gridlines. */
guint64 ctl_chart_nice_step(guint64 max, guint max_ticks);
/*
 * Appends an <svg> of stacked bars, one per day, with a y axis of round numbers, gridlines,
 * day labels and a legend. title (escaped) is its accessible name, a generated <desc> says
 * the totals; id (the program's, unique in the page) prefixes their ids. Every bar segment
 * carries data-day, data-series and data-count and a <title> tooltip.
 */
void ctl_chart_bars_svg(const CtlChart *chart, const char *title, const char *id, GString *out);
/* A small bar chart of the day totals for a table cell, scaled to scale_max (0: its own
 * largest day), with title (escaped) as its accessible name; segments as above. */
void ctl_chart_sparkline_svg(const CtlChart *chart, guint64 scale_max, const char *title,
                             GString *out);
/* Parses "YYYY-MM-DD" (a DATE column); FALSE when it is not a real date. */
gboolean ctl_date_parse(const char *text, GDate *ret_date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CtlChart, ctl_chart_free)

/* --- time arguments (timespec.c) ---------------------------------------------------------------
 */

/*
 * Parses an --since / --until value: "now"; a duration back from now_us ("7d", "24h", "90m",
 * "1h30m"); or an ISO 8601 date or date-time ("2026-08-01", "2026-08-01T12:00",
 * "2026-08-01 12:00:00.5", UTC unless it ends with Z or an offset such as +02:00).
 * Returns FALSE with CTL_ERROR_USAGE when the text is none of these.
 */
gboolean ctl_time_parse(const char *text, gint64 now_us, gint64 *ret_us, GError **error);

/* A time range; a bound is G_MININT64 / G_MAXINT64 when not given. */
typedef struct {
	gint64 since_us;
	gint64 until_us;
} CtlTimeRange;

/* Both bounds (either may be NULL); FALSE with CTL_ERROR_USAGE when one does not parse or
 * since is not before until. */
gboolean ctl_time_range_parse(const char *since, const char *until, gint64 now_us,
                              CtlTimeRange *ret_range, GError **error);
/* "YYYY-MM-DD hh:mm:ss.ffffff" UTC, the form DATETIME(6) parameters take. */
void ctl_time_to_sql(gint64 us, char *buf, gsize size);
/* A DATETIME's text ("2026-08-01 09:00:00[.ffffff]") as ISO 8601 UTC, the fraction kept only
 * when it is not zero; NULL when the text is not a DATETIME. The caller frees it. */
char *ctl_time_sql_to_iso(const char *sql);

/* --- the invocation: options, configuration, connections (context.c) ---------------------- */

typedef struct _CtlCommand CtlCommand;

/* Everything a command runs with. Output goes to out and reaches stdout only when the command
 * succeeds, so a failure never leaves half a document behind. */
typedef struct {
	const char *program;        /* "chopinctl" */
	const char *config_path;    /* -C, NULL: the default file (its defaults when missing) */
	const char *defaults_file;  /* --defaults-file: MySQL option file for both accounts */
	gboolean json;              /* --json */
	gboolean no_header;         /* --no-header */
	unsigned int timeout_s;     /* -t, 0: chopinctl.timeout */
	const CtlCommand *command;  /* the command running */
	ChopinConfigSchema *schema; /* loaded on first use */
	ChopinConfig *config;
	ChopinDb *reader; /* read-only account, connected on first use */
	ChopinDb *writer; /* writer account, connected on first use */
	GString *out;
	gboolean partial; /* the command printed what it could, but something was unavailable */
} CtlContext;

/* One option of a command besides the common ones (--json, -C, --defaults-file, -t,
 * --no-header, -h). id is what the option callback receives; arg says whether it takes a
 * value. */
typedef struct {
	const char *name;
	int short_name; /* 0: none */
	gboolean arg;
	int id;
} CtlOption;

typedef gboolean (*CtlOptionFunc)(CtlContext *context, int id, const char *value,
                                  gpointer user_data, GError **error);

/*
 * Parses argv[1..] (argv[0] is the command or subcommand name): the common options set
 * context, the command's own (options may be NULL) go to option_cb. Operands (in any position) are
 * returned in *ret_operands (NULL-terminated, borrowed from argv; free the array with g_free).
 * Returns FALSE with CTL_ERROR_USAGE on an unknown option or missing value. *ret_help is set (and
 * the command's help printed to out) when -h was given.
 */
gboolean ctl_options_parse(CtlContext *context, int argc, char **argv, const CtlOption *options,
                           CtlOptionFunc option_cb, gpointer user_data, char ***ret_operands,
                           gboolean *ret_help, GError **error);

/* The configuration (loaded on first use; diagnostics to stderr). NULL with CTL_ERROR_CONFIG. */
const ChopinConfig *ctl_config(CtlContext *context, GError **error);
/* The read-only / writer connection, opened on first use. NULL with error. */
ChopinDb *ctl_db_reader(CtlContext *context, GError **error);
ChopinDb *ctl_db_writer(CtlContext *context, GError **error);
void ctl_context_clear(CtlContext *context);

/* Prepares and executes sql with params on db. The statement (owned by db) is positioned
 * before its first row; NULL with error. */
ChopinDbStmt *ctl_query(ChopinDb *db, const char *sql, const ChopinDbValue *params, guint n_params,
                        GError **error);
/* Runs a query into a new table with those columns. NULL with error. */
CtlTable *ctl_query_table(ChopinDb *db, const char *sql, const ChopinDbValue *params,
                          guint n_params, const CtlColumn *columns, guint n_columns,
                          GError **error);
/* The host_id of name (compared as the hosts table does, case-insensitively) and its
 * canonical spelling (ret_name may be NULL; the caller frees it). FALSE with
 * CTL_ERROR_NOT_FOUND for an unknown host. */
gboolean ctl_host_lookup(ChopinDb *db, const char *name, guint64 *ret_host_id, char **ret_name,
                         GError **error);
/* Parses an alarm id operand; FALSE with CTL_ERROR_USAGE when it is not a positive number. */
gboolean ctl_parse_id(const char *text, const char *what, guint64 *ret_id, GError **error);
/* Parses a --limit value (1..1000000). */
gboolean ctl_parse_limit(const char *text, guint64 *ret_limit, GError **error);

void ctl_print(CtlContext *context, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* --- the commands (main.c keeps the table; one file per group) ---------------------------- */

struct _CtlCommand {
	const char *name;     /* "hosts" */
	const char *synopsis; /* usage lines after the name, "\n"-separated */
	const char *summary;  /* one line for chopinctl --help */
	const char *help;     /* the command's options, for chopinctl COMMAND --help */
	/* argv[0] is the command name. Returns FALSE with error: the exit status follows it. */
	gboolean (*run)(CtlContext *context, int argc, char **argv, GError **error);
};

/*
 * Adding a command (e.g. "report --html FILE", planned in report.c): define a CtlCommand
 * there, declare it below, add it to the table in main.c, and add the file to
 * tools_chopinctl_chopinctl_SOURCES. The query functions below return the same tables the
 * text and JSON views print, for a report to render its own way.
 */
extern const CtlCommand ctl_command_hosts;   /* hosts.c */
extern const CtlCommand ctl_command_host;    /* hosts.c */
extern const CtlCommand ctl_command_events;  /* events.c */
extern const CtlCommand ctl_command_history; /* events.c */
extern const CtlCommand ctl_command_alarms;  /* alarms.c */
extern const CtlCommand ctl_command_ticket;  /* alarms.c */
extern const CtlCommand ctl_command_tags;    /* tags.c */
extern const CtlCommand ctl_command_rules;   /* rules.c */
extern const CtlCommand ctl_command_stats;   /* stats.c */
extern const CtlCommand ctl_command_report;  /* report.c */

/* hosts.c: the fleet list. */
typedef struct {
	gboolean inactive;        /* marked inactive or heartbeat overdue (v_inactive_hosts) */
	gboolean past_eos;        /* OS past the end of extended support (v_hosts_past_eos) */
	gboolean pending_updates; /* at least one update pending */
	const char *const *tags;  /* NULL-terminated; every one must be set; may be NULL */
	const char *name;         /* one host (compared as hosts.name is), NULL: any */
} CtlHostFilter;
CtlTable *ctl_hosts_query(CtlContext *context, const CtlHostFilter *filter, GError **error);

/* events.c: events aggregated per host, device, source and id, most frequent first. */
typedef struct {
	guint64 host_id;    /* 0: every host */
	const char *device; /* device address, NULL: any */
	const char *source; /* NULL: any */
	gint64 event_id;    /* -1: any */
	const char *level;  /* NULL: any */
	CtlTimeRange range; /* agent event time */
	guint64 limit;      /* 0: no limit */
} CtlEventFilter;
CtlTable *ctl_events_query_groups(CtlContext *context, const CtlEventFilter *filter,
                                  GError **error);

/* alarms.c: alarms, open first then the most recent. */
typedef struct {
	gboolean all;         /* cleared ones too */
	gboolean with_ticket; /* only those carrying a ticket text */
	guint64 host_id;      /* 0: every host */
	const char *service;  /* NULL: any */
	CtlTimeRange range;   /* seen in the range (first_seen .. last_seen overlaps it) */
	guint64 limit;        /* 0: no limit */
} CtlAlarmFilter;
CtlTable *ctl_alarms_query(CtlContext *context, const CtlAlarmFilter *filter, GError **error);

/* report.c: the data of one report, read in one snapshot; report-html.c draws the page. */
#define CTL_REPORT_MAX_CHANGES 100 /* configuration changes listed (all are counted) */
typedef struct {
	GDate first_day; /* the period: n_days whole UTC days from first_day */
	guint n_days;
	gint64 generated_us;    /* the report's "now", also the database session's clock */
	char *host;             /* --host: the canonical name; NULL: the whole fleet */
	guint64 host_id;        /* --host: its id; 0: the whole fleet */
	gint64 stale_after_s;   /* checks.stale_after: an older checkpoint is a warning */
	CtlTable *hosts;        /* ctl_hosts_query() */
	CtlTable *host_days;    /* host, day, events, critical, error, warning, other */
	CtlTable *device_days;  /* host, device, day, events */
	CtlTable *groups;       /* ctl_events_query_groups() over the period */
	CtlTable *alarms;       /* open alarms, ctl_alarms_query() */
	CtlTable *alarm_counts; /* raised, cleared: alarms first seen in the period */
	CtlTable *devices;      /* host, kind, address, state, status, model, serial, last_seen */
	CtlTable *changes;      /* host, changed_at, device, change, text, total: newest first */
	CtlTable *updates;      /* v_pending_updates: host, pending, security, failed, ... */
	CtlTable *rules;        /* rule, type, enabled, loaded_at, open_alarms */
	CtlTable *checkpoints;  /* correlator, updated_at, age_s: newest first */
} CtlReport;

void ctl_report_clear(CtlReport *report);
/* The start (UTC midnight) of the period's day number day, in microseconds since the epoch;
 * day n_days is the end of the period. */
gint64 ctl_report_period_start_us(const CtlReport *report, guint day);
/* Appends the period as "2026-10-24 to 2026-11-22". */
void ctl_report_period_text(const CtlReport *report, GString *out);

/* report-html.c: the whole page, and the table cells the sections share: text (NULL or empty:
 * "-"; cut after max_chars characters unless 0), a number, a time (to the second), a badge
 * for a level, severity or status. */
void ctl_report_html(const CtlReport *report, GString *out);
void ctl_report_cell(GString *out, const char *text, const char *class_name, gsize max_chars);
void ctl_report_cell_number(GString *out, const char *number);
void ctl_report_cell_time(GString *out, const char *time);
void ctl_report_badge(GString *out, const char *value);

/* report-events.c: the fleet's events per day; per host the chart, devices and groups. */
void ctl_report_html_fleet_chart(const CtlReport *report, GString *out);
void ctl_report_html_events(const CtlReport *report, GString *out);

G_END_DECLS

#endif /* CHOPINCTL_H */
