#!/usr/bin/env bash
# The whole test suite: installs native deps if missing, builds in release mode, runs every unit
# test, then end-to-end checks of the seqgen binary (scripts/cli-smoke.sh).
# Tests on real data read ../shared/data and skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
swift build -c release
swift test -c release
bash scripts/cli-smoke.sh
