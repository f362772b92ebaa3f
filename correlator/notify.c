/* The sender: alarm notifications to SNMP managers from the outbox, in the GLib loop, never
 * blocking it; informs retried with backoff until acknowledged or given up. */
#include "config.h"

#include "notify.h"

#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <net-snmp/library/large_fd_set.h>

#include "chopin-log.h"

#define NOTIFY_QUEUE_MAX     256 /* notifications of one manager held in memory */
#define NOTIFY_WINDOW        8   /* informs in flight per manager */
#define NOTIFY_LOAD_DELAY_MS 20  /* commits within this share one load */
#define NOTIFY_FLUSH_DELAY_MS                                                                      \
	0 /* outcomes of one turn of the loop share one transaction: a crash                       \
	   * repeats at most what the last turn sent */
#define NOTIFY_RETRY_DB_MS   2000 /* after a failed load or flush */
#define NOTIFY_ENGINE_ID_MAX 32

typedef struct _NotifyManager NotifyManager;

/* SNMPv3: where the manager's engine ID stands (version 2c and configured IDs: KNOWN). */
typedef enum {
	ENGINE_UNKNOWN, /* to discover before the next inform */
	ENGINE_PROBING, /* the discovery request is out */
	ENGINE_FOUND,   /* a report named it: localize the user */
	ENGINE_KNOWN,   /* the session sends informs */
} EngineState;

/*
 * The magic of one request: an inform, or the engine-ID probe (entry NULL).
 * net-snmp may call back more than once for a request (a REPORT comes as a
 * message, then as a security error), so a request is only marked finished
 * in its callbacks; the manager frees the finished ones when the session has
 * nothing outstanding, or is closed.
 */
typedef struct {
	NotifyManager *manager;
	NotifyEntry *entry;
	gboolean finished;
} NotifyRequest;

struct _NotifyManager {
	Notify *notify;
	NotifyManagerConfig *config;
	/* SNMPv3: the protocols and the keys derived from the passphrases (Ku), once */
	oid auth_protocol[MAX_OID_LEN];
	size_t auth_protocol_len;
	oid priv_protocol[MAX_OID_LEN];
	size_t priv_protocol_len;
	u_char auth_key[USM_AUTH_KU_LEN];
	size_t auth_key_len;
	u_char priv_key[USM_PRIV_KU_LEN];
	size_t priv_key_len;
	u_char engine_id[NOTIFY_ENGINE_ID_MAX]; /* configured; length 0: discovered */
	size_t engine_id_len;
	/* the session */
	void *session; /* snmp_sess_* handle; NULL: not open */
	guint socket_source;
	guint timer_source;  /* net-snmp's retransmission timeout */
	guint wake_source;   /* the end of a backoff */
	gboolean closing;    /* callbacks from snmp_sess_close() only let go */
	gboolean sending;    /* in snmp_sess_async_send(): its callbacks are ignored */
	GPtrArray *requests; /* NotifyRequest *, owned: in flight or finished */
	/* SNMPv3 engine discovery, without net-snmp's blocking probe */
	EngineState engine;
	u_char probed_engine[NOTIFY_ENGINE_ID_MAX];
	size_t probed_engine_len;
	char report[128]; /* what the last REPORT said */
	/* the notifications */
	GQueue queue; /* NotifyEntry *: loaded and not done, oldest first */
	guint in_flight;
	guint64 loaded_up_to; /* the highest notification id loaded */
	gboolean more_in_db;
	guint failures;       /* consecutive failed attempts */
	gint64 not_before_us; /* monotonic: the backoff */
	NotifyCounters counters;
	ChopinComplaint complaint;
};

struct _Notify {
	char *name;
	ChopinDb *db;         /* NULL until notify_resume() */
	GPtrArray *managers;  /* NotifyManager * */
	char **manager_names; /* for the outbox */
	gint64 start_us;      /* sysUpTime.0 counts from here */
	gboolean queued;      /* the open transaction queued notifications */
	gboolean abandoned;   /* rows of managers no longer configured are marked failed */
	guint load_source;
	guint pump_source;
	GHashTable *outcomes; /* notification id -> NotifyOutcome *: to write */
	guint flush_source;
	ChopinComplaint db_complaint;
};

static void manager_pump(NotifyManager *manager);
static void manager_arm_timer(NotifyManager *manager);
static void notify_schedule_pump(Notify *notify);
static void notify_schedule_load(Notify *notify, guint delay_ms);

/* --- net-snmp set-up --------------------------------------------------------------------- */

static int
netsnmp_log_cb(int major, int minor, void *server_arg, void *client_arg)
{
	const struct snmp_log_message *message = server_arg;
	g_autofree char *text = g_strdup(message->msg != NULL ? message->msg : "");

	chopin_log(CHOPIN_LOG_INFO, "net-snmp: %s", g_strchomp(text));
	return 0;
}

