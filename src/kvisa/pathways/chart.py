"""The pathways chart: government fees against time to start, one mark per route.

Drawn on the server with Vega-Altair and rendered to SVG by vl-convert (no CDN,
no script in the page, works offline).  Fees use a symmetric-log scale so a
US$100,000 route does not flatten the others; each route has its own colour in
a legend (labels on the marks would overprint where routes sit close), the
verdict is in the legend and repeated by the mark's shape, and a route whose
fees are only "up to" an amount is drawn hollow at that amount.  Routes
without published fees or time are listed under the chart, never placed at zero.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl
import vl_convert

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate

CNY_PER_USD = 7.1  # only to put CNY fees on the same axis; the table shows each currency

# the chart's words, message ids of the one catalogue (read with translate)
WORDS = {"days": N_("Days from applying to starting (log scale)"),
         "fees": N_("Fees, US$ equivalent (log scale)"), "route": N_("Route"),
         "verdict": N_("Verdict"), "up_to": N_("Fees")}
DAY_TICKS = [0, 7, 30, 90, 180, 365, 730, 1460]
FEE_TICKS = [0, 100, 1_000, 10_000, 100_000, 1_000_000]
SHAPES = {"eligible": "circle", "undetermined": "diamond", "not_eligible": "cross"}


def chart_rows(points: list[dict[str, Any]], lang: str) -> tuple[list[dict[str, Any]], list[str]]:
    """(marks, names of routes that cannot be placed) from the view's per-route figures."""
    placed, unplaced = [], []
    for point in points:
        name = translate(point["name"], lang)
        certain = point["usd"] + point["cny"] / CNY_PER_USD
        highest = max(certain, point["usd_up_to"] + point["cny"] / CNY_PER_USD)
        if point["days"] is None:
            unplaced.append(name)
            continue
        placed.append({"route": f"{name} — {point['verdict_label']}", "days": point["days"],
                       "fees": round(highest, 2),
                       "conditional": highest > certain, "verdict": point["verdict"],
                       "verdict_label": point["verdict_label"]})
    return placed, unplaced


def cost_time_svg(points: list[dict[str, Any]], lang: str = "en", *, narrow: bool = False
                  ) -> tuple[str, list[str]]:
    """(SVG text, routes left off) for the routes compared; empty SVG when none can be placed.

    ``narrow`` draws for a phone (about 340 px: one legend column, shorter labels'
    room), where the wide chart would be scaled down to unreadable text."""
    words = {key: translate(message, lang) for key, message in WORDS.items()}
    placed, unplaced = chart_rows(points, lang)
    if not placed:
        return "", unplaced
    frame = pl.DataFrame(placed)
    top_days = max(row["days"] for row in placed) or 1
    top_fees = max(row["fees"] for row in placed) or 1
    verdicts = sorted({row["verdict_label"] for row in placed})
    shapes = [SHAPES.get(next(r["verdict"] for r in placed if r["verdict_label"] == v), "circle")
              for v in verdicts]
    base = alt.Chart(frame).encode(
        x=alt.X("days:Q", title=words["days"], scale=alt.Scale(type="symlog", constant=30),
                axis=alt.Axis(values=[d for d in DAY_TICKS if d <= 2 * top_days], grid=True)),
        y=alt.Y("fees:Q", title=words["fees"], scale=alt.Scale(type="symlog", constant=50),
                axis=alt.Axis(values=[f for f in FEE_TICKS if f <= 10 * top_fees], grid=True,
                              format=",.0f")),
        color=alt.Color("route:N", title=words["route"],
                        legend=alt.Legend(orient="bottom", columns=1 if narrow else 2,
                                          labelLimit=320 if narrow else 260)),
        # the verdict is in each legend label; the shape repeats it on the mark
        shape=alt.Shape("verdict_label:N", scale=alt.Scale(domain=verdicts, range=shapes),
                        legend=None),
        tooltip=[alt.Tooltip("route:N", title=words["route"]),
                 alt.Tooltip("verdict_label:N", title=words["verdict"]),
                 alt.Tooltip("days:Q"), alt.Tooltip("fees:Q", format=",.0f",
                                                     title=words["up_to"])])
    marks = base.mark_point(size=160, strokeWidth=2.5).encode(
        fill=alt.condition("datum.conditional", alt.value("white"), "route:N", legend=None))
    size = 13 if narrow else 12  # a phone shows the narrow chart at its own size
    chart = (marks.properties(width=260 if narrow else 500, height=220 if narrow else 260,
                              padding=4 if narrow else 12)
             .configure(font="sans-serif")
             .configure_axis(labelFontSize=size, titleFontSize=size)
             .configure_legend(labelFontSize=size, titleFontSize=size))
    svg = vl_convert.vegalite_to_svg(chart.to_dict(), format_locale=None)
    return svg, unplaced
