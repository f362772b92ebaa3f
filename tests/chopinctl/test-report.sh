#!/bin/sh
# chopinctl report --html: the page's numbers equal the database's, hostile text stays text, bad input fails clearly.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chopinctl/chopinctl-test-lib.sh"

tap_plan 66
ctl_test_start
ctl_fixture
chopin_sql chopin <"$top_srcdir/tests/data/chopinctl/report-hostile.sql" || tap_bail "the hostile fixture does not load"

PAGE_TOOL="$top_srcdir/tests/chopinctl/report-html.py"
page() { "$PYTHON" "$PAGE_TOOL" "$@"; }
# q SQL: the database's answer as root, tab-separated, no escaping
q() { chopin_sql chopin -N -B -r -e "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci; SET time_zone = '+00:00'; $1"; }
sorted() { LC_ALL=C sort; }
HOSTILE='<script>alert("x")</script> & '"'"'q'"'"
# The default period: today (UTC) and the 29 days before.
FIRST="UTC_DATE() - INTERVAL 29 DAY"
AFTER="UTC_DATE() + INTERVAL 1 DAY"

# --- the page is written, complete, and safe ------------------------------------------------------
PAGE=$CTL_DIR/report.html
ctl_ok "report --html FILE" report --html "$PAGE"
tap_is "$CTL_OUT" "" "nothing on standard output when the page goes to a file"
tap_like "$(head -c 15 "$PAGE")" '^<!DOCTYPE html>' "the file is an HTML page"
tap_is "$(page check "$PAGE" 2>&1)" "" \
	"well-formed; only the page's own elements; no script, handler, outside link or resource"
for forbidden in '<script' '<img' '<iframe' '<marquee' '<svg/onload' 'url('; do
	if grep -qiF -- "$forbidden" "$PAGE"; then
		tap_fail "no raw '$forbidden' in the page" "$(grep -oiF -- "$forbidden" "$PAGE" | head -n 3)"
	else
		tap_pass "no raw '$forbidden' in the page"
	fi
done
tap_like "$(grep -o '<meta http-equiv="Content-Security-Policy"[^>]*>' "$PAGE")" "default-src 'none'" \
	"a Content-Security-Policy forbids scripts and loads anyway"

# --- the numbers ------------------------------------------------------------------------------------
q "SELECT 'hosts.total', COUNT(*) FROM hosts
UNION ALL SELECT 'hosts.inactive', COUNT(*) FROM v_inactive_hosts
UNION ALL SELECT 'hosts.active', COUNT(*) FROM hosts WHERE name NOT IN (SELECT name FROM v_inactive_hosts)
UNION ALL SELECT 'alarms.open', COUNT(*) FROM v_open_alarms
UNION ALL SELECT 'alarms.critical', COUNT(*) FROM v_open_alarms WHERE severity = 'critical'
UNION ALL SELECT 'alarms.warning', COUNT(*) FROM v_open_alarms WHERE severity = 'warning'
UNION ALL SELECT 'alarms.unacknowledged', COUNT(*) FROM v_open_alarms WHERE acknowledged_at IS NULL
UNION ALL SELECT CONCAT('alarms.service.', s.service), COUNT(a.alarm_id) FROM
  (SELECT 'RAID' AS service UNION ALL SELECT 'Updates' UNION ALL SELECT 'Heartbeat'
   UNION ALL SELECT 'Hardware' UNION ALL SELECT 'System') s
  LEFT JOIN v_open_alarms a ON a.service = s.service GROUP BY s.service
