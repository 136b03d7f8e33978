#!/usr/bin/env bash
# The main job on the bundled example: installs native deps if missing, builds seqgen, fits a Potts
# model to data/example.a3m (sampled from planted couplings, see data/README.md) and writes its
# contact map (CSV, CCMpred .mat, .npy, PNG) scored against the planted contacts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
swift build -c release --product seqgen
seqgen=.build/release/seqgen
out=example-output
mkdir -p "$out"
$seqgen info data/example.a3m
$seqgen fit data/example.a3m -o "$out/example.npz" --force
$seqgen contacts "$out/example.npz" -o "$out/example" --truth data/example.contacts --plot-pairs 32 --force
$seqgen eval contacts "$out/example.npz" --truth data/example.contacts
echo "contact map: $out/example.png"
echo "seqgen binary: $PWD/$seqgen (put it on PATH: export PATH=\"$PWD/.build/release:\$PATH\")"
