/* MySQL persistence: records to rows, with the spool position committed in the same transaction. */
#include "config.h"

#include "correlator.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "chopin-log.h"
#include "chopin-mib.h"

#define SQL_TIME_SIZE 32

typedef struct {
	guint host_id;
	SequenceWindow window;
	uint64_t lost, duplicates; /* not yet written to agent_instances */
	gboolean dirty;            /* changed in this transaction: journaled at commit */
	gboolean unflushed;        /* changed since agent_instances was last written */
	char last_seen[SQL_TIME_SIZE];
} Instance;

/*
 * What reboot detection remembers of a host: its boot time as of the last heartbeat, the
 * time of that heartbeat, and the latest sign of a clean shutdown (User32 1074, EventLog
 * 6006, a chopinAgentShutdown for a shutdown or restart).  Loaded from hosts on first use.
 */
typedef struct {
	gint64 boot_us; /* 0: not known */
	gint64 last_heartbeat_us; /* receiver clock: orders heartbeats */
	gint64 alive_us;          /* agent clock of that heartbeat: the last sign of life */
	gint64 clean_us;          /* 0: none since the boot */
	gboolean created;         /* its hosts row was inserted since the last store_forget(), so
	                           * its agent instances are all in Store.instances */
} HostBoot;

/* A boot time that moves by less than this is the same boot: the agent derives it from the
 * uptime and the clock, which drift and get stepped. */
#define REBOOT_TOLERANCE_US (60 * G_USEC_PER_SEC)

/* The events the correlator writes itself (source "Chopin"). */
enum { CHOPIN_EVENT_REBOOT = 1, CHOPIN_EVENT_UNEXPECTED_REBOOT = 2 };

struct _Store {
	ChopinDb *db;
	char *name;
	GHashTable *boots;     /* host id -> HostBoot */
	GHashTable *hosts;     /* lower-case name -> host id */
	GHashTable *instances; /* "hostid/instance" -> Instance */
	/* pairs (instance id inside its key in instances, Instance): the instances changed in
	 * this transaction, and since the last compaction, so that a commit costs what it
	 * changed and not the fleet */
	GPtrArray *dirty, *unflushed;
	GArray *gaps;
	Inventory *inventory;
	Alarms *alarms;
	Rows *rows;
	Journal *journal;
	/* the rules' clock: the receiver time of the latest record applied; absence alarms
	 * judge silence against it, so catching up on a backlog does not make every host
	 * look silent */
	uint64_t clock_us;
	StoreStats stats;
};

static const char *const level_names[] = {"unknown", "critical",    "error",
                                          "warning", "information", "verbose"};

Store *
store_new(ChopinDb *db, const char *correlator_name, Alarms *alarms)
{
	Store *store = g_new0(Store, 1);
	store->alarms = alarms;
	store->db = db;
	store->name = g_strdup(correlator_name);
	store->hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	store->boots = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	store->instances = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	store->dirty = g_ptr_array_new();
	store->unflushed = g_ptr_array_new();
	store->gaps = g_array_new(FALSE, FALSE, sizeof(SequenceGap));
	store->inventory = inventory_new(db, correlator_name);
	store->rows = rows_new(db);
	store->journal = journal_new(db, correlator_name);
	if (alarms != NULL)
		alarms_set_journal(alarms, store->journal);
	return store;
}

void
store_free(Store *store)
{
	if (store == NULL)
		return;
	g_hash_table_destroy(store->hosts);
	g_hash_table_destroy(store->boots);
	g_hash_table_destroy(store->instances);
	g_ptr_array_free(store->dirty, TRUE);
	g_ptr_array_free(store->unflushed, TRUE);
	g_array_free(store->gaps, TRUE);
	inventory_free(store->inventory);
	rows_free(store->rows);
	journal_free(store->journal);
	g_free(store->name);
	g_free(store);
}

const StoreStats *
store_stats(const Store *store)
{
	return &store->stats;
}

void
store_set_journal_interval(Store *store, gint64 interval_us)
{
	journal_set_max_age(store->journal, interval_us);
}

void
store_set_stream_rows(Store *store, guint stream_rows)
{
	rows_set_stream_rows(store->rows, stream_rows);
}

void
store_set_writer(Store *store, ChopinDb *writer)
{
	rows_set_writer(store->rows, writer);
}

gboolean
store_heartbeats_waiting(const Store *store)
{
	return rows_deferred(store->rows) > 0;
}

gboolean
store_streamed(const Store *store)
{
	return rows_streamed(store->rows) > 0;
}

void
store_forget(Store *store)
{
	g_hash_table_remove_all(store->hosts);
	g_hash_table_remove_all(store->boots);
	g_ptr_array_set_size(store->dirty, 0);
	g_ptr_array_set_size(store->unflushed, 0);
	g_hash_table_remove_all(store->instances);
	inventory_forget(store->inventory);
	rows_forget(store->rows);
	journal_forget(store->journal);
	if (store->alarms != NULL)
		alarms_forget(store->alarms);
}

/* --- record fields ------------------------------------------------------------------ */

static ChopinDbValue
field_text(const ChopinRecord *record, uint16_t id)
{
	const ChopinRecordField *field = chopin_record_find(record, id);
	if (field == NULL || field->type != CHOPIN_FIELD_TYPE_OCTETS)
		return CHOPIN_DB_VALUE_NULL;
	return CHOPIN_DB_VALUE_TEXT_LEN((const char *)field->value.octets.data,
	                                field->value.octets.len);
}

