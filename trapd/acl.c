/* Per-source-network access control: CIDR allow-lists for IPv4 and IPv6. */
#include "config.h"

#include "trapd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned prefix;
} AclNetwork;

struct _TrapdAcl {
	size_t n;
	AclNetwork networks[];
};

static int
acl_parse_one(const char *text, AclNetwork *net, char *errbuf, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	size_t host_len = slash ? (size_t)(slash - text) : strlen(text);

	if (host_len == 0 || host_len >= sizeof host) {
		snprintf(errbuf, errlen, "invalid network '%s': expected ADDRESS[/PREFIX]", text);
		return -1;
	}
	memcpy(host, text, host_len);
	host[host_len] = '\0';
	memset(net, 0, sizeof *net);
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
		if (slash[1] == '\0' || *end != '\0' || prefix > net->prefix) {
			snprintf(errbuf, errlen, "invalid network '%s': prefix must be 0..%u", text,
				 net->prefix);
			return -1;
		}
		net->prefix = (unsigned)prefix;
	}
	return 0;
}

TrapdAcl *
trapd_acl_new(char *const *networks, char *errbuf, size_t errlen)
{
	size_t n = 0;
	while (networks != NULL && networks[n] != NULL)
		n++;
	TrapdAcl *acl = calloc(1, sizeof *acl + n * sizeof(AclNetwork));
	if (acl == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	acl->n = n;
	for (size_t i = 0; i < n; i++) {
		if (acl_parse_one(networks[i], &acl->networks[i], errbuf, errlen) < 0) {
			free(acl);
			return NULL;
		}
	}
	return acl;
}

static gboolean
prefix_matches(const uint8_t *a, const uint8_t *b, unsigned prefix)
{
	unsigned full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, full) != 0)
		return FALSE;
	if (rest == 0)
		return TRUE;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

gboolean
trapd_acl_allows(const TrapdAcl *acl, const struct sockaddr *address)
{
	const uint8_t *addr;
	uint8_t mapped_v4[4];
	int family = address->sa_family;

	if (family == AF_INET) {
		addr = (const uint8_t *)&((const struct sockaddr_in *)address)->sin_addr;
	} else if (family == AF_INET6) {
		addr = (const uint8_t *)&((const struct sockaddr_in6 *)address)->sin6_addr;
	} else {
		return FALSE;
	}
	/* an IPv4-mapped IPv6 source also matches IPv4 networks */
	if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr)) {
		memcpy(mapped_v4, addr + 12, 4);
		for (size_t i = 0; i < acl->n; i++)
			if (acl->networks[i].family == AF_INET &&
			    prefix_matches(acl->networks[i].addr, mapped_v4, acl->networks[i].prefix))
				return TRUE;
	}
	for (size_t i = 0; i < acl->n; i++)
		if (acl->networks[i].family == family &&
		    prefix_matches(acl->networks[i].addr, addr, acl->networks[i].prefix))
			return TRUE;
	return FALSE;
}

void
trapd_acl_free(TrapdAcl *acl)
{
	free(acl);
}
