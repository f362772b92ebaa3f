/* check-common: the one skeleton every Chopin check plugin runs (options, DB, staleness, output).
 */
#include "config.h"

#include "check-common.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chopin-settings.h"

G_DEFINE_QUARK(chopin - check - error - quark, check_error)

enum {
	OPTION_DEFAULTS_FILE = 256,
	OPTION_STALE_AFTER,
};

/* Options as given, before the configuration supplies what is missing. */
typedef struct {
	const char *config_path;
	const char *defaults_file;
	const char *stale_after;
	bool timeout_given;
} CheckOptions;

/* What the SIGALRM handler prints: composed before the alarm is armed (async-signal-safe). */
static char timeout_message[2][256];
static volatile sig_atomic_t timeout_phase;

static void
timeout_handler_cb(int signum)
{
	const char *message = timeout_message[timeout_phase != 0];
	ssize_t ignored;

	(void)signum;
	ignored = write(STDOUT_FILENO, message, strlen(message));
	(void)ignored;
	_exit(CHOPIN_STATE_UNKNOWN);
}

static void
timeout_arm(const CheckPlugin *plugin, unsigned int seconds)
{
	struct sigaction action;

	snprintf(timeout_message[0], sizeof timeout_message[0],
	         "%s UNKNOWN - no answer from the database within %u s (-t) while connecting\n",
	         plugin->service, seconds);
	snprintf(timeout_message[1], sizeof timeout_message[1],
	         "%s UNKNOWN - no answer from the database within %u s (-t) while querying\n",
	         plugin->service, seconds);
	memset(&action, 0, sizeof action);
	action.sa_handler = timeout_handler_cb;
	sigemptyset(&action.sa_mask);
	sigaction(SIGALRM, &action, NULL);
	alarm(seconds);
}

static void
usage_print(const CheckPlugin *plugin, FILE *stream)
{
	fprintf(stream,
	        "Usage: %s -H HOST%s [-t SECONDS] [-C FILE] [--defaults-file FILE]\n"
	        "       [--stale-after DURATION] [-v] | -h | -V\n",
	        plugin->program, plugin->threshold_help != NULL ? " [-w RANGE] [-c RANGE]" : "");
}

