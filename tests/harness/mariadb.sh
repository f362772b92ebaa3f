#!/bin/sh
# Private throw-away MariaDB server for integration tests: source it, or run it as a command.
#
# Sourced (the usual way, from a test script):
#     . "$top_srcdir/tests/harness/mariadb.sh"
#     chopin_db_start              # server in a fresh temp dir; torn down on exit
#     chopin_sql -e 'SELECT 1'     # the client as root over the socket
#     chopin_sql_as USER PASSWORD [client args...]
#     chopin_db_crash_restart [S]  # SIGKILL, S seconds down, start again on the same data
#     chopin_db_stop               # optional: the EXIT trap does it
#   After chopin_db_start: CHOPIN_TEST_DIR, CHOPIN_TEST_SOCKET, CHOPIN_TEST_PID
#   are set and exported.  chopin_db_start installs an EXIT trap (and turns
#   INT/TERM/HUP into exit); a test needing its own EXIT trap must call
#   chopin_db_stop from it.  On failure it prints a message and the error
#   log tail to stderr and returns 1.
#
# As a command (for humans and other harnesses):
#     tests/harness/mariadb.sh start DIR   # prints sh lines: eval "$(... start DIR)"
#     tests/harness/mariadb.sh sql DIR [client args...]
#     tests/harness/mariadb.sh stop DIR    # stops the server, removes DIR
#
# Environment (set by the automake harness, defaults for manual use):
#   MARIADBD, MARIADB_INSTALL_DB, MYSQL_CLIENT  programs (PATH lookup if unset)
#   top_builddir              where the template datadir is cached (default .)
#   CHOPIN_TEST_TEMPLATE      override the template directory
#   CHOPIN_TEST_START_TIMEOUT seconds to wait for the server (default 30)
#   TMPDIR                    where per-test directories go (default /tmp)
#   CHOPIN_TEST_GRACEFUL_STOP=1  SIGTERM and wait for a clean shutdown
#                             (default: SIGKILL, the datadir is discarded)
#
# The template datadir (mariadb-install-db run once) lives in
# $top_builddir/tests/.mariadb-template; one test builds it under a lock
# (.mariadb-template.lock) in a temporary directory and renames it into
# place, so parallel tests never see half of one.  Needs GNU mv (-T).

chopin_db_log() {
	printf 'mariadb harness: %s\n' "$*" >&2
}

