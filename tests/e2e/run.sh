#!/usr/bin/env bash
# End-to-end tests: drive the real binary on scenario files, the way a user
# does, and check what lands on disk and what the exit status says.
#
#   CASEFLOW_BIN=./caseflow bash tests/e2e/run.sh
#
# Every check prints "ok" or "FAIL"; the script ends with "N passed, M failed"
# and exits non-zero when anything failed.
set -u

. "$(dirname "$0")/lib.sh"
E2E="$ROOT/tests/e2e"

MMC="$ROOT/scenarios/validation/mmc.cfg"
[ -f "$MMC" ] || MMC="$E2E/mmc.cfg"

# ---- a normal run -------------------------------------------------------
out1="$TMP/j1"
"$BIN" run "$MMC" --out "$out1" --jobs 1 >"$TMP/run1.log" 2>&1
expect "run exits 0" test $? -eq 0
for f in summary.csv scenario.cfg run.txt; do
    expect "run writes $f" test -s "$out1/$f"
done
expect "summary.csv header" \
    test "$(head -n 1 "$out1/summary.csv")" = "metric,mean,ci95_low,ci95_high,sd,n"
expect "summary.csv has node A's metrics" grep -q '^node\.A\.L,' "$out1/summary.csv"
expect "summary.csv has node B's metrics" grep -q '^node\.B\.throughput_per_day,' "$out1/summary.csv"
# Every row has six fields and n equals the replications.
expect "summary.csv rows have 6 fields" \
    awk -F, 'NR > 1 && NF != 6 { exit 1 }' "$out1/summary.csv"
expect "summary.csv n = 10 replications" \
    awk -F, 'NR > 1 && $6 != 10 { exit 1 }' "$out1/summary.csv"
# The CI brackets the mean wherever numbers are given.
expect "ci95_low <= mean <= ci95_high" \
    awk -F, 'NR > 1 && $2 != "NA" && ($3 > $2 || $2 > $4) { exit 1 }' "$out1/summary.csv"
# An unlimited node has no utilisation: NA, not a number.
expect "utilisation of an unlimited node is NA" \
    grep -q '^node\.B\.utilisation,NA,NA,NA,NA,' "$out1/summary.csv"
expect "no temporary files are left" \
    test -z "$(find "$out1" -name '.*tmp*' -print)"
expect "run.txt records the seed" grep -q 'seed' "$out1/run.txt"

# The saved scenario.cfg is itself a valid scenario and reproduces the run.
out_again="$TMP/again"
"$BIN" run "$out1/scenario.cfg" --out "$out_again" --jobs 1 >/dev/null 2>&1
expect "scenario.cfg reruns to the same summary.csv" cmp -s "$out1/summary.csv" "$out_again/summary.csv"

# ---- reproducibility whatever the number of threads ----------------------
out2="$TMP/j2"
"$BIN" run "$MMC" --out "$out2" --jobs 2 >/dev/null 2>&1
expect "--jobs 1 and --jobs 2 give byte-identical summary.csv" cmp -s "$out1/summary.csv" "$out2/summary.csv"
expect "--jobs 1 and --jobs 2 give byte-identical scenario.cfg" cmp -s "$out1/scenario.cfg" "$out2/scenario.cfg"
out3="$TMP/j2b"
"$BIN" run "$MMC" --out="$out3" --jobs=2 >/dev/null 2>&1
expect "a second run is byte-identical" cmp -s "$out2/summary.csv" "$out3/summary.csv"

# A different seed gives different numbers; overrides are recorded.
out4="$TMP/seed"
"$BIN" run "$MMC" --out "$out4" --seed 7 --replications 4 >/dev/null 2>&1
expect "--seed changes the results" bash -c "! cmp -s '$out1/summary.csv' '$out4/summary.csv'"
expect "--replications 4 gives n = 4" awk -F, 'NR > 1 && $6 != 4 { exit 1 }' "$out4/summary.csv"
expect "scenario.cfg records the overridden seed" grep -Eq '^seed *= *7' "$out4/scenario.cfg"

# The default output folder is output/<scenario base name>/.
(cd "$TMP" && mkdir -p defaults && cp "$MMC" defaults/tiny.cfg &&
    "$BIN" run defaults/tiny.cfg --replications 2 >/dev/null 2>&1)
expect "default --out is output/<name>/" test -s "$TMP/output/tiny/summary.csv"

