#!/usr/bin/env bash
# The main job on the bundled example: installs native deps if missing, builds seqgen, runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
swift build -c release --product seqgen
.build/release/seqgen --help
