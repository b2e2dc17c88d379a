"""What a rule change does to whom: a baseline and a scenario on the same rows.

Both are evaluated on the same population in one pass of reading; the output
folder holds ``changes.parquet`` (one row per person and programme whose verdict
changed: before, after, and the criteria whose result changed), ``summary.json``
(counts before and after, gained and lost, changes by nationality and by
highest degree) and a chart (``verdicts.svg`` and ``verdicts.png``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import vl_convert

from kvisa.population import engines
from kvisa.population.engines import Partition, parquet_schema, partitions, verdict_counts
from kvisa.population.validate import check_columns, split_batch
from kvisa.rules import RulesError, evaluate
from kvisa.rules.engine import programme_ids, programmes_reading
from kvisa.rules.programmes import PROGRAMMES
from kvisa.rules.scenario import Scenario

VERDICT = pl.Enum(["eligible", "not_eligible", "undetermined"])
GROUPS = ("age_band", "nationality", "highest_degree")
"""Who changed verdict, counted by these (an analyst's "who": how old, from where, what
degree).  The age band is computed on the scenario's date from the date of birth."""
AGE_BANDS = ((18, "under 18"), (30, "18-29"), (46, "30-45"), (60, "46-59"))
"""(first age outside the band, its name): the K visa's 18 and 45 are band edges."""


def _age_band(on: dt.date) -> pl.Expr:
    """The age band on ``on`` of each row's date of birth (null when it is blank)."""
    birth = pl.col("date_of_birth")
    before_birthday = (birth.dt.month() > on.month) | (
        (birth.dt.month() == on.month) & (birth.dt.day() > on.day))
    age = pl.lit(on.year) - birth.dt.year() - before_birthday.cast(pl.Int32)
    band: Any = pl.when(birth.is_null()).then(pl.lit(None, pl.String))
    for limit, name in AGE_BANDS:
        band = band.when(age < limit).then(pl.lit(name))
    return band.otherwise(pl.lit("60+")).alias("age_band")
KEEP = ("id",)
ROW_GROUP = 250_000
TALLY = {"programme": pl.String, "measure": pl.String, "key": pl.String, "n": pl.Int64}


@dataclass
class RunResult:
    rows: int
    bad_rows: int
    summary: dict[str, Any]
    output: Path


def _population_parts(path: Path, output: Path) -> tuple[list[Partition], int, Path | None]:
    """The population's partitions, the rows refused before any work, and a temporary file.

    Parquet is read where it lies, row group by row group; a CSV is checked
    whole first (its rows refused with their reason) and written to a
    temporary Parquet file in the output folder, so both engines read the same.
    """
    if not path.exists():
        raise RulesError(f"{path}: no such population file")
    if path.suffix == ".parquet":
        check_columns(parquet_schema(path), KEEP)
        return partitions(path), 0, None
    if path.suffix != ".csv":
        raise RulesError(f"{path}: a population is a .parquet or .csv file")
    raw = pl.read_csv(path, infer_schema=False)
    check_columns(raw.schema, KEEP)
    good, bad = split_batch(raw)
    staged = output / ".population.parquet"
    good.write_parquet(staged, row_group_size=ROW_GROUP)
    return partitions(staged), bad.height, staged


