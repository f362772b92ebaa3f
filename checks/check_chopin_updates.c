/* check_chopin_updates: pending and failed Windows updates and OS end of support of one server. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "check-common.h"

#define SECONDS_PER_DAY 86400

/* The updates row and what the evaluation made of it. */
typedef struct {
	gint64 pending;
	gint64 security;
	gint64 failed;
	bool reboot_required;
	bool have_success;
	gint64 success_age_s;
	char *last_success; /* "YYYY-MM-DD hh:mm:ss", NULL when never */
	char *last_search;
	GString *problems;
} UpdatesStatus;

static void
updates_status_clear(UpdatesStatus *status)
{
	g_free(status->last_success);
	g_free(status->last_search);
	if (status->problems != NULL)
		g_string_free(status->problems, TRUE);
}

static void updates_problem_add(UpdatesStatus *status, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void
updates_problem_add(UpdatesStatus *status, const char *format, ...)
{
	va_list args;

	if (status->problems->len > 0)
		g_string_append(status->problems, ", ");
	va_start(args, format);
	g_string_append_vprintf(status->problems, format, args);
	va_end(args);
}

/* Most updates listed per state in the long output. */
#define FAILED_LISTED  20
#define PENDING_LISTED 30

enum {
	PART_STATUS,  /* the updates row and the OS end of support (explicit link, else the
	               * longest matching pattern; NULL when none) */
	PART_FAILED,  /* failed update_items, security first, at most FAILED_LISTED + 1 */
	PART_PENDING, /* pending update_items, likewise */
};

/* The three parts; the limits are parameters (one row more than listed shows "more"). */
static const char updates_sql[] =
    "SELECT 0, u.pending_count, u.security_pending, u.failed_count, u.reboot_required,"
    " TIMESTAMPDIFF(SECOND, COALESCE(u.last_success, h.last_os_update_success),"
    "   UTC_TIMESTAMP(6)),"
    " DATE_FORMAT(COALESCE(u.last_success, h.last_os_update_success), '%Y-%m-%d %H:%i UTC'),"
    " DATE_FORMAT(u.last_search, '%Y-%m-%d %H:%i UTC'),"
    " l.product, DATE_FORMAT(l.extended_end, '%Y-%m-%d'), DATEDIFF(l.extended_end, UTC_DATE())"
    " FROM hosts h JOIN updates u ON u.host_id = h.host_id"
    " LEFT JOIN os_lifecycle l ON l.os_lifecycle_id = COALESCE(h.os_lifecycle_id,"
    "  (SELECT m.os_lifecycle_id FROM os_lifecycle m WHERE h.os_name LIKE m.os_pattern"
    "   ORDER BY CHAR_LENGTH(m.os_pattern) DESC, m.os_lifecycle_id LIMIT 1))"
    " WHERE h.name = ?"
    " UNION ALL"
    " (SELECT 1, i.kb, i.title, i.kind, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
    "  FROM hosts h JOIN update_items i ON i.host_id = h.host_id"
    "  WHERE h.name = ? AND i.state = 'failed' ORDER BY i.kind = 'security' DESC, i.kb LIMIT ?)"
    " UNION ALL"
    " (SELECT 2, i.kb, i.title, i.kind, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
    "  FROM hosts h JOIN update_items i ON i.host_id = h.host_id"
    "  WHERE h.name = ? AND i.state = 'pending' ORDER BY i.kind = 'security' DESC, i.kb LIMIT ?)";

static guint
updates_params(const CheckContext *context, ChopinDbValue *ret_params)
{
	ChopinDbValue host = chopin_db_value_text(context->host_arg);

	ret_params[0] = host;
	ret_params[1] = host;
	ret_params[2] = CHOPIN_DB_VALUE_INT(FAILED_LISTED + 1);
	ret_params[3] = host;
	ret_params[4] = CHOPIN_DB_VALUE_INT(PENDING_LISTED + 1);
	return 5;
}

/* Part, then items' security first and KB, as the server ordered each list. */
static gint
updates_row_compare_cb(gconstpointer a, gconstpointer b)
{
	const CheckRow *x = *(const CheckRow *const *)a;
	const CheckRow *y = *(const CheckRow *const *)b;
	int px = check_row_part(x), py = check_row_part(y);
	bool sx, sy;

	if (px != py)
		return px < py ? -1 : 1;
	if (px < PART_FAILED)
		return 0;
	sx = g_strcmp0(check_row_text(x, 3), "security") == 0;
	sy = g_strcmp0(check_row_text(y, 3), "security") == 0;
	if (sx != sy)
		return sx ? -1 : 1;
	return g_strcmp0(check_row_text(x, 1), check_row_text(y, 1));
}

/* The first row of part, or NULL; rows are sorted by part. */
static const CheckRow *
updates_part_first(GPtrArray *rows, int part, guint *ret_index)
{
	for (guint i = 0; i < rows->len; i++)
		if (check_row_part(g_ptr_array_index(rows, i)) == part) {
			if (ret_index != NULL)
				*ret_index = i;
			return g_ptr_array_index(rows, i);
		}
	return NULL;
}

/* Read the summary row; NO_DATA when the host never reported its update status. */
static gboolean
updates_status_read(GPtrArray *rows, UpdatesStatus *status, GError **error)
{
	const CheckRow *row = updates_part_first(rows, PART_STATUS, NULL);

	if (row == NULL) {
		g_set_error(error, CHECK_ERROR, CHECK_ERROR_NO_DATA,
		            "no Windows Update status received from this host yet");
		return FALSE;
	}
	status->pending = check_row_int(row, 1, 0);
	status->security = check_row_int(row, 2, 0);
	status->failed = check_row_int(row, 3, 0);
	status->reboot_required = check_row_int(row, 4, 0) != 0;
	status->have_success = !check_row_is_null(row, 5);
	status->success_age_s = check_row_int(row, 5, 0);
	status->last_success = g_strdup(check_row_text(row, 6));
	status->last_search = g_strdup(check_row_text(row, 7));
	return TRUE;
}

/* List the update_items rows of one part ("pending" or "failed"), at most limit of them. */
static void
updates_items_list(GPtrArray *rows, ChopinOutput *output, int part, const char *state, int limit)
{
	guint first;
	int shown = 0;

	if (updates_part_first(rows, part, &first) == NULL)
		return;
	for (guint i = first; i < rows->len; i++) {
		const CheckRow *row = g_ptr_array_index(rows, i);
		if (check_row_part(row) != part)
			break;
		if (shown++ == limit) {
			chopin_output_add_line(output, "    ... more %s updates", state);
			break;
		}
		chopin_output_add_line(
		    output, "    %s %s%s: %s", state, check_row_text(row, 1),
		    g_strcmp0(check_row_text(row, 3), "security") == 0 ? " (security)" : "",
		    check_row_text(row, 2));
	}
}

/* OS end of support, from the lifecycle columns of the status row, if any. */
static void
updates_lifecycle_evaluate(CheckContext *context, GPtrArray *rows, ChopinOutput *output,
                           UpdatesStatus *status)
{
	gint64 warn_days = chopin_config_get_duration_ms(context->config, "checks.eos_warning") /
	                   1000 / SECONDS_PER_DAY;
	const CheckRow *row = updates_part_first(rows, PART_STATUS, NULL);

	if (row == NULL || check_row_is_null(row, 8)) {
		chopin_output_add_line(output, "OS %s: no end-of-support date known",
		                       context->host.os_name != NULL ? context->host.os_name
		                                                     : "not reported");
		return;
	}
	const char *product = check_row_text(row, 8);
	const char *end = check_row_text(row, 9);
	gint64 days_left = check_row_int(row, 10, 0);

	if (days_left <= 0) {
		chopin_output_raise_state(output, CHOPIN_STATE_CRITICAL);
		updates_problem_add(status, "%s past end of support (%s)", product, end);
	} else if (days_left <= warn_days) {
		chopin_output_raise_state(output, CHOPIN_STATE_WARNING);
		updates_problem_add(status, "%s end of support in %" G_GINT64_FORMAT " days (%s)",
		                    product, days_left, end);
	}
	chopin_output_add_line(
	    output, "OS %s: %s, extended support ends %s (%" G_GINT64_FORMAT " days)",
	    context->host.os_name != NULL ? context->host.os_name : "?", product, end, days_left);
	check_perfdata_add(output, "eos_days_left", (double)days_left, "", NULL, false, 0);
}

static void
updates_evaluate(CheckContext *context, ChopinOutput *output, UpdatesStatus *status)
{
	gint64 max_age_s =
	    chopin_config_get_duration_ms(context->config, "checks.update_max_age") / 1000;
	ChopinState pending_state =
	    chopin_thresholds_evaluate(&context->thresholds, (double)status->pending);

	chopin_output_raise_state(output, pending_state);
	if (pending_state != CHOPIN_STATE_OK || status->pending > 0)
		updates_problem_add(status,
		                    "%" G_GINT64_FORMAT " pending (%" G_GINT64_FORMAT " security)",
		                    status->pending, status->security);
	if (status->failed > 0) {
		chopin_output_raise_state(output, CHOPIN_STATE_WARNING);
		updates_problem_add(status, "%" G_GINT64_FORMAT " failed install%s", status->failed,
		                    status->failed > 1 ? "s" : "");
	}
	if (!status->have_success) {
		chopin_output_raise_state(output, CHOPIN_STATE_WARNING);
		updates_problem_add(status, "no successful update recorded");
	} else if (status->success_age_s > max_age_s) {
		chopin_output_raise_state(output, CHOPIN_STATE_WARNING);
		updates_problem_add(status, "last successful update %" G_GINT64_FORMAT " days ago",
		                    status->success_age_s / SECONDS_PER_DAY);
	}
	chopin_output_add_line(output,
	                       "pending %" G_GINT64_FORMAT " (security %" G_GINT64_FORMAT
	                       "), failed %" G_GINT64_FORMAT ", reboot required: %s",
	                       status->pending, status->security, status->failed,
	                       status->reboot_required ? "yes" : "no");
	chopin_output_add_line(output, "last successful update: %s; last search: %s",
	                       status->last_success != NULL ? status->last_success : "never",
	                       status->last_search != NULL ? status->last_search : "never");
}

static gboolean
updates_evaluate_rows(CheckContext *context, GPtrArray *rows, ChopinOutput *output, GError **error)
{
	UpdatesStatus status = {.problems = g_string_new(NULL)};
	gboolean ok = FALSE;

	g_ptr_array_sort(rows, updates_row_compare_cb);
	if (!updates_status_read(rows, &status, error))
		goto out;
	updates_evaluate(context, output, &status);
	check_perfdata_add(output, "pending", (double)status.pending, "", &context->thresholds,
	                   true, 0);
	check_perfdata_count(output, "security_pending", status.security);
	check_perfdata_count(output, "failed", status.failed);
	check_perfdata_add(output, "days_since_success",
	                   status.have_success ? (double)(status.success_age_s / SECONDS_PER_DAY)
	                                       : NAN,
	                   "", NULL, true, 0);
	updates_lifecycle_evaluate(context, rows, output, &status);
	updates_items_list(rows, output, PART_FAILED, "failed", FAILED_LISTED);
	updates_items_list(rows, output, PART_PENDING, "pending", PENDING_LISTED);
	if (status.problems->len > 0)
		chopin_output_set_summary(output, "%s: %s", context->host.name,
		                          status.problems->str);
	else
		chopin_output_set_summary(
		    output, "%s: up to date, last successful update %" G_GINT64_FORMAT " days ago",
		    context->host.name, status.success_age_s / SECONDS_PER_DAY);
	ok = TRUE;
out:
	updates_status_clear(&status);
	return ok;
}

static const CheckPlugin updates_plugin = {
    .program = "check_chopin_updates",
    .service = "Updates",
    .purpose = "Windows Update state of a server as Chopin recorded it: pending (all and\n"
               "security) and failed updates, days since the last success, OS end of support.",
    .threshold_help = "number of pending updates",
    .sql = updates_sql,
    .n_columns = 11,
    .params = updates_params,
    .evaluate = updates_evaluate_rows,
};

int
main(int argc, char **argv)
{
	return check_main(&updates_plugin, argc, argv);
}
