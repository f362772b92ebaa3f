/* chopin-config-schema: the declared keys (common tables included), their checks, did-you-mean. */
#include "config.h"

#include <string.h>

#include "chopin-config-private.h"

/* Paths longer than this get no did-you-mean (edit distance is quadratic). */
#define SUGGEST_MAX_LEN 128

static const char *const log_level_names[] = {"debug", "info", "message", "warning", NULL};
static const char *const syslog_facility_names[] = {
    "daemon", "user",   "local0", "local1", "local2", "local3",
    "local4", "local5", "local6", "local7", NULL,
};

const ChopinConfigKey chopin_config_database_keys[] = {
    {"database.host", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
     "MySQL server host name; unset: the option file or the local socket"},
    {"database.port", CHOPIN_CONFIG_TYPE_INT, "0", 0, 65535, NULL,
     "MySQL TCP port; 0: the option file or the library default (3306)"},
    {"database.socket", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
     "MySQL Unix socket path; unset: the option file or the library default"},
    {"database.user", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
     "MySQL account; better kept in the option file"},
    {"database.password", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
     "MySQL password; better kept in a mode 0600 option file"},
    {"database.name", CHOPIN_CONFIG_TYPE_STRING, "chopin", 0, 0, NULL, "database (schema) name"},
    {"database.option_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
     "MySQL option file holding credentials, e.g. /etc/chopin/my.cnf"},
    {"database.option_group", CHOPIN_CONFIG_TYPE_STRING, "chopin", 0, 0, NULL,
     "option file group read in addition to [client]"},
    {"database.connect_timeout", CHOPIN_CONFIG_TYPE_DURATION, "5s", CHOPIN_CONFIG_MS_SECOND,
     CHOPIN_CONFIG_MS_HOUR, NULL, "give up connecting after this long"},
    {"database.read_timeout", CHOPIN_CONFIG_TYPE_DURATION, "30s", CHOPIN_CONFIG_MS_SECOND,
     CHOPIN_CONFIG_MS_HOUR, NULL, "give up waiting for a query result after this long"},
    {"database.write_timeout", CHOPIN_CONFIG_TYPE_DURATION, "30s", CHOPIN_CONFIG_MS_SECOND,
     CHOPIN_CONFIG_MS_HOUR, NULL, "give up sending a query after this long"},
};
const size_t chopin_config_database_n_keys = G_N_ELEMENTS(chopin_config_database_keys);

const ChopinConfigKey chopin_config_log_keys[] = {
    {"log.level", CHOPIN_CONFIG_TYPE_ENUM, "message", 0, 0, log_level_names,
     "least important messages logged: debug, info, message or warning"},
    {"log.syslog_facility", CHOPIN_CONFIG_TYPE_ENUM, "daemon", 0, 0, syslog_facility_names,
     "syslog facility when running in the background"},
};
const size_t chopin_config_log_n_keys = G_N_ELEMENTS(chopin_config_log_keys);

/* ---- schema ---- */

ChopinConfigSchema *
chopin_config_schema_new(void)
{
	ChopinConfigSchema *schema = g_new0(ChopinConfigSchema, 1);

	schema->keys = g_ptr_array_new();
	schema->by_path = g_hash_table_new(g_str_hash, g_str_equal);
	schema->sections = g_ptr_array_new_with_free_func(g_free);
	schema->sections_set = g_hash_table_new(g_str_hash, g_str_equal);
	schema->ignored = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	schema->member_schemas = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                               (GDestroyNotify)chopin_config_schema_free);
	return schema;
}

void
chopin_config_schema_free(ChopinConfigSchema *schema)
{
	if (schema == NULL)
		return;
	g_ptr_array_unref(schema->keys);
	g_hash_table_unref(schema->by_path);
	g_hash_table_unref(schema->sections_set);
	g_ptr_array_unref(schema->sections);
	g_hash_table_unref(schema->ignored);
	g_hash_table_unref(schema->member_schemas);
	g_free(schema);
}

