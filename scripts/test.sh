#!/usr/bin/env bash
# The whole test suite: installs native deps if missing, builds in release mode, runs every unit
# test, end-to-end checks of the seqgen binary (scripts/cli-smoke.sh), the byte-identical model
# files (Tests/Fixtures/golden/golden.sh), and the walkthroughs'
# commands with fast settings (scripts/export-notebooks.sh, FAST=1, into a scratch folder), checking
# that every command still runs and writes the set of files (by name) committed in notebooks-export/.
# Tests on real data read ../shared/data and skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
swift build -c release
# OpenBLAS keeps one thread count for the process, and its sgemm's last bits depend on it; fits hold
# it at one while they run, so under tests running in parallel a computation repeated for a
# bit-for-bit comparison could see 2 threads once and 1 the next time. The unit tests pin it at one.
# (The CLI checks below run with OpenBLAS's own count.)
OPENBLAS_NUM_THREADS=1 swift test -c release
# Tests that fork run alone: OpenBLAS's atfork handler would stop its threads under other tests.
SEQGEN_FORK_TESTS=1 swift test -c release --filter "LBFGSMemoryTests|ParallelForkTests"
bash scripts/cli-smoke.sh
bash Tests/Fixtures/golden/golden.sh
bash scripts/workflow-check.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
FAST=1 bash scripts/export-notebooks.sh "$scratch/walkthroughs" >/dev/null
if [ -d ../shared/data ]; then
    expected=$(cd notebooks-export && ls | grep -v '^README.md$')
    produced=$(ls "$scratch/walkthroughs")
    if [ "$expected" != "$produced" ]; then
        echo "notebooks-export/ is stale: regenerate with 'bash scripts/export-notebooks.sh'"
        diff <(echo "$expected") <(echo "$produced") || true
        exit 1
    fi
fi
echo "walkthroughs: every command ran (FAST settings)"
# A few seconds of coverage-guided fuzzing per parser (the long runs: bash scripts/fuzz.sh 600).
bash scripts/fuzz.sh 3
