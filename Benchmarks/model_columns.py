#!/usr/bin/env python3
"""An alignment over the columns seqgen models, one aligned sequence per line (PSICOV/CCMpred
format) — the one place the benchmarks that feed a peer tool read alignments:
- `.aln`: every column;
- aligned FASTA (`.fasta`, `.fa`, `.afa`): every column, case ignored;
- A2M/A3M: the focus's (first record's) uppercase columns when the rows are full width, else the
  match states (insertions — lowercase, '.' — dropped);
each possibly gzipped; letters outside the 20 amino acids become gaps (as both tools read them).

    python3 Benchmarks/model_columns.py ALIGNMENT OUT      (or `model_columns(path)` from Python)
"""
import gzip
import sys


def model_columns(path):
    """The rows of `path` over seqgen's model columns, as strings over `ACDEFGHIKLMNPQRSTVWY-`."""
    opened = gzip.open(path, "rt") if path.endswith(".gz") else open(path)
    path = path.removesuffix(".gz")
    rows, current = [], None
    for line in opened:
        line = line.strip()
        if not line:
            continue
        if path.endswith(".aln"):
            rows.append(line)
        elif line.startswith(">"):
            current = []
            rows.append(current)
        else:
            current.append(line)
    rows = [r if isinstance(r, str) else "".join(r) for r in rows]
    if path.endswith((".fasta", ".fa", ".afa")):
        rows = [r.upper().replace(".", "-") for r in rows]
    elif not path.endswith(".aln"):
        if len(set(map(len, rows))) == 1:
            keep_columns = [c for c, x in enumerate(rows[0]) if x.isupper()]
            rows = ["".join(r[c] for c in keep_columns) for r in rows]
        else:
            rows = ["".join(c for c in r if c.isupper() or c == "-") for r in rows]
    keep = set("ACDEFGHIKLMNPQRSTVWY-")
    return ["".join(c if c in keep else "-" for c in r) for r in rows]


if __name__ == "__main__":
    with open(sys.argv[2], "w") as f:
        f.writelines(r + "\n" for r in model_columns(sys.argv[1]))
