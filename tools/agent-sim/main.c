/* main.c: chopin-agent-sim command line: replay scenarios, check them, or generate load. */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent-sim.h"
#include "chopin-mib.h"

typedef struct {
	SimSendOptions send;
	SimReplayOptions replay;
	SimLoadOptions load;
	double sink_duration;
	bool quiet;
	bool json;
} MainOptions;

enum {
	OPTION_INFORM = 256,
	OPTION_SPEED,
	OPTION_MAX_WALL,
	OPTION_VERBOSE,
	OPTION_RATE,
	OPTION_DURATION,
	OPTION_COUNT,
	OPTION_HOSTS,
	OPTION_WINDOW,
	OPTION_BATCH,
	OPTION_POOL,
	OPTION_SEED,
	OPTION_EPOCH,
	OPTION_SKIP,
	OPTION_HEARTBEAT_INTERVAL,
	OPTION_JSON,
	OPTION_VERSION,
};

static const struct option main_long_options[] = {
    {"target", required_argument, NULL, 'T'},
    {"community", required_argument, NULL, 'c'},
    {"user", required_argument, NULL, 'u'},
    {"engine-id", required_argument, NULL, 'e'},
    {"timeout", required_argument, NULL, 't'},
    {"retries", required_argument, NULL, 'r'},
    {"inform", no_argument, NULL, OPTION_INFORM},
    {"speed", required_argument, NULL, OPTION_SPEED},
    {"max-wall", required_argument, NULL, OPTION_MAX_WALL},
    {"verbose", no_argument, NULL, OPTION_VERBOSE},
    {"quiet", no_argument, NULL, 'q'},
    {"rate", required_argument, NULL, OPTION_RATE},
    {"duration", required_argument, NULL, OPTION_DURATION},
    {"count", required_argument, NULL, OPTION_COUNT},
    {"hosts", required_argument, NULL, OPTION_HOSTS},
    {"window", required_argument, NULL, OPTION_WINDOW},
    {"batch", required_argument, NULL, OPTION_BATCH},
    {"pool", required_argument, NULL, OPTION_POOL},
    {"seed", required_argument, NULL, OPTION_SEED},
    {"epoch", required_argument, NULL, OPTION_EPOCH},
    {"skip", required_argument, NULL, OPTION_SKIP},
    {"heartbeat-interval", required_argument, NULL, OPTION_HEARTBEAT_INTERVAL},
    {"json", no_argument, NULL, OPTION_JSON},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPTION_VERSION},
    {NULL, 0, NULL, 0},
};

static void
main_usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: chopin-agent-sim replay [OPTIONS] -T TARGET SCENARIO...\n"
	    "       chopin-agent-sim check SCENARIO...\n"
	    "       chopin-agent-sim load [OPTIONS] -T TARGET --rate R --duration S\n"
	    "       chopin-agent-sim sink -T udp:127.0.0.1:PORT [--count N] [--duration S]\n"
	    "\n"
	    "Simulates Chopin agents: sends CHOPIN-MIB notifications as SNMP traps or informs.\n"
	    "\n"
	    "SNMP options (as the net-snmp tools):\n"
	    "  -T, --target TRANSPORT   where to send, e.g. udp:127.0.0.1:1162\n"
	    "  -v 2c|3                  SNMP version (default 2c)\n"
	    "  -c COMMUNITY             v2c community (default public)\n"
	    "  -u USER                  v3 user name\n"
	    "  -l LEVEL                 noAuthNoPriv, authNoPriv or authPriv\n"
	    "  -a PROTOCOL              SHA, SHA-224, SHA-256 (default), SHA-384, SHA-512\n"
	    "  -A PASSPHRASE            v3 authentication pass phrase\n"
	    "  -x PROTOCOL              AES (AES-128, default)\n"
	    "  -X PASSPHRASE            v3 privacy pass phrase\n"
	    "  -e ENGINEID              our engine ID for v3 traps (hex)\n"
	    "  -t SECONDS, -r N         inform timeout (default 1) and retries (default 3)\n"
	    "  --inform                 send informs (acknowledged) instead of traps\n"
	    "\n"
	    "Replay options:\n"
	    "  --speed X                scenario seconds per wall second; 'max': no pacing;\n"
	    "                           default: fit each scenario into --max-wall seconds\n"
	    "  --max-wall SECONDS       wall time for the default speed (default 5)\n"
	    "  --verbose                print one line per notification on stdout\n"
	    "  --hosts N                simulate N copies of each declared host (NAME-0001...)\n"
	    "\n"
	    "Load options:\n"
	    "  --rate R                 notifications per second offered (default 10000)\n"
	    "  --duration S             seconds (default 5)\n"
	    "  --count N                stop after N notifications (default rate x duration)\n"
	    "  --hosts N                simulated hosts (default 100)\n"
	    "  --batch N                packets per sendmmsg call (default 64)\n"
	    "  --pool N                 pre-encoded trap packets (default 65536)\n"
	    "  --window N               outstanding informs (default 64)\n"
	    "  --seed N                 the same agent instances for the same N (default:\n"
	    "                           random)\n"
	    "  --epoch T                the fleet's clock, Unix seconds (default: now)\n"
	    "  --skip N                 traps: begin with the fleet's notification N, as if\n"
	    "                           a run with --count N had gone before (the same\n"
	    "                           --seed, --epoch and --hosts make it the same fleet)\n"
	    "  --heartbeat-interval S   the interval the hosts' heartbeats announce, 10 to\n"
	    "                           86400 (default 120; a receiver takes a host as\n"
	    "                           silent after a multiple of it)\n"
	    "\n"
	    "Common: --json (report as JSON), -q/--quiet, -h/--help, --version\n"
	    "Exit: 0 ok, 1 send errors or unacknowledged informs, 2 usage or scenario errors.\n");
}

