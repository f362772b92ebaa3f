/* Fuzz target: a datagram through net-snmp's parser and chopin-trapd's validator, then the
 * record codec; also every input as a spool record.  Must never crash, leak or read out of
 * bounds. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trapd.h"

#include "chopin-record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static netsnmp_session session;
static GString *scratch;
static ChopinRecord *record;

static void
fuzz_init(void)
{
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OID_OUTPUT_FORMAT,
			   NETSNMP_OID_OUTPUT_NUMERIC);
	snmp_disable_log();
	init_snmp("chopin-fuzz");
	/* a noAuthNoPriv user so SNMPv3 messages reach the scoped PDU */
	char user[] = "-e 0x80001f8805010203040506 fuzz";
	usm_parse_create_usmUser("createUser", user);
	snmp_sess_init(&session);
	session.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
	scratch = g_string_sized_new(4096);
	record = malloc(sizeof *record);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	uint8_t encoded[CHOPIN_RECORD_HEADER_SIZE + CHOPIN_RECORD_MAX_PAYLOAD];
	size_t len, consumed;

	if (!ready) {
		fuzz_init();
		ready = 1;
	}

	/* the bytes as an SNMP message */
	netsnmp_pdu *pdu = calloc(1, sizeof *pdu);
	uint8_t *copy = malloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	if (snmp_parse(NULL, &session, pdu, copy, size) == SNMPERR_SUCCESS &&
	    (pdu->command == SNMP_MSG_TRAP || pdu->command == SNMP_MSG_TRAP2 ||
	     pdu->command == SNMP_MSG_INFORM)) {
		chopin_record_clear(record);
		record->snmp_version = pdu->version == SNMP_VERSION_1 ? 1 : pdu->version == 3 ? 3 : 2;
		trapd_validate(pdu, record, scratch);
		/* whatever the validator built must encode and decode back */
		if (chopin_record_encode(record, encoded, sizeof encoded, &len) != CHOPIN_RECORD_OK)
			abort();
		if (chopin_record_decode(encoded, len, record, &consumed) != CHOPIN_RECORD_OK ||
		    consumed != len)
			abort();
	}
	snmp_free_pdu(pdu);
	free(copy);

	/* the bytes as spool records */
	size_t offset = 0;
	while (offset < size && chopin_record_decode(data + offset, size - offset, record,
						      &consumed) == CHOPIN_RECORD_OK)
		offset += consumed;
	return 0;
}
