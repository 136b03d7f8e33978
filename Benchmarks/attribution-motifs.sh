#!/usr/bin/env bash
# Motif discovery from attribution maps on the published code task (issue 24's bar): for each seed,
# an exponential CNN-local, its saliency and ISM maps of 2,000 test sequences, `seqgen cnn motifs`
# against the motifs the benchmark planted; prints per map set the seqlets, the motifs and which of
# the 5 core motifs some positive motif matches best at q < 0.05.
#   bash Benchmarks/attribution-motifs.sh [SEEDS] [OUTDIR]   (defaults 5 and a temporary folder)
# Knobs: METHODS (default "saliency ism"), MOTIFS_ARGS (extra `cnn motifs` options).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
jaspar=../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm
[ -e "$jaspar" ] || { echo "skipping: $jaspar is absent"; exit 0; }
seeds=${1:-5}; methods=${METHODS:-saliency ism}
swift build -c release --product seqgen >/dev/null
seqgen=$PWD/.build/release/seqgen
if [ -n "${2:-}" ]; then tmp=$2; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi
[ -e "$tmp/code.npz" ] || $seqgen cnn synth --task code --motifs "$jaspar" --count 20000 --seed 1 -o "$tmp/code.npz" --planted "$tmp/planted.meme" 2>/dev/null
core="MAX YY1 CEBPB Gabpa SP1"
printf "seed\tmaps\tseqlets\tmotifs\tcore motifs recovered\tseconds\n"
for s in $(seq 1 "$seeds"); do
    [ -e "$tmp/exp$s.npz" ] || $seqgen cnn train "$tmp/code.npz" --architecture cnn-local --activation exponential \
        --epochs 30 --patience 5 --seed "$s" -o "$tmp/exp$s.npz" --quiet
    for m in $methods; do
        [ -e "$tmp/$m$s.npz" ] || $seqgen cnn attribute "$tmp/exp$s.npz" "$tmp/code.npz" --method "$m" --count 2000 -o "$tmp/$m$s.npz" --quiet >/dev/null
        t0=$(date +%s.%N)
        # shellcheck disable=SC2086
        line=$($seqgen cnn motifs "$tmp/$m$s.npz" -o "$tmp/motifs-$m$s" --database "$tmp/planted.meme" --force ${MOTIFS_ARGS:-} 2>&1 | grep "seqlets (" || true)
        t1=$(date +%s.%N)
        found=$(awk -F'\t' -v core="$core" 'BEGIN { split(core, c, " "); for (i in c) want[c[i]] = 1 }
            NR > 1 && $2 == "+" && ($7 in want) && $9 < 0.05 { got[$7] = 1 }
            END { n = 0; s = ""; for (k in got) { n++; s = s (s == "" ? "" : ",") k }; print n "/5 " s }' "$tmp/motifs-$m$s/motifs.tsv")
        printf "%s\t%s\t%s\t%s\t%s\t%.1f\n" "$s" "$m" "$(echo "$line" | awk '{print $1}')" \
            "$(($(wc -l < "$tmp/motifs-$m$s/motifs.tsv") - 1))" "$found" "$(echo "$t1 - $t0" | bc)"
    done
done
