#!/bin/sh
# schema.sql equals the migration chain 0001..N, and chopin-db-setup upgrades, refuses and reports correctly.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

# structure DB: everything that makes up a schema, with the database name removed.
structure() {
	chopin_sql -N -B -e "
	SELECT 'table', table_name, table_type, engine, table_collation, table_comment
	  FROM information_schema.tables WHERE table_schema = '$1';
	SELECT 'column', table_name, column_name, ordinal_position, column_type, is_nullable,
	       column_default, collation_name, extra, generation_expression, column_comment
	  FROM information_schema.columns WHERE table_schema = '$1';
	SELECT 'index', table_name, index_name, non_unique, seq_in_index, column_name, sub_part, index_type
	  FROM information_schema.statistics WHERE table_schema = '$1';
	SELECT 'fk', r.table_name, r.constraint_name, r.referenced_table_name, r.update_rule, r.delete_rule,
	       k.column_name, k.referenced_column_name, k.ordinal_position
	  FROM information_schema.referential_constraints r
	  JOIN information_schema.key_column_usage k
	    ON k.constraint_schema = r.constraint_schema AND k.constraint_name = r.constraint_name
	   AND k.table_name = r.table_name
	 WHERE r.constraint_schema = '$1';
	SELECT 'view', table_name, REPLACE(view_definition, '\`$1\`.', ''), security_type, check_option
	  FROM information_schema.views WHERE table_schema = '$1';
	SELECT 'seed', product, os_pattern, mainstream_end, extended_end FROM \`$1\`.os_lifecycle;
	SELECT 'version', version, description FROM \`$1\`.schema_version;" | LC_ALL=C sort
}

# apply_chain DB: create DB and apply every migration in order.
apply_chain() {
	chopin_sql -e "CREATE DATABASE \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" || return 1
	for apply_file in "$SQL_DIR"/migrations/[0-9][0-9][0-9][0-9]_*.sql; do
		chopin_sql "$1" <"$apply_file" || { echo "failed: $apply_file"; return 1; }
	done
}

tap_plan 16
sql_test_require_setup
work=$(mktemp -d "${TMPDIR:-/tmp}/chopin-migrations.XXXXXX") || tap_bail "mktemp failed"

# --- the files themselves ---------------------------------------------------
marker=$(sql_test_schema_marker)
files=$(cd "$SQL_DIR/migrations" && ls [0-9]*.sql 2>/dev/null | LC_ALL=C sort)
bad_names=$(printf '%s\n' "$files" | grep -Ev '^[0-9]{4}_[a-z0-9_]+\.sql$' || :)
tap_is "$bad_names" "" "migration files are named NNNN_description.sql"
expected_numbers=$(i=1; while [ "$i" -le "${marker:-0}" ]; do printf '%04d\n' "$i"; i=$((i + 1)); done)
tap_is "$(printf '%s\n' "$files" | cut -c1-4)" "$expected_numbers" \
	"migrations are numbered 0001..$marker, contiguous, matching schema.sql's version"
unrecorded=
for f in $files; do
	n=$(expr "${f%%_*}" + 0)
	if ! grep -A 2 'INSERT INTO schema_version' "$SQL_DIR/migrations/$f" | grep -Eq "\\($n,"; then
		unrecorded="$unrecorded $f"
	fi
done
tap_is "$unrecorded" "" "every migration records its own version in schema_version"

# --- schema.sql == chain ---------------------------------------------------
sql_test_start
trap 'rm -rf "$work"; chopin_db_stop' EXIT
tap_run "schema.sql loads" sql_test_load_schema from_schema || tap_bail "schema.sql does not load"
tap_run "the migration chain applies to an empty database" apply_chain from_chain
structure from_schema >"$work/from_schema.txt"
structure from_chain >"$work/from_chain.txt"
tap_like "$(wc -l <"$work/from_schema.txt")" '^ *[1-9][0-9][0-9]' "the structure dump is not trivially empty"
tap_files_equal "$work/from_chain.txt" "$work/from_schema.txt" \
	"schema.sql and the migration chain give the same tables, indexes, keys, views and seeds"

# --- chopin-db-setup upgrade paths, on a copy of sql/ with a synthetic migration ---
CHOPIN_WRITER_PASSWORD=w CHOPIN_READER_PASSWORD=r
export CHOPIN_WRITER_PASSWORD CHOPIN_READER_PASSWORD
cp -R "$SQL_DIR" "$work/sql"
chmod -R u+w "$work/sql"
next=$((marker + 1))
next_file=$(printf '%s/sql/migrations/%04d_test_add_column.sql' "$work" "$next")
printf 'ALTER TABLE hosts ADD COLUMN test_column INT NULL;\nINSERT INTO schema_version (version, applied_at, description)\nVALUES (%d, UTC_TIMESTAMP(6), %s);\n' \
	"$next" "'test upgrade'" >"$next_file"
sed -i "s/chopin-schema-version: $marker\$/chopin-schema-version: $next/" "$work/sql/schema.sql"

tap_run "chopin-db-setup loads version $marker" sql_test_setup --database=upgrade_me
tap_run "chopin-db-setup applies the pending migration" sql_test_setup --database=upgrade_me --sql-dir="$work/sql"
tap_like "$TAP_OUTPUT" "applied migration $(printf '%04d' "$next")_test_add_column.sql" "it names the migration it applied"
tap_is "$(chopin_sql -N -B upgrade_me -e "SELECT MAX(version) FROM schema_version;
	SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'upgrade_me' AND column_name = 'test_column'" | tr '\n' ' ')" \
	"$next 1 " "the database is at version $next with the new column"
tap_run "a second run has nothing to apply" sql_test_setup --database=upgrade_me --sql-dir="$work/sql"
tap_unlike "$TAP_OUTPUT" 'applied migration' "... and applies nothing"

sed -i "s/chopin-schema-version: $next\$/chopin-schema-version: $((next + 1))/" "$work/sql/schema.sql"
tap_run_fails "a missing migration is an error" sql_test_setup --database=upgrade_me --sql-dir="$work/sql"
printf 'SELECT 1;\n' >"$(printf '%s/sql/migrations/%04d_forgets_version.sql' "$work" "$((next + 1))")"
tap_run_fails "a migration that does not record its version is an error" \
	sql_test_setup --database=upgrade_me --sql-dir="$work/sql"
chopin_sql upgrade_me -e "INSERT INTO schema_version VALUES (99, UTC_TIMESTAMP(6), 'from the future')"
tap_run_fails "a database newer than the package is refused" sql_test_setup --database=upgrade_me
tap_done
