/* pdu.c: builds CHOPIN-MIB notification PDUs for a simulated agent, objects in the MIB's OBJECTS
 * order. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "agent-sim.h"
#include "chopin-mib.h"

/* What one notification is built from. */
typedef struct {
	const SimAgent *agent;
	int64_t now;
	uint32_t sequence;
	const SimStep *step;
	const SimRaidRecord *record;
	uint32_t snapshot_id, part_index, part_total;
	uint32_t record_id;
} PduContext;

/* A field value: text for OCTET STRING objects, number for the others. */
typedef struct {
	const char *text;
	int64_t number;
} PduValue;

static const oid pdu_sys_up_time_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid pdu_snmp_trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

static uint64_t pdu_seed_state; /* 0: not seeded */

void
pdu_random_seed(uint64_t seed)
{
	pdu_seed_state = seed;
}

uint32_t
pdu_random32(void)
{
	uint32_t value = 0;

	while (value == 0 && pdu_seed_state != 0) {
		/* splitmix64 */
		uint64_t z = (pdu_seed_state += UINT64_C(0x9e3779b97f4a7c15));
		z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
		value = (uint32_t)(z ^ (z >> 31));
	}
	while (value == 0) {
		if (getrandom(&value, sizeof(value), 0) != (ssize_t)sizeof(value))
			value = (uint32_t)random() ^ (uint32_t)time(NULL);
	}
	return value;
}

void
pdu_agent_init(SimAgent *agent, const SimHost *host, int64_t boot_time)
{
	memset(agent, 0, sizeof(*agent));
	agent->host = host;
	agent->next_record_id = host->first_record_id;
	agent->next_snapshot_id = pdu_random32() & 0x7fffffffu;
	pdu_agent_restart(agent, boot_time);
}

void
pdu_agent_restart(SimAgent *agent, int64_t boot_time)
{
	uint32_t previous = agent->instance;

	do
		agent->instance = pdu_random32();
	while (agent->instance == previous);
	agent->sequence = 0;
	agent->boot_time = boot_time;
}

void
pdu_date_and_time(int64_t when, unsigned char ret[11])
{
	time_t seconds = (time_t)when;
	struct tm tm;

	gmtime_r(&seconds, &tm);
	ret[0] = (unsigned char)((tm.tm_year + 1900) >> 8);
	ret[1] = (unsigned char)((tm.tm_year + 1900) & 0xff);
	ret[2] = (unsigned char)(tm.tm_mon + 1);
	ret[3] = (unsigned char)tm.tm_mday;
	ret[4] = (unsigned char)tm.tm_hour;
	ret[5] = (unsigned char)tm.tm_min;
	ret[6] = (unsigned char)(tm.tm_sec > 59 ? 59 : tm.tm_sec);
	ret[7] = 0; /* deci-seconds */
	ret[8] = '+';
	ret[9] = 0;
	ret[10] = 0;
}

