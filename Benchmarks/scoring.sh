#!/usr/bin/env bash
# Mutation-effect accuracy on the shared deep mutational scans: Spearman ρ of PSSM, Potts and
# Gaussian scores beside the MANIFEST's reference ρ (site-independent / EVmutation rerun), and fit
# times. Defaults only (weights at 80% identity).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data/mutations
[ -d "$data" ] || { echo "skipping: $data is absent"; exit 0; }
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
tmp=$(mktemp -d)
echo "| scan | model | ρ (all) | n scored / measured | fit s | reference ρ (MANIFEST) |"
echo "|---|---|---|---|---|---|"
while IFS='|' read -r scan ref_pssm ref_potts <&3; do
    for model in pssm potts gaussian; do
        t0=$(date +%s.%N)
        $seqgen fit "$data/$scan/$scan.a2m" --model "$model" -o "$tmp/$scan-$model.npz" --quiet 2>/dev/null
        t1=$(date +%s.%N)
        csv=$(ls "$data/$scan"/*.csv)
        $seqgen score "$tmp/$scan-$model.npz" --mutations "$csv" -o "$tmp/$scan-$model.csv" 2>/dev/null
        r=$($seqgen eval mutations "$tmp/$scan-$model.csv" --dms "$csv" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('%.3f|%d / %d' % (d['spearman'], d['matched'], d['measured']))")
        ref=$([ "$model" = pssm ] && echo "site-independent $ref_pssm" || ([ "$model" = potts ] && echo "EVmutation $ref_potts" || echo "—"))
        echo "| $scan | $model | ${r%%|*} | ${r##*|} | $(python3 -c "print('%.1f' % ($t1 - $t0))") | $ref |"
    done
done 3<<'TABLE'
BLAT_ECOLX|0.602|0.699
GFP_AEQVI|0.665|0.633
TABLE
rm -rf "$tmp"
