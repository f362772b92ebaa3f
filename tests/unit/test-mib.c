/* test-mib.c: unit tests of the CHOPIN-MIB table lookups, including hostile OIDs. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chopin-mib.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Sub-identifier values that break lookups which truncate or mask. */
static const oid hostile_values[] = {
    0, 1, 2, 7, 8, 19, 20, 21, 22, 255, 256, 257, 258, 513, 65535, 65536, UINT32_MAX,
};

static size_t
object_oid(const ChopinMibObject *object, oid *ret_name)
{
	size_t len = chopin_mib_object_oid(object, ret_name, CHOPIN_MIB_MAX_OID_LEN);

	assert_int_equal(len, chopin_mib_root_len + 4);
	return len;
}

static void
test_root(void **state)
{
	assert_true(chopin_mib_root_len >= 7);
	assert_true(chopin_mib_root_len + 4 <= CHOPIN_MIB_MAX_OID_LEN);
	/* enterprises = 1.3.6.1.4.1 */
	assert_int_equal(chopin_mib_root[0], 1);
	assert_int_equal(chopin_mib_root[1], 3);
	assert_int_equal(chopin_mib_root[2], 6);
	assert_int_equal(chopin_mib_root[3], 1);
	assert_int_equal(chopin_mib_root[4], 4);
	assert_int_equal(chopin_mib_root[5], 1);
}

static void
test_object_table(void **state)
{
	size_t n_objects;
	const ChopinMibObject *objects = chopin_mib_objects(&n_objects);

	assert_non_null(objects);
	assert_true(n_objects >= 62);
	for (size_t i = 0; i < n_objects; i++) {
		const ChopinMibObject *object = &objects[i];

		assert_non_null(object->name);
		assert_int_equal(strncmp(object->name, "chopin", 6), 0);
		if (i > 0)
			assert_true(objects[i - 1].field < object->field);
		assert_true(CHOPIN_FIELD_GROUP(object->field) >= 1);
		assert_true(CHOPIN_FIELD_SUB(object->field) >= 1);
		assert_ptr_equal(chopin_mib_object_by_field(object->field), object);
		assert_true(object->min <= object->max);
		switch (object->syntax) {
		case CHOPIN_SYNTAX_OCTETS:
			assert_true(object->min >= 0 && object->max <= 65535);
			break;
		case CHOPIN_SYNTAX_DATE_AND_TIME:
			assert_int_equal(object->min, 8);
			assert_int_equal(object->max, 11);
			break;
		case CHOPIN_SYNTAX_UNSIGNED32:
			assert_true(object->min >= 0 && object->max <= UINT32_MAX);
			break;
		case CHOPIN_SYNTAX_INTEGER32:
			assert_true(object->min >= INT32_MIN && object->max <= INT32_MAX);
			break;
		default:
			fail_msg("%s: unknown syntax %d", object->name, (int)object->syntax);
		}
	}
}

static void
test_object_by_field_every_id(void **state)
{
	size_t n_objects, found = 0;

	chopin_mib_objects(&n_objects);
	for (unsigned field = 0; field <= UINT16_MAX; field++) {
		const ChopinMibObject *object = chopin_mib_object_by_field((uint16_t)field);

		if (object == NULL)
			continue;
		assert_int_equal(object->field, field);
		found++;
	}
	assert_int_equal(found, n_objects);
	assert_null(chopin_mib_object_by_field(0));
	assert_null(chopin_mib_object_by_field(CHOPIN_FIELD(1, 0)));
	assert_null(chopin_mib_object_by_field(CHOPIN_FIELD(1, 6)));
	assert_null(chopin_mib_object_by_field(CHOPIN_FIELD(8, 1)));
	assert_null(chopin_mib_object_by_field(CHOPIN_FIELD(255, 255)));
	assert_string_equal(chopin_mib_object_by_field(CHOPIN_FIELD_HOST_NAME)->name,
	                    "chopinHostName");
	assert_string_equal(
	    chopin_mib_object_by_field(CHOPIN_FIELD_RAID_UNCORRECTABLE_ERRORS)->name,
	    "chopinRaidUncorrectableErrors");
	assert_string_equal(chopin_mib_object_by_field(CHOPIN_FIELD_ALARM_FIRST_SEEN)->name,
	                    "chopinAlarmFirstSeen");
}

