#!/usr/bin/env python3
"""seqgen motifs scan beside memelite's FIMO (PyPI `memelite`, FIMO's algorithm in Python).

    python3 Benchmarks/fimo_memelite.py [SEQGEN] [SEQUENCES] [SEED]

Draws SEQUENCES random sequences (150–400 bp, uniform bases; every other one carries a site sampled
from SP1, GABPA or YY1 of the shared JASPAR 2016 MEME file, on either strand), scans them for those
three motifs with both tools at their defaults (p ≤ 1e-4, both strands) and prints the hits each
reports, the hits both report (same motif, sequence, start, strand) and the Spearman correlation of
their log10 p-values. The tools differ by design in two details: memelite adds 1e-4 to each
probability before the log and bins scores at 0.1 bit; seqgen smooths the probabilities as FIMO does
(pseudocount 0.1 × background over the motif's sites) and bins at 0.01 bit.
"""
import os, random, subprocess, sys, tempfile

import numpy as np
from memelite import fimo
from scipy.stats import spearmanr

seqgen = sys.argv[1] if len(sys.argv) > 1 else ".build/release/seqgen"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 3)
database = "../shared/data/regulatory/JASPAR2016_CORE_vertebrates.meme"
if not os.path.exists(database):
    sys.exit(f"skipping: {database} is absent")
chosen = ["MA0079.3", "MA0062.2", "MA0095.2"]          # SP1, GABPA, YY1

motifs, current, inside = {}, None, False
for line in open(database):
    if line.startswith("MOTIF"):
        current, inside = line.split()[1], False
        motifs[current] = []
    elif line.startswith("letter-probability"):
        inside = True
    elif inside and line.strip():
        motifs[current].append([float(x) for x in line.split()])
    elif inside:
        inside = False

complement = {"A": "T", "C": "G", "G": "C", "T": "A"}
with tempfile.TemporaryDirectory() as tmp:
    fasta = os.path.join(tmp, "seqs.fa")
    with open(fasta, "w") as f:
        for i in range(count):
            s = [random.choice("ACGT") for _ in range(random.randint(150, 400))]
            if i % 2 == 0:
                m = motifs[random.choice(chosen)]
                site = [random.choices("ACGT", weights=row)[0] for row in m]
                if random.random() < 0.5:
                    site = [complement[c] for c in reversed(site)]
                start = random.randint(0, len(s) - len(m))
                s[start:start + len(m)] = site
            f.write(">s%d\n%s\n" % (i, "".join(s)))
    table = os.path.join(tmp, "seqgen.tsv")
    subprocess.run([seqgen, "motifs", "scan", database, fasta, "--motif", ",".join(chosen), "-o", table, "--quiet"], check=True)
    ours = {}
    for line in list(open(table))[1:]:
        f = line.rstrip("\n").split("\t")
        ours[(f[0], f[2], int(f[3]) - 1, f[5])] = float(f[7])
    theirs = {}
    for frame in fimo({k: np.array(motifs[k]).T for k in chosen}, fasta):
        for row in frame.itertuples():
            theirs[(row.motif_name.replace("-rc", ""), str(row.sequence_name), int(row.start), row.strand)] = float(getattr(row, "_8"))

shared = sorted(set(ours) & set(theirs))
rho = spearmanr([np.log10(ours[k]) for k in shared], [np.log10(theirs[k]) for k in shared]).statistic if len(shared) > 2 else float("nan")
print(f"{count} sequences, motifs {', '.join(chosen)}: memelite {len(theirs)} hits, seqgen {len(ours)}, both {len(shared)}; "
      f"Spearman of log10 p over the shared hits {rho:.4f}")
