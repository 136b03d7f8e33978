#!/usr/bin/env bash
# The language model's bars (issue 17), each prior on and off, in one run:
#   mutation effects: Spearman ρ of masked-marginal scores on BLAT_ECOLX and GFP_AEQVI, the model
#   trained on the scan family's homologs with the alignment removed;
#   contacts: P@L/5 (|i−j| ≥ 6) of the head average and of the best single head on dhfr and 1atzA;
#   training CPU and wall seconds.
# Usage: bash Benchmarks/lm.sh [STEPS] [VARIANTS]   (defaults 6000, the fit's default; "plain noweights blosum shared learned")
# plain is the default recipe (rotary positions); shared takes learned positions, which it attends by.
# THREADS=1 fits with one thread each (to run two copies side by side on a 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data
[ -d "$data" ] || { echo "skipping: $data is absent"; exit 0; }
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
steps=${1:-6000}
variants=${2:-plain noweights blosum shared learned}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
opts() { case $1 in plain) echo "";; noweights) echo "--identity 1";; blosum) echo "--embedding-init blosum62";; shared) echo "--position-shared-attention";; learned) echo "--positions learned";; esac; }
fit() {  # name variant input extra… → prints "cpu_s wall_s"
    local name=$1 v=$2 input=$3; shift 3
    /usr/bin/time -f "%U %S %e" -o "$tmp/$name.time" $seqgen fit "$input" --model lm -o "$tmp/$name.npz" --lm-steps "$steps" ${THREADS:+--threads "$THREADS"} $(opts "$v") "$@" --quiet
    awk '{printf "%.0f %.0f", $1 + $2, $3}' "$tmp/$name.time"
}
rho() { $seqgen score "$1" --mutations "$2" -o "$tmp/s.csv" --quiet --force; $seqgen eval mutations "$tmp/s.csv" --dms "$2" --json | python3 -c "import json,sys; print('%.3f' % json.load(sys.stdin)['spearman'])"; }
p5() { $seqgen eval contacts "$1" --pdb "$2" $3 --json | python3 -c "import json,sys; print('%.2f' % json.load(sys.stdin)['precision'][0]['top_L_5'])"; }
best_head() {  # model pdb chain labels → best single head's P@L/5 and its label
    local best=0 label=""
    for h in $4; do
        local v; v=$($seqgen eval contacts "$1" --pdb "$2" $3 --json --lm-heads "$h" 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['precision'][0]['top_L_5'])" 2>/dev/null || echo 0)
        if python3 -c "import sys; sys.exit(0 if $v > $best else 1)"; then best=$v; label=$h; fi
    done
    printf "%.2f (%s)" "$best" "$label"
}
labels() { python3 -c "import numpy as np; a = np.load('$1'); L = int(a['meta_lm_layers']); H = int(a['meta_lm_heads']); print(' '.join(f'{l}.{h}' for l in range(1, L + 1) for h in range(1, H + 1)))"; }
echo "| variant | BLAT ρ | GFP ρ | dhfr P@L/5 mean | dhfr best head | 1atzA P@L/5 mean | 1atzA best head | BLAT CPU s / wall s |"
echo "|---|---|---|---|---|---|---|---|"
for v in $variants; do
    t=$(fit blat-$v $v $data/mutations/BLAT_ECOLX/BLAT_ECOLX.a2m)
    fit gfp-$v $v $data/mutations/GFP_AEQVI/GFP_AEQVI.a2m > /dev/null
    fit dhfr-$v $v $data/contacts/dhfr/DHFR.a2m > /dev/null
    fit atz-$v $v $data/contacts/1atzA/1atzA.aln --focus 2635 > /dev/null
    echo "| $v | $(rho "$tmp/blat-$v.npz" $data/mutations/BLAT_ECOLX/BLAT_ECOLX_Stiffler2015.csv) | $(rho "$tmp/gfp-$v.npz" $data/mutations/GFP_AEQVI/GFP_AEQVI_Sarkisyan2016.csv) | $(p5 "$tmp/dhfr-$v.npz" $data/contacts/dhfr/1RX2.pdb "--chain A") | $(best_head "$tmp/dhfr-$v.npz" $data/contacts/dhfr/1RX2.pdb "--chain A" "$(labels "$tmp/dhfr-$v.npz")") | $(p5 "$tmp/atz-$v.npz" $data/contacts/1atzA/1atzA.pdb "") | $(best_head "$tmp/atz-$v.npz" $data/contacts/1atzA/1atzA.pdb "" "$(labels "$tmp/atz-$v.npz")") | ${t/ / / } |"
done
