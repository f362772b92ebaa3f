/* Unit tests of the correlator's time conversions against the C library's (timegm, gmtime_r
 * and snprintf, which they replaced on the hot path for speed). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "sqltime.h"

/* What the code did before: gmtime_r and snprintf (into 128 bytes: room for any int). */
#define ORACLE_SIZE 128
static void
oracle_us_to_sql(uint64_t us, char *buf)
{
	size_t size = ORACLE_SIZE;
	time_t seconds = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&seconds, &tm);
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06u", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(us % 1000000));
}

/* What the code did before: timegm, with the same range checks. */
static int
oracle_date_and_time_to_us(const uint8_t *v, size_t len, int64_t *ret_us)
{
	if (len != 8 && len != 11)
		return 0;
	struct tm tm = {0};
	tm.tm_year = (v[0] << 8 | v[1]) - 1900;
	tm.tm_mon = v[2] - 1;
	tm.tm_mday = v[3];
	tm.tm_hour = v[4];
	tm.tm_min = v[5];
	tm.tm_sec = v[6] > 59 ? 59 : v[6];
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || v[4] > 23 ||
	    v[5] > 59 || v[7] > 9)
		return 0;
	time_t seconds = timegm(&tm);
	if (len == 11) {
		long offset = (long)v[9] * 3600 + (long)v[10] * 60;
		seconds += v[8] == '-' ? offset : -offset;
	}
	*ret_us = (int64_t)seconds * 1000000 + (int64_t)v[7] * 100000;
	return 1;
}

