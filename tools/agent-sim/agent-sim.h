/* agent-sim.h: private interfaces of chopin-agent-sim (scenario model and parser, PDU building,
 * sending, replay, load). */
#ifndef CHOPIN_AGENT_SIM_H
#define CHOPIN_AGENT_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* Exit codes of the program. */
#define SIM_EXIT_OK         0
#define SIM_EXIT_SEND_ERROR 1 /* send errors or unacknowledged informs */
#define SIM_EXIT_USAGE      2 /* bad options or bad scenario */

#define SIM_ERROR_MAX 512 /* size of the error buffers callers pass in */

/* ---------------------------------------------------------------------
 * The scenario model (scenario.c builds it, replay.c runs it).
 * String sizes follow the MIB's SIZE ranges (+1 for the NUL).
 * ------------------------------------------------------------------- */

typedef struct {
	char name[256];
	char os_name[129];
	char os_version[33];
	char hardware_model[129];
	char agent_version[33];
	char engine_id[72];          /* hex text "0x80..." for v3 traps; "" = the global one */
	int machine_type;            /* chopinMachineType: 1 physical, 2 virtual, 3 unknown */
	uint32_t heartbeat_interval; /* seconds, 10..86400 */
	int64_t boot_time;           /* Unix seconds */
	uint32_t first_record_id;    /* chopinEventRecordId of the host's first event */
} SimHost;

typedef struct {
	unsigned kind;       /* CHOPIN_KIND_RAID_CONTROLLER .. CHOPIN_KIND_RAID_BATTERY */
	unsigned controller; /* chopinRaidControllerIndex */
	char id[17];         /* VD "0/0" or PD "252:7"; unused otherwise */
	char state[33];
	char model[65];
	char serial[65];
	char firmware[65];
	char vd_type[17];
	char name[65];
	char media_type[9];
	char interface_type[9];
	char wwn[33];
	uint32_t size_mib;
	uint32_t device_id;
	int disk_group;
	uint32_t media_errors;
	uint32_t other_errors;
	uint32_t predictive_failures;
	uint32_t correctable_errors;
	uint32_t uncorrectable_errors;
	int temperature;
	int smart_alert;     /* TruthValue: 1 true, 2 false */
	int battery_replace; /* TruthValue */
} SimRaidRecord;

typedef struct {
	char name[65];
	unsigned line;
	SimRaidRecord *records; /* owned */
	size_t n_records;
} SimInventory;

typedef enum {
	SIM_STEP_HEARTBEAT,
	SIM_STEP_EVENT,
	SIM_STEP_INVENTORY,
	SIM_STEP_UPDATE,
	SIM_STEP_SHUTDOWN,
	SIM_STEP_SILENCE,
	SIM_STEP_REBOOT,
} SimStepKind;

typedef struct {
	SimStepKind kind;
	unsigned line;         /* where the step was declared */
	int64_t offset;        /* seconds after the scenario start */
	size_t host;           /* index into SimScenario.hosts */
	uint32_t repeat_count; /* 1 unless "repeat N every D" */
	int64_t repeat_every;  /* seconds between repeats */
	/* SIM_STEP_EVENT */
	char event_log[65];
	char event_source[129];
	uint32_t event_id;
	int event_level;     /* chopinEventLevel 1..5 */
	char *event_message; /* owned, at most 2048 octets */
	/* SIM_STEP_INVENTORY */
	size_t inventory; /* index into SimScenario.inventories */
	/* SIM_STEP_UPDATE */
	uint32_t updates_pending;
	uint32_t updates_security;
	uint32_t updates_failed;
	int updates_reboot_required;  /* TruthValue */
	int64_t updates_last_success; /* Unix seconds; INT64_MIN: the step's own time */
	char *updates_list;           /* owned, may be NULL */
	/* SIM_STEP_SHUTDOWN */
	int shutdown_type; /* chopinShutdownType */
	char shutdown_reason[256];
	/* SIM_STEP_REBOOT: boot time; INT64_MIN: the step's own time */
	int64_t reboot_time;
} SimStep;

