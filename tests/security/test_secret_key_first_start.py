"""The secret key on a first start, when several workers start at once.

gunicorn's workers (or two nodes on one shared data folder) each call
``paths.prepare`` before Django starts.  With ``open(O_EXCL)`` then a write, a
worker could read the file between the two — an empty secret key — or fail with
``FileExistsError``.  Every worker must end with the same, whole key.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from kvisa import paths

RACERS = 8


def _start(folder: str, barrier: Barrier, answers: Any) -> None:
    os.environ["KVISA_DATA_DIR"] = folder
    os.environ.pop("KVISA_SECRET_KEY", None)
    barrier.wait()
    paths.prepare()
    answers.put(paths.read_secret_key())


def test_workers_starting_together_share_one_whole_secret_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    barrier, answers = context.Barrier(RACERS), context.Queue()
    folder = str(tmp_path / "data")
    racers = [context.Process(target=_start, args=(folder, barrier, answers))
              for _ in range(RACERS)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
        assert racer.exitcode == 0
    keys = {answers.get(timeout=5) for _ in range(RACERS)}
    assert len(keys) == 1 and len(keys.pop() or "") >= 50
    key_file = Path(folder) / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0           # never readable by others
    assert not list(Path(folder).glob("*.tmp"))


def test_a_second_start_keeps_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVISA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KVISA_SECRET_KEY", raising=False)
    paths.prepare()
    first = paths.read_secret_key()
    paths.prepare()
    assert first and paths.read_secret_key() == first
