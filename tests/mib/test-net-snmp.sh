#!/bin/sh
# test-net-snmp.sh: net-snmp loads CHOPIN-MIB cleanly and maps every name to the C table's OID.
. "${top_srcdir:?top_srcdir is not set: run this test through make check}/tests/mib/mib-test-lib.sh"

require_program snmptranslate "$SNMPTRANSLATE" snmp
require_program mib-dump "$mib_dump" "make check builds it"
require_base_mibs
"$mib_dump" >"$work_dir/table" || tap_bail "mib-dump failed"
grep '^notification ' "$work_dir/table" >"$work_dir/notifications"
grep '^object ' "$work_dir/table" >"$work_dir/objects"
n_notifications=$(wc -l <"$work_dir/notifications")
test "$n_notifications" -gt 0 || tap_bail "mib-dump listed no notifications"

translate() {
	"$SNMPTRANSLATE" -M "$top_srcdir/mib:$base_mibdir" -m CHOPIN-MIB "$@"
}

echo "1..$((n_notifications + 3))"

# net-snmp announces the creation of its persistent directory (here in
# work_dir) on stderr; let that happen before stderr is checked.
"$SNMPTRANSLATE" -Dnone -m '' -On .1.3 >/dev/null 2>&1

# 1: the whole module loads without a single warning.
if translate -Tp >"$work_dir/tree" 2>"$work_dir/warnings" &&
	! test -s "$work_dir/warnings" && grep -q 'chopinMIB(' "$work_dir/tree"; then
	tap_ok "snmptranslate -Tp loads CHOPIN-MIB without warnings"
else
	tap_not_ok "snmptranslate -Tp loads CHOPIN-MIB without warnings"
	tap_diag <"$work_dir/warnings"
fi

# 2..n+1: each notification, name to OID and OID to name.
while read -r what name numeric rest; do
	forward=$(translate -On "CHOPIN-MIB::$name" 2>&1)
	backward=$(translate "$numeric" 2>&1)
	if test "$forward" = ".$numeric" && test "$backward" = "CHOPIN-MIB::$name"; then
		tap_ok "$name is $numeric"
	else
		tap_not_ok "$name is $numeric"
		printf '%s\n' "net-snmp: $name -> $forward" "net-snmp: $numeric -> $backward" |
			tap_diag
	fi
done <"$work_dir/notifications"

# n+2: chopinNotifications holds no notification the C table lacks.
translate -Tp CHOPIN-MIB::chopinNotifications 2>&1 |
	sed -n 's/^ *+--\(chopin[A-Za-z0-9]*\)(\([0-9]*\))$/\1 \2/p' |
	grep -v '^chopinNotifications ' | sort >"$work_dir/mib-notifications"
sed 's/^notification \([^ ]*\) [0-9.]*\.\([0-9]*\) .*/\1 \2/' "$work_dir/notifications" |
	sort >"$work_dir/c-notifications"
if diff -u "$work_dir/c-notifications" "$work_dir/mib-notifications" >"$work_dir/diff" 2>&1; then
	tap_ok "chopinNotifications lists exactly the $n_notifications notifications of the C table"
else
	tap_not_ok "chopinNotifications lists exactly the notifications of the C table"
	tap_diag <"$work_dir/diff"
fi

# n+3: every object instance (name.0) has the C table's OID.
: >"$work_dir/object-errors"
while read -r what name numeric rest; do
	forward=$(translate -On "CHOPIN-MIB::$name.0" 2>&1)
	if test "$forward" != ".$numeric"; then
		echo "$name.0: C table $numeric, net-snmp $forward" >>"$work_dir/object-errors"
	fi
done <"$work_dir/objects"
if test -s "$work_dir/objects" && ! test -s "$work_dir/object-errors"; then
	tap_ok "every object instance has the C table's OID"
else
	tap_not_ok "every object instance has the C table's OID"
	tap_diag <"$work_dir/object-errors"
fi

tap_exit
