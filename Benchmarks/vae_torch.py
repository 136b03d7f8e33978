#!/usr/bin/env python3
"""`seqgen fit --model vae` beside the same VAE trained in PyTorch (the framework EVE and
DeepSequence's ports train in), runs alternated: the cost of a training step, and of a whole fit.

    python3 Benchmarks/vae_torch.py SEQGEN ALIGNMENT.a2m [--preset standard|eve] [--steps 40,240]
                                    [--batch 128] [--repeats 3] [--threads 2]

Each side trains from a fresh process for each of the two step counts; the marginal cost of a step
is (time at the larger count − time at the smaller) / (their difference), so reading the alignment,
the sequence weights, start-up and writing the model cancel. The PyTorch side (written here from
the papers' definitions, `torch.set_num_threads(THREADS)`) is the network seqgen trains, layer for
layer (seqgen's `VAEArchitecture` presets):

- encoder: Linear(L·q → widths…) with ReLU, then Linear heads for μ and log σ² of the latent;
- decoder: mean-field Gaussian weights (μ, log σ) drawn once per step, hidden layers ReLU with the
  last one sigmoid, output weights (H, L·q) — with `standard`, W̃ (H, L·40) times a 40 × q
  dictionary, scaled per column by the sigmoid of group-sparsity gates (H/4, L) tiled 4 times —,
  output bias, learned temperature softplus(τ), per-column log-softmax;
- loss: −mean(log p(x|z) − KL(q(z|x) ‖ N(0, I))) + KL(q(θ) ‖ p(θ)) / Neff, Adam at 10⁻³, batches
  drawn in proportion to the 80%-identity weights (θ = 0.2), no held-out set on either side
  (`--validation-fraction 0`).

Columns are the focus's uppercase columns (A2M), 20 amino acids, gaps as missing data (no state),
as seqgen reads an A2M by default. Prints min / median wall and CPU seconds of both step counts per
tool, the marginal step cost and the ratios PyTorch / seqgen.
"""
import argparse
import os
import sys
import tempfile
from model_columns import model_columns
from timing import alternated_step_counts, report_steps, skip_without

