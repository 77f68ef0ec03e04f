#!/usr/bin/env bash
# End-to-end tests of `caseflow sweep`: the three designs on the M/M/1
# validation network (where queueing theory says which way the mean time in
# the queue must move), a tornado study of the Bridgend projection, the
# refusals of bad input, --jobs 1 against --jobs 2, and the tornado charts
# (in English and, with --lang cy, in Welsh).
#
#   CASEFLOW_BIN=./caseflow bash tests/e2e/sweep.sh
#
# Every check prints "ok" or "FAIL"; the script ends with "N passed, M failed"
# and exits non-zero when anything failed.
set -u

. "$(dirname "$0")/lib.sh"

MM1="$ROOT/scenarios/validation/mm1.cfg"
BRIDGEND="$ROOT/scenarios/bridgend-2023-2026.cfg"
RATE='arrivals.[0].rate_per_day=0.5:0.85'
SERVICE='nodes.Q.service.mean=0.8:1.1'
# A shorter M/M/1 run: the directions below are far larger than the noise.
SHORT=(--replications 6)

# ---- one at a time on M/M/1 -----------------------------------------------
"$BIN" sweep "$MM1" --vary "$RATE" --vary "$SERVICE" --points 4 "${SHORT[@]}" --jobs 1 \
    --out "$TMP/oat1" >"$TMP/oat.log" 2>&1
expect "oat sweep exits 0" test $? -eq 0
expect "sweep.csv header" \
    test "$(head -n 1 "$TMP/oat1/sweep.csv")" = \
    "point,varied,arrivals.[0].rate_per_day,nodes.Q.service.mean,metric,mean,ci95_low,ci95_high,sd,n"
n_metrics=$(awk -F, 'NR > 1 && $1 == 0' "$TMP/oat1/sweep.csv" | wc -l)
expect "one row per point (1 + 2 x 4) and metric ($n_metrics)" \
    test "$(($(wc -l <"$TMP/oat1/sweep.csv") - 1))" -eq $((9 * n_metrics))
expect "point 0 is the baseline at the scenario's own values" \
    test "$(awk -F, 'NR == 2 { print $2, $3, $4 }' "$TMP/oat1/sweep.csv")" = "baseline 0.8 1"
expect "the rate's points run 0.5, 0.6166666667, 0.7333333333, 0.85 with service as written" \
    test "$(awk -F, '$2 == "arrivals.[0].rate_per_day" && $5 == "node.Q.Wq" { printf "%s/%s ", $3, $4 }' \
        "$TMP/oat1/sweep.csv")" = "0.5/1 0.6166666667/1 0.7333333333/1 0.85/1 "
# Wq of M/M/1 = rho E[S] / (1 - rho) rises with the arrival rate and with the mean service time.
rising() {
    awk -F, -v k="$2" -v m="$3" '$2 == k && $5 == m { if (n++ && $6 <= prev) exit 1; prev = $6 }
        END { exit n < 4 }' "$1"
}
expect "Wq rises with the arrival rate (one at a time)" \
    rising "$TMP/oat1/sweep.csv" 'arrivals.[0].rate_per_day' node.Q.Wq
expect "Wq rises with the mean service time (one at a time)" \
    rising "$TMP/oat1/sweep.csv" nodes.Q.service.mean node.Q.Wq
# Closed form at the high end of the rate: rho = 0.85, Wq = 0.85 / 0.15 = 5.67 days.
expect "Wq at rate 0.85 is near M/M/1's 5.67 days" \
    awk -F, '$2 == "arrivals.[0].rate_per_day" && $3 == "0.85" && $5 == "node.Q.Wq" { found = 1; if ($6 < 5.0 || $6 > 6.4) exit 1 } END { exit !found }' \
    "$TMP/oat1/sweep.csv"

T="$TMP/oat1/tornado.csv"
expect "tornado.csv header" test "$(head -n 1 "$T")" = \
    "metric,rank,key,value_low,value_high,baseline,baseline_ci95_low,baseline_ci95_high,at_low,at_low_ci95_low,at_low_ci95_high,at_high,at_high_ci95_low,at_high_ci95_high,swing,swing_ci95_low,swing_ci95_high"
expect "tornado.csv has one row per metric and setting" \
    test "$(($(wc -l <"$T") - 1))" -eq $((2 * n_metrics))
# Utilisation rho = lambda E[S]: the rate moves it by 0.35 x 1, the service time by 0.8 x 0.3 = 0.24.
expect "utilisation: the arrival rate ranks first, with a swing near 0.35" \
    awk -F, '$1 == "node.Q.utilisation" && $2 == 1 { found = 1; if ($3 != "arrivals.[0].rate_per_day" || $15 < 0.33 || $15 > 0.37) exit 1 } END { exit !found }' "$T"