static uint64_t
field_uint(const ChopinRecord *record, uint16_t id)
{
	int64_t value = 0;
	if (chopin_record_get_int(record, id, &value) != 0 || value < 0)
		return 0;
	return (uint64_t)value;
}

/* A DateAndTime field as SQL text in @buf, or NULL. */
static ChopinDbValue
field_time(const ChopinRecord *record, uint16_t id, char *buf)
{
	const ChopinRecordField *field = chopin_record_find(record, id);
	if (field == NULL || field->type != CHOPIN_FIELD_TYPE_OCTETS ||
	    !correlator_date_and_time_to_sql(field->value.octets.data, field->value.octets.len, buf,
	                                     SQL_TIME_SIZE))
		return CHOPIN_DB_VALUE_NULL;
	return chopin_db_value_text(buf);
}

static gboolean
exec(Store *store, const char *sql, const ChopinDbValue *params, guint n, GError **error)
{
	ChopinDbStmt *stmt = chopin_db_prepare(store->db, sql, error);
	return stmt != NULL && chopin_db_stmt_execute(stmt, params, n, NULL, error);
}

/* --- hosts and agent instances --------------------------------------------------------- */

/* The key of Store.hosts for name: lower case, in buf when name is ASCII (every record
 * looks its host up), else in *ret_folded. */
static const char *
host_key(const char *name, char *buf, gsize size, char **ret_folded)
{
	gsize i;
	for (i = 0; name[i] != '\0' && i + 1 < size; i++) {
		if ((guchar)name[i] >= 0x80) {
			*ret_folded = g_utf8_strdown(name, -1);
			return *ret_folded;
		}
		buf[i] = g_ascii_tolower(name[i]);
	}
	buf[i] = '\0';
	return buf;
}

static gboolean
store_host_id(Store *store, const ChopinRecord *record, const char *received, guint *ret_id,
              GError **error)
{
	char name[256];

	if (chopin_record_get_string(record, CHOPIN_FIELD_HOST_NAME, name, sizeof name) <= 0) {
		g_set_error(error, CHOPIN_DB_ERROR, CHOPIN_DB_ERROR_QUERY,
		            "record without a host name");
		return FALSE;
	}
	char lower[sizeof name];
	g_autofree char *folded = NULL;
	const char *key = host_key(name, lower, sizeof lower, &folded);
	gpointer cached = g_hash_table_lookup(store->hosts, key);
	if (cached != NULL) {
		*ret_id = GPOINTER_TO_UINT(cached);
		return TRUE;
	}
	ChopinDbStmt *stmt =
	    chopin_db_prepare(store->db,
	                      "INSERT INTO hosts (name, first_seen) VALUES (?, ?) "
	                      "ON DUPLICATE KEY UPDATE host_id = LAST_INSERT_ID(host_id)",
	                      error);
	ChopinDbValue params[] = {chopin_db_value_text(name), chopin_db_value_text(received)};
	guint64 affected = 0;
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 2, &affected, error))
		return FALSE;
	*ret_id = (guint)chopin_db_stmt_insert_id(stmt);
	g_hash_table_insert(store->hosts, g_strdup(key), GUINT_TO_POINTER(*ret_id));
	/* new or not, it may not be committed yet: its event rows stay in this transaction */
	rows_note_new_host(store->rows, *ret_id);
	if (affected == 1) {
		/* a new row (an existing one counts 0: the update sets what it holds), so there
		 * is nothing to read back: no boot, heartbeat or shutdown, no agent instance */
		HostBoot *boot = g_new0(HostBoot, 1);
		boot->created = TRUE;
		g_hash_table_replace(store->boots, GUINT_TO_POINTER(*ret_id), boot);
	}
	return TRUE;
}

/* The instance of an agent, loaded or created, by its key in Store.instances ("hostid/instance");
 * *ret_id: the instance id as the table keeps it (stable until store_forget()). */
static Instance *
store_instance(Store *store, guint host_id, const char *key, const char **ret_id,
               GError **error)
{
	const char *instance_id = strchr(key, '/') + 1;
	gpointer stored_key, value;
	if (g_hash_table_lookup_extended(store->instances, key, &stored_key, &value)) {
		*ret_id = strchr(stored_key, '/') + 1;
		return value;
	}
	Instance *instance;
	/* a host whose row this process inserted has no stored instances to read */
	const HostBoot *boot = g_hash_table_lookup(store->boots, GUINT_TO_POINTER(host_id));
	gboolean have_row = FALSE;
	uint64_t last_sequence = 0;
	if (boot == NULL || !boot->created) {
		ChopinDbStmt *stmt = chopin_db_prepare(
		    store->db,
		    "SELECT last_sequence FROM agent_instances WHERE host_id = ? AND instance_id = ?",
		    error);
		ChopinDbValue params[] = {CHOPIN_DB_VALUE_UINT(host_id),
		                          chopin_db_value_text(instance_id)};
		if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 2, NULL, error) ||
		    !chopin_db_stmt_fetch(stmt, &have_row, error))
			return NULL;
		if (have_row)
			last_sequence = (uint64_t)chopin_db_stmt_column_int(stmt, 0, 0);
		chopin_db_stmt_reset(stmt);
	}
	instance = g_new0(Instance, 1);
	instance->host_id = host_id;
	if (have_row)
		sequence_window_restore(&instance->window, last_sequence);
	else
		sequence_window_init(&instance->window);
	char *stored = g_strdup(key);
	*ret_id = strchr(stored, '/') + 1;
	g_hash_table_insert(store->instances, stored, instance);
	return instance;
}

