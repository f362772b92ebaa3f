/* context: chopinctl's options, configuration and database connections (reader and writer). */
#include "config.h"

#include "chopinctl.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "chopin-settings.h"

/* Ids of the common options, above any command's own. */
enum {
	COMMON_CONFIG = 1000,
	COMMON_DEFAULTS_FILE,
	COMMON_JSON,
	COMMON_NO_HEADER,
	COMMON_TIMEOUT,
	COMMON_HELP,
};

static const CtlOption common_options[] = {
    {"config", 'C', TRUE, COMMON_CONFIG},
    {"defaults-file", 0, TRUE, COMMON_DEFAULTS_FILE},
    {"json", 'j', FALSE, COMMON_JSON},
    {"no-header", 0, FALSE, COMMON_NO_HEADER},
    {"timeout", 't', TRUE, COMMON_TIMEOUT},
    {"help", 'h', FALSE, COMMON_HELP},
    {NULL, 0, FALSE, 0},
};

void
ctl_print(CtlContext *context, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	g_string_append_vprintf(context->out, format, args);
	va_end(args);
}

static void
options_add(GArray *longs, GString *shorts, const CtlOption *options)
{
	for (const CtlOption *o = options; o != NULL && o->name != NULL; o++) {
		struct option entry = {o->name, o->arg ? required_argument : no_argument, NULL,
		                       o->short_name != 0 ? o->short_name : o->id};
		g_array_append_val(longs, entry);
		if (o->short_name != 0) {
			g_string_append_c(shorts, (char)o->short_name);
			if (o->arg)
				g_string_append_c(shorts, ':');
		}
	}
}

/* The option (command's or common) that getopt returned value for. */
static const CtlOption *
options_find(const CtlOption *options, int value)
{
	for (const CtlOption *o = options; o != NULL && o->name != NULL; o++)
		if ((o->short_name != 0 && o->short_name == value) ||
		    (o->short_name == 0 && o->id == value))
			return o;
	return NULL;
}

static gboolean
common_option(CtlContext *context, int id, const char *value, GError **error)
{
	switch (id) {
	case COMMON_CONFIG:
		context->config_path = value;
		break;
	case COMMON_DEFAULTS_FILE:
		context->defaults_file = value;
		break;
	case COMMON_JSON:
		context->json = TRUE;
		break;
	case COMMON_NO_HEADER:
		context->no_header = TRUE;
		break;
	case COMMON_TIMEOUT: {
		guint64 seconds;
		if (!g_ascii_string_to_unsigned(value, 10, 1, 3600, &seconds, NULL)) {
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "-t '%s': expected seconds, 1 to 3600", value);
			return FALSE;
		}
		context->timeout_s = (unsigned int)seconds;
		break;
	}
	}
	return TRUE;
}

static void
command_help_print(CtlContext *context)
{
	const CtlCommand *command = context->command;
	g_auto(GStrv) lines = g_strsplit(command->synopsis, "\n", -1);

	int indent =
	    (int)(strlen("Usage: ") + strlen(context->program) + strlen(command->name) + 2);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (i > 0 && lines[i][0] == '[') /* the previous line's options, continued */
			ctl_print(context, "%*s%s\n", indent, "", lines[i]);
		else
			ctl_print(context, "%s %s %s %s\n", i == 0 ? "Usage:" : "      ",
			          context->program, command->name, lines[i]);
	}
	ctl_print(context, "\n%s\n\n%s", command->summary, command->help);
	ctl_print(context,
	          "\nCommon options:\n"
	          "  -j, --json               JSON for scripts (times in UTC, ISO 8601)\n"
	          "      --no-header          no header line above columns\n"
	          "  -C, --config=FILE        configuration file (default: %s)\n"
	          "      --defaults-file=FILE MySQL option file with both accounts' groups\n"
	          "  -t, --timeout=SECONDS    bound on connecting and querying\n"
	          "  -h, --help               this help\n"
	          "\nSee %s(1) for the exit statuses.\n",
	          CHOPIN_SETTINGS_DEFAULT_FILE, context->program);
}

