/* output: query results as aligned columns for humans and as JSON for scripts. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

G_DEFINE_QUARK(chopinctl - error - quark, ctl_error)

CtlExit
ctl_error_exit_status(const GError *error)
{
	if (error == NULL)
		return CTL_EXIT_OK;
	if (error->domain == CTL_ERROR && error->code >= CTL_EXIT_FAILURE &&
	    error->code <= CTL_EXIT_CONFIG)
		return (CtlExit)error->code;
	if (error->domain == CHOPIN_DB_ERROR &&
	    (error->code == CHOPIN_DB_ERROR_CONNECTION || error->code == CHOPIN_DB_ERROR_ACCESS))
		return CTL_EXIT_DATABASE;
	if (error->domain == CHOPIN_CONFIG_ERROR)
		return CTL_EXIT_CONFIG;
	return CTL_EXIT_FAILURE;
}

struct _CtlTable {
	const CtlColumn *columns;
	guint n_columns;
	GPtrArray *rows; /* char *[n_columns] each, NULL cells for SQL NULL */
};

CtlTable *
ctl_table_new(const CtlColumn *columns, guint n_columns)
{
	g_return_val_if_fail(columns != NULL && n_columns > 0, NULL);
	CtlTable *table = g_new0(CtlTable, 1);
	table->columns = columns;
	table->n_columns = n_columns;
	table->rows = g_ptr_array_new();
	return table;
}

void
ctl_table_free(CtlTable *table)
{
	if (table == NULL)
		return;
	for (guint r = 0; r < table->rows->len; r++) {
		char **row = g_ptr_array_index(table->rows, r);
		for (guint c = 0; c < table->n_columns; c++)
			g_free(row[c]);
		g_free(row);
	}
	g_ptr_array_unref(table->rows);
	g_free(table);
}

gboolean
ctl_table_fill(CtlTable *table, ChopinDbStmt *stmt, GError **error)
{
	gboolean have_row;

	g_return_val_if_fail(table != NULL && stmt != NULL, FALSE);
	if (chopin_db_stmt_n_columns(stmt) != table->n_columns) {
		chopin_db_stmt_reset(stmt);
		g_set_error(error, CTL_ERROR, CTL_ERROR_FAILED,
		            "query returned %u columns, %u expected (a bug)",
		            chopin_db_stmt_n_columns(stmt), table->n_columns);
		return FALSE;
	}
	for (;;) {
		if (!chopin_db_stmt_fetch(stmt, &have_row, error))
			return FALSE;
		if (!have_row)
			return TRUE;
		char **row = g_new0(char *, table->n_columns);
		for (guint c = 0; c < table->n_columns; c++) {
			gsize len;
			const char *text = chopin_db_stmt_column_text(stmt, c, &len);
			row[c] = text != NULL ? g_strndup(text, len) : NULL;
		}
		g_ptr_array_add(table->rows, row);
	}
}

void
ctl_table_add_row(CtlTable *table, const char *const *cells)
{
	char **row = g_new0(char *, table->n_columns);
	for (guint c = 0; c < table->n_columns; c++)
		row[c] = g_strdup(cells[c]);
	g_ptr_array_add(table->rows, row);
}

guint
ctl_table_get_n_rows(const CtlTable *table)
{
	return table->rows->len;
}

guint
ctl_table_get_n_columns(const CtlTable *table)
{
	return table->n_columns;
}

const CtlColumn *
ctl_table_get_column(const CtlTable *table, guint column)
{
	g_return_val_if_fail(column < table->n_columns, NULL);
	return &table->columns[column];
}

const char *
ctl_table_get_cell(const CtlTable *table, guint row, guint column)
{
	g_return_val_if_fail(row < table->rows->len && column < table->n_columns, NULL);
	return ((char **)g_ptr_array_index(table->rows, row))[column];
}

const char *
ctl_table_get(const CtlTable *table, guint row, const char *name)
{
	for (guint c = 0; c < table->n_columns; c++) {
		const CtlColumn *column = &table->columns[c];
		const char *id = column->key != NULL ? column->key : column->title;
		if (id != NULL && strcmp(id, name) == 0)
			return ctl_table_get_cell(table, row, c);
	}
	g_critical("no column '%s' in this table", name);
	return NULL;
}