/* Sets *flag and lists the instance in list, once. */
static void
instance_list(GPtrArray *list, gboolean *flag, const char *instance_id, Instance *instance)
{
	if (*flag)
		return;
	*flag = TRUE;
	g_ptr_array_add(list, (gpointer)instance_id);
	g_ptr_array_add(list, instance);
}

/* Marks an instance changed: journaled at this commit, written at the next compaction. */
static void
instance_touch(Store *store, const char *instance_id, Instance *instance)
{
	instance_list(store->dirty, &instance->dirty, instance_id, instance);
	instance_list(store->unflushed, &instance->unflushed, instance_id, instance);
}

/* Writes the instances touched in this transaction. */
/* VALUES() in the update works on MariaDB and MySQL 8. */
static RowsStatement instance_upsert = {
    "INSERT INTO agent_instances (host_id, instance_id, first_seen, last_seen, last_sequence, "
    "lost_count, duplicate_count) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?)",
    " ON DUPLICATE KEY UPDATE last_seen = GREATEST(last_seen, VALUES(last_seen)), "
    "last_sequence = GREATEST(last_sequence, VALUES(last_sequence)), "
    "lost_count = lost_count + VALUES(lost_count), "
    "duplicate_count = duplicate_count + VALUES(duplicate_count)",
    7,
    {NULL}};

static void
instance_fill(guint index, ChopinDbValue *p, gpointer user_data)
{
	GPtrArray *dirty = user_data; /* pairs: instance id, Instance */
	const char *instance_id = g_ptr_array_index(dirty, 2 * index);
	const Instance *instance = g_ptr_array_index(dirty, 2 * index + 1);
	*p++ = CHOPIN_DB_VALUE_UINT(instance->host_id);
	*p++ = chopin_db_value_text(instance_id);
	*p++ = chopin_db_value_text(instance->last_seen);
	*p++ = chopin_db_value_text(instance->last_seen);
	*p++ = CHOPIN_DB_VALUE_UINT(instance->window.last);
	*p++ = CHOPIN_DB_VALUE_UINT(instance->lost);
	*p = CHOPIN_DB_VALUE_UINT(instance->duplicates);
}

/* The instances touched in this transaction go to the journal; at a compaction every
 * instance changed since the last one is written to agent_instances instead. */
static gboolean
store_flush_instances(Store *store, gboolean compact, GError **error)
{
	if (compact &&
	    !rows_execute(store->db, &instance_upsert, store->unflushed->len / 2, instance_fill,
	                  store->unflushed, error))
		return FALSE;
	for (guint i = 0; i < store->dirty->len; i += 2) {
		const char *instance_id = g_ptr_array_index(store->dirty, i);
		Instance *instance = g_ptr_array_index(store->dirty, i + 1);
		if (!compact) {
			JournalInstance entry = {instance->host_id, instance->window.last,
			                         instance->lost, instance->duplicates, ""};
			g_strlcpy(entry.last_seen, instance->last_seen, sizeof entry.last_seen);
			journal_put_instance(store->journal, &entry, instance_id);
		}
		instance->dirty = FALSE;
	}
	g_ptr_array_set_size(store->dirty, 0);
	if (!compact)
		return TRUE;
	for (guint i = 1; i < store->unflushed->len; i += 2) {
		Instance *instance = g_ptr_array_index(store->unflushed, i);
		instance->unflushed = FALSE;
		instance->lost = instance->duplicates = 0;
	}
	g_ptr_array_set_size(store->unflushed, 0);
	return TRUE;
}

/* After a connect: the instances the journal holds are loaded whole, so that the next
 * compaction writes them. */
static void
store_journal_instance_cb(const char *instance_id, const JournalInstance *entry,
                          gpointer user_data)
{
	Store *store = user_data;
	g_autofree char *key = g_strdup_printf("%u/%s", entry->host_id, instance_id);
	gpointer stored_key, value;
	Instance *instance;
	if (g_hash_table_lookup_extended(store->instances, key, &stored_key, &value)) {
		instance = value;
	} else {
		instance = g_new0(Instance, 1);
		stored_key = g_steal_pointer(&key);
		g_hash_table_insert(store->instances, stored_key, instance);
	}
	instance->host_id = entry->host_id;
	sequence_window_restore(&instance->window, entry->last_sequence);
	instance->lost = entry->lost;
	instance->duplicates = entry->duplicates;
	g_strlcpy(instance->last_seen, entry->last_seen, sizeof instance->last_seen);
	instance_list(store->unflushed, &instance->unflushed, strchr(stored_key, '/') + 1, instance);
}

/* --- reboots and shutdowns -------------------------------------------------------------- */

static HostBoot *
store_host_boot(Store *store, guint host_id, GError **error)
{
	HostBoot *boot = g_hash_table_lookup(store->boots, GUINT_TO_POINTER(host_id));
	if (boot != NULL)
		return boot;
	/* the session's time zone is UTC, but this does not depend on it */
	ChopinDbStmt *stmt = chopin_db_prepare(
	    store->db,
	    "SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01', boot_time), "
	    "TIMESTAMPDIFF(MICROSECOND, '1970-01-01', last_heartbeat), "
	    "CASE WHEN last_shutdown_kind = 'clean' AND last_shutdown_at >= boot_time "
	    "THEN TIMESTAMPDIFF(MICROSECOND, '1970-01-01', last_shutdown_at) END "
	    "FROM hosts WHERE host_id = ?",
	    error);
	ChopinDbValue params[] = {CHOPIN_DB_VALUE_UINT(host_id)};
	gboolean have_row;
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return NULL;
	boot = g_new0(HostBoot, 1);
	if (have_row) {
		boot->boot_us = chopin_db_stmt_column_int(stmt, 0, 0);
		boot->last_heartbeat_us = chopin_db_stmt_column_int(stmt, 1, 0);
		boot->alive_us = boot->last_heartbeat_us; /* the agent's clock is not stored */
		boot->clean_us = chopin_db_stmt_column_int(stmt, 2, 0);
	}
	chopin_db_stmt_reset(stmt);
	g_hash_table_insert(store->boots, GUINT_TO_POINTER(host_id), boot);
	return boot;
}

