#!/usr/bin/env bash
# Fit memory: `seqgen fit --estimate-memory` beside the measured peak resident set size
# (/usr/bin/time -f %M) of the same fit, per L, on alignments from `seqgen simulate`.
# Usage: [MODEL=potts|ardca|attention|vae|lm] bash Benchmarks/memory.sh [LENGTHS] [SEQUENCES]
#   (defaults potts, "50 100 200 500", 200; the other models run a short fit: their peak comes
#   from the model's size, not from the number of steps)
# Each Potts fit runs 8 iterations (L-BFGS's history, at most 5 pairs by default, is then full) with
# a checkpoint every 2 iterations (checkpoints are streamed from the optimizer's vectors: they must
# not raise the peak), at the default history (`PottsFit.defaultMemory`: 2 pairs from L ≈ 590) or
# HISTORY=m. L = 1000 needs ≈ 6.5 GB (HISTORY=5: 11.3 GB): add it only where that is free
# (`... "50 100 200 500 1000"`).
# With CCMPRED=/path/to/ccmpred (Potts only) CCMpred runs on the same alignment, -t THREADS, and its
# peak RSS is a last column: it allocates and touches its buffers in its first evaluation, and a
# full fit at large L takes hours, so it is stopped after CCMPRED_SECONDS (default 120; its peak at
# L = 1000, N = 10,000 was reached within 60 s here and held until 300 s).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
[ -x /usr/bin/time ] || { echo "skipping: /usr/bin/time is absent (apt-get install time)"; exit 0; }
swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
lengths=${1:-"50 100 200 500"}
n=${2:-200}
threads=${THREADS:-2}
model=${MODEL:-potts}
[ "$model" = potts ] || HISTORY=        # a Potts option
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ccmpred=${CCMPRED:-}
[ "$model" = potts ] || ccmpred=
if [ -n "$ccmpred" ]; then
    echo "| L | N | estimate (GB) | measured peak RSS (GB) | measured / estimate | fit wall s | fit CPU s | CCMpred peak RSS (GB) |"
    echo "|---|---|---|---|---|---|---|---|"
else
    echo "| L | N | estimate (GB) | measured peak RSS (GB) | measured / estimate | fit wall s | fit CPU s |"
    echo "|---|---|---|---|---|---|---|"
fi
for l in $lengths; do
    $seqgen simulate --length "$l" --sequences "$n" --seed 1 -o "$tmp/a$l.a3m" --quiet
    est=$($seqgen fit "$tmp/a$l.a3m" --model "$model" --estimate-memory --threads "$threads" ${HISTORY:+--lbfgs-memory $HISTORY} | python3 -c "import json,sys; print(json.load(sys.stdin)['bytes'])")
    case $model in
        potts) extra="--max-iterations 8 ${HISTORY:+--lbfgs-memory $HISTORY} --tolerance 0 --gradient-tolerance 0 --checkpoint-every 2" ;;
        ardca) extra="--max-iterations 15" ;;
        attention) extra="--steps 30" ;;
        vae) extra="--vae-steps 60" ;;
        lm) extra="--lm-steps 20 --evaluate-every 10" ;;
        *) echo "MODEL must be potts, ardca, attention, vae or lm"; exit 2 ;;
    esac
    /usr/bin/time -f "%M %e %U %S" -o "$tmp/time$l" $seqgen fit "$tmp/a$l.a3m" --model "$model" -o "$tmp/m$l.npz" --threads "$threads" \
        $extra --quiet 2>/dev/null
    read -r kb wall user sys < "$tmp/time$l"
    peer=""
    if [ -n "$ccmpred" ]; then
        grep -v '^>' "$tmp/a$l.a3m" > "$tmp/a$l.aln"      # simulated rows: no insertions
        /usr/bin/time -f "%M" -o "$tmp/ccm$l" timeout -s INT "${CCMPRED_SECONDS:-120}" "$ccmpred" -t "$threads" \
            "$tmp/a$l.aln" "$tmp/c$l.mat" >/dev/null 2>&1 || true
        peer=$(python3 -c "print(' %.3f |' % ($(tail -1 "$tmp/ccm$l") * 1024 / 1e9))")
        rm -f "$tmp/a$l.aln" "$tmp/c$l.mat"
    fi
    python3 -c "e=$est; m=$kb*1024; print('| $l | $n | %.3f | %.3f | %.3f | %.1f | %.1f |' % (e/1e9, m/1e9, m/e, $wall, $user + $sys) + '$peer')"
    rm -f "$tmp/m$l.npz" "$tmp/a$l.a3m"
done
