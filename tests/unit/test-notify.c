/* test-notify: alarm notification varbinds, backoff, and the checks of correlator.managers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "chopin-mib.h"
#include "chopin-settings.h"
#include "notify.h"

/* chopinMIB = enterprises.8072.9999.9999.72 */
#define ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 72

static NotifyEntry *
entry_new(gboolean cleared)
{
	NotifyEntry *entry = g_new0(NotifyEntry, 1);
	entry->id = 7;
	entry->alarm_id = 42;
	entry->cleared = cleared;
	entry->host = g_strdup("CERNVS08");
	entry->service = g_strdup("RAID");
	entry->rule = g_strdup("vd-degraded");
	entry->severity = g_strdup("critical");
	entry->text = g_strdup("VD degraded, drive offline");
	entry->key = g_strdup("c0/v0");
	entry->count = 2;
	entry->first_seen = g_strdup("2019-09-23 06:00:32.750000");
	return entry;
}

static void
assert_oid(const netsnmp_variable_list *var, const oid *expected, size_t len)
{
	assert_non_null(var);
	assert_int_equal(var->name_length, len);
	assert_memory_equal(var->name, expected, len * sizeof(oid));
}

static void
assert_text(const netsnmp_variable_list *var, const oid *name, size_t len, const char *text)
{
	assert_oid(var, name, len);
	assert_int_equal(var->type, ASN_OCTET_STR);
	assert_int_equal(var->val_len, strlen(text));
	assert_memory_equal(var->val.string, text, strlen(text));
}

static void
assert_number(const netsnmp_variable_list *var, const oid *name, size_t len, u_char type,
              long value)
{
	assert_oid(var, name, len);
	assert_int_equal(var->type, type);
	assert_int_equal(*var->val.integer, value);
}

static void
test_raised_varbinds(void **state)
{
	static const oid uptime[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
	static const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
	static const oid raised[] = {ROOT, 0, 20};
	static const oid id[] = {ROOT, 1, 7, 1, 0}, host[] = {ROOT, 1, 7, 2, 0},
	                 service[] = {ROOT, 1, 7, 3, 0}, rule[] = {ROOT, 1, 7, 4, 0},
	                 severity[] = {ROOT, 1, 7, 5, 0}, text[] = {ROOT, 1, 7, 6, 0},
	                 key[] = {ROOT, 1, 7, 7, 0}, count[] = {ROOT, 1, 7, 8, 0},
	                 first_seen[] = {ROOT, 1, 7, 9, 0};
	static const u_char date[] = {0x07, 0xe3, 9, 23, 6, 0, 32, 7, '+', 0, 0};
	g_autoptr(NotifyEntry) entry = entry_new(FALSE);
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_INFORM);
	char errbuf[256] = "";

	assert_int_equal(notify_pdu_fill(pdu, entry, 12345, errbuf, sizeof errbuf), 0);
	netsnmp_variable_list *var = pdu->variables;
	assert_number(var, uptime, G_N_ELEMENTS(uptime), ASN_TIMETICKS, 12345);
	var = var->next_variable;
	assert_oid(var, trap_oid, G_N_ELEMENTS(trap_oid));
	assert_int_equal(var->type, ASN_OBJECT_ID);
	assert_int_equal(var->val_len, sizeof raised);
	assert_memory_equal(var->val.objid, raised, sizeof raised);
	/* the OBJECTS clause of chopinAlarmRaised, in order */
	var = var->next_variable;
	assert_number(var, id, G_N_ELEMENTS(id), ASN_UNSIGNED, 42);
	var = var->next_variable;
	assert_text(var, host, G_N_ELEMENTS(host), "CERNVS08");
	var = var->next_variable;
	assert_text(var, service, G_N_ELEMENTS(service), "RAID");
	var = var->next_variable;
	assert_text(var, rule, G_N_ELEMENTS(rule), "vd-degraded");
	var = var->next_variable;
	assert_number(var, severity, G_N_ELEMENTS(severity), ASN_INTEGER, 3);
	var = var->next_variable;
	assert_text(var, text, G_N_ELEMENTS(text), "VD degraded, drive offline");
	var = var->next_variable;
	assert_text(var, key, G_N_ELEMENTS(key), "c0/v0");
	var = var->next_variable;
	assert_number(var, count, G_N_ELEMENTS(count), ASN_UNSIGNED, 2);
	var = var->next_variable;
	assert_oid(var, first_seen, G_N_ELEMENTS(first_seen));
	assert_int_equal(var->type, ASN_OCTET_STR);
	assert_int_equal(var->val_len, sizeof date);
	assert_memory_equal(var->val.string, date, sizeof date);
	assert_null(var->next_variable);
	snmp_free_pdu(pdu);
}