static void
format_us(gint64 us, char *buf, size_t size)
{
	correlator_time_to_sql(us / G_USEC_PER_SEC, 0, buf, size);
	char *dot = strchr(buf, '.');
	if (dot != NULL)
		g_strlcpy(dot, " UTC", size - (size_t)(dot - buf));
}

/*
 * A heartbeat whose boot time moved forward is a reboot: written as an event of source
 * "Chopin" (id 1 after a clean shutdown, 2 after none was announced), fed to the rules like
 * any event, and the host's last shutdown set.  The event takes the heartbeat's agent
 * instance and sequence, which no stored event uses, so a replay cannot write it twice.
 */
static gboolean
store_note_boot(Store *store, const ChopinRecord *record, guint host_id, const char *received,
                const char *instance_id, GError **error)
{
	const ChopinRecordField *field = chopin_record_find(record, CHOPIN_FIELD_BOOT_TIME);
	gint64 boot_us;
	if (field == NULL || field->type != CHOPIN_FIELD_TYPE_OCTETS ||
	    !correlator_date_and_time_to_us(field->value.octets.data, field->value.octets.len,
	                                    &boot_us))
		return TRUE;
	HostBoot *boot = store_host_boot(store, host_id, error);
	if (boot == NULL)
		return FALSE;
	if ((gint64)record->received_us < boot->last_heartbeat_us)
		return TRUE; /* an older heartbeat arriving late */
	gint64 previous_us = boot->boot_us, seen_us = boot->alive_us;
	gint64 clean_us = boot->clean_us;
	boot->last_heartbeat_us = (gint64)record->received_us;
	const ChopinRecordField *at = chopin_record_find(record, CHOPIN_FIELD_AGENT_TIME);
	if (at == NULL || at->type != CHOPIN_FIELD_TYPE_OCTETS ||
	    !correlator_date_and_time_to_us(at->value.octets.data, at->value.octets.len,
	                                    &boot->alive_us))
		boot->alive_us = (gint64)record->received_us;
	boot->boot_us = boot_us;
	if (previous_us == 0 || boot_us <= previous_us + REBOOT_TOLERANCE_US)
		return TRUE;
	boot->clean_us = 0;

	gboolean clean = clean_us > previous_us;
	/* unexpected: the last sign of life is the best estimate of when it stopped */
	gint64 down_us = clean ? clean_us : seen_us > previous_us ? seen_us : boot_us;
	char host[256], boot_text[40], previous_text[40], down_text[40], boot_sql[SQL_TIME_SIZE],
	    down_sql[SQL_TIME_SIZE];
	chopin_record_get_string(record, CHOPIN_FIELD_HOST_NAME, host, sizeof host);
	format_us(boot_us, boot_text, sizeof boot_text);
	format_us(previous_us, previous_text, sizeof previous_text);
	format_us(down_us, down_text, sizeof down_text);
	correlator_us_to_sql((uint64_t)boot_us, boot_sql, sizeof boot_sql);
	correlator_us_to_sql((uint64_t)down_us, down_sql, sizeof down_sql);
	g_autofree char *message =
	    clean ? g_strdup_printf("Rebooted: up since %s after a clean shutdown at %s; the "
	                            "previous boot was %s",
	                            boot_text, down_text, previous_text)
	          : g_strdup_printf("Rebooted after an unexpected shutdown: up since %s; no "
	                            "shutdown was announced, the last heartbeat was at %s; the "
	                            "previous boot was %s",
	                            boot_text, down_text, previous_text);
	guint32 event_id = clean ? CHOPIN_EVENT_REBOOT : CHOPIN_EVENT_UNEXPECTED_REBOOT;
	const char *kept_by = NULL;
	if (store->alarms != NULL) {
		RulesEvent event;
		gboolean kept;
		rules_event_init(&event);
		event.host = host;
		event.event_time_us = boot_us;
		event.receive_time_us = (gint64)record->received_us;
		event.source = "Chopin";
		event.event_id = event_id;
		event.level = clean ? RULES_LEVEL_INFORMATION : RULES_LEVEL_ERROR;
		event.message = message;
		/* kept whatever the filters say: the correlator's own findings */
		if (!alarms_event(store->alarms, &event, host_id, instance_id,
		                  field_uint(record, CHOPIN_FIELD_SEQUENCE), &kept, &kept_by, error))
			return FALSE;
	}
	ChopinDbValue log_name = chopin_db_value_text("Chopin");
	ChopinDbValue text = chopin_db_value_text(message);
	rows_add_event(store->rows, host_id, boot_sql, received, &log_name, &log_name, event_id,
	               clean ? "information" : "error", 0, &text, instance_id,
	               field_uint(record, CHOPIN_FIELD_SEQUENCE), kept_by, NULL);
	store->stats.reboots++;
	ChopinDbValue params[] = {chopin_db_value_text(down_sql),
	                          chopin_db_value_text(clean ? "clean" : "unexpected"),
	                          CHOPIN_DB_VALUE_UINT(host_id)};
	return exec(
	    store,
	    "UPDATE hosts SET last_shutdown_at = ?, last_shutdown_kind = ? WHERE host_id = ?",
	    params, G_N_ELEMENTS(params), error);
}

