/* What an alarm notification carries: CHOPIN-MIB varbinds from an outbox row, and the backoff. */
#include "config.h"

#include "notify.h"

#include <stdio.h>
#include <string.h>

#include "chopin-mib.h"

/* SNMPv2-MIB: sysUpTime.0 and snmpTrapOID.0 open every SNMPv2 notification. */
static const oid sys_up_time_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid snmp_trap_oid_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

void
notify_entry_free(NotifyEntry *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->host);
	g_free(entry->service);
	g_free(entry->rule);
	g_free(entry->severity);
	g_free(entry->text);
	g_free(entry->key);
	g_free(entry->first_seen);
	g_free(entry);
}

guint32
notify_alarm_id(guint64 alarm_id)
{
	if (alarm_id == 0)
		return 1; /* AUTO_INCREMENT never gives 0; 0 is outside the MIB's range */
	return (guint32)((alarm_id - 1) % G_MAXUINT32 + 1);
}

int
notify_severity_value(const char *severity)
{
	if (g_strcmp0(severity, "critical") == 0)
		return 3;
	if (g_strcmp0(severity, "warning") == 0)
		return 2;
	return 1;
}

gsize
notify_utf8_prefix(const char *text, gsize max)
{
	gsize len = strlen(text);

	if (len <= max)
		return len;
	len = max;
	/* back off continuation octets (10xxxxxx), then the lead octet of the cut character */
	while (len > 0 && ((guchar)text[len] & 0xC0) == 0x80)
		len--;
	return len;
}

gboolean
notify_date_and_time(const char *sql_time, guint8 ret_octets[11])
{
	unsigned year, month, day, hour, minute, second;
	unsigned fraction = 0;
	int consumed = 0;

	if (sql_time == NULL || sscanf(sql_time, "%4u-%2u-%2u %2u:%2u:%2u%n", &year, &month, &day,
	                               &hour, &minute, &second, &consumed) != 6)
		return FALSE;
	const char *rest = sql_time + consumed;
	if (*rest == '.') {
		rest++;
		if (!g_ascii_isdigit(*rest))
			return FALSE;
		fraction = (unsigned)(*rest - '0'); /* deci-seconds: the first digit */
		while (g_ascii_isdigit(*rest))
			rest++;
	}
	if (*rest != '\0' || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
	    minute > 59 || second > 60)
		return FALSE;
	ret_octets[0] = (guint8)(year >> 8);
	ret_octets[1] = (guint8)(year & 0xff);
	ret_octets[2] = (guint8)month;
	ret_octets[3] = (guint8)day;
	ret_octets[4] = (guint8)hour;
	ret_octets[5] = (guint8)minute;
	ret_octets[6] = (guint8)second;
	ret_octets[7] = (guint8)fraction;
	ret_octets[8] = '+'; /* UTC */
	ret_octets[9] = 0;
	ret_octets[10] = 0;
	return TRUE;
}

/* Adds one object of the notification, with its .0 instance.  0 or -1. */
static int
pdu_add_object(netsnmp_pdu *pdu, uint16_t field, u_char type, const void *value, size_t len,
               char *errbuf, size_t errlen)
{
	oid name[CHOPIN_MIB_MAX_OID_LEN];
	const ChopinMibObject *object = chopin_mib_object_by_field(field);
	size_t name_len = chopin_mib_object_oid(object, name, G_N_ELEMENTS(name));

	if (name_len == 0) {
		g_snprintf(errbuf, errlen, "no CHOPIN-MIB object for field %u", (unsigned)field);
		return -1;
	}
	if (snmp_pdu_add_variable(pdu, name, name_len, type, value, len) == NULL) {
		g_snprintf(errbuf, errlen, "cannot add %s to the PDU", object->name);
		return -1;
	}
	return 0;
}

/* An OCTET STRING object: the text, cut to the object's size on a character boundary. */
static int
pdu_add_text(netsnmp_pdu *pdu, uint16_t field, const char *text, char *errbuf, size_t errlen)
{
	const ChopinMibObject *object = chopin_mib_object_by_field(field);
	const char *value = text != NULL ? text : "";
	gsize max = object != NULL && object->max > 0 ? (gsize)object->max : 0;
	gsize len = notify_utf8_prefix(value, max);

	return pdu_add_object(pdu, field, ASN_OCTET_STR, value, len, errbuf, errlen);
}

