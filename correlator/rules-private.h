/* rules-private: the parsed rule structures and per-key state shared by the engine's files. */
#ifndef CHOPIN_RULES_PRIVATE_H
#define CHOPIN_RULES_PRIVATE_H

#include "rules.h"

G_BEGIN_DECLS

#define RULES_MAX_KEY_FIELDS 8

typedef struct {
	guint32 low;
	guint32 high;
} RulesIdRange;

/* Every set criterion must hold; an unset criterion matches anything. */
typedef struct {
	char **sources; /* NULL-terminated, compared without case */
	RulesIdRange *ids;
	guint n_ids;
	guint level_mask; /* bit (1 << RulesLevel); 0 = any */
	GPatternSpec *host;
	GRegex *message;
} RulesMatch;

typedef enum {
	RULES_KEY_HOST,
	RULES_KEY_CONTROLLER,
	RULES_KEY_VD,
	RULES_KEY_PD,
	RULES_KEY_ENCLOSURE,
	RULES_KEY_SLOT,
	RULES_KEY_SOURCE,
	RULES_KEY_ID,
} RulesKeyField;

typedef enum {
	RULES_TYPE_FILTER,
	RULES_TYPE_SEQUENCE,
	RULES_TYPE_THRESHOLD,
	RULES_TYPE_ABSENCE,
} RulesType;

/* A sequence is a chain of positive steps; negatives[i] are the "not followed by" matches
 * that break a partial match ending at positive step i (the last ones trail the chain). */
typedef struct {
	RulesMatch match;
	GPtrArray *negatives; /* RulesMatch*, may be empty */
} RulesStep;

typedef struct {
	char *name;
	RulesType type;
	char *definition; /* canonical text, compared on reload */
	guint64 fingerprint;
	guint line;

	RulesKeyField key[RULES_MAX_KEY_FIELDS];
	guint n_key;

	gboolean keep;    /* filter */
	RulesMatch match; /* filter, threshold */
#define RULES_MAX_STEPS 32

	RulesStep *steps; /* sequence */
	guint n_steps;
	gint64 within_us;
	gint64 lateness_us;

	guint64 count; /* threshold */
	guint64 clear_below;
	gint64 window_us;
	gint64 bucket_us;
	guint n_buckets;

	guint multiple; /* absence */

	char *alarm_name;
	char *severity;
	char *service;
	char *text;
	RulesMatch *clears;
	guint n_clears;
} Rule;

struct _RulesSet {
	GPtrArray *rules; /* Rule*, file order */
	gboolean filter_default_keep;
};

void rules_match_clear(RulesMatch *match);
gboolean rules_match_event(const RulesMatch *match, const RulesEvent *event);
void rule_free(Rule *rule);
/* An empty array of owned RulesMatch*, for RulesStep.negatives. */
GPtrArray *rules_step_negatives_new(void);
guint64 rules_fingerprint(const char *text);

/* ---- per-key state (rules-engine.c) ---- */

typedef struct {
	gboolean open;
	guint64 count;
	gint64 first_seen_us;
	gint64 last_seen_us;
} RulesAlarmState;

/* prefix[i]: the partial match ending at positive step i with the latest start. */
typedef struct {
	gint64 start;
	gint64 end;
	gint64 raw; /* latest event time seen for step i (out-of-order completion) */
	gboolean valid;
} RulesPrefix;

typedef struct {
	RulesAlarmState alarm;
	gint64 max_time;
	gint64 pending_due_rx; /* trailing "not followed by": fire at this receiver time; 0 none */
	gint64 pending_deadline; /* ...or when event time passes this */
	guint32 generation;
	RulesPrefix prefix[]; /* n_steps */
} RulesSequenceState;

typedef struct {
	RulesAlarmState alarm;
	gint64 head; /* bucket number of the newest bucket */
	gint64 last_time;
	gint64 last_rx;
	guint64 total;
	guint32 counts[]; /* n_buckets, ring indexed by bucket number modulo n_buckets */
} RulesThresholdState;

