#!/usr/bin/env bash
# End-to-end tests of scenario variants and `caseflow compare`: the Bridgend
# 2023-2026 projection against a variant, written in a temporary folder,
# that names it as its base and raises contacts by 10%.
#
#   CASEFLOW_BIN=./caseflow bash tests/e2e/compare.sh
#
# Every check prints "ok" or "FAIL"; the script ends with "N passed, M failed"
# and exits non-zero when anything failed.
set -u

. "$(dirname "$0")/lib.sh"

BASE="$ROOT/scenarios/bridgend-2023-2026.cfg"
BASE_NAME=bridgend-2023-2026
VAR="$TMP/variants/more-contacts.cfg"
mkdir -p "$TMP/variants"
per_year=$(sed -n 's/^ *per_year = \([0-9.]*\);.*/\1/p' "$BASE" | head -n 1)
more=$(awk -v p="$per_year" 'BEGIN { printf "%.1f", p * 1.1 }')
cat >"$VAR" <<EOF
# 10% more contacts than the Bridgend projection ($per_year a year).
base = "$BASE";
name = "more-contacts";
overrides = ( { path = "contacts.per_year"; value = $more; } );
EOF

# ---- check on a variant --------------------------------------------------
"$BIN" check "$VAR" >"$TMP/check.log" 2>&1
expect "check on the variant exits 0" test $? -eq 0
expect "check says what the variant changed" grep -q '^changed by the variant:' "$TMP/check.log"
expect "check lists contacts.per_year old -> new" \
    grep -Eq "^  contacts\.per_year: [0-9.]+ -> $(awk -v m="$more" 'BEGIN { printf "%.10g", m }') .*more-contacts\.cfg:4\)" "$TMP/check.log"
expect "check names the base" grep -qF "variant of $BASE" "$TMP/check.log"
expect "the resolved scenario has no base" bash -c "! sed -n '/^resolved scenario:/,\$p' '$TMP/check.log' | grep -q '^base'"
"$BIN" check "$ROOT/scenarios/examples/bridgend-more-early-help.cfg" >"$TMP/example.log" 2>&1
expect "the bundled example variant checks" test $? -eq 0
expect "the example's changes are listed" grep -q 'stages.front_door.outcomes.\[1\].p: 0.125 -> 0.175' "$TMP/example.log"

# ---- compare --------------------------------------------------------------
OUT="$TMP/cmp"
start=$(date +%s.%N)
"$BIN" compare "$BASE" "$VAR" --out "$OUT" --jobs 1 >"$TMP/compare.log" 2>&1
rc=$?
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
expect "compare exits 0" test "$rc" -eq 0
echo "     (compare of two three-year Bridgend scenarios, 20 replications, 1 thread: ${elapsed}s)"
expect "compare takes under 60 s" awk -v t="$elapsed" 'BEGIN { exit !(t < 60) }'
for d in "$BASE_NAME" more-contacts; do
    for f in summary.csv timeseries.csv annual.csv scenario.cfg run.txt; do
        expect "compare writes $d/$f" test -s "$OUT/$d/$f"
    done
done
expect "compare.csv header" test "$(head -n 1 "$OUT/compare.csv")" = \
    "metric,variant,baseline_mean,variant_mean,diff_mean,diff_ci95_low,diff_ci95_high,rel_change,distinguishable"
expect "compare.csv rows have 9 fields" awk -F, 'NF != 9 { exit 1 }' "$OUT/compare.csv"
expect "flow.contacts: more, distinguishable" \
    awk -F, '$1 == "flow.contacts" && $2 == "more-contacts" { found = 1; if (!($5 > 0 && $9 == 1)) exit 1 }
             END { exit !found }' "$OUT/compare.csv"
expect "flow.contacts: about 10% more" \
    awk -F, '$1 == "flow.contacts" { exit !($8 > 0.05 && $8 < 0.15) }' "$OUT/compare.csv"
expect "the paired CI brackets the difference" \
    awk -F, 'NR > 1 && $5 != "NA" && $6 != "NA" && ($6 > $5 || $5 > $7) { exit 1 }' "$OUT/compare.csv"
