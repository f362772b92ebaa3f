/* chopin-trapd: receives CHOPIN-MIB traps and informs and spools them durably. */
#include "config.h"

#include "trapd.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chopin-daemon.h"
#include "chopin-log.h"
#include "chopin-settings.h"

#define MAX_LISTENERS 16

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stats_requested;

static void
signal_stop_cb(int signo)
{
	stop_requested = 1;
}

static void
signal_stats_cb(int signo)
{
	stats_requested = 1;
}

static void
usage(FILE *out)
{
	fprintf(out,
	        "Usage: chopin-trapd [OPTION]...\n"
	        "Receive CHOPIN-MIB SNMP traps and informs and spool them durably.\n"
	        "\n"
	        "  -c, --config FILE   configuration file (default %s)\n"
	        "  -n, --check         check the configuration and exit\n"
	        "  -f, --foreground    stay in the foreground, log to stderr\n"
	        "  -v, --verbose       log more (repeat for debug)\n"
	        "  -h, --help          show this help and exit\n"
	        "  -V, --version       show the version and exit\n"
	        "\n"
	        "Counters are written to trapd.stats_file every trapd.stats_interval and\n"
	        "logged on SIGUSR1.  See chopin-trapd(8).\n",
	        CHOPIN_SETTINGS_DEFAULT_FILE);
}

/* Drops root for @user once the sockets are bound.  0, or -1 with a message. */
static int
drop_privileges(const char *user, char *errbuf, size_t errlen)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		g_snprintf(errbuf, errlen, "trapd.user: no user '%s'", user);
		return -1;
	}
	if (getuid() == pw->pw_uid)
		return 0;
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		g_snprintf(errbuf, errlen, "dropping privileges to '%s': %s", user,
		           g_strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		g_snprintf(errbuf, errlen, "dropping privileges to '%s' did not stick", user);
		return -1;
	}
	return 0;
}

static void
install_signals(void)
{
	struct sigaction action;

	memset(&action, 0, sizeof action);
	sigemptyset(&action.sa_mask);
	action.sa_handler = signal_stop_cb;
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGINT, &action, NULL);
	action.sa_handler = signal_stats_cb;
	sigaction(SIGUSR1, &action, NULL);
	action.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &action, NULL);
	/* a file size limit makes writes fail with EFBIG: back-pressure, not death */
	sigaction(SIGXFSZ, &action, NULL);
}

static void
write_stats(const TrapdConfig *config)
{
	static ChopinComplaint complaint = CHOPIN_COMPLAINT_INIT;

	if (trapd_stats_write(config->stats_file) != 0)
		chopin_complain(&complaint, CHOPIN_LOG_WARNING, "%s: %s", config->stats_file,
		                g_strerror(errno));
	else
		chopin_complaint_release(&complaint, CHOPIN_LOG_MESSAGE, "%s: writable again",
		                         config->stats_file);
}

static int
run(const TrapdConfig *config, TrapdListener **listeners, size_t n_listeners, TrapdCommit *commit)
{
	struct pollfd fds[MAX_LISTENERS + 1];
	TrapdRateLimiter *limiter =
	    trapd_rate_limiter_new(config->rate_per_source, config->burst_per_source, 100000);
	int64_t next_stats = g_get_monotonic_time();

	for (size_t i = 0; i < n_listeners; i++) {
		fds[i].fd = trapd_listener_fd(listeners[i]);
		fds[i].events = POLLIN;
	}
	fds[n_listeners].fd = trapd_commit_notify_fd(commit);
	fds[n_listeners].events = POLLIN;

	while (!stop_requested) {
		int64_t now = g_get_monotonic_time();
		if (now >= next_stats) {
			write_stats(config);
			next_stats = now + config->stats_interval_ms * 1000;
		}
		if (stats_requested) {
			stats_requested = 0;
			trapd_stats_log();
		}
		int timeout = trapd_commit_poll(commit, now);
		int to_stats = (int)((next_stats - now + 999) / 1000);
		if (timeout < 0 || timeout > to_stats)
			timeout = to_stats;
		int n = poll(fds, n_listeners + 1, timeout);
		if (n < 0 && errno != EINTR) {
			chopin_log(CHOPIN_LOG_ERROR, "poll: %s", g_strerror(errno));
			break;
		}
		if (n <= 0)
			continue;
		if (fds[n_listeners].revents & POLLIN)
			trapd_commit_complete(commit);
		gboolean got = FALSE;
		for (size_t i = 0; i < n_listeners; i++)
			if (fds[i].revents & POLLIN)
				got |= trapd_listener_read(listeners[i], config, limiter, commit);
		if (got && config->read_pause_ms > 0) {
			/*
			 * Under load, poll() would wake for every few datagrams, and a
			 * context switch costs more than a datagram (several µs on a VM).
			 * Hand what was read to the writer, then nap: the socket buffer
			 * gathers the next datagrams, read in a few recvmmsg calls.  Idle,
			 * poll() blocks as before, and a lone inform is being
			 * written while we nap.
			 */
			trapd_commit_poll(commit, g_get_monotonic_time());
			g_usleep((gulong)config->read_pause_ms * 1000);
		}
	}
	trapd_rate_limiter_free(limiter);
	return 0;
}

