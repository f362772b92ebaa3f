#!/bin/sh
# chopinctl's read commands on a fixture fleet: human columns, valid JSON, every filter.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chopinctl/chopinctl-test-lib.sh"

tap_plan 98
ctl_test_start
ctl_fixture

# --- hosts ------------------------------------------------------------------------------------
ctl_ok "hosts" hosts
tap_like "$(printf '%s\n' "$CTL_OUT" | head -n 1)" '^NAME +TYPE +STATUS +LAST HEARTBEAT +OS +SUPPORT +UPDATES +ALARMS +TAGS$' \
	"hosts: a header line of aligned columns"
tap_is "$(printf '%s\n' "$CTL_OUT" | sed 1d | awk '{print $1}' | paste -sd' ')" \
	'DBSRV02 LEGACY01 NEWSRV05 QA"\SRV-💾 RAIDSRV01 VMAPP003' "hosts: every host, by name"
tap_like "$(printf '%s\n' "$CTL_OUT" | grep '^RAIDSRV01 ')" \
	'^RAIDSRV01 +physical +active +[0-9-]+ [0-9:]+ +Microsoft Windows Server 2016 Datacenter +ends 2027-01-12 +2 +1 +geneva,raid$' \
	"hosts: RAIDSRV01's type, status, OS, support end, updates, alarms, tags"
ctl_ok "hosts --no-header" hosts --no-header
tap_like "$(printf '%s\n' "$CTL_OUT" | head -n 1)" '^DBSRV02 ' "--no-header drops the header line"
ctl_ok "hosts --json" hosts --json
json_valid "hosts --json is valid JSON"
tap_is "$(json '[h["name"] for h in j["hosts"]]')" 'DBSRV02 LEGACY01 NEWSRV05 QA"\SRV-💾 RAIDSRV01 VMAPP003' \
	"hosts --json: names, a quote and backslash and an emoji intact"
tap_is "$(json '[(h["tags"], h["available_updates"], h["open_alarms"], h["end_of_support_state"]) for h in j["hosts"] if h["name"] == "RAIDSRV01"][0]')" \
	"(['geneva', 'raid'], 2, 1, 'ends within 180 days')" "hosts --json: tags an array, counts numbers"
tap_like "$(json '[h["last_heartbeat"] for h in j["hosts"] if h["name"] == "RAIDSRV01"][0]')" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$' "hosts --json: times in UTC ISO 8601"
ctl_ok "hosts --inactive --json" hosts --inactive --json
tap_is "$(json '[(h["name"], h["inactive_reason"]) for h in j["hosts"]]')" \
	"('NEWSRV05', 'never seen a heartbeat') ('VMAPP003', 'marked inactive')" "--inactive: marked inactive or never heard"
ctl_ok "hosts --eos" hosts --eos --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}' | paste -sd' ')" "DBSRV02 LEGACY01" \
	"--eos: the 2012 R2 and 2008 R2 servers"
ctl_ok "hosts --pending-updates" hosts --pending-updates --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}')" "RAIDSRV01" "--pending-updates"
ctl_ok "hosts --tag geneva" hosts --tag geneva --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}' | paste -sd' ')" "RAIDSRV01 VMAPP003" "--tag geneva"
ctl_ok "hosts --tag geneva --tag raid" hosts --tag geneva --tag=raid --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}')" "RAIDSRV01" "two --tag: hosts with both"
ctl hosts --tag 'qa "lab" ü' --json
tap_is "$(json '[h["name"] for h in j["hosts"]]')" 'QA"\SRV-💾' "--tag with quotes and UTF-8"
ctl hosts --inactive --eos --json
tap_is "$CTL_RC $(json 'len(j["hosts"])')" "0 0" "filters combine (AND): none is both"

# --- host NAME ----------------------------------------------------------------------------------
ctl_ok "host RAIDSRV01" host RAIDSRV01
for want in '^OS: +Microsoft Windows Server 2016 Datacenter$' '^Type: +physical$' '^Status: +active$' \
	'^Last shutdown: +[0-9-]+ [0-9:]+$' '^Last OS update: +[0-9-]+ [0-9:]+$' '^Available updates: +2$' \
	'^Tags: +geneva,raid$' '^  vd +c0/v0 +Dgrd +critical ' '^  pd +c0/e252/s0 +UBad +critical +ST600MM0009 +S4B1NX0M123456 +558.406 GiB$' \
	'^  11 +RAID +critical +c0/v0 ' '^ +53x +c0/e252/s0 +MR_MONITOR +113 +information ' '^ +7x +c0/e252/s0 +MR_MONITOR +267 '; do
	if printf '%s\n' "$CTL_OUT" | grep -Eq -- "$want"; then
		tap_pass "host RAIDSRV01 shows $want"
	else
		tap_fail "host RAIDSRV01 shows $want" "$CTL_OUT"
	fi
done
tap_like "$(printf '%s\n' "$CTL_OUT" | grep -A4 '^Devices' | sed -n 4,5p | awk '{print $2}' | paste -sd' ')" \
	'^c0/v0 c0/e252/s0$' "devices in order: controller, VDs, then drives by slot (s0 before s10)"
