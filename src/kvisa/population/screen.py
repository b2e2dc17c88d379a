"""Screen a CSV or Parquet file of profiles of any size, in bounded memory.

The file is read in record batches (pyarrow's streaming CSV reader or
Parquet row groups), each batch is checked (:mod:`kvisa.population.validate`),
its good rows evaluated by :func:`kvisa.rules.evaluate` and appended to the
output Parquet file, and its bad rows appended to an errors CSV with their row
number and reason.  Peak memory is a few batches, whatever the file size.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kvisa.population import engines
from kvisa.population.engines import Partition, parquet_schema, partitions
from kvisa.population.validate import REASON, check_columns, validate_batch
from kvisa.rules.engine import evaluate_lazy, programme_ids
from kvisa.rules.errors import RulesError
from kvisa.rules.facts import resolve_alias_columns
from kvisa.rules.scenario import Scenario

ROW = "_row"


@dataclass
class ScreenSummary:
    rows: int = 0
    good: int = 0
    bad: int = 0
    verdicts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, programme: str, verdict: str, count: int) -> None:
        counts = self.verdicts.setdefault(
            programme, {"eligible": 0, "not_eligible": 0, "undetermined": 0})
        counts[verdict] += count


class _Input:
    """An open input: its batches, a progress position and malformed CSV lines."""

    def __init__(self, batches: Iterator[pa.RecordBatch], total: int,
                 position: Callable[[], int]) -> None:
        self.batches = batches
        self.total = total
        self.position = position
        self.malformed: list[tuple[int, str]] = []


def _open(path: Path, batch_rows: int) -> _Input:
    """Open a CSV (streaming reader) or Parquet (row groups) file for batch reading."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            reader = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise RulesError(f"{path}: not a readable Parquet file ({exc})") from None
        rows = {"done": 0}

        def counted() -> Iterator[pa.RecordBatch]:
            for batch in reader.iter_batches(batch_size=batch_rows):
                rows["done"] += batch.num_rows
                yield batch

        return _Input(counted(), reader.metadata.num_rows, lambda: rows["done"])
    if suffix == ".csv":
        try:
            with path.open("rb") as handle:
                header = handle.readline().decode("utf-8").strip()
        except UnicodeDecodeError:
            raise RulesError(f"{path}: not UTF-8 text") from None
        names = next(csv.reader([header]), [])
        if not names:
            raise RulesError(f"{path}: empty file, expected a header row")
        handle = path.open("rb")
        opened = _Input(iter(()), path.stat().st_size, handle.tell)

        def malformed(row: object) -> str:
            number = getattr(row, "number", None) or 0
            expected = getattr(row, "expected_columns", 0)
            actual = getattr(row, "actual_columns", 0)
            opened.malformed.append(
                (number, f"malformed CSV line {number}: {actual} fields, expected {expected}"))
            return "skip"

        try:
            reader = pacsv.open_csv(
                handle,
                read_options=pacsv.ReadOptions(block_size=1 << 24, use_threads=False),
                parse_options=pacsv.ParseOptions(invalid_row_handler=malformed),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False),
            )
        except pa.ArrowInvalid as exc:
            handle.close()
            raise RulesError(f"{path}: malformed CSV ({exc})") from None
        opened.batches = _closing(reader, handle)
        return opened
    raise RulesError(f"{path}: input must be .csv or .parquet")


