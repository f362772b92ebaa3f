/* chopin-correlator's private interfaces, grouped by the file that implements them. */
#ifndef CHOPIN_CORRELATOR_H
#define CHOPIN_CORRELATOR_H

#include <stdint.h>

#include <glib.h>

#include "chopin-mysql.h"
#include "chopin-record.h"
#include "chopin-spool.h"

/* --- configuration (main.c) ------------------------------------------------- */

typedef struct {
	char *name; /* this correlator's name in correlator_checkpoints */
	char *spool_dir;
	char *rules_path;
	char *command_file;
	guint batch_records;
	guint stream_rows;
	guint connections;
	gint64 poll_ms;
	gint64 heartbeat_ms;
	gint64 retry_max_ms;
	gint64 journal_ms;
	ChopinDbParams db; /* strings owned by the loaded configuration */
} CorrelatorConfig;

/* --- sequence tracking (sequence.c) ----------------------------------------- */

/*
 * Per agent instance: the highest sequence number seen and which of the 64
 * below it arrived, so INFORM retries are dropped, late arrivals kept, and a
 * number is declared lost only once it falls out of that window.
 */
typedef struct {
	uint64_t last;
	uint64_t seen; /* bit i: sequence last - i arrived */
} SequenceWindow;

typedef struct {
	uint64_t from, to; /* a run of lost sequence numbers */
} SequenceGap;

typedef enum {
	SEQUENCE_NEW,       /* first time: process it */
	SEQUENCE_DUPLICATE, /* already seen: drop it */
} SequenceVerdict;

/* A window that has seen nothing: the first number seen becomes the baseline. */
void sequence_window_init(SequenceWindow *window);
/* Restores a window from a stored last sequence (all numbers up to it count as seen). */
void sequence_window_restore(SequenceWindow *window, uint64_t last);
/*
 * Accounts for @seq.  Runs of numbers that fell out of the window unseen are
 * appended to @gaps (GArray of SequenceGap, may be NULL) and their count
 * added to *ret_lost.
 */
SequenceVerdict sequence_window_accept(SequenceWindow *window, uint64_t seq, GArray *gaps,
                                       uint64_t *ret_lost);

/* --- RAID inventory snapshots (inventory.c) ---------------------------------- */

typedef struct _Inventory Inventory;

Inventory *inventory_new(ChopinDb *db, const char *correlator_name);
void inventory_free(Inventory *inventory);
/*
 * Adds one part (a chopinRaidController / VirtualDrive / PhysicalDrive /
 * Battery record) inside the open transaction; when the snapshot is complete,
 * compares it with the host's devices rows, writes configuration history
 * ("PD 252:7 replaced: serial A -> B, model X") and the devices.
 */
gboolean inventory_apply(Inventory *inventory, const ChopinRecord *record, guint host_id,
                         const char *received, GError **error);
/*
 * Before commit: stores incomplete snapshots in correlator_state (so a crash
 * between parts loses nothing), drops those older than 10 minutes (logged).
 */
gboolean inventory_flush(Inventory *inventory, uint64_t now_us, GError **error);
/* After a rollback: forget everything; pending snapshots are reloaded from the database. */
void inventory_forget(Inventory *inventory);

/* --- rules and alarms (alarms.c) -------------------------------------------- */

#include "rules.h"

typedef struct _Journal Journal;
typedef struct _Alarms Alarms;

/* Loads the rules file; NULL with @error (file:line problems) when it does not parse. */
Alarms *alarms_new(ChopinDb *db, const char *correlator_name, const char *rules_path,
                   GError **error);
void alarms_free(Alarms *alarms);
/* Re-reads the rules file (SIGHUP); a bad file is refused and the rules in force stay. */
gboolean alarms_reload(Alarms *alarms, GError **error);
/* After a rollback: the engine is rebuilt and its state reloaded from the database. */
void alarms_forget(Alarms *alarms);
/*
 * Feeds one event inside the open transaction: alarm rows are raised, updated
 * or cleared; *ret_kept says whether a filter keeps the event (and which).
 * instance_id and sequence name the event's row, linked in alarm_events to the
 * alarms it raises, feeds or clears.
 */
gboolean alarms_event(Alarms *alarms, const RulesEvent *event, guint host_id,
                      const char *instance_id, guint64 sequence, gboolean *ret_kept,
                      const char **ret_rule, GError **error);
gboolean alarms_heartbeat(Alarms *alarms, const char *host, gint64 interval_us, gint64 receive_us,
                          GError **error);