/* What the event log says about shutdowns: 1074 and 6006 announce a clean one, 6008 and
 * Kernel-Power 41 report after the boot that the previous one was not. */
static gboolean
store_note_shutdown_event(Store *store, const ChopinRecord *record, guint host_id,
                          gint64 event_us, const char *event_time, GError **error)
{
	char source[129];
	uint64_t id = field_uint(record, CHOPIN_FIELD_EVENT_ID);
	if (id != 1074 && id != 6006 && id != 6008 && id != 41)
		return TRUE;
	chopin_record_get_string(record, CHOPIN_FIELD_EVENT_SOURCE, source, sizeof source);
	gboolean clean = (id == 1074 && strcmp(source, "User32") == 0) ||
	                 (id == 6006 && strcmp(source, "EventLog") == 0);
	gboolean unexpected = (id == 6008 && strcmp(source, "EventLog") == 0) ||
	                      (id == 41 && (strcmp(source, "Microsoft-Windows-Kernel-Power") == 0 ||
	                                    strcmp(source, "Kernel-Power") == 0));
	if (!clean && !unexpected)
		return TRUE;
	HostBoot *boot = store_host_boot(store, host_id, error);
	if (boot == NULL)
		return FALSE;
	if (clean) {
		boot->clean_us = MAX(boot->clean_us, event_us);
		return TRUE;
	}
	boot->clean_us = 0;
	ChopinDbValue params[] = {chopin_db_value_text(event_time), CHOPIN_DB_VALUE_UINT(host_id)};
	return exec(store,
	            "UPDATE hosts SET last_shutdown_kind = 'unexpected', "
	            "last_shutdown_at = COALESCE(last_shutdown_at, ?) WHERE host_id = ?",
	            params, G_N_ELEMENTS(params), error);
}

/* --- what each notification changes ------------------------------------------------------ */

static gboolean
apply_heartbeat(Store *store, const ChopinRecord *record, guint host_id, const char *received,
                const char *instance_id, GError **error)
{
	static const char *const machine_types[] = {"unknown", "physical", "virtual", "unknown"};
	char boot[SQL_TIME_SIZE], host[256], os_name[129], os_version[33], agent[33], model[129];
	uint64_t type = field_uint(record, CHOPIN_FIELD_MACHINE_TYPE);
	uint64_t interval = field_uint(record, CHOPIN_FIELD_HEARTBEAT_INTERVAL);

	chopin_record_get_string(record, CHOPIN_FIELD_HOST_NAME, host, sizeof host);
	if (!store_note_boot(store, record, host_id, received, instance_id, error))
		return FALSE;
	if (store->alarms != NULL &&
	    !alarms_heartbeat(store->alarms, host, (gint64)interval * G_USEC_PER_SEC,
	                      (gint64)record->received_us, error))
		return FALSE;
	chopin_record_get_string(record, CHOPIN_FIELD_OS_NAME, os_name, sizeof os_name);
	chopin_record_get_string(record, CHOPIN_FIELD_OS_VERSION, os_version, sizeof os_version);
	chopin_record_get_string(record, CHOPIN_FIELD_AGENT_VERSION, agent, sizeof agent);
	chopin_record_get_string(record, CHOPIN_FIELD_HARDWARE_MODEL, model, sizeof model);
	gboolean have_boot =
	    field_time(record, CHOPIN_FIELD_BOOT_TIME, boot).type != CHOPIN_DB_NULL;
	/* many heartbeats of one host in a batch: the latest wins, written once at commit */
	rows_add_heartbeat(store->rows, host_id, record->received_us, received, host, os_name,
	                   os_version, machine_types[type < 4 ? type : 0], have_boot ? boot : NULL,
	                   interval, agent, model);
	return TRUE;
}

/* The devices row an MR_MONITOR entry is about, as inventory.c names them: "c0/e252/s7" for a
 * drive, "c0/v0" for a virtual drive, "c0" for the controller; "" when it names none. */
static void
event_device_address(const char *source, const RulesRaidKeys *raid, char *buf, gsize size)
{
	gint controller = MAX(raid->controller, 0);

	buf[0] = '\0';
	if (g_ascii_strcasecmp(source, "MR_MONITOR") != 0)
		return;
	if (raid->enclosure >= 0 && raid->slot >= 0)
		g_snprintf(buf, size, "c%d/e%d/s%d", controller, raid->enclosure, raid->slot);
	else if (raid->vd >= 0)
		g_snprintf(buf, size, "c%d/v%d", controller, raid->vd);
	else if (raid->controller >= 0)
		g_snprintf(buf, size, "c%d", controller);
}

