/* chopin-correlator: follows the spool and turns records into MySQL state, exactly once. */
#include "config.h"

#include "correlator.h"

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chopin-config.h"
#include "chopin-daemon.h"
#include "chopin-log.h"
#include "chopin-settings.h"
#include "notify.h"

typedef struct {
	CorrelatorConfig config;
	ChopinConfig *file;
	GMainLoop *loop;
	ChopinDb *db;
	ChopinDb *writer; /* correlator.connections 2: the second connection (rows_set_writer()) */
	Alarms *alarms;
	Store *store;
	GPtrArray *managers; /* NotifyManagerConfig *, until notify_new() takes them */
	Notify *notify;      /* NULL: no SNMP managers */
	ChopinSpoolReader *reader;
	ChopinRecord *record;
	ChopinSpoolPosition committed;
	gint64 retry_ms;
	/* a record the database refused: skipped when the batch is applied again */
	gboolean have_poison;
	ChopinSpoolPosition poison;
	/* after a failure at commit: records applied one per transaction to find the culprit */
	guint single_steps;
	gint64 last_commit_us;
	guint pump_source;
	ChopinComplaint db_complaint;
} Correlator;

static void
usage(FILE *out)
{
	fprintf(out,
	        "Usage: chopin-correlator [OPTION]...\n"
	        "Follow the chopin-trapd spool and write hosts, events, updates and the\n"
	        "pipeline checkpoint to MySQL, exactly once.\n"
	        "\n"
	        "  -c, --config FILE   configuration file (default %s)\n"
	        "  -n, --check         check the configuration and exit\n"
	        "  -f, --foreground    stay in the foreground, log to stderr\n"
	        "  -v, --verbose       log more (repeat for debug)\n"
	        "  -h, --help          show this help and exit\n"
	        "  -V, --version       show the version and exit\n",
	        CHOPIN_SETTINGS_DEFAULT_FILE);
}

static gboolean
correlator_load_config(Correlator *self, const char *path)
{
	g_autoptr(ChopinConfigSchema) schema = chopin_settings_schema_new();
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;

	self->file = chopin_config_load_file(schema, path, &diagnostics, &error);
	for (guint i = 0; diagnostics != NULL && i < diagnostics->len; i++)
		fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(diagnostics, i));
	if (self->file == NULL) {
		if (error != NULL && error->domain == G_FILE_ERROR)
			fprintf(stderr, "%s: %s\n", path, error->message);
		return FALSE;
	}
	/* the configuration keeps a reference to the schema's tables: they are static */
	ChopinConfig *f = self->file;
	CorrelatorConfig *c = &self->config;
	c->name = g_strdup(chopin_config_get_string(f, "correlator.name"));
	c->spool_dir = g_strdup(chopin_config_get_string(f, "correlator.spool_dir"));
	c->rules_path = g_strdup(chopin_config_get_string(f, "correlator.rules"));
	c->command_file = g_strdup(chopin_config_get_string(f, "correlator.command_file"));
	c->batch_records = (guint)chopin_config_get_int(f, "correlator.batch_records");
	c->stream_rows = (guint)chopin_config_get_int(f, "correlator.stream_rows");
	c->connections = (guint)chopin_config_get_int(f, "correlator.connections");
	c->poll_ms = chopin_config_get_duration_ms(f, "correlator.poll_interval");
	c->heartbeat_ms = chopin_config_get_duration_ms(f, "correlator.heartbeat_interval");
	c->retry_max_ms = chopin_config_get_duration_ms(f, "correlator.retry_max");
	c->journal_ms = chopin_config_get_duration_ms(f, "correlator.journal_interval");
	c->db.host = chopin_config_get_string(f, "database.host");
	c->db.port = (unsigned)chopin_config_get_int(f, "database.port");
	c->db.socket = chopin_config_get_string(f, "database.socket");
	c->db.user = chopin_config_get_string(f, "database.user");
	c->db.password = chopin_config_get_string(f, "database.password");
	c->db.database = chopin_config_get_string(f, "database.name");
	c->db.option_file = chopin_config_get_string(f, "database.option_file");
	c->db.option_group = chopin_config_get_string(f, "database.option_group");
	c->db.connect_timeout_s =
	    (unsigned)(chopin_config_get_duration_ms(f, "database.connect_timeout") / 1000);
	c->db.read_timeout_s =
	    (unsigned)(chopin_config_get_duration_ms(f, "database.read_timeout") / 1000);
	c->db.write_timeout_s =
	    (unsigned)(chopin_config_get_duration_ms(f, "database.write_timeout") / 1000);
	/* the SNMP managers' cross-key rules and secret files (notify-config.c) */
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	self->managers = notify_config_load(f, problems);
	for (guint i = 0; i < problems->len; i++)
		fprintf(stderr, "%s\n", (const char *)problems->pdata[i]);
	return self->managers != NULL;
}

