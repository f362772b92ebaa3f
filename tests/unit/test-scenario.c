/* test-scenario.c: the agent simulator's scenario parser: a complete file, values, and every error
 * message. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent-sim.h"
#include "chopin-mib.h"
#include "scenario-lex.h"

#define START "start 2019-09-23T05:00:00Z\nhost A\n" /* errors below are on line 3+ */

static const char full_scenario[] =
    "# a comment line\n"
    "start 2019-09-23T05:00:00Z\n"
    "end   2d\n"
    "\n"
    "host CERNVS08 os=\"Windows Server 2008 R2\" version=6.1.7601 type=physical "
    "model=\"Dell Inc. PowerEdge R710\" heartbeat=2m boot=2019-05-20T15:19:40Z agent=1.4.2 "
    "record=48210 engine-id=0x80001f8804434552 # trailing comment\n"
    "host VMAPP003 type=virtual\n"
    "inventory before {\n"
    "\tcontroller 0 model=\"PERC H700\" serial=09T0022 firmware=12.10 state=Optimal "
    "correctable=2 uncorrectable=0\n"
    "\tvd 0/0 type=RAID1 state=Optl size=278.875GiB name=SYSTEM\n"
    "\tpd 252:7 ctrl=0 did=7 dg=0 state=Onln size=1.091TiB model=ST3300657SS "
    "serial=6SJ6S6HL0000N341ZEE firmware=0008 media=HDD intf=SAS wwn=5000C500 "
    "media-errors=3 other-errors=1 predictive=2 temp=34 smart=yes\n"
    "\tbattery 0 model=BBU state=Optimal temp=31 replace=no\n"
    "}\n"
    "at 0 inventory CERNVS08 before\n"
    "at 2019-09-23T06:00:32Z event CERNVS08 source=MR_MONITOR id=251 level=error "
    "message=\"Controller ID: 0 VD is now DEGRADED VD 0 Event ID:251\"\n"
    "at 1h repeat 3032 every 200s event CERNVS08 log=System source=WHEA-Logger id=19 "
    "level=warning message=\"A corrected hardware error has occurred.\\nComponent: "
    "\\\"Memory\\\"\"\n"
    "at 90m update CERNVS08 pending=20 security=14 failed=1 reboot=yes kbs=\"KB1;KB2\" "
    "last-success=2019-05-20T15:05:40Z\n"
    "at 1h30m15s silence VMAPP003\n"
    "at 1d shutdown CERNVS08 type=restart reason=\"Planned\"\n"
    "at 1d1m reboot CERNVS08 boot=2019-09-24T05:00:30Z\n"
    "at 1d2m reboot vmapp003\n"
    "at 1d3m heartbeat CERNVS08\n";

