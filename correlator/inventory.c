/* RAID inventory: snapshot parts reassembled, compared with the last one, devices and history
 * written. */
#include "config.h"

#include "correlator.h"

#include <inttypes.h>
#include <string.h>

#include "chopin-log.h"
#include "chopin-mib.h"

#define STATE_RULE          "inventory"
#define SNAPSHOT_TIMEOUT_US (10 * G_TIME_SPAN_MINUTE)

typedef struct {
	guint host_id;
	uint64_t snapshot_id;
	guint total;
	guint received;
	GByteArray *parts; /* the parts' records, encoded as in the spool */
	uint64_t first_us; /* receiver clock of the first part */
	gboolean dirty;
} Pending;

struct _Inventory {
	ChopinDb *db;
	char *name;
	GHashTable *pending; /* "host/snapshot" -> Pending */
	GPtrArray *finished; /* keys whose state row must be deleted */
	gboolean loaded;
	ChopinRecord *scratch;
	uint64_t completed, abandoned, changes;
};

/* One device as a snapshot describes it. */
typedef struct {
	char kind[12];
	char address[64];
	char label[64]; /* how operators name it: "PD 252:7", "VD 0/0" */
	char model[129];
	char serial[129];
	char firmware[65];
	uint64_t size_mib;
	char state[33];
	const char *status;
	GString *attributes;
} Device;

static void
pending_free(gpointer data)
{
	Pending *pending = data;
	g_byte_array_unref(pending->parts);
	g_free(pending);
}

static void
device_free(gpointer data)
{
	Device *device = data;
	g_string_free(device->attributes, TRUE);
	g_free(device);
}

Inventory *
inventory_new(ChopinDb *db, const char *correlator_name)
{
	Inventory *inventory = g_new0(Inventory, 1);
	inventory->db = db;
	inventory->name = g_strdup(correlator_name);
	inventory->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, pending_free);
	inventory->finished = g_ptr_array_new_with_free_func(g_free);
	inventory->scratch = g_new(ChopinRecord, 1);
	return inventory;
}

void
inventory_free(Inventory *inventory)
{
	if (inventory == NULL)
		return;
	g_hash_table_destroy(inventory->pending);
	g_ptr_array_free(inventory->finished, TRUE);
	g_free(inventory->scratch);
	g_free(inventory->name);
	g_free(inventory);
}

void
inventory_forget(Inventory *inventory)
{
	g_hash_table_remove_all(inventory->pending);
	g_ptr_array_set_size(inventory->finished, 0);
	inventory->loaded = FALSE;
}

static gboolean
exec(Inventory *inventory, const char *sql, const ChopinDbValue *params, guint n, GError **error)
{
	ChopinDbStmt *stmt = chopin_db_prepare(inventory->db, sql, error);
	return stmt != NULL && chopin_db_stmt_execute(stmt, params, n, NULL, error);
}

/* Pending snapshots survive restarts in correlator_state, committed with the spool position. */
static gboolean
inventory_load(Inventory *inventory, GError **error)
{
	gboolean have_row;
	ChopinDbValue params[] = {chopin_db_value_text(inventory->name)};
	ChopinDbStmt *stmt = chopin_db_prepare(
	    inventory->db,
	    "SELECT state_key, state FROM correlator_state WHERE correlator_name = ? "
	    "AND rule_name = '" STATE_RULE "'",
	    error);
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, params, 1, NULL, error))
		return FALSE;
	while (chopin_db_stmt_fetch(stmt, &have_row, error) && have_row) {
		gsize len;
		const char *key = chopin_db_stmt_column_text(stmt, 0, NULL);
		const char *blob = chopin_db_stmt_column_text(stmt, 1, &len);
		guint host_id;
		uint64_t snapshot_id;
		guint total, received;
		uint64_t first_us;
		if (key == NULL || blob == NULL || len < 24 ||
		    sscanf(key, "%u/%" SCNu64, &host_id, &snapshot_id) != 2)
			continue;
		/* header: total, received (u32 each), first_us (u64), reserved (u64) */
		memcpy(&total, blob, 4);
		memcpy(&received, blob + 4, 4);
		memcpy(&first_us, blob + 8, 8);
		Pending *pending = g_new0(Pending, 1);
		pending->host_id = host_id;
		pending->snapshot_id = snapshot_id;
		pending->total = total;
		pending->received = received;
		pending->first_us = first_us;
		pending->parts = g_byte_array_new();
		g_byte_array_append(pending->parts, (const guint8 *)blob + 24, (guint)(len - 24));
		g_hash_table_insert(inventory->pending, g_strdup(key), pending);
	}
	inventory->loaded = TRUE;
	return error == NULL || *error == NULL;
}

