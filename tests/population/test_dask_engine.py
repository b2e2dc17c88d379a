"""The same screen and scenario on a 2-worker Dask LocalCluster as in one process:
same rows, same counts; an unreachable scheduler is one clear line, before any work."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from kvisa.population.synthetic import population

ON = dt.date(2026, 11, 27)



@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 profiles in 5 row groups (the partitions), with a few unreadable dates."""
    folder = tmp_path_factory.mktemp("pop")
    frame = population(3_000, seed=21, on=ON)
    path = folder / "pop.parquet"
    frame.write_parquet(path, row_group_size=700)
    return path


def test_screen_on_dask_gives_the_same_rows_and_counts(kvisa_cli: Any, source: Path, tmp_path: Path) -> None:
    local = kvisa_cli("screen", str(source), "-o", str(tmp_path / "local.parquet"), "--on",
                   ON.isoformat())
    assert local.returncode == 0, local.stderr
    dask = kvisa_cli("screen", str(source), "-o", str(tmp_path / "dask"), "--on", ON.isoformat(),
                  "--engine", "dask", "--workers", "2")
    assert dask.returncode == 0, dask.stderr
    parts = sorted(p.name for p in (tmp_path / "dask").iterdir())
    assert parts == [f"part-{i:05d}.parquet" for i in range(5)]
    here = pl.read_parquet(tmp_path / "local.parquet")
    there = pl.read_parquet(tmp_path / "dask")
    assert here.height == 3_000 and here.equals(there)
    table = [line for line in dask.stdout.splitlines() if "cn.k_visa" in line]
    assert table == [line for line in local.stdout.splitlines() if "cn.k_visa" in line]


def test_scenario_run_on_dask_gives_the_same_answer(kvisa_cli: Any, source: Path, tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "name: age 40 and ICT only\nparameters:\n  cn.k_visa.max_age: 40\n"
        "  cn.k_visa.stem_isced_broad_fields: ['06']\n")
    answers, changes = {}, {}
    for engine in ("local", "dask"):
        done = kvisa_cli("scenario", "run", str(tmp_path / "s.yaml"), "--population", str(source),
                      "-o", str(tmp_path / engine), "--on", ON.isoformat(), "--json",
                      "--engine", engine, "--workers", "2")
        assert done.returncode == 0, done.stderr
        answers[engine] = json.loads(done.stdout)
        changes[engine] = pl.read_parquet(tmp_path / engine / "changes.parquet").sort(
            "row", "programme")
    assert answers["local"]["engine"] == "local" and answers["dask"]["engine"] == "dask"
    assert answers["local"]["rows"] == 3_000
    for key in ("rows", "baseline", "scenario", "changed", "by"):
        assert answers["local"][key] == answers["dask"][key], key
    assert answers["dask"]["changed"]["cn.k_visa"]["lost"] > 0
    assert changes["local"].equals(changes["dask"]) and changes["local"].height > 0


def test_an_unreachable_scheduler_is_one_clear_line(kvisa_cli: Any, source: Path, tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("name: x\nparameters:\n  cn.k_visa.max_age: 40\n")
    done = kvisa_cli("scenario", "run", str(tmp_path / "s.yaml"), "--population", str(source),
                  "-o", str(tmp_path / "out"), "--engine", "dask", "--scheduler",
                  "tcp://127.0.0.1:9", timeout=120)
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "changes.parquet").exists()


def test_dask_screens_parquet_and_says_so_for_csv(kvisa_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("date_of_birth,nationality\n1990-01-01,IND\n")
    done = kvisa_cli("screen", str(tmp_path / "p.csv"), "-o", str(tmp_path / "o"),
                  "--engine", "dask")
    assert done.returncode == 2 and "--engine dask reads Parquet" in done.stderr
    wrong = kvisa_cli("screen", str(tmp_path / "p.csv"), "-o", str(tmp_path / "o"),
                   "--engine", "spark")
    assert wrong.returncode == 2 and "unknown engine 'spark'" in wrong.stderr
