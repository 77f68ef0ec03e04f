#!/usr/bin/env bash
# End-to-end tests of the MPI build (`make MPI=1`): replications spread over
# ranks of `mpirun` on this machine must give outputs byte-identical to one
# process, errors must be reported once and the same, and no rank may hang.
#
#   make check-mpi        (builds both binaries, then runs this twice:)
#   bash tests/e2e/mpi.sh --unit build/mpi/tests/test_rep     the rep tests on 1-3 ranks
#   CASEFLOW_BIN=build/mpi/caseflow CASEFLOW_PLAIN_BIN=build/release/caseflow \
#       bash tests/e2e/mpi.sh                                  the commands on 2-3 ranks
#
# MPIRUN overrides the launcher (for example MPIRUN="srun --mpi=pmix" inside
# a Slurm allocation; then MPIRUN_NP_FLAG="-n"). Every mpirun is bounded by
# MPI_TIMEOUT seconds so a hang fails the test instead of the CI job.
set -u

. "$(dirname "$0")/lib.sh"
MPI_TIMEOUT=${MPI_TIMEOUT:-300}
finish() {
    echo "mpi: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# ---- the launcher ------------------------------------------------------------
# Containers and CI machines: root needs Open MPI's explicit consent, two
# cores may host three ranks, and shared memory without ptrace rights needs
# the copy-in/copy-out path. Harmless on a workstation.
if [ -n "${MPIRUN:-}" ]; then
    read -r -a LAUNCH <<<"$MPIRUN"
    NP=${MPIRUN_NP_FLAG:--n}
else
    if ! command -v mpirun >/dev/null 2>&1; then
        echo "FAIL mpirun not found: install openmpi-bin and libopenmpi-dev (bash scripts/install-deps.sh --mpi)"
        exit 1
    fi
    LAUNCH=(mpirun --oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
    if [ "$(id -u)" -eq 0 ]; then
        LAUNCH+=(--allow-run-as-root)
        export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    fi
    NP=-np
fi

# on N CMD...: CMD on N ranks, bounded in time; exit 124 on a hang.
on() {
    local n=$1
    shift
    timeout "$MPI_TIMEOUT" "${LAUNCH[@]}" "$NP" "$n" "$@"
}

# ---- unit tests on ranks ---------------------------------------------------------
if [ "${1:-}" = "--unit" ]; then
    for n in 1 2 3; do
        on "$n" "$2" >"$TMP/unit.log" 2>&1
        rc=$?
        if [ "$rc" -eq 0 ]; then ok "$(basename "$2") on $n ranks"; else
            bad "$(basename "$2") on $n ranks (exit $rc)"
            tail -n 30 "$TMP/unit.log"
        fi
    done
    finish
fi

BIN=${CASEFLOW_BIN:-$ROOT/build/mpi/caseflow}
PLAIN=${CASEFLOW_PLAIN_BIN:-$ROOT/build/release/caseflow}
for b in "$BIN" "$PLAIN"; do
    [ -x "$b" ] || {
        echo "FAIL $b is missing: make MPI=1 && make"
        exit 1
    }
done

# same_files A B: every file under A (but run.txt, which records the time) is in B, byte for byte.
same_files() {
    local a=$1 b=$2 n=0 f
    while IFS= read -r f; do
        cmp -s "$a/$f" "$b/$f" || {
            echo "     differs: $f"
            return 1
        }
        n=$((n + 1))
    done < <(cd "$a" && find . -type f ! -name run.txt | sort)
    [ "$n" -gt 0 ] && [ "$(cd "$a" && find . -type f | sort)" = "$(cd "$b" && find . -type f | sort)" ]
}

# same_as_one NAME N ARGS...: `caseflow ARGS --out DIR` on N ranks and in one
# plain process (two threads) write the same bytes.
same_as_one() {
    local name=$1 n=$2
    shift 2
    local one="$TMP/$name-one" many="$TMP/$name-$n"
    "$PLAIN" "$@" --out "$one" --jobs 2 >"$TMP/$name-one.log" 2>&1
    local rc1=$?
    on "$n" "$BIN" "$@" --out "$many" --jobs 1 >"$TMP/$name-$n.log" 2>&1
    local rc2=$?
    if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ]; then
        bad "$name on $n ranks: exit $rc2, one process $rc1"
        tail -n 20 "$TMP/$name-$n.log"
        return
    fi
    expect "$name on $n ranks: outputs byte-identical to one process" same_files "$one" "$many"
    expect "$name on $n ranks: printed once, as one process does" \
        diff <(sed "s|$one|DIR|g" "$TMP/$name-one.log") <(sed "s|$many|DIR|g" "$TMP/$name-$n.log")
}

# ---- run and compare: identical bytes -------------------------------------------
same_as_one bridgend 2 run "$ROOT/scenarios/bridgend-2022.cfg"
expect "run.txt records the ranks" grep -q '^mpi_ranks: 2$' "$TMP/bridgend-2/run.txt"
expect "only rank 0 wrote: no temporary files left" \
    bash -c "! find '$TMP/bridgend-2' -name '*.tmp-*' | grep -q ."
# 7 replications on 3 ranks: blocks of 3, 2 and 2.
same_as_one mmc 3 run "$ROOT/scenarios/validation/mmc.cfg" --replications 7
same_as_one jackson 2 run "$ROOT/scenarios/validation/jackson-feedback.cfg" --replications 9
# More ranks than replications: rank 2 has none.
same_as_one one-rep 3 run "$ROOT/scenarios/validation/mm1.cfg" --replications 2
same_as_one compare 2 compare "$ROOT/scenarios/bridgend-2023-2026.cfg" \
    "$ROOT/scenarios/options/integrated-front-door.cfg" --replications 6

# ---- sweep: points x replications over ranks ----------------------------------------
same_as_one sweep-oat 2 sweep "$ROOT/scenarios/validation/mm1.cfg" \
    --vary 'arrivals.[0].rate_per_day=0.5:0.85' --vary 'nodes.Q.service.mean=0.8:1.1' \
    --design oat --points 3 --replications 5
same_as_one sweep-lhs 3 sweep "$ROOT/scenarios/bridgend-2022.cfg" \
    --vary 'contacts.per_year=8000:10000' --design lhs --points 3 --replications 4

# ---- the progress bar: rank 0's share, said to be ----------------------------------
# mpirun gives the ranks a pipe for stderr, so the bar shows only when forced.
# 3 points x 250 replications of one year: about 2 s on two idle ranks, past
# the bar's one-second delay (run.txt's elapsed_seconds says whether it was);
# the last count always draws.
CASEFLOW_PROGRESS=1 on 2 "$BIN" sweep "$ROOT/scenarios/bridgend-2022.cfg" \
    --vary contacts.per_year=8000:9000 --points 2 --replications 250 --jobs 1 \
    --metric flow.contacts --out "$TMP/progress" >"$TMP/progress.log" 2>&1
expect "a sweep with the bar forced on 2 ranks exits 0" test $? -eq 0
took=$(awk '/^elapsed_seconds:/ { print $2 }' "$TMP/progress/run.txt" 2>/dev/null)
if awk -v t="${took:-0}" 'BEGIN { exit !(t > 1.5) }'; then
    expect "the bar counts rank 0's share of every point and names the whole (${took}s)" \
        grep -q "375/375 replications of rank 0's share (750 on 2 ranks)" "$TMP/progress.log"
    expect "the bar never counts past rank 0's share" \
        bash -c "! tr '\r' '\n' <'$TMP/progress.log' | grep -E '^\[.*\] [0-9]+/' | awk -F'[]/ ]+' '\$2 > 375 || \$3 != 375 { bad = 1 } END { exit !bad }'"
else
    echo "     (the sweep took ${took:-?}s, too short for the bar's one-second delay: bar checks skipped)"
fi

# ---- errors: once, the same, no hang -----------------------------------------------
"$PLAIN" run "$ROOT/scenarios/invalid/negative-rate.cfg" --out "$TMP/bad1" >"$TMP/bad1.log" 2>&1
rc1=$?
on 2 "$BIN" run "$ROOT/scenarios/invalid/negative-rate.cfg" --out "$TMP/bad2" >"$TMP/bad2.log" 2>&1
rc2=$?
expect "a bad scenario fails on 2 ranks (exit $rc2)" test "$rc2" -ne 0 -a "$rc2" -ne 124
expect "one process fails the same way (exit $rc1)" test "$rc1" -eq 1
expect "the error is printed once, as by one process" \
    test "$(grep -c '^caseflow: ' "$TMP/bad2.log")" -eq 1 -a \
    "$(grep '^caseflow: ' "$TMP/bad2.log")" = "$(cat "$TMP/bad1.log")"
expect "nothing was written" test ! -e "$TMP/bad2"

# A file only rank 0 can see: the other rank fails alone and must not hang rank 0.
mkdir -p "$TMP/rank0"
cp "$ROOT/scenarios/validation/mm1.cfg" "$TMP/rank0/only-here.cfg"
cat >"$TMP/rank-local.sh" <<EOF
#!/usr/bin/env bash
# Rank 1 looks for the scenario where it is not.
rank=\${OMPI_COMM_WORLD_RANK:-\${PMIX_RANK:-\${SLURM_PROCID:-0}}}
if [ "\$rank" -eq 0 ]; then f="$TMP/rank0/only-here.cfg"; else f="$TMP/rank1/only-here.cfg"; fi
exec "$BIN" run "\$f" --out "$TMP/local-out" --jobs 1
EOF
chmod +x "$TMP/rank-local.sh"
on 2 "$TMP/rank-local.sh" >"$TMP/local.log" 2>&1
rc=$?
expect "a file missing on one rank: all ranks stop with an error, no hang (exit $rc)" \
    test "$rc" -ne 0 -a "$rc" -ne 124
expect "rank 0 prints the other rank's error" grep -q 'rank1/only-here.cfg' "$TMP/local.log"
expect "no outputs from a half-failed job" test ! -e "$TMP/local-out"

on 2 "$BIN" run "$ROOT/scenarios/bridgend-2022.cfg" --events --replications 2 \
    --out "$TMP/events" >"$TMP/events.log" 2>&1
rc=$?
expect "--events on 2 ranks is refused (exit $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
expect "--events: the message says to run in one process" \
    grep -q 'not available across 2 MPI ranks; run the scenario in one process' "$TMP/events.log"
expect "--events: the message is printed once" test "$(grep -c 'MPI ranks' "$TMP/events.log")" -eq 1

# ---- other commands run once --------------------------------------------------------
on 2 "$BIN" check "$ROOT/scenarios/validation/mm1.cfg" >"$TMP/check.log" 2>&1
rc=$?
expect "check on 2 ranks exits 0" test "$rc" -eq 0
expect "check prints once" test "$(grep -c '^resolved scenario' "$TMP/check.log")" -eq 1
on 2 "$BIN" --version >"$TMP/version.log" 2>&1
expect "--version prints once" test "$(grep -c '^caseflow ' "$TMP/version.log")" -eq 1
"$BIN" run "$ROOT/scenarios/validation/mm1.cfg" --replications 2 --out "$TMP/alone" --jobs 1 \
    >"$TMP/alone.log" 2>&1
expect "the MPI binary works without mpirun too" same_files "$TMP/one-rep-one" "$TMP/alone"

finish