/* --- what a part says ------------------------------------------------------------------ */

static void
field_copy(const ChopinRecord *record, uint16_t id, char *buf, size_t size)
{
	chopin_record_get_string(record, id, buf, size);
	g_strstrip(buf); /* storcli pads serial numbers with blanks */
}

static uint64_t
field_number(const ChopinRecord *record, uint16_t id)
{
	int64_t value = 0;
	return chopin_record_get_int(record, id, &value) == 0 && value > 0 ? (uint64_t)value : 0;
}

static const char *
status_of(const char *kind, const char *state, uint64_t predictive, uint64_t smart,
          uint64_t replace)
{
	static const char *const critical_states[] = {
	    "Dgrd", "OfLn", "Offln", "UBad", "Msng", "Failed", "Offline", "Degraded", NULL};
	static const char *const warning_states[] = {
	    "Pdgd",     "Rbld",     "Cpybck",      "Rec", "Needs Attention", "Partially Degraded",
	    "Learning", "Charging", "Discharging", NULL};
	static const char *const ok_states[] = {"Optl", "Optimal", "Onln", "GHS",
	                                        "DHS",  "UGood",   "JBOD", NULL};
	for (const char *const *s = critical_states; *s != NULL; s++)
		if (g_ascii_strcasecmp(state, *s) == 0)
			return "critical";
	if (strcmp(kind, "battery") == 0 && replace == 1)
		return "critical";
	for (const char *const *s = warning_states; *s != NULL; s++)
		if (g_ascii_strcasecmp(state, *s) == 0)
			return "warning";
	if (predictive > 0 || smart == 1)
		return "warning";
	for (const char *const *s = ok_states; *s != NULL; s++)
		if (g_ascii_strcasecmp(state, *s) == 0)
			return "ok";
	return "unknown";
}

