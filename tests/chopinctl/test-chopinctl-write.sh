#!/bin/sh
# chopinctl's writes: ack and clear recorded with user and comment, tags added and removed (hosts --tag, chopin-nagios-hosts).
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chopinctl/chopinctl-test-lib.sh"

NAGIOS_HOSTS=$top_srcdir/tools/chopin-nagios-hosts

tap_plan 42
ctl_test_start
ctl_fixture
sq() { chopin_sql -N -B chopin -e "$1"; }

# --- acknowledge ---------------------------------------------------------------------------------
USER=opsuser ctl alarms ack 12 --comment "looking at it, ticket INC-42"
tap_is "$CTL_RC:$CTL_OUT" "0:alarm 12 (Updates warning on DBSRV02) acknowledged by opsuser" \
	"alarms ack: done, and said so"
tap_is "$(sq "SELECT CONCAT_WS('|', state, acknowledged_by, ack_comment, acknowledged_at > UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE) FROM alarms WHERE alarm_id = 12")" \
	"open|opsuser|looking at it, ticket INC-42|1" "ack recorded: still open, the user (\$USER), the comment, the time"
comment=$(printf 'quote" backslash\\ tab\there\nsecond line 💾 Ünï')
ctl alarms ack 13 --user "night shift 😴" --comment "$comment" --json
json_valid "alarms ack --json is valid JSON"
tap_is "$(printf '%s' "$CTL_OUT" | "$PYTHON" -c '
import json, sys
a = json.load(sys.stdin)["alarm"]
print(a["acknowledged_by"] == sys.argv[1] and a["ack_comment"] == sys.argv[2] and a["state"] == "open")
' "night shift 😴" "$comment")" "True" "--user and a comment with quotes, tab, newline and emoji round-trip exactly"
tap_is "$(sq "SELECT HEX(ack_comment) FROM alarms WHERE alarm_id = 13")" \
	"$(printf '%s' "$comment" | od -An -v -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')" "... and are stored byte for byte"
(
	unset USER
	ctl alarms ack 12 -m "again, as whoever I am"
	printf '%s\n' "$CTL_RC"
) >"$CTL_DIR/nouser" 2>&1
tap_is "$(tail -n 1 "$CTL_DIR/nouser"):$(sq "SELECT acknowledged_by FROM alarms WHERE alarm_id = 12")" \
	"0:$(id -un)" "without \$USER: the login name from the password database"
ctl_fails "ack without a comment is refused" 2 '--comment TEXT is required' alarms ack 12
ctl_fails "an empty comment is refused" 2 'is empty' alarms ack 12 --comment "   "
ctl_fails "a comment with an escape character is refused" 2 'control character' \
	alarms ack 12 --comment "$(printf 'bad \033[31m')"
ctl_fails "a comment longer than the column is refused" 2 'longer than 1024' \
	alarms ack 12 --comment "$(head -c 1025 /dev/zero | tr '\0' x)"
ctl_fails "ack of an unknown alarm" 3 'unknown alarm id 999' alarms ack 999 -m x
ctl_fails "ack of a non-number" 2 "'12x' is not an alarm id" alarms ack 12x -m x

# --- clear ---------------------------------------------------------------------------------------
USER=opsuser ctl alarms clear 11 --comment "disk in 252:0 swapped"
tap_is "$CTL_RC:$CTL_OUT" "0:alarm 11 (RAID critical on RAIDSRV01) cleared by opsuser" "alarms clear: done"
tap_is "$(sq "SELECT CONCAT_WS('|', state, cleared_by, clear_comment, cleared_at > UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE) FROM alarms WHERE alarm_id = 11")" \
	"cleared|opsuser|disk in 252:0 swapped|1" "clear recorded: state, user, comment, time"
ctl alarms --json
tap_is "$(json '[a["alarm_id"] for a in j["alarms"]]')" "13 12" "the cleared alarm is no longer open"
ctl_fails "clearing it again fails: already cleared" 1 'alarm 11 is already cleared \(by opsuser at [0-9-]+ [0-9:]+ UTC\): nothing to clear' \
	alarms clear 11 -m again
ctl_fails "acknowledging a cleared alarm fails" 1 'already cleared.*nothing to acknowledge' alarms ack 11 -m late
tap_is "$(sq "SELECT CONCAT_WS('|', cleared_by, clear_comment) FROM alarms WHERE alarm_id = 11")" \
	"opsuser|disk in 252:0 swapped" "... and change nothing"
ctl alarms show 11 --json
tap_is "$(json '[j["alarm"]["cleared_by"], j["alarm"]["clear_comment"], j["ticket"] is not None]')" \
	"opsuser disk in 252:0 swapped True" "alarms show: who cleared it and why, the ticket kept"