static gboolean
apply_event(Store *store, const ChopinRecord *record, guint host_id, const char *received,
            const char *instance_id, GError **error)
{
	char event_time[SQL_TIME_SIZE], device[32];
	/* zeroed: the rules' regular expressions (PCRE2's JIT) may read past the text's end,
	 * which valgrind would report as a use of uninitialised memory */
	char host[256] = {0}, source[129] = {0}, message[2049] = {0};
	gint64 event_us;
	uint64_t level = field_uint(record, CHOPIN_FIELD_EVENT_LEVEL);
	const char *kept_by = NULL;
	RulesEvent event;
	const ChopinRecordField *when = chopin_record_find(record, CHOPIN_FIELD_EVENT_TIME);
	if (when == NULL || when->type != CHOPIN_FIELD_TYPE_OCTETS ||
	    !correlator_date_and_time_to_us(when->value.octets.data, when->value.octets.len,
	                                    &event_us) ||
	    event_us < 0) {
		event_us = (gint64)record->received_us;
		g_strlcpy(event_time, received, sizeof event_time);
	} else {
		correlator_us_to_sql((uint64_t)event_us, event_time, sizeof event_time);
	}
	if (!store_note_shutdown_event(store, record, host_id, event_us, event_time, error))
		return FALSE;
	rules_event_init(&event);
	chopin_record_get_string(record, CHOPIN_FIELD_EVENT_SOURCE, source, sizeof source);
	chopin_record_get_string(record, CHOPIN_FIELD_EVENT_MESSAGE, message, sizeof message);
	rules_raid_parse(message, &event.raid);
	event_device_address(source, &event.raid, device, sizeof device);
	if (store->alarms != NULL) {
		gboolean kept;
		chopin_record_get_string(record, CHOPIN_FIELD_HOST_NAME, host, sizeof host);
		event.event_time_us = event_us;
		event.host = host;
		event.receive_time_us = (gint64)record->received_us;
		event.source = source;
		event.event_id = (guint32)field_uint(record, CHOPIN_FIELD_EVENT_ID);
		event.level = (RulesLevel)(level <= 5 ? level : 0);
		event.message = message;
		if (!alarms_event(store->alarms, &event, host_id, instance_id,
		                  field_uint(record, CHOPIN_FIELD_SEQUENCE), &kept, &kept_by, error))
			return FALSE;
		if (!kept) {
			store->stats.filtered++;
			return TRUE;
		}
	}
	ChopinDbValue log_name = field_text(record, CHOPIN_FIELD_EVENT_LOG_NAME);
	ChopinDbValue source_name = field_text(record, CHOPIN_FIELD_EVENT_SOURCE);
	ChopinDbValue message_text = field_text(record, CHOPIN_FIELD_EVENT_MESSAGE);
	rows_add_event(store->rows, host_id, event_time, received, &log_name, &source_name,
	               field_uint(record, CHOPIN_FIELD_EVENT_ID),
	               level_names[level < G_N_ELEMENTS(level_names) ? level : 0],
	               field_uint(record, CHOPIN_FIELD_EVENT_RECORD_ID), &message_text, instance_id,
	               field_uint(record, CHOPIN_FIELD_SEQUENCE), kept_by, device);
	return rows_stream(store->rows, error);
}

static gboolean
apply_update_status(Store *store, const ChopinRecord *record, guint host_id, const char *received,
                    GError **error)
{
	char search[SQL_TIME_SIZE], success[SQL_TIME_SIZE];
	ChopinDbValue values[] = {
	    field_time(record, CHOPIN_FIELD_UPDATES_LAST_SEARCH, search),
	    CHOPIN_DB_VALUE_UINT(field_uint(record, CHOPIN_FIELD_UPDATES_PENDING)),
	    CHOPIN_DB_VALUE_UINT(field_uint(record, CHOPIN_FIELD_UPDATES_SECURITY_PENDING)),
	    CHOPIN_DB_VALUE_UINT(field_uint(record, CHOPIN_FIELD_UPDATES_FAILED)),
	    CHOPIN_DB_VALUE_UINT(field_uint(record, CHOPIN_FIELD_UPDATES_REBOOT_REQUIRED) == 1),
	    field_text(record, CHOPIN_FIELD_UPDATES_PENDING_LIST),
	    field_time(record, CHOPIN_FIELD_UPDATES_LAST_SUCCESS, success),
	    chopin_db_value_text(received),
	};
	ChopinDbValue params[17];
	params[0] = CHOPIN_DB_VALUE_UINT(host_id);
	memcpy(params + 1, values, sizeof values);
	memcpy(params + 9, values, sizeof values);
	if (!exec(store,
	          "INSERT INTO updates (host_id, last_search, pending_count, security_pending, "
	          "failed_count, reboot_required, pending_list, last_success, updated_at) "
	          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE last_search = ?, "
	          "pending_count = ?, security_pending = ?, failed_count = ?, reboot_required = ?, "
	          "pending_list = ?, last_success = ?, updated_at = ?",
	          params, 17, error))
		return FALSE;
	ChopinDbValue host_params[] = {values[6], CHOPIN_DB_VALUE_UINT(host_id)};
	return exec(store, "UPDATE hosts SET last_os_update_success = ? WHERE host_id = ?",
	            host_params, 2, error);
}

static gboolean
apply_shutdown(Store *store, const ChopinRecord *record, guint host_id, GError **error)
{
	char when[SQL_TIME_SIZE];
	uint64_t type = field_uint(record, CHOPIN_FIELD_SHUTDOWN_TYPE);
	if (type != 3) {
		/* the machine goes down as announced: the reboot that follows is a clean one */
		HostBoot *boot = store_host_boot(store, host_id, error);
		if (boot == NULL)
			return FALSE;
		gint64 at_us = (gint64)record->received_us;
		const ChopinRecordField *at = chopin_record_find(record, CHOPIN_FIELD_AGENT_TIME);
		if (at != NULL && at->type == CHOPIN_FIELD_TYPE_OCTETS)
			correlator_date_and_time_to_us(at->value.octets.data, at->value.octets.len,
			                               &at_us);
		boot->clean_us = MAX(boot->clean_us, at_us);
	}
	ChopinDbValue params[] = {
	    field_time(record, CHOPIN_FIELD_AGENT_TIME, when),
	    chopin_db_value_text(type == 3 ? "agent_stop" : "clean"),
	    CHOPIN_DB_VALUE_UINT(host_id),
	};
	return exec(
	    store,
	    "UPDATE hosts SET last_shutdown_at = ?, last_shutdown_kind = ? WHERE host_id = ?",
	    params, 3, error);
}

