"""`seqgen cnn design` beside tangermeme's `greedy_substitution` (Schreiber 2025) on the same network:
the seqgen model's weights loaded into the PyTorch network `scripts/cnn_torch_baseline.py` builds
from its layer list, the same random starts, the same library (each motif's consensus and its
reverse complement, or single bases), maximising the task-0 logit (tangermeme's y=None). Prints how
many designed sequences are identical (greedy ties aside, both take the first best edit in the
same order: motif, then start), then wall and CPU seconds of each side's process, alternated, min /
median, and the ratios, and tangermeme's design loop alone (without Python's and torch's start). Kept out of the Swift package; needs torch and `pip install tangermeme`.

  python3 Benchmarks/design_tangermeme.py SEQGEN MODEL.npz [MOTIFS.pfm NAME,NAME,…] [--count 10]
      [--rounds 5] [--repeats 3] [--threads 2]
(without a motif file: single-base design, as tangermeme's motifs=None.)
Internal: `--tangermeme-run …` is the PyTorch side's own process."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import alternated, report, skip_without  # noqa: E402


def consensus_library(path, names):
    """JASPAR .pfm: each named motif's consensus (ties to the first of A, C, G, T, as seqgen)."""
    motifs, cur = {}, None
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            parts = line[1:].split()
            cur = [parts[0], parts[1] if len(parts) > 1 else parts[0], []]
            motifs[cur[0]] = cur
        elif line and cur is not None:
            cur[2].append([float(v) for v in line.split("[")[1].split("]")[0].split()])
    chosen = []
    for name in names:
        m = next((m for m in motifs.values() if m[1].lower() == name.lower() or m[0] == name), None)
        if m is None:
            sys.exit(f"{path}: no motif {name}")
        cols = list(zip(*m[2]))
        chosen.append("".join("ACGT"[max(range(4), key=lambda b: (c[b], -b))] for c in cols))
    return chosen


def torch_model(npz):
    import numpy as np
    import torch
    import torch.nn as nn
    d = np.load(npz)
    spec, length = str(d["architecture"]), int(d["length"])
    sys.argv = ["", spec, "1"]
    import importlib.util
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "cnn_torch_baseline.py")
    src = open(here).read().split("\nmodel = build(spec)")[0]          # the builder only, not its benchmark
    src = src.replace("L, T, B, FB = 200, 12, 100, 500", f"L, T, B, FB = {length}, {len(d['task_names'])}, 100, 500")
    ns = {}
    exec(compile(src, here, "exec"), ns)
    model = ns["build"](spec)
    for k, layer in enumerate(model):
        if isinstance(layer, (nn.Conv1d, nn.Linear)):
            layer.weight.data = torch.from_numpy(d[f"{k}.weight"]).reshape(layer.weight.shape)
            if layer.bias is not None:
                layer.bias.data = torch.from_numpy(d[f"{k}.bias"])
        elif isinstance(layer, nn.BatchNorm1d):
            layer.weight.data = torch.from_numpy(d[f"{k}.gamma"]); layer.bias.data = torch.from_numpy(d[f"{k}.beta"])
            layer.running_mean = torch.from_numpy(d[f"{k}.running_mean"]); layer.running_var = torch.from_numpy(d[f"{k}.running_variance"])
    return model.eval(), length


def random_starts(model, count):
    """`count` uniform random sequences of the model's length (NumPy, seed 1), written to
    TMP/starts.fa; returns (TMP, length, sequences)."""
    import numpy as np
    length = int(np.load(model)["length"])
    tmp = tempfile.mkdtemp()
    rng = np.random.default_rng(1)
    starts = ["".join("ACGT"[b] for b in rng.integers(0, 4, length)) for _ in range(count)]
    open(f"{tmp}/starts.fa", "w").write("".join(f">s{k}\n{s}\n" for k, s in enumerate(starts)))
    return tmp, length, starts


def tangermeme_run(args):
    import torch
    from tangermeme.design import greedy_substitution
    from tangermeme.utils import one_hot_encode
    model, _ = torch_model(args.model)
    torch.set_num_threads(args.threads)
    motifs = open(args.library).read().split() if args.library else None
    seqs = [l.strip() for l in open(args.starts) if l.strip() and not l.startswith(">")]
    import time
    out, t0, c0 = [], time.perf_counter(), time.process_time()
    with torch.no_grad():
        for s in seqs:
            x = one_hot_encode(s).unsqueeze(0).float()
            y = greedy_substitution(model, x, motifs=motifs, reverse_complement=motifs is not None,
                                    max_iter=args.rounds, tol=0.0, batch_size=500, device="cpu")
            out.append("".join("ACGT"[i] for i in y[0].argmax(0).tolist()))
    open(args.out, "w").write("\n".join(out) + "\n")
    open(args.out + ".time", "w").write(f"{time.perf_counter() - t0} {time.process_time() - c0}\n")


def main():
    skip_without("torch", "tangermeme", install='pip install "torch==2.13.0+cpu" tangermeme')
    p = argparse.ArgumentParser()
    p.add_argument("seqgen", nargs="?"); p.add_argument("model"); p.add_argument("motifs", nargs="?"); p.add_argument("names", nargs="?")
    p.add_argument("--count", type=int, default=10); p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--repeats", type=int, default=3); p.add_argument("--threads", type=int, default=2)
    p.add_argument("--tangermeme-run", action="store_true"); p.add_argument("--library"); p.add_argument("--starts"); p.add_argument("--out")
    args = p.parse_args()
    if args.tangermeme_run:
        return tangermeme_run(args)
    tmp, length, starts = random_starts(args.model, args.count)
    seq = [args.seqgen, "cnn", "design", args.model, f"{tmp}/starts.fa", "--rounds", str(args.rounds), "--threads", str(args.threads),
           "-o", f"{tmp}/seqgen.fa", "--force", "--quiet"]
    tgm = [sys.executable, os.path.abspath(__file__), args.model, "--tangermeme-run", "--starts", f"{tmp}/starts.fa",
           "--rounds", str(args.rounds), "--threads", str(args.threads), "--out", f"{tmp}/tangermeme.txt"]
    if args.motifs:
        library = consensus_library(args.motifs, args.names.split(","))
        open(f"{tmp}/library.txt", "w").write("\n".join(library) + "\n")
        open(f"{tmp}/library.jaspar", "w").write("".join(
            f">m{k} m{k}\n" + "".join(f"{b} [ " + " ".join("1" if c == b else "0" for c in s) + " ]\n" for b in "ACGT")
            for k, s in enumerate(library)))
        seq += ["--motifs", f"{tmp}/library.jaspar"]
        tgm += ["--library", f"{tmp}/library.txt"]
    times = alternated({"seqgen": seq, "tangermeme": tgm}, args.repeats)
    ours = [l.strip() for l in open(f"{tmp}/seqgen.fa") if l.strip() and not l.startswith(">")]
    theirs = [l.strip() for l in open(f"{tmp}/tangermeme.txt") if l.strip()]
    same = sum(a == b for a, b in zip(ours, theirs))
    print(f"{len(starts)} starts × {args.rounds} rounds, library {'single bases' if not args.motifs else f'{len(library)} motifs + reverse complements'}, {args.threads} thread(s)")
    print(f"designed sequences identical: {same} of {len(starts)}")
    report(times, "seqgen", "tangermeme", f"{tmp}/tangermeme.txt.time")


if __name__ == "__main__":
    main()