static int
main_number(const char *option, const char *text, double min, double max, double *ret)
{
	char *end;
	double value = strtod(text, &end);

	if (end == text || *end != '\0' || !(value >= min && value <= max)) {
		fprintf(stderr, "chopin-agent-sim: bad value '%s' for %s (expected %g..%g)\n", text,
		        option, min, max);
		return -1;
	}
	*ret = value;
	return 0;
}

/* Parses options into *o; returns the index of the first operand, or -1 (usage error), or
 * -2 (help or version printed). */
static int
main_parse(int argc, char **argv, MainOptions *o)
{
	double value;
	int c;

	while ((c = getopt_long(argc, argv, "T:v:c:u:l:a:A:x:X:e:t:r:qh", main_long_options,
	                        NULL)) != -1) {
		switch (c) {
		case 'T':
			o->send.target = optarg;
			break;
		case 'v':
			o->send.version = optarg;
			break;
		case 'c':
			o->send.community = optarg;
			break;
		case 'u':
			o->send.user = optarg;
			break;
		case 'l':
			o->send.security_level = optarg;
			break;
		case 'a':
			o->send.auth_protocol = optarg;
			break;
		case 'A':
			o->send.auth_pass = optarg;
			break;
		case 'x':
			o->send.priv_protocol = optarg;
			break;
		case 'X':
			o->send.priv_pass = optarg;
			break;
		case 'e':
			o->send.engine_id = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPTION_INFORM:
			o->send.inform = true;
			break;
		case OPTION_VERBOSE:
			o->replay.verbose = true;
			break;
		case OPTION_JSON:
			o->json = o->load.json = true;
			break;
		case 't':
			if (main_number("-t", optarg, 0.01, 600, &o->send.timeout) < 0)
				return -1;
			break;
		case 'r':
			if (main_number("-r", optarg, 0, 20, &value) < 0)
				return -1;
			o->send.retries = (int)value;
			break;
		case OPTION_SPEED:
			if (strcmp(optarg, "max") == 0)
				o->replay.speed = 0;
			else if (strcmp(optarg, "auto") == 0)
				o->replay.speed = -1;
			else if (main_number("--speed", optarg, 0.001, 1e12, &o->replay.speed) < 0)
				return -1;
			break;
		case OPTION_MAX_WALL:
			if (main_number("--max-wall", optarg, 0.01, 86400, &o->replay.max_wall) < 0)
				return -1;
			break;
		case OPTION_RATE:
			if (main_number("--rate", optarg, 1, 1e8, &o->load.rate) < 0)
				return -1;
			break;
		case OPTION_DURATION:
			if (main_number("--duration", optarg, 0.001, 3600, &o->load.duration) < 0)
				return -1;
			o->sink_duration = o->load.duration;
			break;
		case OPTION_COUNT:
			if (main_number("--count", optarg, 1, 1e10, &value) < 0)
				return -1;
			o->load.count = (uint64_t)value;
			break;
		case OPTION_HOSTS:
			if (main_number("--hosts", optarg, 1, 1000000, &value) < 0)
				return -1;
			o->load.hosts = (unsigned)value;
			o->replay.clones = (unsigned)value;
			break;
		case OPTION_WINDOW:
			if (main_number("--window", optarg, 1, 65536, &value) < 0)
				return -1;
			o->load.window = (unsigned)value;
			break;
		case OPTION_BATCH:
			if (main_number("--batch", optarg, 1, 1024, &value) < 0)
				return -1;
			o->load.batch = (unsigned)value;
			break;
		case OPTION_POOL:
			if (main_number("--pool", optarg, 1, 4194304, &value) < 0)
				return -1;
			o->load.pool = (size_t)value;
			break;
		case OPTION_SEED:
			if (main_number("--seed", optarg, 1, 4294967295.0, &value) < 0)
				return -1;
			o->load.seed = (uint64_t)value;
			break;
		case OPTION_EPOCH:
			if (main_number("--epoch", optarg, 1, 253402300799.0, &value) < 0)
				return -1;
			o->load.epoch = (int64_t)value;
			break;
		case OPTION_SKIP:
			if (main_number("--skip", optarg, 0, 1e10, &value) < 0)
				return -1;
			o->load.skip = (uint64_t)value;
			break;
		case OPTION_HEARTBEAT_INTERVAL:
			if (main_number("--heartbeat-interval", optarg, 10, 86400, &value) < 0)
				return -1;
			o->load.heartbeat_interval = (unsigned)value;
			break;
		case 'h':
			main_usage(stdout);
			return -2;
		case OPTION_VERSION:
			printf("chopin-agent-sim %s\n", PACKAGE_VERSION);
			return -2;
		default:
			return -1;
		}
	}
	return optind;
}