UNION ALL SELECT 'alarms.raised', COUNT(*) FROM alarms WHERE first_seen >= $FIRST AND first_seen < $AFTER
UNION ALL SELECT 'alarms.cleared', COUNT(*) FROM alarms WHERE first_seen >= $FIRST AND first_seen < $AFTER AND state = 'cleared'
UNION ALL SELECT 'events.total', COALESCE(SUM(events), 0) FROM v_events_per_host_day WHERE day >= $FIRST
UNION ALL SELECT 'events.critical', COALESCE(SUM(critical), 0) FROM v_events_per_host_day WHERE day >= $FIRST
UNION ALL SELECT 'events.error', COALESCE(SUM(error), 0) FROM v_events_per_host_day WHERE day >= $FIRST
UNION ALL SELECT 'events.warning', COALESCE(SUM(warning), 0) FROM v_events_per_host_day WHERE day >= $FIRST
UNION ALL SELECT 'events.other', COALESCE(SUM(other), 0) FROM v_events_per_host_day WHERE day >= $FIRST
UNION ALL SELECT 'devices.attention', COUNT(*) FROM devices WHERE removed = 0 AND status <> 'ok'
UNION ALL SELECT 'devices.critical', COUNT(*) FROM devices WHERE removed = 0 AND status = 'critical'
UNION ALL SELECT 'devices.warning', COUNT(*) FROM devices WHERE removed = 0 AND status = 'warning'
UNION ALL SELECT 'devices.unknown', COUNT(*) FROM devices WHERE removed = 0 AND status = 'unknown'
UNION ALL SELECT 'changes.total', COUNT(*) FROM config_history WHERE changed_at >= $FIRST AND changed_at < $AFTER
UNION ALL SELECT 'updates.hosts', COUNT(*) FROM v_pending_updates WHERE pending_count > 0
UNION ALL SELECT 'updates.pending', COALESCE(SUM(pending_count), 0) FROM v_pending_updates
UNION ALL SELECT 'updates.security', COALESCE(SUM(security_pending), 0) FROM v_pending_updates
UNION ALL SELECT 'updates.failed', COALESCE(SUM(failed_count), 0) FROM v_pending_updates
UNION ALL SELECT 'updates.reboot', COUNT(*) FROM v_pending_updates WHERE reboot_required <> 0
UNION ALL SELECT 'eos.past', COUNT(*) FROM v_hosts_past_eos WHERE eos_state = 'past end of support'
UNION ALL SELECT 'eos.soon', COUNT(*) FROM v_hosts_past_eos WHERE eos_state = 'ends within 180 days'
UNION ALL SELECT 'period.days', 30" | sorted >"$CTL_DIR/metrics.want"
page metrics "$PAGE" | sorted >"$CTL_DIR/metrics.got"
tap_is "$(wc -l <"$CTL_DIR/metrics.got")" 32 "32 numbers in the summary"
tap_is "$(cat "$CTL_DIR/metrics.got")" "$(cat "$CTL_DIR/metrics.want")" \
	"every number of the summary equals the database's (views and tables)"
# the same, by hand from the fixtures: the comparison above cannot pass on empty data
tap_is "$(grep -E '^(hosts.total|hosts.inactive|alarms.open|alarms.critical|events.total|events.critical|devices.attention|changes.total|updates.pending|eos.past)	' "$CTL_DIR/metrics.got" | cut -f2 | paste -sd' ')" \
	"2 4 2 3 2 2 87 2 8 3" "... and the fixtures' own counts"

q "SELECT host, day, 'critical', critical FROM v_events_per_host_day WHERE day >= $FIRST AND critical > 0
UNION ALL SELECT host, day, 'error', error FROM v_events_per_host_day WHERE day >= $FIRST AND error > 0
UNION ALL SELECT host, day, 'warning', warning FROM v_events_per_host_day WHERE day >= $FIRST AND warning > 0
UNION ALL SELECT host, day, 'other', other FROM v_events_per_host_day WHERE day >= $FIRST AND other > 0
UNION ALL SELECT '*', day, 'critical', SUM(critical) FROM v_events_per_host_day WHERE day >= $FIRST GROUP BY day HAVING SUM(critical) > 0
UNION ALL SELECT '*', day, 'error', SUM(error) FROM v_events_per_host_day WHERE day >= $FIRST GROUP BY day HAVING SUM(error) > 0
UNION ALL SELECT '*', day, 'warning', SUM(warning) FROM v_events_per_host_day WHERE day >= $FIRST GROUP BY day HAVING SUM(warning) > 0
UNION ALL SELECT '*', day, 'other', SUM(other) FROM v_events_per_host_day WHERE day >= $FIRST GROUP BY day HAVING SUM(other) > 0" |
	sorted >"$CTL_DIR/bars.want"
