"""PyTorch CPU baseline for `bash Benchmarks/cnn.sh`: the same CNN-deep (or CNN-local) as seqgen's
named architecture, milliseconds per training step (forward, backward, Adam; batch 100, L 200,
12 outputs) forward sequences/s (batch 500) and in-silico mutagenesis mutants/s (all 3L single mutants of 4
sequences, batch 500), on random one-hot DNA. Kept out of the Swift
package; needs `pip install "torch==2.13.0+cpu"`.  Usage: python3 cnn_torch_baseline.py ARCH THREADS"""
import sys, time
import torch
import torch.nn as nn

arch, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)
L, T, B, FB = 200, 12, 100, 500

def block(cin, cout, k, act=None, pool=None, drop=0.0):
    layers = [nn.Conv1d(cin, cout, k, padding=(k - 1) // 2), nn.BatchNorm1d(cout), act or nn.ReLU()]
    if pool: layers.append(nn.MaxPool1d(pool))
    if drop: layers.append(nn.Dropout(drop))
    return layers

if arch == "cnn-deep-same":    # conv32x19 bn relu dropout0.1 conv48x7 bn relu pool4 dropout0.2 conv96x7 bn relu pool4 dropout0.3 conv128x7 bn relu pool3 dropout0.4 flatten dense512 bn relu dropout0.5
    feats = block(4, 32, 19, drop=0.1) + block(32, 48, 7, pool=4, drop=0.2) + block(48, 96, 7, pool=4, drop=0.3) + block(96, 128, 7, pool=3, drop=0.4)
    flat = 128 * (((L // 4) // 4) // 3)
else:                     # cnn-4-25: conv32x19 bn relu pool4 dropout0.1 conv124x5 bn relu pool25 dropout0.1 flatten dense512 bn relu dropout0.5
    feats = block(4, 32, 19, pool=4, drop=0.1) + block(32, 124, 5, pool=25, drop=0.1)
    flat = 124 * ((L // 4) // 25)
model = nn.Sequential(*feats, nn.Flatten(), nn.Linear(flat, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, T))

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
t = time.perf_counter(); n = 20
for _ in range(n): step()
ms = (time.perf_counter() - t) / n * 1000
model.eval(); big = one_hot(FB)
with torch.no_grad():
    model(big); t = time.perf_counter(); k = 0
    while time.perf_counter() - t < 2 or k < 2: model(big); k += 1
    rate = k * FB / (time.perf_counter() - t)

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
t = time.perf_counter(); k = 0
while time.perf_counter() - t < 2 or k == 0: mutagenesis(seqs); k += 3 * L * 4
ism = k / (time.perf_counter() - t)
print(f"torch {torch.__version__} {arch} threads={threads}: training step {ms:.1f} ms, forward {rate:.0f} sequences/s, ISM {ism:.0f} mutants/s")
