"""Screen a CSV or Parquet file of profiles of any size, in bounded memory.

The file is read in record batches (pyarrow's streaming CSV reader or
Parquet row groups) by a Python source feeding Polars' streaming engine: each
batch is checked (:mod:`kvisa.population.validate`) as it is read, its bad
rows go to an errors CSV with their row number and reason, and its good rows
flow through the rules (:func:`kvisa.rules.engine.evaluate_lazy`) into the
output file, which Polars writes while the next batches are read and
evaluated.  Peak memory is a few batches, whatever the file size.

The output holds, per good row: ``row`` (its number in the input, as in the
errors file), the kept columns (``id`` and ``--keep``), then the verdicts,
criteria and computed values; the facts themselves only with
``with_facts`` (they are in the input already, and writing them again
doubled the time of a screen).  ``.parquet`` output is the compact default;
``.arrow`` / ``.feather`` / ``.ipc`` write Arrow IPC, which is quicker to write.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from polars.io.plugins import register_io_source

from kvisa.population import engines
from kvisa.population.engines import Partition, parquet_schema, partitions, verdict_counts
from kvisa.population.inputs import ROW, open_input
from kvisa.population.validate import check_columns, split_batch, split_flagged
from kvisa.rules.engine import evaluate_lazy, programme_ids
from kvisa.rules.errors import RulesError
from kvisa.rules.facts import FACTS_BY_NAME, POLARS_SCHEMA, resolve_alias_columns
from kvisa.rules.scenario import Scenario

IPC_SUFFIXES = (".arrow", ".feather", ".ipc")
# Parquet results: zstd level 1 (as small as the default level here, and
# quicker) without column statistics — Polars writes wrong ones for boolean
# columns with nulls (pola-rs/polars#26667), and our outcomes are all
# three-valued booleans.
PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 1,
                                   "statistics": False}


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


def _checked_schema(raw: pl.Schema, keep: tuple[str, ...]) -> pl.Schema:
    """The columns a checked batch has: ``row``, kept columns as read, typed facts."""
    if ROW in keep:
        raise RulesError(f"{ROW}: the name of the output's row-number column; rename the "
                         "input column")
    names = resolve_alias_columns(pl.LazyFrame(schema=raw)).collect_schema()
    check_columns(names, keep)
    return pl.Schema({ROW: pl.Int64(), **{
        name: POLARS_SCHEMA[name] if name in FACTS_BY_NAME and name not in keep else dtype
        for name, dtype in names.items()}})


def output_columns(evaluated: pl.Schema, checked: pl.Schema, *, with_facts: bool) -> list[str]:
    """Row number, kept columns, (facts,) then everything the rules added."""
    kept = [name for name in checked if name != ROW and name not in FACTS_BY_NAME]
    facts = [name for name in checked if name in FACTS_BY_NAME] if with_facts else []
    added = [name for name in evaluated if name not in checked and name not in FACTS_BY_NAME]
    return [ROW, *kept, *facts, *added]


def _sink(plan: pl.LazyFrame, path: Path, fmt: str) -> None:
    if fmt == "ipc":
        plan.sink_ipc(path, compression="lz4")
    else:
        plan.sink_parquet(path, **PARQUET_OPTIONS)


def output_format(path: Path) -> str:
    return "ipc" if path.suffix.lower() in IPC_SUFFIXES else "parquet"


def _scan(path: Path, fmt: str) -> pl.LazyFrame:
    return pl.scan_ipc(path) if fmt == "ipc" else pl.scan_parquet(path)


def screen_file(source: str | Path, output: str | Path, *, on: dt.date,
                programmes: Sequence[str] | None = None, scenario: Scenario | None = None,
                include_drafts: bool = False, errors: str | Path | None = None,
                keep: tuple[str, ...] = ("id",), detail: bool = True, with_facts: bool = False,
                batch_rows: int = 250_000,
                progress: Callable[[int, int], None] | None = None) -> ScreenSummary:
    """Screen ``source`` into ``output``; bad rows go to ``errors`` (CSV).

    ``progress(done, total)`` is called as each batch is read.  On an unusable
    file (unknown column, wrong type, unreadable) a :class:`RulesError` is
    raised before any work, and on any failure no output file is left behind.
    """
    source, output = Path(source), Path(output)
    errors_path = Path(errors) if errors else output.with_suffix(".errors.csv")
    if not source.exists():
        raise RulesError(f"{source}: no such file")
    opened = open_input(source, batch_rows)
    checked_schema = _checked_schema(opened.schema, keep)
    ids = list(programmes) if programmes else programme_ids()
    fmt = output_format(output)
    summary = ScreenSummary()
    partial = output.with_name(output.name + ".partial")
    failure: list[BaseException] = []
    counted = {"rows": 0, "invalid": 0, "malformed": 0}

    errors_partial = errors_path.with_name(errors_path.name + ".partial")
    with errors_partial.open("w", newline="", encoding="utf-8") as error_file:
        error_writer = csv.writer(error_file)
        error_writer.writerow(["row", "reason"])

        def report_malformed() -> None:
            for _line, reason in opened.malformed:
                error_writer.writerow(["", reason])
            counted["malformed"] += len(opened.malformed)
            opened.malformed.clear()

        def good_rows(with_columns: list[str] | None, predicate: pl.Expr | None,
                      _n_rows: int | None, _size: int | None) -> Iterator[pl.DataFrame]:
            # Runs on a thread of Polars' streaming engine; an exception is kept
            # so the caller re-raises the original rather than Polars' wrapper.
            try:
                for chunk in opened.chunks:
                    report_malformed()
                    counted["rows"] += chunk.height
                    good, bad = split_flagged(chunk, row=ROW)
                    error_writer.writerows(bad.iter_rows())
                    counted["invalid"] += bad.height
                    good = good.select(checked_schema.names())
                    if predicate is not None:
                        good = good.filter(predicate)
                    if progress:
                        progress(min(opened.position(), opened.total), opened.total)
                    yield good.select(with_columns) if with_columns else good
                report_malformed()
            except BaseException as exc:
                failure.append(exc)
                raise

        # register_io_source is marked unstable by Polars (pinned in uv.lock):
        # it is what lets our own reader (progress, bad rows to the errors
        # file) feed the streaming engine that evaluates and writes in parallel.
        lazy = evaluate_lazy(register_io_source(good_rows, schema=checked_schema), ids, on,
                             scenario, include_drafts=include_drafts, detail=detail)
        columns = output_columns(lazy.collect_schema(), checked_schema, with_facts=with_facts)
        try:
            _sink(lazy.select(columns), partial, fmt)
            summary.verdicts = verdict_counts(_scan(partial, fmt), ids)
        except BaseException:
            partial.unlink(missing_ok=True)
            error_file.close()
            errors_partial.unlink(missing_ok=True)
            if failure:
                raise failure[0] from None
            raise
    partial.replace(output)
    errors_partial.replace(errors_path)
    summary.good = counted["rows"] - counted["invalid"]
    summary.rows = counted["rows"] + counted["malformed"]
    summary.bad = counted["invalid"] + counted["malformed"]
    return summary


@dataclass(frozen=True)
class ScreenPlan:
    """What a worker needs to screen one row group (sent to Dask workers)."""

    programmes: tuple[str, ...]
    on: dt.date
    scenario: Scenario | None
    include_drafts: bool
    detail: bool
    columns: tuple[str, ...]   # the output's, from :func:`output_columns`
    folder: str


def screen_partition(part: Partition, plan: ScreenPlan
                     ) -> tuple[int, list[tuple[int, str]], dict[str, dict[str, int]]]:
    """Screen one row group into its own part file: (rows, bad rows, verdict counts)."""
    frame = resolve_alias_columns(part.read().lazy()).collect()
    frame = frame.with_row_index(ROW, offset=part.first_row + 1).with_columns(
        pl.col(ROW).cast(pl.Int64))
    good, bad = split_batch(frame, row=ROW)
    result = evaluate_lazy(good, list(plan.programmes), plan.on, plan.scenario,
                           include_drafts=plan.include_drafts, detail=plan.detail).collect()
    result.select(plan.columns).write_parquet(
        Path(plan.folder) / f"part-{part.index:05d}.parquet", **PARQUET_OPTIONS)
    return part.rows, [(int(r), str(m)) for r, m in bad.iter_rows()], verdict_counts(
        result, plan.programmes)


def screen_partitioned(source: str | Path, output: str | Path, *, on: dt.date,
                       engine: str = "dask", scheduler: str | None = None, workers: int = 2,
                       programmes: Sequence[str] | None = None,
                       scenario: Scenario | None = None, include_drafts: bool = False,
                       errors: str | Path | None = None, keep: tuple[str, ...] = ("id",),
                       detail: bool = True, with_facts: bool = False,
                       progress: Callable[[int, int], None] | None = None) -> ScreenSummary:
    """Screen a Parquet file row group by row group into a folder of part files.

    The same checks, evaluation and columns as :func:`screen_file`, run by an
    engine of :mod:`kvisa.population.engines` (a Dask cluster, usually):
    ``output`` is a folder (``part-00000.parquet`` …, one per row group, in row
    order) that Polars, DuckDB or Spark read as one table.  Nothing is left
    behind on error.
    """
    engines.check_engine(engine)
    source, output = Path(source), Path(output)
    if not source.exists():
        raise RulesError(f"{source}: no such file")
    if source.suffix.lower() != ".parquet":
        raise RulesError(f"{source}: --engine dask reads Parquet (its row groups are the "
                         "partitions); convert the CSV first or screen it locally")
    checked_schema = _checked_schema(parquet_schema(source), keep)
    parts = partitions(source)
    ids = tuple(programmes) if programmes else tuple(programme_ids())
    empty = evaluate_lazy(pl.LazyFrame(schema=checked_schema), list(ids), on, scenario,
                          include_drafts=include_drafts, detail=detail)
    columns = output_columns(empty.collect_schema(), checked_schema, with_facts=with_facts)
    runner = engines.engine(engine, scheduler=scheduler, workers=workers)
    errors_path = Path(errors) if errors else output.with_suffix(".errors.csv")
    partial = output.with_name(output.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    plan = ScreenPlan(ids, on, scenario, include_drafts, detail, tuple(columns), str(partial))
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
            empty.select(columns).collect().write_parquet(partial / "part-00000.parquet")
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
