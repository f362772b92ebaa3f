/* scenario.c: parses scenario files (hosts, inventories, timed steps) into a SimScenario. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent-sim.h"
#include "chopin-mib.h"
#include "scenario-lex.h"
#include "scenario-parser.h"

#define SCENARIO_MAX_BYTES (16u * 1024 * 1024)

/* Writes "file:line: message" and returns -1. */
int
parser_fail(Parser *parser, const char *format, ...)
{
	char message[SIM_ERROR_MAX];
	va_list args;

	va_start(args, format);
	vsnprintf(message, sizeof(message), format, args);
	va_end(args);
	snprintf(parser->error, parser->error_size, "%s:%u: %s", parser->file, parser->line,
	         message);
	return -1;
}

/* Grows *array (of element_size) so that one more element fits; 0 or -1. */
int
parser_grow(void **array, size_t count, size_t *capacity, size_t element_size)
{
	void *grown;
	size_t wanted;

	if (count < *capacity)
		return 0;
	wanted = *capacity != 0 ? *capacity * 2 : 8;
	grown = realloc(*array, wanted * element_size);
	if (grown == NULL)
		return -1;
	memset((char *)grown + *capacity * element_size, 0, (wanted - *capacity) * element_size);
	*array = grown;
	*capacity = wanted;
	return 0;
}

int
parser_text(Parser *parser, char *destination, size_t size, const char *key, const char *value)
{
	size_t len = strlen(value);

	if (len >= size)
		return parser_fail(parser, "%s is too long (at most %zu octets)", key, size - 1);
	memcpy(destination, value, len + 1);
	return 0;
}

int
parser_required_text(Parser *parser, char *destination, size_t size, const char *key,
                     const char *value)
{
	if (value[0] == '\0')
		return parser_fail(parser, "%s must not be empty", key);
	return parser_text(parser, destination, size, key, value);
}

int
parser_u32(Parser *parser, uint32_t *destination, const char *key, const char *value, uint64_t min,
           uint64_t max)
{
	uint64_t number;

	if (lex_parse_u64(value, min, max, &number) < 0)
		return parser_fail(parser,
		                   "bad value '%s' for %s (expected %" PRIu64 "..%" PRIu64 ")",
		                   value, key, min, max);
	*destination = (uint32_t)number;
	return 0;
}

int
parser_int(Parser *parser, int *destination, const char *key, const char *value, int64_t min,
           int64_t max)
{
	int64_t number;

	if (lex_parse_i64(value, min, max, &number) < 0)
		return parser_fail(parser,
		                   "bad value '%s' for %s (expected %" PRId64 "..%" PRId64 ")",
		                   value, key, min, max);
	*destination = (int)number;
	return 0;
}

/* TruthValue from yes/no. */
int
parser_truth(Parser *parser, int *destination, const char *key, const char *value)
{
	bool flag;

	if (lex_parse_bool(value, &flag) < 0)
		return parser_fail(parser, "bad value '%s' for %s (expected yes or no)", value,
		                   key);
	*destination = flag ? 1 : 2;
	return 0;
}

int
parser_time(Parser *parser, int64_t *destination, const char *value)
{
	if (scenario_parse_utc(value, destination) < 0)
		return parser_fail(parser, "bad time '%s' (expected YYYY-MM-DDTHH:MM:SSZ)", value);
	return 0;
}

/* An offset: a duration after start, or an absolute UTC time not before start. */
int
parser_offset(Parser *parser, int64_t *destination, const char *value)
{
	int64_t when;

	if (strchr(value, 'T') != NULL && strchr(value, '-') != NULL) {
		if (parser_time(parser, &when, value) < 0)
			return -1;
		if (when < parser->scenario->start)
			return parser_fail(parser, "time '%s' is before start", value);
		*destination = when - parser->scenario->start;
		return 0;
	}
	if (scenario_parse_duration(value, destination) < 0)
		return parser_fail(parser,
		                   "bad offset '%s' (expected e.g. 90, 90s, 15m, 2h, 7d, 1h30m or "
		                   "a UTC time)",
		                   value);
	return 0;
}

