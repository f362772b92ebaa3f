/* chopin-trapd's private interfaces, grouped by the file that implements them. */
#ifndef CHOPIN_TRAPD_H
#define CHOPIN_TRAPD_H

#include <stdint.h>
#include <sys/socket.h>

#include <glib.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "chopin-record.h"

/* --- counters (stats.c) --------------------------------------------------- */

/* Everything an operator can read about the receiver (docs/chopin-trapd.8, COUNTERS). */
typedef struct {
	uint64_t datagrams;           /* UDP datagrams read */
	uint64_t denied;              /* source not in trapd.allow */
	uint64_t rate_limited;        /* over the source's token bucket */
	uint64_t malformed;           /* not a parseable SNMP message */
	uint64_t auth_failures;       /* wrong community, unknown user, bad digest, bad key, time window */
	uint64_t version_disabled;    /* an SNMP version switched off in the configuration */
	uint64_t engine_discoveries;  /* SNMPv3 engine-ID probes answered with a report */
	uint64_t not_notifications;   /* parsed, but not a trap or inform (GET, SET, ...) */
	uint64_t traps;               /* notifications received as traps (v1 included) */
	uint64_t informs;             /* notifications received as informs */
	uint64_t accepted;            /* valid CHOPIN-MIB notifications */
	uint64_t quarantined;         /* stored flagged for the correlator's unknown-traps table */
	uint64_t dropped;             /* lost to back-pressure (disk full, backlog over the limit) */
	uint64_t informs_acked;       /* responses sent after the record was on disk */
	uint64_t informs_unacked;     /* informs not acknowledged (spool failure): the agent retries */
	uint64_t records_spooled;
	uint64_t bytes_spooled;
	uint64_t fsyncs;
	uint64_t batch_records_max;
	uint64_t spool_errors;
	uint64_t backlog_bytes;       /* gauge: encoded records waiting for the disk */
} TrapdStats;

extern TrapdStats trapd_stats;

/* Writes the counters to @path atomically (temp file + rename).  0, or -1 with errno. */
int trapd_stats_write(const char *path);
/* Logs a one-line summary at message level. */
void trapd_stats_log(void);

/* --- configuration (config.c) -------------------------------------------- */

typedef struct _TrapdAcl TrapdAcl;

typedef struct {
	char **listen;          /* net-snmp transport specifications */
	char *spool_dir;
	char *state_dir;
	char *run_user;         /* drop privileges to this user after binding; NULL: stay */
	int64_t commit_delay_ms;
	int64_t commit_interval_ms; /* least time between the starts of two writes */
	int64_t read_pause_ms;     /* nap after draining the sockets under load */
	uint64_t batch_bytes;
	uint64_t segment_size;
	uint64_t max_backlog;
	gboolean enable_v1, enable_v2c, enable_v3;
	char **communities;
	TrapdAcl *allow;
	double rate_per_source;  /* traps per second; 0 means unlimited */
	double burst_per_source;
	char **users;            /* createUser-style lines */
	char *engine_id;         /* hex, or NULL: generated and kept in state_dir */
	int64_t stats_interval_ms;
	char *stats_file;
	int rcvbuf;              /* socket receive buffer in bytes */
} TrapdConfig;

/*
 * Loads @path (the shared chopin.conf) and fills @config.  Every problem is
 * reported as "file:line: message" on stderr; returns FALSE when any is an
 * error.
 */
gboolean trapd_config_load(const char *path, TrapdConfig *config, int *ret_log_level,
			   int *ret_log_facility);
void trapd_config_clear(TrapdConfig *config);

/* --- access control (acl.c) ---------------------------------------------- */

/*
 * Parses CIDR networks ("10.0.0.0/8", "::1/128", "192.0.2.7").  Returns the
 * list, or NULL with a message in @errbuf naming the bad entry.
 */
TrapdAcl *trapd_acl_new(char *const *networks, char *errbuf, size_t errlen);
gboolean trapd_acl_allows(const TrapdAcl *acl, const struct sockaddr *address);
void trapd_acl_free(TrapdAcl *acl);

/* --- per-source rate limiting (ratelimit.c) -------------------------------- */

typedef struct _TrapdRateLimiter TrapdRateLimiter;

/* Token buckets per source address; @rate 0 disables limiting.  Never NULL. */
TrapdRateLimiter *trapd_rate_limiter_new(double rate, double burst, size_t max_sources);
/* TRUE when the source may send one more notification at @now_us (monotonic). */
gboolean trapd_rate_limiter_allow(TrapdRateLimiter *limiter, const struct sockaddr *address,
				  int64_t now_us);
