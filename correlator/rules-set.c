/* rules-set: event matching and the lifetime and accessors of a parsed rule set. */
#include "config.h"

#include <string.h>

#include "rules-private.h"

G_DEFINE_QUARK(rules - error - quark, rules_error)

gboolean
rules_match_event(const RulesMatch *match, const RulesEvent *event)
{
	if (match->n_ids > 0) {
		gboolean found = FALSE;
		for (guint i = 0; i < match->n_ids; i++) {
			if (event->event_id >= match->ids[i].low &&
			    event->event_id <= match->ids[i].high) {
				found = TRUE;
				break;
			}
		}
		if (!found)
			return FALSE;
	}
	if (match->level_mask != 0 && (match->level_mask & (1u << event->level)) == 0)
		return FALSE;
	if (match->sources != NULL) {
		gboolean found = FALSE;
		for (guint i = 0; event->source != NULL && match->sources[i] != NULL; i++) {
			if (g_ascii_strcasecmp(match->sources[i], event->source) == 0) {
				found = TRUE;
				break;
			}
		}
		if (!found)
			return FALSE;
	}
	if (match->host != NULL &&
	    (event->host == NULL || !g_pattern_spec_match_string(match->host, event->host)))
		return FALSE;
	if (match->message != NULL &&
	    !g_regex_match(match->message, event->message != NULL ? event->message : "", 0, NULL))
		return FALSE;
	return TRUE;
}

void
rules_match_clear(RulesMatch *match)
{
	g_clear_pointer(&match->sources, g_strfreev);
	g_clear_pointer(&match->ids, g_free);
	match->n_ids = 0;
	g_clear_pointer(&match->host, g_pattern_spec_free);
	g_clear_pointer(&match->message, g_regex_unref);
}

static void
rules_match_free(gpointer data)
{
	RulesMatch *match = data;
	rules_match_clear(match);
	g_free(match);
}

void
rule_free(Rule *rule)
{
	if (rule == NULL)
		return;
	g_free(rule->name);
	g_free(rule->definition);
	rules_match_clear(&rule->match);
	for (guint i = 0; i < rule->n_steps; i++) {
		rules_match_clear(&rule->steps[i].match);
		g_ptr_array_unref(rule->steps[i].negatives);
	}
	g_free(rule->steps);
	for (guint i = 0; i < rule->n_clears; i++)
		rules_match_clear(&rule->clears[i]);
	g_free(rule->clears);
	g_free(rule->alarm_name);
	g_free(rule->severity);
	g_free(rule->service);
	g_free(rule->text);
	g_free(rule);
}

GPtrArray *
rules_step_negatives_new(void)
{
	return g_ptr_array_new_with_free_func(rules_match_free);
}

/* FNV-1a, 64 bits: stable across runs and builds, stored in state blobs. */
guint64
rules_fingerprint(const char *text)
{
	guint64 hash = 0xcbf29ce484222325ull;
	for (const guchar *p = (const guchar *)text; *p != '\0'; p++) {
		hash ^= *p;
		hash *= 0x100000001b3ull;
	}
	return hash;
}

void
rules_set_free(RulesSet *rules)
{
	if (rules == NULL)
		return;
	g_ptr_array_unref(rules->rules);
	g_free(rules);
}

guint
rules_set_get_count(const RulesSet *rules)
{
	g_return_val_if_fail(rules != NULL, 0);
	return rules->rules->len;
}

static const Rule *
rules_set_get_rule(const RulesSet *rules, guint index)
{
	g_return_val_if_fail(rules != NULL, NULL);
	g_return_val_if_fail(index < rules->rules->len, NULL);
	return g_ptr_array_index(rules->rules, index);
}

const char *
rules_set_get_name(const RulesSet *rules, guint index)
{
	const Rule *rule = rules_set_get_rule(rules, index);
	return rule != NULL ? rule->name : NULL;
}

const char *
rules_set_get_type(const RulesSet *rules, guint index)
{
	static const char *const names[] = {"filter", "sequence", "threshold", "absence"};
	const Rule *rule = rules_set_get_rule(rules, index);
	return rule != NULL ? names[rule->type] : NULL;
}

const char *
rules_set_get_definition(const RulesSet *rules, guint index)
{
	const Rule *rule = rules_set_get_rule(rules, index);
	return rule != NULL ? rule->definition : NULL;
}

gboolean
rules_set_check_file(const char *path, GError **error)
{
	g_autoptr(RulesSet) rules = rules_set_new_from_file(path, error);
	return rules != NULL;
}
