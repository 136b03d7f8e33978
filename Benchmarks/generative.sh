#!/usr/bin/env bash
# Generative capacity and ArDCA beside Potts, one run on the shared data (2 threads).
# FAMILIES (default "dhfr BLAT") and MODELS (default "pssm potts ardca"; "bm" = Potts refined by
# `--refine bm`, with BM_OPTIONS, e.g. "--refine-chains 500 --refine-epochs 40") select part of section 1;
# SECTIONS (default "1 2 3") selects sections.
#  1. dhfr and BLAT_ECOLX: fit PSSM, Potts (PLM) and ArDCA (Potts and ArDCA fits alternated, twice
#     on dhfr; wall and CPU seconds), draw 10,000 sequences from each (`seqgen sample`, defaults) and report
#     `seqgen eval generative` against the training alignment (C_ij Pearson r and the rest);
#  2. ArDCA mutation ρ on BLAT_ECOLX and GFP_AEQVI (`seqgen score` + `seqgen eval mutations`);
#  3. ArDCA contact precision on the shared contact families beside Potts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data
[ -d "$data" ] || { echo "skipping: $data is absent"; exit 0; }
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
threads="--threads 2"
tmp=${1:-$(mktemp -d)}
mkdir -p "$tmp"
now() { date +%s.%N; }
secs() { python3 -c "print('%.1f' % ($2 - $1))"; }
fit() {   # family alignment model [options] → prints "wall s (CPU s)"; model "bm": Potts with --refine bm $BM_OPTIONS
    local kind=$3 extra=()
    if [ "$3" = bm ]; then kind=potts; read -r -a extra <<< "--refine bm --seed 1 ${BM_OPTIONS:-}"; fi
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" $seqgen fit "$2" $threads --model "$kind" "${extra[@]}" -o "$tmp/$1-$3.npz" --quiet --force "${@:4}" 2>>"$tmp/log"
    awk '{ printf "%.1f (CPU %.1f)", $1, $2 + $3 }' "$tmp/time"
}
families=${FAMILIES:-dhfr BLAT}; models=${MODELS:-pssm potts ardca}; sections=${SECTIONS:-1 2 3}
if [[ " $sections " == *" 1 "* ]]; then
echo "## generative capacity (10,000 samples each)"
echo "| family | model | fit s | sample s | one-site r | pair r | C_ij r | C_ijk r | nearest-reference distance (median) |"
echo "|---|---|---|---|---|---|---|---|---|"
for fam in dhfr:$data/contacts/dhfr/DHFR.a2m BLAT:$data/mutations/BLAT_ECOLX/BLAT_ECOLX.a2m; do
    name=${fam%%:*}; aln=${fam#*:}
    [[ " $families " == *" $name "* ]] || continue
    declare -A t=()
    for model in $models; do t[$model]=$(fit "$name" "$aln" "$model"); done
    if [ "$name" = dhfr ] && [[ " $models " == *" potts "* ]] && [[ " $models " == *" ardca "* ]]; then   # alternated repeat
        t[potts]="${t[potts]}, $(fit "$name" "$aln" potts)"; t[ardca]="${t[ardca]}, $(fit "$name" "$aln" ardca)"
    fi
    for model in $models; do
        t0=$(now); $seqgen sample "$tmp/$name-$model.npz" $threads -n 10000 -o "$tmp/$name-$model.fa" --seed 1 --quiet --force 2>>"$tmp/$name-$model.sample.log"; t1=$(now)
        $seqgen eval generative "$tmp/$name-$model.fa" $threads --reference "$aln" --json --plot "$tmp/$name-$model.png" --force > "$tmp/$name-$model.json"
        python3 - "$tmp/$name-$model.json" "$name" "$model" "${t[$model]}" "$(secs "$t0" "$t1")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); f = lambda x: 'n/a' if x is None else '%.3f' % x
print('| %s | %s | %s | %s | %s | %s | %s | %s | %s (reference %s) |' % (sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
      f(d['pearson_single']), f(d['pearson_pair']), f(d['pearson_connected']), f(d['pearson_three_site']),
      f(d['nearest_distance_samples']['q50']), f(d['nearest_distance_reference']['q50'])))
PY
    done
done
fi
if [[ " $sections " == *" 2 "* ]]; then
echo
echo "## ArDCA mutation effects"
echo "| scan | ρ (all) | n scored / measured |"
echo "|---|---|---|"
for scan in BLAT_ECOLX GFP_AEQVI; do
    csv=$(ls "$data/mutations/$scan"/*.csv)
    if [ ! -e "$tmp/$scan-ardca.npz" ]; then
        if [ "$scan" = BLAT_ECOLX ] && [ -e "$tmp/BLAT-ardca.npz" ]; then cp "$tmp/BLAT-ardca.npz" "$tmp/$scan-ardca.npz"
        else fit "$scan" "$data/mutations/$scan/$scan.a2m" ardca >/dev/null; fi
    fi
    $seqgen score "$tmp/$scan-ardca.npz" --mutations "$csv" -o "$tmp/$scan-ardca.csv" --force 2>>"$tmp/log"
    $seqgen eval mutations "$tmp/$scan-ardca.csv" --dms "$csv" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('| $scan | %.3f | %d / %d |' % (d['spearman'], d['matched'], d['measured']))"
done
fi
if [[ " $sections " == *" 3 "* ]]; then
echo
echo "## contacts, P@L / L2 / L5 at separation ≥ 6"
echo "| family | Potts | ArDCA (epistatic score) |"
echo "|---|---|---|"
for fam in 1atzA:1atzA.aln:1atzA.pdb:2635 dhfr:DHFR.a2m:1RX2.pdb:1 1mkcA00:1mkcA00.aln:1mkcA00.pdb:1; do
    IFS=: read -r name aln pdb focus <<< "$fam"
    row="| $name"
    for model in potts ardca; do
        [ -e "$tmp/$name-$model.npz" ] || fit "$name" "$data/contacts/$name/$aln" "$model" --focus "$focus" >/dev/null
        row="$row | $($seqgen eval contacts "$tmp/$name-$model.npz" --pdb "$data/contacts/$name/$pdb" --json | python3 -c "import json,sys; r=json.load(sys.stdin)['precision'][0]; print('%.3f / %.3f / %.3f' % (r['top_L'], r['top_L_2'], r['top_L_5']))")"
    done
    echo "$row |"
done
fi
