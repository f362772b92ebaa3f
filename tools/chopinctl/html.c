/* html: database text made safe for HTML element content and attribute values. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

/* The Unicode "control pictures" block shows C0 control characters: U+2400 + code. */
#define CONTROL_PICTURE_BASE 0x2400
#define CONTROL_PICTURE_DEL  0x2421

/* Explicit bidirectional embeddings, overrides and isolates: text from the database must not
 * be able to reorder what the page shows around it. */
static gboolean
is_bidi_control(gunichar ch)
{
	return (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069);
}

/* Appends one character of valid UTF-8 (ch, encoded at p .. next). */
static void
append_char(GString *out, gunichar ch, const char *p, const char *next)
{
	switch (ch) {
	case '&':
		g_string_append(out, "&amp;");
		return;
	case '<':
		g_string_append(out, "&lt;");
		return;
	case '>':
		g_string_append(out, "&gt;");
		return;
	case '"':
		g_string_append(out, "&quot;");
		return;
	case '\'':
		g_string_append(out, "&#39;");
		return;
	case '\t':
	case '\n':
		g_string_append_c(out, (char)ch);
		return;
	case '\r':
		g_string_append_c(out, ' ');
		return;
	default:
		break;
	}
	if (ch < 0x20)
		g_string_append_unichar(out, CONTROL_PICTURE_BASE + ch);
	else if (ch == 0x7f)
		g_string_append_unichar(out, CONTROL_PICTURE_DEL);
	else if ((ch >= 0x80 && ch <= 0x9f) || is_bidi_control(ch) || ch == 0xfffe || ch == 0xffff)
		g_string_append_unichar(out, 0xfffd);
	else
		g_string_append_len(out, p, next - p);
}

gsize
ctl_html_append_len(GString *out, const char *text, gsize len, gsize max_chars)
{
	const char *p = text;
	const char *end = text + len;
	gsize chars = 0;

	g_return_val_if_fail(out != NULL, 0);
	if (text == NULL)
		return 0;
	while (p < end) {
		if (max_chars != 0 && chars == max_chars) {
			g_string_append(out, "\xe2\x80\xa6"); /* U+2026 HORIZONTAL ELLIPSIS */
			break;
		}
		/* ASCII first: the validator takes a NUL byte for the end of the text */
		gunichar ch = (unsigned char)*p < 0x80
		                  ? (gunichar)(unsigned char)*p
		                  : g_utf8_get_char_validated(p, (gssize)(end - p));
		if (ch == (gunichar)-1 || ch == (gunichar)-2) {
			g_string_append_unichar(out, 0xfffd); /* an invalid byte, one at a time */
			p++;
		} else {
			const char *next = g_utf8_next_char(p);
			append_char(out, ch, p, next);
			p = next;
		}
		chars++;
	}
	return chars;
}

void
ctl_html_append(GString *out, const char *text)
{
	if (text != NULL)
		ctl_html_append_len(out, text, strlen(text), 0);
}

void
ctl_html_append_short(GString *out, const char *text, gsize max_chars)
{
	if (text != NULL)
		ctl_html_append_len(out, text, strlen(text), max_chars);
}

char *
ctl_html_escape(const char *text)
{
	GString *out = g_string_new(NULL);
	ctl_html_append(out, text);
	return g_string_free(out, FALSE);
}

void
ctl_html_attribute(GString *out, const char *name, const char *value)
{
	g_string_append_printf(out, " %s=\"", name);
	ctl_html_append(out, value);
	g_string_append_c(out, '"');
}

void
ctl_html_element(GString *out, const char *tag, const char *class_name, const char *text)
{
	g_string_append_printf(out, "<%s", tag);
	if (class_name != NULL)
		ctl_html_attribute(out, "class", class_name);
	g_string_append_c(out, '>');
	ctl_html_append(out, text);
	g_string_append_printf(out, "</%s>", tag);
}
