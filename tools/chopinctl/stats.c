/* stats: pipeline counters: chopin-trapd's stats file, correlator checkpoints, spool backlog. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

#include "chopin-spool.h"

/* --- chopin-trapd's counters file (trapd/stats.c writes it) ---------------------------------- */

typedef struct {
	char *path;
	char *error;       /* why it could not be read, NULL when read */
	gint64 pid;        /* 0: unknown */
	gint64 written_at; /* seconds since the epoch, 0: unknown */
	GPtrArray *names;  /* char*, file order */
	GArray *values;    /* guint64 */
} TrapdStats;

static void
trapd_stats_clear(TrapdStats *stats)
{
	g_free(stats->path);
	g_free(stats->error);
	if (stats->names != NULL)
		g_ptr_array_unref(stats->names);
	if (stats->values != NULL)
		g_array_unref(stats->values);
}

/* "# chopin-trapd counters, pid N, written at SECONDS" then "name value" lines. */
static void
trapd_stats_read(TrapdStats *stats)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;

	stats->names = g_ptr_array_new_with_free_func(g_free);
	stats->values = g_array_new(FALSE, FALSE, sizeof(guint64));
	if (!g_file_get_contents(stats->path, &text, NULL, &error)) {
		stats->error = g_strdup(error->message);
		return;
	}
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *line = lines[i];
		if (line[0] == '#') {
			const char *pid = strstr(line, "pid ");
			const char *at = strstr(line, "written at ");
			if (pid != NULL)
				stats->pid = g_ascii_strtoll(pid + 4, NULL, 10);
			if (at != NULL)
				stats->written_at = g_ascii_strtoll(at + 11, NULL, 10);
			continue;
		}
		if (line[0] == '\0')
			continue;
		g_auto(GStrv) fields = g_strsplit(line, " ", 2);
		guint64 value;
		if (fields[1] == NULL ||
		    !g_ascii_string_to_unsigned(fields[1], 10, 0, G_MAXUINT64, &value, NULL)) {
			g_clear_pointer(&stats->error, g_free);
			stats->error =
			    g_strdup_printf("line %u is not 'name value': not a chopin-trapd "
			                    "stats file",
			                    i + 1);
			g_ptr_array_set_size(stats->names, 0);
			g_array_set_size(stats->values, 0);
			return;
		}
		g_ptr_array_add(stats->names, g_strdup(fields[0]));
		g_array_append_val(stats->values, value);
	}
}

/* --- correlators and totals from the database ----------------------------------------------- */

/* clang-format off */
static const CtlColumn correlator_columns[] = {
    {"name", "CORRELATOR", CTL_TYPE_TEXT},
    {"records", "RECORDS", CTL_TYPE_INT},
    {"spool_segment", "SEGMENT", CTL_TYPE_INT},
    {"spool_offset", "OFFSET", CTL_TYPE_INT},
    {"checkpoint_at", "CHECKPOINT", CTL_TYPE_TIME},
    {"checkpoint_age_s", "AGE (s)", CTL_TYPE_INT},
};
/* clang-format on */

/* clang-format off */
static const CtlColumn total_columns[] = {
    {"hosts", "Hosts", CTL_TYPE_INT},
    {"inactive_hosts", "Inactive hosts", CTL_TYPE_INT},
    {"open_alarms", "Open alarms", CTL_TYPE_INT},
    {"unacknowledged_alarms", "Unacknowledged", CTL_TYPE_INT},
    {"lost_traps", "Lost traps (sequence gaps)", CTL_TYPE_INT},
    {"duplicate_traps", "Duplicates dropped", CTL_TYPE_INT},
    {"quarantined_traps", "Quarantined", CTL_TYPE_INT},
};
/* clang-format on */

/* The spool backlog of one correlator: the spool bytes its checkpoint has not reached. */
typedef struct {
	char *dir;
	char *correlator;
	char *error;
	gboolean have_checkpoint;
	guint64 bytes;
	guint32 segments;
} SpoolBacklog;

