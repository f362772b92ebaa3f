/* chopin-config-private: what the schema, value and loading parts of chopin-config share. */
#ifndef CHOPIN_CONFIG_PRIVATE_H
#define CHOPIN_CONFIG_PRIVATE_H

#include "chopin-config.h"

/* Longest piece of user text quoted back in a diagnostic. */
#define CHOPIN_CONFIG_EXCERPT_MAX 64

#define CHOPIN_CONFIG_MS_SECOND G_GINT64_CONSTANT(1000)
#define CHOPIN_CONFIG_MS_HOUR   (3600 * CHOPIN_CONFIG_MS_SECOND)

struct _ChopinConfigSchema {
	GPtrArray *keys;     /* const ChopinConfigKey *, in declaration order */
	GHashTable *by_path; /* path -> const ChopinConfigKey * */
	GPtrArray *sections; /* char *: every proper prefix of a key path, in order */
	GHashTable *sections_set;
	GHashTable *ignored;        /* char *: sections owned by other programs */
	GHashTable *member_schemas; /* GROUP_LIST path -> ChopinConfigSchema * of its members */
};

typedef struct {
	const ChopinConfigKey *key;
	gboolean is_set;
	guint line;
	gint64 number;     /* INT, BOOL, DURATION, SIZE, ENUM index */
	char *string;      /* STRING */
	char **list;       /* STRING_LIST */
	GPtrArray *groups; /* GROUP_LIST: ChopinConfig * per group */
} ConfigValue;

typedef enum { PARSE_OK, PARSE_SYNTAX, PARSE_OVERFLOW } ParseResult;

/* chopin-config-value.c */
ParseResult chopin_config_value_parse_duration(const char *text, gint64 *ret_ms);
ParseResult chopin_config_value_parse_size(const char *text, gint64 *ret_bytes);
/* Parse text in file syntax (a default) into value. Returns NULL, or the problem (g_free). */
char *chopin_config_value_set_text(ConfigValue *value, const char *text);
/* NULL when number is within the key's range, else the problem (g_free). */
char *chopin_config_value_check_range(const ChopinConfigKey *key, gint64 number);
/* Index of name in the key's enum_values, or -1. */
int chopin_config_value_enum_lookup(const ChopinConfigKey *key, const char *name);
/* "one of: a, b" for messages (g_free). */
char *chopin_config_value_enum_expected(const ChopinConfigKey *key);
/* User text quoted back in a message: bounded, cut on a UTF-8 boundary (g_free). */
char *chopin_config_value_excerpt(const char *text);
/* Accepts NULL. */
void chopin_config_value_free(ConfigValue *value);

/* chopin-config-schema.c */
/* The closest declared key (or section, for a group) to path, or NULL. Owned by schema. */
const char *chopin_config_schema_suggest(const ChopinConfigSchema *schema, const char *path,
                                         gboolean want_section);
/* Whether path is a section another program owns. */
gboolean chopin_config_schema_is_ignored(const ChopinConfigSchema *schema, const char *path);
/* The schema of a GROUP_LIST key's members. Owned by schema. */
const ChopinConfigSchema *chopin_config_schema_members(const ChopinConfigSchema *schema,
                                                       const char *path);

/* chopin-config.c */
/* A configuration holding the defaults of schema, for the top level or one group. */
ChopinConfig *chopin_config_new_with_origin(const ChopinConfigSchema *schema, const char *origin,
                                            guint line);

#endif