static void
test_object_oid_round_trip(void **state)
{
	size_t n_objects;
	const ChopinMibObject *objects = chopin_mib_objects(&n_objects);

	for (size_t i = 0; i < n_objects; i++) {
		oid name[CHOPIN_MIB_MAX_OID_LEN];
		size_t len = object_oid(&objects[i], name);
		int has_instance = -1;

		assert_memory_equal(name, chopin_mib_root, chopin_mib_root_len * sizeof(oid));
		assert_int_equal(name[chopin_mib_root_len], 1);
		assert_int_equal(name[len - 1], 0);
		assert_ptr_equal(chopin_mib_object_by_oid(name, len, &has_instance), &objects[i]);
		assert_int_equal(has_instance, 1);
		assert_ptr_equal(chopin_mib_object_by_oid(name, len - 1, &has_instance),
		                 &objects[i]);
		assert_int_equal(has_instance, 0);
		assert_ptr_equal(chopin_mib_object_by_oid(name, len, NULL), &objects[i]);
	}
}

static void
test_object_by_oid_hostile(void **state)
{
	const ChopinMibObject *host = chopin_mib_object_by_field(CHOPIN_FIELD_HOST_NAME);
	oid name[CHOPIN_MIB_MAX_OID_LEN + 2];
	size_t len = object_oid(host, name);
	int has_instance = 42;

	assert_null(chopin_mib_object_by_oid(NULL, len, &has_instance));
	/* Every prefix, including len 0 and the bare root, is not an object. */
	for (size_t short_len = 0; short_len < len - 1; short_len++)
		assert_null(chopin_mib_object_by_oid(name, short_len, &has_instance));
	/* Too long: a sub-identifier after the instance. */
	name[len] = 0;
	assert_null(chopin_mib_object_by_oid(name, len + 1, &has_instance));
	name[len] = 1;
	assert_null(chopin_mib_object_by_oid(name, len + 1, &has_instance));
	assert_null(chopin_mib_object_by_oid(name, SIZE_MAX, &has_instance));
	/* A wrong root, one sub-identifier at a time. */
	for (size_t i = 0; i < chopin_mib_root_len; i++) {
		oid saved = name[i];

		name[i] = saved + 1;
		assert_null(chopin_mib_object_by_oid(name, len, &has_instance));
		name[i] = saved;
	}
	/* The notifications arc and the conformance arc hold no objects. */
	name[chopin_mib_root_len] = 0;
	assert_null(chopin_mib_object_by_oid(name, len, &has_instance));
	name[chopin_mib_root_len] = 2;
	assert_null(chopin_mib_object_by_oid(name, len, &has_instance));
	name[chopin_mib_root_len] = 1;
	/* Not the scalar instance .0. */
	name[len - 1] = 1;
	assert_null(chopin_mib_object_by_oid(name, len, &has_instance));
	name[len - 1] = 0;
	assert_int_equal(has_instance, 42);

	/* Group and sub beyond the table, and values that alias after masking. */
	for (size_t g = 0; g < ARRAY_SIZE(hostile_values); g++) {
		for (size_t s = 0; s < ARRAY_SIZE(hostile_values); s++) {
			const ChopinMibObject *object;

			name[chopin_mib_root_len + 1] = hostile_values[g];
			name[chopin_mib_root_len + 2] = hostile_values[s];
			object = chopin_mib_object_by_oid(name, len, &has_instance);
			if (hostile_values[g] > 255 || hostile_values[s] > 255 ||
			    hostile_values[g] == 0 || hostile_values[s] == 0)
				assert_null(object);
			if (object != NULL) {
				assert_int_equal(CHOPIN_FIELD_GROUP(object->field),
				                 hostile_values[g]);
				assert_int_equal(CHOPIN_FIELD_SUB(object->field),
				                 hostile_values[s]);
			}
		}
	}
	has_instance = 42;
	if (sizeof(oid) > 4) {
		/* 2^32 + 1 must not be read as 1. */
		name[chopin_mib_root_len + 1] = (oid)UINT32_MAX + 2;
		name[chopin_mib_root_len + 2] = 1;
		assert_null(chopin_mib_object_by_oid(name, len, &has_instance));
		name[chopin_mib_root_len + 1] = 1;
		name[chopin_mib_root_len + 2] = (oid)UINT32_MAX + 2;
		assert_null(chopin_mib_object_by_oid(name, len, &has_instance));
	}
	name[chopin_mib_root_len + 1] = (oid)-1;
	name[chopin_mib_root_len + 2] = (oid)-1;
	assert_null(chopin_mib_object_by_oid(name, len, &has_instance));
	assert_int_equal(has_instance, 42);
}