int
main(int argc, char **argv)
{
	ChopinDaemonOptions options;
	int exit_status = chopin_daemon_parse_args(argc, argv, "chopin-trapd", usage, &options);
	if (exit_status >= 0)
		return exit_status;
	const char *config_path = options.config_path;
	gboolean check_only = options.check_only, foreground = options.foreground;
	int verbose = options.verbose;

	TrapdConfig config;
	int log_level, log_facility;
	if (!trapd_config_load(config_path, &config, &log_level, &log_facility)) {
		trapd_config_clear(&config);
		return 1;
	}
	if (check_only) {
		printf("%s: configuration OK\n", config_path);
		trapd_config_clear(&config);
		return 0;
	}

	chopin_log_open("chopin-trapd", foreground, log_facility);
	chopin_log_set_threshold(verbose >= 2   ? CHOPIN_LOG_DEBUG
	                         : verbose == 1 ? CHOPIN_LOG_INFO
	                                        : (ChopinLogLevel)log_level);
	install_signals();

	char errbuf[512];
	int status = 1;
	TrapdListener *listeners[MAX_LISTENERS] = {NULL};
	size_t n_listeners = 0;
	TrapdCommit *commit = NULL;

	if (trapd_usm_init(&config, errbuf, sizeof errbuf) < 0) {
		chopin_log(CHOPIN_LOG_ERROR, "%s", errbuf);
		goto out;
	}
	/* bind first (port 162 needs privileges), then drop them, then touch untrusted bytes */
	for (char **spec = config.listen; *spec != NULL; spec++) {
		if (n_listeners == MAX_LISTENERS) {
			chopin_log(CHOPIN_LOG_ERROR, "trapd.listen: at most %d addresses",
			           MAX_LISTENERS);
			goto out;
		}
		listeners[n_listeners] =
		    trapd_listener_new(*spec, config.rcvbuf, errbuf, sizeof errbuf);
		if (listeners[n_listeners] == NULL) {
			chopin_log(CHOPIN_LOG_ERROR, "%s", errbuf);
			goto out;
		}
		chopin_log(CHOPIN_LOG_MESSAGE, "listening on %s",
		           trapd_listener_address(listeners[n_listeners]));
		n_listeners++;
	}
	if (config.run_user != NULL &&
	    drop_privileges(config.run_user, errbuf, sizeof errbuf) < 0) {
		chopin_log(CHOPIN_LOG_ERROR, "%s", errbuf);
		goto out;
	}
	/* before any thread exists: threads do not survive fork */
	if (!foreground && daemon(0, 0) != 0) {
		chopin_log(CHOPIN_LOG_ERROR, "cannot detach: %s", g_strerror(errno));
		goto out;
	}
	commit = trapd_commit_new(&config, errbuf, sizeof errbuf);
	if (commit == NULL) {
		chopin_log(CHOPIN_LOG_ERROR, "spool: %s", errbuf);
		goto out;
	}
	chopin_log(CHOPIN_LOG_MESSAGE, "chopin-trapd %s ready", PACKAGE_VERSION);
	status = run(&config, listeners, n_listeners, commit);
	chopin_log(CHOPIN_LOG_MESSAGE, "stopping");
out:
	/* the commit first: it sends the last acknowledgements through the listeners' sessions */
	trapd_commit_free(commit);
	if (commit != NULL) {
		write_stats(&config);
		trapd_stats_log();
	}
	for (size_t i = 0; i < n_listeners; i++)
		trapd_listener_free(listeners[i]);
	trapd_usm_shutdown();
	trapd_config_clear(&config);
	chopin_log_close();
	return status;
}
