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
import itertools
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
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
    """Consecutive row groups of a Parquet file: where they are and which rows they hold."""

    path: str
    index: int       # the first row group's: names the partition's output part file
    first_row: int   # 0-based number of its first row in the whole file
    rows: int
    groups: tuple[int, ...] = ()   # the row groups read (default: just ``index``)

    def read(self) -> pl.DataFrame:
        table = pq.ParquetFile(self.path).read_row_groups(list(self.groups or (self.index,)))
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame


def merged(parts: list[Partition], rows: int) -> list[Partition]:
    """Consecutive partitions joined into pieces of about ``rows`` rows.

    Why: each piece pays a fixed cost (planning the rules' queries, a few
    dozen milliseconds each), so one machine does better with few large
    pieces, while a cluster wants many to spread.
    """
    pieces: list[Partition] = []
    for part in parts:
        last = pieces[-1] if pieces else None
        if last is not None and last.rows + part.rows <= rows:
            pieces[-1] = Partition(last.path, last.index, last.first_row, last.rows + part.rows,
                                   (*(last.groups or (last.index,)), part.index))
        else:
            pieces.append(part)
    return pieces


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


VERDICTS = ("eligible", "not_eligible", "undetermined")


def verdict_counts(frame: pl.DataFrame | pl.LazyFrame, programmes: Sequence[str]
                   ) -> dict[str, dict[str, int]]:
    """Eligible / not eligible / undetermined per programme, in one pass over the
    verdict columns (true / false / null) of an evaluated frame or file scan."""
    if not programmes:
        return {}
    row = frame.lazy().select(*[expr for pid in programmes for expr in (
        pl.col(pid).sum().alias(f"{pid}\x00eligible"),
        (~pl.col(pid)).sum().alias(f"{pid}\x00not_eligible"),
        pl.col(pid).null_count().alias(f"{pid}\x00undetermined"))]).collect().row(
        0, named=True)
    return {pid: {v: int(row[f"{pid}\x00{v}"] or 0) for v in VERDICTS} for pid in programmes}


def parquet_schema(path: Path) -> pl.Schema:
    try:
        return pl.Schema(pl.read_parquet_schema(path))
    except Exception as exc:  # any unreadable footer is one clear message
        raise RulesError(f"{path}: not a readable Parquet file ({exc})") from None


class LocalEngine:
    """This process: partitions merged into pieces of about a million rows, two at a time.

    Two pieces overlap because one alone leaves a core idle between Polars'
    steps (the Python in between); the pieces' own queries use every core.
    """

    name = "local"
    PIECE_ROWS = 500_000
    AT_ONCE = 2

    def map(self, work: Callable[[Partition], T], parts: list[Partition]
            ) -> Iterator[tuple[Partition, T]]:
        pieces = iter(merged(parts, self.PIECE_ROWS))
        with ThreadPoolExecutor(max_workers=self.AT_ONCE) as pool:
            running = {pool.submit(work, piece): piece
                       for piece in itertools.islice(pieces, self.AT_ONCE)}
            while running:
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    piece = running.pop(future)
                    yield piece, future.result()
                    following = next(pieces, None)
                    if following is not None:
                        running[pool.submit(work, following)] = following

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
