#!/usr/bin/env bash
# `seqgen cnn motifs` beside TF-MoDISco-lite (the tool its users would otherwise run) on the same
# attribution maps, runs alternated: the published code task's saliency and ISM maps of exponential
# CNN-local networks (as attribution-motifs.sh makes them; an OUTDIR shared with it is reused) and,
# when the shared IRF1 ChIP-seq file is present, the saliency maps of the seed-1 exponential network
# of irf1.sh. Prints per map set and tool: seqlets, motifs, the core motifs recovered (q < 0.05,
# both tools' patterns trimmed and matched the same way, Benchmarks/modisco_compare.py), wall and
# CPU seconds min / median and peak memory; then the ratios.
#   MODISCO=/path/to/modisco bash Benchmarks/modisco.sh [SEEDS] [OUTDIR]   (defaults 2 and a temporary folder)
# TF-MoDISco-lite is not a seqgen dependency; install it outside the repository, e.g.
#   python3 -m venv /tmp/modenv && /tmp/modenv/bin/pip install modisco-lite   → MODISCO=/tmp/modenv/bin/modisco
# (its first run compiles numba kernels for ≈ 15 s; run it once before timing). Knobs: METHODS
# (default "saliency ism"), REPEATS (alternated runs per map set, default 3), THREADS (default 2),
# MODISCO_ARGS (extra `modisco motifs` options, e.g. "-l 50": 50 Leiden runs as seqgen takes; its CLI takes 2).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
jaspar=../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm
jaspar_meme=../shared/data/regulatory/JASPAR2016_CORE_vertebrates.meme
irf_data=../shared/data/regulatory/IRF1_400_h3k27ac.h5
[ -e "$jaspar" ] || { echo "skipping: $jaspar is absent"; exit 0; }
[ -n "${MODISCO:-}" ] && [ -x "$MODISCO" ] || { echo "skipping: set MODISCO to TF-MoDISco-lite's modisco executable"; exit 0; }
py=$(dirname "$MODISCO")/python
[ -x "$py" ] || py=python3
seeds=${1:-2}; methods=${METHODS:-saliency ism}
swift build -c release --product seqgen >/dev/null
seqgen=$PWD/.build/release/seqgen
if [ -n "${2:-}" ]; then tmp=$2; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi
[ -e "$tmp/code.npz" ] || $seqgen cnn synth --task code --motifs "$jaspar" --count 20000 --seed 1 -o "$tmp/code.npz" --planted "$tmp/planted.meme" 2>/dev/null
maps=()
for s in $(seq 1 "$seeds"); do
    [ -e "$tmp/exp$s.npz" ] || $seqgen cnn train "$tmp/code.npz" --architecture cnn-local --activation exponential \
        --epochs 30 --patience 5 --seed "$s" -o "$tmp/exp$s.npz" --quiet
    for m in $methods; do
        [ -e "$tmp/$m$s.npz" ] || $seqgen cnn attribute "$tmp/exp$s.npz" "$tmp/code.npz" --method "$m" --count 2000 -o "$tmp/$m$s.npz" --quiet >/dev/null
        maps+=("$tmp/$m$s.npz")
    done
done
mkdir -p "$tmp/modisco"
echo "Code task (2,000 test sequences × 200 bp; truth: the 5 planted core motifs):"
"$py" Benchmarks/modisco_compare.py --seqgen "$seqgen" --modisco "$MODISCO" --database "$tmp/planted.meme" \
    --core "MAX YY1 CEBPB Gabpa SP1" --repeats "${REPEATS:-3}" --threads "${THREADS:-2}" --modisco-args "${MODISCO_ARGS:-}" --workdir "$tmp/modisco" "${maps[@]}"
if [ -e "$irf_data" ] && [ -e "$jaspar_meme" ]; then
    m="$tmp/exponential-1"
    [ -e "$m.npz" ] || $seqgen cnn train "$irf_data" --architecture cnn-local --activation exponential --seed 1 -o "$m.npz" --quiet
    [ -e "$m-saliency.npz" ] || $seqgen cnn attribute "$m.npz" "$irf_data" --method saliency -o "$m-saliency.npz" --quiet >/dev/null
    echo
    echo "IRF1 ChIP-seq (test sequences; truth: IRF1, matched against JASPAR 2016):"
    "$py" Benchmarks/modisco_compare.py --seqgen "$seqgen" --modisco "$MODISCO" --database "$jaspar_meme" \
        --core "IRF1" --repeats "${REPEATS:-3}" --threads "${THREADS:-2}" --modisco-args "${MODISCO_ARGS:-}" --workdir "$tmp/modisco" "$m-saliency.npz"
fi