int
notify_pdu_fill(netsnmp_pdu *pdu, const NotifyEntry *entry, u_long uptime_ticks, char *errbuf,
                size_t errlen)
{
	oid trap_oid[CHOPIN_MIB_MAX_OID_LEN];
	const ChopinMibNotification *notification = chopin_mib_notification_by_kind(
	    entry->cleared ? CHOPIN_KIND_ALARM_CLEARED : CHOPIN_KIND_ALARM_RAISED);
	size_t trap_oid_len =
	    chopin_mib_notification_oid(notification, trap_oid, G_N_ELEMENTS(trap_oid));

	if (trap_oid_len == 0) {
		g_snprintf(errbuf, errlen, "no CHOPIN-MIB alarm notification");
		return -1;
	}
	if (snmp_pdu_add_variable(pdu, sys_up_time_oid, G_N_ELEMENTS(sys_up_time_oid),
	                          ASN_TIMETICKS, &uptime_ticks, sizeof uptime_ticks) == NULL ||
	    snmp_pdu_add_variable(pdu, snmp_trap_oid_oid, G_N_ELEMENTS(snmp_trap_oid_oid),
	                          ASN_OBJECT_ID, trap_oid, trap_oid_len * sizeof(oid)) == NULL) {
		g_snprintf(errbuf, errlen, "cannot add sysUpTime.0 and snmpTrapOID.0 to the PDU");
		return -1;
	}
	/* the objects in the order of the OBJECTS clause, as the MIB table lists them */
	for (size_t i = 0; i < notification->n_objects; i++) {
		uint16_t field = notification->objects[i];
		int status;
		switch (field) {
		case CHOPIN_FIELD_ALARM_ID: {
			u_long id = notify_alarm_id(entry->alarm_id);
			status = pdu_add_object(pdu, field, ASN_UNSIGNED, &id, sizeof id, errbuf,
			                        errlen);
			break;
		}
		case CHOPIN_FIELD_ALARM_HOST:
			status = pdu_add_text(pdu, field, entry->host, errbuf, errlen);
			break;
		case CHOPIN_FIELD_ALARM_SERVICE:
			status = pdu_add_text(pdu, field, entry->service, errbuf, errlen);
			break;
		case CHOPIN_FIELD_ALARM_RULE:
			status = pdu_add_text(pdu, field, entry->rule, errbuf, errlen);
			break;
		case CHOPIN_FIELD_ALARM_SEVERITY: {
			long severity = notify_severity_value(entry->severity);
			status = pdu_add_object(pdu, field, ASN_INTEGER, &severity, sizeof severity,
			                        errbuf, errlen);
			break;
		}
		case CHOPIN_FIELD_ALARM_TEXT:
			status = pdu_add_text(pdu, field, entry->text, errbuf, errlen);
			break;
		case CHOPIN_FIELD_ALARM_KEY:
			status = pdu_add_text(pdu, field, entry->key, errbuf, errlen);
			break;
		case CHOPIN_FIELD_ALARM_COUNT: {
			u_long count = entry->count;
			status = pdu_add_object(pdu, field, ASN_UNSIGNED, &count, sizeof count,
			                        errbuf, errlen);
			break;
		}
		case CHOPIN_FIELD_ALARM_FIRST_SEEN: {
			guint8 octets[11];
			if (!notify_date_and_time(entry->first_seen, octets)) {
				g_snprintf(errbuf, errlen,
				           "alarm %" G_GUINT64_FORMAT
				           ": first seen time '%s' is not a date",
				           entry->alarm_id,
				           entry->first_seen ? entry->first_seen : "");
				return -1;
			}
			status = pdu_add_object(pdu, field, ASN_OCTET_STR, octets, sizeof octets,
			                        errbuf, errlen);
			break;
		}
		default:
			g_snprintf(errbuf, errlen,
			           "%s lists an object the correlator does not fill",
			           notification->name);
			return -1;
		}
		if (status < 0)
			return -1;
	}
	return 0;
}

gint64
notify_backoff_ms(guint failures, gint64 first_ms, gint64 max_ms)
{
	gint64 wait = MAX(first_ms, 1);

	for (guint i = 1; i < failures && wait < max_ms; i++)
		wait *= 2;
	return MIN(wait, max_ms);
}