expect "utilisation: the service time ranks second, with a swing near 0.24" \
    awk -F, '$1 == "node.Q.utilisation" && $2 == 2 { found = 1; if ($3 != "nodes.Q.service.mean" || $15 < 0.22 || $15 > 0.26) exit 1 } END { exit !found }' "$T"
# W = E[S] / (1 - rho): 0.8 -> 1.1 takes W from 2.2 to 9.2 days; the rate 0.5 -> 0.85, from 2 to 6.7.
expect "time in node: the service time ranks first" \
    awk -F, '$1 == "node.Q.W" && $2 == 1 { found = 1; if ($3 != "nodes.Q.service.mean") exit 1 } END { exit !found }' "$T"
expect "every metric's swings are in decreasing order of size" \
    awk -F, 'NR > 1 { s = ($15 < 0) ? -$15 : $15; if ($1 == m && s > prev + 1e-12) exit 1; m = $1; prev = s }' "$T"
expect "paired swing intervals hold the swing" \
    awk -F, 'NR > 1 && $16 != "NA" && ($16 > $15 || $17 < $15) { exit 1 }' "$T"
expect "run.txt records the design and what was varied" \
    bash -c "grep -q '^design: oat$' '$TMP/oat1/run.txt' && grep -q '^vary: arrivals.\[0\].rate_per_day=0.5:0.85 (as written: 0.8' '$TMP/oat1/run.txt'"
expect "the terminal names what moves the time in node most" \
    grep -q '^caseflow: node.Q.W moves most with nodes.Q.service.mean' "$TMP/oat.log"

# ---- jobs 1 and 2 give the same bytes ---------------------------------------
"$BIN" sweep "$MM1" --vary "$RATE" --vary "$SERVICE" --points 4 "${SHORT[@]}" --jobs 2 \
    --out "$TMP/oat2" >/dev/null 2>&1
expect "oat: --jobs 1 and --jobs 2 write identical sweep.csv" cmp -s "$TMP/oat1/sweep.csv" "$TMP/oat2/sweep.csv"
expect "oat: --jobs 1 and --jobs 2 write identical tornado.csv" cmp -s "$TMP/oat1/tornado.csv" "$TMP/oat2/tornado.csv"

# ---- Latin hypercube and Sobol -------------------------------------------------
for design in lhs sobol; do
    for j in 1 2; do
        "$BIN" sweep "$MM1" --vary "$RATE" --vary "$SERVICE" --design "$design" --points 8 \
            --metric node.Q.Wq --metric node.Q.utilisation "${SHORT[@]}" --jobs "$j" \
            --out "$TMP/$design$j" >"$TMP/$design.log" 2>&1
    done
    expect "$design sweep exits 0 and writes no tornado" \
        bash -c "test -s '$TMP/${design}1/sweep.csv' && test ! -e '$TMP/${design}1/tornado.csv'"
    expect "$design: 8 points x 2 metrics" test "$(($(wc -l <"$TMP/${design}1/sweep.csv") - 1))" -eq 16
    expect "$design: --jobs 1 and --jobs 2 identical" cmp -s "$TMP/${design}1/sweep.csv" "$TMP/${design}2/sweep.csv"
    expect "$design: every value inside its range" \
        awk -F, 'NR > 1 && ($3 < 0.5 || $3 > 0.85 || $4 < 0.8 || $4 > 1.1) { exit 1 }' "$TMP/${design}1/sweep.csv"
    # Utilisation is lambda E[S] at every point, whatever the design.
    expect "$design: utilisation is rate x service time at every point (within 3%)" \
        awk -F, 'NR > 1 && $5 == "node.Q.utilisation" { r = $3 * $4; if ($6 < 0.97 * r || $6 > 1.03 * r) exit 1; n++ } END { exit n != 8 }' \
        "$TMP/${design}1/sweep.csv"
done
# Latin hypercube: one point in each eighth of each range.
for col in 3 4; do
    expect "lhs: one point per stratum in column $col" bash -c \
        "awk -F, -v c=$col 'NR > 1 && \$5 == \"node.Q.Wq\" { lo = (c == 3) ? 0.5 : 0.8; w = (c == 3) ? 0.35 : 0.3; print int((\$c - lo) / w * 8) }' '$TMP/lhs1/sweep.csv' | sort -n | tr '\n' ' ' | grep -qx '0 1 2 3 4 5 6 7 '"
