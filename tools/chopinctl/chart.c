/* chart: per-day counts drawn as inline SVG: stacked bars with axes and legend, and sparklines. */
#include "config.h"

#include "chopinctl.h"

#include <string.h>

/* The bar chart's geometry, in SVG user units (the page scales it to its width). */
#define BARS_WIDTH        960
#define BARS_HEIGHT       250
#define PLOT_LEFT         56
#define PLOT_RIGHT        (BARS_WIDTH - 12)
#define PLOT_TOP          14
#define PLOT_BOTTOM       186
#define X_LABEL_BASELINE  204
#define LEGEND_BASELINE   236
#define MAX_Y_TICKS       5
#define MAX_X_LABELS      12
#define SPARKLINE_HEIGHT  24
#define SPARKLINE_BAR     4 /* width of one day */
#define SPARKLINE_MIN_DAY 2 /* bars at least this wide (scaled down when longer) */

struct _CtlChart {
	GDate first_day;
	guint n_days;
	const CtlChartSeries *series;
	guint n_series;
	guint64 *values; /* n_series rows of n_days */
};

CtlChart *
ctl_chart_new(const GDate *first_day, guint n_days, const CtlChartSeries *series, guint n_series)
{
	g_return_val_if_fail(first_day != NULL && g_date_valid(first_day), NULL);
	g_return_val_if_fail(n_days > 0 && series != NULL && n_series > 0, NULL);
	CtlChart *chart = g_new0(CtlChart, 1);
	chart->first_day = *first_day;
	chart->n_days = n_days;
	chart->series = series;
	chart->n_series = n_series;
	chart->values = g_new0(guint64, (gsize)n_days * n_series);
	return chart;
}

void
ctl_chart_free(CtlChart *chart)
{
	if (chart == NULL)
		return;
	g_free(chart->values);
	g_free(chart);
}

guint
ctl_chart_get_n_days(const CtlChart *chart)
{
	return chart->n_days;
}

gboolean
ctl_chart_add(CtlChart *chart, guint series, const char *day, guint64 count)
{
	GDate date;

	g_return_val_if_fail(chart != NULL && series < chart->n_series, FALSE);
	if (!ctl_date_parse(day, &date))
		return FALSE;
	gint offset = g_date_days_between(&chart->first_day, &date);
	if (offset < 0 || (guint)offset >= chart->n_days)
		return FALSE;
	chart->values[(gsize)series * chart->n_days + (guint)offset] += count;
	return TRUE;
}

guint64
ctl_chart_get(const CtlChart *chart, guint series, guint day)
{
	g_return_val_if_fail(series < chart->n_series && day < chart->n_days, 0);
	return chart->values[(gsize)series * chart->n_days + day];
}

guint64
ctl_chart_day_total(const CtlChart *chart, guint day)
{
	guint64 total = 0;

	for (guint s = 0; s < chart->n_series; s++)
		total += ctl_chart_get(chart, s, day);
	return total;
}

guint64
ctl_chart_series_total(const CtlChart *chart, guint series)
{
	guint64 total = 0;

	for (guint d = 0; d < chart->n_days; d++)
		total += ctl_chart_get(chart, series, d);
	return total;
}

guint64
ctl_chart_max_day(const CtlChart *chart, guint *ret_day)
{
	guint64 max = 0;
	guint max_day = 0;

	for (guint d = 0; d < chart->n_days; d++) {
		guint64 total = ctl_chart_day_total(chart, d);
		if (total > max) {
			max = total;
			max_day = d;
		}
	}
	if (ret_day != NULL)
		*ret_day = max_day;
	return max;
}

guint64
ctl_chart_nice_step(guint64 max, guint max_ticks)
{
	static const guint64 factors[] = {1, 2, 5};

	g_return_val_if_fail(max_ticks > 0, 1);
	for (guint64 power = 1;; power *= 10) {
		for (guint i = 0; i < G_N_ELEMENTS(factors); i++) {
			guint64 step = factors[i] * power;
			if (step >= max / max_ticks + (max % max_ticks != 0))
				return step;
		}
		if (power > G_MAXUINT64 / 100)
			return power * 10; /* beyond any count of events */
	}
}

/* The chart's day number day as "YYYY-MM-DD". */
static void
day_text(const CtlChart *chart, guint day, char *buf, gsize size)
{
	GDate date = chart->first_day;

	g_date_add_days(&date, day);
	g_date_strftime(buf, size, "%Y-%m-%d", &date);
}

