/* chopin-config: load a libconfig file against a declared schema, with file:line diagnostics. */
#include "config.h"

#include <string.h>

#include <libconfig.h>

#include "chopin-config-private.h"

struct _ChopinConfig {
	const ChopinConfigSchema *schema;
	GHashTable *values; /* path -> ConfigValue * */
	char *origin;       /* the file (or name) it was loaded from */
	guint line;         /* a group of a GROUP_LIST: where it begins; else 0 */
};

typedef struct {
	const ChopinConfigSchema *schema;
	ChopinConfig *config;
	const char *name;
	const char *text; /* the buffer, to re-read integer literals */
	gsize length;
	const char *include_dir;
	GHashTable *included; /* file name -> GBytes of an @include'd file, or NULL if unreadable */
	GPtrArray *diagnostics;
	guint n_errors;
	guint n_warnings;
	const char *label; /* inside a group of a list: "correlator.managers element 2" */
} LoadContext;

static const char *
setting_type_name(const config_setting_t *setting)
{
	switch (config_setting_type(setting)) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	default:
		return "nothing";
	}
}

static gboolean
setting_is_integer(const config_setting_t *setting)
{
	return config_setting_type(setting) == CONFIG_TYPE_INT ||
	       config_setting_type(setting) == CONFIG_TYPE_INT64;
}

static gboolean
is_name_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '*';
}

/* The path of a file libconfig included, as a user can open it. Caller frees. */
static char *
context_file_path(const LoadContext *context, const char *file)
{
	if (context->include_dir == NULL || g_path_is_absolute(file) ||
	    strcmp(context->include_dir, ".") == 0)
		return g_strdup(file);
	return g_build_filename(context->include_dir, file, NULL);
}

/* The contents of an included file, read once; NULL when unreadable. Owned by context. */
static GBytes *
context_included_file(const LoadContext *context, const char *file)
{
	g_autofree char *path = NULL, *contents = NULL;
	gsize length = 0;
	GBytes *bytes;

	if (g_hash_table_lookup_extended(context->included, file, NULL, (gpointer *)&bytes))
		return bytes;
	path = context_file_path(context, file);
	bytes = g_file_get_contents(path, &contents, &length, NULL)
	            ? g_bytes_new_take(g_steal_pointer(&contents), length)
	            : NULL;
	g_hash_table_insert(context->included, g_strdup(file), bytes);
	return bytes;
}

/* libconfig 1.5 silently wraps integer literals that do not fit. Re-read the literal from the
 * text line that defined the setting and report whether it fits. TRUE when it fits or cannot
 * be found. */
static gboolean
integer_literal_fits(const LoadContext *context, const config_setting_t *setting)
{
	const char *name = config_setting_name(setting);
	const char *file = config_setting_source_file(setting);
	const char *line = context->text, *end = context->text + context->length;
	size_t name_length;

	if (name == NULL)
		return TRUE;
	if (file != NULL) {
		GBytes *bytes = context_included_file(context, file);
		gsize size = 0;
		if (bytes == NULL)
			return TRUE;
		line = g_bytes_get_data(bytes, &size);
		end = line + size;
	}
	name_length = strlen(name);
	for (guint n = 1; n < config_setting_source_line(setting) && line != NULL; n++) {
		line = memchr(line, '\n', (size_t)(end - line));
		if (line != NULL)
			line++;
	}
	if (line == NULL)
		return TRUE;
	for (const char *p = line; p + name_length < end && *p != '\n'; p++) {
		char literal[128];
		size_t length = 0;
		const char *q;
		gint64 signed_value;
		guint64 unsigned_value;
		gboolean hex;

		if (strncmp(p, name, name_length) != 0 || (p > line && is_name_char(p[-1])) ||
		    is_name_char(p[name_length]))
			continue;
		q = p + name_length;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || (*q != '=' && *q != ':'))
			continue;
		q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && (*q == '-' || *q == '+'))
			literal[length++] = *q++;
		hex = q + 1 < end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X');
		if (hex)
			q += 2;
		while (q < end && (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q))) {
			if (length + 1 >= sizeof(literal))
				return FALSE;
			literal[length++] = *q++;
		}
		literal[length] = '\0';
		if (hex) /* libconfig reads hex as unsigned bits */
			return g_ascii_string_to_unsigned(literal, 16, 0, G_MAXUINT64,
			                                  &unsigned_value, NULL);
		return g_ascii_string_to_signed(literal, 10, G_MININT64, G_MAXINT64, &signed_value,
		                                NULL) &&
		       (config_setting_type(setting) == CONFIG_TYPE_INT64 ||
		        (signed_value >= G_MININT32 && signed_value <= G_MAXINT32));
	}
	return TRUE;
}

