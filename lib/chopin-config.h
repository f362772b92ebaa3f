/* chopin-config: the configuration file as a declared schema of typed keys (libconfig). */
#ifndef CHOPIN_CONFIG_H
#define CHOPIN_CONFIG_H

#include <stddef.h>

#include <glib.h>

G_BEGIN_DECLS

#define CHOPIN_CONFIG_ERROR (chopin_config_error_quark())

/* Codes of CHOPIN_CONFIG_ERROR. Reading the file itself fails with G_FILE_ERROR. */
typedef enum {
	CHOPIN_CONFIG_ERROR_SYNTAX,  /* libconfig could not parse the text */
	CHOPIN_CONFIG_ERROR_INVALID, /* parsed, but one or more values break the schema */
	CHOPIN_CONFIG_ERROR_SCHEMA,  /* the program's own schema is wrong (a bug) */
} ChopinConfigError;

typedef enum {
	CHOPIN_CONFIG_TYPE_INT,         /* integer, range min..max */
	CHOPIN_CONFIG_TYPE_BOOL,        /* true / false */
	CHOPIN_CONFIG_TYPE_STRING,      /* default may be NULL: "not set" */
	CHOPIN_CONFIG_TYPE_STRING_LIST, /* array or list of strings; default "a,b" or NULL (empty)
	                                 */
	CHOPIN_CONFIG_TYPE_DURATION, /* "250ms", "5s", "10m", "2h", "7d", "1h30m"; milliseconds */
	CHOPIN_CONFIG_TYPE_SIZE,     /* integer bytes or "512", "64K", "512M", "2G", "1T" (1024) */
	CHOPIN_CONFIG_TYPE_ENUM,     /* one of enum_values; stored as the index */
	CHOPIN_CONFIG_TYPE_GROUP_LIST, /* a list of groups ( { ... }, { ... } ), each checked
	                                * against the members table; default NULL (empty) */
} ChopinConfigType;

/* One declared key. Tables of these are static const data in each program. For INT, DURATION
 * (milliseconds) and SIZE (bytes), min and max bound the value; min == max == 0 means no bound
 * beyond the type's own. default_value is text in the same syntax the file uses. */
typedef struct _ChopinConfigKey {
	const char *path; /* dotted: "database.port", "trapd.spool.fsync_delay" */
	ChopinConfigType type;
	const char *default_value;
	gint64 min;
	gint64 max;
	const char *const *enum_values; /* NULL-terminated; ENUM only */
	const char *help;               /* one line */
	/* Optional, STRING and STRING_LIST (each element): NULL when @value is fine, else a
	 * message the loader reports at the value's line and frees. */
	char *(*check)(const char *value);
	/* GROUP_LIST only: the keys of each group, with paths relative to the group ("address").
	 * The table must outlive the schema, like this one. */
	const struct _ChopinConfigKey *members;
	size_t n_members;
} ChopinConfigKey;

typedef struct _ChopinConfigSchema ChopinConfigSchema;
typedef struct _ChopinConfig ChopinConfig;

GQuark chopin_config_error_quark(void);

/* Keys shared by all programs: the "database" and "log" sections. */
extern const ChopinConfigKey chopin_config_database_keys[];
extern const size_t chopin_config_database_n_keys;
extern const ChopinConfigKey chopin_config_log_keys[];
extern const size_t chopin_config_log_n_keys;

/* Values of log.level and log.syslog_facility, in enum index order. */
typedef enum {
	CHOPIN_CONFIG_LOG_LEVEL_DEBUG,
	CHOPIN_CONFIG_LOG_LEVEL_INFO,
	CHOPIN_CONFIG_LOG_LEVEL_MESSAGE,
	CHOPIN_CONFIG_LOG_LEVEL_WARNING,
} ChopinConfigLogLevel;

/* An empty schema. Never NULL; free with chopin_config_schema_free(). */
ChopinConfigSchema *chopin_config_schema_new(void);

/* Add a table of keys; the table must outlive the schema and every config loaded with it.
 * Returns FALSE with error CHOPIN_CONFIG_ERROR_SCHEMA (and adds nothing) when a key is
 * malformed: duplicate path, a path that is also a section, bad default, default out of range. */
gboolean chopin_config_schema_add_keys(ChopinConfigSchema *schema, const ChopinConfigKey *keys,
                                       size_t n_keys, GError **error);

/* Add the "database" and "log" tables. Returns FALSE only on a bug (see _add_keys). */
gboolean chopin_config_schema_add_common(ChopinConfigSchema *schema, GError **error);

