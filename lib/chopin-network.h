/* CIDR networks: parsing and matching, shared by the configuration checks and chopin-trapd. */
#ifndef CHOPIN_NETWORK_H
#define CHOPIN_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned prefix;
} ChopinNetwork;

/*
 * Parses "ADDRESS[/PREFIX]" (IPv4 or IPv6).  Returns 0, or -1 with a message
 * naming the text in @errbuf.
 */
int chopin_network_parse(const char *text, ChopinNetwork *ret_network, char *errbuf, size_t errlen);

/* Whether @address (AF_INET or AF_INET6; IPv4-mapped IPv6 matches IPv4 networks) is inside. */
bool chopin_network_contains(const ChopinNetwork *network, const struct sockaddr *address);

#endif
