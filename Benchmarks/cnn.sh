#!/usr/bin/env bash
# seqgen vs PyTorch CPU on the same CNNs, same machine: ms per training step (batch 100, L 200,
# 12 outputs; forward + backward + Adam), forward sequences/s (batch 500) and in-silico mutagenesis
# mutants/s (all 3L single mutants of 4 sequences, batch 500), each by wall clock and by CPU seconds
# (all threads). PyTorch builds its network from the layer list seqgen prints (same parameter count,
# checked). For every architecture and thread count the two sides run alternately REPEATS times
# (which side goes first alternates too; neighbours on a shared machine slow either side at random).
#   bash Benchmarks/cnn.sh [ARCHS] [THREADS] [REPEATS]
#   (defaults: "cnn-local cnn-dist cnn-deep cnn-2 cnn-50 cnn-deep-same" "1 2" 3)
# Prints every run, then per architecture and thread count the min/median of each side and the
# ratios (throughput seqgen / PyTorch; > 1 = seqgen faster; wall: median of the per-run ratios,
# CPU: ratio of the median CPU throughputs), then "best vs best": each side at the thread count
# where its median wall throughput is best.
# Needs `pip install "torch==2.13.0+cpu"` for the baseline (skipped with a message otherwise).
# Kernels: PyTorch runs its own (MKL and oneDNN pick the CPU's widest ISA, AVX-512 where there is
# one); seqgen runs the OpenBLAS kernel it picks for the CPU (BLAS.preferredKernel) — the script
# unsets an OPENBLAS_CORETYPE the environment pins (some machines export Haswell, AVX2, for every
# process: sgemm at half speed on AVX-512 CPUs) unless KEEP_CORETYPE=1. The header names both.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
if [ "${KEEP_CORETYPE:-0}" != 1 ]; then unset OPENBLAS_CORETYPE; fi
archs=${1:-"cnn-local cnn-dist cnn-deep cnn-2 cnn-50 cnn-deep-same"}; threads=${2:-"1 2"}; repeats=${3:-3}
swift build -c release --product seqgen >/dev/null
if ! python3 -c "import torch" 2>/dev/null; then
    echo "skipping the PyTorch baseline: torch is not installed (pip install \"torch==2.13.0+cpu\")"
    for a in $archs; do for t in $threads; do .build/release/seqgen bench cnn --architecture "$a" --threads "$t"; done; done
    exit 0
fi
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
# The layer list and parameter count seqgen builds for each name (PyTorch builds from the list).
declare -A spec params
for a in $archs; do
    head=$(.build/release/seqgen bench cnn --architecture "$a" --steps 1 --forward-batch 2 | head -1)
    spec[$a]=$(sed -E 's/^architecture: (.*) \(([0-9]+) parameters\).*/\1/' <<<"$head")
    params[$a]=$(sed -E 's/^.* \(([0-9]+) parameters\).*/\1/' <<<"$head")
