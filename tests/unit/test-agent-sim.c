/* test-agent-sim.c: the agent simulator's PDU building (MIB order, .0 instances, values, sequences)
 * and heartbeat schedule. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent-sim.h"
#include "chopin-mib.h"

static SimHost test_host = {
    .name = "CERNVS08",
    .os_name = "Windows Server 2008 R2",
    .os_version = "6.1.7601",
    .hardware_model = "Dell Inc. PowerEdge R710",
    .agent_version = "1.4.2",
    .machine_type = 1,
    .heartbeat_interval = 120,
    .boot_time = 1558365580, /* 2019-05-20T15:19:40Z */
    .first_record_id = 48210,
};

/* The variable after sysUpTime.0 and snmpTrapOID.0 at position i (0-based), or NULL. */
static netsnmp_variable_list *
test_object(netsnmp_pdu *pdu, size_t i)
{
	netsnmp_variable_list *vb = pdu->variables;

	for (size_t k = 0; vb != NULL && k < i + 2; k++)
		vb = vb->next_variable;
	return vb;
}

/* Checks that pdu is notification kind with exactly the MIB's objects, in order, with .0. */
static void
test_check_layout(netsnmp_pdu *pdu, unsigned kind)
{
	const ChopinMibNotification *notification = chopin_mib_notification_by_kind(kind);
	oid trap_oid[CHOPIN_MIB_MAX_OID_LEN];
	size_t trap_oid_len =
	    chopin_mib_notification_oid(notification, trap_oid, CHOPIN_MIB_MAX_OID_LEN);
	netsnmp_variable_list *vb = pdu->variables;
	size_t count = 0;

	assert_non_null(vb);
	assert_int_equal(vb->type, ASN_TIMETICKS);
	vb = vb->next_variable;
	assert_non_null(vb);
	assert_int_equal(vb->type, ASN_OBJECT_ID);
	assert_int_equal(vb->val_len, trap_oid_len * sizeof(oid));
	assert_memory_equal(vb->val.objid, trap_oid, trap_oid_len * sizeof(oid));
	for (vb = vb->next_variable; vb != NULL; vb = vb->next_variable) {
		int has_instance = 0;
		const ChopinMibObject *object =
		    chopin_mib_object_by_oid(vb->name, vb->name_length, &has_instance);

		assert_true(count < notification->n_objects);
		assert_non_null(object);
		assert_int_equal(object->field, notification->objects[count]);
		assert_int_equal(has_instance, 1);
		count++;
	}
	assert_int_equal(count, notification->n_objects);
}

static void
test_heartbeat(void **state)
{
	static const unsigned char agent_time[11] = {0x07, 0xe3, 9, 23, 6, 0, 32, 0, '+', 0, 0};
	SimAgent agent;
	netsnmp_pdu *pdu;
	netsnmp_variable_list *vb;
	uint32_t instance;

	(void)state;
	pdu_agent_init(&agent, &test_host, test_host.boot_time);
	instance = agent.instance;
	assert_int_not_equal(instance, 0);
	pdu = pdu_new_heartbeat(&agent, SNMP_MSG_TRAP2, 1569218432); /* 2019-09-23T06:00:32Z */
	assert_non_null(pdu);
	assert_int_equal(pdu->command, SNMP_MSG_TRAP2);
	test_check_layout(pdu, CHOPIN_KIND_HEARTBEAT);
	assert_int_equal(*pdu->variables->val.integer, (1569218432 - 1558365580) * 100);
	vb = test_object(pdu, 0);
	assert_int_equal(vb->val_len, strlen("CERNVS08"));
	assert_memory_equal(vb->val.string, "CERNVS08", vb->val_len);
	assert_int_equal(*test_object(pdu, 1)->val.integer, instance);
	assert_int_equal(*test_object(pdu, 2)->val.integer, 1); /* first sequence */
	vb = test_object(pdu, 3);
	assert_int_equal(vb->val_len, 11);
	assert_memory_equal(vb->val.string, agent_time, 11);
	assert_int_equal(*test_object(pdu, 9)->val.integer, 120);
	snmp_free_pdu(pdu);

	pdu = pdu_new_heartbeat(&agent, SNMP_MSG_INFORM, 1569218552);
	assert_int_equal(pdu->command, SNMP_MSG_INFORM);
	assert_int_equal(*test_object(pdu, 2)->val.integer, 2);
	snmp_free_pdu(pdu);

	pdu_agent_restart(&agent, 1569300000);
	assert_int_not_equal(agent.instance, instance);
	pdu = pdu_new_heartbeat(&agent, SNMP_MSG_TRAP2, 1569300060);
	assert_int_equal(*test_object(pdu, 2)->val.integer, 1); /* a new instance starts at 1 */
	snmp_free_pdu(pdu);
}

static void
test_event_and_utf8_cut(void **state)
{
	char message[2100];
	SimStep step = {
	    .event_log = "System", .event_source = "MR_MONITOR", .event_id = 251, .event_level = 2};
	SimAgent agent;
	netsnmp_pdu *pdu;
	netsnmp_variable_list *vb;

	(void)state;
	/* 2047 'a' then a 2-octet character: the cut at 2048 must not split it */
	memset(message, 'a', 2047);
	memcpy(message + 2047, "\xc3\xa9z", 4);
	step.event_message = message;
	pdu_agent_init(&agent, &test_host, test_host.boot_time);
	pdu = pdu_new_event(&agent, SNMP_MSG_TRAP2, 1569218432, &step);
	assert_non_null(pdu);
	test_check_layout(pdu, CHOPIN_KIND_EVENT_LOG_ENTRY);
	assert_int_equal(*test_object(pdu, 6)->val.integer, 251);
	assert_int_equal(*test_object(pdu, 7)->val.integer, 2);
	assert_int_equal(*test_object(pdu, 8)->val.integer, 48210); /* first record id */
	vb = test_object(pdu, 10);
	assert_int_equal(vb->val_len, 2047);
	snmp_free_pdu(pdu);
	pdu = pdu_new_event(&agent, SNMP_MSG_TRAP2, 1569218433, &step);
	assert_int_equal(*test_object(pdu, 8)->val.integer, 48211);
	snmp_free_pdu(pdu);
}

