#!/usr/bin/env python3
"""Precision of the top L pairs (|i - j| >= 6) of an L x L score matrix (CCMpred's .mat layout:
whitespace-separated rows, APC-corrected scores) against a PDB whose residues 1..L are the matrix
columns (true for the shared contact families). Contacts: C-beta distance < 8 A (C-alpha for Gly).
Instead of a PDB, a file of true contacts (one pair of 1-based column numbers per line; every other
pair counts as no contact).
Usage: mat_precision.py SCORES.mat STRUCTURE.pdb|TRUTH [CHAIN]   -> prints P@L"""
import math
import sys


def coordinates(path, chain):
    """Residue number -> C-beta (C-alpha for Gly) of `chain`, or of the first chain when None."""
    beta, alpha = {}, {}
    for line in open(path):
        if not line.startswith("ATOM"):
            continue
        chain = chain or line[21]
        if line[21] != chain:
            continue
        name, resseq = line[12:16].strip(), int(line[22:26])
        xyz = (float(line[30:38]), float(line[38:46]), float(line[46:54]))
        if name == "CB":
            beta.setdefault(resseq, xyz)
        elif name == "CA":
            alpha.setdefault(resseq, xyz)
    return {r: beta.get(r, xyz) for r, xyz in alpha.items()}


scores = [[float(v) for v in line.split()] for line in open(sys.argv[1]) if line.strip()]
length = len(scores)
if any(line.startswith(("ATOM", "HETATM")) for line in open(sys.argv[2])):
    points = coordinates(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    pairs = sorted(((scores[i][j], i, j) for i in range(length) for j in range(i + 6, length)
                    if i + 1 in points and j + 1 in points), reverse=True)[:length]
    hits = sum(math.dist(points[i + 1], points[j + 1]) < 8 for _, i, j in pairs)
else:
    truth = {tuple(sorted(int(v) for v in line.split()[:2])) for line in open(sys.argv[2]) if line.strip()}
    pairs = sorted(((scores[i][j], i, j) for i in range(length) for j in range(i + 6, length)), reverse=True)[:length]
    hits = sum((i + 1, j + 1) in truth for _, i, j in pairs)
print("%.3f" % (hits / len(pairs)))
