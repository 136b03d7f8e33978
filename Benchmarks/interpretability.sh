#!/usr/bin/env bash
# Exponential vs ReLU first-layer activation on the synthetic "code" task (Koo & Ploenzke 2021):
# test AUROC/AUPR and interpretability AUROC/AUPR of saliency and ISM, mean ± sd over seeds, one run.
#   bash Benchmarks/interpretability.sh [SEQUENCES] [SEEDS] [EPOCHS]   (defaults 20000, 3, 30; the paper: 20000, 10 trials)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
jaspar=../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm
[ -e "$jaspar" ] || { echo "skipping: $jaspar is absent"; exit 0; }
n=${1:-20000}; seeds=${2:-3}; epochs=${3:-30}
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
$seqgen cnn synth --task code --motifs "$jaspar" --count "$n" --seed 1 -o "$tmp/code.npz" 2>/dev/null
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['$1'])"; }
echo "activation seed test_auroc test_aupr saliency_auroc saliency_aupr ism_auroc ism_aupr train_s" > "$tmp/rows"
for act in exponential relu; do
    for seed in $(seq 1 "$seeds"); do
        t0=$(date +%s.%N)
        $seqgen cnn train "$tmp/code.npz" --architecture cnn-local --activation $act --epochs "$epochs" --patience 5 --seed "$seed" -o "$tmp/$act-$seed.npz" --quiet 2>/dev/null
        t1=$(date +%s.%N)
        e=$($seqgen cnn evaluate "$tmp/$act-$seed.npz" "$tmp/code.npz" --json)
        s=$($seqgen cnn interpretability "$tmp/$act-$seed.npz" "$tmp/code.npz" --method saliency --count 500 --json)
        i=$($seqgen cnn interpretability "$tmp/$act-$seed.npz" "$tmp/code.npz" --method ism --count 500 --json)
        echo "$act $seed $(echo "$e" | json mean_auroc) $(echo "$e" | json mean_aupr) $(echo "$s" | json auroc) $(echo "$s" | json aupr) $(echo "$i" | json auroc) $(echo "$i" | json aupr) $(python3 -c "print(round($t1-$t0,1))")" >> "$tmp/rows"
    done
done
python3 - "$tmp/rows" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])][1:]
cols = ["test AUROC", "test AUPR", "saliency AUROC", "saliency AUPR", "ISM AUROC", "ISM AUPR", "train s"]
print("| activation | seeds | " + " | ".join(cols) + " |")
print("|---|---|" + "---|" * len(cols))
for act in ["exponential", "relu"]:
    r = [x for x in rows if x[0] == act]
    cells = []
    for k in range(len(cols)):
        v = [float(x[2 + k]) for x in r]
        cells.append(f"{st.mean(v):.3f} ± {st.stdev(v):.3f}" if len(v) > 1 else f"{v[0]:.3f}")
    print(f"| {act} | {len(r)} | " + " | ".join(cells) + " |")
PY