static void
test_cleared_varbinds(void **state)
{
	static const oid cleared[] = {ROOT, 0, 21};
	static const oid key[] = {ROOT, 1, 7, 7, 0}, severity[] = {ROOT, 1, 7, 5, 0};
	g_autoptr(NotifyEntry) entry = entry_new(TRUE);
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
	char errbuf[256] = "";
	guint n = 0;

	g_free(entry->severity);
	entry->severity = g_strdup("warning");
	assert_int_equal(notify_pdu_fill(pdu, entry, 0, errbuf, sizeof errbuf), 0);
	netsnmp_variable_list *last = NULL;
	for (netsnmp_variable_list *var = pdu->variables; var != NULL; var = var->next_variable) {
		n++;
		if (n == 7)
			assert_number(var, severity, G_N_ELEMENTS(severity), ASN_INTEGER, 2);
		last = var;
	}
	/* sysUpTime, snmpTrapOID, then 7 objects: no count, no first-seen time */
	assert_int_equal(n, 9);
	assert_text(last, key, G_N_ELEMENTS(key), "c0/v0");
	assert_memory_equal(pdu->variables->next_variable->val.objid, cleared, sizeof cleared);
	snmp_free_pdu(pdu);
}

static void
test_texts_cut_to_the_mib(void **state)
{
	g_autoptr(NotifyEntry) entry = entry_new(FALSE);
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_INFORM);
	char errbuf[256];

	/* chopinAlarmRule is SIZE (1..64); a 2-octet character straddles octet 64 */
	g_autofree char *prefix = g_strnfill(63, 'r');
	g_free(entry->rule);
	entry->rule = g_strdup_printf("%s\xc3\xa9tail", prefix);
	g_free(entry->text);
	entry->text = g_strnfill(3000, 'x');
	assert_int_equal(notify_pdu_fill(pdu, entry, 0, errbuf, sizeof errbuf), 0);
	netsnmp_variable_list *var = pdu->variables;
	for (int i = 0; i < 5; i++)
		var = var->next_variable;
	assert_int_equal(var->val_len, 63); /* the é is not cut in half */
	var = var->next_variable->next_variable;
	assert_int_equal(var->val_len, 1024);
	snmp_free_pdu(pdu);

	assert_int_equal(notify_utf8_prefix("abc", 10), 3);
	assert_int_equal(notify_utf8_prefix("abc", 2), 2);
	assert_int_equal(notify_utf8_prefix("a\xe2\x82\xac", 3), 1);
	assert_int_equal(notify_utf8_prefix("a\xe2\x82\xac", 4), 4);
	assert_int_equal(notify_utf8_prefix("", 0), 0);
}

static void
test_bad_first_seen(void **state)
{
	g_autoptr(NotifyEntry) entry = entry_new(FALSE);
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_INFORM);
	char errbuf[256] = "";

	g_free(entry->first_seen);
	entry->first_seen = g_strdup("yesterday");
	assert_int_equal(notify_pdu_fill(pdu, entry, 0, errbuf, sizeof errbuf), -1);
	assert_non_null(strstr(errbuf, "'yesterday' is not a date"));
	snmp_free_pdu(pdu);
}

static void
test_values(void **state)
{
	static const struct {
		const char *text;
		gboolean ok;
		guint8 octets[11];
	} dates[] = {
	    {"2019-09-23 06:00:32", TRUE, {0x07, 0xe3, 9, 23, 6, 0, 32, 0, '+', 0, 0}},
	    {"2026-12-31 23:59:60.999999", TRUE, {0x07, 0xea, 12, 31, 23, 59, 60, 9, '+', 0, 0}},
	    {"2019-13-23 06:00:32", FALSE, {0}},
	    {"2019-09-23 06:00:32.", FALSE, {0}},
	    {"2019-09-23 06:00:32 UTC", FALSE, {0}},
	    {"2019-09-23", FALSE, {0}},
	    {"", FALSE, {0}},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(dates); i++) {
		guint8 octets[11] = {0};
		print_message("# date '%s'\n", dates[i].text);
		assert_int_equal(notify_date_and_time(dates[i].text, octets), dates[i].ok);
		if (dates[i].ok)
			assert_memory_equal(octets, dates[i].octets, 11);
	}
	assert_false(notify_date_and_time(NULL, (guint8[11]){0}));

	assert_int_equal(notify_alarm_id(1), 1);
	assert_int_equal(notify_alarm_id(4294967295u), 4294967295u);
	assert_int_equal(notify_alarm_id(G_GUINT64_CONSTANT(4294967296)), 1);
	assert_int_equal(notify_alarm_id(0), 1);

	assert_int_equal(notify_severity_value("critical"), 3);
	assert_int_equal(notify_severity_value("warning"), 2);
	assert_int_equal(notify_severity_value("other"), 1);
	assert_int_equal(notify_severity_value(NULL), 1);
}

