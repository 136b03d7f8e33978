#!/usr/bin/env bash
# Factored attention beside Potts on the shared contact families, in one run: the two fits alternate
# (Potts, attention, Potts, attention, … REPS times each, default 3), and the script prints min and
# median CPU seconds (user + system) and wall seconds of each, the attention/Potts ratios of the
# medians and of the minima, P@L (|i−j| ≥ 6) of each fit, and the coupling and contact-map agreement
# from `seqgen compare`. Fits are deterministic (same seed → same model), so P@L is the same on
# every repetition; only the seconds vary. Extra arguments go to the attention fit (e.g.
# `bash Benchmarks/attention.sh --heads 32`); FAMILIES=dhfr,1atzA picks families; EXTRA="NAME=ALIGNMENT:TRUTH …"
# adds families outside ../shared (TRUTH: one true pair of 1-based column numbers per line, read by
# `seqgen eval contacts --truth`; see Benchmarks/ccmpred.sh for making one from a distance table). The attention fit's
# matrix products run on OpenBLAS with the kernel seqgen picks for the CPU: the script unsets an
# OPENBLAS_CORETYPE the environment pins (as Benchmarks/cnn.sh does) unless KEEP_CORETYPE=1, and
# names the kernel in its first line.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
if [ "${KEEP_CORETYPE:-0}" != 1 ]; then unset OPENBLAS_CORETYPE; fi
data=../shared/data/contacts
[ -d "$data" ] || [ -n "${EXTRA:-}" ] || { echo "skipping: $data is absent"; exit 0; }
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
reps=${REPS:-3}
families=${FAMILIES:-dhfr,1atzA,1mkcA00}
for e in ${EXTRA:-}; do families="$families,${e%%=*}"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# pat MODEL TRUTH-OPTIONS…: P@L (|i − j| ≥ 6) of MODEL's contacts.
pat() { local model=$1; shift; $seqgen eval contacts "$model" "$@" --json | python3 -c "import json,sys; print('%.3f' % json.load(sys.stdin)['precision'][0]['top_L'])"; }
# One row per family: name|alignment|fit options|truth options (the shared ones, then EXTRA's).
family_table() {
    echo "1atzA|$data/1atzA/1atzA.aln|--focus 2635|--pdb $data/1atzA/1atzA.pdb"
    echo "dhfr|$data/dhfr/DHFR.a2m||--pdb $data/dhfr/1RX2.pdb --chain A"
    echo "1mkcA00|$data/1mkcA00/1mkcA00.aln||--pdb $data/1mkcA00/1mkcA00.pdb"
    for e in ${EXTRA:-}; do rest=${e#*=}; echo "${e%%=*}|${rest%%:*}||--truth ${rest#*:}"; done
}
# timed MODEL OUT ARGS…: one fit; appends "cpu wall" to $tmp/MODEL.times.
timed() {
    local model=$1 out=$2; shift 2
    /usr/bin/time -f "%U %S %e" -o "$tmp/t" $seqgen fit "$@" --model "$model" -o "$out" --force --quiet 2> "$tmp/$model.log"
    python3 -c "u,s,e=map(float,open('$tmp/t').read().split()[-3:]); print('%.2f %.2f' % (u+s, e))" >> "$tmp/$model.times"
}
stats() { python3 -c "
import statistics,sys
r=[tuple(map(float,l.split())) for l in open('$1')]
c=[x[0] for x in r]; w=[x[1] for x in r]
print('%.1f %.1f %.1f %.1f' % (min(c), statistics.median(c), min(w), statistics.median(w)))"; }
echo "$($seqgen bench core --sizes 64 --seconds 0.01 --threads 1 | head -1 | sed "s/^# //")"
echo "alternating runs: $reps of each; CPU s = user + system; ratio = attention / Potts (of the medians; of the minima in brackets)"
echo
echo "| family | Potts P@L | attention P@L | Potts CPU s min / med | attention CPU s min / med | CPU ratio | Potts wall s min / med | attention wall s min / med | wall ratio | attention steps | coupling Spearman | contact Spearman | top-L overlap | best head ρ |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
while IFS='|' read -r fam aln focus truth <&3; do
    [[ ",$families," == *",$fam,"* ]] || continue
    rm -f "$tmp/potts.times" "$tmp/attention.times"
    for ((r = 0; r < reps; r++)); do
        timed potts "$tmp/$fam-p.npz" "$aln" $focus
        timed attention "$tmp/$fam-a.npz" "$aln" $focus "$@"
    done
    steps=$(python3 -c "import numpy as np; print(int(np.load('$tmp/$fam-a.npz')['meta_steps']))")
    read -r pc pcm pw pwm <<< "$(stats "$tmp/potts.times")"
    read -r ac acm aw awm <<< "$(stats "$tmp/attention.times")"
    ratio() { python3 -c "print('%.1f× (%.1f×)' % ($1 / $2, $3 / $4))"; }
    c=$($seqgen compare "$tmp/$fam-p.npz" "$tmp/$fam-a.npz" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('%.3f|%.3f|%d/%d|%.3f' % (d['coupling_spearman'], d['contact_spearman'], d['top_L_overlap'], d['top_L'], d['heads'][0]['spearman']))")
    echo "| $fam | $(pat "$tmp/$fam-p.npz" $truth) | $(pat "$tmp/$fam-a.npz" $truth) | $pc / $pcm | $ac / $acm | $(ratio "$acm" "$pcm" "$ac" "$pc") | $pw / $pwm | $aw / $awm | $(ratio "$awm" "$pwm" "$aw" "$pw") | $steps | ${c//|/ | } |"
done 3< <(family_table)
