/* Runs the fuzz target over files given on the command line (the committed corpus), without
 * libFuzzer: part of make check in every build, sanitizers and valgrind included. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int failures = 0;

	printf("1..%d\n", argc - 1);
	for (int i = 1; i < argc; i++) {
		g_autofree char *data = NULL;
		gsize len;
		g_autoptr(GError) error = NULL;
		if (!g_file_get_contents(argv[i], &data, &len, &error)) {
			printf("not ok %d - %s: %s\n", i, argv[i], error->message);
			failures++;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		g_autofree char *name = g_path_get_basename(argv[i]);
		printf("ok %d - %s\n", i, name);
	}
	return failures ? 1 : 0;
}
