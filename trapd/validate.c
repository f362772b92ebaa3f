/* Validation of received notifications against CHOPIN-MIB, and quarantine of what fails. */
#include "config.h"

#include "trapd.h"

#include <string.h>

#include "chopin-mib.h"

static const oid sys_uptime_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid snmp_trap_oid_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
static const oid snmp_traps_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 5};

#define MAX_NOTIFICATION_OBJECTS 32

typedef struct {
	ChopinQuarantineReason reason;
	char detail[200];
} Verdict;

static void G_GNUC_PRINTF(3, 4)
verdict_fail(Verdict *verdict, ChopinQuarantineReason reason, const char *fmt, ...)
{
	va_list ap;

	if (verdict->reason != CHOPIN_QUARANTINE_NONE)
		return; /* the first problem is the one reported */
	verdict->reason = reason;
	va_start(ap, fmt);
	g_vsnprintf(verdict->detail, sizeof verdict->detail, fmt, ap);
	va_end(ap);
}

static gboolean
oid_equals(const oid *a, size_t a_len, const oid *b, size_t b_len)
{
	return a_len == b_len && memcmp(a, b, a_len * sizeof(oid)) == 0;
}

/*
 * The notification OID: snmpTrapOID.0 of an SNMPv2 PDU, or for SNMPv1 the
 * RFC 3584 3.1 mapping (enterprise.0.specific, or snmpTraps.generic+1).
 * Stores it in @record; returns the index of the first object varbind, or -1.
 */
static int
notification_oid(netsnmp_pdu *pdu, ChopinRecord *record, Verdict *verdict)
{
	oid buf[MAX_OID_LEN];
	size_t len = 0;
	int first_object;

	if (pdu->command == SNMP_MSG_TRAP) {
		if (pdu->trap_type == SNMP_TRAP_ENTERPRISESPECIFIC) {
			if (pdu->enterprise_length + 2 > MAX_OID_LEN) {
				verdict_fail(verdict, CHOPIN_QUARANTINE_MALFORMED,
					     "SNMPv1 enterprise OID too long");
				return -1;
			}
			memcpy(buf, pdu->enterprise, pdu->enterprise_length * sizeof(oid));
			len = pdu->enterprise_length;
			buf[len++] = 0;
			buf[len++] = (oid)pdu->specific_type;
		} else {
			memcpy(buf, snmp_traps_oid, sizeof snmp_traps_oid);
			len = G_N_ELEMENTS(snmp_traps_oid);
			buf[len++] = (oid)pdu->trap_type + 1;
		}
		record->flags |= CHOPIN_RECORD_FLAG_V1_CONVERTED;
		first_object = 0;
	} else {
		netsnmp_variable_list *uptime = pdu->variables;
		netsnmp_variable_list *trap_oid = uptime ? uptime->next_variable : NULL;
		if (uptime == NULL || trap_oid == NULL ||
		    !oid_equals(uptime->name, uptime->name_length, sys_uptime_oid,
				G_N_ELEMENTS(sys_uptime_oid)) ||
		    !oid_equals(trap_oid->name, trap_oid->name_length, snmp_trap_oid_oid,
				G_N_ELEMENTS(snmp_trap_oid_oid)) ||
		    trap_oid->type != ASN_OBJECT_ID) {
			verdict_fail(verdict, CHOPIN_QUARANTINE_MALFORMED,
				     "first varbinds are not sysUpTime.0 and snmpTrapOID.0");
			return -1;
		}
		len = trap_oid->val_len / sizeof(oid);
		if (len > MAX_OID_LEN)
			len = MAX_OID_LEN;
		memcpy(buf, trap_oid->val.objid, len * sizeof(oid));
		first_object = 2;
	}
	record->notification_oid_len = 0;
	for (size_t i = 0; i < len && i < CHOPIN_RECORD_MAX_OID_LEN; i++) {
		if (buf[i] > UINT32_MAX) {
			verdict_fail(verdict, CHOPIN_QUARANTINE_MALFORMED,
				     "notification OID sub-identifier over 2^32-1");
			return -1;
		}
		record->notification_oid[record->notification_oid_len++] = (uint32_t)buf[i];
	}
	return first_object;
}

