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
        if [ -z "$pattern" ] || grep -q -- "$pattern" <<< "$out"; then pass=$((pass+1)); return; fi   # no pipe: grep -q closing it early fails pipefail
    fi
    fail=$((fail+1)); echo "FAILED: $name (exit $rc)"; printf '%s\n' "$out" | tail -5
}
mkdir -p "$tmp/readme"
readme_row() {  # README table row (first cell, verbatim), command…: recorded; checked against the README at the end
    local label=$1; shift
    local n; n=$(ls "$tmp/readme" | wc -l)
    printf '%s' "$label" > "$tmp/readme/$n.label"
    "$@" > "$tmp/readme/$n.out" 2>&1; echo $? > "$tmp/readme/$n.rc"
}
# OpenBLAS falls back to slow kernels on CPUs it does not know (Haswell on Zen 5, Prescott on
# Sapphire Rapids); seqgen asks for the best kernel the CPU's instruction sets allow.
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
want="[A-Za-z0-9]*"
if grep -qw avx512f <<< "$flags" && grep -qw avx512bw <<< "$flags" && grep -qw avx512dq <<< "$flags" && grep -qw avx512vl <<< "$flags"; then want="SkylakeX\\|Cooperlake\\|SapphireRapids"
elif grep -qw avx2 <<< "$flags" && grep -qw fma <<< "$flags"; then want="Haswell\\|Zen\\|SkylakeX\\|Cooperlake\\|SapphireRapids"; fi
check "OpenBLAS kernel for this CPU" 0 "OpenBLAS core: \($want\)," env -u OPENBLAS_CORETYPE $seqgen bench core --sizes 64 --seconds 0.01 --threads 1
check "OpenBLAS pool threads sleep when idle" 0 "idle timeout: 4" env -u OPENBLAS_THREAD_TIMEOUT $seqgen bench core --sizes 64 --seconds 0.01 --threads 1
check "a user's OpenBLAS kernel is kept" 0 "OpenBLAS core: Haswell," env OPENBLAS_CORETYPE=Haswell $seqgen bench core --sizes 64 --seconds 0.01 --threads 1
if [[ "$want" == SkylakeX* ]]; then
    check "a pinned AVX2 kernel on an AVX-512 CPU is pointed out" 0 "note: OPENBLAS_CORETYPE=Haswell from the environment" env OPENBLAS_CORETYPE=Haswell $seqgen bench core --sizes 64 --seconds 0.01 --threads 1
fi
check "a user's OpenBLAS idle timeout is kept" 0 "idle timeout: 9" env OPENBLAS_THREAD_TIMEOUT=9 $seqgen bench core --sizes 64 --seconds 0.01 --threads 1
# --threads is kept until OpenBLAS is opened (on first use), and a Potts fit never opens it.
check "--threads 1 reaches OpenBLAS opened later" 0 "threads: 1 (OpenBLAS 1)" $seqgen bench core --sizes 64 --seconds 0.01 --threads 1
check "--threads 2 reaches OpenBLAS opened later" 0 "threads: 2 (OpenBLAS 2)" $seqgen bench core --sizes 64 --seconds 0.01 --threads 2
check "a Potts fit does not open OpenBLAS" 0 "^no-openblas$" bash -c "LD_DEBUG=files $seqgen fit data/example.a3m -o $tmp/noblas.npz --quiet > $tmp/ld.txt 2>&1; if grep -q libopenblas $tmp/ld.txt; then echo opened; else echo no-openblas; fi"
printf '>a\nACDE\n' > "$tmp/one.a3m"
printf '>a\nA\n>b\nC\n' > "$tmp/narrow.a3m"
printf '>a\nAC-E\n>b\nAC-F\n' > "$tmp/gapcol.a3m"
printf '>a\nACDE\n>b\nACD\n' > "$tmp/ragged.fasta"
printf '' > "$tmp/empty.a3m"
check "example fit" 0 "" $seqgen fit data/example.a3m -o "$tmp/ex.npz" --quiet
check "example contacts" 0 "wrote" $seqgen contacts "$tmp/ex.npz" -o "$tmp/ex" --truth data/example.contacts
check "contacts --ccmpred-mat" 0 "wrote" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exc" --ccmpred-mat
check "compare a model with a CCMpred .mat" 0 "contact maps (|i−j| ≥ 6):      Pearson 1.000" $seqgen compare "$tmp/ex.npz" "$tmp/exc.mat"
check "ccmpred .mat: %.20e, each value followed by a tab" 0 "^ok$" python3 -c "import re,sys,numpy; t=open('$tmp/exc.mat').read().split(chr(10))[:-1]; a=open('$tmp/ex.mat').read().split(); print('ok' if all(re.fullmatch(r'(-?[0-9]\.[0-9]{20}e[+-][0-9]{2}\t)+', r) for r in t) and [numpy.float32(x) for x in a] == [numpy.float32(x) for x in ''.join(t).split()] else 'bad')"
check "example eval" 0 "top-L" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts
check "separation bins" 0 "medium 12-23" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts
check "top L/10" 0 '"top_L_10"' $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --json
check "refuses to overwrite" 1 "pass --force" $seqgen fit data/example.a3m -o "$tmp/ex.npz"
check "one sequence" 1 "at least 2 sequences" $seqgen fit "$tmp/one.a3m" -o "$tmp/x.npz"
readme_row "one sequence / L = 1 / all-gap column" $seqgen fit "$tmp/one.a3m" -o "$tmp/x.npz"
readme_row "one sequence / L = 1 / all-gap column" $seqgen fit "$tmp/narrow.a3m" -o "$tmp/x.npz"
readme_row "one sequence / L = 1 / all-gap column" $seqgen fit "$tmp/gapcol.a3m" -o "$tmp/x.npz"
check "L = 1" 1 "at least 2 columns" $seqgen fit "$tmp/narrow.a3m" -o "$tmp/x.npz"
check "all-gap column" 1 "gaps in every sequence" $seqgen fit "$tmp/gapcol.a3m" -o "$tmp/x.npz"
python3 -c "
aa = 'ACDEFGHIKLMNPQRSTVWY-'
print(''.join('>s%d\n%s\n' % (s, ''.join(aa[(s + j) % 21] for j in range(3200))) for s in range(21)), end='')" > "$tmp/wide.fasta"
check "more column states than the kernel indexes" 1 "show 67200 states in all; the Potts kernel indexes at most 65534" $seqgen fit "$tmp/wide.fasta" -o "$tmp/x.npz"
readme_row "more column states than the Potts kernel indexes (L > 3,120 at q = 21)" $seqgen fit "$tmp/wide.fasta" -o "$tmp/x.npz"
check "ragged rows" 1 "ragged.fasta:3:" $seqgen info "$tmp/ragged.fasta"
readme_row "ragged aligned rows" $seqgen info "$tmp/ragged.fasta"
check "empty file" 1 "no sequences" $seqgen info "$tmp/empty.a3m"
readme_row "empty alignment" $seqgen info "$tmp/empty.a3m"
check "missing file" 1 "cannot open" $seqgen info "$tmp/nope.a3m"
printf '>ss_pred\nCCHHHHEEEC\n>ss_conf\n8999998765\n>q\nACDEFGHIKL\n>t\nACDEFGHIKV\n' > "$tmp/ss.a3m"
check "hhblits -addss records are read past" 0 "focus:       record 1 of the file, q," $seqgen info "$tmp/ss.a3m"
# ColabFold/MMseqs2 A3M: a '#' line, tab-separated scores after names, a NUL ending each entry.
printf '#10\t1\n>101\nACDEFGHIKL\n>UniRef100_A0\t95\t0.80\nACDqEFGHIKV\n\0>101\nACDEFGHIKL\n>MGYP0001\t50\t0.5\nAC-EFGHIKL\n\0' > "$tmp/colabfold.a3m"
check "ColabFold A3M with NUL separators is read" 0 "sequences:   4" $seqgen info "$tmp/colabfold.a3m"
check "ColabFold A3M: the LM reads it" 0 "" $seqgen fit "$tmp/colabfold.a3m" --model lm --lm-steps 1 --layers 1 -o "$tmp/cf-lm.npz" --quiet
printf '>q\nACDEFGHIKL\n>s\nACDEFGHIKL\n>e1\n----------\n>e2\n----------\n' > "$tmp/empty-rows.fa"
check "info --theta auto" 0 "θ = " $seqgen info data/example.a3m --theta auto
check "info prints identity to the focus" 0 "^identity:    to the focus, median" $seqgen info data/example.a3m
check "info --plot writes the alignment figure" 0 "wrote $tmp/info.png" $seqgen info data/example.a3m --plot "$tmp/info.png"
check "info --plot refuses an existing figure" 1 "exists" $seqgen info data/example.a3m --plot "$tmp/info.png"
check "info --plot names a figure format" 1 "PNG or SVG, not .pdf" $seqgen info data/example.a3m --plot "$tmp/info.pdf"
check "info --json has the conservation" 0 '"column_conservation_bits"' $seqgen info data/example.a3m --json
check "info --theta is θ = 1 − identity" 0 "^Neff:        2000.0 (plmc weights: matches > ⌈0.8·L⌉" $seqgen info data/example.a3m --theta 0.2
check "an empty sequence weighs nothing under DeepSequence's rule" 0 "^Neff:        1.0 (deepsequence" $seqgen info "$tmp/empty-rows.fa" --weighting deepsequence
check "pssm has no contacts" 0 "wrote" $seqgen fit data/example.a3m --model pssm -o "$tmp/p.npz"
check "contacts need couplings" 1 "no couplings" $seqgen contacts "$tmp/p.npz" -o "$tmp/p"
check "pssm pseudocount by cross-validation" 0 "best λ" $seqgen fit data/example.a3m --model pssm -o "$tmp/p-cv.npz"
check "evmutation preset" 0 "stop: maxIterations" $seqgen fit data/example.a3m --preset evmutation --max-iterations 3 -o "$tmp/ev.npz"
check "evmutation preset is a Potts fit" 1 "is a Potts fit" $seqgen fit data/example.a3m --preset evmutation --model pssm -o "$tmp/ev2.npz"
printf '>a\nACDE\n>b\nAXDE\n>c\nACDF\n' > "$tmp/nonstandard.fasta"
check "plmc's non-standard-letter rule" 0 "1 dropped for non-standard letters" $seqgen info "$tmp/nonstandard.fasta" --drop-nonstandard
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
printf '\xef\xbb\xbfmutant,DMS_score\r\n%s1%s,0.5\r\n%s2%s,-1\r\n%s1%s:%s2%s,-2\r\n' "$a" "$other" "$b" "$other" "$a" "$other" "$b" "$other" > "$tmp/dms-crlf.csv"
check "CRLF + BOM table: scores copied" 0 ",0.5$" $seqgen score "$tmp/ex.npz" --mutations "$tmp/dms-crlf.csv"
check "eval mutations, CRLF + BOM table" 0 "over 3 of 3 measured" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms-crlf.csv"
printf 'mutant,DMS_score\n%s1%s,0.5\n' "$other" "$a" > "$tmp/dms-none.csv"
check "eval over 0 matched variants is an error" 1 "dms-none.csv: 0 of 1 measured variants match" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms-none.csv"
# Predictions from another tool (a named score column); repeated measurements are one point; a
# variant predicted twice with different scores is an error naming the line.
sed '1s/score/EVE/' "$tmp/pred.csv" > "$tmp/pred-eve.csv"
check "eval mutations --prediction-column" 0 "over 3 of 3 measured" $seqgen eval mutations "$tmp/pred-eve.csv" --dms "$tmp/dms.csv" --prediction-column EVE
printf 'mutant,EVE\nG39S,1\n' > "$tmp/pred-nocol.csv"
readme_row "\`eval mutations\` predictions without the score column" $seqgen eval mutations "$tmp/pred-nocol.csv" --dms "$tmp/dms.csv"
printf 'mutant,score\nG39S,1\nG39R,2\nG39T:A40C,3\nA40E,4\nA40D,5\nA40D,-100\n' > "$tmp/pred-twice.csv"
readme_row "\`eval mutations\` predictions naming a variant twice with different scores" $seqgen eval mutations "$tmp/pred-twice.csv" --dms "$tmp/dms.csv"
(cat "$tmp/dms.csv"; tail -n 1 "$tmp/dms.csv" | sed 's/,-2$/,-4/') > "$tmp/dms-repeat.csv"
check "eval mutations: a variant measured twice is one point" 0 "4 measured rows name 3 variants: rows of one variant are averaged" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms-repeat.csv"
readme_row "\`eval mutations\` matching no variant" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms-none.csv"
# Numbering: negative offsets parse; unscorable explicit mutants and shifted tables are errors that say why.
check "negative --offset parses" 0 "^${a}1072${other}," $seqgen score "$tmp/ex.npz" --mutants "${a}1072${other}" --offset -1071
check "mutant beyond the protein is an error" 1 "K999W: position 999 is beyond the protein" $seqgen score "$tmp/ex.npz" --mutants K999W
readme_row "no mutant can be scored" $seqgen score "$tmp/ex.npz" --mutants K999W
{ echo "mutant,DMS_score"; for i in 1 2 3 4 5 6 7 8; do w=${focus:$((i-1)):1}; m=$([ "$w" = A ] && echo C || echo A); echo "${w}$((i+100))${m},$i"; done; } > "$tmp/shifted.csv"
check "a shifted table names the offset" 1 "0 of 8 mutants match the focus at offset 0; the wild-type letters match at offset -100" $seqgen score "$tmp/ex.npz" --mutations "$tmp/shifted.csv" -o "$tmp/shifted-pred.csv"
readme_row "table numbered with a constant shift" $seqgen score "$tmp/ex.npz" --mutations "$tmp/shifted.csv" -o "$tmp/shifted-pred.csv"
check "nothing written for a shifted table" 0 "" test ! -e "$tmp/shifted-pred.csv"
check "the suggested offset works" 0 "scored 8 of 8" $seqgen score "$tmp/ex.npz" --mutations "$tmp/shifted.csv" --offset -100 -o "$tmp/shifted-pred.csv"
{ echo "mutant,DMS_score"; for i in 1 2 3 4 5 6 7 8; do w=${focus:$((i-1)):1}; m=$([ "$w" = A ] && echo C || echo A); echo "${w}${i}${m},$i"; done; } > "$tmp/local.csv"
check "eval mutations suggests the offset" 1 "0 of 8 measured variants match .*pass --offset 100" $seqgen eval mutations "$tmp/shifted-pred.csv" --dms "$tmp/local.csv"
check "eval mutations --offset" 0 "over 8 of 8" $seqgen eval mutations "$tmp/shifted-pred.csv" --dms "$tmp/local.csv" --offset 100
{ head -8 "$tmp/local.csv"; tail -1 "$tmp/shifted.csv"; } > "$tmp/partly.csv"
check "eval mutations warns when few match at this offset" 0 "only 1 of 8 measured variants match a prediction; the single mutants match at offset 100: pass --offset 100" $seqgen eval mutations "$tmp/shifted-pred.csv" --dms "$tmp/partly.csv"
printf 'variant\tscore\n%s\t0.5\n%s,%s\t-1.5\n' "${a}1${other}" "${a}1${other}" "${b}2${other}" > "$tmp/comma.tsv"
check "comma-separated multi-mutants (EVcouplings, METL)" 0 "^${a}1${other}:${b}2${other},.*,-1.5$" $seqgen score "$tmp/ex.npz" --mutations "$tmp/comma.tsv" --mutant-column variant --score-column score -o -
# Standard input and output: '-' reads a table or an alignment from stdin; -o - writes stdout.
check "table from stdin, CSV to stdout" 0 "^${a}1${other},.*,0.5$" bash -c "cat '$tmp/dms.csv' | $seqgen score '$tmp/ex.npz' --mutations - -o -"
check "alignment from stdin" 0 "2000" bash -c "cat data/example.a3m | $seqgen info -"
cp data/example.a3m "$tmp/example.msa"; cp data/example.a3m "$tmp/example"
check "FASTA named .msa" 0 "2000" $seqgen info "$tmp/example.msa"
check "FASTA without an extension" 0 "2000" $seqgen info "$tmp/example"
# Formats: A2M read as A3M is flagged; binary and all-insertion files say what they are.
printf '>F/1-5\nAcDE-F\n>s1\nAkDEGF\n>s2\nA.DEGF\n' > "$tmp/tiny.a2m"
check "A2M read as A3M warns" 0 "looks like A2M.*pass --format a2m (5 columns read; A2M would keep 4)" $seqgen info "$tmp/tiny.a2m" --format a3m
cp "$tmp/tiny.a2m" "$tmp/tiny-a2m.fasta"
check "A2M named .fasta warns" 0 "read as FASTA (by its name), but it looks like A2M.*(6 columns read; A2M would keep 4)" $seqgen info "$tmp/tiny-a2m.fasta"
printf '>a\nacde\n>b\nacdf\n' > "$tmp/lower.a3m"
check "lower-case-only A3M explains" 1 "every residue is lower case, which A3M reads as an insertion" $seqgen info "$tmp/lower.a3m"
readme_row "A3M with only lower-case letters" $seqgen info "$tmp/lower.a3m"
printf '\x89HDF\r\n\x1a\n\0\0\0\0' > "$tmp/real.h5"
check "HDF5 as an alignment" 1 "real.h5: not a text alignment: looks like HDF5" $seqgen info "$tmp/real.h5"
readme_row "binary file as text (HDF5, \`.npz\`, PNG, NUL bytes)" $seqgen info "$tmp/real.h5"
check "npz as an alignment" 1 "not a text alignment: looks like a zip archive" $seqgen fit "$tmp/ex.npz" -o "$tmp/x.npz"
check "npz as a mutation table" 1 "not a text mutation table: looks like a zip archive" $seqgen score "$tmp/ex.npz" --mutations "$tmp/ex.npz"
check "ProteinGym metrics" 0 "ProteinGym metrics: Spearman .*AUC .*MCC .*NDCG .*top-10% recall" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --bootstrap 20
check "metrics in JSON" 0 '"metrics": {"spearman"' $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --json
check "bootstrap count" 2 "bootstrap" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --bootstrap -1
# ProteinGym's own fit/unfit column binarises the scan for AUC and MCC; --cutoff (negative allowed) overrides it.
printf 'mutant,mutated_sequence,DMS_score,DMS_score_bin\n%s1%s,X,0.5,1\n%s2%s,X,-1,1\n%s1%s:%s2%s,X,-2,0\n' "$a" "$other" "$b" "$other" "$a" "$other" "$b" "$other" > "$tmp/dms-bin.csv"
check "DMS_score_bin binarises the scan" 0 "fit/unfit for AUC and MCC: DMS_score_bin column (2 of 3 fit)" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms-bin.csv"
check "DMS_score_bin named in JSON" 0 '"fit_labels": "DMS_score_bin"' $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms-bin.csv" --json
check "negative --cutoff overrides the labels" 0 "fit/unfit for AUC and MCC: cut-off -1.5000" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms-bin.csv" --cutoff -1.5
check "median without labels" 0 "fit/unfit for AUC and MCC: the scan's median score, -1.0000" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv"
check "missing --bin-column is an error" 1 "dms.csv:1: no 'bin' column (--bin-column)" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --bin-column bin
# Nonsense variants (A12*) are reported and left unscored; MaveDB tables read through their MAVE-HGVS column.
check "nonsense variants left unscored" 0 "1 nonsense variant (a stop codon) left unscored" $seqgen score "$tmp/ex.npz" --mutants "${a}1${other},${a}1*"
check "only nonsense variants is an error" 1 "${a}1\\*: a stop codon" $seqgen score "$tmp/ex.npz" --mutants "${a}1*"
check "a position changed twice is an error" 2 "changes position 1 twice" $seqgen score "$tmp/ex.npz" --mutants "${a}1${other}:${a}1C"
three() { python3 -c "import sys; print(dict(zip('ACDEFGHIKLMNPQRSTVWY', 'Ala Cys Asp Glu Phe Gly His Ile Lys Leu Met Asn Pro Gln Arg Ser Thr Val Trp Tyr'.split()))[sys.argv[1]])" "$1"; }
printf 'accession,hgvs_pro,score\n1,p.%s1%s,0.5\n2,p.[%s1%s;%s2%s],-2\n3,_wt,0\n4,p.%s2del,-1\n' "$(three $a)" "$(three $other)" "$(three $a)" "$(three $other)" "$(three $b)" "$(three $other)" "$(three $b)" > "$tmp/mave.csv"
check "MaveDB table: rows without a substitution said" 0 "2 rows name no substitution" $seqgen score "$tmp/ex.npz" --mutations "$tmp/mave.csv" --mutant-column hgvs_pro --score-column score -o "$tmp/mave-pred.csv"
check "MaveDB table: HGVS read as one-letter variants" 0 "^${a}1${other}:${b}2${other}," cat "$tmp/mave-pred.csv"
check "MaveDB table evaluated" 0 "over 2 of 2 measured" $seqgen eval mutations "$tmp/mave-pred.csv" --dms "$tmp/mave.csv" --mutant-column hgvs_pro --score-column score
printf 'mutant,DMS_score\nACDEFGHIKLMNPQRSTVWYACDE,0.5\n' > "$tmp/indels.csv"
check "whole-sequence mutants (ProteinGym indels) need a language model" 1 "indels.csv: the mutants are whole sequences (ProteinGym's indel layout): a language model scores them" $seqgen score "$tmp/ex.npz" --mutations "$tmp/indels.csv" -o "$tmp/indel-pred.csv"
readme_row "a scan whose mutants are whole sequences (ProteinGym's indel benchmark) given to a model over alignment columns" $seqgen score "$tmp/ex.npz" --mutations "$tmp/indels.csv" -o "$tmp/indel-pred.csv"
check "a whole sequence among substitutions is named" 2 "the mutant is a whole sequence (24 residues), as in ProteinGym's indel benchmark" $seqgen score "$tmp/ex.npz" --mutants "ACDEFGHIKLMNPQRSTVWYACDE"
$seqgen sample "$tmp/ex.npz" -n 5 --seed 2 -o "$tmp/ex-samples.fa" --quiet
check "score --sequences: samples against the focus" 0 "scored 5 of 5 sequences against the focus" $seqgen score "$tmp/ex.npz" --sequences "$tmp/ex-samples.fa" -o "$tmp/ex-samples.csv"
check "score --sequences: the focus of the alignment scores 0" 0 "^planted/1-64,0.0,0$" $seqgen score "$tmp/ex.npz" --sequences data/example.a3m
# Other tools' model files through seqgen convert (exact round trips: ModelFormatsTests).
check "convert to CCMpred raw" 0 "wrote" $seqgen convert "$tmp/ex.npz" -o "$tmp/ex.raw"
check "convert to plmc" 0 "wrote" $seqgen convert "$tmp/ex.npz" -o "$tmp/ex.params" --alignment data/example.a3m
check "plmc needs the alignment" 2 "needs --alignment" $seqgen convert "$tmp/ex.npz" -o "$tmp/ex2.params"
check "convert back from plmc" 0 "wrote" $seqgen convert "$tmp/ex.params" -o "$tmp/ex-plmc.npz"
check "a gaps-as-missing model through plmc samples as before (20 states, as plmc -g)" 0 "" bash -c "$seqgen sample $tmp/ex.npz -n 50 --seed 3 -o $tmp/rt1.fa --quiet && $seqgen sample $tmp/ex-plmc.npz -n 50 --seed 3 -o $tmp/rt2.fa --quiet && cmp <(grep -v '>' $tmp/rt1.fa) <(grep -v '>' $tmp/rt2.fa)"
check "convert back from CCMpred" 0 "wrote" $seqgen convert "$tmp/ex.raw" -o "$tmp/ex-ccm.npz" --alignment data/example.a3m
(cat "$tmp/ex.raw"; printf '#>META> {"version":"0.3.2"}') > "$tmp/ex-meta.raw"
check "a CCMpred raw file ending in its #>META> record" 0 "carries no sequence" $seqgen convert "$tmp/ex-meta.raw" -o "$tmp/ex-meta.npz"
readme_row "\`score\` on a CCMpred/GREMLIN model converted without \`--alignment\`" $seqgen score "$tmp/ex-meta.npz" --scan -o "$tmp/nofocus"
check "plmc-style block norm" 0 "wrote" $seqgen contacts "$tmp/ex-plmc.npz" -o "$tmp/exn" --norm plmc
check "truncated plmc file" 1 "truncated or not plmc" sh -c "head -c 5000 $tmp/ex.params > $tmp/t.params && $seqgen convert $tmp/t.params -o $tmp/t.npz"
# Issue 20: CCMpred MessagePack and GREMLIN MRF files, DI, EVcouplings tables, clinical labels, family lists, RNA.
check "convert to CCMpred MessagePack" 0 "wrote" $seqgen convert "$tmp/ex.npz" -o "$tmp/ex.braw"
check "convert back from CCMpred MessagePack" 0 "wrote" $seqgen convert "$tmp/ex.braw" -o "$tmp/ex-braw.npz" --alignment data/example.a3m
check "CCMpred MessagePack and raw text give the same model" 0 "" cmp "$tmp/ex-ccm.npz" "$tmp/ex-braw.npz"
check "MessagePack layout ccm-1" 0 "^ccm-1 64 1280 2016$" python3 -c "
import struct
b = open('$tmp/ex.braw', 'rb').read()
assert b[0] == 0x84 and b[1:8] == b'\xa6format' and b[8:14] == b'\xa5ccm-1'
assert b[14:19] == b'\xa4ncol' and b[19] == 64 and b[20:29] == b'\xa8x_single' and b[29] == 0xdc
n = struct.unpack('>H', b[30:32])[0]
assert all(b[32 + 5 * k] == 0xca for k in range(n))
p = 32 + 5 * n
assert b[p:p + 7] == b'\xa6x_pair' and b[p + 7] == 0xde
print('ccm-1', b[19], n, struct.unpack('>H', b[p + 8:p + 10])[0])"
if python3 -c "import msgpack" 2> /dev/null; then
    check "Python msgpack re-encodes the .braw to identical bytes" 0 "^True$" python3 -c "import msgpack; b = open('$tmp/ex.braw', 'rb').read(); print(msgpack.packb(msgpack.unpackb(b, strict_map_key=False), use_single_float=True) == b)"