/* The value of field in ctx; -1 for a field no agent notification carries. */
static int
pdu_value(uint16_t field, const PduContext *ctx, PduValue *ret)
{
	const SimHost *host = ctx->agent->host;
	const SimStep *step = ctx->step;
	const SimRaidRecord *record = ctx->record;

	ret->text = NULL;
	ret->number = 0;
	switch (field) {
	case CHOPIN_FIELD_HOST_NAME:
		ret->text = host->name;
		break;
	case CHOPIN_FIELD_AGENT_INSTANCE:
		ret->number = ctx->agent->instance;
		break;
	case CHOPIN_FIELD_SEQUENCE:
		ret->number = ctx->sequence;
		break;
	case CHOPIN_FIELD_AGENT_TIME:
		ret->number = ctx->now;
		break;
	case CHOPIN_FIELD_AGENT_VERSION:
		ret->text = host->agent_version;
		break;
	case CHOPIN_FIELD_OS_NAME:
		ret->text = host->os_name;
		break;
	case CHOPIN_FIELD_OS_VERSION:
		ret->text = host->os_version;
		break;
	case CHOPIN_FIELD_MACHINE_TYPE:
		ret->number = host->machine_type;
		break;
	case CHOPIN_FIELD_BOOT_TIME:
		ret->number = ctx->agent->boot_time;
		break;
	case CHOPIN_FIELD_HEARTBEAT_INTERVAL:
		ret->number = host->heartbeat_interval;
		break;
	case CHOPIN_FIELD_HARDWARE_MODEL:
		ret->text = host->hardware_model;
		break;
	case CHOPIN_FIELD_EVENT_LOG_NAME:
		ret->text = step->event_log;
		break;
	case CHOPIN_FIELD_EVENT_SOURCE:
		ret->text = step->event_source;
		break;
	case CHOPIN_FIELD_EVENT_ID:
		ret->number = step->event_id;
		break;
	case CHOPIN_FIELD_EVENT_LEVEL:
		ret->number = step->event_level;
		break;
	case CHOPIN_FIELD_EVENT_RECORD_ID:
		ret->number = ctx->record_id;
		break;
	case CHOPIN_FIELD_EVENT_TIME:
		ret->number = ctx->now;
		break;
	case CHOPIN_FIELD_EVENT_MESSAGE:
		ret->text = step->event_message;
		break;
	case CHOPIN_FIELD_RAID_SNAPSHOT_ID:
		ret->number = ctx->snapshot_id;
		break;
	case CHOPIN_FIELD_RAID_PART_INDEX:
		ret->number = ctx->part_index;
		break;
	case CHOPIN_FIELD_RAID_PART_TOTAL:
		ret->number = ctx->part_total;
		break;
	case CHOPIN_FIELD_RAID_CONTROLLER_INDEX:
		ret->number = record->controller;
		break;
	case CHOPIN_FIELD_RAID_MODEL:
		ret->text = record->model;
		break;
	case CHOPIN_FIELD_RAID_SERIAL:
		ret->text = record->serial;
		break;
	case CHOPIN_FIELD_RAID_FIRMWARE:
		ret->text = record->firmware;
		break;
	case CHOPIN_FIELD_RAID_STATE:
		ret->text = record->state;
		break;
	case CHOPIN_FIELD_RAID_VD_INDEX:
		ret->text = record->id;
		break;
	case CHOPIN_FIELD_RAID_VD_TYPE:
		ret->text = record->vd_type;
		break;
	case CHOPIN_FIELD_RAID_SIZE_MIB:
		ret->number = record->size_mib;
		break;
	case CHOPIN_FIELD_RAID_NAME:
		ret->text = record->name;
		break;
	case CHOPIN_FIELD_RAID_ENCLOSURE_SLOT:
		ret->text = record->id;
		break;
	case CHOPIN_FIELD_RAID_DEVICE_ID:
		ret->number = record->device_id;
		break;
	case CHOPIN_FIELD_RAID_MEDIA_TYPE:
		ret->text = record->media_type;
		break;
	case CHOPIN_FIELD_RAID_INTERFACE:
		ret->text = record->interface_type;
		break;
	case CHOPIN_FIELD_RAID_MEDIA_ERRORS:
		ret->number = record->media_errors;
		break;
	case CHOPIN_FIELD_RAID_OTHER_ERRORS:
		ret->number = record->other_errors;
		break;
	case CHOPIN_FIELD_RAID_PREDICTIVE_FAILURES:
		ret->number = record->predictive_failures;
		break;
	case CHOPIN_FIELD_RAID_TEMPERATURE:
		ret->number = record->temperature;
		break;
	case CHOPIN_FIELD_RAID_SMART_ALERT:
		ret->number = record->smart_alert;
		break;
	case CHOPIN_FIELD_RAID_WWN:
		ret->text = record->wwn;
		break;
	case CHOPIN_FIELD_RAID_DISK_GROUP:
		ret->number = record->disk_group;
		break;
	case CHOPIN_FIELD_RAID_BATTERY_REPLACE:
		ret->number = record->battery_replace;
		break;
	case CHOPIN_FIELD_RAID_CORRECTABLE_ERRORS:
		ret->number = record->correctable_errors;
		break;
	case CHOPIN_FIELD_RAID_UNCORRECTABLE_ERRORS:
		ret->number = record->uncorrectable_errors;
		break;
	case CHOPIN_FIELD_UPDATES_PENDING:
		ret->number = step->updates_pending;
		break;
	case CHOPIN_FIELD_UPDATES_SECURITY_PENDING:
		ret->number = step->updates_security;
		break;
	case CHOPIN_FIELD_UPDATES_FAILED:
		ret->number = step->updates_failed;
		break;
	case CHOPIN_FIELD_UPDATES_LAST_SUCCESS:
		ret->number =
		    step->updates_last_success != INT64_MIN ? step->updates_last_success : ctx->now;
		break;
	case CHOPIN_FIELD_UPDATES_REBOOT_REQUIRED:
		ret->number = step->updates_reboot_required;
		break;
	case CHOPIN_FIELD_UPDATES_PENDING_LIST:
		ret->text = step->updates_list;
		break;
	case CHOPIN_FIELD_UPDATES_LAST_SEARCH:
		ret->number = ctx->now;
		break;
	case CHOPIN_FIELD_SHUTDOWN_TYPE:
		ret->number = step->shutdown_type;
		break;
	case CHOPIN_FIELD_SHUTDOWN_REASON:
		ret->text = step->shutdown_reason;
		break;
	default:
		return -1;
	}
	return 0;
}

/* Length of text cut to at most max octets at a UTF-8 character boundary. */
static size_t
pdu_utf8_cut(const char *text, size_t max)
{
	size_t len = strlen(text);

	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
		len--;
	return len;
}

