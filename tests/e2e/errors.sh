#!/usr/bin/env bash
# End-to-end tests of bad input, one or more per class of error: each checks
# the exit status, the MESSAGE (FILE:LINE, what is wrong, what was expected)
# and what is left on disk. The invalid network scenarios of
# scenarios/invalid/ are run by tests/e2e/run.sh; this file covers the rest:
# pathway scenarios, variants, limits set by command-line flags, signals,
# unwritable and full disks, stale comparison folders and bad CSV given to
# `caseflow report`.
#
#   CASEFLOW_BIN=$PWD/caseflow bash tests/e2e/errors.sh
#
# Every check prints "ok" or "FAIL"; the script ends with "N passed, M failed"
# and exits non-zero when anything failed.
set -u

. "$(dirname "$0")/lib.sh"
# has LOG TEXT: the log holds TEXT (fixed string); shows the log when not.
has() {
    grep -qF -- "$2" "$1" && return 0
    echo "     wanted: $2"
    echo "     got:    $(head -c 400 "$1")"
    return 1
}
# no_tmp DIR: no temporary file or folder left in or beside DIR.
no_tmp() { test -z "$(find "$(dirname "$1")" -name '.*tmp*' -print 2>/dev/null)"; }

BRIDGEND="$ROOT/scenarios/bridgend-2022.cfg"
# pathway NAME SED-SCRIPT: the Bridgend baseline with one edit, in $TMP/NAME.cfg
# (its calendar made absolute, so the copy finds it).
pathway() {
    sed -e "s|calendar = \"calendars/|calendar = \"$ROOT/scenarios/calendars/|" -e "$2" \
        "$BRIDGEND" >"$TMP/$1.cfg"
}
# fails NAME CFG WANT...: `run` exits 1 naming CFG:LINE, prints each WANT, writes nothing.
fails() {
    local name=$1 cfg=$2 out="$TMP/out-$1"
    shift 2
    "$BIN" run "$cfg" --out "$out" --replications 2 >"$TMP/$name.log" 2>&1
    expect "$name: exit 1" test $? -eq 1
    for want in "$@"; do expect "$name: says \"$want\"" has "$TMP/$name.log" "$want"; done
    expect "$name: writes nothing" test ! -e "$out"
}

# ---- unknown stage, rule to nowhere, probabilities, missing base -------------
pathway stage '74s/to = "assessment"/to = "asessment"/'
fails "unknown stage" "$TMP/stage.cfg" "stage.cfg:74: to 'asessment' is not a stage or an exit" \
    "expected one of: front_door, eh_front_door, early_help, assessment,"
pathway rule-to '219s/to = "assessment"/to = "nowhere"/'
fails "rule to nowhere" "$TMP/rule-to.cfg" "rule-to.cfg:219:" "'nowhere'" "expected one of"
pathway rule-from '219s/from = "front_door"/from = "nowhere"/'
fails "rule from nowhere" "$TMP/rule-from.cfg" "rule-from.cfg:219:" "'nowhere'" "expected one of"
pathway psum '72s/p = 0.370/p = 0.3/'
fails "outcome probabilities" "$TMP/psum.cfg" \
    "psum.cfg:72: outcome probabilities of stage 'front_door' sum to 0.93; expected 1 (within 1e-6)"
fails "route probabilities (network)" "$ROOT/scenarios/invalid/route-sum.cfg" \
    "route-sum.cfg:7: route probabilities of node 'A' sum to 0.9; expected 1 (within 1e-6)"
printf 'base = "no-such-base.cfg";\nname = "orphan";\n' >"$TMP/orphan.cfg"
fails "missing base" "$TMP/orphan.cfg" \
    "orphan.cfg:1: base \"no-such-base.cfg\": $TMP/no-such-base.cfg: cannot read scenario file"

