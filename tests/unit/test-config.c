/* test-config: schema declaration, loading, diagnostics and the duration and size parsers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "chopin-config.h"
#include "chopin-settings.h"

#define MS_DAY G_GINT64_CONSTANT(86400000)

static const char *const mode_values[] = {"fast", "safe", NULL};

static const ChopinConfigKey test_keys[] = {
    {"trapd.port", CHOPIN_CONFIG_TYPE_INT, "162", 1, 65535, NULL, "UDP port"},
    {"trapd.enabled", CHOPIN_CONFIG_TYPE_BOOL, "true", 0, 0, NULL, "run at all"},
    {"trapd.community", CHOPIN_CONFIG_TYPE_STRING, "public", 0, 0, NULL, "v2c community"},
    {"trapd.allowed_hosts", CHOPIN_CONFIG_TYPE_STRING_LIST, "10.0.0.1,10.0.0.2", 0, 0, NULL,
     "senders"},
    {"trapd.spool.directory", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL, "spool"},
    {"trapd.spool.fsync_delay", CHOPIN_CONFIG_TYPE_DURATION, "250ms", 0, 10000, NULL,
     "group commit delay"},
    {"trapd.spool.segment_size", CHOPIN_CONFIG_TYPE_SIZE, "64M", 4096, G_GINT64_CONSTANT(1) << 40,
     NULL, "segment size"},
    {"trapd.spool.mode", CHOPIN_CONFIG_TYPE_ENUM, "safe", 0, 0, mode_values, "sync mode"},
    {"trapd.offset", CHOPIN_CONFIG_TYPE_INT, "-1", 0, 0, NULL, "unbounded integer"},
};

static ChopinConfigSchema *
test_schema_new(void)
{
	g_autoptr(GError) error = NULL;
	ChopinConfigSchema *schema = chopin_config_schema_new();

	assert_true(chopin_config_schema_add_common(schema, &error));
	assert_null(error);
	assert_true(
	    chopin_config_schema_add_keys(schema, test_keys, G_N_ELEMENTS(test_keys), &error));
	assert_null(error);
	return schema;
}

static ChopinConfig *
load_text(const ChopinConfigSchema *schema, const char *text, GPtrArray **ret_diagnostics,
          GError **error)
{
	return chopin_config_load_buffer(schema, "test.conf", text, strlen(text), ret_diagnostics,
	                                 error);
}

static void
assert_diagnostics(GPtrArray *diagnostics, const char *const *expected)
{
	guint n_expected = 0;

	while (expected[n_expected] != NULL)
		n_expected++;
	for (guint i = 0; i < diagnostics->len; i++)
		print_message("#   got: %s\n", (const char *)diagnostics->pdata[i]);
	assert_int_equal(diagnostics->len, n_expected);
	for (guint i = 0; i < n_expected; i++)
		assert_string_equal(diagnostics->pdata[i], expected[i]);
}

static void
test_defaults(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = test_schema_new();
	g_autoptr(ChopinConfig) config = chopin_config_new_defaults(schema);
	const char *const *hosts;

	assert_int_equal(chopin_config_get_int(config, "trapd.port"), 162);
	assert_int_equal(chopin_config_get_int(config, "trapd.offset"), -1);
	assert_true(chopin_config_get_bool(config, "trapd.enabled"));
	assert_string_equal(chopin_config_get_string(config, "trapd.community"), "public");
	assert_null(chopin_config_get_string(config, "trapd.spool.directory"));
	hosts = chopin_config_get_string_list(config, "trapd.allowed_hosts");
	assert_non_null(hosts);
	assert_string_equal(hosts[0], "10.0.0.1");
	assert_string_equal(hosts[1], "10.0.0.2");
	assert_null(hosts[2]);
	assert_int_equal(chopin_config_get_duration_ms(config, "trapd.spool.fsync_delay"), 250);
	assert_int_equal(chopin_config_get_size(config, "trapd.spool.segment_size"), 64 << 20);
	assert_int_equal(chopin_config_get_enum(config, "trapd.spool.mode"), 1);
	assert_false(chopin_config_is_set(config, "trapd.port"));
	assert_int_equal(chopin_config_get_line(config, "trapd.port"), 0);

	/* the common sections */
	assert_null(chopin_config_get_string(config, "database.host"));
	assert_int_equal(chopin_config_get_int(config, "database.port"), 0);
	assert_null(chopin_config_get_string(config, "database.socket"));
	assert_null(chopin_config_get_string(config, "database.user"));
	assert_null(chopin_config_get_string(config, "database.password"));
	assert_string_equal(chopin_config_get_string(config, "database.name"), "chopin");
	assert_null(chopin_config_get_string(config, "database.option_file"));
	assert_string_equal(chopin_config_get_string(config, "database.option_group"), "chopin");
	assert_int_equal(chopin_config_get_duration_ms(config, "database.connect_timeout"), 5000);
	assert_int_equal(chopin_config_get_duration_ms(config, "database.read_timeout"), 30000);
	assert_int_equal(chopin_config_get_duration_ms(config, "database.write_timeout"), 30000);
	assert_int_equal(chopin_config_get_enum(config, "log.level"),
	                 CHOPIN_CONFIG_LOG_LEVEL_MESSAGE);
	assert_int_equal(chopin_config_get_enum(config, "log.syslog_facility"), 0);
	assert_int_equal(chopin_config_database_n_keys, 11);
	assert_int_equal(chopin_config_log_n_keys, 2);
}

