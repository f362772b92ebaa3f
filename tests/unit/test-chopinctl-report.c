/* Unit tests of the report's pure parts: HTML escaping and cutting, the SVG charts. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "chopinctl.h"

/* ctl_html_append_len: input bytes (with length, NUL allowed) -> escaped text. */
#define CASE(input, escaped)                                                                       \
	{                                                                                          \
		input, sizeof(input) - 1, escaped                                                  \
	}
static const struct {
	const char *input;
	gsize len;
	const char *escaped;
} escapes[] = {
    CASE("plain text", "plain text"),
    CASE("<script>alert(\"x\")</script>", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
    CASE("a & b 'c'", "a &amp; b &#39;c&#39;"),
    CASE("&amp; stays visible", "&amp;amp; stays visible"),
    CASE("tab\tnl\ncr\r.", "tab\tnl\ncr ."),
    /* C0 controls and DEL as control pictures, NUL too */
    CASE("esc\033[31m bell\007 del\177 nul\000.", "esc\xe2\x90\x9b[31m bell\xe2\x90\x87 "
                                                  "del\xe2\x90\xa1 nul\xe2\x90\x80."),
    /* UTF-8 kept: 2, 3 and 4 bytes */
    CASE("Ünïcödé 漢字 💾", "Ünïcödé 漢字 💾"),
    /* C1 control U+0085, right-to-left override U+202E, isolate U+2066, U+FFFE */
    CASE("nel\xc2\x85 rlo\xe2\x80\xae lri\xe2\x81\xa6 nc\xef\xbf\xbe.",
         "nel\xef\xbf\xbd rlo\xef\xbf\xbd lri\xef\xbf\xbd nc\xef\xbf\xbd."),
    /* each invalid byte becomes U+FFFD */
    CASE("bad \xff\xfe end", "bad \xef\xbf\xbd\xef\xbf\xbd end"),
    CASE("cut \xe6\xbc", "cut \xef\xbf\xbd\xef\xbf\xbd"),
    CASE("surrogate \xed\xa0\x80", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"),
};

static void
test_html_escape(void **state)
{
	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(escapes); i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		ctl_html_append_len(out, escapes[i].input, escapes[i].len, 0);
		if (strcmp(out->str, escapes[i].escaped) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, out->str,
			         escapes[i].escaped);
		assert_true(g_utf8_validate(out->str, (gssize)out->len, NULL));
	}
}

static void
test_html_cut(void **state)
{
	static const struct {
		const char *input;
		gsize max;
		const char *want;
		gsize consumed;
	} cases[] = {
	    {"abcdef", 3, "abc\xe2\x80\xa6", 3},
	    {"abc", 3, "abc", 3},
	    {"abc", 0, "abc", 3},
	    {"ÜÜÜÜ", 2, "ÜÜ\xe2\x80\xa6", 2},
	    {"💾💾💾", 1, "💾\xe2\x80\xa6", 1},
	    {"<<<<", 2, "&lt;&lt;\xe2\x80\xa6", 2},
	};

	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		gsize consumed =
		    ctl_html_append_len(out, cases[i].input, strlen(cases[i].input), cases[i].max);
		if (strcmp(out->str, cases[i].want) != 0 || consumed != cases[i].consumed)
			fail_msg("case %zu: got \"%s\" (%zu), want \"%s\" (%zu)", i, out->str,
			         consumed, cases[i].want, cases[i].consumed);
	}
}

static void
test_html_helpers(void **state)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *escaped = ctl_html_escape("\"><img src=x>");

	(void)state;
	assert_string_equal(escaped, "&quot;&gt;&lt;img src=x&gt;");
	ctl_html_attribute(out, "data-host", "a\"b");
	ctl_html_element(out, "span", "tag", "<svg/onload=1>");
	ctl_html_element(out, "td", NULL, NULL);
	ctl_html_append(out, NULL);
	assert_string_equal(out->str,
	                    " data-host=\"a&quot;b\"<span class=\"tag\">&lt;svg/onload=1&gt;"
	                    "</span><td></td>");
}

/* --- charts ---------------------------------------------------------------------------------- */