static void
notify_init_netsnmp(void)
{
	/* no /etc/snmp, no persistent state, no MIB files: we speak numeric OIDs */
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	/* net-snmp's alarms would use SIGALRM; the GLib loop keeps all the time */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, netsnmp_log_cb, NULL);
	init_snmp("chopin-correlator");
	/* for developers: net-snmp's debug tokens, e.g. "usm,sess_process_packet", at -v */
	const char *tokens = g_getenv("CHOPIN_NETSNMP_DEBUG");
	if (tokens != NULL && *tokens != '\0') {
		debug_register_tokens(tokens);
		snmp_set_do_debugging(1);
	}
}

static gboolean
hex_to_octets(const char *text, u_char *buf, size_t size, size_t *ret_len)
{
	size_t len = 0;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	size_t digits = strlen(text);
	if (digits == 0 || digits % 2 != 0 || digits / 2 > size)
		return FALSE;
	for (size_t i = 0; i < digits; i += 2) {
		int hi = g_ascii_xdigit_value(text[i]), lo = g_ascii_xdigit_value(text[i + 1]);
		if (hi < 0 || lo < 0)
			return FALSE;
		buf[len++] = (u_char)(hi << 4 | lo);
	}
	*ret_len = len;
	return len >= 5;
}

/* SNMPv3: protocols, keys (Ku) from the passphrases, the configured engine ID. */
static gboolean
manager_derive_keys(NotifyManager *manager, GError **error)
{
	const NotifyManagerConfig *config = manager->config;
	size_t len;

	int auth_type = usm_lookup_auth_type(config->auth_protocol);
	const oid *auth = auth_type >= 0 ? sc_get_auth_oid(auth_type, &len) : NULL;
	if (auth == NULL || len > G_N_ELEMENTS(manager->auth_protocol)) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID,
		            "manager %s: net-snmp has no authentication protocol %s", config->name,
		            config->auth_protocol);
		return FALSE;
	}
	memcpy(manager->auth_protocol, auth, len * sizeof(oid));
	manager->auth_protocol_len = len;
	manager->auth_key_len = sizeof manager->auth_key;
	if (generate_Ku(manager->auth_protocol, (u_int)manager->auth_protocol_len,
	                (const u_char *)config->auth_passphrase, strlen(config->auth_passphrase),
	                manager->auth_key, &manager->auth_key_len) != SNMPERR_SUCCESS) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID,
		            "manager %s: cannot derive the authentication key", config->name);
		return FALSE;
	}
	if (config->priv_protocol != NULL) {
		int priv_type = usm_lookup_priv_type(config->priv_protocol);
		const oid *priv = priv_type >= 0 ? sc_get_priv_oid(priv_type, &len) : NULL;
		if (priv == NULL || len > G_N_ELEMENTS(manager->priv_protocol)) {
			g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID,
			            "manager %s: net-snmp has no privacy protocol %s", config->name,
			            config->priv_protocol);
			return FALSE;
		}
		memcpy(manager->priv_protocol, priv, len * sizeof(oid));
		manager->priv_protocol_len = len;
		manager->priv_key_len = sizeof manager->priv_key;
		if (generate_Ku(manager->auth_protocol, (u_int)manager->auth_protocol_len,
		                (const u_char *)config->priv_passphrase,
		                strlen(config->priv_passphrase), manager->priv_key,
		                &manager->priv_key_len) != SNMPERR_SUCCESS) {
			g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID,
			            "manager %s: cannot derive the privacy key", config->name);
			return FALSE;
		}
	}
	if (config->engine_id != NULL &&
	    !hex_to_octets(config->engine_id, manager->engine_id, sizeof manager->engine_id,
	                   &manager->engine_id_len)) {
		g_set_error(error, CHOPIN_CONFIG_ERROR, CHOPIN_CONFIG_ERROR_INVALID,
		            "manager %s: engine ID '%s' is not 5..32 octets of hex", config->name,
		            config->engine_id);
		return FALSE;
	}
	return TRUE;
}

/* --- the session in the GLib loop ----------------------------------------------------------- */

static gboolean
manager_timer_cb(gpointer data)
{
	NotifyManager *manager = data;

	manager->timer_source = 0;
	if (manager->session != NULL)
		snmp_sess_timeout(manager->session); /* retransmits, or ends requests (callbacks) */
	manager_arm_timer(manager);                  /* what is still outstanding */
	notify_schedule_pump(manager->notify);
	return G_SOURCE_REMOVE;
}

/* Arms the timer for the session's earliest retransmission or timeout, if any. */
static void
manager_arm_timer(NotifyManager *manager)
{
	netsnmp_large_fd_set fdset;
	struct timeval timeout = {0, 0};
	int numfds = 0, block = 1; /* 1: take the earliest expiry of the requests as the timeout */

	if (manager->timer_source != 0)
		g_source_remove(manager->timer_source);
	manager->timer_source = 0;
	if (manager->session == NULL)
		return;
	netsnmp_large_fd_set_init(&fdset, FD_SETSIZE);
	snmp_sess_select_info2_flags(manager->session, &numfds, &fdset, &timeout, &block,
	                             NETSNMP_SELECT_NOALARMS);
	netsnmp_large_fd_set_cleanup(&fdset);
	if (block) {
		/* nothing outstanding (block stays 1): net-snmp holds no request's magic now */
		g_ptr_array_set_size(manager->requests, 0);
		return;
	}
	guint ms = (guint)(timeout.tv_sec * 1000 + (timeout.tv_usec + 999) / 1000);
	manager->timer_source = g_timeout_add(ms, manager_timer_cb, manager);
}