static const char valid_text[] =
    "# every type\n"
    "trapd = {\n"
    "  port = 1162;\n"
    "  enabled = false;\n"
    "  community = \"s3cret\";\n"
    "  allowed_hosts = [\"a\", \"b\", \"c\"];\n"
    "  spool: {\n"
    "    directory = \"/var/spool/chopin\";\n"
    "    fsync_delay = \"1s500ms\";\n"
    "    segment_size = \"512M\";\n"
    "    mode = \"fast\";\n"
    "  };\n"
    "  offset = -9223372036854775807L;\n"
    "};\n"
    "database = { option_file = \"/etc/chopin/my.cnf\"; port = 0x50; };\n"
    "log = { level = \"debug\"; syslog_facility = \"local3\"; };\n";

static void
test_valid_all_types(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = test_schema_new();
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(ChopinConfig) config = load_text(schema, valid_text, &diagnostics, &error);
	const char *const *hosts;

	assert_null(error);
	assert_non_null(config);
	assert_int_equal(diagnostics->len, 0);
	assert_int_equal(chopin_config_get_int(config, "trapd.port"), 1162);
	assert_int_equal(chopin_config_get_line(config, "trapd.port"), 3);
	assert_true(chopin_config_is_set(config, "trapd.port"));
	assert_false(chopin_config_get_bool(config, "trapd.enabled"));
	assert_string_equal(chopin_config_get_string(config, "trapd.community"), "s3cret");
	hosts = chopin_config_get_string_list(config, "trapd.allowed_hosts");
	assert_string_equal(hosts[0], "a");
	assert_string_equal(hosts[2], "c");
	assert_null(hosts[3]);
	assert_string_equal(chopin_config_get_string(config, "trapd.spool.directory"),
	                    "/var/spool/chopin");
	assert_int_equal(chopin_config_get_duration_ms(config, "trapd.spool.fsync_delay"), 1500);
	assert_int_equal(chopin_config_get_line(config, "trapd.spool.fsync_delay"), 9);
	assert_int_equal(chopin_config_get_size(config, "trapd.spool.segment_size"), 512 << 20);
	assert_int_equal(chopin_config_get_enum(config, "trapd.spool.mode"), 0);
	assert_true(chopin_config_get_int(config, "trapd.offset") == -G_MAXINT64);
	assert_int_equal(chopin_config_get_int(config, "database.port"), 80);
	assert_string_equal(chopin_config_get_string(config, "database.option_file"),
	                    "/etc/chopin/my.cnf");
	assert_false(chopin_config_is_set(config, "database.host"));
	assert_int_equal(chopin_config_get_enum(config, "log.level"),
	                 CHOPIN_CONFIG_LOG_LEVEL_DEBUG);
	assert_int_equal(chopin_config_get_enum(config, "log.syslog_facility"), 5);
}

typedef struct {
	const char *text;
	gboolean loads; /* warnings only */
	const char *diagnostics[4];
} LoadCase;

