/* scenario-lex.c: splits scenario lines into tokens and parses numbers, sizes, durations and UTC
 * times. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "agent-sim.h"
#include "scenario-lex.h"

/* Copies a quoted string starting after its opening quote; *pos ends after the closing quote. */
static int
lex_quoted(const char *line, size_t len, size_t *pos, char **out, const char *out_end,
           char *ret_error, size_t error_size)
{
	size_t i = *pos;

	while (i < len && line[i] != '"') {
		char c = line[i];

		if (c == '\\') {
			if (i + 1 >= len) {
				snprintf(ret_error, error_size, "unterminated quoted string");
				return -1;
			}
			c = line[i + 1];
			if (c == 'n')
				c = '\n';
			else if (c != '"' && c != '\\') {
				snprintf(ret_error, error_size,
				         "unknown escape '\\%c' in quoted string", c);
				return -1;
			}
			i++;
		}
		if (*out >= out_end)
			goto too_long;
		*(*out)++ = c;
		i++;
	}
	if (i >= len) {
		snprintf(ret_error, error_size, "unterminated quoted string");
		return -1;
	}
	*pos = i + 1;
	return 0;
too_long:
	snprintf(ret_error, error_size, "line too long");
	return -1;
}

/* Copies a bare word; stops at space, '=', or the end. Quotes inside are errors. */
static int
lex_bare(const char *line, size_t len, size_t *pos, char **out, const char *out_end,
         bool stop_at_equal, char *ret_error, size_t error_size)
{
	size_t i = *pos;

	while (i < len && !isspace((unsigned char)line[i]) && !(stop_at_equal && line[i] == '=')) {
		if (line[i] == '"') {
			snprintf(ret_error, error_size, "unexpected quote inside a word");
			return -1;
		}
		if (*out >= out_end) {
			snprintf(ret_error, error_size, "line too long");
			return -1;
		}
		*(*out)++ = line[i++];
	}
	*pos = i;
	return 0;
}

int
lex_line(const char *line, size_t len, LexLine *ret_line, char *ret_error, size_t error_size)
{
	char *out = ret_line->buffer;
	const char *out_end = ret_line->buffer + LEX_MAX_LINE;
	size_t pos = 0;

	ret_line->n_tokens = 0;
	ret_line->opens_block = false;
	if (len > LEX_MAX_LINE) {
		snprintf(ret_error, error_size, "line too long (at most %d octets)", LEX_MAX_LINE);
		return -1;
	}
	for (;;) {
		LexToken *token;
		char *start;

		while (pos < len && isspace((unsigned char)line[pos]))
			pos++;
		if (pos >= len || line[pos] == '#')
			return 0;
		if (ret_line->opens_block) {
			snprintf(ret_error, error_size, "nothing may follow '{' on its line");
			return -1;
		}
		if (ret_line->n_tokens == LEX_MAX_TOKENS) {
			snprintf(ret_error, error_size, "too many words (at most %d)",
			         LEX_MAX_TOKENS);
			return -1;
		}
		token = &ret_line->tokens[ret_line->n_tokens];
		token->key = NULL;
		start = out;
		if (line[pos] == '"') {
			pos++;
			if (lex_quoted(line, len, &pos, &out, out_end, ret_error, error_size) < 0)
				return -1;
		} else {
			if (lex_bare(line, len, &pos, &out, out_end, true, ret_error, error_size) <
			    0)
				return -1;
			if (pos < len && line[pos] == '=') {
				if (out == start) {
					snprintf(ret_error, error_size, "'=' without a key");
					return -1;
				}
				if (out >= out_end)
					goto too_long;
				*out++ = '\0';
				token->key = start;
				start = out;
				pos++;
				if (pos < len && line[pos] == '"') {
					pos++;
					if (lex_quoted(line, len, &pos, &out, out_end, ret_error,
					               error_size) < 0)
						return -1;
				} else if (lex_bare(line, len, &pos, &out, out_end, false,
				                    ret_error, error_size) < 0) {
					return -1;
				}
			} else if (out - start == 1 && *start == '{') {
				out = start;
				ret_line->opens_block = true;
				continue;
			}
		}
		if (pos < len && !isspace((unsigned char)line[pos]) && line[pos] != '#') {
			snprintf(ret_error, error_size, "missing space after a quoted string");
			return -1;
		}
		if (out >= out_end)
			goto too_long;
		*out++ = '\0';
		token->value = start;
		ret_line->n_tokens++;
	}
too_long:
	snprintf(ret_error, error_size, "line too long");
	return -1;
}

