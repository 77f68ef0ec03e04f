# Shared by the end-to-end scripts (source it; it is not run on its own):
# the repository root, a scratch folder removed on exit, the binary under
# test as an absolute path (the scripts cd into scratch folders), and the
# pass/fail counters every script reports with its own last line.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

BIN=${CASEFLOW_BIN:-./caseflow}
case "$BIN" in /*) ;; *) BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" ;; esac

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
# expect NAME COMMAND...: one check, passed when COMMAND succeeds.
expect() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
