/* check-common: the one skeleton every Chopin check plugin runs (options, DB, staleness, output).
 */
#ifndef CHOPIN_CHECK_COMMON_H
#define CHOPIN_CHECK_COMMON_H

#include <stdbool.h>

#include <glib.h>

#include "chopin-config.h"
#include "chopin-mysql.h"
#include "chopin-nagios.h"

G_BEGIN_DECLS

/* Error domain of the plugins' own failures (no data, bad data); shown as UNKNOWN. */
#define CHECK_ERROR (check_error_quark())
GQuark check_error_quark(void);

typedef enum {
	CHECK_ERROR_NO_DATA, /* the host exists but Chopin holds nothing for this service yet */
	CHECK_ERROR_USAGE,   /* an option value the plugin cannot use */
} CheckError;

/* The host the plugin was asked about, as the hosts table knows it. */
typedef struct {
	guint64 host_id;
	char *name;         /* canonical spelling from the database */
	char *os_name;      /* NULL when unknown */
	char *machine_type; /* physical, virtual, unknown */
	char *status;       /* active, inactive, unknown */
} CheckHost;

/* Everything a plugin's params/evaluate steps may use; filled by check_main(). */
typedef struct {
	const char *host_arg;        /* -H as given */
	const char *warning_arg;     /* -w as given, NULL if not */
	const char *critical_arg;    /* -c as given, NULL if not */
	ChopinThresholds thresholds; /* -w / -c parsed */
	unsigned int timeout_s;      /* -t */
	int verbose;                 /* number of -v */
	gint64 stale_after_s;        /* --stale-after or checks.stale_after */
	ChopinConfig *config;        /* the configuration file, or its defaults */
	ChopinDb *db;                /* connected; SQL must compare with UTC_TIMESTAMP() */
	CheckHost host;
} CheckContext;

/* One result row of a plugin's statement, copied out of the client library's buffers.
 * column[0] is the number of the UNION ALL part the row comes from. */
typedef struct {
	guint n_columns;
	char *column[]; /* text as the server sent it, NULL for SQL NULL */
} CheckRow;

/* Most parameters a plugin's statement takes after the common ones. */
#define CHECK_PLUGIN_PARAMS_MAX 8

/* Columns of the common first part of every statement (see CheckPlugin.sql). */
#define CHECK_PIPELINE_COLUMNS 8

/* One plugin: its names, its statement and its evaluate step. */
typedef struct {
	const char *program;        /* "check_chopin_raid" */
	const char *service;        /* "RAID": first word of the status line */
	const char *purpose;        /* one line for --help */
	const char *threshold_help; /* what -w / -c apply to; NULL: the plugin takes none */
	/* The plugin's part of the one statement a check runs: one or more SELECTs joined by
	 * UNION ALL, each with n_columns columns, column 0 a part number >= 0, each finding
	 * the host by name (a marker bound to -H). check-common puts its own part (the
	 * pipeline checkpoint and the host row) first. No derived tables or common table
	 * expressions: the server materialises them, a temporary table per check; a part
	 * that needs ORDER BY and LIMIT is written in parentheses. */
	const char *sql;
	guint n_columns; /* at least CHECK_PIPELINE_COLUMNS */
	/* Fill the parameters of sql (markers in order), at most CHECK_PLUGIN_PARAMS_MAX;
	 * returns how many. */
	guint (*params)(const CheckContext *context, ChopinDbValue *ret_params);
	/* Evaluate the plugin's rows (CheckRow, any order) into output (state, summary, long
	 * output, perfdata). Returns FALSE with error set when the plugin cannot tell
	 * (UNKNOWN). */
	gboolean (*evaluate)(CheckContext *context, GPtrArray *rows, ChopinOutput *output,
	                     GError **error);
} CheckPlugin;

/* Parse options, load the configuration, connect within -t, run the statement, refuse a
 * stale pipeline or an unknown host (UNKNOWN), evaluate, print. Returns the exit code. */
int check_main(const CheckPlugin *plugin, int argc, char **argv);

/* Column helpers on a row: text (NULL for SQL NULL, owned by the row), a number (fallback
 * for NULL or non-numbers), whether the column is NULL, and the part number (column 0). */
const char *check_row_text(const CheckRow *row, guint column);
gint64 check_row_int(const CheckRow *row, guint column, gint64 fallback);
bool check_row_is_null(const CheckRow *row, guint column);
int check_row_part(const CheckRow *row);

/* Add one perfdata item after the status line; a failure (a bug in the label) is ignored
 * after a debug message, so that perfdata never turns a result into UNKNOWN. */
void check_perfdata_add(ChopinOutput *output, const char *label, double value, const char *uom,
                        const ChopinThresholds *thresholds, bool has_min, double min);

/* A count as perfdata: uom "", min 0, no thresholds. */
void check_perfdata_count(ChopinOutput *output, const char *label, gint64 value);

/* Print a diagnostic to stderr when -v was given at least level times. */
void check_verbose(const CheckContext *context, int level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

G_END_DECLS

#endif
