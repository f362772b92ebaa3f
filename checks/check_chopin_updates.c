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

/* Read the summary row; NO_DATA when the host never reported its update status. */
static gboolean
updates_status_gather(CheckContext *context, UpdatesStatus *status, GError **error)
{
	gboolean have_row = FALSE;
	ChopinDbStmt *stmt = check_query(
	    context,
	    "SELECT u.pending_count, u.security_pending, u.failed_count, u.reboot_required,"
	    " TIMESTAMPDIFF(SECOND, COALESCE(u.last_success, h.last_os_update_success),"
	    "   UTC_TIMESTAMP(6)),"
	    " DATE_FORMAT(COALESCE(u.last_success, h.last_os_update_success), '%Y-%m-%d %H:%i "
	    "UTC'),"
	    " DATE_FORMAT(u.last_search, '%Y-%m-%d %H:%i UTC')"
	    " FROM hosts h JOIN updates u ON u.host_id = h.host_id WHERE h.host_id = ?",
	    (ChopinDbValue[]){CHOPIN_DB_VALUE_UINT(context->host.host_id)}, 1, error);

	if (stmt == NULL || !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	if (!have_row) {
		g_set_error(error, CHECK_ERROR, CHECK_ERROR_NO_DATA,
		            "no Windows Update status received from this host yet");
		return FALSE;
	}
	status->pending = check_column_int(stmt, 0, 0);
	status->security = check_column_int(stmt, 1, 0);
	status->failed = check_column_int(stmt, 2, 0);
	status->reboot_required = check_column_int(stmt, 3, 0) != 0;
	status->have_success = !check_column_is_null(stmt, 4);
	status->success_age_s = check_column_int(stmt, 4, 0);
	status->last_success = g_strdup(check_column_text(stmt, 5));
	status->last_search = g_strdup(check_column_text(stmt, 6));
	chopin_db_stmt_reset(stmt);
	return TRUE;
}

/* List update_items in one state ("pending" or "failed"), at most limit of them. */
static gboolean
updates_items_list(CheckContext *context, ChopinOutput *output, const char *state, int limit,
                   GError **error)
{
	gboolean have_row = FALSE;
	ChopinDbStmt *stmt = check_query(
	    context,
	    "SELECT kb, title, kind FROM update_items WHERE host_id = ? AND state = ?"
	    " ORDER BY kind = 'security' DESC, kb LIMIT ?",
	    (ChopinDbValue[]){CHOPIN_DB_VALUE_UINT(context->host.host_id),
	                      chopin_db_value_text(state), CHOPIN_DB_VALUE_INT(limit + 1)},
	    3, error);
	gboolean fetched = stmt != NULL;
	int shown = 0;

	while (fetched && (fetched = chopin_db_stmt_fetch(stmt, &have_row, error)) && have_row) {
		if (shown++ == limit) {
			chopin_output_add_line(output, "    ... more %s updates", state);
			chopin_db_stmt_reset(stmt);
			break;
		}
		chopin_output_add_line(
		    output, "    %s %s%s: %s", state, check_column_text(stmt, 0),
		    g_strcmp0(check_column_text(stmt, 2), "security") == 0 ? " (security)" : "",
		    check_column_text(stmt, 1));
	}
	return fetched;
}

/* OS end of support: os_lifecycle by explicit link, else the longest matching pattern. */
static gboolean
updates_lifecycle_evaluate(CheckContext *context, ChopinOutput *output, UpdatesStatus *status,
                           GError **error)
{
	gint64 warn_days = chopin_config_get_duration_ms(context->config, "checks.eos_warning") /
	                   1000 / SECONDS_PER_DAY;
	gboolean have_row = FALSE;
	ChopinDbStmt *stmt = check_query(
	    context,
	    "SELECT l.product, DATE_FORMAT(l.extended_end, '%Y-%m-%d'),"
	    " DATEDIFF(l.extended_end, UTC_DATE())"
	    " FROM hosts h JOIN os_lifecycle l ON l.os_lifecycle_id = COALESCE(h.os_lifecycle_id,"
	    "  (SELECT m.os_lifecycle_id FROM os_lifecycle m WHERE h.os_name LIKE m.os_pattern"
	    "   ORDER BY CHAR_LENGTH(m.os_pattern) DESC, m.os_lifecycle_id LIMIT 1))"
	    " WHERE h.host_id = ?",
	    (ChopinDbValue[]){CHOPIN_DB_VALUE_UINT(context->host.host_id)}, 1, error);

	if (stmt == NULL || !chopin_db_stmt_fetch(stmt, &have_row, error))
		return FALSE;
	if (!have_row) {
		chopin_output_add_line(output, "OS %s: no end-of-support date known",
		                       context->host.os_name != NULL ? context->host.os_name
		                                                     : "not reported");
		return TRUE;
	}
	g_autofree char *product = g_strdup(check_column_text(stmt, 0));
	g_autofree char *end = g_strdup(check_column_text(stmt, 1));
	gint64 days_left = check_column_int(stmt, 2, 0);
	chopin_db_stmt_reset(stmt);

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
	return TRUE;
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
updates_run(CheckContext *context, ChopinOutput *output, GError **error)
{
	UpdatesStatus status = {.problems = g_string_new(NULL)};
	gboolean ok = FALSE;

	if (!updates_status_gather(context, &status, error))
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
	if (!updates_lifecycle_evaluate(context, output, &status, error) ||
	    !updates_items_list(context, output, "failed", 20, error) ||
	    !updates_items_list(context, output, "pending", 30, error))
		goto out;
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
    .run = updates_run,
};

int
main(int argc, char **argv)
{
	return check_main(&updates_plugin, argc, argv);
}