static void
test_full_scenario(void **state)
{
	char error[SIM_ERROR_MAX] = "";
	SimScenario s;
	const SimRaidRecord *r;

	(void)state;
	assert_int_equal(scenario_parse("full.scenario", full_scenario, strlen(full_scenario), &s,
	                                error, sizeof(error)),
	                 0);
	assert_string_equal(error, "");
	assert_int_equal(s.start, 1569214800);
	assert_int_equal(s.end, 2 * 86400);
	assert_int_equal(scenario_span(&s), 2 * 86400);
	assert_int_equal(s.n_hosts, 2);
	assert_string_equal(s.hosts[0].name, "CERNVS08");
	assert_string_equal(s.hosts[0].os_name, "Windows Server 2008 R2");
	assert_string_equal(s.hosts[0].os_version, "6.1.7601");
	assert_string_equal(s.hosts[0].hardware_model, "Dell Inc. PowerEdge R710");
	assert_string_equal(s.hosts[0].engine_id, "0x80001f8804434552");
	assert_int_equal(s.hosts[0].machine_type, 1);
	assert_int_equal(s.hosts[0].heartbeat_interval, 120);
	assert_int_equal(s.hosts[0].boot_time, 1558365580);
	assert_int_equal(s.hosts[0].first_record_id, 48210);
	assert_int_equal(s.hosts[1].machine_type, 2);
	assert_int_equal(s.hosts[1].heartbeat_interval, 120);    /* default */
	assert_int_equal(s.hosts[1].boot_time, s.start - 86400); /* default */

	assert_int_equal(s.n_inventories, 1);
	assert_int_equal(s.inventories[0].n_records, 4);
	r = s.inventories[0].records;
	assert_int_equal(r[0].kind, CHOPIN_KIND_RAID_CONTROLLER);
	assert_string_equal(r[0].model, "PERC H700");
	assert_int_equal(r[0].correctable_errors, 2);
	assert_int_equal(r[1].kind, CHOPIN_KIND_RAID_VIRTUAL_DRIVE);
	assert_string_equal(r[1].id, "0/0");
	assert_int_equal(r[1].size_mib, 285568); /* 278.875 GiB */
	assert_int_equal(r[2].kind, CHOPIN_KIND_RAID_PHYSICAL_DRIVE);
	assert_string_equal(r[2].id, "252:7");
	assert_string_equal(r[2].serial, "6SJ6S6HL0000N341ZEE");
	assert_int_equal(r[2].size_mib, 1143996); /* 1.091 TiB, rounded */
	assert_int_equal(r[2].disk_group, 0);
	assert_int_equal(r[2].smart_alert, 1);
	assert_int_equal(r[2].predictive_failures, 2);
	assert_int_equal(r[3].kind, CHOPIN_KIND_RAID_BATTERY);
	assert_int_equal(r[3].battery_replace, 2);

	assert_int_equal(s.n_steps, 9);
	assert_int_equal(s.steps[0].kind, SIM_STEP_INVENTORY);
	assert_int_equal(s.steps[1].kind, SIM_STEP_EVENT);
	assert_int_equal(s.steps[1].offset, 3632);
	assert_int_equal(s.steps[1].event_level, 2);
	assert_string_equal(s.steps[1].event_log, "System"); /* default */
	assert_int_equal(s.steps[2].repeat_count, 3032);
	assert_int_equal(s.steps[2].repeat_every, 200);
	assert_int_equal(s.steps[2].offset, 3600);
	assert_string_equal(s.steps[2].event_message,
	                    "A corrected hardware error has occurred.\nComponent: \"Memory\"");
	assert_int_equal(s.steps[3].kind, SIM_STEP_UPDATE);
	assert_int_equal(s.steps[3].updates_pending, 20);
	assert_int_equal(s.steps[3].updates_reboot_required, 1);
	assert_string_equal(s.steps[3].updates_list, "KB1;KB2");
	assert_int_equal(s.steps[4].kind, SIM_STEP_SILENCE);
	assert_int_equal(s.steps[4].offset, 5415);
	assert_int_equal(s.steps[4].host, 1);
	assert_int_equal(s.steps[5].shutdown_type, 2);
	assert_string_equal(s.steps[5].shutdown_reason, "Planned");
	assert_int_equal(s.steps[6].reboot_time, 1569301230);
	assert_int_equal(s.steps[7].host, 1); /* host names are case-insensitive */
	assert_int_equal(s.steps[7].line, 20);
	scenario_clear(&s);
}

