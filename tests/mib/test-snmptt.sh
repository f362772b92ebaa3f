#!/bin/sh
# test-snmptt.sh: snmpttconvertmib turns CHOPIN-MIB into one EVENT with a FORMAT per notification.
. "${top_srcdir:?top_srcdir is not set: run this test through make check}/tests/mib/mib-test-lib.sh"

require_program snmpttconvertmib "$SNMPTTCONVERTMIB" snmptt
require_program snmptranslate "$SNMPTRANSLATE" snmp
require_program mib-dump "$mib_dump" "make check builds it"
require_base_mibs
"$mib_dump" >"$work_dir/table" || tap_bail "mib-dump failed"
grep '^notification ' "$work_dir/table" >"$work_dir/notifications"
n_notifications=$(wc -l <"$work_dir/notifications")
test "$n_notifications" -gt 0 || tap_bail "mib-dump listed no notifications"

echo "1..$((n_notifications + 2))"

# snmpttconvertmib runs the snmptranslate found on PATH with these.
PATH=$(dirname "$SNMPTRANSLATE"):$PATH
MIBDIRS=$top_srcdir/mib:$base_mibdir
MIBS=+CHOPIN-MIB
export PATH MIBDIRS MIBS
"$SNMPTRANSLATE" -Dnone -m '' -On .1.3 >/dev/null 2>&1

out=$work_dir/CHOPIN-MIB.snmptt.conf
if "$SNMPTTCONVERTMIB" --in="$mib_file" --out="$out" >"$work_dir/log" 2>&1 &&
	grep -q "^Failed translations: *0\$" "$work_dir/log" && test -s "$out"; then
	tap_ok "snmpttconvertmib converts CHOPIN-MIB without failed translations"
else
	tap_not_ok "snmpttconvertmib converts CHOPIN-MIB without failed translations"
	tail -n 20 "$work_dir/log" | tap_diag
fi

# One EVENT per notification, by name and OID, each followed by a FORMAT
# line before the next EVENT.
while read -r what name numeric rest; do
	events=$(grep -c "^EVENT $name .$numeric " "$out")
	format=$(awk -v name="$name" '
		$1 == "EVENT" { current = $2 }
		$1 == "FORMAT" && current == name && NF > 1 { found = 1 }
		END { print found ? "yes" : "no" }' "$out")
	if test "$events" -eq 1 && test "$format" = yes; then
		tap_ok "one EVENT $name .$numeric with a FORMAT line"
	else
		tap_not_ok "one EVENT $name .$numeric with a FORMAT line"
		echo "$events EVENT lines, FORMAT: $format" | tap_diag
		grep "^EVENT $name " "$out" | tap_diag
	fi
done <"$work_dir/notifications"

n_events=$(grep -c '^EVENT ' "$out")
if test "$n_events" -eq "$n_notifications"; then
	tap_ok "$n_events EVENT lines for $n_notifications notifications"
else
	tap_not_ok "$n_events EVENT lines for $n_notifications notifications"
	grep '^EVENT ' "$out" | tap_diag
fi

tap_exit
