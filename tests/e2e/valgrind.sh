#!/usr/bin/env bash
# The commands a user runs, under valgrind: no invalid reads or writes, no
# uninitialised values, no definite leaks (libconfig's own are suppressed as
# in tests/lsan.supp). Complements the ASan/UBSan build: valgrind checks the
# release binary itself, optimised as users run it.
#
#   CASEFLOW_BIN=./caseflow bash tests/e2e/valgrind.sh
set -u
. "$(dirname "$0")/lib.sh"
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)

# vg NAME EXPECTED_EXIT ARGS...: valgrind's own failure is exit 99.
vg() {
    local name=$1 want=$2
    shift 2
    "${VG[@]}" "$BIN" "$@" >"$TMP/out.log" 2>"$TMP/err.log"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then
        passed=$((passed + 1))
        echo "ok   valgrind: $name"
    else
        failed=$((failed + 1))
        echo "FAIL valgrind: $name (exit $rc, expected $want)"
        head -n 40 "$TMP/err.log"
    fi
}

if ! command -v valgrind >/dev/null; then
    echo "valgrind not installed: scripts/install-deps.sh installs it" >&2
    exit 1
fi
S="$ROOT/scenarios"
vg "run the Bridgend baseline" 0 run "$S/bridgend-2022.cfg" --replications 2 --jobs 2 --out "$TMP/b" --events
vg "run a validation network" 0 run "$S/validation/mmc.cfg" --replications 2 --out "$TMP/m"
vg "check a pathway" 0 check "$S/bridgend-2023-2026.cfg"
vg "check a variant" 0 check "$S/options/space-panel.cfg"
vg "compare two options" 0 compare "$S/bridgend-2023-2026.cfg" "$S/options/integrated-front-door.cfg" \
    "$S/options/workforce-sustainability.cfg" --replications 2 --out "$TMP/c"
# One year of Bridgend (the shorter horizon), two settings at two values each:
# five points of two replications, and the Welsh tornado charts' script.
vg "a one-at-a-time sweep" 0 sweep "$S/bridgend-2022.cfg" --vary placements.types.in_house_foster.places=80:120 \
    --vary contacts.per_year=7600:9000 --points 2 --replications 2 --jobs 2 --lang cy --out "$TMP/s"
vg "a scenario with an error" 1 run "$S/invalid/route-sum.cfg" --out "$TMP/bad"
vg "a usage error" 2 run --jobs 0
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
