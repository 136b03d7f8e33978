#!/usr/bin/env python3
"""`seqgen cnn motifs` beside TF-MoDISco-lite on the same attribution maps (run by modisco.sh).

For each map set (a `seqgen cnn attribute` .npz: `attributions`, `x`), both tools see the same
hypothetical contributions (the map centred per position over the four bases, which is what
`cnn motifs` makes of a map) and the same one-hot sequences. The runs alternate (the order flips
every round); each reports wall and CPU seconds (user + system of the process and the children
it waited for: modisco-lite forks workers) and the peak resident set of the largest process.
Motifs are matched the same way for both: TF-MoDISco-lite's report trims a pattern's PPM to the
columns whose |CWM| sum is ≥ 0.3 of the largest (`report.py`), which is `cnn motifs`' --trim 0.3,
and `seqgen motifs compare` (Tomtom's method) matches the trimmed PPMs against --database.
A pattern recovers a motif of --core when its best match (lowest p) is that motif at q < --q.

  python3 modisco_compare.py --seqgen S --modisco M --database DB --core "A B" [--repeats R] \
      --workdir DIR MAPS.npz...
Needs numpy and h5py (the modisco-lite environment has both).
"""
import argparse
import os
import statistics
import subprocess
import sys

import h5py
import numpy as np
from timing import alternated


def database_names(path):
    names = {}
    with open(path) as f:
        for line in f:
            if line.startswith("MOTIF"):
                parts = line.split()
                names[parts[1]] = parts[2] if len(parts) > 2 else parts[1]
    return names


def write_trimmed_meme(h5_path, meme_path, trim=0.3):
    """The positive patterns' PPMs trimmed as modisco-lite's report trims them; their seqlet counts."""
    counts = {}
    with h5py.File(h5_path, "r") as f, open(meme_path, "w") as out:
        out.write("MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
                  "Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n")
        group = f.get("pos_patterns")
        for name in sorted(group.keys() if group else [], key=lambda n: int(n.split("_")[1])):
            pattern = group[name]
            ppm = np.asarray(pattern["sequence"])
            score = np.abs(np.asarray(pattern["contrib_scores"])).sum(axis=1)
            keep = np.where(score >= trim * score.max())[0]
            ppm = ppm[keep.min(): keep.max() + 1]
            ppm = ppm / ppm.sum(axis=1, keepdims=True)
            counts[name] = int(pattern["seqlets"]["n_seqlets"][0])
            out.write(f"MOTIF {name}\nletter-probability matrix: alength= 4 w= {len(ppm)} nsites= "
                      f"{counts[name]} E= 0\n")
            for row in ppm:
                out.write(" ".join(f"{v:.6f}" for v in row) + "\n")
            out.write("\n")
    return counts