static gboolean
date_and_time_valid(const uint8_t *v, size_t len)
{
	/* SNMPv2-TC DateAndTime: year(2) month day hour minutes seconds deci [dir hours minutes] */
	if (len != 8 && len != 11)
		return FALSE;
	if (v[2] < 1 || v[2] > 12 || v[3] < 1 || v[3] > 31 || v[4] > 23 || v[5] > 59 ||
	    v[6] > 60 || v[7] > 9)
		return FALSE;
	if (len == 11 && ((v[8] != '+' && v[8] != '-') || v[9] > 13 || v[10] > 59))
		return FALSE;
	return TRUE;
}

/* Checks one CHOPIN-MIB varbind and adds it to @record. */
static void
add_object(ChopinRecord *record, const ChopinMibObject *object, netsnmp_variable_list *vb,
	   Verdict *verdict)
{
	switch (object->syntax) {
	case CHOPIN_SYNTAX_OCTETS:
	case CHOPIN_SYNTAX_DATE_AND_TIME:
		if (vb->type != ASN_OCTET_STR) {
			verdict_fail(verdict, CHOPIN_QUARANTINE_WRONG_TYPE,
				     "%s: expected OCTET STRING, got ASN type 0x%02x", object->name,
				     vb->type);
			return;
		}
		if ((int64_t)vb->val_len < object->min || (int64_t)vb->val_len > object->max ||
		    (object->syntax == CHOPIN_SYNTAX_DATE_AND_TIME &&
		     !date_and_time_valid(vb->val.string, vb->val_len))) {
			verdict_fail(verdict, CHOPIN_QUARANTINE_OUT_OF_RANGE,
				     "%s: %zu octets, allowed %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
				     "%s",
				     object->name, vb->val_len, object->min, object->max,
				     object->syntax == CHOPIN_SYNTAX_DATE_AND_TIME
					     ? " (or not a valid DateAndTime)"
					     : "");
			return;
		}
		chopin_record_add_octets(record, object->field, vb->val.string, vb->val_len);
		return;
	case CHOPIN_SYNTAX_UNSIGNED32:
		if (vb->type != ASN_UNSIGNED && vb->type != ASN_UINTEGER) {
			verdict_fail(verdict, CHOPIN_QUARANTINE_WRONG_TYPE,
				     "%s: expected Unsigned32, got ASN type 0x%02x", object->name,
				     vb->type);
			return;
		}
		{
			uint64_t value = (uint64_t)(unsigned long)*vb->val.integer & 0xffffffffu;
			if ((int64_t)value < object->min || (int64_t)value > object->max) {
				verdict_fail(verdict, CHOPIN_QUARANTINE_OUT_OF_RANGE,
					     "%s: %" G_GUINT64_FORMAT " outside %" G_GINT64_FORMAT
					     "..%" G_GINT64_FORMAT,
					     object->name, value, object->min, object->max);
				return;
			}
			chopin_record_add_uint(record, object->field, value);
		}
		return;
	case CHOPIN_SYNTAX_INTEGER32:
		if (vb->type != ASN_INTEGER) {
			verdict_fail(verdict, CHOPIN_QUARANTINE_WRONG_TYPE,
				     "%s: expected INTEGER, got ASN type 0x%02x", object->name,
				     vb->type);
			return;
		}
		{
			int64_t value = (int64_t)*vb->val.integer;
			if (value < object->min || value > object->max) {
				verdict_fail(verdict, CHOPIN_QUARANTINE_OUT_OF_RANGE,
					     "%s: %" G_GINT64_FORMAT " outside %" G_GINT64_FORMAT
					     "..%" G_GINT64_FORMAT,
					     object->name, value, object->min, object->max);
				return;
			}
			chopin_record_add_int(record, object->field, value);
		}
		return;
	}
}

static gboolean
oid_under_root(const oid *name, size_t len)
{
	return len > chopin_mib_root_len &&
	       memcmp(name, chopin_mib_root, chopin_mib_root_len * sizeof(oid)) == 0;
}

