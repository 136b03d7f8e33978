"""Timed runs of commands, for the benchmark scripts beside it (imported by them)."""
import os
import subprocess
import sys
import time


def skip_without(*modules, install):
    """Exits with status 0 and a "skipping" line when a peer's Python package is absent, as the shell
    benchmarks skip without their peer's binary: `install` says how to get it."""
    import importlib.util
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        print(f"skipping: {', '.join(missing)} not installed ({install})")
        sys.exit(0)


def timed(cmd, env=None):
    """Runs cmd; returns (wall s, CPU s, peak RSS MB): CPU is user + system of the process and the
    children it waited for, peak RSS that of the largest process of its tree. Exits on failure."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed ({os.waitstatus_to_exitcode(status)}):\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def alternated(runs, repeats, env=None):
    """Times each command of `runs` (name → command) `repeats` times, the runs alternated and their
    order reversed every other round, so drifting load falls on every tool alike; returns name →
    [(wall s, CPU s, peak RSS MB), …]."""
    times = {name: [] for name in runs}
    for r in range(repeats):
        for name in (list(runs) if r % 2 == 0 else list(runs)[::-1]):
            times[name].append(timed(runs[name], env))
    return times


def report(times, ours, peer, loop_times=None):
    """Prints each tool's wall and CPU seconds (min / median), the peer's own loop time when its
    process wrote one to `loop_times` ("wall CPU"), and the ratios peer / ours."""
    import statistics
    for name, t in times.items():
        w, c = [x[0] for x in t], [x[1] for x in t]
        print(f"{name:10s} wall min {min(w):.2f} med {statistics.median(w):.2f} s   CPU min {min(c):.2f} med {statistics.median(c):.2f} s")
    if loop_times:
        w, c = map(float, open(loop_times).read().split())
        print(f"{peer}'s loop alone (its last run, after importing torch and building the model): wall {w:.2f} s, CPU {c:.2f} s")
    for k, label in [(0, "wall"), (1, "CPU")]:
        a, b = [x[k] for x in times[ours]], [x[k] for x in times[peer]]
        print(f"ratio {peer} / {ours}, {label}: min {min(b) / min(a):.1f}×, median {statistics.median(b) / statistics.median(a):.1f}×")


def alternated_step_counts(short, long, seqgen, pytorch, repeats, threads):
    """Times `seqgen(steps)` and `pytorch(steps)` (each a command) at both step counts, alternated
    (`alternated`), PyTorch's OpenMP pool at `threads`; returns the times keyed "seqgen N", "pytorch N"."""
    runs = {}
    for s in (short, long):
        runs[f"seqgen {s}"] = seqgen(s)
        runs[f"pytorch {s}"] = pytorch(s)
    return alternated(runs, repeats, env=dict(os.environ, OMP_NUM_THREADS=str(threads)))


def report_steps(times, short, long):
    """Prints each run's wall and CPU seconds (min / median) and peak RSS, then each tool's marginal
    cost of a step — (time at `long` steps − time at `short`) / (long − short), of the minima and of
    the medians — and the ratios PyTorch / seqgen. `times` holds "seqgen N" and "pytorch N" runs."""
    import statistics
    print("| run | wall s | CPU s | peak RSS MB (median) |")
    print("|---|---|---|---|")
    for name, t in times.items():
        w, c, m = [x[0] for x in t], [x[1] for x in t], [x[2] for x in t]
        print(f"| {name} steps | {min(w):.2f} / {statistics.median(w):.2f} | {min(c):.2f} / {statistics.median(c):.2f} | {statistics.median(m):.0f} |")
    print()
    per = {}
    for tool in ("seqgen", "pytorch"):
        for k, label in ((0, "wall"), (1, "CPU")):
            a, b = [x[k] for x in times[f"{tool} {short}"]], [x[k] for x in times[f"{tool} {long}"]]
            per[tool, label] = ((min(b) - min(a)) / (long - short), (statistics.median(b) - statistics.median(a)) / (long - short))
            print(f"{tool:8s} {label:4s} s per step (min / median): {1000 * per[tool, label][0]:.1f} / {1000 * per[tool, label][1]:.1f} ms")
    for label in ("wall", "CPU"):
        r = [per["pytorch", label][i] / per["seqgen", label][i] for i in range(2)]
        print(f"PyTorch / seqgen per step, {label}: {r[0]:.2f}× (min) / {r[1]:.2f}× (median)")
