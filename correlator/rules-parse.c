/* rules-parse: the libconfig rules file into a RulesSet, with file:line errors for every problem.
 */
#include "config.h"

#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chopin-config.h"
#include "rules-private.h"

typedef struct {
	const char *filename;
	GString *errors;
	gint64 lateness_us; /* the file's default for sequences */
} RulesParser;

static void parser_error(RulesParser *parser, const config_setting_t *setting, const char *format,
                         ...) G_GNUC_PRINTF(3, 4);

static void
parser_error(RulesParser *parser, const config_setting_t *setting, const char *format, ...)
{
	va_list args;
	g_autofree char *message = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_string_append_printf(parser->errors, "%s%s:%u: %s", parser->errors->len > 0 ? "\n" : "",
	                       parser->filename, config_setting_source_line(setting), message);
}

/* Reports members of group whose names are not in allowed (NULL-terminated). */
static void
parser_check_members(RulesParser *parser, const config_setting_t *group, const char *const *allowed,
                     const char *what)
{
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *member = config_setting_get_elem(group, i);
		const char *name = config_setting_name(member);
		if (name != NULL && !g_strv_contains(allowed, name))
			parser_error(parser, member, "unknown field '%s' in %s", name, what);
	}
}

static const char *
parser_get_string(RulesParser *parser, const config_setting_t *group, const char *name,
                  gboolean required)
{
	const config_setting_t *member = config_setting_get_member(group, name);
	if (member == NULL) {
		if (required)
			parser_error(parser, group, "missing field '%s'", name);
		return NULL;
	}
	if (config_setting_type(member) != CONFIG_TYPE_STRING) {
		parser_error(parser, member, "'%s' must be a string", name);
		return NULL;
	}
	return config_setting_get_string(member);
}

static gboolean
parser_get_duration(RulesParser *parser, const config_setting_t *group, const char *name,
                    gboolean required, gint64 *ret_us)
{
	const char *text = parser_get_string(parser, group, name, required);
	gint64 ms = 0;
	if (text == NULL)
		return FALSE;
	if (!chopin_config_parse_duration(text, &ms) || ms <= 0 || ms > G_MAXINT64 / 1000) {
		parser_error(parser, config_setting_get_member(group, name),
		             "bad duration '%s' for '%s' (e.g. \"90s\", \"10m\", \"7d\")", text,
		             name);
		return FALSE;
	}
	*ret_us = ms * 1000;
	return TRUE;
}

static gboolean
parser_get_count(RulesParser *parser, const config_setting_t *group, const char *name,
                 guint minimum, guint64 *ret_value)
{
	const config_setting_t *member = config_setting_get_member(group, name);
	if (member == NULL)
		return FALSE;
	if (config_setting_type(member) != CONFIG_TYPE_INT &&
	    config_setting_type(member) != CONFIG_TYPE_INT64) {
		parser_error(parser, member, "'%s' must be an integer", name);
		return FALSE;
	}
	long long value = config_setting_get_int64(member);
	if (value < minimum || value > G_MAXUINT32) {
		parser_error(parser, member, "'%s' must be between %u and %u", name, minimum,
		             G_MAXUINT32);
		return FALSE;
	}
	*ret_value = (guint64)value;
	return TRUE;
}

/* One id element: 81 or "99-102". */
static gboolean
parser_parse_id(RulesParser *parser, const config_setting_t *element, RulesIdRange *ret_range)
{
	if (config_setting_type(element) == CONFIG_TYPE_INT) {
		long long id = config_setting_get_int64(element);
		if (id < 0 || id > G_MAXUINT32)
			goto bad;
		ret_range->low = ret_range->high = (guint32)id;
		return TRUE;
	}
	if (config_setting_type(element) == CONFIG_TYPE_STRING) {
		const char *text = config_setting_get_string(element);
		guint64 low = 0, high = 0;
		char *end = NULL;
		if (!g_ascii_isdigit(*text))
			goto bad;
		low = g_ascii_strtoull(text, &end, 10);
		if (*end != '-' || !g_ascii_isdigit(end[1]))
			goto bad;
		high = g_ascii_strtoull(end + 1, &end, 10);
		if (*end != '\0' || low > high || high > G_MAXUINT32)
			goto bad;
		ret_range->low = (guint32)low;
		ret_range->high = (guint32)high;
		return TRUE;
	}
bad:
	parser_error(parser, element, "bad event id (an integer or a range such as \"99-102\")");
	return FALSE;
}

