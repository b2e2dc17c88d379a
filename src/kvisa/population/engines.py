"""Run one function over the partitions of a Parquet file: here, or on a Dask cluster.

A partition is a Parquet row group, read by whoever processes it (the file is
never loaded whole); each knows its first row's number, so results carry the
same row numbers whichever engine ran them.  The local engine runs the
partitions one after the other in this process; the Dask engine sends them to
``dask.distributed`` workers — a :class:`~dask.distributed.LocalCluster` of
``workers`` processes, or an existing scheduler by address — and gathers the
small results as they finish.  Workers need kvisa installed and the input
file (and output folder) at the same path: a shared disk or object store.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from kvisa.rules.errors import RulesError

T = TypeVar("T")
ENGINES = ("local", "dask")


@dataclass(frozen=True)
class Partition:
    """One row group of a Parquet file: where it is and which rows it holds."""

    path: str
    index: int
    first_row: int   # 0-based number of its first row in the whole file
    rows: int

    def read(self) -> pl.DataFrame:
        table = pq.ParquetFile(self.path).read_row_group(self.index)
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame


def partitions(path: Path) -> list[Partition]:
    """The row groups of ``path`` (read from the footer only)."""
    try:
        metadata = pq.ParquetFile(path).metadata
    except (pa.ArrowInvalid, OSError) as exc:
        raise RulesError(f"{path}: not a readable Parquet file ({exc})") from None
    found, first = [], 0
    for index in range(metadata.num_row_groups):
        rows = metadata.row_group(index).num_rows
        found.append(Partition(str(path.resolve()), index, first, rows))
        first += rows
    return found


def parquet_schema(path: Path) -> pl.Schema:
    try:
        return pl.Schema(pl.read_parquet_schema(path))
    except Exception as exc:  # any unreadable footer is one clear message
        raise RulesError(f"{path}: not a readable Parquet file ({exc})") from None


class LocalEngine:
    name = "local"

    def map(self, work: Callable[[Partition], T], parts: list[Partition]
            ) -> Iterator[tuple[Partition, T]]:
        for part in parts:
            yield part, work(part)

    def close(self) -> None:
        pass


class DaskEngine:
    """Partitions as Dask futures; results come back in the order they finish."""

    name = "dask"

    def __init__(self, *, scheduler: str | None = None, workers: int = 2) -> None:
        from dask.distributed import Client, LocalCluster

        self.cluster: Any = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="10s")
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=None)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            raise RulesError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None

    def map(self, work: Callable[[Partition], T], parts: list[Partition]
            ) -> Iterator[tuple[Partition, T]]:
        from dask.distributed import as_completed

        futures = {self.client.submit(work, part, pure=False): part for part in parts}
        for future in as_completed(futures):
            yield futures[future], future.result()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def check_engine(name: str) -> None:
    if name not in ENGINES:
        raise RulesError(f"unknown engine {name!r}: choose local or dask")


def engine(name: str, *, scheduler: str | None = None, workers: int = 2
           ) -> LocalEngine | DaskEngine:
    """The engine by name; an unreachable scheduler is refused before any work."""
    if name == "local":
        if scheduler:
            raise RulesError("--scheduler needs --engine dask")
        return LocalEngine()
    if name == "dask":
        if workers < 1:
            raise RulesError("--workers must be at least 1")
        return DaskEngine(scheduler=scheduler, workers=workers)
    raise RulesError(f"unknown engine {name!r}: choose local or dask")
