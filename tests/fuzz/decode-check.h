/* decode-check.h: chopin-trapd's SNMPv2c fast path against net-snmp's parser. */
#ifndef CHOPIN_DECODE_CHECK_H
#define CHOPIN_DECODE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "trapd.h"

typedef enum {
	DECODE_DECLINED,  /* the fast path left the datagram to net-snmp */
	DECODE_SAME,      /* both paths give the same PDU and the same record */
	DECODE_DIFFERENT, /* a defect: *why says what differs */
} DecodeCheck;

/* Initialises net-snmp (no configuration, no MIBs) and the buffers; once. */
void decode_check_init(void);
/*
 * Decodes @data with trapd_decode_trap2() and with snmp_parse(); when the fast
 * path accepts it, compares the PDUs and the records trapd_validate() makes of
 * them.  net-snmp's record must always encode and decode back.
 */
DecodeCheck decode_check(const uint8_t *data, size_t size, const char **why);

#endif