def _verdict(column: str) -> pl.Expr:
    return (pl.when(pl.col(column).is_null()).then(pl.lit("undetermined"))
            .when(pl.col(column)).then(pl.lit("eligible"))
            .otherwise(pl.lit("not_eligible")).cast(VERDICT))


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to compare one partition (sent to Dask workers)."""

    programmes: tuple[str, ...]
    on: dt.date
    scenario: Scenario
    baseline: Scenario | None
    include_drafts: bool
    changes: str   # folder of the partitioned changes.parquet


def affected(plan: Plan) -> set[str]:
    """The programmes whose verdicts the two runs can disagree on."""
    drafts = {plan.include_drafts or bool(s and s.include_drafts)
              for s in (plan.scenario, plan.baseline)}
    if len(drafts) > 1:
        return set(plan.programmes)   # one side adds draft rules: every programme may move
    names = {n for s in (plan.scenario, plan.baseline) if s for n, _v in s.overrides}
    return programmes_reading(names, plan.programmes, plan.on,
                              scenarios=(None, plan.scenario, plan.baseline),
                              include_drafts=plan.include_drafts)


def compare(frame: pl.DataFrame, plan: Plan, first_row: int = 0
            ) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """(changed rows, tallies, rows refused) for one piece of the population.

    Verdicts alone are evaluated for every row (the baseline once, the
    scenario only for programmes reading an overridden parameter); criterion
    detail is computed only for the rows whose verdict changed.  Tallies are
    ``programme, measure, key, n`` rows that add up across pieces: verdict
    counts before and after, gained, lost and changed totals, and the changed
    people by nationality and by highest degree.
    """
    frame, refused = split_batch(frame.with_row_index("row", offset=first_row))
    if "date_of_birth" in frame.columns:
        frame = frame.with_columns(_age_band(plan.on))
    moving = [p for p in plan.programmes if p in affected(plan)]
    drafts = plan.include_drafts
    before = evaluate(frame, list(plan.programmes), plan.on, plan.baseline,
                      include_drafts=drafts, detail=False)
    after = evaluate(frame, moving, plan.on, plan.scenario, include_drafts=drafts,
                     detail=False) if moving else before
    groups = [g for g in GROUPS if g in frame.columns]
    counts = _verdict_counts(before, plan.programmes, "baseline")
    after_counts = _verdict_counts(after, moving, "scenario")
    tallies = [counts, after_counts, counts.filter(
        ~pl.col("programme").is_in(moving)).with_columns(measure=pl.lit("scenario"))]
    changes = []
    for pid in plan.programmes:
        # only a programme reading an overridden parameter can change verdict
        moved = (frame.select("row", *[pl.col(g).cast(pl.String) for g in groups]).with_columns(
            programme=pl.lit(pid), before=_verdict_of(before[pid]),
            after=_verdict_of(after[pid])).filter(before[pid].ne_missing(after[pid]))
            if pid in moving else None)
        gained = lost = total = 0
        if moved is not None and moved.height:
            gained = moved.filter(pl.col("after") == "eligible").height
            lost = moved.filter(pl.col("before") == "eligible").height
            total = moved.height
            tallies += [moved.group_by(group).len().select(
                pl.lit(pid).alias("programme"), pl.lit(f"by:{group}").alias("measure"),
                pl.col(group).fill_null("").alias("key"), pl.col("len").alias("n"))
                for group in groups]
            changes.append(_with_criteria(moved, frame, pid, plan))
        tallies.append(pl.DataFrame({
            "programme": [pid] * 3, "measure": ["gained", "lost", "total"], "key": [""] * 3,
            "n": [gained, lost, total]}, schema=TALLY))
    empty = pl.DataFrame(schema={"row": frame.schema["row"], "programme": pl.String,
                                 "before": VERDICT, "after": VERDICT,
                                 "criteria_changed": pl.List(pl.String)})
    return (pl.concat([empty, *changes]), pl.concat([t.cast(TALLY) for t in tallies]),  # type: ignore[arg-type]
            refused.height)


def _verdict_of(column: pl.Series) -> pl.Series:
    return pl.DataFrame({"v": column}).select(_verdict("v")).to_series()


def _verdict_counts(verdicts: pl.DataFrame, programmes: Sequence[str], measure: str
                    ) -> pl.DataFrame:
    """The verdict counts of :func:`engines.verdict_counts` as tally rows."""
    return pl.DataFrame([{"programme": pid, "measure": measure, "key": verdict, "n": n}
                         for pid, counts in verdict_counts(verdicts, programmes).items()
                         for verdict, n in counts.items()], schema=TALLY)


def _with_criteria(moved: pl.DataFrame, frame: pl.DataFrame, pid: str, plan: Plan
                   ) -> pl.DataFrame:
    """The changed rows of one programme with the criteria whose result changed."""
    moved = moved.sort("row")
    return moved.select("row", pl.col("programme").cast(pl.String), "before", "after").with_columns(
        criteria_changed=_criteria_changed(
            frame.filter(pl.col("row").is_in(moved["row"].implode())), pid, plan))


def _criteria_changed(rows: pl.DataFrame, pid: str, plan: Plan) -> pl.Series:
    """For the rows whose verdict changed (in row order): the criteria whose result did."""
    if rows.height == 0:
        return pl.Series("criteria_changed", [], dtype=pl.List(pl.String))
    before = evaluate(rows, [pid], plan.on, plan.baseline, include_drafts=plan.include_drafts)
    after = evaluate(rows, [pid], plan.on, plan.scenario, include_drafts=plan.include_drafts)
    criteria = [c.id for c, _route in next(p for p in PROGRAMMES if p.id == pid).criteria()
                if c.id in before.columns]
    return rows.select(criteria_changed=pl.concat_list([
        pl.when(before[c].ne_missing(after[c])).then(pl.lit(c)) for c in criteria]
    ).list.drop_nulls()).to_series() if criteria else pl.Series(
        "criteria_changed", [[]] * rows.height, dtype=pl.List(pl.String))


def compare_partition(part: Partition, plan: Plan) -> tuple[int, int, pl.DataFrame]:
    """Compare one row group and write its changes as one part file: (rows, refused,
    tallies).  Runs in this process or on a Dask worker."""
    changes, tallies, bad = compare(part.read(), plan, part.first_row)
    changes.write_parquet(Path(plan.changes) / f"part-{part.index:05d}.parquet")
    return part.rows, bad, tallies


def run(population: Path, scenario: Scenario, output: Path, *, on: dt.date,
        programmes: list[str] | None = None, baseline: Scenario | None = None,
        include_drafts: bool = False, engine: str = "local", scheduler: str | None = None,
        workers: int = 2, progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Evaluate ``baseline`` (the law in force, or another scenario) and ``scenario`` on
    every row of ``population``, partition by partition, here or on Dask."""
    engines.check_engine(engine)
    chosen = programmes or programme_ids()
    unknown = [p for p in chosen if p not in programme_ids()]
    if unknown:
        raise RulesError(f"unknown programme {unknown[0]!r}")
    output.mkdir(parents=True, exist_ok=True)
    parts, refused_before, staged = _population_parts(population, output)
    runner = engines.engine(engine, scheduler=scheduler, workers=workers)  # before any work
    folder = output / "changes.parquet"
    if folder.is_file():
        folder.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    plan = Plan(tuple(chosen), on, scenario, baseline, include_drafts, str(folder))
    total = sum(p.rows for p in parts)
    done, refused, tallies = 0, 0, []
    try:
        for _part, (rows, bad, tally) in runner.map(
                functools.partial(compare_partition, plan=plan), parts):
            done += rows
            refused += bad
            tallies.append(tally)
            if progress:
                progress(done, total)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        runner.close()
        if staged is not None:
            staged.unlink(missing_ok=True)
    summary = _summary(pl.concat(tallies) if tallies else pl.DataFrame(schema=TALLY), chosen,
                       rows=total - refused, bad=refused_before + refused, on=on,
                       engine=runner.name, baseline=baseline, scenario=scenario)
    (output / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    _chart(summary, output)
    return RunResult(summary["rows"], summary["bad_rows"], summary, output)


def _summary(tallies: pl.DataFrame, chosen: list[str], *, rows: int, bad: int, on: dt.date,
             engine: str, baseline: Scenario | None, scenario: Scenario) -> dict[str, Any]:
    """The summary.json document from the partitions' tallies, added up."""
    added = {(p, m, k): int(n) for p, m, k, n in tallies.group_by(
        "programme", "measure", "key").agg(pl.col("n").sum()).iter_rows()}
    summary: dict[str, Any] = {
        "rows": rows, "bad_rows": bad, "engine": engine, "on": on.isoformat(),
        "baseline_name": baseline.name if baseline else "law in force",
        "scenario_name": scenario.name, "baseline": {}, "scenario": {}, "changed": {},
        "by": {g: {} for g in GROUPS}}
    for pid in chosen:
        for measure in ("baseline", "scenario"):
            summary[measure][pid] = {v: added.get((pid, measure, v), 0)
                                     for v in VERDICT.categories}
        summary["changed"][pid] = {m: added.get((pid, m, ""), 0)
                                   for m in ("gained", "lost", "total")}
        for group in GROUPS:
            counts = {k: n for (p, m, k), n in added.items()
                      if p == pid and m == f"by:{group}"}
            if counts:
                summary["by"][group][pid] = dict(sorted(counts.items(),
                                                        key=lambda kv: (-kv[1], kv[0])))
    return summary


def verdict_chart(summary: dict[str, Any], *, names: dict[str, str], runs: tuple[str, str],
                  title: str, axis: str) -> alt.Chart:
    """Eligible people per programme, before beside after, in the reader's words.

    ``names`` label the programmes (their names, not ids), ``runs`` the two
    bars (the baseline's and the scenario's names); the same chart is written
    to files in English and drawn on the policy-lab page in its language.
    """
    rows = [{"programme": names.get(pid, pid), "run": label, "eligible": counts["eligible"]}
            for key, label in zip(("baseline", "scenario"), runs, strict=True)
            for pid, counts in summary[key].items()]
    order = list(runs)
    return alt.Chart(pl.DataFrame(rows)).mark_bar().encode(
        y=alt.Y("programme:N", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("eligible:Q", title=axis, axis=alt.Axis(tickCount=6, format="~s")),
        yOffset=alt.YOffset("run:N", sort=order),
        color=alt.Color("run:N", title=None, sort=order, legend=alt.Legend(orient="bottom")),
        tooltip=["programme", "run", alt.Tooltip("eligible:Q", format=",")],
    ).properties(width=480, title=title)


def _chart(summary: dict[str, Any], output: Path) -> None:
    """The chart files of a run (SVG and PNG), in English."""
    chart = verdict_chart(summary, names={p.id: p.name for p in PROGRAMMES},
                          runs=(summary["baseline_name"], summary["scenario_name"]),
                          title="Eligible before and after", axis="eligible people")
    spec = chart.to_dict()
    (output / "verdicts.svg").write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
    (output / "verdicts.png").write_bytes(vl_convert.vegalite_to_png(spec, scale=2))


def public_summary(result: RunResult) -> dict[str, Any]:
    """The ``--json`` document: rows, engine, counts, changes, by group."""
    s = result.summary
    return {"rows": s["rows"], "engine": s["engine"], "baseline": s["baseline"],
            "scenario": s["scenario"],
            "changed": {p: {"gained": c["gained"], "lost": c["lost"]}
                        for p, c in s["changed"].items()},
            "by": s["by"]}