/* Fill value from a setting of the file. Returns NULL or the problem (caller frees). */
static char *
value_set_setting(const LoadContext *context, ConfigValue *value, const config_setting_t *setting)
{
	const ChopinConfigKey *key = value->key;
	const char *got = setting_type_name(setting);
	const char *text;
	gint64 number = 0;
	int length;

	switch (key->type) {
	case CHOPIN_CONFIG_TYPE_INT:
		if (!setting_is_integer(setting))
			return g_strdup_printf("expected an integer, got %s", got);
		if (!integer_literal_fits(context, setting))
			return g_strdup("integer is too large");
		number = config_setting_get_int64(setting);
		break;
	case CHOPIN_CONFIG_TYPE_BOOL:
		if (config_setting_type(setting) != CONFIG_TYPE_BOOL)
			return g_strdup_printf("expected a boolean (true or false), got %s", got);
		value->number = config_setting_get_bool(setting);
		return NULL;
	case CHOPIN_CONFIG_TYPE_STRING:
		if (config_setting_type(setting) != CONFIG_TYPE_STRING)
			return g_strdup_printf("expected a string, got %s", got);
		if (key->check != NULL) {
			char *problem = key->check(config_setting_get_string(setting));
			if (problem != NULL)
				return problem;
		}
		g_free(value->string);
		value->string = g_strdup(config_setting_get_string(setting));
		return NULL;
	case CHOPIN_CONFIG_TYPE_STRING_LIST:
		if (config_setting_type(setting) != CONFIG_TYPE_ARRAY &&
		    config_setting_type(setting) != CONFIG_TYPE_LIST)
			return g_strdup_printf("expected an array of strings, got %s", got);
		length = config_setting_length(setting);
		for (int i = 0; i < length; i++) {
			const config_setting_t *element = config_setting_get_elem(setting, i);
			if (config_setting_type(element) != CONFIG_TYPE_STRING)
				return g_strdup_printf("element %d: expected a string, got %s",
				                       i + 1, setting_type_name(element));
			if (key->check != NULL) {
				g_autofree char *problem =
				    key->check(config_setting_get_string(element));
				if (problem != NULL)
					return g_strdup_printf("element %d: %s", i + 1, problem);
			}
		}
		g_strfreev(value->list);
		value->list = g_new0(char *, (size_t)length + 1);
		for (int i = 0; i < length; i++)
			value->list[i] = g_strdup(
			    config_setting_get_string(config_setting_get_elem(setting, i)));
		return NULL;
	case CHOPIN_CONFIG_TYPE_ENUM: {
		g_autofree char *expected = chopin_config_value_enum_expected(key);
		g_autofree char *quoted = NULL;
		if (config_setting_type(setting) != CONFIG_TYPE_STRING)
			return g_strdup_printf("expected %s, got %s", expected, got);
		text = config_setting_get_string(setting);
		number = chopin_config_value_enum_lookup(key, text);
		if (number < 0) {
			quoted = chopin_config_value_excerpt(text);
			return g_strdup_printf("unknown value '%s' (expected %s)", quoted,
			                       expected);
		}
		value->number = number;
		return NULL;
	}
	case CHOPIN_CONFIG_TYPE_DURATION: {
		g_autofree char *quoted = NULL;
		if (config_setting_type(setting) != CONFIG_TYPE_STRING)
			return g_strdup_printf("expected a duration string such as \"5s\", got %s",
			                       got);
		text = config_setting_get_string(setting);
		switch (chopin_config_value_parse_duration(text, &number)) {
		case PARSE_OK:
			break;
		case PARSE_OVERFLOW:
			quoted = chopin_config_value_excerpt(text);
			return g_strdup_printf("duration '%s' is too large", quoted);
		default:
			quoted = chopin_config_value_excerpt(text);
			return g_strdup_printf("invalid duration '%s' (expected a number and a "
			                       "unit: ms, s, m, h, d; e.g. \"250ms\", \"1h30m\")",
			                       quoted);
		}
		break;
	}
	case CHOPIN_CONFIG_TYPE_SIZE: {
		g_autofree char *quoted = NULL;
		if (setting_is_integer(setting)) {
			if (!integer_literal_fits(context, setting))
				return g_strdup("integer is too large");
			number = config_setting_get_int64(setting);
			if (number < 0)
				return g_strdup_printf("size %" G_GINT64_FORMAT " is negative",
				                       number);
			break;
		}
		if (config_setting_type(setting) != CONFIG_TYPE_STRING)
			return g_strdup_printf(
			    "expected a size such as \"64M\" or an integer, got %s", got);
		text = config_setting_get_string(setting);
		switch (chopin_config_value_parse_size(text, &number)) {
		case PARSE_OK:
			break;
		case PARSE_OVERFLOW:
			quoted = chopin_config_value_excerpt(text);
			return g_strdup_printf("size '%s' is too large", quoted);
		default:
			quoted = chopin_config_value_excerpt(text);
			return g_strdup_printf("invalid size '%s' (expected a number with an "
			                       "optional K, M, G or T suffix)",
			                       quoted);
		}
		break;
	}
	default:
		return g_strdup("unknown type");
	}
	value->number = number;
	return chopin_config_value_check_range(key, number);
}

