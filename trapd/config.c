/* chopin-trapd's configuration: the trapd section of chopin.conf, checked to file:line. */
#include "config.h"

#include "trapd.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "chopin-log.h"
#include "chopin-settings.h"

static char **
strv_dup(const char *const *list)
{
	return g_strdupv((char **)list);
}

gboolean
trapd_config_load(const char *path, TrapdConfig *config, int *ret_log_level,
		  int *ret_log_facility)
{
	g_autoptr(ChopinConfigSchema) schema = chopin_settings_schema_new();
	g_autoptr(GPtrArray) diagnostics = NULL;
	g_autoptr(GError) error = NULL;
	gboolean ok = TRUE;

	memset(config, 0, sizeof *config);
	g_autoptr(ChopinConfig) file =
		chopin_config_load_file(schema, path, &diagnostics, &error);
	for (guint i = 0; diagnostics != NULL && i < diagnostics->len; i++)
		fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(diagnostics, i));
	if (file == NULL) {
		if (error != NULL && error->domain == G_FILE_ERROR)
			fprintf(stderr, "%s: %s\n", path, error->message);
		return FALSE;
	}

	config->listen = strv_dup(chopin_config_get_string_list(file, "trapd.listen"));
	config->spool_dir = g_strdup(chopin_config_get_string(file, "trapd.spool_dir"));
	config->state_dir = g_strdup(chopin_config_get_string(file, "trapd.state_dir"));
	config->run_user = g_strdup(chopin_config_get_string(file, "trapd.user"));
	config->commit_delay_ms = chopin_config_get_duration_ms(file, "trapd.commit_delay");
	config->commit_interval_ms = chopin_config_get_duration_ms(file, "trapd.commit_interval");
	config->read_pause_ms = chopin_config_get_duration_ms(file, "trapd.read_pause");
	config->batch_bytes = chopin_config_get_size(file, "trapd.batch_size");
	config->segment_size = chopin_config_get_size(file, "trapd.segment_size");
	config->max_backlog = chopin_config_get_size(file, "trapd.max_backlog");
	config->enable_v1 = chopin_config_get_bool(file, "trapd.snmpv1");
	config->enable_v2c = chopin_config_get_bool(file, "trapd.snmpv2c");
	config->enable_v3 = chopin_config_get_bool(file, "trapd.snmpv3");
	config->communities = strv_dup(chopin_config_get_string_list(file, "trapd.communities"));
	config->users = strv_dup(chopin_config_get_string_list(file, "trapd.users"));
	config->engine_id = g_strdup(chopin_config_get_string(file, "trapd.engine_id"));
	config->rate_per_source = (double)chopin_config_get_int(file, "trapd.rate_limit");
	config->burst_per_source = (double)chopin_config_get_int(file, "trapd.rate_burst");
	config->rcvbuf = (int)chopin_config_get_size(file, "trapd.receive_buffer");
	config->stats_interval_ms = chopin_config_get_duration_ms(file, "trapd.stats_interval");
	const char *stats_file = chopin_config_get_string(file, "trapd.stats_file");
	config->stats_file = stats_file != NULL
				     ? g_strdup(stats_file)
				     : g_build_filename(config->state_dir, "trapd.stats", NULL);

	/* values whose syntax the generic schema cannot know */
	char errbuf[256];
	g_auto(GStrv) allow = strv_dup(chopin_config_get_string_list(file, "trapd.allow"));
	config->allow = trapd_acl_new(allow, errbuf, sizeof errbuf);
	if (config->allow == NULL) {
		fprintf(stderr, "%s:%u: trapd.allow: %s\n", path,
			chopin_config_get_line(file, "trapd.allow"), errbuf);
		ok = FALSE;
	}
	if (g_strv_length(config->listen) == 0) {
		fprintf(stderr, "%s:%u: trapd.listen: at least one address is needed\n", path,
			chopin_config_get_line(file, "trapd.listen"));
		ok = FALSE;
	}
	if ((config->enable_v1 || config->enable_v2c) && g_strv_length(config->communities) == 0)
		fprintf(stderr,
			"%s:%u: warning: trapd.communities is empty: every SNMPv1/v2c "
			"notification will be refused\n",
			path, chopin_config_get_line(file, "trapd.communities"));
	if (config->enable_v3 && g_strv_length(config->users) == 0)
		fprintf(stderr,
			"%s:%u: warning: trapd.users is empty: every SNMPv3 notification will "
			"be refused\n",
			path, chopin_config_get_line(file, "trapd.users"));

	ChopinLogLevel level = CHOPIN_LOG_MESSAGE;
	static const ChopinLogLevel levels[] = {CHOPIN_LOG_DEBUG, CHOPIN_LOG_INFO,
						CHOPIN_LOG_MESSAGE, CHOPIN_LOG_WARNING};
	int index = chopin_config_get_enum(file, "log.level");
	if (index >= 0 && (size_t)index < G_N_ELEMENTS(levels))
		level = levels[index];
	*ret_log_level = (int)level;
	const ChopinConfigKey *facility_key = chopin_config_schema_lookup(schema, "log.syslog_facility");
	int facility_index = chopin_config_get_enum(file, "log.syslog_facility");
	*ret_log_facility = LOG_DAEMON;
	if (facility_key != NULL && facility_index >= 0) {
		int facility = chopin_log_facility_from_name(facility_key->enum_values[facility_index]);
		if (facility >= 0)
			*ret_log_facility = facility;
	}
	return ok;
}

void
trapd_config_clear(TrapdConfig *config)
{
	g_strfreev(config->listen);
	g_free(config->spool_dir);
	g_free(config->state_dir);
	g_free(config->run_user);
	g_strfreev(config->communities);
	g_strfreev(config->users);
	g_free(config->engine_id);
	g_free(config->stats_file);
	trapd_acl_free(config->allow);
	memset(config, 0, sizeof *config);
}
