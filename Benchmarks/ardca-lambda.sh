#!/usr/bin/env bash
# How ArDCA's default regularisation was chosen: held-out log-likelihood, no mutation scan involved.
# The training alignment of each family (FAMILIES, default "dhfr BLAT") is split at random (seed 1)
# into 80% kept for fitting and 20% held out; `seqgen fit --model ardca` is run on the 80% for each
# λ in LAMBDAS (λ_J = λ_h = λ), and the exact log-likelihood of the held-out sequences is computed
# from the written model (column-space h, J and order of the .npz) and averaged with the usual
# 80%-identity weights computed among the held-out sequences. Higher is better.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
data=../shared/data
[ -d "$data" ] || { echo "skipping: $data is absent"; exit 0; }
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product seqgen >/dev/null
seqgen=.build/release/seqgen
tmp=${1:-$(mktemp -d)}; mkdir -p "$tmp"
lambdas=${LAMBDAS:-0.01 0.003 0.001 0.0003 0.0001}
families=${FAMILIES:-dhfr BLAT}
echo "| family | λ_J = λ_h | held-out log-likelihood (nats/sequence, weighted) | fit CPU s | L-BFGS iterations |"
echo "|---|---|---|---|---|"
for fam in dhfr:$data/contacts/dhfr/DHFR.a2m BLAT:$data/mutations/BLAT_ECOLX/BLAT_ECOLX.a2m; do
    name=${fam%%:*}; aln=${fam#*:}
    [[ " $families " == *" $name "* ]] || continue
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
rng = random.Random(1); rest = list(range(1, len(recs))); rng.shuffle(rest)
test = set(rest[:len(rest) // 5])            # the focus (first record) always stays in training
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
focus = []                                       # seqgen keeps the match columns where the focus (first record) has a residue
for line in open(sys.argv[3]).read().split('>')[1].splitlines()[1:]: focus.append(line.strip())
keep = [k for k, c in enumerate(c for c in ''.join(focus) if c.isupper() or c == '-') if c != '-']
assert len(keep) == L, (len(keep), L)
codes = []
for s in seqs:
    m = [c for c in s if c.isupper() or c == '-']
    m = [m[k] for k in keep] if len(m) >= len(keep) else []
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