static void load_group(LoadContext *context, const config_setting_t *group, const char *prefix);

/* ---- loading ---- */

ChopinConfig *
chopin_config_new_with_origin(const ChopinConfigSchema *schema, const char *origin, guint line)
{
	ChopinConfig *config = g_new0(ChopinConfig, 1);

	config->schema = schema;
	config->origin = g_strdup(origin);
	config->line = line;
	config->values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                       (GDestroyNotify)chopin_config_value_free);
	for (guint i = 0; i < schema->keys->len; i++) {
		const ChopinConfigKey *key = schema->keys->pdata[i];
		ConfigValue *value = g_new0(ConfigValue, 1);
		g_autofree char *problem = NULL;

		value->key = key;
		problem = chopin_config_value_set_text(value, key->default_value);
		/* defaults were validated when the key was added */
		g_warn_if_fail(problem == NULL);
		g_hash_table_insert(config->values, (gpointer)key->path, value);
	}
	return config;
}

ChopinConfig *
chopin_config_new_defaults(const ChopinConfigSchema *schema)
{
	g_return_val_if_fail(schema != NULL, NULL);
	return chopin_config_new_with_origin(schema, "(defaults)", 0);
}

void
chopin_config_free(ChopinConfig *config)
{
	if (config == NULL)
		return;
	g_hash_table_unref(config->values);
	g_free(config->origin);
	g_free(config);
}

/* The file a setting comes from, as a user can open it. Caller frees. */
static char *
setting_file(const LoadContext *context, const config_setting_t *setting)
{
	const char *file = config_setting_source_file(setting);
	return file != NULL ? context_file_path(context, file) : g_strdup(context->name);
}

static void load_diagnostic(LoadContext *context, const config_setting_t *setting,
                            gboolean is_warning, const char *format, ...) G_GNUC_PRINTF(4, 5);

static void
load_diagnostic(LoadContext *context, const config_setting_t *setting, gboolean is_warning,
                const char *format, ...)
{
	g_autofree char *message = NULL, *path = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	path = setting_file(context, setting);
	g_ptr_array_add(context->diagnostics,
	                g_strdup_printf("%s:%u: %s%s", path, config_setting_source_line(setting),
	                                is_warning ? "warning: " : "", message));
	if (is_warning)
		context->n_warnings++;
	else
		context->n_errors++;
}

/* Each group of a GROUP_LIST becomes a configuration of the key's members. */
static void
load_group_list(LoadContext *context, ConfigValue *value, const config_setting_t *setting,
                const char *path, const char *shown)
{
	const ChopinConfigSchema *members = chopin_config_schema_members(context->schema, path);
	int type = config_setting_type(setting);
	int length = config_setting_length(setting);

	if (type != CONFIG_TYPE_LIST && !(type == CONFIG_TYPE_ARRAY && length == 0)) {
		load_diagnostic(context, setting, FALSE,
		                "%s: expected a list of groups ( { ... }, { ... } ), got %s", shown,
		                setting_type_name(setting));
		return;
	}
	g_ptr_array_set_size(value->groups, 0);
	for (int i = 0; i < length; i++) {
		const config_setting_t *element = config_setting_get_elem(setting, i);
		if (!config_setting_is_group(element)) {
			load_diagnostic(context, element, FALSE,
			                "%s element %d: expected a group { ... }, got %s", shown,
			                i + 1, setting_type_name(element));
			continue;
		}
		g_autofree char *file = setting_file(context, element);
		g_autofree char *label = g_strdup_printf("%s element %d", shown, i + 1);
		ChopinConfig *group = chopin_config_new_with_origin(
		    members, file, config_setting_source_line(element));
		LoadContext inner = *context;
		inner.schema = members;
		inner.config = group;
		inner.label = label;
		inner.n_errors = inner.n_warnings = 0;
		load_group(&inner, element, NULL);
		context->n_errors += inner.n_errors;
		context->n_warnings += inner.n_warnings;
		g_ptr_array_add(value->groups, group);
	}
	value->is_set = TRUE;
	value->line = config_setting_source_line(setting);
}