fi
check "convert to GREMLIN MRF" 0 "wrote" $seqgen convert "$tmp/ex.npz" -o "$tmp/ex.mrf"
check "convert back from GREMLIN" 0 "wrote" $seqgen convert "$tmp/ex.mrf" -o "$tmp/ex-mrf.npz" --alignment data/example.a3m
check "GREMLIN round trip: same mutation scores" 0 "" cmp <($seqgen score "$tmp/ex.npz" --mutants "${a}1${other},${a}1${other}:${b}2${other}" 2>/dev/null) <($seqgen score "$tmp/ex-mrf.npz" --mutants "${a}1${other},${a}1${other}:${b}2${other}" 2>/dev/null)
printf 'V[0] %s\nW[0][1] 1 2\n' "$(python3 -c "print(' '.join(['0.5'] * 21))")" > "$tmp/bad.mrf"
readme_row "GREMLIN MRF line of the wrong width" $seqgen convert "$tmp/bad.mrf" -o "$tmp/bad-mrf.npz"
printf '\x82\xa6format\xa5ccm-2\xa4ncol\x03' > "$tmp/bad.braw"
readme_row "MessagePack file that is not CCMpred's" $seqgen convert "$tmp/bad.braw" -o "$tmp/bad-braw.npz"
check "contacts --score di" 0 "wrote" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exdi" --score di --alignment data/example.a3m
check "DI ranks the planted contacts (top L/2 ≥ 0.8)" 0 "^ok" python3 -c "
import csv
t = {tuple(sorted(map(int, l.replace(',', ' ').split()[:2]))) for l in open('data/example.contacts') if l.strip() and not l.startswith('#')}
r = [(int(x['i']), int(x['j'])) for x in csv.DictReader(open('$tmp/exdi.csv')) if int(x['j']) - int(x['i']) >= 6][:32]
p = sum(x in t for x in r) / 32
print('ok' if p >= 0.8 else 'bad', p)"
check "eval contacts --score di" 0 "top-L" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --score di --alignment data/example.a3m
# eval contacts scores pairs with the options contacts takes: the top L pairs `contacts
# --partial-correlation` ranks, taken as the truth, are all found by `eval contacts --partial-correlation`
$seqgen fit data/example.a3m --model gaussian -o "$tmp/pcorr.npz" --quiet
$seqgen contacts "$tmp/pcorr.npz" -o "$tmp/pcorr" --partial-correlation --min-separation 6 --quiet
awk -F, 'NR > 1 && NR <= 65 {print $1, $2}' "$tmp/pcorr.csv" > "$tmp/pcorr-truth"
check "eval contacts --partial-correlation scores as contacts does" 0 "≥6        1.000  1.000" $seqgen eval contacts "$tmp/pcorr.npz" --truth "$tmp/pcorr-truth" --partial-correlation
readme_row "\`contacts --score di\` without the alignment" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exdi2" --score di
check "DI of a Gaussian uses its stored mean" 0 "wrote" sh -c "$seqgen fit data/example.a3m --model gaussian -o $tmp/g-di.npz --quiet && $seqgen contacts $tmp/g-di.npz -o $tmp/g-di --score di"
readme_row "\`--score di\` with a Frobenius option" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exdi3" --score di --norm plmc
check "EVcouplings tables" 0 "mixture of cn scores: noise fraction" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exev" --evcouplings
check "CouplingScores.csv columns" 0 "^i,A_i,j,A_j,fn,cn,segment_i,segment_j,probability,score$" head -1 "$tmp/exev_CouplingScores.csv"
check "compare a model with its EVcouplings table" 0 "contact maps (|i−j| ≥ 6):      Pearson 1.000" $seqgen compare "$tmp/ex.npz" "$tmp/exev_CouplingScores.csv"
awk -F, 'NR > 1 {print $1, $2, $3, $4, 0, $6}' "$tmp/exev_CouplingScores.csv" > "$tmp/exev_ECs.txt"
check "compare a plmc EC file with a model" 0 "pair table) vs .*contact maps (|i−j| ≥ 6):      Pearson 1.000" bash -c "$seqgen compare $tmp/exev_ECs.txt $tmp/ex.npz | tr '\n' ' '"
sed 's/^\([0-9]*\),[A-Z],/\1,W,/' "$tmp/exev_CouplingScores.csv" > "$tmp/exev_shifted.csv"
readme_row "\`compare\` with a pair table numbered for another sequence" $seqgen compare "$tmp/ex.npz" "$tmp/exev_shifted.csv"
check "CouplingScores: every pair, long-range subset |i - j| >= 6" 0 "^2016 1711 ok$" python3 -c "
import csv
a = list(csv.DictReader(open('$tmp/exev_CouplingScores.csv'))); l = list(csv.DictReader(open('$tmp/exev_CouplingScores_longrange.csv')))
ok = [r for r in a if abs(int(r['i']) - int(r['j'])) >= 6] == l and all(0 <= float(r['probability']) <= 1 for r in a)
print(len(a), len(l), 'ok' if ok else 'bad')"
printf 'mutant,score\nA1C,0.9\nD2E,0.5\nF3G,0.3\nH4I,0.5\nK5L,0.1\nM6N,7\n' > "$tmp/clin-pred.csv"
printf 'mutant,clin\nA1C,Benign\nD2E,likely_benign\nF3G,Likely benign\nH4I,Pathogenic\nK5L,likely pathogenic\nM6N,VUS\nP7Q,Pathogenic\n' > "$tmp/clin.csv"
check "clinical labels: AUROC by midranks" 0 "clinical labels (clin): AUROC 0.750 over 3 benign and 2 pathogenic variants (coverage 83.3% of 6 labelled)" $seqgen eval mutations "$tmp/clin-pred.csv" --dms "$tmp/clin.csv" --labels clin
check "clinical labels in JSON" 0 '"clinical": {"column": "clin", "auroc": 0.75' $seqgen eval mutations "$tmp/clin-pred.csv" --dms "$tmp/clin.csv" --labels clin --json
readme_row "\`eval mutations --labels\` naming a missing column" $seqgen eval mutations "$tmp/clin-pred.csv" --dms "$tmp/clin.csv" --labels clinical
printf 'protein_name,mutations,ClinVar_labels\nX,A1C,0.0\nX,D2E,0.0\nX,F3G,0.0\nX,H4I,1.0\nX,K5L,1.0\nX,M6N,0.5\n' > "$tmp/clin-eve.csv"
check "EVE's numeric ClinVar labels by --label-values" 0 "clinical labels (ClinVar_labels): AUROC 0.750 over 3 benign and 2 pathogenic variants (coverage 100.0% of 5 labelled)" $seqgen eval mutations "$tmp/clin-pred.csv" --dms "$tmp/clin-eve.csv" --mutant-column mutations --labels ClinVar_labels --label-values 0,1
readme_row "\`eval mutations --labels\` on numeric labels without \`--label-values\`" $seqgen eval mutations "$tmp/clin-pred.csv" --dms "$tmp/clin-eve.csv" --mutant-column mutations --labels ClinVar_labels
python3 - "$tmp/line.pdb" "$(sed -n 2p data/example.a3m)" <<'PYPDB'
import sys
three = dict(A="ALA", C="CYS", D="ASP", E="GLU", F="PHE", G="GLY", H="HIS", I="ILE", K="LYS", L="LEU", M="MET", N="ASN", P="PRO", Q="GLN", R="ARG", S="SER", T="THR", V="VAL", W="TRP", Y="TYR")
with open(sys.argv[1], "w") as f:
    for k, c in enumerate(sys.argv[2].strip()):
        f.write("ATOM  %5d  CA  %s A%4d    %8.3f%8.3f%8.3f  1.00  0.00           C\n" % (k + 1, three[c], k + 1, 3.8 * (k % 8), 3.8 * (k // 8), 0.0))
    f.write("END\n")
PYPDB
printf '# model structure chain\n%s %s A\n%s,%s\n' "$tmp/ex.npz" "$tmp/line.pdb" "$tmp/ex-plmc.npz" "$tmp/line.pdb" > "$tmp/families.txt"
check "eval contacts --families: rows and the mean" 0 "mean of 2" $seqgen eval contacts --families "$tmp/families.txt" --contact-definition ca
check "family mean equals the family (two copies)" 0 "^ok$" python3 -c "
import json, subprocess
j = json.loads(subprocess.run(['$seqgen', 'eval', 'contacts', '--families', '$tmp/families.txt', '--contact-definition', 'ca', '--json'], capture_output=True, text=True).stdout)
top = lambda p: [{k: v for k, v in r.items() if k.startswith('top_')} for r in p]
print('ok' if len(j['families']) == 2 and top(j['mean']['precision']) == top(j['families'][0]['precision']) else 'bad')"
check "structure options without --pdb (eval contacts)" 2 "--threshold describes the contacts of a structure; give --pdb STRUCTURE instead of --truth" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --threshold 6
check "structure options without --pdb (contacts)" 2 "--chain describes the contacts of a structure" $seqgen contacts "$tmp/ex.npz" -o "$tmp/chainx" --chain A
check "--families with a model" 2 "give a MODEL or --families LIST, not both" $seqgen eval contacts "$tmp/ex.npz" --families "$tmp/families.txt"
printf '%s\n' "$tmp/ex.npz" > "$tmp/bad-families.txt"
readme_row "family list line without a structure, for a model with no SS_cons" $seqgen eval contacts --families "$tmp/bad-families.txt"
python3 -c "
import random
random.seed(1); c = dict(A='U', U='A', G='C', C='G')
with open('$tmp/rna.fa', 'w') as f:
    for n in range(200):
        s = [random.choice('ACGU') for _ in range(12)]; s[11] = c[s[0]]; s[9] = c[s[2]]
        f.write('>s%d\n%s\n' % (n, ''.join(s)))"
check "RNA alignment: Potts fit (--alphabet rna)" 0 "" $seqgen fit "$tmp/rna.fa" --alphabet rna -o "$tmp/rna.npz" --quiet
check "RNA model: alphabet ACGU- and 5 states" 0 "^ACGU- (12, 12, 5, 5)$" python3 -c "import numpy; a = numpy.load('$tmp/rna.npz'); print(a['alphabet'], a['J'].shape)"
check "RNA contacts: the two base pairs first" 0 "^1,12 3,10 $" sh -c "$seqgen contacts $tmp/rna.npz -o $tmp/rna --quiet && sed -n 2,3p $tmp/rna.csv | cut -d, -f1,2 | sort | tr '\n' ' '"
check "RNA model to GREMLIN and back" 0 "^ok$" sh -c "$seqgen convert $tmp/rna.npz -o $tmp/rna.mrf --quiet && $seqgen convert $tmp/rna.mrf -o $tmp/rna-back.npz --alignment $tmp/rna.fa --alphabet rna --quiet && python3 -c \"import numpy; a, b = numpy.load('$tmp/rna.npz'), numpy.load('$tmp/rna-back.npz'); print('ok' if (a['h'] == b['h']).all() and (a['J'] == b['J']).all() else 'bad')\""
check "RNA models compare over 4×4 blocks (they trapped at 20×20)" 0 "couplings (centred 4×4 blocks): Pearson 1.000" sh -c "$seqgen compare $tmp/rna.npz $tmp/rna-back.npz"
check "custom alphabet" 0 "" $seqgen fit "$tmp/rna.fa" --alphabet ACGUN --model pssm -o "$tmp/rna-custom.npz" --quiet
readme_row "bad \`--alphabet\`" $seqgen fit "$tmp/rna.fa" --alphabet AAC -o "$tmp/x.npz"
# Symbols as states (plmc's -a; its Potts example is written in _*^): the RNA file in _*^% (a trailing
# '*' is then a state, not a stop codon) gives the same model as ACGU.
tr 'ACGU' '_*^%' < "$tmp/rna.fa" > "$tmp/sym.a2m"
check "symbol alphabet: the same model as the letters" 0 "^same$" sh -c "$seqgen fit $tmp/sym.a2m --alphabet '_*^%' -o $tmp/sym.npz --quiet && python3 -c \"import numpy; a, b = numpy.load('$tmp/rna.npz'), numpy.load('$tmp/sym.npz'); print('same' if (a['J'] == b['J']).all() and (a['h'] == b['h']).all() and b['alphabet'].item() == '_*^%-' else 'different')\""
check "attention fit" 0 "adam: 21 steps" $seqgen fit data/example.a3m --model attention --steps 30 --heads 8 --head-dim 8 --seed 3 -o "$tmp/att.npz"
check "attention is seeded" 0 "adam: 21 steps" $seqgen fit data/example.a3m --model attention --steps 30 --heads 8 --head-dim 8 --seed 3 -o "$tmp/att2.npz"
check "attention in shards (minibatch Adam)" 0 "adam: 24 steps" $seqgen fit data/example.a3m --model attention --steps 30 --heads 8 --head-dim 8 --seed 3 --shards 4 -o "$tmp/att-shards.npz"
$seqgen fit data/example.a3m --model attention --steps 30 --heads 8 --head-dim 8 --seed 3 --shards 4 -o "$tmp/att-shards2.npz" --quiet
check "sharded attention is seeded (same bytes)" 0 "" cmp "$tmp/att-shards.npz" "$tmp/att-shards2.npz"
check "same seed, same model" 0 "" cmp "$tmp/att.npz" "$tmp/att2.npz"
check "compare potts vs attention" 0 "heads that align" $seqgen compare "$tmp/ex.npz" "$tmp/att.npz" --plot "$tmp/cmp.png"
check "compare with itself" 0 "top-L overlap 64/64" $seqgen compare "$tmp/ex.npz" "$tmp/ex.npz"
check "compare needs couplings" 1 "need couplings" $seqgen compare "$tmp/ex.npz" "$tmp/p.npz"
# A structure that is not the model's focus is refused: a chain whose every residue differs from the example's focus.
python3 - "$tmp/notfocus.pdb" "$(sed -n 2p data/example.a3m)" <<'PYPDB'
import sys
three = dict(A="ALA", C="CYS", D="ASP", E="GLU", F="PHE", G="GLY", H="HIS", I="ILE", K="LYS", L="LEU", M="MET", N="ASN", P="PRO", Q="GLN", R="ARG", S="SER", T="THR", V="VAL", W="TRP", Y="TYR")
order = "ACDEFGHIKLMNPQRSTVWY"
with open(sys.argv[1], "w") as f:
    for k, c in enumerate(sys.argv[2].strip()):
        other = order[(order.index(c) + 7) % 20]
        f.write("ATOM  %5d  CA  %s A%4d    %8.3f%8.3f%8.3f  1.00  0.00           C\n" % (k + 1, three[other], k + 1, 3.8 * k, 0.0, 0.0))
    f.write("END\n")
PYPDB
readme_row "structure that is not the model's focus (< 90% identity)" $seqgen eval contacts "$tmp/ex.npz" --pdb "$tmp/notfocus.pdb"
# A structure of one residue of the focus: no pair left to evaluate (was a table of n/a, exit 0).
printf 'ATOM      1  CA  %s A   1       0.000   0.000   0.000  1.00  0.00           C\nEND\n' \
    "$(python3 -c "import sys; print({'A':'ALA','C':'CYS','D':'ASP','E':'GLU','F':'PHE','G':'GLY','H':'HIS','I':'ILE','K':'LYS','L':'LEU','M':'MET','N':'ASN','P':'PRO','Q':'GLN','R':'ARG','S':'SER','T':'THR','V':'VAL','W':'TRP','Y':'TYR'}[sys.argv[1]])" "$(sed -n 2p data/example.a3m | cut -c1)")" > "$tmp/oneres.pdb"
readme_row "structure covering too little of the focus to evaluate" $seqgen eval contacts "$tmp/ex.npz" --pdb "$tmp/oneres.pdb"
# A complex whose first chain is another protein: without --chain the chain that is the focus is taken, and said.
{ grep '^ATOM' "$tmp/notfocus.pdb"; python3 - "$(sed -n 2p data/example.a3m)" <<'PYPDB'
import sys
three = dict(A="ALA", C="CYS", D="ASP", E="GLU", F="PHE", G="GLY", H="HIS", I="ILE", K="LYS", L="LEU", M="MET", N="ASN", P="PRO", Q="GLN", R="ARG", S="SER", T="THR", V="VAL", W="TRP", Y="TYR")
for k, c in enumerate(sys.argv[1].strip()):
    print("ATOM  %5d  CA  %s B%4d    %8.3f%8.3f%8.3f  1.00  0.00           C" % (k + 1, three[c], k + 1, 3.8 * (k % 8), 3.8 * (k // 8), 0.0))
print("END")
PYPDB
} > "$tmp/complex.pdb"
check "complex: the focus's chain is found without --chain" 0 "chain 'B' (the first chain, 'A', is not the focus's protein): identity 100.0%" $seqgen eval contacts "$tmp/ex.npz" --pdb "$tmp/complex.pdb"
check "complex: --chain A is still refused" 1 "chain 'A' does not match" $seqgen eval contacts "$tmp/ex.npz" --pdb "$tmp/complex.pdb" --chain A
# A protein–DNA complex opening with the DNA: --contact-definition cb applies to the protein chain found.
{ for k in 1 2 3 4 5 6; do printf 'ATOM  %5d  P    DA A%4d    %8.3f   0.000   0.000  1.00  0.00           P\n' $k $k $((k * 6)); done; grep '^ATOM.* B ' "$tmp/complex.pdb"; echo END; } > "$tmp/dna-first.pdb"
check "protein–DNA complex: the protein chain is found, cb applies" 0 "chain 'B' (the first chain, 'A', is not the focus's protein)" $seqgen eval contacts "$tmp/ex.npz" --pdb "$tmp/dna-first.pdb" --contact-definition cb
# The same on real data (shared data: 1atzA's query is record 2635).
if [ -e ../shared/data/contacts/1atzA/1atzA.pdb ]; then
    atz=../shared/data/contacts/1atzA
    $seqgen fit $atz/1atzA.aln -o "$tmp/atz-wrong.npz" --max-iterations 2 --quiet 2>/dev/null
    $seqgen fit $atz/1atzA.aln --focus 2635 -o "$tmp/atz.npz" --max-iterations 2 --quiet 2>/dev/null
    check "structure vs wrong focus is refused" 1 "does not match the model's focus sequence: identity 26.1%" $seqgen eval contacts "$tmp/atz-wrong.npz" --pdb $atz/1atzA.pdb
    check "contacts --pdb vs wrong focus is refused" 1 "Pass --allow-mismatch" $seqgen contacts "$tmp/atz-wrong.npz" -o "$tmp/atzw" --pdb $atz/1atzA.pdb
    check "nothing written after the refusal" 0 "" test ! -e "$tmp/atzw.csv"
    check "--allow-mismatch evaluates anyway" 0 "identity 26.1%" $seqgen eval contacts "$tmp/atz-wrong.npz" --pdb $atz/1atzA.pdb --allow-mismatch
    check "right focus: identity and coverage reported" 0 '"identity": 1.0, "coverage": 1.0' $seqgen eval contacts "$tmp/atz.npz" --pdb $atz/1atzA.pdb --json
fi
# Figures: every --plot takes .png or .svg; PNGs are recognised by file(1), SVGs parse as XML.
check "svg contact map" 0 "wrote" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exs" --plot "$tmp/exs.svg" --plot-pairs 32 --truth data/example.contacts
check "eval contacts plot" 0 "top-L" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --plot "$tmp/ev.png" --plot-separation 12
check "eval plot refuses overwrite" 1 "pass --force" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --plot "$tmp/ev.png"
# An RNA family's consensus structure (#=GC SS_cons) is the contact truth of a model fitted on it:
# helices planted as Watson-Crick pairs (the rest random), so the top long pairs are the base pairs.
python3 - "$tmp/rfam.sto" <<'PY'
import random, sys
random.seed(7)
ss = "<<<<<....>>>>>.((((.....)))).."
stack, pairs = [], {}
for k, c in enumerate(ss):
    if c in "<(": stack.append(k)
    elif c in ">)": i = stack.pop(); pairs[i] = k; pairs[k] = i
with open(sys.argv[1], "w") as f:
    f.write("# STOCKHOLM 1.0\n")
    for n in range(400):
        s = [random.choice("ACGU") for _ in ss]
        for i, j in pairs.items():
            if i < j: s[i], s[j] = random.choice(["AU", "UA", "GC", "CG", "GU", "UG"])
        f.write(f"r{n}/1-{len(ss)} {''.join(s)}\n")
        if n == 0: focus = s
    f.write(f"#=GC SS_cons {ss}\n//\n")
# Its structure: one P atom per nucleotide, 100 Å apart, each pair's second base 5 Å from its first.
with open(sys.argv[1].replace(".sto", ".pdb"), "w") as f:
    for k, b in enumerate(focus):
        x, y = (100.0 * pairs[k], 5.0) if pairs.get(k, k) < k else (100.0 * k, 0.0)
        f.write("ATOM  %5d  P     %s A%4d    %8.3f%8.3f%8.3f  1.00  0.00           P\n" % (k + 1, b, k + 1, x, y, 0.0))
    f.write("END\n")
PY
$seqgen fit "$tmp/rfam.sto" --alphabet rna -o "$tmp/rfam.npz" > /dev/null 2>&1
check "info shows the consensus structure" 0 "structure:   #=GC SS_cons, 9 base pairs" $seqgen info "$tmp/rfam.sto" --alphabet rna
check "an RNA family read as protein is said" 0 "every residue is A, C, G, T/U or a nucleotide ambiguity code\|every residue is A, C, G or T" $seqgen info "$tmp/rfam.sto"
check "SS_cons is the truth of eval contacts" 0 "truth the alignment's consensus secondary structure (#=GC SS_cons: 9 base pairs)" $seqgen eval contacts "$tmp/rfam.npz"
check "the base pairs rank first" 0 '|i-j| ≥6  *[0-9.]*  *[0-9.]*  *1.000' $seqgen eval contacts "$tmp/rfam.npz"
printf '%s\n%s\n' "$tmp/rfam.npz" "$tmp/rfam.npz" > "$tmp/rna-families.txt"
check "eval contacts --families: a model alone is scored against its base pairs" 0 "mean of 2" $seqgen eval contacts --families "$tmp/rna-families.txt"
check "an RNA structure: heavy-atom contacts < 8 Å, the base pairs first" 0 "nucleic acid: contacts are heavy-atom distances < 8.0 Å" $seqgen eval contacts "$tmp/rfam.npz" --pdb "$tmp/rfam.pdb"
check "an RNA structure gives the base pairs as contacts" 0 '|i-j| ≥6  *[0-9.]*  *[0-9.]*  *1.000' $seqgen eval contacts "$tmp/rfam.npz" --pdb "$tmp/rfam.pdb"
check "Cβ contacts of an RNA chain are refused" 1 "is RNA or DNA, which has no Cβ or Cα: drop --contact-definition cb" $seqgen eval contacts "$tmp/rfam.npz" --pdb "$tmp/rfam.pdb" --contact-definition cb
check "contacts draws the base pairs as its truth" 0 "truth: the alignment's consensus secondary structure" $seqgen contacts "$tmp/rfam.npz" -o "$tmp/rfam"
check "samples written as Stockholm keep SS_cons" 0 "^#=GC SS_cons <<<<<....>>>>>.<<<<.....>>>>..$" sh -c "$seqgen sample $tmp/rfam.npz -n 5 --seed 1 -o $tmp/rfam-samples.sto --quiet && cat $tmp/rfam-samples.sto"
check "a model without a truth is refused" 1 "give --pdb STRUCTURE or --truth PAIRS (or fit the model on a Stockholm alignment with a #=GC SS_cons line)" $seqgen eval contacts "$tmp/ex.npz"
printf '# STOCKHOLM 1.0\nq GACU\nf ~ACU\n//\n' > "$tmp/fragment.sto"
check "~ (Infernal's missing data) reads as a gap" 0 "gaps:        12.5% of all cells" $seqgen info "$tmp/fragment.sto" --alphabet rna
printf '# STOCKHOLM 1.0\nq GACU\ns GACU\n#=GC SS_cons <<.>\n//\n' > "$tmp/open-ss.sto"
check "an SS_cons that does not close is refused with its line" 1 "open-ss.sto:4: #=GC SS_cons: '<' at column 1 is never closed" $seqgen fit "$tmp/open-ss.sto" --alphabet rna -o "$tmp/bad.npz"
check "training curve" 0 "wrote .*curve.png" $seqgen fit data/example.a3m -o "$tmp/c.npz" --max-iterations 5 --curve "$tmp/curve.png"
check "curve needs an iterative model" 1 "closed form" $seqgen fit data/example.a3m --model pssm -o "$tmp/c2.npz" --curve "$tmp/c2.png"
check "mutation scatter" 0 "Spearman" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --plot "$tmp/scatter.svg"
check "--width/--height/--dpi size a chart" 0 "PNG image data, 900 x 500" sh -c "$seqgen fit data/example.a3m -o $tmp/c3.npz --max-iterations 5 --curve $tmp/c3.png --width 900 --height 500 --dpi 200 --quiet && file -b $tmp/c3.png"
check "--dpi is recorded in the PNG (pHYs, 7874 px/m)" 0 "ok" python3 -c "import sys, struct; d = open(sys.argv[1], 'rb').read(); i = d.index(b'pHYs'); print('ok' if struct.unpack('>IIB', d[i+4:i+13]) == (7874, 7874, 1) else d[i:i+13])" "$tmp/c3.png"
check "--width fits a contact map" 0 "PNG image data, 500 x" sh -c "$seqgen contacts $tmp/ex.npz -o $tmp/exw --width 500 --truth data/example.contacts && file -b $tmp/exw.png"
check "--width out of range" 1 "--width must be 200" $seqgen logo data/example.a3m -o "$tmp/w.png" --width 10
check "figure text keeps case (SVG <text>)" 0 "planted/1-64: top" grep -o "planted/1-64: top" "$tmp/exs.svg"
check "simulate -o x.aln writes PSICOV rows (no FASTA headers)" 0 "^[A-Y-]*$" sh -c "$seqgen simulate --length 40 --sequences 3 --seed 1 -o $tmp/sim40.aln --quiet && head -1 $tmp/sim40.aln"
check "sample -o x.sto writes Stockholm" 0 "STOCKHOLM" sh -c "$seqgen sample $tmp/ex.npz -n 3 --seed 1 -o $tmp/smp.sto --quiet && head -1 $tmp/smp.sto"
check "simulate names its focus by the residues it holds (a sampled focus has gaps)" 0 "planted/1-398," sh -c "$seqgen simulate --length 400 --sequences 1 --seed 2 -o $tmp/simfocus.a3m --quiet && $seqgen info $tmp/simfocus.a3m 2>&1 | grep -v 'names residues' | grep -q . && ! $seqgen info $tmp/simfocus.a3m 2>&1 | grep -q 'names residues' && $seqgen info $tmp/simfocus.a3m | grep '^focus:'"
check "logo from an alignment" 0 "64 positions × 20 letters" $seqgen logo data/example.a3m -o "$tmp/logo.png"
check "logo from a model, range" 0 "10 positions × 20 letters" $seqgen logo "$tmp/p.npz" --range 5-14 -o "$tmp/logo.svg"
printf '>q/29-36\nACDEFGHI\n>b\nACDEFGHL\n>c\nMCDEFGHI\n' > "$tmp/num.fasta"
check "logo range in residue numbers" 0 "4 positions × 20 letters" $seqgen logo "$tmp/num.fasta" --range 30-33 -o "$tmp/num.png"
check "logo range outside the numbering" 1 "numbered (29-36)" $seqgen logo "$tmp/num.fasta" --range 1-10 -o "$tmp/num2.png"
printf '>MA0001.1 TEST\nA [ 10 0 0 5 ]\nC [ 0 10 0 5 ]\nG [ 0 0 10 0 ]\nT [ 0 0 0 0 ]\n' > "$tmp/m.pfm"
printf '>a\nACGTACGTAC\n>b\nACGTTCGAAC\n>c\nACCTACGTGC\n' > "$tmp/nt.fa"
check "a nucleotide alignment read as protein is said" 0 "pass --alphabet dna" $seqgen logo "$tmp/nt.fa" -o "$tmp/nt.png"
check "logo of a DNA alignment" 0 "10 positions × 4 letters" $seqgen logo "$tmp/nt.fa" --alphabet dna -o "$tmp/nt2.png"
check "logo --signed needs a matrix" 1 "--signed draws a matrix" $seqgen logo "$tmp/nt.fa" --signed -o "$tmp/nt3.png"
check "logo: alignment options need an alignment" 1 "--alphabet applies to an alignment" $seqgen logo "$tmp/m.pfm" --alphabet dna -o "$tmp/nt4.png"
check "logo from a JASPAR motif" 0 "4 positions × 4 letters" $seqgen logo "$tmp/m.pfm" --motif TEST -o "$tmp/motif.png"
check "unknown motif" 1 "no motif with ID or name 'X'" $seqgen logo "$tmp/m.pfm" --motif X -o "$tmp/x.png"
printf '>MA0001.1 BAD\nA [ 1 2 ]\nC [ 1 ]\nG [ 1 2 ]\nT [ 1 2 ]\n' > "$tmp/bad.pfm"
check "bad motif names the line" 1 "bad.pfm:1: motif MA0001.1: base rows have different lengths" $seqgen logo "$tmp/bad.pfm" -o "$tmp/x.png"
readme_row "bad motif file" $seqgen logo "$tmp/bad.pfm" -o "$tmp/x.png"
printf 'MEME version 4\n\nALPHABET= ACGT\n\nMOTIF m1\nletter-probability matrix: alength= 4 w= 1\n5 3 0 2\n' > "$tmp/counts.meme"
printf '>MA0001.1 EMPTY\nA [ 1 0 ]\nC [ 1 0 ]\nG [ 1 0 ]\nT [ 1 0 ]\n' > "$tmp/empty.pfm"
readme_row "counts in a MEME probability matrix / a JASPAR column without counts" $seqgen motifs compare "$tmp/counts.meme" "$tmp/m.pfm"
readme_row "counts in a MEME probability matrix / a JASPAR column without counts" $seqgen motifs compare "$tmp/m.pfm" "$tmp/empty.pfm"
python3 -c "import numpy as np; np.save('$tmp/attr.npy', np.array([[1, -0.5, 0, 0], [0, 0, 2, -1]], dtype=np.float32))" 2>/dev/null
if [ -e "$tmp/attr.npy" ]; then
    check "signed logo" 0 "2 positions × 4 letters" $seqgen logo "$tmp/attr.npy" --signed -o "$tmp/attr.png"
    check "negative values need --signed" 1 "pass --signed" $seqgen logo "$tmp/attr.npy" -o "$tmp/attr2.png"
fi
for f in "$tmp"/*.png; do check "PNG $(basename "$f")" 0 "PNG image data" file -b "$f"; done
# Reliability: checkpoint on SIGINT and resume to the identical model; refusals; reproducibility.
# A fit gives the same bits at any --threads, so a checkpoint resumes at another count; the model
# file records the resuming run's (meta_threads). same_arrays A B: the same arrays but that one.
same_arrays() {
    python3 -c "
import sys, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
bad = sorted(set(a.files) ^ set(b.files)) + [k for k in a.files if k in b.files and k != 'meta_threads' and (a[k].dtype != b[k].dtype or not np.array_equal(a[k], b[k]))]
print('same arrays' if not bad else 'differ: ' + ', '.join(bad[:5]))" "$1" "$2"
}
att="data/example.a3m --model attention --steps 40 --heads 8 --head-dim 8 --seed 5"
check "uninterrupted attention fit" 0 "adam: 21 steps" $seqgen fit $att --threads 2 -o "$tmp/a-full.npz"
$seqgen fit $att --threads 2 -o "$tmp/a-int.npz" --checkpoint-every 10 2> "$tmp/int.log" & pid=$!
for _ in $(seq 1 300); do [ -e "$tmp/a-int.npz.ckpt.npz" ] && break; sleep 0.1; done
kill -INT $pid; wait $pid; rc=$?
check "SIGINT exits with 130 after a checkpoint" 0 "" test $rc -eq 130 -a ! -e "$tmp/a-int.npz" -a -e "$tmp/a-int.npz.ckpt.npz"
check "SIGINT message" 0 "continue with --resume" cat "$tmp/int.log"
printf '>q\n----\n>a\nACDE\n>b\nACDF\n' > "$tmp/gapfocus.fa"
check "a focus without residues is refused" 1 "is a gap in every column" $seqgen fit "$tmp/gapfocus.fa" -o "$tmp/gapfocus.npz" --model pssm
# A command without checkpoints stopped by SIGTERM says so and leaves no output (a background job
# here ignores SIGINT, as the shell starts it).
$seqgen sample "$tmp/ex.npz" -n 50000 -o "$tmp/s-term.fa" --seed 1 2> "$tmp/sterm.log" & pid=$!
sleep 1; kill -TERM $pid; wait $pid; rc=$?
check "SIGTERM stops sample with 143 and no output" 0 "" test $rc -eq 143 -a ! -e "$tmp/s-term.fa"
check "SIGTERM message" 0 "stopped by SIGTERM; unfinished outputs removed" cat "$tmp/sterm.log"
check "resume with other settings is refused" 1 "different input or settings" $seqgen fit $att --learning-rate 0.01 -o "$tmp/a-x.npz" --resume "$tmp/a-int.npz.ckpt.npz"
check "resume with another regularisation is refused" 1 "different input or settings" $seqgen fit $att --lambda-j 50 -o "$tmp/a-x2.npz" --resume "$tmp/a-int.npz.ckpt.npz"
readme_row "\`--resume\` with other settings" $seqgen fit $att --learning-rate 0.01 -o "$tmp/a-x.npz" --resume "$tmp/a-int.npz.ckpt.npz"
check "resume finishes the fit (at another --threads)" 0 "adam: 21 steps" $seqgen fit $att --threads 1 -o "$tmp/a-int.npz" --resume "$tmp/a-int.npz.ckpt.npz"
check "resumed = uninterrupted, every array" 0 "^same arrays$" same_arrays "$tmp/a-full.npz" "$tmp/a-int.npz"
check "potts checkpoints every N" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/pc.npz" --checkpoint-every 2 --max-iterations 4 --checkpoint "$tmp/pc.ckpt.npz"
# A checkpoint is flushed to the disk (it exists to survive a crash); an output is not (fsync on a
# busy disk waits for every pending write: seconds for a 0.05 s fit).
if strace -f -o /dev/null true 2>/dev/null; then
    strace -f -e trace=fsync,fdatasync -o "$tmp/ckpt.trace" $seqgen fit data/example.a3m -o "$tmp/pc2.npz" --checkpoint-every 2 --max-iterations 4 --checkpoint "$tmp/pc2.ckpt.npz" > /dev/null 2>&1
    check "a checkpoint is fsync'd" 0 "fsync" cat "$tmp/ckpt.trace"
    strace -f -e trace=fsync,fdatasync -o "$tmp/out.trace" $seqgen fit data/example.a3m -o "$tmp/pc3.npz" --max-iterations 4 > /dev/null 2>&1
    check "an output is not fsync'd" 1 "" grep -q "fsync" "$tmp/out.trace"
    check "the unflushed output is written" 0 "" test -s "$tmp/pc3.npz"
else
    echo "skipping the fsync checks: strace cannot trace here"
fi
check "no checkpoint for closed-form fits" 1 "closed form" $seqgen fit data/example.a3m --model gaussian -o "$tmp/g2.npz" --checkpoint-every 5
# 20 sequences × 3000 columns, every column showing all 20 residues (a fit holds only the couplings
# of the states the columns show, so two random sequences would no longer need more than 24 GB).
python3 -c "
aa = 'ACDEFGHIKLMNPQRSTVWY'
print(''.join('>s%d\n%s\n' % (s, ''.join(aa[(s + j) % 20] for j in range(3000))) for s in range(20)), end='')" > "$tmp/wide.a3m"
check "memory estimate over the available memory is refused" 1 "GB is available; memory grows as L" $seqgen fit "$tmp/wide.a3m" -o "$tmp/w.npz"
readme_row "fit larger than memory" $seqgen fit "$tmp/wide.a3m" -o "$tmp/w.npz"
echo "precious" > "$tmp/keep.npz"
check "a failing run with --force keeps the old output" 1 "at least 2 sequences" $seqgen fit "$tmp/one.a3m" -o "$tmp/keep.npz" --force
readme_row "a failing run with \`--force\`" $seqgen fit "$tmp/one.a3m" -o "$tmp/keep.npz" --force
check "old output intact" 0 "precious" cat "$tmp/keep.npz"
check "potts fit, 2 threads" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/t1.npz" --threads 2
check "potts fit again" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/t2.npz" --threads 2
check "same input and threads, same bytes" 0 "" cmp "$tmp/t1.npz" "$tmp/t2.npz"
# Autoregressive DCA and sampling: exact likelihoods, seeded samples, conditioning, generative evaluation.
check "fit --theta auto (GaussDCA rule)" 0 "theta auto: mean pairwise identity .* θ = " $seqgen fit data/example.a3m --model pssm --theta auto -o "$tmp/theta.npz"
check "fit --theta out of range" 2 "--theta must be a number in \[0, 1\] or auto" $seqgen fit data/example.a3m --theta 1.5 -o "$tmp/x.npz"
check "ardca fit" 0 "ardca: 64 regressions (entropic order)" $seqgen fit data/example.a3m --model ardca -o "$tmp/ar.npz"
check "ardca: regressions cut short are said" 0 "regressions stopped at --max-iterations 2 before converging" $seqgen fit data/example.a3m --model ardca --max-iterations 2 -o "$tmp/ar-cap.npz"
check "ardca fit, natural order" 0 "natural order" $seqgen fit data/example.a3m --model ardca --order natural -o "$tmp/ar-nat.npz"
check "ardca scores mutants" 0 "^${a}1${other}," $seqgen score "$tmp/ar.npz" --mutants "${a}1${other},${a}1${other}:${b}2${other}"
check "ardca fit below the held-out optimum" 0 "wrote" $seqgen fit data/example.a3m --model ardca --lambda-j 0.001 --lambda-h 0.001 -o "$tmp/ar001.npz"
check "… whose scores carry a note" 0 "note: this ArDCA model was fitted at λ_J = 0.001, below 0.003–0.01" $seqgen score "$tmp/ar001.npz" --mutants "${a}1${other}"
check "the default fit's scores carry no note" 0 "" bash -c "out=\$($seqgen score '$tmp/ar.npz' --mutants '${a}1${other}' 2>&1) && ! grep -q 'below 0.003' <<< \"\$out\""
check "ardca default λ recorded" 0 "^0.003 0.003$" python3 -c "import numpy as np; d=np.load('$tmp/ar.npz'); print(round(float(d['meta_lambda_J']), 6), round(float(d['meta_lambda_h']), 6))"
check "ardca --cross-validate chooses λ on held-out clusters" 0 "held-out log-likelihood per sequence: λ 0.001: .*; best λ 0\.0" $seqgen fit data/example.a3m --model ardca --cross-validate 5 -o "$tmp/ar-cv.npz"
check "… records the choice in the model" 0 "^0.01 5$" python3 -c "import numpy as np; d=np.load('$tmp/ar-cv.npz'); print(round(float(d['meta_lambda_J']), 6), int(d['meta_cross_validate']))"
check "… the same seed, the same bytes" 0 "" bash -c "$seqgen fit data/example.a3m --model ardca --cross-validate 5 --seed 0 --quiet -o '$tmp/ar-cv2.npz' && cmp '$tmp/ar-cv.npz' '$tmp/ar-cv2.npz'"
check "ardca --cross-validate with --lambda-j is refused" 2 "--lambda-j sets λ; --cross-validate chooses it for ArDCA" $seqgen fit data/example.a3m --model ardca --cross-validate 5 --lambda-j 0.01 -o "$tmp/x.npz"
check "ardca --seed without --cross-validate is refused" 2 "--seed applies to" $seqgen fit data/example.a3m --model ardca --seed 3 -o "$tmp/x.npz"
python3 -c "
print('>q'); print('ACDEFGHIKLMNPQRSTVWY')
for k in range(11): print('>c%d' % k); print('ACDEFGHIKLMNPQRSTVWY' if k % 2 else 'ACDEFGHIKLMNPQRSTVWA')" > "$tmp/one-cluster.fa"
check "ardca --cross-validate: one cluster cannot be held out" 1 "one-cluster.fa: --cross-validate holds out whole clusters of sequences at 80% identity, and every sequence is in the focus's cluster" $seqgen fit "$tmp/one-cluster.fa" --model ardca --cross-validate 5 -o "$tmp/x.npz"
check "vae early stopping holds out whole clusters" 0 "vae: [0-9]* of [0-9]* sequences held out for early stopping, whole clusters at 80% identity" $seqgen fit data/example.a3m --model vae --encoder 32 --decoder 16-32 --latent 2 --vae-steps 4 --evaluate-every 2 -o "$tmp/vae-cl.npz"
check "vae: one cluster holds out at random, and says so" 0 "no cluster at 80% identity but the focus's fits in 5% of the sequences; 1 held out at random" $seqgen fit "$tmp/one-cluster.fa" --model vae --encoder 8 --decoder 8 --latent 2 --vae-steps 2 --evaluate-every 1 -o "$tmp/vae-one.npz"
check "pssm cross-validation holds out whole clusters" 0 "whole clusters at 80% identity .*best λ 0\.[0-9]" $seqgen fit data/example.a3m --model pssm -o "$tmp/pssm-cv.npz"
check "pssm: one cluster keeps the default λ" 0 "every sequence is in one cluster at 80% identity.*λ 0.25 (the default)" $seqgen fit "$tmp/one-cluster.fa" --model pssm -o "$tmp/pssm-one.npz"
check "ardca contacts (epistatic score)" 0 "top-L" $seqgen eval contacts "$tmp/ar.npz" --truth data/example.contacts
check "sample ardca (exact)" 0 "exact ancestral" $seqgen sample "$tmp/ar.npz" -n 300 -o "$tmp/s-ar.fa" --seed 4
check "sample ardca again" 0 "exact ancestral" $seqgen sample "$tmp/ar.npz" -n 300 -o "$tmp/s-ar2.fa" --seed 4 --threads 1
check "same seed, same samples (any thread count)" 0 "" cmp "$tmp/s-ar.fa" "$tmp/s-ar2.fa"
check "sample pssm" 0 "exact (independent columns)" $seqgen sample "$tmp/p.npz" -n 300 -o "$tmp/s-ps.fa"
check "MCMC options for an exact sampler are refused" 1 "--chains sets the Markov chains, but this pssm model is sampled exactly" $seqgen sample "$tmp/p.npz" -n 5 --chains 4 -o "$tmp/x.fa"
check "… and for unconditioned ardca" 1 "--burn-in sets the Markov chains, but this ardca model" $seqgen sample "$tmp/ar.npz" -n 5 --burn-in 4 -o "$tmp/x.fa"
check "sample potts (Gibbs chains)" 0 "mixing: overlap within chains" $seqgen sample "$tmp/ex.npz" -n 200 --chains 10 --burn-in 20 --thin 2 -o "$tmp/s-po.fa" --seed 2
check "sample potts again" 0 "Gibbs MCMC" $seqgen sample "$tmp/ex.npz" -n 200 --chains 10 --burn-in 20 --thin 2 -o "$tmp/s-po2.fa" --seed 2
check "same seed, same MCMC samples" 0 "" cmp "$tmp/s-po.fa" "$tmp/s-po2.fa"
check "a gaps-as-missing Potts model samples no gaps, and says so" 0 "samples hold no gaps" $seqgen sample "$tmp/ex.npz" -n 20 --chains 2 --burn-in 2 --thin 1 -o "$tmp/s-nogap.fa" --seed 2
check "… and its samples hold none" 0 "^0$" sh -c "grep -v '^>' '$tmp/s-po.fa' | grep -c -- '-' || true"
check "--fix with a letter that is no state" 1 "'Z' is not a state of the model" $seqgen sample "$tmp/ar.npz" -n 5 --fix 3=Z -o "$tmp/x.fa"
check "--fix of one residue twice" 1 "residue 3 is fixed twice" $seqgen sample "$tmp/ar.npz" -n 5 --fix 3=A,3=C -o "$tmp/x.fa"
check "stuck chains are flagged" 0 "warning: chains have not mixed" $seqgen sample "$tmp/ex.npz" -n 200 --chains 4 --burn-in 0 --thin 1 --temperature 0.05 -o "$tmp/s-cold.fa"
check "conditional sampling" 0 "Gibbs MCMC" $seqgen sample "$tmp/ar.npz" -n 50 --fix "1=${other},3=W" --chains 5 --burn-in 5 --thin 1 -o "$tmp/s-fix.fa"
check "fixed residues are kept" 0 "^0$" sh -c "awk 'NR % 2 == 0 && (substr(\$0, 1, 1) != \"${other}\" || substr(\$0, 3, 1) != \"W\")' '$tmp/s-fix.fa' | wc -l"
check "local sampling around a sequence" 0 "Gibbs MCMC" $seqgen sample "$tmp/ex.npz" -n 20 --from "$focus" --chains 2 --burn-in 1 --thin 1 -o "$tmp/s-from.fa"
check "--from with a PSSM is refused" 1 "a PSSM samples every column independently" $seqgen sample "$tmp/p.npz" -n 5 --from "$focus" -o "$tmp/x.fa"
check "--fix outside the model" 1 "residue 999 is not a model column" $seqgen sample "$tmp/ar.npz" -n 5 --fix 999=A -o "$tmp/x.fa"
check "--fix unparsable" 1 "cannot parse '12A'" $seqgen sample "$tmp/ar.npz" -n 5 --fix 12A -o "$tmp/x.fa"
readme_row "\`sample --fix 999=A\` / \`--from\` of the wrong length" $seqgen sample "$tmp/ar.npz" -n 5 --fix 999=A -o "$tmp/x.fa"
readme_row "\`sample --fix 999=A\` / \`--from\` of the wrong length" $seqgen sample "$tmp/ar.npz" -n 5 --from ACDE -o "$tmp/x.fa"
printf '>a\nACDE\n>b\nACDF\n' > "$tmp/four.fa"
readme_row "samples over other columns than the reference" $seqgen eval generative "$tmp/four.fa" --reference data/example.a3m
check "--from of the wrong length" 1 "must be 64 letters" $seqgen sample "$tmp/ex.npz" -n 5 --from ACDE -o "$tmp/x.fa"
check "sample refuses to overwrite" 1 "pass --force" $seqgen sample "$tmp/ar.npz" -n 5 -o "$tmp/s-ar.fa"
check "eval generative" 0 "connected C_ij" $seqgen eval generative "$tmp/s-ar.fa" --reference data/example.a3m --triplets 50 --plot "$tmp/gen.png"
check "eval generative figure" 0 "PNG image data" file -b "$tmp/gen.png"
printf '>a\nACGTACGTAC\n>b\nACGTTCGTAC\n>c\nTCGTACGAAC\n>d\nACCTACGTAG\n' > "$tmp/nt.fa"
check "eval generative reads the samples in the reference's alphabet" 0 "connected C_ij" $seqgen eval generative "$tmp/nt.fa" --reference "$tmp/nt.fa" --alphabet dna --triplets 10
check "eval generative --json" 0 '"pearson_connected": ' $seqgen eval generative "$tmp/s-po.fa" --reference data/example.a3m --triplets 20 --json
check "eval generative, wrong width" 1 "samples have 4 columns but the reference has 64" $seqgen eval generative "$tmp/one.a3m" --reference data/example.a3m
# Boltzmann-machine refinement of a Potts fit (fit --refine bm): seeded, samplable, options checked.
bm="--refine bm --refine-chains 40 --refine-sweeps 2 --refine-burn-in 5 --refine-epochs 4 --threads 2"
check "fit --refine bm" 0 "refine bm: 4 updates (40 chains, 2 sweeps each), stop: maximum epochs; chains' C_ij r" $seqgen fit data/example.a3m $bm --seed 1 -o "$tmp/bm1.npz"
check "fit --refine bm again" 0 "refine bm: 4 updates" $seqgen fit data/example.a3m $bm --seed 1 -o "$tmp/bm2.npz"
check "same seed, same refined model" 0 "" cmp "$tmp/bm1.npz" "$tmp/bm2.npz"
check "fit --refine bm, another seed" 0 "refine bm: 4 updates" $seqgen fit data/example.a3m $bm --seed 2 -o "$tmp/bm3.npz"
check "another seed, another refined model" 1 "" cmp -s "$tmp/bm1.npz" "$tmp/bm3.npz"
check "refinement changed the pseudolikelihood fit" 1 "" python3 -c "import numpy,sys; a=numpy.load('$tmp/bm1.npz'); b=numpy.load('$tmp/ex.npz'); sys.exit(0 if numpy.array_equal(a['J'],b['J']) else 1)"
check "the refined model records its refinement" 0 "^4 40$" python3 -c "import numpy; a=numpy.load('$tmp/bm1.npz'); print(int(a['meta_refine_updates']), int(a['meta_refine_chains']))"
check "refinement stops at the target" 0 "refine bm: 0 updates .*stop: target C_ij r reached" $seqgen fit data/example.a3m $bm --refine-chains 400 --refine-burn-in 20 --refine-target 0.1 -o "$tmp/bm4.npz"
check "a refined model samples" 0 "Gibbs MCMC" $seqgen sample "$tmp/bm1.npz" -n 20 --chains 2 --burn-in 2 --thin 1 -o "$tmp/s-bm.fa"
# Refinement checkpoints: SIGINT during the refinement stage, --resume to the uninterrupted bytes.
bmck="data/example.a3m --refine bm --refine-chains 100 --refine-sweeps 4 --refine-burn-in 4 --refine-epochs 80 --refine-target 5 --seed 3"
check "uninterrupted refinement" 0 "refine bm: 80 updates" $seqgen fit $bmck --threads 2 -o "$tmp/bm-full.npz"
$seqgen fit $bmck --threads 2 -o "$tmp/bm-int.npz" 2> "$tmp/bmint.log" & pid=$!
for _ in $(seq 1 600); do grep -q "L-BFGS:" "$tmp/bmint.log" 2>/dev/null && break; sleep 0.1; done
sleep 0.5; kill -INT $pid; wait $pid; rc=$?
check "SIGINT during refinement exits with 130 after a checkpoint" 0 "" test $rc -eq 130 -a ! -e "$tmp/bm-int.npz" -a -e "$tmp/bm-int.npz.ckpt.npz"
check "refinement SIGINT message" 0 "continue with --resume" cat "$tmp/bmint.log"
check "the checkpoint is a refinement checkpoint" 0 "^potts-bm$" python3 -c "import numpy; print(str(numpy.load('$tmp/bm-int.npz.ckpt.npz')['kind']))"
check "refinement resume with other settings is refused" 1 "different input or settings" $seqgen fit $bmck --refine-rate 0.1 -o "$tmp/bm-x.npz" --resume "$tmp/bm-int.npz.ckpt.npz"
check "refinement resume finishes (at another --threads)" 0 "resuming the refinement from .* at update" $seqgen fit $bmck --threads 1 -o "$tmp/bm-int.npz" --resume "$tmp/bm-int.npz.ckpt.npz"
check "resumed refinement = uninterrupted, every array" 0 "^same arrays$" same_arrays "$tmp/bm-full.npz" "$tmp/bm-int.npz"
check "the spent refinement checkpoint is removed" 1 "" test -e "$tmp/bm-int.npz.ckpt.npz"
# ArDCA checkpoints: SIGINT between regressions, --resume to the uninterrupted bytes.
$seqgen simulate --length 120 --sequences 1500 --seed 4 -o "$tmp/ard.a3m" --quiet
ard="$tmp/ard.a3m --model ardca --threads 2"
check "uninterrupted ardca fit" 0 "ardca: 120 regressions" $seqgen fit $ard -o "$tmp/ar-full.npz"
$seqgen fit $ard -o "$tmp/ar-int.npz" --checkpoint-every 10 2> "$tmp/arint.log" & pid=$!
for _ in $(seq 1 600); do [ -e "$tmp/ar-int.npz.ckpt.npz" ] && break; sleep 0.05; done
kill -INT $pid; wait $pid; rc=$?
check "ardca SIGINT exits with 130 after a checkpoint" 0 "" test $rc -eq 130 -a ! -e "$tmp/ar-int.npz" -a -e "$tmp/ar-int.npz.ckpt.npz"
check "ardca SIGINT message" 0 "stopped after regression [0-9]*; checkpoint written .* continue with --resume" cat "$tmp/arint.log"
check "the checkpoint holds regressions" 0 "^ardca-sites [1-9][0-9]*$" python3 -c "import numpy; a=numpy.load('$tmp/ar-int.npz.ckpt.npz'); print(str(a['kind']), int(a['fitted'].sum()))"
check "ardca resume with other settings is refused" 1 "different input or settings" $seqgen fit $ard --lambda-j 0.01 -o "$tmp/ar-x.npz" --resume "$tmp/ar-int.npz.ckpt.npz"
check "ardca resume finishes (at another --threads)" 0 "resuming from .*: [1-9][0-9]* of 120 regressions fitted" $seqgen fit "$tmp/ard.a3m" --model ardca --threads 1 -o "$tmp/ar-int.npz" --resume "$tmp/ar-int.npz.ckpt.npz"
check "resumed ardca = uninterrupted, every array" 0 "^same arrays$" same_arrays "$tmp/ar-full.npz" "$tmp/ar-int.npz"
check "the spent ardca checkpoint is removed" 1 "" test -e "$tmp/ar-int.npz.ckpt.npz"
check "--curve is still refused for ardca" 2 "per-column regressions" $seqgen fit $ard -o "$tmp/ar-c.npz" --curve "$tmp/ar-c.png"
readme_row "\`--refine bm\` with another model" $seqgen fit data/example.a3m --model pssm --refine bm -o "$tmp/v.npz"
# Regulatory CNN: synthetic data with known motifs, a short training run, evaluation.
printf '>M1 TATA\nA [ 0 9 0 9 0 0 ]\nC [ 0 0 0 0 0 9 ]\nG [ 0 0 0 0 9 0 ]\nT [ 9 0 9 0 0 0 ]\n>M2 GGCC\nA [ 0 0 0 0 ]\nC [ 0 0 9 9 ]\nG [ 9 9 0 0 ]\nT [ 0 0 0 0 ]\n' > "$tmp/two.pfm"
check "cnn synth" 0 "280/40/80 train/valid/test × 40 bp" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 400 --length 40 --recipe uniform --motifs-per-sequence 1-2 --seed 1 -o "$tmp/dna.npz"
check "cnn synth is seeded" 0 "wrote" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 400 --length 40 --recipe uniform --motifs-per-sequence 1-2 --seed 1 -o "$tmp/dna2.npz"
check "same seed, same dataset" 0 "" cmp "$tmp/dna.npz" "$tmp/dna2.npz"
check "cnn data" 0 "positives per task" $seqgen cnn data "$tmp/dna.npz"
python3 -c "
import numpy as np; d = dict(np.load('$tmp/dna.npz')); d['Y_train'] = d['Y_train'] * 2; np.savez('$tmp/dna-y2.npz', **d)" 2>/dev/null
readme_row "a DNA dataset (\`.npz\`/HDF5) with labels outside [0, 1]" $seqgen cnn data "$tmp/dna-y2.npz"
python3 -c "
import numpy as np; d = dict(np.load('$tmp/dna.npz')); [d.pop(k) for k in list(d) if k.startswith('model_')]; np.savez('$tmp/dna-nogt.npz', **d)" 2>/dev/null
check "an empty validation split is refused" 1 "empty-valid.npz: the valid split has no sequences" sh -c "python3 -c \"import numpy as n; d = dict(n.load('$tmp/dna.npz')); d['X_valid'] = d['X_valid'][:0]; d['Y_valid'] = d['Y_valid'][:0]; [d.pop(k) for k in list(d) if k.endswith('_valid') and not k.startswith(('X_', 'Y_'))]; n.savez('$tmp/empty-valid.npz', **d)\" && $seqgen cnn train '$tmp/empty-valid.npz' -o '$tmp/x-empty.npz' --epochs 1"
check "X that is not one-hot is refused" 1 "X_train is not one-hot: sequence 0, position 0 sums to 3.0" sh -c "python3 -c \"import numpy as n; d = dict(n.load('$tmp/dna.npz')); d['X_train'] = 3 * d['X_train']; n.savez('$tmp/tripled.npz', **d)\" && $seqgen cnn data '$tmp/tripled.npz'"
check "unknown motif name" 1 "motif 'NOPE' is not in the motif file" $seqgen cnn synth --motifs "$tmp/two.pfm" --names NOPE -o "$tmp/x.npz"
check "motifs do not fit" 1 "do not fit in 10 bases" $seqgen cnn synth --motifs "$tmp/two.pfm" --names TATA --length 10 --motifs-per-sequence 2-3 -o "$tmp/x.npz"
check "cnn train" 0 "wrote" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax dense16 relu" --epochs 3 --batch-size 40 --learning-rate 0.01 -o "$tmp/cnn.npz" --curve "$tmp/cnn-curve.png"
check "bad architecture" 1 "unknown layer 'wibble'" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 wibble" -o "$tmp/x.npz"
check "cnn train, he-normal initialisation" 0 "wrote" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 bn exp gmax dense16 relu" --epochs 2 --initialisation he-normal --lr-patience 5 -o "$tmp/cnn-he.npz"
check "cnn train, unknown initialisation" 2 "initialisation" $seqgen cnn train "$tmp/dna.npz" --initialisation glorot -o "$tmp/x.npz"
check "cnn train, --lr-patience 0" 1 "--lr-patience" $seqgen cnn train "$tmp/dna.npz" --lr-patience 0 -o "$tmp/x.npz"
check "cnn train, early stopping on AUPR" 0 "AUPR" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --monitor aupr -o "$tmp/cnn-aupr.npz"
check "CNN model passed to contacts" 1 "cnn.npz: a CNN model (from .seqgen cnn train.); contacts needs a Potts, Gaussian, attention, ArDCA, VAE or language model" $seqgen contacts "$tmp/cnn.npz" -o "$tmp/cx"
# Regression CNNs: activity = 1.5 × copies of GATAAG − 0.5 + noise.
python3 - "$tmp/act.fa" "$tmp/act.csv" <<'PY'
import random, sys
random.seed(5)
with open(sys.argv[1], 'w') as fa, open(sys.argv[2], 'w') as lab:
    lab.write('id,activity\n')
    for i in range(900):
        s = [random.choice('ACGT') for _ in range(48)]
        for k in random.sample(range(6), random.choice([0, 1, 2, 3])): s[8 * k:8 * k + 6] = 'GATAAG'
        s = ''.join(s)
        fa.write('>a%d\n%s\n' % (i, s)); lab.write('a%d,%.4f\n' % (i, 1.5 * s.count('GATAAG') - 0.5 + random.gauss(0, 0.1)))
PY
check "measured labels need --objective regression" 1 "act.csv:2: label '.*' in column 2: labels must be in \[0, 1\] (a classifier's targets; for measured values such as log activities or enrichments train with --objective regression)" $seqgen cnn data "$tmp/act.fa" --labels "$tmp/act.csv"
check "cnn data --objective regression summarises the labels" 0 "labels per task (mean ± sd): " $seqgen cnn data "$tmp/act.fa" --labels "$tmp/act.csv" --objective regression -o "$tmp/act.npz"
awk -F, 'NR == 1 { print "id,chrom,activity,note" } NR > 1 { print $1 ",chr2L," $2 ",n" NR }' "$tmp/act.csv" > "$tmp/act-wide.csv"
check "--label-columns picks the task column among others" 0 "1 task(s): activity" $seqgen cnn data "$tmp/act.fa" --labels "$tmp/act-wide.csv" --label-columns activity --objective regression
check "--label-columns without --labels" 2 "--label-columns chooses columns of --labels" $seqgen cnn data "$tmp/act.npz" --label-columns activity --objective regression
check "cnn data --bed is classification" 2 "--objective regression goes with measured labels" $seqgen cnn data --bed "$tmp/act.csv" --genome "$tmp/act.fa" --objective regression
check "cnn train --objective regression" 0 "wrote .*act-m.npz (best epoch [0-9]*: valid MSE " $seqgen cnn train "$tmp/act.npz" --objective regression --architecture "conv8x6 relu pool4 flatten dense16 relu" --epochs 40 --patience 40 --batch-size 50 --learning-rate 0.01 -o "$tmp/act-m.npz" --curve "$tmp/act-curve.png"
awk -F, 'NR == 1 { print "id,activity,scaled" } NR > 1 { printf "%s,%s,%.2f\n", $1, $2, 100 * $2 + 7 }' "$tmp/act.csv" > "$tmp/act-two.csv"
check "regression --balance-tasks: weights 1 / variance, mean 1" 0 "task weights in the loss (1 / label variance, mean 1): activity 1.9998, scaled 0.0002" $seqgen cnn train "$tmp/act.fa" --labels "$tmp/act-two.csv" --objective regression --balance-tasks --architecture "conv8x6 relu pool4 flatten dense16 relu" --epochs 20 --patience 20 --batch-size 50 --learning-rate 0.01 -o "$tmp/act-two.npz"
check "regression --balance-tasks: both tasks learnt (r > 0.9)" 0 "^ok" sh -c "$seqgen cnn evaluate '$tmp/act-two.npz' '$tmp/act.fa' --labels '$tmp/act-two.csv' --json | python3 -c \"import json, sys; d = json.load(sys.stdin); print('ok' if min(t['pearson'] for t in d['tasks']) > 0.9 else d)\""
check "--balance-tasks with one task" 1 "--balance-tasks needs two or more tasks" $seqgen cnn train "$tmp/act.npz" --objective regression --balance-tasks --architecture "conv8x6 relu pool4 flatten dense16 relu" -o "$tmp/x.npz"
check "--balance-tasks on a classifier" 2 "--balance-tasks weighs a regression's tasks by their label variance: it needs --objective regression" $seqgen cnn train "$tmp/act.npz" --balance-tasks -o "$tmp/x.npz"
check "regression: --monitor is refused" 2 "--monitor applies to classifiers (a regression stops on its validation loss), not --objective regression" $seqgen cnn train "$tmp/act.npz" --objective regression --monitor aupr -o "$tmp/x.npz"
check "regression: test Pearson r > 0.9" 0 "^ok" sh -c "$seqgen cnn evaluate '$tmp/act-m.npz' '$tmp/act.npz' --json | python3 -c \"import json, sys; d = json.load(sys.stdin); print('ok' if d['mean_pearson'] > 0.9 and d['tasks'][0]['mse'] < 0.5 else d)\""
check "regression: evaluate prints r, ρ and MSE and draws the scatter" 0 "mean Pearson r .*, mean Spearman ρ .*, mean MSE " $seqgen cnn evaluate "$tmp/act-m.npz" "$tmp/act.fa" --labels "$tmp/act.csv" --plot "$tmp/act-fit.png"
check "regression: predict writes values, not probabilities" 0 "^ok" sh -c "$seqgen cnn predict '$tmp/act-m.npz' '$tmp/act.fa' | python3 -c \"import sys; v = [float(l.split(',')[1]) for l in sys.stdin.read().split(chr(10))[1:] if l]; print('ok' if max(v) > 2 and min(v) < 0 else (min(v), max(v)))\""
check "regression: --logits is refused" 1 "is a regression: its outputs are predicted values" $seqgen cnn predict "$tmp/act-m.npz" "$tmp/act.fa"  --logits
check "regression: attribute --explain probability is refused" 1 "this model is a regression" $seqgen cnn attribute "$tmp/act-m.npz" "$tmp/act.npz" -o "$tmp/act-attr.npz" --explain probability
check "regression: saliency of the most active sequence" 0 "saliency: 3 sequences" $seqgen cnn attribute "$tmp/act-m.npz" "$tmp/act.npz" -o "$tmp/act-attr.npz" --count 3
$seqgen cnn train "$tmp/act.npz" --objective regression --architecture "conv8x6 relu pool4 flatten dense16 relu" --epochs 40 --patience 40 --batch-size 50 --learning-rate 0.01 --seed 2 -o "$tmp/act-m2.npz" --quiet
check "regression: cnn select ranks by test r" 0 "^candidate	replicates	test_pearson	test_spearman	" $seqgen cnn select "a=$tmp/act-m.npz,$tmp/act-m2.npz" "$tmp/act.npz" --sequences 20
check "regression: cnn select refuses a classifier beside it" 1 "cnn.npz is a classification model and .*act-m.npz a regression one" $seqgen cnn select "a=$tmp/act-m.npz" "b=$tmp/cnn.npz" "$tmp/act.npz"
check "cnn synth --task activity" 0 "activity = Σ over core instances of TATA 2.00 + N(0, 0.10²); decoys GGCC add nothing" $seqgen cnn synth --task activity --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --weights 2 --noise 0.1 --count 1200 --length 40 --motifs-per-sequence 1-3 --seed 1 -o "$tmp/act-synth.npz"
check "--weights needs the activity task" 2 "--weights applies to the activity task, not --task code" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --weights 2 -o "$tmp/x.npz"
check "--weights: one per core motif" 2 "--weights: expected 1 numbers, one per core motif (TATA)" $seqgen cnn synth --task activity --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --weights 1,2 -o "$tmp/x.npz"
$seqgen cnn train "$tmp/act-synth.npz" --objective regression --architecture "conv8x6 relu pool4 flatten dense16 relu" --epochs 40 --patience 40 --batch-size 50 --learning-rate 0.01 -o "$tmp/act-synth-m.npz" --quiet
check "activity task: saliency scored against the planted TATA sites" 0 "^ok" sh -c "$seqgen cnn interpretability '$tmp/act-synth-m.npz' '$tmp/act-synth.npz' --method saliency --count 100 --json --quiet | python3 -c \"import json, sys; d = json.load(sys.stdin); print('ok' if d['auroc'] > 0.8 and d['sequences'] > 50 else d)\""
readme_row "a model of the wrong kind" $seqgen contacts "$tmp/cnn.npz" -o "$tmp/cx"
# VAE (issue 16): fit, score (wild type 0, multi-mutants, seeded draws, ensembles, mixture), embed, contacts, and its bad input.
vae_opts="--model vae --encoder 32 --decoder 16-32 --latent 2 --vae-steps 30 --evaluate-every 10 --quiet"
check "vae fit" 0 "" $seqgen fit data/example.a3m $vae_opts -o "$tmp/vae.npz" --curve "$tmp/vae-curve.png"
check "vae fit same seed same bytes" 0 "" sh -c "$seqgen fit data/example.a3m $vae_opts -o $tmp/vae2.npz && cmp $tmp/vae.npz $tmp/vae2.npz"
check "vae wild type scores 0" 0 "^I1I,0.0$" $seqgen score "$tmp/vae.npz" --mutants "I1I,I1C:W2A" --samples 5
check "vae scores are seeded" 0 "" sh -c "[ \"\$($seqgen score $tmp/vae.npz --mutants I1C --samples 5 --seed 3)\" = \"\$($seqgen score $tmp/vae.npz --mutants I1C --samples 5 --seed 3)\" ]"
check "vae ensemble of files" 0 "I1C," $seqgen score "$tmp/vae.npz" --ensemble-with "$tmp/vae2.npz" --mutants I1C --samples 3
check "vae scores under --threads 1 and 2 agree" 0 "" sh -c "[ \"\$($seqgen score $tmp/vae.npz --mutants I1C,W2A --samples 5 --threads 1 --quiet)\" = \"\$($seqgen score $tmp/vae.npz --mutants I1C,W2A --samples 5 --threads 2 --quiet)\" ]"
check "sample vae (prior)" 0 "z ~ N(0, I)" $seqgen sample "$tmp/vae.npz" -n 300 -o "$tmp/s-vae.fa" --seed 3
check "sample vae again" 0 "z ~ N(0, I)" $seqgen sample "$tmp/vae.npz" -n 300 -o "$tmp/s-vae2.fa" --seed 3 --threads 1
check "same seed, same VAE samples" 0 "" cmp "$tmp/s-vae.fa" "$tmp/s-vae2.fa"
check "sample vae around a sequence, fixed residue" 0 "z ~ q(z | --from)" $seqgen sample "$tmp/vae.npz" -n 50 --from "$focus" --fix "3=W" -o "$tmp/s-vae3.fa"
check "vae: fixed residue kept" 0 "^0$" sh -c "awk 'NR % 2 == 0 && substr(\$0, 3, 1) != \"W\"' '$tmp/s-vae3.fa' | wc -l"
check "vae mixture" 0 "pathogenic_probability" sh -c "$seqgen score $tmp/vae.npz --mutants I1C,W2A,Q6A,R5L,I1C:W2A --samples 3 --mixture $tmp/mix.json && test -s $tmp/mix.json"
check "vae mixture: a JSON object with two components" 0 "^2 2 2 log_likelihood$" python3 -c "import json; m = json.load(open('$tmp/mix.json')); print(len(m['weights']), len(m['means']), len(m['standard_deviations']), 'log_likelihood' if isinstance(m['log_likelihood'], float) and m['iterations'] >= 1 else 'bad')"
check "vae embed" 0 "embedded 2000" $seqgen embed "$tmp/vae.npz" data/example.a3m -o "$tmp/z.npy" --plot "$tmp/z.png" --color-column 5
check "embed --color-column of no residue" 1 "residue -1 is not a model column (numbered 1–" $seqgen embed "$tmp/vae.npz" data/example.a3m -o "$tmp/z2.npy" --plot "$tmp/z2.png" --color-column=-1
check "vae contacts through saliency couplings" 0 "wrote" $seqgen contacts "$tmp/vae.npz" -o "$tmp/vaec"
check "vae saliency averaged over alignment rows" 0 "wrote" $seqgen contacts "$tmp/vae.npz" -o "$tmp/vaec5" --alignment data/example.a3m --saliency-sequences 5
check "saliency over 5 rows differs from the focus alone" 1 "" cmp -s "$tmp/vaec.npy" "$tmp/vaec5.npy"
check "saliency over row 0 = the focus sequence" 0 "" sh -c "$seqgen contacts $tmp/vae.npz -o $tmp/vaec1 --alignment data/example.a3m --saliency-sequences 1 && cmp $tmp/vaec.npy $tmp/vaec1.npy"
check "--saliency-sequences needs --alignment" 2 "needs --alignment" $seqgen eval contacts "$tmp/vae.npz" --truth data/example.contacts --saliency-sequences 5
check "--saliency-sequences 0" 2 "at least 1" $seqgen contacts "$tmp/vae.npz" -o "$tmp/vaec0" --alignment data/example.a3m --saliency-sequences 0
check "saliency inputs are for VAE models" 1 "apply to VAE models" $seqgen contacts "$tmp/ex.npz" -o "$tmp/exs" --alignment data/example.a3m --saliency-sequences 5
check "vae ensemble with a Potts model" 1 "needs VAE models" $seqgen score "$tmp/vae.npz" --ensemble-with "$tmp/ex.npz" --mutants I1C
readme_row "embed with a model of another kind" $seqgen embed "$tmp/ex.npz" data/example.a3m -o "$tmp/z2.npy"
readme_row "embed an alignment over other columns" $seqgen embed "$tmp/vae.npz" "$tmp/gapcol.a3m" -o "$tmp/z3.npy"
printf '>focus/1-6\nACdEFGh\n>b\nACdEFGh\n>c\nSCdEYGh\n>d\nACdQFGh\n' > "$tmp/lower.a2m"
check "vae fit on A2M model columns" 0 "" $seqgen fit "$tmp/lower.a2m" $vae_opts --validation-fraction 0 -o "$tmp/lower-vae.npz"
readme_row "VAE mutant at an unmodelled (lower-case) column" $seqgen score "$tmp/lower-vae.npz" --mutants D3A
readme_row "VAE training diverges" $seqgen fit data/example.a3m $vae_opts --vae-learning-rate 1e30 -o "$tmp/nan-vae.npz"
check "no VAE model after divergence" 0 "" test ! -e "$tmp/nan-vae.npz"
check "vae: decoder width not a multiple of the sparsity tiles" 2 "multiple of the sparsity tiles (4; " $seqgen fit data/example.a3m --model vae --decoder 16-30 -o "$tmp/tiles-vae.npz"
check "dataset passed to score" 1 "dna.npz: a DNA dataset, not a model; score needs" $seqgen score "$tmp/dna.npz" --mutants A1C
# .npz files open in numpy with strings as str and counts as int (CI=true: numpy is required).
if python3 -c 'import numpy' 2>/dev/null; then
    check "model .npz: strings are str, counts int64" 0 "ok" python3 -c "
import sys, numpy as np
m = np.load(sys.argv[1]); c = np.load(sys.argv[2]); d = np.load(sys.argv[3])
assert isinstance(m['focus_name'].item(), str) and m['focus_name'].dtype.kind == 'U' and m['model_type'].item() == 'potts'
assert isinstance(m['alphabet'].item(), str) and len(m['focus_sequence'].item()) == m['h'].shape[0]
for k in ['meta_iterations', 'meta_evaluations', 'meta_threads', 'meta_sequences']: assert m[k].dtype == np.int64, k
assert m['meta_neff'].dtype == np.float64 and m['residue_numbers'].dtype == np.int64
assert c['task_names'].tolist() == ['code'] and c['length'].dtype == np.int64 and c['architecture'].dtype.kind == 'U'
assert d['task_names'].tolist() == ['code']
print('ok')" "$tmp/ex.npz" "$tmp/cnn.npz" "$tmp/dna.npz"
    # VAE and LM fits whose products are big enough to be shared in tiles: the same arrays at 1 and
    # 2 threads (the files differ only in meta_threads).
    for t in 1 2; do
        $seqgen fit data/example.a3m --model vae --vae-steps 4 --evaluate-every 2 --seed 1 --threads $t --quiet --force -o "$tmp/vae-t$t.npz"
        $seqgen fit data/example.a3m --model lm --lm-steps 4 --evaluate-every 2 --seed 1 --threads $t --quiet --force -o "$tmp/lm-t$t.npz"
    done
    check "vae fit: the same arrays at --threads 1 and 2" 0 "^same arrays$" same_arrays "$tmp/vae-t1.npz" "$tmp/vae-t2.npz"
    check "lm fit: the same arrays at --threads 1 and 2" 0 "^same arrays$" same_arrays "$tmp/lm-t1.npz" "$tmp/lm-t2.npz"
elif [ "${CI:-}" = true ]; then
    fail=$((fail+1)); echo "FAILED: python3 with numpy is required on CI (pip install numpy)"
else
    echo "skipping the numpy checks: python3 with numpy is not available"
fi
check "cnn evaluate" 0 "mean AUROC" $seqgen cnn evaluate "$tmp/cnn.npz" "$tmp/dna.npz"
check "cnn evaluate --plot: ROC and PR curves" 0 "PNG image data" sh -c "$seqgen cnn evaluate '$tmp/cnn.npz' '$tmp/dna.npz' --plot '$tmp/roc.png' > /dev/null && file '$tmp/roc.png'"
# Robust training (issue 19): EvoAug augmentations + fine-tuning, noise, adversarial examples; model selection.
check "cnn train --augment" 0 "training with evoaug inversion=20,deletion=20,insertion=20,translocation=20,rc=0.5,mutation=0.05,noise=0.2 (2 per sequence)" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --augment mutation,insertion,deletion,translocation,inversion,rc,noise -o "$tmp/aug.npz"
check "cnn train --finetune-epochs" 0 "fine-tuning on clean data for 1 epoch" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --augment mutation=0.1,rc --finetune-epochs 1 -o "$tmp/aug-ft.npz"
check "fine-tuning adds an epoch" 0 "epoch 3:" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --augment rc --finetune-epochs 1 -o "$tmp/aug-ft.npz" --force
$seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --augment mutation,rc,noise --seed 3 -o "$tmp/aug-s1.npz" --quiet
$seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --augment mutation,rc,noise --seed 3 -o "$tmp/aug-s2.npz" --quiet
check "augmented training is seeded (same seed, same bytes)" 0 "" cmp "$tmp/aug-s1.npz" "$tmp/aug-s2.npz"
check "cnn train --gaussian-noise" 0 "gaussian noise σ 0.1 on 0.5 of each batch" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 1 --gaussian-noise 0.1 -o "$tmp/noise.npz"
check "cnn train --adversarial pgd" 0 "pgd ε 0.1, 2 steps, box, on 0.5 of each batch" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 1 --adversarial pgd --adversarial-steps 2 -o "$tmp/pgd.npz"
check "cnn train --clean-epochs" 0 "after 1 clean epoch(s)" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --adversarial pgd --adversarial-steps 2 --projection continuous --clean-epochs 1 -o "$tmp/pgd-clean.npz"
check "the model kept is a perturbed epoch's" 0 "best epoch 2" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 2 --adversarial pgd --adversarial-steps 2 --clean-epochs 1 -o "$tmp/pgd-clean.npz" --force
check "cnn train --mixed-epochs: mixed, then every sequence" 0 "perturbing every sequence after 1 mixed epoch(s)" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 3 --adversarial pgd --adversarial-steps 2 --clean-epochs 1 --mixed-epochs 1 -o "$tmp/pgd-mixed.npz"
check "the model kept is an all-perturbed epoch's" 0 "best epoch 3" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 3 --adversarial pgd --adversarial-steps 2 --clean-epochs 1 --mixed-epochs 1 -o "$tmp/pgd-mixed.npz" --force
check "cnn train --adversarial fgsm, simplex" 0 "fgsm ε 0.2, simplex" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 1 --adversarial fgsm --epsilon 0.2 --projection simplex -o "$tmp/fgsm.npz"
check "more augmentations per sequence than --augment lists" 2 "is more than the 1 augmentation in --augment" $seqgen cnn train "$tmp/dna.npz" --augment rc --augmentations-per-sequence 3 -o "$tmp/v.npz"
check "--perturbed-fraction 0 with an attack" 2 "perturbs no sequence" $seqgen cnn train "$tmp/dna.npz" --adversarial pgd --perturbed-fraction 0 -o "$tmp/v.npz"
check "unknown augmentation" 2 "--augment: unknown augmentation 'mutate'" $seqgen cnn train "$tmp/dna.npz" --augment mutate -o "$tmp/v.npz"
readme_row "unknown augmentation" $seqgen cnn train "$tmp/dna.npz" --augment mutate -o "$tmp/v.npz"
check "augmentation longer than the sequences" 1 "deletion=40: at most 39 nt for 40-bp sequences" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --augment deletion=40 -o "$tmp/v.npz"
readme_row "augmentation longer than the sequences" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --augment deletion=40 -o "$tmp/v.npz"
check "cnn select" 0 "Spearman(consistency, interpretability AUROC) over 3 candidates" $seqgen cnn select plain="$tmp/cnn.npz,$tmp/cnn-aupr.npz" aug="$tmp/aug.npz,$tmp/aug-s1.npz" "$tmp/noise.npz,$tmp/pgd.npz" "$tmp/dna.npz" --sequences 20
check "cnn select: the low-variation proxy too" 0 "Spearman(−variation, interpretability AUROC) over 3 candidates" $seqgen cnn select plain="$tmp/cnn.npz,$tmp/cnn-aupr.npz" aug="$tmp/aug.npz,$tmp/aug-s1.npz" "$tmp/noise.npz,$tmp/pgd.npz" "$tmp/dna.npz" --sequences 20
check "cnn select: --task with --all-tasks" 2 "give --task K or --all-tasks, not both" $seqgen cnn select "$tmp/aug.npz" "$tmp/pgd.npz" "$tmp/dna.npz" --all-tasks --task 0
check "cnn select: the uncorrected gradient × input's truth too" 0 "Spearman(−variation, uncorrected interpretability AUROC) over 3 candidates" $seqgen cnn select plain="$tmp/cnn.npz,$tmp/cnn-aupr.npz" aug="$tmp/aug.npz,$tmp/aug-s1.npz" "$tmp/noise.npz,$tmp/pgd.npz" "$tmp/dna.npz" --sequences 20
check "cnn select --json --plot" 0 '"consistency_vs_interpretability_spearman"' $seqgen cnn select a="$tmp/aug.npz,$tmp/aug-s1.npz" "$tmp/pgd.npz" "$tmp/dna.npz" --sequences 20 --json --plot "$tmp/select.png"
check "cnn select wrote its plot" 0 "" test -s "$tmp/select.png"
check "cnn select identical replicates: consistency 1" 0 "^same	2	.*	1.0000	0.000000	" $seqgen cnn select same="$tmp/aug-s1.npz,$tmp/aug-s2.npz" "$tmp/dna.npz" --sequences 20
check "cnn select identical replicates are pointed out" 0 "hold the same weights (trained with the same --seed?)" $seqgen cnn select same="$tmp/aug-s1.npz,$tmp/aug-s2.npz" "$tmp/dna.npz" --sequences 20
check "cnn attribute on a dataset of other tasks" 1 "with 2 task(s); the model expects 40 bp and 1" sh -c "python3 -c \"import numpy as n; d = dict(n.load('$tmp/dna.npz')); d = {k: (n.concatenate([v, v], axis=1) if k.startswith('Y_') else v) for k, v in d.items() if k != 'task_names'}; n.savez('$tmp/dna-2tasks.npz', **d)\" && $seqgen cnn attribute '$tmp/cnn.npz' '$tmp/dna-2tasks.npz' -o '$tmp/x-attr.npy'"
check "cnn attribute: an output named for another format" 1 "this output is a NumPy array (.npy: the maps) or archive (.npz: the maps with their sequences and indices): name it .npy or .npz" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/attr.csv"
check "cnn select: a model given twice" 2 "is given twice: replicates must be separate models" $seqgen cnn select a="$tmp/aug.npz,$tmp/aug.npz" "$tmp/dna.npz"
check "cnn select: two candidates of one name" 2 "two candidates are named 'a'" $seqgen cnn select a="$tmp/aug.npz" a="$tmp/pgd.npz" "$tmp/dna.npz"
check "cnn select --all-tasks on one task is --task 0" 0 "" bash -c "diff <($seqgen cnn select a=$tmp/aug.npz,$tmp/aug-s1.npz $tmp/dna.npz --sequences 20 --quiet) <($seqgen cnn select a=$tmp/aug.npz,$tmp/aug-s1.npz $tmp/dna.npz --sequences 20 --all-tasks --quiet)"
check "cnn select needs a model and data" 2 "give at least one candidate model and the dataset" $seqgen cnn select "$tmp/dna.npz"
readme_row "cnn select with no model" $seqgen cnn select "$tmp/dna.npz"
$seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 100 --length 50 -o "$tmp/other-length.npz" --quiet
check "cnn select on a model for other data" 1 "the model expects" $seqgen cnn select "$tmp/cnn.npz" "$tmp/other-length.npz"
readme_row "\`cnn select\` with a model for other data" $seqgen cnn select "$tmp/cnn.npz" "$tmp/other-length.npz"
check "evaluate a Potts model as CNN" 1 "not a seqgen CNN model" $seqgen cnn evaluate "$tmp/ex.npz" "$tmp/dna.npz"
cp "$tmp/two.pfm" "$tmp/fake.h5"
for m in saliency gradxinput ig smoothgrad gradientshap ism deeplift deepshap; do
    check "cnn attribute $m" 0 "$m: 20 sequences × 40 bp" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --method $m --count 20 --steps 10 --samples 3 -o "$tmp/attr-$m.npy"
done
check "cnn attribute gradientshap: same --seed, same bytes" 0 "" bash -c "$seqgen cnn attribute '$tmp/cnn.npz' '$tmp/dna.npz' --method gradientshap --count 20 --samples 3 --seed 3 -o '$tmp/gs1.npy' --quiet && $seqgen cnn attribute '$tmp/cnn.npz' '$tmp/dna.npz' --method gradientshap --count 20 --samples 3 --seed 3 -o '$tmp/gs2.npy' --quiet && cmp '$tmp/gs1.npy' '$tmp/gs2.npy'"
check "attribution logo" 0 "saliency" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --count 5 --correct -o "$tmp/attr-corrected.npy" --logo "$tmp/attr-logo.png"
check "attribution .npz, channels last" 0 "" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --count 6 --channels-last -o "$tmp/attr.npz"
check "attribution .npz holds (N, L, 4) maps, sequences, indices" 0 "(6, 40, 4) (6, 40, 4) (6,)" python3 -c "import sys, zipfile, re; z = zipfile.ZipFile(sys.argv[1]); print(*[re.search(r\"'shape': (\(.*?\))\", z.read(k)[:128].decode('latin1')).group(1) for k in ['attributions.npy', 'x.npy', 'index.npy']])" "$tmp/attr.npz"
check "interpretability" 0 "interpretability AUROC" $seqgen cnn interpretability "$tmp/cnn.npz" "$tmp/dna.npz" --method ism --count 40
check "interpretability of the probability" 0 "interpretability AUROC" $seqgen cnn interpretability "$tmp/cnn.npz" "$tmp/dna.npz" --method saliency --explain probability --count 40
check "published recipe with named decoys" 0 "decoys: GGCC" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 100 --length 60 -o "$tmp/pub-two.npz"
check "published code recipe fixes 3-7 motifs" 2 "applies to the multi and activity tasks and the code task with --recipe uniform (the published code recipe places 3-7)" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --motifs-per-sequence 1-2 -o "$tmp/x.npz"
if [ -e ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm ]; then
    check "published code task from JASPAR" 0 "140/20/40 train/valid/test" $seqgen cnn synth --task code --motifs ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm --count 200 --seed 2 -o "$tmp/pub.npz"
    check "published code task: look-alikes of the core are no decoys" 0 "look-alikes of the core.*CEBPD" $seqgen cnn synth --task code --motifs ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm --count 200 --seed 2 -o "$tmp/pub2.npz" --planted "$tmp/planted.meme"
    check "cnn synth --planted writes the 5 core motifs and 50 decoys" 0 "^55$" bash -c "grep -c '^MOTIF' '$tmp/planted.meme'"
fi
check "cnn synth: bad --lookalike-q" 2 "--lookalike-q: expected a q-value between 0 and 1" $seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --lookalike-q 2 -o "$tmp/x.npz"
check "cnn filters" 0 "8 filters" $seqgen cnn filters "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/filters.meme" --logos "$tmp/filters.png" --database "$tmp/two.pfm" --truth TATA --table "$tmp/filters.tsv"
check "cnn filters: a truth group by ID" 0 "ground-truth motifs recovered: [01]/1" $seqgen cnn filters "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/filters-g.meme" --database "$tmp/two.pfm" --truth "tata=M1|nothere"
check "cnn filters: a truth group naming nothing" 1 "names no motif (name or ID) in" $seqgen cnn filters "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/x.meme" --database "$tmp/two.pfm" --truth "TATA,X=nope|nada"
check "cnn filters: JASPAR out" 0 "" $seqgen cnn filters "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/filters.jaspar" --quiet
check "filters read back as motifs" 0 "Query_ID" $seqgen motifs compare "$tmp/filters.meme" "$tmp/two.pfm" --thresh 1
check "motifs compare finds itself" 0 "TATA.*TATA" $seqgen motifs compare "$tmp/two.pfm" "$tmp/two.pfm" --best --thresh 1
check "motifs compare: the same table at any --threads" 0 "^same$" sh -c "$seqgen motifs compare '$tmp/filters.meme' '$tmp/two.pfm' --thresh 1 --threads 1 > '$tmp/cmp1.tsv' && $seqgen motifs compare '$tmp/filters.meme' '$tmp/two.pfm' --thresh 1 --threads 2 > '$tmp/cmp2.tsv' && cmp -s '$tmp/cmp1.tsv' '$tmp/cmp2.tsv' && echo same"
check "motifs compare: bad --threads" 2 "--threads must be at least 1" $seqgen motifs compare "$tmp/two.pfm" "$tmp/two.pfm" --threads 0
check "motifs compare: bad --thresh" 2 "--thresh must be in" $seqgen motifs compare "$tmp/two.pfm" "$tmp/two.pfm" --thresh 0
check "motifs compare --plot draws the matched pairs" 0 "PNG image data" sh -c "$seqgen motifs compare '$tmp/two.pfm' '$tmp/two.pfm' --best --thresh 1 --plot '$tmp/motif-cmp.png' --quiet > /dev/null && file '$tmp/motif-cmp.png'"
check "motifs compare --plot with nothing to draw" 1 "no pair has q ≤ 1e-09: nothing to draw" $seqgen motifs compare "$tmp/filters.meme" "$tmp/two.pfm" --thresh 1e-9 --plot "$tmp/none.png"
check "motifs convert JASPAR → MEME" 0 "nsites= 9 " sh -c "$seqgen motifs convert '$tmp/two.pfm' -o '$tmp/two.meme' --quiet && cat '$tmp/two.meme'"
check "motifs convert MEME → JASPAR: the counts come back" 0 "same" bash -c "$seqgen motifs convert '$tmp/two.meme' -o '$tmp/two-back.jaspar' --quiet && diff <(tr -s ' \t' ' ' < '$tmp/two.pfm') <(tr -s ' \t' ' ' < '$tmp/two-back.jaspar') > /dev/null && echo same || echo differ"
check "motifs convert to .pfm: JASPAR's raw layout, read back" 0 "^same$" bash -c "$seqgen motifs convert '$tmp/two.meme' -o '$tmp/two-raw.pfm' --quiet && sed -n 2p '$tmp/two-raw.pfm' | grep -q '^0	9	0	9	0	0$' && $seqgen motifs convert '$tmp/two-raw.pfm' -o '$tmp/two-raw.jaspar' --quiet && cmp -s '$tmp/two-raw.jaspar' '$tmp/two-back.jaspar' && echo same"
printf '>GGGGCGGGGC\tSp1(Zf)/Promoter/Homer\t6.65\n0.01\t0.01\t0.97\t0.01\n0.01\t0.01\t0.97\t0.01\n0.01\t0.01\t0.97\t0.01\n0.01\t0.01\t0.97\t0.01\n0.01\t0.97\t0.01\t0.01\n0.01\t0.01\t0.97\t0.01\n0.01\t0.01\t0.97\t0.01\n0.01\t0.01\t0.97\t0.01\n0.01\t0.01\t0.97\t0.01\n0.01\t0.97\t0.01\t0.01\n' > "$tmp/sp1.motifs"
check "motifs convert to .transfac and back: the same JASPAR counts" 0 "^same$" bash -c "$seqgen motifs convert '$tmp/two.pfm' -o '$tmp/two.transfac' --quiet && grep -q '^P0 ' '$tmp/two.transfac' && $seqgen motifs convert '$tmp/two.transfac' -o '$tmp/two-tf.jaspar' --quiet && cmp -s '$tmp/two-tf.jaspar' '$tmp/two-back.jaspar' && echo same"
cat > "$tmp/streme.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- STREME's layout: one <pos> row per position -->
<STREME version="5.5.5">
  <model><strands>both</strands></model>
  <motifs>
    <motif id="1-GGCC" alt="STREME-1" width="4" test_evalue="2.4e-010" total_sites="9">
      <pos A="0" C="0" G="1" T="0"/><pos A="0" C="0" G="1" T="0"/>
      <pos A="0" C="1" G="0" T="0"/><pos A="0" C="1" G="0" T="0"/>
    </motif>
  </motifs>
</STREME>
XML
check "a STREME XML file is read as its text output names it" 0 "^MOTIF 1-GGCC STREME-1" sh -c "$seqgen motifs convert '$tmp/streme.xml' -o '$tmp/streme.meme' --quiet && cat '$tmp/streme.meme'"
check "STREME XML counts: the rows times its total_sites" 0 "^C  \[ 0 0 9 9 \]$" sh -c "$seqgen motifs convert '$tmp/streme.xml' -o '$tmp/streme.jaspar' --quiet && sed -n 3p '$tmp/streme.jaspar'"
check "a Cluster-Buster motif file is read (rows are positions)" 0 "^C  \[ 0 0 9 9 9 \]$" sh -c "printf '>M2 GGCC\n# WEIGHT 1\n0 0 9 0\n0 0 9 0\n0 9 0 0\n0 9 0 0\n0 9 0 0\n' > '$tmp/m.cb' && $seqgen motifs convert '$tmp/m.cb' -o '$tmp/cb.jaspar' --quiet && sed -n 3p '$tmp/cb.jaspar'"
check "a HOMER motif file is read (rows are positions)" 0 "MOTIF Sp1(Zf)/Promoter/Homer GGGGCGGGGC" sh -c "$seqgen motifs convert '$tmp/sp1.motifs' -o '$tmp/sp1-homer.meme' --quiet && cat '$tmp/sp1-homer.meme'"
printf '>s\nACGTACGTGGGGCGGGGCACGTACGT\n' > "$tmp/sp1-site.fa"
check "logo of a HOMER motif (.motifs)" 0 "wrote" $seqgen logo "$tmp/sp1.motifs" -o "$tmp/sp1-homer.png"
check "motifs scan with a HOMER file finds the site" 0 "Sp1(Zf)/Promoter/Homer.*s.*9.*18.*+" $seqgen motifs scan "$tmp/sp1.motifs" "$tmp/sp1-site.fa"
printf 'MEME version 4\n\nMOTIF X\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\n1 0 0 0\n0 1 0 0\n' > "$tmp/w-more.meme"
readme_row "a MEME motif whose \`w=\` disagrees with its rows" $seqgen motifs convert "$tmp/w-more.meme" -o "$tmp/w-more.pfm"
printf 'MEME version 4\n\nMOTIF Y\nletter-probability matrix: alength= 4 w= 4\n0.25 0.25 0.25 0.25\n1 0 0 0\n0 1 0 0\nURL http://jaspar.genereg.net\n' > "$tmp/w-url.meme"
readme_row "a MEME motif whose \`w=\` disagrees with its rows" $seqgen motifs convert "$tmp/w-url.meme" -o "$tmp/w-url.pfm"
printf 'MEME version 4\n\nMOTIF Z\nletter-probability matrix: alength= 4 w= 1 nsites= -5\n0.25 0.25 0.25 0.25\n' > "$tmp/neg-sites.meme"
readme_row "a MEME motif with a negative \`nsites=\`" $seqgen motifs convert "$tmp/neg-sites.meme" -o "$tmp/neg-sites.pfm"
check "motifs convert --motif unknown" 1 "no motif with ID or name 'NOPE'" $seqgen motifs convert "$tmp/two.pfm" -o "$tmp/nope.meme" --motif NOPE
printf '>plus\nCCCCCCTATAGCCCCCC\n>minus\nGGGGGCGGGGCTATAGGGG\n>none\nCCCC\n' > "$tmp/scan.fa"
check "motifs scan finds a planted site on each strand" 0 "M1.*plus	7	12	+.*TATAGC" $seqgen motifs scan "$tmp/two.pfm" "$tmp/scan.fa" --motif TATA --thresh 0.001
check "motifs scan --norc: the given strand only" 0 "^1 0$" sh -c "$seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --motif TATA --thresh 0.001 --norc | awk -F'\t' '\$6 == \"+\" { p++ } \$6 == \"-\" { m++ } END { print p + 0, m + 0 }'"
check "motifs scan: the minus-strand site, read on its strand" 0 "M1.*minus	10	15	-.*TATAGC" $seqgen motifs scan "$tmp/two.pfm" "$tmp/scan.fa" --motif TATA --thresh 0.001
check "motifs scan: a 'strands: +' MEME file is scanned on the given strand only" 0 "^1 0$" sh -c "sed 's/^strands: + -/strands: +/' '$tmp/two.meme' > '$tmp/two-plus.meme' && $seqgen motifs scan '$tmp/two-plus.meme' '$tmp/scan.fa' --motif TATA --thresh 0.001 | awk -F'\t' '\$6 == \"+\" { p++ } \$6 == \"-\" { m++ } END { print p + 0, m + 0 }'"
check "motifs convert keeps a MEME file's background, strands and E=" 0 "^A 0.3 C 0.2 G 0.2 T 0.3 strands: + E= 3.2e-05$" sh -c "sed -e 's/^strands: + -/strands: +/' -e 's/^A 0.25 C 0.25 G 0.25 T 0.25/A 0.3 C 0.2 G 0.2 T 0.3/' -e '0,/E= 0/s/E= 0/E= 3.2e-05/' '$tmp/two.meme' > '$tmp/two-bg.meme' && $seqgen motifs convert '$tmp/two-bg.meme' -o '$tmp/two-bg2.meme' --quiet && echo \$(grep '^A 0' '$tmp/two-bg2.meme') \$(grep '^strands' '$tmp/two-bg2.meme') \$(grep -o 'E= [0-9.e-]*' '$tmp/two-bg2.meme' | head -1)"
check "motifs scan: the file's background, unless --background uniform" 0 "^differ$" sh -c "a=\$($seqgen motifs scan '$tmp/two-bg.meme' '$tmp/scan.fa' --motif TATA --thresh 1 | md5sum); b=\$($seqgen motifs scan '$tmp/two-bg.meme' '$tmp/scan.fa' --motif TATA --thresh 1 --background uniform | md5sum); [ \"\$a\" != \"\$b\" ] && echo differ"
check "motifs scan: the same hits at any --threads" 0 "^same$" sh -c "$seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --thresh 1 --threads 1 > '$tmp/scan1.tsv' && $seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --thresh 1 --threads 2 > '$tmp/scan2.tsv' && cmp -s '$tmp/scan1.tsv' '$tmp/scan2.tsv' && echo same"
check "motifs scan --text: the same rows, no q-values, written as scanned" 0 "^same$" sh -c "$seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --thresh 1 | cut -f1-8,10 | sort > '$tmp/scan-all.tsv' && $seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --thresh 1 --text -o '$tmp/scan-text.tsv' --quiet && awk -F'\t' 'NR > 1 && \$9 != \"\" { bad = 1 } END { exit bad }' '$tmp/scan-text.tsv' && cut -f1-8,10 '$tmp/scan-text.tsv' | sort | cmp -s - '$tmp/scan-all.tsv' && echo same"
check "motifs scan --max-stored-scores: the most significant hits kept, a warning names the p-value dropped" 0 "^bounded-subset$" sh -c "$seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --thresh 1 | tail -n +2 | cut -f1-8,10 | sort > '$tmp/scan-full.tsv' && $seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --thresh 1 --max-stored-scores 20 2> '$tmp/scan-bounded.err' | tail -n +2 | cut -f1-8,10 | sort > '$tmp/scan-bounded.tsv' && grep -q 'p-value ≥ .* were dropped' '$tmp/scan-bounded.err' && n=\$(wc -l < '$tmp/scan-bounded.tsv') && [ \$n -ge 1 ] && [ \$n -le 20 ] && [ -z \"\$(comm -13 '$tmp/scan-full.tsv' '$tmp/scan-bounded.tsv')\" ] && echo bounded-subset"
check "motifs scan --max-stored-scores with --text" 2 "keeps none" $seqgen motifs scan "$tmp/two.pfm" "$tmp/scan.fa" --text --max-stored-scores 10
check "motifs scan --max-strand: one strand per window" 0 "^0$" sh -c "$seqgen motifs scan '$tmp/two.pfm' '$tmp/scan.fa' --thresh 1 --max-strand | awk -F'\t' 'NR > 1 { n[\$1 \" \" \$3 \" \" \$4]++ } END { d = 0; for (k in n) if (n[k] > 1) d++; print d }'"
printf '>chr7:1001-1017\nCCCCCCTATAGCCCCCC\n>chr9:2000-2017 bedtools\nCCCCCCTATAGCCCCCC\n' > "$tmp/scan-regions.fa"
check "motifs scan --parse-genomic-coord: UCSC and bedtools headers, hits on the chromosome" 0 "chr7	1007	1012	+.*chr9	2007	2012	+" sh -c "$seqgen motifs scan '$tmp/two.pfm' '$tmp/scan-regions.fa' --motif TATA --thresh 0.001 --parse-genomic-coord --norc | sort -k3 | tr '\n' ' '"
check "motifs scan: bad --background" 2 "four positive frequencies" $seqgen motifs scan "$tmp/two.pfm" "$tmp/scan.fa" --background 0.5,0.5
check "motifs scan: non-DNA sequence" 1 "scanprot.fa:2: 'E' is not a nucleotide letter" sh -c "printf '>p\nMKEE\n' > '$tmp/scanprot.fa'; $seqgen motifs scan '$tmp/two.pfm' '$tmp/scanprot.fa'"
check "cnn train: CNN + attention hybrid" 0 "" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu pool2 posenc mha2 gmax" --epochs 1 -o "$tmp/hybrid.npz" --quiet
check "cnn train: attention heads must divide the channels" 1 "do not split into 3 heads" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu mha3 gmax" --epochs 1 -o "$tmp/x.npz"
check "cnn synth --task interaction" 0 "pair: TATA then GGCC; positives 6 bases apart" $seqgen cnn synth --task interaction --motifs "$tmp/two.pfm" --names TATA,GGCC --spacing 6 --count 100 --length 40 -o "$tmp/interaction.npz"
check "cnn synth --task interaction: spacing that cannot fit" 1 "spacing 60 must be in 0" $seqgen cnn synth --task interaction --motifs "$tmp/two.pfm" --names TATA,GGCC --spacing 60 --count 100 --length 40 -o "$tmp/x.npz"
check "cnn synth: an option the task ignores is refused" 2 "--decoys applies to the code and activity tasks, not --task interaction: it would be ignored" $seqgen cnn synth --task interaction --motifs "$tmp/two.pfm" --names TATA,GGCC --decoys TATA -o "$tmp/x.npz"
check "cnn synth: --spacing is the interaction task's" 2 "--spacing applies to the interaction task, not --task multi" $seqgen cnn synth --motifs "$tmp/two.pfm" --names TATA --spacing 3 -o "$tmp/x.npz"
check "cnn attribute .npz for motifs" 0 "" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --count 40 -o "$tmp/attr-m.npz" --quiet
check "cnn motifs" 0 "seqlets (|sum| ≥" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-out" --window 6 --flank 2 --min-seqlets 2 --fdr 0.2 --database "$tmp/two.pfm"
check "cnn motifs wrote its files" 0 "" test -s "$tmp/motifs-out/report.md" -a -s "$tmp/motifs-out/logos.png" -a -s "$tmp/motifs-out/seqlets.tsv" -a -s "$tmp/motifs-out/motifs.meme" -a -s "$tmp/motifs-out/cwms.tsv" -a -s "$tmp/motifs-out/motifs.tsv"
check "cnn motifs: same seed, same bytes" 0 "" bash -c "$seqgen cnn motifs '$tmp/attr-m.npz' -o '$tmp/motifs-out2' --window 6 --flank 2 --min-seqlets 2 --fdr 0.2 --database '$tmp/two.pfm' --quiet >/dev/null 2>&1 && cmp '$tmp/motifs-out/seqlets.tsv' '$tmp/motifs-out2/seqlets.tsv' && cmp '$tmp/motifs-out/motifs.meme' '$tmp/motifs-out2/motifs.meme'"
check "cnn motifs: --threads 1 and 2, same bytes" 0 "" bash -c "$seqgen cnn motifs '$tmp/attr-m.npz' -o '$tmp/motifs-t1' --window 6 --flank 2 --min-seqlets 2 --fdr 0.2 --threads 1 --quiet >/dev/null 2>&1 && cmp '$tmp/motifs-out/seqlets.tsv' '$tmp/motifs-t1/seqlets.tsv' && cmp '$tmp/motifs-out/cwms.tsv' '$tmp/motifs-t1/cwms.tsv'"
check "cnn motifs --null laplace (TF-MoDISco-lite's null)" 0 "Laplace null fitted to them" bash -c "$seqgen cnn motifs '$tmp/attr-m.npz' -o '$tmp/motifs-lap' --window 6 --flank 2 --min-seqlets 2 --fdr 0.2 --null laplace --quiet >/dev/null && cat '$tmp/motifs-lap/report.md'"
check "cnn motifs: --permutations with --null laplace" 2 "--permutations applies to --null permutation" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-x" --null laplace --permutations 3
check "cnn motifs refuses to overwrite" 1 "pass --force" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-out" --window 6 --flank 2
check "cnn motifs --leiden-iterations -1 (until no seqlet moves)" 0 "seqlets (|sum| ≥" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-leiden" --window 6 --flank 2 --min-seqlets 2 --fdr 0.2 --leiden-iterations -1
check "cnn motifs: --leiden-iterations 0" 2 "a positive count or -1" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-x" --leiden-iterations 0
check "cnn motifs: --q-threshold without --database" 2 "it needs --database" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-x" --q-threshold 0.1
python3 -c "import numpy; a = dict(numpy.load('$tmp/attr-m.npz')); a['x'] = a['x'] * 7; numpy.savez('$tmp/attr-notonehot.npz', **a)"
check "cnn motifs: x that is not one-hot" 1 "x is not one-hot: sequence 0" $seqgen cnn motifs "$tmp/attr-notonehot.npz" -o "$tmp/motifs-x"
check "cnn motifs on a .npy" 1 "a .npy holds only the maps" $seqgen cnn motifs "$tmp/attr-saliency.npy" -o "$tmp/motifs-x"
readme_row "\`cnn motifs\` on a \`.npy\`" $seqgen cnn motifs "$tmp/attr-saliency.npy" -o "$tmp/motifs-x"
python3 -c "import numpy; a = numpy.load('$tmp/attr-m.npz'); numpy.save('$tmp/attr-m-maps.npy', a['attributions']); numpy.savez('$tmp/attr-m-x.npz', a['x']); numpy.save('$tmp/attr-m-short.npy', a['x'][:, :, :-1])"
check "cnn motifs: maps from another tool (--sequences), the same motifs" 0 "" bash -c "$seqgen cnn motifs '$tmp/attr-m-maps.npy' --sequences '$tmp/attr-m-x.npz' -o '$tmp/motifs-ext' --window 6 --flank 2 --min-seqlets 2 --fdr 0.2 --database '$tmp/two.pfm' --quiet >/dev/null 2>&1 && cmp '$tmp/motifs-out/motifs.meme' '$tmp/motifs-ext/motifs.meme' && cmp '$tmp/motifs-out/cwms.tsv' '$tmp/motifs-ext/cwms.tsv'"
check "cnn motifs: --sequences of another shape" 1 "must have one shape" $seqgen cnn motifs "$tmp/attr-m-maps.npy" --sequences "$tmp/attr-m-short.npy" -o "$tmp/motifs-x"
check "cnn motifs: --sequences that are the maps" 1 "the sequences are not one-hot" $seqgen cnn motifs "$tmp/attr-m-maps.npy" --sequences "$tmp/attr-m-maps.npy" -o "$tmp/motifs-x"
check "cnn motifs: seqlet longer than the sequences" 1 "shorter than a seqlet" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-x" --window 40
check "cnn motifs finding no motif" 1 "no motif found" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-none" --window 6 --flank 2 --min-seqlets 100000
check "... leaves no output directory behind" 0 "" test ! -e "$tmp/motifs-none"
check "cnn motifs: bad --fdr" 2 "--fdr must be in (0, 1)" $seqgen cnn motifs "$tmp/attr-m.npz" -o "$tmp/motifs-x" --fdr 1.5
check "cnn attribute --hypothetical (DeepSHAP's hypothetical contributions)" 0 "hypothetical 1" bash -c "$seqgen cnn attribute '$tmp/cnn.npz' '$tmp/dna.npz' --method deepshap --samples 3 --hypothetical --count 40 -o '$tmp/attr-hyp.npz' --quiet && python3 -c \"import numpy; a = numpy.load('$tmp/attr-hyp.npz'); numpy.save('$tmp/attr-hyp-maps.npy', a['attributions']); print('hypothetical', int(a['hypothetical']))\""
check "cnn attribute --hypothetical × the one-hot: the map's totals per position" 0 "True" bash -c "$seqgen cnn attribute '$tmp/cnn.npz' '$tmp/dna.npz' --method deepshap --samples 3 --count 40 -o '$tmp/attr-shap.npz' --quiet && python3 -c \"import numpy; h = numpy.load('$tmp/attr-hyp.npz'); m = numpy.load('$tmp/attr-shap.npz'); print(numpy.allclose((h['attributions'] * h['x']).sum(1), m['attributions'].sum(1), atol=1e-5))\""
check "cnn motifs: the .npz of --hypothetical is read as hypothetical (as --sequences … --hypothetical), not centred" 0 "" bash -c "$seqgen cnn motifs '$tmp/attr-hyp.npz' -o '$tmp/motifs-hyp1' --window 6 --flank 2 --min-seqlets 2 --fdr 0.5 --quiet > '$tmp/hyp1.txt' 2>&1; $seqgen cnn motifs '$tmp/attr-hyp-maps.npy' --sequences '$tmp/attr-m-x.npz' --hypothetical -o '$tmp/motifs-hyp2' --window 6 --flank 2 --min-seqlets 2 --fdr 0.5 --quiet > '$tmp/hyp2.txt' 2>&1; $seqgen cnn motifs '$tmp/attr-hyp-maps.npy' --sequences '$tmp/attr-m-x.npz' -o '$tmp/motifs-hyp3' --window 6 --flank 2 --min-seqlets 2 --fdr 0.5 --quiet > '$tmp/hyp3.txt' 2>&1; cmp '$tmp/motifs-hyp1/cwms.tsv' '$tmp/motifs-hyp2/cwms.tsv' && ! cmp -s '$tmp/motifs-hyp1/cwms.tsv' '$tmp/motifs-hyp3/cwms.tsv'"
check "cnn attribute --hypothetical with a gradient method" 1 "--hypothetical is for DeepLIFT and DeepSHAP" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --hypothetical --count 5 -o "$tmp/attr-x.npy"
check "cnn attribute --hypothetical with ism2" 1 "--hypothetical is for DeepLIFT and DeepSHAP" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --method ism2 --hypothetical --count 1 -o "$tmp/attr-x.npy"
check "cnn filters --truth needs --database" 2 "--truth needs --database" $seqgen cnn filters "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/x.meme" --truth TATA
check "cnn filters: bad --e-threshold" 2 "--e-threshold must be a positive number" $seqgen cnn filters "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/x.meme" --e-threshold 0
check "cnn filters: bad --clip-information" 2 "--clip-information must be in" $seqgen cnn filters "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/x.meme" --clip-information 3
check "cnn filters: unclipped filters keep their width" 0 "" bash -c "$seqgen cnn filters '$tmp/cnn.npz' '$tmp/dna.npz' -o '$tmp/unclipped.meme' --clip-information 0 --quiet && grep -q 'w= 7' '$tmp/unclipped.meme'"
check "ism2 with heatmap" 0 "ism2: 2 sequences, window 5-15 (0-based, end exclusive" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --method ism2 --count 2 --window 5-15 -o "$tmp/ism2.npz" --heatmap "$tmp/ism2.png"
check "ism2: bad window" 2 "--window: expected START-END" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --method ism2 --window 30-20 -o "$tmp/x.npy"
check "gia effect" 0 "^effect	TATA	effect	" $seqgen cnn gia "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm" --motif TATA,GGCC --count 50
check "gia spacing figure" 0 "wrote" $seqgen cnn gia "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm" --motif TATA --second GGCC --experiment spacing --max-spacing 6 --count 30 --plot "$tmp/gia.png" -o "$tmp/gia.tsv"
check "gia: an option of another experiment is refused" 2 "--max-copies applies to --experiment copies, not effect: it would be ignored" $seqgen cnn gia "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm" --motif TATA --max-copies 3
check "gia: more copies than fit are said" 0 "copies of TATA .* fit in 40 bp; the experiment stops there" $seqgen cnn gia "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm" --motif TATA --experiment copies --max-copies 30 --count 10
check "gia position, sampled, profile null" 0 "^position	0	TATA" $seqgen cnn gia "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm" --motif TATA --experiment position --step 10 --sample --null profile --count 30
check "gia: unknown motif" 1 "no motif named 'NOPE'" $seqgen cnn gia "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm" --motif NOPE
check "gia: spacing needs --second" 2 "needs --second" $seqgen cnn gia "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm" --motif TATA --experiment spacing
check "design inserts the motif the model learnt, not the decoy" 0 "^ok$" bash -c "$seqgen cnn design '$tmp/cnn.npz' --count 3 --motifs '$tmp/two.pfm' --rounds 3 --seed 1 -o '$tmp/des.fa' --table '$tmp/des.csv' --quiet && grep -c ',TATA,' '$tmp/des.csv' | grep -qx 9 && ! grep -q GGCC, '$tmp/des.csv' && grep -c '^>design[123] designed: 3 edit(s), loss ' '$tmp/des.fa' | grep -qx 3 && echo ok"
check "design is seeded: same seed, same bytes" 0 "^same$" bash -c "$seqgen cnn design '$tmp/cnn.npz' --count 3 --motifs '$tmp/two.pfm' --rounds 3 --seed 1 -o '$tmp/des2.fa' --table '$tmp/des2.csv' --quiet && cmp -s '$tmp/des.fa' '$tmp/des2.fa' && cmp -s '$tmp/des.csv' '$tmp/des2.csv' && echo same"
check "design by single bases from FASTA, beam, region, target, figure" 0 "wrote .*des3.png" bash -c "$seqgen cnn design '$tmp/cnn.npz' --count 2 --seed 4 -o '$tmp/start.fa' --rounds 1 --quiet && $seqgen cnn design '$tmp/cnn.npz' '$tmp/start.fa' --beam 3 --region 10-30 --target 0.9 --rounds 4 -o '$tmp/des3.fa' --table '$tmp/des3.csv' --plot '$tmp/des3.png'"
check "design: a classifier's target is a probability" 2 "a classifier's targets are probabilities" $seqgen cnn design "$tmp/cnn.npz" --target 2 -o "$tmp/x.fa"
check "design: --hold-others needs --target" 2 "--hold-others applies to --target" $seqgen cnn design "$tmp/cnn.npz" --hold-others -o "$tmp/x.fa"
check "design: a start of another length names it" 1 "sequence 'short' is 4 bp; the model expects 40" bash -c "printf '>short\nACGT\n' > '$tmp/short.fa'; $seqgen cnn design '$tmp/cnn.npz' '$tmp/short.fa' -o '$tmp/x.fa'"
check "design: a motif wider than the region" 2 "wider than the 3 bp edits may touch" $seqgen cnn design "$tmp/cnn.npz" --motifs "$tmp/two.pfm" --region 0-3 -o "$tmp/x.fa"
check "design: a region outside the model's length" 2 "0 ≤ START < END ≤ 40" $seqgen cnn design "$tmp/cnn.npz" --region 30-50 -o "$tmp/x.fa"
check "design by Ledidi raises the logit, seeded: same seed, same bytes" 0 "^same$" bash -c "$seqgen cnn design '$tmp/cnn.npz' --method ledidi --count 2 --seed 1 --iterations 300 --edit-penalty 0.01 -o '$tmp/led.fa' --table '$tmp/led.csv' 2> '$tmp/led.log' && $seqgen cnn design '$tmp/cnn.npz' --method ledidi --count 2 --seed 1 --iterations 300 --edit-penalty 0.01 -o '$tmp/led2.fa' --table '$tmp/led2.csv' --quiet && cmp -s '$tmp/led.fa' '$tmp/led2.fa' && cmp -s '$tmp/led.csv' '$tmp/led2.csv' && grep -Eq 'by Ledidi in [0-9]+ iteration.*loss (-?[0-9.]+) → -[0-9.]+ on average' '$tmp/led.log' && awk -F, 'NR > 1 && \$2 == 0 { s[\$1] = \$9 } NR > 1 { e[\$1] = \$9 } END { for (k in s) if (!(e[k] < s[k])) exit 1 }' '$tmp/led.csv' && echo same"
check "design by Ledidi, --prune undoes edits worth less" 0 "^ok$" bash -c "a=\$($seqgen cnn design '$tmp/cnn.npz' --method ledidi --count 2 --seed 1 --iterations 300 --edit-penalty 0.01 -o '$tmp/lp1.fa' 2>&1 | grep -o '[0-9]* edit(s) by' | cut -d' ' -f1); b=\$($seqgen cnn design '$tmp/cnn.npz' --method ledidi --count 2 --seed 1 --iterations 300 --edit-penalty 0.01 --prune 0.05 -o '$tmp/lp2.fa' 2>&1 | grep -o '[0-9]* edit(s) by' | cut -d' ' -f1); [ \"\$b\" -lt \"\$a\" ] && echo ok"
check "design: --prune is Ledidi's" 2 "--prune applies to --method ledidi" $seqgen cnn design "$tmp/cnn.npz" --prune 0.1 -o "$tmp/x.fa"
check "design: --beam is not Ledidi's" 2 "--beam applies to --method substitution, not --method ledidi" $seqgen cnn design "$tmp/cnn.npz" --method ledidi --beam 3 -o "$tmp/x.fa"
check "design: --edit-penalty is Ledidi's" 2 "--edit-penalty applies to --method ledidi" $seqgen cnn design "$tmp/cnn.npz" --edit-penalty 0.5 -o "$tmp/x.fa"
# CNN + attention hybrid: attention maps and the motif pairs behind the strongest attention pairs.
check "cnn synth interaction" 0 "wrote" $seqgen cnn synth --task interaction --motifs "$tmp/two.pfm" --names TATA,GGCC --spacing 4 --count 200 --length 40 --seed 1 -o "$tmp/inter.npz"
check "cnn train hybrid" 0 "wrote" $seqgen cnn train "$tmp/inter.npz" --architecture "conv8x5 exp pool2 posenc mha2 gmax" --epochs 2 --batch-size 40 -o "$tmp/hyb.npz"
check "cnn attention" 0 "attention layer 0: 10 sequences × 2 heads × 20×20 positions (window: stride 2, offset -2, receptive field 6)" $seqgen cnn attention "$tmp/hyb.npz" "$tmp/inter.npz" --count 10 -o "$tmp/hyb-att.npz"
check "attention maps: shape and rows sum to 1" 0 "ok" python3 -c "
import numpy as np, sys
a = np.load(sys.argv[1])
assert a['attention'].shape == (10, 2, 20, 20) and np.allclose(a['attention'].sum(-1), 1, atol=1e-4), a['attention'].shape
assert list(a['index']) == list(range(10)) and list(a['window']) == [2, -2, 6]
print('ok')" "$tmp/hyb-att.npz"
check "cnn interactions" 0 "^first	second	distance	count	mean_attention" $seqgen cnn interactions "$tmp/hyb.npz" "$tmp/inter.npz" --motifs "$tmp/two.pfm" --names TATA,GGCC --top 3 --plot "$tmp/inter.png"
check "interactions figure" 0 "" test -s "$tmp/inter.png"
check "attention: model without attention layer" 1 "cnn.npz: the model has no self-attention layer" $seqgen cnn attention "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/x.npz"
readme_row "a CNN without an attention layer" $seqgen cnn attention "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/x.npz"
readme_row "a CNN without an attention layer" $seqgen cnn interactions "$tmp/cnn.npz" "$tmp/dna.npz" --motifs "$tmp/two.pfm"
check "attention: no such layer" 1 "attention layer 1 does not exist (the model has 1" $seqgen cnn attention "$tmp/hyb.npz" "$tmp/inter.npz" --layer 1 -o "$tmp/x.npz"
check "interactions: unknown motif" 1 "no motif named 'NOPE'" $seqgen cnn interactions "$tmp/hyb.npz" "$tmp/inter.npz" --motifs "$tmp/two.pfm" --names NOPE
check "interactions: bad threshold" 2 "--threshold must be in (0, 1]" $seqgen cnn interactions "$tmp/hyb.npz" "$tmp/inter.npz" --motifs "$tmp/two.pfm" --threshold 1.5
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
# A dataset from peaks and a genome (BED/narrowPeak + FASTA): a planted site at each peak's summit.
python3 - "$tmp/peaks" <<'PYPK'
import gzip, random, sys
random.seed(5)
chroms = {'chr1': 60000, 'chr2': 30000, 'chr3': 30000}
seqs = {c: [random.choice('ACGT') for _ in range(n)] for c, n in chroms.items()}
for i in range(20000, 20500): seqs['chr1'][i] = 'N'
with open(sys.argv[1] + '.narrowPeak', 'w') as f:
    for c, n in chroms.items():
        for k in range(1, n // 600):
            pos = 600 * k
            if c == 'chr1' and 19500 < pos < 21000: continue
            seqs[c][pos:pos + 7] = list('TGACTCA')
            f.write('%s\t%d\t%d\tp%d\t0\t.\t1\t2\t3\t%d\n' % (c, pos - 40, pos + 60, k, 40))
    f.write('chr1\t20100\t20300\tgap\t0\t.\t1\t2\t3\t100\n')
with gzip.open(sys.argv[1] + '.fa.gz', 'wt') as f:
    for c in chroms:
        s = ''.join(seqs[c]); f.write('>%s\n' % c)
        for i in range(0, len(s), 60): f.write(s[i:i + 60] + '\n')
PYPK
check "cnn data --bed: dataset from peaks" 0 "1 task(s): peaks" $seqgen cnn data --bed "$tmp/peaks.narrowPeak" --genome "$tmp/peaks.fa.gz" --length 100 --test-chromosomes chr3 --valid-chromosomes chr2 -o "$tmp/peaks.npz"
printf 'chr2\t0\t30000\n' > "$tmp/blacklist.bed"
check "cnn data --bed --exclude: peaks in a blacklisted region are dropped and said" 0 "49 peak window(s) overlap an excluded region" $seqgen cnn data --bed "$tmp/peaks.narrowPeak" --genome "$tmp/peaks.fa.gz" --length 100 --exclude "$tmp/blacklist.bed"
check "cnn data --bed: a window holding N is dropped and said" 0 "1 window(s) hold N" $seqgen cnn data --bed "$tmp/peaks.narrowPeak" --genome "$tmp/peaks.fa.gz" --length 100
$seqgen cnn data --bed "$tmp/peaks.narrowPeak" --genome "$tmp/peaks.fa.gz" --length 100 --negatives flank --split-seed 4 -o "$tmp/peaks-f1.npz" --quiet > /dev/null 2>&1
$seqgen cnn data --bed "$tmp/peaks.narrowPeak" --genome "$tmp/peaks.fa.gz" --length 100 --negatives flank --split-seed 4 -o "$tmp/peaks-f2.npz" --quiet > /dev/null 2>&1
check "cnn data --bed: same seed, same bytes" 0 "" cmp "$tmp/peaks-f1.npz" "$tmp/peaks-f2.npz"
check "cnn data --bed --negatives gc: negatives match the positives' GC" 0 "GC matched" sh -c "$seqgen cnn data --bed '$tmp/peaks.narrowPeak' --genome '$tmp/peaks.fa.gz' --length 100 --negatives gc -o '$tmp/peaks-gc.npz' --quiet > /dev/null && python3 -c \"
import numpy as np; d = np.load('$tmp/peaks-gc.npz'); X = d['X_train']; y = d['Y_train'][:, 0] > 0.5; gc = X[:, 1:3].sum(axis=(1, 2)) / X.shape[2]
assert (~y).sum() == y.sum() and abs(gc[y].mean() - gc[~y].mean()) < 0.01, (gc[y].mean(), gc[~y].mean()); print('GC matched')\""
check "cnn train on a peak dataset learns the planted site" 0 "test: .* mean AUROC 0\.9" sh -c "$seqgen cnn train '$tmp/peaks.npz' --architecture 'conv8x7 relu gmax' --epochs 30 --learning-rate 0.01 --seed 1 -o '$tmp/peaks-m.npz' --quiet && $seqgen cnn evaluate '$tmp/peaks-m.npz' '$tmp/peaks.npz'"
# Variant effects: breaking the planted site at a summit lowers the prediction more than a change 45 bp away;
# a deletion is scored, a symbolic allele left out.
python3 - "$tmp/peaks" <<'PYVCF'
import gzip, sys
seq = {}; name = None
for line in gzip.open(sys.argv[1] + '.fa.gz', 'rt'):
    line = line.strip()
    if line.startswith('>'): name = line[1:]; seq[name] = []
    else: seq[name].append(line)
chr3 = ''.join(seq['chr3'])
other = lambda b: 'A' if b != 'A' else 'C'
with open(sys.argv[1] + '.vcf', 'w') as f:
    f.write('##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n')
    for k in (1, 2, 3):
        site = 600 * k + 3                                   # the C of TGACTCA, 0-based
        f.write('chr3\t%d\tsite%d\tC\tG\t.\tPASS\t.\n' % (site + 1, k))
        far = site + 45
        f.write('chr3\t%d\tfar%d\t%s\t%s\t.\tPASS\t.\n' % (far + 1, k, chr3[far], other(chr3[far])))
    f.write('chr3\t900\tdel\t%s\t%s\t.\tPASS\t.\n' % (chr3[899:901], chr3[899]))
    f.write('chr3\t950\tsv\t%s\t<DEL>\t.\tPASS\t.\n' % chr3[949])
PYVCF
check "cnn variants: a broken site lowers the prediction more than a distant change" 0 "^ok" sh -c "$seqgen cnn variants '$tmp/peaks-m.npz' --vcf '$tmp/peaks.vcf' --genome '$tmp/peaks.fa.gz' -o '$tmp/peaks-effects.csv' --quiet && python3 -c \"
import csv; r = {x['id']: float(x['peaks_log_odds']) for x in csv.DictReader(open('$tmp/peaks-effects.csv'))}
print('ok' if all(r['site%d' % k] < -1 and abs(r['site%d' % k]) > 3 * abs(r['far%d' % k]) for k in (1, 2, 3)) else r)\""
check "cnn variants: a deletion scored, a symbolic allele left out and said" 0 "1 allele(s) left out: symbolic" $seqgen cnn variants "$tmp/peaks-m.npz" --vcf "$tmp/peaks.vcf" --genome "$tmp/peaks.fa.gz" -o "$tmp/peaks-effects2.csv"
check "cnn variants --plot: the ranked effects drawn" 0 "wrote .*peaks-effects.png" $seqgen cnn variants "$tmp/peaks-m.npz" --vcf "$tmp/peaks.vcf" --genome "$tmp/peaks.fa.gz" --plot "$tmp/peaks-effects.png"
check "cnn variants --plot is a PNG" 0 "PNG image data, 720 x 480" file -b "$tmp/peaks-effects.png"
printf 'chr3\t604\tbad\tA\tG\n' > "$tmp/wrong-ref.vcf"
check "cnn variants: REF against the genome" 1 "wrong-ref.vcf:1: REF 'A' but the genome has 'C' at chr3:604" $seqgen cnn variants "$tmp/peaks-m.npz" --vcf "$tmp/wrong-ref.vcf" --genome "$tmp/peaks.fa.gz"
readme_row "VCF REF that the genome does not have" $seqgen cnn variants "$tmp/peaks-m.npz" --vcf "$tmp/wrong-ref.vcf" --genome "$tmp/peaks.fa.gz"
printf 'chr1\t90000000\tfar\tA\tG\n' > "$tmp/past-end.vcf"
readme_row "VCF variant past its chromosome's end" $seqgen cnn variants "$tmp/peaks-m.npz" --vcf "$tmp/past-end.vcf" --genome "$tmp/peaks.fa.gz"
head -3 "$tmp/peaks.narrowPeak" > "$tmp/three.narrowPeak"
check "cnn predict --bed: the model's window at each summit" 0 "^chr1:550-650,0\.[0-9]*" $seqgen cnn predict "$tmp/peaks-m.npz" --bed "$tmp/three.narrowPeak" --genome "$tmp/peaks.fa.gz"
printf 'chr1\t0\t10\n' > "$tmp/edge.bed"
check "cnn predict --bed: a window off the chromosome's start reads N there, said once" 0 "^warning: .*edge.bed: 1 region(s) lie within 50 bp of a chromosome end: their windows read N" $seqgen cnn predict "$tmp/peaks-m.npz" --bed "$tmp/edge.bed" --genome "$tmp/peaks.fa.gz" --strict
check "cnn predict --bed: the padded window keeps its coordinates" 0 "^chr1:-45-55,0\.[0-9]" $seqgen cnn predict "$tmp/peaks-m.npz" --bed "$tmp/edge.bed" --genome "$tmp/peaks.fa.gz" --quiet
printf 'chr1\t90000000\t90000010\n' > "$tmp/past.bed"
check "cnn predict --bed: a region past the chromosome's end names the line and the length" 1 "past.bed:1: the region's centre chr1:90000005 lies past the end of chromosome chr1 (" $seqgen cnn predict "$tmp/peaks-m.npz" --bed "$tmp/past.bed" --genome "$tmp/peaks.fa.gz"
python3 -c "import gzip; b = [l for l in gzip.open('$tmp/peaks.fa.gz', 'rt')][1][0].upper(); print('chr1\t1\tnear\t%s\t%s' % (b, 'A' if b != 'A' else 'C'))" > "$tmp/near-start.vcf"
check "cnn variants: a variant near a chromosome end is scored, its window padded and said" 0 "1 variant(s) lie within 50 bp of a chromosome end" $seqgen cnn variants "$tmp/peaks-m.npz" --vcf "$tmp/near-start.vcf" --genome "$tmp/peaks.fa.gz" -o "$tmp/near.csv"
printf '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\nchr1\t5\t.\tA\t<*>\nchr1\t6\t.\tC\t<DEL>\n' > "$tmp/gvcf.vcf"
check "cnn variants: only symbolic alleles, said" 1 "gvcf.vcf: no variant spelled in bases to score: all 2 allele(s) are symbolic" $seqgen cnn variants "$tmp/peaks-m.npz" --vcf "$tmp/gvcf.vcf" --genome "$tmp/peaks.fa.gz"
printf 'chrZ\t10\t20\n' > "$tmp/chrZ.bed"
readme_row "BED chromosome absent from the genome" $seqgen cnn data --bed "$tmp/chrZ.bed" --genome "$tmp/peaks.fa.gz"
printf 'chr1\t200\t100\n' > "$tmp/backwards.bed"
readme_row "BED interval with end before start" $seqgen cnn data --bed "$tmp/backwards.bed" --genome "$tmp/peaks.fa.gz"
check "cnn data --bed needs --genome" 1 "needs --genome" $seqgen cnn data --bed "$tmp/peaks.narrowPeak"
check "FASTA error names the line" 1 "ragged.fa:3: sequence 'r1' is 6 bp" $seqgen cnn data "$tmp/ragged.fa" --labels "$tmp/labels.tsv"
check "cnn train on FASTA, rc sharing" 0 "wrote" $seqgen cnn train "$tmp/reads.fa" --labels "$tmp/labels.tsv" --reverse-complement --architecture "conv8x7 relu gmax" --epochs 2 -o "$tmp/rc.npz"
check "cnn predict FASTA" 0 "^r0," $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.fa"
printf '>chr1:1-40,peak"1\nACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT\n' > "$tmp/odd-id.fa"
check "cnn predict quotes an id holding a comma or a quote" 0 '^"chr1:1-40,peak""1",' $seqgen cnn predict "$tmp/rc.npz" "$tmp/odd-id.fa"
check "cnn predict to .npy" 0 "" $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.npz" --split valid -o "$tmp/pred.npy"
check "cnn predict: --split with FASTA" 1 "is FASTA: every sequence is predicted" $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.fa" --split valid
check "predictions are (N, T) float32" 0 "(12, 1)" python3 -c "import sys; h = open(sys.argv[1], 'rb').read(128); print(h)" "$tmp/pred.npy"
awk 'NR == 2 { $0 = "NNR" substr($0, 4) } NR <= 4' "$tmp/reads.fa" > "$tmp/amb.fa"
check "ambiguous bases warn" 0 "1 sequence has 3 ambiguous bases (N 2, R 1) (first: 'r0'), encoded as 0.25" $seqgen cnn predict "$tmp/rc.npz" "$tmp/amb.fa"
check "--strict refuses ambiguous bases" 1 "amb.fa: 1 sequence has 3 ambiguous bases (N 2, R 1) (first: 'r0'); --strict refuses them" $seqgen cnn predict "$tmp/rc.npz" "$tmp/amb.fa" --strict
readme_row "\`cnn predict --strict\` on N / IUPAC letters" $seqgen cnn predict "$tmp/rc.npz" "$tmp/amb.fa" --strict
cp "$tmp/reads.fa" "$tmp/reads.txt"
check "cnn predict: FASTA by content, stdin, -o -" 0 "^r0," bash -c "cat '$tmp/reads.txt' | $seqgen cnn predict '$tmp/rc.npz' - -o -"
check "cnn predict: FASTA named .txt" 0 "^r0," $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.txt"
check "no file named -" 0 "" test ! -e ./-
check "cnn predict wrong length" 1 "the model expects 40 (--fit-length crops or pads" $seqgen cnn predict "$tmp/rc.npz" "$tmp/short.fa"
printf '>long\nACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTAC\n>short\nACGTACGTACGTACGTACGTACGTACGTAC\n' > "$tmp/mixed-lengths.fa"
check "cnn predict --fit-length: crop and pad around the centre" 0 "1 sequence(s) cropped and 1 padded with N to the model's 40 bp" $seqgen cnn predict "$tmp/rc.npz" "$tmp/mixed-lengths.fa" --fit-length
check "cnn predict --fit-length: the padding is not an ambiguity warning" 0 "^short," $seqgen cnn predict "$tmp/rc.npz" "$tmp/mixed-lengths.fa" --fit-length --strict
check "cnn predict --fit-length on a dataset is refused" 2 "windows already have it" $seqgen cnn predict "$tmp/rc.npz" "$tmp/dna.npz" --fit-length
$seqgen cnn synth --task code --motifs "$tmp/two.pfm" --names TATA --decoys GGCC --count 4000 --length 100 --recipe uniform --seed 2 -o "$tmp/big.npz" 2>/dev/null
cnnrun="$tmp/big.npz --architecture cnn-10-10 --epochs 4 --patience 9 --seed 4"
check "uninterrupted CNN training" 0 "wrote" $seqgen cnn train $cnnrun --threads 1 -o "$tmp/c-full.npz"
$seqgen cnn train $cnnrun --threads 1 -o "$tmp/c-int.npz" --checkpoint-every 1 2> "$tmp/cint.log" & pid=$!
for _ in $(seq 1 600); do [ -e "$tmp/c-int.npz.ckpt.npz" ] && break; sleep 0.05; done
kill -INT $pid; wait $pid; rc=$?
check "CNN SIGINT exits with 130 after a checkpoint" 0 "" test $rc -eq 130 -a ! -e "$tmp/c-int.npz" -a -e "$tmp/c-int.npz.ckpt.npz"
check "CNN resume with other settings is refused" 1 "different input or settings" $seqgen cnn train $cnnrun --learning-rate 0.01 -o "$tmp/c-x.npz" --resume "$tmp/c-int.npz.ckpt.npz"
check "CNN resume finishes (at another --threads)" 0 "wrote" $seqgen cnn train $cnnrun --threads 2 -o "$tmp/c-int.npz" --resume "$tmp/c-int.npz.ckpt.npz"
check "CNN resumed = uninterrupted, byte for byte" 0 "" cmp "$tmp/c-full.npz" "$tmp/c-int.npz"
# Outputs are checked (and locked) before any work; all-or-nothing sets (issue 15, items 6-7).
status() {  # name, exact exit status, pattern, command…: the status must be exactly this
    local name=$1 want=$2 pattern=$3; shift 3
    local out; out=$("$@" 2>&1); local rc=$?
    if [ $rc -eq "$want" ] && { [ -z "$pattern" ] || grep -q -- "$pattern" <<< "$out"; }; then pass=$((pass+1)); return; fi
    fail=$((fail+1)); echo "FAILED: $name (exit $rc, expected $want)"; printf '%s\n' "$out" | tail -5
}
at_start() {  # name, pattern, command…: exit 1 with this one-line message and nothing else (no work done)
    local name=$1 pattern=$2; shift 2
    local out; out=$("$@" 2>&1); local rc=$?
    if [ $rc -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && grep -q -- "$pattern" <<< "$out"; then pass=$((pass+1)); return; fi
    fail=$((fail+1)); echo "FAILED: $name (exit $rc)"; printf '%s\n' "$out" | tail -5
}
at_start "missing output directory, before the fit" "directory '$tmp/nodir' does not exist" $seqgen fit data/example.a3m -o "$tmp/nodir/m.npz"
at_start "a directory as the output" "is a directory; give a file name" $seqgen fit data/example.a3m -o "$tmp"
at_start "existing output, before the fit" "ex.npz: exists; pass --force to overwrite" $seqgen fit data/example.a3m -o "$tmp/ex.npz"
at_start "--curve in a missing directory" "directory '$tmp/nodir' does not exist" $seqgen fit data/example.a3m -o "$tmp/cv.npz" --curve "$tmp/nodir/c.png"
at_start "contacts --plot in a missing directory" "does not exist" $seqgen contacts "$tmp/ex.npz" -o "$tmp/cp" --plot "$tmp/nodir/c.png"
at_start "score --scan over an existing set" "exists; pass --force" $seqgen score "$tmp/g.npz" --scan -o "$tmp/scan"
at_start "eval --plot existing" "exists; pass --force" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --plot "$tmp/scatter.svg"
at_start "compare --plot in a missing directory" "does not exist" $seqgen compare "$tmp/ex.npz" "$tmp/ex.npz" --plot "$tmp/nodir/x.png"
at_start "logo existing" "exists; pass --force" $seqgen logo data/example.a3m -o "$tmp/logo.png"
at_start "a figure named .jpg" "writes figures as PNG or SVG, not .jpg" $seqgen logo data/example.a3m -o "$tmp/logo.jpg"
readme_row "a figure named \`.jpg\`, \`.pdf\`, \`.tif\`, …" $seqgen logo data/example.a3m -o "$tmp/logo.jpg"
at_start "simulate --truth in a missing directory" "does not exist" $seqgen simulate -o "$tmp/sim.a3m" --truth "$tmp/nodir/t.txt"
at_start "simulate too large for this machine, before any output" "the planted model's L² × 21² couplings" $seqgen simulate -o "$tmp/sim-huge.a3m" --length 100000 --sequences 1
at_start "cnn train --curve existing" "exists; pass --force" $seqgen cnn train "$tmp/dna.npz" -o "$tmp/cnn-new.npz" --curve "$tmp/cnn-curve.png"
at_start "cnn attribute --logo in a missing directory" "does not exist" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" -o "$tmp/at.npy" --logo "$tmp/nodir/l.png"
at_start "cnn predict existing" "exists; pass --force" $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.fa" -o "$tmp/pred.npy"
at_start "cnn synth in a missing directory" "does not exist" $seqgen cnn synth --motifs "$tmp/two.pfm" -o "$tmp/nodir/d.npz"
if [ "$(id -u)" != 0 ]; then
    mkdir "$tmp/ro"; chmod 555 "$tmp/ro"
    at_start "read-only output directory" "cannot write in directory" $seqgen fit data/example.a3m -o "$tmp/ro/m.npz"
fi
echo $$ > "$tmp/busy.npz.lock"     # a live process holds the lock
at_start "a second run writing the same output refuses" "is being written by another seqgen run (pid $$)" $seqgen fit data/example.a3m -o "$tmp/busy.npz" --force
rm -f "$tmp/busy.npz.lock"
echo 2147483646 > "$tmp/stale.npz.lock"     # a lock whose process is gone is taken over
check "a stale lock is taken over" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/stale.npz" --model pssm
$seqgen fit $att -o "$tmp/conc.npz" --steps 400 --checkpoint "$tmp/conc.ckpt" 2>/dev/null & pid=$!
for _ in $(seq 1 300); do [ -e "$tmp/conc.npz.lock" ] && break; sleep 0.05; done
at_start "concurrent run on the same output" "is being written by another seqgen run" $seqgen fit data/example.a3m -o "$tmp/conc.npz" --force --model pssm
kill -TERM $pid; wait $pid
check "the lock goes with its run (SIGTERM)" 0 "" test ! -e "$tmp/conc.npz.lock" -a ! -e "$tmp/conc.npz"
$seqgen simulate --sequences 200000 -o "$tmp/sim-int.a3m" --truth "$tmp/sim-int.txt" 2>/dev/null & pid=$!
for _ in $(seq 1 300); do [ -e "$tmp/sim-int.a3m.lock" ] && break; sleep 0.05; done
kill -TERM $pid; wait $pid; rc=$?
check "a command killed by SIGTERM exits 143 and leaves no lock" 0 "" test $rc -eq 143 -a ! -e "$tmp/sim-int.a3m.lock" -a ! -e "$tmp/sim-int.txt.lock"
# SIGINT before a fit's first iteration ends it at once (nothing to checkpoint yet), with no model
# and no lock left: during the O(N²·L) sequence weights of 40,000 sequences, and during the first
# evaluation at L = 300.
wait_for() { for _ in $(seq 1 600); do grep -q -- "$1" "$2" 2>/dev/null && return; sleep 0.05; done; }
python3 -c "
import random; r = random.Random(1); a = 'ACDEFGHIKLMNPQRSTVWY-'
for n, l, f in ((40000, 120, 'weights'), (3000, 300, 'eval')):
    with open('$tmp/' + f + '.a3m', 'w') as o: o.writelines('>s%d\n%s\n' % (k, ''.join(r.choice(a) for _ in range(l))) for k in range(n))"
for phase in weights eval; do
    pattern=$([ $phase = weights ] && echo "sequence weights of" || echo "memory estimate")
    $seqgen fit "$tmp/$phase.a3m" -o "$tmp/$phase.npz" 2> "$tmp/$phase-int.log" & pid=$!
    wait_for "$pattern" "$tmp/$phase-int.log"; sleep 0.3
    t0=$(date +%s%N); kill -INT $pid; wait $pid; rc=$?; t1=$(date +%s%N)
    check "SIGINT during the $phase: exit 130 within 2 s, no model, no lock" 0 "" test $rc -eq 130 -a $(( (t1 - t0) / 1000000 )) -lt 2000 -a ! -e "$tmp/$phase.npz" -a ! -e "$tmp/$phase.npz.lock"
    check "SIGINT during the $phase: nothing written, said once" 0 "SIGINT: stopped before the first iteration; nothing written" cat "$tmp/$phase-int.log"
done
check "the weights were still running" 1 "" grep -q "Neff" "$tmp/weights-int.log"
check "sample says the chains' cost before burn-in (the bar moves with samples)" 0 "Markov chains: 200 burn-in sweeps, then a sample every 10" $seqgen sample "$tmp/ex.npz" -n 5 -o "$tmp/burn.fasta" --seed 1
# A full disk (here: a file-size limit) while contacts writes its four files: none is left; the rerun needs no --force.
(ulimit -f 30; exec $seqgen contacts "$tmp/ex.npz" -o "$tmp/full" --min-separation 40 --truth data/example.contacts) > "$tmp/full.log" 2>&1
check "full disk: the write error is reported" 0 "full.mat: write failed: File too large" cat "$tmp/full.log"
check "full disk: no half set (not even full.csv)" 0 "" test -z "$(ls "$tmp" | grep '^full\.' | grep -v '^full\.log$')"
check "rerun after the failure needs no --force" 0 "wrote" $seqgen contacts "$tmp/ex.npz" -o "$tmp/full" --min-separation 40 --truth data/example.contacts
rm "$tmp/full.mat" "$tmp/full.png"     # what an older, non-atomic seqgen left on a full disk
check "a half set is replaced without --force" 0 "replacing the incomplete output set" $seqgen contacts "$tmp/ex.npz" -o "$tmp/full" --truth data/example.contacts
# Numeric options are validated before any work: usage error (2) naming the option, then the command's usage (items 5, 16).
while IFS='|' read -r pattern args; do
    status "out of range: $args" 2 "$pattern" $seqgen $args
    status "usage of the subcommand after: $args" 2 "^Usage: seqgen $(echo "$args" | awk '{print ($1 == "cnn" || $1 == "eval" || $1 == "bench") ? $1 " " $2 : $1}') " $seqgen $args
done <<TABLE
--identity must be a fraction in \[0, 1\] (got 2.0)|fit data/example.a3m -o $tmp/v.npz --identity 2
--max-iterations must be at least 1 (got 0)|fit data/example.a3m -o $tmp/v.npz --max-iterations 0
--refine-chains must be ≥ 2 (got 1)|fit data/example.a3m -o $tmp/v.npz --refine bm --refine-chains 1
--refine-target must be a positive number (got 0.0)|fit data/example.a3m -o $tmp/v.npz --refine bm --refine-target 0
--refine-rate must be a positive number (got 0.0)|fit data/example.a3m -o $tmp/v.npz --refine bm --refine-rate 0
the --refine-… options set up --refine bm; add --refine bm|fit data/example.a3m -o $tmp/v.npz --refine-epochs 3
--refine bm refines a Potts fit; drop --model ardca or --refine|fit data/example.a3m -o $tmp/v.npz --model ardca --refine bm
--lambda-h must be 0 or more (got -1.0)|fit data/example.a3m -o $tmp/v.npz --lambda-h=-1
--lambda-j must be 0 or more (got nan)|fit data/example.a3m -o $tmp/v.npz --lambda-j nan
--tolerance must be 0 or more|fit data/example.a3m -o $tmp/v.npz --tolerance=-0.1
--lbfgs-memory must be at least 1|fit data/example.a3m -o $tmp/v.npz --lbfgs-memory 0
--pseudocount-fraction must be in (0, 1)|fit data/example.a3m -o $tmp/v.npz --model pssm --pseudocount-fraction 1
--pseudocount-fraction must be in (0, 1): at 0|fit data/example.a3m -o $tmp/v.npz --model pssm --pseudocount-fraction 0
give --theta or --identity, not both|fit data/example.a3m -o $tmp/v.npz --theta 0.2 --identity 0.7
--lr-patience must be at least 1 (got 0)|cnn train $tmp/none.npz -o $tmp/v.npz --lr-patience 0
--shrinkage must be a positive number|fit data/example.a3m -o $tmp/v.npz --model gaussian --shrinkage 0
--heads must be at least 1|fit data/example.a3m -o $tmp/v.npz --model attention --heads 0
--head-dim must be at least 1|fit data/example.a3m -o $tmp/v.npz --model attention --head-dim 0
--learning-rate must be a positive number|fit data/example.a3m -o $tmp/v.npz --model attention --learning-rate 0
--steps must be at least 1|fit data/example.a3m -o $tmp/v.npz --model attention --steps 0
--value-scale must be 0 or more|fit data/example.a3m -o $tmp/v.npz --model attention --value-scale=-1
--shards must be at least 1|fit data/example.a3m -o $tmp/v.npz --model attention --shards 0
--shards splits the attention fit|fit data/example.a3m -o $tmp/v.npz --model potts --shards 4
--heads applies to --model attention, not potts: it would be ignored|fit data/example.a3m -o $tmp/v.npz --heads 2
--batch-size applies to --model vae, lm, not ardca|fit data/example.a3m -o $tmp/v.npz --model ardca --batch-size 10
--max-seqs applies to --model potts, pssm, gaussian, attention, ardca, vae, not lm|fit data/example.a3m -o $tmp/v.npz --model lm --max-seqs 10
--lm-steps applies to --model lm, not vae|fit data/example.a3m -o $tmp/v.npz --model vae --lm-steps 10
--cross-validate applies to --pssm-style pseudocount|fit data/example.a3m -o $tmp/v.npz --model pssm --pssm-style evmutation --cross-validate 3
--lambda-h applies to a PSSM with --pssm-style evmutation|fit data/example.a3m -o $tmp/v.npz --model pssm --lambda-h 0.1
--max-seq-gaps must be a fraction|fit data/example.a3m -o $tmp/v.npz --max-seq-gaps 1.5
--max-col-gaps must be a fraction|info data/example.a3m --max-col-gaps=-0.5
--min-coverage must be a fraction|info data/example.a3m --min-coverage 2
--max-identity must be a fraction|info data/example.a3m --max-identity 80
--max-seqs must be at least 1|info data/example.a3m --max-seqs 0
--identity must be a fraction|info data/example.a3m --identity 80
--threads must be at least 1|info data/example.a3m --threads 0
--checkpoint-every must be at least 0|fit data/example.a3m -o $tmp/v.npz --checkpoint-every=-1
--curve needs an iterative model|fit data/example.a3m -o $tmp/v.npz --model pssm --curve $tmp/v.png
--seed applies to --model attention, vae, lm, not potts: it would be ignored|fit data/example.a3m -o $tmp/v.npz --seed 3
--threshold must be a positive number|contacts $tmp/ex.npz -o $tmp/v --pdb x.pdb --threshold 0
--model-number must be at least 1|eval contacts $tmp/ex.npz --pdb x.pdb --model-number 0
--plot-pairs must be at least 1|contacts $tmp/ex.npz -o $tmp/v --plot-pairs 0
--plot-separation must be at least 1|eval contacts $tmp/ex.npz --truth data/example.contacts --plot-separation 0
--min-separation must be at least 1|contacts $tmp/ex.npz -o $tmp/v --min-separation 0
give --pdb or --truth, not both|eval contacts $tmp/ex.npz --pdb x.pdb --truth y
--top-heads must be at least 1|compare $tmp/ex.npz $tmp/ex.npz --top-heads 0
--per-row must be at least 1|logo data/example.a3m -o $tmp/v.png --per-row 0
--range '40-30': expected FIRST-LAST|logo data/example.a3m -o $tmp/v.png --range 40-30
--length must be at least 40|simulate -o $tmp/v.a3m --length 10
--sequences must be at least 1|simulate -o $tmp/v.a3m --sequences 0
--sweeps must be at least 1|simulate -o $tmp/v.a3m --sweeps 0
--count must be at least 10|cnn synth --motifs $tmp/two.pfm -o $tmp/v.npz --count 5
--motifs-per-sequence '3-1'|cnn synth --motifs $tmp/two.pfm -o $tmp/v.npz --motifs-per-sequence 3-1
--epochs must be at least 1|cnn train $tmp/dna.npz -o $tmp/v.npz --epochs 0
--batch-size must be at least 1|cnn train $tmp/dna.npz -o $tmp/v.npz --batch-size 0
--learning-rate must be a positive number|cnn train $tmp/dna.npz -o $tmp/v.npz --learning-rate=-0.1
--l2 must be 0 or more|cnn train $tmp/dna.npz -o $tmp/v.npz --l2=-1
--patience must be at least 1|cnn train $tmp/dna.npz -o $tmp/v.npz --patience 0
--augmentations-per-sequence must be at least 1|cnn train $tmp/dna.npz -o $tmp/v.npz --augment rc --augmentations-per-sequence 0
--finetune-epochs must be at least 0|cnn train $tmp/dna.npz -o $tmp/v.npz --augment rc --finetune-epochs=-1
--finetune-epochs needs --augment, --gaussian-noise or --adversarial|cnn train $tmp/dna.npz -o $tmp/v.npz --finetune-epochs 2
--clean-epochs must be at least 0|cnn train $tmp/dna.npz -o $tmp/v.npz --adversarial pgd --clean-epochs=-1
--clean-epochs needs --augment, --gaussian-noise or --adversarial|cnn train $tmp/dna.npz -o $tmp/v.npz --clean-epochs 2
--clean-epochs (5) must be less than --epochs (5)|cnn train $tmp/dna.npz -o $tmp/v.npz --adversarial pgd --clean-epochs 5 --epochs 5
--mixed-epochs must be at least 0|cnn train $tmp/dna.npz -o $tmp/v.npz --adversarial pgd --mixed-epochs=-1
--mixed-epochs needs --adversarial or --gaussian-noise|cnn train $tmp/dna.npz -o $tmp/v.npz --augment rc --mixed-epochs 2
--clean-epochs (2) + --mixed-epochs (3) must be less than --epochs (5)|cnn train $tmp/dna.npz -o $tmp/v.npz --adversarial pgd --clean-epochs 2 --mixed-epochs 3 --epochs 5
--gaussian-noise must be 0 or more|cnn train $tmp/dna.npz -o $tmp/v.npz --gaussian-noise=-1
--epsilon must be a positive number|cnn train $tmp/dna.npz -o $tmp/v.npz --adversarial pgd --epsilon 0
--adversarial-steps must be at least 1|cnn train $tmp/dna.npz -o $tmp/v.npz --adversarial pgd --adversarial-steps 0
--epsilon needs --adversarial: without it|cnn train $tmp/dna.npz -o $tmp/v.npz --epsilon 0.2
--adversarial-steps needs --adversarial pgd|cnn train $tmp/dna.npz -o $tmp/v.npz --adversarial fgsm --adversarial-steps 3
--perturbed-fraction needs --adversarial or --gaussian-noise|cnn train $tmp/dna.npz -o $tmp/v.npz --augment rc --perturbed-fraction 0.3
--augmentations-per-sequence needs --augment|cnn train $tmp/dna.npz -o $tmp/v.npz --gaussian-noise 0.1 --augmentations-per-sequence 1
--perturbed-fraction must be a fraction|cnn train $tmp/dna.npz -o $tmp/v.npz --gaussian-noise 0.1 --perturbed-fraction 2
--sequences must be at least 1|cnn select $tmp/cnn.npz $tmp/dna.npz --sequences 0
--batch-size must be at least 1|cnn predict $tmp/cnn.npz $tmp/reads.fa --batch-size 0
--split must be train, valid or test|cnn predict $tmp/cnn.npz $tmp/dna.npz --split dev
--split must be train, valid or test|cnn evaluate $tmp/cnn.npz $tmp/dna.npz --split dev
--task must be at least 0|cnn attribute $tmp/cnn.npz $tmp/dna.npz -o $tmp/v.npy --task=-1
--count must be at least 1|cnn attribute $tmp/cnn.npz $tmp/dna.npz -o $tmp/v.npy --count 0
--noise must be 0 or more|cnn attribute $tmp/cnn.npz $tmp/dna.npz -o $tmp/v.npy --noise=-1
--samples must be at least 1|cnn interpretability $tmp/cnn.npz $tmp/dna.npz --samples 0
--logo-index must be at least 0|cnn attribute $tmp/cnn.npz $tmp/dna.npz -o $tmp/v.npy --logo-index=-1
--threshold must be in \[0, 2\] bits|cnn interpretability $tmp/cnn.npz $tmp/dna.npz --threshold 3
--seconds must be a positive number|bench core --seconds 0
--sizes '-8': '-8' is not a whole number ≥ 1|bench core --sizes=-8
--lambda-j must be 0 or more (got -1.0)|fit data/example.a3m -o $tmp/v.npz --lambda-j -1
--finetune-epochs must be at least 0 (got -1)|cnn train $tmp/dna.npz -o $tmp/v.npz --augment rc --finetune-epochs -1
--method ism2 is pairwise; interpretability scores per-position maps|cnn interpretability $tmp/cnn.npz $tmp/dna.npz --method ism2
--window is the ism2 window; --method saliency explains every position|cnn attribute $tmp/cnn.npz $tmp/dna.npz -o $tmp/v.npy --method saliency --window 10-20
--repeats must be at least 1|bench potts data/example.a3m --repeats 0
--forward-batch must be at least 1|bench cnn --forward-batch 0
TABLE
check "huge penalties print, not crash (fixed() beyond Int)" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/huge.npz" --lambda-j 1e30 --lambda-h 1e30 --max-iterations 3
check "no output from refused runs" 0 "" test ! -e "$tmp/v.npz" -a ! -e "$tmp/v.png"
check "bench potts prints CPU seconds beside wall seconds" 0 "seconds per evaluation: [0-9.]* wall, [0-9.]* CPU" $seqgen bench potts data/example.a3m --repeats 2 --threads 1
check "fit --no-preconditioner (plain L-BFGS) fits" 0 "wrote" $seqgen fit data/example.a3m -o "$tmp/nopc.npz" --no-preconditioner --max-iterations 3
check "--preconditioner is a Potts option" 1 "Potts option" $seqgen fit data/example.a3m -o "$tmp/pcx.npz" --model pssm --no-preconditioner
# Errors while a command runs are bad input (1) with no usage; usage errors (2) suggest the closest option (items 9, 16).
status "bad input exits 1" 1 "no couplings" $seqgen contacts "$tmp/p.npz" -o "$tmp/p"
check "… and prints no usage" 0 "" sh -c "! $seqgen contacts $tmp/p.npz -o $tmp/p 2>&1 | grep -q Usage"
status "a missing file exits 1" 1 "cannot open" $seqgen info "$tmp/nope.a3m"
status "an unknown option exits 2" 2 "Unknown option '--arch'. Did you mean '--architecture'?" $seqgen cnn train "$tmp/dna.npz" -o "$tmp/v.npz" --arch cnn-2
status "a prefix suggests its option" 2 "Did you mean '--max-iterations'?" $seqgen fit data/example.a3m -o "$tmp/v.npz" --max-iter 3
status "a typo suggests the nearest option" 2 "Did you mean '--quiet'?" $seqgen contacts "$tmp/ex.npz" -o "$tmp/v" --quite
status "a missing argument exits 2" 2 "Usage: seqgen fit" $seqgen fit data/example.a3m
status "--help exits 0" 0 "USAGE: seqgen score" $seqgen score --help
# Output conventions (item 17): unique CSV columns, JSON ends with a newline, every figure says "wrote".
printf 'variant,score\n%s1%s,0.5\n' "$a" "$other" > "$tmp/variants.csv"
check "score: unique column names" 0 "^mutant,score,measured_score$" $seqgen score "$tmp/ex.npz" --mutations "$tmp/variants.csv" --mutant-column variant --score-column score
for cmd in "info data/example.a3m" "eval contacts $tmp/ex.npz --truth data/example.contacts" "compare $tmp/ex.npz $tmp/ex.npz" \
           "eval mutations $tmp/pred.csv --dms $tmp/dms.csv" "cnn evaluate $tmp/cnn.npz $tmp/dna.npz" "cnn interpretability $tmp/cnn.npz $tmp/dna.npz --count 10"; do
    $seqgen $cmd --json > "$tmp/j.json" 2>/dev/null
    check "--json ends with a newline: $cmd" 0 "0a" sh -c "tail -c 1 $tmp/j.json | od -An -tx1"
    check "--json is one JSON document: $cmd" 0 "ok" python3 -c 'import json, sys; json.load(open(sys.argv[1])); print("ok")' "$tmp/j.json"
done
check "attribute --logo says it wrote the figure" 0 "wrote $tmp/attr-logo2.png" $seqgen cnn attribute "$tmp/cnn.npz" "$tmp/dna.npz" --count 5 -o "$tmp/attr2.npy" --logo "$tmp/attr-logo2.png"
check "eval contacts --plot says it wrote the figure" 0 "wrote $tmp/ev2.png" $seqgen eval contacts "$tmp/ex.npz" --truth data/example.contacts --plot "$tmp/ev2.png"
check "eval mutations --plot says it wrote the figure" 0 "wrote $tmp/scatter2.png" $seqgen eval mutations "$tmp/pred.csv" --dms "$tmp/dms.csv" --plot "$tmp/scatter2.png"
check "cnn train --curve says it wrote the figure" 0 "wrote $tmp/cnn-curve2.png" $seqgen cnn train "$tmp/dna.npz" --architecture "conv8x7 relu gmax" --epochs 1 -o "$tmp/cnn2.npz" --curve "$tmp/cnn-curve2.png"
check "cnn predict -o says it wrote" 0 "wrote $tmp/pred2.csv" $seqgen cnn predict "$tmp/rc.npz" "$tmp/reads.fa" -o "$tmp/pred2.csv"
# --quiet on every command (item 10): accepted everywhere; silences informational messages, not warnings.
for sub in fit contacts score compare "eval contacts" "eval mutations" logo info simulate "cnn synth" "cnn data" "cnn train" "cnn predict" \
           "cnn evaluate" "cnn attribute" "cnn interpretability" "cnn select" "bench core" "bench potts" "bench cnn"; do
    check "$sub takes --quiet" 0 "--quiet" $seqgen $sub --help
done
check "fit --quiet prints nothing" 0 "" test -z "$($seqgen fit data/example.a3m -o $tmp/q.npz --quiet 2>&1)" -a -e "$tmp/q.npz"
check "contacts --quiet prints nothing" 0 "" test -z "$($seqgen contacts $tmp/q.npz -o $tmp/q --quiet 2>&1)" -a -e "$tmp/q.csv"
check "cnn attribute --quiet prints nothing" 0 "" test -z "$($seqgen cnn attribute $tmp/cnn.npz $tmp/dna.npz --count 4 --method ism -o $tmp/q-attr.npy -q 2>&1)" -a -e "$tmp/q-attr.npy"
check "warnings still print with --quiet" 0 "warning: adam stopped at --steps 25 while still improving" $seqgen fit data/example.a3m --model attention --steps 25 --heads 4 --head-dim 4 --learning-rate 0.1 -o "$tmp/q-att.npz" --quiet
check "checkpoint folder checked before the fit" 1 "nodir-ckpt/c.npz: directory" $seqgen fit data/example.a3m -o "$tmp/ck.npz" --checkpoint-every 5 --checkpoint "$tmp/nodir-ckpt/c.npz"
check "no model after a refused checkpoint" 0 "" test ! -e "$tmp/ck.npz"
# The README's "Bad input" and usage-error tables: every row has a check, and its message and exit
# status are what the program printed (FILE, DIR, LINE, CKPT and … stand for any text).
printf '>f\nACEDF\n>b\nACEDG\n' > "$tmp/wt.a3m"
$seqgen fit "$tmp/wt.a3m" --model pssm -o "$tmp/wt.npz" -q
printf 'mutant,DMS_score\nA1C,0.5\nQ3W,1\n' > "$tmp/wt.csv"
readme_row "DMS row with the wrong wild type" $seqgen score "$tmp/wt.npz" --mutations "$tmp/wt.csv"
printf '>a\nAC1E\n>b\nACDE\n' > "$tmp/badchar.a3m"
readme_row "unknown character" $seqgen info "$tmp/badchar.a3m"
gzip -c data/example.a3m | head -c 400 > "$tmp/trunc.a3m.gz"
readme_row "truncated gzip" $seqgen info "$tmp/trunc.a3m.gz"
printf '# STOCKHOLM 1.0\na ACDE\nb ACDF\n' > "$tmp/trunc.sto"
readme_row "Stockholm without \`//\`" $seqgen info "$tmp/trunc.sto"
for c in A B; do
    printf 'ATOM      1  CA  GLY %s   1       0.000   0.000   0.000  1.00  0.00           C\n' $c
    printf 'ATOM      2  CA  GLY %s   2       3.800   0.000   0.000  1.00  0.00           C\n' $c
done > "$tmp/two.pdb"; echo END >> "$tmp/two.pdb"
readme_row "PDB without the chain" $seqgen eval contacts "$tmp/ex.npz" --pdb "$tmp/two.pdb" --chain Q
readme_row "existing output" $seqgen fit data/example.a3m -o "$tmp/ex.npz"
readme_row "output in a missing directory" $seqgen fit data/example.a3m -o "$tmp/nodir/m.npz"
readme_row "a directory as the output" $seqgen fit data/example.a3m -o "$tmp"
# Language model (issue 17): a tiny fit, then every command that reads an lm model.
printf '>a\nACDE\n>b\nAC1DE\n' > "$tmp/lmbad.fasta"
lmfit="--model lm --lm-steps 4 --dimension 16 --lm-heads 2 --evaluate-every 2 --batch-size 8"
check "lm fit" 0 "best validation perplexity" $seqgen fit data/example.a3m -o "$tmp/lm.npz" $lmfit --curve "$tmp/lm-curve.png"
$seqgen fit data/example.a3m -o "$tmp/lm2.npz" $lmfit --quiet 2>/dev/null
check "lm fit: same seed, same bytes" 0 "" cmp "$tmp/lm.npz" "$tmp/lm2.npz"
check "lm fit takes --batch-size (shared with the VAE)" 0 "^8$" python3 -c "import numpy; print(numpy.load('$tmp/lm.npz')['meta_batch_size'])"
check "the VAE holds out less than half" 2 "below 0.5 for the VAE" $seqgen fit data/example.a3m --model vae --validation-fraction 0.6 -o "$tmp/x.npz"
check "lm --estimate-memory" 0 '"model": "lm", "sequences"' $seqgen fit data/example.a3m --model lm --estimate-memory
check "lm fit logs its memory estimate" 0 "memory estimate: .* at peak" $seqgen fit data/example.a3m -o "$tmp/lm3.npz" $lmfit
check "lm --estimate-memory on a bad file" 1 "lmbad.fasta:4" $seqgen fit "$tmp/lmbad.fasta" --model lm --estimate-memory
check "lm fit, rotary positions" 0 "best validation perplexity" $seqgen fit data/example.a3m -o "$tmp/lmr.npz" $lmfit --positions rotary
check "rotary lm stores meta_lm_rotary and no position embedding" 0 "^1 0$" python3 -c "import numpy as np; a = np.load('$tmp/lmr.npz'); print(int(a['meta_lm_rotary']), int('lm.position_embedding' in a.files))"
check "rotary lm contacts" 0 "top-L" $seqgen eval contacts "$tmp/lmr.npz" --truth data/example.contacts
check "position-shared attention takes learned positions" 0 "^0 1$" sh -c "$seqgen fit data/example.a3m -o $tmp/lms.npz $lmfit --position-shared-attention --quiet && python3 -c \"import numpy as np; a = np.load('$tmp/lms.npz'); print(int(a['meta_lm_rotary']), int('lm.position_embedding' in a.files))\""
check "rotary with position-shared attention" 2 "has none" $seqgen fit data/example.a3m -o "$tmp/x.npz" $lmfit --positions rotary --position-shared-attention
check "lm score scan" 0 "wrote" $seqgen score "$tmp/lm.npz" --scan -o "$tmp/lmscan"
check "lm score: wild type scores 0" 0 "^I1I,0.0" $seqgen score "$tmp/lm.npz" --mutants I1I,I1A
check "lm score pseudo-likelihood" 0 "I1A," $seqgen score "$tmp/lm.npz" --mutants I1A --lm-method pseudo-likelihood
check "lm contacts" 0 "wrote" $seqgen contacts "$tmp/lm.npz" -o "$tmp/lmc" --truth data/example.contacts
# Whole sequences: the focus scores 0; an LM scores a deletion and an insertion by PLL(x) − PLL(focus).
printf '>wt\nIWIARQMQQESNMNMMWPQFYTDRPAQIFCKWSPFPMLERTYKEYGEAMDLPGVALPCPNIKKW\n>del\nIWIARQMQQESNMNMMWPQFYTDRPAQIFCKWSPFPMLERTYKEYGEAMDLPGVALPCPNIKK\n>ins\nIWIARQMQQESNMNMMWPQFYTDRPAQIFCKWSGGSPFPMLERTYKEYGEAMDLPGVALPCPNIKKW\n' > "$tmp/indel-seqs.fa"
check "lm score --sequences: the focus scores 0" 0 "^wt,0.0,64$" $seqgen score "$tmp/lm.npz" --sequences "$tmp/indel-seqs.fa"
check "lm score --sequences: an insertion scored" 0 "^ins,[-0-9.e]*,67$" $seqgen score "$tmp/lm.npz" --sequences "$tmp/indel-seqs.fa"
tail -2 "$tmp/indel-seqs.fa" > "$tmp/ins-seq.fa"
check "score --sequences: an aligned model needs the model's columns" 1 "ins-seq.fa: the sequences are 67 columns wide and the model has 64" $seqgen score "$tmp/ex.npz" --sequences "$tmp/ins-seq.fa"
# ProteinGym's indel benchmark: mutants are whole sequences; an LM scores them and eval pairs them by sequence.
python3 -c "
wt = 'IWIARQMQQESNMNMMWPQFYTDRPAQIFCKWSPFPMLERTYKEYGEAMDLPGVALPCPNIKKW'
rows = [wt[:i] + wt[i + 1:] if i % 2 else wt[:i] + 'G' + wt[i:] for i in range(10, 40, 3)]
print('mutant,mutated_sequence,DMS_score,DMS_score_bin'); [print(f'{s},{s},{k / 10},{k % 2}') for k, s in enumerate(rows)]" > "$tmp/pg-indels.csv"
check "lm scores ProteinGym indels" 0 "scored 10 of 10 whole sequences by PLL(x) − PLL(focus)" $seqgen score "$tmp/lm.npz" --mutations "$tmp/pg-indels.csv" -o "$tmp/pg-indel-pred.csv"
check "eval pairs whole sequences" 0 "over 10 of 10 measured variants" $seqgen eval mutations "$tmp/pg-indel-pred.csv" --dms "$tmp/pg-indels.csv"
check "--ensemble-with on a language model is refused, not ignored" 1 "--ensemble-with averages VAE models; " $seqgen score "$tmp/lm.npz" --sequences "$tmp/indel-seqs.fa" --ensemble-with "$tmp/lm.npz"
check "score --sequences and --lm-method are alternatives" 2 "scores by pseudo-log-likelihood" $seqgen score "$tmp/lm.npz" --sequences "$tmp/indel-seqs.fa" --lm-method pseudo-likelihood
check "lm contacts of chosen heads" 0 "wrote" $seqgen contacts "$tmp/lm.npz" -o "$tmp/lmc1" --truth data/example.contacts --lm-heads 1.1,2.2
check "lm contacts: unknown head" 1 "not a head of" $seqgen contacts "$tmp/lm.npz" -o "$tmp/lmc2" --lm-heads 3.1
check "lm contacts: --raw is refused, not ignored" 1 "--raw applies to models with couplings; a language model's contacts are its attention maps" $seqgen contacts "$tmp/lm.npz" -o "$tmp/lmc2" --raw
check "lm embed: alignment options are refused, not ignored" 1 "--max-seqs reads an alignment for a VAE" $seqgen embed "$tmp/lm.npz" data/example.a3m -o "$tmp/x.npy" --max-seqs 3
check "lm sample: --fix to a gap is refused" 1 "--fix must set amino acids only for a language model" $seqgen sample "$tmp/lm.npz" -n 2 --fix 1=- -o "$tmp/x.fa"
printf '# STOCKHOLM 1.0\na ACDEFGHIKL\nb ACDEFGHIKM\nc ACDEFG.IKM\n\na MNPQ\nb MNPQ\nc MNPQ\n//\n' > "$tmp/lm.sto"
check "lm fit reads Stockholm (Pfam's format), blocks joined" 0 "3 sequences" $seqgen fit "$tmp/lm.sto" -o "$tmp/lmsto.npz" $lmfit --validation-fraction 0
printf 'CLUSTAL W\n\na ACDEFGHIKL\n' > "$tmp/lm.aln"
check "lm fit: Clustal is named, not misread" 1 "Clustal input is not read here" $seqgen fit "$tmp/lm.aln" -o "$tmp/x.npz" $lmfit
check "lm fit without held-out sequences says its perplexity is the training one" 0 "best training perplexity .* (no sequences held out" $seqgen fit data/example.a3m -o "$tmp/lm4.npz" $lmfit --validation-fraction 0
check "lm eval contacts" 0 "top-L" $seqgen eval contacts "$tmp/lm.npz" --truth data/example.contacts
check "lm fit head regression" 0 "wrote $tmp/lmhr.csv" $seqgen eval contacts "$tmp/lm.npz" --truth data/example.contacts --fit-head-regression "$tmp/lmhr.csv"
check "head regression table ends with the bias" 0 "^bias," cat "$tmp/lmhr.csv"
check "head regression table rows" 0 "^4$" sh -c "grep -c '^[12]\.[12],' $tmp/lmhr.csv"
check "lm eval contacts with the head regression" 0 "top-L" $seqgen eval contacts "$tmp/lm.npz" --truth data/example.contacts --head-regression "$tmp/lmhr.csv"
check "lm contacts with the head regression" 0 "wrote" $seqgen contacts "$tmp/lm.npz" -o "$tmp/lmhrc" --head-regression "$tmp/lmhr.csv"
check "head regression: same map as fitting wrote" 0 "" sh -c "$seqgen eval contacts $tmp/lm.npz --truth data/example.contacts --head-regression $tmp/lmhr.csv --json > $tmp/hr1.json && $seqgen eval contacts $tmp/lm.npz --truth data/example.contacts --fit-head-regression $tmp/lmhr2.csv --json > $tmp/hr2.json && cmp $tmp/hr1.json $tmp/hr2.json"
printf 'head,weight\n1.1,0.5\n7.1,0.2\nbias,-1\n' > "$tmp/hrbad.csv"
check "head regression naming a head the model lacks" 1 "'7.1' is not a head of" $seqgen contacts "$tmp/lm.npz" -o "$tmp/x" --head-regression "$tmp/hrbad.csv"
printf 'head,weight\n1.1,zero\nbias,-1\n' > "$tmp/hrbad2.csv"
check "head regression with a bad weight" 1 "hrbad2.csv:2: expected 'layer.head,weight'" $seqgen contacts "$tmp/lm.npz" -o "$tmp/x" --head-regression "$tmp/hrbad2.csv"
readme_row "Head-regression table with a bad row" $seqgen contacts "$tmp/lm.npz" -o "$tmp/x" --head-regression "$tmp/hrbad2.csv"
check "head regression on a Potts model" 1 "choose a language model's attention heads" $seqgen contacts "$tmp/ex.npz" -o "$tmp/x" --head-regression "$tmp/lmhr.csv"
check "--lm-heads on a Potts model" 1 "choose a language model's attention heads" $seqgen contacts "$tmp/ex.npz" -o "$tmp/x" --lm-heads 1.1
check "head regression and --lm-heads together" 2 "alternatives" $seqgen eval contacts "$tmp/lm.npz" --truth data/example.contacts --head-regression "$tmp/lmhr.csv" --lm-heads 1.1
check "sample lm (masked Gibbs)" 0 "masked Gibbs (4 chains from the query" $seqgen sample "$tmp/lm.npz" -n 8 --chains 4 --burn-in 1 --thin 1 --fix 3=W -o "$tmp/s-lm.fa" --seed 2
check "sample lm again" 0 "masked Gibbs" $seqgen sample "$tmp/lm.npz" -n 8 --chains 4 --burn-in 1 --thin 1 --fix 3=W -o "$tmp/s-lm2.fa" --seed 2
check "same seed, same LM samples" 0 "" cmp "$tmp/s-lm.fa" "$tmp/s-lm2.fa"
check "lm: fixed residue kept" 0 "^0$" sh -c "awk 'NR % 2 == 0 && substr(\$0, 3, 1) != \"W\"' '$tmp/s-lm.fa' | wc -l"
check "compare lm with potts" 0 "head average" $seqgen compare "$tmp/lm.npz" "$tmp/ex.npz" --plot "$tmp/lmcmp.png"
check "compare lm: the head average is listed once" 0 "^1$" sh -c "$seqgen compare '$tmp/lm.npz' '$tmp/ex.npz' | grep -c 'head average\|head mean'"
check "compare lm --json: head_average apart from the heads" 0 "^ok$" sh -c "$seqgen compare '$tmp/lm.npz' '$tmp/ex.npz' --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert \"spearman\" in d[\"head_average\"] and all(h[\"head\"] not in (\"mean\", \"average\") for h in d[\"heads\"]); print(\"ok\")'"
# Another protein numbered like the example (its focus reversed): compare must not pair their residues.
python3 -c "
import random
random.seed(1)
q = open('data/example.a3m').read().split(chr(10))[1][::-1]
rows = [q] + [''.join(c if random.random() < 0.7 else random.choice('ACDEFGHIKLMNPQRSTVWY') for c in q) for _ in range(30)]
open('$tmp/other.fa', 'w').write(''.join('>s%d\\n%s\\n' % (k, r) for k, r in enumerate(rows)))"
$seqgen fit "$tmp/other.fa" -o "$tmp/other.npz" --max-iterations 3 --quiet
check "compare lm with another protein's model" 1 "the focus sequences differ at" $seqgen compare "$tmp/lm.npz" "$tmp/other.npz"
check "gaps-as-missing Potts: a variant to a gap is left unscored" 0 "1 variant to a gap left unscored: the model has no fitted gap state" $seqgen score "$tmp/ex.npz" --mutants "I1A,I1-"
check "lm: a variant to a gap is left unscored" 0 "1 variant to a gap left unscored" $seqgen score "$tmp/lm.npz" --mutants "${a}1${other},${a}1-"
check "score: no variants" 1 "no variants to score" $seqgen score "$tmp/lm.npz" --mutants ""
check "score: a VAE option with a language model" 1 "--samples applies to a vae model" $seqgen score "$tmp/lm.npz" --mutants "${a}1${other}" --samples 5
check "score: the LM's method with a Potts model" 1 "--lm-method applies to a lm model" $seqgen score "$tmp/ex.npz" --mutants "${a}1${other}" --lm-method pseudo-likelihood
check "embed mean-pooled" 0 "mean-pooled" $seqgen embed "$tmp/lm.npz" data/example.a3m -o "$tmp/z-lm.npy"
check "embed per residue" 0 "per residue" $seqgen embed "$tmp/lm.npz" data/example.a3m -o "$tmp/zr.npy" --per-residue
check "embed needs an lm" 1 "embed needs a VAE or language model" $seqgen embed "$tmp/ex.npz" data/example.a3m -o "$tmp/z2.npy"
check "lm input with a bad character" 1 "lmbad.fasta:4: '1' is not an amino-acid letter" $seqgen fit "$tmp/lmbad.fasta" -o "$tmp/x.npz" --model lm
readme_row "LM input with a non-residue character" $seqgen fit "$tmp/lmbad.fasta" -o "$tmp/x.npz" --model lm
check "lm width not divisible by heads" 2 "positive multiple of --lm-heads" $seqgen fit data/example.a3m -o "$tmp/x.npz" --model lm --dimension 10 --lm-heads 4
readme_row "LM width not a multiple of the heads" $seqgen fit data/example.a3m -o "$tmp/x.npz" --model lm --dimension 10 --lm-heads 4

echo $$ > "$tmp/busy2.npz.lock"
readme_row "a second run writing the same output" $seqgen fit data/example.a3m -o "$tmp/busy2.npz"
rm -f "$tmp/busy2.npz.lock"
readme_row "a full disk while writing \`contacts\`" sh -c "ulimit -f 30; exec $seqgen contacts $tmp/ex.npz -o $tmp/full2 --min-separation 40 --truth data/example.contacts"
readme_row "non-finite values (e.g. \`--lambda-j 3e38\`)" $seqgen fit data/example.a3m -o "$tmp/nf.npz" --lambda-j 3e38 --max-iterations 3
python3 -c "
import struct, sys
header = \"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }\"
header += ' ' * (63 - len(header) % 64) + '\n'
data = struct.pack('<8f', 1, 0, 0, 0, 0, 0, -1, 0)
open(sys.argv[1], 'wb').write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode() + data)" "$tmp/neg.npy"
readme_row "negative matrix for a probability logo" $seqgen logo "$tmp/neg.npy" -o "$tmp/neg.png"
python3 -c "import numpy; numpy.save('$tmp/zero.npy', numpy.zeros((5, 4), dtype=numpy.float32))"
check "an all-zero matrix has no logo" 1 "every entry is 0: there is nothing to draw" $seqgen logo "$tmp/zero.npy" -o "$tmp/zero.png"
readme_row "out-of-range value" $seqgen fit data/example.a3m -o "$tmp/v.npz" --identity 2
readme_row "mistyped option" $seqgen cnn train "$tmp/dna.npz" -o "$tmp/v.npz" --arch cnn-2
readme_row "conflicting options" $seqgen fit data/example.a3m -o "$tmp/v.npz" --model pssm --curve "$tmp/v.png"
cp data/example.a3m "$tmp/own.a3m"
readme_row "an output (or \`--checkpoint\`) that is also the command's input" $seqgen fit "$tmp/own.a3m" -o "$tmp/own.a3m" --force
check "--checkpoint naming the input is refused, even with --force" 1 "own.a3m: is also an input of this command; give the checkpoint another name" $seqgen fit "$tmp/own.a3m" -o "$tmp/own.npz" --checkpoint "$tmp/own.a3m" --checkpoint-every 1 --force
check "the input is left as it was" 0 "" cmp data/example.a3m "$tmp/own.a3m"
cp data/example.contacts "$tmp/own.csv"
check "an input named like one of PREFIX's outputs is refused" 1 "own.csv: is also an input of this command" $seqgen contacts "$tmp/ex.npz" -o "$tmp/own" --truth "$tmp/own.csv"
check "the truth file is left as it was" 0 "" cmp data/example.contacts "$tmp/own.csv"
echo state > "$tmp/old.ckpt.npz"
check "a checkpoint to resume that cannot be opened is refused before the fit" 1 "^seqgen: error: $tmp/no.ckpt.npz: cannot open the checkpoint to resume" $seqgen fit data/example.a3m -o "$tmp/nr.npz" --resume "$tmp/no.ckpt.npz"
check "… and by cnn train" 1 "cannot open the checkpoint to resume" $seqgen cnn train "$tmp/dna.npz" -o "$tmp/nr-cnn.npz" --resume "$tmp/no.ckpt.npz"
check "an unresumed file at the checkpoint path is refused without --force" 1 "exists (an earlier run's checkpoint?): continue that run with --resume" $seqgen fit "$tmp/own.a3m" -o "$tmp/own.npz" --checkpoint "$tmp/old.ckpt.npz"
readme_row "an option only another model reads" $seqgen fit data/example.a3m -o "$tmp/v.npz" --heads 2
check "every README error-table row has a check, with its message and exit status" 0 "README tables match" python3 - "$tmp/readme" README.md <<'PY'
import os, re, sys
runs = {}
d = sys.argv[1]
for f in os.listdir(d):
    if f.endswith('.label'):
        n = f[:-6]
        label = open(os.path.join(d, f)).read()
        runs.setdefault(label, []).append((int(open(os.path.join(d, n + '.rc')).read()), open(os.path.join(d, n + '.out'), errors='replace').read()))
problems, rows = [], 0
status = None
for line in open(sys.argv[2]):
    m = re.search(r'\(exit status (\d+)\) \|', line)
    if m: status = int(m.group(1)); continue
    if not line.startswith('|') or status is None:
        if not line.startswith('|'): status = None
        continue
    cells = [c.strip() for c in line.strip().strip('|').split(' | ')]
    if len(cells) != 2 or set(cells[0]) <= set('-'): continue
    label, cell = cells
    rows += 1
    if label not in runs: problems.append(f"row '{label}': no check in scripts/cli-smoke.sh (add a readme_row call)"); continue
    for rc, out in runs[label]:
        if rc != status: problems.append(f"row '{label}': exit status {rc}, the README says {status}: {out.strip()[:200]}")
    text = ''.join(out for _, out in runs[label])
    lead = re.match(r'((?:`[^`]+`(?: / |, then )?)+)', cell)
    for seg in re.findall(r'`([^`]+)`', lead.group(1) if lead else ''):
        pattern = re.escape(seg)
        for word, rx in [('FILE', '.+?'), ('DIR', '.+?'), ('CKPT', '.+?'), ('LINE', '[0-9]+'), ('…', '.*?')]:
            pattern = pattern.replace(re.escape(word), rx)
        if not re.search(pattern, text): problems.append(f"row '{label}': README says `{seg}`, the program printed: {text.strip()[:300]}")
if rows < 20: problems.append(f'only {rows} rows found in the README tables')
print('\n'.join(problems) if problems else f'README tables match ({rows} rows)')
PY
# The default build is portable: x86-64-v3 (AVX2/FMA), no AVX-512 instruction in seqgen's own code (item 13).
if command -v objdump > /dev/null && [ "$(uname -m)" = x86_64 ] && [ -z "${SEQGEN_NATIVE:-}" ]; then
    check "the default build has no AVX-512 (zmm) instructions" 0 "^0$" sh -c "objdump -d --no-show-raw-insn $seqgen | grep -c '%zmm' || true"
fi
check "no stray temporary files or locks" 0 "" test -z "$(ls "$tmp" | grep -e '\.tmp-' -e '\.lock$')"
rm -rf "$tmp"
echo "cli-smoke: $pass passed, $fail failed"
[ $fail -eq 0 ]
