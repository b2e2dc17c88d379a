"""Reading a policy-lab run's changes in bounded memory: pages and downloads.

A run writes its changed rows as part files, one per partition of the
population, in row order (``part-00000.parquet``, …), each a few hundred
thousand rows at most.  A page therefore needs the row counts (from the
footers) and the one or two parts it overlaps, sorted on their own; a
download streams part after part.  Nothing here ever holds the whole table,
so a run of five million changes costs a page what a run of fifty does.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from kvisa.spreadsheet_csv import frame_to_csv

ORDER = ("row", "programme")


def parts(result: Path) -> list[Path]:
    """The run's part files in row order (none when no verdict changed)."""
    folder = result / "changes.parquet"
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def _counts(files: list[Path]) -> list[int]:
    import pyarrow.parquet as pq

    return [int(pq.read_metadata(path).num_rows) for path in files]


def total(result: Path) -> int:
    return sum(_counts(parts(result)))


def _readable(frame: pl.DataFrame, names: dict[str, str] | None, separator: str,
              criteria: dict[str, str] | None = None) -> pl.DataFrame:
    if criteria:  # a page names each criterion in words; the files keep the ids
        frame = frame.with_columns(pl.col("criteria_changed").list.eval(
            pl.element().replace_strict(criteria, default=pl.element())))
    frame = frame.with_columns(pl.col("criteria_changed").list.join(separator))
    if names:
        frame = frame.with_columns(
            pl.col("programme").replace_strict(names, default=pl.col("programme")))
    return frame


def page(result: Path, number: int, size: int, names: dict[str, str] | None = None,
         criteria: dict[str, str] | None = None) -> tuple[list[dict[str, Any]], int, int]:
    """(rows of page ``number``, the page actually shown, total changes).

    A page past the end shows the last page; a run with no change shows none.
    """
    files = parts(result)
    counts = _counts(files)
    count = sum(counts)
    pages = max(1, -(-count // size))
    number = min(max(1, number), pages)
    start, stop = (number - 1) * size, number * size
    pieces = []
    first = 0
    for path, rows in zip(files, counts, strict=True):
        if first < stop and first + rows > start:
            frame = pl.read_parquet(path).sort(*ORDER)
            pieces.append(frame.slice(max(0, start - first), stop - max(start, first)))
        first += rows
        if first >= stop:
            break
    if not pieces:
        return [], number, count
    return _readable(pl.concat(pieces), names, "; ", criteria).to_dicts(), number, count


def csv_chunks(result: Path) -> Iterator[bytes]:
    """The changes as one CSV file, part by part (a header once)."""
    header = True
    for path in parts(result):
        frame = _readable(pl.read_parquet(path).sort(*ORDER), None, " ")
        yield frame_to_csv(frame, include_header=header)
        header = False
    if header:  # no change at all: still a CSV with its header
        yield b"row,programme,before,after,criteria_changed\n"


class _Drain(io.RawIOBase):
    """A file-like sink whose written bytes are taken out as they arrive."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def parquet_chunks(result: Path) -> Iterator[bytes]:
    """The changes as one Parquet file, written part by part through one writer."""
    import pyarrow.parquet as pq

    sink = _Drain()
    writer = None
    for path in parts(result):
        table = pl.read_parquet(path).sort(*ORDER).to_arrow()
        if writer is None:
            writer = pq.ParquetWriter(sink, table.schema, compression="zstd")
        writer.write_table(table)
        yield sink.take()
    if writer is None:
        empty = pl.DataFrame(schema={"row": pl.Int64, "programme": pl.String,
                                     "before": pl.String, "after": pl.String,
                                     "criteria_changed": pl.List(pl.String)}).to_arrow()
        writer = pq.ParquetWriter(sink, empty.schema, compression="zstd")
    writer.close()
    yield sink.take()