missing=$(tail -n +2 "$OUT/$BASE_NAME/summary.csv" | cut -d, -f1 | while read -r m; do
    grep -q "^$m,more-contacts," "$OUT/compare.csv" || echo "$m"
done)
expect "a row for every metric of the baseline summary" test -z "$missing"
expect "the baseline mean in compare.csv is summary.csv's" bash -c "
    a=\$(awk -F, '\$1 == \"flow.assessments\" { print \$2 }' '$OUT/$BASE_NAME/summary.csv')
    b=\$(awk -F, '\$1 == \"flow.assessments\" { print \$3 }' '$OUT/compare.csv')
    test \"\$a\" = \"\$b\""
expect "both ran on the baseline's seed" \
    test "$(grep '^seed:' "$OUT/$BASE_NAME/run.txt")" = "$(grep '^seed:' "$OUT/more-contacts/run.txt")"
expect "the variant's run record fingerprints its base" grep -qF "base_file: $BASE" "$OUT/more-contacts/run.txt"
expect "no temporary files are left" test -z "$(find "$OUT" -name '.*tmp*' -print)"

OUT2="$TMP/cmp2"
"$BIN" compare "$BASE" "$VAR" --out "$OUT2" --jobs 2 >/dev/null 2>&1
expect "--jobs 1 and --jobs 2 give byte-identical compare.csv" cmp -s "$OUT/compare.csv" "$OUT2/compare.csv"
expect "--jobs 1 and --jobs 2 give byte-identical variant summary.csv" \
    cmp -s "$OUT/more-contacts/summary.csv" "$OUT2/more-contacts/summary.csv"

# The variant's resolved scenario.cfg is standalone and reruns to the same results.
"$BIN" run "$OUT/more-contacts/scenario.cfg" --out "$TMP/rerun" >/dev/null 2>&1
expect "the variant's scenario.cfg reruns" test $? -eq 0
expect "... to the same summary.csv" cmp -s "$OUT/more-contacts/summary.csv" "$TMP/rerun/summary.csv"
expect "the resolved scenario has no base" bash -c "! grep -Eq '^(base|overrides) ' '$OUT/more-contacts/scenario.cfg'"

# Default folder: output/compare-<baseline's name>/.
(cd "$TMP" && "$BIN" compare "$BASE" "$VAR" --replications 2 >/dev/null 2>&1)
expect "default --out is output/compare-<base>/" test -s "$TMP/output/compare-$BASE_NAME/compare.csv"
expect "--replications applies to all" \
    awk -F, 'NR > 1 && $6 != 2 { exit 1 }' "$TMP/output/compare-$BASE_NAME/more-contacts/summary.csv"

# ---- refusals: exit status, FILE:LINE, nothing written -----------------------
BADV="$TMP/variants/bad.cfg"
cat >"$BADV" <<EOF
base = "$BASE";
name = "bad";
overrides = ( { path = "contacts.per_yer"; value = 1.0; } );
EOF
"$BIN" compare "$BASE" "$BADV" --out "$TMP/never" >"$TMP/bad.log" 2>&1
expect "a bad variant: exit 1" test $? -eq 1
expect "a bad variant: FILE:LINE" grep -qF "$BADV:3: overrides[0]: 'contacts.per_yer'" "$TMP/bad.log"
expect "a bad variant: did you mean" grep -qF "did you mean 'per_year'" "$TMP/bad.log"
expect "a bad variant: no output folder" test ! -e "$TMP/never"
"$BIN" check "$BADV" >/dev/null 2>&1
expect "check on a bad variant: exit 1" test $? -eq 1
"$BIN" compare "$BASE" "$TMP/variants/none.cfg" --out "$TMP/never" >"$TMP/none.log" 2>&1
expect "a missing variant: exit 1, named" bash -c "test $? -eq 1 && grep -q 'none.cfg' '$TMP/none.log'"
expect "a missing variant: no output folder" test ! -e "$TMP/never"
"$BIN" compare "$BASE" --out "$TMP/never" >/dev/null 2>&1
expect "compare with one scenario: exit 2" test $? -eq 2
"$BIN" compare "$BASE" "$VAR" --events --out "$TMP/never" >/dev/null 2>&1
expect "compare --events: exit 2" test $? -eq 2
"$BIN" compare --help >"$TMP/help.log" 2>&1
expect "compare --help exits 0" test $? -eq 0
"$BIN" --help >"$TMP/help.log" 2>&1
expect "--help names compare" grep -q 'compare BASE VARIANT' "$TMP/help.log"
expect "nothing was written by the refusals" test ! -e "$TMP/never"

echo "compare e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