static const LoadCase load_cases[] = {
    /* empty input and comments only */
    {"", TRUE, {NULL}},
    {"# nothing\n// here\n/* at all */\n", TRUE, {NULL}},
    /* wrong types */
    {"trapd = {\n  port = \"162\";\n};\n",
     FALSE,
     {"test.conf:2: trapd.port: expected an integer, got a string"}},
    {"trapd: { port = 1.5; };",
     FALSE,
     {"test.conf:1: trapd.port: expected an integer, got a float"}},
    {"trapd: { port = true; };",
     FALSE,
     {"test.conf:1: trapd.port: expected an integer, got a boolean"}},
    {"trapd: { enabled = \"yes\"; };",
     FALSE,
     {"test.conf:1: trapd.enabled: expected a boolean (true or false), got a string"}},
    {"trapd: { community = 5; };",
     FALSE,
     {"test.conf:1: trapd.community: expected a string, got an integer"}},
    {"trapd: { community = [\"a\"]; };",
     FALSE,
     {"test.conf:1: trapd.community: expected a string, got an array"}},
    {"trapd: { allowed_hosts = \"a\"; };",
     FALSE,
     {"test.conf:1: trapd.allowed_hosts: expected an array of strings, got a string"}},
    {"trapd: { allowed_hosts = (\"a\", 1); };",
     FALSE,
     {"test.conf:1: trapd.allowed_hosts: element 2: expected a string, got an integer"}},
    {"trapd: { allowed_hosts = []; };", TRUE, {NULL}},
    {"trapd = 5;", FALSE, {"test.conf:1: trapd: expected a group, got an integer"}},
    {"trapd: { spool = \"x\"; };",
     FALSE,
     {"test.conf:1: trapd.spool: expected a group, got a string"}},
    {"trapd: { port = { x = 1; }; };",
     FALSE,
     {"test.conf:1: trapd.port: expected an integer, got a group"}},
    /* ranges */
    {"trapd: { port = 70000; };",
     FALSE,
     {"test.conf:1: trapd.port: 70000 is out of range (1..65535)"}},
    {"trapd: { port = 0; };", FALSE, {"test.conf:1: trapd.port: 0 is out of range (1..65535)"}},
    {"trapd: { port = -1; };", FALSE, {"test.conf:1: trapd.port: -1 is out of range (1..65535)"}},
    {"trapd: { port = 9999999999L; };",
     FALSE,
     {"test.conf:1: trapd.port: 9999999999 is out of range (1..65535)"}},
    {"trapd: { port = 65535; };", TRUE, {NULL}},
    {"trapd: { port = 1; };", TRUE, {NULL}},
    /* integers libconfig would silently wrap */
    {"trapd: { port = 9999999999; };", FALSE, {"test.conf:1: trapd.port: integer is too large"}},
    {"trapd: { port = 99999999999999999999; };",
     FALSE,
     {"test.conf:1: trapd.port: integer is too large"}},
    {"trapd: { offset = 99999999999999999999L; };",
     FALSE,
     {"test.conf:1: trapd.offset: integer is too large"}},
    {"trapd: { offset = 2147483647; };", TRUE, {NULL}},
    /* enums */
    {"trapd: { spool: { mode = \"turbo\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.mode: unknown value 'turbo' (expected one of: fast, safe)"}},
    {"trapd: { spool: { mode = \"Fast\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.mode: unknown value 'Fast' (expected one of: fast, safe)"}},
    {"trapd: { spool: { mode = 1; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.mode: expected one of: fast, safe, got an integer"}},
    {"log: { level = \"verbose\"; };",
     FALSE,
     {"test.conf:1: log.level: unknown value 'verbose' (expected one of: debug, info, "
      "message, warning)"}},
    /* durations */
    {"trapd: { spool: { fsync_delay = \"5x\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: invalid duration '5x' (expected a number and a "
      "unit: ms, s, m, h, d; e.g. \"250ms\", \"1h30m\")"}},
    {"trapd: { spool: { fsync_delay = \"5\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: invalid duration '5' (expected a number and a "
      "unit: ms, s, m, h, d; e.g. \"250ms\", \"1h30m\")"}},
    {"trapd: { spool: { fsync_delay = \"\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: invalid duration '' (expected a number and a "
      "unit: ms, s, m, h, d; e.g. \"250ms\", \"1h30m\")"}},
    {"trapd: { spool: { fsync_delay = \"-5s\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: invalid duration '-5s' (expected a number and a "
      "unit: ms, s, m, h, d; e.g. \"250ms\", \"1h30m\")"}},
    {"trapd: { spool: { fsync_delay = 5; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: expected a duration string such as \"5s\", got "
      "an integer"}},
    {"trapd: { spool: { fsync_delay = \"1m\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: 1m is out of range (0s..10s)"}},
    {"trapd: { spool: { fsync_delay = \"10s1ms\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: 10s1ms is out of range (0s..10s)"}},
    {"trapd: { spool: { fsync_delay = \"10s\"; }; };", TRUE, {NULL}},
    {"trapd: { spool: { fsync_delay = \"106751991167d\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: 106751991167d is out of range (0s..10s)"}},
    {"trapd: { spool: { fsync_delay = \"106751991168d\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: duration '106751991168d' is too large"}},
    {"trapd: { spool: { fsync_delay = \"99999999999999999999999ms\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.fsync_delay: duration '99999999999999999999999ms' is too "
      "large"}},
    {"database: { connect_timeout = \"500ms\"; };",
     FALSE,
     {"test.conf:1: database.connect_timeout: 500ms is out of range (1s..1h)"}},
    /* sizes */
    {"trapd: { spool: { segment_size = \"64X\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.segment_size: invalid size '64X' (expected a number with an "
      "optional K, M, G or T suffix)"}},
    {"trapd: { spool: { segment_size = \"1.5M\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.segment_size: invalid size '1.5M' (expected a number with an "
      "optional K, M, G or T suffix)"}},
    {"trapd: { spool: { segment_size = \"1K\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.segment_size: 1K is out of range (4K..1T)"}},
    {"trapd: { spool: { segment_size = \"2T\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.segment_size: 2T is out of range (4K..1T)"}},
    {"trapd: { spool: { segment_size = \"8388608T\"; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.segment_size: size '8388608T' is too large"}},
    {"trapd: { spool: { segment_size = -5; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.segment_size: size -5 is negative"}},
    {"trapd: { spool: { segment_size = 4.5; }; };",
     FALSE,
     {"test.conf:1: trapd.spool.segment_size: expected a size such as \"64M\" or an integer, "
      "got a float"}},
    {"trapd: { spool: { segment_size = 4097; }; };", TRUE, {NULL}},
    {"trapd: { spool: { segment_size = \"1T\"; }; };", TRUE, {NULL}},
    /* unknown keys and sections are warnings */
    {"trapd = {\n  prot = 5;\n};\n",
     TRUE,
     {"test.conf:2: warning: unknown key 'trapd.prot' (did you mean 'trapd.port'?)"}},
    {"trapd = {\n  spoool = { mode = \"fast\"; };\n};\n",
     TRUE,
     {"test.conf:2: warning: unknown section 'trapd.spoool' (did you mean 'trapd.spool'?)"}},
    {"databse = { port = 1; };",
     TRUE,
     {"test.conf:1: warning: unknown section 'databse' (did you mean 'database'?)"}},
    {"zzz = 1;\ncorrelator = { rules = \"x\"; };\n",
     TRUE,
     {"test.conf:1: warning: unknown key 'zzz'",
      "test.conf:2: warning: unknown section 'correlator'"}},
    {"port = 1;", TRUE, {"test.conf:1: warning: unknown key 'port'"}},
    /* several problems, each on its own line; a bad value does not stop the others */
    {"trapd = {\n"
     "  port = \"x\";\n"
     "  portt = 1;\n"
     "  spool = {\n"
     "    mode = \"slow\";\n"
     "  };\n"
     "};\n",
     FALSE,
     {"test.conf:2: trapd.port: expected an integer, got a string",
      "test.conf:3: warning: unknown key 'trapd.portt' (did you mean 'trapd.port'?)",
      "test.conf:5: trapd.spool.mode: unknown value 'slow' (expected one of: fast, safe)"}},
    /* syntax errors */
    {"trapd = {\n  port = ;\n};\n", FALSE, {"test.conf:2: syntax error"}},
    {"trapd = { port = 1; }};\n", FALSE, {"test.conf:1: syntax error"}},
    {"a = 1 b == 2;\n", FALSE, {"test.conf:1: syntax error"}},
    {"a = 1;\na = 2;\n", FALSE, {"test.conf:2: duplicate setting name"}},
    {"a = [\"x\", 1];", FALSE, {"test.conf:1: mismatched element type in array"}},
    /* libconfig reports an unterminated string where the text ends */
    {"\n\ncommunity = \"unterminated\n", FALSE, {"test.conf:4: syntax error"}},
};

