"""Baseline + scenario over whole populations: local and on a 2-worker Dask LocalCluster.

For each size it generates (once, kept under var/bench) a synthetic population
with ``kvisa population generate``, then runs, each as its own process so that
peak memory is the run's own:

* ``kvisa screen`` of the population, all programmes, every criterion column
  written — the reference, "a single all-programme screen" — and the same
  with ``--verdicts-only``;
* ``kvisa scenario run`` with a two-parameter scenario, all programmes, locally;
* the same with ``--engine dask --workers 2``.

It prints profiles/s, wall time, the ratio to the single screen, and the peak
RSS of the command process plus, for Dask, its workers (the sum of their
high-water marks, read from /proc).  Targets on 2 cores: a 10M scenario run
within 1.5× of one screen; 50M under 2 GB peak RSS (streamed); the cluster
within 1.5× of local.

Usage: ``uv run python benchmarks/scenario.py [--sizes 1000000 10000000 50000000]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ON = "2026-11-27"
SCENARIO = "name: age 40 and ICT only\nparameters:\n  cn.k_visa.max_age: 40\n" \
           "  cn.k_visa.stem_isced_broad_fields: ['06']\n"
FOLDER = Path("var/bench")


def _tree_peak(process: psutil.Process, stop: threading.Event, peak: list[float]) -> None:
    """Sample the process tree's resident memory (MB) until ``stop``; keep the maximum."""
    while not stop.is_set():
        try:
            tree = [process, *process.children(recursive=True)]
            total = sum(p.memory_info().rss for p in tree if p.is_running())
            peak[0] = max(peak[0], total / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.2)


def timed(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB of the process tree) of ``kvisa ARGS``."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "kvisa.cli", *args],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stop, peak = threading.Event(), [0.0]
    watcher = threading.Thread(target=_tree_peak, args=(psutil.Process(child.pid), stop, peak))
    watcher.start()
    _out, err = child.communicate()
    stop.set()
    watcher.join()
    if child.returncode != 0:
        raise SystemExit(f"kvisa {' '.join(args)} failed: {err[-2000:]}")
    return time.perf_counter() - started, peak[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--skip-dask-above", type=int, default=10_000_000,
                        help="Run the cluster only up to this size (it doubles the time).")
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    scenario = FOLDER / "scenario.yaml"
    scenario.write_text(SCENARIO)
    print(f"{'rows':>12} {'run':<26} {'seconds':>9} {'profiles/s':>12} {'× screen':>9} "
          f"{'peak MB':>9}", flush=True)
    for size in args.sizes:
        source = FOLDER / f"pop-{size}.parquet"
        if not source.exists():
            timed(["population", "generate", str(size), "-o", str(source), "--seed", "7"])
        screen_s, screen_mb = timed(["screen", str(source), "-o",
                                     str(FOLDER / "screened.parquet"), "--on", ON])
        runs = [("screen, all programmes", screen_s, screen_mb)]
        seconds, mb = timed(["screen", str(source), "-o", str(FOLDER / "verdicts.parquet"),
                             "--on", ON, "--verdicts-only"])
        runs.append(("screen, verdicts only", seconds, mb))
        seconds, mb = timed(["scenario", "run", str(scenario), "--population", str(source),
                             "-o", str(FOLDER / "run-local"), "--on", ON])
        runs.append(("scenario, local", seconds, mb))
        if size <= args.skip_dask_above:
            seconds, mb = timed(["scenario", "run", str(scenario), "--population", str(source),
                                 "-o", str(FOLDER / "run-dask"), "--on", ON, "--engine", "dask",
                                 "--workers", "2"])
            runs.append(("scenario, dask 2 workers", seconds, mb))
        for label, seconds, mb in runs:
            print(f"{size:>12,} {label:<26} {seconds:>9.1f} {size / seconds:>12,.0f} "
                  f"{seconds / screen_s:>9.2f} {mb:>9,.0f}", flush=True)
    print(f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