/* Passive results go to this Nagios/Icinga external command file (NULL: none). */
void alarms_set_command_file(Alarms *alarms, const char *path);
/* Raised and cleared alarms are queued for these SNMP managers (NULL: none; not owned). */
typedef struct _Notify Notify;
void alarms_set_notify(Alarms *alarms, Notify *notify);
/*
 * After a successful commit: for each host and RAID/Updates/Heartbeat service
 * whose alarms changed, one PROCESS_SERVICE_CHECK_RESULT with the service's worst
 * open alarm to the command file (without blocking on a FIFO); the SNMP
 * notifications the transaction queued are sent.
 */
void alarms_after_commit(Alarms *alarms);
/* Before commit: advances the receiver's clock (absence), mirrors the rules, saves the state. */
gboolean alarms_flush(Alarms *alarms, gint64 now_us, gboolean compact, GError **error);
/* The store's journal, where each transaction's state changes are written. */
void alarms_set_journal(Alarms *alarms, Journal *journal);

/* --- journal.c: the sequence windows' and rules' changes, one row per transaction -- */

/* An agent instance's sequence window as of a transaction; lost and duplicates are the
 * counts not yet written to agent_instances. */
typedef struct {
	guint host_id;
	guint64 last_sequence;
	guint64 lost, duplicates;
	char last_seen[32];
} JournalInstance;

typedef void (*JournalInstanceFunc)(const char *instance_id, const JournalInstance *entry,
                                    gpointer user_data);
typedef void (*JournalRuleFunc)(const char *state_id, const guint8 *state, gsize len,
                                gpointer user_data);

Journal *journal_new(ChopinDb *db, const char *correlator_name);
void journal_free(Journal *journal);
/* Reads the journal committed with the checkpoint (after a connect or a rollback). */
gboolean journal_load(Journal *journal, GError **error);
/* What it holds: the latest state of each instance; rule states, oldest first. */
void journal_foreach_instance(Journal *journal, JournalInstanceFunc func, gpointer user_data);
void journal_foreach_rule(Journal *journal, JournalRuleFunc func, gpointer user_data);
void journal_set_max_age(Journal *journal, gint64 age_us);
/* Whether this commit should write the rows themselves and empty the journal. */
gboolean journal_compaction_due(const Journal *journal, gint64 now_us);
/* Entries of the open transaction, written by journal_write(). */
void journal_put_instance(Journal *journal, const JournalInstance *entry, const char *instance_id);
void journal_put_rule(Journal *journal, const char *state_id, const guint8 *state, gsize len);
/* In the transaction: the entries as one row, or (compacted) the journal deleted. */
gboolean journal_write(Journal *journal, gboolean compacted, GError **error);
/* After the commit succeeded; journal_forget() after a rollback. */
void journal_committed(Journal *journal, gboolean compacted, gint64 now_us);
void journal_forget(Journal *journal);

/* --- buffered event rows (rows.c) -------------------------------------------- */

/* A multi-row statement: HEAD, then TUPLE once per row (separated by SEPARATOR), then TAIL. */
typedef struct {
	const char *head;
	const char *tuple;
	const char *tail;
	guint columns; /* parameters per row, at most 12 */
	char *sql[3];  /* the text for 100, 10 and 1 rows, built on first use */
	const char *separator; /* between tuples; NULL: ", " */
} RowsStatement;

/* Fills the @columns parameters of row @index. */
typedef void (*RowsFillFunc)(guint index, ChopinDbValue *ret_values, gpointer user_data);

/* Executes @statement for @n_rows rows, 100 at a time, then 10, then 1. */
gboolean rows_execute(ChopinDb *db, RowsStatement *statement, guint n_rows, RowsFillFunc fill,
                      gpointer user_data, GError **error);

typedef struct _Rows Rows;

Rows *rows_new(ChopinDb *db);
void rows_free(Rows *rows);
/* Buffers one events row; text values are copied. device is the RAID device address
 * ("c0/e252/s7"), NULL or "" when the event names none. */
void rows_add_event(Rows *rows, guint host_id, const char *event_time, const char *received,
                    const ChopinDbValue *log_name, const ChopinDbValue *source, guint64 event_id,
                    const char *level, guint64 record_id, const ChopinDbValue *message,
                    const char *instance, guint64 sequence, const char *rule,
                    const char *device);
/* Keeps the latest heartbeat of a host; written to hosts by rows_flush(). */
void rows_add_heartbeat(Rows *rows, guint host_id, uint64_t received_us, const char *received,
                        const char *name, const char *os_name, const char *os_version,
                        const char *machine_type, const char *boot, guint64 interval_s,
                        const char *agent_version, const char *hardware_model);
/* Streaming: once @stream_rows (at most 100; 0 or 1: never) events wait in the buffer, the
 * next rows_stream() writes them with one INSERT that runs on the database's worker thread
 * while the caller applies the next records (inside the same transaction). */
