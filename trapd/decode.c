/*
 * decode.c: a strict decoder for the common case, an SNMPv2c trap, that builds
 * the same PDU net-snmp's parser would, without its allocations.
 *
 * chopin-trapd spent half its CPU in snmp_parse() at 50,000 traps/s: a calloc
 * per varbind, a copy of every string and OID, and a free of each again.  This
 * decoder reads the message in place into a PDU shell whose varbinds point into
 * the datagram.  It accepts only what it is sure net-snmp reads the same way: a
 * v2c message whose every length is exact, one SNMPv2-Trap-PDU, INTEGERs of at
 * most four octets, unsigned values of at most five, OIDs of at most
 * TRAPD_FAST_OID_LEN arcs with minimal sub-identifiers, and OCTET STRING,
 * INTEGER, OBJECT IDENTIFIER, Counter32, Gauge32, TimeTicks and UInteger32
 * values.  Anything else (SNMPv1 and v3, informs, long or odd encodings,
 * malformed bytes) it declines, and net-snmp parses the datagram as before, so
 * a decline never changes what is accepted, refused or counted.
 * tests/fuzz/fuzz-receive.c and tests/unit/test-decode.c check that both
 * paths give the same record.
 */
#include "config.h"

#include "trapd.h"

#include <string.h>

#define TAG_SEQUENCE (ASN_SEQUENCE | ASN_CONSTRUCTOR)

/*
 * Reads a tag and a definite length (short form, or long form of one or two
 * octets) whose contents fit before @end.  Returns the contents, or NULL.
 */
static const uint8_t *
ber_header(const uint8_t *p, const uint8_t *end, uint8_t *tag, size_t *len)
{
	if (end - p < 2)
		return NULL;
	*tag = *p++;
	size_t n = *p++;
	if (n == 0x81) {
		if (end - p < 1)
			return NULL;
		n = p[0];
		p += 1;
	} else if (n == 0x82) {
		if (end - p < 2)
			return NULL;
		n = (size_t)p[0] << 8 | p[1];
		p += 2;
	} else if (n & 0x80) {
		return NULL;
	}
	if ((size_t)(end - p) < n)
		return NULL;
	*len = n;
	return p;
}

/* INTEGER contents of one to four octets, sign-extended as asn_parse_int does. */
static long
ber_signed(const uint8_t *p, size_t len)
{
	long v = (p[0] & 0x80) ? -1 : 0;
	for (size_t i = 0; i < len; i++)
		v = (long)((unsigned long)v << 8 | p[i]);
	return v;
}

/* An INTEGER of one to four octets. */
static const uint8_t *
ber_integer(const uint8_t *p, const uint8_t *end, long *value)
{
	uint8_t tag;
	size_t len;

	p = ber_header(p, end, &tag, &len);
	if (p == NULL || tag != ASN_INTEGER || len < 1 || len > 4)
		return NULL;
	*value = ber_signed(p, len);
	return p + len;
}

/*
 * OID contents into @arcs, the first octet split in two as net-snmp does.
 * Sub-identifiers must be minimal (no leading 0x80) and at most five octets
 * with a value up to 2^32-1.  Returns the number of arcs, or 0.
 */
static size_t
ber_oid(const uint8_t *p, size_t len, oid *arcs)
{
	size_t n = 1; /* arcs[0] is filled from the first sub-identifier */

	if (len == 0)
		return 0; /* net-snmp reads 06 00 as 0.0: rare enough to leave to it */
	for (size_t i = 0; i < len;) {
		if (n == TRAPD_FAST_OID_LEN || p[i] == 0x80)
			return 0;
		uint64_t sub = 0;
		size_t octets = 0;
		do {
			if (i == len || ++octets > 5)
				return 0;
			sub = sub << 7 | (p[i] & 0x7f);
		} while (p[i++] & 0x80);
		if (sub > 0xffffffffu)
			return 0;
		arcs[n++] = (oid)sub;
	}
	oid first = arcs[1];
	arcs[0] = first < 40 ? 0 : first < 80 ? 1 : 2;
	arcs[1] = first - arcs[0] * 40;
	return n;
}

