#!/usr/bin/env bash
# Mutation-effect accuracy, one setting at a time, on every scan available: Spearman ρ of seqgen's
# PSSM, Potts and Gaussian scores under each setting (the README's "Accuracy" table), the default
# VAE one model per seed and their ensemble (`vae`: not part of `all`, ≈ 15 CPU min per BLAT_ECOLX
# fit; VAE_SEEDS, default "0 1 2 3"; VAE_FLAGS adds fit flags), the held-out
# log-likelihood the PSSM defaults are chosen by, and — when PLMC=/path/to/plmc is set — plmc
# itself (EVcouplings settings, -g) beside seqgen's `--preset evmutation`, with the Spearman
# agreement of the two score vectors.
#
#   bash Benchmarks/accuracy.sh [pssm|potts|gaussian|vae|all] [SCAN …]
#
# Scans: every DIR under ../shared/data/mutations and under $ACCURACY_DATA (colon-separated roots)
# holding DIR/NAME.a2m and one DIR/NAME_*.csv table (mutant,DMS_score); see Benchmarks/README.md
# for how to add ProteinGym / DeepSequence pairs. Absent roots are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
which="${1:-all}"; shift || true
only=("$@")
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

scans=()
IFS=: read -r -a roots <<< "../shared/data/mutations${ACCURACY_DATA:+:$ACCURACY_DATA}"
for root in "${roots[@]}"; do
    [ -d "$root" ] || { echo "skipping $root: absent" >&2; continue; }
    for dir in "$root"/*/; do
        name=$(basename "$dir")
        [ -f "$dir/$name.a2m" ] || { echo "skipping $dir: no $name.a2m" >&2; continue; }
        csv=$(ls "$dir/${name}"_*.csv 2>/dev/null | head -1 || true)
        [ -n "$csv" ] || { echo "skipping $dir: no ${name}_*.csv" >&2; continue; }
        if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then continue; fi
        scans+=("$dir$name.a2m|$csv")
    done
done
[ ${#scans[@]} -gt 0 ] || { echo "skipping: no scans found"; exit 0; }

rho() {  # PRED.csv DMS.csv → "ρ|matched"
    $seqgen eval mutations "$1" --dms "$2" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('%.3f|%d' % (d['spearman'], d['matched']))"
}

# One row: scan, label, model, fit flags.
run() {
    local aln=$1 csv=$2 label=$3 model=$4; shift 4
    local out="$tmp/m.npz" t0 t1 r its
    t0=$(date +%s.%N)
    $seqgen fit "$aln" --model "$model" -o "$out" --force "$@" 2> "$tmp/fit.log"   # not --quiet: the L-BFGS line gives the iterations
    t1=$(date +%s.%N)
    $seqgen score "$out" --mutations "$csv" -o "$tmp/pred.csv" --force 2>/dev/null
    r=$(rho "$tmp/pred.csv" "$csv")
    its=$(sed -n 's/^L-BFGS: \([0-9]*\) iterations.*stop: \([a-zA-Z]*\).*/\1 (\2)/p' "$tmp/fit.log")
    echo "| $(basename "$aln" .a2m) | $model | $label | ${r%%|*} | ${r##*|} | $(python3 -c "print('%.1f' % ($t1 - $t0))") | ${its:-—} |"
    cp "$tmp/pred.csv" "$tmp/last.csv"
}

