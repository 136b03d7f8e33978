#!/usr/bin/env python3
"""seqgen motifs compare beside Tomtom's own output files.

    python3 Benchmarks/tomtom_published.py DIR [SEQGEN]

DIR holds pairs NAME_clip.meme (query motifs) and NAME.tomtom.txt (the tomtom.txt that
`tomtom -evalue -thresh 0.1 NAME_clip.meme JASPAR_CORE_2016_vertebrates.meme` wrote), e.g. the
first-layer filters and Tomtom results that Koo & Eddy (2019) published in
github.com/p-koo/learning_sequence_motifs (results/synthetic/conv_filters/NAME_clip.meme and
NAME/tomtom.txt). Runs `seqgen motifs compare` (Pearson columns, Tomtom's default) on each query
file against the shared JASPAR 2016 file and prints, per set and in total: queries with a match at
E ≤ 0.1 (Tomtom, seqgen, both), queries whose best target agrees, pairs at E ≤ 0.1, and the
Spearman correlation of log10 p over Tomtom's reported pairs.
"""
import glob, math, os, subprocess, sys, tempfile

directory = sys.argv[1]
seqgen = sys.argv[2] if len(sys.argv) > 2 else ".build/release/seqgen"
database = "../shared/data/regulatory/JASPAR2016_CORE_vertebrates.meme"


def table(path, evalue=None):
    rows = {}
    for line in open(path):
        if line.startswith(("#", "Query")) or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        if evalue is None or float(f[4]) <= evalue:
            rows[(f[0], f[1])] = float(f[3])
    return rows


def best(rows):
    out = {}
    for (q, t), p in rows.items():
        if q not in out or p < out[q][0]:
            out[q] = (p, t)
    return {q: t for q, (p, t) in out.items()}


def ranks(v):
    order = sorted(range(len(v)), key=v.__getitem__)
    r = [0.0] * len(v)
    for k, i in enumerate(order):
        r[i] = k
    return r


def pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return sab / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))


print("| set | queries | matched: Tomtom / seqgen / both | same best target | pairs at E ≤ 0.1: Tomtom / seqgen / both |")
print("|---|---|---|---|---|")
total = [0] * 8
xs, ys = [], []
with tempfile.TemporaryDirectory() as tmp:
    for tomtom_path in sorted(glob.glob(os.path.join(directory, "*.tomtom.txt"))):
        name = os.path.basename(tomtom_path)[: -len(".tomtom.txt")]
        query = os.path.join(directory, name + "_clip.meme")
        ours_path = os.path.join(tmp, name + ".tsv")
        subprocess.run([seqgen, "motifs", "compare", query, database, "--thresh", "1", "-o", ours_path, "--quiet"], check=True)
        theirs, ours_all = table(tomtom_path), table(ours_path)
        ours = {k: p for k, p in ours_all.items() if k in table(ours_path, evalue=0.1)}
        queries = sum(1 for line in open(query) if line.startswith("MOTIF"))
        bt, bs = best(theirs), best(ours)
        both = set(bt) & set(bs)
        same = sum(bt[q] == bs[q] for q in both)
        pairs_both = len(set(theirs) & set(ours))
        for k, p in theirs.items():
            if k in ours_all:
                xs.append(math.log10(p)); ys.append(math.log10(max(ours_all[k], 1e-300)))
        row = [queries, len(bt), len(bs), len(both), same, len(theirs), len(ours), pairs_both]
        total = [a + b for a, b in zip(total, row)]
        print(f"| {name} | {queries} | {len(bt)} / {len(bs)} / {len(both)} | {same}/{len(both)} | {len(theirs)} / {len(ours)} / {pairs_both} |")
q, mt, ms, mb, same, pt, ps, pb = total
print(f"| all | {q} | {mt} / {ms} / {mb} | {same}/{mb} | {pt} / {ps} / {pb} |")
print(f"\nSpearman ρ of log10 p over Tomtom's {len(xs)} reported pairs: {pearson(ranks(xs), ranks(ys)):.3f}")
