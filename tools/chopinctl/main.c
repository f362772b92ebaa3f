/* chopinctl: the operator's command-line tool; parses the common options and runs a command. */
#include "config.h"

#include "chopinctl.h"

#include <locale.h>
#include <string.h>

#include "chopin-settings.h"

/* The commands, in the order --help lists them. A new command is one more line here (see
 * chopinctl.h: "Adding a command"). */
static const CtlCommand *const commands[] = {
    &ctl_command_hosts,  &ctl_command_host,    &ctl_command_events, &ctl_command_alarms,
    &ctl_command_ticket, &ctl_command_history, &ctl_command_tags,   &ctl_command_rules,
    &ctl_command_stats,  &ctl_command_report,
};

static const CtlCommand *
command_find(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void
usage_print(FILE *out)
{
	fprintf(out,
	        "Usage: chopinctl [OPTION]... COMMAND [ARGUMENT]...\n"
	        "The operator's view of Chopin: hosts, events, alarms, configuration history,\n"
	        "tags, rules and pipeline counters, from the Chopin database.\n\n"
	        "Commands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
	        "\nOptions (also accepted after the command):\n"
	        "  -j, --json               JSON for scripts (times in UTC, ISO 8601)\n"
	        "      --no-header          no header line above columns\n"
	        "  -C, --config=FILE        configuration file (default: %s)\n"
	        "      --defaults-file=FILE MySQL option file with both accounts' groups\n"
	        "  -t, --timeout=SECONDS    bound on connecting and querying\n"
	        "  -h, --help               this help; 'chopinctl COMMAND --help' for a command\n"
	        "  -V, --version            the version\n\n"
	        "Reads use the read-only account, ack/clear and tag changes the writer account,\n"
	        "both from MySQL option files (never from the command line).\n"
	        "Exit status: 0 success, 1 failure, 2 usage error or bad time range, 3 unknown\n"
	        "host, alarm, rule or tag, 4 database unavailable, 5 configuration error.\n"
	        "See chopinctl(1).\n",
	        CHOPIN_SETTINGS_DEFAULT_FILE);
}

/* Global options come before the command: "-C FILE --json hosts". */
static gboolean
global_option_cb(CtlContext *context, int id, const char *value, gpointer user_data, GError **error)
{
	gboolean *version = user_data;

	(void)context;
	(void)value;
	(void)error;
	if (id == 'V')
		*version = TRUE;
	return TRUE;
}

static const CtlCommand global_command = {
    .name = "", .synopsis = "", .summary = "", .help = "", .run = NULL};

/* The common options before the command; returns the index of the command word in argv, or
 * -1 after --help / --version (printed) or an error (*ret_status set). */
static int
global_options_parse(CtlContext *context, int argc, char **argv, int *ret_status)
{
	static const CtlOption options[] = {{"version", 'V', FALSE, 'V'}, {NULL, 0, FALSE, 0}};
	g_autoptr(GError) error = NULL;
	g_autofree char **operands = NULL;
	gboolean help = FALSE, version = FALSE;

	context->command = &global_command; /* parsing stops at the command word */
	if (!ctl_options_parse(context, argc, argv, options, global_option_cb, &version, &operands,
	                       &help, &error)) {
		fprintf(stderr, "%s: %s\nTry 'chopinctl --help'.\n", context->program,
		        error->message);
		*ret_status = CTL_EXIT_USAGE;
		return -1;
	}
	if (help) {
		g_string_truncate(context->out, 0);
		usage_print(stdout);
		*ret_status = CTL_EXIT_OK;
		return -1;
	}
	if (version) {
		printf("chopinctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		*ret_status = CTL_EXIT_OK;
		return -1;
	}
	if (operands[0] == NULL) {
		fprintf(stderr, "%s: no command given\n", context->program);
		usage_print(stderr);
		*ret_status = CTL_EXIT_USAGE;
		return -1;
	}
	return argc - (int)g_strv_length(operands);
}

int
main(int argc, char **argv)
{
	CtlContext context = {.program = "chopinctl", .out = g_string_new(NULL)};
	g_autoptr(GError) error = NULL;
	int status = CTL_EXIT_OK;

	setlocale(LC_ALL, "");
	int first = global_options_parse(&context, argc, argv, &status);
	if (first < 0) {
		ctl_context_clear(&context);
		return status;
	}
	const CtlCommand *command = command_find(argv[first]);
	if (command == NULL) {
		fprintf(stderr, "%s: unknown command '%s'\nTry 'chopinctl --help'.\n",
		        context.program, argv[first]);
		ctl_context_clear(&context);
		return CTL_EXIT_USAGE;
	}
	context.command = command;
	if (!command->run(&context, argc - first, argv + first, &error)) {
		status = ctl_error_exit_status(error);
		fprintf(stderr, "%s: %s\n", context.program, error->message);
		if (status == CTL_EXIT_USAGE)
			fprintf(stderr, "Try 'chopinctl %s --help'.\n", command->name);
	} else {
		fwrite(context.out->str, 1, context.out->len, stdout);
		if (context.partial)
			status = CTL_EXIT_FAILURE;
	}
	ctl_context_clear(&context);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "chopinctl: cannot write the output\n");
		return CTL_EXIT_FAILURE;
	}
	return status;
}
