"""Open a CSV or Parquet file of profiles as a stream of checked chunks.

Each chunk is a Polars frame of consecutive input rows carrying ``row`` (the
1-based row number, as the errors file reports it), the columns as read, each
fact's typed value and a bad-row flag (:func:`kvisa.population.validate.
flag_rows`); :func:`kvisa.population.validate.split_flagged` turns a chunk into
good rows and bad rows with reasons.

Parquet is read by a Polars streaming query (``collect_batches``), so reading
and checking run on every core, ahead of whoever consumes the chunks; a CSV
is read by pyarrow's streaming reader, whose handler for ragged lines lets a
malformed line become one error row instead of stopping the file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from kvisa.population.engines import parquet_schema
from kvisa.population.validate import flag_rows
from kvisa.rules.errors import RulesError
from kvisa.rules.facts import resolve_alias_columns

ROW = "row"


class Input:
    """An open input: its columns, its checked chunks, progress and malformed CSV lines."""

    def __init__(self, path: Path, schema: pl.Schema, total: int) -> None:
        self.path = path
        self.schema = schema          # the columns as read, deprecated names resolved
        self.total = total            # rows (Parquet) or bytes (CSV), for progress
        self.position: Callable[[], int] = lambda: 0
        self.malformed: list[tuple[int, str]] = []
        self.chunks: Iterator[pl.DataFrame] = iter(())


def _resolved(schema: pl.Schema) -> pl.Schema:
    return resolve_alias_columns(pl.LazyFrame(schema=schema)).collect_schema()


def open_input(path: Path, batch_rows: int) -> Input:
    """Open ``path`` (.csv or .parquet); unreadable files are refused here, before any work."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _open_parquet(path, batch_rows)
    if suffix == ".csv":
        return _open_csv(path, batch_rows)
    raise RulesError(f"{path}: input must be .csv or .parquet")


def _open_parquet(path: Path, batch_rows: int) -> Input:
    raw = parquet_schema(path)
    total = pl.scan_parquet(path).select(pl.len()).collect().item()
    opened = Input(path, _resolved(raw), total)
    done = {"rows": 0}
    query = flag_rows(resolve_alias_columns(pl.scan_parquet(path)).with_row_index(
        ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64)))

    def chunks() -> Iterator[pl.DataFrame]:
        try:
            for chunk in query.collect_batches(chunk_size=batch_rows):
                done["rows"] += chunk.height
                yield chunk
        except pl.exceptions.PolarsError as exc:
            raise RulesError(f"{path}: not a readable Parquet file ({exc})") from None

    opened.chunks = chunks()
    opened.position = lambda: done["rows"]
    return opened


def _open_csv(path: Path, batch_rows: int) -> Input:
    try:
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8").strip()
    except UnicodeDecodeError:
        raise RulesError(f"{path}: not UTF-8 text") from None
    names = next(csv.reader([header]), [])
    if not names:
        raise RulesError(f"{path}: empty file, expected a header row")
    opened = Input(path, _resolved(pl.Schema({name: pl.String() for name in names})),
                   path.stat().st_size)

    def malformed(row: object) -> str:
        number = getattr(row, "number", None) or 0
        expected = getattr(row, "expected_columns", 0)
        actual = getattr(row, "actual_columns", 0)
        opened.malformed.append(
            (number, f"malformed CSV line {number}: {actual} fields, expected {expected}"))
        return "skip"

    handle = path.open("rb")
    try:
        reader = pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(block_size=max(1 << 20, batch_rows * 64),
                                           use_threads=False),
            parse_options=pacsv.ParseOptions(invalid_row_handler=malformed),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        handle.close()
        raise RulesError(f"{path}: malformed CSV ({exc})") from None

    def chunks() -> Iterator[pl.DataFrame]:
        rows = 0
        try:
            for batch in reader:
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                numbered = resolve_alias_columns(frame.lazy()).with_row_index(
                    ROW, offset=rows + 1).with_columns(pl.col(ROW).cast(pl.Int64))
                chunk = flag_rows(numbered).collect()
                rows += chunk.height
                yield chunk
        except pa.ArrowInvalid as exc:
            raise RulesError(f"{path}: malformed CSV ({exc})") from None
        finally:
            handle.close()

    opened.chunks = chunks()
    opened.position = handle.tell
    return opened
