#!/usr/bin/env bash
# Byte-identical model files (issue 23, "Done means"): fits every model kind and trains a small CNN
# with the built seqgen binary and compares each file byte for byte with the copy committed here,
# which the code made BEFORE the library refactor of issue 23. A difference means a change altered
# what seqgen computes (or the file layout) — not allowed for a refactor.
#
#   bash Tests/Fixtures/golden/golden.sh          # check (exit 1 on any difference)
#   bash Tests/Fixtures/golden/golden.sh --write  # regenerate the committed files (only on purpose)
#
# Inputs: the first 10 columns of the first 400 sequences of data/example.a3m (the bundled example,
# cut so each model file stays under 200 KB: a full-length Potts J is 64²·21²·4 B = 7 MB), and a
# 400-sequence × 40 bp synthetic DNA set made by `seqgen cnn synth` from a two-motif file (as in
# scripts/cli-smoke.sh). Every command runs with --threads 2 and a fixed --seed: the thread count is
# stored in the file (meta_threads) and fixes how seqgen splits its sums over threads.
#
# What the comparison assumes (why the same bytes on another machine): seqgen's own kernels are
# compiled for x86-64-v3 (`-target-cpu haswell`, Package.swift) whatever the machine, so their
# floating-point results do not depend on the CPU; OpenBLAS chooses its kernels by CPU at run time,
# and those are fixed by OPENBLAS_CORETYPE, which scripts/setup.sh (sourced by scripts/test.sh, the
# README test command that .ci/run calls) sets to SkylakeX on AVX-512 machines — the machine that
# made these files. This script sources setup.sh too.
# Measured (OPENBLAS_CORETYPE=Haswell on the same machine): potts, pssm, ardca and the DNA set stay
# byte-identical under another OpenBLAS kernel (their sums are seqgen's own or level-1 BLAS with
# one thread); gaussian (LAPACK Cholesky), attention and the CNN (sgemm) differ in the last bits,
# growing through training (CNN biases by up to 7e-3 after 3 epochs). So: with SkylakeX kernels
# every file must be byte-identical; under any other kernel the first four still must, and the
# three BLAS-dependent files must have the same arrays, names, shapes, dtypes and non-float values,
# with floats within 5e-2 absolute + 5e-2 relative (a weaker check, said in the output).
set -uo pipefail
cd "$(dirname "$0")/../../.."
. scripts/setup.sh >/dev/null
seqgen=${SEQGEN:-.build/release/seqgen}
golden=Tests/Fixtures/golden
write=0; [ "${1:-}" = "--write" ] && write=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk 'NR <= 802 { if (/^>/) print; else print substr($0, 1, 10) }' data/example.a3m > "$tmp/example10.a3m"
printf '>M1 TATA\nA [ 0 9 0 9 0 0 ]\nC [ 0 0 0 0 0 9 ]\nG [ 0 0 0 0 9 0 ]\nT [ 9 0 9 0 0 0 ]\n>M2 GGCC\nA [ 0 0 0 0 ]\nC [ 0 0 9 9 ]\nG [ 9 9 0 0 ]\nT [ 0 0 0 0 ]\n' > "$tmp/two.pfm"
run() { "$@" --quiet --force > "$tmp/log" 2>&1 || { echo "FAILED to run: $*"; cat "$tmp/log"; exit 1; }; }
aln=$tmp/example10.a3m
run $seqgen fit "$aln" --threads 2 --model potts --max-iterations 30 -o "$tmp/potts.npz"
run $seqgen fit "$aln" --threads 2 --model pssm --pseudocount-fraction 0.1 -o "$tmp/pssm.npz"
run $seqgen fit "$aln" --threads 2 --model gaussian -o "$tmp/gaussian.npz"
run $seqgen fit "$aln" --threads 2 --model attention --heads 4 --head-dim 4 --steps 30 --seed 3 -o "$tmp/attention.npz"
run $seqgen fit "$aln" --threads 2 --model ardca --max-iterations 30 -o "$tmp/ardca.npz"
run $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 400 --length 40 --motifs-per-sequence 1-2 --seed 1 -o "$tmp/dna.npz"
run $seqgen cnn train "$tmp/dna.npz" --threads 2 --architecture "conv8x7 bn exp pool2 dropout0.1 flatten dense16 relu" --epochs 3 --batch-size 40 --learning-rate 0.01 --seed 2 -o "$tmp/cnn.npz"
files="potts.npz pssm.npz gaussian.npz attention.npz ardca.npz dna.npz cnn.npz"
if [ $write = 1 ]; then
    for f in $files; do cp "$tmp/$f" "$golden/$f"; done
    ls -l $golden; exit 0
fi
portable="potts.npz pssm.npz ardca.npz dna.npz"
exact_everywhere() { case " $portable " in *" $1 "*) return 0;; esac; return 1; }
bad=0
for f in $files; do
    if cmp -s "$tmp/$f" "$golden/$f"; then echo "golden: $f identical"; continue; fi
    if [ "${OPENBLAS_CORETYPE:-}" != SkylakeX ] && ! exact_everywhere "$f"; then
        if python3 - "$tmp/$f" "$golden/$f" <<'PY'
import sys, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
assert a.files == b.files, (a.files, b.files)
for k in a.files:
    x, y = a[k], b[k]
    assert x.shape == y.shape and x.dtype == y.dtype, k
    if x.dtype.kind == "f": assert np.allclose(x, y, rtol=5e-2, atol=5e-2), k
    else: assert np.array_equal(x, y), k
PY
        then echo "golden: $f close (not byte-identical: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-default}, the files were made with SkylakeX)"; continue; fi
    fi
    bad=$((bad+1)); echo "GOLDEN MISMATCH: $f differs from $golden/$f"
    python3 - "$tmp/$f" "$golden/$f" <<'PY' 2>/dev/null || true
import sys, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
for k in sorted(set(a.files) | set(b.files)):
    if k not in a.files or k not in b.files: print("  array", k, "only in one file"); continue
    x, y = a[k], b[k]
    if x.shape != y.shape or x.dtype != y.dtype: print("  array", k, x.dtype, x.shape, "vs", y.dtype, y.shape); continue
    if not np.array_equal(x, y):
        d = np.abs(x.astype(float) - y.astype(float)).max() if x.dtype.kind in "fiu" else "-"
        print("  array", k, "differs, max |diff|", d)
PY
done
[ $bad = 0 ] || exit 1
echo "golden: all $(echo $files | wc -w) model files match"