/* A coordinate with one decimal, whatever the locale. */
static void
append_coordinate(GString *out, const char *name, double value)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_string_append_printf(out, " %s=\"%s\"", name,
	                       g_ascii_formatd(buf, sizeof buf, "%.1f", value));
}

static void
bars_description(const CtlChart *chart, GString *out)
{
	char first[16], last[16], busiest[16];
	guint64 total = 0;
	guint max_day;

	for (guint s = 0; s < chart->n_series; s++)
		total += ctl_chart_series_total(chart, s);
	day_text(chart, 0, first, sizeof first);
	day_text(chart, chart->n_days - 1, last, sizeof last);
	g_string_append_printf(out, "%" G_GUINT64_FORMAT " events from %s to %s (UTC days)", total,
	                       first, last);
	if (total == 0) {
		g_string_append_c(out, '.');
		return;
	}
	for (guint s = 0; s < chart->n_series; s++) {
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " ", s == 0 ? ": " : ", ",
		                       ctl_chart_series_total(chart, s));
		ctl_html_append(out, chart->series[s].label);
	}
	guint64 max = ctl_chart_max_day(chart, &max_day);
	day_text(chart, max_day, busiest, sizeof busiest);
	g_string_append_printf(out, "; the busiest day %s with %" G_GUINT64_FORMAT ".", busiest,
	                       max);
}

static void
bars_axes(const CtlChart *chart, guint64 y_max, guint64 step, GString *out)
{
	double slot = (double)(PLOT_RIGHT - PLOT_LEFT) / chart->n_days;
	guint label_every = (chart->n_days + MAX_X_LABELS - 1) / MAX_X_LABELS;

	g_string_append(out, "<g class=\"axis\" font-size=\"12\" fill=\"#444\">");
	for (guint64 v = 0; v <= y_max; v += step) {
		double y = PLOT_BOTTOM - (double)v / (double)y_max * (PLOT_BOTTOM - PLOT_TOP);
		g_string_append_printf(out, "<line x1=\"%d\" x2=\"%d\"", PLOT_LEFT, PLOT_RIGHT);
		append_coordinate(out, "y1", y);
		append_coordinate(out, "y2", y);
		g_string_append_printf(out, " stroke=\"%s\" stroke-width=\"1\"/>",
		                       v == 0 ? "#444" : "#ddd");
		g_string_append_printf(out, "<text x=\"%d\"", PLOT_LEFT - 6);
		append_coordinate(out, "y", y + 4);
		g_string_append_printf(out, " text-anchor=\"end\">%" G_GUINT64_FORMAT "</text>", v);
	}
	g_string_append_printf(out,
	                       "<text transform=\"translate(14 %d) rotate(-90)\" "
	                       "text-anchor=\"middle\">events per day</text>",
	                       (PLOT_TOP + PLOT_BOTTOM) / 2);
	for (guint d = 0; d < chart->n_days; d += label_every) {
		char day[16];
		day_text(chart, d, day, sizeof day);
		g_string_append(out, "<text");
		append_coordinate(out, "x", PLOT_LEFT + (d + 0.5) * slot);
		g_string_append_printf(out, " y=\"%d\" text-anchor=\"middle\">%s</text>",
		                       X_LABEL_BASELINE, day + 5); /* MM-DD */
	}
	g_string_append(out, "</g>");
}

static void
bars_legend(const CtlChart *chart, GString *out)
{
	int x = PLOT_LEFT;

	g_string_append(out, "<g class=\"legend\" font-size=\"13\" fill=\"#222\">");
	for (guint s = 0; s < chart->n_series; s++) {
		const CtlChartSeries *series = &chart->series[s];
		g_string_append_printf(out,
		                       "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
		                       "fill=\"%s\"/><text x=\"%d\" y=\"%d\">",
		                       x, LEGEND_BASELINE - 11, series->colour, x + 17,
		                       LEGEND_BASELINE);
		ctl_html_append(out, series->label);
		g_string_append(out, "</text>");
		x += 17 + 9 * (int)strlen(series->label) + 24;
	}
	g_string_append(out, "</g>");
}

/* One bar segment: a rectangle with the numbers in data attributes and a tooltip. */
static void
append_segment(GString *out, const CtlChartSeries *series, const char *day, guint64 count, double x,
               double y, double width, double height)
{
	g_string_append_printf(out, "<rect class=\"bar\" fill=\"%s\"", series->colour);
	append_coordinate(out, "x", x);
	append_coordinate(out, "y", y);
	append_coordinate(out, "width", width);
	append_coordinate(out, "height", height);
	g_string_append_printf(out,
	                       " data-day=\"%s\" data-series=\"%s\" data-count=\"%" G_GUINT64_FORMAT
	                       "\"><title>%s: %" G_GUINT64_FORMAT " ",
	                       day, series->key, count, day, count);
	ctl_html_append(out, series->label);
	g_string_append(out, "</title></rect>");
}

