"""What a rule change does to whom: a baseline and a scenario on the same rows.

Both are evaluated on the same population in one pass of reading; the output
folder holds ``changes.parquet`` (one row per person and programme whose verdict
changed: before, after, and the criteria whose result changed), ``summary.json``
(counts before and after, gained and lost, changes by nationality and by
highest degree) and a chart (``verdicts.svg`` and ``verdicts.png``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import vl_convert

from kvisa.population.validate import REASON, validate_batch
from kvisa.rules import RulesError, evaluate
from kvisa.rules.engine import programme_ids
from kvisa.rules.programmes import PROGRAMMES
from kvisa.rules.scenario import Scenario

VERDICT = pl.Enum(["eligible", "not_eligible", "undetermined"])
GROUPS = ("nationality", "highest_degree")


@dataclass
class RunResult:
    rows: int
    bad_rows: int
    summary: dict[str, Any]
    output: Path


def read_population(path: Path) -> tuple[pl.DataFrame, int]:
    """(valid rows with a ``row`` number, count of rows refused) from Parquet or CSV."""
    if not path.exists():
        raise RulesError(f"{path}: no such population file")
    if path.suffix == ".parquet":
        frame = pl.read_parquet(path)
    elif path.suffix == ".csv":
        frame = validate_batch(pl.read_csv(path, infer_schema=False))
    else:
        raise RulesError(f"{path}: a population is a .parquet or .csv file")
    frame = frame.with_row_index("row")
    if REASON in frame.columns:
        bad = frame.filter(pl.col(REASON).is_not_null()).height
        frame = frame.filter(pl.col(REASON).is_null()).drop(REASON)
        return frame, bad
    return frame, 0


def _verdict(column: str) -> pl.Expr:
    return (pl.when(pl.col(column).is_null()).then(pl.lit("undetermined"))
            .when(pl.col(column)).then(pl.lit("eligible"))
            .otherwise(pl.lit("not_eligible")).cast(VERDICT))


def _counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    counts = {v: 0 for v in VERDICT.categories}
    for verdict, n in frame.group_by(column).len().iter_rows():
        counts[str(verdict)] = int(n)
    return counts


def run(population: Path, scenario: Scenario, output: Path, *, on: dt.date,
        programmes: list[str] | None = None, baseline: Scenario | None = None,
        include_drafts: bool = False) -> RunResult:
    """Evaluate ``baseline`` (the law in force, or another scenario) and ``scenario``."""
    chosen = programmes or programme_ids()
    unknown = [p for p in chosen if p not in programme_ids()]
    if unknown:
        raise RulesError(f"unknown programme {unknown[0]!r}")
    frame, bad = read_population(population)
    before = evaluate(frame, chosen, on, baseline, include_drafts=include_drafts)
    after = evaluate(frame, chosen, on, scenario, include_drafts=include_drafts)
    output.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"rows": frame.height, "bad_rows": bad, "engine": "local",
                               "on": on.isoformat(),
                               "baseline_name": baseline.name if baseline else "law in force",
                               "scenario_name": scenario.name, "baseline": {},
                               "scenario": {}, "changed": {}, "by": {g: {} for g in GROUPS}}
    changes = []
    for pid in chosen:
        criteria = [c.id for c, _route in next(p for p in PROGRAMMES if p.id == pid).criteria()
                    if c.id in before.columns]
        both = pl.DataFrame({
            "row": frame["row"], "programme": pl.Series([pid] * frame.height),
            "before": before.select(_verdict(pid)).to_series(),
            "after": after.select(_verdict(pid)).to_series(),
            **{g: frame[g] for g in GROUPS if g in frame.columns}})
        summary["baseline"][pid] = _counts(both, "before")
        summary["scenario"][pid] = _counts(both, "after")
        moved = both.with_columns(
            criteria_changed=pl.concat_list([
                pl.when(before[c].ne_missing(after[c])).then(pl.lit(c)) for c in criteria]
            ).list.drop_nulls() if criteria else pl.lit([], dtype=pl.List(pl.String))
        ).filter(pl.col("before") != pl.col("after"))
        summary["changed"][pid] = {
            "gained": moved.filter(pl.col("after") == "eligible").height,
            "lost": moved.filter(pl.col("before") == "eligible").height,
            "total": moved.height}
        for group in GROUPS:
            if group in moved.columns:
                summary["by"][group][pid] = {
                    str(k): int(n) for k, n in moved.group_by(group).len().sort(
                        "len", descending=True).iter_rows()}
        changes.append(moved.select("row", "programme", "before", "after",
                                    "criteria_changed"))
    pl.concat(changes).write_parquet(output / "changes.parquet")
    (output / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    _chart(summary, output)
    return RunResult(frame.height, bad, summary, output)


def _chart(summary: dict[str, Any], output: Path) -> None:
    """Eligible people per programme, baseline beside scenario (SVG and PNG)."""
    rows = [{"programme": pid, "run": label, "eligible": counts["eligible"]}
            for key, label in (("baseline", summary["baseline_name"]),
                               ("scenario", summary["scenario_name"]))
            for pid, counts in summary[key].items()]
    order = [summary["baseline_name"], summary["scenario_name"]]
    chart = alt.Chart(pl.DataFrame(rows)).mark_bar().encode(
        y=alt.Y("programme:N", title=None),
        x=alt.X("eligible:Q", title="eligible people"),
        yOffset=alt.YOffset("run:N", sort=order),
        color=alt.Color("run:N", title=None, sort=order, legend=alt.Legend(orient="bottom")),
        tooltip=["programme", "run", alt.Tooltip("eligible:Q", format=",")],
    ).properties(width=480, title="Eligible before and after")
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
