/* decode-check.c: chopin-trapd's SNMPv2c fast path against net-snmp's parser on one
 * datagram (shared by the fuzz target and tests/unit/test-decode.c). */
#include "config.h"

#include "decode-check.h"

#include <stdlib.h>
#include <string.h>

#include "chopin-record.h"

static netsnmp_session session;
static TrapdFastPdu *fast;
static GString *scratch;
static ChopinRecord *record;
static uint8_t *encoded[2];
static size_t encoded_len[2];

void
decode_check_init(void)
{
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OID_OUTPUT_FORMAT,
			   NETSNMP_OID_OUTPUT_NUMERIC);
	init_snmp("chopin-decode-check");
	/* net-snmp's parse errors ("bad type returned") to nowhere: with no handler at all
	 * it would write them to stderr */
	snmp_disable_log();
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
	/* a noAuthNoPriv user so SNMPv3 messages reach the scoped PDU */
	char user[] = "-e 0x80001f8805010203040506 fuzz";
	usm_parse_create_usmUser("createUser", user);
	snmp_sess_init(&session);
	session.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
	fast = calloc(1, sizeof *fast);
	scratch = g_string_sized_new(4096);
	record = malloc(sizeof *record);
	for (int i = 0; i < 2; i++)
		encoded[i] = malloc(CHOPIN_RECORD_HEADER_SIZE + CHOPIN_RECORD_MAX_PAYLOAD);
}

/* The record trapd_validate makes of @pdu, encoded into encoded[@which]. */
static gboolean
validate_encode(netsnmp_pdu *pdu, int which)
{
	chopin_record_clear(record);
	record->snmp_version = pdu->version == SNMP_VERSION_1 ? 1 : pdu->version == 3 ? 3 : 2;
	trapd_validate(pdu, record, scratch);
	if (chopin_record_encode(record, encoded[which],
				 CHOPIN_RECORD_HEADER_SIZE + CHOPIN_RECORD_MAX_PAYLOAD,
				 &encoded_len[which]) != CHOPIN_RECORD_OK)
		return FALSE;
	/* what the validator built must decode back */
	size_t consumed;
	return chopin_record_decode(encoded[which], encoded_len[which], record, &consumed) ==
		       CHOPIN_RECORD_OK &&
	       consumed == encoded_len[which];
}

static const char *
compare_varbinds(const netsnmp_variable_list *a, const netsnmp_variable_list *b)
{
	for (; a != NULL && b != NULL; a = a->next_variable, b = b->next_variable) {
		if (snmp_oid_compare(a->name, a->name_length, b->name, b->name_length) != 0)
			return "a varbind's name differs";
		if (a->type != b->type || a->val_len != b->val_len)
			return "a varbind's type or length differs";
		switch (a->type) {
		case ASN_INTEGER:
		case ASN_COUNTER:
		case ASN_GAUGE:
		case ASN_TIMETICKS:
		case ASN_UINTEGER:
			if (*a->val.integer != *b->val.integer)
				return "a varbind's number differs";
			break;
		case ASN_OBJECT_ID:
			if (memcmp(a->val.objid, b->val.objid, a->val_len) != 0)
				return "a varbind's OID value differs";
			break;
		default:
			if (a->val_len > 0 && memcmp(a->val.string, b->val.string, a->val_len) != 0)
				return "a varbind's octets differ";
			break;
		}
	}
	return a == NULL && b == NULL ? NULL : "the number of varbinds differs";
}

DecodeCheck
decode_check(const uint8_t *data, size_t size, const char **why)
{
	DecodeCheck result = DECODE_DECLINED;

	*why = NULL;
	netsnmp_pdu *shell = trapd_decode_trap2(fast, data, size);

	netsnmp_pdu *pdu = calloc(1, sizeof *pdu);
	uint8_t *copy = malloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	gboolean parsed = snmp_parse(NULL, &session, pdu, copy, size) == SNMPERR_SUCCESS;
	if (parsed && (pdu->command == SNMP_MSG_TRAP || pdu->command == SNMP_MSG_TRAP2 ||
		       pdu->command == SNMP_MSG_INFORM) &&
	    !validate_encode(pdu, 0)) {
		*why = "net-snmp's record does not encode and decode back";
		result = DECODE_DIFFERENT;
		goto out;
	}
	if (shell == NULL)
		goto out;
	result = DECODE_DIFFERENT;
	if (!parsed)
		*why = "the fast path accepted what net-snmp refuses";
	else if (pdu->version != shell->version || pdu->command != shell->command)
		*why = "version or PDU type differs";
	else if (pdu->community_len != shell->community_len ||
		 (pdu->community_len > 0 &&
		  memcmp(pdu->community, shell->community, pdu->community_len) != 0))
		*why = "community differs";
	else if (pdu->reqid != shell->reqid || pdu->errstat != shell->errstat ||
		 pdu->errindex != shell->errindex)
		*why = "request-id, error-status or error-index differs";
	else if ((*why = compare_varbinds(pdu->variables, shell->variables)) != NULL)
		;
	else if (!validate_encode(shell, 1))
		*why = "the fast path's record does not encode and decode back";
	else if (encoded_len[0] != encoded_len[1] ||
		 memcmp(encoded[0], encoded[1], encoded_len[0]) != 0)
		*why = "the records differ";
	else
		result = DECODE_SAME;
out:
	snmp_free_pdu(pdu);
	free(copy);
	return result;
}
