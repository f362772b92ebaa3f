# mib-test-lib.sh: shared setup and TAP helpers for the tests/mib/test-*.sh scripts.
# Sourced, not run. Needs top_srcdir and top_builddir (exported by make check).

: "${top_srcdir:?top_srcdir is not set: run this test through make check}"
: "${top_builddir:?top_builddir is not set: run this test through make check}"

mib_file=$top_srcdir/mib/CHOPIN-MIB.txt
mib_dump=$top_builddir/tests/mib/mib-dump

# The IETF base modules (SNMPv2-SMI, SNMPv2-TC, ...): Debian's net-snmp
# ships none, erlang-snmp does. CHOPIN_BASE_MIBDIR overrides the search.
base_mibdir=${CHOPIN_BASE_MIBDIR:-}
if test -z "$base_mibdir"; then
	for dir in /usr/lib/erlang/lib/snmp-*/mibs /usr/share/snmp/mibs; do
		if test -f "$dir/SNMPv2-SMI.mib" || test -f "$dir/SNMPv2-SMI.txt"; then
			base_mibdir=$dir
		fi
	done
fi

tap_count=0
tap_failures=0

tap_ok() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $*"
}

tap_not_ok() {
	tap_count=$((tap_count + 1))
	tap_failures=$((tap_failures + 1))
	echo "not ok $tap_count - $*"
}

# tap_diag < file: copies its input as TAP diagnostics.
tap_diag() {
	sed 's/^/# /'
}

# tap_bail MESSAGE: stops the test; the harness counts it as an error.
tap_bail() {
	echo "Bail out! $*"
	exit 1
}

tap_exit() {
	test "$tap_failures" -eq 0
	exit $?
}

# require_program NAME PATH: bails out unless PATH is an executable.
require_program() {
	if test -z "$2" || ! test -x "$2"; then
		tap_bail "$1 not found (configure looks for it on PATH; Debian: $3)"
	fi
}

require_base_mibs() {
	if test -z "$base_mibdir"; then
		tap_bail "IETF base MIBs not found (Debian: erlang-snmp; or set CHOPIN_BASE_MIBDIR)"
	fi
	if ! test -r "$mib_file"; then
		tap_bail "$mib_file is not readable"
	fi
}

# A private scratch directory; the source tree may be read-only (distcheck).
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/chopin-mib-test.XXXXXX") ||
	tap_bail "cannot create a temporary directory"
trap 'rm -rf "$work_dir"' EXIT

# Keep net-snmp away from the user's and the system's snmp.conf and from
# /var/lib/snmp, so the tests see only the modules named here.
mkdir "$work_dir/snmpconf" "$work_dir/persist"
SNMPCONFPATH=$work_dir/snmpconf
SNMP_PERSISTENT_DIR=$work_dir/persist
export SNMPCONFPATH SNMP_PERSISTENT_DIR
