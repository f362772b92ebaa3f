/* The whole chopin.conf schema: every program's keys in one declared table set. */
#include "config.h"

#include "chopin-settings.h"

#include "chopin-network.h"

#include <stdlib.h>
#include <string.h>

/* --- value checks: reported by the loader at the value's line ----------------------- */

static const char *const auth_protocols[] = {"MD5", "SHA", "SHA-224", "SHA-256", "SHA-384",
					     "SHA-512", NULL};
static const char *const priv_protocols[] = {"DES", "AES", "AES-128", "AES-192", "AES-256",
					     NULL};

static gboolean
in_list(const char *const *list, const char *word)
{
	for (; *list != NULL; list++)
		if (g_ascii_strcasecmp(*list, word) == 0)
			return TRUE;
	return FALSE;
}

/*
 * Checks one createUser line: [-e ENGINEID] NAME [AUTH AUTHPASS [PRIV [PRIVPASS]]].
 * Returns NULL when fine, else a message (caller frees).
 */
char *
chopin_settings_check_snmp_user(const char *line)
{
	g_auto(GStrv) argv = NULL;
	g_autoptr(GError) error = NULL;
	int argc, i = 0;

	if (!g_shell_parse_argv(line, &argc, &argv, &error))
		return g_strdup_printf("cannot split '%s': %s", line, error->message);
	if (i < argc && strcmp(argv[i], "-e") == 0) {
		if (i + 1 >= argc)
			return g_strdup("-e needs an engine ID");
		const char *hex = argv[i + 1];
		if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
			hex += 2;
		size_t digits = strlen(hex);
		for (size_t k = 0; k < digits; k++)
			if (!g_ascii_isxdigit(hex[k]))
				digits = 0;
		if (digits < 10 || digits > 64 || digits % 2 != 0)
			return g_strdup_printf("engine ID '%s' is not 5..32 octets of hex",
					       argv[i + 1]);
		i += 2;
	}
	if (i >= argc)
		return g_strdup("missing user name");
	if (strlen(argv[i]) > 32)
		return g_strdup_printf("user name '%s' longer than 32 characters", argv[i]);
	i++;
	if (i >= argc)
		return NULL; /* noAuthNoPriv user */
	if (!in_list(auth_protocols, argv[i]))
		return g_strdup_printf("unknown authentication protocol '%s' "
				       "(MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512)",
				       argv[i]);
	if (i + 1 >= argc || strlen(argv[i + 1]) < 8)
		return g_strdup("the authentication passphrase must have at least 8 characters");
	i += 2;
	if (i >= argc)
		return NULL;
	if (!in_list(priv_protocols, argv[i]))
		return g_strdup_printf("unknown privacy protocol '%s' (DES, AES, AES-192, AES-256)",
				       argv[i]);
	if (i + 1 < argc && strlen(argv[i + 1]) < 8)
		return g_strdup("the privacy passphrase must have at least 8 characters");
	if (i + 2 < argc)
		return g_strdup_printf("unexpected '%s' after the privacy passphrase", argv[i + 2]);
	return NULL;
}

char *
chopin_settings_check_network(const char *text)
{
	ChopinNetwork network;
	char errbuf[256];

	if (chopin_network_parse(text, &network, errbuf, sizeof errbuf) < 0)
		return g_strdup(errbuf);
	return NULL;
}

char *
chopin_settings_check_engine_id(const char *text)
{
	const char *hex = text;
	size_t digits, k;

	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	digits = strlen(hex);
	for (k = 0; k < digits && g_ascii_isxdigit(hex[k]); k++)
		;
	if (k != digits || digits < 10 || digits > 64 || digits % 2 != 0)
		return g_strdup_printf("'%s' is not 5..32 octets of hex", text);
	return NULL;
}

#define MS(x) ((gint64)(x))
#define KIB ((gint64)1024)
#define MIB (KIB * 1024)
#define GIB (MIB * 1024)

