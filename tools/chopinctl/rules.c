/* rules: the correlator's rules in force, as it mirrors them into the rules table. */
#include "config.h"

#include "chopinctl.h"

/* clang-format off */
static const CtlColumn rule_columns[] = {
    {"rule_name", "NAME", CTL_TYPE_TEXT},
    {"rule_type", "TYPE", CTL_TYPE_TEXT},
    {"enabled", "ENABLED", CTL_TYPE_BOOL},
    {"loaded_at", "LOADED", CTL_TYPE_TIME},
    {"open_alarms", "OPEN ALARMS", CTL_TYPE_INT},
    {"definition", NULL, CTL_TYPE_TEXT},
};
/* clang-format on */

/* The same columns for one rule, shown as "Name: value" lines. */
/* clang-format off */
static const CtlColumn one_rule_columns[] = {
    {"rule_name", "Name", CTL_TYPE_TEXT},
    {"rule_type", "Type", CTL_TYPE_TEXT},
    {"enabled", "Enabled", CTL_TYPE_BOOL},
    {"loaded_at", "Loaded", CTL_TYPE_TIME},
    {"open_alarms", "Open alarms", CTL_TYPE_INT},
    {"definition", NULL, CTL_TYPE_TEXT},
};
/* clang-format on */

static gboolean
rules_run(CtlContext *context, int argc, char **argv, GError **error)
{
	g_autofree char **operands = NULL;
	gboolean help;

	if (!ctl_options_parse(context, argc, argv, NULL, NULL, NULL, &operands, &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] != NULL && operands[1] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "rules: expected at most one rule NAME");
		return FALSE;
	}
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return FALSE;
	ChopinDbValue params[] = {chopin_db_value_text(operands[0]),
	                          chopin_db_value_text(operands[0])};
	g_autoptr(CtlTable) table = ctl_query_table(
	    db,
	    "SELECT r.rule_name, r.rule_type, r.enabled, r.loaded_at,"
	    " (SELECT COUNT(*) FROM alarms a WHERE a.rule_name = r.rule_name AND a.state = 'open'),"
	    " r.definition FROM rules r WHERE (? IS NULL OR r.rule_name = ?) ORDER BY r.rule_name",
	    params, G_N_ELEMENTS(params), operands[0] != NULL ? one_rule_columns : rule_columns,
	    G_N_ELEMENTS(rule_columns), error);
	if (table == NULL)
		return FALSE;
	if (operands[0] != NULL && ctl_table_get_n_rows(table) == 0) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_NOT_FOUND,
		            "no rule '%s' in force ('chopinctl rules' lists them)", operands[0]);
		return FALSE;
	}
	if (context->json) {
		g_autoptr(CtlJson) json = ctl_json_new(context->out);
		ctl_json_begin_object(json);
		if (operands[0] != NULL) {
			ctl_json_key(json, "rule");
			ctl_table_row_to_json(table, 0, json);
		} else {
			ctl_json_key(json, "rules");
			ctl_table_to_json(table, json);
		}
		ctl_json_end_object(json);
		ctl_json_finish(json);
		return TRUE;
	}
	if (operands[0] == NULL) {
		if (ctl_table_get_n_rows(table) == 0)
			ctl_print(context,
			          "no rules: the correlator has not mirrored its rules yet\n");
		else
			ctl_table_print(table, context->out, context->no_header);
		return TRUE;
	}
	ctl_table_print_record(table, 0, context->out, 0);
	const char *definition = ctl_table_get(table, 0, "definition");
	g_auto(GStrv) lines = g_strsplit(definition != NULL ? definition : "", "\n", -1);
	ctl_print(context, "\n");
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *line = ctl_text_safe(lines[i]);
		ctl_print(context, "%s\n", line);
	}
	return TRUE;
}

const CtlCommand ctl_command_rules = {
    .name = "rules",
    .synopsis = "[NAME]",
    .summary = "the correlator's rules in force (the rules table), or one rule's definition",
    .help = "The correlator mirrors the rules file into the rules table at each (re)load.\n"
            "With NAME: that rule's details and definition as written in the rules file.\n",
    .run = rules_run,
};
