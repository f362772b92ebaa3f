/* scenario-step.c: parses the timed steps of a scenario ("at OFFSET [repeat N every D] ACTION HOST
 * ..."). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent-sim.h"
#include "chopin-mib.h"
#include "scenario-parser.h"

#define REPEAT_MAX 1000000u

static const struct {
	const char *name;
	SimStepKind kind;
	bool repeatable;
} step_actions[] = {
    {"heartbeat", SIM_STEP_HEARTBEAT, true}, {"event", SIM_STEP_EVENT, true},
    {"inventory", SIM_STEP_INVENTORY, true}, {"update", SIM_STEP_UPDATE, true},
    {"shutdown", SIM_STEP_SHUTDOWN, false},  {"silence", SIM_STEP_SILENCE, false},
    {"reboot", SIM_STEP_REBOOT, false},
};

static int
step_owned_text(Parser *parser, char **destination, const char *key, const char *value, size_t max)
{
	size_t len = strlen(value);

	if (len > max)
		return parser_fail(parser, "%s is too long (at most %zu octets)", key, max);
	free(*destination);
	*destination = strdup(value);
	if (*destination == NULL)
		return parser_fail(parser, "out of memory");
	return 0;
}

static int
step_event_level(Parser *parser, SimStep *step, const char *value)
{
	static const char *const levels[] = {"critical", "error", "warning", "information",
	                                     "verbose"};

	for (int i = 0; i < 5; i++) {
		if (strcasecmp(value, levels[i]) == 0) {
			step->event_level = i + 1;
			return 0;
		}
	}
	if (strcasecmp(value, "info") == 0) {
		step->event_level = 4;
		return 0;
	}
	return parser_fail(parser,
	                   "bad value '%s' for level (expected critical, error, warning, "
	                   "information or verbose)",
	                   value);
}

static int
step_event_key(Parser *parser, SimStep *step, const LexToken *token)
{
	const char *key = token->key, *value = token->value;

	if (key == NULL)
		return parser_unknown_key(parser, token, "event");
	if (strcmp(key, "source") == 0)
		return parser_required_text(parser, step->event_source, sizeof(step->event_source),
		                            key, value);
	if (strcmp(key, "log") == 0)
		return parser_required_text(parser, step->event_log, sizeof(step->event_log), key,
		                            value);
	if (strcmp(key, "id") == 0)
		return parser_u32(parser, &step->event_id, key, value, 0, 65535);
	if (strcmp(key, "level") == 0)
		return step_event_level(parser, step, value);
	if (strcmp(key, "message") == 0)
		return step_owned_text(parser, &step->event_message, key, value, 2048);
	return parser_unknown_key(parser, token, "event");
}

static int
step_update_key(Parser *parser, SimStep *step, const LexToken *token)
{
	const char *key = token->key, *value = token->value;

	if (key == NULL)
		return parser_unknown_key(parser, token, "update");
	if (strcmp(key, "pending") == 0)
		return parser_u32(parser, &step->updates_pending, key, value, 0, 65535);
	if (strcmp(key, "security") == 0)
		return parser_u32(parser, &step->updates_security, key, value, 0, 65535);
	if (strcmp(key, "failed") == 0)
		return parser_u32(parser, &step->updates_failed, key, value, 0, 65535);
	if (strcmp(key, "reboot") == 0)
		return parser_truth(parser, &step->updates_reboot_required, key, value);
	if (strcmp(key, "kbs") == 0)
		return step_owned_text(parser, &step->updates_list, key, value, 2048);
	if (strcmp(key, "last-success") == 0)
		return parser_time(parser, &step->updates_last_success, value);
	return parser_unknown_key(parser, token, "update");
}

static int
step_shutdown_key(Parser *parser, SimStep *step, const LexToken *token)
{
	static const char *const types[] = {"shutdown", "restart", "agent-stop"};
	const char *key = token->key, *value = token->value;

	if (key != NULL && strcmp(key, "reason") == 0)
		return parser_text(parser, step->shutdown_reason, sizeof(step->shutdown_reason),
		                   key, value);
	if (key != NULL && strcmp(key, "type") == 0) {
		for (int i = 0; i < 3; i++) {
			if (strcmp(value, types[i]) == 0) {
				step->shutdown_type = i + 1;
				return 0;
			}
		}
		return parser_fail(
		    parser, "bad value '%s' for type (expected shutdown, restart or agent-stop)",
		    value);
	}
	return parser_unknown_key(parser, token, "shutdown");
}

/* The arguments after the host name. */
static int
step_arguments(Parser *parser, SimStep *step, const char *action, size_t first)
{
	const LexLine *lex = &parser->lex;
	SimScenario *scenario = parser->scenario;

	if (step->kind == SIM_STEP_INVENTORY) {
		size_t i;

		if (first >= lex->n_tokens || lex->tokens[first].key != NULL)
			return parser_fail(parser,
			                   "inventory needs an inventory name after the host");
		for (i = 0; i < scenario->n_inventories; i++) {
			if (strcmp(scenario->inventories[i].name, lex->tokens[first].value) == 0)
				break;
		}
		if (i == scenario->n_inventories)
			return parser_fail(parser, "unknown inventory '%s'",
			                   lex->tokens[first].value);
		step->inventory = i;
		first++;
	}
	for (size_t i = first; i < lex->n_tokens; i++) {
		const LexToken *token = &lex->tokens[i];
		int status;

		switch (step->kind) {
		case SIM_STEP_EVENT:
			status = step_event_key(parser, step, token);
			break;
		case SIM_STEP_UPDATE:
			status = step_update_key(parser, step, token);
			break;
		case SIM_STEP_SHUTDOWN:
			status = step_shutdown_key(parser, step, token);
			break;
		case SIM_STEP_REBOOT:
			if (token->key != NULL && strcmp(token->key, "boot") == 0)
				status = parser_time(parser, &step->reboot_time, token->value);
			else
				status = parser_unknown_key(parser, token, action);
			break;
		default:
			if (token->key == NULL)
				status =
				    parser_fail(parser, "unexpected '%s' after %s %s", token->value,
				                action, lex->tokens[first - 1].value);
			else
				status = parser_unknown_key(parser, token, action);
			break;
		}
		if (status < 0)
			return -1;
	}
	if (step->kind == SIM_STEP_EVENT) {
		if (step->event_source[0] == '\0')
			return parser_fail(parser, "event needs source=");
		if (step->event_level == 0)
			return parser_fail(parser, "event needs level=");
		if (step->event_message == NULL)
			return parser_fail(parser, "event needs message=");
	}
	return 0;
}