# ---- capacity that cannot serve demand, and an unstable run stopped ---------
# Demand exactly at capacity (rho = 1): warned, never refused by the estimate,
# but the queue of a null-recurrent M/D/1 passes 50 long before 100,000 days.
cat >"$TMP/unstable.cfg" <<'EOF'
name = "unstable";
horizon_days = 100000.0;
replications = 4;
limits = { max_live_entities = 50; };
arrivals = ( { to = "A"; rate_per_day = 1.0; } );
nodes = ( { name = "A"; servers = 1;
            service = { dist = "deterministic"; mean = 1.0; }; } );
EOF
fails "unstable run" "$TMP/unstable.cfg" \
    "unstable.cfg:6: warning: node 'A' cannot serve its demand: 1 arrivals/day need 1 busy servers on average but it has 1; its queue grows without bound" \
    "more than 50 entities in the system at day" "raise limits.max_live_entities or add capacity"
# Below the limit the same warning is printed and the run completes.
sed 's/max_live_entities = 50;/max_live_entities = 2000000;/; s/100000.0/200.0/' \
    "$TMP/unstable.cfg" >"$TMP/warned.cfg"
"$BIN" run "$TMP/warned.cfg" --out "$TMP/warned" >"$TMP/warned.log" 2>&1
expect "capacity warning: the run completes" test $? -eq 0
expect "capacity warning: names FILE:LINE and the node" \
    has "$TMP/warned.log" "warned.cfg:6: warning: node 'A' cannot serve its demand"
expect "capacity warning: run.txt keeps it" \
    has "$TMP/warned/run.txt" "warning: $TMP/warned.cfg:6: warning: node 'A' cannot serve its demand"
expect "capacity warning: summary.csv says offered_load >= 1" \
    awk -F, '$1 == "node.A.offered_load" && $2 >= 1 { found = 1 } END { exit !found }' \
    "$TMP/warned/summary.csv"
"$BIN" check "$TMP/warned.cfg" >"$TMP/warned-check.log" 2>&1
expect "capacity warning: check prints it too" \
    has "$TMP/warned-check.log" "warning: node 'A' cannot serve its demand"

# ---- a pathway stage that cannot serve its demand, judged after the run -------
# tests/e2e/overloaded.cfg: 10 contacts a day for 3 days' service on 20
# places, lambda E[S] / c = 1.5 by hand.
OVER="$ROOT/tests/e2e/overloaded.cfg"
"$BIN" run "$OVER" --out "$TMP/over" >"$TMP/over.out" 2>"$TMP/over.err"
expect "stage capacity: the run completes" test $? -eq 0
expect "stage capacity: stderr names FILE:LINE, the stage and its load" \
    has "$TMP/over.err" "overloaded.cfg:18: warning: stage 'support' cannot serve its demand: it needs 1."
expect "stage capacity: stderr gives its places and says the queue grows" \
    has "$TMP/over.err" "times its 20 places (offered load, 95% CI); the number there grows through the run"
expect "stage capacity: run.txt keeps it" \
    has "$TMP/over/run.txt" "warning: $OVER:18: warning: stage 'support' cannot serve its demand"
"$BIN" run "$OVER" --out "$TMP/over-sdc" --suppress-below 1000 >/dev/null 2>"$TMP/over-sdc.err"
expect "stage capacity: --suppress-below hides a growth of fewer children" \
    has "$TMP/over-sdc.err" "grows through the run (fewer than 1000 more at the end than on average)"
expect "stage capacity: stdout has only the result line" \
    test "$(grep -c warning "$TMP/over.out")" -eq 0
expect "stage capacity: stage.support.offered_load is 1.5 within 10%" \
    awk -F, '$1 == "stage.support.offered_load" && $2 > 1.35 && $2 < 1.65 { found = 1 } END { exit !found }' \
    "$TMP/over/summary.csv"
expect "stage capacity: unlimited places have offered_load NA" \
    grep -q '^stage\.screening\.offered_load,NA,NA,NA,NA,4$' "$TMP/over/summary.csv"
# In a comparison each run's warning is labelled with its run: a variant's
# stage is declared in its base's file.
printf 'base = "%s";\nname = "roomier";\noverrides = ( { path = "stages.support.servers"; value = 40; } );\n' \
    "$OVER" >"$TMP/roomier.cfg"