void rows_set_stream_rows(Rows *rows, guint stream_rows);
/* A second connection (not owned; NULL: none) that writes the event rows of half the hosts
 * (by host id) in a transaction of its own, committed by rows_flush() just before the main
 * one, so that two server threads insert at once.  A replay after the main transaction
 * failed finds those rows and INSERT IGNORE (the agent sequence key) leaves them; until the
 * next commit after a rollback, the main connection writes every row. */
void rows_set_writer(Rows *rows, ChopinDb *writer);
/* A host whose hosts row this transaction may have inserted: its event rows stay on the
 * main connection (the writer does not check the foreign key). */
void rows_note_new_host(Rows *rows, guint host_id);
gboolean rows_stream(Rows *rows, GError **error);
/* How many event rows this transaction streamed already (when some did, an error may
 * belong to any record of the batch, not the one being applied). */
guint rows_streamed(const Rows *rows);
/* Writes the buffered rows (multi-row INSERTs) inside the open transaction; the starts and
 * stops among the events (EventLog 6005/6006/6008, User32 1074/1076, Kernel-Power 41,
 * Chopin's own reboot findings) go to start_stop_events as well. */
/* A heartbeat that changes nothing of its host but the time is written at most once a
 * second (of @clock_us, the receiver's clock); the latest one in between waits for a later
 * flush, or this one when @all_heartbeats. */
gboolean rows_flush(Rows *rows, uint64_t clock_us, gboolean all_heartbeats, GError **error);
/* After a commit: drops the waiting heartbeats it wrote. */
void rows_committed(Rows *rows);
/* How many heartbeats wait for a later transaction. */
guint rows_deferred(const Rows *rows);
/* How many heartbeats were put off to a later transaction since rows_new(). */
guint64 rows_coalesced(const Rows *rows);
/* How many event rows the writer committed since rows_new(). */
guint64 rows_second(const Rows *rows);
/* Drops the buffered rows of this transaction. */
void rows_clear(Rows *rows);
/* After a rollback: rows_clear(), and what the transaction wrote of the waiting heartbeats
 * is written again. */
void rows_forget(Rows *rows);

/* --- MySQL persistence (store.c) ------------------------------------------- */

typedef struct _Store Store;

typedef struct {
	uint64_t records;     /* applied */
	uint64_t duplicates;  /* dropped as INFORM retries / replays */
	uint64_t lost;        /* sequence numbers declared lost */
	uint64_t quarantined; /* stored in trap_quarantine */
	uint64_t rejected;    /* a record the database refused (logged, skipped) */
	uint64_t filtered;    /* event-log entries the filter rules dropped */
	uint64_t reboots;     /* reboots seen in heartbeats' boot times */
	uint64_t commits;
	uint64_t streamed;    /* event rows written while the next records were applied */
	uint64_t coalesced;   /* heartbeats that waited for a later transaction (rows_flush()) */
	uint64_t second;      /* event rows the second connection wrote (rows_set_writer()) */
} StoreStats;

/* @alarms (may be NULL: no rules) stays owned by the caller. */
Store *store_new(ChopinDb *db, const char *correlator_name, Alarms *alarms);
void store_free(Store *store);

/* Reads the stored spool position; {0, 0} when there is none. */
gboolean store_load_checkpoint(Store *store, ChopinSpoolPosition *ret_position, GError **error);

gboolean store_begin(Store *store, GError **error);
/* Applies one record inside the open transaction.  FALSE: roll the transaction back. */
gboolean store_apply(Store *store, const ChopinRecord *record, GError **error);
/* Counts a record skipped because the database refused it. */
void store_count_rejected(Store *store);
/* Writes the spool position and commits everything since store_begin(). */
gboolean store_commit(Store *store, ChopinSpoolPosition position, uint64_t records, GError **error);
/* After a failed transaction: forget cached ids and windows (they may be rolled back). */
void store_forget(Store *store);
/* How long state changes may stay in the journal (default 60 s). */
void store_set_journal_interval(Store *store, gint64 interval_us);
/* Event rows per streamed INSERT (rows_set_stream_rows); 0: none. */
void store_set_stream_rows(Store *store, guint stream_rows);
/* See rows_set_writer(). */
void store_set_writer(Store *store, ChopinDb *writer);
/* Whether heartbeats wait to be written to hosts (rows_flush()); store_heartbeat() writes
 * them. */
gboolean store_heartbeats_waiting(const Store *store);
/* Whether the open transaction streamed rows already (see rows_streamed()). */
gboolean store_streamed(const Store *store);
/*
 * While the fleet is quiet: one transaction that advances the rules' clock
 * (absence), writes the heartbeats waiting and refreshes the checkpoint's time, the
 * pipeline heartbeat.
 */
gboolean store_heartbeat(Store *store, GError **error);
const StoreStats *store_stats(const Store *store);

#include "sqltime.h"

#endif