/* Prints text as a JSON string (quotes included). */
static void
main_json_string(FILE *out, const char *text)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void
main_print_replay(const MainOptions *o, const SimScenario *scenario, const SimReplayStats *stats,
                  const SimSendStats *send)
{
	const uint64_t *k = stats->by_kind;
	char speed[32];
	uint64_t raid = k[CHOPIN_KIND_RAID_CONTROLLER] + k[CHOPIN_KIND_RAID_VIRTUAL_DRIVE] +
	                k[CHOPIN_KIND_RAID_PHYSICAL_DRIVE] + k[CHOPIN_KIND_RAID_BATTERY];

	if (o->json) {
		fputs("{\"scenario\":", stdout);
		main_json_string(stdout, scenario->file);
		printf(",\"hosts\":%zu,\"notifications\":%" PRIu64 ",\"heartbeats\":%" PRIu64
		       ",\"events\":%" PRIu64 ",\"raid_parts\":%" PRIu64 ",\"updates\":%" PRIu64
		       ",\"shutdowns\":%" PRIu64 ",\"sent\":%" PRIu64 ",\"acked\":%" PRIu64
		       ",\"timeouts\":%" PRIu64 ",\"errors\":%" PRIu64
		       ",\"scenario_seconds\":%" PRId64 ",\"speed\":%.3f,\"wall_seconds\":%.3f}\n",
		       stats->hosts, stats->notifications, k[CHOPIN_KIND_HEARTBEAT],
		       k[CHOPIN_KIND_EVENT_LOG_ENTRY], raid, k[CHOPIN_KIND_UPDATE_STATUS],
		       k[CHOPIN_KIND_AGENT_SHUTDOWN], send->sent, send->acked, send->timeouts,
		       send->errors, stats->scenario_seconds, stats->speed, stats->wall_seconds);
		return;
	}
	if (o->quiet)
		return;
	if (stats->speed > 0)
		snprintf(speed, sizeof(speed), "%.0fx", stats->speed);
	else
		snprintf(speed, sizeof(speed), "full speed");
	fprintf(stderr,
	        "%s: %" PRIu64 " notifications from %zu hosts (heartbeat %" PRIu64
	        ", event %" PRIu64 ", raid %" PRIu64 ", update %" PRIu64 ", shutdown %" PRIu64
	        "); %" PRId64 " s of scenario at %s in %.2f s; sent %" PRIu64 ", acked %" PRIu64
	        ", timed out %" PRIu64 ", errors %" PRIu64 "\n",
	        scenario->file, stats->notifications, stats->hosts, k[CHOPIN_KIND_HEARTBEAT],
	        k[CHOPIN_KIND_EVENT_LOG_ENTRY], raid, k[CHOPIN_KIND_UPDATE_STATUS],
	        k[CHOPIN_KIND_AGENT_SHUTDOWN], stats->scenario_seconds, speed, stats->wall_seconds,
	        send->sent, send->acked, send->timeouts, send->errors);
}

