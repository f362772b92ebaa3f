/* load.c: paced load: pre-encoded traps through sendmmsg(), or asynchronous informs with a window.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "agent-sim.h"
#include "chopin-mib.h"

#define LOAD_MAX_BATCH     1024
#define LOAD_MAX_LATENCIES 2000000u

typedef struct {
	uint64_t outstanding;
	uint64_t acked;
	uint64_t timeouts;
	uint64_t retransmissions;
	double *latencies; /* ms, owned */
	size_t n_latencies;
	size_t latencies_capacity;
} LoadInformState;

typedef struct {
	LoadInformState *state;
	struct timespec sent_at;
} LoadPending;

static double
load_seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void
load_sleep_until(const struct timespec *start, double offset)
{
	struct timespec due = *start;

	due.tv_sec += (time_t)offset;
	due.tv_nsec += (long)((offset - floor(offset)) * 1e9);
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
		;
}

/* A UDP socket connected to target ("udp:HOST:PORT" or "HOST:PORT"); fd or -1. */
static int
load_connect(const char *target, char *ret_error, size_t error_size)
{
	char host[256];
	const char *port, *spec = target;
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *found = NULL;
	int fd, size = 8 * 1024 * 1024, status;

	if (strncmp(spec, "udp:", 4) == 0)
		spec += 4;
	else if (strncmp(spec, "udp6:", 5) == 0)
		spec += 5;
	port = strrchr(spec, ':');
	if (port == NULL || (size_t)(port - spec) >= sizeof(host) || port == spec) {
		snprintf(ret_error, error_size, "trap load needs a udp:HOST:PORT target, not '%s'",
		         target);
		return -1;
	}
	memcpy(host, spec, (size_t)(port - spec));
	host[port - spec] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	status = getaddrinfo(host, port + 1, &hints, &found);
	if (status != 0) {
		snprintf(ret_error, error_size, "%s: %s", target, gai_strerror(status));
		return -1;
	}
	fd = socket(found->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, found->ai_addr, found->ai_addrlen) < 0) {
		snprintf(ret_error, error_size, "%s: %s", target, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	} else {
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	}
	freeaddrinfo(found);
	return fd;
}

/* Sends count packets from the pool at rate, bounded by deadline seconds. */
static int
load_traps(const SimSendOptions *send_options, const SimLoadOptions *options, uint64_t count,
           SimLoadReport *report, char *ret_error, size_t error_size)
{
	static struct mmsghdr messages[LOAD_MAX_BATCH];
	static struct iovec vectors[LOAD_MAX_BATCH];
	unsigned batch =
	    options->batch > 0 && options->batch <= LOAD_MAX_BATCH ? options->batch : 64;
	double deadline = options->duration; /* time bound; count is the other */
	double per_ms = options->rate / 1000.0;
	uint64_t quantum = per_ms < 1.0 ? 1 : per_ms > batch ? batch : (uint64_t)per_ms;
	uint64_t attempted = 0;
	size_t pool_size = options->pool < count ? options->pool : (size_t)count;
	struct timespec start;
	SimPool pool;
	int fd;

	if (pool_build(&pool, send_options, pool_size, options->hosts, options->epoch, options->skip,
	               options->heartbeat_interval, ret_error, error_size) < 0)
		return -1;
	report->pool_size = pool.n;
	fd = load_connect(send_options->target, ret_error, error_size);
	if (fd < 0) {
		pool_clear(&pool);
		return -1;
	}
	memset(messages, 0, sizeof(messages));
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (attempted < count) {
		double elapsed = load_seconds_since(&start);
		uint64_t due = (uint64_t)(elapsed * options->rate) + 1;
		size_t index = (size_t)(attempted % pool.n);
		unsigned n;
		int sent;

		if (elapsed > deadline)
			break;
		if (due > count)
			due = count;
		if (due <= attempted) {
			/* wake when a batch is due, or a millisecond's worth at lower rates:
			 * waking for each packet cost the generator over a quarter of a core at
			 * 67,000/s, taken from the receiver it measures */
			load_sleep_until(&start, (double)(attempted + quantum - 1) / options->rate);
			continue;
		}
		if (index == 0 && attempted > 0) {
			report->pool_cycles++;
			pool_renew_instances(&pool, (uint32_t)report->pool_cycles);
		}
		n = (unsigned)(due - attempted < batch ? due - attempted : batch);
		if (n > pool.n - index)
			n = (unsigned)(pool.n - index);
		for (unsigned k = 0; k < n; k++) {
			vectors[k].iov_base = pool.bytes + pool.offsets[index + k];
			vectors[k].iov_len = pool.offsets[index + k + 1] - pool.offsets[index + k];
			messages[k].msg_hdr.msg_iov = &vectors[k];
			messages[k].msg_hdr.msg_iovlen = 1;
		}
		sent = sendmmsg(fd, messages, n, 0);
		if (sent <= 0) {
			if (sent < 0 && errno == EINTR)
				continue;
			report->last_errno = sent < 0 ? errno : EIO;
			report->send_errors++; /* e.g. ECONNREFUSED: skip that packet */
			attempted++;
			continue;
		}
		for (int k = 0; k < sent; k++)
			report->bytes += vectors[k].iov_len;
		report->packets += (uint64_t)sent;
		attempted += (uint64_t)sent;
	}
	report->duration = load_seconds_since(&start);
	close(fd);
	pool_clear(&pool);
	return report->send_errors == 0 ? 0 : -1; /* the time bound may come before count */
}

