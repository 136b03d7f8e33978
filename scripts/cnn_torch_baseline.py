"""PyTorch CPU baseline for `bash Benchmarks/cnn.sh`: the same CNN as seqgen's, built from the layer
list `seqgen bench cnn` prints (its "architecture:" line), so both sides run one network. Prints
milliseconds per training step (forward, backward, Adam; batch 100, L 200, 12 outputs, BCE),
wall and CPU (all threads),
forward sequences/s (batch 500, eval mode, no grad) and in-silico mutagenesis mutants/s (all 3L
single mutants of 4 sequences, batch 500), on random one-hot DNA, and the parameter count (which
must equal seqgen's). Kept out of the Swift package; needs `pip install "torch==2.13.0+cpu"`.
Usage: python3 cnn_torch_baseline.py "LAYER LIST" THREADS"""
import sys, time
import torch
import torch.nn as nn

spec, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)
L, T, B, FB = 200, 12, 100, 500


class Exp(nn.Module):
    def forward(self, x): return torch.exp(x)


ACTS = {"relu": nn.ReLU, "exp": Exp, "exponential": Exp, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
        "softplus": nn.Softplus, "elu": nn.ELU, "linear": nn.Identity}


def build(spec):
    """seqgen's CNNArchitecture tokens → nn.Sequential (same layer order, shapes and parameters)."""
    tokens = spec.split()
    assert tokens[0] != "rc", "reverse-complement sharing is not mirrored here"
    layers, channels, positions, flat = [], 4, L, None
    for t in tokens:
        if t.startswith("conv"):
            dims, *flags = t[4:].split("/")
            f, k = map(int, dims.split("x"))
            pad = 0 if "valid" in flags else (k - 1) // 2
            layers.append(nn.Conv1d(channels, f, k, padding=pad, bias="nobias" not in flags))
            channels, positions = f, positions + 2 * pad - k + 1
        elif t == "bn": layers.append(nn.BatchNorm1d(flat or channels))
        elif t in ACTS: layers.append(ACTS[t]())
        elif t.startswith("pool"): p = int(t[4:]); layers.append(nn.MaxPool1d(p)); positions //= p
        elif t == "gmax": layers.append(nn.MaxPool1d(positions)); positions = 1
        elif t == "gmean": layers.append(nn.AdaptiveAvgPool1d(1)); positions = 1
        elif t.startswith("dropout"): layers.append(nn.Dropout(float(t[7:])))
        elif t == "flatten" or t.startswith("dense"):
            if flat is None: layers.append(nn.Flatten()); flat = channels * positions
            if t.startswith("dense"): u = int(t[5:]); layers.append(nn.Linear(flat, u)); flat = u
        else: raise SystemExit(f"layer '{t}' is not mirrored in the PyTorch baseline")
    if flat is None: layers.append(nn.Flatten()); flat = channels * positions
    layers.append(nn.Linear(flat, T))
    return nn.Sequential(*layers)


model = build(spec)
params = sum(p.numel() for p in model.parameters())


def one_hot(n):
    x = torch.zeros(n, 4, L)
    x.scatter_(1, torch.randint(0, 4, (n, 1, L)), 1.0)
    return x

x, y = one_hot(B), (torch.rand(B, T) < 0.3).float()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.BCEWithLogitsLoss()
def step():
    opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); opt.step()
model.train()
for _ in range(3): step()
t, c = time.perf_counter(), time.process_time(); n = 20
for _ in range(n): step()
ms, cms = (time.perf_counter() - t) / n * 1000, (time.process_time() - c) / n * 1000
model.eval(); big = one_hot(FB)
with torch.no_grad():
    model(big); t, c = time.perf_counter(), time.process_time(); k = 0
    while time.perf_counter() - t < 2 or k < 2: model(big); k += 1
    rate, crate = k * FB / (time.perf_counter() - t), k * FB / (time.process_time() - c)

def mutagenesis(seqs):
    """All 3L single mutants of each sequence, scored in batches of FB (what seqgen's ISM does)."""
    idx = seqs.argmax(1)                                   # (n, L) observed bases
    out = torch.zeros_like(seqs)
    with torch.no_grad():
        ref = model(seqs)[:, 0]
        for s in range(seqs.shape[0]):
            pos = [(i, b) for i in range(L) for b in range(4) if b != idx[s, i]]
            for start in range(0, len(pos), FB):
                chunk = pos[start:start + FB]
                batch = seqs[s].repeat(len(chunk), 1, 1)
                ii = torch.tensor([p[0] for p in chunk]); bb = torch.tensor([p[1] for p in chunk])
                batch[torch.arange(len(chunk)), :, ii] = 0
                batch[torch.arange(len(chunk)), bb, ii] = 1
                out[s, bb, ii] = model(batch)[:, 0] - ref[s]
    return out
seqs = one_hot(4); mutagenesis(seqs)
t, c = time.perf_counter(), time.process_time(); k = 0
while time.perf_counter() - t < 2 or k == 0: mutagenesis(seqs); k += 3 * L * 4
ism, cism = k / (time.perf_counter() - t), k / (time.process_time() - c)
print(f"torch {torch.__version__} threads={threads} parameters={params}: training step {ms:.1f} ms (CPU {cms:.1f} ms), "
      f"forward {rate:.0f} sequences/s (CPU {crate:.0f}), ISM {ism:.0f} mutants/s (CPU {cism:.0f})")