/* Rewrites @record as a quarantined record holding every varbind as text. */
static void
quarantine(netsnmp_pdu *pdu, ChopinRecord *record, const Verdict *verdict, GString *scratch)
{
	size_t offsets[CHOPIN_RECORD_MAX_FIELDS], lengths[CHOPIN_RECORD_MAX_FIELDS];
	size_t n = 0;
	char text[1024];

	g_string_truncate(scratch, 0);
	offsets[n] = scratch->len;
	g_string_append(scratch, verdict->detail);
	lengths[n] = scratch->len - offsets[n];
	n++;
	for (netsnmp_variable_list *vb = pdu->variables;
	     vb != NULL && n < CHOPIN_RECORD_MAX_FIELDS; vb = vb->next_variable) {
		/* numeric OIDs: no MIBs are loaded; values are cut to keep records bounded */
		if (snprint_variable(text, sizeof text, vb->name, vb->name_length, vb) < 0)
			g_strlcpy(text, "(value too long)", sizeof text);
		offsets[n] = scratch->len;
		g_string_append(scratch, text);
		lengths[n] = scratch->len - offsets[n];
		n++;
	}
	record->n_fields = 0;
	record->flags |= CHOPIN_RECORD_FLAG_QUARANTINE;
	record->quarantine_reason = (uint8_t)verdict->reason;
	chopin_record_add_octets(record, CHOPIN_FIELD_QUARANTINE_DETAIL, scratch->str + offsets[0],
				 MIN(lengths[0], CHOPIN_RECORD_MAX_FIELD_LEN));
	for (size_t i = 1; i < n; i++)
		chopin_record_add_octets(record, (uint16_t)(CHOPIN_FIELD_RAW_VARBIND_BASE + i - 1),
					 scratch->str + offsets[i],
					 MIN(lengths[i], CHOPIN_RECORD_MAX_FIELD_LEN));
}

void
trapd_validate(netsnmp_pdu *pdu, ChopinRecord *record, GString *scratch)
{
	Verdict verdict = {CHOPIN_QUARANTINE_NONE, ""};
	const ChopinMibNotification *notification = NULL;
	gboolean seen[MAX_NOTIFICATION_OBJECTS] = {FALSE};
	oid name[MAX_OID_LEN];

	int first = notification_oid(pdu, record, &verdict);
	if (first >= 0) {
		for (size_t i = 0; i < record->notification_oid_len; i++)
			name[i] = record->notification_oid[i];
		notification = chopin_mib_notification_by_oid(name, record->notification_oid_len);
		if (notification == NULL)
			verdict_fail(&verdict, CHOPIN_QUARANTINE_UNKNOWN_NOTIFICATION,
				     "not a CHOPIN-MIB notification");
	}
	if (notification != NULL) {
		record->kind = notification->kind;
		netsnmp_variable_list *vb = pdu->variables;
		for (int i = 0; i < first && vb != NULL; i++)
			vb = vb->next_variable;
		for (; vb != NULL && verdict.reason == CHOPIN_QUARANTINE_NONE;
		     vb = vb->next_variable) {
			const ChopinMibObject *object =
				chopin_mib_object_by_oid(vb->name, vb->name_length, NULL);
			if (object == NULL) {
				if (oid_under_root(vb->name, vb->name_length))
					verdict_fail(&verdict, CHOPIN_QUARANTINE_UNKNOWN_VARBIND,
						     "unknown CHOPIN-MIB object in varbind");
				/* other MIBs' varbinds (e.g. added by a proxy) are allowed */
				continue;
			}
			size_t slot = 0;
			while (slot < notification->n_objects &&
			       notification->objects[slot] != object->field)
				slot++;
			if (slot == notification->n_objects || slot >= MAX_NOTIFICATION_OBJECTS) {
				verdict_fail(&verdict, CHOPIN_QUARANTINE_UNKNOWN_VARBIND,
					     "%s is not an object of %s", object->name,
					     notification->name);
			} else if (seen[slot]) {
				verdict_fail(&verdict, CHOPIN_QUARANTINE_DUPLICATE_VARBIND,
					     "%s appears twice", object->name);
			} else {
				seen[slot] = TRUE;
				add_object(record, object, vb, &verdict);
			}
		}
		for (size_t slot = 0; slot < notification->n_objects &&
				      verdict.reason == CHOPIN_QUARANTINE_NONE;
		     slot++) {
			if (!seen[slot])
				verdict_fail(&verdict, CHOPIN_QUARANTINE_MISSING_VARBIND,
					     "%s is missing",
					     chopin_mib_object_by_field(notification->objects[slot])->name);
		}
	}
	if (verdict.reason != CHOPIN_QUARANTINE_NONE) {
		quarantine(pdu, record, &verdict, scratch);
		return;
	}
	/* an accepted record's kind says which notification it was */
	record->notification_oid_len = 0;
}