typedef struct {
	char file[256]; /* name used in messages */
	int64_t start;  /* Unix seconds of offset 0 */
	int64_t end;    /* last offset that gets heartbeats; -1: the last step */
	SimHost *hosts; /* owned */
	size_t n_hosts;
	SimInventory *inventories; /* owned */
	size_t n_inventories;
	SimStep *steps; /* owned, in file order */
	size_t n_steps;
} SimScenario;

/* ---------------------------------------------------------------------
 * scenario.c: the scenario text format (docs/scenarios.md).
 * ------------------------------------------------------------------- */

/* Parses text[0..len) named file_name into *ret_scenario (which must be
 * zeroed or cleared). Returns 0, or -1 with "file:line: message" in
 * ret_error; *ret_scenario is then cleared. */
int scenario_parse(const char *file_name, const char *text, size_t len, SimScenario *ret_scenario,
                   char *ret_error, size_t error_size);
/* Reads and parses a file; same contract as scenario_parse. */
int scenario_load(const char *path, SimScenario *ret_scenario, char *ret_error, size_t error_size);
/* Frees what the scenario owns and zeroes it. Accepts NULL. */
void scenario_clear(SimScenario *scenario);
/* The offset where the scenario ends (its "end", else its last step). */
int64_t scenario_span(const SimScenario *scenario);
/* "2019-09-23T05:00:00Z" to Unix seconds; 0 or -1. */
int scenario_parse_utc(const char *text, int64_t *ret_time);
/* "90", "90s", "15m", "1h30m", "7d": seconds; 0 or -1. */
int scenario_parse_duration(const char *text, int64_t *ret_seconds);

/* ---------------------------------------------------------------------
 * pdu.c: CHOPIN-MIB notification PDUs for one simulated agent.
 * ------------------------------------------------------------------- */

typedef struct {
	const SimHost *host;
	uint32_t instance; /* chopinAgentInstance, random and non-zero */
	uint32_t sequence; /* the last chopinSequence sent (0: none yet) */
	int64_t boot_time; /* current chopinBootTime */
	uint32_t next_record_id;
	uint32_t next_snapshot_id;
} SimAgent;

/* A new agent for host with a random instance and sequence 0. */
void pdu_agent_init(SimAgent *agent, const SimHost *host, int64_t boot_time);
/* A new agent instance (reboot or agent restart): new instance, sequence 0. */
void pdu_agent_restart(SimAgent *agent, int64_t boot_time);
/* A random non-zero 32-bit value (instance ids, snapshot ids). */
uint32_t pdu_random32(void);
/* With seed non-zero, pdu_random32() returns the same sequence for the same seed (a
 * reproducible fleet); 0 goes back to the system's random numbers. */
void pdu_random_seed(uint64_t seed);

/* Each returns a new notification PDU (SNMP_MSG_TRAP2 or SNMP_MSG_INFORM
 * per command) that takes the next sequence number of agent, with agent
 * time now (Unix seconds); NULL if out of memory. The caller owns it. */
netsnmp_pdu *pdu_new_heartbeat(SimAgent *agent, int command, int64_t now);
netsnmp_pdu *pdu_new_event(SimAgent *agent, int command, int64_t now, const SimStep *step);
netsnmp_pdu *pdu_new_raid_record(SimAgent *agent, int command, int64_t now,
                                 const SimRaidRecord *record, uint32_t snapshot_id,
                                 uint32_t part_index, uint32_t part_total);
netsnmp_pdu *pdu_new_update(SimAgent *agent, int command, int64_t now, const SimStep *step);
netsnmp_pdu *pdu_new_shutdown(SimAgent *agent, int command, int64_t now, const SimStep *step);
/* Encodes Unix seconds as an 11-octet DateAndTime in UTC into ret (11 bytes). */
void pdu_date_and_time(int64_t when, unsigned char ret[11]);

/* ---------------------------------------------------------------------
 * sender.c: net-snmp sessions (v2c / v3, traps / informs).
 * ------------------------------------------------------------------- */