"$BIN" compare "$OVER" "$TMP/roomier.cfg" --out "$TMP/over-cmp" >/dev/null 2>"$TMP/over-cmp.err"
expect "stage capacity: compare completes" test $? -eq 0
expect "stage capacity: compare labels the overloaded run's warning" \
    has "$TMP/over-cmp.err" "overloaded: $OVER:18: warning: stage 'support' cannot serve its demand"
expect "stage capacity: compare warns only about the overloaded run" \
    test "$(grep -c "stage 'support'" "$TMP/over-cmp.err")" -eq 1
expect "stage capacity: the comparison's run.txt keeps it" \
    has "$TMP/over-cmp/overloaded/run.txt" "warning: $OVER:18: warning: stage 'support'"
expect "stage capacity: not in the roomier run's run.txt" \
    bash -c "! grep -q warning '$TMP/over-cmp/roomier/run.txt'"

# ---- absurd magnitudes, from the file and from the flags ---------------------
sed 's/^replications = 4;/replications = 200000;/' "$TMP/warned.cfg" >"$TMP/reps.cfg"
fails "replications over the limit (file)" "$TMP/reps.cfg" \
    "reps.cfg:3: replications must be from 1 to 100000 (got 200000)"
fails "horizon over the limit (file)" "$ROOT/scenarios/invalid/horizon-over-limit.cfg" \
    "horizon_days must be from 1e-09 to 5000 (got 10000)"
cat >"$TMP/limited.cfg" <<'EOF'
name = "limited";
horizon_days = 1000.0;
replications = 10;
limits = { max_replications = 50000; max_expected_arrivals = 1e7; };
arrivals = ( { to = "A"; rate_per_day = 0.5; } );
nodes = ( { name = "A"; servers = 0; session = { every_days = 0.01; capacity = 0; };
            service = { dist = "deterministic"; mean = 0.0; }; } );
EOF
# flagfails NAME CFG REPS WANT: --replications REPS refused with WANT, exit 1, nothing written.
flagfails() {
    "$BIN" run "$2" --replications "$3" --out "$TMP/never-$1" >"$TMP/$1.log" 2>&1
    expect "$1: exit 1" test $? -eq 1
    expect "$1: names the flag and the limit" has "$TMP/$1.log" "$4"
    expect "$1: writes nothing" test ! -e "$TMP/never-$1"
}
flagfails "--replications over limits.max_replications" "$TMP/limited.cfg" 60000 \
    "--replications 60000; expected 1 to 50000 (limits.max_replications)"
flagfails "--replications: arrivals over the limit" "$TMP/limited.cfg" 30000 \
    "--replications 30000: about 1.5e+07 arrivals over 30000 replications, over limits.max_expected_arrivals (1e+07)"
flagfails "--replications: sessions over the limit" "$TMP/limited.cfg" 200 \
    "--replications 200: node 'A': about 2e+07 sessions over 200 replications of 1000 days, over limits.max_expected_arrivals (1e+07)"
pathway limited-pathway 's/^replications = 20;/replications = 20;\nlimits = { max_expected_arrivals = 1e6; };/'
flagfails "--replications: contacts over the limit (pathway)" "$TMP/limited-pathway.cfg" 200 \
    "--replications 200: about 1.36e+06 contacts over 200 replications, over limits.max_expected_arrivals (1e+06)"
cp "$TMP/limited.cfg" "$TMP/limited-too.cfg"
"$BIN" compare "$TMP/limited.cfg" "$TMP/limited-too.cfg" --replications 60000 --out "$TMP/never-cmp" \
    >"$TMP/cmp-limit.log" 2>&1
expect "compare --replications over the limit: exit 1" test $? -eq 1
expect "compare --replications over the limit: names flag and limit" \
    has "$TMP/cmp-limit.log" "--replications 60000; expected 1 to 50000 (limits.max_replications)"