static void
test_load_table(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = test_schema_new();

	for (gsize i = 0; i < G_N_ELEMENTS(load_cases); i++) {
		const LoadCase *c = &load_cases[i];
		g_autoptr(GPtrArray) diagnostics = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(ChopinConfig) config = NULL;

		print_message("# load case %" G_GSIZE_FORMAT "\n", i);
		config = load_text(schema, c->text, &diagnostics, &error);
		assert_non_null(diagnostics);
		assert_diagnostics(diagnostics, c->diagnostics);
		if (c->loads) {
			assert_null(error);
			assert_non_null(config);
		} else {
			assert_null(config);
			assert_non_null(error);
			assert_true(error->domain == CHOPIN_CONFIG_ERROR);
		}
	}
}

static guint n_criticals;

static void
count_criticals_cb(const char *domain, GLogLevelFlags flags, const char *message,
                   gpointer user_data)
{
	if (flags & G_LOG_LEVEL_CRITICAL)
		n_criticals++;
}

static void
test_error_codes(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = test_schema_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func(g_free);
	ChopinConfig *config;

	config = load_text(schema, "trapd = {", NULL, &error);
	assert_null(config);
	assert_true(g_error_matches(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SYNTAX));
	assert_string_equal(error->message, "test.conf:1: syntax error");
	g_clear_error(&error);

	config = load_text(schema, "trapd: { port = 0; enabled = 1; };\nlog = 3;", NULL, &error);
	assert_null(config);
	assert_true(g_error_matches(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID));
	assert_string_equal(error->message, "test.conf: 3 errors in configuration");
	g_clear_error(&error);

	/* diagnostics accumulate into an array the caller passes */
	g_ptr_array_add(diagnostics, g_strdup("earlier"));
	config = load_text(schema, "x = 1;", &diagnostics, NULL);
	assert_non_null(config);
	chopin_config_free(config);
	config = load_text(schema, "trapd: { port = 0; };", &diagnostics, NULL);
	assert_null(config);
	assert_int_equal(diagnostics->len, 3);
	assert_string_equal(diagnostics->pdata[0], "earlier");
	assert_string_equal(diagnostics->pdata[1], "test.conf:1: warning: unknown key 'x'");
	assert_string_equal(diagnostics->pdata[2],
	                    "test.conf:1: trapd.port: 0 is out of range (1..65535)");

	/* sections of other programs can be skipped silently, but not declared ones */
	{
		g_autoptr(GPtrArray) quiet = NULL;
		GLogFunc previous;
		GLogLevelFlags fatal;

		chopin_config_schema_ignore_section(schema, "correlator");
		config =
		    load_text(schema, "correlator = { rules = 5; };\ncorrelatr = 1;", &quiet, NULL);
		assert_non_null(config);
		chopin_config_free(config);
		assert_int_equal(quiet->len, 1);
		assert_string_equal(quiet->pdata[0],
		                    "test.conf:2: warning: unknown key 'correlatr'");
		previous = g_log_set_default_handler(count_criticals_cb, NULL);
		fatal = g_log_set_always_fatal(G_LOG_FATAL_MASK);
		n_criticals = 0;
		chopin_config_schema_ignore_section(schema, "trapd.spool");
		chopin_config_schema_ignore_section(schema, "trapd.port");
		assert_int_equal(n_criticals, 2);
		g_log_set_always_fatal(fatal);
		g_log_set_default_handler(previous, NULL);
		config = load_text(schema, "trapd: { port = \"x\"; };", NULL, NULL);
		assert_null(config);
	}

	/* a NUL byte inside the buffer */
	config =
	    chopin_config_load_buffer(schema, "nul.conf", "a = 1;\nb\0 = 2;", 14, NULL, &error);
	assert_null(config);
	assert_true(g_error_matches(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SYNTAX));
	assert_string_equal(error->message, "nul.conf:2: NUL byte in file");
	g_clear_error(&error);

	/* a buffer that is not NUL-terminated: only length counts */
	config = chopin_config_load_buffer(schema, "n.conf", "trapd: { port = 7; };garbage", 21,
	                                   NULL, &error);
	assert_null(error);
	assert_int_equal(chopin_config_get_int(config, "trapd.port"), 7);
	chopin_config_free(config);
}

static void
test_hostile(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = test_schema_new();
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(ChopinConfig) config = NULL;
	g_autofree char *long_value = g_strnfill(1 << 20, 'x');
	g_autofree char *expected = NULL;

	/* nesting deeper than the parser's stack: a syntax error, not a crash */
	g_string_append(text, "a = ");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(text, '(');
	config = load_text(schema, text->str, &diagnostics, &error);
	assert_null(config);
	assert_true(g_error_matches(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SYNTAX));
	assert_int_equal(diagnostics->len, 1);
	assert_string_equal(diagnostics->pdata[0], "test.conf:1: memory exhausted");
	g_clear_error(&error);
	g_clear_pointer(&diagnostics, g_ptr_array_unref);

	/* deep but parseable nesting in an unknown section: one warning */
	g_string_truncate(text, 0);
	for (int i = 0; i < 500; i++)
		g_string_append(text, "g = {\n");
	for (int i = 0; i < 500; i++)
		g_string_append(text, "};\n");
	config = load_text(schema, text->str, &diagnostics, &error);
	assert_null(error);
	assert_non_null(config);
	assert_int_equal(diagnostics->len, 1);
	assert_string_equal(diagnostics->pdata[0], "test.conf:1: warning: unknown section 'g'");
	g_clear_pointer(&config, chopin_config_free);
	g_clear_pointer(&diagnostics, g_ptr_array_unref);

	/* a 1 MiB string is a fine string, and is cut when quoted back */
	g_string_printf(text, "trapd: { community = \"%s\"; spool: { mode = \"%s\"; }; };",
	                long_value, long_value);
	config = load_text(schema, text->str, &diagnostics, &error);
	assert_null(config);
	expected = g_strdup_printf("test.conf:1: trapd.spool.mode: unknown value '%.64s...' "
	                           "(expected one of: fast, safe)",
	                           long_value);
	assert_int_equal(diagnostics->len, 1);
	assert_string_equal(diagnostics->pdata[0], expected);
	g_clear_error(&error);
	g_clear_pointer(&diagnostics, g_ptr_array_unref);
	g_clear_pointer(&expected, g_free);

	/* a 100 000 character key name: a warning, quoted short, no suggestion */
	g_string_truncate(text, 0);
	g_string_append_c(text, 'k');
	g_string_append_len(text, long_value, 100000);
	g_string_append(text, " = 1;");
	config = load_text(schema, text->str, &diagnostics, &error);
	assert_null(error);
	assert_non_null(config);
	expected = g_strdup_printf("test.conf:1: warning: unknown key 'k%.63s...'", long_value);
	assert_int_equal(diagnostics->len, 1);
	assert_string_equal(diagnostics->pdata[0], expected);
	g_clear_pointer(&config, chopin_config_free);
	g_clear_pointer(&diagnostics, g_ptr_array_unref);

	/* many unknown keys: one warning each */
	g_string_truncate(text, 0);
	for (int i = 0; i < 2000; i++)
		g_string_append_printf(text, "key%d = %d;\n", i, i);
	config = load_text(schema, text->str, &diagnostics, &error);
	assert_non_null(config);
	assert_int_equal(diagnostics->len, 2000);
	assert_string_equal(diagnostics->pdata[1999],
	                    "test.conf:2000: warning: unknown key 'key1999'");
}