gboolean
ctl_options_parse(CtlContext *context, int argc, char **argv, const CtlOption *options,
                  CtlOptionFunc option_cb, gpointer user_data, char ***ret_operands,
                  gboolean *ret_help, GError **error)
{
	g_autoptr(GArray) longs = g_array_new(TRUE, TRUE, sizeof(struct option));
	/* before the command, stop at the command word; after it, operands anywhere */
	g_autoptr(GString) shorts = g_string_new(context->command->run == NULL ? "+:" : ":");
	int value;

	/* messages name the command ("alarms: ..."); before any command, nothing */
	g_autofree char *who =
	    context->command->name[0] != '\0' ? g_strdup_printf("%s: ", argv[0]) : g_strdup("");

	*ret_help = FALSE;
	*ret_operands = NULL;
	options_add(longs, shorts, options);
	options_add(longs, shorts, common_options);
	optind = 0; /* GNU: start afresh, permuting operands to the end */
	opterr = 0;
	while ((value = getopt_long(argc, argv, shorts->str, (struct option *)(void *)longs->data,
	                            NULL)) != -1) {
		const char *name = argv[optind - 1];
		if (value == '?') {
			if (optopt != 0)
				g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
				            "%sunknown option '-%c'", who, optopt);
			else
				g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
				            "%sunknown option '%s'", who, name);
			return FALSE;
		}
		if (value == ':') {
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "%soption '%s' needs a value", who, name);
			return FALSE;
		}
		const CtlOption *option = options_find(options, value);
		if (option != NULL) {
			if (option_cb != NULL &&
			    !option_cb(context, option->id, optarg, user_data, error))
				return FALSE;
			continue;
		}
		option = options_find(common_options, value);
		if (option == NULL) {
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "%sunknown option '%s'", who,
			            name);
			return FALSE;
		}
		if (option->id == COMMON_HELP) {
			command_help_print(context);
			*ret_help = TRUE;
			return TRUE;
		}
		if (!common_option(context, option->id, optarg, error))
			return FALSE;
	}
	GPtrArray *operands = g_ptr_array_new();
	for (int i = optind; i < argc; i++)
		g_ptr_array_add(operands, argv[i]);
	g_ptr_array_add(operands, NULL);
	*ret_operands = (char **)g_ptr_array_free(operands, FALSE);
	return TRUE;
}

/* --- configuration ----------------------------------------------------------------------- */

const ChopinConfig *
ctl_config(CtlContext *context, GError **error)
{
	const char *path;
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) local = NULL;

	if (context->config != NULL)
		return context->config;
	if (context->schema == NULL)
		context->schema = chopin_settings_schema_new();
	path = context->config_path != NULL ? context->config_path : CHOPIN_SETTINGS_DEFAULT_FILE;
	context->config = chopin_config_load_file(context->schema, path, &diagnostics, &local);
	if (diagnostics != NULL)
		for (guint i = 0; i < diagnostics->len; i++)
			fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(diagnostics, i));
	if (context->config != NULL)
		return context->config;
	if (context->config_path == NULL &&
	    g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		context->config = chopin_config_new_defaults(context->schema);
		return context->config;
	}
	if (g_error_matches(local, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SYNTAX) ||
	    g_error_matches(local, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID))
		g_set_error(error, CTL_ERROR, CTL_ERROR_CONFIG,
		            "%s has errors (listed above); nothing done", path);
	else
		g_set_error(error, CTL_ERROR, CTL_ERROR_CONFIG, "cannot read %s: %s", path,
		            local->message);
	return NULL;
}

/* --- connections ---------------------------------------------------------------------------- */

/* One of the two accounts chopinctl uses, and where its option file and group are set. */
typedef struct {
	const char *label; /* in messages */
	const char *file_key;
	const char *group_key;
} CtlAccount;

static const CtlAccount reader_account = {"read-only", "chopinctl.reader_option_file",
                                          "chopinctl.reader_option_group"};
static const CtlAccount writer_account = {"writer", "chopinctl.writer_option_file",
                                          "chopinctl.writer_option_group"};

/* --defaults-file, else the account's file, else (writer) the reader's, else the database
 * section's; NULL: the client library's default files. */
static const char *
account_option_file(const CtlContext *context, const ChopinConfig *config,
                    const CtlAccount *account)
{
	const char *file = context->defaults_file;

	if (file == NULL)
		file = chopin_config_get_string(config, account->file_key);
	if (file == NULL && account == &writer_account)
		file = chopin_config_get_string(config, reader_account.file_key);
	if (file == NULL)
		file = chopin_config_get_string(config, "database.option_file");
	return file;
}

/* Connects as one account. The database section gives the server and the database; user and
 * password come only from the option file group (database.user and database.password belong
 * to the daemons sharing the file). */