static gboolean
apply_quarantine(Store *store, const ChopinRecord *record, const char *received, GError **error)
{
	static const char *const versions[] = {"unknown", "v1", "v2c", "v3"};
	char source[INET6_ADDRSTRLEN + 8] = "unknown";
	if (record->source.family == 4 || record->source.family == 6) {
		char addr[INET6_ADDRSTRLEN];
		inet_ntop(record->source.family == 4 ? AF_INET : AF_INET6, record->source.addr,
		          addr, sizeof addr);
		g_snprintf(source, sizeof source, "%s:%u", addr, record->source.port);
	}
	GString *oid = g_string_new(NULL);
	for (uint16_t i = 0; i < record->notification_oid_len; i++)
		g_string_append_printf(oid, ".%" PRIu32, record->notification_oid[i]);
	GString *varbinds = g_string_new(NULL);
	for (uint16_t i = 0; i < record->n_fields; i++) {
		const ChopinRecordField *field = &record->fields[i];
		if (field->id < CHOPIN_FIELD_RAW_VARBIND_BASE ||
		    field->type != CHOPIN_FIELD_TYPE_OCTETS)
			continue;
		g_string_append_len(varbinds, (const char *)field->value.octets.data,
		                    field->value.octets.len);
		g_string_append_c(varbinds, '\n');
	}
	ChopinDbValue reason = field_text(record, CHOPIN_FIELD_QUARANTINE_DETAIL);
	ChopinDbValue params[] = {
	    chopin_db_value_text(received),
	    chopin_db_value_text(source),
	    chopin_db_value_text(versions[record->snmp_version <= 3 ? record->snmp_version : 0]),
	    reason.type == CHOPIN_DB_NULL ? chopin_db_value_text("quarantined") : reason,
	    chopin_db_value_text(oid->len > 0 ? oid->str : NULL),
	    CHOPIN_DB_VALUE_TEXT_LEN(varbinds->str, varbinds->len),
	};
	gboolean ok =
	    exec(store,
	         "INSERT INTO trap_quarantine (received_at, source_address, snmp_version, "
	         "reason, notification_oid, varbinds) VALUES (?, ?, ?, ?, ?, ?)",
	         params, G_N_ELEMENTS(params), error);
	g_string_free(oid, TRUE);
	g_string_free(varbinds, TRUE);
	return ok;
}

/* The notification's effect; duplicates were already dropped. */
static gboolean
apply_kind(Store *store, const ChopinRecord *record, guint host_id, const char *received,
           const char *instance_id, GError **error)
{
	switch (record->kind) {
	case CHOPIN_KIND_HEARTBEAT:
		return apply_heartbeat(store, record, host_id, received, instance_id, error);
	case CHOPIN_KIND_EVENT_LOG_ENTRY:
		return apply_event(store, record, host_id, received, instance_id, error);
	case CHOPIN_KIND_UPDATE_STATUS:
		return apply_update_status(store, record, host_id, received, error);
	case CHOPIN_KIND_AGENT_SHUTDOWN:
		return apply_shutdown(store, record, host_id, error);
	case CHOPIN_KIND_RAID_CONTROLLER:
	case CHOPIN_KIND_RAID_VIRTUAL_DRIVE:
	case CHOPIN_KIND_RAID_PHYSICAL_DRIVE:
	case CHOPIN_KIND_RAID_BATTERY:
		return inventory_apply(store->inventory, record, host_id, received, error);
	default:
		return TRUE;
	}
}

static gboolean
store_apply_record(Store *store, const ChopinRecord *record, GError **error)
{
	char received[SQL_TIME_SIZE];
	char key[48]; /* "hostid/instance", as Store.instances keys it */
	guint host_id;

	correlator_us_to_sql(record->received_us, received, sizeof received);
	if (record->received_us > store->clock_us)
		store->clock_us = record->received_us;
	if (record->flags & CHOPIN_RECORD_FLAG_QUARANTINE) {
		store->stats.quarantined++;
		return apply_quarantine(store, record, received, error);
	}
	if (!store_host_id(store, record, received, &host_id, error))
		return FALSE;
	g_snprintf(key, sizeof key, "%u/%" PRIu64, host_id,
	           field_uint(record, CHOPIN_FIELD_AGENT_INSTANCE));
	const char *instance_id = strchr(key, '/') + 1, *stored_id;
	Instance *instance = store_instance(store, host_id, key, &stored_id, error);
	if (instance == NULL)
		return FALSE;
	uint64_t lost = 0;
	g_array_set_size(store->gaps, 0);
	SequenceVerdict verdict = sequence_window_accept(
	    &instance->window, field_uint(record, CHOPIN_FIELD_SEQUENCE), store->gaps, &lost);
	instance_touch(store, stored_id, instance);
	g_strlcpy(instance->last_seen, received, sizeof instance->last_seen);
	for (guint i = 0; i < store->gaps->len; i++) {
		SequenceGap *gap = &g_array_index(store->gaps, SequenceGap, i);
		ChopinDbValue params[] = {
		    CHOPIN_DB_VALUE_UINT(host_id),
		    chopin_db_value_text(instance_id),
		    CHOPIN_DB_VALUE_UINT(gap->from),
		    CHOPIN_DB_VALUE_UINT(gap->to),
		    CHOPIN_DB_VALUE_UINT(gap->to - gap->from + 1),
		    chopin_db_value_text(received),
		};
		if (!exec(store,
		          "INSERT INTO lost_trap_gaps (host_id, instance_id, from_seq, to_seq, "
		          "lost_count, detected_at) VALUES (?, ?, ?, ?, ?, ?)",
		          params, G_N_ELEMENTS(params), error))
			return FALSE;
	}
	if (lost > 0) {
		instance->lost += lost;
		store->stats.lost += lost;
		chopin_log(CHOPIN_LOG_WARNING,
		           "%" G_GUINT64_FORMAT " traps lost from host id %u (agent instance %s)",
		           lost, host_id, instance_id);
	}
	if (verdict == SEQUENCE_DUPLICATE) {
		instance->duplicates++;
		store->stats.duplicates++;
		return TRUE;
	}
	return apply_kind(store, record, host_id, received, instance_id, error);
}