done
"$BIN" sweep "$MM1" --vary "$RATE" --vary "$SERVICE" --design lhs --points 8 --metric node.Q.Wq \
    "${SHORT[@]}" --seed 12 --out "$TMP/lhs-seed12" >/dev/null 2>&1
expect "lhs: another seed, another design" \
    bash -c "! cmp -s <(cut -d, -f3,4 '$TMP/lhs1/sweep.csv') <(cut -d, -f3,4 '$TMP/lhs-seed12/sweep.csv')"
expect "sobol: the first point is the centre of the box" \
    test "$(awk -F, 'NR == 2 { print $3, $4 }' "$TMP/sobol1/sweep.csv")" = "0.675 0.95"

# ---- the Bridgend projection: looked after and cost ------------------------------
B="$TMP/bridgend"
start=$(date +%s.%N)
"$BIN" sweep "$BRIDGEND" --vary contacts.per_year=6200:7600 \
    --vary 'stages.front_door.outcomes.[2].p=0.25:0.4' \
    --vary placements.types.in_house_foster.places=80:120 \
    --vary placements.types.residential.weekly_cost=3500:5000 \
    --points 2 --replications 4 --jobs 2 --out "$B" >"$TMP/bridgend.log" 2>&1
rc=$?
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "     (Bridgend tornado: 9 points x 4 replications of three years, 2 threads: ${elapsed}s)"
expect "Bridgend sweep exits 0" test "$rc" -eq 0
expect "whole-number places are noted as rounded" \
    grep -q 'note: placements.types.in_house_foster.places is a whole number' "$TMP/bridgend.log"
expect "a front-door probability rescales its siblings (noted)" \
    grep -q 'note: stages.front_door.outcomes.\[2\].p is one of probabilities that sum to 1' "$TMP/bridgend.log"
expect "more contacts, more children looked after" \
    awk -F, '$1 == "stock.looked_after.end" && $3 == "contacts.per_year" { found = 1; if ($16 <= 0) exit 1 } END { exit !found }' "$B/tornado.csv"
expect "residential fees move cost but not the number looked after" bash -c \
    "awk -F, '\$1 == \"stock.looked_after.end\" && \$3 == \"placements.types.residential.weekly_cost\" { f = 1; if (\$15 != 0) exit 1 } END { exit !f }' '$B/tornado.csv' &&
     awk -F, '\$1 == \"cost.total\" && \$3 == \"placements.types.residential.weekly_cost\" { f = 1; if (\$16 <= 0) exit 1 } END { exit !f }' '$B/tornado.csv'"
expect "cost.total's four settings are ranked 1 to 4" \
    test "$(awk -F, '$1 == "cost.total" { printf "%s", $2 }' "$B/tornado.csv")" = "1234"

# ---- charts -------------------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
    for c in tornado-stock-looked-after-end tornado-cost-total; do
        expect "chart $c drawn as PNG and SVG" test -s "$B/charts/$c.png" -a -s "$B/charts/$c.svg"
    done
    expect "M/M/1: a chart of each node's time in node" test -s "$TMP/oat1/charts/tornado-node-Q-W.png"
    expect "charts/tornado.gp redraws them" bash -c "cd '$B' && rm charts/*.png && gnuplot charts/tornado.gp && test -s charts/tornado-cost-total.png"
else
    echo "     (gnuplot not on PATH: chart checks skipped)"
    expect "without gnuplot sweep says so and still writes tornado.csv" \
        bash -c "grep -q 'gnuplot not found' '$TMP/bridgend.log' && test -s '$B/tornado.csv'"
fi
# ---- --lang: the charts in Welsh, the CSVs unchanged -------------------------------------
# One year of Bridgend, two settings, two replications: cheap, and both charts drawn.
WELSH=("$ROOT/scenarios/bridgend-2022.cfg" --vary placements.types.in_house_foster.places=80:120
    --vary contacts.per_year=7600:9000 --points 2 --replications 2 --jobs 2)
"$BIN" sweep "${WELSH[@]}" --out "$TMP/lang-en" >/dev/null 2>&1
"$BIN" sweep "${WELSH[@]}" --lang cy --out "$TMP/lang-cy" >"$TMP/lang-cy.log" 2>&1
expect "--lang cy exits 0" test $? -eq 0
expect "--lang cy: sweep.csv and tornado.csv as in English, byte for byte" \
    bash -c "cmp -s '$TMP/lang-en/sweep.csv' '$TMP/lang-cy/sweep.csv' && cmp -s '$TMP/lang-en/tornado.csv' '$TMP/lang-cy/tornado.csv'"