static void
test_notification_table(void **state)
{
	size_t n_notifications;
	const ChopinMibNotification *notifications = chopin_mib_notifications(&n_notifications);

	assert_int_equal(n_notifications, 10);
	for (size_t i = 0; i < n_notifications; i++) {
		const ChopinMibNotification *notification = &notifications[i];
		oid name[CHOPIN_MIB_MAX_OID_LEN];
		size_t len;

		if (i > 0)
			assert_true(notifications[i - 1].kind < notification->kind);
		assert_ptr_equal(chopin_mib_notification_by_kind(notification->kind), notification);
		assert_string_equal(chopin_mib_kind_name(notification->kind), notification->name);
		len = chopin_mib_notification_oid(notification, name, CHOPIN_MIB_MAX_OID_LEN);
		assert_int_equal(len, chopin_mib_root_len + 2);
		assert_int_equal(name[chopin_mib_root_len], 0);
		assert_int_equal(name[len - 1], notification->kind);
		assert_ptr_equal(chopin_mib_notification_by_oid(name, len), notification);
		assert_true(notification->n_objects > 0);
		for (size_t j = 0; j < notification->n_objects; j++)
			assert_non_null(chopin_mib_object_by_field(notification->objects[j]));
		if (notification->kind < CHOPIN_KIND_ALARM_RAISED) {
			/* Every agent notification starts with the identity objects. */
			assert_true(notification->n_objects >= 4);
			assert_int_equal(notification->objects[0], CHOPIN_FIELD_HOST_NAME);
			assert_int_equal(notification->objects[1], CHOPIN_FIELD_AGENT_INSTANCE);
			assert_int_equal(notification->objects[2], CHOPIN_FIELD_SEQUENCE);
			assert_int_equal(notification->objects[3], CHOPIN_FIELD_AGENT_TIME);
		}
	}
	assert_string_equal(chopin_mib_kind_name(CHOPIN_KIND_HEARTBEAT), "chopinHeartbeat");
	assert_string_equal(chopin_mib_kind_name(CHOPIN_KIND_AGENT_SHUTDOWN),
	                    "chopinAgentShutdown");
	assert_string_equal(chopin_mib_kind_name(CHOPIN_KIND_ALARM_CLEARED), "chopinAlarmCleared");
}

static void
test_notification_hostile(void **state)
{
	static const unsigned bad_kinds[] = {0, 9, 10, 19, 22, 23, 255, 256, 257, 276, UINT_MAX};
	const ChopinMibNotification *heartbeat =
	    chopin_mib_notification_by_kind(CHOPIN_KIND_HEARTBEAT);
	oid name[CHOPIN_MIB_MAX_OID_LEN + 1];
	size_t len;

	for (size_t i = 0; i < ARRAY_SIZE(bad_kinds); i++) {
		assert_null(chopin_mib_notification_by_kind(bad_kinds[i]));
		assert_string_equal(chopin_mib_kind_name(bad_kinds[i]), "unknown");
	}
	len = chopin_mib_notification_oid(heartbeat, name, CHOPIN_MIB_MAX_OID_LEN);
	assert_int_equal(len, chopin_mib_root_len + 2);
	assert_null(chopin_mib_notification_by_oid(NULL, len));
	for (size_t short_len = 0; short_len < len; short_len++)
		assert_null(chopin_mib_notification_by_oid(name, short_len));
	name[len] = 0;
	assert_null(chopin_mib_notification_by_oid(name, len + 1));
	assert_null(chopin_mib_notification_by_oid(name, SIZE_MAX));
	for (size_t i = 0; i < chopin_mib_root_len; i++) {
		oid saved = name[i];

		name[i] = saved + 1;
		assert_null(chopin_mib_notification_by_oid(name, len));
		name[i] = saved;
	}
	name[chopin_mib_root_len] = 1; /* chopinObjects, not chopinNotifications */
	assert_null(chopin_mib_notification_by_oid(name, len));
	name[chopin_mib_root_len] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(hostile_values); i++) {
		const ChopinMibNotification *notification;

		name[len - 1] = hostile_values[i];
		notification = chopin_mib_notification_by_oid(name, len);
		if (notification != NULL)
			assert_int_equal(notification->kind, hostile_values[i]);
		else
			assert_null(chopin_mib_notification_by_kind((unsigned)hostile_values[i]));
	}
	if (sizeof(oid) > 4) {
		name[len - 1] = (oid)UINT32_MAX + 2; /* must not alias kind 1 */
		assert_null(chopin_mib_notification_by_oid(name, len));
	}
	name[len - 1] = (oid)-1;
	assert_null(chopin_mib_notification_by_oid(name, len));
}