static void
test_durations_and_times(void **state)
{
	static const struct {
		const char *text;
		int64_t seconds; /* -1: invalid */
	} durations[] = {
	    {"0", 0},       {"90", 90},     {"90s", 90},     {"15m", 900}, {"2h", 7200},
	    {"7d", 604800}, {"1w", 604800}, {"1h30m", 5400}, {"+10s", 10}, {"1d2h3m4s", 93784},
	    {"", -1},       {"m", -1},      {"5x", -1},      {"-5", -1},   {"1.5h", -1},
	};
	static const struct {
		const char *text;
		int64_t time;
	} times[] = {
	    {"1970-01-01T00:00:00Z", 0},  {"2019-10-16T11:25:31Z", 1571225131},
	    {"2019-02-29T00:00:00Z", -1}, {"2019-10-16 11:25:31Z", -1},
	    {"2019-10-16T11:25:31", -1},  {"2019-10-16T24:00:00Z", -1},
	};
	int64_t value;

	(void)state;
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		int status = scenario_parse_duration(durations[i].text, &value);

		if (durations[i].seconds < 0) {
			assert_int_equal(status, -1);
		} else {
			assert_int_equal(status, 0);
			assert_int_equal(value, durations[i].seconds);
		}
	}
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		int status = scenario_parse_utc(times[i].text, &value);

		if (times[i].time < 0) {
			assert_int_equal(status, -1);
		} else {
			assert_int_equal(status, 0);
			assert_int_equal(value, times[i].time);
		}
	}
}

static void
test_sizes_and_hex(void **state)
{
	unsigned char bytes[8];
	uint32_t mib;

	(void)state;
	assert_int_equal(lex_parse_size_mib("285148", &mib), 0);
	assert_int_equal(mib, 285148);
	assert_int_equal(lex_parse_size_mib("744.687 GiB", &mib), 0);
	assert_int_equal(mib, 762559);
	assert_int_equal(lex_parse_size_mib("512MiB", &mib), 0);
	assert_int_equal(mib, 512);
	assert_int_equal(lex_parse_size_mib("12 parsecs", &mib), -1);
	assert_int_equal(lex_parse_size_mib("9999999TiB", &mib), -1);
	assert_int_equal(lex_parse_hex("0x8000000001", bytes, sizeof(bytes)), 5);
	assert_int_equal(bytes[0], 0x80);
	assert_int_equal(bytes[4], 0x01);
	assert_int_equal(lex_parse_hex("800", bytes, sizeof(bytes)), -1);
	assert_int_equal(lex_parse_hex("zz", bytes, sizeof(bytes)), -1);
	assert_int_equal(lex_parse_hex("00112233445566778899", bytes, sizeof(bytes)), -1);
}