static gboolean
manager_readable_cb(gint fd, GIOCondition condition, gpointer data)
{
	NotifyManager *manager = data;
	netsnmp_large_fd_set fdset;

	if (manager->session == NULL)
		return G_SOURCE_CONTINUE;
	netsnmp_large_fd_set_init(&fdset, fd + 1);
	NETSNMP_LARGE_FD_SET(fd, &fdset);
	snmp_sess_read2(manager->session, &fdset); /* answers go to manager_response_cb */
	netsnmp_large_fd_set_cleanup(&fdset);
	manager_arm_timer(manager);
	notify_schedule_pump(manager->notify);
	return G_SOURCE_CONTINUE;
}

static gboolean
manager_open(NotifyManager *manager, char *errbuf, size_t errlen)
{
	const NotifyManagerConfig *config = manager->config;
	netsnmp_session session;

	snmp_sess_init(&session);
	session.peername = config->address;
	session.timeout = config->timeout_ms * 1000;
	session.retries = (int)config->retries;
	if (config->version == NOTIFY_VERSION_2C) {
		session.version = SNMP_VERSION_2c;
		session.community = (u_char *)config->community;
		session.community_len = strlen(config->community);
	} else {
		session.version = SNMP_VERSION_3;
		session.securityModel = SNMP_SEC_MODEL_USM;
		session.securityName = config->user;
		session.securityNameLen = strlen(config->user);
		session.securityLevel = config->priv_protocol != NULL ? SNMP_SEC_LEVEL_AUTHPRIV
		                                                      : SNMP_SEC_LEVEL_AUTHNOPRIV;
		session.securityAuthProto = manager->auth_protocol;
		session.securityAuthProtoLen = manager->auth_protocol_len;
		memcpy(session.securityAuthKey, manager->auth_key, manager->auth_key_len);
		session.securityAuthKeyLen = manager->auth_key_len;
		if (config->priv_protocol != NULL) {
			session.securityPrivProto = manager->priv_protocol;
			session.securityPrivProtoLen = manager->priv_protocol_len;
			memcpy(session.securityPrivKey, manager->priv_key, manager->priv_key_len);
			session.securityPrivKeyLen = manager->priv_key_len;
		}
		if (manager->engine_id_len > 0) {
			session.securityEngineID = manager->engine_id;
			session.securityEngineIDLen = manager->engine_id_len;
		}
		/* net-snmp would discover the engine with a blocking request: we do it ourselves */
		session.flags |= SNMP_FLAGS_DONT_PROBE;
	}
	/* "snmptrap": a bare host name means port 162 */
	netsnmp_transport *transport = netsnmp_transport_open_client("snmptrap", config->address);
	if (transport == NULL) {
		g_snprintf(errbuf, errlen, "cannot open a transport to %s", config->address);
		return FALSE;
	}
	manager->session = snmp_sess_add(&session, transport, NULL, NULL);
	if (manager->session == NULL) {
		char *message = NULL;
		snmp_error(&session, NULL, NULL, &message);
		g_snprintf(errbuf, errlen, "cannot open a session to %s: %s", config->address,
		           message != NULL ? message : "unknown error");
		free(message);
		return FALSE; /* snmp_sess_add closed the transport */
	}
	netsnmp_session *opened = snmp_sess_session(manager->session);
	opened->flags |= SNMP_FLAGS_DONT_PROBE; /* snmp_sess_add cleared it */
	manager->engine = config->version == NOTIFY_VERSION_2C || manager->engine_id_len > 0
	                      ? ENGINE_KNOWN
	                      : ENGINE_UNKNOWN;
	manager->socket_source = g_unix_fd_add(snmp_sess_transport(manager->session)->sock, G_IO_IN,
	                                       manager_readable_cb, manager);
	return TRUE;
}

static void
manager_close(NotifyManager *manager)
{
	if (manager->session == NULL)
		return;
	if (manager->socket_source != 0)
		g_source_remove(manager->socket_source);
	if (manager->timer_source != 0)
		g_source_remove(manager->timer_source);
	manager->socket_source = manager->timer_source = 0;
	manager->closing = TRUE;
	snmp_sess_close(manager->session); /* ends the requests in flight through the callback */
	manager->closing = FALSE;
	g_ptr_array_set_size(manager->requests, 0);
	manager->session = NULL;
	manager->engine = ENGINE_UNKNOWN;
}

/* --- outcomes and the outbox ------------------------------------------------------------------ */

static gboolean notify_flush_cb(gpointer data);

static void
notify_schedule_flush(Notify *notify, guint delay_ms)
{
	if (notify->flush_source == 0)
		notify->flush_source = g_timeout_add(delay_ms, notify_flush_cb, notify);
}