static ChopinDb *
db_connect(CtlContext *context, const CtlAccount *account, GError **error)
{
	const ChopinConfig *config = ctl_config(context, error);
	if (config == NULL)
		return NULL;
	const char *option_file = account_option_file(context, config, account);
	unsigned int timeout_s =
	    context->timeout_s != 0
	        ? context->timeout_s
	        : (unsigned int)MAX(1, chopin_config_get_duration_ms(config, "chopinctl.timeout") /
	                                   1000);
	ChopinDbParams params = {
	    .host = chopin_config_get_string(config, "database.host"),
	    .port = (unsigned int)chopin_config_get_int(config, "database.port"),
	    .socket = chopin_config_get_string(config, "database.socket"),
	    .database = chopin_config_get_string(config, "database.name"),
	    .option_file = option_file,
	    .option_group = chopin_config_get_string(config, account->group_key),
	    .connect_timeout_s = timeout_s,
	    .read_timeout_s = timeout_s,
	    .write_timeout_s = timeout_s,
	};
	if (option_file != NULL && access(option_file, R_OK) != 0) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_CONFIG, "cannot read option file %s: %s",
		            option_file, g_strerror(errno));
		return NULL;
	}
	g_autoptr(GError) local = NULL;
	g_autoptr(ChopinDb) db = chopin_db_connect(&params, &local);
	if (db == NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_DATABASE,
		            "database unavailable (%s account, option group [%s]): %s",
		            account->label, params.option_group, local->message);
		return NULL;
	}
	/* literals compare with the schema's columns and the views' own literals */
	if (!chopin_db_exec(db, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci", error))
		return NULL;
	return g_steal_pointer(&db);
}

ChopinDb *
ctl_db_reader(CtlContext *context, GError **error)
{
	if (context->reader == NULL)
		context->reader = db_connect(context, &reader_account, error);
	return context->reader;
}

ChopinDb *
ctl_db_writer(CtlContext *context, GError **error)
{
	if (context->writer == NULL)
		context->writer = db_connect(context, &writer_account, error);
	return context->writer;
}

void
ctl_context_clear(CtlContext *context)
{
	chopin_db_free(context->reader);
	chopin_db_free(context->writer);
	chopin_config_free(context->config);
	chopin_config_schema_free(context->schema);
	if (context->out != NULL)
		g_string_free(context->out, TRUE);
	memset(context, 0, sizeof *context);
}

/* --- queries --------------------------------------------------------------------------------- */

ChopinDbStmt *
ctl_query(ChopinDb *db, const char *sql, const ChopinDbValue *params, guint n_params,
          GError **error)
{
	ChopinDbStmt *stmt = chopin_db_prepare(db, sql, error);

	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, n_params, NULL, error))
		return NULL;
	return stmt;
}

CtlTable *
ctl_query_table(ChopinDb *db, const char *sql, const ChopinDbValue *params, guint n_params,
                const CtlColumn *columns, guint n_columns, GError **error)
{
	ChopinDbStmt *stmt = ctl_query(db, sql, params, n_params, error);
	if (stmt == NULL)
		return NULL;
	g_autoptr(CtlTable) table = ctl_table_new(columns, n_columns);
	if (!ctl_table_fill(table, stmt, error))
		return NULL;
	return g_steal_pointer(&table);
}

gboolean
ctl_host_lookup(ChopinDb *db, const char *name, guint64 *ret_host_id, char **ret_name,
                GError **error)
{
	gboolean have_row;
	ChopinDbValue params[] = {chopin_db_value_text(name)};
	ChopinDbStmt *stmt =
	    ctl_query(db, "SELECT host_id, name FROM hosts WHERE name = ?", params, 1, error);

	if (stmt == NULL || !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	if (!have_row) {
		g_set_error(
		    error, CTL_ERROR, CTL_ERROR_NOT_FOUND,
		    "unknown host '%s' (no such row in hosts; 'chopinctl hosts' lists them)", name);
		return FALSE;
	}
	*ret_host_id = (guint64)chopin_db_stmt_column_int(stmt, 0, 0);
	if (ret_name != NULL)
		*ret_name = g_strdup(chopin_db_stmt_column_text(stmt, 1, NULL));
	chopin_db_stmt_reset(stmt);
	return TRUE;
}

gboolean
ctl_parse_id(const char *text, const char *what, guint64 *ret_id, GError **error)
{
	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, ret_id, NULL)) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "'%s' is not %s (a positive number)",
		            text, what);
		return FALSE;
	}
	return TRUE;
}

gboolean
ctl_parse_limit(const char *text, guint64 *ret_limit, GError **error)
{
	if (!g_ascii_string_to_unsigned(text, 10, 1, 1000000, ret_limit, NULL)) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "--limit '%s': expected a number from 1 to 1000000", text);
		return FALSE;
	}
	return TRUE;
}
