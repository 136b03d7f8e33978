#!/usr/bin/env bash
# Workflow overhead: the same seqgen commands run by hand (one after another, as a user would type
# them) beside the Snakemake workflow (--cores 2), alternated; prints wall seconds and the ratio.
#   bash Benchmarks/workflow.sh [CONFIG] [REPEATS]     (default: workflow/config-ci.yaml, 2)
# Needs snakemake (scripts/setup.sh installs it) and the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
config=${1:-workflow/config-ci.yaml}
repeats=${2:-2}
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
table=$(python3 -c "import yaml,sys; c=yaml.safe_load(open('$config')); print(c['families'])")
models=$(python3 -c "import yaml; c=yaml.safe_load(open('$config')); print(' '.join(c['models']))")
threads=$(python3 -c "import yaml; c=yaml.safe_load(open('$config')); print(c.get('threads', 2))")

# The workflow's commands, typed by hand: info, then per model fit → contacts → eval → score → eval.
by_hand() {
    local out=$1; mkdir -p "$out"
    # Tabs are whitespace to `read` (empty fields would collapse): split on '|' instead.
    python3 -c "import csv,sys; [print('|'.join(r[k] or '' for k in ('family','alignment','alignment_options','structure','chain','truth','dms','dms_options'))) for r in csv.DictReader(open(sys.argv[1]), delimiter='\t')]" "$table" |
    while IFS='|' read -r fam aln opts pdb chain truth dms dmsopts; do
        [ -e "$aln" ] || continue
        local t=""; [ -n "$pdb" ] && t="--pdb $pdb${chain:+ --chain $chain}"; [ -n "$truth" ] && t="--truth $truth"
        $seqgen info "$aln" $opts --json > "$out/$fam.info.json"
        for m in $models; do
            $seqgen fit "$aln" $opts --model "$m" --estimate-memory > "$out/$fam.$m.memory.json"
            $seqgen fit "$aln" $opts --model "$m" -o "$out/$fam.$m.npz" --threads "$threads" --quiet 2>/dev/null
            if [ -n "$t" ] && [ "$m" != pssm ]; then
                $seqgen contacts "$out/$fam.$m.npz" -o "$out/$fam.$m.contacts" $t 2>/dev/null
                $seqgen eval contacts "$out/$fam.$m.npz" $t --json > "$out/$fam.$m.eval-contacts.json"
            fi
            if [ -n "$dms" ]; then
                $seqgen score "$out/$fam.$m.npz" --mutations "$dms" $dmsopts -o "$out/$fam.$m.scores.csv" 2>/dev/null
                $seqgen eval mutations "$out/$fam.$m.scores.csv" --dms "$dms" --json > "$out/$fam.$m.eval-mutations.json"
            fi
        done
    done
}

# Wall and CPU (user + system, children included) seconds of one side.
measure() { local TIMEFORMAT='%R %U %S'; { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{printf "%.2f %.2f", $1, $2 + $3}'; }
flow_run() { snakemake -s workflow/Snakefile --cores 2 --configfile "$config" --config outdir="$1" -q; }

hand=(); flow=()
for r in $(seq 1 "$repeats"); do
    hand+=("$(measure by_hand "$work/hand$r")")
    flow+=("$(measure flow_run "$work/flow$r")")
    echo "run $r: by hand ${hand[-1]% *} s wall, ${hand[-1]#* } s CPU; workflow ${flow[-1]% *} s wall, ${flow[-1]#* } s CPU"
done
python3 - "${hand[@]}" -- "${flow[@]}" <<'PY'
import statistics, sys
args = sys.argv[1:]; cut = args.index("--")
h = [tuple(map(float, a.split())) for a in args[:cut]]; f = [tuple(map(float, a.split())) for a in args[cut + 1:]]
for k, what in ((0, "wall"), (1, "CPU")):
    hs = [x[k] for x in h]; fs = [x[k] for x in f]
    print(f"{what:4s} by hand  min {min(hs):.1f} s, median {statistics.median(hs):.1f} s; workflow min {min(fs):.1f} s, "
          f"median {statistics.median(fs):.1f} s; ratio workflow / by hand: min {min(fs)/min(hs):.2f}, median {statistics.median(fs)/statistics.median(hs):.2f}")
PY