/* What became of @entry, to be written to its row. */
static void
notify_record(Notify *notify, const NotifyEntry *entry, NotifyState state, const char *error)
{
	NotifyOutcome *outcome = g_new0(NotifyOutcome, 1);

	outcome->id = entry->id;
	outcome->state = state;
	outcome->attempts = entry->attempts;
	outcome->last_attempt_us = entry->attempts > 0 ? g_get_real_time() : 0;
	outcome->last_error = g_strdup(error);
	g_hash_table_replace(notify->outcomes, &outcome->id, outcome);
	notify_schedule_flush(notify, NOTIFY_FLUSH_DELAY_MS);
}

/* Writes the outcomes; FALSE (they stay) when the database refused. */
static gboolean
notify_flush(Notify *notify)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) outcomes = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value;

	if (g_hash_table_size(notify->outcomes) == 0)
		return TRUE;
	if (notify->db == NULL)
		return FALSE;
	g_hash_table_iter_init(&iter, notify->outcomes);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(outcomes, value);
	if (!notify_outbox_record(notify->db, outcomes, &error)) {
		chopin_complain(&notify->db_complaint, CHOPIN_LOG_WARNING,
		                "notifications: cannot record what was sent: %s", error->message);
		return FALSE;
	}
	chopin_complaint_release(&notify->db_complaint, CHOPIN_LOG_MESSAGE,
	                         "notifications: the outbox is written again");
	g_hash_table_remove_all(notify->outcomes);
	return TRUE;
}

static gboolean
notify_flush_cb(gpointer data)
{
	Notify *notify = data;

	notify->flush_source = 0;
	if (!notify_flush(notify))
		notify_schedule_flush(notify, NOTIFY_RETRY_DB_MS);
	return G_SOURCE_REMOVE;
}

/* Loads what each manager can hold of its pending rows; FALSE on a database error. */
static gboolean
notify_load(Notify *notify)
{
	g_autoptr(GError) error = NULL;

	if (notify->db == NULL)
		return FALSE;
	if (!notify->abandoned) {
		guint64 count = 0;
		if (!notify_outbox_abandon(notify->db, notify->name,
		                           (const char *const *)notify->manager_names, &count,
		                           &error))
			goto fail;
		if (count > 0)
			chopin_log(CHOPIN_LOG_WARNING,
			           "%" G_GUINT64_FORMAT
			           " pending notification%s to managers no longer "
			           "in correlator.managers marked failed",
			           count, count == 1 ? "" : "s");
		notify->abandoned = TRUE;
	}
	for (guint i = 0; i < notify->managers->len; i++) {
		NotifyManager *manager = notify->managers->pdata[i];
		guint room =
		    NOTIFY_QUEUE_MAX - MIN(g_queue_get_length(&manager->queue), NOTIFY_QUEUE_MAX);
		g_autoptr(GPtrArray) entries = g_ptr_array_new();
		if (room == 0) {
			manager->more_in_db = TRUE;
			continue;
		}
		if (!notify_outbox_load(notify->db, notify->name, manager->config->name,
		                        manager->loaded_up_to, room, entries, &error)) {
			g_ptr_array_set_free_func(entries, (GDestroyNotify)notify_entry_free);
			goto fail;
		}
		for (guint k = 0; k < entries->len; k++) {
			NotifyEntry *entry = entries->pdata[k];
			manager->loaded_up_to = MAX(manager->loaded_up_to, entry->id);
			g_queue_push_tail(&manager->queue, entry);
		}
		manager->more_in_db = entries->len == room;
	}
	chopin_complaint_release(&notify->db_complaint, CHOPIN_LOG_MESSAGE,
	                         "notifications: the outbox is read again");
	return TRUE;
fail:
	chopin_complain(&notify->db_complaint, CHOPIN_LOG_WARNING,
	                "notifications: cannot read the outbox: %s", error->message);
	return FALSE;
}

static gboolean
notify_load_cb(gpointer data)
{
	Notify *notify = data;

	notify->load_source = 0;
	if (notify_load(notify))
		notify_schedule_pump(notify);
	else if (notify->db != NULL)
		notify_schedule_load(notify, NOTIFY_RETRY_DB_MS);
	return G_SOURCE_REMOVE;
}

static void
notify_schedule_load(Notify *notify, guint delay_ms)
{
	if (notify->load_source == 0)
		notify->load_source = g_timeout_add(delay_ms, notify_load_cb, notify);
}

/* --- attempts and their ends ---------------------------------------------------------------- */

static const char *
entry_kind(const NotifyEntry *entry)
{
	return entry->cleared ? "cleared" : "raised";
}