static int
load_inform_cb(int operation, netsnmp_session *session, int request_id, netsnmp_pdu *pdu,
               void *magic)
{
	LoadPending *pending = magic;
	LoadInformState *state = pending->state;

	if (operation == NETSNMP_CALLBACK_OP_RESEND) { /* the request stays open */
		state->retransmissions++;
		return 1;
	}
	if (operation == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL &&
	    pdu->errstat == SNMP_ERR_NOERROR) {
		state->acked++;
		if (state->n_latencies < state->latencies_capacity)
			state->latencies[state->n_latencies++] =
			    load_seconds_since(&pending->sent_at) * 1000.0;
	} else {
		state->timeouts++;
	}
	state->outstanding--;
	free(pending);
	return 1;
}

static int
load_compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
load_percentile(const double *sorted, size_t n, double p)
{
	size_t index;

	if (n == 0)
		return 0;
	index = (size_t)ceil(p * (double)n) - 1;
	return sorted[index < n ? index : n - 1];
}

/* Waits for responses or timeouts at most max_wait seconds. */
static void
load_inform_poll(double max_wait)
{
	struct timeval timeout = {.tv_sec = 0, .tv_usec = (suseconds_t)(max_wait * 1e6)};
	int n_fds = 0, block = 0, ready;
	fd_set fds;

	FD_ZERO(&fds);
	snmp_select_info(&n_fds, &fds, &timeout, &block);
	ready = select(n_fds, &fds, NULL, NULL, &timeout);
	if (ready > 0)
		snmp_read(&fds);
	else if (ready == 0)
		snmp_timeout();
}

static int
load_informs(const SimSendOptions *send_options, const SimLoadOptions *options, uint64_t count,
             SimLoadReport *report, char *ret_error, size_t error_size)
{
	double give_up =
	    options->duration + send_options->timeout * (send_options->retries + 1) + 2;
	LoadInformState state = {0};
	SimHost *hosts = NULL;
	SimAgent *agents = NULL;
	unsigned n_hosts = options->hosts > 0 ? options->hosts : 1;
	unsigned window = options->window > 0 ? options->window : 64;
	SimSender *sender = sender_new(send_options, ret_error, error_size);
	netsnmp_session *session;
	struct timespec start;
	uint64_t issued = 0;

	if (sender == NULL)
		return -1;
	session = sender_session(sender, NULL, ret_error, error_size);
	if (session == NULL) {
		sender_free(sender);
		return -1;
	}
	state.latencies_capacity = count < LOAD_MAX_LATENCIES ? (size_t)count : LOAD_MAX_LATENCIES;
	state.latencies = calloc(state.latencies_capacity, sizeof(double));
	if (state.latencies == NULL) {
		snprintf(ret_error, error_size, "out of memory");
		sender_free(sender);
		return -1;
	}
	if (pool_fleet_new(n_hosts, options->epoch, options->heartbeat_interval, &hosts, &agents) <
	    0) {
		snprintf(ret_error, error_size, "out of memory");
		free(state.latencies);
		sender_free(sender);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		double elapsed = load_seconds_since(&start);
		uint64_t due = (uint64_t)(elapsed * options->rate) + 1;
		bool sending = issued < count && elapsed < options->duration;

		if (!sending && state.outstanding == 0)
			break;
		if (elapsed > give_up)
			break;
		while (sending && issued < due && state.outstanding < window && issued < count) {
			netsnmp_pdu *pdu =
			    pool_fleet_pdu(&agents[issued % n_hosts], SNMP_MSG_INFORM,
			                   issued / n_hosts, (int64_t)time(NULL));
			LoadPending *pending = calloc(1, sizeof(*pending));

			if (pdu == NULL || pending == NULL) {
				snmp_free_pdu(pdu);
				free(pending);
				report->send_errors++;
				issued++;
				continue;
			}
			pending->state = &state;
			clock_gettime(CLOCK_MONOTONIC, &pending->sent_at);
			if (snmp_async_send(session, pdu, load_inform_cb, pending) == 0) {
				snmp_free_pdu(pdu);
				free(pending);
				report->send_errors++;
			} else {
				state.outstanding++;
				report->packets++;
			}
			issued++;
		}
		load_inform_poll(
		    sending && state.outstanding < window ? 1.0 / options->rate + 0.0001 : 0.05);
	}
	report->duration = load_seconds_since(&start);
	report->retransmissions = state.retransmissions;
	report->acked = state.acked;
	report->timeouts = state.timeouts + state.outstanding; /* still open at give-up */
	qsort(state.latencies, state.n_latencies, sizeof(double), load_compare_doubles);
	report->latency_p50_ms = load_percentile(state.latencies, state.n_latencies, 0.50);
	report->latency_p99_ms = load_percentile(state.latencies, state.n_latencies, 0.99);
	report->latency_max_ms = load_percentile(state.latencies, state.n_latencies, 1.0);
	sender_free(sender); /* closes the session before the state its callbacks use goes */
	free(state.latencies);
	free(hosts);
	free(agents);
	/* reaching the time bound before count is no error; an unacknowledged inform is */
	return report->acked == report->packets && report->send_errors == 0 ? 0 : -1;
}