static void
parser_parse_ids(RulesParser *parser, const config_setting_t *setting, RulesMatch *match)
{
	g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(RulesIdRange));
	RulesIdRange range;

	if (config_setting_is_aggregate(setting)) {
		for (int i = 0; i < config_setting_length(setting); i++)
			if (parser_parse_id(parser, config_setting_get_elem(setting, i), &range))
				g_array_append_val(ranges, range);
		if (config_setting_length(setting) == 0)
			parser_error(parser, setting, "empty id list");
	} else if (parser_parse_id(parser, setting, &range)) {
		g_array_append_val(ranges, range);
	}
	match->n_ids = ranges->len;
	match->ids = (RulesIdRange *)(void *)g_array_free(g_steal_pointer(&ranges), FALSE);
}

static const char *const level_names[] = {"none",        "critical", "error", "warning",
                                          "information", "verbose",  NULL};

static gboolean
parser_add_level(RulesParser *parser, const config_setting_t *element, RulesMatch *match)
{
	const char *text = config_setting_get_string(element);
	if (text != NULL && g_ascii_strcasecmp(text, "info") == 0)
		text = "information";
	for (guint i = 1; text != NULL && level_names[i] != NULL; i++) {
		if (g_ascii_strcasecmp(text, level_names[i]) == 0) {
			match->level_mask |= 1u << i;
			return TRUE;
		}
	}
	parser_error(parser, element,
	             "bad level (critical, error, warning, information or verbose)");
	return FALSE;
}

static void
parser_parse_sources(RulesParser *parser, const config_setting_t *setting, RulesMatch *match)
{
	g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func(g_free);
	gboolean aggregate = config_setting_is_aggregate(setting);
	int n = aggregate ? config_setting_length(setting) : 1;
	for (int i = 0; i < n; i++) {
		const config_setting_t *element =
		    aggregate ? config_setting_get_elem(setting, i) : setting;
		const char *text = config_setting_get_string(element);
		if (text == NULL || *text == '\0')
			parser_error(parser, element,
			             "'source' must be a string or a list of them");
		else
			g_ptr_array_add(sources, g_strdup(text));
	}
	if (n == 0)
		parser_error(parser, setting, "empty source list");
	g_ptr_array_add(sources, NULL);
	match->sources = (char **)g_ptr_array_free(g_steal_pointer(&sources), FALSE);
}

static const char *const match_fields[] = {"source", "id", "level", "host", "message", NULL};

static void
parser_parse_match(RulesParser *parser, const config_setting_t *group, RulesMatch *match)
{
	const config_setting_t *member;
	const char *text;

	if (!config_setting_is_group(group)) {
		parser_error(parser, group, "'%s' must be a group { ... }",
		             config_setting_name(group) != NULL ? config_setting_name(group)
		                                                : "match");
		return;
	}
	parser_check_members(parser, group, match_fields, "match");
	if (config_setting_length(group) == 0)
		parser_error(parser, group, "empty match (it would match every event)");
	if ((member = config_setting_get_member(group, "source")) != NULL)
		parser_parse_sources(parser, member, match);
	if ((member = config_setting_get_member(group, "id")) != NULL)
		parser_parse_ids(parser, member, match);
	if ((member = config_setting_get_member(group, "level")) != NULL) {
		if (config_setting_is_aggregate(member)) {
			for (int i = 0; i < config_setting_length(member); i++)
				parser_add_level(parser, config_setting_get_elem(member, i), match);
		} else {
			parser_add_level(parser, member, match);
		}
	}
	if ((text = parser_get_string(parser, group, "host", FALSE)) != NULL)
		match->host = g_pattern_spec_new(text);
	if ((text = parser_get_string(parser, group, "message", FALSE)) != NULL) {
		g_autoptr(GError) error = NULL;
		match->message = g_regex_new(text, G_REGEX_OPTIMIZE, 0, &error);
		if (match->message == NULL)
			parser_error(parser, config_setting_get_member(group, "message"),
			             "bad regex: %s", error->message);
	}
}