static void
test_backoff(void **state)
{
	static const struct {
		guint failures;
		gint64 first, max, expected;
	} cases[] = {
	    {0, 500, 2000, 500},        {1, 500, 2000, 500},  {2, 500, 2000, 1000},
	    {3, 500, 2000, 2000},       {4, 500, 2000, 2000}, {1000000, 5000, 300000, 300000},
	    {40, 5000, 300000, 300000}, {2, 0, 10, 2},        {3, 7000, 5000, 5000},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		print_message("# backoff case %" G_GSIZE_FORMAT "\n", i);
		assert_int_equal(notify_backoff_ms(cases[i].failures, cases[i].first, cases[i].max),
		                 cases[i].expected);
	}
}

/* --- correlator.managers ---------------------------------------------------------------- */

/* Loads @text as chopin.conf named @name; the managers (or NULL) and every diagnostic. */
static GPtrArray *
managers_load(const char *name, const char *text, GPtrArray *diagnostics)
{
	g_autoptr(ChopinConfigSchema) schema = chopin_settings_schema_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(ChopinConfig) file =
	    chopin_config_load_buffer(schema, name, text, strlen(text), &diagnostics, &error);
	if (file == NULL)
		return NULL;
	return notify_config_load(file, diagnostics);
}

static void
test_managers_valid(void **state)
{
	g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) managers = managers_load(
	    "chopin.conf",
	    "correlator = { managers = (\n"
	    "  { address = \"udp:127.0.0.1:162\"; community = \"c0mm\"; },\n"
	    "  { name = \"noc\"; address = \"udp:[::1]:1162\"; version = \"3\"; user = "
	    "\"chopin\";\n"
	    "    auth_protocol = \"SHA\"; auth_passphrase = \"authpass1\";\n"
	    "    priv_protocol = \"AES-256\"; priv_passphrase = \"privpass1\"; retries = 0;\n"
	    "    timeout = \"500ms\"; backoff_max = \"10s\"; give_up_after = \"2h\";\n"
	    "    engine_id = \"0x8000000001020304\"; },\n"
	    "  { name = \"authonly\"; address = \"udp:192.0.2.1\"; version = \"3\";\n"
	    "    user = \"u\"; auth_passphrase = \"12345678\"; },\n"
	    "  { name = \"v2inform\"; address = \"udp:192.0.2.2\"; community = \"x\";\n"
	    "    inform = true; }\n"
	    "); };\n",
	    diagnostics);

	for (guint i = 0; i < diagnostics->len; i++)
		print_message("#   got: %s\n", (const char *)diagnostics->pdata[i]);
	assert_non_null(managers);
	assert_int_equal(diagnostics->len, 0);
	assert_int_equal(managers->len, 4);
	const NotifyManagerConfig *trap = managers->pdata[0];
	assert_string_equal(trap->name, "udp:127.0.0.1:162");
	assert_int_equal(trap->version, NOTIFY_VERSION_2C);
	assert_false(trap->inform);
	assert_string_equal(trap->community, "c0mm");
	assert_int_equal(trap->retries, 2);
	assert_int_equal(trap->timeout_ms, 5000);
	assert_int_equal(trap->backoff_max_ms, 300000);
	assert_int_equal(trap->give_up_ms, 86400000);
	const NotifyManagerConfig *v3 = managers->pdata[1];
	assert_string_equal(v3->name, "noc");
	assert_int_equal(v3->version, NOTIFY_VERSION_3);
	assert_true(v3->inform); /* the default for version 3 */
	assert_null(v3->community);
	assert_string_equal(v3->user, "chopin");
	assert_string_equal(v3->auth_protocol, "SHA");
	assert_string_equal(v3->auth_passphrase, "authpass1");
	assert_string_equal(v3->priv_protocol, "AES-256");
	assert_string_equal(v3->priv_passphrase, "privpass1");
	assert_string_equal(v3->engine_id, "0x8000000001020304");
	assert_int_equal(v3->retries, 0);
	assert_int_equal(v3->timeout_ms, 500);
	assert_int_equal(v3->backoff_max_ms, 10000);
	assert_int_equal(v3->give_up_ms, 7200000);
	const NotifyManagerConfig *auth_only = managers->pdata[2];
	assert_string_equal(auth_only->auth_protocol, "SHA-256");
	assert_null(auth_only->priv_protocol); /* no privacy passphrase: authNoPriv */
	assert_null(auth_only->engine_id);
	assert_true(((const NotifyManagerConfig *)managers->pdata[3])->inform);

	/* no managers at all is fine */
	g_autoptr(GPtrArray) none = managers_load("chopin.conf", "correlator = { };", diagnostics);
	assert_non_null(none);
	assert_int_equal(none->len, 0);
}