/* An attempt failed (@entry NULL: the session or the engine discovery): back off, or give up. */
static void
manager_failed(NotifyManager *manager, NotifyEntry *entry, const char *why)
{
	const NotifyManagerConfig *config = manager->config;
	gint64 now = g_get_monotonic_time();

	/* attempts that fail together (a window of informs) are one step of the backoff */
	if (now >= manager->not_before_us) {
		manager->failures++;
		manager->not_before_us =
		    now + notify_backoff_ms(manager->failures, config->timeout_ms,
		                            config->backoff_max_ms) *
		              1000;
	}
	if (manager->engine == ENGINE_KNOWN && config->version == NOTIFY_VERSION_3 &&
	    manager->engine_id_len == 0)
		manager->engine = ENGINE_UNKNOWN; /* the manager may have a new engine */
	g_autofree char *wait =
	    chopin_config_format_duration((manager->not_before_us - now + 999) / 1000);
	if (entry == NULL) {
		chopin_complain(&manager->complaint, CHOPIN_LOG_WARNING,
		                "manager %s: %s; next attempt in %s", config->name, why, wait);
		return;
	}
	manager->counters.failed++;
	if (g_get_real_time() - entry->created_us >= config->give_up_ms * 1000) {
		entry->done = TRUE;
		manager->counters.given_up++;
		chopin_log(CHOPIN_LOG_WARNING,
		           "manager %s: gave up on alarm %u %s after %u attempts: %s", config->name,
		           notify_alarm_id(entry->alarm_id), entry_kind(entry), entry->attempts,
		           why);
		notify_record(manager->notify, entry, NOTIFY_STATE_FAILED, why);
		return;
	}
	chopin_complain(&manager->complaint, CHOPIN_LOG_WARNING,
	                "manager %s: alarm %u %s not acknowledged (attempt %u): %s; next attempt "
	                "in %s",
	                config->name, notify_alarm_id(entry->alarm_id), entry_kind(entry),
	                entry->attempts, why, wait);
	notify_record(manager->notify, entry, NOTIFY_STATE_PENDING, why);
}

static void
manager_succeeded(NotifyManager *manager, NotifyEntry *entry, NotifyState state)
{
	entry->done = TRUE;
	manager->failures = 0;
	manager->not_before_us = 0;
	if (state == NOTIFY_STATE_ACKNOWLEDGED)
		manager->counters.acknowledged++;
	chopin_complaint_release(&manager->complaint, CHOPIN_LOG_MESSAGE,
	                         "manager %s: notifications get through again",
	                         manager->config->name);
	chopin_log(CHOPIN_LOG_INFO, "manager %s: alarm %u %s %s", manager->config->name,
	           notify_alarm_id(entry->alarm_id), entry_kind(entry),
	           state == NOTIFY_STATE_ACKNOWLEDGED ? "acknowledged" : "sent");
	notify_record(manager->notify, entry, state, NULL);
}

/* The oldest notification not done: it carries the failures that precede any send. */
static NotifyEntry *
manager_head(NotifyManager *manager)
{
	for (GList *link = manager->queue.head; link != NULL; link = link->next)
		if (!((NotifyEntry *)link->data)->done)
			return link->data;
	return NULL;
}

/* Opening the session or discovering the engine failed: an attempt of the oldest one. */
static void
manager_failed_before_send(NotifyManager *manager, const char *why)
{
	NotifyEntry *head = manager_head(manager);

	if (head != NULL)
		head->attempts++;
	manager_failed(manager, head, why);
}

/* The end of a request: @ok, or @why it failed. */
static void
request_finish(NotifyRequest *request, gboolean ok, const char *why)
{
	NotifyManager *manager = request->manager;
	NotifyEntry *entry = request->entry;

	if (request->finished)
		return;
	request->finished = TRUE;
	if (entry == NULL) {
		manager->engine = ENGINE_UNKNOWN;
		if (manager->closing)
			return;
		if (manager->probed_engine_len > 0)
			manager->engine = ENGINE_FOUND;
		else
			manager_failed_before_send(manager, why);
		return;
	}
	entry->in_flight = FALSE;
	manager->in_flight--;
	if (manager->closing)
		return; /* still pending: sent again with the next session */
	if (ok)
		manager_succeeded(manager, entry, NOTIFY_STATE_ACKNOWLEDGED);
	else
		manager_failed(manager, entry, why);
}