gboolean
store_apply(Store *store, const ChopinRecord *record, GError **error)
{
	if (!store_apply_record(store, record, error))
		return FALSE;
	store->stats.records++;
	return TRUE;
}

void
store_count_rejected(Store *store)
{
	store->stats.rejected++;
}

gboolean
store_begin(Store *store, GError **error)
{
	return chopin_db_begin(store->db, error);
}

static gboolean
store_write_checkpoint(Store *store, const char *segment, guint64 offset, guint64 records,
                       GError **error)
{
	ChopinDbValue params[] = {
	    chopin_db_value_text(store->name), chopin_db_value_text(segment),
	    CHOPIN_DB_VALUE_UINT(offset),      CHOPIN_DB_VALUE_UINT(records),
	    chopin_db_value_text(segment),     CHOPIN_DB_VALUE_UINT(offset),
	    CHOPIN_DB_VALUE_UINT(records),
	};
	return exec(
	    store,
	    "INSERT INTO correlator_checkpoints (correlator_name, spool_segment, spool_offset, "
	    "record_count, updated_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6)) "
	    "ON DUPLICATE KEY UPDATE spool_segment = ?, spool_offset = ?, "
	    "record_count = record_count + ?, updated_at = UTC_TIMESTAMP(6)",
	    params, G_N_ELEMENTS(params), error);
}

/* The sequence windows, the inventory and the rules' state, then the journal: what every
 * transaction writes besides its records' rows. */
static gboolean
store_flush_state(Store *store, gboolean compact, gint64 clock_us, GError **error)
{
	return store_flush_instances(store, compact, error) &&
	       inventory_flush(store->inventory, (uint64_t)g_get_real_time(), error) &&
	       (store->alarms == NULL || alarms_flush(store->alarms, clock_us, compact, error)) &&
	       journal_write(store->journal, compact, error);
}

gboolean
store_commit(Store *store, ChopinSpoolPosition position, uint64_t records, GError **error)
{
	char segment[16];
	gint64 now = g_get_real_time();
	gboolean compact = journal_compaction_due(store->journal, now);

	g_snprintf(segment, sizeof segment, "%" PRIu32, position.segment);
	guint streamed = rows_streamed(store->rows);
	if (!rows_flush(store->rows, store->clock_us, FALSE, error) ||
	    !store_flush_state(store, compact, (gint64)store->clock_us, error) ||
	    !store_write_checkpoint(store, segment, position.offset, records, error) ||
	    !chopin_db_commit(store->db, error))
		return FALSE;
	rows_committed(store->rows);
	journal_committed(store->journal, compact, now);
	store->stats.coalesced = rows_coalesced(store->rows);
	store->stats.second = rows_second(store->rows);
	store->stats.commits++;
	store->stats.streamed += streamed;
	return TRUE;
}

gboolean
store_heartbeat(Store *store, GError **error)
{
	ChopinDbValue params[] = {chopin_db_value_text(store->name)};
	guint64 affected = 0;
	gint64 now = g_get_real_time();
	gboolean compact = journal_compaction_due(store->journal, now);

	if (!chopin_db_begin(store->db, error))
		return FALSE;
	ChopinDbStmt *stmt =
	    chopin_db_prepare(store->db,
	                      "UPDATE correlator_checkpoints SET updated_at = UTC_TIMESTAMP(6) "
	                      "WHERE correlator_name = ?",
	                      error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, &affected, error) ||
	    /* no checkpoint yet: create one at the start of the spool */
	    (affected == 0 && !store_write_checkpoint(store, "0", 0, 0, error)) ||
	    !rows_flush(store->rows, (uint64_t)now, TRUE, error) ||
	    !store_flush_state(store, compact, now, error) || !chopin_db_commit(store->db, error)) {
		chopin_db_rollback(store->db);
		store_forget(store);
		return FALSE;
	}
	rows_committed(store->rows);
	journal_committed(store->journal, compact, now);
	return TRUE;
}

gboolean
store_load_checkpoint(Store *store, ChopinSpoolPosition *ret_position, GError **error)
{
	gboolean have_row;
	ChopinDbValue params[] = {chopin_db_value_text(store->name)};
	ChopinDbStmt *stmt =
	    chopin_db_prepare(store->db,
	                      "SELECT spool_segment, spool_offset FROM correlator_checkpoints "
	                      "WHERE correlator_name = ?",
	                      error);
	ret_position->segment = 0;
	ret_position->offset = 0;
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error) ||
	    !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	if (have_row) {
		ret_position->segment = (uint32_t)chopin_db_stmt_column_int(stmt, 0, 0);
		ret_position->offset = (uint64_t)chopin_db_stmt_column_int(stmt, 1, 0);
	}
	chopin_db_stmt_reset(stmt);
	if (!journal_load(store->journal, error))
		return FALSE;
	journal_foreach_instance(store->journal, store_journal_instance_cb, store);
	return TRUE;
}