int
parser_unknown_key(Parser *parser, const LexToken *token, const char *what)
{
	if (token->key == NULL)
		return parser_fail(parser, "unexpected '%s' in %s (expected key=value)",
		                   token->value, what);
	return parser_fail(parser, "unknown key '%s' for %s", token->key, what);
}

SimHost *
parser_find_host(Parser *parser, const char *name, size_t *ret_index)
{
	for (size_t i = 0; i < parser->scenario->n_hosts; i++) {
		if (strcasecmp(parser->scenario->hosts[i].name, name) == 0) {
			if (ret_index != NULL)
				*ret_index = i;
			return &parser->scenario->hosts[i];
		}
	}
	return NULL;
}

static int
parser_host_key(Parser *parser, SimHost *host, const LexToken *token)
{
	const char *key = token->key, *value = token->value;
	unsigned char engine_id[32];
	int64_t seconds;

	if (key == NULL)
		return parser_unknown_key(parser, token, "host");
	if (strcmp(key, "os") == 0)
		return parser_required_text(parser, host->os_name, sizeof(host->os_name), key,
		                            value);
	if (strcmp(key, "version") == 0)
		return parser_required_text(parser, host->os_version, sizeof(host->os_version), key,
		                            value);
	if (strcmp(key, "model") == 0)
		return parser_text(parser, host->hardware_model, sizeof(host->hardware_model), key,
		                   value);
	if (strcmp(key, "agent") == 0)
		return parser_required_text(parser, host->agent_version,
		                            sizeof(host->agent_version), key, value);
	if (strcmp(key, "type") == 0) {
		static const char *const types[] = {"physical", "virtual", "unknown"};

		for (int i = 0; i < 3; i++) {
			if (strcmp(value, types[i]) == 0) {
				host->machine_type = i + 1;
				return 0;
			}
		}
		return parser_fail(
		    parser, "bad value '%s' for type (expected physical, virtual or unknown)",
		    value);
	}
	if (strcmp(key, "heartbeat") == 0) {
		if (scenario_parse_duration(value, &seconds) < 0 || seconds < 10 || seconds > 86400)
			return parser_fail(
			    parser, "bad value '%s' for heartbeat (expected 10s..1d)", value);
		host->heartbeat_interval = (uint32_t)seconds;
		return 0;
	}
	if (strcmp(key, "boot") == 0)
		return parser_time(parser, &host->boot_time, value);
	if (strcmp(key, "record") == 0)
		return parser_u32(parser, &host->first_record_id, key, value, 0, UINT32_MAX);
	if (strcmp(key, "engine-id") == 0) {
		int len = lex_parse_hex(value, engine_id, sizeof(engine_id));

		if (len < 5)
			return parser_fail(
			    parser, "bad value '%s' for engine-id (expected 5 to 32 octets in hex)",
			    value);
		return parser_text(parser, host->engine_id, sizeof(host->engine_id), key, value);
	}
	return parser_unknown_key(parser, token, "host");
}

static int
parser_host(Parser *parser)
{
	SimScenario *scenario = parser->scenario;
	const LexLine *lex = &parser->lex;
	SimHost *host;

	if (lex->n_tokens < 2 || lex->tokens[1].key != NULL)
		return parser_fail(parser, "host needs a name");
	if (parser_find_host(parser, lex->tokens[1].value, NULL) != NULL)
		return parser_fail(parser, "host '%s' declared twice", lex->tokens[1].value);
	if (parser_grow((void **)&scenario->hosts, scenario->n_hosts, &parser->hosts_capacity,
	                sizeof(SimHost)) < 0)
		return parser_fail(parser, "out of memory");
	host = &scenario->hosts[scenario->n_hosts];
	memset(host, 0, sizeof(*host));
	if (parser_text(parser, host->name, sizeof(host->name), "host name", lex->tokens[1].value) <
	    0)
		return -1;
	snprintf(host->os_name, sizeof(host->os_name), "Windows Server 2019 Standard");
	snprintf(host->os_version, sizeof(host->os_version), "10.0.17763");
	snprintf(host->agent_version, sizeof(host->agent_version), "%s", PACKAGE_VERSION);
	host->machine_type = 1;
	host->heartbeat_interval = 120;
	host->boot_time = scenario->start - 86400;
	host->first_record_id = 1000;
	for (size_t i = 2; i < lex->n_tokens; i++) {
		if (parser_host_key(parser, host, &lex->tokens[i]) < 0)
			return -1;
	}
	scenario->n_hosts++;
	return 0;
}

