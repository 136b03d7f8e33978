#!/usr/bin/env bash
# Factored attention beside Potts on the shared contact families: P@L (|i−j| ≥ 6), the coupling and
# contact-map agreement from `seqgen compare`, and training seconds, measured in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data/contacts
[ -d "$data" ] || { echo "skipping: $data is absent"; exit 0; }
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
tmp=$(mktemp -d)
pat() { $seqgen eval contacts "$1" --pdb "$data/$2" $3 --json | python3 -c "import json,sys; print('%.3f' % json.load(sys.stdin)['precision'][0]['top_L'])"; }
echo "| family | Potts P@L | attention P@L | coupling Spearman | contact Spearman | top-L overlap | best head ρ | Potts s | attention s (steps) |"
echo "|---|---|---|---|---|---|---|---|---|"
while IFS='|' read -r fam aln focus pdb chain <&3; do
    t0=$(date +%s.%N); $seqgen fit "$data/$aln" $focus -o "$tmp/$fam-p.npz" --quiet 2>/dev/null; t1=$(date +%s.%N)
    $seqgen fit "$data/$aln" $focus --model attention -o "$tmp/$fam-a.npz" --quiet 2> "$tmp/$fam-a.log"; t2=$(date +%s.%N)
    steps=$(sed -n 's/adam: \([0-9]*\) steps.*/\1/p' "$tmp/$fam-a.log")
    c=$($seqgen compare "$tmp/$fam-p.npz" "$tmp/$fam-a.npz" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('%.3f|%.3f|%d/%d|%.3f' % (d['coupling_spearman'], d['contact_spearman'], d['top_L_overlap'], d['top_L'], d['heads'][0]['spearman']))")
    echo "| $fam | $(pat "$tmp/$fam-p.npz" "$pdb" "$chain") | $(pat "$tmp/$fam-a.npz" "$pdb" "$chain") | ${c//|/ | } | $(python3 -c "print('%.1f' % ($t1-$t0))") | $(python3 -c "print('%.1f' % ($t2-$t1))") ($steps) |"
done 3<<'TABLE'
1atzA|1atzA/1atzA.aln|--focus 2635|1atzA/1atzA.pdb|
dhfr|dhfr/DHFR.a2m||dhfr/1RX2.pdb|--chain A
1mkcA00|1mkcA00/1mkcA00.aln||1mkcA00/1mkcA00.pdb|
TABLE
rm -rf "$tmp"