typedef struct {
	const char *version; /* "2c" or "3" */
	const char *community;
	const char *user;
	const char *auth_protocol; /* SHA, SHA-224, SHA-256, SHA-384, SHA-512, MD5 */
	const char *auth_pass;
	const char *priv_protocol; /* AES (AES-128) */
	const char *priv_pass;
	const char *security_level; /* noAuthNoPriv, authNoPriv, authPriv */
	const char *engine_id;      /* our engine ID for v3 traps, hex */
	const char *target;         /* net-snmp transport string */
	double timeout;             /* seconds, informs */
	int retries;                /* informs */
	bool inform;
} SimSendOptions;

typedef struct SimSender SimSender;

typedef struct {
	uint64_t sent;     /* notifications handed to the network */
	uint64_t acked;    /* informs acknowledged */
	uint64_t timeouts; /* informs never acknowledged after all retries */
	uint64_t errors;   /* local send errors */
} SimSendStats;

/* Checks options and initialises net-snmp; opens nothing yet. NULL with
 * ret_error on failure. */
SimSender *sender_new(const SimSendOptions *options, char *ret_error, size_t error_size);
void sender_free(SimSender *sender);
/* The SNMP command notifications must use (SNMP_MSG_TRAP2 or SNMP_MSG_INFORM). */
int sender_command(const SimSender *sender);
/* Sends pdu (ownership taken in every case) for a host whose engine ID is
 * engine_id ("" or NULL: the global one); waits for the acknowledgement of
 * an inform. Returns 0, or -1 with ret_error. */
int sender_send(SimSender *sender, const char *engine_id, netsnmp_pdu *pdu, char *ret_error,
                size_t error_size);
/* An open session for asynchronous informs (load mode); NULL with ret_error. */
netsnmp_session *sender_session(SimSender *sender, const char *engine_id, char *ret_error,
                                size_t error_size);
const SimSendStats *sender_stats(const SimSender *sender);

/* ---------------------------------------------------------------------
 * schedule.c: hosts ordered by their next heartbeat.
 * ------------------------------------------------------------------- */

typedef struct {
	size_t *heap;      /* items, heap-ordered by (key, item) */
	size_t *positions; /* slot of each item in heap, SIZE_MAX if absent */
	int64_t *keys;     /* per item */
	size_t n;          /* items in the heap */
	size_t n_items;
} SimSchedule;

/* For items 0..n_items-1, none scheduled; 0 or -1 (out of memory). */
int schedule_init(SimSchedule *schedule, size_t n_items);
void schedule_clear(SimSchedule *schedule);
/* Schedules item at key, or moves it there. */
void schedule_set(SimSchedule *schedule, size_t item, int64_t key);
void schedule_remove(SimSchedule *schedule, size_t item);
bool schedule_contains(const SimSchedule *schedule, size_t item);
/* The earliest item (lowest index among equal keys); false if none. */
bool schedule_peek(const SimSchedule *schedule, size_t *ret_item, int64_t *ret_key);

/* ---------------------------------------------------------------------
 * replay.c: runs a scenario on a timeline.
 * ------------------------------------------------------------------- */

typedef struct {
	double speed;    /* scenario seconds per wall second; 0: as fast as possible; <0: auto */
	double max_wall; /* auto speed: fit the scenario into this many seconds */
	bool verbose;    /* one line per notification on stdout */
	unsigned clones; /* each declared host becomes this many (NAME-0001...); 0 or 1: itself */
} SimReplayOptions;

typedef struct {
	uint64_t by_kind[16]; /* notifications per ChopinRecordKind */
	uint64_t notifications;
	size_t hosts; /* simulated hosts, clones included */
	double speed; /* the speed actually used */
	double wall_seconds;
	int64_t scenario_seconds;
} SimReplayStats;

/* Replays scenario through sender. Returns 0 when every notification was
 * sent (and acknowledged, for informs), -1 otherwise (ret_error says why
 * the first failed); stats are filled in both cases. */
int replay_run(const SimScenario *scenario, SimSender *sender, const SimReplayOptions *options,
               SimReplayStats *ret_stats, char *ret_error, size_t error_size);

/* ---------------------------------------------------------------------
 * pool.c: pre-encoded trap packets for the load generator.
 * ------------------------------------------------------------------- */