/* --- cells for humans ------------------------------------------------------------------- */

/* Appends text with every control character made harmless: tabs and line breaks become a
 * space (a cell stays on its line), others (escape sequences) and invalid UTF-8 become '?'. */
static void
display_append_safe(GString *out, const char *text)
{
	const char *p = text;
	const char *end = text + strlen(text);

	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80) {
			gunichar ch = g_utf8_get_char_validated(p, (gssize)(end - p));
			if (ch == (gunichar)-1 || ch == (gunichar)-2 || g_unichar_iscntrl(ch)) {
				g_string_append_c(out, '?');
				p = ch == (gunichar)-1 || ch == (gunichar)-2 ? p + 1
				                                             : g_utf8_next_char(p);
				continue;
			}
			const char *next = g_utf8_next_char(p);
			g_string_append_len(out, p, next - p);
			p = next;
			continue;
		}
		if (c == '\t' || c == '\n' || c == '\r')
			g_string_append_c(out, ' ');
		else if (c < 0x20 || c == 0x7f)
			g_string_append_c(out, '?');
		else
			g_string_append_c(out, (char)c);
		p++;
	}
}

char *
ctl_text_safe(const char *text)
{
	GString *out = g_string_sized_new(strlen(text));
	display_append_safe(out, text);
	return g_string_free(out, FALSE);
}

char *
ctl_cell_display(CtlType type, const char *value)
{
	if (value == NULL)
		return g_strdup("-");
	switch (type) {
	case CTL_TYPE_TIME:
		/* seconds are enough for humans; the session is UTC */
		if (strlen(value) >= 19 && value[10] == ' ')
			return g_strndup(value, 19);
		break;
	case CTL_TYPE_BOOL:
		return g_strdup(strcmp(value, "0") == 0 ? "no" : "yes");
	case CTL_TYPE_COUNT:
		return g_strdup_printf("%sx", value);
	case CTL_TYPE_LIST:
		if (value[0] == '\0')
			return g_strdup("-");
		break;
	case CTL_TYPE_TEXT:
		if (value[0] == '\0')
			return g_strdup("-");
		break;
	case CTL_TYPE_INT:
	case CTL_TYPE_DATE:
		break;
	}
	return ctl_text_safe(value);
}

/* Terminal columns of a display string (wide characters count 2, combining ones 0). */
static guint
display_width(const char *text)
{
	guint width = 0;

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);
		if (g_unichar_iszerowidth(ch))
			continue;
		width += g_unichar_iswide(ch) ? 2 : 1;
	}
	return width;
}

static void
append_padded(GString *out, const char *text, guint width, gboolean right)
{
	guint have = display_width(text);
	guint pad = width > have ? width - have : 0;

	if (right)
		for (guint i = 0; i < pad; i++)
			g_string_append_c(out, ' ');
	g_string_append(out, text);
	if (!right)
		for (guint i = 0; i < pad; i++)
			g_string_append_c(out, ' ');
}

static gboolean
column_right_aligned(const CtlColumn *column)
{
	return column->type == CTL_TYPE_INT || column->type == CTL_TYPE_COUNT;
}

