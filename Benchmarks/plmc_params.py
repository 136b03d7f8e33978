#!/usr/bin/env python3
"""EVmutation's ΔE from a plmc parameter file (measurement helper for Benchmarks/accuracy.sh).

Reads the binary file plmc writes with `-o` (layout from plmc's plm.c, OutputParametersFull;
float32 little-endian, int32 counts):
  L, q, nSeqs, nSkipped, maxIter (int32); theta, lambda_h, lambda_e, lambda_group, Neff (float32);
  alphabet (q int8); per-sequence neighbour counts ((nSeqs + nSkipped) float32);
  focus sequence (L int8); residue numbers (L int32); f_i (L·q); h_i (L·q);
  f_ij (L(L−1)/2·q²); J_ij (L(L−1)/2·q², i < j, row-major in (a, b)).
With `-g` the alphabet has q = 20 letters (the gap is not a state).

ΔE(mutant) = E(mutant) − E(wild type) with E(x) = Σ_i h_i(x_i) + Σ_{i<j} J_ij(x_i, x_j)
(EVmutation, Hopf et al. 2017), written as `mutant,score` (seqgen's prediction layout) for every
row of a DMS table whose substitutions all fall on model columns; others are left out.

  python3 plmc_params.py PARAMS DMS.csv OUT.csv
"""
import csv
import sys

import numpy as np


def read_params(path):
    with open(path, "rb") as f:
        data = f.read()
    off = 0

    def take(dtype, count):
        nonlocal off
        a = np.frombuffer(data, dtype=dtype, count=count, offset=off)
        off += a.nbytes
        return a

    L, q, nseqs, nskipped, _ = (int(v) for v in take("<i4", 5))
    _theta, _lh, _le, _lg, neff = (float(v) for v in take("<f4", 5))
    alphabet = bytes(take("i1", q).astype(np.uint8)).decode()
    take("<f4", nseqs + nskipped)
    focus = bytes(take("i1", L).astype(np.uint8)).decode()
    numbers = take("<i4", L).astype(int)
    take("<f4", L * q)
    h = take("<f4", L * q).reshape(L, q).astype(np.float64)
    pairs = L * (L - 1) // 2
    take("<f4", pairs * q * q)
    jflat = take("<f4", pairs * q * q).reshape(pairs, q, q).astype(np.float64)
    assert off == len(data), f"{path}: {len(data) - off} trailing bytes (not a plmc -o file?)"
    J = np.zeros((L, L, q, q))
    k = 0
    for i in range(L - 1):
        for j in range(i + 1, L):
            J[i, j] = jflat[k]
            J[j, i] = jflat[k].T
            k += 1
    return dict(L=L, q=q, neff=neff, alphabet=alphabet, focus=focus, numbers=numbers, h=h, J=J,
                skipped=nskipped, sequences=nseqs)


def delta_e(p, subs):
    """subs: [(site, wt_code, mut_code)]; ΔE in the wild-type background."""
    wt = np.array([p["alphabet"].index(c) for c in p["focus"]])
    x = wt.copy()
    for i, _, b in subs:
        x[i] = b
    sites = [s[0] for s in subs]
    d = 0.0
    for i in sites:
        d += p["h"][i, x[i]] - p["h"][i, wt[i]]
    # couplings touching a mutated site, each pair once
    L = p["L"]
    mutated = np.zeros(L, bool)
    mutated[sites] = True
    for i in sites:
        others = np.arange(L)
        new = p["J"][i, others, x[i], x[others]]
        old = p["J"][i, others, wt[i], wt[others]]
        # pairs of two mutated sites are visited twice: halve them
        wgt = np.where(mutated, 0.5, 1.0)
        wgt[i] = 0
        d += float(np.sum(wgt * (new - old)))
    return d


def main():
    params, dms, out = sys.argv[1:4]
    p = read_params(params)
    site_of = {int(n): i for i, n in enumerate(p["numbers"])}
    rows, left_out = [], 0
    with open(dms) as f:
        for r in csv.DictReader(f):
            m = r["mutant"]
            subs, ok = [], True
            for s in m.split(":"):
                a, pos, b = s[0], int(s[1:-1]), s[-1]
                i = site_of.get(pos)
                if i is None or b not in p["alphabet"]:
                    ok = False
                    break
                assert p["focus"][i] == a, f"{m}: wild type {a} at {pos}, focus has {p['focus'][i]}"
                subs.append((i, p["alphabet"].index(a), p["alphabet"].index(b)))
            if ok:
                rows.append((m, delta_e(p, subs)))
            else:
                left_out += 1
    with open(out, "w") as f:
        f.write("mutant,score\n")
        for m, s in rows:
            f.write(f"{m},{s:.6f}\n")
    print(f"plmc: L {p['L']}, q {p['q']}, Neff {p['neff']:.1f}, {p['sequences']} sequences "
          f"({p['skipped']} skipped); scored {len(rows)}, left out {left_out}", file=sys.stderr)


if __name__ == "__main__":
    main()
