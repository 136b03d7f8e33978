#!/usr/bin/env python3
"""`seqgen fit` (Potts, its defaults) beside plmc on one alignment, runs alternated (`timing.alternated`), the same
thread count: min / median wall and CPU seconds (user + system of the process and the children it
waited for) and the ratios plmc / seqgen of the medians.

    python3 Benchmarks/plmc_speed.py SEQGEN PLMC ALN [--alphabet rna] [--repeats R] [--threads T]
                                     [--plmc-args "-a .ACGU -le 20.0 -lh 0.01 -m 50"]

plmc is built from its public source outside this repository (debbiemarkslab/plmc, `make
all-openmp`). Its default arguments here are its README's RNA example; for a protein alignment pass
EVcouplings' (`-le 0.2·(L−1) -lh 0.01 -m 100 -t 0.2 -g`, as Benchmarks/accuracy.sh does). The README's
riboswitch table (section "RNA families") was measured with this script.
"""
import argparse
import os
import shlex
import statistics
import tempfile
from timing import alternated


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seqgen"); ap.add_argument("plmc"); ap.add_argument("alignment")
    ap.add_argument("--alphabet", default="protein")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--plmc-args", default="-a .ACGU -le 20.0 -lh 0.01 -m 50")
    args = ap.parse_args()
    scratch = tempfile.mkdtemp()
    runs = {
        "seqgen": [args.seqgen, "fit", args.alignment, "--alphabet", args.alphabet, "--threads", str(args.threads),
                   "-o", os.path.join(scratch, "m.npz"), "--force", "--quiet"],
        "plmc": [args.plmc, *shlex.split(args.plmc_args), "-n", str(args.threads),
                 "-o", os.path.join(scratch, "m.params"), args.alignment],
    }
    times = alternated(runs, args.repeats)
    print(f"{args.alignment}, {args.threads} threads, {args.repeats} alternated runs each")
    print("| tool | wall s min / med | CPU s min / med |")
    print("|---|---|---|")
    med = {}
    for name, t in times.items():
        wall, cpu = [x[0] for x in t], [x[1] for x in t]
        med[name] = (statistics.median(wall), statistics.median(cpu))
        print(f"| {name} | {min(wall):.2f} / {med[name][0]:.2f} | {min(cpu):.2f} / {med[name][1]:.2f} |")
    print(f"plmc / seqgen (medians): wall {med['plmc'][0] / med['seqgen'][0]:.1f}×, CPU {med['plmc'][1] / med['seqgen'][1]:.1f}×")


if __name__ == "__main__":
    main()
