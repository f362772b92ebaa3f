/* Fuzz target: a datagram through net-snmp's parser and chopin-trapd's validator, then the
 * record codec, and through trapd's SNMPv2c fast path, which must give the same PDU and
 * record whenever it accepts a datagram; also every input as a spool record.  Must never
 * crash, leak or read out of bounds. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode-check.h"

#include "chopin-record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ChopinRecord *record;
	size_t consumed;
	const char *why;

	if (record == NULL) {
		decode_check_init();
		record = malloc(sizeof *record);
	}

	/* the bytes as an SNMP message */
	if (decode_check(data, size, &why) == DECODE_DIFFERENT) {
		fprintf(stderr, "fuzz-receive: %s\n", why);
		abort();
	}

	/* the bytes as spool records */
	size_t offset = 0;
	while (offset < size && chopin_record_decode(data + offset, size - offset, record,
						      &consumed) == CHOPIN_RECORD_OK)
		offset += consumed;
	return 0;
}