static void
spool_backlog_clear(SpoolBacklog *backlog)
{
	g_free(backlog->dir);
	g_free(backlog->correlator);
	g_free(backlog->error);
}

static void
spool_backlog_measure(SpoolBacklog *backlog, const CtlTable *correlators)
{
	ChopinSpoolPosition position = {0, 0};
	char errbuf[512];
	uint64_t bytes = 0;
	uint32_t segments = 0;

	for (guint r = 0; r < ctl_table_get_n_rows(correlators); r++) {
		if (strcmp(ctl_table_get(correlators, r, "name"), backlog->correlator) != 0)
			continue;
		guint64 segment = 0, offset = 0;
		g_ascii_string_to_unsigned(ctl_table_get(correlators, r, "spool_segment"), 10, 0,
		                           G_MAXUINT32, &segment, NULL);
		g_ascii_string_to_unsigned(ctl_table_get(correlators, r, "spool_offset"), 10, 0,
		                           G_MAXUINT64, &offset, NULL);
		position.segment = (uint32_t)segment;
		position.offset = offset;
		backlog->have_checkpoint = TRUE;
	}
	/* no checkpoint yet: the correlator will start at the beginning */
	if (chopin_spool_backlog(backlog->dir, position, &bytes, &segments, errbuf,
	                         sizeof errbuf) != 0) {
		backlog->error = g_strdup(errbuf);
		return;
	}
	backlog->bytes = bytes;
	backlog->segments = segments;
}

/* --- output ------------------------------------------------------------------------------------
 */

static void
stats_json(CtlContext *context, const TrapdStats *trapd, const CtlTable *correlators,
           const CtlTable *totals, const SpoolBacklog *backlog)
{
	g_autoptr(CtlJson) json = ctl_json_new(context->out);

	ctl_json_begin_object(json);
	ctl_json_key(json, "trapd");
	ctl_json_begin_object(json);
	ctl_json_key(json, "stats_file");
	ctl_json_string(json, trapd->path);
	if (trapd->error != NULL) {
		ctl_json_key(json, "error");
		ctl_json_string(json, trapd->error);
	} else {
		ctl_json_key(json, "pid");
		if (trapd->pid > 0)
			ctl_json_int(json, trapd->pid);
		else
			ctl_json_null(json);
		ctl_json_key(json, "written_at");
		if (trapd->written_at > 0) {
			g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(trapd->written_at);
			g_autofree char *iso =
			    at != NULL ? g_date_time_format(at, "%Y-%m-%dT%H:%M:%SZ") : NULL;
			ctl_json_string(json, iso);
			ctl_json_key(json, "age_s");
			ctl_json_int(
			    json, MAX(0, g_get_real_time() / G_USEC_PER_SEC - trapd->written_at));
		} else {
			ctl_json_null(json);
		}
		ctl_json_key(json, "counters");
		ctl_json_begin_object(json);
		for (guint i = 0; i < trapd->names->len; i++) {
			ctl_json_key(json, g_ptr_array_index(trapd->names, i));
			ctl_json_int(json, (gint64)MIN(g_array_index(trapd->values, guint64, i),
			                               (guint64)G_MAXINT64));
		}
		ctl_json_end_object(json);
	}
	ctl_json_end_object(json);
	ctl_json_key(json, "correlators");
	ctl_table_to_json(correlators, json);
	ctl_json_key(json, "totals");
	ctl_table_row_to_json(totals, 0, json);
	ctl_json_key(json, "spool");
	ctl_json_begin_object(json);
	ctl_json_key(json, "dir");
	ctl_json_string(json, backlog->dir);
	ctl_json_key(json, "correlator");
	ctl_json_string(json, backlog->correlator);
	if (backlog->error != NULL) {
		ctl_json_key(json, "error");
		ctl_json_string(json, backlog->error);
	} else {
		ctl_json_key(json, "has_checkpoint");
		ctl_json_bool(json, backlog->have_checkpoint);
		ctl_json_key(json, "backlog_bytes");
		ctl_json_int(json, (gint64)MIN(backlog->bytes, (guint64)G_MAXINT64));
		ctl_json_key(json, "backlog_segments");
		ctl_json_int(json, backlog->segments);
	}
	ctl_json_end_object(json);
	ctl_json_end_object(json);
	ctl_json_finish(json);
}

