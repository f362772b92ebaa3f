/* CIDR networks: parsing and matching, shared by the configuration checks and chopin-trapd. */
#include "config.h"

#include "chopin-network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
chopin_network_parse(const char *text, ChopinNetwork *net, char *errbuf, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	size_t host_len = slash ? (size_t)(slash - text) : strlen(text);

	memset(net, 0, sizeof *net);
	if (host_len == 0 || host_len >= sizeof host) {
		snprintf(errbuf, errlen, "invalid network '%s': expected ADDRESS[/PREFIX]", text);
		return -1;
	}
	memcpy(host, text, host_len);
	host[host_len] = '\0';
	if (inet_pton(AF_INET, host, net->addr) == 1) {
		net->family = AF_INET;
		net->prefix = 32;
	} else if (inet_pton(AF_INET6, host, net->addr) == 1) {
		net->family = AF_INET6;
		net->prefix = 128;
	} else {
		snprintf(errbuf, errlen, "invalid network '%s': '%s' is not an IP address", text, host);
		return -1;
	}
	if (slash != NULL) {
		char *end;
		unsigned long prefix = strtoul(slash + 1, &end, 10);
		if (slash[1] < '0' || slash[1] > '9' || *end != '\0' || prefix > net->prefix) {
			snprintf(errbuf, errlen, "invalid network '%s': prefix must be 0..%u", text,
				 net->prefix);
			return -1;
		}
		net->prefix = (unsigned)prefix;
	}
	return 0;
}

static bool
prefix_matches(const uint8_t *a, const uint8_t *b, unsigned prefix)
{
	unsigned full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

bool
chopin_network_contains(const ChopinNetwork *network, const struct sockaddr *address)
{
	const uint8_t *addr;
	int family = address->sa_family;

	if (family == AF_INET) {
		addr = (const uint8_t *)&((const struct sockaddr_in *)address)->sin_addr;
	} else if (family == AF_INET6) {
		addr = (const uint8_t *)&((const struct sockaddr_in6 *)address)->sin6_addr;
		if (network->family == AF_INET && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr)) {
			addr += 12;
			family = AF_INET;
		}
	} else {
		return false;
	}
	return network->family == family && prefix_matches(network->addr, addr, network->prefix);
}
