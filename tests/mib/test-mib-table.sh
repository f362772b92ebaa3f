#!/bin/sh
# test-mib-table.sh: the C table (lib/chopin-mib.c) says exactly what mib/CHOPIN-MIB.txt says.
. "${top_srcdir:?top_srcdir is not set: run this test through make check}/tests/mib/mib-test-lib.sh"

require_program smilint "$SMILINT" smitools
# smidump comes with smilint (Debian: smitools).
SMIDUMP=${SMIDUMP:-$(dirname "$SMILINT")/smidump}
require_program smidump "$SMIDUMP" smitools
require_program mib-dump "$mib_dump" "make check builds it"
require_base_mibs
AWK=${AWK:-awk}
SMIPATH=$top_srcdir/mib:$base_mibdir
export SMIPATH

# mib_table MIB-FILE OUTPUT: the MIB in mib-dump's format, sorted.
mib_table() {
	"$SMIDUMP" -c /dev/null -f xml "$1" >"$work_dir/mib.xml" 2>"$work_dir/smidump.err" &&
		! test -s "$work_dir/smidump.err" &&
		"$AWK" -f "$top_srcdir/tests/mib/mib-xml-table.awk" "$work_dir/mib.xml" |
		LC_ALL=C sort >"$2"
}

echo "1..6"

if "$mib_dump" >"$work_dir/c-unsorted" && test -s "$work_dir/c-unsorted"; then
	LC_ALL=C sort "$work_dir/c-unsorted" >"$work_dir/c-table"
	tap_ok "mib-dump prints the C table"
else
	tap_not_ok "mib-dump prints the C table"
fi

if mib_table "$mib_file" "$work_dir/mib-table" && grep -q '^object ' "$work_dir/mib-table"; then
	tap_ok "smidump reads CHOPIN-MIB"
else
	tap_not_ok "smidump reads CHOPIN-MIB"
	tap_diag <"$work_dir/smidump.err"
fi

# compare KIND DESCRIPTION: the lines starting with KIND must be equal.
compare() {
	grep "^$1 " "$work_dir/c-table" >"$work_dir/c-$1"
	grep "^$1 " "$work_dir/mib-table" >"$work_dir/mib-$1"
	if test -s "$work_dir/c-$1" &&
		diff -u "$work_dir/c-$1" "$work_dir/mib-$1" >"$work_dir/diff-$1" 2>&1; then
		tap_ok "$2"
	else
		tap_not_ok "$2 (- C table, + MIB)"
		tap_diag <"$work_dir/diff-$1"
	fi
}
compare object "objects agree: names, OIDs with .0, syntax, size and value ranges"
compare notification "notifications agree: names, OIDs, objects in order"

if grep '^access ' "$work_dir/mib-table" >"$work_dir/access"; then
	tap_not_ok "every object is accessible-for-notify"
	tap_diag <"$work_dir/access"
else
	tap_ok "every object is accessible-for-notify"
fi

# The comparison must notice a one-character edit of the MIB.
sed 's/^    SYNTAX      SnmpAdminString (SIZE (1\.\.255))$/    SYNTAX      SnmpAdminString (SIZE (1..254))/' \
	"$mib_file" >"$work_dir/CHOPIN-MIB.txt"
if mib_table "$work_dir/CHOPIN-MIB.txt" "$work_dir/edited-table" &&
	! cmp -s "$work_dir/c-table" "$work_dir/edited-table" &&
	grep -q '^object chopinHostName .* octets 1 254$' "$work_dir/edited-table"; then
	tap_ok "an edit of the MIB without the C edit is noticed"
else
	tap_not_ok "an edit of the MIB without the C edit is noticed"
fi

tap_exit