static gboolean
path_is_valid(const char *path)
{
	gboolean start = TRUE;

	if (path == NULL || *path == '\0')
		return FALSE;
	for (const char *p = path; *p != '\0'; p++) {
		if (*p == '.') {
			if (start)
				return FALSE;
			start = TRUE;
		} else if (start ? !g_ascii_isalpha(*p)
		                 : !(g_ascii_isalnum(*p) || *p == '_' || *p == '-')) {
			return FALSE;
		} else {
			start = FALSE;
		}
	}
	return !start;
}

static gboolean
key_validate(const ChopinConfigKey *key, GError **error)
{
	ConfigValue value = {.key = key};
	g_autofree char *problem = NULL;

	if (!path_is_valid(key->path)) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
		            "invalid key path '%s'", key->path != NULL ? key->path : "(null)");
		return FALSE;
	}
	if (key->help == NULL) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
		            "%s: no help text", key->path);
		return FALSE;
	}
	if (key->min > key->max) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
		            "%s: min greater than max", key->path);
		return FALSE;
	}
	if (key->type == CHOPIN_CONFIG_TYPE_GROUP_LIST &&
	    (key->members == NULL || key->n_members == 0)) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
		            "%s: a list of groups without members", key->path);
		return FALSE;
	}
	problem = chopin_config_value_set_text(&value, key->default_value);
	g_free(value.string);
	g_strfreev(value.list);
	if (value.groups != NULL)
		g_ptr_array_unref(value.groups);
	if (problem != NULL) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA, "%s: %s",
		            key->path, problem);
		return FALSE;
	}
	return TRUE;
}

gboolean
chopin_config_schema_add_keys(ChopinConfigSchema *schema, const ChopinConfigKey *keys,
                              size_t n_keys, GError **error)
{
	g_autoptr(GHashTable) paths = NULL, sections = NULL, members = NULL;
	g_autoptr(GPtrArray) new_sections = g_ptr_array_new_with_free_func(g_free);

	g_return_val_if_fail(schema != NULL, FALSE);
	g_return_val_if_fail(keys != NULL || n_keys == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	/* check everything against a scratch copy, so a bad table adds nothing */
	paths = g_hash_table_new(g_str_hash, g_str_equal);
	sections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	members = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                (GDestroyNotify)chopin_config_schema_free);
	for (size_t i = 0; i < n_keys; i++) {
		const char *path = keys[i].path;

		if (!key_validate(&keys[i], error))
			return FALSE;
		if (keys[i].type == CHOPIN_CONFIG_TYPE_GROUP_LIST) {
			g_autoptr(GError) local = NULL;
			ChopinConfigSchema *member_schema = chopin_config_schema_new();
			g_hash_table_insert(members, (gpointer)path, member_schema);
			if (!chopin_config_schema_add_keys(member_schema, keys[i].members,
			                                   keys[i].n_members, &local)) {
				g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
				            "%s: %s", path, local->message);
				return FALSE;
			}
		}
		if (g_hash_table_contains(schema->by_path, path) ||
		    g_hash_table_contains(paths, path)) {
			g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
			            "%s: declared twice", path);
			return FALSE;
		}
		g_hash_table_add(paths, (gpointer)path);
		for (const char *dot = strchr(path, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
			char *section = g_strndup(path, (gsize)(dot - path));
			if (!g_hash_table_contains(schema->sections_set, section) &&
			    !g_hash_table_contains(sections, section)) {
				g_ptr_array_add(new_sections, g_strdup(section));
				g_hash_table_add(sections, section);
			} else {
				g_free(section);
			}
		}
	}
	for (size_t i = 0; i < n_keys; i++) {
		const char *path = keys[i].path;
		if (g_hash_table_contains(schema->sections_set, path) ||
		    g_hash_table_contains(sections, path)) {
			g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
			            "%s: declared both as a key and as a section", path);
			return FALSE;
		}
	}
	for (guint i = 0; i < new_sections->len; i++) {
		if (g_hash_table_contains(schema->by_path, new_sections->pdata[i])) {
			g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA,
			            "%s: declared both as a key and as a section",
			            (const char *)new_sections->pdata[i]);
			return FALSE;
		}
	}

	for (size_t i = 0; i < n_keys; i++) {
		g_ptr_array_add(schema->keys, (gpointer)&keys[i]);
		g_hash_table_insert(schema->by_path, (gpointer)keys[i].path, (gpointer)&keys[i]);
	}
	GHashTableIter iter;
	gpointer member_path, member_schema;
	g_hash_table_iter_init(&iter, members);
	while (g_hash_table_iter_next(&iter, &member_path, &member_schema)) {
		g_hash_table_iter_steal(&iter);
		g_hash_table_insert(schema->member_schemas, member_path, member_schema);
	}
	for (guint i = 0; i < new_sections->len; i++) {
		char *section = g_strdup(new_sections->pdata[i]);
		g_ptr_array_add(schema->sections, section);
		g_hash_table_add(schema->sections_set, section);
	}
	return TRUE;
}

