/* replay.c: runs a scenario on a (compressed) timeline: automatic heartbeats plus the timed steps
 * of every host. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent-sim.h"
#include "chopin-mib.h"

#define REPLAY_MAX_OCCURRENCES 20000000u /* expanded repeats */
#define REPLAY_MAX_FAILURES    10        /* give up after this many failed sends */
#define REPLAY_DEFAULT_WALL    5.0       /* auto speed: seconds of wall time */

/* One execution of a step (a repeated step has several). */
typedef struct {
	int64_t time;
	size_t step;
	uint32_t repetition;
} ReplayOccurrence;

typedef struct {
	SimHost host; /* the declared host, renamed for clones */
	SimAgent agent;
	int64_t phase; /* clones: delay of the second heartbeat, spreading the fleet */
} ReplayHost;

typedef struct {
	const SimScenario *scenario;
	SimSender *sender;
	const SimReplayOptions *options;
	SimReplayStats *stats;
	ReplayHost *hosts; /* declared host h, clone c at h * clones + c */
	size_t n_hosts;
	unsigned clones;
	SimSchedule heartbeats; /* hosts with automatic heartbeats on */
	struct timespec wall_start;
	double speed;
	unsigned failures;
	char *error;
	size_t error_size;
} Replay;

static int
replay_compare_occurrences(const void *a, const void *b)
{
	const ReplayOccurrence *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return x->repetition < y->repetition ? -1 : x->repetition > y->repetition;
}