static void
test_oid_writers_bounds(void **state)
{
	const ChopinMibObject *object = chopin_mib_object_by_field(CHOPIN_FIELD_SEQUENCE);
	const ChopinMibNotification *notification =
	    chopin_mib_notification_by_kind(CHOPIN_KIND_ALARM_RAISED);
	oid name[CHOPIN_MIB_MAX_OID_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(name); i++)
		name[i] = 4242;
	assert_int_equal(chopin_mib_object_oid(object, name, chopin_mib_root_len + 3), 0);
	assert_int_equal(chopin_mib_object_oid(object, name, 0), 0);
	assert_int_equal(chopin_mib_object_oid(NULL, name, ARRAY_SIZE(name)), 0);
	assert_int_equal(chopin_mib_object_oid(object, NULL, ARRAY_SIZE(name)), 0);
	assert_int_equal(chopin_mib_notification_oid(notification, name, chopin_mib_root_len + 1),
	                 0);
	assert_int_equal(chopin_mib_notification_oid(NULL, name, ARRAY_SIZE(name)), 0);
	assert_int_equal(chopin_mib_notification_oid(notification, NULL, ARRAY_SIZE(name)), 0);
	for (size_t i = 0; i < ARRAY_SIZE(name); i++)
		assert_int_equal(name[i], 4242);
	assert_int_equal(chopin_mib_object_oid(object, name, chopin_mib_root_len + 4),
	                 chopin_mib_root_len + 4);
	assert_int_equal(name[chopin_mib_root_len + 4], 4242);
	assert_int_equal(chopin_mib_notification_oid(notification, name, chopin_mib_root_len + 2),
	                 chopin_mib_root_len + 2);
	assert_int_equal(name[chopin_mib_root_len + 1], CHOPIN_KIND_ALARM_RAISED);
}

/* Every single-position change of a valid OID is rejected or names exactly that OID. */
static void
test_object_by_oid_mutations(void **state)
{
	size_t n_objects;
	const ChopinMibObject *objects = chopin_mib_objects(&n_objects);

	for (size_t i = 0; i < n_objects; i++) {
		oid name[CHOPIN_MIB_MAX_OID_LEN];
		size_t len = object_oid(&objects[i], name);

		for (size_t pos = 0; pos < len; pos++) {
			oid saved = name[pos];

			for (size_t v = 0; v < ARRAY_SIZE(hostile_values); v++) {
				const ChopinMibObject *object;
				oid again[CHOPIN_MIB_MAX_OID_LEN];

				name[pos] = hostile_values[v];
				object = chopin_mib_object_by_oid(name, len, NULL);
				if (object == NULL)
					continue;
				assert_int_equal(object_oid(object, again), len);
				assert_memory_equal(again, name, len * sizeof(oid));
			}
			name[pos] = saved;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_root),
	    cmocka_unit_test(test_object_table),
	    cmocka_unit_test(test_object_by_field_every_id),
	    cmocka_unit_test(test_object_oid_round_trip),
	    cmocka_unit_test(test_object_by_oid_hostile),
	    cmocka_unit_test(test_notification_table),
	    cmocka_unit_test(test_notification_hostile),
	    cmocka_unit_test(test_oid_writers_bounds),
	    cmocka_unit_test(test_object_by_oid_mutations),
	};

	return cmocka_run_group_tests_name("chopin-mib", tests, NULL, NULL);
}