if command -v gnuplot >/dev/null 2>&1; then
    G="$TMP/lang-cy/charts/tornado.gp"
    expect "--lang cy: the titles are Welsh, the measure's name as report gives it" \
        grep -qF "title = 'Cyfanswm y gost: y gosodiadau sy''n ei symud fwyaf' . \"\\n\" . 'pob gosodiad ar ei ben ei hun" "$G"
    expect "--lang cy: axis, legend and range words are Welsh" bash -c \
        "grep -qF \"xlabel = 'Plant sy''n derbyn gofal'\" '$G' && grep -qF \"labellow = 'gosodiad ar ei werth isel'\" '$G' &&
         grep -qF \"labelhigh = 'gosodiad ar ei werth uchel'\" '$G' && grep -qF \"rangeword = 'i'\" '$G'"
    expect "--lang cy: no English words left in the chart settings" \
        bash -c "! grep -E '^(title|xlabel|labellow|labelhigh|rangeword) = .*(What moves|setting at|each setting|= .to.$)' '$G'"
    expect "English by default: the title and range word" bash -c \
        "grep -qF \"title = 'What moves total cost most'\" '$TMP/lang-en/charts/tornado.gp' && grep -qF \"rangeword = 'to'\" '$TMP/lang-en/charts/tornado.gp'"
    expect "--lang cy: the charts are drawn, with Welsh text in the SVG" bash -c \
        "test -s '$TMP/lang-cy/charts/tornado-cost-total.png' && grep -q 'Cyfanswm y gost' '$TMP/lang-cy/charts/tornado-cost-total.svg' &&
         grep -q '80 i 120' '$TMP/lang-cy/charts/tornado-cost-total.svg'"
fi
"$BIN" sweep "${WELSH[@]}" --lang fr --out "$TMP/lang-fr" >"$TMP/lang-fr.log" 2>&1
rc=$?
"$BIN" report "$TMP/lang-en" --lang fr >/dev/null 2>"$TMP/report-fr.log"
expect "--lang fr: exit 2, report's own message, nothing written" bash -c \
    "test $rc -eq 2 && test ! -e '$TMP/lang-fr' && grep -qx \"caseflow: --lang 'fr'; expected en or cy\" '$TMP/lang-fr.log' &&
     test \"\$(head -n 1 '$TMP/lang-fr.log')\" = \"\$(head -n 1 '$TMP/report-fr.log')\""
"$BIN" sweep "${WELSH[@]}" --out "$TMP/lang-none" --lang >"$TMP/lang-none.log" 2>&1
expect "--lang without a value: exit 2, as report says it" bash -c \
    "test $? -eq 2 && grep -qx 'caseflow: --lang needs a value; expected en or cy' '$TMP/lang-none.log'"

PATH=/nonexistent "$BIN" sweep "$MM1" --vary "$RATE" "${SHORT[@]}" --out "$TMP/nognuplot" >"$TMP/nognuplot.log" 2>&1
expect "without gnuplot on PATH: exit 0, no charts, a note" \
    bash -c "test -s '$TMP/nognuplot/tornado.csv' && test ! -e '$TMP/nognuplot/charts' && grep -q 'gnuplot not found on PATH' '$TMP/nognuplot.log'"

# ---- bad input: a clear message, non-zero exit, nothing written ----------------------
refuse() {
    local name=$1 want=$2 status=$3
    shift 3
    local out="$TMP/bad-$passed-$failed"
    "$BIN" sweep "$@" --out "$out" >"$TMP/bad.log" 2>&1
    local rc=$?
    if [ "$rc" -eq "$status" ] && grep -qF -- "$want" "$TMP/bad.log" && [ ! -e "$out" ]; then
        ok "$name"
    else
        bad "$name (exit $rc; $(head -n 1 "$TMP/bad.log"))"
    fi
}
refuse "an unknown setting names the closest" "'nodes.Q.sevice.mean' is not a setting of the scenario (did you mean 'service'?)" 1 \
    "$MM1" --vary nodes.Q.sevice.mean=1:2
refuse "an unknown stage names the closest" "stages has no element named 'front_dor' (did you mean 'front_door'?)" 1 \
    "$BRIDGEND" --vary stages.front_dor.duration.mode=1:2
refuse "a string setting is refused" "--vary nodes.Q.service.dist: the setting is a string; expected a number" 1 \
    "$MM1" --vary nodes.Q.service.dist=1:2