static Device *
device_from_part(const ChopinRecord *record)
{
	Device *device = g_new0(Device, 1);
	uint64_t controller = field_number(record, CHOPIN_FIELD_RAID_CONTROLLER_INDEX);
	char text[64];

	device->attributes = g_string_new(NULL);
	field_copy(record, CHOPIN_FIELD_RAID_MODEL, device->model, sizeof device->model);
	field_copy(record, CHOPIN_FIELD_RAID_SERIAL, device->serial, sizeof device->serial);
	field_copy(record, CHOPIN_FIELD_RAID_FIRMWARE, device->firmware, sizeof device->firmware);
	field_copy(record, CHOPIN_FIELD_RAID_STATE, device->state, sizeof device->state);
	device->size_mib = field_number(record, CHOPIN_FIELD_RAID_SIZE_MIB);
	uint64_t predictive = 0, smart = 0, replace = 0;
	switch (record->kind) {
	case CHOPIN_KIND_RAID_CONTROLLER:
		g_strlcpy(device->kind, "controller", sizeof device->kind);
		g_snprintf(device->address, sizeof device->address, "c%" PRIu64, controller);
		g_snprintf(device->label, sizeof device->label, "Controller %" PRIu64, controller);
		g_string_append_printf(
		    device->attributes,
		    "correctable_errors=%" PRIu64 "\nuncorrectable_errors=%" PRIu64 "\n",
		    field_number(record, CHOPIN_FIELD_RAID_CORRECTABLE_ERRORS),
		    field_number(record, CHOPIN_FIELD_RAID_UNCORRECTABLE_ERRORS));
		break;
	case CHOPIN_KIND_RAID_VIRTUAL_DRIVE:
		g_strlcpy(device->kind, "vd", sizeof device->kind);
		field_copy(record, CHOPIN_FIELD_RAID_VD_INDEX, text, sizeof text);
		g_snprintf(device->address, sizeof device->address, "c%" PRIu64 "/v%s", controller,
		           strchr(text, '/') ? strchr(text, '/') + 1 : text);
		g_snprintf(device->label, sizeof device->label, "VD %s", text);
		field_copy(record, CHOPIN_FIELD_RAID_VD_TYPE, text, sizeof text);
		g_string_append_printf(device->attributes, "type=%s\n", text);
		field_copy(record, CHOPIN_FIELD_RAID_NAME, text, sizeof text);
		g_string_append_printf(device->attributes, "name=%s\n", text);
		break;
	case CHOPIN_KIND_RAID_PHYSICAL_DRIVE: {
		g_strlcpy(device->kind, "pd", sizeof device->kind);
		field_copy(record, CHOPIN_FIELD_RAID_ENCLOSURE_SLOT, text, sizeof text);
		char *colon = strchr(text, ':');
		if (colon != NULL)
			g_snprintf(device->address, sizeof device->address,
			           "c%" PRIu64 "/e%.*s/s%s", controller, (int)(colon - text), text,
			           colon + 1);
		else
			g_snprintf(device->address, sizeof device->address, "c%" PRIu64 "/s%s",
			           controller, text);
		g_snprintf(device->label, sizeof device->label, "PD %s", text);
		predictive = field_number(record, CHOPIN_FIELD_RAID_PREDICTIVE_FAILURES);
		smart = field_number(record, CHOPIN_FIELD_RAID_SMART_ALERT);
		char media[16], interface[16], wwn[40];
		field_copy(record, CHOPIN_FIELD_RAID_MEDIA_TYPE, media, sizeof media);
		field_copy(record, CHOPIN_FIELD_RAID_INTERFACE, interface, sizeof interface);
		field_copy(record, CHOPIN_FIELD_RAID_WWN, wwn, sizeof wwn);
		g_string_append_printf(
		    device->attributes,
		    "media=%s\ninterface=%s\nwwn=%s\nmedia_errors=%" PRIu64
		    "\nother_errors=%" PRIu64 "\npredictive_failures=%" PRIu64 "\nsmart_alert=%s\n",
		    media, interface, wwn, field_number(record, CHOPIN_FIELD_RAID_MEDIA_ERRORS),
		    field_number(record, CHOPIN_FIELD_RAID_OTHER_ERRORS), predictive,
		    smart == 1 ? "yes" : "no");
		break;
	}
	default:
		g_strlcpy(device->kind, "battery", sizeof device->kind);
		g_snprintf(device->address, sizeof device->address, "c%" PRIu64 "/bbu", controller);
		g_snprintf(device->label, sizeof device->label, "Battery of controller %" PRIu64,
		           controller);
		replace = field_number(record, CHOPIN_FIELD_RAID_BATTERY_REPLACE);
		g_string_append_printf(device->attributes, "replace=%s\n",
		                       replace == 1 ? "yes" : "no");
		break;
	}
	device->status = status_of(device->kind, device->state, predictive, smart, replace);
	return device;
}

/* --- comparing with what the database knows --------------------------------------------- */

