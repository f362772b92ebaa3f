/* chopin-config-value: parse and check typed values: durations, sizes, enums, defaults. */
#include "config.h"

#include <string.h>

#include "chopin-config-private.h"

/* ---- text parsers ---- */

ParseResult
chopin_config_value_parse_duration(const char *text, gint64 *ret_ms)
{
	const char *p = text;
	gint64 total = 0;

	if (text == NULL || *text == '\0')
		return PARSE_SYNTAX;
	while (*p != '\0') {
		gint64 number = 0, multiplier;
		gboolean overflow = FALSE;

		if (!g_ascii_isdigit(*p))
			return PARSE_SYNTAX;
		for (; g_ascii_isdigit(*p); p++) {
			int digit = *p - '0';
			if (number > (G_MAXINT64 - digit) / 10)
				overflow = TRUE;
			else
				number = number * 10 + digit;
		}
		if (p[0] == 'm' && p[1] == 's') {
			multiplier = 1;
			p += 2;
		} else if (*p == 's' || *p == 'm' || *p == 'h' || *p == 'd') {
			multiplier = *p == 's'   ? CHOPIN_CONFIG_MS_SECOND
			             : *p == 'm' ? 60 * CHOPIN_CONFIG_MS_SECOND
			             : *p == 'h' ? CHOPIN_CONFIG_MS_HOUR
			                         : 24 * CHOPIN_CONFIG_MS_HOUR;
			p++;
		} else {
			return PARSE_SYNTAX;
		}
		if (overflow || number > G_MAXINT64 / multiplier ||
		    total > G_MAXINT64 - number * multiplier)
			overflow = TRUE;
		if (overflow) {
			/* keep checking the syntax so garbage is reported as garbage */
			for (; *p != '\0'; p++)
				if (!g_ascii_isdigit(*p) && strchr("mshd", *p) == NULL)
					return PARSE_SYNTAX;
			return PARSE_OVERFLOW;
		}
		total += number * multiplier;
	}
	*ret_ms = total;
	return PARSE_OK;
}

gboolean
chopin_config_parse_duration(const char *text, gint64 *ret_ms)
{
	g_return_val_if_fail(ret_ms != NULL, FALSE);
	return chopin_config_value_parse_duration(text, ret_ms) == PARSE_OK;
}

ParseResult
chopin_config_value_parse_size(const char *text, gint64 *ret_bytes)
{
	const char *p = text;
	gint64 number = 0, multiplier = 1;

	if (text == NULL || !g_ascii_isdigit(*p))
		return PARSE_SYNTAX;
	for (; g_ascii_isdigit(*p); p++) {
		int digit = *p - '0';
		if (number > (G_MAXINT64 - digit) / 10) {
			for (; g_ascii_isdigit(*p); p++)
				;
			if (*p != '\0' && (strchr("KMGT", *p) == NULL || p[1] != '\0'))
				return PARSE_SYNTAX;
			return PARSE_OVERFLOW;
		}
		number = number * 10 + digit;
	}
	switch (*p) {
	case '\0':
		break;
	case 'K':
		multiplier = G_GINT64_CONSTANT(1) << 10;
		break;
	case 'M':
		multiplier = G_GINT64_CONSTANT(1) << 20;
		break;
	case 'G':
		multiplier = G_GINT64_CONSTANT(1) << 30;
		break;
	case 'T':
		multiplier = G_GINT64_CONSTANT(1) << 40;
		break;
	default:
		return PARSE_SYNTAX;
	}
	if (*p != '\0' && p[1] != '\0')
		return PARSE_SYNTAX;
	if (number > G_MAXINT64 / multiplier)
		return PARSE_OVERFLOW;
	*ret_bytes = number * multiplier;
	return PARSE_OK;
}

gboolean
chopin_config_parse_size(const char *text, guint64 *ret_bytes)
{
	gint64 bytes;

	g_return_val_if_fail(ret_bytes != NULL, FALSE);
	if (chopin_config_value_parse_size(text, &bytes) != PARSE_OK)
		return FALSE;
	*ret_bytes = (guint64)bytes;
	return TRUE;
}

char *
chopin_config_format_duration(gint64 ms)
{
	static const struct {
		gint64 ms;
		const char *unit;
	} units[] = {
	    {24 * CHOPIN_CONFIG_MS_HOUR, "d"},
	    {CHOPIN_CONFIG_MS_HOUR, "h"},
	    {60 * CHOPIN_CONFIG_MS_SECOND, "m"},
	    {CHOPIN_CONFIG_MS_SECOND, "s"},
	    {1, "ms"},
	};
	GString *text;

	if (ms <= 0)
		return g_strdup(ms == 0 ? "0s" : "negative");
	text = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (ms >= units[i].ms) {
			g_string_append_printf(text, "%" G_GINT64_FORMAT "%s", ms / units[i].ms,
			                       units[i].unit);
			ms %= units[i].ms;
		}
	}
	return g_string_free(text, FALSE);
}

