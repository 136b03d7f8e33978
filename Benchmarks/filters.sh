#!/usr/bin/env bash
# First-layer filter interpretability on the 12-TF multi task (Koo & Ploenzke 2021, Koo & Eddy 2019):
# for each network × first-layer activation × seed, the fraction of first-layer filters that match a
# ground-truth motif (clipped filters, E < 0.1 against JASPAR 2016, as the published scripts run
# Tomtom) and the ground-truth motifs recovered, with the validation AUROC and training CPU seconds.
#   bash Benchmarks/filters.sh [SEQUENCES] [SEEDS] [OUTDIR]   (defaults 20000, 3, a temporary folder)
# Knobs: NETS (default "cnn-local cnn-2 cnn-deep"), TRAIN (extra `cnn train` options; default none:
# ≤ 100 epochs, patience 10).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
jaspar=../shared/data/regulatory/JASPAR2016_CORE_vertebrates
[ -e "$jaspar.pfm" ] || { echo "skipping: $jaspar.pfm is absent"; exit 0; }
n=${1:-20000}; seeds=${2:-3}
nets=${NETS:-cnn-local cnn-2 cnn-deep}
truth=Arid3a,CEBPB,FOSL1,GABPA,MAFK,MAX,MEF2A,NFYB,SP1,SRF,STAT1,YY1
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
if [ -n "${3:-}" ]; then tmp=$3; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi
[ -e "$tmp/multi.npz" ] || $seqgen cnn synth --task multi --motifs "$jaspar.pfm" --count "$n" --seed 1 -o "$tmp/multi.npz" --quiet
echo "| network | activation | seed | filters matching a ground-truth motif | motifs recovered | valid AUROC | training CPU s |"
echo "|---|---|---|---|---|---|---|"
for net in $nets; do
    for seed in $(seq 1 "$seeds"); do
        for act in exponential relu; do
            m="$tmp/$net-$act-$seed"
            [ -e "$m.npz" ] || /usr/bin/time -f "%U %S" -o "$m.time" $seqgen cnn train "$tmp/multi.npz" --architecture "$net" --activation $act \
                --seed "$seed" ${TRAIN:-} -o "$m.npz" > "$m.train.log" 2>&1
            $seqgen cnn filters "$m.npz" "$tmp/multi.npz" -o "$m.meme" --database "$jaspar.meme" --truth "$truth" --table "$m.tsv" --force > "$m.filters.log" 2>&1
            python3 - "$m" "$net" "$act" "$seed" <<'PY'
import re, sys
m, net, act, seed = sys.argv[1:]
log = open(m + '.filters.log').read(); train = open(m + '.train.log').read()
f = re.search(r'ground-truth motif: (\d+)/(\d+)', log); r = re.search(r'recovered: (\d+)/(\d+)', log)
auroc = re.findall(r'valid AUROC ([0-9.]+)', train)[-1]
cpu = sum(map(float, open(m + '.time').read().split())) if __import__('os').path.exists(m + '.time') else float('nan')
print('| %s | %s | %s | %s/%s (%.2f) | %s/%s | %s | %.0f |' % (net, act, seed, f[1], f[2], int(f[1]) / int(f[2]), r[1], r[2], auroc, cpu))
PY
        done
    done
done
