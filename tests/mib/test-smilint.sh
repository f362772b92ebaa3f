#!/bin/sh
# test-smilint.sh: CHOPIN-MIB passes smilint -l 4 without a single finding.
. "${top_srcdir:?top_srcdir is not set: run this test through make check}/tests/mib/mib-test-lib.sh"

require_program smilint "$SMILINT" smitools
require_base_mibs
SMIPATH=$top_srcdir/mib:$base_mibdir
export SMIPATH

echo "1..2"

# -c /dev/null: ignore /etc/smi.conf, which may hide findings.
if "$SMILINT" -c /dev/null -l 4 -s -m "$mib_file" >"$work_dir/lint" 2>&1 &&
	! test -s "$work_dir/lint"; then
	tap_ok "smilint -l 4 prints nothing"
else
	tap_not_ok "smilint -l 4 prints nothing"
	tap_diag <"$work_dir/lint"
fi

# The same run on a copy with a broken IMPORTS clause must complain:
# proves the setup above would see findings at all.
sed 's/Integer32, Unsigned32, enterprises/enterprises/' "$mib_file" >"$work_dir/CHOPIN-MIB.txt"
"$SMILINT" -c /dev/null -l 4 -s -m "$work_dir/CHOPIN-MIB.txt" >"$work_dir/lint-broken" 2>&1
if grep -q 'Unsigned32' "$work_dir/lint-broken"; then
	tap_ok "smilint -l 4 reports a missing import in a broken copy"
else
	tap_not_ok "smilint -l 4 reports a missing import in a broken copy"
	tap_diag <"$work_dir/lint-broken"
fi

# Levels 5 and 6 are advisory; the MIB explains any findings there.
"$SMILINT" -c /dev/null -l 6 -s -m "$mib_file" >"$work_dir/lint6" 2>&1
if test -s "$work_dir/lint6"; then
	echo "# smilint -l 6 findings (advisory):"
	tap_diag <"$work_dir/lint6"
fi

tap_exit