int
lex_parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *ret_value)
{
	char *end;
	unsigned long long value;

	if (text == NULL || !isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || value < min || value > max)
		return -1;
	*ret_value = value;
	return 0;
}

int
lex_parse_i64(const char *text, int64_t min, int64_t max, int64_t *ret_value)
{
	char *end;
	long long value;

	if (text == NULL || !(isdigit((unsigned char)text[0]) || text[0] == '-'))
		return -1;
	errno = 0;
	value = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0' || end == text || value < min || value > max)
		return -1;
	*ret_value = value;
	return 0;
}

int
lex_parse_bool(const char *text, bool *ret_value)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*ret_value = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*ret_value = false;
			return 0;
		}
	}
	return -1;
}

int
lex_parse_size_mib(const char *text, uint32_t *ret_mib)
{
	static const struct {
		const char *unit;
		double mib;
	} units[] = {{"", 1},      {"MiB", 1},       {"MB", 1},      {"GiB", 1024},
	             {"GB", 1024}, {"TiB", 1048576}, {"TB", 1048576}};
	char *end;
	double value;

	if (text == NULL || !isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtod(text, &end);
	if (errno != 0 || !isfinite(value) || value < 0)
		return -1;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit) == 0) {
			double mib = floor(value * units[i].mib + 0.5);

			if (mib > (double)UINT32_MAX)
				return -1;
			*ret_mib = (uint32_t)mib;
			return 0;
		}
	}
	return -1;
}

int
scenario_parse_duration(const char *text, int64_t *ret_seconds)
{
	int64_t total = 0;
	const char *p = text;

	if (p == NULL)
		return -1;
	if (*p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (*p != '\0') {
		int64_t value = 0, unit;

		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p)) {
			if (value > INT64_C(1000000000000))
				return -1;
			value = value * 10 + (*p++ - '0');
		}
		switch (*p) {
		case '\0':
			unit = 1;
			break;
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		case 'w':
			unit = 7 * 86400;
			break;
		default:
			return -1;
		}
		if (*p != '\0')
			p++;
		total += value * unit;
		if (total > INT64_C(100) * 366 * 86400)
			return -1;
	}
	*ret_seconds = total;
	return 0;
}

int
scenario_parse_utc(const char *text, int64_t *ret_time)
{
	struct tm tm;
	int year, month, day, hour, minute, second, consumed = 0;
	time_t when;

	if (text == NULL || strlen(text) != 20)
		return -1;
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &year, &month, &day, &hour, &minute, &second,
	           &consumed) != 6 ||
	    consumed != 20)
		return -1;
	if (year < 1970 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31 ||
	    hour > 23 || minute > 59 || second > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	when = timegm(&tm);
	if (when == (time_t)-1 || tm.tm_mday != day) /* 31 April and the like */
		return -1;
	*ret_time = (int64_t)when;
	return 0;
}

int
lex_parse_hex(const char *text, unsigned char *ret, size_t max_len)
{
	size_t n = 0;

	if (text == NULL)
		return -1;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	if (*text == '\0' || strlen(text) % 2 != 0)
		return -1;
	for (; *text != '\0'; text += 2) {
		char pair[3] = {text[0], text[1], '\0'};

		if (!isxdigit((unsigned char)text[0]) || !isxdigit((unsigned char)text[1]) ||
		    n >= max_len)
			return -1;
		ret[n++] = (unsigned char)strtoul(pair, NULL, 16);
	}
	return (int)n;
}
