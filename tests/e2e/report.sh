#!/usr/bin/env bash
# End-to-end tests of `caseflow report`: run small scenarios, draw their
# reports in English and Welsh, and check every chart is a real image and
# report.html is a self-contained page holding the headline table.
#
#   CASEFLOW_BIN=$PWD/caseflow bash tests/e2e/report.sh
#
# Needs gnuplot (gnuplot-nox); uses xmllint (libxml2-utils) when present.
# Every check prints "ok" or "FAIL"; the script ends with "N passed, M failed"
# and exits non-zero when anything failed.
set -u

. "$(dirname "$0")/lib.sh"

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "FAIL gnuplot is not installed (scripts/install-deps.sh installs gnuplot-nox)"
    echo "0 passed, 1 failed"
    exit 1
fi
HAVE_XMLLINT=0
command -v xmllint >/dev/null 2>&1 && HAVE_XMLLINT=1

# ---- checks on files ---------------------------------------------------------

# A big-endian 32-bit number from 4 bytes of FILE at OFFSET.
u32() { od -An -tu1 -j "$2" -N4 "$1" | awk '{ print ((($1 * 256 + $2) * 256 + $3) * 256 + $4) }'; }

# png_ok FILE: the PNG signature, an IHDR of at least 400 x 300, over 5 KB.
png_ok() {
    local f=$1
    [ -f "$f" ] || return 1
    [ "$(od -An -tx1 -N8 "$f" | tr -d ' \n')" = "89504e470d0a1a0a" ] || return 1
    [ "$(od -An -c -j12 -N4 "$f" | tr -d ' \n')" = "IHDR" ] || return 1
    [ "$(u32 "$f" 16)" -ge 400 ] && [ "$(u32 "$f" 20)" -ge 300 ] || return 1
    [ "$(wc -c <"$f")" -gt 5120 ]
}

# svg_ok FILE: parses as XML (or at least opens and closes an <svg>), over 2 KB.
svg_ok() {
    local f=$1
    [ -f "$f" ] && [ "$(wc -c <"$f")" -gt 2048 ] || return 1
    if [ $HAVE_XMLLINT = 1 ]; then
        xmllint --noout "$f" 2>/dev/null
    else
        grep -q '<svg' "$f" && grep -q '</svg>' "$f"
    fi
}

# html_ok FILE: parses, references nothing outside itself, has the headline table.
html_ok() {
    local f=$1
    [ -s "$f" ] || return 1
    grep -q '<table class="headline">' "$f" || return 1
    grep -q '<meta name="viewport"' "$f" || return 1
    ! grep -q -e 'http:' -e 'https:' -e 'src="/' -e 'src="file' -e '="//' -e '<script' "$f" || return 1
    if [ $HAVE_XMLLINT = 1 ]; then
        xmllint --noout "$f" 2>/dev/null || return 1
        [ -z "$(xmllint --html --noout "$f" 2>&1)" ] || return 1
    fi
    return 0
}

# charts_ok DIR NAME...: each chart as a good PNG and SVG.
charts_ok() {
    local dir=$1 name
    shift
    for name in "$@"; do
        png_ok "$dir/charts/$name.png" || { echo "     $name.png is not a good image"; return 1; }
        svg_ok "$dir/charts/$name.svg" || { echo "     $name.svg is not a good image"; return 1; }
    done
}

RUN_CHARTS="stock-cp-register stock-care-and-support stock-looked-after stock-early-help
            flows-front-door flows-care timeliness"

# ---- a one-year run, in English and Welsh ------------------------------------
run1="$TMP/bridgend-2022"
"$BIN" run "$ROOT/scenarios/bridgend-2022.cfg" --replications 3 --out "$run1" \
    >"$TMP/run1.log" 2>"$TMP/run1.err"
expect "run exits 0" test $? -eq 0
expect "the progress bar stays off when stderr is not a terminal" \
    bash -c "! grep -q 'replications,' '$TMP/run1.err'"