def screen_file(source: str | Path, output: str | Path, *, on: dt.date,
                programmes: Sequence[str] | None = None, scenario: Scenario | None = None,
                include_drafts: bool = False, errors: str | Path | None = None,
                keep: tuple[str, ...] = ("id",), detail: bool = True,
                batch_rows: int = 250_000,
                progress: Callable[[int, int], None] | None = None) -> ScreenSummary:
    """Screen ``source`` into ``output`` (Parquet); bad rows go to ``errors`` (CSV).

    ``progress(done, total)`` is called after each batch.  On an unusable file
    (unknown column, wrong type, unreadable) a :class:`RulesError` is raised and
    no output file is left behind.
    """
    source, output = Path(source), Path(output)
    errors_path = Path(errors) if errors else output.with_suffix(".errors.csv")
    if not source.exists():
        raise RulesError(f"{source}: no such file")
    opened = _open(source, batch_rows)
    ids = list(programmes) if programmes else programme_ids()
    summary = ScreenSummary()
    partial = output.with_name(output.name + ".partial")
    writer: pq.ParquetWriter | None = None
    error_rows = 0
    malformed_rows = 0
    try:
        with errors_path.open("w", newline="", encoding="utf-8") as error_file:
            error_writer = csv.writer(error_file)
            error_writer.writerow(["row", "reason"])
            for batch in _read(opened.batches, source):
                for _line, reason in opened.malformed:
                    error_writer.writerow(["", reason])
                malformed_rows += len(opened.malformed)
                opened.malformed.clear()
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                frame = resolve_alias_columns(frame.lazy()).collect()  # deprecated names
                check_columns(frame.schema, keep)
                frame = frame.with_row_index(ROW, offset=summary.rows + 1)
                summary.rows += frame.height
                checked = validate_batch(frame)
                bad = checked.filter(pl.col(REASON).is_not_null())
                for row, reason in bad.select(ROW, REASON).iter_rows():
                    error_writer.writerow([row, reason])
                error_rows += bad.height
                good = checked.filter(pl.col(REASON).is_null()).drop(REASON, ROW)
                result = evaluate_lazy(good, ids, on, scenario, include_drafts=include_drafts,
                                       detail=detail).collect()
                for pid in ids:
                    counts = result.get_column(pid).value_counts()
                    for value, count in counts.iter_rows():
                        verdict = ("undetermined" if value is None
                                   else "eligible" if value else "not_eligible")
                        summary.add(pid, verdict, count)
                table = result.to_arrow()
                if writer is None:
                    writer = pq.ParquetWriter(partial, table.schema, compression="zstd")
                writer.write_table(table.cast(writer.schema))
                if progress:
                    progress(min(opened.position(), opened.total), opened.total)
            for _line, reason in opened.malformed:
                error_writer.writerow(["", reason])
            malformed_rows += len(opened.malformed)
        if writer is None:  # empty file: still write a valid (empty) output
            empty = evaluate_lazy(pl.DataFrame(), ids, on, scenario,
                                  include_drafts=include_drafts, detail=detail).collect()
            pq.write_table(empty.to_arrow(), partial)
        else:
            writer.close()
            writer = None
        partial.replace(output)
    except BaseException:
        if writer is not None:
            writer.close()
        partial.unlink(missing_ok=True)
        raise
    summary.bad = error_rows + malformed_rows
    summary.good = summary.rows - error_rows
    summary.rows += malformed_rows
    return summary


def _closing(reader: pacsv.CSVStreamingReader, handle: object) -> Iterator[pa.RecordBatch]:
    try:
        yield from reader
    finally:
        handle.close()  # type: ignore[attr-defined]


def _read(batches: Iterator[pa.RecordBatch], source: Path) -> Iterator[pa.RecordBatch]:
    try:
        yield from batches
    except pa.ArrowInvalid as exc:
        raise RulesError(f"{source}: malformed CSV ({exc})") from None


@dataclass(frozen=True)
class ScreenPlan:
    """What a worker needs to screen one row group (sent to Dask workers)."""

    programmes: tuple[str, ...]
    on: dt.date
    scenario: Scenario | None
    include_drafts: bool
    keep: tuple[str, ...]
    detail: bool
    folder: str


