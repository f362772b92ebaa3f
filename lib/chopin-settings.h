/* The whole chopin.conf schema: every program's keys in one declared table set. */
#ifndef CHOPIN_SETTINGS_H
#define CHOPIN_SETTINGS_H

#include "chopin-config.h"

G_BEGIN_DECLS

/* chopin-trapd's keys (section "trapd"). */
extern const ChopinConfigKey chopin_settings_trapd_keys[];
extern const size_t chopin_settings_trapd_n_keys;

/* chopin-correlator's keys (section "correlator"). */
extern const ChopinConfigKey chopin_settings_correlator_keys[];
extern const size_t chopin_settings_correlator_n_keys;

/* The check plugins' keys (section "checks"). */
extern const ChopinConfigKey chopin_settings_checks_keys[];
extern const size_t chopin_settings_checks_n_keys;

/* chopinctl's keys (section "chopinctl"). */
extern const ChopinConfigKey chopin_settings_chopinctl_keys[];
extern const size_t chopin_settings_chopinctl_n_keys;

/*
 * The schema of the shared configuration file: common sections and every
 * program's section, so that any program's check mode validates the whole
 * file.  Never NULL; free with chopin_config_schema_free().
 */
ChopinConfigSchema *chopin_settings_schema_new(void);

/* Value checks for the schema (NULL when fine, else a message to free). */
char *chopin_settings_check_snmp_user(const char *line);
char *chopin_settings_check_network(const char *text);
char *chopin_settings_check_engine_id(const char *text);

/* The default configuration file. */
#define CHOPIN_SETTINGS_DEFAULT_FILE CHOPIN_SYSCONFDIR "/chopin.conf"

G_END_DECLS

#endif
