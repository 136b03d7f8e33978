#!/usr/bin/env bash
# Potts fit: seqgen beside CCMpred, measured side by side. CCMpred is not part of this repository:
# build it from its public source outside the checkout and pass the binary as CCMPRED=/path/to/ccmpred
# (see Benchmarks/README.md); without it the script says so and exits 0.
#
# For every shared contact family, the mutation families' alignments and one deep alignment built
# here (ArDCA fitted on 1atzA, DEEP sequences sampled from it, 1atzA's query prepended; ≥ 10,000
# sequences, L = 75, in a temporary folder), it runs `ccmpred -t THREADS` and
# `seqgen fit --model potts --threads THREADS` alternately, REPEATS times each, and prints min / median
# wall and CPU (user + sys) seconds, the ratios CCMpred / seqgen, iterations, seqgen's final objective
# and P@L (top L pairs, |i − j| ≥ 6, Cβ < 8 Å) of both where a structure exists — the same score
# (APC-corrected Frobenius norms, CCMpred's .mat) scored by the same code (mat_precision.py).
#
# OpenMP threads wait passively (OMP_WAIT_POLICY=passive) so that spinning on this shared machine does
# not count as CCMpred CPU time. Settings. CCMpred: its defaults (21 states, gap a state; weights at 80% identity; λ_single 0.01,
# λ_pair 0.2·(L−1); conjugate gradients; stop when F fell by < 1% over the last 5 iterations).
# seqgen: its defaults (20 states, gaps as missing data; plmc's weights at 80% identity; λ_h 0.01,
# λ_J 0.2·(L−1); L-BFGS m = 5; stop when F fell by < 10⁻⁴·|F| over the last 5 iterations, at most 100),
# i.e. a 100× stricter stopping rule; SEQGEN_ARGS adds options (e.g. "--tolerance 0.01").
#
# Usage: CCMPRED=/path/to/ccmpred [REPEATS=3] [THREADS=2] [FAMILIES="1atzA dhfr …"] [DEEP=14000] [SEQGEN=binary]
#        [SEQGEN_ARGS="…"] [EXTRA="NAME=ALIGNMENT[:TRUTH] …"] bash Benchmarks/ccmpred.sh
# EXTRA adds families that are not in ../shared (e.g. one seqgen was never run on before): an aligned
# FASTA/A2M/.aln (gzip allowed) and optionally a file of true contacts, one pair of 1-based column
# numbers per line (from a distance table: awk '$4 < 8 {print int($1), int($2)}' tab_cont > truth).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CCMPRED:-}" ] || [ ! -x "${CCMPRED}" ]; then
    echo "skipping: set CCMPRED=/path/to/ccmpred (built from github.com/soedinglab/CCMpred outside this repository)"
    exit 0
fi
data=../shared/data
[ -d "$data/contacts" ] || { echo "skipping: $data/contacts is absent"; exit 0; }
. scripts/setup.sh >/dev/null
if [ -n "${SEQGEN:-}" ]; then
    seqgen=$SEQGEN
else
    swift build -c release --product seqgen >/dev/null
    seqgen=$PWD/.build/release/seqgen
fi
repeats=${REPEATS:-3}
threads=${THREADS:-2}
deep=${DEEP:-14000}
families=${FAMILIES:-"1atzA dhfr 1mkcA00 BLAT_ECOLX GFP_AEQVI deep"}
for e in ${EXTRA:-}; do families="$families ${e%%=*}"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# PSICOV/CCMpred format over the columns seqgen models (Benchmarks/model_columns.py).
to_psicov() { python3 Benchmarks/model_columns.py "$1" "$2"; }

# family → alignment | seqgen reading options | structure | chain
spec() {
    case $1 in
        1atzA) echo "$data/contacts/1atzA/1atzA.aln|--focus 2635|$data/contacts/1atzA/1atzA.pdb|" ;;
        dhfr) echo "$data/contacts/dhfr/DHFR.a2m||$data/contacts/dhfr/1RX2.pdb|A" ;;
        1mkcA00) echo "$data/contacts/1mkcA00/1mkcA00.aln||$data/contacts/1mkcA00/1mkcA00.pdb|" ;;
        BLAT_ECOLX) echo "$data/mutations/BLAT_ECOLX/BLAT_ECOLX.a2m|||" ;;
        GFP_AEQVI) echo "$data/mutations/GFP_AEQVI/GFP_AEQVI.a2m|||" ;;
        deep) echo "$tmp/deep.fasta||$data/contacts/1atzA/1atzA.pdb|" ;;
        *) for e in ${EXTRA:-}; do
               [ "${e%%=*}" = "$1" ] || continue
               rest=${e#*=}
               if [[ "$rest" == *:* ]]; then echo "${rest%%:*}||${rest#*:}|"; else echo "$rest|||"; fi
           done ;;
    esac
}

