/* mib-dump.c: prints the C CHOPIN-MIB table in the line format test-mib-table.sh compares. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "chopin-mib.h"

static const char *
syntax_name(ChopinSyntax syntax)
{
	switch (syntax) {
	case CHOPIN_SYNTAX_OCTETS:
		return "octets";
	case CHOPIN_SYNTAX_DATE_AND_TIME:
		return "date-and-time";
	case CHOPIN_SYNTAX_UNSIGNED32:
		return "unsigned32";
	case CHOPIN_SYNTAX_INTEGER32:
		return "integer32";
	}
	return "?";
}

static void
print_oid(const oid *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%s%lu", i > 0 ? "." : "", (unsigned long)name[i]);
}

/*
 * One line per object:
 *   object NAME OID.0 SYNTAX MIN MAX
 * one line per notification:
 *   notification NAME OID OBJECT...
 * Exits 1 if an OID cannot be written.
 */
int
main(void)
{
	const ChopinMibObject *objects;
	const ChopinMibNotification *notifications;
	size_t n_objects, n_notifications;
	oid name[CHOPIN_MIB_MAX_OID_LEN];
	size_t len;

	objects = chopin_mib_objects(&n_objects);
	for (size_t i = 0; i < n_objects; i++) {
		len = chopin_mib_object_oid(&objects[i], name, CHOPIN_MIB_MAX_OID_LEN);
		if (len == 0)
			return EXIT_FAILURE;
		printf("object %s ", objects[i].name);
		print_oid(name, len);
		printf(" %s %" PRId64 " %" PRId64 "\n", syntax_name(objects[i].syntax),
		       objects[i].min, objects[i].max);
	}

	notifications = chopin_mib_notifications(&n_notifications);
	for (size_t i = 0; i < n_notifications; i++) {
		len = chopin_mib_notification_oid(&notifications[i], name, CHOPIN_MIB_MAX_OID_LEN);
		if (len == 0)
			return EXIT_FAILURE;
		printf("notification %s ", notifications[i].name);
		print_oid(name, len);
		for (size_t j = 0; j < notifications[i].n_objects; j++) {
			const ChopinMibObject *object =
			    chopin_mib_object_by_field(notifications[i].objects[j]);

			printf(" %s", object != NULL ? object->name : "?");
		}
		printf("\n");
	}
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