TORCH_SIDE = r'''
import sys, time, math
import numpy as np, torch
aln, preset, steps, batch, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads); torch.manual_seed(1); np.random.seed(1)
rows = [line.strip() for line in open(aln)]            # the model columns, one sequence per line (model_columns.py)
aa = "ACDEFGHIKLMNPQRSTVWY"; code = {a: i for i, a in enumerate(aa)}
L, q = len(rows[0]), 20
x = np.zeros((len(rows), L, q), np.float32)
for n, r in enumerate(rows):
    for i, c in enumerate(r):
        k = code.get(c)
        if k is not None: x[n, i, k] = 1
flat = x.reshape(len(rows), L * q)
gapped = np.concatenate([x, 1 - x.sum(2, keepdims=True)], 2).reshape(len(rows), L * (q + 1))
same = gapped @ gapped.T                                 # identical columns, a gap matching a gap
weights = 1.0 / (same >= 0.8 * L).sum(1)                 # 1 / neighbours at ≥ 80% identity (plmc's rule)
neff = float(weights.sum())
X = torch.from_numpy(flat); p = torch.from_numpy(weights / weights.sum())
wide = {"standard": ([512, 256], 30, [100, 500], 40, 4), "eve": ([2000, 1000, 300], 50, [300, 1000, 2000], 0, 0)}
enc, Z, dec, C, tiles = wide[preset]
def lin(i, o):
    l = torch.nn.Linear(i, o); return l
encoder = torch.nn.ModuleList(); w = L * q
for h in enc: encoder.append(lin(w, h)); w = h
mu_head, lv_head = lin(w, Z), lin(w, Z)
params = list(encoder.parameters()) + list(mu_head.parameters()) + list(lv_head.parameters())
def gauss(shape, init, prior=(0.0, 1.0)):
    m = torch.nn.Parameter(init); s = torch.nn.Parameter(torch.full(shape, -5.0))
    params.extend([m, s]); return (m, s, prior)
layers, w = [], Z
for h in dec:
    b = 1 / math.sqrt(w)
    layers.append((gauss((h, w), torch.empty(h, w).uniform_(-b, b)), gauss((h,), torch.full((h,), 0.1)))); w = h
b = 1 / math.sqrt(w)
out_w = gauss((w, L * (C or q)), torch.empty(w, L * (C or q)).uniform_(-b, b))
dictionary = gauss((C, q), torch.empty(C, q).uniform_(-1 / math.sqrt(C), 1 / math.sqrt(C))) if C else None
gates = gauss((w // tiles, L), torch.zeros(w // tiles, L), (-9.305391, 4.0)) if tiles else None
out_b = gauss((L * q,), torch.full((L * q,), 0.1))
tau = torch.nn.Parameter(torch.tensor([0.5413249])); params.append(tau)
def draw(g): m, s, _ = g; return m + s.exp() * torch.randn_like(m)
def kl(g):
    m, s, (pm, ps) = g
    return (math.log(ps) - s + (torch.exp(2 * s) + (m - pm) ** 2) / (2 * ps * ps) - 0.5).sum()
gaussians = [g for pair in layers for g in pair] + [out_w, out_b] + [g for g in (dictionary, gates) if g is not None]
opt = torch.optim.Adam(params, lr=1e-3)
t0, c0 = time.perf_counter(), time.process_time()
for step in range(steps):
    xb = X[torch.multinomial(p, batch, replacement=True)]
    h = xb
    for l in encoder: h = torch.relu(l(h))
    mu, lv = mu_head(h), lv_head(h)
    z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
    h = z
    for k, (wg, bg) in enumerate(layers):
        h = h @ draw(wg).T + draw(bg)
        h = torch.sigmoid(h) if k == len(layers) - 1 else torch.relu(h)
    W = draw(out_w)
    if C: W = (W.reshape(w * L, C) @ draw(dictionary)).reshape(w, L * q)
    if tiles:
        g = torch.sigmoid(draw(gates)).repeat(tiles, 1)                      # row h is gate h mod H/t
        W = (W.reshape(w, L, q) * g.reshape(w, L, 1)).reshape(w, L * q)
    logits = (h @ W + draw(out_b)) * torch.nn.functional.softplus(tau)
    logp = torch.log_softmax(logits.reshape(-1, L, q), dim=2).reshape(-1, L * q)
    recon = (logp * xb).sum(1)
    latent_kl = -0.5 * (1 + lv - mu ** 2 - lv.exp()).sum(1)
    loss = -(recon - latent_kl).mean() + sum(kl(g) for g in gaussians) / neff
    opt.zero_grad(); loss.backward(); opt.step()
assert math.isfinite(loss.item())
print(time.perf_counter() - t0, time.process_time() - c0, loss.item())
'''


def main():
    skip_without("torch", "numpy", install='pip install "torch==2.13.0+cpu" numpy')
    ap = argparse.ArgumentParser()
    ap.add_argument("seqgen"); ap.add_argument("alignment")
    ap.add_argument("--preset", default="standard", choices=["standard", "eve"])
    ap.add_argument("--steps", default="40,240", help="two step counts, comma-separated")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    short, long = map(int, args.steps.split(","))
    folder = tempfile.mkdtemp()
    columns, out, script = (os.path.join(folder, n) for n in ("columns.psicov", "vae.npz", "vae_torch_side.py"))
    with open(columns, "w") as f:                       # PyTorch's side reads the model columns
        f.writelines(r + "\n" for r in model_columns(args.alignment))
    open(script, "w").write(TORCH_SIDE)
    times = alternated_step_counts(short, long, lambda s: [args.seqgen, "fit", args.alignment, "--model", "vae", "--vae-preset", args.preset,
                               "--vae-steps", str(s), "--batch-size", str(args.batch), "--validation-fraction", "0",
                               "--threads", str(args.threads), "--seed", "1", "-o", out, "--force", "--quiet"],
                                   lambda s: [sys.executable, script, columns, args.preset, str(s), str(args.batch), str(args.threads)], args.repeats, args.threads)
    print(f"VAE preset {args.preset}, batch {args.batch}, {args.threads} threads, {args.repeats} alternated runs; seconds min / median")
    report_steps(times, short, long)


if __name__ == "__main__":
    main()
