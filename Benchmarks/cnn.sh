#!/usr/bin/env bash
# seqgen vs PyTorch CPU on the same CNN, same machine, same thread count: ms per training step
# (batch 100, L 200, 12 outputs; forward + backward + Adam), forward sequences/s (batch 500) and
# in-silico mutagenesis mutants/s. The two run alternately REPEATS times (neighbours on a shared
# machine slow either side at random); the table gives each run and the median of the ratios.
#   bash Benchmarks/cnn.sh [ARCH] [THREADS] [REPEATS]      (defaults: cnn-deep-same 1 5; cnn-deep-same or cnn-4-25)
# Needs `pip install "torch==2.13.0+cpu"` for the baseline (skipped with a message otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
arch=${1:-cnn-deep-same}; threads=${2:-1}; repeats=${3:-5}
swift build -c release --product seqgen >/dev/null
if ! python3 -c "import torch" 2>/dev/null; then
    echo "skipping the PyTorch baseline: torch is not installed (pip install \"torch==2.13.0+cpu\")"
    .build/release/seqgen bench cnn --architecture "$arch" --threads "$threads"; exit 0
fi
echo "| run | seqgen step ms | torch step ms | step speed-up | seqgen fwd seq/s | torch fwd seq/s | fwd ratio | seqgen ISM mut/s | torch ISM mut/s | ISM ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
ratios=()
for r in $(seq 1 "$repeats"); do
    s=$(.build/release/seqgen bench cnn --architecture "$arch" --threads "$threads")
    t=$(python3 scripts/cnn_torch_baseline.py "$arch" "$threads")
    ss=$(grep -o 'training step (batch [0-9]*): [0-9.]*' <<<"$s" | awk '{print $NF}')
    sf=$(grep -o '^forward: [0-9]*' <<<"$s" | awk '{print $2}')
    si=$(grep -o '^ISM: [0-9]*' <<<"$s" | awk '{print $2}')
    ts=$(grep -o 'training step [0-9.]*' <<<"$t" | awk '{print $3}')
    tf=$(grep -o 'forward [0-9]*' <<<"$t" | awk '{print $2}')
    ti=$(grep -o 'ISM [0-9]*' <<<"$t" | awk '{print $2}')
    line=$(awk -v ss="$ss" -v ts="$ts" -v sf="$sf" -v tf="$tf" -v si="$si" -v ti="$ti" -v r="$r" \
        'BEGIN { printf "| %d | %.1f | %.1f | %.2f× | %d | %d | %.2f× | %d | %d | %.2f× |", r, ss, ts, ts/ss, sf, tf, sf/tf, si, ti, si/ti }')
    echo "$line"
    ratios+=("$(awk -v ss="$ss" -v ts="$ts" -v sf="$sf" -v tf="$tf" -v si="$si" -v ti="$ti" 'BEGIN { printf "%f %f %f", ts/ss, sf/tf, si/ti }')")
done
printf '%s\n' "${ratios[@]}" | python3 -c '
import sys, statistics as st
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
med = [st.median(c) for c in zip(*rows)]
print(f"median over {len(rows)} runs (seqgen throughput / torch throughput): training step {med[0]:.2f}×, forward {med[1]:.2f}×, ISM {med[2]:.2f}×")'
echo "($(.build/release/seqgen bench cnn --architecture "$arch" --threads "$threads" --steps 1 | head -1))"
