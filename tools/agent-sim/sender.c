/* sender.c: net-snmp sessions that send notifications as v2c/v3 traps or informs, one session per
 * engine ID. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent-sim.h"
#include "scenario-lex.h"

#define SENDER_MAX_SESSIONS 512
#define SENDER_MAX_ARGS     32

typedef struct {
	char engine_id[72]; /* "" for the global one */
	netsnmp_session *session;
} SenderSession;

struct SimSender {
	SimSendOptions options;
	netsnmp_session template_session; /* filled by netsnmp_parse_args */
	bool v3;
	unsigned char engine_id[32]; /* our engine ID (v3) */
	size_t engine_id_len;
	char *argv[SENDER_MAX_ARGS]; /* given to net-snmp, which may keep pointers into it */
	SenderSession sessions[SENDER_MAX_SESSIONS];
	size_t n_sessions;
	SimSendStats stats;
};

static bool sender_library_ready;

static void
sender_init_library(void)
{
	if (sender_library_ready)
		return;
	/* no persistent state (/var/lib/snmp) and no MIB files: we speak numeric OIDs */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	setenv("MIBS", "", 1);
	snmp_enable_stderrlog();
	sender_library_ready = true;
}

/* Fills the template session from net-snmp style arguments; 0 or -1. */
static int
sender_parse_session(SimSender *sender, char *ret_error, size_t error_size)
{
	const SimSendOptions *o = &sender->options;
	char timeout[32], retries[32];
	char **argv = sender->argv;
	int argc = 0, status;

	/* net-snmp wipes pass phrases and communities in argv: give it copies */
#define ADD(value) (argv[argc++] = strdup(value))
	ADD("chopin-agent-sim");
	ADD("-v");
	ADD(o->version);
	if (!sender->v3) {
		ADD("-c");
		ADD(o->community != NULL ? o->community : "public");
	} else {
		ADD("-u");
		ADD(o->user);
		ADD("-l");
		ADD(o->security_level);
		if (o->auth_pass != NULL) {
			ADD("-a");
			ADD(o->auth_protocol != NULL ? o->auth_protocol : "SHA-256");
			ADD("-A");
			ADD(o->auth_pass);
		}
		if (o->priv_pass != NULL) {
			ADD("-x");
			ADD(o->priv_protocol != NULL ? o->priv_protocol : "AES");
			ADD("-X");
			ADD(o->priv_pass);
		}
	}
	snprintf(timeout, sizeof(timeout), "%g", o->timeout > 0 ? o->timeout : 1.0);
	snprintf(retries, sizeof(retries), "%d", o->retries >= 0 ? o->retries : 3);
	ADD("-t");
	ADD(timeout);
	ADD("-r");
	ADD(retries);
	ADD(o->target);
	argv[argc] = NULL;
#undef ADD
	for (int i = 0; i < argc; i++) {
		if (argv[i] == NULL) {
			snprintf(ret_error, error_size, "out of memory");
			status = -1;
			goto out;
		}
	}
	status = netsnmp_parse_args(argc, argv, &sender->template_session, "", NULL,
	                            NETSNMP_PARSE_ARGS_NOLOGGING);
	if (status < 0)
		snprintf(ret_error, error_size,
		         "bad SNMP options (version %s, security level %s, auth %s, priv %s)",
		         o->version, o->security_level != NULL ? o->security_level : "-",
		         o->auth_protocol != NULL ? o->auth_protocol : "-",
		         o->priv_protocol != NULL ? o->priv_protocol : "-");
out:
	return status < 0 ? -1 : 0;
}

SimSender *
sender_new(const SimSendOptions *options, char *ret_error, size_t error_size)
{
	SimSender *sender;

	if (options->target == NULL || options->target[0] == '\0') {
		snprintf(ret_error, error_size, "no target given (e.g. udp:127.0.0.1:1162)");
		return NULL;
	}
	if (strcmp(options->version, "2c") != 0 && strcmp(options->version, "3") != 0) {
		snprintf(ret_error, error_size, "unsupported SNMP version '%s' (expected 2c or 3)",
		         options->version);
		return NULL;
	}
	sender = calloc(1, sizeof(*sender));
	if (sender == NULL) {
		snprintf(ret_error, error_size, "out of memory");
		return NULL;
	}
	sender->options = *options;
	sender->v3 = strcmp(options->version, "3") == 0;
	if (sender->v3 && (options->user == NULL || options->user[0] == '\0')) {
		snprintf(ret_error, error_size, "SNMPv3 needs a user name (-u)");
		goto fail;
	}
	if (sender->v3 && options->security_level == NULL)
		sender->options.security_level = options->priv_pass != NULL   ? "authPriv"
		                                 : options->auth_pass != NULL ? "authNoPriv"
		                                                              : "noAuthNoPriv";
	sender_init_library();
	snmp_sess_init(&sender->template_session);
	if (sender_parse_session(sender, ret_error, error_size) < 0)
		goto fail;
	setup_engineID(NULL, NULL);
	if (options->engine_id != NULL) {
		int len =
		    lex_parse_hex(options->engine_id, sender->engine_id, sizeof(sender->engine_id));

		if (len < 5) {
			snprintf(ret_error, error_size,
			         "bad engine ID '%s' (expected 5 to 32 octets in hex)",
			         options->engine_id);
			goto fail;
		}
		sender->engine_id_len = (size_t)len;
	} else {
		size_t len = 0;
		u_char *generated = snmpv3_generate_engineID(&len);

		if (generated == NULL || len > sizeof(sender->engine_id)) {
			free(generated);
			snprintf(ret_error, error_size, "cannot generate an engine ID");
			goto fail;
		}
		memcpy(sender->engine_id, generated, len);
		sender->engine_id_len = len;
		free(generated);
	}
	return sender;
fail:
	sender_free(sender);
	return NULL;
}

