/* Unit tests of the rules file parser: the shipped rules, and exact file:line errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules.h"

#define SEQ_HEAD "rules = ( { name = \"s\"; type = \"sequence\"; within = \"10m\";\n"
#define ALARM    "alarm = { severity = \"critical\"; service = \"RAID\"; text = \"t\"; };\n"
#define STEPS                                                                                      \
	"steps = ( { match = { id = 81; }; },\n"                                                   \
	"          { followed_by = { id = 251; }; } );\n"

static void
test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
	    {"rules = ( { name = \"a\";\n type = \"pattern\"; } );",
	     "t.conf:2: unknown rule type 'pattern' (filter, sequence, threshold or absence)"},
	    {"rules = (\n { name = \"f\"; type = \"filter\"; action = \"drop\";\n"
	     "   match = { message = \"disk (\"; }; } );",
	     /* the rest of the message depends on the PCRE version */
	     "t.conf:3: bad regex: Error while compiling regular expression ‘disk (’ at char 6: "},
	    {SEQ_HEAD STEPS ALARM "colour = \"red\"; } );",
	     "t.conf:5: unknown field 'colour' in a sequence rule"},
	    {"rules = ( { name = \"s\"; type = \"sequence\";\n within = \"10 minutes\";\n" STEPS
	         ALARM "} );",
	     "t.conf:2: bad duration '10 minutes' for 'within' (e.g. \"90s\", \"10m\", \"7d\")"},
	    {"rules = ( { name = \"s\"; type = \"sequence\"; within = \"10m\";\n" ALARM "} );",
	     "t.conf:1: missing field 'steps'"},
	    {SEQ_HEAD "steps = ( { followed_by = { id = 81; }; } );\n" ALARM "} );",
	     "t.conf:2: the first step is 'match'\n"
	     "t.conf:2: a sequence needs a second step (use a threshold with count = 1 for "
	     "single events)"},
	    {SEQ_HEAD "steps = ( { not_followed_by = { id = 81; }; } );\n" ALARM "} );",
	     "t.conf:2: a sequence cannot start with 'not_followed_by'\n"
	     "t.conf:2: a sequence needs at least one step"},
	    {SEQ_HEAD STEPS "alarm = { severity = \"bad\"; service = \"RAID\"; };\n} );",
	     "t.conf:4: bad severity 'bad' (info, warning or critical)\n"
	     "t.conf:4: missing field 'text'"},
	    {"rules = ( { name = \"t\"; type = \"threshold\"; match = { id = \"9-3\"; };\n"
	     " count = 0; window = \"1h\"; bucket = \"7m\";\n" ALARM "} );",
	     "t.conf:1: bad event id (an integer or a range such as \"99-102\")\n"
	     "t.conf:2: 'count' must be between 1 and 4294967295\n"
	     "t.conf:2: 'window' must be a multiple of 'bucket' (at most 100000 buckets; "
	     "default bucket: window / 60)"},
	    {"rules = ( { name = \"t\"; type = \"threshold\"; match = { id = 1; level = \"loud\"; "
	     "};\n window = \"1h\";\n" ALARM "} );",
	     "t.conf:1: bad level (critical, error, warning, information or verbose)\n"
	     "t.conf:1: missing field 'count'"},
	    {"rules = ( { name = \"a\"; type = \"absence\"; alarm = { severity = \"info\"; "
	     "service = \"RAID\"; text = \"x\"; }; },\n"
	     "{ name = \"a\"; type = \"absence\"; alarm = { severity = \"info\"; "
	     "service = \"Disk\"; text = \"x\"; }; } );",
	     "t.conf:2: duplicate rule name 'a'\n"
	     "t.conf:2: bad service 'Disk' (RAID, Updates, Heartbeat, Hardware or System)"},
	    {"rules = ( { name = \"f\"; type = \"filter\"; action = \"drop\";\n"
	     " match = { id = 1; colour = 3; }; key = [\"vd\"]; } );",
	     "t.conf:2: unknown field 'key' in a filter rule\n"
	     "t.conf:2: unknown field 'colour' in match"},
	    {"rules = ( { name = \"s\"; type = \"sequence\"; within = \"1m\"; key = "
	     "[\"disk\"];\n" STEPS ALARM "} );",
	     "t.conf:1: bad key field (host, controller, vd, pd, enclosure, slot, source or id)"},
	    {"rules = ( { name = \"f\"; type = \"filter\"; action = \"keep\";\n match = { }; } );",
	     "t.conf:2: empty match (it would match every event)"},
	    {"filter_default = \"maybe\";\nrules = ( );",
	     "t.conf:1: bad filter_default 'maybe' (keep or drop)"},
	    {"rulez = ( );", "t.conf:1: unknown field 'rulez' in the rules file\n"
	                     "t.conf:0: missing 'rules = ( ... );'"},
	    {"rules = ( { name = \"x\";\n type = ; } );", "t.conf:2: syntax error"},
	    {"rules = \"none\";", "t.conf:1: 'rules' must be a list ( { ... }, ... )"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RulesSet) rules =
		    rules_set_new_from_data(cases[i].text, "t.conf", &error);
		if (rules != NULL)
			fail_msg("case %zu parsed", i);
		assert_true(g_error_matches(error, RULES_ERROR, RULES_ERROR_PARSE));
		gboolean prefix = g_str_has_suffix(cases[i].error, ": ");
		if (prefix ? !g_str_has_prefix(error->message, cases[i].error)
		           : strcmp(error->message, cases[i].error) != 0)
			fail_msg("case %zu:\n got: %s\nwant: %s", i, error->message,
			         cases[i].error);
	}
}

