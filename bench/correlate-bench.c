/* correlate-bench: generates the PEERS.md SEC input and runs the rule engine over it from memory.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

/* Usage:
 *   correlate-bench generate EVENTS [HOSTS [SEED]]      > input
 *   correlate-bench run RULES INPUT [LIMIT [ALARMS]]
 * "run" parses every line first, then times rules_engine_feed() alone, and prints
 * "events N parse_s X engine_s Y engine_eps Z total_eps W alarms A". ALARMS gets one line per
 * alarm in SEC's output format, to compare with SEC's. */

static const guint event_ids[] = {113, 267, 268, 87, 81, 251, 250, 106, 100};

static guint64
bench_random(guint64 *state)
{
	guint64 x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static const char *
bench_text(guint id)
{
	switch (id) {
	case 113:
		return "Unexpected sense: PD 03(e0xfc/s3) Path 5000c500a1b2c3d4, CDB: 2a 00, "
		       "Sense: 6/29/02";
	case 267:
		return "Command timeout on PD 03(e0xfc/s3) Path 5000c500a1b2c3d4, CDB: 2a 00";
	case 268:
		return "PD 03(e0xfc/s3) Path 5000c500a1b2c3d4 reset (Type 03)";
	case 87:
		return "Error on PD 03(e0xfc/s3) (Error f0)";
	case 81:
		return "State change on VD 00/0 from OPTIMAL(3) to DEGRADED(2)";
	case 251:
		return "VD is now DEGRADED VD 0";
	case 250:
		return "VD is now PARTIALLY DEGRADED VD 0";
	case 106:
		return "Rebuild automatically started on PD 03(e0xfc/s3)";
	default:
		return "Rebuild complete on PD 03(e0xfc/s3)";
	}
}

/* One event per line: EPOCH HOST MR_MONITOR EVENTID ctrl=N TEXT, timestamps spanning < 600 s.
 * 30% of the events come from 2% of the hosts, which mostly log unexpected sense (113), so
 * that thresholds are crossed on a subset as small as the one SEC can process. */
static int
bench_generate(guint64 events, guint hosts, guint64 seed)
{
	guint64 state = seed != 0 ? seed : 0x9e3779b97f4a7c15ull;
	guint noisy = MAX(hosts / 50, 1);
	const gint64 base = 1700000000;
	for (guint64 i = 0; i < events; i++) {
		guint host;
		guint id;
		if (bench_random(&state) % 10 < 3) {
			host = (guint)(bench_random(&state) % noisy);
			id = bench_random(&state) % 10 < 6
			         ? 113
			         : event_ids[bench_random(&state) % G_N_ELEMENTS(event_ids)];
		} else {
			host = (guint)(bench_random(&state) % hosts);
			id = event_ids[bench_random(&state) % G_N_ELEMENTS(event_ids)];
		}
		guint ctrl = (guint)(bench_random(&state) % 2);
		printf("%" G_GINT64_FORMAT " host%05u MR_MONITOR %u ctrl=%u Controller ID: %u %s\n",
		       base + (gint64)(i * 599 / MAX(events, 1)), host, id, ctrl, ctrl,
		       bench_text(id));
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* A parsed line, compact: the RulesEvent is filled from it in the timed loop. */
typedef struct {
	guint32 host;
	guint32 message; /* offset in the input buffer */
	gint64 time_us;
	guint32 id;
	RulesRaidKeys raid;
} BenchEvent;

typedef struct {
	FILE *alarms;
	guint64 count;
	GPtrArray *hosts;
} BenchOutput;

static void
bench_action_cb(const RulesAction *action, gpointer user_data)
{
	BenchOutput *out = user_data;
	if (action->type != RULES_ACTION_RAISED && action->type != RULES_ACTION_UPDATED)
		return;
	gboolean pair = strcmp(action->rule, "sec-pair") == 0;
	if (!pair && action->type != RULES_ACTION_RAISED)
		return; /* SEC writes a threshold once per window */
	out->count++;
	if (out->alarms == NULL)
		return;
	if (pair)
		fprintf(out->alarms, "ALARM VD degraded on %s ctrl %d\n", action->host,
		        action->event->raid.controller);
	else
		fprintf(out->alarms, "THRESH many unexpected sense on %s\n", action->host);
}

static gboolean
bench_parse_line(char *line, GHashTable *host_index, GPtrArray *hosts, char *base,
                 BenchEvent *ret_event)
{
	char *fields[5];
	char *p = line;
	for (guint i = 0; i < 5; i++) {
		fields[i] = p;
		p = strchr(p, ' ');
		if (p == NULL)
			return FALSE;
		*p++ = '\0';
	}
	if (strncmp(fields[4], "ctrl=", 5) != 0)
		return FALSE;
	gpointer index;
	if (!g_hash_table_lookup_extended(host_index, fields[1], NULL, &index)) {
		index = GUINT_TO_POINTER(hosts->len);
		g_ptr_array_add(hosts, g_strdup(fields[1]));
		g_hash_table_insert(host_index, g_ptr_array_index(hosts, hosts->len - 1), index);
	}
	ret_event->host = GPOINTER_TO_UINT(index);
	ret_event->time_us = g_ascii_strtoll(fields[0], NULL, 10) * G_TIME_SPAN_SECOND;
	ret_event->id = (guint32)g_ascii_strtoull(fields[3], NULL, 10);
	ret_event->message = (guint32)(p - base);
	rules_raid_parse(p, &ret_event->raid);
	ret_event->raid.controller = (gint)g_ascii_strtoll(fields[4] + 5, NULL, 10);
	return TRUE;
}

static int
bench_run(const char *rules_path, const char *input_path, guint64 limit, const char *alarms_path)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize size = 0;
	RulesSet *rules = rules_set_new_from_file(rules_path, &error);
	if (rules == NULL || !g_file_get_contents(input_path, &data, &size, &error)) {
		fprintf(stderr, "correlate-bench: %s\n", error->message);
		rules_set_free(rules);
		return 2;
	}
	g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) host_index = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GArray) events = g_array_sized_new(FALSE, FALSE, sizeof(BenchEvent),
	                                             (guint)MIN(size / 60, G_MAXUINT32 / 2));

	gint64 parse_start = g_get_monotonic_time();
	for (char *line = data; *line != '\0' && (limit == 0 || events->len < limit);) {
		char *end = strchr(line, '\n');
		if (end != NULL)
			*end = '\0';
		BenchEvent event;
		if (bench_parse_line(line, host_index, hosts, data, &event))
			g_array_append_val(events, event);
		if (end == NULL)
			break;
		line = end + 1;
	}
	gint64 parse_us = g_get_monotonic_time() - parse_start;

	BenchOutput out = {NULL, 0, hosts};
	if (alarms_path != NULL && (out.alarms = fopen(alarms_path, "w")) == NULL) {
		perror(alarms_path);
		rules_set_free(rules);
		return 2;
	}
	g_autoptr(RulesEngine) engine = rules_engine_new(rules, bench_action_cb, &out);
	RulesEvent event;
	rules_event_init(&event);
	event.source = "MR_MONITOR";
	event.level = RULES_LEVEL_INFORMATION;

	gint64 engine_start = g_get_monotonic_time();
	for (guint i = 0; i < events->len; i++) {
		const BenchEvent *parsed = &g_array_index(events, BenchEvent, i);
		event.host = g_ptr_array_index(hosts, parsed->host);
		event.event_time_us = parsed->time_us;
		event.receive_time_us = parsed->time_us;
		event.event_id = parsed->id;
		event.message = data + parsed->message;
		event.raid = parsed->raid;
		rules_engine_feed(engine, &event);
	}
	gint64 engine_us = MAX(g_get_monotonic_time() - engine_start, 1);
	if (out.alarms != NULL && fclose(out.alarms) != 0) {
		perror(alarms_path);
		return 2;
	}
	RulesEngineStats stats;
	rules_engine_get_stats(engine, &stats);
	printf("events %u parse_s %.3f engine_s %.3f engine_eps %.0f total_eps %.0f alarms "
	       "%" G_GUINT64_FORMAT " keys %" G_GUINT64_FORMAT "\n",
	       events->len, parse_us / 1e6, engine_us / 1e6, events->len * 1e6 / engine_us,
	       events->len * 1e6 / MAX(engine_us + parse_us, 1), out.count, stats.keys);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "generate") == 0)
		return bench_generate(g_ascii_strtoull(argv[2], NULL, 10),
		                      argc > 3 ? (guint)g_ascii_strtoull(argv[3], NULL, 10) : 2000,
		                      argc > 4 ? g_ascii_strtoull(argv[4], NULL, 10) : 1);
	if (argc >= 4 && strcmp(argv[1], "run") == 0)
		return bench_run(argv[2], argv[3],
		                 argc > 4 ? g_ascii_strtoull(argv[4], NULL, 10) : 0,
		                 argc > 5 ? argv[5] : NULL);
	fprintf(stderr, "usage: correlate-bench generate EVENTS [HOSTS [SEED]]\n"
	                "       correlate-bench run RULES INPUT [LIMIT [ALARMS]]\n");
	return 2;
}
