#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser with libFuzzer (swiftc -sanitize=fuzzer).
#   bash scripts/fuzz.sh [SECONDS] [TARGET …]     # default: 60 s per target, every target
# Builds `seqgen-fuzz` with the fuzzer into .build/fuzz, copies the seed corpus
# (Tests/FuzzCorpus/TARGET) into a scratch corpus, and runs each target for SECONDS. A crash stops
# with the crashing input saved as fuzz-crashes/TARGET-crash-…: add it to Tests/FuzzCorpus/TARGET
# (the FuzzTargetsTests suite replays that folder) and fix the parser.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
seconds=${1:-60}; shift || true
targets=${*:-alignment gzip pdb mmcif csv npy npz motif modelfile bed}
# lld: Debian's gold aborts (internal error) on the fuzzer runtime's debug info.
swift build -c release --build-path .build/fuzz --product seqgen-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -use-ld=lld | grep -E "error|warning: " || true
[ -x .build/fuzz/release/seqgen-fuzz ] || { echo "fuzz build failed"; exit 1; }
fuzz=.build/fuzz/release/seqgen-fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz-crashes
for t in $targets; do
    mkdir -p "$work/$t"
    cp Tests/FuzzCorpus/"$t"/* "$work/$t/"
    log="$work/$t.log"
    if ! "$fuzz" "$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="fuzz-crashes/$t-" -print_final_stats=1 "$work/$t" > "$log" 2>&1; then
        tail -30 "$log"
        echo "fuzz $t: FAILED (input saved under fuzz-crashes/)"
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz $t: $runs inputs in $seconds s, $cov, corpus $(ls "$work/$t" | wc -l) files, no crash"
done