# ---- check --------------------------------------------------------------
"$BIN" check "$MMC" >"$TMP/check.log" 2>&1
expect "check exits 0 on a valid scenario" test $? -eq 0
expect "check says the scenario is valid" grep -qi 'valid' "$TMP/check.log"
expect "check shows theory for node A" grep -q 'A' "$TMP/check.log"

# ---- usage errors -------------------------------------------------------
"$BIN" >/dev/null 2>&1
expect "no command: exit 2" test $? -eq 2
"$BIN" frobnicate >/dev/null 2>&1
expect "unknown command: exit 2" test $? -eq 2
"$BIN" run >/dev/null 2>&1
expect "run without a file: exit 2" test $? -eq 2
"$BIN" run "$MMC" --jobs 0 --out "$TMP/never" >/dev/null 2>&1
expect "--jobs 0: exit 2" test $? -eq 2
"$BIN" run "$MMC" --replications -3 --out "$TMP/never" >/dev/null 2>&1
expect "--replications -3: exit 2" test $? -eq 2
"$BIN" run "$MMC" --bogus --out "$TMP/never" >/dev/null 2>&1
expect "unknown option: exit 2" test $? -eq 2
expect "usage errors write nothing" test ! -e "$TMP/never"
"$BIN" --help >"$TMP/help.log" 2>&1
expect "--help exits 0" test $? -eq 0
expect "--help names run and check" grep -q 'run FILE' "$TMP/help.log"
"$BIN" --version >"$TMP/version.log" 2>&1
expect "--version exits 0" test $? -eq 0
expect "--version prints VERSION" grep -qF "$(cat "$ROOT/VERSION")" "$TMP/version.log"
"$BIN" run --help >/dev/null 2>&1
expect "run --help exits 0" test $? -eq 0

# ---- bad input: FILE:LINE, exit 1, nothing written -----------------------
"$BIN" run "$TMP/does-not-exist.cfg" --out "$TMP/none" >"$TMP/missing.log" 2>&1
expect "missing file: exit 1" test $? -eq 1
expect "missing file: names the file" grep -q 'does-not-exist.cfg' "$TMP/missing.log"
expect "missing file: writes nothing" test ! -e "$TMP/none"

