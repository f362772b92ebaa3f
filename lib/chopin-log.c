/* chopin-log: leveled logging to stderr or syslog, and rate-limited complaints for daemons. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "chopin-log.h"

static struct {
	char *ident;
	gboolean syslog_open;
	ChopinLogLevel threshold;
	ChopinLogSinkFunc sink;
	gpointer sink_data;
	ChopinLogClockFunc clock;
} log_state = {
    .threshold = CHOPIN_LOG_MESSAGE,
};

static const char *const level_names[] = {"debug", "info", "message", "warning", "error"};

static const struct {
	const char *name;
	int facility;
} facilities[] = {
    {"daemon", LOG_DAEMON}, {"user", LOG_USER},     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
    {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

const char *
chopin_log_level_name(ChopinLogLevel level)
{
	if ((guint)level >= G_N_ELEMENTS(level_names))
		return "error";
	return level_names[level];
}

gboolean
chopin_log_level_from_name(const char *name, ChopinLogLevel *ret_level)
{
	g_return_val_if_fail(ret_level != NULL, FALSE);
	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(level_names); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*ret_level = (ChopinLogLevel)i;
			return TRUE;
		}
	}
	return FALSE;
}

int
chopin_log_facility_from_name(const char *name)
{
	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(facilities); i++)
		if (strcmp(name, facilities[i].name) == 0)
			return facilities[i].facility;
	return -1;
}

void
chopin_log_open(const char *ident, gboolean foreground, int facility)
{
	chopin_log_close();
	log_state.ident = g_strdup(ident != NULL ? ident : g_get_prgname());
	if (!foreground) {
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, facility);
		log_state.syslog_open = TRUE;
	}
}

void
chopin_log_close(void)
{
	if (log_state.syslog_open)
		closelog();
	log_state.syslog_open = FALSE;
	g_clear_pointer(&log_state.ident, g_free);
}

void
chopin_log_set_threshold(ChopinLogLevel threshold)
{
	log_state.threshold = threshold;
}

ChopinLogLevel
chopin_log_get_threshold(void)
{
	return log_state.threshold;
}

void
chopin_log_set_sink(ChopinLogSinkFunc sink, gpointer user_data)
{
	log_state.sink = sink;
	log_state.sink_data = user_data;
}

void
chopin_log_set_clock(ChopinLogClockFunc clock)
{
	log_state.clock = clock;
}

static gint64
log_now(void)
{
	return log_state.clock != NULL ? log_state.clock() : g_get_monotonic_time();
}

static int
level_priority(ChopinLogLevel level)
{
	switch (level) {
	case CHOPIN_LOG_DEBUG:
		return LOG_DEBUG;
	case CHOPIN_LOG_INFO:
		return LOG_INFO;
	case CHOPIN_LOG_MESSAGE:
		return LOG_NOTICE;
	case CHOPIN_LOG_WARNING:
		return LOG_WARNING;
	default:
		return LOG_ERR;
	}
}

static void
log_write(ChopinLogLevel level, const char *message)
{
	g_autoptr(GDateTime) now = NULL;
	g_autofree char *stamp = NULL;

	if (log_state.sink != NULL) {
		log_state.sink(level, message, log_state.sink_data);
		return;
	}
	if (log_state.syslog_open) {
		syslog(level_priority(level), "%s", message);
		return;
	}
	now = g_date_time_new_now_local();
	stamp = now != NULL ? g_date_time_format(now, "%Y-%m-%d %H:%M:%S") : NULL;
	fprintf(stderr, "%s.%03d %s[%d]: %s: %s\n", stamp != NULL ? stamp : "?",
	        now != NULL ? g_date_time_get_microsecond(now) / 1000 : 0,
	        log_state.ident != NULL ? log_state.ident
	        : g_get_prgname()       ? g_get_prgname()
	                                : "chopin",
	        (int)getpid(), chopin_log_level_name(level), message);
	fflush(stderr);
}

void
chopin_logv(ChopinLogLevel level, const char *format, va_list args)
{
	g_autofree char *message = NULL;

	if (level < log_state.threshold)
		return;
	message = g_strdup_vprintf(format, args);
	log_write(level, message);
}

void
chopin_log(ChopinLogLevel level, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	chopin_logv(level, format, args);
	va_end(args);
}

static void
glib_log_cb(const char *domain, GLogLevelFlags flags, const char *message, gpointer user_data)
{
	ChopinLogLevel level;

	if (flags & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		level = CHOPIN_LOG_ERROR;
	else if (flags & G_LOG_LEVEL_WARNING)
		level = CHOPIN_LOG_WARNING;
	else if (flags & G_LOG_LEVEL_MESSAGE)
		level = CHOPIN_LOG_MESSAGE;
	else if (flags & G_LOG_LEVEL_INFO)
		level = CHOPIN_LOG_INFO;
	else
		level = CHOPIN_LOG_DEBUG;
	if (domain != NULL)
		chopin_log(level, "%s: %s", domain, message);
	else
		chopin_log(level, "%s", message);
}

void
chopin_log_capture_glib(void)
{
	g_log_set_default_handler(glib_log_cb, NULL);
}

gboolean
chopin_complain(ChopinComplaint *complaint, ChopinLogLevel level, const char *format, ...)
{
	g_autofree char *message = NULL;
	gint64 now = log_now();
	va_list args;

	g_return_val_if_fail(complaint != NULL, FALSE);
	complaint->occurrences++;
	if (complaint->interval > 0 && now - complaint->last_logged < complaint->interval) {
		complaint->suppressed++;
		return FALSE;
	}

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	if (complaint->suppressed > 0)
		chopin_log(level, "%s (%" G_GUINT64_FORMAT " similar message%s suppressed)",
		           message, complaint->suppressed, complaint->suppressed == 1 ? "" : "s");
	else
		chopin_log(level, "%s", message);

	complaint->interval = complaint->interval == 0
	                          ? CHOPIN_COMPLAINT_INITIAL_INTERVAL
	                          : MIN(complaint->interval * 2, CHOPIN_COMPLAINT_MAX_INTERVAL);
	complaint->last_logged = now;
	complaint->suppressed = 0;
	return TRUE;
}

gboolean
chopin_complaint_release(ChopinComplaint *complaint, ChopinLogLevel level, const char *format, ...)
{
	g_autofree char *message = NULL;
	guint64 occurrences;
	va_list args;

	g_return_val_if_fail(complaint != NULL, FALSE);
	if (complaint->interval == 0)
		return FALSE;
	occurrences = complaint->occurrences;
	memset(complaint, 0, sizeof(*complaint));

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	chopin_log(level, "%s after %" G_GUINT64_FORMAT " failure%s", message, occurrences,
	           occurrences == 1 ? "" : "s");
	return TRUE;
}
