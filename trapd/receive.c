/* Reception: batched reads, access control and rate limits before parsing, then validation. */
#include "config.h"

#include "trapd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "chopin-log.h"

#define READ_BATCH 64              /* datagrams per recvmmsg */
#define READ_ROUNDS 16             /* recvmmsg calls per wake-up, then back to the loop */
#define DATAGRAM_MAX (16 * 1024)   /* larger than any CHOPIN-MIB notification */

struct _TrapdListener {
	char *spec;
	void *session_handle;
	netsnmp_session *session;
	netsnmp_transport *transport;
	int fd;
	netsnmp_sockaddr_storage local; /* the bound address, for responses */
	struct mmsghdr msgs[READ_BATCH];
	struct iovec iov[READ_BATCH];
	struct sockaddr_storage from[READ_BATCH];
	uint8_t control[READ_BATCH][CMSG_SPACE(sizeof(struct in_pktinfo))];
	uint8_t *buffers;
	TrapdFastPdu *fast; /* the PDU of a datagram the fast path decoded */
	ChopinRecord record;
	GString *scratch;
	ChopinComplaint complaints[6];
	char address[INET6_ADDRSTRLEN + 16];
};

enum { COMPLAIN_DENIED, COMPLAIN_RATE, COMPLAIN_MALFORMED, COMPLAIN_AUTH, COMPLAIN_QUARANTINE,
       COMPLAIN_VERSION };

static const char *
address_text(const struct sockaddr *address, char *buf, size_t size)
{
	const void *addr = address->sa_family == AF_INET6
				   ? (const void *)&((const struct sockaddr_in6 *)address)->sin6_addr
				   : (const void *)&((const struct sockaddr_in *)address)->sin_addr;
	if (inet_ntop(address->sa_family, addr, buf, (socklen_t)size) == NULL)
		g_strlcpy(buf, "?", size);
	return buf;
}