# chopin_db_find_tools: fill MARIADBD, MARIADB_INSTALL_DB, MYSQL_CLIENT; 1 if one is missing.
chopin_db_find_tools() {
	if [ -z "${MARIADBD:-}" ]; then
		MARIADBD=$(PATH=$PATH:/usr/sbin:/usr/libexec command -v mariadbd || command -v mysqld || :)
	fi
	if [ -z "${MARIADB_INSTALL_DB:-}" ]; then
		MARIADB_INSTALL_DB=$(PATH=$PATH:/usr/sbin command -v mariadb-install-db || :)
	fi
	if [ -z "${MYSQL_CLIENT:-}" ]; then
		MYSQL_CLIENT=$(command -v mariadb || command -v mysql || :)
	fi
	for chopin_db_tool in "MARIADBD=$MARIADBD" "MARIADB_INSTALL_DB=$MARIADB_INSTALL_DB" \
		"MYSQL_CLIENT=$MYSQL_CLIENT"; do
		chopin_db_path=${chopin_db_tool#*=}
		if [ -z "$chopin_db_path" ] || [ ! -x "$chopin_db_path" ]; then
			chopin_db_log "${chopin_db_tool%%=*} not found or not executable ('$chopin_db_path');" \
				"install mariadb-server and mariadb-client and re-run configure"
			return 1
		fi
	done
	export MARIADBD MARIADB_INSTALL_DB MYSQL_CLIENT
}

# Server options shared by the template bootstrap and every test server:
# small, fast, not durable, UTC, and MySQL 8's default sql_mode so the
# schema is exercised under the stricter of the two engines' defaults.
chopin_db_server_options='--innodb-buffer-pool-size=32M --innodb-log-file-size=8M --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --skip-name-resolve'

# chopin_db_template: print the template directory, creating it if needed.
# One bootstrap at a time (a mkdir lock); the result is published by an
# atomic rename, so a directory named like the template is always complete.
chopin_db_template() {
	chopin_db_tpl=${CHOPIN_TEST_TEMPLATE:-${top_builddir:-.}/tests/.mariadb-template}
	if [ -f "$chopin_db_tpl/complete" ]; then
		printf '%s\n' "$chopin_db_tpl"
		return 0
	fi
	mkdir -p "$(dirname "$chopin_db_tpl")" || return 1
	chopin_db_tries=$((${CHOPIN_TEST_START_TIMEOUT:-30} * 40))
	while ! mkdir "$chopin_db_tpl.lock" 2>/dev/null; do
		if [ -f "$chopin_db_tpl/complete" ]; then
			printf '%s\n' "$chopin_db_tpl"
			return 0
		fi
		chopin_db_tries=$((chopin_db_tries - 1))
		if [ "$chopin_db_tries" -le 0 ]; then
			chopin_db_log "another test has held $chopin_db_tpl.lock for too long;" \
				"if no test is running, remove that directory"
			return 1
		fi
		sleep 0.1
	done
	if [ -f "$chopin_db_tpl/complete" ]; then
		rmdir "$chopin_db_tpl.lock"
		printf '%s\n' "$chopin_db_tpl"
		return 0
	fi
	chopin_db_tmp=$(mktemp -d "$chopin_db_tpl.tmp.XXXXXX") || { rmdir "$chopin_db_tpl.lock"; return 1; }
	# A private --tmpdir: bootstraps sharing /tmp can collide on temporary table names.
	mkdir "$chopin_db_tmp/tmp"
	# shellcheck disable=SC2086 # option list is split on purpose
	if ! "$MARIADB_INSTALL_DB" --no-defaults --datadir="$chopin_db_tmp/data" \
		--tmpdir="$chopin_db_tmp/tmp" \
		--auth-root-authentication-method=normal --skip-test-db \
		--user="$(id -un)" $chopin_db_server_options \
		>"$chopin_db_tmp/install.log" 2>&1; then
		chopin_db_log "mariadb-install-db failed; last lines of its output:"
		tail -n 30 "$chopin_db_tmp/install.log" >&2
		rm -rf "$chopin_db_tmp"
		rmdir "$chopin_db_tpl.lock"
		return 1
	fi
	rm -rf "$chopin_db_tmp/tmp"
	"$MARIADBD" --version >"$chopin_db_tmp/complete"
	if ! mv -T "$chopin_db_tmp" "$chopin_db_tpl"; then
		chopin_db_log "cannot publish template datadir $chopin_db_tpl"
		rm -rf "$chopin_db_tmp"
		rmdir "$chopin_db_tpl.lock"
		return 1
	fi
	rmdir "$chopin_db_tpl.lock"
	printf '%s\n' "$chopin_db_tpl"
}

# chopin_db_start_in DIR: start a server whose files all live in DIR.
chopin_db_start_in() {
	chopin_db_dir=$1
	chopin_db_find_tools || return 1
	chopin_db_tpl=$(chopin_db_template) || return 1
	mkdir -p "$chopin_db_dir" || return 1
	cp -R "$chopin_db_tpl/data" "$chopin_db_dir/data" || return 1
	mkdir -p "$chopin_db_dir/tmp" || return 1
	chopin_db_launch "$chopin_db_dir"
}

# chopin_db_launch DIR: start mariadbd on the datadir already in DIR and wait for it.
chopin_db_launch() {
	chopin_db_dir=$1
	# shellcheck disable=SC2086
	"$MARIADBD" --no-defaults --datadir="$chopin_db_dir/data" \
		--socket="$chopin_db_dir/sock" --skip-networking \
		--pid-file="$chopin_db_dir/mariadbd.pid" --log-error="$chopin_db_dir/error.log" \
		--tmpdir="$chopin_db_dir/tmp" --user="$(id -un)" \
		--default-time-zone=+00:00 \
		--sql-mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION \
		$chopin_db_server_options ${CHOPIN_DB_SERVER_EXTRA_OPTIONS:-} \
		</dev/null >>"$chopin_db_dir/error.log" 2>&1 &
	CHOPIN_TEST_PID=$!
	CHOPIN_TEST_DIR=$chopin_db_dir
	CHOPIN_TEST_SOCKET=$chopin_db_dir/sock
	export CHOPIN_TEST_PID CHOPIN_TEST_DIR CHOPIN_TEST_SOCKET
	printf '%s\n' "$CHOPIN_TEST_PID" >"$chopin_db_dir/harness.pid"
	chopin_db_tries=$((${CHOPIN_TEST_START_TIMEOUT:-30} * 10))
	while ! chopin_sql -e 'SELECT 1' >/dev/null 2>&1; do
		if ! kill -0 "$CHOPIN_TEST_PID" 2>/dev/null; then
			chopin_db_log "mariadbd exited during startup; last lines of $chopin_db_dir/error.log:"
			tail -n 30 "$chopin_db_dir/error.log" >&2
			return 1
		fi
		chopin_db_tries=$((chopin_db_tries - 1))
		if [ "$chopin_db_tries" -le 0 ]; then
			chopin_db_log "mariadbd did not answer within ${CHOPIN_TEST_START_TIMEOUT:-30} s;" \
				"last lines of $chopin_db_dir/error.log:"
			tail -n 30 "$chopin_db_dir/error.log" >&2
			kill -KILL "$CHOPIN_TEST_PID" 2>/dev/null || :
			return 1
		fi
		sleep 0.1
	done
}

# chopin_db_stop_pid PID: stop that server (only that pid, not a child of
# this shell: the "stop" command) and wait until it is gone.
# Its datadir is thrown away next, so the default is SIGKILL (a clean
# shutdown costs over a second per test); CHOPIN_TEST_GRACEFUL_STOP=1 sends
# TERM first and waits up to 30 s.
chopin_db_stop_pid() {
	if [ "${CHOPIN_TEST_GRACEFUL_STOP:-0}" = 1 ]; then
		kill -TERM "$1" 2>/dev/null || return 0
	else
		kill -KILL "$1" 2>/dev/null || return 0
	fi
	chopin_db_tries=300
	while kill -0 "$1" 2>/dev/null && [ "$chopin_db_tries" -gt 0 ]; do
		sleep 0.1
		chopin_db_tries=$((chopin_db_tries - 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		chopin_db_log "mariadbd $1 still running after 30 s; sending SIGKILL"
		kill -KILL "$1" 2>/dev/null || :
	fi
	return 0
}

# chopin_db_crash_restart [SECONDS]: kill the server with SIGKILL (a crash),
# wait SECONDS (default 0) while it is down, and start it again on the same
# data.  Transactions it acknowledged may be lost if the server options do not
# sync every commit, as in any crash.
chopin_db_crash_restart() {
	kill -KILL "$CHOPIN_TEST_PID" 2>/dev/null || :
	wait "$CHOPIN_TEST_PID" 2>/dev/null || :
	sleep "${1:-0}"
	chopin_db_launch "$CHOPIN_TEST_DIR"
}

# chopin_db_start: start a private server in a new temp dir, torn down at exit.
chopin_db_start() {
	chopin_db_owned_dir=$(mktemp -d "${TMPDIR:-/tmp}/chopin-mariadb.XXXXXX") || return 1
	trap 'chopin_db_stop' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	chopin_db_start_in "$chopin_db_owned_dir"
}

# chopin_db_stop: stop the server started by chopin_db_start and remove its dir.
chopin_db_stop() {
	if [ -n "${CHOPIN_TEST_PID:-}" ]; then
		# Our own child: signal it, then wait(2) reaps it (polling with
		# kill -0 would see the zombie).
		if [ "${CHOPIN_TEST_GRACEFUL_STOP:-0}" = 1 ]; then
			kill -TERM "$CHOPIN_TEST_PID" 2>/dev/null || :
		else
			kill -KILL "$CHOPIN_TEST_PID" 2>/dev/null || :
		fi
		wait "$CHOPIN_TEST_PID" 2>/dev/null || :
		CHOPIN_TEST_PID=
	fi
	if [ -n "${chopin_db_owned_dir:-}" ]; then
		rm -rf "$chopin_db_owned_dir"
		chopin_db_owned_dir=
	fi
}

# chopin_sql [CLIENT ARGS...]: run the client as root over the test socket.
chopin_sql() {
	"$MYSQL_CLIENT" --no-defaults --socket="$CHOPIN_TEST_SOCKET" --user=root \
		--default-character-set=utf8mb4 "$@"
}

# chopin_sql_as USER PASSWORD [CLIENT ARGS...]: run the client as another account.
chopin_sql_as() {
	chopin_sql_user=$1
	chopin_sql_password=$2
	shift 2
	MYSQL_PWD=$chopin_sql_password "$MYSQL_CLIENT" --no-defaults \
		--socket="$CHOPIN_TEST_SOCKET" --user="$chopin_sql_user" \
		--default-character-set=utf8mb4 "$@"
}

chopin_db_main() {
	chopin_db_cmd=${1:-}
	chopin_db_arg=${2:-}
	if [ -z "$chopin_db_arg" ]; then
		echo "usage: mariadb.sh start DIR | sql DIR [client args...] | stop DIR" >&2
		exit 2
	fi
	case $chopin_db_cmd in
	start)
		if [ -e "$chopin_db_arg" ] && [ -n "$(ls -A "$chopin_db_arg")" ]; then
			chopin_db_log "$chopin_db_arg exists and is not empty"
			exit 1
		fi
		mkdir -p "$chopin_db_arg" || exit 1
		chopin_db_arg=$(cd "$chopin_db_arg" && pwd)
		if ! chopin_db_start_in "$chopin_db_arg"; then
			kill -KILL "$CHOPIN_TEST_PID" 2>/dev/null
			exit 1
		fi
		printf "CHOPIN_TEST_DIR='%s'; export CHOPIN_TEST_DIR\n" "$CHOPIN_TEST_DIR"
		printf "CHOPIN_TEST_SOCKET='%s'; export CHOPIN_TEST_SOCKET\n" "$CHOPIN_TEST_SOCKET"
		printf "CHOPIN_TEST_PID=%s; export CHOPIN_TEST_PID\n" "$CHOPIN_TEST_PID"
		;;
	sql)
		chopin_db_find_tools || exit 1
		CHOPIN_TEST_SOCKET=$chopin_db_arg/sock
		shift 2
		chopin_sql "$@"
		;;
	stop)
		if [ ! -f "$chopin_db_arg/harness.pid" ]; then
			chopin_db_log "no harness.pid in $chopin_db_arg: not a harness directory"
			exit 1
		fi
		chopin_db_stop_pid "$(cat "$chopin_db_arg/harness.pid")"
		rm -rf "$chopin_db_arg/data" "$chopin_db_arg/tmp" "$chopin_db_arg/sock" \
			"$chopin_db_arg/error.log" "$chopin_db_arg/mariadbd.pid" "$chopin_db_arg/harness.pid"
		rmdir "$chopin_db_arg" 2>/dev/null || :
		;;
	*)
		echo "usage: mariadb.sh start DIR | sql DIR [client args...] | stop DIR" >&2
		exit 2
		;;
	esac
}

# Run as a command only when executed, not when sourced by a test.
case ${0##*/} in
mariadb.sh) chopin_db_main "$@" ;;
esac
