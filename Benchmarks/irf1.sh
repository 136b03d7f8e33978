#!/usr/bin/env bash
# Real data: IRF1 ChIP-seq peaks in H3K27ac regions (the in-vivo task of Koo & Ploenzke 2021, the
# shared IRF1_400_h3k27ac.h5). For each seed and first-layer activation, a CNN-local network's test
# AUROC, its first-layer filters that match a JASPAR 2016 motif (clipped, E < 0.1) and those whose
# best match is an IRF (IRF1, IRF2, IRF8, IRF9), and the motifs `cnn motifs` finds in saliency maps
# of the test sequences, with their best JASPAR match.
#   bash Benchmarks/irf1.sh [SEEDS] [OUTDIR]   (defaults 3 and a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data/regulatory/IRF1_400_h3k27ac.h5
jaspar=../shared/data/regulatory/JASPAR2016_CORE_vertebrates.meme
{ [ -e "$data" ] && [ -e "$jaspar" ]; } || { echo "skipping: $data or $jaspar is absent"; exit 0; }
seeds=${1:-3}
irf="IRF=MA0050.2|MA0051.1|MA0652.1|MA0653.1"
swift build -c release --product seqgen >/dev/null
seqgen=$PWD/.build/release/seqgen
if [ -n "${2:-}" ]; then tmp=$2; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi
echo "| activation | seed | test AUROC | filters matching JASPAR | filters matching an IRF | motifs from saliency maps (seqlets, best JASPAR match, q) |"
echo "|---|---|---|---|---|---|"
for seed in $(seq 1 "$seeds"); do
    for act in exponential relu; do
        m="$tmp/$act-$seed"
        [ -e "$m.npz" ] || $seqgen cnn train "$data" --architecture cnn-local --activation $act --seed "$seed" -o "$m.npz" --quiet
        auroc=$($seqgen cnn evaluate "$m.npz" "$data" | awk '/mean AUROC/ { sub(",", "", $6); print $6 }')
        filters=$($seqgen cnn filters "$m.npz" "$data" -o "$m.meme" --database "$jaspar" --truth "$irf" --force 2>&1)
        any=$(echo "$filters" | sed -n 's/^filters matching any database motif: \([0-9/]*\).*/\1/p')
        ours=$(echo "$filters" | sed -n 's/^filters matching a ground-truth motif: \([0-9/]*\).*/\1/p')
        [ -e "$m-saliency.npz" ] || $seqgen cnn attribute "$m.npz" "$data" --method saliency -o "$m-saliency.npz" --quiet >/dev/null
        $seqgen cnn motifs "$m-saliency.npz" -o "$m-motifs" --database "$jaspar" --force --quiet >/dev/null 2>&1 || true
        found=$(awk -F'\t' 'NR > 1 { printf "%s%s %s, %s %s, %s", (NR > 2 ? "; " : ""), $2, $3, $7, $6, $9 }' "$m-motifs/motifs.tsv" 2>/dev/null || echo "none")
        echo "| $act | $seed | $auroc | $any | $ours | ${found:-none} |"
    done
done