TrapdListener *
trapd_listener_new(const char *spec, int rcvbuf, char *errbuf, size_t errlen)
{
	netsnmp_transport *transport = netsnmp_tdomain_transport(spec, 1, "udp");
	if (transport == NULL) {
		g_snprintf(errbuf, errlen, "cannot listen on '%s' (address in use, or not permitted?)",
			   spec);
		return NULL;
	}
	if (transport->flags & NETSNMP_TRANSPORT_FLAG_STREAM) {
		g_snprintf(errbuf, errlen, "'%s': only UDP transports are supported", spec);
		netsnmp_transport_free(transport);
		return NULL;
	}
	netsnmp_session template;
	snmp_sess_init(&template);
	template.peername = SNMP_DEFAULT_PEERNAME;
	template.version = SNMP_DEFAULT_VERSION;
	template.community_len = SNMP_DEFAULT_COMMUNITY_LEN;
	template.retries = SNMP_DEFAULT_RETRIES;
	template.timeout = SNMP_DEFAULT_TIMEOUT;
	template.callback = NULL;
	/* traps: the sender is authoritative; informs: we are */
	template.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
	void *handle = snmp_sess_add(&template, transport, NULL, NULL);
	if (handle == NULL) {
		g_snprintf(errbuf, errlen, "'%s': cannot open an SNMP session", spec);
		return NULL; /* snmp_sess_add frees the transport on failure */
	}

	TrapdListener *listener = g_new0(TrapdListener, 1);
	listener->spec = g_strdup(spec);
	listener->session_handle = handle;
	listener->session = snmp_sess_session(handle);
	listener->transport = transport;
	listener->fd = transport->sock;
	listener->scratch = g_string_sized_new(4096);
	listener->buffers = g_malloc((size_t)READ_BATCH * DATAGRAM_MAX);
	listener->fast = g_new0(TrapdFastPdu, 1);
	socklen_t local_len = sizeof listener->local;
	getsockname(listener->fd, &listener->local.sa, &local_len);
	char host[INET6_ADDRSTRLEN];
	if (listener->local.sa.sa_family == AF_INET6)
		g_snprintf(listener->address, sizeof listener->address, "udp6:[%s]:%u",
			   address_text(&listener->local.sa, host, sizeof host),
			   ntohs(listener->local.sin6.sin6_port));
	else
		g_snprintf(listener->address, sizeof listener->address, "udp:%s:%u",
			   address_text(&listener->local.sa, host, sizeof host),
			   ntohs(listener->local.sin.sin_port));

	int flags = fcntl(listener->fd, F_GETFL);
	fcntl(listener->fd, F_SETFL, flags | O_NONBLOCK);
	if (rcvbuf > 0 &&
	    setsockopt(listener->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
		setsockopt(listener->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	for (int i = 0; i < READ_BATCH; i++) {
		listener->iov[i].iov_base = listener->buffers + (size_t)i * DATAGRAM_MAX;
		listener->iov[i].iov_len = DATAGRAM_MAX;
	}
	return listener;
}

int
trapd_listener_fd(const TrapdListener *listener)
{
	return listener->fd;
}

const char *
trapd_listener_address(const TrapdListener *listener)
{
	return listener->address;
}

static void
record_set_source(ChopinRecord *record, const struct sockaddr *address)
{
	if (address->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)address;
		record->source.family = 4;
		memcpy(record->source.addr, &in->sin_addr, 4);
		record->source.port = ntohs(in->sin_port);
	} else if (address->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)address;
		record->source.family = 6;
		memcpy(record->source.addr, &in6->sin6_addr, 16);
		record->source.port = ntohs(in6->sin6_port);
	}
}

/* The USM counters that tell why an SNMPv3 message was refused. */
typedef struct {
	uint32_t unknown_engine, time_window, unknown_user, wrong_digest, decryption, sec_level;
} UsmCounters;

static void
usm_counters(UsmCounters *c)
{
	c->unknown_engine = snmp_get_statistic(STAT_USMSTATSUNKNOWNENGINEIDS);
	c->time_window = snmp_get_statistic(STAT_USMSTATSNOTINTIMEWINDOWS);
	c->unknown_user = snmp_get_statistic(STAT_USMSTATSUNKNOWNUSERNAMES);
	c->wrong_digest = snmp_get_statistic(STAT_USMSTATSWRONGDIGESTS);
	c->decryption = snmp_get_statistic(STAT_USMSTATSDECRYPTIONERRORS);
	c->sec_level = snmp_get_statistic(STAT_USMSTATSUNSUPPORTEDSECLEVELS);
}

/* Counts and logs (rate-limited) a message snmp_parse refused. */
static void
count_parse_failure(TrapdListener *listener, const UsmCounters *before,
		    const struct sockaddr *from)
{
	UsmCounters after;
	char source[INET6_ADDRSTRLEN];

	usm_counters(&after);
	if (after.unknown_engine != before->unknown_engine ||
	    after.time_window != before->time_window) {
		/* the normal first steps of an SNMPv3 inform: answered with a report */
		trapd_stats.engine_discoveries++;
		return;
	}
	const char *why = NULL;
	if (after.unknown_user != before->unknown_user)
		why = "unknown SNMPv3 user (or user not known for the sender's engine ID)";
	else if (after.wrong_digest != before->wrong_digest)
		why = "wrong SNMPv3 authentication key";
	else if (after.decryption != before->decryption)
		why = "SNMPv3 decryption failed (wrong privacy key)";
	else if (after.sec_level != before->sec_level)
		why = "unsupported SNMPv3 security level for the user";
	if (why != NULL) {
		trapd_stats.auth_failures++;
		chopin_complain(&listener->complaints[COMPLAIN_AUTH], CHOPIN_LOG_WARNING,
				"authentication failure from %s: %s",
				address_text(from, source, sizeof source), why);
		return;
	}
	trapd_stats.malformed++;
	chopin_complain(&listener->complaints[COMPLAIN_MALFORMED], CHOPIN_LOG_WARNING,
			"malformed SNMP message from %s", address_text(from, source, sizeof source));
}

static gboolean
community_allowed(const TrapdConfig *config, const netsnmp_pdu *pdu)
{
	for (char **c = config->communities; c != NULL && *c != NULL; c++)
		if (strlen(*c) == pdu->community_len &&
		    memcmp(*c, pdu->community, pdu->community_len) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
version_enabled(const TrapdConfig *config, long version)
{
	switch (version) {
	case SNMP_VERSION_1:
		return config->enable_v1;
	case SNMP_VERSION_2c:
		return config->enable_v2c;
	case SNMP_VERSION_3:
		return config->enable_v3;
	default:
		return FALSE;
	}
}

/* Handles one parsed PDU: checks, validation, hand-over to the commit. */
static void
handle_pdu(TrapdListener *listener, const TrapdConfig *config, TrapdCommit *commit,
	   netsnmp_pdu *pdu, const struct sockaddr *from)
{
	char source[INET6_ADDRSTRLEN]; /* the sender as text, formatted only for a complaint */

	if (!version_enabled(config, pdu->version)) {
		trapd_stats.version_disabled++;
		chopin_complain(&listener->complaints[COMPLAIN_VERSION], CHOPIN_LOG_WARNING,
				"SNMP version %s from %s is switched off",
				pdu->version == SNMP_VERSION_1 ? "1" : "2c",
				address_text(from, source, sizeof source));
		return;
	}
	if (pdu->version != SNMP_VERSION_3 && !community_allowed(config, pdu)) {
		trapd_stats.auth_failures++;
		chopin_complain(&listener->complaints[COMPLAIN_AUTH], CHOPIN_LOG_WARNING,
				"authentication failure from %s: community not in trapd.communities",
				address_text(from, source, sizeof source));
		return;
	}
	if (pdu->command != SNMP_MSG_TRAP && pdu->command != SNMP_MSG_TRAP2 &&
	    pdu->command != SNMP_MSG_INFORM) {
		trapd_stats.not_notifications++;
		return;
	}
	if (pdu->command == SNMP_MSG_INFORM)
		trapd_stats.informs++;
	else
		trapd_stats.traps++;

	ChopinRecord *record = &listener->record;
	chopin_record_clear(record);
	record->received_us = (uint64_t)g_get_real_time();
	record->snmp_version = pdu->version == SNMP_VERSION_1	 ? 1
			       : pdu->version == SNMP_VERSION_2c ? 2
								 : 3;
	record_set_source(record, from);
	if (pdu->version == SNMP_VERSION_3 && pdu->securityName != NULL) {
		size_t len = MIN(pdu->securityNameLen, (size_t)CHOPIN_RECORD_SECURITY_NAME_MAX);
		memcpy(record->security_name, pdu->securityName, len);
		record->security_name_len = (uint8_t)len;
	}
	if (pdu->command == SNMP_MSG_INFORM)
		record->flags |= CHOPIN_RECORD_FLAG_INFORM;
	trapd_validate(pdu, record, listener->scratch);
	if (record->flags & CHOPIN_RECORD_FLAG_QUARANTINE) {
		trapd_stats.quarantined++;
		const ChopinRecordField *detail =
			chopin_record_find(record, CHOPIN_FIELD_QUARANTINE_DETAIL);
		chopin_complain(&listener->complaints[COMPLAIN_QUARANTINE], CHOPIN_LOG_WARNING,
				"quarantined a notification from %s: %.*s",
				address_text(from, source, sizeof source),
				detail ? (int)detail->value.octets.len : 0,
				detail ? (const char *)detail->value.octets.data : "");
	} else {
		trapd_stats.accepted++;
	}

	netsnmp_pdu *reply = NULL;
	if (pdu->command == SNMP_MSG_INFORM) {
		reply = snmp_clone_pdu(pdu);
		if (reply != NULL) {
			reply->command = SNMP_MSG_RESPONSE;
			reply->errstat = 0;
			reply->errindex = 0;
		}
	}
	trapd_commit_add(commit, record, listener->session_handle, reply);
}

static void
handle_datagram(TrapdListener *listener, const TrapdConfig *config, TrapdRateLimiter *limiter,
		TrapdCommit *commit, int i, int64_t now_us)
{
	struct mmsghdr *msg = &listener->msgs[i];
	const struct sockaddr *from = (const struct sockaddr *)&listener->from[i];
	char source[INET6_ADDRSTRLEN];

	trapd_stats.datagrams++;
	if (!trapd_acl_allows(config->allow, from)) {
		trapd_stats.denied++;
		chopin_complain(&listener->complaints[COMPLAIN_DENIED], CHOPIN_LOG_WARNING,
				"notification from %s denied: not in trapd.allow",
				address_text(from, source, sizeof source));
		return;
	}
	if (!trapd_rate_limiter_allow(limiter, from, now_us)) {
		trapd_stats.rate_limited++;
		chopin_complain(&listener->complaints[COMPLAIN_RATE], CHOPIN_LOG_WARNING,
				"%s is over its rate limit (%.0f/s): notifications dropped",
				address_text(from, source, sizeof source), config->rate_per_source);
		return;
	}
	if (msg->msg_hdr.msg_flags & MSG_TRUNC) {
		trapd_stats.malformed++;
		chopin_complain(&listener->complaints[COMPLAIN_MALFORMED], CHOPIN_LOG_WARNING,
				"datagram from %s over %d bytes: dropped",
				address_text(from, source, sizeof source), DATAGRAM_MAX);
		return;
	}

	/* an SNMPv2c trap, the common case, without net-snmp's parser and its allocations */
	netsnmp_pdu *fast = trapd_decode_trap2(listener->fast, listener->iov[i].iov_base,
					       msg->msg_len);
	if (fast != NULL) {
		handle_pdu(listener, config, commit, fast, from);
		return;
	}

	/* the address pair net-snmp's UDP transports use, so responses go out as they came in */
	netsnmp_indexed_addr_pair *pair = calloc(1, sizeof *pair);
	if (pair == NULL)
		return;
	memcpy(&pair->remote_addr, from, MIN(sizeof pair->remote_addr, sizeof listener->from[i]));
	pair->local_addr = listener->local;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg->msg_hdr); cm != NULL;
	     cm = CMSG_NXTHDR(&msg->msg_hdr, cm)) {
		if (cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo info;
			memcpy(&info, CMSG_DATA(cm), sizeof info);
			pair->local_addr.sin.sin_addr = info.ipi_addr;
			pair->if_index = info.ipi_ifindex;
		}
	}
	netsnmp_pdu *pdu = calloc(1, sizeof *pdu);
	if (pdu == NULL) {
		free(pair);
		return;
	}
	pdu->transport_data = pair;
	pdu->transport_data_length = sizeof *pair;
	pdu->tDomain = listener->transport->domain;
	pdu->tDomainLen = (size_t)listener->transport->domain_length;

	UsmCounters before;
	usm_counters(&before);
	listener->session->s_snmp_errno = 0;
	if (snmp_parse(listener->session_handle, listener->session, pdu,
		       listener->iov[i].iov_base, msg->msg_len) != SNMPERR_SUCCESS)
		count_parse_failure(listener, &before, from);
	else
		handle_pdu(listener, config, commit, pdu, from);
	snmp_free_pdu(pdu);
}

gboolean
trapd_listener_read(TrapdListener *listener, const TrapdConfig *config, TrapdRateLimiter *limiter,
		    TrapdCommit *commit)
{
	for (int round = 0; round < READ_ROUNDS; round++) {
		for (int i = 0; i < READ_BATCH; i++) {
			struct msghdr *hdr = &listener->msgs[i].msg_hdr;
			hdr->msg_name = &listener->from[i];
			hdr->msg_namelen = sizeof listener->from[i];
			hdr->msg_iov = &listener->iov[i];
			hdr->msg_iovlen = 1;
			hdr->msg_control = listener->control[i];
			hdr->msg_controllen = sizeof listener->control[i];
			hdr->msg_flags = 0;
		}
		int n = recvmmsg(listener->fd, listener->msgs, READ_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return round > 0;
		int64_t now_us = g_get_monotonic_time();
		for (int i = 0; i < n; i++)
			handle_datagram(listener, config, limiter, commit, i, now_us);
		if (n < READ_BATCH)
			return TRUE;
	}
	return TRUE;
}

void
trapd_listener_free(TrapdListener *listener)
{
	if (listener == NULL)
		return;
	snmp_sess_close(listener->session_handle);
	g_string_free(listener->scratch, TRUE);
	g_free(listener->buffers);
	g_free(listener->fast);
	g_free(listener->spec);
	g_free(listener);
}