static void
test_parse_shipped_rules(void **state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RulesSet) rules = rules_set_new_from_file(RULES_CONF, &error);
	if (error != NULL)
		fail_msg("%s", error->message);
	assert_non_null(rules);
	assert_true(rules_set_check_file(RULES_CONF, NULL));
	assert_true(rules_set_get_count(rules) >= 14);
	gboolean seen_types[4] = {FALSE};
	static const char *const types[] = {"filter", "sequence", "threshold", "absence"};
	for (guint i = 0; i < rules_set_get_count(rules); i++) {
		for (guint t = 0; t < 4; t++)
			if (strcmp(rules_set_get_type(rules, i), types[t]) == 0)
				seen_types[t] = TRUE;
		assert_non_null(rules_set_get_definition(rules, i));
	}
	for (guint t = 0; t < 4; t++)
		assert_true(seen_types[t]);
	assert_string_equal(rules_set_get_name(rules, 1), "vd-degraded");
}

static void
test_parse_definition_canonical(void **state)
{
	/* Layout and comments do not change a definition; values do. */
	const char *a = "rules = ( { name = \"f\"; type = \"filter\"; action = \"drop\";\n"
	                "  match = { id = [ 1, 2 ]; }; } );";
	const char *b = "# comment\nrules = ({name=\"f\";type=\"filter\";action=\"drop\";"
	                "match={id=[1,2];};});";
	const char *c =
	    "rules = ({name=\"f\";type=\"filter\";action=\"drop\";match={id=[1,3];};});";
	g_autoptr(RulesSet) ra = rules_set_new_from_data(a, "a", NULL);
	g_autoptr(RulesSet) rb = rules_set_new_from_data(b, "b", NULL);
	g_autoptr(RulesSet) rc = rules_set_new_from_data(c, "c", NULL);
	assert_non_null(ra);
	assert_non_null(rb);
	assert_non_null(rc);
	assert_string_equal(rules_set_get_definition(ra, 0), rules_set_get_definition(rb, 0));
	assert_string_not_equal(rules_set_get_definition(ra, 0), rules_set_get_definition(rc, 0));
}

static void
test_parse_missing_file(void **state)
{
	g_autoptr(GError) error = NULL;
	assert_false(rules_set_check_file("/nonexistent/rules.conf", &error));
	assert_true(error->domain == G_FILE_ERROR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_parse_shipped_rules),
	    cmocka_unit_test(test_parse_definition_canonical),
	    cmocka_unit_test(test_parse_missing_file),
	};
	return cmocka_run_group_tests_name("rules-parse", tests, NULL, NULL);
}
