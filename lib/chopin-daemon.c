/* The daemons' shared command line: -c FILE, -n, -f, -v, -h, -V. */
#include "config.h"

#include "chopin-daemon.h"

#include <getopt.h>

#include "chopin-settings.h"

int
chopin_daemon_parse_args(int argc, char **argv, const char *program, void (*usage)(FILE *out),
                         ChopinDaemonOptions *ret_options)
{
	static const struct option options[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"check", no_argument, NULL, 'n'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int opt;

	ret_options->config_path = CHOPIN_SETTINGS_DEFAULT_FILE;
	ret_options->check_only = FALSE;
	ret_options->foreground = FALSE;
	ret_options->verbose = 0;
	while ((opt = getopt_long(argc, argv, "c:nfvhV", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			ret_options->config_path = optarg;
			break;
		case 'n':
			ret_options->check_only = TRUE;
			break;
		case 'f':
			ret_options->foreground = TRUE;
			break;
		case 'v':
			ret_options->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", program, PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", program, argv[optind]);
		usage(stderr);
		return 2;
	}
	return -1;
}