def modisco_motifs(args, h5_path, workdir, tag, names):
    """Per positive pattern: (name, seqlets, best target name, q)."""
    meme = os.path.join(workdir, f"modisco-{tag}.meme")
    counts = write_trimmed_meme(h5_path, meme)
    table = os.path.join(workdir, f"modisco-{tag}-compare.tsv")
    subprocess.run([args.seqgen, "motifs", "compare", meme, args.database, "-o", table, "--force"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = {}
    with open(table) as f:
        header = f.readline().rstrip("\n").split("\t")
        qi, ti, pi, qv = (header.index(c) for c in ("Query_ID", "Target_ID", "p-value", "q-value"))
        for line in f:
            row = line.rstrip("\n").split("\t")
            p = float(row[pi])
            if row[qi] not in best or p < best[row[qi]][0]:
                best[row[qi]] = (p, names.get(row[ti], row[ti]), float(row[qv]))
    return [(n, c, best.get(n, (1, "-", 1))[1], best.get(n, (1, "-", 1))[2]) for n, c in counts.items()]


def seqgen_motifs(directory):
    rows = []
    with open(os.path.join(directory, "motifs.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        si, ni, ti, qi = (header.index(c) for c in ("sign", "seqlets", "target_name", "q"))
        for line in f:
            row = line.rstrip("\n").split("\t")
            if row[si] == "+":
                rows.append((row[0], int(row[ni]), row[ti], float(row[qi]) if row[qi] else 1.0))
    return rows


def recovered(rows, core, q):
    return sorted({t for _, _, t, qv in rows if t in core and qv < q})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seqgen", required=True)
    ap.add_argument("--modisco", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--core", required=True, help="space-separated motif names counted as truth")
    ap.add_argument("--q", type=float, default=0.05)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--modisco-args", default="", help="extra `modisco motifs` options, e.g. \"-l 50\"")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("maps", nargs="+")
    args = ap.parse_args()
    core = set(args.core.split())
    names = database_names(args.database)
    env = dict(os.environ, NUMBA_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads),
               OPENBLAS_NUM_THREADS=str(args.threads))
    print("| maps | tool | seqlets in positive motifs | positive motifs | core motifs recovered (q < %g) | "
          "wall s min / med | CPU s min / med | peak MB |" % args.q)
    print("|---|---|---|---|---|---|---|---|")
    ratios, details = [], []
    for maps in args.maps:
        tag = os.path.splitext(os.path.basename(maps))[0]
        z = np.load(maps)
        x = z["x"].astype(np.float32)
        a = z["attributions"].astype(np.float32)
        if x.shape[-1] == 4:
            x, a = x.transpose(0, 2, 1), a.transpose(0, 2, 1)
        a = a - a.mean(axis=1, keepdims=True)
        xs, as_ = os.path.join(args.workdir, f"{tag}-x.npy"), os.path.join(args.workdir, f"{tag}-a.npy")
        np.save(xs, x)
        np.save(as_, a)
        h5 = os.path.join(args.workdir, f"modisco-{tag}.h5")
        out = os.path.join(args.workdir, f"seqgen-{tag}")
        runs = {
            "seqgen": [args.seqgen, "cnn", "motifs", as_, "--sequences", xs, "-o", out,
                       "--database", args.database, "--force", "--quiet", "--threads", str(args.threads)],
            "modisco-lite": [args.modisco, "motifs", "-s", xs, "-a", as_, "-n", "20000",
                             "-w", str(x.shape[2]), "-o", h5] + args.modisco_args.split(),
        }
        times = alternated(runs, args.repeats, env)
        results = {"seqgen": seqgen_motifs(out), "modisco-lite": modisco_motifs(args, h5, args.workdir, tag, names)}
        for tool in runs:
            rows, t = results[tool], times[tool]
            walls, cpus = [w for w, _, _ in t], [c for _, c, _ in t]
            got = recovered(rows, core, args.q)
            print(f"| {tag} | {tool} | {sum(n for _, n, _, _ in rows)} | {len(rows)} | "
                  f"{len(got)}/{len(core)} {','.join(got)} | {min(walls):.1f} / {statistics.median(walls):.1f} | "
                  f"{min(cpus):.1f} / {statistics.median(cpus):.1f} | {max(m for _, _, m in t):.0f} |")
        ratios.append((statistics.median(w for w, _, _ in times["modisco-lite"]) / statistics.median(w for w, _, _ in times["seqgen"]),
                       statistics.median(c for _, c, _ in times["modisco-lite"]) / statistics.median(c for _, c, _ in times["seqgen"])))
        for tool in runs:
            details.append(f"{tag}, {tool}: " + "; ".join(f"{t} {n} ({q:.1e})" for _, n, t, q in results[tool]))
        sys.stdout.flush()
    print("\nPositive motifs (best match, seqlets, q):")
    for line in details:
        print("- " + line)
    print("modisco-lite / seqgen, medians per map set: wall " +
          ", ".join(f"{w:.1f}×" for w, _ in ratios) + "; CPU " + ", ".join(f"{c:.1f}×" for _, c in ratios))


if __name__ == "__main__":
    main()
