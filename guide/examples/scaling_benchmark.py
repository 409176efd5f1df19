"""Thread pool versus process pool on one CPU-bound workload.

Runs a fixed amount of pure-Python work (strong scaling) serially, then
split across 1, 2, 4, ... workers in a ThreadPoolExecutor and in a
ProcessPoolExecutor, and prints wall time and speed-up for each.
Standard library only; works on GIL-enabled and free-threaded builds.

    python3 scaling_benchmark.py                 # defaults: about 10 s on 2 cores
    python3 scaling_benchmark.py --workers 1,2,4,8 --work 30000000
    python3 scaling_benchmark.py --shared        # threads update one dict
"""

import argparse
import os
import platform
import sys
import sysconfig
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

SHARED_COUNTS = {}


def burn(n, shared=False):
    """CPU-bound pure Python: no I/O, no C extension, no sleeping."""
    total = 0
    local_counts = {}
    counts = SHARED_COUNTS if shared else local_counts
    for i in range(n):
        total += (i * i) % 7
        if i % 64 == 0:
            # Dictionary updates: private per task, or one dict shared by all.
            counts[i % 8] = counts.get(i % 8, 0) + 1
    return total


def split(total, parts):
    """Split `total` units of work into `parts` nearly equal chunks."""
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def run_serial(work, shared):
    start = time.perf_counter()
    burn(work, shared)
    return time.perf_counter() - start


def run_pool(executor_class, workers, work, shared, tasks_per_worker=4):
    chunks = split(work, workers * tasks_per_worker)
    start = time.perf_counter()
    # Pool start-up is inside the timed region on purpose: it is part of
    # what a process pool costs you.
    with executor_class(max_workers=workers) as pool:
        list(pool.map(burn, chunks, [shared] * len(chunks)))
    return time.perf_counter() - start


def best_of(repeat, fn, *args):
    return min(fn(*args) for _ in range(repeat))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=int, default=15_000_000,
                        help="loop iterations in total (default 15000000)")
    parser.add_argument("--workers", default="1,2,4",
                        help="comma-separated worker counts (default 1,2,4)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per cell; the best is shown (default 1)")
    parser.add_argument("--shared", action="store_true",
                        help="threads update one shared dict (processes cannot share it)")
    args = parser.parse_args()
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]

    gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)()
    free_threaded_build = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    cpus = os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()
    print(f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.machine()}")
    print(f"free-threaded build: {free_threaded_build}   GIL enabled: {gil_enabled}   CPUs: {cpus}")
    print(f"work: {args.work:,} iterations, shared dict: {args.shared}, best of {args.repeat}")

    burn(10_000)  # warm up the interpreter's specialisation
    serial = best_of(args.repeat, run_serial, args.work, args.shared)
    print(f"serial (no pool): {serial:.2f} s")
    print()
    print(f"{'workers':>7} | {'threads s':>9} {'speed-up':>8} | {'processes s':>11} {'speed-up':>8}")
    print(f"{'-' * 7}-+-{'-' * 9}-{'-' * 8}-+-{'-' * 11}-{'-' * 8}")
    for workers in worker_counts:
        t = best_of(args.repeat, run_pool, ThreadPoolExecutor, workers, args.work, args.shared)
        p = best_of(args.repeat, run_pool, ProcessPoolExecutor, workers, args.work, args.shared)
        print(f"{workers:>7} | {t:>9.2f} {serial / t:>7.2f}x | {p:>11.2f} {serial / p:>7.2f}x")
    print()
    print("speed-up = serial time / pool time; 1.00x means no gain.")


if __name__ == "__main__":
    main()
