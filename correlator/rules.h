/* rules: the correlator's rule engine (filter, sequence, threshold, absence) as pure logic. */
#ifndef CHOPIN_RULES_H
#define CHOPIN_RULES_H

#include <glib.h>

G_BEGIN_DECLS

#define RULES_ERROR (rules_error_quark())
GQuark rules_error_quark(void);

typedef enum {
	RULES_ERROR_PARSE, /* the rules file is malformed; the message lists file:line problems */
	RULES_ERROR_STATE, /* a saved state blob is truncated or corrupt */
} RulesError;

/* ---- rules-raid.c: keys parsed from MR_MONITOR texts ---- */

/* -1 means "not in the text". */
typedef struct {
	gint controller; /* "Controller ID: 0" */
	gint vd;         /* "VD 0", "VD 00/0" (the first number) */
	gint pd;         /* "PD 03(e0xfc/s3)": device id, hexadecimal in the text */
	gint enclosure;  /* e0xfc (hex) or e252 (decimal) */
	gint slot;       /* s3 */
} RulesRaidKeys;

/* Fills every field of ret_keys (-1 when absent); message may be NULL. Never fails. */
void rules_raid_parse(const char *message, RulesRaidKeys *ret_keys);

/* ---- the engine's input ---- */

/* Windows event levels. */
typedef enum {
	RULES_LEVEL_NONE = 0,
	RULES_LEVEL_CRITICAL = 1,
	RULES_LEVEL_ERROR = 2,
	RULES_LEVEL_WARNING = 3,
	RULES_LEVEL_INFORMATION = 4,
	RULES_LEVEL_VERBOSE = 5,
} RulesLevel;

/* One event-log entry; the daemon fills it from a spool record. Strings are borrowed for the
 * duration of rules_engine_feed() only. */
typedef struct {
	const char *host;
	gint64 event_time_us;   /* the agent's DateAndTime, microseconds since the epoch */
	gint64 receive_time_us; /* the receiver's clock */
	const char *source;     /* "MR_MONITOR", "WHEA-Logger", ... */
	guint32 event_id;
	RulesLevel level;
	const char *message;
	RulesRaidKeys raid; /* rules_raid_parse(message, &event.raid) */
} RulesEvent;

/* Zeroes the event and sets every RAID key to -1. */
void rules_event_init(RulesEvent *event);

/* ---- rules-parse.c: the rules file ---- */

typedef struct _RulesSet RulesSet;

/* Parses a libconfig rules file held in data (filename is only used in messages). Returns
 * NULL and sets RULES_ERROR_PARSE with one "file:line: message" line per problem. The caller
 * owns the result. */
RulesSet *rules_set_new_from_data(const char *data, const char *filename, GError **error);
/* Same for a file on disk; G_FILE_ERROR when it cannot be read. */
RulesSet *rules_set_new_from_file(const char *path, GError **error);
/* Check-only entry point (-n): TRUE when path parses and validates. */
gboolean rules_set_check_file(const char *path, GError **error);
void rules_set_free(RulesSet *rules);

guint rules_set_get_count(const RulesSet *rules);
/* Name, type ("filter", "sequence", "threshold", "absence") and canonical definition text of
 * rule index (for mirroring the active rules into SQL). Borrowed from rules. */
const char *rules_set_get_name(const RulesSet *rules, guint index);
const char *rules_set_get_type(const RulesSet *rules, guint index);
const char *rules_set_get_definition(const RulesSet *rules, guint index);

/* ---- rules-engine.c: feeding events, actions out ---- */

typedef enum {
	RULES_ACTION_KEPT,    /* a filter kept the event (rule = the filter, NULL for default) */
	RULES_ACTION_RAISED,  /* an alarm opened for rule + key */
	RULES_ACTION_UPDATED, /* the open alarm matched again (count, last_seen changed) */
	RULES_ACTION_CLEARED, /* the open alarm closed */
} RulesActionType;

/* Everything is borrowed for the duration of the callback. */
typedef struct {
	RulesActionType type;
	const char *rule; /* rule name */
	const char *key;  /* "host", "host/c0/v1", ...: see docs/rules.md */
	const char *host;
	const char *alarm;    /* alarm name */
	const char *severity; /* "warning", "critical" */
	const char *service;  /* "RAID", "Updates", "Heartbeat", "Hardware", "System" */
	const char *text;     /* the expanded text template */
	guint64 count;        /* sequence: completions; threshold: matches in the window */
	gint64 first_seen_us;
	gint64 last_seen_us;
	const RulesEvent *event; /* the event that caused it, NULL from a tick or a reload */
} RulesAction;

