/* chopin-nagios: Monitoring Plugins states, threshold ranges, perfdata and plugin output. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chopin-nagios.h"

/* Longest number text the range parser converts (digits beyond are out of range anyway). */
#define NUMBER_TEXT_MAX 400
/* Significant digits printed; doubles carry 15 to 17. */
#define NUMBER_PRECISION 15
/* Most decimals printed for tiny numbers: beyond, they print as 0. */
#define NUMBER_DECIMALS_MAX 20

struct ChopinOutput {
	char *service;
	ChopinState state;
	char *summary;
	char **lines;
	size_t n_lines;
	char **perfdata[2]; /* indexed by ChopinPerfdataPlace */
	size_t n_perfdata[2];
};

static const char *const state_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

static void errbuf_printf(char *errbuf, size_t errbuf_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void
errbuf_printf(char *errbuf, size_t errbuf_size, const char *format, ...)
{
	va_list args;

	if (errbuf == NULL || errbuf_size == 0)
		return;
	va_start(args, format);
	vsnprintf(errbuf, errbuf_size, format, args);
	va_end(args);
}

const char *
chopin_state_name(ChopinState state)
{
	if ((unsigned)state >= sizeof(state_names) / sizeof(state_names[0]))
		return "UNKNOWN";
	return state_names[state];
}

static int
state_rank(ChopinState state)
{
	switch (state) {
	case CHOPIN_STATE_OK:
		return 0;
	case CHOPIN_STATE_UNKNOWN:
		return 1;
	case CHOPIN_STATE_WARNING:
		return 2;
	case CHOPIN_STATE_CRITICAL:
		return 3;
	default:
		return 1;
	}
}

ChopinState
chopin_state_worst(ChopinState a, ChopinState b)
{
	return state_rank(a) >= state_rank(b) ? a : b;
}

/* ---- numbers, always in the C locale ---- */

static double
strtod_c(const char *text, int *ret_errno)
{
	locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t previous = (locale_t)0;
	double value;

	if (c_locale != (locale_t)0)
		previous = uselocale(c_locale);
	errno = 0;
	value = strtod(text, NULL);
	*ret_errno = errno;
	if (c_locale != (locale_t)0) {
		uselocale(previous);
		freelocale(c_locale);
	}
	return value;
}

static int snprintf_c(char *buf, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int
snprintf_c(char *buf, size_t size, const char *format, ...)
{
	locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t previous = (locale_t)0;
	va_list args;
	int length;

	if (c_locale != (locale_t)0)
		previous = uselocale(c_locale);
	va_start(args, format);
	length = vsnprintf(buf, size, format, args);
	va_end(args);
	if (c_locale != (locale_t)0) {
		uselocale(previous);
		freelocale(c_locale);
	}
	return length;
}

int
chopin_number_format(double value, char *buf, size_t size)
{
	int length;

	if (buf == NULL || size == 0 || !isfinite(value))
		return -1;
	if (value == 0) /* also -0 */
		return snprintf(buf, size, "0") < (int)size ? 0 : -1;
	length = snprintf_c(buf, size, "%.*g", NUMBER_PRECISION, value);
	if (length < 0)
		return -1;
	if ((size_t)length < size && strchr(buf, 'e') == NULL)
		return 0;
	/* %g chose an exponent (or did not fit): write it out positionally */
	{
		char scientific[64];
		const char *e;
		char *end;
		int exponent, decimals;

		/* the decimal exponent, as printf rounds it */
		snprintf_c(scientific, sizeof(scientific), "%.*e", NUMBER_PRECISION - 1, value);
		e = strchr(scientific, 'e');
		exponent = e != NULL ? atoi(e + 1) : 0;
		decimals = exponent >= NUMBER_PRECISION ? 0 : NUMBER_PRECISION - 1 - exponent;

		if (decimals > NUMBER_DECIMALS_MAX)
			decimals = NUMBER_DECIMALS_MAX;
		length = snprintf_c(buf, size, "%.*f", decimals, value);
		if (length < 0 || (size_t)length >= size)
			return -1;
		if (strchr(buf, '.') != NULL) {
			end = buf + length;
			while (end[-1] == '0')
				*--end = '\0';
			if (end[-1] == '.')
				*--end = '\0';
		}
		if (strcmp(buf, "-0") == 0)
			strcpy(buf, "0");
	}
	return 0;
}

/* ---- ranges ---- */

/* Parse one bound, text[0..length), a plain decimal number. */
static int
bound_parse(const char *whole, const char *text, size_t length, double *ret_value, char *errbuf,
            size_t errbuf_size)
{
	char number[NUMBER_TEXT_MAX + 1];
	const char *p = text, *end = text + length;
	size_t digits = 0;
	int saved_errno;

	if (p < end && (*p == '+' || *p == '-'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		digits++;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			digits++;
	if (digits == 0) {
		errbuf_printf(errbuf, errbuf_size, "invalid range '%s': '%.*s' is not a number",
		              whole, (int)length, text);
		return -1;
	}
	if (p < end) {
		errbuf_printf(errbuf, errbuf_size,
		              "invalid range '%s': unexpected '%.*s' after '%.*s'", whole,
		              (int)(end - p), p, (int)(p - text), text);
		return -1;
	}
	if (length > NUMBER_TEXT_MAX) {
		errbuf_printf(errbuf, errbuf_size, "invalid range '%s': number too long", whole);
		return -1;
	}
	memcpy(number, text, length);
	number[length] = '\0';
	*ret_value = strtod_c(number, &saved_errno);
	if (!isfinite(*ret_value)) {
		errbuf_printf(errbuf, errbuf_size, "invalid range '%s': number '%s' out of range",
		              whole, number);
		return -1;
	}
	return 0;
}

int
chopin_range_parse(const char *text, ChopinRange *ret_range, char *errbuf, size_t errbuf_size)
{
	ChopinRange range = {0};
	const char *p = text, *colon;

	if (ret_range == NULL) {
		errbuf_printf(errbuf, errbuf_size, "no range to fill");
		return -1;
	}
	if (text == NULL || *text == '\0') {
		errbuf_printf(errbuf, errbuf_size, "invalid range '': empty");
		return -1;
	}
	if (*p == '@') {
		range.inside = true;
		p++;
	}
	if (*p == '\0') {
		errbuf_printf(errbuf, errbuf_size, "invalid range '%s': empty", text);
		return -1;
	}
	colon = strchr(p, ':');
	if (colon != NULL) {
		if (colon == p + 1 && *p == '~') {
			range.start_infinite = true;
		} else if (colon == p) {
			range.start = 0;
		} else if (bound_parse(text, p, (size_t)(colon - p), &range.start, errbuf,
		                       errbuf_size) < 0) {
			return -1;
		}
		p = colon + 1;
		if (*p == '\0' && colon == text + (range.inside ? 1 : 0)) {
			errbuf_printf(errbuf, errbuf_size,
			              "invalid range '%s': no start and no end", text);
			return -1;
		}
	}
	if (*p == '~') {
		errbuf_printf(
		    errbuf, errbuf_size,
		    "invalid range '%s': '~' (negative infinity) is only allowed as start", text);
		return -1;
	}
	if (*p == '\0') {
		range.end_infinite = true; /* "10:" */
	} else if (bound_parse(text, p, strlen(p), &range.end, errbuf, errbuf_size) < 0) {
		return -1;
	}
	if (!range.start_infinite && !range.end_infinite && range.start > range.end) {
		errbuf_printf(errbuf, errbuf_size, "invalid range '%s': start greater than end",
		              text);
		return -1;
	}
	*ret_range = range;
	return 0;
}

bool
chopin_range_alerts(const ChopinRange *range, double value)
{
	bool within;

	if (isnan(value))
		return true;
	within = (range->start_infinite || value >= range->start) &&
	         (range->end_infinite || value <= range->end);
	return range->inside ? within : !within;
}

int
chopin_range_format(const ChopinRange *range, char *buf, size_t size)
{
	char start[64] = "", end[64] = "";
	int length;

	if (buf == NULL || size == 0)
		return -1;
	if (range->start_infinite)
		strcpy(start, "~:");
	else if (range->start != 0 || range->end_infinite) {
		if (chopin_number_format(range->start, start, sizeof(start) - 1) < 0)
			return -1;
		strcat(start, ":");
	}
	if (!range->end_infinite && chopin_number_format(range->end, end, sizeof(end)) < 0)
		return -1;
	length = snprintf(buf, size, "%s%s%s", range->inside ? "@" : "", start, end);
	return length >= 0 && (size_t)length < size ? 0 : -1;
}

int
chopin_thresholds_parse(ChopinThresholds *ret_thresholds, const char *warning, const char *critical,
                        char *errbuf, size_t errbuf_size)
{
	ChopinThresholds thresholds = {0};
	char message[256];

	if (ret_thresholds == NULL) {
		errbuf_printf(errbuf, errbuf_size, "no thresholds to fill");
		return -1;
	}
	if (warning != NULL) {
		if (chopin_range_parse(warning, &thresholds.warning, message, sizeof(message)) <
		    0) {
			errbuf_printf(errbuf, errbuf_size, "warning threshold: %s", message);
			return -1;
		}
		thresholds.has_warning = true;
	}
	if (critical != NULL) {
		if (chopin_range_parse(critical, &thresholds.critical, message, sizeof(message)) <
		    0) {
			errbuf_printf(errbuf, errbuf_size, "critical threshold: %s", message);
			return -1;
		}
		thresholds.has_critical = true;
	}
	*ret_thresholds = thresholds;
	return 0;
}

ChopinState
chopin_thresholds_evaluate(const ChopinThresholds *thresholds, double value)
{
	if (thresholds->has_critical && chopin_range_alerts(&thresholds->critical, value))
		return CHOPIN_STATE_CRITICAL;
	if (thresholds->has_warning && chopin_range_alerts(&thresholds->warning, value))
		return CHOPIN_STATE_WARNING;
	return CHOPIN_STATE_OK;
}

/* ---- perfdata ---- */

static bool
uom_is_valid(const char *uom)
{
	static const char *const valid[] = {"",   "s",  "ms", "us", "%", "B",
	                                    "KB", "MB", "GB", "TB", "c"};

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		if (strcmp(uom, valid[i]) == 0)
			return true;
	return false;
}

/* Appends to buf at *pos; sets *overflow instead of writing past size. */
static void
append(char *buf, size_t size, size_t *pos, bool *overflow, const char *text)
{
	size_t length = strlen(text);

	if (*overflow || *pos + length >= size) {
		*overflow = true;
		return;
	}
	memcpy(buf + *pos, text, length + 1);
	*pos += length;
}

int
chopin_perfdata_format(const ChopinPerfdata *perfdata, char *buf, size_t size, char *errbuf,
                       size_t errbuf_size)
{
	const char *uom = perfdata->uom != NULL ? perfdata->uom : "";
	const char *label = perfdata->label;
	char fields[4][80] = {"", "", "", ""};
	char value[80];
	size_t pos = 0;
	bool overflow = false, quote;
	int last = -1;

	if (buf == NULL || size == 0) {
		errbuf_printf(errbuf, errbuf_size, "no buffer");
		return -1;
	}
	buf[0] = '\0';
	if (label == NULL || *label == '\0') {
		errbuf_printf(errbuf, errbuf_size, "perfdata label is empty");
		return -1;
	}
	if (strpbrk(label, "|\n\r") != NULL) {
		errbuf_printf(errbuf, errbuf_size,
		              "perfdata label '%s' contains '|' or a line break", label);
		return -1;
	}
	if (!uom_is_valid(uom)) {
		errbuf_printf(
		    errbuf, errbuf_size,
		    "perfdata '%s': invalid unit '%s' (valid: s ms us %% B KB MB GB TB c)", label,
		    uom);
		return -1;
	}
	if (!isfinite(perfdata->value))
		strcpy(value, "U");
	else if (chopin_number_format(perfdata->value, value, sizeof(value)) < 0)
		goto too_small;
	if (perfdata->warning != NULL &&
	    chopin_range_format(perfdata->warning, fields[0], sizeof(fields[0])) < 0)
		goto too_small;
	if (perfdata->critical != NULL &&
	    chopin_range_format(perfdata->critical, fields[1], sizeof(fields[1])) < 0)
		goto too_small;
	if (perfdata->has_min &&
	    chopin_number_format(perfdata->min, fields[2], sizeof(fields[2])) < 0)
		goto too_small;
	if (perfdata->has_max &&
	    chopin_number_format(perfdata->max, fields[3], sizeof(fields[3])) < 0)
		goto too_small;

	quote = strpbrk(label, " \t='") != NULL;
	if (quote) {
		append(buf, size, &pos, &overflow, "'");
		for (const char *p = label; *p != '\0'; p++) {
			char one[3] = {*p, '\0', '\0'};
			if (*p == '\'')
				one[1] = '\'';
			append(buf, size, &pos, &overflow, one);
		}
		append(buf, size, &pos, &overflow, "'");
	} else {
		append(buf, size, &pos, &overflow, label);
	}
	append(buf, size, &pos, &overflow, "=");
	append(buf, size, &pos, &overflow, value);
	if (strcmp(value, "U") != 0)
		append(buf, size, &pos, &overflow, uom);
	for (int i = 0; i < 4; i++)
		if (fields[i][0] != '\0')
			last = i;
	for (int i = 0; i <= last; i++) {
		append(buf, size, &pos, &overflow, ";");
		append(buf, size, &pos, &overflow, fields[i]);
	}
	if (!overflow)
		return 0;
too_small:
	errbuf_printf(errbuf, errbuf_size, "perfdata '%s': buffer too small", label);
	if (size > 0)
		buf[0] = '\0';
	return -1;
}

/* ---- output builder ---- */

static char *__attribute__((format(printf, 1, 0)))
text_vformat(const char *format, va_list args)
{
	va_list copy;
	char *text;
	int length;

	va_copy(copy, args);
	length = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (length < 0)
		return NULL;
	text = malloc((size_t)length + 1);
	if (text == NULL)
		return NULL;
	vsnprintf(text, (size_t)length + 1, format, args);
	/* keep plugin text on its line and out of the perfdata */
	for (char *p = text; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
		else if (*p == '|')
			*p = '/';
	}
	return text;
}

static int
strings_append(char ***items, size_t *n_items, char *text)
{
	char **grown = realloc(*items, (*n_items + 1) * sizeof(char *));

	if (grown == NULL) {
		free(text);
		return -1;
	}
	grown[(*n_items)++] = text;
	*items = grown;
	return 0;
}

static void
strings_free(char **items, size_t n_items)
{
	for (size_t i = 0; i < n_items; i++)
		free(items[i]);
	free(items);
}

ChopinOutput *
chopin_output_new(const char *service)
{
	ChopinOutput *output = calloc(1, sizeof(*output));

	if (output == NULL)
		return NULL;
	output->service = strdup(service != NULL ? service : "");
	output->summary = strdup("");
	if (output->service == NULL || output->summary == NULL) {
		chopin_output_free(output);
		return NULL;
	}
	output->state = CHOPIN_STATE_OK;
	return output;
}

void
chopin_output_free(ChopinOutput *output)
{
	if (output == NULL)
		return;
	free(output->service);
	free(output->summary);
	strings_free(output->lines, output->n_lines);
	for (int i = 0; i < 2; i++)
		strings_free(output->perfdata[i], output->n_perfdata[i]);
	free(output);
}

void
chopin_output_set_state(ChopinOutput *output, ChopinState state)
{
	output->state = state;
}

void
chopin_output_raise_state(ChopinOutput *output, ChopinState state)
{
	output->state = chopin_state_worst(output->state, state);
}

ChopinState
chopin_output_get_state(const ChopinOutput *output)
{
	return output->state;
}

int
chopin_output_set_summary(ChopinOutput *output, const char *format, ...)
{
	va_list args;
	char *text;

	va_start(args, format);
	text = text_vformat(format, args);
	va_end(args);
	if (text == NULL)
		return -1;
	free(output->summary);
	output->summary = text;
	return 0;
}

int
chopin_output_add_line(ChopinOutput *output, const char *format, ...)
{
	va_list args;
	char *text;

	va_start(args, format);
	text = text_vformat(format, args);
	va_end(args);
	if (text == NULL)
		return -1;
	return strings_append(&output->lines, &output->n_lines, text);
}

int
chopin_output_add_perfdata(ChopinOutput *output, ChopinPerfdataPlace place,
                           const ChopinPerfdata *perfdata, char *errbuf, size_t errbuf_size)
{
	char item[1024];
	char *copy;

	if (place != CHOPIN_PERFDATA_STATUS_LINE && place != CHOPIN_PERFDATA_LONG_OUTPUT) {
		errbuf_printf(errbuf, errbuf_size, "invalid perfdata place %d", (int)place);
		return -1;
	}
	if (chopin_perfdata_format(perfdata, item, sizeof(item), errbuf, errbuf_size) < 0)
		return -1;
	copy = strdup(item);
	if (copy == NULL ||
	    strings_append(&output->perfdata[place], &output->n_perfdata[place], copy) < 0) {
		errbuf_printf(errbuf, errbuf_size, "out of memory");
		return -1;
	}
	return 0;
}

typedef struct {
	const char *separator;
	const char *text;
	bool atomic; /* perfdata items and the "SERVICE STATE" head are never cut */
} Segment;

/* Bytes of text that fit in room, not splitting a UTF-8 sequence. */
static size_t
utf8_cut(const char *text, size_t length, size_t room)
{
	size_t cut = length < room ? length : room;

	while (cut > 0 && cut < length && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

int
chopin_output_render(const ChopinOutput *output, char *buf, size_t size, bool *ret_truncated)
{
	size_t n_segments = 0, total = 0, pos = 0, limit, marker_length;
	size_t n_status = output->n_perfdata[CHOPIN_PERFDATA_STATUS_LINE];
	size_t n_long = output->n_perfdata[CHOPIN_PERFDATA_LONG_OUTPUT];
	Segment *segments;
	char head[256];
	bool truncated = false;
	int length;

	if (ret_truncated != NULL)
		*ret_truncated = false;
	if (buf == NULL || size == 0)
		return -1;
	length = snprintf(head, sizeof(head), "%s%s%s", output->service,
	                  output->service[0] != '\0' ? " " : "", chopin_state_name(output->state));
	if (length < 0 || (size_t)length >= sizeof(head))
		return -1;
	segments = calloc(4 + output->n_lines + n_status + n_long, sizeof(Segment));
	if (segments == NULL)
		return -1;

	segments[n_segments++] = (Segment){"", head, true};
	if (output->summary[0] != '\0')
		segments[n_segments++] = (Segment){" - ", output->summary, false};
	for (size_t i = 0; i < n_status; i++)
		segments[n_segments++] = (Segment){
		    i == 0 ? " | " : " ", output->perfdata[CHOPIN_PERFDATA_STATUS_LINE][i], true};
	if (output->n_lines == 0) {
		/* no long output: all perfdata belongs to the status line */
		for (size_t i = 0; i < n_long; i++)
			segments[n_segments++] =
			    (Segment){i == 0 && n_status == 0 ? " | " : " ",
			              output->perfdata[CHOPIN_PERFDATA_LONG_OUTPUT][i], true};
	} else {
		for (size_t i = 0; i < output->n_lines; i++)
			segments[n_segments++] = (Segment){"\n", output->lines[i], false};
		for (size_t i = 0; i < n_long; i++)
			segments[n_segments++] =
			    (Segment){i == 0 ? " | " : " ",
			              output->perfdata[CHOPIN_PERFDATA_LONG_OUTPUT][i], true};
	}
	segments[n_segments++] = (Segment){"", "\n", true};

	for (size_t i = 0; i < n_segments; i++)
		total += strlen(segments[i].separator) + strlen(segments[i].text);
	marker_length = strlen(CHOPIN_OUTPUT_TRUNCATED_MARKER);
	if (total < size) {
		limit = total;
	} else {
		truncated = true;
		if (strlen(head) + marker_length >= size) {
			free(segments);
			return -1;
		}
		limit = size - 1 - marker_length;
	}

	for (size_t i = 0; i < n_segments; i++) {
		size_t separator_length = strlen(segments[i].separator);
		size_t text_length = strlen(segments[i].text);
		size_t cut;

		if (pos + separator_length + text_length <= limit) {
			memcpy(buf + pos, segments[i].separator, separator_length);
			memcpy(buf + pos + separator_length, segments[i].text, text_length);
			pos += separator_length + text_length;
			continue;
		}
		/* the first segment that does not fit: cut text, drop perfdata, stop */
		if (!segments[i].atomic && pos + separator_length < limit) {
			cut =
			    utf8_cut(segments[i].text, text_length, limit - pos - separator_length);
			if (cut > 0) {
				memcpy(buf + pos, segments[i].separator, separator_length);
				memcpy(buf + pos + separator_length, segments[i].text, cut);
				pos += separator_length + cut;
			}
		}
		break;
	}
	free(segments);
	if (truncated) {
		memcpy(buf + pos, CHOPIN_OUTPUT_TRUNCATED_MARKER, marker_length);
		pos += marker_length;
	}
	buf[pos] = '\0';
	if (ret_truncated != NULL)
		*ret_truncated = truncated;
	return (int)pos;
}
