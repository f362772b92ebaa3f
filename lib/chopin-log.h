/* chopin-log: leveled logging to stderr or syslog, and rate-limited complaints for daemons. */
#ifndef CHOPIN_LOG_H
#define CHOPIN_LOG_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	CHOPIN_LOG_DEBUG,   /* for developers */
	CHOPIN_LOG_INFO,    /* shown with -v */
	CHOPIN_LOG_MESSAGE, /* normal operator information */
	CHOPIN_LOG_WARNING, /* something is wrong, the program carries on */
	CHOPIN_LOG_ERROR,   /* the program cannot do its job */
} ChopinLogLevel;

/* Receives every message at or above the threshold, without timestamp or ident. */
typedef void (*ChopinLogSinkFunc)(ChopinLogLevel level, const char *message, gpointer user_data);

/* Monotonic time in microseconds (g_get_monotonic_time by default); injectable for tests. */
typedef gint64 (*ChopinLogClockFunc)(void);

/* Suppression interval after the first complaint; doubled after each logged repeat. */
#define CHOPIN_COMPLAINT_INITIAL_INTERVAL (10 * G_TIME_SPAN_SECOND)
#define CHOPIN_COMPLAINT_MAX_INTERVAL     G_TIME_SPAN_DAY

/* One per recurring condition (database down, trap flood from a host). Zero-initialise it
 * (CHOPIN_COMPLAINT_INIT or memset); fields are read-only for callers. */
typedef struct {
	gint64 last_logged;  /* clock time of the last logged complaint */
	gint64 interval;     /* current suppression interval; 0: condition not active */
	guint64 suppressed;  /* complaints swallowed since the last logged one */
	guint64 occurrences; /* complaints since the condition started */
} ChopinComplaint;

#define CHOPIN_COMPLAINT_INIT                                                                      \
	{                                                                                          \
		0, 0, 0, 0                                                                         \
	}

/* Log to stderr with timestamps (foreground) or to syslog with ident and facility (a LOG_*
 * facility value). ident is copied. May be called again to switch. */
void chopin_log_open(const char *ident, gboolean foreground, int facility);
/* Close syslog if open; messages go to stderr again. */
void chopin_log_close(void);

/* Messages below threshold are dropped. The default threshold is CHOPIN_LOG_MESSAGE. */
void chopin_log_set_threshold(ChopinLogLevel threshold);
ChopinLogLevel chopin_log_get_threshold(void);

/* Replace the destination (tests capture messages); NULL restores stderr / syslog. */
void chopin_log_set_sink(ChopinLogSinkFunc sink, gpointer user_data);
/* Replace the clock used by complaints; NULL restores g_get_monotonic_time. */
void chopin_log_set_clock(ChopinLogClockFunc clock);

/* Route GLib's g_debug / g_info / g_message / g_warning / g_critical here (library code logs
 * with g_debug). */
void chopin_log_capture_glib(void);

/* "debug", "info", "message", "warning", "error". Static. */
const char *chopin_log_level_name(ChopinLogLevel level);
/* Parse a level name; FALSE (and *ret_level untouched) when unknown. */
gboolean chopin_log_level_from_name(const char *name, ChopinLogLevel *ret_level);
/* The LOG_* facility for "daemon", "user", "local0".."local7"; -1 when unknown. */
int chopin_log_facility_from_name(const char *name);

void chopin_log(ChopinLogLevel level, const char *format, ...) G_GNUC_PRINTF(2, 3);
void chopin_logv(ChopinLogLevel level, const char *format, va_list args) G_GNUC_PRINTF(2, 0);

/* Report that the condition of complaint occurred. The first occurrence is logged; repeats
 * within the interval are counted and swallowed; once the interval has passed the next one is
 * logged with " (N similar messages suppressed)" appended and the interval doubles, up to
 * CHOPIN_COMPLAINT_MAX_INTERVAL. Returns TRUE when this call was passed on to the log (it may
 * still fall below the threshold), FALSE when it was suppressed. */
gboolean chopin_complain(ChopinComplaint *complaint, ChopinLogLevel level, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

/* Report that the condition ended. When it was active, logs the message with " after N
 * failure(s)" appended ("database reachable again after 12 failures"), resets complaint and
 * returns TRUE; otherwise logs nothing and returns FALSE. */
gboolean chopin_complaint_release(ChopinComplaint *complaint, ChopinLogLevel level,
                                  const char *format, ...) G_GNUC_PRINTF(3, 4);

G_END_DECLS

#endif
