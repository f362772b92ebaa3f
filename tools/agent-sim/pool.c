/* pool.c: pre-encodes trap packets for the load generator by capturing what net-snmp sends to a
 * private loopback socket. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent-sim.h"
#include "chopin-mib.h"

#define POOL_MAX_PACKET 65536

/* A UDP socket on 127.0.0.1 with a kernel-chosen port; fd or -1. */
static int
pool_capture_socket(unsigned *ret_port)
{
	struct sockaddr_in address = {.sin_family = AF_INET};
	socklen_t len = sizeof(address);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int size = 4 * 1024 * 1024;

	if (fd < 0)
		return -1;
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&address, &len) < 0) {
		close(fd);
		return -1;
	}
	*ret_port = ntohs(address.sin_port);
	return fd;
}

/* Appends one packet; 0 or -1 (out of memory). */
static int
pool_append(SimPool *pool, size_t *capacity, const unsigned char *packet, size_t len)
{
	if (pool->total_bytes + len > *capacity) {
		size_t wanted = *capacity != 0 ? *capacity * 2 : 1024 * 1024;
		unsigned char *grown;

		while (wanted < pool->total_bytes + len)
			wanted *= 2;
		grown = realloc(pool->bytes, wanted);
		if (grown == NULL)
			return -1;
		pool->bytes = grown;
		*capacity = wanted;
	}
	memcpy(pool->bytes + pool->total_bytes, packet, len);
	pool->offsets[pool->n] = pool->total_bytes;
	pool->total_bytes += len;
	pool->n++;
	pool->offsets[pool->n] = pool->total_bytes;
	return 0;
}

/* Where the BER encoding of instance (Unsigned32, 5 octets) sits in the packet, or SIZE_MAX. */
static size_t
pool_find_instance(const unsigned char *packet, size_t len, uint32_t instance)
{
	const unsigned char pattern[7] = {ASN_UNSIGNED,
	                                  5,
	                                  0,
	                                  (unsigned char)(instance >> 24),
	                                  (unsigned char)(instance >> 16),
	                                  (unsigned char)(instance >> 8),
	                                  (unsigned char)instance};
	const unsigned char *found = memmem(packet, len, pattern, sizeof(pattern));

	return found != NULL ? (size_t)(found - packet) + 3 : SIZE_MAX;
}

/* The event load hosts send: an MR_MONITOR unexpected-sense entry. */
static const SimStep *
pool_event_step(void)
{
	static SimStep step;
	static char message[] =
	    "Controller ID: 0 Unexpected sense: PD = Port 0 - 252:0, CDB = 0x28 "
	    "0x00 0x1a 0x2b 0x3c 0x00 0x00 0x00 0x80 0x00, Sense = "
	    "0x3/0x11/0x00 Event ID:113";

	if (step.event_id == 0) {
		snprintf(step.event_log, sizeof(step.event_log), "System");
		snprintf(step.event_source, sizeof(step.event_source), "MR_MONITOR");
		step.event_id = 113;
		step.event_level = 4;
		step.event_message = message;
	}
	return &step;
}

int
pool_fleet_new(unsigned n_hosts, int64_t now, unsigned heartbeat_interval, SimHost **ret_hosts,
               SimAgent **ret_agents)
{
	SimHost *hosts = calloc(n_hosts, sizeof(*hosts));
	SimAgent *agents = calloc(n_hosts, sizeof(*agents));

	if (hosts == NULL || agents == NULL) {
		free(hosts);
		free(agents);
		return -1;
	}
	for (unsigned h = 0; h < n_hosts; h++) {
		snprintf(hosts[h].name, sizeof(hosts[h].name), "LOADSIM%05u", h + 1);
		snprintf(hosts[h].os_name, sizeof(hosts[h].os_name),
		         "Windows Server 2019 Standard");
		snprintf(hosts[h].os_version, sizeof(hosts[h].os_version), "10.0.17763");
		snprintf(hosts[h].agent_version, sizeof(hosts[h].agent_version), "%s",
		         PACKAGE_VERSION);
		hosts[h].machine_type = 1;
		hosts[h].heartbeat_interval = heartbeat_interval;
		hosts[h].first_record_id = 1;
		pdu_agent_init(&agents[h], &hosts[h], now - 86400);
		agents[h].instance |= 0x80000000u; /* always 5 octets in BER: patchable */
	}
	*ret_hosts = hosts;
	*ret_agents = agents;
	return 0;
}

netsnmp_pdu *
pool_fleet_pdu(SimAgent *agent, int command, uint64_t round, int64_t now)
{
	if (round % 4 == 0)
		return pdu_new_heartbeat(agent, command, now);
	return pdu_new_event(agent, command, now, pool_event_step());
}

