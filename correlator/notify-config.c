/* The SNMP managers of correlator.managers: cross-key checks, secrets from files, file:line. */
#include "config.h"

#include "notify.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define MANAGERS_KEY       "correlator.managers"
#define NAME_MAX_LEN       128 /* alarm_notifications.manager */
#define USER_MAX_LEN       32  /* SnmpAdminString (SIZE (1..32)) of usmUserName */
#define PASSPHRASE_MIN_LEN 8
#define SECRET_FILE_MAX    (64 * 1024)

typedef struct {
	const ChopinConfig *group;
	const char *file; /* where the group is */
	guint line;       /* where it begins */
	guint index;      /* from 1 */
	GPtrArray *diagnostics;
	guint errors;
	GHashTable *warned_files; /* configuration files already warned about */
} ManagerCheck;

static void check_report(ManagerCheck *check, const char *key, gboolean is_warning,
                         const char *format, ...) G_GNUC_PRINTF(4, 5);

/* A problem with @key of the group (at its line when set), or with the group itself. */
static void
check_report(ManagerCheck *check, const char *key, gboolean is_warning, const char *format, ...)
{
	va_list args;
	guint line = check->line;

	if (key != NULL && chopin_config_is_set(check->group, key))
		line = chopin_config_get_line(check->group, key);
	va_start(args, format);
	g_autofree char *message = g_strdup_vprintf(format, args);
	va_end(args);
	g_ptr_array_add(check->diagnostics,
	                g_strdup_printf("%s:%u: %s%s element %u: %s", check->file, line,
	                                is_warning ? "warning: " : "", MANAGERS_KEY, check->index,
	                                message));
	if (!is_warning)
		check->errors++;
}

static const char *
check_string(ManagerCheck *check, const char *key)
{
	return chopin_config_get_string(check->group, key);
}

static gboolean
check_is_set(ManagerCheck *check, const char *key)
{
	return chopin_config_is_set(check->group, key);
}

/*
 * A secret given inline (@key) or in a file (@key_file), or NULL when neither.
 * A secret file must not be readable by others; the configuration file that
 * holds a secret inline should not be either (warned once per file).
 */
