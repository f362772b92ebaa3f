/* json: a small streaming JSON writer (RFC 8259) with correct string escaping. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

typedef enum {
	FRAME_OBJECT,
	FRAME_ARRAY,
} FrameKind;

typedef struct {
	FrameKind kind;
	guint count;       /* values written in it */
	gboolean have_key; /* object: a key waits for its value */
} Frame;

struct _CtlJson {
	GString *out;
	GArray *frames; /* Frame */
	gboolean done;  /* the top-level value is written */
};

CtlJson *
ctl_json_new(GString *out)
{
	g_return_val_if_fail(out != NULL, NULL);
	CtlJson *json = g_new0(CtlJson, 1);
	json->out = out;
	json->frames = g_array_new(FALSE, FALSE, sizeof(Frame));
	return json;
}

void
ctl_json_free(CtlJson *json)
{
	if (json == NULL)
		return;
	g_array_unref(json->frames);
	g_free(json);
}

gboolean
ctl_json_finish(CtlJson *json)
{
	g_return_val_if_fail(json != NULL, FALSE);
	if (json->frames->len != 0 || !json->done)
		return FALSE;
	g_string_append_c(json->out, '\n');
	return TRUE;
}

static Frame *
json_top(CtlJson *json)
{
	if (json->frames->len == 0)
		return NULL;
	return &g_array_index(json->frames, Frame, json->frames->len - 1);
}

static void
json_newline(CtlJson *json)
{
	g_string_append_c(json->out, '\n');
	for (guint i = 0; i < json->frames->len; i++)
		g_string_append(json->out, "  ");
}

/* Before a value: the separator and indentation its position needs. FALSE on misuse. */
static gboolean
json_before_value(CtlJson *json)
{
	Frame *top = json_top(json);

	if (top == NULL) {
		g_return_val_if_fail(!json->done, FALSE);
		json->done = TRUE;
		return TRUE;
	}
	if (top->kind == FRAME_OBJECT) {
		g_return_val_if_fail(top->have_key, FALSE);
		top->have_key = FALSE;
		return TRUE; /* the key wrote the separator */
	}
	if (top->count++ > 0)
		g_string_append_c(json->out, ',');
	json_newline(json);
	return TRUE;
}

void
ctl_json_key(CtlJson *json, const char *key)
{
	g_return_if_fail(json != NULL && key != NULL);
	Frame *top = json_top(json);
	g_return_if_fail(top != NULL && top->kind == FRAME_OBJECT && !top->have_key);
	if (top->count++ > 0)
		g_string_append_c(json->out, ',');
	json_newline(json);
	g_string_append_c(json->out, '"');
	ctl_json_escape(json->out, key, strlen(key));
	g_string_append(json->out, "\": ");
	top->have_key = TRUE;
}

static void
json_begin(CtlJson *json, FrameKind kind)
{
	g_return_if_fail(json != NULL);
	if (!json_before_value(json))
		return;
	g_string_append_c(json->out, kind == FRAME_OBJECT ? '{' : '[');
	Frame frame = {kind, 0, FALSE};
	g_array_append_val(json->frames, frame);
}

static void
json_end(CtlJson *json, FrameKind kind)
{
	g_return_if_fail(json != NULL);
	Frame *top = json_top(json);
	g_return_if_fail(top != NULL && top->kind == kind && !top->have_key);
	guint count = top->count;
	g_array_set_size(json->frames, json->frames->len - 1);
	if (count > 0)
		json_newline(json);
	g_string_append_c(json->out, kind == FRAME_OBJECT ? '}' : ']');
}

void
ctl_json_begin_object(CtlJson *json)
{
	json_begin(json, FRAME_OBJECT);
}

void
ctl_json_end_object(CtlJson *json)
{
	json_end(json, FRAME_OBJECT);
}

void
ctl_json_begin_array(CtlJson *json)
{
	json_begin(json, FRAME_ARRAY);
}

void
ctl_json_end_array(CtlJson *json)
{
	json_end(json, FRAME_ARRAY);
}

void
ctl_json_escape(GString *out, const char *value, gsize len)
{
	static const char hex[] = "0123456789abcdef";
	const char *p = value;
	const char *end = value + len;

	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80) {
			/* copy one valid UTF-8 character verbatim, or replace one bad byte */
			gunichar ch = g_utf8_get_char_validated(p, (gssize)(end - p));
			if (ch == (gunichar)-1 || ch == (gunichar)-2) {
				g_string_append(out, "\\ufffd");
				p++;
				continue;
			}
			const char *next = g_utf8_next_char(p);
			g_string_append_len(out, p, next - p);
			p = next;
			continue;
		}
		switch (c) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\b':
			g_string_append(out, "\\b");
			break;
		case '\f':
			g_string_append(out, "\\f");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				g_string_append(out, "\\u00");
				g_string_append_c(out, hex[c >> 4]);
				g_string_append_c(out, hex[c & 0xf]);
			} else {
				g_string_append_c(out, (char)c);
			}
		}
		p++;
	}
}

void
ctl_json_string_len(CtlJson *json, const char *value, gsize len)
{
	g_return_if_fail(json != NULL);
	if (value == NULL) {
		ctl_json_null(json);
		return;
	}
	if (!json_before_value(json))
		return;
	g_string_append_c(json->out, '"');
	ctl_json_escape(json->out, value, len);
	g_string_append_c(json->out, '"');
}

void
ctl_json_string(CtlJson *json, const char *value)
{
	ctl_json_string_len(json, value, value != NULL ? strlen(value) : 0);
}

void
ctl_json_int(CtlJson *json, gint64 value)
{
	g_return_if_fail(json != NULL);
	if (json_before_value(json))
		g_string_append_printf(json->out, "%" G_GINT64_FORMAT, value);
}

void
ctl_json_bool(CtlJson *json, gboolean value)
{
	g_return_if_fail(json != NULL);
	if (json_before_value(json))
		g_string_append(json->out, value ? "true" : "false");
}

void
ctl_json_null(CtlJson *json)
{
	g_return_if_fail(json != NULL);
	if (json_before_value(json))
		g_string_append(json->out, "null");
}

/* TRUE when text is a number in JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
json_is_number(const char *text)
{
	const char *p = text;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (g_ascii_isdigit(*p))
			p++;
	else
		return FALSE;
	if (*p == '.') {
		p++;
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
	}
	return *p == '\0';
}

void
ctl_json_number_text(CtlJson *json, const char *text)
{
	g_return_if_fail(json != NULL);
	if (text == NULL) {
		ctl_json_null(json);
		return;
	}
	if (!json_is_number(text)) {
		ctl_json_string(json, text);
		return;
	}
	if (json_before_value(json))
		g_string_append(json->out, text);
}
