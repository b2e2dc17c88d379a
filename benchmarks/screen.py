"""Throughput and memory of rule evaluation (issue 2 targets, 2 cores).

Prints, for 1M and 10M synthetic profiles: profiles/s for the K visa alone
(verdict only, in memory), for all programmes with every criterion column,
and peak RSS of screening a 10M-row Parquet file from disk with
``kvisa screen`` in a separate process; plus the median latency of
``explain`` for one profile and all programmes.

Targets: ≥ 10M/s K visa alone; ≥ 2M/s all programmes with every criterion
column; 10M-row Parquet screen under 2 GB peak RSS and within 2× of the
in-memory evaluation of the same rows (the "× in memory" figure; the
process's start-up and reading, checking and writing are all counted);
explain median < 2 ms.
Usage: ``uv run python benchmarks/screen.py [--sizes 1000000 10000000]``.

``--against REF`` measures the in-memory figures and the one-profile latencies
of this checkout and of an older commit in the same run (the older one is
checked out in a temporary git worktree and imported from there, with this
environment's libraries), on the same population file, and prints the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kvisa.population.synthetic import population
from kvisa.rules import evaluate, explain

ON = dt.date(2026, 1, 1)


def screen_peak_rss(source: Path, out: Path, *extra: str) -> float:
    """Run ``kvisa screen`` in a new process; return its peak RSS in MB.

    Read from the child's own high-water mark (VmHWM), not from
    ``RUSAGE_CHILDREN``, which would count the pages the child shares with
    this process (holding millions of profiles) between fork and exec.
    """
    child = subprocess.Popen([sys.executable, "-m", "kvisa.cli", "screen", str(source), "-o",
                              str(out), "--on", ON.isoformat(), *extra],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_kb = 0
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.05)
    if child.returncode:
        raise SystemExit(f"kvisa screen failed with exit code {child.returncode}")
    return peak_kb / 1024


def best_of(repeats: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


MEASURE = """
import json, statistics, sys, time, datetime as dt
sys.path.insert(0, sys.argv[1])
import polars as pl
from kvisa.rules import evaluate, explain
from kvisa.pathways.compare import compare
on = dt.date(2026, 1, 1)
frame = pl.read_parquet(sys.argv[2])
evaluate(frame.head(1000), on=on)
def best(n, f):
    times = []
    for _ in range(n):
        start = time.perf_counter(); f(); times.append(time.perf_counter() - start)
    return min(times)
profile = json.loads(sys.argv[3])
def median_ms(f):
    f(); samples = []
    for _ in range(200):
        start = time.perf_counter(); f(); samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000