static char *
check_secret(ManagerCheck *check, const char *key, const char *key_file)
{
	const char *inline_value = check_string(check, key);
	const char *path = check_string(check, key_file);
	struct stat st;

	if (inline_value != NULL && path != NULL) {
		check_report(check, key_file, FALSE, "%s and %s are both set: keep one", key,
		             key_file);
		return NULL;
	}
	if (inline_value != NULL) {
		if (stat(check->file, &st) == 0 && (st.st_mode & 077) != 0 &&
		    !g_hash_table_contains(check->warned_files, check->file)) {
			g_hash_table_add(check->warned_files, g_strdup(check->file));
			check_report(check, key, TRUE,
			             "%s is a secret, but %s is readable by group or others (mode "
			             "%04o): chmod 600 it, or move the secret to %s",
			             key, check->file, (unsigned)(st.st_mode & 07777), key_file);
		}
		return g_strdup(inline_value);
	}
	if (path == NULL)
		return NULL;
	g_autofree char *contents = NULL;
	gsize length = 0;
	g_autoptr(GError) error = NULL;
	if (stat(path, &st) != 0) {
		check_report(check, key_file, FALSE, "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > SECRET_FILE_MAX) {
		check_report(check, key_file, FALSE, "%s: not a small regular file", path);
		return NULL;
	}
	if ((st.st_mode & 07) != 0) {
		check_report(check, key_file, FALSE,
		             "%s is readable by others (mode %04o): chmod o-rwx it", path,
		             (unsigned)(st.st_mode & 07777));
		return NULL;
	}
	if (!g_file_get_contents(path, &contents, &length, &error)) {
		check_report(check, key_file, FALSE, "%s", error->message);
		return NULL;
	}
	/* one line; the final newline is not part of the secret */
	while (length > 0 && (contents[length - 1] == '\n' || contents[length - 1] == '\r'))
		contents[--length] = '\0';
	if (length == 0 || strlen(contents) != length || strchr(contents, '\n') != NULL) {
		check_report(check, key_file, FALSE, "%s must hold the secret on one line", path);
		return NULL;
	}
	return g_steal_pointer(&contents);
}

static void
check_version_2c(ManagerCheck *check, NotifyManagerConfig *manager)
{
	static const char *const v3_keys[] = {"user",
	                                      "auth_passphrase",
	                                      "auth_passphrase_file",
	                                      "priv_passphrase",
	                                      "priv_passphrase_file",
	                                      "engine_id",
	                                      "auth_protocol",
	                                      "priv_protocol"};

	manager->inform = chopin_config_get_bool(check->group, "inform");
	manager->community = check_secret(check, "community", "community_file");
	if (manager->community == NULL && !check_is_set(check, "community") &&
	    !check_is_set(check, "community_file"))
		check_report(check, NULL, FALSE,
		             "version 2c needs a community (or community_file)");
	for (gsize i = 0; i < G_N_ELEMENTS(v3_keys); i++)
		if (check_is_set(check, v3_keys[i]))
			check_report(check, v3_keys[i], TRUE,
			             "%s is for version 3 managers: ignored", v3_keys[i]);
}

static void
check_version_3(ManagerCheck *check, NotifyManagerConfig *manager)
{
	manager->inform =
	    !check_is_set(check, "inform") || chopin_config_get_bool(check->group, "inform");
	if (!manager->inform)
		check_report(check, "inform", FALSE,
		             "version 3 notifications are sent as informs (the manager's engine "
		             "is authoritative); remove inform = false");
	if (check_is_set(check, "community") || check_is_set(check, "community_file"))
		check_report(check,
		             check_is_set(check, "community") ? "community" : "community_file",
		             TRUE, "communities are for version 2c managers: ignored");
	const char *user = check_string(check, "user");
	if (user == NULL || user[0] == '\0')
		check_report(check, "user", FALSE, "version 3 needs a user");
	else if (strlen(user) > USER_MAX_LEN)
		check_report(check, "user", FALSE, "user name longer than %d characters",
		             USER_MAX_LEN);
	else
		manager->user = g_strdup(user);

	manager->auth_passphrase = check_secret(check, "auth_passphrase", "auth_passphrase_file");
	if (manager->auth_passphrase == NULL && !check_is_set(check, "auth_passphrase") &&
	    !check_is_set(check, "auth_passphrase_file"))
		check_report(check, NULL, FALSE,
		             "version 3 needs auth_passphrase (or auth_passphrase_file): "
		             "unauthenticated alarms are not sent");
	else if (manager->auth_passphrase != NULL &&
	         strlen(manager->auth_passphrase) < PASSPHRASE_MIN_LEN)
		check_report(check, "auth_passphrase", FALSE,
		             "the authentication passphrase must have at least %d characters",
		             PASSPHRASE_MIN_LEN);
	manager->priv_passphrase = check_secret(check, "priv_passphrase", "priv_passphrase_file");
	if (manager->priv_passphrase != NULL &&
	    strlen(manager->priv_passphrase) < PASSPHRASE_MIN_LEN)
		check_report(check, "priv_passphrase", FALSE,
		             "the privacy passphrase must have at least %d characters",
		             PASSPHRASE_MIN_LEN);

	/* the enum values, as net-snmp spells them (AES-128 is its AES) */
	int auth = chopin_config_get_enum(check->group, "auth_protocol");
	int priv = chopin_config_get_enum(check->group, "priv_protocol");
	static const char *const auth_names[] = {"MD5",     "SHA",     "SHA-224",
	                                         "SHA-256", "SHA-384", "SHA-512"};
	static const char *const priv_names[] = {"DES", "AES", "AES", "AES-192", "AES-256"};
	if (auth >= 0 && (gsize)auth < G_N_ELEMENTS(auth_names))
		manager->auth_protocol = g_strdup(auth_names[auth]);
	if (manager->priv_passphrase != NULL && priv >= 0 && (gsize)priv < G_N_ELEMENTS(priv_names))
		manager->priv_protocol = g_strdup(priv_names[priv]);
	manager->engine_id = g_strdup(check_string(check, "engine_id"));
}

static NotifyManagerConfig *
check_manager(ManagerCheck *check)
{
	g_autoptr(GPtrArray) owner =
	    g_ptr_array_new_with_free_func((GDestroyNotify)notify_manager_config_free);
	NotifyManagerConfig *manager = g_new0(NotifyManagerConfig, 1);
	g_ptr_array_add(owner, manager);

	const char *address = check_string(check, "address");
	if (address == NULL || address[0] == '\0')
		check_report(check, "address", FALSE,
		             "address is required, e.g. \"udp:192.0.2.7:162\"");
	manager->address = g_strdup(address != NULL ? address : "");
	const char *name = check_string(check, "name");
	manager->name = g_strdup(name != NULL ? name : manager->address);
	if (manager->name[0] == '\0' && name != NULL)
		check_report(check, "name", FALSE, "name must not be empty");
	if (g_utf8_strlen(manager->name, -1) > NAME_MAX_LEN)
		check_report(check, name != NULL ? "name" : "address", FALSE,
		             "name longer than %d characters (set a shorter name)", NAME_MAX_LEN);
	manager->version = chopin_config_get_enum(check->group, "version") == 1 ? NOTIFY_VERSION_3
	                                                                        : NOTIFY_VERSION_2C;
	if (manager->version == NOTIFY_VERSION_3)
		check_version_3(check, manager);
	else
		check_version_2c(check, manager);
	manager->retries = (guint)chopin_config_get_int(check->group, "retries");
	manager->timeout_ms = chopin_config_get_duration_ms(check->group, "timeout");
	manager->backoff_max_ms = chopin_config_get_duration_ms(check->group, "backoff_max");
	manager->give_up_ms = chopin_config_get_duration_ms(check->group, "give_up_after");
	if (!manager->inform && (check_is_set(check, "retries") || check_is_set(check, "timeout")))
		check_report(check, check_is_set(check, "retries") ? "retries" : "timeout", TRUE,
		             "retries and timeout apply to informs only: a trap is sent once");
	return g_ptr_array_steal_index(owner, 0);
}

GPtrArray *
notify_config_load(const ChopinConfig *file, GPtrArray *diagnostics)
{
	g_autoptr(GPtrArray) managers =
	    g_ptr_array_new_with_free_func((GDestroyNotify)notify_manager_config_free);
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) warned_files =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint errors = 0;

	guint count = chopin_config_get_group_count(file, MANAGERS_KEY);
	for (guint i = 0; i < count; i++) {
		ManagerCheck check = {
		    .group = chopin_config_get_group(file, MANAGERS_KEY, i),
		    .index = i + 1,
		    .diagnostics = diagnostics,
		    .warned_files = warned_files,
		};
		check.file = chopin_config_get_origin(check.group, &check.line);
		NotifyManagerConfig *manager = check_manager(&check);
		g_ptr_array_add(managers, manager);
		if (g_hash_table_contains(names, manager->name))
			check_report(&check, check_is_set(&check, "name") ? "name" : "address",
			             FALSE, "a second manager named '%s' (set distinct names)",
			             manager->name);
		g_hash_table_add(names, manager->name);
		errors += check.errors;
	}
	return errors == 0 ? g_steal_pointer(&managers) : NULL;
}

void
notify_manager_config_free(NotifyManagerConfig *config)
{
	if (config == NULL)
		return;
	g_free(config->name);
	g_free(config->address);
	if (config->community != NULL)
		memset(config->community, 0, strlen(config->community));
	g_free(config->community);
	g_free(config->user);
	g_free(config->auth_protocol);
	if (config->auth_passphrase != NULL)
		memset(config->auth_passphrase, 0, strlen(config->auth_passphrase));
	g_free(config->auth_passphrase);
	g_free(config->priv_protocol);
	if (config->priv_passphrase != NULL)
		memset(config->priv_passphrase, 0, strlen(config->priv_passphrase));
	g_free(config->priv_passphrase);
	g_free(config->engine_id);
	g_free(config);
}