static void
help_print(const CheckPlugin *plugin)
{
	printf("%s (%s) %s\n%s\n\n", plugin->program, PACKAGE_NAME, PACKAGE_VERSION,
	       plugin->purpose);
	usage_print(plugin, stdout);
	printf("\nOptions:\n"
	       "  -H, --hostname=HOST      the Windows server, as its agent names itself\n");
	if (plugin->threshold_help != NULL)
		printf("  -w, --warning=RANGE      %s: WARNING outside RANGE\n"
		       "  -c, --critical=RANGE     %s: CRITICAL outside RANGE\n"
		       "                           RANGE is [@][START:][END] (Monitoring Plugins "
		       "syntax)\n",
		       plugin->threshold_help, plugin->threshold_help);
	printf(
	    "  -t, --timeout=SECONDS    bound on connecting and querying (default: checks.timeout,"
	    " 10)\n"
	    "  -C, --config=FILE        configuration file (default: %s)\n"
	    "      --defaults-file=FILE MySQL option file with the read-only credentials\n"
	    "      --stale-after=DURATION  UNKNOWN when the correlator checkpoint is older\n"
	    "                           (default: checks.stale_after, 5m)\n"
	    "  -v, --verbose            diagnostics on standard error (repeat for more)\n"
	    "  -h, --help               this help\n"
	    "  -V, --version            version\n\n"
	    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (database unreachable, "
	    "unknown host,\nstale pipeline, bad options). See %s(8).\n",
	    CHOPIN_SETTINGS_DEFAULT_FILE, plugin->program);
}

/* Print "SERVICE UNKNOWN - message" (and the usage line for usage errors); returns 3. */
static int __attribute__((format(printf, 3, 4)))
unknown_exit(const CheckPlugin *plugin, bool show_usage, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_strdelimit(message, "\n|", ' ');
	printf("%s UNKNOWN - %s\n", plugin->service, message);
	if (show_usage)
		usage_print(plugin, stdout);
	return CHOPIN_STATE_UNKNOWN;
}

void
check_verbose(const CheckContext *context, int level, const char *format, ...)
{
	va_list args;

	if (context->verbose < level)
		return;
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
}

/* Returns 0, 1 for --help/--version (exit 0 done), or -1 after printing a usage error. */
static int
options_parse(const CheckPlugin *plugin, int argc, char **argv, CheckContext *context,
              CheckOptions *options)
{
	static const struct option long_options[] = {
	    {"hostname", required_argument, NULL, 'H'},
	    {"warning", required_argument, NULL, 'w'},
	    {"critical", required_argument, NULL, 'c'},
	    {"timeout", required_argument, NULL, 't'},
	    {"config", required_argument, NULL, 'C'},
	    {"defaults-file", required_argument, NULL, OPTION_DEFAULTS_FILE},
	    {"stale-after", required_argument, NULL, OPTION_STALE_AFTER},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int option;

	opterr = 0;
	while ((option = getopt_long(argc, argv, ":H:w:c:t:C:vhV", long_options, NULL)) != -1) {
		switch (option) {
		case 'H':
			context->host_arg = optarg;
			break;
		case 'w':
		case 'c':
			if (plugin->threshold_help == NULL) {
				unknown_exit(plugin, true, "-%c is not an option of %s", option,
				             plugin->program);
				return -1;
			}
			*(option == 'w' ? &context->warning_arg : &context->critical_arg) = optarg;
			break;
		case 't': {
			char *end;
			errno = 0;
			unsigned long seconds = strtoul(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' || seconds < 1 ||
			    seconds > 3600) {
				unknown_exit(plugin, true, "-t '%s': expected seconds, 1 to 3600",
				             optarg);
				return -1;
			}
			context->timeout_s = (unsigned int)seconds;
			options->timeout_given = true;
			break;
		}
		case 'C':
			options->config_path = optarg;
			break;
		case OPTION_DEFAULTS_FILE:
			options->defaults_file = optarg;
			break;
		case OPTION_STALE_AFTER:
			options->stale_after = optarg;
			break;
		case 'v':
			context->verbose++;
			break;
		case 'h':
			help_print(plugin);
			return 1;
		case 'V':
			printf("%s (%s) %s\n", plugin->program, PACKAGE_NAME, PACKAGE_VERSION);
			return 1;
		case ':':
			unknown_exit(plugin, true, "option %s needs a value", argv[optind - 1]);
			return -1;
		default:
			unknown_exit(plugin, true, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		unknown_exit(plugin, true, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (context->host_arg == NULL || context->host_arg[0] == '\0') {
		unknown_exit(plugin, true, "-H HOST is required");
		return -1;
	}
	return 0;
}

/* Load --config, or the default file when it exists, or the defaults. Returns NULL after
 * printing UNKNOWN. */
static ChopinConfig *
config_load(const CheckPlugin *plugin, const CheckOptions *options,
            const ChopinConfigSchema *schema)
{
	const char *path =
	    options->config_path != NULL ? options->config_path : CHOPIN_SETTINGS_DEFAULT_FILE;
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;
	ChopinConfig *config = chopin_config_load_file(schema, path, &diagnostics, &error);

	if (config != NULL)
		return config;
	if (options->config_path == NULL &&
	    g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
		return chopin_config_new_defaults(schema);
	if (diagnostics != NULL && diagnostics->len > 0) {
		g_autoptr(GString) text = g_string_new(NULL);
		for (guint i = 0; i < diagnostics->len; i++)
			g_string_append_printf(text, "%s%s", i > 0 ? "; " : "",
			                       (const char *)g_ptr_array_index(diagnostics, i));
		unknown_exit(plugin, false, "bad configuration: %s", text->str);
	} else {
		unknown_exit(plugin, false, "cannot read configuration %s: %s", path,
		             error != NULL ? error->message : "unknown error");
	}
	return NULL;
}

static ChopinDb *
database_connect(CheckContext *context, const CheckOptions *options, GError **error)
{
	const ChopinConfig *config = context->config;
	const char *option_file = options->defaults_file != NULL
	                              ? options->defaults_file
	                              : chopin_config_get_string(config, "database.option_file");
	ChopinDbParams params = {
	    .host = chopin_config_get_string(config, "database.host"),
	    .port = (unsigned int)chopin_config_get_int(config, "database.port"),
	    .socket = chopin_config_get_string(config, "database.socket"),
	    .user = chopin_config_get_string(config, "database.user"),
	    .password = chopin_config_get_string(config, "database.password"),
	    .database = chopin_config_get_string(config, "database.name"),
	    .option_file = option_file,
	    .option_group = chopin_config_get_string(config, "database.option_group"),
	    .connect_timeout_s = context->timeout_s,
	    .read_timeout_s = context->timeout_s,
	    .write_timeout_s = context->timeout_s,
	    /* every query here compares DATETIME (UTC) columns with UTC_TIMESTAMP() */
	    .time_zone_independent = TRUE,
	};

	if (option_file != NULL && access(option_file, R_OK) != 0) {
		g_set_error(error, CHECK_ERROR, CHECK_ERROR_USAGE, "cannot read option file %s: %s",
		            option_file, g_strerror(errno));
		return NULL;
	}
	check_verbose(context, 1, "connecting (option file %s, database %s, timeout %u s)",
	              option_file != NULL ? option_file : "(default)", params.database,
	              context->timeout_s);
	return chopin_db_connect(&params, error);
}

const char *
check_row_text(const CheckRow *row, guint column)
{
	g_return_val_if_fail(column < row->n_columns, NULL);
	return row->column[column];
}

gint64
check_row_int(const CheckRow *row, guint column, gint64 fallback)
{
	const char *text = check_row_text(row, column);
	gint64 value;

	if (text == NULL ||
	    !g_ascii_string_to_signed(text, 10, G_MININT64, G_MAXINT64, &value, NULL))
		return fallback;
	return value;
}

bool
check_row_is_null(const CheckRow *row, guint column)
{
	return check_row_text(row, column) == NULL;
}

int
check_row_part(const CheckRow *row)
{
	return (int)check_row_int(row, 0, G_MININT);
}

static void
check_row_free(gpointer data)
{
	CheckRow *row = data;

	for (guint i = 0; i < row->n_columns; i++)
		g_free(row->column[i]);
	g_free(row);
}

void
check_perfdata_add(ChopinOutput *output, const char *label, double value, const char *uom,
                   const ChopinThresholds *thresholds, bool has_min, double min)
{
	ChopinPerfdata item = {
	    .label = label,
	    .value = value,
	    .uom = uom,
	    .warning = thresholds != NULL && thresholds->has_warning ? &thresholds->warning : NULL,
	    .critical =
	        thresholds != NULL && thresholds->has_critical ? &thresholds->critical : NULL,
	    .has_min = has_min,
	    .min = min,
	};
	char errbuf[256];

	if (chopin_output_add_perfdata(output, CHOPIN_PERFDATA_STATUS_LINE, &item, errbuf,
	                               sizeof errbuf) < 0)
		fprintf(stderr, "perfdata %s dropped: %s\n", label, errbuf);
}

void
check_perfdata_count(ChopinOutput *output, const char *label, gint64 value)
{
	check_perfdata_add(output, label, (double)value, "", NULL, true, 0);
}

/* The statement a check runs: the common part (part -1: the newest checkpoint, or the
 * one of checks.correlator, and the -H host; NULLs pad it to the plugin's width), then the
 * plugin's parts. One statement, so one round trip once connected. */
static char *
check_statement_compose(const CheckPlugin *plugin)
{
	GString *sql = g_string_new(
	    "(SELECT -1, c.correlator_name, TIMESTAMPDIFF(SECOND, c.updated_at, UTC_TIMESTAMP(6)),"
	    " h.host_id, h.name, h.os_name, h.machine_type, h.status");

	for (guint i = CHECK_PIPELINE_COLUMNS; i < plugin->n_columns; i++)
		g_string_append(sql, ", NULL");
	g_string_append(sql, " FROM correlator_checkpoints c LEFT JOIN hosts h ON h.name = ?"
	                     " WHERE ? IS NULL OR c.correlator_name = ?"
	                     " ORDER BY c.updated_at DESC LIMIT 1) UNION ALL ");
	g_string_append(sql, plugin->sql);
	return g_string_free(sql, FALSE);
}

/* Run the plugin's statement; returns every row (CheckRow), or NULL with error set. */
static GPtrArray *
check_rows_gather(const CheckPlugin *plugin, CheckContext *context, GError **error)
{
	const char *correlator = chopin_config_get_string(context->config, "checks.correlator");
	ChopinDbValue params[3 + CHECK_PLUGIN_PARAMS_MAX] = {
	    chopin_db_value_text(context->host_arg),
	    chopin_db_value_text(correlator),
	    chopin_db_value_text(correlator),
	};
	guint n_params = 3;
	g_autofree char *sql = check_statement_compose(plugin);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(check_row_free);
	gboolean have_row = FALSE, fetched;
	ChopinDbStmt *stmt;

	n_params += plugin->params(context, params + n_params);
	check_verbose(context, 3, "query: %s", sql);
	stmt = chopin_db_query(context->db, sql, params, n_params, error);
	if (stmt == NULL)
		return NULL;
	while ((fetched = chopin_db_stmt_fetch(stmt, &have_row, error)) && have_row) {
		guint n_columns = chopin_db_stmt_n_columns(stmt);
		CheckRow *row = g_malloc(sizeof *row + n_columns * sizeof row->column[0]);
		row->n_columns = n_columns;
		for (guint i = 0; i < n_columns; i++)
			row->column[i] = g_strdup(chopin_db_stmt_column_text(stmt, i, NULL));
		g_ptr_array_add(rows, row);
	}
	if (!fetched)
		return NULL;
	check_verbose(context, 2, "%u rows", rows->len);
	return g_steal_pointer(&rows);
}

/* Take the common row out of rows: UNKNOWN (FALSE) unless the checkpoint is fresh and the
 * host known; then context->host is filled. */
static gboolean
check_pipeline_host_evaluate(CheckContext *context, GPtrArray *rows, GError **error)
{
	const char *name = chopin_config_get_string(context->config, "checks.correlator");
	g_autoptr(GPtrArray) pipeline = g_ptr_array_new_with_free_func(check_row_free);
	const CheckRow *row;

	for (guint i = rows->len; i-- > 0;)
		if (check_row_part(g_ptr_array_index(rows, i)) < 0)
			g_ptr_array_add(pipeline, g_ptr_array_steal_index(rows, i));
	if (pipeline->len == 0) {
		g_set_error(error, CHECK_ERROR, CHECK_ERROR_NO_DATA,
		            name != NULL ? "pipeline not running: no checkpoint of correlator '%s'"
		                         : "pipeline not running: no correlator checkpoint yet%s",
		            name != NULL ? name : "");
		return FALSE;
	}
	row = g_ptr_array_index(pipeline, 0);
	gint64 age = check_row_int(row, 2, G_MAXINT64);
	check_verbose(context, 1, "correlator '%s' checkpoint is %" G_GINT64_FORMAT " s old",
	              check_row_text(row, 1), age);
	if (age > context->stale_after_s) {
		g_set_error(
		    error, CHECK_ERROR, CHECK_ERROR_NO_DATA,
		    "pipeline stale: correlator '%s' last advanced its checkpoint %" G_GINT64_FORMAT
		    " s ago (limit %" G_GINT64_FORMAT " s); Chopin data cannot be trusted",
		    check_row_text(row, 1), age, context->stale_after_s);
		return FALSE;
	}
	if (check_row_is_null(row, 3)) {
		g_set_error(error, CHECK_ERROR, CHECK_ERROR_NO_DATA,
		            "host '%s' is not known to Chopin (no such row in hosts)",
		            context->host_arg);
		return FALSE;
	}
	context->host.host_id = (guint64)check_row_int(row, 3, 0);
	context->host.name = g_strdup(check_row_text(row, 4));
	context->host.os_name = g_strdup(check_row_text(row, 5));
	context->host.machine_type = g_strdup(check_row_text(row, 6));
	context->host.status = g_strdup(check_row_text(row, 7));
	return TRUE;
}

static void
context_clear(CheckContext *context)
{
	g_free(context->host.name);
	g_free(context->host.os_name);
	g_free(context->host.machine_type);
	g_free(context->host.status);
	chopin_db_free(context->db);
	chopin_config_free(context->config);
}

/* Connect, refuse stale data and unknown hosts, run the plugin; UNKNOWN output on failure. */
static int
check_run(const CheckPlugin *plugin, CheckContext *context, const CheckOptions *options)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	char text[CHOPIN_OUTPUT_MAX];
	ChopinOutput *output;
	int state;

	timeout_arm(plugin, context->timeout_s);
	context->db = database_connect(context, options, &error);
	if (context->db == NULL)
		return unknown_exit(plugin, false, "database unreachable: %s", error->message);
	timeout_phase = 1;
	rows = check_rows_gather(plugin, context, &error);
	if (rows == NULL)
		return unknown_exit(plugin, false, "%s", error->message);
	if (!check_pipeline_host_evaluate(context, rows, &error))
		return unknown_exit(plugin, false, "%s", error->message);
	output = chopin_output_new(plugin->service);
	if (output == NULL)
		return unknown_exit(plugin, false, "out of memory");
	if (!plugin->evaluate(context, rows, output, &error)) {
		chopin_output_free(output);
		return unknown_exit(plugin, false, "%s: %s", context->host.name, error->message);
	}
	alarm(0);
	if (chopin_output_render(output, text, sizeof text, NULL) < 0) {
		chopin_output_free(output);
		return unknown_exit(plugin, false, "cannot render the output (a bug)");
	}
	fputs(text, stdout);
	state = chopin_output_get_state(output);
	chopin_output_free(output);
	return state;
}

int
check_main(const CheckPlugin *plugin, int argc, char **argv)
{
	CheckContext context = {.timeout_s = 10};
	CheckOptions options = {0};
	g_autoptr(ChopinConfigSchema) schema = NULL;
	char errbuf[256];
	int ret;

	ret = options_parse(plugin, argc, argv, &context, &options);
	if (ret != 0)
		return ret > 0 ? CHOPIN_STATE_OK : CHOPIN_STATE_UNKNOWN;
	if (chopin_thresholds_parse(&context.thresholds, context.warning_arg, context.critical_arg,
	                            errbuf, sizeof errbuf) < 0)
		return unknown_exit(plugin, true, "%s", errbuf);
	schema = chopin_settings_schema_new();
	context.config = config_load(plugin, &options, schema);
	if (context.config == NULL)
		return CHOPIN_STATE_UNKNOWN;
	if (!options.timeout_given)
		context.timeout_s = (unsigned int)MAX(
		    1, chopin_config_get_duration_ms(context.config, "checks.timeout") / 1000);
	context.stale_after_s =
	    chopin_config_get_duration_ms(context.config, "checks.stale_after") / 1000;
	if (options.stale_after != NULL) {
		gint64 ms;
		if (!chopin_config_parse_duration(options.stale_after, &ms) || ms < 1000) {
			context_clear(&context);
			return unknown_exit(plugin, true,
			                    "--stale-after '%s': expected a duration such as 90s, "
			                    "5m, 1h (at least 1s)",
			                    options.stale_after);
		}
		context.stale_after_s = ms / 1000;
	}
	ret = check_run(plugin, &context, &options);
	context_clear(&context);
	return ret;
}
