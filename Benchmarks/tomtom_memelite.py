"""seqgen motifs compare beside memelite's Tomtom (pip install memelite) on a check set.

    python3 Benchmarks/tomtom_memelite.py QUERY.meme DB.meme SEQGEN_TABLE.tsv

SEQGEN_TABLE.tsv: `seqgen motifs compare QUERY DB --thresh 1 -o SEQGEN_TABLE.tsv` (every pair).
Prints, per query, both best targets and p-values, the agreement of best matches, and the Spearman
correlation of log10 p over all pairs. Both compute a pair's p-value as that of the best of all its
alignments (the distribution of the maximum over alignments, as Tomtom does); they differ in the
binning of column scores (memelite: 100 bins over each column's range; seqgen: steps of 0.01).
"""
import sys
import numpy as np
from memelite.io import read_meme
from memelite import tomtom

query_path, db_path, table = sys.argv[1:4]
queries = read_meme(query_path)
db = read_meme(db_path)
qn, dn = list(queries.keys()), list(db.keys())
p, scores, offsets, overlaps, strands = tomtom([queries[k] for k in qn], [db[k] for k in dn])
ours = {}
for line in open(table).read().splitlines()[1:]:
    f = line.split("\t")
    ours[(f[0], f[1])] = float(f[3])
ids = [k.split()[0] for k in qn]
dids = [k.split()[0] for k in dn]
agree, rows, pairs = 0, [], []
for i, q in enumerate(ids):
    j = int(np.argmin(p[i]))
    mine = sorted(((v, t) for (qq, t), v in ours.items() if qq == q))
    best = mine[0][1] if mine else "-"
    agree += best == dids[j]
    rows.append(f"| {q} | {dids[j]} | {p[i, j]:.2e} | {best} | {mine[0][0] if mine else float('nan'):.2e} |")
    for jj, t in enumerate(dids):
        if (q, t) in ours:
            pairs.append((np.log10(max(p[i, jj], 1e-300)), np.log10(max(ours[(q, t)], 1e-300))))
print("| query | memelite best | memelite p | seqgen best | seqgen p |")
print("|---|---|---|---|---|")
print("\n".join(rows))
a = np.array(pairs)
rank = lambda v: np.argsort(np.argsort(v))
rho = np.corrcoef(rank(a[:, 0]), rank(a[:, 1]))[0, 1]
print(f"\nbest match agrees for {agree}/{len(ids)} queries; Spearman ρ of log10 p over {len(a)} pairs: {rho:.3f}")