static const char *const key_names[] = {"host", "controller", "vd", "pd", "enclosure",
                                        "slot", "source",     "id", NULL};

static void
parser_parse_key(RulesParser *parser, const config_setting_t *rule_group, Rule *rule)
{
	const config_setting_t *key = config_setting_get_member(rule_group, "key");
	rule->key[0] = RULES_KEY_HOST;
	rule->n_key = 1;
	if (key == NULL)
		return;
	if (!config_setting_is_aggregate(key) || config_setting_length(key) == 0 ||
	    config_setting_length(key) > RULES_MAX_KEY_FIELDS) {
		parser_error(parser, key, "'key' must be a list of 1 to %d field names",
		             RULES_MAX_KEY_FIELDS);
		return;
	}
	rule->n_key = 0;
	for (int i = 0; i < config_setting_length(key); i++) {
		const config_setting_t *element = config_setting_get_elem(key, i);
		const char *name = config_setting_get_string(element);
		guint field;
		for (field = 0; key_names[field] != NULL; field++)
			if (name != NULL && strcmp(name, key_names[field]) == 0)
				break;
		if (key_names[field] == NULL) {
			parser_error(parser, element,
			             "bad key field (host, controller, vd, pd, enclosure, slot, "
			             "source or id)");
			continue;
		}
		rule->key[rule->n_key++] = (RulesKeyField)field;
	}
}

static const char *const alarm_fields[] = {"name", "severity", "service", "text", NULL};
static const char *const severities[] = {"info", "warning", "critical", NULL};
static const char *const services[] = {"RAID", "Updates", "Heartbeat", "Hardware", "System", NULL};

static void
parser_parse_alarm(RulesParser *parser, const config_setting_t *rule_group, Rule *rule)
{
	const config_setting_t *alarm = config_setting_get_member(rule_group, "alarm");
	const char *text;
	if (alarm == NULL) {
		parser_error(parser, rule_group, "missing field 'alarm'");
		return;
	}
	if (!config_setting_is_group(alarm)) {
		parser_error(parser, alarm, "'alarm' must be a group { ... }");
		return;
	}
	parser_check_members(parser, alarm, alarm_fields, "alarm");
	text = parser_get_string(parser, alarm, "name", FALSE);
	rule->alarm_name = g_strdup(text != NULL ? text : rule->name);
	if ((text = parser_get_string(parser, alarm, "severity", TRUE)) != NULL) {
		if (!g_strv_contains(severities, text))
			parser_error(parser, config_setting_get_member(alarm, "severity"),
			             "bad severity '%s' (info, warning or critical)", text);
		rule->severity = g_strdup(text);
	}
	if ((text = parser_get_string(parser, alarm, "service", TRUE)) != NULL) {
		if (!g_strv_contains(services, text))
			parser_error(parser, config_setting_get_member(alarm, "service"),
			             "bad service '%s' (RAID, Updates, Heartbeat, Hardware or "
			             "System)",
			             text);
		rule->service = g_strdup(text);
	}
	if ((text = parser_get_string(parser, alarm, "text", TRUE)) != NULL)
		rule->text = g_strdup(text);
}

static void
parser_parse_clears(RulesParser *parser, const config_setting_t *rule_group, Rule *rule)
{
	const config_setting_t *clear = config_setting_get_member(rule_group, "clear");
	if (clear == NULL)
		return;
	if (config_setting_is_group(clear)) {
		rule->clears = g_new0(RulesMatch, 1);
		rule->n_clears = 1;
		parser_parse_match(parser, clear, &rule->clears[0]);
		return;
	}
	if (!config_setting_is_list(clear)) {
		parser_error(parser, clear, "'clear' must be a match group or a list of them");
		return;
	}
	rule->n_clears = config_setting_length(clear);
	rule->clears = g_new0(RulesMatch, rule->n_clears);
	for (guint i = 0; i < rule->n_clears; i++)
		parser_parse_match(parser, config_setting_get_elem(clear, i), &rule->clears[i]);
}

