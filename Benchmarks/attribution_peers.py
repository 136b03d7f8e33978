"""`seqgen cnn attribute` beside the attribution libraries PyTorch users run, on the same network —
the seqgen model's weights loaded into PyTorch as `design_tangermeme.py` does — and the same
sequences (`seqgen cnn attribute` writes them into its .npz), the task-0 logit explained:
- `--method saliency | ig`: Captum (`pip install captum`, 0.9: 0.8 pins NumPy below 2) — `Saliency`
  (signed), `IntegratedGradients` with an all-zero baseline (seqgen's `--baseline zeros`) and
  `riemann_middle`, the midpoint rule seqgen uses, at the same steps;
- `--method gradientshap`: Captum's `GradientShap` (`stdevs` 0, its default) with an all-zero
  baseline on both sides (seqgen's `--baseline zeros`) and `--samples K` draws of the point on the
  path per sequence; the draws differ between the generators, so its maps are compared as DeepSHAP's
  are, beside seqgen's own maps on other draws;
- `--method deeplift | deepshap`: tangermeme's `deep_lift_shap` (`pip install tangermeme`), the
  exponential activation registered as a nonlinearity (`additional_nonlinear_ops`). DeepLIFT
  against one all-zero reference on both sides, so the rules alone differ; DeepSHAP with
  `--samples K` dinucleotide shuffles per sequence on both sides (tangermeme's `n_shuffles`).
Prints how far apart the maps are — the largest difference against the largest |value| and Pearson
r; for DeepLIFT each side's summation-to-delta error; for DeepSHAP, whose shuffles come from
different generators, the r of the per-position totals (tangermeme puts a position's total on its
observed base, seqgen spreads it as (x − x′) ⊙ m) beside seqgen's r with itself on other shuffles —
then wall and CPU seconds of each side's whole process, alternated, min / median, the peer's loop
alone (after importing torch and building the model), and the ratios. Kept out of the Swift
package; needs torch and the peer library.

  python3 Benchmarks/attribution_peers.py SEQGEN MODEL.npz DATA.npz [--method ig|saliency|gradientshap|deeplift|deepshap] [--count 500] [--steps 50] [--samples 20] [--repeats 3] [--threads 2]
Internal: `--peer-run …` is the PyTorch side's own process."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import alternated, report, skip_without  # noqa: E402
from design_tangermeme import torch_model  # noqa: E402

PEER = {"saliency": "captum", "ig": "captum", "gradientshap": "captum", "deeplift": "tangermeme", "deepshap": "tangermeme"}


def peer_maps(model, x, args):
    """The peer's maps of x (N, 4, L)."""
    import torch
    if PEER[args.method] == "captum":
        from captum.attr import GradientShap, IntegratedGradients, Saliency
        maps = []
        for start in range(0, x.shape[0], 256):       # seqgen's batch of 256 sequences
            batch = x[start:start + 256].clone().requires_grad_(True)
            if args.method == "saliency":
                a = Saliency(model).attribute(batch, target=0, abs=False)
            elif args.method == "gradientshap":
                a = GradientShap(model).attribute(batch, baselines=torch.zeros_like(batch[:1]), target=0, n_samples=args.samples)
            else:
                a = IntegratedGradients(model).attribute(batch, baselines=torch.zeros_like(batch), target=0, n_steps=args.steps,
                                                         method="riemann_middle", internal_batch_size=256)
            maps.append(a.detach())
        return torch.cat(maps)
    from tangermeme.deep_lift_shap import deep_lift_shap, _nonlinear
    exp = [type(m) for m in model.modules() if type(m).__name__ == "Exp"]
    kwargs = dict(target=0, batch_size=256, additional_nonlinear_ops={t: _nonlinear for t in exp}, warning_threshold=1e9, random_state=0)
    if args.method == "deeplift":
        return deep_lift_shap(model, x, references=torch.zeros(x.shape[0], 1, *x.shape[1:]), **kwargs)
    return deep_lift_shap(model, x, n_shuffles=args.samples, **kwargs)