gboolean
chopin_config_schema_add_common(ChopinConfigSchema *schema, GError **error)
{
	return chopin_config_schema_add_keys(schema, chopin_config_database_keys,
	                                     chopin_config_database_n_keys, error) &&
	       chopin_config_schema_add_keys(schema, chopin_config_log_keys,
	                                     chopin_config_log_n_keys, error);
}

void
chopin_config_schema_ignore_section(ChopinConfigSchema *schema, const char *path)
{
	g_return_if_fail(schema != NULL);
	g_return_if_fail(path_is_valid(path));
	g_return_if_fail(!g_hash_table_contains(schema->by_path, path));
	g_return_if_fail(!g_hash_table_contains(schema->sections_set, path));
	g_hash_table_add(schema->ignored, g_strdup(path));
}

const ChopinConfigKey *
chopin_config_schema_lookup(const ChopinConfigSchema *schema, const char *path)
{
	g_return_val_if_fail(schema != NULL, NULL);
	g_return_val_if_fail(path != NULL, NULL);
	return g_hash_table_lookup(schema->by_path, path);
}

/* ---- did you mean ---- */

static size_t
edit_distance(const char *a, const char *b)
{
	size_t length_a = strlen(a), length_b = strlen(b);
	g_autofree size_t *row = g_new(size_t, length_b + 1);

	for (size_t j = 0; j <= length_b; j++)
		row[j] = j;
	for (size_t i = 1; i <= length_a; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= length_b; j++) {
			size_t above = row[j];
			size_t best = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
			best = MIN(best, above + 1);
			best = MIN(best, row[j - 1] + 1);
			row[j] = best;
			diagonal = above;
		}
	}
	return row[length_b];
}

/* The closest declared key (or section, for a group) to path, or NULL. */
const char *
chopin_config_schema_suggest(const ChopinConfigSchema *schema, const char *path,
                             gboolean want_section)
{
	size_t length = strlen(path), best_distance = G_MAXSIZE;
	const char *best = NULL;
	GPtrArray *candidates = want_section ? schema->sections : NULL;

	if (length > SUGGEST_MAX_LEN)
		return NULL;
	for (guint i = 0; i < (want_section ? candidates->len : schema->keys->len); i++) {
		const char *candidate =
		    want_section ? candidates->pdata[i]
		                 : ((const ChopinConfigKey *)schema->keys->pdata[i])->path;
		size_t distance = edit_distance(path, candidate);
		if (distance < best_distance) {
			best_distance = distance;
			best = candidate;
		}
	}
	/* a suggestion must be close: at most 2 edits and less than a third of the name */
	if (best == NULL || best_distance > 2 || best_distance * 3 > length)
		return NULL;
	return best;
}

gboolean
chopin_config_schema_is_ignored(const ChopinConfigSchema *schema, const char *path)
{
	return g_hash_table_contains(schema->ignored, path);
}

const ChopinConfigSchema *
chopin_config_schema_members(const ChopinConfigSchema *schema, const char *path)
{
	return g_hash_table_lookup(schema->member_schemas, path);
}