static void
parser_parse_steps(RulesParser *parser, const config_setting_t *rule_group, Rule *rule)
{
	const config_setting_t *steps = config_setting_get_member(rule_group, "steps");
	static const char *const step_fields[] = {"match", "followed_by", "not_followed_by", NULL};
	if (steps == NULL) {
		parser_error(parser, rule_group, "missing field 'steps'");
		return;
	}
	if (!config_setting_is_list(steps) || config_setting_length(steps) < 1) {
		parser_error(parser, steps, "'steps' must be a list ( { match = ...; }, ... )");
		return;
	}
	rule->steps = g_new0(RulesStep, config_setting_length(steps));
	for (int i = 0; i < config_setting_length(steps); i++) {
		const config_setting_t *step = config_setting_get_elem(steps, i);
		const config_setting_t *body;
		if (!config_setting_is_group(step) || config_setting_length(step) != 1) {
			parser_error(parser, step,
			             "a step is { match = ...; }, { followed_by = ...; } or "
			             "{ not_followed_by = ...; }");
			continue;
		}
		parser_check_members(parser, step, step_fields, "step");
		body = config_setting_get_elem(step, 0);
		const char *kind = config_setting_name(body);
		if (g_strcmp0(kind, "not_followed_by") == 0) {
			if (rule->n_steps == 0) {
				parser_error(parser, step,
				             "a sequence cannot start with "
				             "'not_followed_by'");
				continue;
			}
			RulesMatch *negative = g_new0(RulesMatch, 1);
			parser_parse_match(parser, body, negative);
			g_ptr_array_add(rule->steps[rule->n_steps - 1].negatives, negative);
			continue;
		}
		if (g_strcmp0(kind, "match") == 0 && i != 0)
			parser_error(parser, step,
			             "only the first step is 'match'; later ones are "
			             "'followed_by' or 'not_followed_by'");
		else if (g_strcmp0(kind, "followed_by") == 0 && i == 0)
			parser_error(parser, step, "the first step is 'match'");
		else if (!g_strv_contains(step_fields, kind != NULL ? kind : ""))
			continue; /* reported as an unknown field */
		if (rule->n_steps == RULES_MAX_STEPS) {
			parser_error(parser, step, "too many steps (at most %d)", RULES_MAX_STEPS);
			break;
		}
		RulesStep *positive = &rule->steps[rule->n_steps++];
		positive->negatives = rules_step_negatives_new();
		parser_parse_match(parser, body, &positive->match);
	}
	if (rule->n_steps == 0)
		parser_error(parser, steps, "a sequence needs at least one step");
	else if (rule->n_steps == 1 && rule->steps[0].negatives->len == 0)
		parser_error(parser, steps,
		             "a sequence needs a second step (use a threshold "
		             "with count = 1 for single events)");
}

