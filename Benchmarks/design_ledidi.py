"""`seqgen cnn design --method ledidi` beside Ledidi itself (Schreiber et al. 2020; `pip install
ledidi`, 2.x) on the same network: the seqgen model's weights loaded into PyTorch as
`design_tangermeme.py` does, the same random starts, the same objective — maximise the task-0
logit (Ledidi's `output_loss` set to −mean(y), its `target` 0) plus λ per edit (`--edit-penalty`, default
Ledidi's 0.1) — and Ledidi's
defaults on both sides (τ 1, 16 samples an iteration, at most 1,000 iterations, patience 100,
AdamW at lr 1). The Gumbel noise comes from different generators, so the designs differ; the
script prints, per start, the logit reached and the edits made by each side (the member of the
best batch with the lowest −logit + λ·edits, as seqgen chooses it), their means, and wall and CPU
seconds of each side's process, alternated, min / median, and the ratios. Kept out of the Swift
package; needs torch, tangermeme and ledidi.

  python3 Benchmarks/design_ledidi.py SEQGEN MODEL.npz [--count 5] [--repeats 3] [--threads 2] [--edit-penalty 0.1]
Internal: `--ledidi-run …` is the PyTorch side's own process."""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import alternated, report, skip_without  # noqa: E402
from design_tangermeme import random_starts, torch_model  # noqa: E402

def ledidi_run(args):
    import time
    import torch
    from ledidi import Ledidi
    from tangermeme.utils import one_hot_encode
    model, _ = torch_model(args.model)
    torch.set_num_threads(args.threads)
    seqs = [l.strip() for l in open(args.starts) if l.strip() and not l.startswith(">")]
    out, t0, c0 = [], time.perf_counter(), time.process_time()
    for k, s in enumerate(seqs):
        x = one_hot_encode(s).unsqueeze(0).float()
        torch.manual_seed(k + 1)               # ledidi 2.1.0 (PyPI) draws its noise from torch's global generator
        designer = Ledidi(model, shape=x.shape[-2:], target=0, output_loss=lambda y, y_bar: -y.mean(), l=args.edit_penalty, verbose=False)
        batch = designer.fit_transform(x, torch.zeros(1, 1))
        with torch.no_grad():
            z = model(batch)[:, 0]
        edits = (batch != x).any(dim=1).sum(dim=1)
        best = min(range(batch.shape[0]), key=lambda b: (-z[b].item() + args.edit_penalty * edits[b].item(), b))
        out.append(f"{z[best].item()} {edits[best].item()}")
    open(args.out, "w").write("\n".join(out) + "\n")
    open(args.out + ".time", "w").write(f"{time.perf_counter() - t0} {time.process_time() - c0}\n")


def main():
    skip_without("torch", "ledidi", "tangermeme", install='pip install "torch==2.13.0+cpu" ledidi tangermeme')
    p = argparse.ArgumentParser()
    p.add_argument("seqgen", nargs="?"); p.add_argument("model")
    p.add_argument("--count", type=int, default=5); p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2); p.add_argument("--edit-penalty", type=float, default=0.1)
    p.add_argument("--ledidi-run", action="store_true"); p.add_argument("--starts"); p.add_argument("--out")
    args = p.parse_args()
    if args.ledidi_run:
        return ledidi_run(args)
    tmp, length, starts = random_starts(args.model, args.count)
    seq = [args.seqgen, "cnn", "design", args.model, f"{tmp}/starts.fa", "--method", "ledidi", "--edit-penalty", str(args.edit_penalty), "--threads", str(args.threads),
           "-o", f"{tmp}/seqgen.fa", "--table", f"{tmp}/seqgen.csv", "--force", "--quiet"]
    led = [sys.executable, os.path.abspath(__file__), args.model, "--ledidi-run", "--starts", f"{tmp}/starts.fa",
           "--threads", str(args.threads), "--edit-penalty", str(args.edit_penalty), "--out", f"{tmp}/ledidi.txt"]
    times = alternated({"seqgen": seq, "ledidi": led}, args.repeats)
    # seqgen: each design's last table row (or its start row) holds its edits and the task-0 logit.
    ours = {}
    rows = [l.rstrip("\n").split(",") for l in open(f"{tmp}/seqgen.csv")]
    head = rows[0]
    for r in rows[1:]:
        ours[r[0]] = (float(r[head.index("loss")]) * -1, int(r[1]))
    theirs = [tuple(map(float, l.split())) for l in open(f"{tmp}/ledidi.txt") if l.strip()]
    print(f"{len(starts)} random starts of {length} bp, maximise the task-0 logit, λ = {args.edit_penalty} an edit, {args.threads} thread(s)")
    print(f"{'start':6s} {'seqgen logit':>13s} {'edits':>6s} {'ledidi logit':>13s} {'edits':>6s}")
    for k in range(len(starts)):
        a, b = ours[f"s{k}"], theirs[k]
        print(f"s{k:<5d} {a[0]:13.3f} {a[1]:6d} {b[0]:13.3f} {int(b[1]):6d}")
    print(f"{'mean':6s} {statistics.mean(v[0] for v in ours.values()):13.3f} {statistics.mean(v[1] for v in ours.values()):6.1f} "
          f"{statistics.mean(v[0] for v in theirs):13.3f} {statistics.mean(v[1] for v in theirs):6.1f}")
    report(times, "seqgen", "ledidi", f"{tmp}/ledidi.txt.time")


if __name__ == "__main__":
    main()