/* Every step execution in time order (file order for equal times); NULL on error. */
static ReplayOccurrence *
replay_expand(const SimScenario *scenario, size_t *ret_count, char *ret_error, size_t error_size)
{
	ReplayOccurrence *occurrences;
	uint64_t total = 0;
	size_t n = 0;

	for (size_t i = 0; i < scenario->n_steps; i++)
		total += scenario->steps[i].repeat_count;
	if (total > REPLAY_MAX_OCCURRENCES) {
		snprintf(ret_error, error_size, "%s: %" PRIu64 " steps after repeats (at most %u)",
		         scenario->file, total, REPLAY_MAX_OCCURRENCES);
		return NULL;
	}
	occurrences = calloc(total > 0 ? total : 1, sizeof(*occurrences));
	if (occurrences == NULL) {
		snprintf(ret_error, error_size, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < scenario->n_steps; i++) {
		const SimStep *step = &scenario->steps[i];

		for (uint32_t r = 0; r < step->repeat_count; r++) {
			occurrences[n].time = step->offset + (int64_t)r * step->repeat_every;
			occurrences[n].step = i;
			occurrences[n].repetition = r;
			n++;
		}
	}
	qsort(occurrences, n, sizeof(*occurrences), replay_compare_occurrences);
	*ret_count = n;
	return occurrences;
}

/* Sleeps until scenario offset t is due on the wall clock. */
static void
replay_wait(const Replay *replay, int64_t t)
{
	struct timespec due = replay->wall_start;
	double seconds;

	if (replay->speed <= 0)
		return;
	seconds = (double)t / replay->speed;
	due.tv_sec += (time_t)seconds;
	due.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
		;
}

/* Sends one built PDU and accounts for it; 0 or -1. */
static int
replay_emit(Replay *replay, ReplayHost *host, unsigned kind, netsnmp_pdu *pdu, int64_t t,
            const char *detail)
{
	char message[SIM_ERROR_MAX];
	uint32_t sequence = host->agent.sequence;

	if (pdu == NULL) {
		snprintf(replay->error, replay->error_size, "cannot build a %s PDU",
		         chopin_mib_kind_name(kind));
		replay->failures = REPLAY_MAX_FAILURES;
		return -1;
	}
	if (replay->options->verbose) {
		char when[32];
		time_t seconds = (time_t)(replay->scenario->start + t);
		struct tm tm;

		gmtime_r(&seconds, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("%s %s instance=%" PRIu32 " seq=%" PRIu32 " %s%s%s\n", when,
		       host->agent.host->name, host->agent.instance, sequence,
		       chopin_mib_kind_name(kind), detail[0] != '\0' ? " " : "", detail);
	}
	if (sender_send(replay->sender, host->agent.host->engine_id, pdu, message,
	                sizeof(message)) < 0) {
		if (replay->failures++ == 0)
			snprintf(replay->error, replay->error_size, "%s seq %" PRIu32 ": %s",
			         host->agent.host->name, sequence, message);
		return -1;
	}
	replay->stats->notifications++;
	if (kind < sizeof(replay->stats->by_kind) / sizeof(replay->stats->by_kind[0]))
		replay->stats->by_kind[kind]++;
	return 0;
}

static void
replay_heartbeat(Replay *replay, ReplayHost *host, int64_t t)
{
	int command = sender_command(replay->sender);
	netsnmp_pdu *pdu = pdu_new_heartbeat(&host->agent, command, replay->scenario->start + t);

	replay_emit(replay, host, CHOPIN_KIND_HEARTBEAT, pdu, t, "");
}

static void
replay_inventory(Replay *replay, ReplayHost *host, const SimInventory *inventory, int64_t t)
{
	int command = sender_command(replay->sender);
	uint32_t snapshot = host->agent.next_snapshot_id++;
	char detail[128];

	for (size_t i = 0; i < inventory->n_records; i++) {
		const SimRaidRecord *record = &inventory->records[i];
		netsnmp_pdu *pdu = pdu_new_raid_record(
		    &host->agent, command, replay->scenario->start + t, record, snapshot,
		    (uint32_t)(i + 1), (uint32_t)inventory->n_records);

		snprintf(detail, sizeof(detail), "snapshot=%" PRIu32 " part=%zu/%zu %s state=%s",
		         snapshot, i + 1, inventory->n_records,
		         record->id[0] != '\0' ? record->id : "-", record->state);
		replay_emit(replay, host, record->kind, pdu, t, detail);
	}
}

static void
replay_step(Replay *replay, size_t index, const SimStep *step, int64_t t)
{
	ReplayHost *host = &replay->hosts[index];
	int command = sender_command(replay->sender);
	int64_t now = replay->scenario->start + t;
	char detail[256];

	switch (step->kind) {
	case SIM_STEP_HEARTBEAT:
		replay_heartbeat(replay, host, t);
		break;
	case SIM_STEP_EVENT:
		snprintf(detail, sizeof(detail), "%s/%" PRIu32, step->event_source, step->event_id);
		replay_emit(replay, host, CHOPIN_KIND_EVENT_LOG_ENTRY,
		            pdu_new_event(&host->agent, command, now, step), t, detail);
		break;
	case SIM_STEP_INVENTORY:
		replay_inventory(replay, host, &replay->scenario->inventories[step->inventory], t);
		break;
	case SIM_STEP_UPDATE:
		snprintf(detail, sizeof(detail), "pending=%" PRIu32 " failed=%" PRIu32,
		         step->updates_pending, step->updates_failed);
		replay_emit(replay, host, CHOPIN_KIND_UPDATE_STATUS,
		            pdu_new_update(&host->agent, command, now, step), t, detail);
		break;
	case SIM_STEP_SHUTDOWN:
		snprintf(detail, sizeof(detail), "type=%d", step->shutdown_type);
		replay_emit(replay, host, CHOPIN_KIND_AGENT_SHUTDOWN,
		            pdu_new_shutdown(&host->agent, command, now, step), t, detail);
		schedule_remove(&replay->heartbeats, index);
		break;
	case SIM_STEP_SILENCE:
		schedule_remove(&replay->heartbeats, index);
		break;
	case SIM_STEP_REBOOT:
		pdu_agent_restart(&host->agent,
		                  step->reboot_time != INT64_MIN ? step->reboot_time : now);
		/* an agent announces itself when it starts */
		schedule_set(&replay->heartbeats, index, t);
		break;
	}
}

/* Creates the hosts (with their clones) and schedules their first heartbeats; 0 or -1. */
static int
replay_hosts_new(Replay *replay)
{
	const SimScenario *scenario = replay->scenario;

	replay->clones = replay->options->clones > 1 ? replay->options->clones : 1;
	replay->n_hosts = scenario->n_hosts * replay->clones;
	replay->hosts = calloc(replay->n_hosts, sizeof(*replay->hosts));
	if (replay->hosts == NULL || schedule_init(&replay->heartbeats, replay->n_hosts) < 0)
		return -1;
	for (size_t h = 0; h < scenario->n_hosts; h++) {
		for (unsigned c = 0; c < replay->clones; c++) {
			size_t index = h * replay->clones + c;
			ReplayHost *host = &replay->hosts[index];

			host->host = scenario->hosts[h];
			if (replay->clones > 1) {
				/* all announce themselves at 0, then beat spread over an interval
				 */
				snprintf(host->host.name, sizeof(host->host.name), "%.240s-%04u",
				         scenario->hosts[h].name, c + 1);
				host->phase =
				    (int64_t)c * host->host.heartbeat_interval / replay->clones;
			}
			pdu_agent_init(&host->agent, &host->host, host->host.boot_time);
			schedule_set(&replay->heartbeats, index, 0);
		}
	}
	return 0;
}

static double
replay_elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int
replay_run(const SimScenario *scenario, SimSender *sender, const SimReplayOptions *options,
           SimReplayStats *ret_stats, char *ret_error, size_t error_size)
{
	Replay replay = {.scenario = scenario,
	                 .sender = sender,
	                 .options = options,
	                 .stats = ret_stats,
	                 .error = ret_error,
	                 .error_size = error_size};
	int64_t span = scenario_span(scenario);
	ReplayOccurrence *occurrences;
	size_t n_occurrences = 0, next = 0;

	memset(ret_stats, 0, sizeof(*ret_stats));
	ret_stats->scenario_seconds = span;
	occurrences = replay_expand(scenario, &n_occurrences, ret_error, error_size);
	if (occurrences == NULL)
		return -1;
	if (replay_hosts_new(&replay) < 0) {
		free(replay.hosts);
		schedule_clear(&replay.heartbeats);
		free(occurrences);
		snprintf(ret_error, error_size, "out of memory");
		return -1;
	}
	replay.speed = options->speed;
	if (replay.speed < 0) {
		double wall = options->max_wall > 0 ? options->max_wall : REPLAY_DEFAULT_WALL;

		replay.speed = (double)span / wall;
		if (replay.speed < 1)
			replay.speed = 1;
	}
	ret_stats->speed = replay.speed;
	ret_stats->hosts = replay.n_hosts;
	clock_gettime(CLOCK_MONOTONIC, &replay.wall_start);
	while (replay.failures < REPLAY_MAX_FAILURES) {
		int64_t step_time = next < n_occurrences ? occurrences[next].time : INT64_MAX;
		int64_t limit = step_time < span ? step_time : span, t;
		const SimStep *step;
		size_t index;

		if (schedule_peek(&replay.heartbeats, &index, &t) && t <= limit) {
			ReplayHost *host = &replay.hosts[index];

			replay_wait(&replay, t);
			schedule_set(
			    &replay.heartbeats, index,
			    t + (host->phase > 0 ? host->phase : host->host.heartbeat_interval));
			host->phase = 0;
			replay_heartbeat(&replay, host, t);
			continue;
		}
		if (next >= n_occurrences)
			break;
		replay_wait(&replay, step_time);
		step = &scenario->steps[occurrences[next].step];
		for (unsigned c = 0; c < replay.clones; c++)
			replay_step(&replay, step->host * replay.clones + c, step, step_time);
		next++;
	}
	ret_stats->wall_seconds = replay_elapsed(&replay.wall_start);
	schedule_clear(&replay.heartbeats);
	free(replay.hosts);
	free(occurrences);
	return replay.failures == 0 ? 0 : -1;
}
