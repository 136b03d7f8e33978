#!/usr/bin/env bash
# How ArDCA's regularisation is chosen: held-out log-likelihood, no mutation scan involved.
# SPLIT=cluster (default): `seqgen fit --model ardca --cross-validate 5` on each family — whole
# single-linkage clusters at the weights' 80% identity held out (≈ 20% of the sequences; no held-out
# sequence has a neighbour among the fitted ones), one fit per λ_J = λ_h in 0.001 … 0.1 on the rest,
# the held-out sequences' weighted mean exact log-likelihood logged for each (ArDCACrossValidation);
# the script prints those values, the λ chosen and the CPU seconds of the whole run (the candidate
# fits and the final one) beside those of a fit at the default λ.
# SPLIT=random: the earlier measurement — a random 20% of the sequences held out (seed 1), whose
# near-copies stay in the fitted part and reward an under-regularised model (the split behind the
# default until 2026-12-06, 10⁻³); `seqgen fit` on the 80% for each λ in LAMBDAS, and the held-out sequences' exact
# log-likelihood from the written model (h, J and order of the .npz), weighted at 80% identity among
# them. The model's columns are the first record's upper-case ones, read by position in the
# fixed-width rows as seqgen reads an A2M (a '.' there is a gap; lower-case columns are inserts).
# FAMILIES picks among dhfr, BLAT, GFP (default "dhfr BLAT GFP"); EXTRA="NAME=ALIGNMENT …" adds
# aligned FASTA/A2M files (first record the focus).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data
[ -d "$data" ] || { echo "skipping: $data is absent"; exit 0; }
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
tmp=${1:-$(mktemp -d)}; mkdir -p "$tmp"
lambdas=${LAMBDAS:-0.1 0.03 0.01 0.003 0.001}
families="${FAMILIES:-dhfr BLAT GFP}"
split=${SPLIT:-cluster}
extra=${EXTRA:-}
for e in $extra; do families="$families ${e%%=*}"; done
if [ "$split" = cluster ]; then
    echo "| family | held out / fitted | λ = 0.001 | 0.003 | 0.01 | 0.03 | 0.1 | chosen | CPU s (cross-validated fit / default fit) |"
    echo "|---|---|---|---|---|---|---|---|---|"
fi
[ "$split" = cluster ] || { echo "| family | λ_J = λ_h | held-out log-likelihood (nats/sequence, weighted) | fit CPU s | L-BFGS iterations |"; echo "|---|---|---|---|---|"; }
for fam in dhfr:$data/contacts/dhfr/DHFR.a2m BLAT:$data/mutations/BLAT_ECOLX/BLAT_ECOLX.a2m GFP:$data/mutations/GFP_AEQVI/GFP_AEQVI.a2m ${extra//=/:}; do
    name=${fam%%:*}; aln=${fam#*:}
    [[ " $families " == *" $name "* ]] || continue
    if [ "$split" = cluster ]; then
        /usr/bin/time -f "%U %S" -o "$tmp/time" $seqgen fit "$aln" --threads 2 --model ardca --cross-validate 5 -o "$tmp/$name-cv.npz" --force 2> "$tmp/$name-cv.log"
        cv=$(awk '{print $1 + $2}' "$tmp/time")
        /usr/bin/time -f "%U %S" -o "$tmp/time" $seqgen fit "$aln" --threads 2 --model ardca -o "$tmp/$name-default.npz" --force 2> /dev/null
        plain=$(awk '{print $1 + $2}' "$tmp/time")
        python3 - "$name" "$tmp/$name-cv.log" "$cv" "$plain" <<'PY'
import re, sys
log = open(sys.argv[2]).read()
held = re.search(r'(\d+) of (\d+) sequences held out', log)
scores = re.findall(r'λ ([0-9.]+): (-?[0-9.]+)', log.split('held-out log-likelihood per sequence:')[1])
best = re.search(r'best λ ([0-9.]+)', log).group(1)
cells = ['**%.1f**' % float(v) if l == best else '%.1f' % float(v) for l, v in scores]
print('| %s | %s / %d | %s | %s | %s / %s |' % (sys.argv[1], held.group(1), int(held.group(2)) - int(held.group(1)),
      ' | '.join(cells), best, sys.argv[3], sys.argv[4]))
PY
        continue
    fi
    python3 - "$aln" "$tmp/$name-train.a2m" "$tmp/$name-test.a2m" <<'PY'
import random, sys
recs, name, seq = [], None, []
for line in open(sys.argv[1]):
    line = line.rstrip('\n')
    if line.startswith('>'):
        if name is not None: recs.append((name, ''.join(seq)))
        name, seq = line, []
    else: seq.append(line.strip())
recs.append((name, ''.join(seq)))
rng = random.Random(1)
rest = list(range(1, len(recs))); rng.shuffle(rest)
test = set(rest[:len(rest) // 5])        # the focus (first record) always stays in training
with open(sys.argv[2], 'w') as tr, open(sys.argv[3], 'w') as te:
    for k, (n, s) in enumerate(recs): (te if k in test else tr).write(n + '\n' + s + '\n')
PY
    for lam in $lambdas; do
        /usr/bin/time -f "%U %S" -o "$tmp/time" $seqgen fit "$tmp/$name-train.a2m" --threads 2 --model ardca --lambda-j "$lam" --lambda-h "$lam" \
            -o "$tmp/$name-$lam.npz" --force 2> "$tmp/$name-$lam.log"
        cpu=$(awk '{print $1 + $2}' "$tmp/time")
        its=$(python3 -c "import numpy as np; print(int(np.load('$tmp/$name-$lam.npz')['meta_iterations']))")
        ll=$(python3 - "$tmp/$name-$lam.npz" "$tmp/$name-test.a2m" "$tmp/$name-train.a2m" <<'PY'
import sys, numpy as np
d = np.load(sys.argv[1]); h, J = d['h'].astype(np.float64), d['J'].astype(np.float64)
alphabet = str(d['alphabet']); index = {c: k for k, c in enumerate(alphabet)}
L, q = h.shape
seqs, seq = [], []
for line in open(sys.argv[2]):
    if line.startswith('>'):
        if seq: seqs.append(''.join(seq))
        seq = []
    else: seq.append(line.strip())
if seq: seqs.append(''.join(seq))
# seqgen's columns: where the focus (the training file's first record) has an upper-case residue,
# by position in the fixed-width rows; a '.' or '-' there is a gap.
focus = ''.join(l.strip() for l in open(sys.argv[3]).read().split('>')[1].splitlines()[1:])
keep = [k for k, c in enumerate(focus) if c.isupper()]
assert len(keep) == L, (len(keep), L)
codes = []
for s in seqs:
    m = [s[k].replace('.', '-') for k in keep] if len(s) == len(focus) else []
    if len(m) == L and all(c in index for c in m): codes.append([index[c] for c in m])
X = np.array(codes)
same = (X[:, None, :] == X[None, :, :]).mean(axis=2)
w = 1.0 / (same >= 0.8).sum(axis=1)
ll = np.empty(len(X))
cols = np.arange(L)
for n, x in enumerate(X):
    z = h + J[:, cols, :, x].sum(axis=0)          # z[i, a] = h_i(a) + Σ_k J_ik(a, x_k); J_ik = 0 unless k precedes i
    m = z.max(axis=1)
    ll[n] = (z[cols, x] - m - np.log(np.exp(z - m[:, None]).sum(axis=1))).sum()
print('%.3f (n = %d, Neff %.0f)' % ((w * ll).sum() / w.sum(), len(X), w.sum()))
PY
)
        echo "| $name | $lam | $ll | $cpu | $its |"
    done
done