ctl_ok "host raidsrv01 --json (case-insensitive)" host raidsrv01 --json
json_valid "host --json is valid JSON"
tap_is "$(json 'j["host"]["name"]')" "RAIDSRV01" "host --json: the canonical name"
tap_is "$(json '[d["address"] + "=" + d["status"] for d in j["devices"]]')" \
	"c0=ok c0/v0=critical c0/e252/s0=critical c0/e252/s10=ok c0/bbu=ok" "host --json: devices with status"
tap_is "$(json '[a["alarm_id"] for a in j["open_alarms"]]')" "11" "host --json: the open alarm"
tap_is "$(json '[str(g["count"]) + "x " + str(g["event_id"]) for g in j["events"]["groups"]][:3]')" \
	"53x 113 10x 268 7x 267" "host --json: events aggregated with counts, most frequent first"
tap_is "$(json '[u["kb"] for u in j["updates"]]')" "KB5040434 KB5040437" "host --json: the pending updates"
ctl host DBSRV02 --since 2d --json
tap_is "$(json '[g["count"] for g in j["events"]["groups"]]')" "3" "host --since 2d: only the recent errors"
ctl host DBSRV02 --since 30d --limit 1 --json
tap_is "$(json '[g["count"] for g in j["events"]["groups"]]')" "8" "host --since 30d --limit 1"
ctl_ok 'host QA"\SRV-💾 (hostile name)' host 'QA"\SRV-💾'
tap_unlike "$(printf '%s' "$CTL_OUT" | od -An -c)" '033|007' "human output carries no escape or bell character"
tap_like "$CTL_OUT" 'esc\?\[31mred\?\[0m tab nl bell\? quote" backslash\\ 💾 Ünï' \
	"control characters are shown as '?' or a blank, UTF-8 kept"

# --- events ---------------------------------------------------------------------------------------
ctl_ok "events" events
tap_like "$(printf '%s\n' "$CTL_OUT" | sed -n 2p)" '^ +53x +RAIDSRV01 +c0/e252/s0 +MR_MONITOR +113 +information ' \
	"events: the seed's 53x Unexpected sense first"
tap_like "$(printf '%s\n' "$CTL_OUT" | sed -n 3,5p | awk '{print $1}' | paste -sd' ')" '^10x 8x 7x$' \
	"then 10x PD Reset, 8x memory errors, 7x Command timeout"
ctl_ok "events --json" events --json
json_valid "events --json is valid JSON"
tap_is "$(json '[(j["since"], j["until"]), sum(g["count"] for g in j["groups"])]')" "(None, None) 83" \
	"events --json: open range, every event counted once"
tap_is "$(json '[g["message"] for g in j["groups"] if g["source"] == "QA \"tool\""][0] == "esc\x1b[31mred\x1b[0m tab\tnl\nbell\x07 quote\" backslash\\ 💾 Ünï"')" \
	"true" "events --json: control characters escaped, the text round-trips exactly"
ctl events --host RAIDSRV01 --device c0/e252/s0 --json
tap_is "$(json '[str(g["count"]) + "x" + str(g["event_id"]) for g in j["groups"]]')" "53x113 10x268 7x267 1x87" \
	"--host --device: the four kinds on the failing drive"
ctl events --source MR_MONITOR --id 267 --json
tap_is "$(json '[g["count"] for g in j["groups"]]')" "7" "--source --id: one event type"
ctl events --level critical --json
tap_is "$(json '[g["event_id"] for g in j["groups"]]')" "251" "--level critical"
ctl events --host DBSRV02 --since 2d --json
tap_is "$(json '[g["count"] for g in j["groups"]]')" "3" "--since 2d (relative)"
ctl events --host DBSRV02 --until 2d --json
tap_is "$(json '[g["count"] for g in j["groups"]]')" "5" "--until 2d"
since=$(date -u -d '13 days ago' +%Y-%m-%d)
until=$(date -u -d '11 days ago' +%Y-%m-%dT%H:%M:%SZ)
ctl events --host DBSRV02 --since "$since" --until "$until" --json
tap_is "$(json '[g["count"] for g in j["groups"]]')" "5" "--since DATE --until DATE-TIME (ISO 8601)"
ctl_ok "events --list --limit 3" events --list --limit 3 --json
tap_is "$(json '[e["source"] for e in j["events"]]')" 'Microsoft-Windows-WHEA-Logger EventLog QA "tool"' \
	"--list: the newest 3, oldest first"

# --- alarms ---------------------------------------------------------------------------------------
ctl_ok "alarms" alarms --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1 ":" $2 ":" $3}' | paste -sd' ')" \
	"13:VMAPP003:Heartbeat 12:DBSRV02:Updates 11:RAIDSRV01:RAID" "alarms: the open ones, most recent first"
ctl_ok "alarms --all --json" alarms --all --json
json_valid "alarms --json is valid JSON"
tap_is "$(json '[str(a["alarm_id"]) + ":" + a["state"] for a in j["alarms"]]')" "13:open 12:open 11:open 10:cleared" \
	"--all: the cleared one too"
