/* timespec: --since / --until values (ISO 8601 or relative) and DATETIME text conversions. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

/* The DATETIME range of MySQL and MariaDB. */
#define YEAR_MIN 1000
#define YEAR_MAX 9999

/* Reads exactly n digits at *p into *ret (advancing *p). */
static gboolean
read_digits(const char **p, guint n, gint *ret)
{
	gint value = 0;

	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit((*p)[i]))
			return FALSE;
		value = value * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*ret = value;
	return TRUE;
}

/* An ISO 8601 date or date-time; FALSE when text is anything else or not a real date. */
static gboolean
time_parse_iso(const char *text, gint64 *ret_us)
{
	const char *p = text;
	gint year, month, day, hour = 0, minute = 0, second = 0, offset_minutes = 0;
	gint64 fraction_us = 0;

	if (!read_digits(&p, 4, &year) || *p++ != '-' || !read_digits(&p, 2, &month) ||
	    *p++ != '-' || !read_digits(&p, 2, &day))
		return FALSE;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &minute))
			return FALSE;
		if (*p == ':') {
			p++;
			if (!read_digits(&p, 2, &second))
				return FALSE;
			if (*p == '.' || *p == ',') {
				gint64 scale = 100000;
				p++;
				if (!g_ascii_isdigit(*p))
					return FALSE;
				for (; g_ascii_isdigit(*p); p++) {
					fraction_us += (*p - '0') * scale;
					scale /= 10; /* digits beyond microseconds are dropped */
				}
			}
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			gint sign = *p++ == '-' ? -1 : 1, oh, om = 0;
			if (!read_digits(&p, 2, &oh))
				return FALSE;
			if (*p == ':')
				p++;
			if (g_ascii_isdigit(*p) && !read_digits(&p, 2, &om))
				return FALSE;
			if (oh > 23 || om > 59)
				return FALSE;
			offset_minutes = sign * (oh * 60 + om);
		}
	}
	if (*p != '\0' || year < YEAR_MIN || year > YEAR_MAX || hour > 23 || minute > 59 ||
	    second > 59)
		return FALSE;
	g_autoptr(GDateTime) time = g_date_time_new_utc(year, month, day, hour, minute, second);
	if (time == NULL)
		return FALSE; /* February 30th and the like */
	*ret_us = g_date_time_to_unix(time) * G_USEC_PER_SEC + fraction_us -
	          (gint64)offset_minutes * 60 * G_USEC_PER_SEC;
	return TRUE;
}

gboolean
ctl_time_parse(const char *text, gint64 now_us, gint64 *ret_us, GError **error)
{
	gint64 ms;

	g_return_val_if_fail(text != NULL && ret_us != NULL, FALSE);
	if (strcmp(text, "now") == 0) {
		*ret_us = now_us;
		return TRUE;
	}
	if (g_ascii_isdigit(text[0]) && chopin_config_parse_duration(text, &ms)) {
		/* a bare number is no duration (the unit would be a guess) */
		if (ms > (gint64)3650 * 86400 * 1000) {
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "'%s': more than ten years back", text);
			return FALSE;
		}
		*ret_us = now_us - ms * 1000;
		return TRUE;
	}
	if (time_parse_iso(text, ret_us))
		return TRUE;
	g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
	            "'%s' is not a time: expected a date or date-time such as 2026-08-01 or "
	            "2026-08-01T12:00:00Z, a duration back from now such as 7d, 24h, 30m or "
	            "1h30m, or 'now'",
	            text);
	return FALSE;
}

gboolean
ctl_time_range_parse(const char *since, const char *until, gint64 now_us, CtlTimeRange *ret_range,
                     GError **error)
{
	CtlTimeRange range = {G_MININT64, G_MAXINT64};
	g_autoptr(GError) local = NULL;

	if (since != NULL && !ctl_time_parse(since, now_us, &range.since_us, &local)) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "bad time range: --since %s",
		            local->message);
		return FALSE;
	}
	if (until != NULL && !ctl_time_parse(until, now_us, &range.until_us, &local)) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "bad time range: --until %s",
		            local->message);
		return FALSE;
	}
	if (range.since_us >= range.until_us) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "bad time range: --since %s is not before --until %s", since, until);
		return FALSE;
	}
	*ret_range = range;
	return TRUE;
}

void
ctl_time_to_sql(gint64 us, char *buf, gsize size)
{
	gint64 seconds = us / G_USEC_PER_SEC, micro = us % G_USEC_PER_SEC;

	if (micro < 0) {
		micro += G_USEC_PER_SEC;
		seconds--;
	}
	g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(seconds);
	if (time == NULL) {
		g_strlcpy(buf, "1000-01-01 00:00:00.000000", size);
		return;
	}
	g_snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06d", g_date_time_get_year(time),
	           g_date_time_get_month(time), g_date_time_get_day_of_month(time),
	           g_date_time_get_hour(time), g_date_time_get_minute(time),
	           g_date_time_get_second(time), (int)micro);
}

char *
ctl_time_sql_to_iso(const char *sql)
{
	/* "YYYY-MM-DD hh:mm:ss" is 19 characters; an optional ".f..." follows */
	if (sql == NULL || strlen(sql) < 19 || sql[10] != ' ')
		return NULL;
	for (guint i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && !g_ascii_isdigit(sql[i]))
			return NULL;
	const char *fraction = sql + 19;
	gboolean zero = TRUE;
	if (*fraction != '\0') {
		if (*fraction != '.' || fraction[1] == '\0')
			return NULL;
		for (const char *p = fraction + 1; *p != '\0'; p++) {
			if (!g_ascii_isdigit(*p))
				return NULL;
			if (*p != '0')
				zero = FALSE;
		}
	}
	GString *iso = g_string_new_len(sql, 19);
	iso->str[10] = 'T';
	if (!zero)
		g_string_append(iso, fraction);
	g_string_append_c(iso, 'Z');
	return g_string_free(iso, FALSE);
}