static gboolean
history(Inventory *inventory, guint host_id, const char *when, const char *address,
        const char *kind, const char *attribute, const char *old_value, const char *new_value,
        const char *text, GError **error)
{
	ChopinDbValue params[] = {
	    CHOPIN_DB_VALUE_UINT(host_id),   chopin_db_value_text(when),
	    chopin_db_value_text(address),   chopin_db_value_text(kind),
	    chopin_db_value_text(attribute), chopin_db_value_text(old_value),
	    chopin_db_value_text(new_value), chopin_db_value_text(text),
	};
	inventory->changes++;
	return exec(inventory,
	            "INSERT INTO config_history (host_id, changed_at, device_address, change_kind, "
	            "attribute, old_value, new_value, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	            params, G_N_ELEMENTS(params), error);
}

/* Compares @device with its row (if any), records the differences, writes the row. */
static gboolean
inventory_compare_device(Inventory *inventory, guint host_id, const char *when, Device *device,
                         gboolean baseline, GHashTable *known, GError **error)
{
	char **row = g_hash_table_lookup(known, device->address);
	g_autofree char *text = NULL;

	if (!baseline && (row == NULL || g_strcmp0(row[5], "1") == 0)) {
		text = g_strdup_printf("%s added: serial %s, model %s", device->label,
		                       device->serial[0] ? device->serial : "?",
		                       device->model[0] ? device->model : "?");
		if (!history(inventory, host_id, when, device->address, "added", NULL, NULL,
		             device->serial, text, error))
			return FALSE;
	} else if (!baseline && row != NULL) {
		const char *old_serial = row[1] ? row[1] : "";
		if (old_serial[0] && device->serial[0] && strcmp(old_serial, device->serial) != 0) {
			text = g_strdup_printf("%s replaced: serial %s -> %s, model %s",
			                       device->label, old_serial, device->serial,
			                       device->model[0] ? device->model : "?");
			if (!history(inventory, host_id, when, device->address, "replaced",
			             "serial", old_serial, device->serial, text, error))
				return FALSE;
		} else {
			const char *names[] = {"model", NULL, "firmware", "state"};
			const char *values[] = {device->model, NULL, device->firmware,
			                        device->state};
			for (int i = 0; i < 4; i++) {
				if (names[i] == NULL || g_strcmp0(row[i], values[i]) == 0 ||
				    (row[i] == NULL && values[i][0] == '\0'))
					continue;
				g_free(text);
				text = g_strdup_printf("%s %s %s -> %s", device->label, names[i],
				                       row[i] ? row[i] : "?", values[i]);
				if (!history(inventory, host_id, when, device->address, "changed",
				             names[i], row[i], values[i], text, error))
					return FALSE;
			}
		}
	}
	g_hash_table_remove(known, device->address);
	ChopinDbValue v[] = {
	    chopin_db_value_text(device->model[0] ? device->model : NULL),
	    chopin_db_value_text(device->serial[0] ? device->serial : NULL),
	    chopin_db_value_text(device->firmware[0] ? device->firmware : NULL),
	    device->size_mib ? CHOPIN_DB_VALUE_UINT(device->size_mib) : CHOPIN_DB_VALUE_NULL,
	    chopin_db_value_text(device->state),
	    chopin_db_value_text(device->status),
	    CHOPIN_DB_VALUE_TEXT_LEN(device->attributes->str, device->attributes->len),
	    chopin_db_value_text(when),
	};
	ChopinDbValue params[] = {
	    CHOPIN_DB_VALUE_UINT(host_id),
	    chopin_db_value_text(device->kind),
	    chopin_db_value_text(device->address),
	    v[0],
	    v[1],
	    v[2],
	    v[3],
	    v[4],
	    v[5],
	    v[6],
	    v[7],
	    v[7],
	    v[0],
	    v[1],
	    v[2],
	    v[3],
	    v[4],
	    v[5],
	    v[6],
	    v[7],
	};
	return exec(
	    inventory,
	    "INSERT INTO devices (host_id, kind, address, model, serial, firmware, size_mib, "
	    "state, status, attributes, first_seen, last_seen, removed) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON DUPLICATE KEY UPDATE "
	    "model = ?, serial = ?, firmware = ?, size_mib = ?, state = ?, status = ?, "
	    "attributes = ?, last_seen = ?, removed = 0",
	    params, G_N_ELEMENTS(params), error);
}

/* A whole snapshot: every part decoded, compared with the devices rows. */
static gboolean
inventory_complete(Inventory *inventory, Pending *pending, const char *when, GError **error)
{
	g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(device_free);
	g_autoptr(GHashTable) known =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_strfreev);
	size_t offset = 0, consumed;

	while (offset < pending->parts->len &&
	       chopin_record_decode(pending->parts->data + offset, pending->parts->len - offset,
	                            inventory->scratch, &consumed) == CHOPIN_RECORD_OK) {
		g_ptr_array_add(devices, device_from_part(inventory->scratch));
		offset += consumed;
	}
	ChopinDbValue host[] = {CHOPIN_DB_VALUE_UINT(pending->host_id)};
	ChopinDbStmt *stmt = chopin_db_prepare(inventory->db,
	                                       "SELECT address, model, serial, firmware, state, "
	                                       "removed FROM devices WHERE host_id = ?",
	                                       error);
	gboolean have_row;
	if (stmt == NULL || !chopin_db_stmt_execute(stmt, host, 1, NULL, error))
		return FALSE;
	while (chopin_db_stmt_fetch(stmt, &have_row, error) && have_row) {
		/* row: model, serial, firmware, state, (unused), removed; index as compared */
		char **row = g_new0(char *, 7);
		row[0] = g_strdup(chopin_db_stmt_column_text(stmt, 1, NULL));
		row[1] = g_strdup(chopin_db_stmt_column_text(stmt, 2, NULL));
		row[2] = g_strdup(chopin_db_stmt_column_text(stmt, 3, NULL));
		row[3] = g_strdup(chopin_db_stmt_column_text(stmt, 4, NULL));
		row[4] = g_strdup("");
		row[5] = g_strdup(chopin_db_stmt_column_text(stmt, 5, NULL));
		g_hash_table_insert(known, g_strdup(chopin_db_stmt_column_text(stmt, 0, NULL)),
		                    row);
	}
	if (error != NULL && *error != NULL)
		return FALSE;
	/* the first snapshot of a host is the baseline: devices, no history */
	gboolean baseline = g_hash_table_size(known) == 0;
	for (guint i = 0; i < devices->len; i++)
		if (!inventory_compare_device(inventory, pending->host_id, when,
		                              g_ptr_array_index(devices, i), baseline, known,
		                              error))
			return FALSE;
	/* what is left was in the last snapshot and is not in this one */
	GHashTableIter iter;
	gpointer key, value;
	g_hash_table_iter_init(&iter, known);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		char **row = value;
		if (g_strcmp0(row[5], "1") == 0)
			continue;
		g_autofree char *text = g_strdup_printf("%s removed (serial %s)", (const char *)key,
		                                        row[1] ? row[1] : "?");
		ChopinDbValue params[] = {chopin_db_value_text(when),
		                          CHOPIN_DB_VALUE_UINT(pending->host_id),
		                          chopin_db_value_text(key)};
		if (!history(inventory, pending->host_id, when, key, "removed", NULL, row[1], NULL,
		             text, error) ||
		    !exec(inventory,
		          "UPDATE devices SET removed = 1, last_seen = ? WHERE host_id = ? AND "
		          "address = ?",
		          params, 3, error))
			return FALSE;
	}
	inventory->completed++;
	return TRUE;
}