/* One key of a controller / vd / pd / battery record. */
static int
parser_record_key(Parser *parser, SimRaidRecord *record, const LexToken *token, const char *what)
{
	const char *key = token->key, *value = token->value;
	unsigned kind = record->kind;
	bool drive = kind == CHOPIN_KIND_RAID_PHYSICAL_DRIVE;

	if (key == NULL)
		return parser_unknown_key(parser, token, what);
	if (strcmp(key, "state") == 0)
		return parser_text(parser, record->state, sizeof(record->state), key, value);
	if (strcmp(key, "ctrl") == 0 && kind != CHOPIN_KIND_RAID_CONTROLLER &&
	    kind != CHOPIN_KIND_RAID_BATTERY)
		return parser_u32(parser, &record->controller, key, value, 0, 255);
	if (strcmp(key, "model") == 0 && kind != CHOPIN_KIND_RAID_VIRTUAL_DRIVE)
		return parser_text(parser, record->model, sizeof(record->model), key, value);
	if (strcmp(key, "serial") == 0 && (drive || kind == CHOPIN_KIND_RAID_CONTROLLER))
		return parser_text(parser, record->serial, sizeof(record->serial), key, value);
	if (strcmp(key, "firmware") == 0 && (drive || kind == CHOPIN_KIND_RAID_CONTROLLER))
		return parser_text(parser, record->firmware, sizeof(record->firmware), key, value);
	if (strcmp(key, "correctable") == 0 && kind == CHOPIN_KIND_RAID_CONTROLLER)
		return parser_u32(parser, &record->correctable_errors, key, value, 0, UINT32_MAX);
	if (strcmp(key, "uncorrectable") == 0 && kind == CHOPIN_KIND_RAID_CONTROLLER)
		return parser_u32(parser, &record->uncorrectable_errors, key, value, 0, UINT32_MAX);
	if (strcmp(key, "type") == 0 && kind == CHOPIN_KIND_RAID_VIRTUAL_DRIVE)
		return parser_text(parser, record->vd_type, sizeof(record->vd_type), key, value);
	if (strcmp(key, "name") == 0 && kind == CHOPIN_KIND_RAID_VIRTUAL_DRIVE)
		return parser_text(parser, record->name, sizeof(record->name), key, value);
	if (strcmp(key, "size") == 0 && (drive || kind == CHOPIN_KIND_RAID_VIRTUAL_DRIVE)) {
		if (lex_parse_size_mib(value, &record->size_mib) < 0)
			return parser_fail(
			    parser, "bad value '%s' for size (expected MiB or e.g. 278.875GiB)",
			    value);
		return 0;
	}
	if (strcmp(key, "temp") == 0 && (drive || kind == CHOPIN_KIND_RAID_BATTERY))
		return parser_int(parser, &record->temperature, key, value, -50, 200);
	if (strcmp(key, "replace") == 0 && kind == CHOPIN_KIND_RAID_BATTERY)
		return parser_truth(parser, &record->battery_replace, key, value);
	if (!drive)
		return parser_unknown_key(parser, token, what);
	if (strcmp(key, "did") == 0)
		return parser_u32(parser, &record->device_id, key, value, 0, 65535);
	if (strcmp(key, "dg") == 0)
		return parser_int(parser, &record->disk_group, key, value, -1, 255);
	if (strcmp(key, "media") == 0)
		return parser_text(parser, record->media_type, sizeof(record->media_type), key,
		                   value);
	if (strcmp(key, "intf") == 0)
		return parser_text(parser, record->interface_type, sizeof(record->interface_type),
		                   key, value);
	if (strcmp(key, "wwn") == 0)
		return parser_text(parser, record->wwn, sizeof(record->wwn), key, value);
	if (strcmp(key, "media-errors") == 0)
		return parser_u32(parser, &record->media_errors, key, value, 0, UINT32_MAX);
	if (strcmp(key, "other-errors") == 0)
		return parser_u32(parser, &record->other_errors, key, value, 0, UINT32_MAX);
	if (strcmp(key, "predictive") == 0)
		return parser_u32(parser, &record->predictive_failures, key, value, 0, UINT32_MAX);
	if (strcmp(key, "smart") == 0)
		return parser_truth(parser, &record->smart_alert, key, value);
	return parser_unknown_key(parser, token, what);
}