n_invalid=0
for f in "$ROOT"/scenarios/invalid/*.cfg; do
    [ -f "$f" ] || continue
    n_invalid=$((n_invalid + 1))
    name=$(basename "$f" .cfg)
    dir="$TMP/invalid-$name"
    "$BIN" run "$f" --out "$dir" >"$TMP/invalid.log" 2>&1
    rc=$?
    base=$(basename "$f")
    # The first line of each file says what message it expects, in quotes.
    want=$(head -n 1 "$f" | sed -n 's/.*Expected message: "\(.*\)"$/\1/p')
    if [ "$rc" -ne 1 ]; then
        bad "invalid/$base: exit $rc, expected 1"
    elif ! grep -Eq "$(printf '%s' "$base" | sed 's/\./\\./g'):[0-9]+: " "$TMP/invalid.log"; then
        bad "invalid/$base: no FILE:LINE in: $(head -c 300 "$TMP/invalid.log")"
    elif [ -n "$want" ] && ! grep -qF -- "$want" "$TMP/invalid.log"; then
        bad "invalid/$base: message lacks \"$want\": $(head -c 300 "$TMP/invalid.log")"
    elif [ -e "$dir" ]; then
        bad "invalid/$base: wrote $dir"
    else
        ok "invalid/$base"
    fi
    "$BIN" check "$f" >/dev/null 2>&1
    rc=$?
    expect "invalid/$base: check exits 1" test "$rc" -eq 1
done
expect "scenarios/invalid holds cases" test "$n_invalid" -gt 10

# A failure must not replace a previous run's good outputs with half-written ones.
keep="$TMP/keep"
"$BIN" run "$MMC" --out "$keep" --replications 2 >/dev/null 2>&1
cp "$keep/summary.csv" "$TMP/keep-summary.csv"
"$BIN" run "$ROOT/scenarios/invalid/route-sum.cfg" --out "$keep" >/dev/null 2>&1
expect "a failed run leaves earlier outputs intact" cmp -s "$keep/summary.csv" "$TMP/keep-summary.csv"

# ---- the children's social care pathway: the Bridgend baseline ----------
BRIDGEND="$ROOT/scenarios/bridgend-2022.cfg"
if [ -f "$BRIDGEND" ]; then
    b1="$TMP/bridgend-j1"
    b2="$TMP/bridgend-j2"
    "$BIN" run "$BRIDGEND" --out "$b1" --jobs 1 >"$TMP/bridgend.log" 2>&1
    expect "bridgend-2022 runs" test $? -eq 0
    # Early help's 720 places are about 80% used: no capacity warning.
    expect "bridgend: no capacity warning" bash -c "! grep -q warning '$TMP/bridgend.log' '$b1/run.txt'"
    expect "bridgend: early help's offered load between 0.5 and 0.95" \
        awk -F, '$1 == "stage.early_help.offered_load" && $2 > 0.5 && $2 < 0.95 { found = 1 } END { exit !found }' \
        "$b1/summary.csv"
    "$BIN" run "$BRIDGEND" --out "$b2" --jobs 2 >/dev/null 2>&1
    for f in summary.csv timeseries.csv annual.csv; do
        expect "bridgend $f written" test -s "$b1/$f"
        expect "bridgend $f byte-identical for --jobs 1 and 2" cmp -s "$b1/$f" "$b2/$f"
    done
    for m in flow.contacts flow.early_help_starts flow.assessments flow.strategy_meetings \
        flow.s47_enquiries flow.icpc flow.cp_registrations flow.care_and_support_starts \
        flow.care_entries flow.care_exits flow.step_ups flow.step_downs flow.re_referrals \
        stock.early_help.end stock.care_and_support.end stock.care_and_support_other.end \
        stock.cp_register.end stock.looked_after.end kpi.screened_within_1_day \
        kpi.assessments_within_timescale kpi.icpc_within_15_days cost.total cost.staff \
        cost.agency cost.placements workforce.fte_effective.mean workforce.agency_share.mean \
        workforce.safeguarding.caseload_per_fte.mean kpi.unallocated_cases.mean \
        flow.unregistered_placements flow.placement_moves kpi.stories_told.mean; do
        expect "bridgend summary has $m" grep -q "^$m," "$b1/summary.csv"
    done
    # Calibration: Bridgend's reported 2022/23 within 5% (looked after within 10%).
    check_target() { # metric target tolerance
        awk -F, -v m="$1" -v t="$2" -v tol="$3" \
            '$1 == m { found = 1; d = ($2 - t) / t; if (d < 0) d = -d; if (d > tol) { printf "%s mean %s, target %s\n", m, $2, t; exit 1 } }
             END { if (!found) exit 1 }' "$b1/summary.csv"
    }
    expect "bridgend contacts 8,334 +-5%" check_target flow.contacts 8334 0.05
    expect "bridgend assessments 3,114 +-5%" check_target flow.assessments 3114 0.05
    expect "bridgend strategy meetings 2,154 +-5%" check_target flow.strategy_meetings 2154 0.05
    expect "bridgend S47 enquiries 1,557 +-5%" check_target flow.s47_enquiries 1557 0.05
    expect "bridgend CP register 270 +-5%" check_target stock.cp_register.end 270 0.05
    expect "bridgend care and support plans 1,202 +-5%" check_target stock.care_and_support.end 1202 0.05
    expect "bridgend looked after 370 +-10%" check_target stock.looked_after.end 370 0.10
    # The workforce as the seeds describe it: 20% vacancies, 38% agency.
    expect "bridgend agency share 38% +-10%" check_target workforce.agency_share.mean 0.38 0.10
    expect "bridgend vacancies 20% +-15%" check_target workforce.safeguarding.vacancy_rate.mean 0.20 0.15
    expect "timeseries.csv has cost.total by month" \
        bash -c "head -n 1 '$b1/timeseries.csv' | grep -q ',cost.total,cost.total.ci95_low,cost.total.ci95_high'"
    expect "timeseries.csv starts with date and triples" \
        bash -c "head -n 1 '$b1/timeseries.csv' | grep -q '^date,flow.contacts,flow.contacts.ci95_low,flow.contacts.ci95_high,'"
    expect "timeseries.csv has 12 months ending 2023-03-31" \
        bash -c "[ \$(tail -n +2 '$b1/timeseries.csv' | wc -l) -eq 12 ] && tail -n 1 '$b1/timeseries.csv' | grep -q '^2023-03-31,'"
    expect "annual.csv has the financial year 2022/23" grep -q '^2022/23,2023-03-31,' "$b1/annual.csv"
    # The year's contacts in annual.csv are the sum of the months in timeseries.csv.
    expect "annual contacts = sum of monthly contacts" bash -c "
        a=\$(awk -F, 'NR == 2 { print \$3 }' '$b1/annual.csv')
        s=\$(awk -F, 'NR > 1 { s += \$2 } END { printf \"%.4f\", s }' '$b1/timeseries.csv')
        awk -v a=\"\$a\" -v s=\"\$s\" 'BEGIN { d = a - s; if (d < 0) d = -d; exit !(d < 1e-6 * a) }'"
    "$BIN" run "$BRIDGEND" --out "$TMP/bridgend-ev" --replications 2 --events >/dev/null 2>&1
    expect "--events writes events.csv" \
        bash -c "head -n 1 '$TMP/bridgend-ev/events.csv' | grep -q '^replication,day,date,child,event,from,to$'"
    expect "events.csv records contacts and exits" \
        bash -c "grep -q ',contact,' '$TMP/bridgend-ev/events.csv' && grep -q ',exit,' '$TMP/bridgend-ev/events.csv'"
    expect "no events.csv without --events" test ! -e "$b1/events.csv"
    # Downstream flows come only from routing: 10% more contacts, nothing else
    # changed, gives more assessments, S47s and registrations.
    sed 's/^  per_year = 6800.0;/  per_year = 7480.0;/' "$BRIDGEND" >"$TMP/bridgend-more.cfg"
    sed -i 's|calendar = "calendars/|calendar = "'"$ROOT"'/scenarios/calendars/|' "$TMP/bridgend-more.cfg"
    expect "the +10% variant differs only in per_year" \
        test "$(diff "$BRIDGEND" "$TMP/bridgend-more.cfg" | grep -c '^>')" -eq 2
    "$BIN" run "$TMP/bridgend-more.cfg" --out "$TMP/bridgend-more" >/dev/null 2>&1
    more_than() { # metric: the +10% run's mean is above the baseline's CI
        local base more
        base=$(awk -F, -v m="$1" '$1 == m { print $4 }' "$b1/summary.csv")
        more=$(awk -F, -v m="$1" '$1 == m { print $2 }' "$TMP/bridgend-more/summary.csv")
        awk -v a="$base" -v b="$more" 'BEGIN { exit !(b > a) }'
    }
    for m in flow.contacts flow.assessments flow.strategy_meetings flow.s47_enquiries flow.cp_registrations; do
        expect "10% more contacts: more $m" more_than "$m"
    done
    # Disclosure control: no published count of children is between 0 and 5.
    "$BIN" run "$BRIDGEND" --out "$TMP/bridgend-sup" --replications 4 --suppress-below 5 >/dev/null 2>&1
    expect "--suppress-below 5 leaves no count of 1-4 children" \
        awk -F, 'NR > 1 && ($1 ~ /^(flow|stock|placements)\./ || $1 ~ /\.(entries|exits|end)$/) && \
                 $2 != "NA" && $2 > 0 && $2 < 5 { bad = 1 } END { exit bad }' "$TMP/bridgend-sup/summary.csv"
    expect "--suppress-below 5 suppresses something here" grep -q ',NA,NA,NA,NA,4$' "$TMP/bridgend-sup/summary.csv"
    "$BIN" run "$ROOT/scenarios/validation/mmc.cfg" --suppress-below 5 --out "$TMP/never2" >/dev/null 2>&1
    expect "--suppress-below on a network: exit 1" test $? -eq 1
    "$BIN" check "$BRIDGEND" >"$TMP/bridgend-check.log" 2>&1
    expect "check describes the pathway" grep -q 'pathway scenario' "$TMP/bridgend-check.log"
fi

# ---- interruption --------------------------------------------------------
# SIGINT during a long run: exit 130, no outputs, no temporary files.
int_dir="$TMP/interrupted"
"$BIN" run "$E2E/long.cfg" --out "$int_dir" --jobs 2 >"$TMP/int.log" 2>&1 &
pid=$!
sleep 1
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
expect "SIGINT: exit 130" test "$rc" -eq 130
expect "SIGINT: no outputs" test ! -e "$int_dir/summary.csv"
expect "SIGINT: no temporary files" test -z "$(find "$TMP" -name '.*.tmp-*' -print 2>/dev/null)"

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