static void
parser_parse_rule(RulesParser *parser, const config_setting_t *group, Rule *rule)
{
	static const char *const filter_fields[] = {"name", "type", "action", "match", NULL};
	static const char *const sequence_fields[] = {
	    "name", "type", "key", "steps", "within", "alarm", "clear", "lateness", NULL};
	static const char *const threshold_fields[] = {"name",  "type",   "key",    "match",
	                                               "count", "window", "bucket", "clear_below",
	                                               "alarm", "clear",  NULL};
	static const char *const absence_fields[] = {"name", "type", "multiple", "alarm", NULL};
	const char *type = parser_get_string(parser, group, "type", TRUE);
	const char *text;

	if (type == NULL)
		return;
	if (strcmp(type, "filter") == 0) {
		rule->type = RULES_TYPE_FILTER;
		parser_check_members(parser, group, filter_fields, "a filter rule");
		text = parser_get_string(parser, group, "action", TRUE);
		if (text != NULL && strcmp(text, "keep") != 0 && strcmp(text, "drop") != 0)
			parser_error(parser, config_setting_get_member(group, "action"),
			             "bad action '%s' (keep or drop)", text);
		rule->keep = g_strcmp0(text, "keep") == 0;
		if (config_setting_get_member(group, "match") == NULL)
			parser_error(parser, group, "missing field 'match'");
		else
			parser_parse_match(parser, config_setting_get_member(group, "match"),
			                   &rule->match);
	} else if (strcmp(type, "sequence") == 0) {
		rule->type = RULES_TYPE_SEQUENCE;
		parser_check_members(parser, group, sequence_fields, "a sequence rule");
		parser_parse_key(parser, group, rule);
		parser_parse_steps(parser, group, rule);
		parser_get_duration(parser, group, "within", TRUE, &rule->within_us);
		rule->lateness_us = parser->lateness_us;
		if (config_setting_get_member(group, "lateness") != NULL)
			parser_get_duration(parser, group, "lateness", TRUE, &rule->lateness_us);
		parser_parse_alarm(parser, group, rule);
		parser_parse_clears(parser, group, rule);
	} else if (strcmp(type, "threshold") == 0) {
		rule->type = RULES_TYPE_THRESHOLD;
		parser_check_members(parser, group, threshold_fields, "a threshold rule");
		parser_parse_key(parser, group, rule);
		if (config_setting_get_member(group, "match") == NULL)
			parser_error(parser, group, "missing field 'match'");
		else
			parser_parse_match(parser, config_setting_get_member(group, "match"),
			                   &rule->match);
		if (!parser_get_count(parser, group, "count", 1, &rule->count) &&
		    config_setting_get_member(group, "count") == NULL)
			parser_error(parser, group, "missing field 'count'");
		rule->clear_below = rule->count;
		if (parser_get_count(parser, group, "clear_below", 0, &rule->clear_below) &&
		    rule->clear_below > rule->count)
			parser_error(parser, config_setting_get_member(group, "clear_below"),
			             "'clear_below' must not exceed 'count'");
		if (parser_get_duration(parser, group, "window", TRUE, &rule->window_us)) {
			rule->bucket_us = rule->window_us / 60;
			if (config_setting_get_member(group, "bucket") != NULL)
				parser_get_duration(parser, group, "bucket", TRUE,
				                    &rule->bucket_us);
			if (rule->bucket_us <= 0 || rule->window_us % rule->bucket_us != 0 ||
			    rule->window_us / rule->bucket_us > 100000)
				parser_error(parser, config_setting_get_member(group, "window"),
				             "'window' must be a multiple of 'bucket' (at most "
				             "100000 buckets; default bucket: window / 60)");
			else
				rule->n_buckets = (guint)(rule->window_us / rule->bucket_us);
		}
		parser_parse_alarm(parser, group, rule);
		parser_parse_clears(parser, group, rule);
	} else if (strcmp(type, "absence") == 0) {
		guint64 multiple = 3;
		rule->type = RULES_TYPE_ABSENCE;
		parser_check_members(parser, group, absence_fields, "an absence rule");
		parser_get_count(parser, group, "multiple", 1, &multiple);
		rule->multiple = (guint)MIN(multiple, 1000000);
		rule->key[0] = RULES_KEY_HOST;
		rule->n_key = 1;
		parser_parse_alarm(parser, group, rule);
	} else {
		parser_error(parser, config_setting_get_member(group, "type"),
		             "unknown rule type '%s' (filter, sequence, threshold or absence)",
		             type);
	}
}

/* Canonical text of a setting: what "unchanged definition" means on reload. */
static void
parser_canonical(GString *out, const config_setting_t *setting)
{
	const char *name = config_setting_name(setting);
	if (name != NULL)
		g_string_append_printf(out, "%s=", name);
	switch (config_setting_type(setting)) {
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY: {
		gboolean group = config_setting_is_group(setting);
		g_string_append_c(out, group ? '{' : '(');
		for (int i = 0; i < config_setting_length(setting); i++) {
			parser_canonical(out, config_setting_get_elem(setting, i));
			g_string_append_c(out, group ? ';' : ',');
		}
		g_string_append_c(out, group ? '}' : ')');
		break;
	}
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		g_string_append_printf(out, "%lld", config_setting_get_int64(setting));
		break;
	case CONFIG_TYPE_FLOAT:
		g_string_append_printf(out, "%.17g", config_setting_get_float(setting));
		break;
	case CONFIG_TYPE_BOOL:
		g_string_append(out, config_setting_get_bool(setting) ? "true" : "false");
		break;
	case CONFIG_TYPE_STRING: {
		g_autofree char *escaped = g_strescape(config_setting_get_string(setting), NULL);
		g_string_append_printf(out, "\"%s\"", escaped);
		break;
	}
	default:
		break;
	}
}