void trapd_rate_limiter_free(TrapdRateLimiter *limiter);

/* --- SNMP engine and users (usm.c) ---------------------------------------- */

/*
 * Initialises net-snmp without reading system configuration or MIBs, sets
 * the receiver's engine ID (from @config, else the one kept in state_dir,
 * else a new random one that is then kept) and creates the USM users.
 * Returns 0, or -1 with a message in @errbuf.
 */
int trapd_usm_init(const TrapdConfig *config, char *errbuf, size_t errlen);
/* Persists engine boots; call at exit. */
void trapd_usm_shutdown(void);

/* --- validation (validate.c) ---------------------------------------------- */

/*
 * Turns a parsed notification into a record: checks it against CHOPIN-MIB
 * (known notification, every object present once with the right type, size
 * and range) and fills @record.  What fails is kept as a quarantined record
 * with the raw varbinds as text in @scratch (which @record then points into).
 * SNMPv1 traps are converted per RFC 3584 first.
 */
void trapd_validate(netsnmp_pdu *pdu, ChopinRecord *record, GString *scratch);

/* --- the SNMPv2c trap fast path (decode.c) ------------------------------- */

#define TRAPD_FAST_VARBINDS 48 /* a CHOPIN-MIB notification has at most 2 + 24 */
#define TRAPD_FAST_OID_LEN 32  /* arcs; CHOPIN-MIB's OIDs have at most 13 */

/* A PDU shell and its varbinds, which point into the datagram decoded. */
typedef struct {
	netsnmp_pdu pdu;
	netsnmp_variable_list varbinds[TRAPD_FAST_VARBINDS];
	oid values[TRAPD_FAST_VARBINDS][TRAPD_FAST_OID_LEN];
} TrapdFastPdu;

/*
 * Decodes an SNMPv2c SNMPv2-Trap-PDU without net-snmp's parser.  Returns a PDU
 * inside @fast that is what snmp_parse() would have built (valid while @fast
 * and @data are; never passed to snmp_free_pdu), or NULL when the datagram is
 * anything else or in a form left to snmp_parse().
 */
netsnmp_pdu *trapd_decode_trap2(TrapdFastPdu *fast, const uint8_t *data, size_t size);

/* --- group commit (commit.c) ---------------------------------------------- */

typedef struct _TrapdCommit TrapdCommit;

/*
 * Starts the writer thread on an open spool.  @notify_fd becomes readable
 * whenever a batch is done; then call trapd_commit_complete().
 */
TrapdCommit *trapd_commit_new(const TrapdConfig *config, char *errbuf, size_t errlen);
int trapd_commit_notify_fd(const TrapdCommit *commit);

/*
 * Appends @record to the current batch.  @reply (an INFORM's response,
 * owned by the commit from now on; NULL for traps) is sent only once the
 * batch is durable.  Returns FALSE when back-pressure dropped the record.
 */
gboolean trapd_commit_add(TrapdCommit *commit, const ChopinRecord *record, void *session,
			  netsnmp_pdu *reply);
/* Hands the current batch to the writer when it is due.  Returns ms until the next deadline, or -1. */
int trapd_commit_poll(TrapdCommit *commit, int64_t now_us);
/* Collects finished batches: sends their inform responses, or drops them after a failure. */
void trapd_commit_complete(TrapdCommit *commit);
/* Flushes everything and stops the writer thread. */
void trapd_commit_free(TrapdCommit *commit);

/* --- reception (receive.c) ------------------------------------------------ */

typedef struct _TrapdListener TrapdListener;

/* Binds one transport specification ("udp:0.0.0.0:162").  NULL with a message on failure. */
TrapdListener *trapd_listener_new(const char *spec, int rcvbuf, char *errbuf, size_t errlen);
int trapd_listener_fd(const TrapdListener *listener);
/* The bound address as "udp:127.0.0.1:162" (static storage of the listener). */
const char *trapd_listener_address(const TrapdListener *listener);
/* Reads and handles every datagram waiting on the socket (bounded per call); TRUE if any. */
gboolean trapd_listener_read(TrapdListener *listener, const TrapdConfig *config,
			 TrapdRateLimiter *limiter, TrapdCommit *commit);
void trapd_listener_free(TrapdListener *listener);

#endif