static void
test_errors(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
	    {"", "t.scenario:1: no start line"},
	    {"# only a comment\n\n", "t.scenario:2: no start line"},
	    {"start 2019-09-23T05:00:00Z\n", "t.scenario:1: no host declared"},
	    {"host A\n", "t.scenario:1: host before start (the start line comes first)"},
	    {"start 2019-13-01T00:00:00Z\n",
	     "t.scenario:1: bad time '2019-13-01T00:00:00Z' (expected YYYY-MM-DDTHH:MM:SSZ)"},
	    {"start 2019-09-23T05:00:00Z\nstart 2019-09-23T05:00:00Z\n",
	     "t.scenario:2: start given twice"},
	    {START "frobnicate A\n", "t.scenario:3: unknown directive 'frobnicate'"},
	    {START "key=value\n", "t.scenario:3: unknown directive 'key'"},
	    {START "host A\n", "t.scenario:3: host 'A' declared twice"},
	    {START "host a\n", "t.scenario:3: host 'a' declared twice"},
	    {START "host\n", "t.scenario:3: host needs a name"},
	    {START "host B colour=red\n", "t.scenario:3: unknown key 'colour' for host"},
	    {START "host B blue\n", "t.scenario:3: unexpected 'blue' in host (expected key=value)"},
	    {START "host B type=cloud\n",
	     "t.scenario:3: bad value 'cloud' for type (expected physical, virtual or unknown)"},
	    {START "host B heartbeat=5s\n",
	     "t.scenario:3: bad value '5s' for heartbeat (expected 10s..1d)"},
	    {START "host B engine-id=0x12\n",
	     "t.scenario:3: bad value '0x12' for engine-id (expected 5 to 32 octets in hex)"},
	    {START "host B boot=yesterday\n",
	     "t.scenario:3: bad time 'yesterday' (expected YYYY-MM-DDTHH:MM:SSZ)"},
	    {START "host B record=-1\n",
	     "t.scenario:3: bad value '-1' for record (expected 0..4294967295)"},
	    {START "host B os=\"x\n", "t.scenario:3: unterminated quoted string"},
	    {START "host B os=\"a\\qb\"\n", "t.scenario:3: unknown escape '\\q' in quoted string"},
	    {START "host B os=\"a\"b\n", "t.scenario:3: missing space after a quoted string"},
	    {START "host B o\"s=x\n", "t.scenario:3: unexpected quote inside a word"},
	    {START "host B =x\n", "t.scenario:3: '=' without a key"},
	    {START "host B os=\"\"\n", "t.scenario:3: os must not be empty"},
	    {START "at 10 event A source=\"\" level=warning message=m\n",
	     "t.scenario:3: source must not be empty"},
	    {START "host B version=\"123456789012345678901234567890123\"\n",
	     "t.scenario:3: version is too long (at most 32 octets)"},
	    {START "end 10\nend 20\n", "t.scenario:4: end given twice"},
	    {START "end\n", "t.scenario:3: expected 'end OFFSET'"},
	    {START "at 5x heartbeat A\n",
	     "t.scenario:3: bad offset '5x' (expected e.g. 90, 90s, 15m, 2h, 7d, 1h30m or a UTC "
	     "time)"},
	    {START "at 2019-09-22T00:00:00Z heartbeat A\n",
	     "t.scenario:3: time '2019-09-22T00:00:00Z' is before start"},
	    {START "at\n", "t.scenario:3: expected 'at OFFSET ACTION HOST ...'"},
	    {START "at 10\n",
	     "t.scenario:3: missing action (heartbeat, event, inventory, update, shutdown, "
	     "silence or reboot)"},
	    {START "at 10 dance A\n", "t.scenario:3: unknown action 'dance'"},
	    {START "at 10 heartbeat\n", "t.scenario:3: heartbeat needs a host name"},
	    {START "at 10 heartbeat Z\n", "t.scenario:3: unknown host 'Z'"},
	    {START "at 10 heartbeat A extra\n",
	     "t.scenario:3: unexpected 'extra' after heartbeat A"},
	    {START "at 10 silence A loud=yes\n", "t.scenario:3: unknown key 'loud' for silence"},
	    {START "at 10 event A level=warning message=m\n", "t.scenario:3: event needs source="},
	    {START "at 10 event A source=X message=m\n", "t.scenario:3: event needs level="},
	    {START "at 10 event A source=X level=warning\n", "t.scenario:3: event needs message="},
	    {START "at 10 event A source=X id=70000 level=warning message=m\n",
	     "t.scenario:3: bad value '70000' for id (expected 0..65535)"},
	    {START "at 10 event A source=X level=loud message=m\n",
	     "t.scenario:3: bad value 'loud' for level (expected critical, error, warning, "
	     "information or verbose)"},
	    {START "at 10 event A source=X level=warning message=m colour=red\n",
	     "t.scenario:3: unknown key 'colour' for event"},
	    {START "at 10 repeat 3 heartbeat A\n",
	     "t.scenario:3: expected 'repeat COUNT every DURATION ACTION HOST'"},
	    {START "at 10 repeat 0 every 5s heartbeat A\n",
	     "t.scenario:3: bad value '0' for repeat (expected 1..1000000)"},
	    {START "at 10 repeat 2 every 0s heartbeat A\n",
	     "t.scenario:3: bad repeat interval '0s' (expected e.g. 200s or 5m)"},
	    {START "at 10 repeat 2 every 5s silence A\n",
	     "t.scenario:3: silence cannot be repeated"},
	    {START "at 10 inventory A\n",
	     "t.scenario:3: inventory needs an inventory name after the host"},
	    {START "at 10 inventory A nosuch\n", "t.scenario:3: unknown inventory 'nosuch'"},
	    {START "at 10 shutdown A type=halt\n",
	     "t.scenario:3: bad value 'halt' for type (expected shutdown, restart or agent-stop)"},
	    {START "at 10 update A pending=x\n",
	     "t.scenario:3: bad value 'x' for pending (expected 0..65535)"},
	    {START "at 10 update A reboot=maybe\n",
	     "t.scenario:3: bad value 'maybe' for reboot (expected yes or no)"},
	    {START "at 10 reboot A boot=soon\n",
	     "t.scenario:3: bad time 'soon' (expected YYYY-MM-DDTHH:MM:SSZ)"},
	    {START "inventory X {\n}\n", "t.scenario:4: inventory 'X' is empty"},
	    {START "inventory X\n", "t.scenario:3: expected 'inventory NAME {'"},
	    {START "inventory X {\n  disk 1 state=Onln\n}\n",
	     "t.scenario:4: unknown record 'disk' (expected controller, vd, pd, battery or '}')"},
	    {START "inventory X {\n  pd 7 state=Onln\n}\n",
	     "t.scenario:4: bad pd id '7' (expected EID:Slt, e.g. 252:7)"},
	    {START "inventory X {\n  vd 0 state=Optl\n}\n",
	     "t.scenario:4: bad vd id '0' (expected DG/VD, e.g. 0/0)"},
	    {START "inventory X {\n  controller x state=Optimal\n}\n",
	     "t.scenario:4: bad value 'x' for controller (expected 0..255)"},
	    {START "inventory X {\n  pd 252:7 size=big state=Onln\n}\n",
	     "t.scenario:4: bad value 'big' for size (expected MiB or e.g. 278.875GiB)"},
	    {START "inventory X {\n  pd 252:7 state=Onln temp=300\n}\n",
	     "t.scenario:4: bad value '300' for temp (expected -50..200)"},
	    {START "inventory X {\n  vd 0/0 serial=1 state=Optl\n}\n",
	     "t.scenario:4: unknown key 'serial' for vd"},
	    {START "inventory X {\n  vd 0/0 type=RAID1\n}\n", "t.scenario:4: vd 0/0 needs state="},
	    {START "inventory X {\n  controller 0 state=Optimal\n",
	     "t.scenario:3: inventory 'X' is not closed with '}'"},
	    {START "inventory X {\n  controller 0 state=Optimal\n}\ninventory X {\n",
	     "t.scenario:6: inventory 'X' declared twice"},
	    {START "inventory X { y\n", "t.scenario:3: nothing may follow '{' on its line"},
	    {START "}\n", "t.scenario:3: '}' outside an inventory"},
	    {START "at 10 heartbeat A {\n", "t.scenario:3: unexpected '{'"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char error[SIM_ERROR_MAX] = "";
		SimScenario s;
		int status;

		status = scenario_parse("t.scenario", cases[i].text, strlen(cases[i].text), &s,
		                        error, sizeof(error));
		if (status != -1 || strcmp(error, cases[i].error) != 0)
			print_error("case %zu: status %d\n     got: %s\nexpected: %s\n", i, status,
			            error, cases[i].error);
		assert_int_equal(status, -1);
		assert_string_equal(error, cases[i].error);
		assert_int_equal(s.n_hosts, 0); /* cleared on error */
		assert_null(s.steps);
	}
}

static void
test_missing_file(void **state)
{
	char error[SIM_ERROR_MAX] = "";
	SimScenario s;

	(void)state;
	assert_int_equal(scenario_load("/nonexistent/x.scenario", &s, error, sizeof(error)), -1);
	assert_string_equal(error, "/nonexistent/x.scenario: No such file or directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_scenario), cmocka_unit_test(test_durations_and_times),
	    cmocka_unit_test(test_sizes_and_hex), cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