static void
load_group(LoadContext *context, const config_setting_t *group, const char *prefix)
{
	int length = config_setting_length(group);

	for (int i = 0; i < length; i++) {
		const config_setting_t *setting = config_setting_get_elem(group, i);
		const char *name = config_setting_name(setting);
		g_autofree char *path = NULL;
		const ChopinConfigKey *key;

		if (name == NULL)
			continue;
		path = prefix != NULL ? g_strdup_printf("%s.%s", prefix, name) : g_strdup(name);
		g_autofree char *shown = context->label != NULL
		                             ? g_strdup_printf("%s: %s", context->label, path)
		                             : g_strdup(path);
		key = g_hash_table_lookup(context->schema->by_path, path);
		if (key != NULL && key->type == CHOPIN_CONFIG_TYPE_GROUP_LIST) {
			load_group_list(context, g_hash_table_lookup(context->config->values, path),
			                setting, path, shown);
		} else if (key != NULL) {
			ConfigValue *value = g_hash_table_lookup(context->config->values, path);
			g_autofree char *problem = value_set_setting(context, value, setting);
			if (problem != NULL) {
				load_diagnostic(context, setting, FALSE, "%s: %s", shown, problem);
				continue;
			}
			value->is_set = TRUE;
			value->line = config_setting_source_line(setting);
		} else if (chopin_config_schema_is_ignored(context->schema, path)) {
			continue;
		} else if (g_hash_table_contains(context->schema->sections_set, path)) {
			if (config_setting_is_group(setting))
				load_group(context, setting, path);
			else
				load_diagnostic(context, setting, FALSE,
				                "%s: expected a group, got %s", shown,
				                setting_type_name(setting));
		} else {
			gboolean is_group = config_setting_is_group(setting);
			const char *suggestion =
			    chopin_config_schema_suggest(context->schema, path, is_group);
			g_autofree char *quoted = chopin_config_value_excerpt(path);
			g_autofree char *where = context->label != NULL
			                             ? g_strdup_printf(" in %s", context->label)
			                             : g_strdup("");

			if (suggestion != NULL)
				load_diagnostic(context, setting, TRUE,
				                "unknown %s '%s'%s (did you mean '%s'?)",
				                is_group ? "section" : "key", quoted, where,
				                suggestion);
			else
				load_diagnostic(context, setting, TRUE, "unknown %s '%s'%s",
				                is_group ? "section" : "key", quoted, where);
		}
	}
}

static ChopinConfig *
config_load(const ChopinConfigSchema *schema, const char *name, const char *text, gsize length,
            const char *include_dir, GPtrArray **ret_diagnostics, GError **error)
{
	g_autoptr(ChopinConfig) config = NULL;
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autofree char *terminated = NULL;
	LoadContext context = {0};
	config_t parsed;

	if (ret_diagnostics != NULL && *ret_diagnostics != NULL)
		diagnostics = g_ptr_array_ref(*ret_diagnostics);
	else
		diagnostics = g_ptr_array_new_with_free_func(g_free);

	/* libconfig wants a NUL-terminated string; an embedded NUL is a syntax error */
	terminated = g_strndup(text != NULL ? text : "", length);
	if (strlen(terminated) != length) {
		guint line = 1;
		for (const char *p = terminated; *p != '\0'; p++)
			line += *p == '\n';
		g_ptr_array_add(diagnostics,
		                g_strdup_printf("%s:%u: NUL byte in file", name, line));
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SYNTAX,
		            "%s:%u: NUL byte in file", name, line);
		goto out;
	}

	config_init(&parsed);
	if (include_dir != NULL)
		config_set_include_dir(&parsed, include_dir);
	if (!config_read_string(&parsed, terminated)) {
		const char *file = config_error_file(&parsed);
		g_autofree char *message = NULL, *path = NULL;

		context.include_dir = include_dir;
		path = file != NULL ? context_file_path(&context, file) : g_strdup(name);
		message = g_strdup_printf("%s:%d: %s", path, config_error_line(&parsed),
		                          config_error_text(&parsed));
		g_ptr_array_add(diagnostics, g_strdup(message));
		g_set_error_literal(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SYNTAX,
		                    message);
		config_destroy(&parsed);
		goto out;
	}

	config = chopin_config_new_with_origin(schema, name, 0);
	context.schema = schema;
	context.config = config;
	context.name = name;
	context.text = terminated;
	context.length = length;
	context.diagnostics = diagnostics;
	context.include_dir = include_dir;
	context.included =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	load_group(&context, config_root_setting(&parsed), NULL);
	g_hash_table_unref(context.included);
	config_destroy(&parsed);
	if (context.n_errors > 0) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID,
		            "%s: %u error%s in configuration", name, context.n_errors,
		            context.n_errors == 1 ? "" : "s");
		g_clear_pointer(&config, chopin_config_free);
	}

