#!/usr/bin/env bash
# seqgen vs PyTorch CPU on the same CNN, same machine, same thread count, one run:
# ms per training step (batch 100, L 200, 12 outputs) and forward sequences/s (what ISM costs).
#   bash Benchmarks/cnn.sh [ARCH] [THREADS]      (defaults: cnn-deep 1)
# Needs `pip install "torch==2.13.0+cpu"` for the baseline (skipped with a message otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
arch=${1:-cnn-deep}; threads=${2:-1}
swift build -c release --product seqgen >/dev/null
.build/release/seqgen bench cnn --architecture "$arch" --threads "$threads"
if python3 -c "import torch" 2>/dev/null; then python3 scripts/cnn_torch_baseline.py "$arch" "$threads"
else echo "skipping the PyTorch baseline: torch is not installed (pip install \"torch==2.13.0+cpu\")"; fi