void
sender_free(SimSender *sender)
{
	if (sender == NULL)
		return;
	for (size_t i = 0; i < sender->n_sessions; i++)
		snmp_close(sender->sessions[i].session);
	/* net-snmp strdup()s the community (5.9); the peer name may point into argv */
	if (!sender->v3)
		free(sender->template_session.community);
	for (size_t i = 0; i < SENDER_MAX_ARGS; i++)
		free(sender->argv[i]);
	free(sender);
}

int
sender_command(const SimSender *sender)
{
	return sender->options.inform ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2;
}

const SimSendStats *
sender_stats(const SimSender *sender)
{
	return &sender->stats;
}

netsnmp_session *
sender_session(SimSender *sender, const char *engine_id, char *ret_error, size_t error_size)
{
	unsigned char engine[32];
	size_t engine_len = sender->engine_id_len;
	netsnmp_session session = sender->template_session;
	netsnmp_transport *transport;
	netsnmp_session *opened;
	SenderSession *slot;

	if (engine_id == NULL || !sender->v3)
		engine_id = "";
	for (size_t i = 0; i < sender->n_sessions; i++) {
		if (strcmp(sender->sessions[i].engine_id, engine_id) == 0)
			return sender->sessions[i].session;
	}
	if (sender->n_sessions == SENDER_MAX_SESSIONS) {
		snprintf(ret_error, error_size, "too many engine IDs (at most %d)",
		         SENDER_MAX_SESSIONS);
		return NULL;
	}
	memcpy(engine, sender->engine_id, engine_len);
	if (engine_id[0] != '\0') {
		int len = lex_parse_hex(engine_id, engine, sizeof(engine));

		if (len < 5) {
			snprintf(ret_error, error_size, "bad engine ID '%s'", engine_id);
			return NULL;
		}
		engine_len = (size_t)len;
	}
	if (sender->v3) {
		session.contextEngineID = engine;
		session.contextEngineIDLen = engine_len;
	}
	if (sender->v3 && !sender->options.inform) {
		/* a trap's authoritative engine is the sender: our engine ID, boots and time */
		session.securityEngineID = engine;
		session.securityEngineIDLen = engine_len;
		session.engineBoots = 1;
		session.engineTime = get_uptime();
		set_enginetime(engine, engine_len, session.engineBoots, session.engineTime, TRUE);
	}
	transport = netsnmp_transport_open_client("chopin-agent-sim", session.peername);
	if (transport == NULL) {
		snprintf(ret_error, error_size, "cannot open transport '%s'", session.peername);
		return NULL;
	}
	opened = snmp_add(&session, transport, NULL, NULL);
	if (opened == NULL) {
		char *message = NULL;

		snmp_error(&session, NULL, NULL, &message);
		snprintf(ret_error, error_size, "cannot open a session to %s: %s", session.peername,
		         message != NULL ? message : "unknown error");
		free(message);
		return NULL;
	}
	slot = &sender->sessions[sender->n_sessions++];
	snprintf(slot->engine_id, sizeof(slot->engine_id), "%s", engine_id);
	slot->session = opened;
	return opened;
}

int
sender_send(SimSender *sender, const char *engine_id, netsnmp_pdu *pdu, char *ret_error,
            size_t error_size)
{
	netsnmp_session *session = sender_session(sender, engine_id, ret_error, error_size);
	netsnmp_pdu *response = NULL;
	int status;

	if (session == NULL) {
		snmp_free_pdu(pdu);
		sender->stats.errors++;
		return -1;
	}
	if (!sender->options.inform) {
		if (snmp_send(session, pdu) == 0) {
			snprintf(ret_error, error_size, "send failed: %s",
			         snmp_api_errstring(session->s_snmp_errno));
			snmp_free_pdu(pdu);
			sender->stats.errors++;
			return -1;
		}
		sender->stats.sent++;
		return 0;
	}
	status = snmp_synch_response(session, pdu, &response); /* frees pdu */
	if (status == STAT_SUCCESS && response != NULL && response->errstat == SNMP_ERR_NOERROR) {
		snmp_free_pdu(response);
		sender->stats.sent++;
		sender->stats.acked++;
		return 0;
	}
	if (status == STAT_TIMEOUT) {
		sender->stats.sent++;
		sender->stats.timeouts++;
		snprintf(ret_error, error_size,
		         "inform not acknowledged (timeout after %d retries)",
		         sender->options.retries);
	} else if (status == STAT_SUCCESS) {
		sender->stats.sent++;
		sender->stats.errors++;
		snprintf(
		    ret_error, error_size, "inform answered with error %s",
		    snmp_errstring(response != NULL ? (int)response->errstat : SNMP_ERR_GENERR));
	} else {
		sender->stats.errors++;
		snprintf(ret_error, error_size, "inform failed: %s",
		         snmp_api_errstring(session->s_snmp_errno));
	}
	if (response != NULL)
		snmp_free_pdu(response);
	return -1;
}