const ChopinConfigKey chopin_settings_trapd_keys[] = {
	{"trapd.listen", CHOPIN_CONFIG_TYPE_STRING_LIST, "udp:0.0.0.0:162", 0, 0, NULL,
	 "net-snmp transport addresses to receive on, e.g. \"udp:0.0.0.0:162\", \"udp6:[::]:162\""},
	{"trapd.user", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "drop privileges to this user after binding (unset: keep the starting user)"},
	{"trapd.spool_dir", CHOPIN_CONFIG_TYPE_STRING, "/var/spool/chopin", 0, 0, NULL,
	 "directory of the durable spool the correlator reads"},
	{"trapd.state_dir", CHOPIN_CONFIG_TYPE_STRING, "/var/lib/chopin/trapd", 0, 0, NULL,
	 "engine ID, SNMP engine boots and the counters file"},
	{"trapd.commit_delay", CHOPIN_CONFIG_TYPE_DURATION, "0ms", 0, MS(1000), NULL,
	 "extra wait to gather a batch when the writer is idle (0: write at once; under load "
	 "batches form while the previous one syncs)"},
	{"trapd.commit_interval", CHOPIN_CONFIG_TYPE_DURATION, "2ms", 0, MS(1000), NULL,
	 "least time between the starts of two spool writes of traps: under load batches grow "
	 "instead of syncs multiplying (an idle spool, or an inform, is written at once)"},
	{"trapd.read_pause", CHOPIN_CONFIG_TYPE_DURATION, "1ms", 0, MS(100), NULL,
	 "after a wake-up that read datagrams, wait this long before looking again, so that "
	 "under load each wake-up reads many (0: wake for every datagram)"},
	{"trapd.batch_size", CHOPIN_CONFIG_TYPE_SIZE, "1M", 4 * KIB, 64 * MIB, NULL,
	 "a batch this large is written at once, without waiting for commit_delay"},
	{"trapd.segment_size", CHOPIN_CONFIG_TYPE_SIZE, "64M", MIB, 4 * GIB, NULL,
	 "spool segments rotate at this size"},
	{"trapd.max_backlog", CHOPIN_CONFIG_TYPE_SIZE, "32M", MIB, GIB, NULL,
	 "records waiting for the disk beyond this are dropped and counted (back-pressure)"},
	{"trapd.snmpv1", CHOPIN_CONFIG_TYPE_BOOL, "true", 0, 0, NULL,
	 "accept SNMPv1 traps (converted per RFC 3584)"},
	{"trapd.snmpv2c", CHOPIN_CONFIG_TYPE_BOOL, "true", 0, 0, NULL,
	 "accept SNMPv2c traps and informs"},
	{"trapd.snmpv3", CHOPIN_CONFIG_TYPE_BOOL, "true", 0, 0, NULL,
	 "accept SNMPv3 traps and informs (USM)"},
	{"trapd.communities", CHOPIN_CONFIG_TYPE_STRING_LIST, NULL, 0, 0, NULL,
	 "SNMPv1/v2c communities accepted; empty refuses every v1/v2c notification"},
	{"trapd.users", CHOPIN_CONFIG_TYPE_STRING_LIST, NULL, 0, 0, NULL,
	 "SNMPv3 users in snmptrapd.conf createUser syntax: \"[-e ENGINEID] NAME SHA-256 PASS AES PASS\"",
	 chopin_settings_check_snmp_user},
	{"trapd.engine_id", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "the receiver's SNMPv3 engine ID in hex (unset: generated once and kept in state_dir)",
	 chopin_settings_check_engine_id},
	{"trapd.allow", CHOPIN_CONFIG_TYPE_STRING_LIST, "0.0.0.0/0,::/0", 0, 0, NULL,
	 "source networks allowed to send (CIDR)", chopin_settings_check_network},
	{"trapd.rate_limit", CHOPIN_CONFIG_TYPE_INT, "2000", 0, 100000000, NULL,
	 "notifications per second per source address; 0 turns limiting off"},
	{"trapd.rate_burst", CHOPIN_CONFIG_TYPE_INT, "10000", 1, 100000000, NULL,
	 "notifications a source may send at once before its rate limit applies"},
	{"trapd.receive_buffer", CHOPIN_CONFIG_TYPE_SIZE, "8M", 64 * KIB, GIB, NULL,
	 "socket receive buffer (absorbs bursts while a batch is written)"},
	{"trapd.stats_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "where the counters are written (unset: state_dir/trapd.stats)"},
	{"trapd.stats_interval", CHOPIN_CONFIG_TYPE_DURATION, "1s", MS(100), MS(3600000), NULL,
	 "how often the counters file is rewritten"},
};
const size_t chopin_settings_trapd_n_keys = G_N_ELEMENTS(chopin_settings_trapd_keys);

static const char *const snmp_versions[] = {"2c", "3", NULL};

/* One SNMP manager of correlator.managers; cross-key rules are checked by the correlator. */
static const ChopinConfigKey correlator_manager_keys[] = {
	{"name", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "the manager's name in alarm_notifications and the log (unset: the address)"},
	{"address", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "net-snmp transport address of the manager, e.g. \"udp:192.0.2.7:162\" (required)"},
	{"version", CHOPIN_CONFIG_TYPE_ENUM, "2c", 0, 0, snmp_versions,
	 "SNMP version: \"2c\" (community) or \"3\" (USM user)"},
	{"inform", CHOPIN_CONFIG_TYPE_BOOL, "false", 0, 0, NULL,
	 "send acknowledged INFORMs, retried until answered (unset: true for version 3, false "
	 "for 2c)"},
	{"community", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL, "version 2c community"},
	{"community_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "file holding the community (instead of community)"},
	{"user", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL, "version 3 USM user name"},
	{"auth_protocol", CHOPIN_CONFIG_TYPE_ENUM, "SHA-256", 0, 0, auth_protocols,
	 "version 3 authentication: MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512"},
	{"auth_passphrase", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "version 3 authentication passphrase, at least 8 characters"},
	{"auth_passphrase_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "file holding the authentication passphrase (instead of auth_passphrase)"},
	{"priv_protocol", CHOPIN_CONFIG_TYPE_ENUM, "AES", 0, 0, priv_protocols,
	 "version 3 privacy: DES, AES (AES-128), AES-192 or AES-256"},
	{"priv_passphrase", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "version 3 privacy passphrase (unset: authNoPriv)"},
	{"priv_passphrase_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "file holding the privacy passphrase (instead of priv_passphrase)"},
	{"engine_id", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "the manager's SNMPv3 engine ID in hex (unset: discovered)",
	 chopin_settings_check_engine_id},
	{"retries", CHOPIN_CONFIG_TYPE_INT, "2", 0, 10, NULL,
	 "retransmissions of an inform within one attempt"},
	{"timeout", CHOPIN_CONFIG_TYPE_DURATION, "5s", MS(100), MS(60000), NULL,
	 "wait for the acknowledgement of each transmission"},
	{"backoff_max", CHOPIN_CONFIG_TYPE_DURATION, "5m", MS(1000), MS(3600000), NULL,
	 "longest wait between attempts while the manager does not answer"},
	{"give_up_after", CHOPIN_CONFIG_TYPE_DURATION, "1d", MS(60000), MS(30) * 86400000, NULL,
	 "a notification not acknowledged this long after the alarm changed is dropped"},
};

const ChopinConfigKey chopin_settings_correlator_keys[] = {
	{"correlator.name", CHOPIN_CONFIG_TYPE_STRING, "main", 0, 0, NULL,
	 "this correlator's row in correlator_checkpoints (one per spool)"},
		{"correlator.spool_dir", CHOPIN_CONFIG_TYPE_STRING, "/var/spool/chopin", 0, 0, NULL,
	 "the spool chopin-trapd writes"},
	{"correlator.rules", CHOPIN_CONFIG_TYPE_STRING, CHOPIN_SYSCONFDIR "/rules.conf", 0, 0, NULL,
	 	 "the rules file (docs/rules.md); reloaded on SIGHUP"},
	{"correlator.command_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "Nagios/Icinga external command file for passive RAID/Updates/Heartbeat results "
	 "(unset: none)"},
	{"correlator.batch_records", CHOPIN_CONFIG_TYPE_INT, "10000", 1, 100000, NULL,
	 "records per transaction at most (fewer when fewer are waiting)"},
	{"correlator.connections", CHOPIN_CONFIG_TYPE_INT, "2", 1, 2, NULL,
	 "database connections: 2 writes half the hosts' event rows on a second connection, "
	 "committed just before each batch's transaction; 1 writes everything in that one"},
	{"correlator.stream_rows", CHOPIN_CONFIG_TYPE_INT, "100", 0, 100, NULL,
	 "event rows written by one INSERT that runs while the next records are applied, "
	 "inside the batch's transaction (0: all rows at the commit)"},
	{"correlator.journal_interval", CHOPIN_CONFIG_TYPE_DURATION, "60s", MS(1000), MS(3600000),
	 NULL,
	 "how long sequence windows and rule state may stay in the journal before their own "
	 "rows are written"},
	{"correlator.poll_interval", CHOPIN_CONFIG_TYPE_DURATION, "100ms", MS(10), MS(10000), NULL,
	 "how often an idle correlator looks for new records"},
	{"correlator.heartbeat_interval", CHOPIN_CONFIG_TYPE_DURATION, "10s", MS(1000),
	 MS(600000), NULL,
	 "how often the checkpoint time is refreshed while the fleet is quiet (checks watch it)"},
	{"correlator.retry_max", CHOPIN_CONFIG_TYPE_DURATION, "30s", MS(1000), MS(600000), NULL,
	 "longest wait between reconnection attempts while the database is down"},
	{"correlator.managers", CHOPIN_CONFIG_TYPE_GROUP_LIST, NULL, 0, 0, NULL,
	 "SNMP managers that receive chopinAlarmRaised / chopinAlarmCleared (docs/notifications.md)",
	 NULL, correlator_manager_keys, G_N_ELEMENTS(correlator_manager_keys)},
};
const size_t chopin_settings_correlator_n_keys = G_N_ELEMENTS(chopin_settings_correlator_keys);

const ChopinConfigKey chopin_settings_checks_keys[] = {
	{"checks.stale_after", CHOPIN_CONFIG_TYPE_DURATION, "5m", MS(1000), MS(30) * 86400000,
	 NULL,
	 "the check plugins say UNKNOWN when the correlator checkpoint is older than this "
	 "(option --stale-after)"},
	{"checks.correlator", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "the correlator whose checkpoint the plugins watch (unset: the newest checkpoint)"},
	{"checks.timeout", CHOPIN_CONFIG_TYPE_DURATION, "10s", MS(1000), MS(3600000), NULL,
	 "default for -t: bounds connecting and querying"},
	{"checks.history_window", CHOPIN_CONFIG_TYPE_DURATION, "7d", MS(60000),
	 MS(365) * 86400000, NULL,
	 "check_chopin_heartbeat lists reboots and shutdowns this recent"},
	{"checks.update_max_age", CHOPIN_CONFIG_TYPE_DURATION, "45d", MS(3600000),
	 MS(3650) * 86400000, NULL,
	 "check_chopin_updates warns when the last successful update is older"},
	{"checks.eos_warning", CHOPIN_CONFIG_TYPE_DURATION, "180d", 0, MS(3650) * 86400000, NULL,
	 "check_chopin_updates warns this long before the OS end of extended support"},
};
const size_t chopin_settings_checks_n_keys = G_N_ELEMENTS(chopin_settings_checks_keys);

const ChopinConfigKey chopin_settings_chopinctl_keys[] = {
	{"chopinctl.reader_option_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "MySQL option file with the read-only account (unset: database.option_file, else the "
	 "client's default files such as ~/.my.cnf)"},
	{"chopinctl.reader_option_group", CHOPIN_CONFIG_TYPE_STRING, "chopin_reader", 0, 0, NULL,
	 "option file group naming the read-only account (read with [client])"},
	{"chopinctl.writer_option_file", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "MySQL option file with the writer account, for ack, clear and tag changes (unset: "
	 "the reader's file)"},
	{"chopinctl.writer_option_group", CHOPIN_CONFIG_TYPE_STRING, "chopin_writer", 0, 0, NULL,
	 "option file group naming the writer account (read with [client])"},
	{"chopinctl.timeout", CHOPIN_CONFIG_TYPE_DURATION, "10s", MS(1000), MS(3600000), NULL,
	 "bound on connecting and on each query (option -t)"},
};
const size_t chopin_settings_chopinctl_n_keys = G_N_ELEMENTS(chopin_settings_chopinctl_keys);

ChopinConfigSchema *
chopin_settings_schema_new(void)
{
	ChopinConfigSchema *schema = chopin_config_schema_new();
	g_autoptr(GError) error = NULL;

	if (!chopin_config_schema_add_common(schema, &error) ||
	    !chopin_config_schema_add_keys(schema, chopin_settings_trapd_keys,
					   chopin_settings_trapd_n_keys, &error) ||
	    !chopin_config_schema_add_keys(schema, chopin_settings_correlator_keys,
					   chopin_settings_correlator_n_keys, &error) ||
	    !chopin_config_schema_add_keys(schema, chopin_settings_checks_keys,
					   chopin_settings_checks_n_keys, &error) ||
	    !chopin_config_schema_add_keys(schema, chopin_settings_chopinctl_keys,
					   chopin_settings_chopinctl_n_keys, &error))
		g_error("chopin.conf schema is inconsistent (a bug): %s", error->message);
	return schema;
}