page bars "$PAGE" | sorted >"$CTL_DIR/bars.got"
tap_is "$(cat "$CTL_DIR/bars.got")" "$(cat "$CTL_DIR/bars.want")" \
	"every bar of every host's chart and of the fleet chart equals v_events_per_host_day"
tap_like "$(grep -c . "$CTL_DIR/bars.got")" '^[1-9][0-9]+$' "... a dozen bars or more"
q "SELECT host, device_address, day, SUM(events) FROM v_events_per_device_day WHERE day >= $FIRST
GROUP BY host, device_address, day" | sorted >"$CTL_DIR/sparks.want"
tap_is "$(page sparks "$PAGE" | sorted)" "$(cat "$CTL_DIR/sparks.want")" \
	"every bar of every device's chart equals v_events_per_device_day"
q "SELECT host, device_address, SUM(events) FROM v_events_per_device_day WHERE day >= $FIRST
GROUP BY host, device_address" | sorted >"$CTL_DIR/devices.want"
tap_is "$(page devices "$PAGE" | sorted)" "$(cat "$CTL_DIR/devices.want")" "the devices' event counts"
tap_like "$(page devices "$PAGE" | grep '^RAIDSRV01	c0/e252/s0	')" '	71$' "RAIDSRV01's failing drive: 71 events"
q "SELECT h.name, COALESCE(e.device_address, ''), e.source, e.event_id, COUNT(*) FROM events e
JOIN hosts h ON h.host_id = e.host_id WHERE e.event_time >= $FIRST AND e.event_time < $AFTER
GROUP BY h.name, e.device_address, e.source, e.event_id" | sorted >"$CTL_DIR/groups.want"
tap_is "$(page groups "$PAGE" | sorted)" "$(cat "$CTL_DIR/groups.want")" \
	"the event groups (host, device, source, id, count)"
tap_like "$(page cells "$PAGE" data-event-id 113 | "$PYTHON" -c 'import json,sys; r=json.load(sys.stdin); print(r[0], r[1], r[3])')" \
	'^53x c0/e252/s0 113$' "the seed's 53x Unexpected sense on c0/e252/s0"
tap_is "$(page attr "$PAGE" data-alarm-id | sort -n | paste -sd' ')" \
	"$(q 'SELECT alarm_id FROM v_open_alarms ORDER BY alarm_id' | paste -sd' ')" "the open alarms: those of v_open_alarms"
tap_is "$(page attr "$PAGE" data-inactive-host | sorted | paste -sd' ')" \
	"$(q 'SELECT name FROM v_inactive_hosts' | sorted | paste -sd' ')" "the inactive servers: those of v_inactive_hosts"
tap_is "$(page attr "$PAGE" data-quiet-host | sorted | paste -sd' ')" \
	"$(q "SELECT name FROM hosts WHERE host_id NOT IN (SELECT host_id FROM events WHERE event_time >= $FIRST)" | sorted | paste -sd' ')" \
	"hosts without events in the period are named, not charted"
tap_is "$(page attr "$PAGE" data-eos | sorted | uniq -c | awk '{print $1}' | paste -sd' ')" \
	"$(q "SELECT COUNT(*) FROM v_hosts_past_eos GROUP BY eos_state ORDER BY eos_state" | paste -sd' ')" \
	"the OS end-of-support table: v_hosts_past_eos"
tap_is "$(page attr "$PAGE" data-change | sorted | paste -sd' ')" \
	"$(q "SELECT change_kind FROM config_history WHERE changed_at >= $FIRST" | sorted | paste -sd' ')" \
	"the configuration changes of the period"
tap_like "$(grep -o 'data-stale="[a-z-]*"' "$PAGE")" 'data-stale="fresh"' "a fresh checkpoint: no stale-data banner"

# --- hostile text -----------------------------------------------------------------------------------
page hostnames "$PAGE" >"$CTL_DIR/names.json"
tap_is "$("$PYTHON" -c 'import json,sys; print(all(a == b for a, b in json.load(open(sys.argv[1]))))' "$CTL_DIR/names.json")" \
	"True" "every host heading shows the host's name exactly as stored"