/* net-snmp's callback for informs and the probe; returns 1 (the PDU is net-snmp's). */
static int
manager_response_cb(int operation, netsnmp_session *session, int reqid, netsnmp_pdu *pdu,
                    void *magic)
{
	NotifyRequest *request = magic;
	NotifyManager *manager = request->manager;
	char why[192];

	/* net-snmp could not build the message (an unknown USM user, say): it tells the callback,
	 * then snmp_sess_async_send() returns 0 and the sender deals with it */
	if (manager->sending || request->finished)
		return 1;
	/* a REPORT (as a message, or as the security error that follows it): what it says, and
	 * for the probe the manager's engine ID */
	if ((operation == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE ||
	     operation == NETSNMP_CALLBACK_OP_SEC_ERROR) &&
	    pdu != NULL && pdu->command == SNMP_MSG_REPORT) {
		g_strlcpy(manager->report, snmp_api_errstring(snmpv3_get_report_type(pdu)),
		          sizeof manager->report);
		if (request->entry == NULL && pdu->securityEngineIDLen > 0 &&
		    pdu->securityEngineIDLen <= sizeof manager->probed_engine) {
			memcpy(manager->probed_engine, pdu->securityEngineID,
			       pdu->securityEngineIDLen);
			manager->probed_engine_len = pdu->securityEngineIDLen;
		}
	}
	switch (operation) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		if (pdu->command == SNMP_MSG_REPORT) {
			/* the probe's answer; else net-snmp resends (not in time window) or ends
			 * the request with a security error */
			if (request->entry == NULL)
				request_finish(request, FALSE, manager->report);
			return 1;
		}
		if (request->entry == NULL) {
			request_finish(request, FALSE, "the engine-ID probe got no report");
		} else if (pdu->errstat == SNMP_ERR_NOERROR) {
			request_finish(request, TRUE, NULL);
		} else {
			g_snprintf(why, sizeof why, "the manager answered %s",
			           snmp_errstring((int)pdu->errstat));
			request_finish(request, FALSE, why);
		}
		return 1;
	case NETSNMP_CALLBACK_OP_TIMED_OUT: {
		g_autofree char *timeout =
		    chopin_config_format_duration(manager->config->timeout_ms);
		g_snprintf(why, sizeof why, "no answer (%u transmission%s, timeout %s)",
		           manager->config->retries + 1, manager->config->retries == 0 ? "" : "s",
		           timeout);
		request_finish(request, FALSE, why);
		return 1;
	}
	case NETSNMP_CALLBACK_OP_SEC_ERROR:
		g_snprintf(why, sizeof why, "%s",
		           manager->report[0] != '\0' ? manager->report : "security error");
		request_finish(request, FALSE, why);
		return 1;
	case NETSNMP_CALLBACK_OP_SEND_FAILED:
		g_snprintf(why, sizeof why, "cannot send: %s",
		           snmp_api_errstring(session->s_snmp_errno));
		request_finish(request, FALSE, why);
		return 1;
	case NETSNMP_CALLBACK_OP_RESEND:
		manager->counters.retransmissions++;
		return 1;
	default:
		return 1; /* not the end of the request */
	}
}

/* Why the session's last call failed. Static storage, valid until the next call. */
static const char *
manager_session_error(NotifyManager *manager)
{
	static char text[192];
	int sys_errno = 0, snmp_error_number = 0;
	char *message = NULL;

	snmp_sess_error(manager->session, &sys_errno, &snmp_error_number, &message);
	g_strlcpy(text, message != NULL ? message : "unknown error", sizeof text);
	free(message);
	return text;
}

/* SNMPv3: the engine-ID discovery request (an empty unauthenticated GET), sent without waiting. */
static void
manager_probe(NotifyManager *manager)
{
	netsnmp_session *session = snmp_sess_session(manager->session);
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);

	/* forget the engine of a previous discovery, and its localized user */
	SNMP_FREE(session->securityEngineID);
	session->securityEngineIDLen = 0;
	SNMP_FREE(session->contextEngineID);
	session->contextEngineIDLen = 0;
	session->flags &= ~SNMP_FLAGS_USER_CREATED;
	manager->probed_engine_len = 0;
	manager->report[0] = '\0';
	/* the empty user that net-snmp's own probe uses */
	if (usm_get_user(NULL, 0, (char *)"") == NULL) {
		struct usmUser *user = usm_create_user();
		if (user != NULL) {
			user->name = strdup("");
			user->secName = strdup("");
			usm_add_user(user);
		}
	}
	pdu->version = SNMP_VERSION_3;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	NotifyRequest *request = g_new0(NotifyRequest, 1);
	request->manager = manager;
	g_ptr_array_add(manager->requests, request);
	manager->sending = TRUE;
	int sent = snmp_sess_async_send(manager->session, pdu, manager_response_cb, request);
	manager->sending = FALSE;
	if (sent == 0) {
		snmp_free_pdu(pdu);
		request->finished = TRUE; /* freed with the others */
		manager_failed_before_send(manager, manager_session_error(manager));
		return;
	}
	manager->engine = ENGINE_PROBING;
	manager_arm_timer(manager);
}

/* SNMPv3, after the probe: the session's engine, and the USM user localized for it. */
static gboolean
manager_adopt_engine(NotifyManager *manager)
{
	netsnmp_session *session = snmp_sess_session(manager->session);

	if (session->securityEngineIDLen == 0) {
		session->securityEngineID =
		    netsnmp_memdup(manager->probed_engine, manager->probed_engine_len);
		session->securityEngineIDLen = manager->probed_engine_len;
	}
	if (session->contextEngineIDLen == 0) {
		session->contextEngineID =
		    netsnmp_memdup(manager->probed_engine, manager->probed_engine_len);
		session->contextEngineIDLen = manager->probed_engine_len;
	}
	return usm_create_user_from_session(session) == SNMPERR_SUCCESS;
}

