/* Alarm notifications to SNMP managers: interfaces grouped by the file that implements them. */
#ifndef CHOPIN_NOTIFY_H
#define CHOPIN_NOTIFY_H

#include <glib.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "chopin-config.h"
#include "chopin-mysql.h"

/* --- the managers of chopin.conf (notify-config.c) -------------------------------------- */

typedef enum {
	NOTIFY_VERSION_2C,
	NOTIFY_VERSION_3,
} NotifyVersion;

/* One entry of correlator.managers, checked; every string owned. */
typedef struct {
	char *name;    /* alarm_notifications.manager and the log; default: the address */
	char *address; /* net-snmp transport address, e.g. "udp:192.0.2.7:162" */
	NotifyVersion version;
	gboolean inform;       /* an acknowledged INFORM, else a trap */
	char *community;       /* v2c */
	char *user;            /* v3 */
	char *auth_protocol;   /* v3, as net-snmp names it: "SHA", "SHA-256" ... */
	char *auth_passphrase; /* v3 */
	char *priv_protocol;   /* v3, "AES" ...; NULL: authNoPriv */
	char *priv_passphrase;
	char *engine_id;   /* v3, hex; NULL: discovered */
	guint retries;     /* retransmissions of one attempt */
	gint64 timeout_ms; /* wait for the acknowledgement of each transmission */
	gint64 backoff_max_ms;
	gint64
	    give_up_ms; /* an unacknowledged notification is dropped this long after the change */
} NotifyManagerConfig;

/*
 * Reads and checks correlator.managers of @file.  Each problem is appended to
 * @diagnostics as "file:line: message" ("file:line: warning: message" for a
 * warning); passphrase files are read here.  Returns the managers
 * (NotifyManagerConfig *, possibly none), or NULL when any is invalid.
 */
GPtrArray *notify_config_load(const ChopinConfig *file, GPtrArray *diagnostics);
void notify_manager_config_free(NotifyManagerConfig *config);

/* --- what a notification carries (notify-pdu.c) ------------------------------------------ */

/* One row of alarm_notifications joined with its alarm and host: one notification to send. */
typedef struct {
	guint64 id; /* alarm_notifications.notification_id */
	guint64 alarm_id;
	gboolean cleared; /* chopinAlarmCleared, else chopinAlarmRaised */
	char *host;
	char *service;
	char *rule;
	char *severity; /* "warning", "critical" */
	char *text;
	char *key;
	guint32 count;
	char *first_seen;  /* "YYYY-MM-DD hh:mm:ss[.ffffff]", UTC */
	gint64 created_us; /* when the alarm changed, wall clock */
	guint attempts;    /* made so far, across restarts */
	/* the sender's bookkeeping */
	gboolean in_flight;
	gboolean done;
} NotifyEntry;

void notify_entry_free(NotifyEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NotifyEntry, notify_entry_free)

/* chopinAlarmId for an alarms.alarm_id: Unsigned32 (1..4294967295), wrapping after that. */
guint32 notify_alarm_id(guint64 alarm_id);

/* chopinAlarmSeverity for the alarms.severity text: critical(3), warning(2), else info(1). */
int notify_severity_value(const char *severity);

/* The longest prefix of @text, at most @max octets, that ends on a UTF-8 character boundary. */
gsize notify_utf8_prefix(const char *text, gsize max);

/* "YYYY-MM-DD hh:mm:ss[.ffffff]" (UTC) as an 11-octet DateAndTime; FALSE when malformed. */
gboolean notify_date_and_time(const char *sql_time, guint8 ret_octets[11]);

/*
 * Appends sysUpTime.0 (@uptime_ticks), snmpTrapOID.0 (chopinAlarmRaised or
 * chopinAlarmCleared) and the notification's objects in the order of its
 * OBJECTS clause, each with its .0 instance, to @pdu.  Texts longer than the
 * MIB allows are cut on a character boundary.  Returns 0, or -1 with @errbuf
 * filled (the PDU may then hold some of the varbinds).
 */
