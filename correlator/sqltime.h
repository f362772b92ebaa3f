/* Time conversions between SNMP DateAndTime, microseconds and SQL DATETIME(6) text. */
#ifndef CHOPIN_SQLTIME_H
#define CHOPIN_SQLTIME_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* DateAndTime (8 or 11 octets) to "YYYY-MM-DD hh:mm:ss.ffffff" UTC; FALSE if invalid. */
gboolean correlator_date_and_time_to_sql(const uint8_t *octets, size_t len, char *buf, size_t size);
/* DateAndTime to microseconds since the epoch; FALSE if invalid. */
gboolean correlator_date_and_time_to_us(const uint8_t *octets, size_t len, gint64 *ret_us);
/* Seconds since the epoch and microseconds to the same form. */
void correlator_time_to_sql(gint64 seconds, unsigned micros, char *buf, size_t size);
/* Microseconds since the epoch to the same form. */
void correlator_us_to_sql(uint64_t us, char *buf, size_t size);

#endif