/* "controller N", "vd D/V", "pd E:S" or "battery N" inside an inventory block. */
static int
parser_record(Parser *parser)
{
	static const struct {
		const char *word;
		unsigned kind;
	} words[] = {{"controller", CHOPIN_KIND_RAID_CONTROLLER},
	             {"vd", CHOPIN_KIND_RAID_VIRTUAL_DRIVE},
	             {"pd", CHOPIN_KIND_RAID_PHYSICAL_DRIVE},
	             {"battery", CHOPIN_KIND_RAID_BATTERY}};
	SimInventory *inventory = parser->open_inventory;
	const LexLine *lex = &parser->lex;
	const char *word = lex->tokens[0].value, *id;
	SimRaidRecord *record;
	unsigned kind = 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(word, words[i].word) == 0)
			kind = words[i].kind;
	}
	if (kind == 0 || lex->tokens[0].key != NULL)
		return parser_fail(
		    parser, "unknown record '%s' (expected controller, vd, pd, battery or '}')",
		    lex->tokens[0].key != NULL ? lex->tokens[0].key : word);
	if (lex->n_tokens < 2 || lex->tokens[1].key != NULL)
		return parser_fail(parser, "%s needs an id", word);
	if (parser_grow((void **)&inventory->records, inventory->n_records,
	                &parser->records_capacity, sizeof(SimRaidRecord)) < 0)
		return parser_fail(parser, "out of memory");
	record = &inventory->records[inventory->n_records];
	memset(record, 0, sizeof(*record));
	record->kind = kind;
	record->disk_group = -1;
	record->smart_alert = 2;
	record->battery_replace = 2;
	record->temperature = 30;
	id = lex->tokens[1].value;
	if (kind == CHOPIN_KIND_RAID_CONTROLLER || kind == CHOPIN_KIND_RAID_BATTERY) {
		if (parser_u32(parser, &record->controller, word, id, 0, 255) < 0)
			return -1;
	} else if (kind == CHOPIN_KIND_RAID_VIRTUAL_DRIVE && strchr(id, '/') == NULL) {
		return parser_fail(parser, "bad vd id '%s' (expected DG/VD, e.g. 0/0)", id);
	} else if (kind == CHOPIN_KIND_RAID_PHYSICAL_DRIVE && strchr(id, ':') == NULL) {
		return parser_fail(parser, "bad pd id '%s' (expected EID:Slt, e.g. 252:7)", id);
	} else if (parser_text(parser, record->id, sizeof(record->id), word, id) < 0) {
		return -1;
	}
	for (size_t i = 2; i < lex->n_tokens; i++) {
		if (parser_record_key(parser, record, &lex->tokens[i], word) < 0)
			return -1;
	}
	if (record->state[0] == '\0')
		return parser_fail(parser, "%s %s needs state=", word, id);
	inventory->n_records++;
	return 0;
}