# ---- signals: the previous complete result or nothing, never *.tmp -----------
LONG="$ROOT/tests/e2e/long.cfg"
prev="$TMP/prev"
"$BIN" run "$LONG" --out "$prev" --replications 1 >/dev/null 2>&1
cp "$prev/summary.csv" "$TMP/prev-summary.csv"
for sig in INT TERM; do
    "$BIN" run "$LONG" --out "$prev" --seed 99 --jobs 2 >"$TMP/sig.log" 2>&1 &
    pid=$!
    sleep 1
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    expect "SIG$sig: exit 130" test "$rc" -eq 130
    expect "SIG$sig: the previous complete summary.csv is untouched" \
        cmp -s "$prev/summary.csv" "$TMP/prev-summary.csv"
    expect "SIG$sig: no temporary files" test -z "$(find "$TMP" -name '*.tmp*' -print)"
done
fresh="$TMP/fresh/run"
"$BIN" run "$LONG" --out "$fresh" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid" 2>/dev/null
wait "$pid"
expect "SIGTERM on a first run: no output folder contents" \
    test -z "$(find "$TMP/fresh" -type f -print 2>/dev/null)"

# ---- unwritable output folder and full disk ----------------------------------
MMC="$ROOT/scenarios/validation/mmc.cfg"
touch "$TMP/a-file"
"$BIN" run "$MMC" --replications 2 --out "$TMP/a-file/sub" >"$TMP/infile.log" 2>&1
expect "--out under a file: exit 1" test $? -eq 1
expect "--out under a file: names the path" \
    has "$TMP/infile.log" "$TMP/a-file: cannot create output folder: a file is in the way"
# as_limited_mount MODE CMD...: CMD with $TMP/mnt a read-only or 16 KiB file
# system (a private mount as root), or a read-only folder / a 16 KiB file size
# limit otherwise. Prints the message the kernel gives, for the checks.
can_mount=0
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then can_mount=1; fi
mkdir -p "$TMP/mnt"
as_limited_mount() {
    local mode=$1
    shift
    if [ $can_mount = 1 ]; then
        local opts=ro
        [ "$mode" = full ] && opts=size=16k
        unshare -m bash -c 'mount -t tmpfs -o "$0" tmpfs "$1" && shift && "$@"' \
            "$opts" "$TMP/mnt" "$@"
    elif [ "$mode" = ro ]; then
        chmod 555 "$TMP/mnt"
        "$@"
        chmod 755 "$TMP/mnt"
    else
        (trap '' XFSZ && ulimit -f 16 && "$@")
    fi
}
if [ $can_mount = 1 ]; then why_ro="Read-only file system"; else why_ro="Permission denied"; fi
if [ $can_mount = 1 ]; then why_full="No space left on device"; else why_full="File too large"; fi
as_limited_mount ro "$BIN" run "$MMC" --replications 2 --out "$TMP/mnt/out" >"$TMP/ro.log" 2>&1
expect "unwritable folder: exit 1" test $? -eq 1
expect "unwritable folder: names the path and why" \
    has "$TMP/ro.log" "$TMP/mnt/out: cannot create output folder: $why_ro"
as_limited_mount full "$BIN" run "$BRIDGEND" --replications 2 --out "$TMP/mnt/out" >"$TMP/full.log" 2>&1
expect "full disk: exit 1" test $? -eq 1
expect "full disk: names the file and why" \
    grep -Eq "$TMP/mnt/out/[a-z]+\.(csv|cfg|txt): cannot write output file: $why_full" "$TMP/full.log"
as_limited_mount full bash -c '"$0" run "$1" --replications 2 --out "$2" >/dev/null 2>&1;
    find "$2" -type f | sort' "$BIN" "$BRIDGEND" "$TMP/mnt/out" >"$TMP/full-files.log"
expect "full disk: no output file and no temporary file is left" test ! -s "$TMP/full-files.log"

# ---- compare --out reuses no stale folder ------------------------------------
BASE3="$ROOT/scenarios/bridgend-2023-2026.cfg"
cmp="$TMP/cmp"
"$BIN" compare "$BASE3" "$ROOT/scenarios/options/space-panel.cfg" \
    "$ROOT/scenarios/options/demand-shock.cfg" --out "$cmp" --replications 2 >/dev/null 2>&1
