#!/usr/bin/env bash
# End-to-end checks of the seqgen binary: the example job runs, and bad input gets a one-line error
# naming the file (and line) with a non-zero exit — never a crash. Prints "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
seqgen=.build/release/seqgen
tmp=$(mktemp -d)
pass=0; fail=0
check() {   # name, expected exit (0 / nonzero), pattern, command…
    local name=$1 want=$2 pattern=$3; shift 3
    local out; out=$("$@" 2>&1); local rc=$?
    if { [ "$want" = 0 ] && [ $rc -eq 0 ]; } || { [ "$want" != 0 ] && [ $rc -ne 0 ] && [ $rc -lt 128 ]; }; then
        if [ -z "$pattern" ] || printf "%s" "$out" | grep -q -- "$pattern"; then pass=$((pass+1)); return; fi
    fi
    fail=$((fail+1)); echo "FAILED: $name (exit $rc)"; printf '%s\n' "$out" | tail -5
}
printf '>a\nACDE\n' > "$tmp/one.a3m"
printf '>a\nA\n>b\nC\n' > "$tmp/narrow.a3m"
printf '>a\nAC-E\n>b\nAC-F\n' > "$tmp/gapcol.a3m"
printf '>a\nACDE\n>b\nACD\n' > "$tmp/ragged.fasta"
printf '' > "$tmp/empty.a3m"
check "example fit" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/ex.npz" --quiet
check "example contacts" 0 "wrote" $seqgen contacts "$tmp/ex.npz" -o "$tmp/ex" --truth data/example.contacts
check "example eval" 0 "top-L" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts
check "refuses to overwrite" 1 "pass --force" $seqgen fit data/example.a3m -o "$tmp/ex.npz"
check "one sequence" 1 "at least 2 sequences" $seqgen fit "$tmp/one.a3m" -o "$tmp/x.npz"
check "L = 1" 1 "at least 2 columns" $seqgen fit "$tmp/narrow.a3m" -o "$tmp/x.npz"
check "all-gap column" 1 "gaps in every sequence" $seqgen fit "$tmp/gapcol.a3m" -o "$tmp/x.npz"
check "ragged rows" 1 "ragged.fasta:3:" $seqgen info "$tmp/ragged.fasta"
check "empty file" 1 "no sequences" $seqgen info "$tmp/empty.a3m"
check "missing file" 1 "cannot open" $seqgen info "$tmp/nope.a3m"
check "pssm has no contacts" 0 "wrote" $seqgen fit data/example.a3m --model pssm -o "$tmp/p.npz"
check "contacts need couplings" 1 "no couplings" $seqgen contacts "$tmp/p.npz" -o "$tmp/p"
check "no half-written model" 0 "" test ! -e "$tmp/x.npz"
focus=$(sed -n 2p data/example.a3m); a=${focus:0:1}; b=${focus:1:1}; other=$([ "$a" = A ] && echo C || echo A)
check "gaussian fit" 0 "Gaussian: D = 1280" $seqgen fit data/example.a3m --model gaussian -o "$tmp/g.npz"
check "partial correlations" 0 "wrote" $seqgen contacts "$tmp/g.npz" -o "$tmp/gpc" --partial-correlation --truth data/example.contacts
check "score mutants" 0 "^${a}1${other}," $seqgen score "$tmp/ex.npz" --mutants "${a}1${other},${a}1${other}:${b}2${other}"
check "wild-type mismatch" 1 "wild type at 1 is $a" $seqgen score "$tmp/ex.npz" --mutants "${other}1${a}"
check "single-mutant scan" 0 "64 positions × 20" $seqgen score "$tmp/g.npz" --scan -o "$tmp/scan"
printf 'mutant,DMS_score\n%s1%s,0.5\n%s2%s,-1\n%s1%s:%s2%s,-2\n' "$a" "$other" "$b" "$other" "$a" "$other" "$b" "$other" > "$tmp/dms.csv"
check "score a table" 0 "scored 3 of 3" $seqgen score "$tmp/ex.npz" --mutations "$tmp/dms.csv" -o "$tmp/pred.csv"
check "eval mutations" 0 "Spearman" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv"
check "attention fit" 0 "adam: 30 steps" $seqgen fit data/example.a3m --model attention --steps 30 --heads 8 --head-dim 8 --seed 3 -o "$tmp/att.npz"
check "attention is seeded" 0 "adam: 30 steps" $seqgen fit data/example.a3m --model attention --steps 30 --heads 8 --head-dim 8 --seed 3 -o "$tmp/att2.npz"
check "same seed, same model" 0 "" cmp "$tmp/att.npz" "$tmp/att2.npz"
check "compare potts vs attention" 0 "heads that align" $seqgen compare "$tmp/ex.npz" "$tmp/att.npz" --plot "$tmp/cmp.png"
check "compare with itself" 0 "top-L overlap 64/64" $seqgen compare "$tmp/ex.npz" "$tmp/ex.npz"
check "compare needs couplings" 1 "need couplings" $seqgen compare "$tmp/ex.npz" "$tmp/p.npz"
# Figures: every --plot takes .png or .svg; PNGs are recognised by file(1), SVGs parse as XML.
check "svg contact map" 0 "wrote" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exs" --plot "$tmp/exs.svg" --plot-pairs 32 --truth data/example.contacts
check "eval contacts plot" 0 "top-L" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --plot "$tmp/ev.png" --plot-separation 12
check "eval plot refuses overwrite" 1 "pass --force" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --plot "$tmp/ev.png"
check "training curve" 0 "wrote .*curve.png" $seqgen fit data/example.a3m -o "$tmp/c.npz" --max-iterations 5 --curve "$tmp/curve.png" --quiet
check "curve needs an iterative model" 1 "closed form" $seqgen fit data/example.a3m --model pssm -o "$tmp/c2.npz" --curve "$tmp/c2.png"
check "mutation scatter" 0 "Spearman" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --plot "$tmp/scatter.svg"
check "logo from an alignment" 0 "64 positions × 20 letters" $seqgen logo data/example.a3m -o "$tmp/logo.png"
check "logo from a model, range" 0 "10 positions × 20 letters" $seqgen logo "$tmp/p.npz" --range 5-14 -o "$tmp/logo.svg"
printf '>MA0001.1 TEST\nA [ 10 0 0 5 ]\nC [ 0 10 0 5 ]\nG [ 0 0 10 0 ]\nT [ 0 0 0 0 ]\n' > "$tmp/m.pfm"
check "logo from a JASPAR motif" 0 "4 positions × 4 letters" $seqgen logo "$tmp/m.pfm" --motif TEST -o "$tmp/motif.png"
check "unknown motif" 1 "no motif with ID or name 'X'" $seqgen logo "$tmp/m.pfm" --motif X -o "$tmp/x.png"
printf '>MA0001.1 BAD\nA [ 1 2 ]\nC [ 1 ]\nG [ 1 2 ]\nT [ 1 2 ]\n' > "$tmp/bad.pfm"
check "bad motif names the line" 1 "bad.pfm:1: motif MA0001.1: base rows have different lengths" $seqgen logo "$tmp/bad.pfm" -o "$tmp/x.png"
python3 -c "import numpy as np; np.save('$tmp/attr.npy', np.array([[1, -0.5, 0, 0], [0, 0, 2, -1]], dtype=np.float32))" 2>/dev/null
if [ -e "$tmp/attr.npy" ]; then
    check "signed logo" 0 "2 positions × 4 letters" $seqgen logo "$tmp/attr.npy" --signed -o "$tmp/attr.png"
    check "negative values need --signed" 1 "pass --signed" $seqgen logo "$tmp/attr.npy" -o "$tmp/attr2.png"