/*
 * One correlator per name: a second one on the same spool would apply every
 * record twice.  The lock belongs to the database session, so it is released
 * when the connection goes, and taken again on reconnect.
 */
static gboolean
correlator_lock(Correlator *self, GError **error)
{
	gboolean have_row;
	g_autofree char *name = g_strdup_printf("chopin-correlator/%s", self->config.name);
	ChopinDbValue params[] = {chopin_db_value_text(name)};
	ChopinDbStmt *stmt = chopin_db_prepare(self->db, "SELECT GET_LOCK(?, 0)", error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	gint64 got = chopin_db_stmt_column_int(stmt, 0, 0);
	chopin_db_stmt_reset(stmt);
	if (got != 1) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_QUERY,
		            "another chopin-correlator named '%s' is running against this "
		            "database; waiting for it to stop",
		            self->config.name);
		return FALSE;
	}
	return TRUE;
}

/* (Re)connects and reopens the spool at the committed position.  FALSE: try again later. */
static gboolean
correlator_connect(Correlator *self)
{
	g_autoptr(GError) error = NULL;
	char errbuf[512];

	if (self->db == NULL) {
		self->db = chopin_db_connect(&self->config.db, &error);
		if (self->db == NULL)
			goto fail;
		self->alarms =
		    alarms_new(self->db, self->config.name, self->config.rules_path, &error);
		if (self->alarms == NULL) {
			chopin_log(CHOPIN_LOG_ERROR, "%s", error->message);
			g_main_loop_quit(self->loop);
			return FALSE;
		}
		alarms_set_command_file(self->alarms, self->config.command_file);
		alarms_set_notify(self->alarms, self->notify);
		self->store = store_new(self->db, self->config.name, self->alarms);
		store_set_journal_interval(self->store, self->config.journal_ms * 1000);
		store_set_stream_rows(self->store, self->config.stream_rows);
	} else if (!chopin_db_is_connected(self->db) && !chopin_db_reconnect(self->db, &error)) {
		goto fail;
	}
	if (self->config.connections > 1 && self->writer == NULL) {
		self->writer = chopin_db_connect(&self->config.db, &error);
		if (self->writer == NULL)
			goto fail;
		store_set_writer(self->store, self->writer);
	}
	store_forget(self->store);
	if (!correlator_lock(self, &error))
		goto fail;
	if (!store_load_checkpoint(self->store, &self->committed, &error))
		goto fail;
	chopin_spool_reader_free(self->reader);
	self->reader = chopin_spool_reader_open(self->config.spool_dir, self->committed, errbuf,
	                                        sizeof errbuf);
	if (self->reader == NULL) {
		chopin_complain(&self->db_complaint, CHOPIN_LOG_WARNING, "spool: %s", errbuf);
		return FALSE;
	}
	chopin_complaint_release(
	    &self->db_complaint, CHOPIN_LOG_MESSAGE,
	    "database reachable, resuming at spool position %u:%" G_GUINT64_FORMAT,
	    self->committed.segment, self->committed.offset);
	notify_resume(self->notify, self->db);
	self->retry_ms = 0;
	return TRUE;
fail:
	chopin_complain(&self->db_complaint, CHOPIN_LOG_WARNING,
	                "%s; the spool keeps everything until it is back", error->message);
	return FALSE;
}

/*
 * Applies up to batch_records records in one transaction that also stores
 * the position after the last one.  Returns the number applied, or -1 when
 * the transaction failed (nothing of it is kept).
 */