gboolean
inventory_apply(Inventory *inventory, const ChopinRecord *record, guint host_id,
                const char *received, GError **error)
{
	if (!inventory->loaded && !inventory_load(inventory, error))
		return FALSE;
	uint64_t snapshot_id = field_number(record, CHOPIN_FIELD_RAID_SNAPSHOT_ID);
	guint total = (guint)field_number(record, CHOPIN_FIELD_RAID_PART_TOTAL);
	g_autofree char *key = g_strdup_printf("%u/%" PRIu64, host_id, snapshot_id);
	Pending *pending = g_hash_table_lookup(inventory->pending, key);
	if (pending == NULL) {
		pending = g_new0(Pending, 1);
		pending->host_id = host_id;
		pending->snapshot_id = snapshot_id;
		pending->total = total;
		pending->parts = g_byte_array_new();
		pending->first_us = record->received_us;
		g_hash_table_insert(inventory->pending, g_strdup(key), pending);
	}
	size_t size = chopin_record_encoded_size(record), written;
	guint at = pending->parts->len;
	g_byte_array_set_size(pending->parts, (guint)(at + size));
	chopin_record_encode(record, pending->parts->data + at, size, &written);
	pending->received++;
	pending->dirty = TRUE;

	ChopinDbValue params[] = {
	    CHOPIN_DB_VALUE_UINT(host_id),
	    CHOPIN_DB_VALUE_UINT(snapshot_id),
	    chopin_db_value_text(received),
	    CHOPIN_DB_VALUE_UINT(total),
	    CHOPIN_DB_VALUE_UINT(pending->received),
	    CHOPIN_DB_VALUE_INT(pending->received >= total),
	    chopin_db_value_text(received),
	    CHOPIN_DB_VALUE_UINT(pending->received),
	    CHOPIN_DB_VALUE_INT(pending->received >= total),
	};
	if (!exec(inventory,
	          "INSERT INTO raid_snapshots (host_id, snapshot_id, received_at, parts_total, "
	          "parts_received, complete) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
	          "received_at = ?, parts_received = ?, complete = ?",
	          params, G_N_ELEMENTS(params), error))
		return FALSE;
	if (pending->received < total)
		return TRUE;
	if (!inventory_complete(inventory, pending, received, error))
		return FALSE;
	g_ptr_array_add(inventory->finished, g_strdup(key));
	g_hash_table_remove(inventory->pending, key);
	return TRUE;
}