def peer_run(args):
    import time
    import numpy as np
    import torch
    model, _ = torch_model(args.model)
    torch.set_num_threads(args.threads)
    for p in model.parameters():
        p.requires_grad_(False)                       # as seqgen: ∂/∂input alone
    x = torch.from_numpy(np.load(args.sequences)["x"]).float()
    t0, c0 = time.perf_counter(), time.process_time()
    maps = peer_maps(model, x, args)
    elapsed = (time.perf_counter() - t0, time.process_time() - c0)
    np.save(args.out, maps.detach().numpy())
    open(args.out + ".time", "w").write(f"{elapsed[0]} {elapsed[1]}\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("seqgen", nargs="?"); p.add_argument("model"); p.add_argument("data", nargs="?")
    p.add_argument("--method", choices=list(PEER), default="ig")
    p.add_argument("--count", type=int, default=500); p.add_argument("--steps", type=int, default=50)
    p.add_argument("--samples", type=int, default=20)
    p.add_argument("--repeats", type=int, default=3); p.add_argument("--threads", type=int, default=2)
    p.add_argument("--peer-run", action="store_true"); p.add_argument("--sequences"); p.add_argument("--out")
    args = p.parse_args()
    skip_without("torch", "numpy", PEER[args.method], install=f'pip install "torch==2.13.0+cpu" numpy {PEER[args.method]}')
    if args.peer_run:
        return peer_run(args)
    import numpy as np
    import torch
    tmp, peer = tempfile.mkdtemp(), PEER[args.method]
    base = [args.seqgen, "cnn", "attribute", args.model, args.data, "--method", args.method, "--count", str(args.count),
            "--threads", str(args.threads), "--force", "--quiet"]
    base += {"ig": ["--steps", str(args.steps), "--baseline", "zeros"], "deeplift": ["--baseline", "zeros"],
             "deepshap": ["--samples", str(args.samples)],
             "gradientshap": ["--samples", str(args.samples), "--baseline", "zeros"]}.get(args.method, [])
    seq = base + ["-o", f"{tmp}/seqgen.npz"]
    subprocess.run(seq, check=True)                   # the explained sequences, for the peer's side
    other = [sys.executable, os.path.abspath(__file__), args.model, "--peer-run", "--method", args.method, "--steps", str(args.steps),
             "--samples", str(args.samples), "--threads", str(args.threads), "--sequences", f"{tmp}/seqgen.npz", "--out", f"{tmp}/peer.npy"]
    times = alternated({"seqgen": seq, peer: other}, args.repeats)
    d = np.load(f"{tmp}/seqgen.npz")
    ours, theirs, x = d["attributions"], np.load(f"{tmp}/peer.npy"), d["x"]
    print(f"{args.method} beside {peer}, {ours.shape[0]} sequences of length {ours.shape[2]}, {args.threads} thread(s)")
    if args.method in ("deepshap", "gradientshap"):
        subprocess.run(base + ["-o", f"{tmp}/seed1.npz", "--seed", "1"], check=True)
        again = np.load(f"{tmp}/seed1.npz")["attributions"]
        totals = lambda m: m.sum(axis=1).ravel()
        r = lambda a, b: np.corrcoef(totals(a), totals(b))[0, 1]
        other = "shuffles" if args.method == "deepshap" else "draws"
        print(f"per-position totals, Pearson r: seqgen vs {peer} {r(ours, theirs):.4f}; seqgen vs seqgen on other {other} {r(ours, again):.4f}")
    else:
        diff = np.abs(ours - theirs).max() / max(np.abs(theirs).max(), 1e-30)
        print(f"maps: largest difference {diff:.2e} of the largest |value|, Pearson r {np.corrcoef(ours.ravel(), theirs.ravel())[0, 1]:.6f}")
    if args.method == "deeplift":
        model, _ = torch_model(args.model)
        with torch.no_grad():
            delta = (model(torch.from_numpy(x).float())[:, 0] - model(torch.zeros(*x.shape))[:, 0]).numpy()
        for name, m in [("seqgen", ours), (peer, theirs)]:
            print(f"{name}: largest |Σ map − Δf| {np.abs(m.sum(axis=(1, 2)) - delta).max():.2e} (largest |Δf| {np.abs(delta).max():.2f})")
    report(times, "seqgen", peer, f"{tmp}/peer.npy.time")


if __name__ == "__main__":
    main()