/* One value into @vb; FALSE for a type or form left to net-snmp. */
static gboolean
decode_value(netsnmp_variable_list *vb, uint8_t tag, const uint8_t *p, size_t len, oid *arcs)
{
	vb->type = tag;
	switch (tag) {
	case ASN_OCTET_STR:
		vb->val.string = (u_char *)p;
		vb->val_len = len;
		return TRUE;
	case ASN_INTEGER:
		if (len < 1 || len > 4)
			return FALSE;
		*(long *)vb->buf = ber_signed(p, len);
		vb->val.integer = (long *)vb->buf;
		vb->val_len = sizeof(long);
		return TRUE;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_UINTEGER:
		/* asn_parse_unsigned_int: no sign, five octets only with a leading zero */
		if (len < 1 || len > 5 || (len == 5 && p[0] != 0))
			return FALSE;
		{
			unsigned long v = 0;
			for (size_t i = 0; i < len; i++)
				v = v << 8 | p[i];
			*(unsigned long *)vb->buf = v;
		}
		vb->val.integer = (long *)vb->buf;
		vb->val_len = sizeof(unsigned long);
		return TRUE;
	case ASN_OBJECT_ID: {
		size_t n = ber_oid(p, len, arcs);
		if (n == 0)
			return FALSE;
		vb->val.objid = arcs;
		vb->val_len = n * sizeof(oid);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

netsnmp_pdu *
trapd_decode_trap2(TrapdFastPdu *fast, const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size;
	const uint8_t *p;
	uint8_t tag;
	size_t len;
	long version, reqid, errstat, errindex;

	/* Message ::= SEQUENCE { version, community, data }, filling the datagram */
	p = ber_header(data, end, &tag, &len);
	if (p == NULL || tag != TAG_SEQUENCE || p + len != end)
		return NULL;
	p = ber_integer(p, end, &version);
	if (p == NULL || version != SNMP_VERSION_2c)
		return NULL;
	const uint8_t *community = ber_header(p, end, &tag, &len);
	if (community == NULL || tag != ASN_OCTET_STR || len > 255)
		return NULL;
	size_t community_len = len;
	p = community + len;
	/* SNMPv2-Trap-PDU, the rest of the message */
	p = ber_header(p, end, &tag, &len);
	if (p == NULL || tag != SNMP_MSG_TRAP2 || p + len != end)
		return NULL;
	if ((p = ber_integer(p, end, &reqid)) == NULL ||
	    (p = ber_integer(p, end, &errstat)) == NULL ||
	    (p = ber_integer(p, end, &errindex)) == NULL)
		return NULL;
	p = ber_header(p, end, &tag, &len);
	if (p == NULL || tag != TAG_SEQUENCE || p + len != end)
		return NULL;

	netsnmp_variable_list *prev = NULL;
	size_t n = 0;
	while (p < end) {
		if (n == TRAPD_FAST_VARBINDS)
			return NULL;
		netsnmp_variable_list *vb = &fast->varbinds[n];
		const uint8_t *bind = ber_header(p, end, &tag, &len);
		if (bind == NULL || tag != TAG_SEQUENCE)
			return NULL;
		const uint8_t *bind_end = bind + len;
		const uint8_t *name = ber_header(bind, bind_end, &tag, &len);
		if (name == NULL || tag != ASN_OBJECT_ID)
			return NULL;
		vb->name_length = ber_oid(name, len, vb->name_loc);
		if (vb->name_length == 0)
			return NULL;
		vb->name = vb->name_loc;
		const uint8_t *value = ber_header(name + len, bind_end, &tag, &len);
		if (value == NULL || value + len != bind_end ||
		    !decode_value(vb, tag, value, len, fast->values[n]))
			return NULL;
		vb->next_variable = NULL;
		if (prev != NULL)
			prev->next_variable = vb;
		prev = vb;
		n++;
		p = bind_end;
	}

	netsnmp_pdu *pdu = &fast->pdu;
	memset(pdu, 0, sizeof *pdu);
	pdu->version = SNMP_VERSION_2c;
	pdu->command = SNMP_MSG_TRAP2;
	pdu->reqid = reqid;
	pdu->errstat = errstat;
	pdu->errindex = errindex;
	pdu->community = (u_char *)community;
	pdu->community_len = community_len;
	pdu->securityModel = SNMP_SEC_MODEL_SNMPv2c;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->variables = n > 0 ? &fast->varbinds[0] : NULL;
	return pdu;
}