static int
parser_inventory(Parser *parser)
{
	SimScenario *scenario = parser->scenario;
	const LexLine *lex = &parser->lex;
	SimInventory *inventory;

	if (lex->n_tokens != 2 || lex->tokens[1].key != NULL || !lex->opens_block)
		return parser_fail(parser, "expected 'inventory NAME {'");
	for (size_t i = 0; i < scenario->n_inventories; i++) {
		if (strcmp(scenario->inventories[i].name, lex->tokens[1].value) == 0)
			return parser_fail(parser, "inventory '%s' declared twice",
			                   lex->tokens[1].value);
	}
	if (parser_grow((void **)&scenario->inventories, scenario->n_inventories,
	                &parser->inventories_capacity, sizeof(SimInventory)) < 0)
		return parser_fail(parser, "out of memory");
	inventory = &scenario->inventories[scenario->n_inventories];
	memset(inventory, 0, sizeof(*inventory));
	if (parser_text(parser, inventory->name, sizeof(inventory->name), "inventory name",
	                lex->tokens[1].value) < 0)
		return -1;
	inventory->line = parser->line;
	scenario->n_inventories++;
	parser->open_inventory = inventory;
	parser->records_capacity = 0;
	return 0;
}

/* Handles one non-empty line outside or inside an inventory block. */
static int
parser_directive(Parser *parser)
{
	SimScenario *scenario = parser->scenario;
	const LexLine *lex = &parser->lex;
	const char *word = lex->tokens[0].key != NULL ? lex->tokens[0].key : lex->tokens[0].value;

	if (lex->n_tokens == 1 && lex->tokens[0].key == NULL && strcmp(word, "}") == 0) {
		if (parser->open_inventory == NULL)
			return parser_fail(parser, "'}' outside an inventory");
		if (parser->open_inventory->n_records == 0)
			return parser_fail(parser, "inventory '%s' is empty",
			                   parser->open_inventory->name);
		parser->open_inventory = NULL;
		return 0;
	}
	if (lex->opens_block && strcmp(word, "inventory") != 0)
		return parser_fail(parser, "unexpected '{'");
	if (parser->open_inventory != NULL)
		return parser_record(parser);
	if (lex->tokens[0].key != NULL)
		return parser_fail(parser, "unknown directive '%s'", word);
	if (strcmp(word, "start") == 0) {
		if (parser->have_start)
			return parser_fail(parser, "start given twice");
		if (lex->n_tokens != 2 || lex->tokens[1].key != NULL)
			return parser_fail(parser, "expected 'start YYYY-MM-DDTHH:MM:SSZ'");
		if (parser_time(parser, &scenario->start, lex->tokens[1].value) < 0)
			return -1;
		parser->have_start = true;
		return 0;
	}
	if (strcmp(word, "host") != 0 && strcmp(word, "inventory") != 0 &&
	    strcmp(word, "at") != 0 && strcmp(word, "end") != 0)
		return parser_fail(parser, "unknown directive '%s'", word);
	if (!parser->have_start)
		return parser_fail(parser, "%s before start (the start line comes first)", word);
	if (strcmp(word, "host") == 0)
		return parser_host(parser);
	if (strcmp(word, "inventory") == 0)
		return parser_inventory(parser);
	if (strcmp(word, "end") == 0) {
		if (scenario->end >= 0)
			return parser_fail(parser, "end given twice");
		if (lex->n_tokens != 2 || lex->tokens[1].key != NULL)
			return parser_fail(parser, "expected 'end OFFSET'");
		return parser_offset(parser, &scenario->end, lex->tokens[1].value);
	}
	return parser_step(parser);
}