gboolean
inventory_flush(Inventory *inventory, uint64_t now_us, GError **error)
{
	GHashTableIter iter;
	gpointer key, value;

	/* snapshots that never completed: reported and dropped */
	g_hash_table_iter_init(&iter, inventory->pending);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		Pending *pending = value;
		if (now_us - pending->first_us < (uint64_t)SNAPSHOT_TIMEOUT_US)
			continue;
		chopin_log(CHOPIN_LOG_WARNING,
		           "RAID inventory snapshot %" G_GUINT64_FORMAT " of host id %u incomplete "
		           "after 10 minutes (%u of %u parts): dropped",
		           pending->snapshot_id, pending->host_id, pending->received,
		           pending->total);
		inventory->abandoned++;
		g_ptr_array_add(inventory->finished, g_strdup(key));
		g_hash_table_iter_remove(&iter);
	}
	for (guint i = 0; i < inventory->finished->len; i++) {
		ChopinDbValue params[] = {
		    chopin_db_value_text(inventory->name),
		    chopin_db_value_text(g_ptr_array_index(inventory->finished, i))};
		if (!exec(inventory,
		          "DELETE FROM correlator_state WHERE correlator_name = ? AND rule_name = "
		          "'" STATE_RULE "' AND state_key = ?",
		          params, 2, error))
			return FALSE;
	}
	g_ptr_array_set_size(inventory->finished, 0);
	g_hash_table_iter_init(&iter, inventory->pending);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		Pending *pending = value;
		if (!pending->dirty)
			continue;
		GByteArray *blob = g_byte_array_sized_new(24 + pending->parts->len);
		uint32_t header[2] = {pending->total, pending->received};
		uint64_t tail[2] = {pending->first_us, 0};
		g_byte_array_append(blob, (const guint8 *)header, sizeof header);
		g_byte_array_append(blob, (const guint8 *)tail, sizeof tail);
		g_byte_array_append(blob, pending->parts->data, pending->parts->len);
		ChopinDbValue state = CHOPIN_DB_VALUE_BLOB((const char *)blob->data, blob->len);
		ChopinDbValue params[] = {chopin_db_value_text(inventory->name),
		                          chopin_db_value_text(key), state, state};
		gboolean ok =
		    exec(inventory,
		         "INSERT INTO correlator_state (correlator_name, rule_name, state_key, "
		         "state, updated_at) VALUES (?, '" STATE_RULE "', ?, ?, UTC_TIMESTAMP(6)) "
		         "ON DUPLICATE KEY UPDATE state = ?, updated_at = UTC_TIMESTAMP(6)",
		         params, 4, error);
		g_byte_array_unref(blob);
		if (!ok)
			return FALSE;
		pending->dirty = FALSE;
	}
	return TRUE;
}
