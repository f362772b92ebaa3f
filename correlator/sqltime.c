/* Time conversions for SQL: DateAndTime and microseconds to DATETIME(6) text, by hand
 * (they run for every event row; see the functions). */
#include "config.h"

#include "sqltime.h"


/* @n as @width decimal digits at @p (leading zeros); returns the position after them. */
static char *
put_digits(char *p, unsigned n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return p + width;
}

/* The civil date of day @days since 1970-01-01 (proleptic Gregorian): gmtime(3)'s
 * arithmetic without its time zone lock, which showed in the correlator's profile. */
static void
civil_from_days(gint64 days, gint64 *ret_year, unsigned *ret_month, unsigned *ret_day)
{
	days += 719468;
	gint64 era = (days >= 0 ? days : days - 146096) / 146097;
	gint64 doe = days - era * 146097;
	gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	gint64 mp = (5 * doy + 2) / 153;
	*ret_day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*ret_month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*ret_year = yoe + era * 400 + (*ret_month <= 2);
}

/* "YYYY-MM-DD HH:MM:SS.ffffff": written digit by digit, as this runs twice per event row and
 * snprintf's format parsing was a tenth of the correlator's CPU. */
void
correlator_time_to_sql(gint64 seconds, unsigned micros, char *buf, size_t size)
{
	gint64 days = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
	unsigned second_of_day = (unsigned)(seconds - days * 86400);
	gint64 year;
	unsigned month, day;
	civil_from_days(days, &year, &month, &day);
	unsigned hour = second_of_day / 3600, minute = second_of_day / 60 % 60,
	         second = second_of_day % 60;
	if (size < sizeof "YYYY-MM-DD HH:MM:SS.ffffff" || year < 0 || year > 9999 ||
	    micros > 999999) {
		g_snprintf(buf, size, "%04" G_GINT64_FORMAT "-%02u-%02u %02u:%02u:%02u.%06u", year,
		           month, day, hour, minute, second, micros);
		return;
	}
	char *p = put_digits(buf, (unsigned)year, 4);
	*p++ = '-';
	p = put_digits(p, month, 2);
	*p++ = '-';
	p = put_digits(p, day, 2);
	*p++ = ' ';
	p = put_digits(p, hour, 2);
	*p++ = ':';
	p = put_digits(p, minute, 2);
	*p++ = ':';
	p = put_digits(p, second, 2);
	*p++ = '.';
	p = put_digits(p, micros, 6);
	*p = '\0';
}

void
correlator_us_to_sql(uint64_t us, char *buf, size_t size)
{
	correlator_time_to_sql((gint64)(us / 1000000), (unsigned)(us % 1000000), buf, size);
}

/* Days from 1970-01-01 to @year-@month-01 (proleptic Gregorian, @month 1..12), the
 * arithmetic timegm(3) does without its normalisation and locking. */
static gint64
days_from_civil(gint64 year, unsigned month)
{
	year -= month <= 2;
	gint64 era = (year >= 0 ? year : year - 399) / 400;
	gint64 yoe = year - era * 400;
	gint64 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5;
	gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

gboolean
correlator_date_and_time_to_us(const uint8_t *v, size_t len, gint64 *ret_us)
{
	if (len != 8 && len != 11)
		return FALSE;
	unsigned year = (unsigned)(v[0] << 8 | v[1]), month = v[2], day = v[3];
	unsigned second = v[6] > 59 ? 59 : v[6];
	if (month < 1 || month > 12 || day < 1 || day > 31 || v[4] > 23 || v[5] > 59 || v[7] > 9)
		return FALSE;
	/* a day past the month's end counts on into the next month, as timegm does */
	gint64 seconds = (days_from_civil(year, month) + day - 1) * 86400 + v[4] * 3600 +
	                 v[5] * 60 + second;
	if (len == 11) {
		/* local time with its offset from UTC: subtract the offset */
		long offset = (long)v[9] * 3600 + (long)v[10] * 60;
		seconds += v[8] == '-' ? offset : -offset;
	}
	*ret_us = seconds * 1000000 + (gint64)v[7] * 100000;
	return TRUE;
}

gboolean
correlator_date_and_time_to_sql(const uint8_t *v, size_t len, char *buf, size_t size)
{
	gint64 us;
	if (!correlator_date_and_time_to_us(v, len, &us) || us < 0)
		return FALSE;
	correlator_us_to_sql((uint64_t)us, buf, size);
	return TRUE;
}

