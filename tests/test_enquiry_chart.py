"""The weekly enquiries chart shows every week: a week with none is a gap on the axis,
and a week whose counts are all suppressed says so (issue 27, rule 6)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from kvisa.analytics import charts

WORDS = {"week": "Week", "enquiries": "Enquiries", "region": "Region", "suppressed": "<5"}


def test_empty_and_suppressed_weeks_stay_on_the_axis() -> None:
    table = pl.DataFrame({
        "week": [dt.date(2026, 11, 2), dt.date(2026, 11, 2), dt.date(2026, 11, 16),
                 dt.date(2026, 11, 30)],
        "sub_region": ["034", None, "034", "155"],
        "sub_region_label": ["Southern Asia", "Not given", "Southern Asia", "Western Europe"],
        "enquiries": [12, 7, None, 9]})
    svg = charts.enquiries(table, WORDS)
    for week in ("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"):
        assert week in svg, week  # 9 and 23 Nov had none; 16 Nov only a suppressed count
    assert "&lt;5" in svg  # the week with every count suppressed is marked
    shown = charts.enquiries(table.filter(pl.col("enquiries").is_not_null()), WORDS)
    assert "&lt;5" not in shown and "2026-11-16" in shown


def test_no_enquiries_draws_no_chart() -> None:
    empty = pl.DataFrame(schema={"week": pl.Date, "sub_region": pl.String,
                                 "sub_region_label": pl.String, "enquiries": pl.Int64})
    assert charts.enquiries(empty, WORDS) == ""