refuse "a group is refused" "the setting is a group" 1 "$MM1" --vary nodes.Q.service=1:2
refuse "LOW > HIGH" "LOW > HIGH; expected LOW < HIGH" 2 "$MM1" --vary nodes.Q.service.mean=2:1
refuse "LOW = HIGH" "LOW = HIGH" 2 "$MM1" --vary nodes.Q.service.mean=1:1
refuse "NaN" "LOW 'nan' is not a finite number" 2 "$MM1" --vary nodes.Q.service.mean=nan:1
refuse "not a number" "HIGH '2x' is not a finite number" 2 "$MM1" --vary nodes.Q.service.mean=1:2x
refuse "no range" "expected KEY=LOW:HIGH" 2 "$MM1" --vary nodes.Q.service.mean
refuse "a key twice" "--vary nodes.Q.service.mean is given twice" 2 \
    "$MM1" --vary nodes.Q.service.mean=1:2 --vary nodes.Q.service.mean=1:3
refuse "one setting by two paths" "name the same setting" 1 \
    "$MM1" --vary nodes.Q.service.mean=1:2 --vary 'nodes.[0].service.mean=1:3'
refuse "--points 1" "--points '1'; expected a whole number from 2" 2 "$MM1" --vary "$SERVICE" --points 1
refuse "an unknown design" "--design 'grid'; expected oat, lhs or sobol" 2 "$MM1" --vary "$SERVICE" --design grid
refuse "an unknown metric names the closest" "--metric 'node.Q.WW' is not a metric of mm1 (did you mean 'node.Q.W'?)" 1 \
    "$MM1" --vary "$SERVICE" --metric node.Q.WW
refuse "nothing to vary" "nothing to vary" 2 "$MM1"
refuse "--events" "--events is not available with sweep" 2 "$MM1" --vary "$SERVICE" --events
refuse "a value the loader refuses names the point" \
    "sweep point 1 (nodes.Q.service.mean=-1): $MM1:24: nodes.[0].service: exponential mean must be > 0" 1 \
    "$MM1" --vary nodes.Q.service.mean=-1:2
refuse "two probabilities of one list" "are probabilities of one list" 1 \
    "$BRIDGEND" --vary 'stages.front_door.outcomes.[0].p=0.3:0.4' --vary 'stages.front_door.outcomes.[2].p=0.3:0.4'
refuse "more than 40 settings for Sobol" "GSL's Sobol sequence has at most 40" 2 \
    "$BRIDGEND" --design sobol $(for i in $(seq 1 41); do echo "--vary x$i=0:1"; done)

# ---- capacity warnings per point ----------------------------------------------------
# support's 20 places need 1.5 times themselves (tests/e2e/overloaded.cfg); 40 and 60
# places serve the demand (0.75, 0.5). Points: 0 the baseline (20), 1-3 at 20, 40, 60.
"$BIN" sweep "$ROOT/tests/e2e/overloaded.cfg" --vary stages.support.servers=20:60 --points 3 \
    --replications 3 --out "$TMP/overloaded" >"$TMP/overloaded.out" 2>"$TMP/overloaded.err"
expect "overloaded sweep exits 0" test $? -eq 0
expect "stderr names the overloaded points 0 and 1, and only those" \
    test "$(grep -o '^caseflow: at sweep point [0-9]*:' "$TMP/overloaded.err" | tr '\n' ' ')" = \
    "caseflow: at sweep point 0: caseflow: at sweep point 1: "
expect "each with the stage's warning at its servers line" \
    test "$(grep -c "^$ROOT/tests/e2e/overloaded.cfg:18: warning: stage 'support' cannot serve" \
        "$TMP/overloaded.err")" -eq 2
expect "run.txt keeps them after their points" \
    bash -c 'grep -A1 "^at sweep point 1:\$" "$1" | tail -n 1 | grep -q "^warning: $2:18: warning: stage"' \
    _ "$TMP/overloaded/run.txt" "$ROOT/tests/e2e/overloaded.cfg"
expect "a metric no setting moves draws without gnuplot's empty-range warning" \
    bash -c '! grep -q "empty x range" "$1" && test -s "$2"' _ "$TMP/overloaded.err" \
    "$TMP/overloaded/charts/tornado-cost-total.svg"

# ---- an interrupted sweep leaves nothing ----------------------------------------------
"$BIN" sweep "$BRIDGEND" --vary contacts.per_year=6200:7600 --replications 40 --jobs 1 \
    --out "$TMP/stopped" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
expect "Ctrl-C: exit 130" test "$rc" -eq 130
expect "Ctrl-C: no output folder" test ! -e "$TMP/stopped"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