print(json.dumps({
    "K visa alone, verdict, profiles/s":
        frame.height / best(5, lambda: evaluate(frame, ["cn.k_visa"], on, detail=False)),
    "all programmes, every criterion, profiles/s":
        frame.height / best(3, lambda: evaluate(frame, on=on)),
    "explain, one profile, all programmes, median ms":
        median_ms(lambda: explain(profile, on=on)),
    "compare, one profile, median ms": median_ms(lambda: compare(profile, on=on)),
}))
"""


def against(ref: str, sizes: list[int]) -> None:
    """This checkout and ``ref`` measured in the same run, on the same profiles."""
    import json

    here = Path(__file__).resolve().parents[1]
    profile = {"date_of_birth": "1996-05-14", "highest_degree": "master",
               "degree_field": "0613", "degree_institution_recognised": True,
               "us_job_offer": True, "outside_us": True}
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "against"
        subprocess.run(["git", "-C", str(here), "worktree", "add", "--detach", "-q", str(tree),
                        ref], check=True)
        try:
            for size in sizes:
                source = Path(folder) / f"profiles-{size}.parquet"
                population(size).write_parquet(source)
                results = {}
                for label, src in (("this checkout", here / "src"), (ref, tree / "src")):
                    answer = subprocess.run(
                        [sys.executable, "-c", MEASURE, str(src), str(source),
                         json.dumps(profile)], check=True, capture_output=True, text=True)
                    results[label] = json.loads(answer.stdout.strip().splitlines()[-1])
                print(f"\n{size:,} profiles: this checkout against {ref}")
                print(f"{'measure':<50} {'this':>14} {ref[:12]:>14} {'ratio':>7}")
                for name, value in results["this checkout"].items():
                    old = results[ref][name]
                    better = value / old if name.endswith("/s") else old / value
                    print(f"{name:<50} {value:>14,.2f} {old:>14,.2f} {better:>6.2f}×")
        finally:
            subprocess.run(["git", "-C", str(here), "worktree", "remove", "--force",
                            str(tree)], check=False)
    print("ratio > 1: this checkout is faster")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--skip-parquet", action="store_true")
    parser.add_argument("--against", metavar="REF",
                        help="also measure this git commit, in the same run, and print ratios")
    args = parser.parse_args()
    if args.against:
        against(args.against, args.sizes)
        return
    print(f"{'profiles':>12} {'workload':<44} {'seconds':>8} {'profiles/s':>14}")
    for size in args.sizes:
        frame = population(size)
        evaluate(frame.head(1000), on=ON)  # compile and warm caches
        k_only = best_of(3, lambda f=frame: evaluate(f, ["cn.k_visa"], ON, detail=False))
        print(f"{size:>12,} {'K visa alone, verdict (in memory)':<44} {k_only:>8.3f} "
              f"{size / k_only:>14,.0f}")
        full = best_of(2, lambda f=frame: evaluate(f, on=ON))
        width = evaluate(frame.head(10), on=ON).width - frame.width
        print(f"{size:>12,} {f'all programmes, {width} result columns':<44} {full:>8.3f} "
              f"{size / full:>14,.0f}")
        verdicts = best_of(2, lambda f=frame: evaluate(f, on=ON, detail=False))
        print(f"{size:>12,} {'all programmes, verdicts only':<44} {verdicts:>8.3f} "
              f"{size / verdicts:>14,.0f}")
        if not args.skip_parquet and size == max(args.sizes):
            with tempfile.TemporaryDirectory() as folder:
                source = Path(folder) / "profiles.parquet"
                frame.write_parquet(source, row_group_size=250_000)
                del frame
                # issue 10 item 4: a screen from disk against the in-memory
                # evaluation of the same rows (the × column)
                runs = [("Parquet from disk -> Parquet (all, detail)", "out.parquet", (), full),
                        ("Parquet from disk -> Arrow IPC (all, detail)", "out.arrow", (), full),
                        ("Parquet from disk -> Parquet (verdicts)", "out.parquet",
                         ("--verdicts-only",), verdicts),
                        ("Parquet from disk -> Arrow IPC (verdicts)", "out.arrow",
                         ("--verdicts-only",), verdicts)]
                for label, name, extra, in_memory in runs:
                    start = time.perf_counter()
                    peak = screen_peak_rss(source, Path(folder) / name, *extra)
                    seconds = time.perf_counter() - start
                    print(f"{size:>12,} {'kvisa screen ' + label:<44} {seconds:>8.3f} "
                          f"{size / seconds:>14,.0f}   {seconds / in_memory:.2f}× in memory, "
                          f"peak RSS {peak:,.0f} MB")
    profile = {"date_of_birth": "1996-05-14", "highest_degree": "master", "degree_field": "0613",
               "degree_institution_recognised": True, "us_job_offer": True, "outside_us": True}
    explain(profile, on=ON)
    samples = []
    for _ in range(300):
        start = time.perf_counter()
        explain(profile, on=ON)
        samples.append((time.perf_counter() - start) * 1000)
    print(f"explain, one profile, all programmes: median {statistics.median(samples):.2f} ms, "
          f"p99 {sorted(samples)[int(len(samples) * 0.99)]:.2f} ms")


if __name__ == "__main__":
    main()
