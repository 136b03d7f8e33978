#!/usr/bin/env python3
"""`seqgen motifs compare` beside memelite's Tomtom command (`ttl`, pip install memelite), runs
alternated, 2 threads each: min / median wall and CPU seconds (user + system of the process and the
children it waited for) per query set against one database, and the ratios.

    python3 Benchmarks/tomtom_speed.py SEQGEN TTL DB.meme QUERY.meme... [--repeats R] [--baseline SEQGEN_BEFORE]

memelite scores columns by Euclidean distance only, so seqgen runs with `--dist euclidean` beside
it (and with its default, Pearson, for reference). Both report pairs up to a threshold (ttl: p ≤ 0.5;
seqgen: q ≤ 0.5); the work is the same for every pair either way.
"""
import argparse
import os
import statistics
import sys
import tempfile
from timing import alternated


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seqgen"); ap.add_argument("ttl"); ap.add_argument("database")
    ap.add_argument("queries", nargs="+")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--baseline", help="another seqgen binary (e.g. an earlier build), run beside with Pearson")
    args = ap.parse_args()
    out = os.path.join(tempfile.mkdtemp(), "table.tsv")
    count = lambda path: sum(line.startswith("MOTIF") for line in open(path))
    print("| queries × targets | tool | wall s min / med | CPU s min / med |")
    print("|---|---|---|---|")
    ratios = []
    for q in args.queries:
        runs = {
            "memelite ttl (Euclidean)": [args.ttl, "-q", q, "-t", args.database, "-p", "0.5", "-j", str(args.threads)],
            "seqgen --dist euclidean": [args.seqgen, "motifs", "compare", q, args.database, "--dist", "euclidean",
                                        "-o", out, "--force", "--quiet", "--threads", str(args.threads)],
            "seqgen (Pearson)": [args.seqgen, "motifs", "compare", q, args.database,
                                 "-o", out, "--force", "--quiet", "--threads", str(args.threads)],
        }
        if args.baseline:
            runs["baseline seqgen (Pearson)"] = [args.baseline, "motifs", "compare", q, args.database, "-o", out, "--force", "--quiet"]
        times = {tool: [t[:2] for t in ts] for tool, ts in alternated(runs, args.repeats).items()}
        size = f"{count(q)} × {count(args.database)} ({os.path.basename(q)})"
        for tool, t in times.items():
            w, c = [x for x, _ in t], [y for _, y in t]
            print(f"| {size} | {tool} | {min(w):.2f} / {statistics.median(w):.2f} | {min(c):.2f} / {statistics.median(c):.2f} |")
        med = lambda tool, i: statistics.median(x[i] for x in times[tool])
        ratios.append((size, med("memelite ttl (Euclidean)", 0) / med("seqgen --dist euclidean", 0),
                       med("memelite ttl (Euclidean)", 1) / med("seqgen --dist euclidean", 1)))
        sys.stdout.flush()
    print()
    for size, w, c in ratios:
        print(f"{size}: memelite / seqgen (Euclidean), medians: wall {w:.1f}×, CPU {c:.1f}×")


if __name__ == "__main__":
    main()
