"""numpy's sgemm at the sizes `seqgen bench core` uses: best wall time of repeats, GFLOP/s.

Usage: python3 Benchmarks/sgemm_numpy.py 256,512,1024,2048
Prints one JSON line per size; Benchmarks/core.sh puts them beside seqgen's figures.
"""
import json, sys, time
import numpy as np

sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "256,512,1024,2048").split(",")]
rng = np.random.default_rng(1)
for n in sizes:
    a = rng.random((n, n), dtype=np.float32)
    b = rng.random((n, n), dtype=np.float32)
    a @ b
    best, start = float("inf"), time.perf_counter()
    while time.perf_counter() - start < 0.5:
        t0 = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t0)
    print(json.dumps({"op": "sgemm", "shape": f"n={n}", "rate": 2 * n**3 / best / 1e9, "unit": "GFLOP/s"}))
