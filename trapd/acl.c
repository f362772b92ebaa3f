/* Per-source-network access control: CIDR allow-lists for IPv4 and IPv6. */
#include "config.h"

#include "trapd.h"

#include "chopin-network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _TrapdAcl {
	size_t n;
	ChopinNetwork networks[];
};

TrapdAcl *
trapd_acl_new(char *const *networks, char *errbuf, size_t errlen)
{
	size_t n = 0;
	while (networks != NULL && networks[n] != NULL)
		n++;
	TrapdAcl *acl = calloc(1, sizeof *acl + n * sizeof(ChopinNetwork));
	if (acl == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	acl->n = n;
	for (size_t i = 0; i < n; i++) {
		if (chopin_network_parse(networks[i], &acl->networks[i], errbuf, errlen) < 0) {
			free(acl);
			return NULL;
		}
	}
	return acl;
}

gboolean
trapd_acl_allows(const TrapdAcl *acl, const struct sockaddr *address)
{
	for (size_t i = 0; i < acl->n; i++)
		if (chopin_network_contains(&acl->networks[i], address))
			return TRUE;
	return FALSE;
}

void
trapd_acl_free(TrapdAcl *acl)
{
	free(acl);
}
