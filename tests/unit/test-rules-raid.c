/* Unit tests of the MR_MONITOR text key extraction (controller, VD, PD, enclosure:slot). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rules.h"

static void
test_raid_parse_table(void **state)
{
	static const struct {
		const char *text;
		gint controller, vd, pd, enclosure, slot;
	} cases[] = {
	    {"Controller ID: 0 VD is now DEGRADED VD 0", 0, 0, -1, -1, -1},
	    /* the long form MR_MONITOR writes to the Windows event log */
	    {"Controller ID: 0 Unexpected sense: PD = Port 0 - 252:7, CDB = 0x28, Sense = "
	     "0x3/0x11/0x00",
	     0, -1, -1, 252, 7},
	    {"Controller ID: 1 State change on PD = Port 3 - 24:11 from ONLINE(18) to FAILED(11)",
	     1, -1, -1, 24, 11},
	    {"Controller ID: 0 PD = -:-:5 reset (type 03)", 0, -1, -1, -1, -1},
	    {"Controller ID: 0 VD is now PARTIALLY DEGRADED VD 0 Event ID:250", 0, 0, -1, -1, -1},
	    {"Controller ID: 1 State change on PD 03(e0xfc/s3) from ONLINE(18) to FAILED(11)", 1,
	     -1, 3, 252, 3},
	    {"State change on PD 03(e0xfc/s3) from ONLINE(18) to FAILED(11)", -1, -1, 3, 252, 3},
	    {"Controller ID: 0 Rebuild complete on VD 00/0", 0, 0, -1, -1, -1},
	    {"Controller ID: 2 Rebuild complete on VD 01/1", 2, 1, -1, -1, -1},
	    {"Controller ID: 0 State change on VD 01/1 from OPTIMAL(3) to DEGRADED(2)", 0, 1, -1,
	     -1, -1},
	    {"Controller ID: 0 Rebuild automatically started on PD 0c(e252/s11)", 0, -1, 12, 252,
	     11},
	    {"Controller ID: 0 Unexpected sense: PD 07(e0x20/s7) Path 5000c500, CDB: 2a", 0, -1, 7,
	     32, 7},
	    {"Controller ID: 0 PD Reset: PD 05(e0xfc/s5), error 3", 0, -1, 5, 252, 5},
	    {"Controller ID: 0 Command timeout on PD 02(e0xfc/s2) Path 5000", 0, -1, 2, 252, 2},
	    {"Controller ID: 0 Battery is discharging", 0, -1, -1, -1, -1},
	    {"Controller ID:3 Predictive failure: PD 0a(e0xfc/s10)", 3, -1, 10, 252, 10},
	    {"A corrected hardware error has occurred.", -1, -1, -1, -1, -1},
	    {"", -1, -1, -1, -1, -1},
	    {"VD", -1, -1, -1, -1, -1},
	    {"Controller ID: ", -1, -1, -1, -1, -1},
	    {"PD 03(e0xfc/", -1, -1, 3, -1, -1},
	    {"PD 03(e/s3)", -1, -1, 3, -1, -1},
	    {"NVD 5 XPD 4", -1, -1, -1, -1, -1},
	    {"Controller ID: 99999999999 VD 7", -1, 7, -1, -1, -1},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		RulesRaidKeys keys;
		rules_raid_parse(cases[i].text, &keys);
		if (keys.controller != cases[i].controller || keys.vd != cases[i].vd ||
		    keys.pd != cases[i].pd || keys.enclosure != cases[i].enclosure ||
		    keys.slot != cases[i].slot)
			fail_msg("case %zu \"%s\": got c=%d v=%d p=%d e=%d s=%d", i, cases[i].text,
			         keys.controller, keys.vd, keys.pd, keys.enclosure, keys.slot);
	}
}

static void
test_raid_parse_null_and_init(void **state)
{
	RulesRaidKeys keys = {1, 2, 3, 4, 5};
	rules_raid_parse(NULL, &keys);
	assert_int_equal(keys.controller, -1);
	assert_int_equal(keys.slot, -1);

	RulesEvent event;
	rules_event_init(&event);
	assert_null(event.host);
	assert_int_equal(event.raid.vd, -1);
	assert_int_equal(event.raid.enclosure, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_raid_parse_table),
	    cmocka_unit_test(test_raid_parse_null_and_init),
	};
	return cmocka_run_group_tests_name("rules-raid", tests, NULL, NULL);
}
