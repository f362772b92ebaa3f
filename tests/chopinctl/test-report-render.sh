#!/bin/sh
# chopinctl report --html rendered by headless Chromium: a screenshot that is not blank, charts drawn, a PDF for paper.
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/chopinctl/chopinctl-test-lib.sh"

CHROMIUM=${CHROMIUM:-chromium}
# Not a skip: CI installs it (tools/setup-debian), and a report nobody saw render is not tested.
command -v "$CHROMIUM" >/dev/null 2>&1 ||
	tap_bail "$CHROMIUM not found: the rendering test needs Debian's chromium package (tools/setup-debian installs it; or set CHROMIUM=/path/to/chromium)"

tap_plan 14
ctl_test_start
ctl_fixture
chopin_sql chopin <"$top_srcdir/tests/data/chopinctl/report-hostile.sql" || tap_bail "the hostile fixture does not load"
PAGE_TOOL="$top_srcdir/tests/chopinctl/report-html.py"

# render HTML OUT [FLAGS...]: headless Chromium on file://HTML, bounded in time, with a profile,
# home and cache of its own, and no name resolution at all (the page must need none).
render() {
	render_html=$1
	shift
	HOME=$CTL_DIR XDG_CONFIG_HOME=$CTL_DIR/xdg-config XDG_CACHE_HOME=$CTL_DIR/xdg-cache \
		timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --no-default-browser-check --disable-extensions --disable-background-networking \
		--host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$CTL_DIR/chromium-profile" \
		--hide-scrollbars "$@" "file://$render_html" >"$CTL_DIR/chromium.log" 2>&1
}

ctl_ok "report --html" report --html "$CTL_DIR/report.html"
start=$(date +%s)
render "$CTL_DIR/report.html" --screenshot="$CTL_DIR/report.png" --window-size=1280,2000
status=$?
if [ $status -eq 0 ] && [ -s "$CTL_DIR/report.png" ]; then
	tap_pass "chromium --headless=new --screenshot renders the page ($(($(date +%s) - start)) s)"
else
	tap_fail "chromium --headless=new --screenshot renders the page" "exit status $status" \
		"$(tail -n 20 "$CTL_DIR/chromium.log")"
fi
# the series colours of the charts (report-events.c): critical, error, warning, other
"$PYTHON" "$PAGE_TOOL" png "$CTL_DIR/report.png" '#b2182b' '#e8601c' '#f1b621' '#6b9ac4' \
	>"$CTL_DIR/png.out" 2>&1
tap_diag "screenshot: $(head -n 1 "$CTL_DIR/png.out")"
read -r width height colours nonwhite <"$CTL_DIR/png.out"
tap_is "$width x $height" "1280 x 2000" "the screenshot is the window's size"
tap_like "$colours" '^[0-9]{3,}$' "hundreds of distinct colours, not a blank or flat image ($colours)"
tap_like "$nonwhite" '^([5-9][0-9]|[1-9][0-9]{2,})$' "at least 5% of the pixels are not white ($nonwhite per mille)"
for colour in '#b2182b' '#e8601c' '#f1b621' '#6b9ac4'; do
	pixels=$(sed -n "s/^$colour //p" "$CTL_DIR/png.out")
	tap_like "${pixels:-0}" '^[0-9]{3,}$' "chart colour $colour drawn ($pixels pixels)"
done

# the check above can fail: an empty page is seen as blank
printf '<!DOCTYPE html>\n<html><body></body></html>\n' >"$CTL_DIR/blank.html"
render "$CTL_DIR/blank.html" --screenshot="$CTL_DIR/blank.png" --window-size=1280,2000
"$PYTHON" "$PAGE_TOOL" png "$CTL_DIR/blank.png" >"$CTL_DIR/blank.out" 2>&1
read -r width height colours nonwhite <"$CTL_DIR/blank.out"
tap_is "$colours $nonwhite" "1 0" "control: an empty page decodes as one colour, no pixel not white"

# one host's page, which has no fleet chart
ctl_ok "report --host --html" report --host RAIDSRV01 --html "$CTL_DIR/host.html"
render "$CTL_DIR/host.html" --screenshot="$CTL_DIR/host.png" --window-size=1280,2000
"$PYTHON" "$PAGE_TOOL" png "$CTL_DIR/host.png" '#6b9ac4' >"$CTL_DIR/host.out" 2>&1
tap_like "$(sed -n 's/^#6b9ac4 //p' "$CTL_DIR/host.out")" '^[0-9]{3,}$' "the host page draws its chart"

# paper: the print style gives a PDF of several pages
render "$CTL_DIR/report.html" --no-pdf-header-footer --print-to-pdf="$CTL_DIR/report.pdf"
tap_like "$(head -c 5 "$CTL_DIR/report.pdf" 2>/dev/null)" '^%PDF-' "chromium --print-to-pdf prints the page"
pages=$(grep -ao '/Count [0-9]*' "$CTL_DIR/report.pdf" 2>/dev/null | head -n 1 | cut -d' ' -f2)
tap_like "${pages:-0}" '^([2-9]|[1-9][0-9]+)$' "... on several A4 pages ($pages)"
tap_done