/* Sends one attempt of @entry: a trap is done at once, an inform when it is answered. */
static void
manager_send(NotifyManager *manager, NotifyEntry *entry)
{
	const NotifyManagerConfig *config = manager->config;
	char errbuf[256];
	u_long uptime = (u_long)((g_get_monotonic_time() - manager->notify->start_us) / 10000);
	netsnmp_pdu *pdu = snmp_pdu_create(config->inform ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2);

	if (notify_pdu_fill(pdu, entry, uptime, errbuf, sizeof errbuf) < 0) {
		/* nothing a retry would change */
		snmp_free_pdu(pdu);
		entry->done = TRUE;
		manager->counters.given_up++;
		chopin_log(CHOPIN_LOG_WARNING, "manager %s: alarm %u %s not sent: %s", config->name,
		           notify_alarm_id(entry->alarm_id), entry_kind(entry), errbuf);
		notify_record(manager->notify, entry, NOTIFY_STATE_FAILED, errbuf);
		return;
	}
	entry->attempts++;
	manager->counters.sent++;
	if (!config->inform) {
		if (snmp_sess_send(manager->session, pdu) == 0) {
			snmp_free_pdu(pdu);
			manager_failed(manager, entry, manager_session_error(manager));
			return;
		}
		manager_succeeded(manager, entry, NOTIFY_STATE_SENT);
		return;
	}
	NotifyRequest *request = g_new0(NotifyRequest, 1);
	request->manager = manager;
	request->entry = entry;
	g_ptr_array_add(manager->requests, request);
	manager->sending = TRUE;
	int sent = snmp_sess_async_send(manager->session, pdu, manager_response_cb, request);
	manager->sending = FALSE;
	if (sent == 0) {
		snmp_free_pdu(pdu);
		request->finished = TRUE; /* freed with the others */
		manager_failed(manager, entry, manager_session_error(manager));
		return;
	}
	entry->in_flight = TRUE;
	manager->in_flight++;
}

static gboolean
manager_wake_cb(gpointer data)
{
	NotifyManager *manager = data;

	manager->wake_source = 0;
	manager_pump(manager);
	return G_SOURCE_REMOVE;
}

/* TRUE when the backoff still runs (and the wake-up is armed). */
static gboolean
manager_backing_off(NotifyManager *manager)
{
	gint64 now = g_get_monotonic_time();

	if (now >= manager->not_before_us)
		return FALSE;
	if (manager->wake_source == 0)
		manager->wake_source = g_timeout_add(
		    (guint)((manager->not_before_us - now + 999) / 1000), manager_wake_cb, manager);
	return TRUE;
}

/*
 * Drops what waited longer than give_up_after, frees the done entries, asks
 * for more rows when the queue ran low.
 */
static void
manager_prune(NotifyManager *manager)
{
	const NotifyManagerConfig *config = manager->config;
	gint64 now = g_get_real_time();

	for (GList *link = manager->queue.head; link != NULL;) {
		GList *next = link->next;
		NotifyEntry *entry = link->data;
		if (!entry->done && !entry->in_flight &&
		    now - entry->created_us >= config->give_up_ms * 1000) {
			g_autofree char *limit = chopin_config_format_duration(config->give_up_ms);
			g_autofree char *why =
			    g_strdup_printf("not acknowledged within %s (give_up_after)", limit);
			entry->done = TRUE;
			manager->counters.given_up++;
			chopin_log(CHOPIN_LOG_WARNING,
			           "manager %s: gave up on alarm %u %s after %u attempts: %s",
			           config->name, notify_alarm_id(entry->alarm_id),
			           entry_kind(entry), entry->attempts, why);
			notify_record(manager->notify, entry, NOTIFY_STATE_FAILED, why);
		}
		if (entry->done && !entry->in_flight) {
			g_queue_delete_link(&manager->queue, link);
			notify_entry_free(entry);
		}
		link = next;
	}
	if (manager->more_in_db && g_queue_get_length(&manager->queue) < NOTIFY_QUEUE_MAX / 2)
		notify_schedule_load(manager->notify, 0);
}

/* Everything the manager can do now: open, discover, send in order; never blocks. */
static void
manager_pump(NotifyManager *manager)
{
	char errbuf[256];

	manager_prune(manager);
	if (g_queue_is_empty(&manager->queue) || manager_backing_off(manager))
		return;
	if (manager->session == NULL && !manager_open(manager, errbuf, sizeof errbuf)) {
		manager_failed_before_send(manager, errbuf);
		manager_backing_off(manager);
		return;
	}
	switch (manager->engine) {
	case ENGINE_UNKNOWN:
		if (manager->in_flight == 0)
			manager_probe(manager);
		return;
	case ENGINE_PROBING:
		return;
	case ENGINE_FOUND:
		if (!manager_adopt_engine(manager)) {
			manager->engine = ENGINE_UNKNOWN;
			manager_failed_before_send(manager, "cannot localize the USM user for the "
			                                    "manager's engine");
			manager_backing_off(manager);
			return;
		}
		manager->engine = ENGINE_KNOWN;
		break;
	case ENGINE_KNOWN:
		break;
	}
	/* in order; a notification waits while an earlier one of the same alarm is unfinished,
	 * so a manager never sees an alarm cleared before it was raised */
	g_autoptr(GHashTable) busy_alarms = g_hash_table_new(g_int64_hash, g_int64_equal);
	for (GList *link = manager->queue.head; link != NULL; link = link->next) {
		NotifyEntry *entry = link->data;
		if (entry->done || g_hash_table_contains(busy_alarms, &entry->alarm_id))
			continue;
		if (!entry->in_flight) {
			if (manager->in_flight >= NOTIFY_WINDOW || manager_backing_off(manager))
				break;
			manager_send(manager, entry);
		}
		if (!entry->done)
			g_hash_table_add(busy_alarms, &entry->alarm_id);
	}
	manager_arm_timer(manager);
	manager_prune(manager);
}

