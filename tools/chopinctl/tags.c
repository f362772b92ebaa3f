/* tags: host labels (site, role, owner), listed, added and removed; hostgroups in Nagios/Icinga. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

/* host_tags.tag is VARCHAR(64). */
#define TAG_MAX_CHARS 64

/* clang-format off */
static const CtlColumn tag_columns[] = {
    {"tag", "TAG", CTL_TYPE_TEXT},
    {"host_count", "HOSTS", CTL_TYPE_INT},
    {"hosts", "NAMES", CTL_TYPE_LIST},
};
/* clang-format on */

/* clang-format off */
static const CtlColumn host_tag_columns[] = {
    {"tag", "TAG", CTL_TYPE_TEXT},
};
/* clang-format on */

/* A tag: 1 to 64 characters of valid UTF-8, no control characters and no comma (tag lists
 * are comma-separated in the views and in chopin-nagios-hosts), no blanks at either end. */
static gboolean
tag_check(const char *tag, GError **error)
{
	gsize len = strlen(tag);

	if (!g_utf8_validate(tag, (gssize)len, NULL)) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "tags: a tag is not valid UTF-8");
		return FALSE;
	}
	if (len == 0 || g_unichar_isspace(g_utf8_get_char(tag)) ||
	    g_unichar_isspace(g_utf8_get_char(g_utf8_prev_char(tag + len)))) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "tags: tag '%s' is empty or starts or ends with a blank", tag);
		return FALSE;
	}
	for (const char *p = tag; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);
		if (g_unichar_iscntrl(ch) || ch == ',') {
			g_autofree char *safe = ctl_text_safe(tag);
			g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
			            "tags: tag '%s' contains a comma or a control character", safe);
			return FALSE;
		}
	}
	if (g_utf8_strlen(tag, (gssize)len) > TAG_MAX_CHARS) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "tags: tag '%s' is longer than %d characters", tag, TAG_MAX_CHARS);
		return FALSE;
	}
	return TRUE;
}

static CtlTable *
host_tags_query(ChopinDb *db, guint64 host_id, GError **error)
{
	ChopinDbValue id = CHOPIN_DB_VALUE_UINT(host_id);
	return ctl_query_table(db, "SELECT tag FROM host_tags WHERE host_id = ? ORDER BY tag", &id,
	                       1, host_tag_columns, G_N_ELEMENTS(host_tag_columns), error);
}

static void
host_tags_print(CtlContext *context, const char *host, const CtlTable *tags)
{
	if (context->json) {
		g_autoptr(CtlJson) json = ctl_json_new(context->out);
		ctl_json_begin_object(json);
		ctl_json_key(json, "host");
		ctl_json_string(json, host);
		ctl_json_key(json, "tags");
		ctl_json_begin_array(json);
		for (guint r = 0; r < ctl_table_get_n_rows(tags); r++)
			ctl_json_string(json, ctl_table_get_cell(tags, r, 0));
		ctl_json_end_array(json);
		ctl_json_end_object(json);
		ctl_json_finish(json);
		return;
	}
	for (guint r = 0; r < ctl_table_get_n_rows(tags); r++) {
		g_autofree char *tag = ctl_text_safe(ctl_table_get_cell(tags, r, 0));
		ctl_print(context, "%s\n", tag);
	}
}

/* chopinctl tags [list] [HOST] */
static gboolean
tags_list(CtlContext *context, int argc, char **argv, GError **error)
{
	g_autofree char **operands = NULL;
	gboolean help;

	if (!ctl_options_parse(context, argc, argv, NULL, NULL, NULL, &operands, &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] != NULL && operands[1] != NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE,
		            "tags: expected at most one host NAME");
		return FALSE;
	}
	ChopinDb *db = ctl_db_reader(context, error);
	if (db == NULL)
		return FALSE;
	if (operands[0] != NULL) {
		guint64 host_id;
		g_autofree char *name = NULL;
		if (!ctl_host_lookup(db, operands[0], &host_id, &name, error))
			return FALSE;
		g_autoptr(CtlTable) tags = host_tags_query(db, host_id, error);
		if (tags == NULL)
			return FALSE;
		host_tags_print(context, name, tags);
		return TRUE;
	}
	g_autoptr(CtlTable) table = ctl_query_table(
	    db,
	    "SELECT t.tag, COUNT(*), GROUP_CONCAT(h.name ORDER BY h.name SEPARATOR ',')"
	    " FROM host_tags t JOIN hosts h ON h.host_id = t.host_id GROUP BY t.tag ORDER BY t.tag",
	    NULL, 0, tag_columns, G_N_ELEMENTS(tag_columns), error);
	if (table == NULL)
		return FALSE;
	if (context->json) {
		g_autoptr(CtlJson) json = ctl_json_new(context->out);
		ctl_json_begin_object(json);
		ctl_json_key(json, "tags");
		ctl_table_to_json(table, json);
		ctl_json_end_object(json);
		ctl_json_finish(json);
	} else {
		ctl_table_print(table, context->out, context->no_header);
	}
	return TRUE;
}

