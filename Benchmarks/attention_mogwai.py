#!/usr/bin/env python3
"""`seqgen fit --model attention` beside mogwai's factored attention (Bhattacharya et al. 2021, the
PyTorch implementation users run: github.com/nickbhat/mogwai), whole fits alternated on the shared
contact families: min / median wall and CPU seconds, the ratios mogwai / seqgen, and P@L of both.

    python3 Benchmarks/attention_mogwai.py SEQGEN [--families 1atzA,1mkcA00,dhfr] [--repeats 2]
                                           [--threads 2] [--steps 1000] [--batch 128] [--lr 0.001]
                                           [--seqgen-args "…"]

mogwai needs PyTorch Lightning and NVIDIA apex to run as published; the PyTorch side here is its
`FactoredAttention` model and training recipe restated in plain PyTorch (`torch.set_num_threads(THREADS)`),
line for line from `mogwai/models/factored_attention.py` and its defaults (`mogwai/train.py`,
`MSADataModule`):
- 20 states `ARNDCQEGHILKMFPSTWYV`; a gap (or X) is padding: no one-hot row, ignored by the loss;
- Q, K (L, 32 heads, 16) and V (32, 20, 20) Xavier-uniform; fields log(counts + λ·log N), centred;
- A^h = softmax_j(Q_i·K_j/4 − 10⁴·δ_ij), W = einsum(hij, hab → iajb), symmetrised ½(W + Wᵀ);
- loss: summed cross-entropy of the conditionals × N / B, plus λ·q/(2B)·‖W‖² + λ/(B·L)·‖b‖² times the
  batch's unpadded sites (GREMLIN's weight decay), λ = 0.01;
- 1,000 steps of Adam (lr 10⁻³, constant) on batches of 128 sequences, the alignment repeated and
  shuffled (`MaxStepsDataset`; no sequence weights);
- contacts: the Frobenius norms of W's blocks, APC-corrected.

seqgen runs its defaults (64 heads of 64, full-batch Adam, its stopping rule; `--seqgen-args` adds
options, e.g. "--shards 4"). Both write the APC-corrected Frobenius scores as a CCMpred .mat, scored
by the same code (`mat_precision.py`: top L pairs, |i − j| ≥ 6, Cβ < 8 Å). The CPU seconds include
each process's start-up (importing torch is ≈ 1–2 s of mogwai's); mogwai's training loop alone is
printed too.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from model_columns import model_columns
from timing import alternated, skip_without

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "contacts")
FAMILIES = {  # name: (alignment, seqgen reading options, structure, chain)
    "1atzA": ("1atzA/1atzA.aln", ["--focus", "2635"], "1atzA/1atzA.pdb", None),
    "dhfr": ("dhfr/DHFR.a2m", [], "dhfr/1RX2.pdb", "A"),
    "1mkcA00": ("1mkcA00/1mkcA00.aln", [], "1mkcA00/1mkcA00.pdb", None),
}

MOGWAI = r'''
import math, sys, time
import torch
aln, steps, batch, threads, out, times, lr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], float(sys.argv[7])
torch.set_num_threads(threads); torch.manual_seed(0)
rows = [line.strip() for line in open(aln)]   # the model columns, one sequence per line (model_columns.py)
alphabet = "ARNDCQEGHILKMFPSTWYV"; code = {a: i for i, a in enumerate(alphabet)}
pad = 20
tokens = torch.tensor([[code.get(c.upper(), pad) for c in r] for r in rows])
N, L = tokens.shape
q, H, d, l2 = 20, 32, 16, 1e-2
one_hot = torch.eye(q + 1, q)
counts = one_hot[tokens].sum(0)
bias = (counts + l2 * math.log(N)).log(); bias -= bias.mean(-1, keepdim=True)
query = torch.empty(L, H, d); torch.nn.init.xavier_uniform_(query)
key = torch.empty(L, H, d); torch.nn.init.xavier_uniform_(key)
value = torch.empty(H, q, q); torch.nn.init.xavier_uniform_(value)
params = [torch.nn.Parameter(t) for t in (query, key, value, bias)]
query, key, value, bias = params
diag = torch.eye(L) * -10000
def couplings():
    a = (torch.einsum("ihd,jhd->hij", query, key) / math.sqrt(d) + diag).softmax(-1)
    w = torch.einsum("hij,hab->iajb", a, value)
    return 0.5 * (w + w.permute(2, 3, 0, 1))
opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
t0, c0 = time.perf_counter(), time.process_time()
order = torch.randperm(steps * batch) % N   # MaxStepsDataset: the alignment repeated to steps·batch rows, shuffled
for step in range(steps):
    x = tokens[order[step * batch:(step + 1) * batch]]
    w = couplings()
    logits = torch.tensordot(one_hot[x], w, 2) + bias
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, q), x.reshape(-1), ignore_index=pad, reduction="sum") * N / batch
    sites = (x != pad).sum()
    loss = loss + (l2 * q / (2 * batch) * w.pow(2).sum() + l2 / (batch * L) * bias.pow(2).sum()) * sites
    opt.zero_grad(); loss.backward(); opt.step()
assert math.isfinite(loss.item())
with torch.no_grad():
    f = couplings().norm(dim=(1, 3))
    f = f - f.mean(0, keepdim=True) * f.mean(1, keepdim=True) / f.mean()   # APC (mogwai's apc)
with open(out, "w") as o:
    for row in f.tolist(): o.write(" ".join("%.6e" % v for v in row) + "\n")
open(times, "w").write("%f %f" % (time.perf_counter() - t0, time.process_time() - c0))
'''


def precision(mat, family):
    _, _, pdb, chain = FAMILIES[family]
    args = [sys.executable, os.path.join(HERE, "mat_precision.py"), mat, os.path.join(DATA, pdb)] + ([chain] if chain else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()


def main():
    skip_without("torch", install='pip install "torch==2.13.0+cpu"')
    if not os.path.isdir(DATA):
        print(f"skipping: {DATA} is absent"); return
    ap = argparse.ArgumentParser()
    ap.add_argument("seqgen")
    ap.add_argument("--families", default="1atzA,1mkcA00,dhfr")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=1000, help="mogwai's training steps (its default 1,000)")
    ap.add_argument("--batch", type=int, default=128, help="mogwai's batch (its default 128)")
    ap.add_argument("--lr", type=float, default=1e-3, help="mogwai's Adam learning rate (its default 10⁻³)")
    ap.add_argument("--seqgen-args", default="", help="extra options for seqgen's attention fit")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    script = os.path.join(tmp, "mogwai_side.py")
    open(script, "w").write(MOGWAI)
    print(f"factored attention: seqgen (`fit --model attention {args.seqgen_args}`) beside mogwai's recipe in PyTorch "
          f"({args.steps} steps, batch {args.batch}, lr {args.lr:g}), {args.threads} threads, {args.repeats} alternated runs; seconds min / median")
    print("| family | seqgen wall s | seqgen CPU s | mogwai wall s | mogwai CPU s | mogwai loop alone, wall / CPU s | ratio mogwai / seqgen, wall | CPU | seqgen P@L | mogwai P@L |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for family in args.families.split(","):
        source, options, _, _ = FAMILIES[family]
        source = os.path.join(DATA, source)
        aln = os.path.join(tmp, f"{family}.psicov")   # mogwai's side reads the model columns
        with open(aln, "w") as f:
            f.writelines(r + "\n" for r in model_columns(source))
        model, mat, loop = (os.path.join(tmp, f"{family}.{x}") for x in ("npz", "mogwai.mat", "loop"))
        runs = {
            "seqgen": [args.seqgen, "fit", source, *options, "--model", "attention", "--threads", str(args.threads),
                       *shlex.split(args.seqgen_args), "-o", model, "--force", "--quiet"],
            "mogwai": [sys.executable, script, aln, str(args.steps), str(args.batch), str(args.threads), mat, loop, str(args.lr)],
        }
        times = alternated(runs, args.repeats, env=dict(os.environ, OMP_NUM_THREADS=str(args.threads)))
        subprocess.run([args.seqgen, "contacts", model, "-o", os.path.join(tmp, family), "--ccmpred-mat", "--force", "--quiet"],
                       check=True, capture_output=True)
        ours = precision(os.path.join(tmp, family + ".mat"), family)
        theirs = precision(mat, family)
        cells, med = [], {}
        for name in ("seqgen", "mogwai"):
            for k in (0, 1):
                v = [t[k] for t in times[name]]
                med[name, k] = (min(v), statistics.median(v))
                cells.append(f"{min(v):.1f} / {statistics.median(v):.1f}")
        lw, lc = map(float, open(loop).read().split())
        ratios = [f"{med['mogwai', k][1] / med['seqgen', k][1]:.1f}× ({med['mogwai', k][0] / med['seqgen', k][0]:.1f}×)" for k in (0, 1)]
        print(f"| {family} | " + " | ".join(cells) + f" | {lw:.1f} / {lc:.1f} | " + " | ".join(ratios) + f" | {ours} | {theirs} |", flush=True)
    print("(ratios of the medians, of the minima in brackets; P@L: top L pairs, |i − j| ≥ 6; mogwai's side is seeded, torch.manual_seed(0): its batches and P@L repeat at a thread count)")


if __name__ == "__main__":
    main()