static void
test_known_values(void **state)
{
	(void)state;
	char buf[32];
	correlator_us_to_sql(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01 00:00:00.000000");
	correlator_us_to_sql(UINT64_C(1700000000123456), buf, sizeof buf);
	assert_string_equal(buf, "2023-11-14 22:13:20.123456");
	correlator_us_to_sql(UINT64_C(951782400000001), buf, sizeof buf); /* 2000-02-29 */
	assert_string_equal(buf, "2000-02-29 00:00:00.000001");
	correlator_us_to_sql(UINT64_C(253402300799999999), buf, sizeof buf);
	assert_string_equal(buf, "9999-12-31 23:59:59.999999");

	/* 2026-12-07 10:11:12.3, and the same moment as local time at UTC+01:30 */
	const uint8_t utc[8] = {0x07, 0xea, 12, 7, 10, 11, 12, 3};
	const uint8_t local[11] = {0x07, 0xea, 12, 7, 11, 41, 12, 3, '+', 1, 30};
	int64_t us = 0;
	assert_true(correlator_date_and_time_to_us(utc, sizeof utc, &us));
	assert_int_equal(us, INT64_C(1796638272300000));
	assert_true(correlator_date_and_time_to_sql(local, sizeof local, buf, sizeof buf));
	assert_string_equal(buf, "2026-12-07 10:11:12.300000");
}

static void
test_invalid_rejected(void **state)
{
	(void)state;
	int64_t us;
	char buf[32];
	const uint8_t month0[8] = {0x07, 0xea, 0, 7, 10, 11, 12, 3};
	const uint8_t month13[8] = {0x07, 0xea, 13, 7, 10, 11, 12, 3};
	const uint8_t day0[8] = {0x07, 0xea, 12, 0, 10, 11, 12, 3};
	const uint8_t hour24[8] = {0x07, 0xea, 12, 7, 24, 11, 12, 3};
	const uint8_t minute60[8] = {0x07, 0xea, 12, 7, 10, 60, 12, 3};
	const uint8_t decisecond10[8] = {0x07, 0xea, 12, 7, 10, 11, 12, 10};
	const uint8_t *bad[] = {month0, month13, day0, hour24, minute60, decisecond10};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(correlator_date_and_time_to_us(bad[i], 8, &us));
	assert_false(correlator_date_and_time_to_us(month0, 7, &us));
	/* before 1970: no SQL text */
	const uint8_t y1969[8] = {0x07, 0xb1, 12, 31, 23, 59, 59, 0};
	assert_true(correlator_date_and_time_to_us(y1969, 8, &us));
	assert_int_equal(us, -1000000);
	assert_false(correlator_date_and_time_to_sql(y1969, 8, buf, sizeof buf));
}

/* Every field at its edges and many random values: the same as the C library. */
static void
test_agrees_with_libc(void **state)
{
	(void)state;
	uint32_t x = 2463534242u; /* xorshift32 */
	for (int i = 0; i < 400000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		uint8_t v[11];
		unsigned year = i < 1000 ? 1969 + (unsigned)i % 8 : 1900 + x % 8200;
		v[0] = (uint8_t)(year >> 8);
		v[1] = (uint8_t)year;
		v[2] = (uint8_t)((x >> 3) % 14);  /* 0..13: some invalid */
		v[3] = (uint8_t)((x >> 7) % 33);  /* 0..32: past the month's end too */
		v[4] = (uint8_t)((x >> 11) % 25);
		v[5] = (uint8_t)((x >> 15) % 61);
		v[6] = (uint8_t)((x >> 19) % 62); /* 60, 61: leap seconds, clamped */
		v[7] = (uint8_t)((x >> 25) % 11);
		v[8] = (x & 1) ? '+' : '-';
		v[9] = (uint8_t)((x >> 1) % 15);
		v[10] = (uint8_t)((x >> 5) % 60);
		size_t len = (x >> 30) & 1 ? 11 : 8;
		int64_t ours = 0, theirs = 0;
		int ok = correlator_date_and_time_to_us(v, len, &ours);
		assert_int_equal(ok, oracle_date_and_time_to_us(v, len, &theirs));
		if (ok)
			assert_int_equal(ours, theirs);

		uint64_t us = ((uint64_t)x << 24 ^ (uint64_t)i * 7919) % UINT64_C(253402300800000000);
		char a[32], b[ORACLE_SIZE];
		correlator_us_to_sql(us, a, sizeof a);
		oracle_us_to_sql(us, b);
		assert_string_equal(a, b);
	}
}

/* Any second, negative and past year 9999 too (those take the snprintf path): the same
 * civil date and time as gmtime_r. */
static void
test_any_second_agrees_with_gmtime(void **state)
{
	(void)state;
	static const int64_t edges[] = {
	    -1, 0, 59, 86399, 86400, 951782399, 951782400, 951868800, 4107542400, 253402300799,
	    253402300800, -62135596800, -62135596801, -86400, -86401, 32503680000, 68169600000};
	uint64_t x = UINT64_C(88172645463325252); /* xorshift64 */
	for (int i = 0; i < 200000; i++) {
		int64_t seconds;
		if ((size_t)i < sizeof edges / sizeof edges[0]) {
			seconds = edges[i];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* about year -8000 to +10000 */
			seconds = (int64_t)(x % UINT64_C(568025136000)) - INT64_C(314622835200);
		}
		unsigned micros = (unsigned)(x % 1000000);
		char ours[64], theirs[ORACLE_SIZE];
		correlator_time_to_sql(seconds, micros, ours, sizeof ours);
		time_t t = (time_t)seconds;
		struct tm tm;
		assert_non_null(gmtime_r(&t, &tm));
		snprintf(theirs, sizeof theirs, "%04d-%02d-%02d %02d:%02d:%02d.%06u",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		         tm.tm_sec, micros);
		assert_string_equal(ours, theirs);
	}
}

static void
test_small_buffer(void **state)
{
	(void)state;
	char buf[27 + 4];
	memset(buf, 'x', sizeof buf);
	correlator_us_to_sql(UINT64_C(1700000000123456), buf, 27);
	assert_string_equal(buf, "2023-11-14 22:13:20.123456");
	assert_int_equal(buf[27], 'x');
	correlator_us_to_sql(UINT64_C(1700000000123456), buf, 11);
	assert_string_equal(buf, "2023-11-14");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_values),
	    cmocka_unit_test(test_invalid_rejected),
	    cmocka_unit_test(test_agrees_with_libc),
	    cmocka_unit_test(test_any_second_agrees_with_gmtime),
	    cmocka_unit_test(test_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