typedef struct {
	const char *path;
	ChopinConfigType type;
	const char *default_value;
	gint64 min;
	gint64 max;
	const char *message;
} SchemaCase;

static void
test_schema_errors(void **state)
{
	static const char *const no_values[] = {NULL};
	static const SchemaCase cases[] = {
	    {"trapd.port", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0, "trapd.port: declared twice"},
	    {"trapd", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0,
	     "trapd: declared both as a key and as a section"},
	    {"trapd.port.x", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0,
	     "trapd.port: declared both as a key and as a section"},
	    {"x.", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0, "invalid key path 'x.'"},
	    {"x..y", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0, "invalid key path 'x..y'"},
	    {"x.1y", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0, "invalid key path 'x.1y'"},
	    {"", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0, "invalid key path ''"},
	    {"x.y", CHOPIN_CONFIG_TYPE_INT, "one", 0, 0, "x.y: default is not an integer"},
	    {"x.y", CHOPIN_CONFIG_TYPE_INT, NULL, 0, 0, "x.y: default is not an integer"},
	    {"x.y", CHOPIN_CONFIG_TYPE_INT, "5", 1, 3, "x.y: 5 is out of range (1..3)"},
	    {"x.y", CHOPIN_CONFIG_TYPE_INT, "5", 3, 1, "x.y: min greater than max"},
	    {"x.y", CHOPIN_CONFIG_TYPE_BOOL, "yes", 0, 0, "x.y: default is not true or false"},
	    {"x.y", CHOPIN_CONFIG_TYPE_DURATION, "5", 0, 0, "x.y: default is not a duration"},
	    {"x.y", CHOPIN_CONFIG_TYPE_DURATION, "1h", 0, 1000, "x.y: 1h is out of range (0s..1s)"},
	    {"x.y", CHOPIN_CONFIG_TYPE_SIZE, "5Q", 0, 0, "x.y: default is not a size"},
	    {"x.y", CHOPIN_CONFIG_TYPE_ENUM, "fast", 0, 0, "x.y: enum without values"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ChopinConfigSchema) schema = test_schema_new();
		g_autoptr(GError) error = NULL;
		/* a good key first: a bad table must add nothing at all */
		ChopinConfigKey keys[] = {
		    {"good.key", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0, NULL, "good"},
		    {cases[i].path, cases[i].type, cases[i].default_value, cases[i].min,
		     cases[i].max, NULL, "bad"},
		};

		print_message("# schema case %" G_GSIZE_FORMAT "\n", i);
		assert_false(chopin_config_schema_add_keys(schema, keys, 2, &error));
		assert_true(
		    g_error_matches(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SCHEMA));
		assert_string_equal(error->message, cases[i].message);
		assert_null(chopin_config_schema_lookup(schema, "good.key"));
		assert_non_null(chopin_config_schema_lookup(schema, "trapd.port"));
	}
	{
		g_autoptr(ChopinConfigSchema) schema = chopin_config_schema_new();
		g_autoptr(GError) error = NULL;
		ChopinConfigKey keys[] = {
		    {"x.y", CHOPIN_CONFIG_TYPE_ENUM, "a", 0, 0, no_values, "empty enum"},
		    {"x.z", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL, NULL},
		};
		assert_false(chopin_config_schema_add_keys(schema, keys, 1, &error));
		assert_string_equal(error->message, "x.y: enum without values");
		g_clear_error(&error);
		assert_false(chopin_config_schema_add_keys(schema, keys + 1, 1, &error));
		assert_string_equal(error->message, "x.z: no help text");
	}
}