int notify_pdu_fill(netsnmp_pdu *pdu, const NotifyEntry *entry, u_long uptime_ticks, char *errbuf,
                    size_t errlen);

/*
 * The wait before the next attempt after @failures consecutive failed ones:
 * @first_ms doubled for each failure after the first, at most @max_ms.
 */
gint64 notify_backoff_ms(guint failures, gint64 first_ms, gint64 max_ms);

/* --- the outbox table (notify-outbox.c) ------------------------------------------------------ */

typedef enum {
	NOTIFY_STATE_PENDING,
	NOTIFY_STATE_SENT,
	NOTIFY_STATE_ACKNOWLEDGED,
	NOTIFY_STATE_FAILED,
} NotifyState;

/* What became of one notification since it was loaded: written by notify_outbox_record(). */
typedef struct {
	guint64 id;
	NotifyState state;
	guint attempts;
	gint64 last_attempt_us; /* wall clock; 0: none */
	char *last_error;       /* NULL: none */
} NotifyOutcome;

void notify_outcome_free(NotifyOutcome *outcome);

/*
 * Inside the open transaction: one pending row per manager in @managers
 * (names) for alarm @alarm_id, as it stands.  Called after the alarm's INSERT
 * when it is raised, before its UPDATE when it is cleared.  Returns FALSE
 * with @error (a database error).
 */
gboolean notify_outbox_add(ChopinDb *db, const char *correlator, const char *const *managers,
                           gboolean cleared, guint64 alarm_id, GError **error);

/*
 * Appends to @entries (NotifyEntry *) the pending rows of @manager with ids
 * above @after, oldest first, at most @limit.  Returns FALSE with @error.
 */
gboolean notify_outbox_load(ChopinDb *db, const char *correlator, const char *manager,
                            guint64 after, guint limit, GPtrArray *entries, GError **error);

/* Writes @outcomes (NotifyOutcome *) in one transaction.  Returns FALSE with @error. */
gboolean notify_outbox_record(ChopinDb *db, GPtrArray *outcomes, GError **error);

/*
 * Marks the pending rows of managers no longer in @managers (names) failed,
 * with the reason.  Returns FALSE with @error; *ret_count gets the number.
 */
gboolean notify_outbox_abandon(ChopinDb *db, const char *correlator, const char *const *managers,
                               guint64 *ret_count, GError **error);

/* --- the sender (notify.c) ----------------------------------------------------------------- */

typedef struct _Notify Notify;

/* Per manager, since start. */
typedef struct {
	guint64 sent;            /* notifications transmitted (first transmissions) */
	guint64 acknowledged;    /* informs the manager answered */
	guint64 failed;          /* attempts that ended without an acknowledgement */
	guint64 given_up;        /* notifications dropped after give_up_after */
	guint64 retransmissions; /* within attempts */
} NotifyCounters;

/*
 * Sets up net-snmp (no system files) and one session per manager of
 * @managers (NotifyManagerConfig *, taken).  NULL with @error when a manager
 * cannot be set up (an unknown protocol, a bad engine ID).
 */
Notify *notify_new(const char *correlator_name, GPtrArray *managers, GError **error);
/* Closes the sessions, logs each manager's counters.  Accepts NULL. */
void notify_free(Notify *notify);

/*
 * Inside the open transaction (NULL @notify: nothing): queues the alarm's
 * notification for every manager; sent once the transaction committed.
 */
gboolean notify_alarm_changed(Notify *notify, gboolean cleared, guint64 alarm_id, GError **error);
/* After a commit: what it queued is loaded and sent soon.  Accepts NULL. */
void notify_after_commit(Notify *notify);
/*
 * The database is usable (connected, this correlator's lock held): pending
 * notifications are loaded, outcomes written.  Accepts NULL.
 */
void notify_resume(Notify *notify, ChopinDb *db);
/* The counters of manager @index (in configuration order), or NULL. */
const NotifyCounters *notify_get_counters(const Notify *notify, guint index);

#endif