static char *
format_size(gint64 bytes)
{
	static const char suffixes[] = "TGMK";

	for (int shift = 40, i = 0; shift > 0; shift -= 10, i++) {
		gint64 unit = G_GINT64_CONSTANT(1) << shift;
		if (bytes != 0 && bytes % unit == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "%c", bytes / unit, suffixes[i]);
	}
	return g_strdup_printf("%" G_GINT64_FORMAT, bytes);
}

/* ---- values ---- */

void
chopin_config_value_free(ConfigValue *value)
{
	if (value == NULL)
		return;
	g_free(value->string);
	g_strfreev(value->list);
	if (value->groups != NULL)
		g_ptr_array_unref(value->groups);
	g_free(value);
}

static char *
format_number(const ChopinConfigKey *key, gint64 number)
{
	if (key->type == CHOPIN_CONFIG_TYPE_DURATION)
		return chopin_config_format_duration(number);
	if (key->type == CHOPIN_CONFIG_TYPE_SIZE)
		return format_size(number);
	return g_strdup_printf("%" G_GINT64_FORMAT, number);
}

/* NULL when number is within the key's range, else the problem (caller frees). */
char *
chopin_config_value_check_range(const ChopinConfigKey *key, gint64 number)
{
	g_autofree char *text = NULL, *min = NULL, *max = NULL;

	if (key->min == 0 && key->max == 0)
		return NULL;
	if (number >= key->min && number <= key->max)
		return NULL;
	text = format_number(key, number);
	min = format_number(key, key->min);
	max = format_number(key, key->max);
	return g_strdup_printf("%s is out of range (%s..%s)", text, min, max);
}

int
chopin_config_value_enum_lookup(const ChopinConfigKey *key, const char *name)
{
	for (int i = 0; key->enum_values[i] != NULL; i++)
		if (g_strcmp0(key->enum_values[i], name) == 0)
			return i;
	return -1;
}

char *
chopin_config_value_enum_expected(const ChopinConfigKey *key)
{
	g_autofree char *names = g_strjoinv(", ", (char **)key->enum_values);
	return g_strdup_printf("one of: %s", names);
}

/* User text quoted back in a message: bounded, cut on a UTF-8 boundary. */
char *
chopin_config_value_excerpt(const char *text)
{
	size_t length = strlen(text);

	if (length <= CHOPIN_CONFIG_EXCERPT_MAX)
		return g_strdup(text);
	length = CHOPIN_CONFIG_EXCERPT_MAX;
	while (length > 0 && ((guchar)text[length] & 0xC0) == 0x80)
		length--;
	return g_strdup_printf("%.*s...", (int)length, text);
}

/* Parse a default (or any text in file syntax) into value. Returns the problem or NULL. */
char *
chopin_config_value_set_text(ConfigValue *value, const char *text)
{
	const ChopinConfigKey *key = value->key;
	gint64 number = 0;

	switch (key->type) {
	case CHOPIN_CONFIG_TYPE_STRING:
		value->string = g_strdup(text);
		return NULL;
	case CHOPIN_CONFIG_TYPE_STRING_LIST:
		value->list =
		    (text == NULL || *text == '\0') ? g_new0(char *, 1) : g_strsplit(text, ",", -1);
		return NULL;
	case CHOPIN_CONFIG_TYPE_BOOL:
		if (g_strcmp0(text, "true") != 0 && g_strcmp0(text, "false") != 0)
			return g_strdup("default is not true or false");
		value->number = g_strcmp0(text, "true") == 0;
		return NULL;
	case CHOPIN_CONFIG_TYPE_ENUM:
		if (key->enum_values == NULL || key->enum_values[0] == NULL)
			return g_strdup("enum without values");
		number = text == NULL ? -1 : chopin_config_value_enum_lookup(key, text);
		if (number < 0)
			return g_strdup("default is not one of the enum values");
		value->number = number;
		return NULL;
	case CHOPIN_CONFIG_TYPE_GROUP_LIST:
		if (text != NULL)
			return g_strdup("a list of groups has no default");
		value->groups = g_ptr_array_new_with_free_func((GDestroyNotify)chopin_config_free);
		return NULL;
	case CHOPIN_CONFIG_TYPE_INT:
		if (text == NULL ||
		    !g_ascii_string_to_signed(text, 10, G_MININT64, G_MAXINT64, &number, NULL))
			return g_strdup("default is not an integer");
		break;
	case CHOPIN_CONFIG_TYPE_DURATION:
		if (chopin_config_value_parse_duration(text, &number) != PARSE_OK)
			return g_strdup("default is not a duration");
		break;
	case CHOPIN_CONFIG_TYPE_SIZE:
		if (chopin_config_value_parse_size(text, &number) != PARSE_OK)
			return g_strdup("default is not a size");
		break;
	default:
		return g_strdup("unknown type");
	}
	value->number = number;
	return chopin_config_value_check_range(key, number);
}