tap_is "$(json '[(a["acknowledged_by"], a["ack_comment"]) for a in j["alarms"] if a["alarm_id"] == 13][0]')" \
	"('jdoe', 'VM being migrated')" "alarms --json: who acknowledged, and why"
ctl alarms --host RAIDSRV01 --all --json
tap_is "$(json '[a["alarm_id"] for a in j["alarms"]]')" "11 10" "--host"
ctl alarms --service updates --json
tap_is "$(json '[a["alarm_id"] for a in j["alarms"]]')" "12" "--service (any case)"
ctl alarms --all --with-ticket --json
tap_is "$(json '[a["alarm_id"] for a in j["alarms"]]')" "11" "--with-ticket"
ctl alarms --all --since 30d --json
tap_is "$(json '[a["alarm_id"] for a in j["alarms"]]')" "13 12 11" "--since 30d leaves out the alarm of 60 days ago"
ctl_ok "alarms show 11" alarms show 11
tap_like "$CTL_OUT" 'Rule: +vd-degraded' "alarms show: the rule"
tap_like "$CTL_OUT" 'MR_MONITOR +251 +critical +Controller ID: 0 VD is now DEGRADED' "alarms show: the events that raised it"

# --- ticket ---------------------------------------------------------------------------------------
ctl_ok "ticket 11" ticket 11
tap_is "$CTL_OUT" "Please replace the failed disk.
Machine: RAIDSRV01
Controller: 0
Enclosure:slot: 252:0
Serial number: S4B1NX0M123456
Model: ST600MM0009
Firmware: CS06
Size: 558.406 GiB (571808 MiB)" "ticket: the replacement text, line by line"
ctl_ok "ticket 11 --json" ticket 11 --json
tap_is "$(json 'j["ticket"].split("\n")[3] + " / " + j["host"]')" "Enclosure:slot: 252:0 / RAIDSRV01" "ticket --json"

# --- history, tags, rules ------------------------------------------------------------------------
ctl_ok "history RAIDSRV01" history RAIDSRV01 --no-header
tap_like "$(printf '%s\n' "$CTL_OUT" | head -n 1)" ' c0/e252/s7 +replaced +PD 252:7 replaced: serial S4B1NX0M000001 -> S4B1NX0M999999' \
	"history: the drive replacement, newest first"
ctl history RAIDSRV01 --since 7d --json
tap_is "$(json '[c["change"] for c in j["changes"]]')" "replaced" "history --since 7d: the firmware change of 40 days ago left out"
ctl_ok "tags" tags --json
tap_is "$(json '[t["tag"] + "=" + ",".join(t["hosts"]) for t in j["tags"]]')" \
	'app=VMAPP003 db=DBSRV02 geneva=RAIDSRV01,VMAPP003 qa "lab" ü=QA"\SRV-💾 raid=RAIDSRV01' "tags: every tag and its hosts"
ctl_ok "tags RAIDSRV01" tags RAIDSRV01
tap_is "$CTL_OUT" "geneva
raid" "tags HOST: one tag a line"
ctl_ok "rules" rules --json
tap_is "$(json '[r["rule_name"] + ":" + r["rule_type"] + ":" + str(r["open_alarms"]) for r in j["rules"]]')" \
	"update-install-failed:threshold:1 vd-degraded:sequence:1" "rules: the rules table, with open alarms"
ctl_ok "rules vd-degraded" rules vd-degraded
tap_like "$CTL_OUT" 'within = "10m";' "rules NAME: the definition"

# --- stats ------------------------------------------------------------------------------------------
mkdir -p "$CTL_DIR/trapd" "$CTL_DIR/spool"
printf '# chopin-trapd counters, pid 4242, written at %s\ndatagrams 1234\naccepted 1200\nquarantined 3\n' \
	"$(date +%s)" >"$CTL_DIR/trapd/trapd.stats"
head -c 1000 /dev/zero >"$CTL_DIR/spool/0000000001.spool"
head -c 300 /dev/zero >"$CTL_DIR/spool/0000000002.spool"
ctl_ok "stats --json" stats --json
json_valid "stats --json is valid JSON"
tap_is "$(json '[j["trapd"]["pid"], j["trapd"]["counters"]["datagrams"], j["trapd"]["counters"]["quarantined"]]')" \
	"4242 1234 3" "stats: chopin-trapd's counters from its stats file"
tap_is "$(json '[j["correlators"][0]["name"], j["correlators"][0]["records"], j["correlators"][0]["checkpoint_age_s"] < 60]')" \
	"main 5000 True" "stats: the correlator's records and checkpoint age"
tap_is "$(json '[j["spool"]["backlog_bytes"], j["spool"]["backlog_segments"]]')" "1200 2" \
	"stats: backlog = 1000 - 100 (checkpoint offset) + 300 bytes"
tap_is "$(json '[j["totals"]["lost_traps"], j["totals"]["duplicate_traps"], j["totals"]["quarantined_traps"], j["totals"]["open_alarms"]]')" \
	"5 7 1 3" "stats: lost, duplicate and quarantined traps, open alarms"
tap_done