typedef void (*RulesActionFunc)(const RulesAction *action, gpointer user_data);

typedef struct _RulesEngine RulesEngine;

typedef struct {
	guint64 events; /* events fed */
	guint64 late;   /* events ignored: older than the lateness tolerance allows */
	guint64 keys;   /* keys with state, all rules */
	guint64 open_alarms;
} RulesEngineStats;

/* Takes ownership of rules. callback may be NULL. */
RulesEngine *rules_engine_new(RulesSet *rules, RulesActionFunc callback, gpointer user_data);
void rules_engine_free(RulesEngine *engine);

/* Runs every rule over one event; actions are emitted synchronously through the callback. */
void rules_engine_feed(RulesEngine *engine, const RulesEvent *event);
/* A heartbeat from host announcing its interval, on the receiver's clock. */
void rules_engine_heartbeat(RulesEngine *engine, const char *host, gint64 interval_us,
                            gint64 receive_time_us);
/* Advances the receiver's clock: absence alarms, expired "not followed by" sequences and
 * threshold decays are decided here. */
void rules_engine_tick(RulesEngine *engine, gint64 now_us);
/* Replaces the rules (takes ownership of rules). State of rules whose name and definition are
 * unchanged is kept; open alarms of removed or changed rules are cleared through the callback. */
void rules_engine_reload(RulesEngine *engine, RulesSet *rules);
void rules_engine_get_stats(const RulesEngine *engine, RulesEngineStats *ret_stats);

/* Called for each open alarm: its rule, key ("host/c0/v0") and service, borrowed. */
typedef void (*RulesOpenAlarmFunc)(const char *rule, const char *key, const char *service,
                                   gpointer user_data);
void rules_engine_foreach_open_alarm(const RulesEngine *engine, RulesOpenAlarmFunc func,
                                     gpointer user_data);
/* An operator closed the open alarm of rule + key outside the engine (chopinctl alarms clear,
 * SQL). The engine closes it without a CLEARED action and drops the key's evidence, so that
 * only new events raise it again: a threshold's counts, a sequence's partial matches, an
 * absence's interval (the host's next heartbeat re-arms it). Returns TRUE when an open alarm
 * was forgotten, FALSE when rule + key had none. */
gboolean rules_engine_forget_alarm(RulesEngine *engine, const char *rule, const char *key);
const RulesSet *rules_engine_get_rules(const RulesEngine *engine);

/* ---- rules-state.c: exactly-once persistence ---- */

/* The engine's whole state (per rule, per key) as a compact blob. The caller owns it. */
GBytes *rules_engine_save(const RulesEngine *engine);
/* Loads a blob from rules_engine_save() into an engine with no state yet. State of rules whose
 * name or definition differ from the saved ones is discarded. FALSE and RULES_ERROR_STATE on a
 * corrupt blob, in which case the engine's state is left empty. */
gboolean rules_engine_restore(RulesEngine *engine, GBytes *blob, GError **error);

/* Incremental persistence: one row per rule and key, only what changed.  A rule's state is
 * named by a state id that changes with its definition, so the rows of an edited or removed
 * rule are ignored on restore (and may be deleted). */
#define RULES_STATE_ID_MAX 128
typedef void (*RulesStateFunc)(const char *state_id, const char *key, const guint8 *state,
                               gsize len, gpointer user_data);
/* Calls func for each key whose state changed since the previous call (all: since the
 * previous call with all, i.e. the last full save), then forgets the changes.  The state holds the key too: a key too long for a
 * database column can be stored under a digest of it. */
void rules_engine_save_changes(RulesEngine *engine, gboolean all, RulesStateFunc func,
                               gpointer user_data);
/* Counts every key as changed (after a restore from a whole blob, to rewrite it as rows). */
void rules_engine_touch_all(RulesEngine *engine);
/* Restores one key saved by rules_engine_save_changes() into an engine being restored; a key
 * restored again (from a journal) replaces what was read first, and with unflushed it counts
 * as changed since the last full save.  State of a rule no longer in force is skipped (TRUE);
 * unreadable state is an error, and the key starts afresh. */
gboolean rules_engine_restore_key(RulesEngine *engine, const char *state_id, const guint8 *state,
                                  gsize len, gboolean unflushed, GError **error);
/* Whether state_id names a rule in force with state; its state ids (borrowed strings). */
gboolean rules_engine_has_state_id(const RulesEngine *engine, const char *state_id);
GPtrArray *rules_engine_get_state_ids(const RulesEngine *engine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RulesSet, rules_set_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RulesEngine, rules_engine_free)

G_END_DECLS

#endif /* CHOPIN_RULES_H */