static void
stats_print(CtlContext *context, const TrapdStats *trapd, const CtlTable *correlators,
            const CtlTable *totals, const SpoolBacklog *backlog)
{
	ctl_print(context, "chopin-trapd (%s)\n", trapd->path);
	if (trapd->error != NULL) {
		ctl_print(context, "  unavailable: %s\n", trapd->error);
	} else {
		if (trapd->written_at > 0) {
			g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(trapd->written_at);
			g_autofree char *text = at != NULL
			                            ? g_date_time_format(at, "%Y-%m-%d %H:%M:%S")
			                            : g_strdup("?");
			ctl_print(context,
			          "  written %s UTC (%" G_GINT64_FORMAT
			          " s ago) by pid %" G_GINT64_FORMAT "\n",
			          text,
			          MAX(0, g_get_real_time() / G_USEC_PER_SEC - trapd->written_at),
			          trapd->pid);
		}
		guint width = 0;
		for (guint i = 0; i < trapd->names->len; i++)
			width = MAX(width, strlen(g_ptr_array_index(trapd->names, i)));
		for (guint i = 0; i < trapd->names->len; i++)
			ctl_print(context, "  %-*s %" G_GUINT64_FORMAT "\n", (int)width,
			          (const char *)g_ptr_array_index(trapd->names, i),
			          g_array_index(trapd->values, guint64, i));
	}
	ctl_print(context, "\nCorrelator checkpoints\n");
	if (ctl_table_get_n_rows(correlators) == 0) {
		ctl_print(context, "  none: no correlator has written a checkpoint yet\n");
	} else {
		g_autoptr(GString) text = g_string_new(NULL);
		ctl_table_print(correlators, text, context->no_header);
		g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
		for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
			ctl_print(context, "  %s\n", lines[i]);
	}
	ctl_print(context, "\nSpool %s (correlator %s)\n", backlog->dir, backlog->correlator);
	if (backlog->error != NULL)
		ctl_print(context, "  unavailable: %s\n", backlog->error);
	else
		ctl_print(context,
		          "  backlog: %" G_GUINT64_FORMAT " bytes in %u segment%s not yet "
		          "consumed%s\n",
		          backlog->bytes, backlog->segments, backlog->segments == 1 ? "" : "s",
		          backlog->have_checkpoint ? "" : " (no checkpoint yet)");
	ctl_print(context, "\nDatabase\n");
	ctl_table_print_record(totals, 0, context->out, 2);
}

/* --- chopinctl stats ----------------------------------------------------------------------- */

enum {
	STATS_TRAPD_FILE = 256,
	STATS_SPOOL_DIR,
	STATS_CORRELATOR,
};

typedef struct {
	const char *stats_file;
	const char *spool_dir;
	const char *correlator;
} StatsArgs;

static gboolean
stats_option_cb(CtlContext *context, int id, const char *value, gpointer user_data, GError **error)
{
	StatsArgs *args = user_data;

	(void)context;
	(void)error;
	if (id == STATS_TRAPD_FILE)
		args->stats_file = value;
	else if (id == STATS_SPOOL_DIR)
		args->spool_dir = value;
	else if (id == STATS_CORRELATOR)
		args->correlator = value;
	return TRUE;
}