fi
for f in "$tmp"/*.png; do check "PNG $(basename "$f")" 0 "PNG image data" file -b "$f"; done
for f in "$tmp"/*.svg; do check "SVG $(basename "$f")" 0 "" python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$f"; done
# Reliability: checkpoint on SIGINT and resume to the identical model; refusals; reproducibility.
att="data/example.a3m --model attention --steps 40 --heads 8 --head-dim 8 --seed 5 --quiet"
check "uninterrupted attention fit" 0 "adam: 40 steps" $seqgen fit $att -o "$tmp/a-full.npz"
$seqgen fit $att -o "$tmp/a-int.npz" --checkpoint-every 10 2> "$tmp/int.log" & pid=$!
for _ in $(seq 1 300); do [ -e "$tmp/a-int.npz.ckpt.npz" ] && break; sleep 0.1; done
kill -INT $pid; wait $pid; rc=$?
check "SIGINT exits with 130 after a checkpoint" 0 "" test $rc -eq 130 -a ! -e "$tmp/a-int.npz" -a -e "$tmp/a-int.npz.ckpt.npz"
check "SIGINT message" 0 "continue with --resume" cat "$tmp/int.log"
check "resume with other settings is refused" 1 "different input or settings" $seqgen fit $att --learning-rate 0.01 -o "$tmp/a-x.npz" --resume "$tmp/a-int.npz.ckpt.npz"
check "resume finishes the fit" 0 "adam: 40 steps" $seqgen fit $att -o "$tmp/a-int.npz" --resume "$tmp/a-int.npz.ckpt.npz"
check "resumed = uninterrupted, byte for byte" 0 "" cmp "$tmp/a-full.npz" "$tmp/a-int.npz"
check "potts checkpoints every N" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/pc.npz" --checkpoint-every 2 --max-iterations 4 --checkpoint "$tmp/pc.ckpt.npz" --quiet
check "no checkpoint for closed-form fits" 1 "closed form" $seqgen fit data/example.a3m --model gaussian -o "$tmp/g2.npz" --checkpoint-every 5
python3 -c "
import random; random.seed(1); aa='ACDEFGHIKLMNPQRSTVWY'
print('>a'); print(''.join(random.choice(aa) for _ in range(3000))); print('>b'); print(''.join(random.choice(aa) for _ in range(3000)))" > "$tmp/wide.a3m"
check "memory estimate over the available memory is refused" 1 "GB is available; memory grows as L" $seqgen fit "$tmp/wide.a3m" -o "$tmp/w.npz"
echo "precious" > "$tmp/keep.npz"
check "a failing run with --force keeps the old output" 1 "at least 2 sequences" $seqgen fit "$tmp/one.a3m" -o "$tmp/keep.npz" --force
check "old output intact" 0 "precious" cat "$tmp/keep.npz"
check "potts fit, 2 threads" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/t1.npz" --threads 2 --quiet
check "potts fit again" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/t2.npz" --threads 2 --quiet
check "same input and threads, same bytes" 0 "" cmp "$tmp/t1.npz" "$tmp/t2.npz"
# Autoregressive DCA and sampling: exact likelihoods, seeded samples, conditioning, generative evaluation.
check "ardca fit" 0 "ardca: 64 regressions (entropic order)" $seqgen fit data/example.a3m --model ardca -o "$tmp/ar.npz"
check "ardca fit, natural order" 0 "natural order" $seqgen fit data/example.a3m --model ardca --order natural -o "$tmp/ar-nat.npz" --quiet
check "ardca scores mutants" 0 "^${a}1${other}," $seqgen score "$tmp/ar.npz" --mutants "${a}1${other},${a}1${other}:${b}2${other}"
check "ardca contacts (epistatic score)" 0 "top-L" $seqgen eval contacts "$tmp/ar.npz" --truth data/example.contacts
check "sample ardca (exact)" 0 "exact ancestral" $seqgen sample "$tmp/ar.npz" -n 300 -o "$tmp/s-ar.fa" --seed 4
check "sample ardca again" 0 "exact ancestral" $seqgen sample "$tmp/ar.npz" -n 300 -o "$tmp/s-ar2.fa" --seed 4 --threads 1
check "same seed, same samples (any thread count)" 0 "" cmp "$tmp/s-ar.fa" "$tmp/s-ar2.fa"
check "sample pssm" 0 "exact (independent columns)" $seqgen sample "$tmp/p.npz" -n 300 -o "$tmp/s-ps.fa"
check "sample potts (Gibbs chains)" 0 "mixing: overlap within chains" $seqgen sample "$tmp/ex.npz" -n 200 --chains 10 --burn-in 20 --thin 2 -o "$tmp/s-po.fa" --seed 2
check "sample potts again" 0 "Gibbs MCMC" $seqgen sample "$tmp/ex.npz" -n 200 --chains 10 --burn-in 20 --thin 2 -o "$tmp/s-po2.fa" --seed 2
check "same seed, same MCMC samples" 0 "" cmp "$tmp/s-po.fa" "$tmp/s-po2.fa"
check "stuck chains are flagged" 0 "warning: chains have not mixed" $seqgen sample "$tmp/ex.npz" -n 200 --chains 4 --burn-in 0 --thin 1 --temperature 0.05 -o "$tmp/s-cold.fa"
check "conditional sampling" 0 "Gibbs MCMC" $seqgen sample "$tmp/ar.npz" -n 50 --fix "1=${other},3=W" --chains 5 --burn-in 5 --thin 1 -o "$tmp/s-fix.fa"
check "fixed residues are kept" 0 "^0$" sh -c "awk 'NR % 2 == 0 && (substr(\$0, 1, 1) != \"${other}\" || substr(\$0, 3, 1) != \"W\")' '$tmp/s-fix.fa' | wc -l"
check "local sampling around a sequence" 0 "Gibbs MCMC" $seqgen sample "$tmp/ex.npz" -n 20 --from "$focus" --chains 2 --burn-in 1 --thin 1 -o "$tmp/s-from.fa"
check "--from with a PSSM is refused" 1 "a PSSM samples every column independently" $seqgen sample "$tmp/p.npz" -n 5 --from "$focus" -o "$tmp/x.fa"
check "--fix outside the model" 1 "residue 999 is not a model column" $seqgen sample "$tmp/ar.npz" -n 5 --fix 999=A -o "$tmp/x.fa"
check "--fix unparsable" 1 "cannot parse '12A'" $seqgen sample "$tmp/ar.npz" -n 5 --fix 12A -o "$tmp/x.fa"
check "--from of the wrong length" 1 "must be 64 letters" $seqgen sample "$tmp/ex.npz" -n 5 --from ACDE -o "$tmp/x.fa"
check "sample refuses to overwrite" 1 "pass --force" $seqgen sample "$tmp/ar.npz" -n 5 -o "$tmp/s-ar.fa"
check "eval generative" 0 "connected C_ij" $seqgen eval generative "$tmp/s-ar.fa" --reference data/example.a3m --triplets 50 --plot "$tmp/gen.png"
check "eval generative figure" 0 "PNG image data" file -b "$tmp/gen.png"
check "eval generative --json" 0 '"pearson_connected": ' $seqgen eval generative "$tmp/s-po.fa" --reference data/example.a3m --triplets 20 --json
check "eval generative, wrong width" 1 "samples have 4 columns but the reference has 64" $seqgen eval generative "$tmp/one.a3m" --reference data/example.a3m
# Regulatory CNN: synthetic data with known motifs, a short training run, evaluation.
printf '>M1 TATA\nA [ 0 9 0 9 0 0 ]\nC [ 0 0 0 0 0 9 ]\nG [ 0 0 0 0 9 0 ]\nT [ 9 0 9 0 0 0 ]\n>M2 GGCC\nA [ 0 0 0 0 ]\nC [ 0 0 9 9 ]\nG [ 9 9 0 0 ]\nT [ 0 0 0 0 ]\n' > "$tmp/two.pfm"
check "cnn synth" 0 "280/40/80 train/valid/test × 40 bp" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 400 --length 40 --motifs-per-sequence 1-2 --seed 1 -o "$tmp/dna.npz"
check "cnn synth is seeded" 0 "wrote" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 400 --length 40 --motifs-per-sequence 1-2 --seed 1 -o "$tmp/dna2.npz"
check "same seed, same dataset" 0 "" cmp "$tmp/dna.npz" "$tmp/dna2.npz"
check "cnn data" 0 "positives per task" $seqgen cnn data "$tmp/dna.npz"
python3 -c "
import numpy as np; d = dict(np.load('$tmp/dna.npz')); [d.pop(k) for k in list(d) if k.startswith('model_')]; np.savez('$tmp/dna-nogt.npz', **d)" 2>/dev/null
check "unknown motif name" 1 "motif 'NOPE' is not in the motif file" $seqgen cnn synth --motifs "$tmp/two.pfm" --names NOPE -o "$tmp/x.npz"
check "motifs do not fit" 1 "do not fit in 10 bases" $seqgen cnn synth --motifs "$tmp/two.pfm" --names TATA --length 10 --motifs-per-sequence 2-3 -o "$tmp/x.npz"
check "cnn train" 0 "wrote" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax dense16 relu" --epochs 3 --batch-size 40 --learning-rate 0.01 -o "$tmp/cnn.npz" --curve "$tmp/cnn-curve.png"
check "bad architecture" 1 "unknown layer 'wibble'" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 wibble" -o "$tmp/x.npz"
check "cnn train, early stopping on AUPR" 0 "AUPR" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --monitor aupr -o "$tmp/cnn-aupr.npz"
check "cnn evaluate" 0 "mean AUROC" $seqgen cnn evaluate "$tmp/cnn.npz" "$tmp/dna.npz"
check "evaluate a Potts model as CNN" 1 "not a seqgen CNN model" $seqgen cnn evaluate "$tmp/ex.npz" "$tmp/dna.npz"
cp "$tmp/two.pfm" "$tmp/fake.h5"
for m in saliency gradxinput ig smoothgrad ism deeplift deepshap; do
    check "cnn attribute $m" 0 "$m: 20 sequences × 40 bp" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --method $m --count 20 --steps 10 --samples 3 -o "$tmp/attr-$m.npy"
done
check "attribution logo" 0 "saliency" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --count 5 --correct -o "$tmp/attr-corrected.npy" --logo "$tmp/attr-logo.png"
check "attribution .npz, channels last" 0 "" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --count 6 --channels-last -o "$tmp/attr.npz"
check "attribution .npz holds (N, L, 4) maps, sequences, indices" 0 "(6, 40, 4) (6, 40, 4) (6,)" python3 -c "import sys, zipfile, re; z = zipfile.ZipFile(sys.argv[1]); print(*[re.search(r\"'shape': (\(.*?\))\", z.read(k)[:128].decode('latin1')).group(1) for k in ['attributions.npy', 'x.npy', 'index.npy']])" "$tmp/attr.npz"
check "interpretability" 0 "interpretability AUROC" $seqgen cnn interpretability "$tmp/cnn.npz" "$tmp/dna.npz" --method ism --count 40
check "interpretability needs ground truth" 1 "no ground truth" $seqgen cnn interpretability "$tmp/cnn.npz" "$tmp/dna-nogt.npz"
check "HDF5 that is not HDF5" 1 "fake.h5: not an HDF5 file" $seqgen cnn data "$tmp/fake.h5"
# DNA from FASTA + a label table; prediction; reverse-complement sharing; resumable training.
awk 'BEGIN { srand(3); print "id\tbound"; for (i = 0; i < 120; i++) { s = ""; for (j = 0; j < 40; j++) s = s substr("ACGT", int(rand() * 4) + 1, 1);
     y = i % 2; if (y) s = substr(s, 1, 10) "TATAGC" substr(s, 17); printf(">r%d\n%s\n", i, s) > "/dev/stderr"; print "r" i "\t" y } }' \
    > "$tmp/labels.tsv" 2> "$tmp/reads.fa"
printf '>short\nACGT\n' > "$tmp/short.fa"
printf '>r0\nACGTACGT\n>r1\nACGTAC\n' > "$tmp/ragged.fa"
check "cnn data from FASTA + labels" 0 "1 task(s): bound" $seqgen cnn data "$tmp/reads.fa" --labels "$tmp/labels.tsv" -o "$tmp/reads.npz"
check "FASTA needs labels" 1 "give its labels with --labels" $seqgen cnn train "$tmp/reads.fa" -o "$tmp/x.npz"
check "FASTA error names the line" 1 "ragged.fa:3: sequence 'r1' is 6 bp" $seqgen cnn data "$tmp/ragged.fa" --labels "$tmp/labels.tsv"
check "cnn train on FASTA, rc sharing" 0 "wrote" $seqgen cnn train "$tmp/reads.fa" --labels "$tmp/labels.tsv" --reverse-complement --architecture "conv8x7 relu gmax" --epochs 2 -o "$tmp/rc.npz" --quiet
check "cnn predict FASTA" 0 "^r0," $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.fa"
check "cnn predict to .npy" 0 "" $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.npz" --split valid -o "$tmp/pred.npy"
check "predictions are (N, T) float32" 0 "(12, 1)" python3 -c "import sys; h = open(sys.argv[1], 'rb').read(128); print(h)" "$tmp/pred.npy"
check "cnn predict wrong length" 1 "the model expects 40" $seqgen cnn predict "$tmp/rc.npz" "$tmp/short.fa"
$seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 4000 --length 100 --seed 2 -o "$tmp/big.npz" 2>/dev/null
cnnrun="$tmp/big.npz --architecture cnn-10-10 --epochs 4 --patience 9 --seed 4 --threads 1 --quiet"
check "uninterrupted CNN training" 0 "wrote" $seqgen cnn train $cnnrun -o "$tmp/c-full.npz"
$seqgen cnn train $cnnrun -o "$tmp/c-int.npz" --checkpoint-every 1 2> "$tmp/cint.log" & pid=$!
for _ in $(seq 1 600); do [ -e "$tmp/c-int.npz.ckpt.npz" ] && break; sleep 0.05; done
kill -INT $pid; wait $pid; rc=$?
check "CNN SIGINT exits with 130 after a checkpoint" 0 "" test $rc -eq 130 -a ! -e "$tmp/c-int.npz" -a -e "$tmp/c-int.npz.ckpt.npz"
check "CNN resume with other settings is refused" 1 "different input or settings" $seqgen cnn train $cnnrun --learning-rate 0.01 -o "$tmp/c-x.npz" --resume "$tmp/c-int.npz.ckpt.npz"
check "CNN resume finishes" 0 "wrote" $seqgen cnn train $cnnrun -o "$tmp/c-int.npz" --resume "$tmp/c-int.npz.ckpt.npz"
check "CNN resumed = uninterrupted, byte for byte" 0 "" cmp "$tmp/c-full.npz" "$tmp/c-int.npz"
check "no stray temporary files" 0 "" test -z "$(ls "$tmp" | grep '\.tmp-')"
rm -rf "$tmp"
echo "cli-smoke: $pass passed, $fail failed"
[ $fail -eq 0 ]