expect "compare: first comparison written" test -s "$cmp/space-panel/summary.csv"
"$BIN" compare "$BASE3" "$ROOT/scenarios/examples/bridgend-more-early-help.cfg" \
    --out "$cmp/" --replications 2 >/dev/null 2>&1
expect "compare again into the folder: exit 0" test $? -eq 0
expect "compare again: only the new scenarios' folders" \
    test "$(cd "$cmp" && ls | tr '\n' ' ')" = "bridgend-2023-2026 bridgend-more-early-help compare.csv "
expect "compare again: no temporary folder left" no_tmp "$cmp"
if command -v gnuplot >/dev/null 2>&1; then
    "$BIN" report "$cmp" >"$TMP/cmp-report.log" 2>&1
    expect "report on the replaced comparison finds its baseline" test $? -eq 0
fi
mkdir -p "$TMP/mine"
echo "keep me" >"$TMP/mine/notes.txt"
"$BIN" compare "$BASE3" "$ROOT/scenarios/examples/bridgend-more-early-help.cfg" \
    --out "$TMP/mine" --replications 2 >"$TMP/mine.log" 2>&1
expect "compare into a folder it did not write: exit 1" test $? -eq 1
expect "compare into a folder it did not write: says why" \
    has "$TMP/mine.log" "$TMP/mine: folder exists and holds no compare.csv"
expect "compare into a folder it did not write: leaves it alone" \
    test "$(ls "$TMP/mine")" = "notes.txt"

# ---- bad CSV into `caseflow report` ------------------------------------------
run="$TMP/run"
"$BIN" run "$BRIDGEND" --replications 2 --out "$run" >/dev/null 2>&1
# report_fails NAME WANT: report on $TMP/bad exits 1 with WANT (FILE:LINE).
report_fails() {
    "$BIN" report "$TMP/bad" >"$TMP/$1.log" 2>&1
    expect "report, $1: exit 1" test $? -eq 1
    expect "report, $1: FILE:LINE and what was expected" has "$TMP/$1.log" "$2"
    expect "report, $1: no report.html" test ! -e "$TMP/bad/report.html"
}
fresh_copy() { rm -rf "$TMP/bad" && cp -r "$run" "$TMP/bad"; }
if command -v gnuplot >/dev/null 2>&1; then
    fresh_copy
    # cut in the middle of the fourth line, as a copy interrupted part-way
    keep=$(($(head -n 3 "$run/timeseries.csv" | wc -c) + 300))
    head -c "$keep" "$run/timeseries.csv" >"$TMP/bad/timeseries.csv"
    n=$(awk -F, 'NR == 1 { print NF }' "$run/timeseries.csv")
    got=$(awk -F, 'NR == 4 { print NF }' "$TMP/bad/timeseries.csv")
    report_fails "truncated timeseries.csv" \
        "$TMP/bad/timeseries.csv:4: $got fields; expected $n as in the header"
    fresh_copy
    head -c 2000 "$run/timeseries.csv" >"$TMP/bad/timeseries.csv"
    report_fails "timeseries.csv cut inside its header" \
        "$TMP/bad/timeseries.csv:1: column '"
    fresh_copy
    sed -i '1s/^date,/day,/' "$TMP/bad/timeseries.csv"
    report_fails "wrong header" "$TMP/bad/timeseries.csv:1: first column is 'day'; expected 'date'"
    fresh_copy
    sed -i '3s/^\([^,]*\),[^,]*,/\1,many,/' "$TMP/bad/timeseries.csv"
    report_fails "non-numeric cell" "$TMP/bad/timeseries.csv:3: column 'flow.contacts' is 'many'; expected a number or NA"
    fresh_copy
    sed -i '5s/,[^,]*,/,12x,/' "$TMP/bad/summary.csv"
    report_fails "non-numeric cell in summary.csv" \
        "$TMP/bad/summary.csv:5: column 'mean' is '12x'; expected a number or NA"
    fresh_copy
    : >"$TMP/bad/summary.csv"
    report_fails "empty summary.csv" "$TMP/bad/summary.csv:1: empty file; expected a header line"
fi

echo "errors e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