int
scenario_parse(const char *file_name, const char *text, size_t len, SimScenario *ret_scenario,
               char *ret_error, size_t error_size)
{
	Parser *parser;
	size_t pos = 0;
	int status = -1;

	parser = calloc(1, sizeof(*parser));
	if (parser == NULL) {
		snprintf(ret_error, error_size, "%s: out of memory", file_name);
		return -1;
	}
	memset(ret_scenario, 0, sizeof(*ret_scenario));
	ret_scenario->end = -1;
	snprintf(ret_scenario->file, sizeof(ret_scenario->file), "%s", file_name);
	parser->scenario = ret_scenario;
	parser->file = file_name;
	parser->error = ret_error;
	parser->error_size = error_size;
	while (pos < len) {
		const char *line = text + pos, *newline = memchr(line, '\n', len - pos);
		size_t line_len = newline != NULL ? (size_t)(newline - line) : len - pos;
		char message[SIM_ERROR_MAX];

		pos += line_len + (newline != NULL ? 1 : 0);
		parser->line++;
		if (line_len > 0 && line[line_len - 1] == '\r')
			line_len--;
		if (memchr(line, '\0', line_len) != NULL) {
			parser_fail(parser, "NUL byte in line");
			goto out;
		}
		if (lex_line(line, line_len, &parser->lex, message, sizeof(message)) < 0) {
			parser_fail(parser, "%s", message);
			goto out;
		}
		if (parser->lex.n_tokens == 0) {
			if (parser->lex.opens_block) {
				parser_fail(parser, "unexpected '{'");
				goto out;
			}
			continue;
		}
		if (parser_directive(parser) < 0)
			goto out;
	}
	if (parser->line == 0)
		parser->line = 1;
	if (parser->open_inventory != NULL) {
		parser->line = parser->open_inventory->line;
		parser_fail(parser, "inventory '%s' is not closed with '}'",
		            parser->open_inventory->name);
		goto out;
	}
	if (!parser->have_start) {
		parser_fail(parser, "no start line");
		goto out;
	}
	if (ret_scenario->n_hosts == 0) {
		parser_fail(parser, "no host declared");
		goto out;
	}
	status = 0;
out:
	free(parser);
	if (status < 0)
		scenario_clear(ret_scenario);
	return status;
}

int
scenario_load(const char *path, SimScenario *ret_scenario, char *ret_error, size_t error_size)
{
	FILE *file;
	char *text;
	size_t len;
	int status;

	memset(ret_scenario, 0, sizeof(*ret_scenario));
	file = fopen(path, "rb");
	if (file == NULL) {
		snprintf(ret_error, error_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(SCENARIO_MAX_BYTES + 1);
	if (text == NULL) {
		fclose(file);
		snprintf(ret_error, error_size, "%s: out of memory", path);
		return -1;
	}
	len = fread(text, 1, SCENARIO_MAX_BYTES + 1, file);
	if (ferror(file) || len > SCENARIO_MAX_BYTES) {
		snprintf(ret_error, error_size, "%s: %s", path,
		         ferror(file) ? "read error" : "file too large (at most 16 MiB)");
		fclose(file);
		free(text);
		return -1;
	}
	fclose(file);
	status = scenario_parse(path, text, len, ret_scenario, ret_error, error_size);
	free(text);
	return status;
}

void
scenario_clear(SimScenario *scenario)
{
	if (scenario == NULL)
		return;
	for (size_t i = 0; i < scenario->n_inventories; i++)
		free(scenario->inventories[i].records);
	for (size_t i = 0; i < scenario->n_steps; i++) {
		free(scenario->steps[i].event_message);
		free(scenario->steps[i].updates_list);
	}
	free(scenario->inventories);
	free(scenario->hosts);
	free(scenario->steps);
	memset(scenario, 0, sizeof(*scenario));
	scenario->end = -1;
}

int64_t
scenario_span(const SimScenario *scenario)
{
	int64_t span = 0;

	if (scenario->end >= 0)
		return scenario->end;
	for (size_t i = 0; i < scenario->n_steps; i++) {
		const SimStep *step = &scenario->steps[i];
		int64_t last =
		    step->offset + (int64_t)(step->repeat_count - 1) * step->repeat_every;

		if (last > span)
			span = last;
	}
	return span;
}