/* Adds or removes every tag in one transaction; removing a tag the host lacks changes nothing
 * and fails (NOT_FOUND). */
static gboolean
tags_change(ChopinDb *db, guint64 host_id, const char *host, gboolean add, char **tags,
            GError **error)
{
	if (!chopin_db_begin(db, error))
		return FALSE;
	/* lock the host row: concurrent changes to its tags go one after the other */
	ChopinDbValue id = CHOPIN_DB_VALUE_UINT(host_id);
	ChopinDbStmt *stmt =
	    ctl_query(db, "SELECT host_id FROM hosts WHERE host_id = ? FOR UPDATE", &id, 1, error);
	if (stmt == NULL)
		goto fail;
	chopin_db_stmt_reset(stmt);
	for (guint i = 0; tags[i] != NULL; i++) {
		ChopinDbValue params[] = {id, chopin_db_value_text(tags[i])};
		guint64 affected = 0;
		stmt =
		    chopin_db_prepare(db,
		                      add ? "INSERT INTO host_tags (host_id, tag) VALUES (?, ?)"
		                            " ON DUPLICATE KEY UPDATE tag = tag"
		                          : "DELETE FROM host_tags WHERE host_id = ? AND tag = ?",
		                      error);
		if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 2, &affected, error))
			goto fail;
		if (!add && affected == 0) {
			g_autofree char *safe = ctl_text_safe(tags[i]);
			g_set_error(error, CTL_ERROR, CTL_ERROR_NOT_FOUND,
			            "host %s has no tag '%s' (nothing removed)", host, safe);
			goto fail;
		}
	}
	if (!chopin_db_commit(db, error))
		goto fail;
	return TRUE;
fail:
	chopin_db_rollback(db);
	return FALSE;
}

/* chopinctl tags add|remove HOST TAG... */
static gboolean
tags_edit(CtlContext *context, gboolean add, int argc, char **argv, GError **error)
{
	g_autofree char **operands = NULL;
	g_autofree char *name = NULL;
	gboolean help;
	guint64 host_id;

	if (!ctl_options_parse(context, argc, argv, NULL, NULL, NULL, &operands, &help, error))
		return FALSE;
	if (help)
		return TRUE;
	if (operands[0] == NULL || operands[1] == NULL) {
		g_set_error(error, CTL_ERROR, CTL_ERROR_USAGE, "tags %s: expected HOST TAG...",
		            add ? "add" : "remove");
		return FALSE;
	}
	for (guint i = 1; operands[i] != NULL; i++)
		if (!tag_check(operands[i], error))
			return FALSE;
	ChopinDb *db = ctl_db_writer(context, error);
	if (db == NULL || !ctl_host_lookup(db, operands[0], &host_id, &name, error) ||
	    !tags_change(db, host_id, name, add, operands + 1, error))
		return FALSE;
	g_autoptr(CtlTable) tags = host_tags_query(db, host_id, error);
	if (tags == NULL)
		return FALSE;
	host_tags_print(context, name, tags);
	return TRUE;
}

static gboolean
tags_run(CtlContext *context, int argc, char **argv, GError **error)
{
	if (argc > 1 && strcmp(argv[1], "add") == 0)
		return tags_edit(context, TRUE, argc - 1, argv + 1, error);
	if (argc > 1 && strcmp(argv[1], "remove") == 0)
		return tags_edit(context, FALSE, argc - 1, argv + 1, error);
	if (argc > 1 && strcmp(argv[1], "list") == 0)
		return tags_list(context, argc - 1, argv + 1, error);
	return tags_list(context, argc, argv, error);
}

const CtlCommand ctl_command_tags = {
    .name = "tags",
    .synopsis = "[list] [HOST]\n"
                "add HOST TAG...\n"
                "remove HOST TAG...",
    .summary = "list, add and remove host tags (Nagios/Icinga hostgroups)",
    .help = "Without a host: every tag with its hosts. With one: that host's tags, one a\n"
            "line. add and remove (the writer account) print the host's tags afterwards;\n"
            "removing a tag the host does not have changes nothing and exits 3.\n"
            "A tag is 1 to 64 characters, no comma, no control characters. chopin-nagios-hosts\n"
            "turns each tag into a hostgroup chopin-tag-TAG.\n",
    .run = tags_run,
};
