/* chopin-mib.h: the CHOPIN-MIB objects and notifications, mirroring mib/CHOPIN-MIB.txt. */
#ifndef CHOPIN_MIB_H
#define CHOPIN_MIB_H

#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/*
 * Every CHOPIN-MIB object is an accessible-for-notify scalar at
 * chopinMIB.1.<group>.<sub>, sent with the instance suffix .0. Inside
 * Chopin an object is named by its field id (group << 8) | sub.
 * tests/mib/test-mib-table.sh checks this table against the MIB.
 */
#define CHOPIN_FIELD(group, sub)  ((uint16_t)(((group) << 8) | (sub)))
#define CHOPIN_FIELD_GROUP(field) ((unsigned)((field) >> 8))
#define CHOPIN_FIELD_SUB(field)   ((unsigned)((field)&0xff))

enum {
	CHOPIN_FIELD_HOST_NAME = CHOPIN_FIELD(1, 1),
	CHOPIN_FIELD_AGENT_INSTANCE = CHOPIN_FIELD(1, 2),
	CHOPIN_FIELD_SEQUENCE = CHOPIN_FIELD(1, 3),
	CHOPIN_FIELD_AGENT_TIME = CHOPIN_FIELD(1, 4),
	CHOPIN_FIELD_AGENT_VERSION = CHOPIN_FIELD(1, 5),
	CHOPIN_FIELD_OS_NAME = CHOPIN_FIELD(2, 1),
	CHOPIN_FIELD_OS_VERSION = CHOPIN_FIELD(2, 2),
	CHOPIN_FIELD_MACHINE_TYPE = CHOPIN_FIELD(2, 3),
	CHOPIN_FIELD_BOOT_TIME = CHOPIN_FIELD(2, 4),
	CHOPIN_FIELD_HEARTBEAT_INTERVAL = CHOPIN_FIELD(2, 5),
	CHOPIN_FIELD_HARDWARE_MODEL = CHOPIN_FIELD(2, 6),
	CHOPIN_FIELD_EVENT_LOG_NAME = CHOPIN_FIELD(3, 1),
	CHOPIN_FIELD_EVENT_SOURCE = CHOPIN_FIELD(3, 2),
	CHOPIN_FIELD_EVENT_ID = CHOPIN_FIELD(3, 3),
	CHOPIN_FIELD_EVENT_LEVEL = CHOPIN_FIELD(3, 4),
	CHOPIN_FIELD_EVENT_RECORD_ID = CHOPIN_FIELD(3, 5),
	CHOPIN_FIELD_EVENT_TIME = CHOPIN_FIELD(3, 6),
	CHOPIN_FIELD_EVENT_MESSAGE = CHOPIN_FIELD(3, 7),
	CHOPIN_FIELD_RAID_SNAPSHOT_ID = CHOPIN_FIELD(4, 1),
	CHOPIN_FIELD_RAID_PART_INDEX = CHOPIN_FIELD(4, 2),
	CHOPIN_FIELD_RAID_PART_TOTAL = CHOPIN_FIELD(4, 3),
	CHOPIN_FIELD_RAID_CONTROLLER_INDEX = CHOPIN_FIELD(4, 4),
	CHOPIN_FIELD_RAID_MODEL = CHOPIN_FIELD(4, 5),
	CHOPIN_FIELD_RAID_SERIAL = CHOPIN_FIELD(4, 6),
	CHOPIN_FIELD_RAID_FIRMWARE = CHOPIN_FIELD(4, 7),
	CHOPIN_FIELD_RAID_STATE = CHOPIN_FIELD(4, 8),
	CHOPIN_FIELD_RAID_VD_INDEX = CHOPIN_FIELD(4, 9),
	CHOPIN_FIELD_RAID_VD_TYPE = CHOPIN_FIELD(4, 10),
	CHOPIN_FIELD_RAID_SIZE_MIB = CHOPIN_FIELD(4, 11),
	CHOPIN_FIELD_RAID_NAME = CHOPIN_FIELD(4, 12),
	CHOPIN_FIELD_RAID_ENCLOSURE_SLOT = CHOPIN_FIELD(4, 13),
	CHOPIN_FIELD_RAID_DEVICE_ID = CHOPIN_FIELD(4, 14),
	CHOPIN_FIELD_RAID_MEDIA_TYPE = CHOPIN_FIELD(4, 15),
	CHOPIN_FIELD_RAID_INTERFACE = CHOPIN_FIELD(4, 16),
	CHOPIN_FIELD_RAID_MEDIA_ERRORS = CHOPIN_FIELD(4, 17),
	CHOPIN_FIELD_RAID_OTHER_ERRORS = CHOPIN_FIELD(4, 18),
	CHOPIN_FIELD_RAID_PREDICTIVE_FAILURES = CHOPIN_FIELD(4, 19),
	CHOPIN_FIELD_RAID_TEMPERATURE = CHOPIN_FIELD(4, 20),
	CHOPIN_FIELD_RAID_SMART_ALERT = CHOPIN_FIELD(4, 21),
	CHOPIN_FIELD_RAID_WWN = CHOPIN_FIELD(4, 22),
	CHOPIN_FIELD_RAID_DISK_GROUP = CHOPIN_FIELD(4, 23),
	CHOPIN_FIELD_RAID_BATTERY_REPLACE = CHOPIN_FIELD(4, 24),
	CHOPIN_FIELD_RAID_CORRECTABLE_ERRORS = CHOPIN_FIELD(4, 25),
	CHOPIN_FIELD_RAID_UNCORRECTABLE_ERRORS = CHOPIN_FIELD(4, 26),
	CHOPIN_FIELD_UPDATES_PENDING = CHOPIN_FIELD(5, 1),
	CHOPIN_FIELD_UPDATES_SECURITY_PENDING = CHOPIN_FIELD(5, 2),
	CHOPIN_FIELD_UPDATES_FAILED = CHOPIN_FIELD(5, 3),
	CHOPIN_FIELD_UPDATES_LAST_SUCCESS = CHOPIN_FIELD(5, 4),
	CHOPIN_FIELD_UPDATES_REBOOT_REQUIRED = CHOPIN_FIELD(5, 5),
	CHOPIN_FIELD_UPDATES_PENDING_LIST = CHOPIN_FIELD(5, 6),
	CHOPIN_FIELD_UPDATES_LAST_SEARCH = CHOPIN_FIELD(5, 7),
	CHOPIN_FIELD_SHUTDOWN_TYPE = CHOPIN_FIELD(6, 1),
	CHOPIN_FIELD_SHUTDOWN_REASON = CHOPIN_FIELD(6, 2),
	CHOPIN_FIELD_ALARM_ID = CHOPIN_FIELD(7, 1),
	CHOPIN_FIELD_ALARM_HOST = CHOPIN_FIELD(7, 2),
	CHOPIN_FIELD_ALARM_SERVICE = CHOPIN_FIELD(7, 3),
	CHOPIN_FIELD_ALARM_RULE = CHOPIN_FIELD(7, 4),
	CHOPIN_FIELD_ALARM_SEVERITY = CHOPIN_FIELD(7, 5),
	CHOPIN_FIELD_ALARM_TEXT = CHOPIN_FIELD(7, 6),
	CHOPIN_FIELD_ALARM_KEY = CHOPIN_FIELD(7, 7),
	CHOPIN_FIELD_ALARM_COUNT = CHOPIN_FIELD(7, 8),
	CHOPIN_FIELD_ALARM_FIRST_SEEN = CHOPIN_FIELD(7, 9),
};