static void
parser_parse_top(RulesParser *parser, config_t *config, RulesSet *set)
{
	static const char *const top_fields[] = {"rules", "filter_default", "lateness", NULL};
	const config_setting_t *root = config_root_setting(config);
	const config_setting_t *list = config_setting_get_member(root, "rules");
	const char *text;
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);

	parser_check_members(parser, root, top_fields, "the rules file");
	set->filter_default_keep = TRUE;
	if ((text = parser_get_string(parser, root, "filter_default", FALSE)) != NULL) {
		if (strcmp(text, "keep") != 0 && strcmp(text, "drop") != 0)
			parser_error(parser, config_setting_get_member(root, "filter_default"),
			             "bad filter_default '%s' (keep or drop)", text);
		set->filter_default_keep = strcmp(text, "drop") != 0;
	}
	parser->lateness_us = 60 * G_TIME_SPAN_SECOND;
	if (config_setting_get_member(root, "lateness") != NULL)
		parser_get_duration(parser, root, "lateness", TRUE, &parser->lateness_us);
	if (list == NULL) {
		parser_error(parser, root, "missing 'rules = ( ... );'");
		return;
	}
	if (!config_setting_is_list(list)) {
		parser_error(parser, list, "'rules' must be a list ( { ... }, ... )");
		return;
	}
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *group = config_setting_get_elem(list, i);
		Rule *rule = g_new0(Rule, 1);
		rule->line = config_setting_source_line(group);
		g_ptr_array_add(set->rules, rule);
		if (!config_setting_is_group(group)) {
			parser_error(parser, group, "a rule must be a group { ... }");
			continue;
		}
		const char *name = parser_get_string(parser, group, "name", TRUE);
		rule->name = g_strdup(name != NULL ? name : "");
		if (name != NULL && *name == '\0')
			parser_error(parser, config_setting_get_member(group, "name"),
			             "empty rule name");
		else if (name != NULL && g_hash_table_contains(names, name))
			parser_error(parser, config_setting_get_member(group, "name"),
			             "duplicate rule name '%s'", name);
		else if (name != NULL)
			g_hash_table_add(names, rule->name);
		parser_parse_rule(parser, group, rule);
		GString *definition = g_string_new(NULL);
		parser_canonical(definition, group);
		if (rule->type == RULES_TYPE_SEQUENCE)
			g_string_append_printf(definition, "lateness=%" G_GINT64_FORMAT,
			                       rule->lateness_us);
		rule->definition = g_string_free(definition, FALSE);
		rule->fingerprint = rules_fingerprint(rule->definition);
	}
}

RulesSet *
rules_set_new_from_data(const char *data, const char *filename, GError **error)
{
	g_return_val_if_fail(data != NULL, NULL);
	g_autoptr(RulesSet) set = g_new0(RulesSet, 1);
	g_autoptr(GString) errors = g_string_new(NULL);
	RulesParser parser = {filename != NULL ? filename : "rules", errors, 0};
	config_t config;

	set->rules = g_ptr_array_new_with_free_func((GDestroyNotify)rule_free);
	config_init(&config);
	if (config_read_string(&config, data) != CONFIG_TRUE) {
		g_set_error(error, RULES_ERROR, RULES_ERROR_PARSE, "%s:%d: %s", parser.filename,
		            config_error_line(&config), config_error_text(&config));
		config_destroy(&config);
		return NULL;
	}
	parser_parse_top(&parser, &config, set);
	config_destroy(&config);
	if (errors->len > 0) {
		g_set_error_literal(error, RULES_ERROR, RULES_ERROR_PARSE, errors->str);
		return NULL;
	}
	return g_steal_pointer(&set);
}

RulesSet *
rules_set_new_from_file(const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_return_val_if_fail(path != NULL, NULL);
	if (!g_file_get_contents(path, &data, NULL, error))
		return NULL;
	return rules_set_new_from_data(data, path, error);
}
