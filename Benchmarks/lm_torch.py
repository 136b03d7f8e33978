#!/usr/bin/env python3
"""`seqgen fit --model lm` beside the same transformer trained in PyTorch (the framework ESM is
written in), runs alternated: the cost of a training step.

    python3 Benchmarks/lm_torch.py SEQGEN ALIGNMENT.a2m [--steps 20,120] [--batch 32] [--repeats 3] [--threads 2]

The alignment's (FASTA/A2M) sequences with their gaps removed (a FASTA written once) are what both sides train
on. Each side trains from a fresh process for each of the two step counts; the marginal cost of a
step is (time at the larger count − time at the smaller) / (their difference), so start-up, reading,
weights and writing the model cancel. The PyTorch side (written here from the definitions seqgen's
`ProteinLanguageModel` documents, `torch.set_num_threads(THREADS)`) is seqgen's default network:
25 tokens, D = 64, 2 pre-LayerNorm blocks of 4 heads (rotary positions on each head's queries and
keys, a key-padding mask) and a GELU MLP of 256, a final LayerNorm, the output tied to the token
embedding plus a bias; BERT masking of 15% of the residues (80% ⟨mask⟩, 10% a random residue, 10%
kept), cross-entropy of the masked residues, gradient clipping at global norm 1, AdamW (β 0.9, 0.98,
ε 10⁻⁸, weight decay 0.01) with linear warm-up over 5% of the steps and cosine decay to a tenth;
batches of 32 sequences from one of 8 length-quantile buckets (seqgen draws them by its k-mer
weights, this side uniformly: the same padded lengths), no held-out set on either side
(`--validation-fraction 0`). Prints min / median wall and CPU seconds of both step counts per tool,
the marginal step cost and the ratios PyTorch / seqgen.
"""
import argparse
import os
import sys
import tempfile
from timing import alternated_step_counts, report_steps, skip_without

TORCH_SIDE = r'''
import sys, time, math
import numpy as np, torch
fasta, steps, batch, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads); torch.manual_seed(1); rng = np.random.default_rng(1)
seqs, cur = [], None
for line in open(fasta):
    line = line.strip()
    if line.startswith(">"): cur = []; seqs.append(cur)
    elif line: cur.append(line)
aa = "ACDEFGHIKLMNPQRSTVWY"; code = {a: i for i, a in enumerate(aa)}
UNK, MASK, PAD, BOS, EOS, V = 20, 21, 22, 23, 24, 25
seqs = [[code.get(c, UNK) for c in "".join(s).upper()] for s in seqs]
order = sorted(range(len(seqs)), key=lambda i: (len(seqs[i]), i))
buckets = [order[b * len(order) // 8:(b + 1) * len(order) // 8] for b in range(8)]
buckets = [b for b in buckets if b]
D, H, F, L = 64, 4, 256, 2
d = D // H
class Block(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.n1, s.qkv, s.o = torch.nn.LayerNorm(D), torch.nn.Linear(D, 3 * D), torch.nn.Linear(D, D)
        s.n2, s.f1, s.f2 = torch.nn.LayerNorm(D), torch.nn.Linear(D, F), torch.nn.Linear(F, D)
    def forward(s, h, bias, cos, sin):
        B, T, _ = h.shape
        q, k, v = s.qkv(s.n1(h)).view(B, T, 3, H, d).permute(2, 0, 3, 1, 4)
        def rot(x):                                            # pairs (2i, 2i+1) rotated by t·θ_i
            x1, x2 = x[..., 0::2], x[..., 1::2]
            return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), -1).flatten(-2)
        a = torch.softmax(rot(q) @ rot(k).transpose(-1, -2) / math.sqrt(d) + bias, -1)
        h = h + s.o((a @ v).transpose(1, 2).reshape(B, T, D))
        return h + s.f2(torch.nn.functional.gelu(s.f1(s.n2(h))))
class LM(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.emb = torch.nn.Parameter(torch.randn(V, D) * 0.02)
        s.blocks = torch.nn.ModuleList(Block() for _ in range(L))
        s.norm, s.bias = torch.nn.LayerNorm(D), torch.nn.Parameter(torch.zeros(V))
    def forward(s, tokens, lengths):
        B, T = tokens.shape
        t = torch.arange(T, dtype=torch.float32)[:, None] * (10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float32) / d))[None]
        cos, sin = torch.cos(t), torch.sin(t)
        bias = torch.where(torch.arange(T)[None, :] < lengths[:, None], 0.0, float("-inf"))[:, None, None, :]
        h = s.emb[tokens]
        for b in s.blocks: h = b(h, bias, cos, sin)
        return s.norm(h) @ s.emb.T + s.bias
model = LM()
decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
rest = [p for n, p in model.named_parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                        lr=3e-3, betas=(0.9, 0.98), eps=1e-8)
warm = max(1, int(0.05 * steps))
def lr(step):
    if step < warm: return (step + 1) / warm
    p = (step - warm) / max(1, steps - warm)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p))
sched = torch.optim.lr_scheduler.LambdaLR(opt, lr)
t0, c0 = time.perf_counter(), time.process_time()
for step in range(steps):
    bucket = buckets[rng.integers(len(buckets))]
    rows = [seqs[i] for i in rng.choice(bucket, batch)]
    T = max(map(len, rows)) + 2
    tokens = torch.full((batch, T), PAD); lengths = torch.tensor([len(r) + 2 for r in rows])
    for i, r in enumerate(rows): tokens[i, :len(r) + 2] = torch.tensor([BOS] + r + [EOS])
    target = tokens.clone()
    residue = (tokens < 20)
    chosen = residue & (torch.rand(batch, T) < 0.15)
    u = torch.rand(batch, T)
    inputs = tokens.clone()
    inputs[chosen & (u < 0.8)] = MASK
    swap = chosen & (u >= 0.8) & (u < 0.9)
    inputs[swap] = torch.randint(0, 20, (int(swap.sum()),))
    logits = model(inputs, lengths)
    loss = torch.nn.functional.cross_entropy(logits[chosen], target[chosen])
    opt.zero_grad(); loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step(); sched.step()
assert math.isfinite(loss.item())
print(time.perf_counter() - t0, time.process_time() - c0, loss.item())
'''


def main():
    skip_without("torch", "numpy", install='pip install "torch==2.13.0+cpu" numpy')
    ap = argparse.ArgumentParser()
    ap.add_argument("seqgen"); ap.add_argument("alignment")
    ap.add_argument("--steps", default="20,120", help="two step counts, comma-separated")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    short, long = map(int, args.steps.split(","))
    folder = tempfile.mkdtemp()
    fasta, out, script = (os.path.join(folder, n) for n in ("sequences.fa", "lm.npz", "lm_torch_side.py"))
    with open(args.alignment) as f, open(fasta, "w") as g:
        for line in f:
            g.write(line if line.startswith(">") else line.strip().replace("-", "").replace(".", "") + "\n")
    open(script, "w").write(TORCH_SIDE)
    times = alternated_step_counts(short, long, lambda s: [args.seqgen, "fit", fasta, "--model", "lm", "--lm-steps", str(s), "--batch-size", str(args.batch),
                               "--validation-fraction", "0", "--threads", str(args.threads), "--seed", "1", "-o", out, "--force", "--quiet"],
                                   lambda s: [sys.executable, script, fasta, str(s), str(args.batch), str(args.threads)], args.repeats, args.threads)
    print(f"language model (seqgen's default), batch {args.batch}, {args.threads} threads, {args.repeats} alternated runs; seconds min / median")
    report_steps(times, short, long)


if __name__ == "__main__":
    main()
