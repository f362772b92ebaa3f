#!/bin/sh
# Runs the MySQL helper's integration tests (tests/db/test-mysql) against a private MariaDB.
set -u
. "$top_srcdir/tests/harness/mariadb.sh"
if ! chopin_db_start; then
	echo "Bail out! the private MariaDB did not start"
	exit 1
fi
"$top_builddir/tests/db/test-mysql"