typedef struct {
	unsigned char *bytes; /* all packets back to back, owned */
	size_t *offsets;      /* n + 1 offsets into bytes, owned */
	size_t *instance_at;  /* offset of the patchable instance id per packet, or SIZE_MAX */
	size_t n;
	size_t total_bytes;
	unsigned n_hosts; /* packet i belongs to host i % n_hosts */
	bool encrypted;   /* SNMPv3: bytes cannot be patched */
} SimPool;

/* Encodes n traps (hosts round robin, sequences 1.. per host) by sending
 * them through a session to a private loopback socket, the fleet's clock at
 * now, starting with its notification number skip (the ones before advance
 * the agents without being encoded); the hosts' heartbeats announce
 * heartbeat_interval seconds. 0, or -1 with ret_error. */
int pool_build(SimPool *ret_pool, const SimSendOptions *options, size_t n, unsigned n_hosts,
               int64_t now, uint64_t skip, unsigned heartbeat_interval, char *ret_error,
               size_t error_size);
/* Gives every host a new agent instance in the v2c packets (sequences
 * restart at 1, so a pool can be reused without duplicates). Returns the
 * number of packets patched. */
size_t pool_renew_instances(SimPool *pool, uint32_t seed);
void pool_clear(SimPool *pool);
/* n_hosts load hosts LOADSIM00001... with their agents (instances with the
 * top bit set) announcing heartbeats every heartbeat_interval seconds; 0, or
 * -1 if out of memory. The caller frees both arrays. */
int pool_fleet_new(unsigned n_hosts, int64_t now, unsigned heartbeat_interval,
                   SimHost **ret_hosts, SimAgent **ret_agents);
/* The round-th notification of a load host: a heartbeat every fourth, else an
 * MR_MONITOR event; NULL if out of memory. */
netsnmp_pdu *pool_fleet_pdu(SimAgent *agent, int command, uint64_t round, int64_t now);

/* ---------------------------------------------------------------------
 * load.c: paced load generation.
 * ------------------------------------------------------------------- */

typedef struct {
	double rate;     /* notifications per second offered */
	double duration; /* seconds */
	uint64_t count;  /* at most this many; 0: rate * duration */
	unsigned hosts;
	unsigned batch;  /* sendmmsg batch */
	size_t pool;     /* pre-encoded packets */
	unsigned window; /* outstanding informs */
	uint64_t seed;   /* non-zero: reproducible agent instances (pdu_random_seed) */
	int64_t epoch;   /* the fleet's clock (boot and event times), Unix seconds (main: now
	                  * unless --epoch) */
	uint64_t skip;   /* traps: start at the fleet's notification number skip */
	unsigned heartbeat_interval; /* seconds the hosts' heartbeats announce (120) */
	bool json;
} SimLoadOptions;

typedef struct {
	const char *mode; /* "trap" or "inform" */
	const char *version;
	uint64_t packets;
	uint64_t bytes;
	uint64_t send_errors;
	int last_errno; /* of the last failed send, 0 if none */
	uint64_t acked;
	uint64_t timeouts;
	uint64_t retransmissions;
	uint64_t pool_size;
	uint64_t pool_cycles; /* times the pool was reused (v2c: with new agent instances) */
	double duration;
	double offered_rate;
	double target_rate;
	double latency_p50_ms;
	double latency_p99_ms;
	double latency_max_ms;
	unsigned window;
} SimLoadReport;

/* Runs the load described by options against send_options->target. 0 when
 * everything was sent (and acknowledged), -1 otherwise; the report is
 * filled in both cases; ret_error is set only for setup failures. */
int load_run(const SimSendOptions *send_options, const SimLoadOptions *options,
             SimLoadReport *ret_report, char *ret_error, size_t error_size);
void load_report_print(FILE *out, const SimLoadReport *report, bool json);

/* ---------------------------------------------------------------------
 * sink.c: counting UDP receiver for load measurements.
 * ------------------------------------------------------------------- */

/* Receives on listen (udp:IPv4:PORT, PORT 0 picks one; announced on
 * stderr) until count packets (0: no limit), duration seconds, or 2 s of
 * silence after the first packet; prints what arrived. 0, or -1 with
 * ret_error. */
int sink_run(const char *listen, double duration, uint64_t count, bool json, char *ret_error,
             size_t error_size);

#endif /* CHOPIN_AGENT_SIM_H */
