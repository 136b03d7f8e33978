#!/usr/bin/env bash
# How ArDCA's default regularisation was chosen: held-out log-likelihood, no mutation scan involved.
# Each family's training alignment is split (seed 1) into ≈ 80% kept for fitting and ≈ 20% held out;
# `seqgen fit --model ardca` is run on the 80% for each λ in LAMBDAS (λ_J = λ_h = λ), and the exact
# log-likelihood of the held-out sequences is computed from the written model (column-space h, J and
# order of the .npz) and averaged with the usual 80%-identity weights computed among the held-out
# sequences. Higher is better.
# SPLIT=cluster (default) holds out whole clusters — single linkage at ≥ 80% identity over the model
# columns, the identity at which sequence weights call two sequences the same — so that no held-out
# sequence has a near-copy in the fitted part: the question is how well the model generalises to new
# members of the family. SPLIT=random holds out a random 20% of the sequences, whose near-duplicates
# stay in the fitted part and reward an under-regularised model (the split behind the earlier
# default, 10⁻³). FAMILIES picks among dhfr, BLAT, GFP (default "dhfr BLAT GFP");
# EXTRA="NAME=ALIGNMENT …" adds aligned FASTA/A2M files (first record the focus; '.' in a match
# column read as a gap, as seqgen reads it).
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
echo "| family | λ_J = λ_h | held-out log-likelihood (nats/sequence, weighted) | fit CPU s | L-BFGS iterations |"
echo "|---|---|---|---|---|"
for fam in dhfr:$data/contacts/dhfr/DHFR.a2m BLAT:$data/mutations/BLAT_ECOLX/BLAT_ECOLX.a2m GFP:$data/mutations/GFP_AEQVI/GFP_AEQVI.a2m ${extra//=/:}; do
    name=${fam%%:*}; aln=${fam#*:}
    [[ " $families " == *" $name "* ]] || continue
    python3 - "$aln" "$tmp/$name-train.a2m" "$tmp/$name-test.a2m" "$split" <<'PY'
import random, sys
import numpy as np
recs, name, seq = [], None, []
for line in open(sys.argv[1]):
    line = line.rstrip('\n')
    if line.startswith('>'):
        if name is not None: recs.append((name, ''.join(seq)))
        name, seq = line, []
    else: seq.append(line.strip().replace('.', '-'))
recs.append((name, ''.join(seq)))
rng = random.Random(1)
if sys.argv[4] == 'random':
    rest = list(range(1, len(recs))); rng.shuffle(rest)
    test = set(rest[:len(rest) // 5])        # the focus (first record) always stays in training
else:
    def match(s): return [c for c in s.replace('.', '-') if c.isupper() or c == '-']
    keep = [k for k, c in enumerate(match(recs[0][1])) if c != '-']
    X = np.array([[ord(m[k]) for k in keep] for m in (match(s) for _, s in recs)], dtype=np.int32)
    n = len(X); parent = list(range(n))
    def find(a):
        while parent[a] != a: parent[a] = parent[parent[a]]; a = parent[a]
        return a
    for i in range(n):                       # single linkage at >= 80% identity
        for j in np.nonzero((X[i + 1:] == X[i]).mean(axis=1) >= 0.8)[0] + i + 1:
            a, b = find(i), find(int(j))
            if a != b: parent[a] = b
    clusters = {}
    for i in range(n): clusters.setdefault(find(i), []).append(i)
    order = [c for c in clusters.values() if 0 not in c]   # the focus's cluster stays in training
    rng.shuffle(order)
    test = set()
    for c in order:                          # whole clusters until 20%, none taking it past 25%
        if len(test) >= n // 5: break
        if len(test) + len(c) <= n // 4: test.update(c)
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
    else: seq.append(line.strip().replace('.', '-'))
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
