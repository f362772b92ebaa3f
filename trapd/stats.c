/* The receiver's counters, written to a file operators and chopinctl read. */
#include "config.h"

#include "trapd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chopin-log.h"

TrapdStats trapd_stats;

#define STAT(name) {#name, &trapd_stats.name}

static const struct {
	const char *name;
	const uint64_t *value;
} stat_table[] = {
	STAT(datagrams),       STAT(denied),          STAT(rate_limited),
	STAT(malformed),       STAT(auth_failures),   STAT(version_disabled),
	STAT(engine_discoveries), STAT(not_notifications), STAT(traps),
	STAT(informs),         STAT(accepted),        STAT(quarantined),
	STAT(dropped),         STAT(informs_acked),   STAT(informs_unacked),
	STAT(records_spooled), STAT(bytes_spooled),   STAT(fsyncs),
	STAT(batch_records_max), STAT(spool_errors),  STAT(backlog_bytes),
};

int
trapd_stats_write(const char *path)
{
	g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
	GString *text = g_string_sized_new(1024);
	int saved = 0;

	g_string_append_printf(text, "# chopin-trapd counters, pid %ld, written at %" G_GINT64_FORMAT
			       "\n", (long)getpid(), g_get_real_time() / G_USEC_PER_SEC);
	for (size_t i = 0; i < G_N_ELEMENTS(stat_table); i++)
		g_string_append_printf(text, "%s %" G_GUINT64_FORMAT "\n", stat_table[i].name,
				       *stat_table[i].value);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		saved = errno;
		goto out;
	}
	if (write(fd, text->str, text->len) != (ssize_t)text->len)
		saved = errno ? errno : EIO;
	close(fd);
	if (saved == 0 && rename(tmp, path) != 0)
		saved = errno;
out:
	g_string_free(text, TRUE);
	errno = saved;
	return saved == 0 ? 0 : -1;
}

void
trapd_stats_log(void)
{
	chopin_log(CHOPIN_LOG_MESSAGE,
		   "counters: %" G_GUINT64_FORMAT " datagrams, %" G_GUINT64_FORMAT
		   " accepted, %" G_GUINT64_FORMAT " quarantined, %" G_GUINT64_FORMAT
		   " auth failures, %" G_GUINT64_FORMAT " malformed, %" G_GUINT64_FORMAT
		   " denied, %" G_GUINT64_FORMAT " rate-limited, %" G_GUINT64_FORMAT
		   " dropped, %" G_GUINT64_FORMAT " informs acknowledged, %" G_GUINT64_FORMAT
		   " records in %" G_GUINT64_FORMAT " fsyncs",
		   trapd_stats.datagrams, trapd_stats.accepted, trapd_stats.quarantined,
		   trapd_stats.auth_failures, trapd_stats.malformed, trapd_stats.denied,
		   trapd_stats.rate_limited, trapd_stats.dropped, trapd_stats.informs_acked,
		   trapd_stats.records_spooled, trapd_stats.fsyncs);
}
