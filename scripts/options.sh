#!/usr/bin/env bash
# Compares every operating-model option in scenarios/options/ with the
# baseline projection (common random numbers) and writes the results into
# scenarios/README.md between the markers
#   <!-- results:NAME -->  ...  <!-- /results:NAME -->
# so the figures there are produced, never typed. Run by `make options`.
#
#   scripts/options.sh [CASEFLOW_BIN] [OUT_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/caseflow}
OUT=${2:-$ROOT/output/options}
README="$ROOT/scenarios/README.md"
BASE="$ROOT/scenarios/bridgend-2023-2026.cfg"

"$BIN" compare "$BASE" "$ROOT"/scenarios/options/*.cfg --out "$OUT" >/dev/null

# The measures shown for every option, with plain labels.
MEASURES="flow.contacts|contacts (3 years)
flow.screenings|front-door screenings (workload)
flow.handoffs|families passed between front doors
kpi.stories_told.mean|front doors told per episode
flow.closed_by_both_doors|turned away by both front doors
kpi.days_contact_to_service.mean|days from contact to a service
flow.early_help_starts|early help starts
flow.assessments|assessments completed
flow.s47_enquiries|S47 enquiries completed
stock.cp_register.end|on the CP register, 31.03.26
flow.care_entries|care entries
stock.looked_after.end|looked after, 31.03.26
kpi.unallocated_cases.mean|unallocated cases (mean)
workforce.agency_share.mean|agency share of the workforce
cost.total|cost, pounds (3 years)"

table() { # variant
    local v=$1
    echo "| measure | baseline | option | difference (95% CI) | distinguishable |"
    echo "|---|---|---|---|---|"
    while IFS='|' read -r metric label; do
        awk -F, -v m="$metric" -v v="$v" -v label="$label" '
            function fmt(x) {
                if (x == "NA") return "NA";
                if (x + 0 < 1e-9 && x + 0 > -1e-9) return "0";
                if (x + 0 == int(x + 0) && (x > 100 || x < -100)) return sprintf("%.0f", x);
                if (x > 1000 || x < -1000) return sprintf("%.0f", x);
                return sprintf("%.3g", x);
            }
            $1 == m && $2 == v {
                d = ($5 == "NA") ? "NA" : fmt($5) " (" fmt($6) " to " fmt($7) ")";
                printf "| %s | %s | %s | %s | %s |\n", label, fmt($3), fmt($4), d, ($9 == 1 ? "yes" : "no");
            }' "$OUT/compare.csv"
    done <<<"$MEASURES"
    reps=$(awk -F': ' '$1 == "replications" { print $2 }' "$OUT/$v/run.txt" 2>/dev/null || true)
    echo
    echo "_$v vs bridgend-2023-2026: ${reps:-?} paired replications, common random numbers; produced by \`make options\`._"
}

tmp=$(mktemp)
cp "$README" "$tmp"
for f in "$ROOT"/scenarios/options/*.cfg; do
    v=$(basename "$f" .cfg)
    grep -q "<!-- results:$v -->" "$tmp" || { echo "options.sh: no results marker for $v in $README" >&2; exit 1; }
    block=$(mktemp)
    table "$v" >"$block"
    awk -v start="<!-- results:$v -->" -v stop="<!-- /results:$v -->" -v file="$block" '
        $0 == start { print; while ((getline line < file) > 0) print line; skip = 1; next }
        $0 == stop { skip = 0 }
        !skip' "$tmp" >"$tmp.new"
    mv "$tmp.new" "$tmp"
    rm -f "$block"
done
mv "$tmp" "$README"
echo "options.sh: results written into $README"
