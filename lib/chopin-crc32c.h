/* CRC-32C (Castagnoli), the checksum of every spool record. */
#ifndef CHOPIN_CRC32C_H
#define CHOPIN_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * Extends @crc (0 for a fresh checksum) over @len bytes at @data and returns
 * the new value.  Chained calls equal one call over the concatenation.  Uses
 * the SSE4.2 instruction when the CPU has it, a table otherwise; both give
 * identical results.
 */
uint32_t chopin_crc32c(uint32_t crc, const void *data, size_t len);

/* The portable table implementation, exposed so tests can compare paths. */
uint32_t chopin_crc32c_portable(uint32_t crc, const void *data, size_t len);

#endif