void
ctl_chart_bars_svg(const CtlChart *chart, const char *title, const char *id, GString *out)
{
	guint64 max = ctl_chart_max_day(chart, NULL);
	guint64 step = ctl_chart_nice_step(max, MAX_Y_TICKS);
	guint64 y_max = MAX(step, max % step == 0 ? max : (max / step + 1) * step);
	double slot = (double)(PLOT_RIGHT - PLOT_LEFT) / chart->n_days;
	double width = MAX(1.0, slot * 0.75);

	g_string_append_printf(out,
	                       "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
	                       "viewBox=\"0 0 %d %d\" role=\"img\" "
	                       "aria-labelledby=\"%s-title %s-desc\" "
	                       "font-family=\"DejaVu Sans, Arial, sans-serif\">",
	                       BARS_WIDTH, BARS_HEIGHT, id, id);
	g_string_append_printf(out, "<title id=\"%s-title\">", id);
	ctl_html_append(out, title);
	g_string_append_printf(out, "</title><desc id=\"%s-desc\">", id);
	bars_description(chart, out);
	g_string_append(out, "</desc>");
	bars_axes(chart, y_max, step, out);
	g_string_append(out, "<g class=\"bars\">");
	for (guint d = 0; d < chart->n_days; d++) {
		char day[16];
		double bottom = PLOT_BOTTOM;
		day_text(chart, d, day, sizeof day);
		for (guint s = 0; s < chart->n_series; s++) {
			guint64 count = ctl_chart_get(chart, s, d);
			if (count == 0)
				continue;
			double height = (double)count / (double)y_max * (PLOT_BOTTOM - PLOT_TOP);
			append_segment(out, &chart->series[s], day, count,
			               PLOT_LEFT + d * slot + (slot - width) / 2, bottom - height,
			               width, height);
			bottom -= height;
		}
	}
	g_string_append(out, "</g>");
	bars_legend(chart, out);
	g_string_append(out, "</svg>");
}

void
ctl_chart_sparkline_svg(const CtlChart *chart, guint64 scale_max, const char *title, GString *out)
{
	guint64 max = scale_max != 0 ? scale_max : ctl_chart_max_day(chart, NULL);
	double bar = chart->n_days <= 60 ? SPARKLINE_BAR : SPARKLINE_MIN_DAY;
	double width = bar * chart->n_days;

	g_string_append(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\"");
	append_coordinate(out, "width", width);
	g_string_append_printf(out, " height=\"%d\" viewBox=\"0 0 ", SPARKLINE_HEIGHT);
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append_printf(out, "%s %d\" role=\"img\"><title>",
	                       g_ascii_formatd(buf, sizeof buf, "%.1f", width), SPARKLINE_HEIGHT);
	ctl_html_append(out, title);
	g_string_append(out, "</title>");
	g_string_append_printf(out,
	                       "<line x1=\"0\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#bbb\" "
	                       "stroke-width=\"1\"/>",
	                       buf, SPARKLINE_HEIGHT - 1, SPARKLINE_HEIGHT - 1);
	for (guint d = 0; d < chart->n_days && max > 0; d++) {
		char day[16];
		double bottom = SPARKLINE_HEIGHT - 1;
		day_text(chart, d, day, sizeof day);
		for (guint s = 0; s < chart->n_series; s++) {
			guint64 count = ctl_chart_get(chart, s, d);
			if (count == 0)
				continue;
			/* at least one unit tall: a single event stays visible */
			double height =
			    MAX(1.0, (double)count / (double)max * (SPARKLINE_HEIGHT - 2));
			append_segment(out, &chart->series[s], day, count, d * bar + bar * 0.1,
			               bottom - height, bar * 0.8, height);
			bottom -= height;
		}
	}
	g_string_append(out, "</svg>");
}

gboolean
ctl_date_parse(const char *text, GDate *ret_date)
{
	gint year, month, day;

	if (text == NULL || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return FALSE;
	for (guint i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(text[i]))
			return FALSE;
	year = (int)g_ascii_strtoll(text, NULL, 10);
	month = (int)g_ascii_strtoll(text + 5, NULL, 10);
	day = (int)g_ascii_strtoll(text + 8, NULL, 10);
	if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
		return FALSE;
	g_date_clear(ret_date, 1);
	g_date_set_dmy(ret_date, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
	return TRUE;
}