static int
correlator_apply_batch(Correlator *self)
{
	g_autoptr(GError) error = NULL;
	char errbuf[512];
	ChopinSpoolPosition next = self->committed;
	guint n = 0;

	ChopinSpoolReadStatus status = CHOPIN_SPOOL_READ_END;
	for (;;) {
		if (n >= (self->single_steps > 0 ? 1 : self->config.batch_records) ||
		    (status = chopin_spool_reader_next(self->reader, self->record, &next, errbuf,
		                                       sizeof errbuf)) != CHOPIN_SPOOL_READ_RECORD)
			break;
		if (n == 0 && !store_begin(self->store, &error))
			goto fail;
		n++;
		if (self->have_poison && next.segment == self->poison.segment &&
		    next.offset == self->poison.offset) {
			self->have_poison = FALSE;
			store_count_rejected(self->store);
			chopin_log(
			    CHOPIN_LOG_WARNING,
			    "skipped the record ending at spool position %u:%" G_GUINT64_FORMAT
			    ": the database refused it",
			    next.segment, next.offset);
			continue;
		}
		if (!store_apply(self->store, self->record, &error)) {
			if (!g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION) &&
			    !g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_RETRY)) {
				if (store_streamed(self->store) && n > 1) {
					/* rows of earlier records were in flight: the error may be
					 * theirs; find the record one at a time */
					self->single_steps = n;
				} else {
					/* not transient: apply the batch again without this record */
					self->have_poison = TRUE;
					self->poison = next;
				}
			}
			goto fail;
		}
	}
	if (status == CHOPIN_SPOOL_READ_ERROR)
		chopin_log(CHOPIN_LOG_WARNING, "spool: %s", errbuf);
	if (n == 0)
		return 0;
	if (!store_commit(self->store, next, n, &error)) {
		if (!g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_CONNECTION) &&
		    !g_error_matches(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_RETRY)) {
			if (n == 1) {
				/* this record is the one the database refuses */
				self->have_poison = TRUE;
				self->poison = next;
			} else {
				self->single_steps = n;
			}
		}
		goto fail;
	}
	if (self->single_steps > 0)
		self->single_steps--;
	self->committed = next;
	alarms_after_commit(self->alarms);
	self->last_commit_us = g_get_monotonic_time();
	return (int)n;
fail:
	chopin_db_rollback(self->db);
	chopin_complain(
	    &self->db_complaint, CHOPIN_LOG_WARNING,
	    "transaction rolled back: %s; retrying from spool position %u:%" G_GUINT64_FORMAT,
	    error->message, self->committed.segment, self->committed.offset);
	/* start over from what is committed, with nothing cached */
	chopin_spool_reader_free(self->reader);
	self->reader = NULL;
	return -1;
}

static gboolean correlator_pump_cb(gpointer data);

static void
correlator_schedule(Correlator *self, gint64 ms)
{
	self->pump_source = g_timeout_add((guint)MAX(ms, 0), correlator_pump_cb, self);
}

static gboolean
correlator_pump_cb(gpointer data)
{
	Correlator *self = data;
	g_autoptr(GError) error = NULL;

	self->pump_source = 0;
	if (self->reader == NULL && !correlator_connect(self)) {
		self->retry_ms =
		    self->retry_ms == 0 ? 500 : MIN(self->retry_ms * 2, self->config.retry_max_ms);
		correlator_schedule(self, self->retry_ms);
		return G_SOURCE_REMOVE;
	}
	int applied;
	guint rounds = 0;
	/* catch up in bounded rounds, then give the loop (signals) a turn */
	while ((applied = correlator_apply_batch(self)) > 0 && ++rounds < 100)
		;
	if (applied < 0) {
		correlator_schedule(self, 0);
		return G_SOURCE_REMOVE;
	}
	if (applied > 0) {
		correlator_schedule(self, 0);
		return G_SOURCE_REMOVE;
	}
	gint64 now = g_get_monotonic_time();
	/* the hosts' latest heartbeats wait at most about a second once the spool is read */
	if (now - self->last_commit_us >= self->config.heartbeat_ms * 1000 ||
	    (store_heartbeats_waiting(self->store) && now - self->last_commit_us >= G_USEC_PER_SEC)) {
		if (store_heartbeat(self->store, &error)) {
			self->last_commit_us = now;
			alarms_after_commit(self->alarms);
		} else {
			chopin_complain(&self->db_complaint, CHOPIN_LOG_WARNING, "%s",
			                error->message);
			chopin_spool_reader_free(self->reader);
			self->reader = NULL;
		}
	}
	correlator_schedule(self, self->config.poll_ms);
	return G_SOURCE_REMOVE;
}

static gboolean
correlator_reload_cb(gpointer data)
{
	Correlator *self = data;
	g_autoptr(GError) error = NULL;

	if (self->alarms == NULL)
		return G_SOURCE_CONTINUE;
	if (alarms_reload(self->alarms, &error))
		chopin_log(CHOPIN_LOG_MESSAGE, "rules reloaded from %s", self->config.rules_path);
	else
		chopin_log(CHOPIN_LOG_WARNING, "rules not reloaded, the rules in force stay: %s",
		           error->message);
	return G_SOURCE_CONTINUE;
}