/* Notification numbers (chopinNotifications.<kind>), also the record kind. */
typedef enum {
	CHOPIN_KIND_UNKNOWN = 0,
	CHOPIN_KIND_HEARTBEAT = 1,
	CHOPIN_KIND_EVENT_LOG_ENTRY = 2,
	CHOPIN_KIND_RAID_CONTROLLER = 3,
	CHOPIN_KIND_RAID_VIRTUAL_DRIVE = 4,
	CHOPIN_KIND_RAID_PHYSICAL_DRIVE = 5,
	CHOPIN_KIND_RAID_BATTERY = 6,
	CHOPIN_KIND_UPDATE_STATUS = 7,
	CHOPIN_KIND_AGENT_SHUTDOWN = 8,
	CHOPIN_KIND_ALARM_RAISED = 20,
	CHOPIN_KIND_ALARM_CLEARED = 21,
} ChopinRecordKind;

typedef enum {
	/* OCTET STRING text (SnmpAdminString, ChopinUtf8String): min/max bound the size. */
	CHOPIN_SYNTAX_OCTETS,
	/* DateAndTime: 8 or 11 octets (min 8, max 11). */
	CHOPIN_SYNTAX_DATE_AND_TIME,
	/* Unsigned32 / Gauge32: min/max bound the value. */
	CHOPIN_SYNTAX_UNSIGNED32,
	/* Integer32, enumerations and TruthValue: min/max bound the value. */
	CHOPIN_SYNTAX_INTEGER32,
} ChopinSyntax;

