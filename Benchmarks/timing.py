"""Timed runs of commands, for the benchmark scripts beside it (imported by them)."""
import os
import subprocess
import sys
import time


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
