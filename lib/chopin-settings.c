/* The whole chopin.conf schema: every program's keys in one declared table set. */
#include "config.h"

#include "chopin-settings.h"

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
	 "SNMPv3 users in snmptrapd.conf createUser syntax: \"[-e ENGINEID] NAME SHA-256 PASS AES PASS\""},
	{"trapd.engine_id", CHOPIN_CONFIG_TYPE_STRING, NULL, 0, 0, NULL,
	 "the receiver's SNMPv3 engine ID in hex (unset: generated once and kept in state_dir)"},
	{"trapd.allow", CHOPIN_CONFIG_TYPE_STRING_LIST, "0.0.0.0/0,::/0", 0, 0, NULL,
	 "source networks allowed to send (CIDR)"},
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

ChopinConfigSchema *
chopin_settings_schema_new(void)
{
	ChopinConfigSchema *schema = chopin_config_schema_new();
	g_autoptr(GError) error = NULL;

	if (!chopin_config_schema_add_common(schema, &error) ||
	    !chopin_config_schema_add_keys(schema, chopin_settings_trapd_keys,
					   chopin_settings_trapd_n_keys, &error))
		g_error("chopin.conf schema is inconsistent (a bug): %s", error->message);
	return schema;
}
