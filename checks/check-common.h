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

/* Everything a plugin's gather/evaluate step may use; filled by check_main(). */
typedef struct {
	const char *host_arg;        /* -H as given */
	const char *warning_arg;     /* -w as given, NULL if not */
	const char *critical_arg;    /* -c as given, NULL if not */
	ChopinThresholds thresholds; /* -w / -c parsed */
	unsigned int timeout_s;      /* -t */
	int verbose;                 /* number of -v */
	gint64 stale_after_s;        /* --stale-after or checks.stale_after */
	ChopinConfig *config;        /* the configuration file, or its defaults */
	ChopinDb *db;                /* connected, UTC session */
	CheckHost host;
} CheckContext;

/* One plugin: its names and its gather/evaluate step. */
typedef struct {
	const char *program;        /* "check_chopin_raid" */
	const char *service;        /* "RAID": first word of the status line */
	const char *purpose;        /* one line for --help */
	const char *threshold_help; /* what -w / -c apply to; NULL: the plugin takes none */
	/* Gather from the database and fill output (state, summary, long output, perfdata).
	 * Returns FALSE with error set when the plugin cannot tell (UNKNOWN). */
	gboolean (*run)(CheckContext *context, ChopinOutput *output, GError **error);
} CheckPlugin;

/* Parse options, load the configuration, connect within -t, refuse a stale pipeline or an
 * unknown host (UNKNOWN), run the plugin, print its output. Returns the exit code (0-3). */
int check_main(const CheckPlugin *plugin, int argc, char **argv);

/* Prepare and execute sql with params, under the -t bound. Returns the statement (owned by
 * the connection) positioned before the first row, or NULL with error set. */
ChopinDbStmt *check_query(CheckContext *context, const char *sql, const ChopinDbValue *params,
                          guint n_params, GError **error);

/* Column helpers on the current row: text (NULL for SQL NULL, owned by the statement), a
 * number (fallback for NULL) and whether the column is NULL. */
const char *check_column_text(ChopinDbStmt *stmt, guint column);
gint64 check_column_int(ChopinDbStmt *stmt, guint column, gint64 fallback);
bool check_column_is_null(ChopinDbStmt *stmt, guint column);

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