static void
test_raid_update_shutdown(void **state)
{
	SimRaidRecord drive = {.kind = CHOPIN_KIND_RAID_PHYSICAL_DRIVE,
	                       .id = "252:7",
	                       .state = "Onln",
	                       .serial = "6SJ6S6HL0000N341ZEE",
	                       .size_mib = 285568,
	                       .disk_group = -1,
	                       .temperature = 34,
	                       .smart_alert = 2,
	                       .battery_replace = 2};
	SimStep update = {.updates_pending = 20,
	                  .updates_failed = 1,
	                  .updates_reboot_required = 1,
	                  .updates_last_success = INT64_MIN,
	                  .updates_list = "KB1;KB2"};
	SimStep shutdown = {.shutdown_type = 2, .shutdown_reason = "Planned"};
	SimAgent agent;
	netsnmp_pdu *pdu;
	netsnmp_variable_list *vb;

	(void)state;
	pdu_agent_init(&agent, &test_host, test_host.boot_time);
	pdu = pdu_new_raid_record(&agent, SNMP_MSG_TRAP2, 1569218432, &drive, 77, 3, 5);
	test_check_layout(pdu, CHOPIN_KIND_RAID_PHYSICAL_DRIVE);
	assert_int_equal(*test_object(pdu, 4)->val.integer, 77);
	assert_int_equal(*test_object(pdu, 5)->val.integer, 3);
	assert_int_equal(*test_object(pdu, 6)->val.integer, 5);
	vb = test_object(pdu, 8);
	assert_memory_equal(vb->val.string, "252:7", 5);
	assert_int_equal(*test_object(pdu, 10)->val.integer, -1); /* disk group: none */
	snmp_free_pdu(pdu);

	pdu = pdu_new_update(&agent, SNMP_MSG_TRAP2, 1569218432, &update);
	test_check_layout(pdu, CHOPIN_KIND_UPDATE_STATUS);
	assert_int_equal(*test_object(pdu, 4)->val.integer, 20);
	assert_int_equal(*test_object(pdu, 8)->val.integer, 1);
	snmp_free_pdu(pdu);

	pdu = pdu_new_shutdown(&agent, SNMP_MSG_TRAP2, 1569218432, &shutdown);
	test_check_layout(pdu, CHOPIN_KIND_AGENT_SHUTDOWN);
	assert_int_equal(*test_object(pdu, 2)->val.integer, 3); /* third notification */
	assert_int_equal(*test_object(pdu, 4)->val.integer, 2);
	snmp_free_pdu(pdu);
}

static void
test_sequence_never_wraps(void **state)
{
	SimAgent agent;
	netsnmp_pdu *pdu;
	uint32_t instance;

	(void)state;
	pdu_agent_init(&agent, &test_host, test_host.boot_time);
	agent.sequence = UINT32_MAX - 1;
	instance = agent.instance;
	pdu = pdu_new_heartbeat(&agent, SNMP_MSG_TRAP2, 1569218432);
	assert_int_equal(*test_object(pdu, 2)->val.integer, UINT32_MAX);
	snmp_free_pdu(pdu);
	pdu = pdu_new_heartbeat(&agent, SNMP_MSG_TRAP2, 1569218432);
	assert_int_equal(*test_object(pdu, 2)->val.integer, 1);
	assert_int_not_equal(agent.instance, instance);
	snmp_free_pdu(pdu);
}

static void
test_schedule(void **state)
{
	SimSchedule schedule;
	size_t item;
	int64_t key;

	(void)state;
	assert_int_equal(schedule_init(&schedule, 5), 0);
	assert_false(schedule_peek(&schedule, &item, &key));
	schedule_set(&schedule, 3, 50);
	schedule_set(&schedule, 1, 20);
	schedule_set(&schedule, 4, 20);
	schedule_set(&schedule, 0, 70);
	assert_true(schedule_peek(&schedule, &item, &key));
	assert_int_equal(item, 1); /* equal keys: lower item first */
	assert_int_equal(key, 20);
	schedule_set(&schedule, 1, 100); /* moves down */
	assert_true(schedule_peek(&schedule, &item, &key));
	assert_int_equal(item, 4);
	schedule_remove(&schedule, 4);
	assert_false(schedule_contains(&schedule, 4));
	assert_true(schedule_peek(&schedule, &item, &key));
	assert_int_equal(item, 3);
	schedule_set(&schedule, 0, 10); /* moves up */
	assert_true(schedule_peek(&schedule, &item, &key));
	assert_int_equal(item, 0);
	schedule_remove(&schedule, 0);
	schedule_remove(&schedule, 3);
	schedule_remove(&schedule, 3); /* absent: no-op */
	assert_true(schedule_peek(&schedule, &item, &key));
	assert_int_equal(item, 1);
	assert_int_equal(key, 100);
	schedule_remove(&schedule, 1);
	assert_false(schedule_peek(&schedule, &item, &key));
	schedule_clear(&schedule);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_heartbeat),
	    cmocka_unit_test(test_event_and_utf8_cut),
	    cmocka_unit_test(test_raid_update_shutdown),
	    cmocka_unit_test(test_sequence_never_wraps),
	    cmocka_unit_test(test_schedule),
	};

	return cmocka_run_group_tests_name("agent-sim", tests, NULL, NULL);
}