static gboolean
notify_pump_cb(gpointer data)
{
	Notify *notify = data;

	notify->pump_source = 0;
	for (guint i = 0; i < notify->managers->len; i++)
		manager_pump(notify->managers->pdata[i]);
	return G_SOURCE_REMOVE;
}

static void
notify_schedule_pump(Notify *notify)
{
	if (notify->pump_source == 0)
		notify->pump_source = g_timeout_add(0, notify_pump_cb, notify);
}

/* --- what the correlator calls ------------------------------------------------------------ */

static void
manager_free(NotifyManager *manager)
{
	if (manager == NULL)
		return;
	manager_close(manager);
	if (manager->wake_source != 0)
		g_source_remove(manager->wake_source);
	g_queue_clear_full(&manager->queue, (GDestroyNotify)notify_entry_free);
	g_ptr_array_unref(manager->requests);
	memset(manager->auth_key, 0, sizeof manager->auth_key);
	memset(manager->priv_key, 0, sizeof manager->priv_key);
	notify_manager_config_free(manager->config);
	g_free(manager);
}

Notify *
notify_new(const char *correlator_name, GPtrArray *managers, GError **error)
{
	g_autoptr(GPtrArray) owned = managers;
	Notify *notify = g_new0(Notify, 1);

	notify->name = g_strdup(correlator_name);
	notify->start_us = g_get_monotonic_time();
	notify->managers = g_ptr_array_new_with_free_func((GDestroyNotify)manager_free);
	notify->outcomes = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
	                                         (GDestroyNotify)notify_outcome_free);
	notify->manager_names = g_new0(char *, managers->len + 1);
	notify_init_netsnmp();
	while (managers->len > 0) {
		NotifyManager *manager = g_new0(NotifyManager, 1);
		manager->notify = notify;
		manager->requests = g_ptr_array_new_with_free_func(g_free);
		manager->config = g_ptr_array_steal_index(managers, 0);
		g_ptr_array_add(notify->managers, manager);
		notify->manager_names[notify->managers->len - 1] = g_strdup(manager->config->name);
		if (manager->config->version == NOTIFY_VERSION_3 &&
		    !manager_derive_keys(manager, error)) {
			notify_free(notify);
			return NULL;
		}
	}
	return notify;
}

static void
manager_log_counters(const NotifyManager *manager)
{
	const NotifyCounters *c = &manager->counters;
	guint pending = 0;

	for (GList *link = manager->queue.head; link != NULL; link = link->next)
		pending += !((NotifyEntry *)link->data)->done;
	chopin_log(CHOPIN_LOG_MESSAGE,
	           "manager %s: %" G_GUINT64_FORMAT " notifications sent, %" G_GUINT64_FORMAT
	           " acknowledged, %" G_GUINT64_FORMAT " failed attempts, %" G_GUINT64_FORMAT
	           " given up, %" G_GUINT64_FORMAT " retransmissions, %u pending",
	           manager->config->name, c->sent, c->acknowledged, c->failed, c->given_up,
	           c->retransmissions, pending);
}

void
notify_free(Notify *notify)
{
	if (notify == NULL)
		return;
	for (guint i = 0; i < notify->managers->len; i++) {
		NotifyManager *manager = notify->managers->pdata[i];
		manager_log_counters(manager);
		manager_close(manager);
	}
	notify_flush(notify); /* what is not written is sent again at the next start */
	if (notify->load_source != 0)
		g_source_remove(notify->load_source);
	if (notify->pump_source != 0)
		g_source_remove(notify->pump_source);
	if (notify->flush_source != 0)
		g_source_remove(notify->flush_source);
	g_ptr_array_unref(notify->managers);
	g_hash_table_destroy(notify->outcomes);
	g_strfreev(notify->manager_names);
	g_free(notify->name);
	g_free(notify);
	snmp_shutdown("chopin-correlator");
}

gboolean
notify_alarm_changed(Notify *notify, gboolean cleared, guint64 alarm_id, GError **error)
{
	if (notify == NULL)
		return TRUE;
	g_return_val_if_fail(notify->db != NULL, TRUE);
	notify->queued = TRUE;
	return notify_outbox_add(notify->db, notify->name,
	                         (const char *const *)notify->manager_names, cleared, alarm_id,
	                         error);
}

void
notify_after_commit(Notify *notify)
{
	if (notify == NULL || !notify->queued)
		return;
	notify->queued = FALSE;
	notify_schedule_load(notify, NOTIFY_LOAD_DELAY_MS);
}

void
notify_resume(Notify *notify, ChopinDb *db)
{
	if (notify == NULL)
		return;
	notify->db = db;
	notify_schedule_load(notify, 0);
	if (g_hash_table_size(notify->outcomes) > 0)
		notify_schedule_flush(notify, 0);
}

const NotifyCounters *
notify_get_counters(const Notify *notify, guint index)
{
	if (notify == NULL || index >= notify->managers->len)
		return NULL;
	return &((const NotifyManager *)notify->managers->pdata[index])->counters;
}