/* Appends field with its .0 instance; 0 or -1. */
static int
pdu_add_field(netsnmp_pdu *pdu, uint16_t field, const PduContext *ctx)
{
	const ChopinMibObject *object = chopin_mib_object_by_field(field);
	oid name[CHOPIN_MIB_MAX_OID_LEN];
	size_t name_len;
	PduValue value;
	unsigned char date[11];
	u_long unsigned_value;
	long integer_value;

	if (object == NULL || pdu_value(field, ctx, &value) < 0)
		return -1;
	name_len = chopin_mib_object_oid(object, name, CHOPIN_MIB_MAX_OID_LEN);
	if (name_len == 0)
		return -1;
	switch (object->syntax) {
	case CHOPIN_SYNTAX_OCTETS: {
		const char *text = value.text != NULL ? value.text : "";

		return snmp_pdu_add_variable(pdu, name, name_len, ASN_OCTET_STR, text,
		                             pdu_utf8_cut(text, (size_t)object->max)) != NULL
		           ? 0
		           : -1;
	}
	case CHOPIN_SYNTAX_DATE_AND_TIME:
		pdu_date_and_time(value.number, date);
		return snmp_pdu_add_variable(pdu, name, name_len, ASN_OCTET_STR, date,
		                             sizeof(date)) != NULL
		           ? 0
		           : -1;
	case CHOPIN_SYNTAX_UNSIGNED32:
		if (value.number < object->min)
			value.number = object->min;
		if (value.number > object->max)
			value.number = object->max;
		unsigned_value = (u_long)value.number;
		return snmp_pdu_add_variable(pdu, name, name_len, ASN_UNSIGNED, &unsigned_value,
		                             sizeof(unsigned_value)) != NULL
		           ? 0
		           : -1;
	case CHOPIN_SYNTAX_INTEGER32:
		integer_value = (long)value.number;
		return snmp_pdu_add_variable(pdu, name, name_len, ASN_INTEGER, &integer_value,
		                             sizeof(integer_value)) != NULL
		           ? 0
		           : -1;
	}
	return -1;
}

/* Creates the notification: sysUpTime.0, snmpTrapOID.0, then every object of kind. */
static netsnmp_pdu *
pdu_build(SimAgent *agent, int command, unsigned kind, PduContext *ctx)
{
	const ChopinMibNotification *notification = chopin_mib_notification_by_kind(kind);
	oid trap_oid[CHOPIN_MIB_MAX_OID_LEN];
	size_t trap_oid_len;
	netsnmp_pdu *pdu;
	int64_t ticks;
	u_long uptime;

	if (notification == NULL)
		return NULL;
	trap_oid_len = chopin_mib_notification_oid(notification, trap_oid, CHOPIN_MIB_MAX_OID_LEN);
	if (agent->sequence == UINT32_MAX) /* never wrap: a new instance starts again at 1 */
		pdu_agent_restart(agent, agent->boot_time);
	ctx->agent = agent;
	ctx->sequence = ++agent->sequence;
	pdu = snmp_pdu_create(command);
	if (pdu == NULL)
		return NULL;
	ticks = (ctx->now - agent->boot_time) * 100;
	uptime = ticks < 0 ? 0 : ticks > UINT32_MAX ? UINT32_MAX : (u_long)ticks;
	if (snmp_pdu_add_variable(pdu, pdu_sys_up_time_oid, OID_LENGTH(pdu_sys_up_time_oid),
	                          ASN_TIMETICKS, &uptime, sizeof(uptime)) == NULL ||
	    snmp_pdu_add_variable(pdu, pdu_snmp_trap_oid, OID_LENGTH(pdu_snmp_trap_oid),
	                          ASN_OBJECT_ID, trap_oid, trap_oid_len * sizeof(oid)) == NULL)
		goto fail;
	for (size_t i = 0; i < notification->n_objects; i++) {
		if (pdu_add_field(pdu, notification->objects[i], ctx) < 0)
			goto fail;
	}
	return pdu;
fail:
	snmp_free_pdu(pdu);
	return NULL;
}

netsnmp_pdu *
pdu_new_heartbeat(SimAgent *agent, int command, int64_t now)
{
	PduContext ctx = {.now = now};

	return pdu_build(agent, command, CHOPIN_KIND_HEARTBEAT, &ctx);
}

netsnmp_pdu *
pdu_new_event(SimAgent *agent, int command, int64_t now, const SimStep *step)
{
	PduContext ctx = {.now = now, .step = step, .record_id = agent->next_record_id++};

	return pdu_build(agent, command, CHOPIN_KIND_EVENT_LOG_ENTRY, &ctx);
}

netsnmp_pdu *
pdu_new_raid_record(SimAgent *agent, int command, int64_t now, const SimRaidRecord *record,
                    uint32_t snapshot_id, uint32_t part_index, uint32_t part_total)
{
	PduContext ctx = {.now = now,
	                  .record = record,
	                  .snapshot_id = snapshot_id,
	                  .part_index = part_index,
	                  .part_total = part_total};

	return pdu_build(agent, command, record->kind, &ctx);
}

netsnmp_pdu *
pdu_new_update(SimAgent *agent, int command, int64_t now, const SimStep *step)
{
	PduContext ctx = {.now = now, .step = step};

	return pdu_build(agent, command, CHOPIN_KIND_UPDATE_STATUS, &ctx);
}

netsnmp_pdu *
pdu_new_shutdown(SimAgent *agent, int command, int64_t now, const SimStep *step)
{
	PduContext ctx = {.now = now, .step = step};

	return pdu_build(agent, command, CHOPIN_KIND_AGENT_SHUTDOWN, &ctx);
}