tap_is "$("$PYTHON" -c 'import json,sys; print(sorted(a for a, b in json.load(open(sys.argv[1]))))' "$CTL_DIR/names.json")" \
	"$("$PYTHON" -c 'import sys; print(sorted(sys.stdin.read().splitlines()))' <<EOF
$(q "SELECT DISTINCT host FROM v_events_per_host_day WHERE day >= $FIRST")
EOF
)" "the hosts with events, markup and 250-character UTF-8 names included"
tap_like "$(grep -o 'data-host="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"' "$PAGE" | head -n 1)" \
	'^data-host=' "the name with markup, quotes and ampersand, escaped in attributes"
tap_is "$(page cells "$PAGE" data-event-id 43 | "$PYTHON" -c 'import json,sys; m=json.load(sys.stdin)[-1]; print(m == ("Ω≈ç√∫ " * 1000)[:300] + "…")')" \
	"True" "a 5000-character UTF-8 message is cut after 300 characters, on a character"
tap_is "$(page cells "$PAGE" data-event-id 44 | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[-1])')" \
	"esc␛[2J del␡ c1� rlo�txt ]]> <!-- --> &amp; &#x3C;" \
	"control characters shown as control pictures; C1 and a bidi override as U+FFFD; markup as text"
tap_is "$(page cells "$PAGE" data-source 'QA "tool"' | "$PYTHON" -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[-1], ensure_ascii=False))')" \
	'"esc␛[31mred␛[0m tab\tnl\nbell␇ quote\" backslash\\ 💾 Ünï"' "the fixture's terminal escapes, tab, newline and bell"
tap_like "$(page cells "$PAGE" data-alarm-id 20 | "$PYTHON" -c 'import json,sys; r=json.load(sys.stdin); print(r[1] + "|" + r[7] + "|" + r[8])')" \
	'^<script>alert\("x"\)</script> & '"'"'q'"'"'\|" onmouseover="x\|<script>document.title=1</script> "quoted" '"'"'single'"'"'$' \
	"an alarm's host, acknowledging user and text shown as text"
tap_like "$(page cells "$PAGE" data-status warning | "$PYTHON" -c 'import json,sys; r=json.load(sys.stdin); print(r[1] + "|" + r[5])')" \
	'^"><img src=x onerror=alert\(1\)>\|</td></tr></table><h1>pwned</h1>$' "a device's address and model shown as text"
tap_like "$(cat "$PAGE")" '<span class="tag">&lt;svg/onload=alert\(1\)&gt;</span>' "a tag shown as text"

# --- standard output, one host, a period -------------------------------------------------------------
ctl_ok "report --html - (standard output)" report --html -
printf '%s\n' "$CTL_OUT" >"$CTL_DIR/stdout.html"
tap_is "$(page metrics "$CTL_DIR/stdout.html" | sorted)" "$(cat "$CTL_DIR/metrics.got")" "the same page on standard output"
HOST_PAGE=$CTL_DIR/host.html
ctl_ok "report --host (a hostile name)" report --host "$HOSTILE" --html "$HOST_PAGE"
tap_is "$(page check "$HOST_PAGE" 2>&1)" "" "the host page is safe too"
tap_is "$(page metrics "$HOST_PAGE" | grep -E '^(hosts.total|events.total|alarms.open|devices.warning|changes.total|updates.hosts)	' | cut -f2 | paste -sd' ')" \
	"1 1 1 3 1 1" "--host: the summary counts that host only"
tap_is "$(page hostnames "$HOST_PAGE")" "$("$PYTHON" -c 'import json,sys; print(json.dumps([[sys.argv[1]] * 2], ensure_ascii=False))' "$HOSTILE")" \
	"--host: that host's section only"