int
load_run(const SimSendOptions *send_options, const SimLoadOptions *options,
         SimLoadReport *ret_report, char *ret_error, size_t error_size)
{
	uint64_t count = options->count;
	int status;

	memset(ret_report, 0, sizeof(*ret_report));
	ret_error[0] = '\0';
	ret_report->mode = send_options->inform ? "inform" : "trap";
	ret_report->version = send_options->version;
	ret_report->target_rate = options->rate;
	ret_report->window = send_options->inform ? options->window : 0;
	if (count == 0)
		count = (uint64_t)ceil(options->rate * options->duration);
	if (count == 0)
		count = 1;
	if (send_options->inform)
		status =
		    load_informs(send_options, options, count, ret_report, ret_error, error_size);
	else
		status =
		    load_traps(send_options, options, count, ret_report, ret_error, error_size);
	if (ret_report->duration > 0)
		ret_report->offered_rate = (double)ret_report->packets / ret_report->duration;
	return status;
}

void
load_report_print(FILE *out, const SimLoadReport *r, bool json)
{
	if (json) {
		fprintf(out,
		        "{\"mode\":\"%s\",\"version\":\"%s\",\"packets\":%" PRIu64
		        ",\"bytes\":%" PRIu64 ",\"send_errors\":%" PRIu64
		        ",\"last_send_error\":\"%s\",\"duration\":%.6f,\"offered_rate\":%.1f"
		        ",\"target_rate\":%.1f,\"pool_size\":%" PRIu64 ",\"pool_cycles\":%" PRIu64
		        ",\"acked\":%" PRIu64 ",\"timeouts\":%" PRIu64
		        ",\"retransmissions\":%" PRIu64
		        ",\"window\":%u,\"latency_p50_ms\":%.3f,\"latency_p99_ms\":%.3f"
		        ",\"latency_max_ms\":%.3f}\n",
		        r->mode, r->version, r->packets, r->bytes, r->send_errors,
		        r->last_errno != 0 ? strerror(r->last_errno) : "", r->duration,
		        r->offered_rate, r->target_rate, r->pool_size, r->pool_cycles, r->acked,
		        r->timeouts, r->retransmissions, r->window, r->latency_p50_ms,
		        r->latency_p99_ms, r->latency_max_ms);
		return;
	}
	fprintf(out, "mode:          %s (SNMP %s)\n", r->mode, r->version);
	fprintf(out, "packets:       %" PRIu64 "\n", r->packets);
	if (r->bytes > 0)
		fprintf(out, "bytes:         %" PRIu64 "\n", r->bytes);
	fprintf(out, "send errors:   %" PRIu64 "%s%s\n", r->send_errors,
	        r->last_errno != 0 ? ", last: " : "",
	        r->last_errno != 0 ? strerror(r->last_errno) : "");
	fprintf(out, "duration:      %.3f s\n", r->duration);
	fprintf(out, "offered rate:  %.0f/s (target %.0f/s)\n", r->offered_rate, r->target_rate);
	if (strcmp(r->mode, "trap") == 0) {
		fprintf(out,
		        "pool:          %" PRIu64 " pre-encoded packets, reused %" PRIu64
		        " times\n",
		        r->pool_size, r->pool_cycles);
		return;
	}
	fprintf(out, "acknowledged:  %" PRIu64 "\n", r->acked);
	fprintf(out, "timed out:     %" PRIu64 " (retransmissions %" PRIu64 ")\n", r->timeouts,
	        r->retransmissions);
	fprintf(out, "round trips:   %.0f/s with a window of %u\n",
	        r->duration > 0 ? (double)r->acked / r->duration : 0.0, r->window);
	fprintf(out, "latency:       p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", r->latency_p50_ms,
	        r->latency_p99_ms, r->latency_max_ms);
}
