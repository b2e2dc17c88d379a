"""The secret key on a first start, when several workers start at once.

gunicorn's workers (or two nodes on one shared data folder) each call
``paths.prepare`` before Django starts.  With ``open(O_EXCL)`` then a write, a
worker could read the file between the two — an empty secret key — or fail with
``FileExistsError``.  Every worker must end with the same, whole key.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kvisa import paths
from tests.support.racing import race


def _start(folder: str) -> str | None:
    os.environ["KVISA_DATA_DIR"] = folder
    os.environ.pop("KVISA_SECRET_KEY", None)
    paths.prepare()
    return paths.read_secret_key()


def test_workers_starting_together_share_one_whole_secret_key(tmp_path: Path) -> None:
    folder = str(tmp_path / "data")
    keys = set(race(lambda: _start(folder)))
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