echo "| scan | model | setting | ρ | n scored | fit s | iterations (stop) |"
echo "|---|---|---|---|---|---|---|"
for entry in "${scans[@]}"; do
    aln=${entry%%|*}; csv=${entry##*|}
    if [ "$which" = all ] || [ "$which" = pssm ]; then
        for lam in 0.01 0.05 0.1 0.25 0.5; do
            run "$aln" "$csv" "pseudocount λ = $lam" pssm --pseudocount-fraction "$lam"
        done
        for id in 0.9 0.7; do run "$aln" "$csv" "λ = 0.25, θ = $(python3 -c "print(round(1 - $id, 1))")" pssm --pseudocount-fraction 0.25 --identity "$id"; done
        run "$aln" "$csv" "λ = 0.25, non-standard sequences dropped" pssm --pseudocount-fraction 0.25 --drop-nonstandard
        run "$aln" "$csv" "default: λ by 5-fold held-out likelihood" pssm
        run "$aln" "$csv" "EVmutation independent model (plmc-inclusive weights)" pssm --pssm-style evmutation --weighting plmc-inclusive --drop-nonstandard
        # Held-out log-likelihood (5-fold, weighted), the criterion the default λ is chosen by.
        $seqgen fit "$aln" --model pssm -o "$tmp/cv.npz" --force --quiet --cross-validate 5 2>&1 | sed -n 's/^cross-validation: /  CV: /p' >&2 || true
    fi
    if [ "$which" = all ] || [ "$which" = potts ]; then
        run "$aln" "$csv" "default (gaps as missing, 5-iteration window)" potts
        run "$aln" "$csv" "earlier default (21 states, 1-iteration window)" potts --no-gaps-as-missing --tolerance-window 1
        run "$aln" "$csv" "21 states, 5-iteration window" potts --no-gaps-as-missing
        run "$aln" "$csv" "gaps as missing, 1-iteration window" potts --tolerance-window 1
        run "$aln" "$csv" "non-standard sequences dropped" potts --drop-nonstandard
        run "$aln" "$csv" "EVcouplings filters (seq cov ≥ 0.5, col cov > 0.7)" potts --evcouplings-filters
        run "$aln" "$csv" "plmc stopping (‖g‖ ≤ 1e-3·‖θ‖, ≤ 100 it.)" potts --tolerance 0 --gradient-tolerance 1e-3
        run "$aln" "$csv" "preset evmutation" potts --preset evmutation
        cp "$tmp/last.csv" "$tmp/seqgen-evmutation.csv"
        if [ -n "${PLMC:-}" ]; then
            focus=$(head -1 "$aln" | sed 's/^>//; s/[ /].*//')
            l=$($seqgen info "$aln" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['columns'])")
            le=$(python3 -c "print(0.2 * ($l - 1))")
            t0=$(date +%s.%N)
            "$PLMC" -o "$tmp/p.params" -f "$focus" -le "$le" -lh 0.01 -m 100 -t 0.2 -g "$aln" > "$tmp/plmc.log" 2>&1
            t1=$(date +%s.%N)
            python3 Benchmarks/plmc_params.py "$tmp/p.params" "$csv" "$tmp/plmc.csv" 2>/dev/null
            r=$(rho "$tmp/plmc.csv" "$csv")
            echo "| $(basename "$aln" .a2m) | plmc | EVmutation re-run (-le $le -lh 0.01 -m 100 -t 0.2 -g) | ${r%%|*} | ${r##*|} | $(python3 -c "print('%.1f' % ($t1 - $t0))") | $(grep -c '^[0-9]' "$tmp/plmc.log") |"
            python3 - "$tmp/seqgen-evmutation.csv" "$tmp/plmc.csv" <<'PY'
import csv, sys
from scipy.stats import spearmanr
a = {r["mutant"]: float(r["score"]) for r in csv.DictReader(open(sys.argv[1])) if r["score"]}
b = {r["mutant"]: float(r["score"]) for r in csv.DictReader(open(sys.argv[2])) if r["score"]}
k = [m for m in a if m in b]
print("  agreement, seqgen --preset evmutation vs plmc ΔE: Spearman %.4f over %d mutants" % (spearmanr([a[m] for m in k], [b[m] for m in k])[0], len(k)), file=sys.stderr)
PY
        fi
    fi
    if [ "$which" = all ] || [ "$which" = gaussian ]; then
        run "$aln" "$csv" "default (λ = 4.5/√Neff)" gaussian
        neff=$($seqgen info "$aln" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['neff'])")
        for k in 0.5 2; do
            run "$aln" "$csv" "λ = $k × 4.5/√Neff" gaussian --shrinkage "$(python3 -c "print($k * 4.5 / $neff ** 0.5)")"
        done
    fi
    if [ "$which" = vae ]; then
        # The defaults beside each other, then the default VAE (`--threads 1`) one model per seed and
        # the ensemble of them, scored as in the README: 20 draws, `--samples 20 --seed 1`.
        run "$aln" "$csv" "default" pssm
        run "$aln" "$csv" "default" potts
        members=()
        for seed in ${VAE_SEEDS:-0 1 2 3}; do
            m="$tmp/vae$seed.npz"
            t0=$(date +%s.%N)
            $seqgen fit "$aln" --model vae --seed "$seed" --threads 1 -o "$m" --force ${VAE_FLAGS:-} 2> "$tmp/fit.log"
            t1=$(date +%s.%N)
            $seqgen score "$m" --mutations "$csv" --samples 20 --seed 1 -o "$tmp/pred.csv" --force 2>/dev/null
            r=$(rho "$tmp/pred.csv" "$csv")
            stop=$(sed -n 's/^vae: \([0-9]*\) steps (\([a-z ]*\)).*/\1 (\2)/p' "$tmp/fit.log")
            echo "| $(basename "$aln" .a2m) | vae | default, seed $seed | ${r%%|*} | ${r##*|} | $(python3 -c "print('%.1f' % ($t1 - $t0))") | ${stop:-—} |"
            members+=("$m")
        done
        if [ ${#members[@]} -gt 1 ]; then
            with=(); for m in "${members[@]:1}"; do with+=(--ensemble-with "$m"); done
            $seqgen score "${members[0]}" "${with[@]}" --mutations "$csv" --samples 20 --seed 1 -o "$tmp/pred.csv" --force 2>/dev/null
            r=$(rho "$tmp/pred.csv" "$csv")
            echo "| $(basename "$aln" .a2m) | vae | ensemble of seeds ${VAE_SEEDS:-0 1 2 3} | ${r%%|*} | ${r##*|} | — | — |"
        fi
    fi
done