# --- the writer account, and only it, writes -------------------------------------------------
sed 's/^chopinctl = {/chopinctl = { writer_option_group = "chopin_reader";/' "$CTL_CONF" >"$CTL_DIR/reader-writes.conf"
ctl -C "$CTL_DIR/reader-writes.conf" alarms ack 12 -m "through the read-only account"
tap_is "$CTL_RC" 4 "ack through the read-only account is refused by the server (exit 4)"
tap_like "$CTL_ERR" 'command denied|denied to user' "... with the server's reason"
tap_is "$(sq "SELECT ack_comment FROM alarms WHERE alarm_id = 12")" "again, as whoever I am" "... and nothing changed"
sed 's/^chopinctl = {/chopinctl = { reader_option_group = "nosuch";/' "$CTL_CONF" >"$CTL_DIR/no-reader.conf"
ctl -C "$CTL_DIR/no-reader.conf" alarms
tap_is "$CTL_RC" 4 "reads use the reader group: without it, [client] alone names no account"

# --- tags ------------------------------------------------------------------------------------------
ctl_ok "tags add RAIDSRV01 rack-12 'bldg 513'" tags add RAIDSRV01 rack-12 'bldg 513'
tap_is "$CTL_OUT" "bldg 513
geneva
rack-12
raid" "tags add prints the host's tags afterwards"
ctl hosts --tag rack-12 --no-header
tap_is "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}')" "RAIDSRV01" "the new tag is visible in hosts --tag"
ctl_ok "adding a tag twice is harmless" tags add raidsrv01 rack-12
tap_is "$(sq "SELECT COUNT(*) FROM host_tags WHERE tag = 'rack-12'")" 1 "... one row"
"$NAGIOS_HOSTS" --defaults-file="$CTL_DIR/reader.cnf" --client="$MYSQL_CLIENT" >"$CTL_DIR/hosts.cfg" 2>"$CTL_DIR/nagios.err"
tap_like "$(cat "$CTL_DIR/hosts.cfg")" 'host_name   RAIDSRV01
    alias       RAIDSRV01 \(physical\)
    address     RAIDSRV01
    hostgroups  \+chopin-tag-bldg_513,chopin-tag-geneva,chopin-tag-rack-12,chopin-tag-raid' \
	"chopin-nagios-hosts reads host_tags: the tags are RAIDSRV01's hostgroups"
tap_like "$(cat "$CTL_DIR/hosts.cfg")" 'hostgroup_name  chopin-tag-rack-12' "... and a hostgroup is defined for the new tag"
"$NAGIOS_HOSTS" --format=icinga2 --defaults-file="$CTL_DIR/reader.cnf" --client="$MYSQL_CLIENT" >"$CTL_DIR/hosts.conf" 2>/dev/null
tap_like "$(cat "$CTL_DIR/hosts.conf")" 'groups \+= \[ "chopin-tag-bldg_513", "chopin-tag-geneva", "chopin-tag-rack-12", "chopin-tag-raid" \]' \
	"... in the Icinga 2 objects too"

ctl_fails "removing a tag the host lacks fails" 3 "host RAIDSRV01 has no tag 'nosuch' \(nothing removed\)" \
	tags remove RAIDSRV01 rack-12 nosuch
tap_is "$(sq "SELECT COUNT(*) FROM host_tags WHERE tag = 'rack-12'")" 1 "... and removes none of the others (one transaction)"
ctl_ok "tags remove RAIDSRV01 rack-12" tags remove RAIDSRV01 rack-12 --json
tap_is "$(json 'j["tags"]')" "bldg 513 geneva raid" "tags remove --json: the tags left"
ctl hosts --tag rack-12 --json
tap_is "$(json 'len(j["hosts"])')" 0 "hosts --tag no longer finds it"
"$NAGIOS_HOSTS" --defaults-file="$CTL_DIR/reader.cnf" --client="$MYSQL_CLIENT" >"$CTL_DIR/hosts.cfg" 2>/dev/null
tap_unlike "$(cat "$CTL_DIR/hosts.cfg")" 'rack-12' "chopin-nagios-hosts no longer has the hostgroup"

ctl_fails "a tag with a comma is refused" 2 "contains a comma" tags add RAIDSRV01 'a,b'
ctl_fails "a tag longer than 64 characters is refused" 2 "longer than 64" \
	tags add RAIDSRV01 "$(head -c 65 /dev/zero | tr '\0' t)"
ctl_fails "a blank-edged tag is refused" 2 "starts or ends with a blank" tags add RAIDSRV01 ' x'
ctl_fails "tags add on an unknown host" 3 "unknown host 'NOSUCH'" tags add NOSUCH x
ctl_fails "tags add without a tag" 2 "expected HOST TAG" tags add RAIDSRV01
tap_done
