#!/usr/bin/env bash
# Exponential vs ReLU first-layer activation on the synthetic "code" task (Koo & Ploenzke 2021):
# test AUROC/AUPR and the interpretability AUROC/AUPR of every attribution method (saliency,
# gradient × input, integrated gradients, SmoothGrad, ISM, DeepLIFT, DeepSHAP), mean ± sd over seeds.
#   bash Benchmarks/interpretability.sh [SEQUENCES] [SEEDS] [EPOCHS] [OUTDIR] [FIRST_SEED]
#   (defaults 20000, 3, 30, a temporary folder, 1; the paper: 20000 sequences, 10 trials)
# Knobs: ARCH (default cnn-local, the published CNN-local), METHODS (default all seven),
# RECIPE (published, the default code task, or uniform, the earlier one).
# Each trained model's row is appended to OUTDIR/rows as soon as it is scored; with FIRST_SEED > 1
# the rows are added to an existing OUTDIR/rows (more seeds for the same table).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
jaspar=../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm
[ -e "$jaspar" ] || { echo "skipping: $jaspar is absent"; exit 0; }
n=${1:-20000}; seeds=${2:-3}; epochs=${3:-30}; first=${5:-1}
methods=${METHODS:-saliency gradxinput ig smoothgrad ism deeplift deepshap}
arch=${ARCH:-cnn-local}; recipe=${RECIPE:-published}
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
if [ -n "${4:-}" ]; then tmp=$4; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi
[ "$first" -gt 1 ] && [ -e "$tmp/code.npz" ] || $seqgen cnn synth --task code --motifs "$jaspar" --recipe "$recipe" --count "$n" --seed 1 -o "$tmp/code.npz" --force 2>/dev/null
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(round(d['$1'], 4))"; }
header="activation seed test_auroc test_aupr"
for m in $methods; do header="$header ${m}_auroc ${m}_aupr"; done
[ "$first" -gt 1 ] && [ -e "$tmp/rows" ] || echo "$header train_s" > "$tmp/rows"
for seed in $(seq "$first" $((first + seeds - 1))); do
    for act in exponential relu; do
        t0=$(date +%s.%N)
        $seqgen cnn train "$tmp/code.npz" --architecture "$arch" --activation $act --epochs "$epochs" --patience 5 \
            --seed "$seed" -o "$tmp/$act-$seed.npz" --force --quiet 2>"$tmp/$act-$seed.log"
        t1=$(date +%s.%N)
        e=$($seqgen cnn evaluate "$tmp/$act-$seed.npz" "$tmp/code.npz" --json)
        row="$act $seed $(echo "$e" | json mean_auroc) $(echo "$e" | json mean_aupr)"
        for m in $methods; do
            r=$($seqgen cnn interpretability "$tmp/$act-$seed.npz" "$tmp/code.npz" --method "$m" --count 500 --seed "$seed" --json)
            row="$row $(echo "$r" | json auroc) $(echo "$r" | json aupr)"
        done
        echo "$row $(python3 -c "print(round($t1-$t0,1))")" >> "$tmp/rows"
        echo "trained and scored: $act seed $seed ($(python3 -c "print(round($t1-$t0))") s training)" >&2
    done
done
python3 - "$tmp/rows" <<'PY'
import sys, statistics as st
lines = [l.split() for l in open(sys.argv[1])]
head, rows = lines[0], lines[1:]
def cell(v): return f"{st.mean(v):.3f} ± {st.stdev(v):.3f}" if len(v) > 1 else f"{v[0]:.3f}"
names = {"saliency": "saliency", "gradxinput": "grad × input", "ig": "integrated gradients", "smoothgrad": "SmoothGrad",
         "ism": "ISM", "deeplift": "DeepLIFT", "deepshap": "DeepSHAP"}
acts = ["exponential", "relu"]
n = {a: len([r for r in rows if r[0] == a]) for a in acts}
print(f"test set ({n['exponential']} / {n['relu']} seeds):")
print("| activation | test AUROC | test AUPR | training s |"); print("|---|---|---|---|")
for a in acts:
    r = [x for x in rows if x[0] == a]
    print(f"| {a} | {cell([float(x[2]) for x in r])} | {cell([float(x[3]) for x in r])} | {cell([float(x[-1]) for x in r])} |")
print("\ninterpretability (AUROC / AUPR of per-position importance against motif positions, 500 test sequences):")
print("| method | exp AUROC | ReLU AUROC | exp AUPR | ReLU AUPR |"); print("|---|---|---|---|---|")
for k, h in enumerate(head):
    if not h.endswith("_auroc") or h.startswith("test"): continue
    m = h[:-6]
    col = lambda a, j: cell([float(x[j]) for x in rows if x[0] == a])
    print(f"| {names.get(m, m)} | {col('exponential', k)} | {col('relu', k)} | {col('exponential', k + 1)} | {col('relu', k + 1)} |")
PY