static gboolean
stats_run(CtlContext *context, int argc, char **argv, GError **error)
{
	static const CtlOption options[] = {
	    {"stats-file", 0, TRUE, STATS_TRAPD_FILE},
	    {"spool-dir", 0, TRUE, STATS_SPOOL_DIR},
	    {"correlator", 0, TRUE, STATS_CORRELATOR},
	    {NULL, 0, FALSE, 0},
	};
	StatsArgs args = {0};
	g_autofree char **operands = NULL;
	gboolean help;

	if (!ctl_options_parse(context, argc, argv, options, stats_option_cb, &args, &operands,
	                       &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "stats: unexpected argument '%s'",
		            operands[0]);
		return FALSE;
	}
	const ChopinConfig *config = ctl_config(context, error);
	ChopinDb *db = config != NULL ? ctl_db_reader(context, error) : NULL;
	if (db == NULL)
		return FALSE;
	g_autoptr(CtlTable) correlators = ctl_query_table(
	    db,
	    "SELECT correlator_name, record_count, spool_segment, spool_offset, updated_at,"
	    " TIMESTAMPDIFF(SECOND, updated_at, UTC_TIMESTAMP(6))"
	    " FROM correlator_checkpoints ORDER BY correlator_name",
	    NULL, 0, correlator_columns, G_N_ELEMENTS(correlator_columns), error);
	if (correlators == NULL)
		return FALSE;
	g_autoptr(CtlTable) totals = ctl_query_table(
	    db,
	    "SELECT (SELECT COUNT(*) FROM hosts), (SELECT COUNT(*) FROM v_inactive_hosts),"
	    " (SELECT COUNT(*) FROM alarms WHERE state = 'open'),"
	    " (SELECT COUNT(*) FROM alarms WHERE state = 'open' AND acknowledged_at IS NULL),"
	    " (SELECT COALESCE(SUM(lost_count), 0) FROM agent_instances),"
	    " (SELECT COALESCE(SUM(duplicate_count), 0) FROM agent_instances),"
	    " (SELECT COUNT(*) FROM trap_quarantine)",
	    NULL, 0, total_columns, G_N_ELEMENTS(total_columns), error);
	if (totals == NULL)
		return FALSE;

	TrapdStats trapd = {0};
	const char *stats_file = args.stats_file != NULL
	                             ? args.stats_file
	                             : chopin_config_get_string(config, "trapd.stats_file");
	trapd.path = stats_file != NULL
	                 ? g_strdup(stats_file)
	                 : g_build_filename(chopin_config_get_string(config, "trapd.state_dir"),
	                                    "trapd.stats", NULL);
	trapd_stats_read(&trapd);

	SpoolBacklog backlog = {0};
	backlog.dir = g_strdup(args.spool_dir != NULL
	                           ? args.spool_dir
	                           : chopin_config_get_string(config, "correlator.spool_dir"));
	backlog.correlator =
	    g_strdup(args.correlator != NULL ? args.correlator
	                                     : chopin_config_get_string(config, "correlator.name"));
	spool_backlog_measure(&backlog, correlators);

	if (context->json)
		stats_json(context, &trapd, correlators, totals, &backlog);
	else
		stats_print(context, &trapd, correlators, totals, &backlog);
	if (trapd.error != NULL)
		fprintf(stderr, "%s: stats: chopin-trapd counters unavailable: %s: %s\n",
		        context->program, trapd.path, trapd.error);
	if (backlog.error != NULL)
		fprintf(stderr, "%s: stats: spool backlog unavailable: %s\n", context->program,
		        backlog.error);
	context->partial = trapd.error != NULL || backlog.error != NULL;
	trapd_stats_clear(&trapd);
	spool_backlog_clear(&backlog);
	return TRUE;
}

const CtlCommand ctl_command_stats = {
    .name = "stats",
    .synopsis = "[--stats-file FILE] [--spool-dir DIR] [--correlator NAME]",
    .summary = "pipeline counters: chopin-trapd, correlator checkpoints, spool backlog",
    .help = "chopin-trapd's counters come from its stats file (trapd.stats_file, default\n"
            "trapd.state_dir/trapd.stats); the correlators' from correlator_checkpoints; the\n"
            "spool backlog is the spool bytes (correlator.spool_dir) past the checkpoint of\n"
            "correlator.name. A part that cannot be read is reported and the exit status\n"
            "is 1, after the others are printed.\n\n"
            "Options:\n"
            "      --stats-file=FILE    chopin-trapd's counters file\n"
            "      --spool-dir=DIR      the spool\n"
            "      --correlator=NAME    whose checkpoint the backlog is measured from\n",
    .run = stats_run,
};
