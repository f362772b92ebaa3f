/* sink.c: a counting UDP sink (recvmmsg) to measure what the load generator delivers on loopback.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "agent-sim.h"

#define SINK_BATCH      256
#define SINK_PACKET_MAX 2048 /* longer datagrams are counted, truncated */
#define SINK_IDLE_MS    2000 /* stop this long after the last packet */

/* Binds "udp:127.0.0.1:PORT" (PORT may be 0); fd or -1. */
static int
sink_bind(const char *listen, unsigned *ret_port, char *ret_error, size_t error_size)
{
	struct sockaddr_in address = {.sin_family = AF_INET};
	const char *spec = strncmp(listen, "udp:", 4) == 0 ? listen + 4 : listen;
	const char *colon = strrchr(spec, ':');
	char host[64];
	socklen_t len = sizeof(address);
	int size = 32 * 1024 * 1024, fd;

	if (colon == NULL || (size_t)(colon - spec) >= sizeof(host)) {
		snprintf(ret_error, error_size, "sink needs udp:IPv4:PORT, not '%s'", listen);
		return -1;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
		snprintf(ret_error, error_size, "sink needs an IPv4 address, not '%s'", host);
		return -1;
	}
	address.sin_port = htons((uint16_t)atoi(colon + 1));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(ret_error, error_size, "socket: %s", strerror(errno));
		return -1;
	}
	/* FORCE works for root beyond rmem_max; the plain one is the fallback */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&address, &len) < 0) {
		snprintf(ret_error, error_size, "bind %s: %s", listen, strerror(errno));
		close(fd);
		return -1;
	}
	*ret_port = ntohs(address.sin_port);
	return fd;
}

static double
sink_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int
sink_run(const char *listen, double duration, uint64_t count, bool json, char *ret_error,
         size_t error_size)
{
	static unsigned char buffers[SINK_BATCH][SINK_PACKET_MAX];
	static struct mmsghdr messages[SINK_BATCH];
	static struct iovec vectors[SINK_BATCH];
	uint64_t packets = 0, bytes = 0;
	double start, first = 0, last = 0;
	unsigned port;
	int fd = sink_bind(listen, &port, ret_error, error_size);

	if (fd < 0)
		return -1;
	for (unsigned i = 0; i < SINK_BATCH; i++) {
		vectors[i].iov_base = buffers[i];
		vectors[i].iov_len = SINK_PACKET_MAX;
		messages[i].msg_hdr.msg_iov = &vectors[i];
		messages[i].msg_hdr.msg_iovlen = 1;
	}
	fprintf(stderr, "listening on udp:127.0.0.1:%u\n", port);
	fflush(stderr);
	start = sink_now();
	while ((count == 0 || packets < count) && sink_now() - start < duration) {
		struct pollfd poll_fd = {.fd = fd, .events = POLLIN};
		int n;

		if (poll(&poll_fd, 1, 100) <= 0) {
			if (packets > 0 && (sink_now() - last) * 1000 > SINK_IDLE_MS)
				break;
			continue;
		}
		n = recvmmsg(fd, messages, SINK_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		last = sink_now();
		if (packets == 0)
			first = last;
		for (int i = 0; i < n; i++)
			bytes += messages[i].msg_len;
		packets += (uint64_t)n;
	}
	close(fd);
	if (json)
		printf("{\"received\":%" PRIu64 ",\"bytes\":%" PRIu64
		       ",\"seconds\":%.6f,\"rate\":%.1f}\n",
		       packets, bytes, last - first,
		       last > first ? (double)packets / (last - first) : 0.0);
	else
		printf("received:      %" PRIu64 " packets, %" PRIu64 " bytes in %.3f s (%.0f/s)\n",
		       packets, bytes, last - first,
		       last > first ? (double)packets / (last - first) : 0.0);
	return 0;
}