static gboolean
correlator_quit_cb(gpointer data)
{
	Correlator *self = data;
	g_main_loop_quit(self->loop);
	return G_SOURCE_CONTINUE;
}

static void
correlator_clear(Correlator *self)
{
	if (self->pump_source != 0)
		g_source_remove(self->pump_source);
	chopin_spool_reader_free(self->reader);
	store_free(self->store);
	chopin_db_free(self->writer);
	alarms_free(self->alarms);
	notify_free(self->notify); /* writes what it sent while the database is still there */
	if (self->managers != NULL)
		g_ptr_array_unref(self->managers);
	chopin_db_free(self->db);
	g_free(self->record);
	g_free(self->config.name);
	g_free(self->config.spool_dir);
	g_free(self->config.rules_path);
	g_free(self->config.command_file);
	chopin_config_free(self->file);
	if (self->loop != NULL)
		g_main_loop_unref(self->loop);
}

int
main(int argc, char **argv)
{
	ChopinDaemonOptions options;
	int exit_status =
	    chopin_daemon_parse_args(argc, argv, "chopin-correlator", usage, &options);
	if (exit_status >= 0)
		return exit_status;
	const char *config_path = options.config_path;
	gboolean check_only = options.check_only, foreground = options.foreground;
	int verbose = options.verbose;

	Correlator self = {0};
	if (!correlator_load_config(&self, config_path)) {
		correlator_clear(&self);
		return 1;
	}
	if (check_only) {
		g_autoptr(GError) error = NULL;
		if (!rules_set_check_file(self.config.rules_path, &error)) {
			fprintf(stderr, "%s\n", error->message);
			correlator_clear(&self);
			return 1;
		}
		printf("%s: configuration OK, rules in %s OK\n", config_path,
		       self.config.rules_path);
		correlator_clear(&self);
		return 0;
	}
	if (!foreground && daemon(0, 0) != 0) {
		perror("chopin-correlator: daemon");
		correlator_clear(&self);
		return 1;
	}
	chopin_log_open("chopin-correlator", foreground, 0);
	chopin_log_set_threshold(verbose >= 2   ? CHOPIN_LOG_DEBUG
	                         : verbose == 1 ? CHOPIN_LOG_INFO
	                                        : CHOPIN_LOG_MESSAGE);
	chopin_log_capture_glib();
	self.loop = g_main_loop_new(NULL, FALSE);
	if (self.managers->len > 0) {
		g_autoptr(GError) error = NULL;
		self.notify = notify_new(self.config.name, g_steal_pointer(&self.managers), &error);
		if (self.notify == NULL) {
			chopin_log(CHOPIN_LOG_ERROR, "%s", error->message);
			correlator_clear(&self);
			chopin_log_close();
			return 1;
		}
	}
	self.record = g_new(ChopinRecord, 1);
	g_unix_signal_add(SIGTERM, correlator_quit_cb, &self);
	g_unix_signal_add(SIGINT, correlator_quit_cb, &self);
	g_unix_signal_add(SIGHUP, correlator_reload_cb, &self);
	chopin_log(CHOPIN_LOG_MESSAGE, "chopin-correlator %s ready (spool %s)", PACKAGE_VERSION,
	           self.config.spool_dir);
	correlator_schedule(&self, 0);
	g_main_loop_run(self.loop);
	if (self.store != NULL) {
		const StoreStats *stats = store_stats(self.store);
		chopin_log(CHOPIN_LOG_MESSAGE,
		           "stopping: %" G_GUINT64_FORMAT " records applied in %" G_GUINT64_FORMAT
		           " transactions, %" G_GUINT64_FORMAT
		           " duplicates dropped, %" G_GUINT64_FORMAT " lost, %" G_GUINT64_FORMAT
		           " quarantined, %" G_GUINT64_FORMAT " refused, %" G_GUINT64_FORMAT
		           " events filtered out, %" G_GUINT64_FORMAT " reboots, %" G_GUINT64_FORMAT
		           " event rows streamed, %" G_GUINT64_FORMAT
		           " written on the second connection, %" G_GUINT64_FORMAT
		           " heartbeats coalesced",
		           stats->records, stats->commits, stats->duplicates, stats->lost,
		           stats->quarantined, stats->rejected, stats->filtered, stats->reboots,
		           stats->streamed, stats->second, stats->coalesced);
	}
	correlator_clear(&self);
	chopin_log_close();
	return 0;
}