/* "repeat N every D" after the offset; *next is the index of the action. */
static int
step_repeat(Parser *parser, SimStep *step, size_t *next)
{
	const LexLine *lex = &parser->lex;
	size_t i = *next;

	if (i >= lex->n_tokens || lex->tokens[i].key != NULL ||
	    strcmp(lex->tokens[i].value, "repeat") != 0)
		return 0;
	if (i + 3 >= lex->n_tokens || lex->tokens[i + 2].key != NULL ||
	    strcmp(lex->tokens[i + 2].value, "every") != 0)
		return parser_fail(parser, "expected 'repeat COUNT every DURATION ACTION HOST'");
	if (parser_u32(parser, &step->repeat_count, "repeat", lex->tokens[i + 1].value, 1,
	               REPEAT_MAX) < 0)
		return -1;
	if (scenario_parse_duration(lex->tokens[i + 3].value, &step->repeat_every) < 0 ||
	    step->repeat_every <= 0)
		return parser_fail(parser, "bad repeat interval '%s' (expected e.g. 200s or 5m)",
		                   lex->tokens[i + 3].value);
	*next = i + 4;
	return 0;
}

int
parser_step(Parser *parser)
{
	SimScenario *scenario = parser->scenario;
	const LexLine *lex = &parser->lex;
	SimStep *step;
	size_t next = 2, action;
	const char *word;

	if (lex->n_tokens < 2 || lex->tokens[1].key != NULL)
		return parser_fail(parser, "expected 'at OFFSET ACTION HOST ...'");
	if (parser_grow((void **)&scenario->steps, scenario->n_steps, &parser->steps_capacity,
	                sizeof(SimStep)) < 0)
		return parser_fail(parser, "out of memory");
	step = &scenario->steps[scenario->n_steps];
	memset(step, 0, sizeof(*step));
	/* counted now so that scenario_clear frees what the step owns on error */
	scenario->n_steps++;
	step->line = parser->line;
	step->repeat_count = 1;
	step->updates_last_success = INT64_MIN;
	step->updates_reboot_required = 2;
	step->shutdown_type = 1;
	step->reboot_time = INT64_MIN;
	snprintf(step->event_log, sizeof(step->event_log), "System");
	if (parser_offset(parser, &step->offset, lex->tokens[1].value) < 0)
		return -1;
	if (step_repeat(parser, step, &next) < 0)
		return -1;
	if (next >= lex->n_tokens || lex->tokens[next].key != NULL)
		return parser_fail(parser, "missing action (heartbeat, event, inventory, update, "
		                           "shutdown, silence or reboot)");
	word = lex->tokens[next].value;
	for (action = 0; action < sizeof(step_actions) / sizeof(step_actions[0]); action++) {
		if (strcmp(word, step_actions[action].name) == 0)
			break;
	}
	if (action == sizeof(step_actions) / sizeof(step_actions[0]))
		return parser_fail(parser, "unknown action '%s'", word);
	step->kind = step_actions[action].kind;
	if (step->repeat_count > 1 && !step_actions[action].repeatable)
		return parser_fail(parser, "%s cannot be repeated", word);
	next++;
	if (next >= lex->n_tokens || lex->tokens[next].key != NULL)
		return parser_fail(parser, "%s needs a host name", word);
	if (parser_find_host(parser, lex->tokens[next].value, &step->host) == NULL)
		return parser_fail(parser, "unknown host '%s'", lex->tokens[next].value);
	return step_arguments(parser, step, word, next + 1);
}