def screen_partition(part: Partition, plan: ScreenPlan
                     ) -> tuple[int, list[tuple[int, str]], dict[str, dict[str, int]]]:
    """Screen one row group into its own part file: (rows, bad rows, verdict counts)."""
    frame = resolve_alias_columns(part.read().lazy()).collect()
    frame = frame.with_row_index(ROW, offset=part.first_row + 1)
    checked = validate_batch(frame)
    bad = [(int(r), str(m)) for r, m in checked.filter(pl.col(REASON).is_not_null()).select(
        ROW, REASON).iter_rows()]
    good = checked.filter(pl.col(REASON).is_null()).drop(REASON, ROW)
    result = evaluate_lazy(good, list(plan.programmes), plan.on, plan.scenario,
                           include_drafts=plan.include_drafts, detail=plan.detail).collect()
    counts: dict[str, dict[str, int]] = {}
    for pid in plan.programmes:
        tally = counts.setdefault(pid, {"eligible": 0, "not_eligible": 0, "undetermined": 0})
        for value, count in result.get_column(pid).value_counts().iter_rows():
            tally["undetermined" if value is None else "eligible" if value
                  else "not_eligible"] += int(count)
    result.write_parquet(Path(plan.folder) / f"part-{part.index:05d}.parquet",
                         compression="zstd")
    return part.rows, bad, counts


def screen_partitioned(source: str | Path, output: str | Path, *, on: dt.date,
                       engine: str = "dask", scheduler: str | None = None, workers: int = 2,
                       programmes: Sequence[str] | None = None,
                       scenario: Scenario | None = None, include_drafts: bool = False,
                       errors: str | Path | None = None, keep: tuple[str, ...] = ("id",),
                       detail: bool = True,
                       progress: Callable[[int, int], None] | None = None) -> ScreenSummary:
    """Screen a Parquet file row group by row group into a folder of part files.

    The same checks and evaluation as :func:`screen_file`, run by an engine of
    :mod:`kvisa.population.engines` (a Dask cluster, usually): ``output`` is a
    folder (``part-00000.parquet`` …, one per row group, in row order) that
    Polars, DuckDB or Spark read as one table.  Nothing is left behind on error.
    """
    engines.check_engine(engine)
    source, output = Path(source), Path(output)
    if not source.exists():
        raise RulesError(f"{source}: no such file")
    if source.suffix.lower() != ".parquet":
        raise RulesError(f"{source}: --engine dask reads Parquet (its row groups are the "
                         "partitions); convert the CSV first or screen it locally")
    schema = resolve_alias_columns(pl.LazyFrame(schema=parquet_schema(source))).collect_schema()
    check_columns(schema, keep)
    parts = partitions(source)
    ids = tuple(programmes) if programmes else tuple(programme_ids())
    runner = engines.engine(engine, scheduler=scheduler, workers=workers)
    errors_path = Path(errors) if errors else output.with_suffix(".errors.csv")
    partial = output.with_name(output.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    plan = ScreenPlan(ids, on, scenario, include_drafts, keep, detail, str(partial))
    summary = ScreenSummary()
    bad_rows: list[tuple[int, str]] = []
    try:
        for _part, (rows, bad, counts) in runner.map(
                functools.partial(screen_partition, plan=plan), parts):
            summary.rows += rows
            bad_rows += bad
            for pid, tally in counts.items():
                for verdict, n in tally.items():
                    summary.add(pid, verdict, n)
            if progress:
                progress(summary.rows, sum(p.rows for p in parts))
        if not parts:  # an empty file still gives a readable (empty) table
            empty = evaluate_lazy(pl.DataFrame(), list(ids), on, scenario,
                                  include_drafts=include_drafts, detail=detail).collect()
            empty.write_parquet(partial / "part-00000.parquet")
        shutil.rmtree(output, ignore_errors=True)
        partial.replace(output)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        runner.close()
    with errors_path.open("w", newline="", encoding="utf-8") as error_file:
        writer = csv.writer(error_file)
        writer.writerow(["row", "reason"])
        writer.writerows(sorted(bad_rows))
    summary.bad = len(bad_rows)
    summary.good = summary.rows - summary.bad
    return summary