/* check and replay: every file is parsed before anything is sent. */
static int
main_scenarios(const MainOptions *o, bool send, int n_files, char **files)
{
	char error[SIM_ERROR_MAX];
	SimScenario *scenarios;
	SimSender *sender = NULL;
	int status = SIM_EXIT_OK;

	if (n_files < 1) {
		fprintf(stderr, "chopin-agent-sim: no scenario file given\n");
		return SIM_EXIT_USAGE;
	}
	scenarios = calloc((size_t)n_files, sizeof(*scenarios));
	if (scenarios == NULL)
		return SIM_EXIT_USAGE;
	for (int i = 0; i < n_files; i++) {
		if (scenario_load(files[i], &scenarios[i], error, sizeof(error)) < 0) {
			fprintf(stderr, "%s\n", error);
			status = SIM_EXIT_USAGE;
		}
	}
	if (status == SIM_EXIT_OK && send) {
		sender = sender_new(&o->send, error, sizeof(error));
		if (sender == NULL) {
			fprintf(stderr, "chopin-agent-sim: %s\n", error);
			status = SIM_EXIT_USAGE;
		}
	}
	for (int i = 0; status != SIM_EXIT_USAGE && i < n_files; i++) {
		SimReplayStats stats;

		if (!send) {
			if (!o->quiet)
				printf("%s: ok (%zu hosts, %zu steps, %zu inventories, %" PRId64
				       " s)\n",
				       files[i], scenarios[i].n_hosts, scenarios[i].n_steps,
				       scenarios[i].n_inventories, scenario_span(&scenarios[i]));
			continue;
		}
		if (replay_run(&scenarios[i], sender, &o->replay, &stats, error, sizeof(error)) <
		    0) {
			fprintf(stderr, "chopin-agent-sim: %s: %s\n", files[i], error);
			status = SIM_EXIT_SEND_ERROR;
		}
		fflush(stdout);
		main_print_replay(o, &scenarios[i], &stats, sender_stats(sender));
	}
	sender_free(sender);
	for (int i = 0; i < n_files; i++)
		scenario_clear(&scenarios[i]);
	free(scenarios);
	return status;
}

static int
main_load(const MainOptions *o, int n_operands)
{
	char error[SIM_ERROR_MAX];
	SimLoadReport report;
	int status;

	if (n_operands != 0) {
		fprintf(stderr, "chopin-agent-sim: load takes no operands\n");
		return SIM_EXIT_USAGE;
	}
	if (o->load.skip > 0 && o->send.inform) {
		fprintf(stderr, "chopin-agent-sim: --skip is for traps (informs are not pre-encoded)\n");
		return SIM_EXIT_USAGE;
	}
	if (o->load.seed != 0)
		pdu_random_seed(o->load.seed);
	SimLoadOptions load = o->load;
	if (load.epoch == 0)
		load.epoch = (int64_t)time(NULL);
	status = load_run(&o->send, &load, &report, error, sizeof(error));
	if (status < 0 && report.packets == 0 && error[0] != '\0') {
		fprintf(stderr, "chopin-agent-sim: %s\n", error);
		return SIM_EXIT_USAGE;
	}
	load_report_print(stdout, &report, o->json);
	return status < 0 ? SIM_EXIT_SEND_ERROR : SIM_EXIT_OK;
}

static int
main_sink(const MainOptions *o, int n_operands)
{
	char error[SIM_ERROR_MAX];

	if (n_operands != 0 || o->send.target == NULL) {
		fprintf(stderr,
		        "chopin-agent-sim: sink needs -T udp:ADDRESS:PORT and no operands\n");
		return SIM_EXIT_USAGE;
	}
	if (sink_run(o->send.target, o->sink_duration, o->load.count, o->json, error,
	             sizeof(error)) < 0) {
		fprintf(stderr, "chopin-agent-sim: %s\n", error);
		return SIM_EXIT_USAGE;
	}
	return SIM_EXIT_OK;
}

int
main(int argc, char **argv)
{
	MainOptions o = {
	    .send = {.version = "2c", .community = "public", .timeout = 1.0, .retries = 3},
	    .replay = {.speed = -1, .max_wall = 5.0},
	    .sink_duration = 60,
	    .load = {.rate = 10000,
	             .duration = 5,
	             .hosts = 100,
	             .batch = 64,
	             .pool = 65536,
	             .window = 64,
	             .heartbeat_interval = 120},
	};
	const char *command;
	int first;

	if (argc < 2) {
		main_usage(stderr);
		return SIM_EXIT_USAGE;
	}
	command = argv[1];
	if (command[0] == '-') { /* --help, --version */
		first = main_parse(argc, argv, &o);
		if (first == -2)
			return SIM_EXIT_OK;
		main_usage(stderr);
		return SIM_EXIT_USAGE;
	}
	first = main_parse(argc - 1, argv + 1, &o);
	if (first == -2)
		return SIM_EXIT_OK;
	if (first < 0) {
		fprintf(stderr, "Try 'chopin-agent-sim --help'.\n");
		return SIM_EXIT_USAGE;
	}
	first++; /* index into argv */
	if (strcmp(command, "check") == 0)
		return main_scenarios(&o, false, argc - first, argv + first);
	if (strcmp(command, "replay") == 0)
		return main_scenarios(&o, true, argc - first, argv + first);
	if (strcmp(command, "load") == 0)
		return main_load(&o, argc - first);
	if (strcmp(command, "sink") == 0)
		return main_sink(&o, argc - first);
	fprintf(stderr, "chopin-agent-sim: unknown command '%s' (replay, check or load)\n",
	        command);
	return SIM_EXIT_USAGE;
}