typedef struct {
	RulesAlarmState alarm;
	gint64 interval_us;
	gint64 last_seen_rx;
} RulesAbsenceState;

typedef struct {
	gint64 due;
	const char *key; /* owned by the runtime's table */
	RulesSequenceState *state;
	guint32 generation;
} RulesDue;

/* One per rule: its key table (char* -> state) and its pending deadlines. */
typedef struct {
	Rule *rule;
	GHashTable *table;
	GArray *heap; /* RulesDue, min-heap on due */
	guint open;
	GHashTable *dirty;     /* keys (the table's own strings) changed since the last save */
	GHashTable *unflushed; /* ...since the last full save (a superset of dirty) */
	char *state_id;    /* rules_state_id() */
} RulesRuntime;

struct _RulesEngine {
	RulesSet *rules;
	GPtrArray *runtimes; /* RulesRuntime*, parallel to rules->rules */
	RulesActionFunc callback;
	gpointer user_data;
	GPtrArray *filters;     /* RulesRuntime*, borrowed, file order */
	GPtrArray *correlators; /* sequence and threshold runtimes, borrowed */
	GPtrArray *absences;
	GString *key;
	GString *text;
	RulesEngineStats stats;
	gint64 next_scan_us; /* rules_engine_tick() scans absences and decays from then on */
};

#define RULES_SCAN_INTERVAL_US G_USEC_PER_SEC

/* rules-engine.c */
/* The state of key in runtime, created when create is TRUE (NULL otherwise); ret_key (may be
 * NULL) gets the table's own copy of the key, stable for the runtime's life. */
gpointer rules_engine_lookup(RulesEngine *engine, RulesRuntime *runtime, const char *key,
                             gboolean create, const char **ret_key);
/* The key of event for rule into engine->key; FALSE when the event lacks a key field. */
gboolean rules_engine_build_key(RulesEngine *engine, const Rule *rule, const RulesEvent *event);
/* Opens (count 1) or updates (count + 1, or set_count when nonzero) the alarm of key. */
void rules_alarm_fire(RulesEngine *engine, RulesRuntime *runtime, const char *key,
                      RulesAlarmState *alarm, guint64 set_count, gint64 time_us,
                      const RulesEvent *event);
void rules_alarm_clear(RulesEngine *engine, RulesRuntime *runtime, const char *key,
                       RulesAlarmState *alarm, const RulesEvent *event);
/* Records that the state of key (any string equal to a key of the table) changed. */
void rules_runtime_touch(RulesRuntime *runtime, const char *key);
/* The same for the table's own key string. */
void rules_runtime_mark(RulesRuntime *runtime, char *own_key);
/* "r:FINGERPRINT:NAME", at most RULES_STATE_ID_MAX characters: names a rule's saved state. */
char *rules_state_id(const Rule *rule);
gsize rules_state_size(const Rule *rule);
void rules_state_reset(const Rule *rule, gpointer state);
RulesRuntime *rules_runtime_new(Rule *rule);
void rules_runtime_free(RulesRuntime *runtime);

/* rules-sequence.c */
void rules_sequence_feed(RulesEngine *engine, RulesRuntime *runtime, const RulesEvent *event);
void rules_sequence_tick(RulesEngine *engine, RulesRuntime *runtime, gint64 now_us);
void rules_sequence_reset(const Rule *rule, RulesSequenceState *state);
void rules_runtime_push_due(RulesRuntime *runtime, gint64 due, const char *key,
                            RulesSequenceState *state);

/* rules-threshold.c: threshold and absence */
void rules_threshold_feed(RulesEngine *engine, RulesRuntime *runtime, const RulesEvent *event);
void rules_threshold_tick(RulesEngine *engine, RulesRuntime *runtime, gint64 now_us);
void rules_absence_heartbeat(RulesEngine *engine, RulesRuntime *runtime, const char *host,
                             gint64 interval_us, gint64 receive_time_us);
void rules_absence_tick(RulesEngine *engine, RulesRuntime *runtime, gint64 now_us);

G_END_DECLS

#endif /* CHOPIN_RULES_PRIVATE_H */
