/* The SNMP engine: net-snmp set up without system files, a kept engine ID, USM users. */
#include "config.h"

#include "trapd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chopin-log.h"

#define ENGINE_ID_FILE "engine-id"

/* Parses "0x8000..." or "8000..." hex into @buf.  Returns the length, or -1. */
static int
engine_id_parse(const char *text, uint8_t *buf, size_t size)
{
	size_t len = 0;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	size_t digits = strlen(text);
	if (digits == 0 || digits % 2 != 0 || digits / 2 > size)
		return -1;
	for (size_t i = 0; i < digits; i += 2) {
		int hi = g_ascii_xdigit_value(text[i]), lo = g_ascii_xdigit_value(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		buf[len++] = (uint8_t)(hi << 4 | lo);
	}
	/* RFC 3411 SnmpEngineID: 5..32 octets */
	return len >= 5 ? (int)len : -1;
}

static char *
engine_id_format(const uint8_t *id, size_t len)
{
	GString *text = g_string_new("0x");
	for (size_t i = 0; i < len; i++)
		g_string_append_printf(text, "%02x", id[i]);
	return g_string_free(text, FALSE);
}

/*
 * The engine ID: configured, or kept in state_dir/engine-id, or new.  A new
 * one follows RFC 3411's enterprise format: 0x80 | net-snmp's enterprise
 * number 8072, format 5 (octets), eight random bytes.
 */
static int
engine_id_load(const TrapdConfig *config, uint8_t *id, size_t size, char *errbuf, size_t errlen)
{
	int len;

	if (config->engine_id != NULL) {
		len = engine_id_parse(config->engine_id, id, size);
		if (len < 0)
			g_snprintf(errbuf, errlen, "trapd.engine_id '%s' is not 5..32 octets of hex",
				   config->engine_id);
		return len;
	}
	g_autofree char *path = g_build_filename(config->state_dir, ENGINE_ID_FILE, NULL);
	g_autofree char *kept = NULL;
	g_autoptr(GError) error = NULL;
	if (g_file_get_contents(path, &kept, NULL, &error)) {
		len = engine_id_parse(g_strstrip(kept), id, size);
		if (len < 0)
			g_snprintf(errbuf, errlen, "%s: not a valid engine ID", path);
		return len;
	}
	if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		g_snprintf(errbuf, errlen, "%s", error->message);
		return -1;
	}
	static const uint8_t prefix[] = {0x80, 0x00, 0x1f, 0x88, 0x05};
	memcpy(id, prefix, sizeof prefix);
	for (size_t i = 0; i < 8; i++)
		id[sizeof prefix + i] = (uint8_t)g_random_int_range(0, 256);
	len = (int)(sizeof prefix + 8);
	g_autofree char *text = engine_id_format(id, (size_t)len);
	g_autofree char *content = g_strdup_printf("%s\n", text);
	g_clear_error(&error);
	if (!g_file_set_contents(path, content, -1, &error)) {
		g_snprintf(errbuf, errlen, "keeping the new engine ID: %s", error->message);
		return -1;
	}
	chopin_log(CHOPIN_LOG_MESSAGE, "new SNMP engine ID %s kept in %s", text, path);
	return len;
}

static int
netsnmp_log_cb(int major, int minor, void *server_arg, void *client_arg)
{
	const struct snmp_log_message *message = server_arg;
	g_autofree char *text = g_strdup(message->msg != NULL ? message->msg : "");

	chopin_log(CHOPIN_LOG_INFO, "net-snmp: %s", g_strchomp(text));
	return 0;
}

int
trapd_usm_init(const TrapdConfig *config, char *errbuf, size_t errlen)
{
	uint8_t engine_id[32];

	if (g_mkdir_with_parents(config->state_dir, 0750) != 0) {
		g_snprintf(errbuf, errlen, "%s: %s", config->state_dir, g_strerror(errno));
		return -1;
	}
	g_autofree char *snmp_dir = g_build_filename(config->state_dir, "snmp", NULL);
	if (g_mkdir_with_parents(snmp_dir, 0750) != 0) {
		g_snprintf(errbuf, errlen, "%s: %s", snmp_dir, g_strerror(errno));
		return -1;
	}
	/* no /etc/snmp, no MIB files: only what chopin.conf says, in our own state */
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "", 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONFIGURATION_DIR, snmp_dir);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, snmp_dir);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OID_OUTPUT_FORMAT,
			   NETSNMP_OID_OUTPUT_NUMERIC);
	/* net-snmp's own messages go through our log, at info level (shown with -v) */
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, netsnmp_log_cb, NULL);
	init_snmp("chopin-trapd");

	int len = engine_id_load(config, engine_id, sizeof engine_id, errbuf, errlen);
	if (len < 0)
		return -1;
	if (set_exact_engineID(engine_id, (size_t)len) != SNMPERR_SUCCESS) {
		g_snprintf(errbuf, errlen, "net-snmp refused the engine ID");
		return -1;
	}
	/* informs are checked against the engine-time cache, filled at init_snmp() for the
	 * engine ID of that moment: register ours there too */
	set_enginetime(engine_id, (u_int)len, snmpv3_local_snmpEngineBoots(),
		       snmpv3_local_snmpEngineTime(), TRUE);
	g_autofree char *text = engine_id_format(engine_id, (size_t)len);
	chopin_log(CHOPIN_LOG_INFO, "SNMP engine ID %s", text);

	/* createUser lines, exactly as in snmptrapd.conf; validated in config.c */
	for (char **user = config->users; user != NULL && *user != NULL; user++) {
		g_autofree char *line = g_strdup(*user);
		usm_parse_create_usmUser("createUser", line);
	}
	return 0;
}

void
trapd_usm_shutdown(void)
{
	snmp_shutdown("chopin-trapd");
}