"$BIN" report "$run1" >"$TMP/report1.log" 2>&1
expect "report exits 0" test $? -eq 0
expect "report says where the page is" grep -q "$run1/report.html" "$TMP/report1.log"
# shellcheck disable=SC2086
expect "every run chart is a valid, non-trivial PNG and SVG" charts_ok "$run1" $RUN_CHARTS
expect "no by-year charts for a one-year run" test ! -e "$run1/charts/fy-stocks.png"
# Workforce and cost charts exactly when the run has those columns.
header=$(head -n 1 "$run1/timeseries.csv")
wf_charts=""
case "$header" in *workforce.*caseload_per_fte*) wf_charts="$wf_charts workforce-caseload" ;; esac
case "$header" in *kpi.unallocated_cases*) wf_charts="$wf_charts workforce-unallocated" ;; esac
case "$header" in *cost.*) wf_charts="$wf_charts cost" ;; esac
if [ -n "$wf_charts" ]; then
    # shellcheck disable=SC2086
    expect "workforce and cost charts:$wf_charts" charts_ok "$run1" $wf_charts
else
    expect "no workforce charts without workforce columns" test ! -e "$run1/charts/cost.png"
fi
n_charts=$(($(echo $RUN_CHARTS $wf_charts | wc -w)))
expect "charts.gp is kept for analysts" test -s "$run1/charts/charts.gp"
expect "report.html parses, is self-contained and has the headline table" html_ok "$run1/report.html"
expect "report.html is in English" grep -q '<html lang="en">' "$run1/report.html"
expect "report.html names the scenario" grep -q '<h1>bridgend-2022</h1>' "$run1/report.html"
expect "report.html has the scenario's description" grep -q 'Calibrated to Bridgend' "$run1/report.html"
expect "report.html says what the intervals mean" \
    grep -q 'not the uncertainty in the assumptions themselves' "$run1/report.html"