done
seqgen_run() {   # arch threads → "step_ms step_cpu_ms fwd fwd_cpu ism ism_cpu"
    local s; s=$(.build/release/seqgen bench cnn --architecture "$1" --threads "$2")
    local ss sc fs fc is ic
    ss=$(grep '^training step' <<<"$s" | sed -E 's/.*: ([0-9.]+) ms \(CPU ([0-9.]+) ms\).*/\1/')
    sc=$(grep '^training step' <<<"$s" | sed -E 's/.*: ([0-9.]+) ms \(CPU ([0-9.]+) ms\).*/\2/')
    fs=$(grep '^forward' <<<"$s" | sed -E 's/^forward: ([0-9.]+) sequences.s \(CPU ([0-9.]+) .*/\1/')
    fc=$(grep '^forward' <<<"$s" | sed -E 's/^forward: ([0-9.]+) sequences.s \(CPU ([0-9.]+) .*/\2/')
    is=$(grep '^ISM' <<<"$s" | sed -E 's/^ISM: ([0-9.]+) mutants.s \(CPU ([0-9.]+) .*/\1/')
    ic=$(grep '^ISM' <<<"$s" | sed -E 's/^ISM: ([0-9.]+) mutants.s \(CPU ([0-9.]+) .*/\2/')
    echo "$ss $sc $fs $fc $is $ic"
}
torch_run() {    # spec threads → same fields (exits if the network differs from seqgen's)
    local t; t=$(python3 scripts/cnn_torch_baseline.py "$1" "$2")
    if ! grep -q "parameters=${params[$a]}:" <<<"$t"; then echo "PyTorch's $a has a different parameter count: $t" >&2; exit 1; fi
    sed -E 's/.*training step ([0-9.]+) ms \(CPU ([0-9.]+) ms\), forward ([0-9.]+) sequences.s \(CPU ([0-9.]+)\), ISM ([0-9.]+) mutants.s \(CPU ([0-9.]+)\).*/\1 \2 \3 \4 \5 \6/' <<<"$t"
}
echo "seqgen: $(.build/release/seqgen bench core --sizes 64 --seconds 0.01 --threads 1 | head -1 | sed 's/^# //'); PyTorch: $(python3 -c 'import torch; print(torch.__version__, "CPU capability", torch.backends.cpu.get_cpu_capability())')"
echo
echo "| run | network | threads | first | seqgen step ms (CPU) | torch step ms (CPU) | seqgen fwd seq/s (CPU) | torch fwd seq/s (CPU) | seqgen ISM mut/s (CPU) | torch ISM mut/s (CPU) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
k=0
for r in $(seq 1 "$repeats"); do
    for a in $archs; do
        for t in $threads; do
            k=$((k + 1))
            if (( k % 2 )); then
                sv=$(seqgen_run "$a" "$t"); tv=$(torch_run "${spec[$a]}" "$t"); first=seqgen
            else
                tv=$(torch_run "${spec[$a]}" "$t"); sv=$(seqgen_run "$a" "$t"); first=torch
            fi
            read -r ss sc fs fc is ic <<<"$sv"; read -r ts tc tf tfc ti tic <<<"$tv"
            echo "| $r | $a | $t | $first | $ss ($sc) | $ts ($tc) | $fs ($fc) | $tf ($tfc) | $is ($ic) | $ti ($tic) |"
            echo "$a $t $sv $tv" >>"$raw"
        done
    done
done
python3 - "$raw" <<'EOF'
import sys, statistics as st
from collections import defaultdict
runs = defaultdict(list)                     # (arch, threads) → [(seqgen 6 fields, torch 6 fields)]
order = []
for line in open(sys.argv[1]):
    f = line.split()
    key = (f[0], int(f[1]))
    if key not in runs: order.append(key)
    v = list(map(float, f[2:]))
    runs[key].append((v[:6], v[6:]))
# Throughputs per run: step → steps/s (1000/ms); forward, ISM as printed. Wall index 0, 2, 4; CPU 1, 3, 5.
def tput(v, i): return 1000 / v[i] if i < 2 else v[i]
metrics = [("training step", 0, 1), ("forward", 2, 3), ("ISM", 4, 5)]
print("\nmin/median per side (step: ms, lower is better; forward, ISM: per second, higher is better; CPU in brackets) and ratios (throughput seqgen / PyTorch)")
print("| network | threads | metric | seqgen min/median (CPU median) | torch min/median (CPU median) | ratio wall | ratio CPU |")
print("|---|---|---|---|---|---|---|")
best = {}
for key in order:
    rs = runs[key]
    for name, w, c in metrics:
        s, t = [r[0][w] for r in rs], [r[1][w] for r in rs]
        sc, tc = [r[0][c] for r in rs], [r[1][c] for r in rs]
        wall = st.median(tput(r[0], w) / tput(r[1], w) for r in rs)
        cpu = st.median(tput(r[0], c) for r in rs) / st.median(tput(r[1], c) for r in rs)
        lo = min if w == 0 else max
        print(f"| {key[0]} | {key[1]} | {name} | {lo(s):.1f} / {st.median(s):.1f} ({st.median(sc):.1f}) | {lo(t):.1f} / {st.median(t):.1f} ({st.median(tc):.1f}) | {wall:.2f}× | {cpu:.2f}× |")
        for side, vals in (("seqgen", [tput(r[0], w) for r in rs]), ("torch", [tput(r[1], w) for r in rs])):
            b = best.setdefault((key[0], name, side), (0, None))
            if st.median(vals) > b[0]: best[(key[0], name, side)] = (st.median(vals), key[1])
print("\nbest vs best (each side at the thread count with its best median wall throughput)")
print("| network | metric | seqgen (threads) | torch (threads) | ratio |")
print("|---|---|---|---|---|")
for arch in dict.fromkeys(k[0] for k in order):
    for name, w, _ in metrics:
        (sv, st_), (tv, tt) = best[(arch, name, "seqgen")], best[(arch, name, "torch")]
        show = (lambda x: f"{1000 / x:.1f} ms") if w == 0 else (lambda x: f"{x:.0f}/s")
        print(f"| {arch} | {name} | {show(sv)} ({st_}) | {show(tv)} ({tt}) | {sv / tv:.2f}× |")
EOF
