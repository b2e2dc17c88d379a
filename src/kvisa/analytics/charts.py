"""The dashboard's charts: Vega-Altair specifications rendered to SVG by vl-convert on
the server (no script, no CDN: the page works offline), one per table, with the
words in the reader's language.  Suppressed cells (null counts) are left out."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import altair as alt
import polars as pl
import vl_convert

WIDTH = 520


COUNT_AXIS = alt.Axis(tickMinStep=1, format="d")   # people come whole: no 0.5 ticks


def render_svg(chart: alt.TopLevelMixin) -> str:
    """A chart as SVG, drawn here (vl-convert: no browser, no CDN) in the site's fonts."""
    spec = chart.configure(font="Noto Sans CJK SC, Noto Sans, sans-serif").configure_axis(
        labelFontSize=12, titleFontSize=12).configure_legend(labelFontSize=12,
                                                             titleFontSize=12).to_dict()
    return str(vl_convert.vegalite_to_svg(spec))


def over_time(table: pl.DataFrame, words: dict[str, str]) -> str:
    shown = table.filter(pl.col("applications").is_not_null())
    if shown.is_empty():
        return ""
    # one band per period (not a time axis): a lone week still reads as a bar; every
    # period keeps its place on the axis, so a suppressed or empty one shows as a gap
    periods = table["period"].dt.strftime("%Y-%m-%d").to_list()
    data = shown.with_columns(pl.col("period").dt.strftime("%Y-%m-%d")).to_dicts()
    chart = alt.Chart(alt.Data(values=data)).mark_bar(color="#0b5cad").encode(
        x=alt.X("period:O", title=words["period"], axis=alt.Axis(labelAngle=-45),
                scale=alt.Scale(domain=periods)),
        y=alt.Y("applications:Q", title=words["applications"], axis=COUNT_AXIS),
        tooltip=["period:O", "applications:Q"],
    ).properties(width=WIDTH, height=220)
    return render_svg(chart)


def horizontal(table: pl.DataFrame, label: str, value: str, words: dict[str, str],
               *, top: int = 15) -> str:
    shown = table.filter(pl.col(value).is_not_null()).head(top)
    if shown.is_empty():
        return ""
    chart = alt.Chart(alt.Data(values=shown.select(label, value).to_dicts())).mark_bar(
        color="#0b5cad").encode(
        y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X(f"{value}:Q", title=words[value], axis=COUNT_AXIS),
        tooltip=[f"{label}:N", f"{value}:Q"],
    ).properties(width=WIDTH - 180, height=max(60, 22 * shown.height))
    return render_svg(chart)


def outcomes(table: pl.DataFrame, words: dict[str, str]) -> str:
    shown = table.filter(pl.col("applications").is_not_null())
    if shown.is_empty():
        return ""
    data: list[dict[str, Any]] = shown.select("programme_label", "outcome_label",
                                              "applications").to_dicts()
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        y=alt.Y("programme_label:N", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("applications:Q", title=words["applications"], stack="zero", axis=COUNT_AXIS),
        color=alt.Color("outcome_label:N", title=words["outcome"],
                        legend=alt.Legend(orient="bottom")),
        tooltip=["programme_label:N", "outcome_label:N", "applications:Q"],
    ).properties(width=WIDTH - 180, height=max(60, 40 * shown["programme_label"].n_unique()))
    return render_svg(chart)


def processing(table: pl.DataFrame, words: dict[str, str]) -> str:
    shown = table.filter(pl.col("median_days").is_not_null())
    if shown.is_empty():
        return ""
    long = shown.select("programme_label", "median_days", "p90_days").unpivot(
        index="programme_label", variable_name="measure", value_name="days").with_columns(
        pl.col("measure").replace_strict({"median_days": words["median"],
                                          "p90_days": words["p90"]}))
    chart = alt.Chart(alt.Data(values=long.to_dicts())).mark_bar().encode(
        y=alt.Y("programme_label:N", title=None, axis=alt.Axis(labelLimit=320)),
        yOffset=alt.YOffset("measure:N"),
        x=alt.X("days:Q", title=words["days"]),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["programme_label:N", "measure:N", "days:Q"],
    ).properties(width=WIDTH - 180, height=max(60, 46 * shown.height))
    return render_svg(chart)


def enquiries(table: pl.DataFrame, words: dict[str, str]) -> str:
    """Enquiries per week, stacked by the M49 sub-region of the nationality.

    Every week from the first to the last is on the axis: a week with no enquiries is
    a visible gap, and a week whose every count is suppressed (fewer than the small
    count) is marked as such (``words["suppressed"]``), never silently left out."""
    if table.is_empty():
        return ""
    first, last = cast(dt.date, table["week"].min()), cast(dt.date, table["week"].max())
    weeks = [w.isoformat() for w in pl.date_range(first, last, "1w", eager=True).to_list()]
    shown = table.filter(pl.col("enquiries").is_not_null())
    hidden = (table.group_by("week").agg(pl.col("enquiries").is_null().all().alias("all"))
              .filter(pl.col("all")).get_column("week").sort())
    x = alt.X("week:O", title=words["week"], scale=alt.Scale(domain=weeks),
              axis=alt.Axis(labelAngle=-45))
    data = shown.with_columns(pl.col("week").dt.strftime("%Y-%m-%d")).select(
        "week", "sub_region_label", "enquiries").to_dicts()
    bars = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=x, y=alt.Y("sum(enquiries):Q", title=words["enquiries"], axis=COUNT_AXIS),
        color=alt.Color("sub_region_label:N", title=words["region"],
                        scale=alt.Scale(scheme="tableau20"),  # a colour per sub-region
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=220)),
        tooltip=["week:O", "sub_region_label:N", "enquiries:Q"],
    )
    marks = alt.Chart(alt.Data(values=[{"week": w.isoformat(), "enquiries": 0,
                                        "note": words["suppressed"]} for w in hidden])
                      ).mark_text(dy=-8, fontSize=11).encode(x=x, y="enquiries:Q", text="note:N")
    return render_svg((bars + marks).properties(width=WIDTH, height=220))