typedef struct {
	const char *name; /* MIB descriptor, e.g. "chopinHostName" */
	uint16_t field;   /* CHOPIN_FIELD(group, sub) */
	ChopinSyntax syntax;
	int64_t min;
	int64_t max;
} ChopinMibObject;

typedef struct {
	const char *name;        /* MIB descriptor, e.g. "chopinHeartbeat" */
	uint8_t kind;            /* ChopinRecordKind, the last sub-identifier of the OID */
	const uint16_t *objects; /* field ids in the order of the OBJECTS clause */
	size_t n_objects;
} ChopinMibNotification;

/* chopinMIB, the root of the module (defined once, in chopin-mib.c). */
extern const oid chopin_mib_root[];
extern const size_t chopin_mib_root_len;

/* Longest OID the functions below write: an object OID with its .0 instance. */
#define CHOPIN_MIB_MAX_OID_LEN 16

/* The object with this field id, or NULL if there is none. Static storage. */
const ChopinMibObject *chopin_mib_object_by_field(uint16_t field);

/*
 * The object whose OID is name[0..len), given bare (chopinMIB.1.g.s) or
 * with the scalar instance (chopinMIB.1.g.s.0); *ret_has_instance (may be
 * NULL) is set to 1 for the latter, 0 for the former. Returns NULL (and
 * leaves *ret_has_instance alone) for any other OID, including name NULL.
 */
const ChopinMibObject *chopin_mib_object_by_oid(const oid *name, size_t len, int *ret_has_instance);

/* The notification whose OID is name[0..len) (chopinMIB.0.kind), or NULL. */
const ChopinMibNotification *chopin_mib_notification_by_oid(const oid *name, size_t len);

/* The notification for this record kind, or NULL if there is none. */
const ChopinMibNotification *chopin_mib_notification_by_kind(unsigned kind);

/*
 * Writes the OID of object including the .0 instance into ret_name
 * (caller-owned, max_len sub-identifiers). Returns its length, or 0 if
 * object is NULL or the OID does not fit (ret_name is then untouched).
 */
size_t chopin_mib_object_oid(const ChopinMibObject *object, oid *ret_name, size_t max_len);

/* Same for the OID of a notification (chopinMIB.0.kind). */
size_t chopin_mib_notification_oid(const ChopinMibNotification *notification, oid *ret_name,
                                   size_t max_len);

/* All objects, ordered by field id; *ret_count receives their number. */
const ChopinMibObject *chopin_mib_objects(size_t *ret_count);

/* All notifications, ordered by kind; *ret_count receives their number. */
const ChopinMibNotification *chopin_mib_notifications(size_t *ret_count);

/* The MIB name of a record kind ("chopinHeartbeat"), or "unknown"; never NULL. */
const char *chopin_mib_kind_name(unsigned kind);

#endif /* CHOPIN_MIB_H */
