/* chopin-nagios: Monitoring Plugins states, threshold ranges, perfdata and plugin output. */
#ifndef CHOPIN_NAGIOS_H
#define CHOPIN_NAGIOS_H

#include <stdbool.h>
#include <stddef.h>

/* Plugin exit codes. */
typedef enum {
	CHOPIN_STATE_OK = 0,
	CHOPIN_STATE_WARNING = 1,
	CHOPIN_STATE_CRITICAL = 2,
	CHOPIN_STATE_UNKNOWN = 3,
} ChopinState;

/* A Nagios threshold range "[@][start:][end]". Without '@' a value alerts when it lies outside
 * start..end; with '@' when it lies inside (bounds included either way). */
typedef struct {
	double start;
	double end;
	bool start_infinite; /* start is "~" */
	bool end_infinite;   /* end was empty ("10:") */
	bool inside;         /* '@': alert inside the range */
} ChopinRange;

/* Warning and critical ranges of one metric; a missing one never alerts. */
typedef struct {
	ChopinRange warning;
	ChopinRange critical;
	bool has_warning;
	bool has_critical;
} ChopinThresholds;

/* One perfdata item. uom is one of "", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"
 * (NULL is ""). A NaN value prints as "U" (undetermined). */
typedef struct {
	const char *label;
	double value;
	const char *uom;
	const ChopinRange *warning; /* NULL: empty field */
	const ChopinRange *critical;
	bool has_min;
	double min;
	bool has_max;
	double max;
} ChopinPerfdata;

typedef struct ChopinOutput ChopinOutput;

/* Where a perfdata item goes: after the status line, or after the last long output line. */
typedef enum {
	CHOPIN_PERFDATA_STATUS_LINE,
	CHOPIN_PERFDATA_LONG_OUTPUT,
} ChopinPerfdataPlace;

/* Nagios 4 reads at most this much plugin output by default (MAX_PLUGIN_OUTPUT_LENGTH). */
#define CHOPIN_OUTPUT_MAX 8192
/* Appended, on a line of its own, where output was cut. */
#define CHOPIN_OUTPUT_TRUNCATED_MARKER "\n(output truncated)\n"

/* "OK", "WARNING", "CRITICAL", "UNKNOWN"; "UNKNOWN" for values out of the enum. Static. */
const char *chopin_state_name(ChopinState state);

/* The worse of two states, ordered OK < UNKNOWN < WARNING < CRITICAL (monitoring-plugins'
 * max_state_alt): a real problem outranks missing data. */
ChopinState chopin_state_worst(ChopinState a, ChopinState b);

/* Parse a range. Returns 0, or -1 with a message such as
 * "invalid range '10:5': start greater than end" in errbuf (caller-owned, may be NULL). */
int chopin_range_parse(const char *text, ChopinRange *ret_range, char *errbuf, size_t errbuf_size);

/* Whether value raises an alert under range. NaN always alerts. */
bool chopin_range_alerts(const ChopinRange *range, double value);

/* Print range back in Nagios syntax, shortest form ("10", "10:", "~:10", "@10:20").
 * Returns 0, or -1 when buf is too small (buf then holds a truncated, NUL-terminated text). */
int chopin_range_format(const ChopinRange *range, char *buf, size_t size);

/* Parse -w / -c arguments; NULL means "not given". Returns 0, or -1 with the message of the
 * first bad range ("warning: invalid range ...") in errbuf. */
int chopin_thresholds_parse(ChopinThresholds *ret_thresholds, const char *warning,
                            const char *critical, char *errbuf, size_t errbuf_size);

/* CRITICAL if the critical range alerts, else WARNING if the warning range alerts, else OK. */
ChopinState chopin_thresholds_evaluate(const ChopinThresholds *thresholds, double value);

/* Format a number the way perfdata wants it: C locale, no exponent, no needless zeros
 * ("0.5", "10", "-3.25"). Returns 0, or -1 when buf is too small. */
int chopin_number_format(double value, char *buf, size_t size);

/* Format one item as 'label'=value[UOM];[warn];[crit];[min];[max], dropping trailing empty
 * fields and quoting the label only when it holds a space, '=' or a quote. Returns 0, or -1
 * with a message in errbuf (empty label, label with '|' or a line break, unknown UOM, buf too
 * small). */
int chopin_perfdata_format(const ChopinPerfdata *perfdata, char *buf, size_t size, char *errbuf,
                           size_t errbuf_size);

/* A new output builder for service ("RAID"), state OK and no text. NULL when out of memory.
 * Free with chopin_output_free(). */
ChopinOutput *chopin_output_new(const char *service);
/* Accepts NULL. */
void chopin_output_free(ChopinOutput *output);

/* Set the state outright, or raise it to the worse of the current and state. */
void chopin_output_set_state(ChopinOutput *output, ChopinState state);
void chopin_output_raise_state(ChopinOutput *output, ChopinState state);
ChopinState chopin_output_get_state(const ChopinOutput *output);

/* Set (replace) the status line text / append a long output line. Line breaks become spaces
 * and '|' becomes '/', so text can never be mistaken for perfdata. Return 0, or -1 when out of
 * memory. */
int chopin_output_set_summary(ChopinOutput *output, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
int chopin_output_add_line(ChopinOutput *output, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Append a perfdata item. Returns 0, or -1 with a message in errbuf (see
 * chopin_perfdata_format, or out of memory). */
int chopin_output_add_perfdata(ChopinOutput *output, ChopinPerfdataPlace place,
                               const ChopinPerfdata *perfdata, char *errbuf, size_t errbuf_size);

/* Render "SERVICE STATE - text | perfdata\nlong line...\nlast long line | perfdata\n" into
 * buf (caller-owned; size is the output limit, e.g. CHOPIN_OUTPUT_MAX). When it does not fit,
 * output is cut at a UTF-8 character boundary, never inside a perfdata item, and ends with
 * CHOPIN_OUTPUT_TRUNCATED_MARKER; *ret_truncated (may be NULL) tells. Returns the length
 * written, or -1 when size cannot hold even the service, state and marker. */
int chopin_output_render(const ChopinOutput *output, char *buf, size_t size, bool *ret_truncated);

#endif
