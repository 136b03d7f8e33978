#!/usr/bin/env python3
"""`seqgen motifs scan` beside memelite's FIMO (`memelite.fimo`, numba, pip install memelite), runs
alternated, 2 threads each: min / median wall and CPU seconds (user + system of the process and the
children it waited for), peak RSS, and the ratios of the medians.

    python3 Benchmarks/fimo_speed.py SEQGEN MOTIFS.meme SEQUENCES.fa [--repeats R] [--baseline SEQGEN_BEFORE]

Both scan every motif of the file over every sequence on both strands and report p ≤ 1e-4; memelite
runs as a user calls it (`fimo(MEME, FASTA)` in a fresh Python, its numba compilation included) and
returns a table in memory; seqgen writes its TSV (with q-values). memelite computes no q-values.
"""
import argparse
import os
import statistics
import sys
import tempfile
from timing import alternated


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seqgen"); ap.add_argument("motifs"); ap.add_argument("sequences")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--baseline", help="another seqgen binary (e.g. an earlier build), run beside")
    args = ap.parse_args()
    out = os.path.join(tempfile.mkdtemp(), "hits.tsv")
    memelite = f"from memelite import fimo; h = fimo({args.motifs!r}, {args.sequences!r}); print(sum(len(x) for x in h))"
    runs = {
        "memelite fimo": [sys.executable, "-c", memelite],
        "seqgen": [args.seqgen, "motifs", "scan", args.motifs, args.sequences, "-o", out, "--force", "--quiet",
                   "--threads", str(args.threads)],
    }
    if args.baseline:
        runs["baseline seqgen"] = [args.baseline, "motifs", "scan", args.motifs, args.sequences, "-o", out, "--force",
                                   "--quiet", "--threads", str(args.threads)]
    env = dict(os.environ, NUMBA_NUM_THREADS=str(args.threads))
    times = alternated(runs, args.repeats, env=env)
    print("| tool | wall s min / med | CPU s min / med | peak RSS MB (median) |")
    print("|---|---|---|---|")
    for tool, t in times.items():
        w, c, m = [x[0] for x in t], [x[1] for x in t], [x[2] for x in t]
        print(f"| {tool} | {min(w):.2f} / {statistics.median(w):.2f} | {min(c):.2f} / {statistics.median(c):.2f} | {statistics.median(m):.0f} |")
    med = lambda tool, i: statistics.median(x[i] for x in times[tool])
    print(f"\nmemelite / seqgen, medians: wall {med('memelite fimo', 0) / med('seqgen', 0):.1f}×, "
          f"CPU {med('memelite fimo', 1) / med('seqgen', 1):.1f}×")


if __name__ == "__main__":
    main()