if [[ " $families " == *" deep "* ]]; then
    # The deep alignment: 1atzA's query (line 2635 of the .aln) first, then DEEP exact ArDCA samples.
    $seqgen fit "$data/contacts/1atzA/1atzA.aln" --focus 2635 --model ardca -o "$tmp/ardca.npz" --quiet
    $seqgen sample "$tmp/ardca.npz" -n "$deep" -o "$tmp/samples.fasta" --seed 1 --quiet
    { printf '>1atzA_query\n'; sed -n 2635p "$data/contacts/1atzA/1atzA.aln"; cat "$tmp/samples.fasta"; } > "$tmp/deep.fasta"
fi

stats() {   # stdin: "cpu wall" lines → "min_cpu med_cpu min_wall med_wall"
    python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
cpu, wall = [r[0] for r in rows], [r[1] for r in rows]
print("%.2f %.2f %.2f %.2f" % (min(cpu), statistics.median(cpu), min(wall), statistics.median(wall)))'
}

echo "CCMpred: $CCMPRED -t $threads (defaults); seqgen: fit --model potts --threads $threads ${SEQGEN_ARGS:-}; $repeats alternated runs each; seconds: min / median"
echo
echo "| family | N | L | CCMpred CPU s | seqgen CPU s | CPU ratio (min / median) | CCMpred wall s | seqgen wall s | wall ratio (min / median) | CCMpred it. | seqgen it. (evals) | seqgen objective | P@L CCMpred / seqgen |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for fam in $families; do
    IFS='|' read -r aln opts pdb chain <<< "$(spec "$fam")"
    [ -f "$aln" ] || { echo "| $fam | absent: $aln |"; continue; }
    to_psicov "$aln" "$tmp/$fam.psicov"
    : > "$tmp/ccm.times"; : > "$tmp/sg.times"
    for r in $(seq "$repeats"); do
        OMP_WAIT_POLICY=passive /usr/bin/time -f "%U %S %e" -o "$tmp/t" "$CCMPRED" -t "$threads" "$tmp/$fam.psicov" "$tmp/$fam.ccm.mat" > "$tmp/$fam.ccm.log" 2>&1
        awk '{print $1 + $2, $3}' "$tmp/t" >> "$tmp/ccm.times"
        # shellcheck disable=SC2086
        /usr/bin/time -f "%U %S %e" -o "$tmp/t" $seqgen fit "$aln" $opts --model potts --threads "$threads" ${SEQGEN_ARGS:-} -o "$tmp/$fam.npz" --force 2> "$tmp/$fam.sg.log"
        awk '{print $1 + $2, $3}' "$tmp/t" >> "$tmp/sg.times"
    done
    read -r cc_min cc_med cw_min cw_med <<< "$(stats < "$tmp/ccm.times")"
    read -r sc_min sc_med sw_min sw_med <<< "$(stats < "$tmp/sg.times")"
    ratio() { python3 -c "print('%.1f× / %.1f×' % ($1 / $2, $3 / $4))"; }
    n=$(wc -l < "$tmp/$fam.psicov"); l=$(head -1 "$tmp/$fam.psicov" | tr -d '\n' | wc -c)
    ccm_it=$(awk '/^[[:space:]]*[0-9]+[[:space:]]+[0-9]+[[:space:]]+[-0-9.e+]+/{it=$1} END{print it}' "$tmp/$fam.ccm.log")
    sg_line=$(grep -o 'L-BFGS: .*' "$tmp/$fam.sg.log" | tail -1)
    sg_it=$(echo "$sg_line" | sed -n 's/L-BFGS: \([0-9]*\) iterations, \([0-9]*\) evaluations.*/\1 (\2)/p')
    sg_obj=$(echo "$sg_line" | sed -n 's/.*objective \([-0-9.e+]*\).*/\1/p')
    pl="—"
    if [ -n "$pdb" ]; then
        $seqgen contacts "$tmp/$fam.npz" -o "$tmp/$fam.sg" --force --quiet >/dev/null 2>&1
        pl="$(python3 Benchmarks/mat_precision.py "$tmp/$fam.ccm.mat" "$pdb" $chain) / $(python3 Benchmarks/mat_precision.py "$tmp/$fam.sg.mat" "$pdb" $chain)"
    fi
    echo "| $fam | $n | $l | $cc_min / $cc_med | $sc_min / $sc_med | $(ratio "$cc_min" "$sc_min" "$cc_med" "$sc_med") | $cw_min / $cw_med | $sw_min / $sw_med | $(ratio "$cw_min" "$sw_min" "$cw_med" "$sw_med") | $ccm_it | $sg_it | $sg_obj | $pl |"
done