tap_is "$(page bars "$HOST_PAGE" | grep -c '^\*')" 0 "--host: no fleet chart"
tap_like "$(grep -o '<h1>[^<]*</h1>' "$HOST_PAGE")" '^<h1>Chopin report: &lt;script&gt;alert' "--host: the title names the host, escaped"
ctl_ok "report --host, any case" report --host raidsrv01 --html "$HOST_PAGE"
tap_is "$(page hostnames "$HOST_PAGE")" '[["RAIDSRV01", "RAIDSRV01"]]' "--host raidsrv01: RAIDSRV01"
since=$(date -u -d '13 days ago' +%Y-%m-%d)
until=$(date -u -d '9 days ago' +%Y-%m-%d)
ctl_ok "report --since DATE --until DATE" report --since "$since" --until "$until" --html "$HOST_PAGE"
tap_is "$(page metrics "$HOST_PAGE" | grep -E '^(period.days|events.total|changes.total)	' | cut -f2 | paste -sd' ')" \
	"0 5 4" "--since/--until: 4 whole days, the 5 memory errors of 12 days ago, no change"
tap_is "$(page bars "$HOST_PAGE" | sorted)" \
	"$(q "SELECT '*', day, 'warning', SUM(warning) FROM v_events_per_host_day WHERE day >= '$since' AND day < '$until' GROUP BY day
UNION ALL SELECT host, day, 'warning', warning FROM v_events_per_host_day WHERE day >= '$since' AND day < '$until'" | sorted)" \
	"--since/--until: the bars of those days"
ctl_ok "report --since 7d" report --since 7d --html "$HOST_PAGE"
tap_is "$(page metrics "$HOST_PAGE" | grep '^period.days' | cut -f2)" 8 "--since 7d: from that day to today, 8 days"

# --- the read-only account is enough --------------------------------------------------------------
cat >"$CTL_DIR/reader-only.cnf" <<EOF
[client]
socket = $CHOPIN_TEST_SOCKET
[chopin_reader]
user = chopin_reader
password = "$CTL_READER_PASSWORD"
EOF
ctl_ok "the read-only account alone" --defaults-file "$CTL_DIR/reader-only.cnf" report --html "$HOST_PAGE"
tap_is "$(q "SELECT COUNT(*) FROM information_schema.user_privileges WHERE grantee LIKE '%chopin_reader%' AND privilege_type <> 'USAGE'") $(q "SELECT GROUP_CONCAT(DISTINCT privilege_type) FROM information_schema.schema_privileges WHERE grantee LIKE '%chopin_reader%'")" \
	"0 SELECT" "... which can only SELECT"

# --- bad input ------------------------------------------------------------------------------------------
ctl_fails "no --html" 2 'report: --html FILE is required' report
ctl_fails "a stray argument" 2 "report: unexpected argument 'out.html'" report out.html
ctl_fails "--json" 2 'report: no JSON form' report --html - --json
ctl_fails "--since garbage" 2 "bad time range: --since 'yesterday' is not a time" report --html - --since yesterday
ctl_fails "--since after --until" 2 'bad time range: --since 1d is not before --until 7d' report --html - --since 1d --until 7d
ctl_fails "--since in the future" 2 'bad time range: --since 2999-01-01 is not before --until now' report --html - --since 2999-01-01
ctl_fails "a period over 366 days" 2 'bad time range: [0-9]+ days; a report covers at most 366 days' report --html - --since 2000-01-01
printf 'old page\n' >"$CTL_DIR/keep.html"
ctl_fails "an unknown host: exit 3" 3 "unknown host 'NOSUCH'" report --host NOSUCH --html "$CTL_DIR/keep.html"
tap_is "$(cat "$CTL_DIR/keep.html")" "old page" "... and FILE is left as it was"
ctl_fails "a directory that does not exist: exit 1" 1 "report: .*no/such/dir/r.html" report --html "$CTL_DIR/no/such/dir/r.html"
tap_is "$(ls "$CTL_DIR" | grep -c '^report.html.')" 0 "no temporary file left next to a page written"
chopin_db_stop
ctl_fails "the database down: exit 4" 4 'database unavailable.*connecting to the database' report --html "$CTL_DIR/keep.html"
tap_is "$(cat "$CTL_DIR/keep.html")" "old page" "... and FILE is left as it was"
tap_done