out:
	if (ret_diagnostics != NULL && *ret_diagnostics == NULL)
		*ret_diagnostics = g_steal_pointer(&diagnostics);
	return g_steal_pointer(&config);
}

ChopinConfig *
chopin_config_load_buffer(const ChopinConfigSchema *schema, const char *name, const char *text,
                          gsize length, GPtrArray **ret_diagnostics, GError **error)
{
	g_return_val_if_fail(schema != NULL, NULL);
	g_return_val_if_fail(name != NULL, NULL);
	g_return_val_if_fail(text != NULL || length == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return config_load(schema, name, text, length, NULL, ret_diagnostics, error);
}

ChopinConfig *
chopin_config_load_file(const ChopinConfigSchema *schema, const char *path,
                        GPtrArray **ret_diagnostics, GError **error)
{
	g_autofree char *text = NULL, *directory = NULL;
	gsize length = 0;

	g_return_val_if_fail(schema != NULL, NULL);
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!g_file_get_contents(path, &text, &length, error))
		return NULL;
	/* @include is resolved by libconfig relative to the working directory; the file's
	 * directory is what users expect */
	directory = g_path_get_dirname(path);
	return config_load(schema, path, text, length, directory, ret_diagnostics, error);
}

/* ---- getters ---- */

static const ConfigValue *
config_lookup_value(const ChopinConfig *config, const char *path, ChopinConfigType type)
{
	const ConfigValue *value = g_hash_table_lookup(config->values, path);

	if (value == NULL) {
		g_critical("configuration key '%s' is not declared in the schema", path);
		return NULL;
	}
	if (value->key->type != type) {
		g_critical("configuration key '%s' read with the getter of another type", path);
		return NULL;
	}
	return value;
}

gint64
chopin_config_get_int(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, 0);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_INT);
	return value != NULL ? value->number : 0;
}

gboolean
chopin_config_get_bool(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, FALSE);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_BOOL);
	return value != NULL ? value->number != 0 : FALSE;
}

const char *
chopin_config_get_string(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, NULL);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_STRING);
	return value != NULL ? value->string : NULL;
}

const char *const *
chopin_config_get_string_list(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, NULL);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_STRING_LIST);
	return value != NULL ? (const char *const *)value->list : NULL;
}

gint64
chopin_config_get_duration_ms(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, 0);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_DURATION);
	return value != NULL ? value->number : 0;
}

guint64
chopin_config_get_size(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, 0);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_SIZE);
	return value != NULL ? (guint64)value->number : 0;
}

int
chopin_config_get_enum(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, -1);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_ENUM);
	return value != NULL ? (int)value->number : -1;
}

gboolean
chopin_config_is_set(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, FALSE);
	value = g_hash_table_lookup(config->values, path);
	if (value == NULL) {
		g_critical("configuration key '%s' is not declared in the schema", path);
		return FALSE;
	}
	return value->is_set;
}

guint
chopin_config_get_line(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, 0);
	value = g_hash_table_lookup(config->values, path);
	if (value == NULL) {
		g_critical("configuration key '%s' is not declared in the schema", path);
		return 0;
	}
	return value->line;
}

guint
chopin_config_get_group_count(const ChopinConfig *config, const char *path)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, 0);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_GROUP_LIST);
	return value != NULL ? value->groups->len : 0;
}

const ChopinConfig *
chopin_config_get_group(const ChopinConfig *config, const char *path, guint index)
{
	const ConfigValue *value;

	g_return_val_if_fail(config != NULL && path != NULL, NULL);
	value = config_lookup_value(config, path, CHOPIN_CONFIG_TYPE_GROUP_LIST);
	if (value == NULL)
		return NULL;
	g_return_val_if_fail(index < value->groups->len, NULL);
	return value->groups->pdata[index];
}

const char *
chopin_config_get_origin(const ChopinConfig *config, guint *ret_line)
{
	g_return_val_if_fail(config != NULL, NULL);
	if (ret_line != NULL)
		*ret_line = config->line;
	return config->origin;
}

GQuark
chopin_config_error_quark(void)
{
	return g_quark_from_static_string("chopin-config-error-quark");
}