static void
test_chart_nice_step(void **state)
{
	static const guint64 cases[][3] = {
	    /* max, ticks, step */
	    {0, 5, 1},
	    {1, 5, 1},
	    {5, 5, 1},
	    {6, 5, 2},
	    {10, 5, 2},
	    {11, 5, 5},
	    {26, 5, 10},
	    {53, 5, 20},
	    {100, 5, 20},
	    {101, 5, 50},
	    {7, 1, 10},
	    {250, 5, 50},
	    {1000000, 5, 200000},
	    {G_MAXUINT64 / 2, 5, 2000000000000000000ULL},
	};

	(void)state;
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		guint64 step = ctl_chart_nice_step(cases[i][0], (guint)cases[i][1]);
		if (step != cases[i][2])
			fail_msg("max %" G_GUINT64_FORMAT ": step %" G_GUINT64_FORMAT
			         ", want %" G_GUINT64_FORMAT,
			         cases[i][0], step, cases[i][2]);
		assert_true(step * cases[i][1] >= cases[i][0] || step > G_MAXUINT64 / cases[i][1]);
	}
}

static const CtlChartSeries series[] = {
    {"critical", "critical", "#b2182b"},
    {"other", "other <&>", "#6b9ac4"},
};

static CtlChart *
chart_three_days(void)
{
	GDate first;

	assert_true(ctl_date_parse("2026-02-27", &first));
	CtlChart *chart = ctl_chart_new(&first, 3, series, G_N_ELEMENTS(series));
	assert_true(ctl_chart_add(chart, 0, "2026-02-27", 2));
	assert_true(ctl_chart_add(chart, 1, "2026-02-27", 3));
	assert_true(ctl_chart_add(chart, 1, "2026-03-01", 53));
	assert_true(ctl_chart_add(chart, 1, "2026-03-01", 1)); /* adds up */
	return chart;
}

static void
test_chart_counts(void **state)
{
	g_autoptr(CtlChart) chart = chart_three_days();
	GDate date;
	guint day;

	(void)state;
	assert_false(ctl_chart_add(chart, 0, "2026-02-26", 1)); /* before */
	assert_false(ctl_chart_add(chart, 0, "2026-03-02", 1)); /* after */
	assert_false(ctl_chart_add(chart, 0, "2026-02-30", 1)); /* not a date */
	assert_false(ctl_chart_add(chart, 0, "2026-2-27", 1));
	assert_false(ctl_chart_add(chart, 0, NULL, 1));
	assert_false(ctl_date_parse("2026-13-01", &date));
	assert_int_equal(ctl_chart_get_n_days(chart), 3);
	assert_int_equal(ctl_chart_get(chart, 1, 2), 54); /* 2026-03-01: day 2 across February */
	assert_int_equal(ctl_chart_day_total(chart, 0), 5);
	assert_int_equal(ctl_chart_day_total(chart, 1), 0);
	assert_int_equal(ctl_chart_series_total(chart, 0), 2);
	assert_int_equal(ctl_chart_series_total(chart, 1), 57);
	assert_int_equal(ctl_chart_max_day(chart, &day), 54);
	assert_int_equal(day, 2);
}

/* Element counts of a document, read by GMarkup (which rejects what is not well-formed). */
typedef struct {
	guint svg, rect_with_count, title, desc, text;
	GString *counts; /* the data-count values, space-separated */
} SvgCounts;

static void
svg_start_cb(GMarkupParseContext *context, const char *name, const char **attribute_names,
             const char **attribute_values, gpointer user_data, GError **error)
{
	SvgCounts *counts = user_data;

	(void)context;
	(void)error;
	if (strcmp(name, "svg") == 0)
		counts->svg++;
	else if (strcmp(name, "title") == 0)
		counts->title++;
	else if (strcmp(name, "desc") == 0)
		counts->desc++;
	else if (strcmp(name, "text") == 0)
		counts->text++;
	for (guint i = 0; attribute_names[i] != NULL; i++) {
		if (strcmp(name, "rect") == 0 && strcmp(attribute_names[i], "data-count") == 0) {
			counts->rect_with_count++;
			g_string_append_printf(counts->counts, "%s%s",
			                       counts->counts->len ? " " : "", attribute_values[i]);
		}
		/* coordinates are numbers with a decimal point, whatever the locale */
		if (strchr("xy", attribute_names[i][0]) != NULL ||
		    strcmp(attribute_names[i], "width") == 0 ||
		    strcmp(attribute_names[i], "height") == 0) {
			if (strchr(attribute_values[i], ',') != NULL)
				fail_msg("%s=\"%s\" has a comma", attribute_names[i],
				         attribute_values[i]);
		}
	}
}