/* Skip the section (or key) at path without a warning: it belongs to another program that
 * shares the file ("correlator" for chopin-trapd). path must not be declared here. */
void chopin_config_schema_ignore_section(ChopinConfigSchema *schema, const char *path);

/* The declared key for path, or NULL. Owned by the schema's tables. */
const ChopinConfigKey *chopin_config_schema_lookup(const ChopinConfigSchema *schema,
                                                   const char *path);

/* Accepts NULL. */
void chopin_config_schema_free(ChopinConfigSchema *schema);

/* Parse and validate a configuration held in memory; name is used in diagnostics and in place
 * of a file name. Every problem found is appended to *ret_diagnostics (created if NULL; pass
 * NULL to ignore) as a "name:line: message" string owned by the array (g_free); warnings read
 * "name:line: warning: message". Returns NULL with CHOPIN_CONFIG_ERROR_SYNTAX or _INVALID when
 * there is any error (warnings alone do not fail). The result belongs to the caller and keeps
 * a reference to schema, which must outlive it. */
ChopinConfig *chopin_config_load_buffer(const ChopinConfigSchema *schema, const char *name,
                                        const char *text, gsize length, GPtrArray **ret_diagnostics,
                                        GError **error);

/* The same, reading path; @include directives are relative to the file's directory. I/O
 * failures return NULL with a G_FILE_ERROR and no diagnostic. */
ChopinConfig *chopin_config_load_file(const ChopinConfigSchema *schema, const char *path,
                                      GPtrArray **ret_diagnostics, GError **error);

/* A configuration holding every default. Never NULL (the schema was validated when built). */
ChopinConfig *chopin_config_new_defaults(const ChopinConfigSchema *schema);

/* Getters. Asking for an undeclared key, or with the wrong getter for its type, is a
 * programming error: g_critical and 0 / FALSE / NULL. */
gint64 chopin_config_get_int(const ChopinConfig *config, const char *path);
gboolean chopin_config_get_bool(const ChopinConfig *config, const char *path);
/* Owned by config; NULL only for a STRING whose default is NULL and that was not set. */
const char *chopin_config_get_string(const ChopinConfig *config, const char *path);
/* NULL-terminated, owned by config; never NULL for a declared key (may be empty). */
const char *const *chopin_config_get_string_list(const ChopinConfig *config, const char *path);
gint64 chopin_config_get_duration_ms(const ChopinConfig *config, const char *path);
guint64 chopin_config_get_size(const ChopinConfig *config, const char *path);
/* Index into the key's enum_values; -1 on a programming error. */
int chopin_config_get_enum(const ChopinConfig *config, const char *path);
/* TRUE when the file set the key, FALSE when the default applies. */
gboolean chopin_config_is_set(const ChopinConfig *config, const char *path);
/* The line of the file that set the key, 0 for a default. */
guint chopin_config_get_line(const ChopinConfig *config, const char *path);

/* GROUP_LIST: how many groups the list holds (0 when not set). */
guint chopin_config_get_group_count(const ChopinConfig *config, const char *path);
/* GROUP_LIST: group @index (from 0), read with the getters above and the members' relative
 * paths. Owned by config; NULL (with a g_critical) when @index is out of range. */
const ChopinConfig *chopin_config_get_group(const ChopinConfig *config, const char *path,
                                            guint index);
/* Where a group of a GROUP_LIST begins: the file as diagnostics name it, *ret_line (may be
 * NULL) its line. For a whole configuration: the name it was loaded with, line 0. Owned by
 * config. */
const char *chopin_config_get_origin(const ChopinConfig *config, guint *ret_line);

/* Accepts NULL. */
void chopin_config_free(ChopinConfig *config);

/* Text parsers shared with command-line options. Return FALSE (and leave *ret untouched) on
 * garbage or overflow. Durations: one or more <digits><unit>, units ms s m h d. */
gboolean chopin_config_parse_duration(const char *text, gint64 *ret_ms);
/* Sizes: <digits>[K|M|G|T], binary multiples. */
gboolean chopin_config_parse_size(const char *text, guint64 *ret_bytes);
/* Shortest exact text for a duration ("90s", "1h30m", "0s"); the caller frees it. */
char *chopin_config_format_duration(gint64 ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ChopinConfigSchema, chopin_config_schema_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ChopinConfig, chopin_config_free)

G_END_DECLS

#endif