expect "report.html lists the assumptions" grep -q '<table class="stages">' "$run1/report.html"
n_imgs=$(grep -o 'src="data:image/svg+xml;base64,' "$run1/report.html" | wc -l)
expect "report.html embeds all $n_charts charts" test "$n_imgs" -eq "$n_charts"
contacts=$(awk -F, '$1 == "flow.contacts" { printf "%.0f", $2 }' "$run1/summary.csv")
contacts_fmt=$(echo "$contacts" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta')
expect "report.html shows the contacts from summary.csv ($contacts_fmt)" \
    grep -q "<td>Contacts</td><td class=\"n\">$contacts_fmt</td>" "$run1/report.html"

"$BIN" report "$run1" --lang cy >/dev/null 2>"$TMP/report1cy.err"
expect "report --lang cy exits 0" test $? -eq 0
expect "the Welsh report parses" html_ok "$run1/report.html"
expect "the Welsh report says lang=cy" grep -q '<html lang="cy">' "$run1/report.html"
expect "the Welsh report uses the Welsh Government's terms" \
    grep -q "Plant sy&#39;n derbyn gofal" "$run1/report.html"
expect "the Welsh charts' script has Welsh labels" grep -q "Ion Chwef Maw" "$run1/charts/charts.gp"
# shellcheck disable=SC2086
expect "the Welsh charts are valid images" charts_ok "$run1" $RUN_CHARTS

# ---- a three-year run: by financial year -------------------------------------
run3="$TMP/bridgend-2023-2026"
"$BIN" run "$ROOT/scenarios/bridgend-2023-2026.cfg" --replications 3 --out "$run3" >/dev/null 2>&1
"$BIN" report "$run3" >/dev/null 2>&1
expect "report on a three-year run exits 0" test $? -eq 0
expect "a three-year run has the by-year charts" charts_ok "$run3" fy-stocks fy-flows fy-care
expect "a three-year report has the by-year table" grep -q '<table class="years">' "$run3/report.html"
expect "the three-year report parses" html_ok "$run3/report.html"

# ---- a comparison (compare.csv made by hand) ---------------------------------
cmp="$TMP/options"
mkdir -p "$cmp"
cp -r "$run1" "$cmp/bridgend-2022"
"$BIN" run "$ROOT/scenarios/bridgend-2022.cfg" --replications 3 --seed 7 \
    --out "$cmp/fewer-doors" >/dev/null 2>&1
sed -i 's/^name = .*/name = "fewer-doors";/' "$cmp/fewer-doors/scenario.cfg"
cat >"$cmp/compare.csv" <<'EOF'
metric,variant,baseline_mean,variant_mean,diff_mean,diff_ci95_low,diff_ci95_high,rel_change,distinguishable
flow.contacts,fewer-doors,8360,8340,-20,-60,20,-0.0024,no
flow.assessments,fewer-doors,3115,2950,-165,-190,-140,-0.053,yes
stock.cp_register.end,fewer-doors,275,262,-13,-20,-6,-0.047,yes
stock.looked_after.end,fewer-doors,370,366,-4,-8,1,-0.011,no
kpi.assessments_within_timescale,fewer-doors,0.92,0.95,0.03,0.02,0.04,0.033,yes
EOF
"$BIN" report "$cmp" >"$TMP/cmp.log" 2>&1
expect "report on a comparison exits 0" test $? -eq 0
expect "the comparison has each option against the baseline over time" \
    charts_ok "$cmp" compare-stock-looked-after compare-stock-cp-register compare-flow-assessments
expect "the comparison has the paired-differences chart" charts_ok "$cmp" compare-differences
expect "the comparison report parses and has its tables" html_ok "$cmp/report.html"
expect "the comparison report has the differences table" \
    grep -q '<table class="differences">' "$cmp/report.html"
expect "the comparison report names the option" grep -q 'fewer-doors' "$cmp/report.html"

# ---- the scripts, by hand, as an analyst would --------------------------------
gnuplot -e "infile='$run1/timeseries.csv'; outfile='$TMP/by-hand.png'; \
            metric1='stock.looked_after'; label1='Looked after'; title='Children looked after'; \
            ylabel='children'" "$ROOT/scripts/fan.gp" 2>"$TMP/by-hand.err"
expect "scripts/fan.gp draws a chart by hand" png_ok "$TMP/by-hand.png"

# ---- errors --------------------------------------------------------------------
env PATH=/nonexistent "$BIN" report "$run1" >"$TMP/nognuplot.out" 2>"$TMP/nognuplot.err"
expect "without gnuplot on PATH: exit 1" test $? -eq 1
expect "without gnuplot: the message names gnuplot and its package" \
    grep -q "gnuplot not found on PATH; install the gnuplot-nox package" "$TMP/nognuplot.err"

"$BIN" report "$TMP/no-such-run" >/dev/null 2>"$TMP/nodir.err"
expect "a missing folder: exit 1" test $? -eq 1
expect "a missing folder is named" grep -q "$TMP/no-such-run: no such folder" "$TMP/nodir.err"

mkdir -p "$TMP/network"
"$BIN" run "$ROOT/scenarios/validation/mm1.cfg" --replications 2 --out "$TMP/network" >/dev/null 2>&1
"$BIN" report "$TMP/network" >/dev/null 2>"$TMP/network.err"
expect "a network run (no timeseries.csv): exit 1" test $? -eq 1
expect "a network run: the message says why" grep -q "needs a pathway run" "$TMP/network.err"

"$BIN" report "$run1" --lang fr >/dev/null 2>"$TMP/lang.err"
expect "--lang fr: exit 2" test $? -eq 2
expect "--lang fr: the message says en or cy" grep -q "expected en or cy" "$TMP/lang.err"
"$BIN" report --help >"$TMP/help.out" 2>&1
expect "report --help exits 0 and shows usage" grep -q "usage: caseflow report DIR" "$TMP/help.out"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
