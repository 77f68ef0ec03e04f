#!/usr/bin/env bash
# Installs the Debian packages caseflow needs, only those missing.
# Run as root (or with sudo available). Safe to run repeatedly.
#   build:   gcc make pkg-config libgsl-dev libconfig-dev
#   tests:   libcmocka-dev (unit tests), libxml2-utils (xmllint: the report tests
#            parse report.html and the SVG charts), valgrind (make valgrind)
#   charts:  gnuplot-nox, fonts-liberation (the charts name Liberation Sans)
# With --mpi, also what the optional MPI build needs (`make MPI=1`, `make
# check-mpi`): openmpi-bin (mpirun) and libopenmpi-dev (mpicc, mpi.h).
#   bash scripts/install-deps.sh [--mpi]
set -euo pipefail

packages=(gcc make pkg-config libgsl-dev libconfig-dev libcmocka-dev gnuplot-nox fonts-liberation libxml2-utils valgrind)
case "${1:-}" in
--mpi) packages+=(openmpi-bin libopenmpi-dev) ;;
"") ;;
*)
    echo "usage: install-deps.sh [--mpi]" >&2
    exit 2
    ;;
esac
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