static void
test_duration_and_size(void **state)
{
	static const struct {
		const char *text;
		gboolean ok;
		gint64 ms;
		const char *formatted;
	} durations[] = {
	    {"0ms", TRUE, 0, "0s"},
	    {"0s", TRUE, 0, "0s"},
	    {"250ms", TRUE, 250, "250ms"},
	    {"5s", TRUE, 5000, "5s"},
	    {"90s", TRUE, 90000, "1m30s"},
	    {"10m", TRUE, 600000, "10m"},
	    {"2h", TRUE, 7200000, "2h"},
	    {"7d", TRUE, 7 * MS_DAY, "7d"},
	    {"1h30m", TRUE, 5400000, "1h30m"},
	    {"1d1ms", TRUE, MS_DAY + 1, "1d1ms"},
	    {"9223372036854775807ms", TRUE, G_MAXINT64, "106751991167d7h12m55s807ms"},
	    {"9223372036854775808ms", FALSE, 0, NULL},
	    {"106751991168d", FALSE, 0, NULL},
	    {"106751991167d1d", FALSE, 0, NULL},
	    {"", FALSE, 0, NULL},
	    {"5", FALSE, 0, NULL},
	    {"s", FALSE, 0, NULL},
	    {"ms", FALSE, 0, NULL},
	    {"5x", FALSE, 0, NULL},
	    {"5 s", FALSE, 0, NULL},
	    {" 5s", FALSE, 0, NULL},
	    {"-5s", FALSE, 0, NULL},
	    {"+5s", FALSE, 0, NULL},
	    {"5S", FALSE, 0, NULL},
	    {"1.5s", FALSE, 0, NULL},
	    {"5sm", FALSE, 0, NULL},
	    {"5s ", FALSE, 0, NULL},
	};
	static const struct {
		const char *text;
		gboolean ok;
		guint64 bytes;
	} sizes[] = {
	    {"0", TRUE, 0},
	    {"512", TRUE, 512},
	    {"64K", TRUE, 65536},
	    {"512M", TRUE, G_GUINT64_CONSTANT(512) << 20},
	    {"2G", TRUE, G_GUINT64_CONSTANT(2) << 30},
	    {"1T", TRUE, G_GUINT64_CONSTANT(1) << 40},
	    {"8388607T", TRUE, G_GUINT64_CONSTANT(8388607) << 40},
	    {"9223372036854775807", TRUE, G_MAXINT64},
	    {"8388608T", FALSE, 0},
	    {"9223372036854775808", FALSE, 0},
	    {"99999999999999999999999K", FALSE, 0},
	    {"", FALSE, 0},
	    {"K", FALSE, 0},
	    {"64k", FALSE, 0},
	    {"64KB", FALSE, 0},
	    {"-1", FALSE, 0},
	    {"1.5M", FALSE, 0},
	    {" 1", FALSE, 0},
	    {"1 ", FALSE, 0},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(durations); i++) {
		gint64 ms = -42;
		print_message("# duration '%s'\n", durations[i].text);
		assert_int_equal(chopin_config_parse_duration(durations[i].text, &ms),
		                 durations[i].ok);
		if (durations[i].ok) {
			g_autofree char *formatted = chopin_config_format_duration(ms);
			assert_true(ms == durations[i].ms);
			assert_string_equal(formatted, durations[i].formatted);
		} else {
			assert_true(ms == -42);
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
		guint64 bytes = 42;
		print_message("# size '%s'\n", sizes[i].text);
		assert_int_equal(chopin_config_parse_size(sizes[i].text, &bytes), sizes[i].ok);
		assert_true(bytes == (sizes[i].ok ? sizes[i].bytes : 42));
	}
}

static void
test_getter_misuse(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = test_schema_new();
	g_autoptr(ChopinConfig) config = chopin_config_new_defaults(schema);
	GLogFunc previous = g_log_set_default_handler(count_criticals_cb, NULL);
	GLogLevelFlags fatal = g_log_set_always_fatal(G_LOG_FATAL_MASK);

	n_criticals = 0;
	assert_int_equal(chopin_config_get_int(config, "trapd.prot"), 0);
	assert_int_equal(n_criticals, 1);
	assert_null(chopin_config_get_string(config, "trapd.port"));
	assert_int_equal(n_criticals, 2);
	assert_int_equal(chopin_config_get_enum(config, "trapd.port"), -1);
	assert_false(chopin_config_is_set(config, "nothing"));
	assert_int_equal(chopin_config_get_line(config, "nothing"), 0);
	assert_int_equal(chopin_config_get_duration_ms(config, "trapd.spool"), 0);
	assert_int_equal(n_criticals, 6);
	assert_int_equal(chopin_config_get_size(NULL, "trapd.port"), 0);
	assert_int_equal(n_criticals, 7);
	g_log_set_always_fatal(fatal);
	g_log_set_default_handler(previous, NULL);
}

static void
test_load_file(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = test_schema_new();
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(ChopinConfig) config = NULL;
	g_autofree char *directory = g_dir_make_tmp("test-config-XXXXXX", &error);
	g_autofree char *main_path = NULL, *include_path = NULL, *expected = NULL;

	assert_non_null(directory);
	main_path = g_build_filename(directory, "chopin.conf", NULL);
	include_path = g_build_filename(directory, "trapd.conf", NULL);
	assert_true(g_file_set_contents(main_path,
	                                "log = { level = \"info\"; };\n"
	                                "@include \"trapd.conf\"\n",
	                                -1, &error));
	assert_true(g_file_set_contents(include_path,
	                                "trapd = {\n"
	                                "  port = 2162;\n"
	                                "  prot = 1;\n"
	                                "};\n",
	                                -1, &error));

	config = chopin_config_load_file(schema, main_path, &diagnostics, &error);
	assert_null(error);
	assert_non_null(config);
	assert_int_equal(chopin_config_get_enum(config, "log.level"), CHOPIN_CONFIG_LOG_LEVEL_INFO);
	assert_int_equal(chopin_config_get_int(config, "trapd.port"), 2162);
	/* diagnostics name the included file */
	expected = g_strdup_printf("%s:3: warning: unknown key 'trapd.prot' (did you mean "
	                           "'trapd.port'?)",
	                           include_path);
	assert_int_equal(diagnostics->len, 1);
	assert_string_equal(diagnostics->pdata[0], expected);
	g_clear_pointer(&config, chopin_config_free);
	g_clear_pointer(&diagnostics, g_ptr_array_unref);

	/* literals libconfig would wrap are caught in included files too */
	assert_true(
	    g_file_set_contents(include_path, "trapd = { port = 99999999999; };\n", -1, &error));
	config = chopin_config_load_file(schema, main_path, &diagnostics, &error);
	assert_null(config);
	assert_true(g_error_matches(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID));
	g_clear_error(&error);
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf("%s:1: trapd.port: integer is too large", include_path);
	assert_int_equal(diagnostics->len, 1);
	assert_string_equal(diagnostics->pdata[0], expected);
	g_clear_pointer(&diagnostics, g_ptr_array_unref);

	g_unlink(include_path);
	config = chopin_config_load_file(schema, main_path, &diagnostics, &error);
	assert_null(config);
	assert_true(g_error_matches(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_SYNTAX));
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf("%s:2: cannot open include file", main_path);
	assert_string_equal(error->message, expected);
	g_clear_error(&error);

	g_unlink(main_path);
	config = chopin_config_load_file(schema, main_path, &diagnostics, &error);
	assert_null(config);
	assert_true(g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
	g_rmdir(directory);
}

/* --- lists of groups -------------------------------------------------------------------- */

static const char *const version_values[] = {"2c", "3", NULL};

static const ChopinConfigKey member_keys[] = {
    {"address", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL, "where"},
    {"version", CHOPIN_CONFIG_TYPE_ENUM, "2c", 0, 0, version_values, "SNMP version"},
    {"retries", CHOPIN_CONFIG_TYPE_INT, "3", 0, 10, NULL, "retransmissions"},
    {"timeout", CHOPIN_CONFIG_TYPE_DURATION, "5s", 100, 60000, NULL, "wait"},
    {"inform", CHOPIN_CONFIG_TYPE_BOOL, "false", 0, 0, NULL, "acknowledged"},
    {"tls.verify", CHOPIN_CONFIG_TYPE_BOOL, "true", 0, 0, NULL, "a section inside"},
};

static const ChopinConfigKey list_keys[] = {
    {"out.managers", CHOPIN_CONFIG_TYPE_GROUP_LIST, NULL, 0, 0, NULL, "managers", NULL, member_keys,
     G_N_ELEMENTS(member_keys)},
    {"out.name", CHOPIN_CONFIG_TYPE_STRING, "x", 0, 0, NULL, "a plain key next to it"},
};

static ChopinConfigSchema *
list_schema_new(void)
{
	g_autoptr(GError) error = NULL;
	ChopinConfigSchema *schema = chopin_config_schema_new();

	assert_true(
	    chopin_config_schema_add_keys(schema, list_keys, G_N_ELEMENTS(list_keys), &error));
	assert_null(error);
	return schema;
}

static void
test_group_list(void **state)
{
	g_autoptr(ChopinConfigSchema) schema = list_schema_new();
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;
	static const char text[] = "out = {\n"
	                           "  managers = (\n"
	                           "    { address = \"udp:127.0.0.1:162\"; },\n"
	                           "    {\n"
	                           "      address = \"udp:[::1]:1162\";\n"
	                           "      version = \"3\"; retries = 0; timeout = \"250ms\";\n"
	                           "      inform = true; tls = { verify = false; };\n"
	                           "    }\n"
	                           "  );\n"
	                           "};\n";
	g_autoptr(ChopinConfig) config = load_text(schema, text, &diagnostics, &error);
	guint line = 99;

	assert_null(error);
	assert_non_null(config);
	assert_int_equal(diagnostics->len, 0);
	assert_true(chopin_config_is_set(config, "out.managers"));
	assert_int_equal(chopin_config_get_line(config, "out.managers"), 2);
	assert_int_equal(chopin_config_get_group_count(config, "out.managers"), 2);
	const ChopinConfig *first = chopin_config_get_group(config, "out.managers", 0);
	const ChopinConfig *second = chopin_config_get_group(config, "out.managers", 1);
	assert_string_equal(chopin_config_get_string(first, "address"), "udp:127.0.0.1:162");
	assert_int_equal(chopin_config_get_enum(first, "version"), 0);
	assert_int_equal(chopin_config_get_int(first, "retries"), 3);
	assert_false(chopin_config_is_set(first, "retries"));
	assert_true(chopin_config_get_bool(first, "tls.verify"));
	assert_string_equal(chopin_config_get_origin(first, &line), "test.conf");
	assert_int_equal(line, 3);
	assert_string_equal(chopin_config_get_string(second, "address"), "udp:[::1]:1162");
	assert_int_equal(chopin_config_get_enum(second, "version"), 1);
	assert_int_equal(chopin_config_get_int(second, "retries"), 0);
	assert_true(chopin_config_is_set(second, "retries"));
	assert_int_equal(chopin_config_get_line(second, "retries"), 6);
	assert_int_equal(chopin_config_get_duration_ms(second, "timeout"), 250);
	assert_true(chopin_config_get_bool(second, "inform"));
	assert_false(chopin_config_get_bool(second, "tls.verify"));
	chopin_config_get_origin(second, &line);
	assert_int_equal(line, 4);
	chopin_config_get_origin(config, &line);
	assert_int_equal(line, 0);

	/* not set: no group; the defaults of a whole configuration have none either */
	g_autoptr(ChopinConfig) empty = load_text(schema, "out = { managers = (); };", NULL, NULL);
	assert_non_null(empty);
	assert_int_equal(chopin_config_get_group_count(empty, "out.managers"), 0);
	g_autoptr(ChopinConfig) defaults = chopin_config_new_defaults(schema);
	assert_int_equal(chopin_config_get_group_count(defaults, "out.managers"), 0);
	assert_false(chopin_config_is_set(defaults, "out.managers"));
	g_autoptr(ChopinConfig) empty_array =
	    load_text(schema, "out = { managers = []; };", NULL, NULL);
	assert_non_null(empty_array);
}

static void
test_group_list_errors(void **state)
{
	static const struct {
		const char *text;
		const char *diagnostics[4];
	} cases[] = {
	    {"out = { managers = \"udp:localhost\"; };",
	     {"test.conf:1: out.managers: expected a list of groups ( { ... }, { ... } ), got a "
	      "string",
	      NULL}},
	    {"out = { managers = [ \"a\", \"b\" ]; };",
	     {"test.conf:1: out.managers: expected a list of groups ( { ... }, { ... } ), got an "
	      "array",
	      NULL}},
	    {"out = { managers = ( { address = \"a\"; },\n 5 ); };",
	     {"test.conf:2: out.managers element 2: expected a group { ... }, got an integer",
	      NULL}},
	    {"out = {\n managers = (\n { version = \"1\";\n retries = 11; },\n"
	     " { timeout = 5; adress = \"x\"; } ); };",
	     {"test.conf:3: out.managers element 1: version: unknown value '1' (expected one "
	      "of: 2c, 3)",
	      "test.conf:4: out.managers element 1: retries: 11 is out of range (0..10)",
	      "test.conf:5: out.managers element 2: timeout: expected a duration string such as "
	      "\"5s\", got an integer",
	      "test.conf:5: warning: unknown key 'adress' in out.managers element 2 (did you "
	      "mean 'address'?)"}},
	    {"out = { managers = ( { tls = 5; } ); };",
	     {"test.conf:1: out.managers element 1: tls: expected a group, got an integer", NULL}},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ChopinConfigSchema) schema = list_schema_new();
		g_autoptr(GPtrArray) diagnostics = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(ChopinConfig) config =
		    load_text(schema, cases[i].text, &diagnostics, &error);
		const char *expected[5] = {NULL};
		gboolean only_warnings = TRUE;

		print_message("# group list case %" G_GSIZE_FORMAT "\n", i);
		for (gsize k = 0; k < 4 && cases[i].diagnostics[k] != NULL; k++) {
			expected[k] = cases[i].diagnostics[k];
			if (strstr(expected[k], ": warning: ") == NULL)
				only_warnings = FALSE;
		}
		assert_diagnostics(diagnostics, expected);
		if (only_warnings) {
			assert_non_null(config);
		} else {
			assert_null(config);
			assert_true(g_error_matches(error, CHOPIN_CONFIG_ERROR,
			                            CHOPIN_CONFIG_ERROR_INVALID));
		}
	}
}

static void
test_group_list_schema(void **state)
{
	static const ChopinConfigKey bad_members[] = {
	    {"retries", CHOPIN_CONFIG_TYPE_INT, "30", 0, 10, NULL, "out of range default"},
	};
	ChopinConfigKey keys[] = {
	    {"good.key", CHOPIN_CONFIG_TYPE_INT, "1", 0, 0, NULL, "good"},
	    {"out.managers", CHOPIN_CONFIG_TYPE_GROUP_LIST, NULL, 0, 0, NULL, "managers", NULL,
	     bad_members, G_N_ELEMENTS(bad_members)},
	};
	g_autoptr(ChopinConfigSchema) schema = chopin_config_schema_new();
	g_autoptr(GError) error = NULL;

	assert_false(chopin_config_schema_add_keys(schema, keys, 2, &error));
	assert_string_equal(error->message, "out.managers: retries: 30 is out of range (0..10)");
	assert_null(chopin_config_schema_lookup(schema, "good.key"));
	g_clear_error(&error);
	keys[1].members = NULL;
	keys[1].n_members = 0;
	assert_false(chopin_config_schema_add_keys(schema, keys, 2, &error));
	assert_string_equal(error->message, "out.managers: a list of groups without members");
	g_clear_error(&error);
	keys[1].members = member_keys;
	keys[1].n_members = G_N_ELEMENTS(member_keys);
	keys[1].default_value = "x";
	assert_false(chopin_config_schema_add_keys(schema, keys, 2, &error));
	assert_string_equal(error->message, "out.managers: a list of groups has no default");
}

static void
test_sample_config(void **state)
{
	const char *top_srcdir = g_getenv("top_srcdir");
	/* the whole file's schema: common sections and every program's */
	g_autoptr(ChopinConfigSchema) schema = chopin_settings_schema_new();
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(ChopinConfig) config = NULL;
	g_autofree char *path = NULL;

	if (top_srcdir == NULL)
		fail_msg("top_srcdir is not set: run through make check");
	path = g_build_filename(top_srcdir, "docs", "chopin.conf.sample", NULL);
	config = chopin_config_load_file(schema, path, &diagnostics, &error);
	assert_null(error);
	assert_non_null(config);
	/* the sample sets every common key to its default */
	assert_int_equal(diagnostics->len, 0);
	for (gsize i = 0; i < chopin_config_database_n_keys; i++)
		assert_true(chopin_config_is_set(config, chopin_config_database_keys[i].path) ||
		            chopin_config_database_keys[i].default_value == NULL);
	/* and chopinctl's section, every key with a default */
	for (gsize i = 0; i < chopin_settings_chopinctl_n_keys; i++)
		assert_true(chopin_config_is_set(config, chopin_settings_chopinctl_keys[i].path) ||
		            chopin_settings_chopinctl_keys[i].default_value == NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),          cmocka_unit_test(test_valid_all_types),
	    cmocka_unit_test(test_load_table),        cmocka_unit_test(test_error_codes),
	    cmocka_unit_test(test_hostile),           cmocka_unit_test(test_schema_errors),
	    cmocka_unit_test(test_duration_and_size), cmocka_unit_test(test_getter_misuse),
	    cmocka_unit_test(test_load_file),         cmocka_unit_test(test_sample_config),
	    cmocka_unit_test(test_group_list),        cmocka_unit_test(test_group_list_errors),
	    cmocka_unit_test(test_group_list_schema),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
