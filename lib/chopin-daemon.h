/* The daemons' shared command line: -c FILE, -n, -f, -v, -h, -V. */
#ifndef CHOPIN_DAEMON_H
#define CHOPIN_DAEMON_H

#include <stdio.h>

#include <glib.h>

typedef struct {
	const char *config_path; /* default CHOPIN_SETTINGS_DEFAULT_FILE */
	gboolean check_only;     /* -n */
	gboolean foreground;     /* -f */
	int verbose;             /* -v, repeatable */
} ChopinDaemonOptions;

/*
 * Parses the options into @ret_options.  Returns -1 when the program should
 * go on, else the status to exit with: 0 after -h or -V (printed), 2 after a
 * usage error (@usage printed to stderr).
 */
int chopin_daemon_parse_args(int argc, char **argv, const char *program,
			     void (*usage)(FILE *out), ChopinDaemonOptions *ret_options);

#endif
