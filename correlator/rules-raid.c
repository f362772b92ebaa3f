/* rules-raid: controller, VD and PD enclosure:slot keys parsed from MR_MONITOR event texts. */
#include "config.h"

#include <string.h>

#include "rules.h"

/* Reads digits in base (10 or 16) at *p; advances *p. Returns -1 when there are none or the
 * value does not fit. */
static gint
raid_read_number(const char **p, guint base)
{
	const char *s = *p;
	gint64 value = 0;
	guint digits = 0;

	for (;; s++, digits++) {
		gint digit = base == 16 ? g_ascii_xdigit_value(*s) : g_ascii_digit_value(*s);
		if (digit < 0)
			break;
		value = value * base + digit;
		if (value > G_MAXINT32)
			return -1;
	}
	if (digits == 0)
		return -1;
	*p = s;
	return (gint)value;
}

/* TRUE when word starts at s and is not the tail of a longer word. */
static gboolean
raid_word_at(const char *text, const char *s, const char *word, gsize len)
{
	if (strncmp(s, word, len) != 0)
		return FALSE;
	return s == text || !g_ascii_isalnum(s[-1]);
}

/* "(e0xfc/s3)" or "(e252/s3)" after a PD number. */
static void
raid_parse_enclosure_slot(const char *s, RulesRaidKeys *keys)
{
	if (s[0] != '(' || s[1] != 'e')
		return;
	s += 2;
	gint enclosure;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		enclosure = raid_read_number(&s, 16);
	} else {
		enclosure = raid_read_number(&s, 10);
	}
	if (enclosure < 0 || s[0] != '/' || s[1] != 's')
		return;
	s += 2;
	gint slot = raid_read_number(&s, 10);
	if (slot < 0)
		return;
	keys->enclosure = enclosure;
	keys->slot = slot;
}

void
rules_raid_parse(const char *message, RulesRaidKeys *ret_keys)
{
	g_return_if_fail(ret_keys != NULL);
	ret_keys->controller = -1;
	ret_keys->vd = -1;
	ret_keys->pd = -1;
	ret_keys->enclosure = -1;
	ret_keys->slot = -1;
	if (message == NULL)
		return;

	for (const char *s = message; *s != '\0'; s++) {
		if (ret_keys->controller < 0 && *s == 'C' &&
		    raid_word_at(message, s, "Controller ID:", 14)) {
			const char *p = s + 14;
			while (*p == ' ')
				p++;
			ret_keys->controller = raid_read_number(&p, 10);
		} else if (ret_keys->vd < 0 && *s == 'V' && raid_word_at(message, s, "VD ", 3)) {
			const char *p = s + 3;
			ret_keys->vd = raid_read_number(&p, 10);
		} else if (ret_keys->enclosure < 0 && *s == 'P' &&
		           raid_word_at(message, s, "PD = ", 5)) {
			/* the long form: "PD = Port 0 - 252:7" (enclosure:slot, no device id) */
			const char *p = s + 5;
			if (strncmp(p, "Port ", 5) == 0) {
				p += 5;
				(void)raid_read_number(&p, 10);
				while (*p == ' ' || *p == '-')
					p++;
			}
			gint enclosure = raid_read_number(&p, 10);
			if (enclosure >= 0 && *p == ':') {
				p++;
				gint slot = raid_read_number(&p, 10);
				if (slot >= 0) {
					ret_keys->enclosure = enclosure;
					ret_keys->slot = slot;
				}
			}
		} else if (ret_keys->pd < 0 && *s == 'P' && raid_word_at(message, s, "PD ", 3)) {
			const char *p = s + 3;
			const char *start = p;
			gint pd = raid_read_number(&p, 16);
			/* "PD 03(e0xfc/s3)"; a bare "PD Reset" is a word, not a device. */
			if (pd >= 0 && (*p == '(' || (g_ascii_isdigit(*start) &&
			                              (*p == ' ' || *p == '\0' || *p == ',')))) {
				ret_keys->pd = pd;
				raid_parse_enclosure_slot(p, ret_keys);
			}
		}
	}
}

void
rules_event_init(RulesEvent *event)
{
	g_return_if_fail(event != NULL);
	memset(event, 0, sizeof *event);
	rules_raid_parse(NULL, &event->raid);
}