static SvgCounts
svg_parse(const char *svg)
{
	static const GMarkupParser parser = {.start_element = svg_start_cb};
	SvgCounts counts = {.counts = g_string_new(NULL)};
	g_autoptr(GError) error = NULL;
	g_autoptr(GMarkupParseContext) context =
	    g_markup_parse_context_new(&parser, 0, &counts, NULL);

	if (!g_markup_parse_context_parse(context, svg, -1, &error) ||
	    !g_markup_parse_context_end_parse(context, &error))
		fail_msg("not well-formed: %s\n%s", error->message, svg);
	return counts;
}

static void
test_chart_bars(void **state)
{
	g_autoptr(CtlChart) chart = chart_three_days();
	g_autoptr(GString) svg = g_string_new(NULL);

	(void)state;
	/* a decimal comma must not reach the coordinates */
	const char *previous = setlocale(LC_NUMERIC, NULL);
	g_autofree char *saved = g_strdup(previous);
	setlocale(LC_NUMERIC, "de_DE.UTF-8");
	ctl_chart_bars_svg(chart, "Events on <host> & \"co\"", "c1", svg);
	setlocale(LC_NUMERIC, saved);
	SvgCounts counts = svg_parse(svg->str);
	assert_int_equal(counts.svg, 1);
	assert_int_equal(counts.rect_with_count, 3); /* zero counts draw nothing */
	assert_string_equal(counts.counts->str, "2 3 54");
	assert_int_equal(counts.desc, 1);
	assert_int_equal(counts.title, 1 + 3); /* the chart's and each segment's */
	assert_non_null(strstr(svg->str, "<title id=\"c1-title\">Events on &lt;host&gt; &amp; "
	                                 "&quot;co&quot;</title>"));
	assert_non_null(strstr(svg->str, "aria-labelledby=\"c1-title c1-desc\""));
	assert_non_null(strstr(svg->str, "59 events from 2026-02-27 to 2026-03-01 (UTC days): 2 "
	                                 "critical, 57 other &lt;&amp;&gt;; the busiest day "
	                                 "2026-03-01 with 54."));
	assert_non_null(strstr(svg->str,
	                       "data-day=\"2026-03-01\" data-series=\"other\" "
	                       "data-count=\"54\"><title>2026-03-01: 54 other &lt;&amp;&gt;"));
	/* y axis: 54 in steps of 20 up to 60; legend labels escaped */
	assert_non_null(strstr(svg->str, ">60</text>"));
	assert_null(strstr(svg->str, ">80</text>"));
	assert_non_null(strstr(svg->str, ">other &lt;&amp;&gt;</text>"));
	g_string_free(counts.counts, TRUE);
}

static void
test_chart_empty_and_sparkline(void **state)
{
	GDate first;
	g_autoptr(GString) svg = g_string_new(NULL);

	(void)state;
	assert_true(ctl_date_parse("2026-11-01", &first));
	g_autoptr(CtlChart) empty = ctl_chart_new(&first, 366, series, 1);
	ctl_chart_bars_svg(empty, "nothing", "e", svg);
	SvgCounts counts = svg_parse(svg->str);
	assert_int_equal(counts.rect_with_count, 0);
	assert_non_null(strstr(svg->str, "0 events from 2026-11-01 to 2027-11-01 (UTC days)."));
	/* at most 12 day labels + the y axis (0, 1) + the axis title + the legend */
	assert_true(counts.text <= 12 + 2 + 1 + 1);
	g_string_free(counts.counts, TRUE);

	g_autoptr(CtlChart) chart = chart_three_days();
	g_string_truncate(svg, 0);
	ctl_chart_sparkline_svg(chart, 100, "c0/e252/s0 <1>", svg);
	counts = svg_parse(svg->str);
	assert_int_equal(counts.rect_with_count, 3);
	assert_non_null(strstr(svg->str, "<title>c0/e252/s0 &lt;1&gt;</title>"));
	assert_non_null(strstr(svg->str, "width=\"12.0\""));
	g_string_free(counts.counts, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_html_escape),
	    cmocka_unit_test(test_html_cut),
	    cmocka_unit_test(test_html_helpers),
	    cmocka_unit_test(test_chart_nice_step),
	    cmocka_unit_test(test_chart_counts),
	    cmocka_unit_test(test_chart_bars),
	    cmocka_unit_test(test_chart_empty_and_sparkline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