static void
test_managers_invalid(void **state)
{
	static const struct {
		const char *text;
		gboolean valid; /* warnings only */
		const char *diagnostics[3];
	} cases[] = {
	    {"correlator = { managers = ( { community = \"c\"; } ); };",
	     FALSE,
	     {"m.conf:1: correlator.managers element 1: address is required, e.g. "
	      "\"udp:192.0.2.7:162\"",
	      NULL}},
	    {"correlator = { managers = (\n { address = \"udp:a\"; } ); };",
	     FALSE,
	     {"m.conf:2: correlator.managers element 1: version 2c needs a community (or "
	      "community_file)",
	      NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\"; version = \"3\";\n"
	     " user = \"u\";\n inform = false; } ); };",
	     FALSE,
	     {"m.conf:3: correlator.managers element 1: version 3 notifications are sent as "
	      "informs (the manager's engine is authoritative); remove inform = false",
	      "m.conf:1: correlator.managers element 1: version 3 needs auth_passphrase (or "
	      "auth_passphrase_file): unauthenticated alarms are not sent",
	      NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\"; version = \"3\";\n"
	     " user = \"u\"; auth_passphrase = \"short\";\n priv_passphrase = \"tiny\"; } ); };",
	     FALSE,
	     {"m.conf:2: correlator.managers element 1: the authentication passphrase must "
	      "have at least 8 characters",
	      "m.conf:3: correlator.managers element 1: the privacy passphrase must have at "
	      "least 8 characters",
	      NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\"; version = \"3\";\n"
	     " auth_passphrase = \"longenough\"; } ); };",
	     FALSE,
	     {"m.conf:1: correlator.managers element 1: version 3 needs a user", NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\"; community = \"c\"; },\n"
	     " { address = \"udp:a\"; community = \"d\"; } ); };",
	     FALSE,
	     {"m.conf:2: correlator.managers element 2: a second manager named 'udp:a' (set "
	      "distinct names)",
	      NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\"; community = \"c\";\n"
	     " user = \"u\"; timeout = \"1s\"; } ); };",
	     TRUE,
	     {"m.conf:2: warning: correlator.managers element 1: user is for version 3 "
	      "managers: ignored",
	      "m.conf:2: warning: correlator.managers element 1: retries and timeout apply to "
	      "informs only: a trap is sent once",
	      NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\"; community = \"c\";\n"
	     " community_file = \"/nonexistent/chopin-secret\"; } ); };",
	     FALSE,
	     {"m.conf:2: correlator.managers element 1: community and community_file are both "
	      "set: keep one",
	      NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\";\n"
	     " community_file = \"/nonexistent/chopin-secret\"; } ); };",
	     FALSE,
	     {"m.conf:2: correlator.managers element 1: /nonexistent/chopin-secret: No such "
	      "file or directory",
	      NULL}},
	    {"correlator = { managers = ( { address = \"udp:a\"; version = \"3\";\n"
	     " user = \"u\"; auth_passphrase = \"longenough\";\n"
	     " auth_protocol = \"SHA1\"; } ); };",
	     FALSE,
	     {"m.conf:3: correlator.managers element 1: auth_protocol: unknown value 'SHA1' "
	      "(expected one of: MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512)",
	      NULL}},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GPtrArray) managers = managers_load("m.conf", cases[i].text, diagnostics);
		guint n = 0;

		print_message("# managers case %" G_GSIZE_FORMAT "\n", i);
		for (guint k = 0; k < diagnostics->len; k++)
			print_message("#   got: %s\n", (const char *)diagnostics->pdata[k]);
		while (n < G_N_ELEMENTS(cases[i].diagnostics) && cases[i].diagnostics[n] != NULL)
			n++;
		assert_int_equal(diagnostics->len, n);
		for (guint k = 0; k < n; k++)
			assert_string_equal(diagnostics->pdata[k], cases[i].diagnostics[k]);
		assert_int_equal(managers != NULL, cases[i].valid);
	}
}

static void
test_managers_secret_files(void **state)
{
	g_autofree char *directory = g_dir_make_tmp("chopin-notify-XXXXXX", NULL);
	g_autofree char *conf = g_build_filename(directory, "chopin.conf", NULL);
	g_autofree char *auth = g_build_filename(directory, "auth", NULL);
	g_autofree char *priv = g_build_filename(directory, "priv", NULL);
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;

	assert_non_null(directory);
	assert_true(g_file_set_contents(auth, "auth pass phrase\n", -1, &error));
	assert_true(g_file_set_contents(priv, "priv pass phrase", -1, &error));
	assert_int_equal(g_chmod(auth, 0640), 0);
	assert_int_equal(g_chmod(priv, 0600), 0);
	text = g_strdup_printf("correlator = { managers = ( { address = \"udp:a\"; version = "
	                       "\"3\"; user = \"u\";\n auth_passphrase_file = \"%s\";\n"
	                       " priv_passphrase_file = \"%s\"; },\n"
	                       " { name = \"b\"; address = \"udp:b\"; community = \"public\"; "
	                       "} ); };\n",
	                       auth, priv);
	assert_true(g_file_set_contents(conf, text, -1, &error));
	assert_int_equal(g_chmod(conf, 0644), 0);

	g_autoptr(ChopinConfigSchema) schema = chopin_settings_schema_new();
	g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(ChopinConfig) file = chopin_config_load_file(schema, conf, &diagnostics, &error);
	assert_non_null(file);
	g_autoptr(GPtrArray) managers = notify_config_load(file, diagnostics);
	assert_non_null(managers);
	/* the passphrases come from their files, without the final newline */
	const NotifyManagerConfig *v3 = managers->pdata[0];
	assert_string_equal(v3->auth_passphrase, "auth pass phrase");
	assert_string_equal(v3->priv_passphrase, "priv pass phrase");
	/* a secret inline in a file others can read is worth a warning */
	assert_int_equal(diagnostics->len, 1);
	g_autofree char *expected = g_strdup_printf(
	    "%s:4: warning: correlator.managers element 2: community is a secret, but %s is "
	    "readable by group or others (mode 0644): chmod 600 it, or move the secret to "
	    "community_file",
	    conf, conf);
	assert_string_equal(diagnostics->pdata[0], expected);
	g_clear_pointer(&managers, g_ptr_array_unref);
	g_ptr_array_set_size(diagnostics, 0);

	/* kept 0600, no warning; a secret file others can read is refused */
	assert_int_equal(g_chmod(conf, 0600), 0);
	assert_int_equal(g_chmod(priv, 0604), 0);
	managers = notify_config_load(file, diagnostics);
	assert_null(managers);
	assert_int_equal(diagnostics->len, 1);
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf("%s:3: correlator.managers element 1: %s is readable by others "
	                           "(mode 0604): chmod o-rwx it",
	                           conf, priv);
	assert_string_equal(diagnostics->pdata[0], expected);
	g_ptr_array_set_size(diagnostics, 0);

	/* an empty secret file */
	assert_true(g_file_set_contents(priv, "\n", -1, &error)); /* a new file: mode again */
	assert_int_equal(g_chmod(priv, 0600), 0);
	managers = notify_config_load(file, diagnostics);
	assert_null(managers);
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf(
	    "%s:3: correlator.managers element 1: %s must hold the secret on one line", conf, priv);
	assert_int_equal(diagnostics->len, 1);
	assert_string_equal(diagnostics->pdata[0], expected);

	g_unlink(conf);
	g_unlink(auth);
	g_unlink(priv);
	g_rmdir(directory);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_raised_varbinds),
	    cmocka_unit_test(test_cleared_varbinds),
	    cmocka_unit_test(test_texts_cut_to_the_mib),
	    cmocka_unit_test(test_bad_first_seen),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_managers_valid),
	    cmocka_unit_test(test_managers_invalid),
	    cmocka_unit_test(test_managers_secret_files),
	};

	return cmocka_run_group_tests_name("notify", tests, NULL, NULL);
}
