#!/bin/sh
# MySQL 8 compatibility lint of the schema, migrations and reports (MySQL 8 itself is not run here).
#
# Two layers: a grep for MariaDB-only syntax in the SQL text, and checks on
# the schema as MariaDB loaded it (identifiers that MySQL 8 reserves,
# collations MySQL lacks, indexes MariaDB silently turned into HASH).
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

# ERE|what it is.  Matched case-insensitively against the SQL without comments.
MARIADB_ONLY='CREATE[[:space:]]+OR[[:space:]]+REPLACE[[:space:]]+(TABLE|INDEX|USER|DATABASE|TRIGGER|PROCEDURE|FUNCTION|EVENT)|CREATE OR REPLACE on objects other than views
(CREATE|DROP|ALTER)[[:space:]]+SEQUENCE|NEXTVAL|NEXT[[:space:]]+VALUE[[:space:]]+FOR|LASTVAL|sequences
(^|[^A-Za-z0-9_])(INET4|INET6)([^A-Za-z0-9_]|$)|INET4/INET6 types
[[:space:]]UUID([[:space:]]|,|\)|$)|UUID column type
(^|[^A-Za-z0-9_])RETURNING([^A-Za-z0-9_]|$)|RETURNING
(INDEX|KEY|COLUMN|CONSTRAINT|PARTITION)[[:space:]]+IF[[:space:]]+(NOT[[:space:]]+)?EXISTS|IF [NOT] EXISTS on indexes, columns, constraints
(^|[^A-Za-z0-9_])PERSISTENT([^A-Za-z0-9_]|$)|PERSISTENT generated columns (use STORED)
(^|[^A-Za-z0-9_])CHECK[[:space:]]*\(|CHECK constraints (enforced differently)
SYSTEM[[:space:]]+VERSIONING|PERIOD[[:space:]]+FOR|system-versioned / application-time tables
ENGINE[[:space:]]*=[[:space:]]*(Aria|MyISAM|ColumnStore|S3|Spider|Memory|CONNECT)|engines other than InnoDB
(^|[^A-Za-z0-9_])COMPRESSED([^A-Za-z0-9_]|$)|compressed columns
ROW_FORMAT[[:space:]]*=[[:space:]]*PAGE|Aria row format
utf8mb4_uca1400|uca1400_|MariaDB 11 collations
utf8mb4_0900|MySQL-only collations (would fail on MariaDB)
(^|[^A-Za-z0-9_])utf8([^A-Za-z0-9_]|$)|utf8 (an alias that differs between engines)
USING[[:space:]]+HASH|HASH indexes
WAIT[[:space:]]+[0-9]+|NOWAIT|WAIT/NOWAIT
(^|[^A-Za-z0-9_])(NVL|NVL2|DECODE_ORACLE|ADD_MONTHS|TO_CHAR|SYS_GUID|SFORMAT|NATURAL_SORT_KEY|MEDIAN|PERCENTILE_CONT|PERCENTILE_DISC|JSON_DETAILED|JSON_LOOSE|JSON_COMPACT)[[:space:]]*\(|MariaDB-only functions
(^|[^A-Za-z0-9_])ROWNUM([^A-Za-z0-9_]|$)|ROWNUM
(^|[^A-Za-z0-9_])(INVISIBLE)([^A-Za-z0-9_]|$)|INVISIBLE columns (different semantics)
DELETE[[:space:]]+HISTORY|DELETE HISTORY
(INSERT|REPLACE)[[:space:]]+.*[[:space:]]RETURNING|INSERT ... RETURNING
EXCEPT[[:space:]]+ALL|INTERSECT[[:space:]]+ALL|EXCEPT/INTERSECT ALL
(^|[^A-Za-z0-9_])(EXCEPT|INTERSECT)([^A-Za-z0-9_]|$)|EXCEPT/INTERSECT (MySQL 8.0.31 and later only)
(^|[^A-Za-z0-9_])CYCLE[[:space:]]+[A-Za-z_]|CYCLE ... RESTRICT in recursive CTEs
(\(|FROM|JOIN|,)[[:space:]]*VALUES[[:space:]]*\(|table value constructors (MySQL writes VALUES ROW(...))
LIMIT[[:space:]]+[0-9]+[[:space:]]+ROWS[[:space:]]+EXAMINED|LIMIT ROWS EXAMINED
LIMIT[[:space:]]+@|LIMIT with a user variable (only in prepared statements)
:=|assignment to user variables inside expressions (deprecated in MySQL 8)
(^|[^A-Za-z0-9_])(BEGIN[[:space:]]+NOT[[:space:]]+ATOMIC|SIGNAL|RESIGNAL)([^A-Za-z0-9_]|$)|anonymous blocks and SIGNAL outside stored programs'

# Words MySQL 8.0 reserves that MariaDB 10.11 accepts as bare identifiers.
MYSQL8_RESERVED='ARRAY CUBE CUME_DIST DENSE_RANK EMPTY EXCEPT FIRST_VALUE FUNCTION GROUPING
GROUPS INTERSECT JSON_TABLE LAG LAST_VALUE LATERAL LEAD MANUAL MEMBER NTH_VALUE NTILE OF OVER
PARALLEL PERCENT_RANK QUALIFY RANK RECURSIVE ROW ROWS ROW_NUMBER SYSTEM TABLESAMPLE WINDOW'

# strip_comments FILE: the SQL without -- comments, /* */ comments and string literals' contents.
strip_comments() {
	sed -e 's/--[[:space:]].*$//' -e 's/--$//' "$1" |
		awk 'BEGIN { c = 0 } {
			out = ""; s = $0
			while (length(s) > 0) {
				if (c) { i = index(s, "*/"); if (i == 0) { s = "" } else { s = substr(s, i + 2); c = 0 } }
				else { i = index(s, "/*"); if (i == 0) { out = out s; s = "" } else { out = out substr(s, 1, i - 1); s = substr(s, i + 2); c = 1 } }
			}
			print out }' |
		sed -e "s/'[^']*'/''/g"
}

files="$SQL_DIR/schema.sql"
for f in "$SQL_DIR"/migrations/*.sql "$SQL_DIR"/reports/*.sql; do
	[ -e "$f" ] && files="$files $f"
done
patterns=$(printf '%s\n' "$MARIADB_ONLY" | wc -l)

tap_plan $((patterns + 9))

work=$(mktemp -d "${TMPDIR:-/tmp}/chopin-lint.XXXXXX") || tap_bail "mktemp failed"
for f in $files; do
	strip_comments "$f" | sed "s|^|${f##*/}: |" >>"$work/all.sql"
done
old_ifs=$IFS
IFS='
'
for entry in $MARIADB_ONLY; do
	IFS=$old_ifs
	regex=${entry%|*}
	what=${entry##*|}
	hits=$(grep -Ein -- "$regex" "$work/all.sql" || :)
	tap_is "$hits" "" "no $what"
done
IFS=$old_ifs

# Names the reports give (column aliases, CTE names) must not be words MySQL 8 reserves;
# the loaded-schema checks below do not see them.
reserved_ere=$(printf '%s\n' $MYSQL8_RESERVED | paste -sd'|' -)
report_names=$(cat "$SQL_DIR"/reports/*.sql 2>/dev/null | sed -e 's/--.*$//' |
	grep -oiE "(^|[^A-Za-z0-9_])AS[[:space:]]+[A-Za-z_][A-Za-z0-9_]*|^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*(\\([A-Za-z0-9_, ]*\\))?[[:space:]]+AS[[:space:]]*\\(" |
	sed -E 's/^[^A-Za-z_]*//; s/^AS[[:space:]]+//I; s/[[:space:](].*//' | sort -u)
tap_isnt_empty=$(printf '%s\n' "$report_names" | grep -c . || :)
tap_like "$tap_isnt_empty" '^[1-9][0-9]+$' "the reports' aliases and CTE names are found ($tap_isnt_empty)"
tap_is "$(printf '%s\n' "$report_names" | grep -ixE "$reserved_ere" || :)" "" \
	"no report alias or CTE name is a MySQL 8 reserved word"

# The checks also catch themselves: a known MariaDB-only line must be found.
printf 'CREATE OR REPLACE TABLE t (a INET6, b INT AS (1) PERSISTENT);\n' >"$work/bad.sql"
tap_like "$(strip_comments "$work/bad.sql")" 'CREATE OR REPLACE TABLE' "the comment stripper keeps SQL"
tap_unlike "$(printf -- "-- CREATE SEQUENCE s;\n/* RETURNING */ SELECT 'NEXTVAL';\n" >"$work/c.sql"; strip_comments "$work/c.sql")" \
	'SEQUENCE|RETURNING|NEXTVAL' "the comment stripper drops comments and literals"

# --- on the loaded schema ---------------------------------------------------
sql_test_start
trap 'rm -rf "$work"; chopin_db_stop' EXIT
tap_run "schema loads" sql_test_load_schema chopin || tap_bail "no schema"
reserved_list=$(printf '%s\n' $MYSQL8_RESERVED | sed "s/.*/'&'/" | paste -sd, -)
tap_is "$(chopin_sql -N -B -e "SELECT CONCAT(table_name, '.', column_name) FROM information_schema.columns
	WHERE table_schema = 'chopin' AND UPPER(column_name) IN ($reserved_list)
	UNION ALL SELECT table_name FROM information_schema.tables
	WHERE table_schema = 'chopin' AND UPPER(table_name) IN ($reserved_list)")" "" \
	"no table, column or view column is a MySQL 8 reserved word"
tap_is "$(chopin_sql -N -B -e "SELECT DISTINCT collation_name FROM information_schema.columns
	WHERE table_schema = 'chopin' AND collation_name IS NOT NULL
	AND collation_name NOT IN ('utf8mb4_unicode_ci', 'utf8mb4_bin', 'ascii_bin')")" "" \
	"only collations MySQL 8 has (utf8mb4_unicode_ci, utf8mb4_bin, ascii_bin)"
tap_is "$(chopin_sql -N -B -e "SELECT DISTINCT CONCAT(table_name, '.', index_name, ' ', index_type)
	FROM information_schema.statistics WHERE table_schema = 'chopin' AND index_type <> 'BTREE'")" "" \
	"every index is a B-tree (MariaDB silently makes over-long unique keys HASH; MySQL refuses them)"
tap_is "$(chopin_sql -N -B -e "SELECT CONCAT(table_name, '.', column_name) FROM information_schema.columns
	WHERE table_schema = 'chopin' AND data_type IN ('inet4', 'inet6', 'uuid', 'xmltype')")" "" \
	"no MariaDB-only column types in the loaded schema"
tap_done