int
pool_build(SimPool *ret_pool, const SimSendOptions *options, size_t n, unsigned n_hosts,
           int64_t now, uint64_t skip, unsigned heartbeat_interval, char *ret_error,
           size_t error_size)
{
	SimSendOptions capture_options = *options;
	char target[64], error[SIM_ERROR_MAX];
	unsigned char *packet = NULL;
	SimHost *hosts = NULL;
	SimAgent *agents = NULL;
	SimSender *sender = NULL;
	size_t capacity = 0;
	unsigned port;
	int fd, status = -1;

	memset(ret_pool, 0, sizeof(*ret_pool));
	ret_pool->n_hosts = n_hosts;
	ret_pool->encrypted = strcmp(options->version, "3") == 0;
	fd = pool_capture_socket(&port);
	if (fd < 0) {
		snprintf(ret_error, error_size, "cannot open a capture socket: %s",
		         strerror(errno));
		return -1;
	}
	snprintf(target, sizeof(target), "udp:127.0.0.1:%u", port);
	capture_options.target = target;
	capture_options.inform = false;
	sender = sender_new(&capture_options, error, sizeof(error));
	ret_pool->offsets = calloc(n + 1, sizeof(size_t));
	ret_pool->instance_at = calloc(n, sizeof(size_t));
	packet = malloc(POOL_MAX_PACKET);
	if (sender == NULL) {
		snprintf(ret_error, error_size, "%s", error);
		goto out;
	}
	if (ret_pool->offsets == NULL || ret_pool->instance_at == NULL || packet == NULL ||
	    pool_fleet_new(n_hosts, now, heartbeat_interval, &hosts, &agents) < 0) {
		snprintf(ret_error, error_size, "out of memory for a pool of %zu packets", n);
		goto out;
	}
	/* the notifications before skip: the agents' sequences and record ids move on */
	for (uint64_t i = 0; i < skip; i++) {
		netsnmp_pdu *pdu = pool_fleet_pdu(&agents[i % n_hosts], SNMP_MSG_TRAP2, i / n_hosts, now);
		if (pdu == NULL) {
			snprintf(ret_error, error_size, "out of memory skipping %" PRIu64 " notifications",
			         skip);
			goto out;
		}
		snmp_free_pdu(pdu);
	}
	for (size_t i = 0; i < n; i++) {
		SimAgent *agent = &agents[(skip + i) % n_hosts];
		netsnmp_pdu *pdu =
		    pool_fleet_pdu(agent, SNMP_MSG_TRAP2, (skip + i) / n_hosts, now);
		struct pollfd poll_fd = {.fd = fd, .events = POLLIN};
		ssize_t len;

		if (sender_send(sender, NULL, pdu, error, sizeof(error)) < 0) {
			snprintf(ret_error, error_size, "encoding packet %zu: %s", i, error);
			goto out;
		}
		if (poll(&poll_fd, 1, 2000) != 1 ||
		    (len = recv(fd, packet, POOL_MAX_PACKET, 0)) <= 0) {
			snprintf(ret_error, error_size, "encoding packet %zu: nothing captured", i);
			goto out;
		}
		if (pool_append(ret_pool, &capacity, packet, (size_t)len) < 0) {
			snprintf(ret_error, error_size, "out of memory for a pool of %zu packets",
			         n);
			goto out;
		}
		ret_pool->instance_at[i] =
		    ret_pool->encrypted ? SIZE_MAX
		                        : pool_find_instance(packet, (size_t)len, agent->instance);
	}
	status = 0;
out:
	sender_free(sender);
	close(fd);
	free(packet);
	free(hosts);
	free(agents);
	if (status < 0)
		pool_clear(ret_pool);
	return status;
}

/* A new instance id for host in round seed: non-zero, top bit set. */
static uint32_t
pool_instance(uint32_t seed, unsigned host)
{
	uint64_t x = ((uint64_t)seed << 32) ^ (host * UINT64_C(0x9E3779B97F4A7C15));

	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return (uint32_t)x | 0x80000000u;
}

size_t
pool_renew_instances(SimPool *pool, uint32_t seed)
{
	size_t patched = 0;

	if (pool->encrypted)
		return 0;
	for (size_t i = 0; i < pool->n; i++) {
		uint32_t instance = pool_instance(seed, (unsigned)(i % pool->n_hosts));
		unsigned char *at;

		if (pool->instance_at[i] == SIZE_MAX)
			continue;
		at = pool->bytes + pool->offsets[i] + pool->instance_at[i];
		at[0] = (unsigned char)(instance >> 24);
		at[1] = (unsigned char)(instance >> 16);
		at[2] = (unsigned char)(instance >> 8);
		at[3] = (unsigned char)instance;
		patched++;
	}
	return patched;
}

void
pool_clear(SimPool *pool)
{
	if (pool == NULL)
		return;
	free(pool->bytes);
	free(pool->offsets);
	free(pool->instance_at);
	memset(pool, 0, sizeof(*pool));
}
