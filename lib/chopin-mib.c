/* chopin-mib.c: lookups in the CHOPIN-MIB object and notification table. */
#include "config.h"

#include <string.h>

#include "chopin-mib.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* chopinMIB: the only place the C code spells the root OID. */
const oid chopin_mib_root[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 72};
#define ROOT_LEN ARRAY_SIZE(chopin_mib_root)
const size_t chopin_mib_root_len = ROOT_LEN;

/* Arcs under chopinMIB. */
#define ARC_NOTIFICATIONS 0
#define ARC_OBJECTS       1

_Static_assert(ROOT_LEN + 4 <= CHOPIN_MIB_MAX_OID_LEN, "CHOPIN_MIB_MAX_OID_LEN too small");

#define OBJECT(name_, field_, syntax_, min_, max_)                                                 \
	{                                                                                          \
		.name = (name_), .field = CHOPIN_FIELD_##field_,                                   \
		.syntax = CHOPIN_SYNTAX_##syntax_, .min = (min_), .max = (max_)                    \
	}

/*
 * The OBJECT-TYPEs of mib/CHOPIN-MIB.txt (tests/mib/test-mib-table.sh compares
 * them). Ordered by field id: groups in order, sub-identifiers 1, 2, ... without gaps.
 */
static const ChopinMibObject objects[] = {
    OBJECT("chopinHostName", HOST_NAME, OCTETS, 1, 255),
    OBJECT("chopinAgentInstance", AGENT_INSTANCE, UNSIGNED32, 1, UINT32_MAX),
    OBJECT("chopinSequence", SEQUENCE, UNSIGNED32, 1, UINT32_MAX),
    OBJECT("chopinAgentTime", AGENT_TIME, DATE_AND_TIME, 8, 11),
    OBJECT("chopinAgentVersion", AGENT_VERSION, OCTETS, 1, 32),
    OBJECT("chopinOsName", OS_NAME, OCTETS, 1, 128),
    OBJECT("chopinOsVersion", OS_VERSION, OCTETS, 1, 32),
    OBJECT("chopinMachineType", MACHINE_TYPE, INTEGER32, 1, 3),
    OBJECT("chopinBootTime", BOOT_TIME, DATE_AND_TIME, 8, 11),
    OBJECT("chopinHeartbeatInterval", HEARTBEAT_INTERVAL, UNSIGNED32, 10, 86400),
    OBJECT("chopinHardwareModel", HARDWARE_MODEL, OCTETS, 0, 128),
    OBJECT("chopinEventLogName", EVENT_LOG_NAME, OCTETS, 1, 64),
    OBJECT("chopinEventSource", EVENT_SOURCE, OCTETS, 1, 128),
    OBJECT("chopinEventId", EVENT_ID, UNSIGNED32, 0, 65535),
    OBJECT("chopinEventLevel", EVENT_LEVEL, INTEGER32, 1, 5),
    OBJECT("chopinEventRecordId", EVENT_RECORD_ID, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinEventTime", EVENT_TIME, DATE_AND_TIME, 8, 11),
    OBJECT("chopinEventMessage", EVENT_MESSAGE, OCTETS, 0, 2048),
    OBJECT("chopinRaidSnapshotId", RAID_SNAPSHOT_ID, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinRaidPartIndex", RAID_PART_INDEX, UNSIGNED32, 1, 1024),
    OBJECT("chopinRaidPartTotal", RAID_PART_TOTAL, UNSIGNED32, 1, 1024),
    OBJECT("chopinRaidControllerIndex", RAID_CONTROLLER_INDEX, UNSIGNED32, 0, 255),
    OBJECT("chopinRaidModel", RAID_MODEL, OCTETS, 0, 64),
    OBJECT("chopinRaidSerial", RAID_SERIAL, OCTETS, 0, 64),
    OBJECT("chopinRaidFirmware", RAID_FIRMWARE, OCTETS, 0, 64),
    OBJECT("chopinRaidState", RAID_STATE, OCTETS, 1, 32),
    OBJECT("chopinRaidVdIndex", RAID_VD_INDEX, OCTETS, 1, 16),
    OBJECT("chopinRaidVdType", RAID_VD_TYPE, OCTETS, 0, 16),
    OBJECT("chopinRaidSizeMiB", RAID_SIZE_MIB, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinRaidName", RAID_NAME, OCTETS, 0, 64),
    OBJECT("chopinRaidEnclosureSlot", RAID_ENCLOSURE_SLOT, OCTETS, 1, 16),
    OBJECT("chopinRaidDeviceId", RAID_DEVICE_ID, UNSIGNED32, 0, 65535),
    OBJECT("chopinRaidMediaType", RAID_MEDIA_TYPE, OCTETS, 0, 8),
    OBJECT("chopinRaidInterface", RAID_INTERFACE, OCTETS, 0, 8),
    OBJECT("chopinRaidMediaErrors", RAID_MEDIA_ERRORS, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinRaidOtherErrors", RAID_OTHER_ERRORS, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinRaidPredictiveFailures", RAID_PREDICTIVE_FAILURES, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinRaidTemperature", RAID_TEMPERATURE, INTEGER32, -50, 200),
    OBJECT("chopinRaidSmartAlert", RAID_SMART_ALERT, INTEGER32, 1, 2),
    OBJECT("chopinRaidWwn", RAID_WWN, OCTETS, 0, 32),
    OBJECT("chopinRaidDiskGroup", RAID_DISK_GROUP, INTEGER32, -1, 255),
    OBJECT("chopinRaidBatteryReplace", RAID_BATTERY_REPLACE, INTEGER32, 1, 2),
    OBJECT("chopinRaidCorrectableErrors", RAID_CORRECTABLE_ERRORS, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinRaidUncorrectableErrors", RAID_UNCORRECTABLE_ERRORS, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinUpdatesPending", UPDATES_PENDING, UNSIGNED32, 0, 65535),
    OBJECT("chopinUpdatesSecurityPending", UPDATES_SECURITY_PENDING, UNSIGNED32, 0, 65535),
    OBJECT("chopinUpdatesFailed", UPDATES_FAILED, UNSIGNED32, 0, 65535),
    OBJECT("chopinUpdatesLastSuccess", UPDATES_LAST_SUCCESS, DATE_AND_TIME, 8, 11),
    OBJECT("chopinUpdatesRebootRequired", UPDATES_REBOOT_REQUIRED, INTEGER32, 1, 2),
    OBJECT("chopinUpdatesPendingList", UPDATES_PENDING_LIST, OCTETS, 0, 2048),
    OBJECT("chopinUpdatesLastSearch", UPDATES_LAST_SEARCH, DATE_AND_TIME, 8, 11),
    OBJECT("chopinShutdownType", SHUTDOWN_TYPE, INTEGER32, 1, 3),
    OBJECT("chopinShutdownReason", SHUTDOWN_REASON, OCTETS, 0, 255),
    OBJECT("chopinAlarmId", ALARM_ID, UNSIGNED32, 1, UINT32_MAX),
    OBJECT("chopinAlarmHost", ALARM_HOST, OCTETS, 1, 255),
    OBJECT("chopinAlarmService", ALARM_SERVICE, OCTETS, 1, 64),
    OBJECT("chopinAlarmRule", ALARM_RULE, OCTETS, 1, 64),
    OBJECT("chopinAlarmSeverity", ALARM_SEVERITY, INTEGER32, 1, 3),
    OBJECT("chopinAlarmText", ALARM_TEXT, OCTETS, 0, 1024),
    OBJECT("chopinAlarmKey", ALARM_KEY, OCTETS, 0, 128),
    OBJECT("chopinAlarmCount", ALARM_COUNT, UNSIGNED32, 0, UINT32_MAX),
    OBJECT("chopinAlarmFirstSeen", ALARM_FIRST_SEEN, DATE_AND_TIME, 8, 11),
};

/* Where each group starts in objects[] and how many objects it has. */
static const struct {
	uint16_t first;
	uint16_t count;
} groups[] = {
    [1] = {0, 5},  [2] = {5, 6},  [3] = {11, 7}, [4] = {18, 26},
    [5] = {44, 7}, [6] = {51, 2}, [7] = {53, 9},
};

static const uint16_t heartbeat_objects[] = {
    CHOPIN_FIELD_HOST_NAME,          CHOPIN_FIELD_AGENT_INSTANCE, CHOPIN_FIELD_SEQUENCE,
    CHOPIN_FIELD_AGENT_TIME,         CHOPIN_FIELD_AGENT_VERSION,  CHOPIN_FIELD_OS_NAME,
    CHOPIN_FIELD_OS_VERSION,         CHOPIN_FIELD_MACHINE_TYPE,   CHOPIN_FIELD_BOOT_TIME,
    CHOPIN_FIELD_HEARTBEAT_INTERVAL, CHOPIN_FIELD_HARDWARE_MODEL,
};

static const uint16_t event_log_entry_objects[] = {
    CHOPIN_FIELD_HOST_NAME,  CHOPIN_FIELD_AGENT_INSTANCE, CHOPIN_FIELD_SEQUENCE,
    CHOPIN_FIELD_AGENT_TIME, CHOPIN_FIELD_EVENT_LOG_NAME, CHOPIN_FIELD_EVENT_SOURCE,
    CHOPIN_FIELD_EVENT_ID,   CHOPIN_FIELD_EVENT_LEVEL,    CHOPIN_FIELD_EVENT_RECORD_ID,
    CHOPIN_FIELD_EVENT_TIME, CHOPIN_FIELD_EVENT_MESSAGE,
};

static const uint16_t raid_controller_objects[] = {
    CHOPIN_FIELD_HOST_NAME,
    CHOPIN_FIELD_AGENT_INSTANCE,
    CHOPIN_FIELD_SEQUENCE,
    CHOPIN_FIELD_AGENT_TIME,
    CHOPIN_FIELD_RAID_SNAPSHOT_ID,
    CHOPIN_FIELD_RAID_PART_INDEX,
    CHOPIN_FIELD_RAID_PART_TOTAL,
    CHOPIN_FIELD_RAID_CONTROLLER_INDEX,
    CHOPIN_FIELD_RAID_MODEL,
    CHOPIN_FIELD_RAID_SERIAL,
    CHOPIN_FIELD_RAID_FIRMWARE,
    CHOPIN_FIELD_RAID_STATE,
    CHOPIN_FIELD_RAID_CORRECTABLE_ERRORS,
    CHOPIN_FIELD_RAID_UNCORRECTABLE_ERRORS,
};

static const uint16_t raid_virtual_drive_objects[] = {
    CHOPIN_FIELD_HOST_NAME,        CHOPIN_FIELD_AGENT_INSTANCE,
    CHOPIN_FIELD_SEQUENCE,         CHOPIN_FIELD_AGENT_TIME,
    CHOPIN_FIELD_RAID_SNAPSHOT_ID, CHOPIN_FIELD_RAID_PART_INDEX,
    CHOPIN_FIELD_RAID_PART_TOTAL,  CHOPIN_FIELD_RAID_CONTROLLER_INDEX,
    CHOPIN_FIELD_RAID_VD_INDEX,    CHOPIN_FIELD_RAID_VD_TYPE,
    CHOPIN_FIELD_RAID_STATE,       CHOPIN_FIELD_RAID_SIZE_MIB,
    CHOPIN_FIELD_RAID_NAME,
};

static const uint16_t raid_physical_drive_objects[] = {
    CHOPIN_FIELD_HOST_NAME,
    CHOPIN_FIELD_AGENT_INSTANCE,
    CHOPIN_FIELD_SEQUENCE,
    CHOPIN_FIELD_AGENT_TIME,
    CHOPIN_FIELD_RAID_SNAPSHOT_ID,
    CHOPIN_FIELD_RAID_PART_INDEX,
    CHOPIN_FIELD_RAID_PART_TOTAL,
    CHOPIN_FIELD_RAID_CONTROLLER_INDEX,
    CHOPIN_FIELD_RAID_ENCLOSURE_SLOT,
    CHOPIN_FIELD_RAID_DEVICE_ID,
    CHOPIN_FIELD_RAID_DISK_GROUP,
    CHOPIN_FIELD_RAID_STATE,
    CHOPIN_FIELD_RAID_SIZE_MIB,
    CHOPIN_FIELD_RAID_MODEL,
    CHOPIN_FIELD_RAID_SERIAL,
    CHOPIN_FIELD_RAID_FIRMWARE,
    CHOPIN_FIELD_RAID_MEDIA_TYPE,
    CHOPIN_FIELD_RAID_INTERFACE,
    CHOPIN_FIELD_RAID_WWN,
    CHOPIN_FIELD_RAID_MEDIA_ERRORS,
    CHOPIN_FIELD_RAID_OTHER_ERRORS,
    CHOPIN_FIELD_RAID_PREDICTIVE_FAILURES,
    CHOPIN_FIELD_RAID_TEMPERATURE,
    CHOPIN_FIELD_RAID_SMART_ALERT,
};

static const uint16_t raid_battery_objects[] = {
    CHOPIN_FIELD_HOST_NAME,        CHOPIN_FIELD_AGENT_INSTANCE,
    CHOPIN_FIELD_SEQUENCE,         CHOPIN_FIELD_AGENT_TIME,
    CHOPIN_FIELD_RAID_SNAPSHOT_ID, CHOPIN_FIELD_RAID_PART_INDEX,
    CHOPIN_FIELD_RAID_PART_TOTAL,  CHOPIN_FIELD_RAID_CONTROLLER_INDEX,
    CHOPIN_FIELD_RAID_MODEL,       CHOPIN_FIELD_RAID_STATE,
    CHOPIN_FIELD_RAID_TEMPERATURE, CHOPIN_FIELD_RAID_BATTERY_REPLACE,
};

static const uint16_t update_status_objects[] = {
    CHOPIN_FIELD_HOST_NAME,
    CHOPIN_FIELD_AGENT_INSTANCE,
    CHOPIN_FIELD_SEQUENCE,
    CHOPIN_FIELD_AGENT_TIME,
    CHOPIN_FIELD_UPDATES_PENDING,
    CHOPIN_FIELD_UPDATES_SECURITY_PENDING,
    CHOPIN_FIELD_UPDATES_FAILED,
    CHOPIN_FIELD_UPDATES_LAST_SUCCESS,
    CHOPIN_FIELD_UPDATES_REBOOT_REQUIRED,
    CHOPIN_FIELD_UPDATES_PENDING_LIST,
    CHOPIN_FIELD_UPDATES_LAST_SEARCH,
};

static const uint16_t agent_shutdown_objects[] = {
    CHOPIN_FIELD_HOST_NAME,  CHOPIN_FIELD_AGENT_INSTANCE, CHOPIN_FIELD_SEQUENCE,
    CHOPIN_FIELD_AGENT_TIME, CHOPIN_FIELD_SHUTDOWN_TYPE,  CHOPIN_FIELD_SHUTDOWN_REASON,
};

static const uint16_t alarm_raised_objects[] = {
    CHOPIN_FIELD_ALARM_ID,   CHOPIN_FIELD_ALARM_HOST,     CHOPIN_FIELD_ALARM_SERVICE,
    CHOPIN_FIELD_ALARM_RULE, CHOPIN_FIELD_ALARM_SEVERITY, CHOPIN_FIELD_ALARM_TEXT,
    CHOPIN_FIELD_ALARM_KEY,  CHOPIN_FIELD_ALARM_COUNT,    CHOPIN_FIELD_ALARM_FIRST_SEEN,
};

static const uint16_t alarm_cleared_objects[] = {
    CHOPIN_FIELD_ALARM_ID,   CHOPIN_FIELD_ALARM_HOST,     CHOPIN_FIELD_ALARM_SERVICE,
    CHOPIN_FIELD_ALARM_RULE, CHOPIN_FIELD_ALARM_SEVERITY, CHOPIN_FIELD_ALARM_TEXT,
    CHOPIN_FIELD_ALARM_KEY,
};

#define NOTIFICATION(name_, kind_, objects_)                                                       \
	{                                                                                          \
		.name = (name_), .kind = CHOPIN_KIND_##kind_, .objects = (objects_),               \
		.n_objects = ARRAY_SIZE(objects_)                                                  \
	}

/* The NOTIFICATION-TYPEs of mib/CHOPIN-MIB.txt, ordered by kind. */
static const ChopinMibNotification notifications[] = {
    NOTIFICATION("chopinHeartbeat", HEARTBEAT, heartbeat_objects),
    NOTIFICATION("chopinEventLogEntry", EVENT_LOG_ENTRY, event_log_entry_objects),
    NOTIFICATION("chopinRaidController", RAID_CONTROLLER, raid_controller_objects),
    NOTIFICATION("chopinRaidVirtualDrive", RAID_VIRTUAL_DRIVE, raid_virtual_drive_objects),
    NOTIFICATION("chopinRaidPhysicalDrive", RAID_PHYSICAL_DRIVE, raid_physical_drive_objects),
    NOTIFICATION("chopinRaidBattery", RAID_BATTERY, raid_battery_objects),
    NOTIFICATION("chopinUpdateStatus", UPDATE_STATUS, update_status_objects),
    NOTIFICATION("chopinAgentShutdown", AGENT_SHUTDOWN, agent_shutdown_objects),
    NOTIFICATION("chopinAlarmRaised", ALARM_RAISED, alarm_raised_objects),
    NOTIFICATION("chopinAlarmCleared", ALARM_CLEARED, alarm_cleared_objects),
};

/* Position + 1 of each kind in notifications[]; 0 for kinds without one. */
static const uint8_t kind_slots[] = {
    [CHOPIN_KIND_HEARTBEAT] = 1,           [CHOPIN_KIND_EVENT_LOG_ENTRY] = 2,
    [CHOPIN_KIND_RAID_CONTROLLER] = 3,     [CHOPIN_KIND_RAID_VIRTUAL_DRIVE] = 4,
    [CHOPIN_KIND_RAID_PHYSICAL_DRIVE] = 5, [CHOPIN_KIND_RAID_BATTERY] = 6,
    [CHOPIN_KIND_UPDATE_STATUS] = 7,       [CHOPIN_KIND_AGENT_SHUTDOWN] = 8,
    [CHOPIN_KIND_ALARM_RAISED] = 9,        [CHOPIN_KIND_ALARM_CLEARED] = 10,
};

const ChopinMibObject *
chopin_mib_object_by_field(uint16_t field)
{
	unsigned group = CHOPIN_FIELD_GROUP(field);
	unsigned sub = CHOPIN_FIELD_SUB(field);
	const ChopinMibObject *object;

	if (group == 0 || group >= ARRAY_SIZE(groups))
		return NULL;
	if (sub == 0 || sub > groups[group].count)
		return NULL;
	object = &objects[groups[group].first + sub - 1];
	return object->field == field ? object : NULL;
}

const ChopinMibObject *
chopin_mib_object_by_oid(const oid *name, size_t len, int *ret_has_instance)
{
	const ChopinMibObject *object;
	oid group, sub;
	int has_instance;

	if (name == NULL)
		return NULL;
	if (len == ROOT_LEN + 3)
		has_instance = 0;
	else if (len == ROOT_LEN + 4 && name[ROOT_LEN + 3] == 0)
		has_instance = 1;
	else
		return NULL;
	if (memcmp(name, chopin_mib_root, sizeof(chopin_mib_root)) != 0 ||
	    name[ROOT_LEN] != ARC_OBJECTS)
		return NULL;
	group = name[ROOT_LEN + 1];
	sub = name[ROOT_LEN + 2];
	if (group == 0 || group > 0xff || sub == 0 || sub > 0xff)
		return NULL;
	object = chopin_mib_object_by_field(CHOPIN_FIELD(group, sub));
	if (object != NULL && ret_has_instance != NULL)
		*ret_has_instance = has_instance;
	return object;
}

const ChopinMibNotification *
chopin_mib_notification_by_kind(unsigned kind)
{
	const ChopinMibNotification *notification;

	if (kind >= ARRAY_SIZE(kind_slots) || kind_slots[kind] == 0)
		return NULL;
	notification = &notifications[kind_slots[kind] - 1];
	return notification->kind == kind ? notification : NULL;
}

const ChopinMibNotification *
chopin_mib_notification_by_oid(const oid *name, size_t len)
{
	if (name == NULL || len != ROOT_LEN + 2)
		return NULL;
	if (memcmp(name, chopin_mib_root, sizeof(chopin_mib_root)) != 0 ||
	    name[ROOT_LEN] != ARC_NOTIFICATIONS)
		return NULL;
	if (name[ROOT_LEN + 1] >= ARRAY_SIZE(kind_slots))
		return NULL;
	return chopin_mib_notification_by_kind((unsigned)name[ROOT_LEN + 1]);
}

size_t
chopin_mib_object_oid(const ChopinMibObject *object, oid *ret_name, size_t max_len)
{
	if (object == NULL || ret_name == NULL || max_len < ROOT_LEN + 4)
		return 0;
	memcpy(ret_name, chopin_mib_root, sizeof(chopin_mib_root));
	ret_name[ROOT_LEN] = ARC_OBJECTS;
	ret_name[ROOT_LEN + 1] = CHOPIN_FIELD_GROUP(object->field);
	ret_name[ROOT_LEN + 2] = CHOPIN_FIELD_SUB(object->field);
	ret_name[ROOT_LEN + 3] = 0;
	return ROOT_LEN + 4;
}

size_t
chopin_mib_notification_oid(const ChopinMibNotification *notification, oid *ret_name,
                            size_t max_len)
{
	if (notification == NULL || ret_name == NULL || max_len < ROOT_LEN + 2)
		return 0;
	memcpy(ret_name, chopin_mib_root, sizeof(chopin_mib_root));
	ret_name[ROOT_LEN] = ARC_NOTIFICATIONS;
	ret_name[ROOT_LEN + 1] = notification->kind;
	return ROOT_LEN + 2;
}

const ChopinMibObject *
chopin_mib_objects(size_t *ret_count)
{
	if (ret_count != NULL)
		*ret_count = ARRAY_SIZE(objects);
	return objects;
}

const ChopinMibNotification *
chopin_mib_notifications(size_t *ret_count)
{
	if (ret_count != NULL)
		*ret_count = ARRAY_SIZE(notifications);
	return notifications;
}

const char *
chopin_mib_kind_name(unsigned kind)
{
	const ChopinMibNotification *notification = chopin_mib_notification_by_kind(kind);

	return notification != NULL ? notification->name : "unknown";
}
