#!/usr/bin/env bash
# Potts fit speed and accuracy on the shared contact families, beside the CCMpred/plmc figures the
# shared MANIFEST records for the same files on this machine kind (CCMpred cannot be built here,
# so its numbers come from the MANIFEST; ours are measured now, 2 threads unless THREADS is set).
# Work unit: N·L²·q per objective evaluation.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data/contacts
[ -d "$data" ] || { echo "skipping: $data is absent"; exit 0; }
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
threads=${THREADS:-2}
tmp=$(mktemp -d)
echo "| family | N | L | seqgen P@L / L2 / L5 (sep ≥ 6) | CCMpred P@L / L2 / L5 | plmc P@L | seqgen fit s | CCMpred s | speed-up | s / evaluation | G(N·L²·q)/s | iterations |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
while IFS='|' read -r fam aln focus pdb chain ccm ccms plmc <&3; do
    t0=$(date +%s.%N)
    $seqgen fit "$data/$aln" $focus -o "$tmp/$fam.npz" --threads "$threads" --quiet 2> "$tmp/$fam.log"
    t1=$(date +%s.%N)
    p=$($seqgen eval contacts "$tmp/$fam.npz" --pdb "$data/$pdb" $chain --json | python3 -c "import json,sys; r=json.load(sys.stdin)['precision'][0]; print('%.3f / %.3f / %.3f' % (r['top_L'], r['top_L_2'], r['top_L_5']))")
    bench=$($seqgen bench potts "$data/$aln" $focus --threads "$threads" --repeats 3)
    spe=$(echo "$bench" | awk '/seconds per evaluation/ {print $4}')
    rate=$(echo "$bench" | awk '/G\/s/ {print $(NF-1)}')
    n=$(echo "$bench" | sed -n 's/.*N = \([0-9]*\), L = \([0-9]*\).*/\1/p'); l=$(echo "$bench" | sed -n 's/.*N = \([0-9]*\), L = \([0-9]*\).*/\2/p')
    it=$(sed -n 's/L-BFGS: \([0-9]*\) iterations.*/\1/p' "$tmp/$fam.log")
    secs=$(python3 -c "print('%.2f' % ($t1 - $t0))")
    speed=$(python3 -c "print('%.1f×' % ($ccms / ($t1 - $t0)))")
    echo "| $fam | $n | $l | $p | $ccm | $plmc | $secs | $ccms | $speed | $spe | $rate | $it |"
done 3<<'TABLE'
1atzA|1atzA/1atzA.aln|--focus 2635|1atzA/1atzA.pdb||0.51 / 0.65 / 0.87|8.2|0.53
dhfr|dhfr/DHFR.a2m||dhfr/1RX2.pdb|--chain A|0.70 / 0.81 / 0.84|45.6|0.70
1mkcA00|1mkcA00/1mkcA00.aln||1mkcA00/1mkcA00.pdb||0.16 / 0.19 / 0.25|0.2|0.14
TABLE
rm -rf "$tmp"