void
ctl_table_print(const CtlTable *table, GString *out, gboolean no_header)
{
	guint n_rows = table->rows->len;
	g_autofree guint *widths = g_new0(guint, table->n_columns);
	g_autofree char ***cells = g_new0(char **, n_rows);
	guint last = 0;

	for (guint c = 0; c < table->n_columns; c++) {
		if (table->columns[c].title == NULL)
			continue;
		last = c;
		if (!no_header)
			widths[c] = display_width(table->columns[c].title);
	}
	for (guint r = 0; r < n_rows; r++) {
		cells[r] = g_new0(char *, table->n_columns + 1);
		for (guint c = 0; c < table->n_columns; c++) {
			if (table->columns[c].title == NULL)
				continue;
			cells[r][c] = ctl_cell_display(table->columns[c].type,
			                               ctl_table_get_cell(table, r, c));
			widths[c] = MAX(widths[c], display_width(cells[r][c]));
		}
	}
	for (gint r = no_header ? 0 : -1; r < (gint)n_rows; r++) {
		gsize line_start = out->len;
		for (guint c = 0; c < table->n_columns; c++) {
			const CtlColumn *column = &table->columns[c];
			if (column->title == NULL)
				continue;
			const char *text = r < 0 ? column->title : cells[r][c];
			if (c == last && !column_right_aligned(column))
				g_string_append(out, text);
			else
				append_padded(out, text, widths[c], column_right_aligned(column));
			if (c != last)
				g_string_append(out, "  ");
		}
		/* no trailing blanks */
		while (out->len > line_start && out->str[out->len - 1] == ' ')
			g_string_truncate(out, out->len - 1);
		g_string_append_c(out, '\n');
	}
	for (guint r = 0; r < n_rows; r++) {
		for (guint c = 0; c < table->n_columns; c++)
			g_free(cells[r][c]);
		g_free(cells[r]);
	}
}

void
ctl_table_print_record(const CtlTable *table, guint row, GString *out, guint indent)
{
	guint width = 0;

	for (guint c = 0; c < table->n_columns; c++)
		if (table->columns[c].title != NULL)
			width = MAX(width, display_width(table->columns[c].title) + 1);
	for (guint c = 0; c < table->n_columns; c++) {
		const CtlColumn *column = &table->columns[c];
		if (column->title == NULL)
			continue;
		g_autofree char *text =
		    ctl_cell_display(column->type, ctl_table_get_cell(table, row, c));
		g_autofree char *label = g_strdup_printf("%s:", column->title);
		for (guint i = 0; i < indent; i++)
			g_string_append_c(out, ' ');
		append_padded(out, label, width + 1, FALSE);
		g_string_append(out, text);
		g_string_append_c(out, '\n');
	}
}

/* --- JSON ----------------------------------------------------------------------------------- */

static void
cell_to_json(const CtlColumn *column, const char *value, CtlJson *json)
{
	if (value == NULL) {
		if (column->type == CTL_TYPE_LIST) {
			ctl_json_begin_array(json);
			ctl_json_end_array(json);
		} else {
			ctl_json_null(json);
		}
		return;
	}
	switch (column->type) {
	case CTL_TYPE_INT:
	case CTL_TYPE_COUNT:
		ctl_json_number_text(json, value);
		break;
	case CTL_TYPE_BOOL:
		ctl_json_bool(json, strcmp(value, "0") != 0);
		break;
	case CTL_TYPE_TIME: {
		g_autofree char *iso = ctl_time_sql_to_iso(value);
		ctl_json_string(json, iso != NULL ? iso : value);
		break;
	}
	case CTL_TYPE_LIST: {
		ctl_json_begin_array(json);
		if (value[0] != '\0') {
			g_auto(GStrv) items = g_strsplit(value, ",", -1);
			for (guint i = 0; items[i] != NULL; i++)
				ctl_json_string(json, items[i]);
		}
		ctl_json_end_array(json);
		break;
	}
	case CTL_TYPE_TEXT:
	case CTL_TYPE_DATE:
		ctl_json_string(json, value);
		break;
	}
}

void
ctl_table_row_to_json(const CtlTable *table, guint row, CtlJson *json)
{
	ctl_json_begin_object(json);
	for (guint c = 0; c < table->n_columns; c++) {
		const CtlColumn *column = &table->columns[c];
		if (column->key == NULL)
			continue;
		ctl_json_key(json, column->key);
		cell_to_json(column, ctl_table_get_cell(table, row, c), json);
	}
	ctl_json_end_object(json);
}

void
ctl_table_to_json(const CtlTable *table, CtlJson *json)
{
	ctl_json_begin_array(json);
	for (guint r = 0; r < table->rows->len; r++)
		ctl_table_row_to_json(table, r, json);
	ctl_json_end_array(json);
}
