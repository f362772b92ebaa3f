#!/bin/sh
# Hostile strings (quotes, backslashes, SQL, control characters, 4-byte UTF-8, long text) round-trip verbatim through events.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sql/sql-test-lib.sh"

# to_hex FILE: the file's bytes as upper-case hex, what HEX() returns.
to_hex() {
	od -An -v -tx1 "$1" | tr -d ' \n' | tr 'a-f' 'A-F'
}

# sql_literal FILE: the file's text as an SQL string literal (backslash escapes on).
sql_literal() {
	printf "'"
	sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$1" | awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'
	printf "'"
}

tap_plan 27
sql_test_start
work=$(mktemp -d "${TMPDIR:-/tmp}/chopin-hostile.XXXXXX") || tap_bail "mktemp failed"
trap 'rm -rf "$work"; chopin_db_stop' EXIT
tap_run "schema loads" sql_test_load_schema chopin || tap_bail "no schema"

# The cases, one file each; no trailing newline unless it is part of the case.
printf '%s' "O'Brien said \"it's fine\"; \`rm -rf\` ''quoted''" >"$work/quotes"
printf '%s' 'C:\Windows\System32\drivers\ \\server\share\ \0 \n \t \Z \% \_ trailing\' >"$work/backslashes"
printf '%s' "x'); DROP TABLE events; -- \" OR 1=1; /* */ UNION SELECT password FROM mysql.user#" >"$work/sql"
printf 'tab\there\r\nCRLF\nLF\001\002\033[31mred\033[0m\177 bell\007 end' >"$work/control"
printf '%s' '💾 disk 🔥 fire 𝄞 clef — Ünïcödé ‮RTL‬ 漢字 e' >"$work/emoji"
printf 'e\314\201 combining, \357\273\277BOM, \342\200\213zero-width' >"$work/combining"
awk 'BEGIN { for (i = 0; i < 2048; i++) printf "%c", 97 + i % 26 }' >"$work/long2048"
awk 'BEGIN { for (i = 0; i < 2048; i++) printf "\360\237\222\276" }' >"$work/emoji2048"
printf 'nul\000inside' >"$work/nul"

host_id=1
chopin_sql chopin -e "INSERT INTO hosts (host_id, name, first_seen)
	VALUES (1, 'RAIDSRV01', UTC_TIMESTAMP(6))" || tap_bail "cannot insert host"

n=0
for case in quotes backslashes sql control emoji combining long2048 emoji2048; do
	n=$((n + 1))
	# Literal path: the escaped text inside the SQL, as a client would send it.
	# source is VARCHAR(255): the long cases use it only for the short ones.
	case $case in
	long*|emoji2048) source_file=$work/quotes ;;
	*) source_file=$work/$case ;;
	esac
	{
		printf 'INSERT INTO events (id, host_id, event_time, received_at, log_name, source, event_id, message) VALUES '
		printf "(%d, %d, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 'System', %s, 1, %s);\n" \
			"$n" "$host_id" "$(sql_literal "$source_file")" "$(sql_literal "$work/$case")"
	} >"$work/$case.sql"
	if ! chopin_sql chopin <"$work/$case.sql" >"$work/$case.err" 2>&1; then
		tap_fail "$case: inserted as an escaped literal" "$(grep '^ERROR' "$work/$case.err")"
		tap_fail "$case: read back byte for byte"
		continue
	fi
	tap_pass "$case: inserted as an escaped literal"
	got=$(chopin_sql -N -B chopin -e "SELECT HEX(message) FROM events WHERE id = $n")
	want=$(to_hex "$work/$case")
	if [ "$got" = "$want" ] &&
		[ "$(chopin_sql -N -B chopin -e "SELECT HEX(source) FROM events WHERE id = $n")" = "$(to_hex "$source_file")" ]; then
		tap_pass "$case: read back byte for byte (message and source)"
	else
		tap_fail "$case: read back byte for byte (message and source)" "want $want" " got $got"
	fi
done

# Character counts: 2048 characters, whatever their width.
tap_is "$(chopin_sql -N -B chopin -e "SELECT CHAR_LENGTH(message), LENGTH(message) FROM events WHERE id = 7" | tr '\t' ' ')" \
	"2048 2048" "2048 ASCII characters stored whole"
tap_is "$(chopin_sql -N -B chopin -e "SELECT CHAR_LENGTH(message), LENGTH(message) FROM events WHERE id = 8" | tr '\t' ' ')" \
	"2048 8192" "2048 four-byte emoji stored whole (utf8mb4, not utf8mb3)"

# Strict mode: an over-long value is an error, never silently truncated.
long_source=$(awk 'BEGIN { for (i = 0; i < 256; i++) printf "s" }')
tap_run_fails "a 256-character source (VARCHAR(255)) is refused, not truncated" chopin_sql chopin -e \
	"INSERT INTO events (host_id, event_time, received_at, log_name, source, event_id, message)
	 VALUES (1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 'System', '$long_source', 1, 'm')"
tap_like "$TAP_OUTPUT" 'Data too long' "the refusal says the data is too long"

# Raw client output of the emoji case equals the input (plus the row's newline).
chopin_sql -N -B --raw chopin -e "SELECT message FROM events WHERE id = 5" >"$work/emoji.out"
printf '\n' >>"$work/emoji"
tap_files_equal "$work/emoji.out" "$work/emoji" "emoji text read back through the client verbatim"

# A NUL byte cannot live in a shell string: send it hex-encoded.
if chopin_sql chopin -e "INSERT INTO events (id, host_id, event_time, received_at, log_name, source, event_id, message)
	VALUES (20, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 'System', 'x', 1,
	CONVERT(UNHEX('$(to_hex "$work/nul")') USING utf8mb4))" 2>"$work/nul.err"; then
	tap_is "$(chopin_sql -N -B chopin -e "SELECT HEX(message) FROM events WHERE id = 20")" \
		"$(to_hex "$work/nul")" "a NUL byte inside a message round-trips"
else
	tap_fail "a NUL byte inside a message round-trips" "$(cat "$work/nul.err")"
fi

# Exact matching where it matters: host names are case-insensitive, serials are not.
tap_run_fails "host names are unique case-insensitively" chopin_sql chopin -e \
	"INSERT INTO hosts (name, first_seen) VALUES ('raidsrv01', UTC_TIMESTAMP(6))"
tap_run "serials differing only in case are different devices" chopin_sql chopin -e \
	"INSERT INTO devices (host_id, kind, address, serial, first_seen, last_seen) VALUES
	 (1, 'pd', 'c0/e252/s0', 'S4B1abc', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
	 (1, 'pd', 'c0/e252/s1', 'S4B1ABC', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
tap_is "$(chopin_sql -N -B chopin -e "SELECT COUNT(*) FROM devices WHERE serial = 'S4B1abc'")" 1 \
	"serial lookups are exact (utf8mb4_bin)"
tap_is "$(chopin_sql -N -B chopin -e "SELECT COUNT(*) FROM events WHERE source = 'x' OR id <= 8")" 9 \
	"no stray rows: 8 literal cases and the NUL case"
tap_done
