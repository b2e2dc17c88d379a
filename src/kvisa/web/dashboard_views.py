"""The flows dashboard page and its downloads (analysts, supervisors, administrators).

Each chart has its table beside it (a ``<details>`` a screen reader or a
printer can open) and CSV and Parquet downloads of exactly that table, small
cells suppressed for analysts as on the page.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

import polars as pl
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvisa import regions
from kvisa.accounts.typing import AuthedRequest
from kvisa.analytics import charts, dashboard, enquiries
from kvisa.casework.errors import CaseworkError
from kvisa.i18n import language, translate
from kvisa.reference import country_name
from kvisa.rules.programmes import PROGRAMMES
from kvisa.spreadsheet_csv import frame_to_csv
from kvisa.web.case_views import area

FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


def _words() -> dict[str, str]:
    return {"period": _("Week or month of submission"), "applications": _("Applications"),
            "refusals": _("Refusals citing it"), "outcome": _("Outcome"),
            "days": _("Days from submission to decision"), "median": _("Median"),
            "p90": _("90th percentile"), "week": _("Week"), "enquiries": _("Enquiries"),
            "region": _("Region of the nationality"),
            "suppressed": _("<%(n)s") % {"n": dashboard.SMALL}}


def _enquiries(request: AuthedRequest) -> dict[str, Any]:
    """The enquiries section: weekly counts by region, and the change since a day."""
    exact = dashboard.exact_counts(request.user)
    today = timezone.localdate()
    try:
        since = dt.date.fromisoformat(str(request.GET.get("enquiries_since", "")))
    except ValueError:
        since = enquiries.default_since(today)
    since = min(since, today)
    table = enquiries.weekly(exact=exact, lang=language(get_language()))
    return {"since": since, "growth": enquiries.growth_since(since, today, exact=exact),
            "table": table.to_dicts(), "chart": charts.enquiries(table, _words())}


def _labelled(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Readable labels beside the codes: programme and country names, outcomes, criteria."""
    names = {p.id: translate(p.name, get_language()) for p in PROGRAMMES}
    lang = language(get_language())
    texts = {c.id: translate(c.text, lang) for p in PROGRAMMES for c, _r in p.criteria()}
    outcome = {"approved": _("approved"), "refused": _("refused"), "withdrawn": _("withdrawn"),
               "open": _("open")}
    out = dict(tables)
    out["nationality"] = tables["nationality"].with_columns(
        country=pl.col("nationality").map_elements(
            lambda c: f"{country_name(c, lang) or c} ({c})" if c else "—",
            return_dtype=pl.String))
    unknown = _("No M49 region (stateless or other)")
    out["region"] = tables["region"].with_columns(
        region_label=pl.col("region").map_elements(
            lambda c: regions.region_name(c, lang) or c, return_dtype=pl.String).fill_null(
                unknown),
        sub_region_label=pl.col("sub_region").map_elements(
            lambda c: regions.region_name(c, lang) or c, return_dtype=pl.String).fill_null(
                unknown))
    for key in ("outcome", "processing"):
        out[key] = tables[key].with_columns(programme_label=pl.col("programme").replace_strict(
            names, default=pl.col("programme")))
    out["outcome"] = out["outcome"].with_columns(
        outcome_label=pl.col("outcome").replace_strict(outcome, default=pl.col("outcome")))
    out["reasons"] = tables["reasons"].with_columns(criterion_text=pl.col("criterion")
                                                    .replace_strict(texts,
                                                                    default=pl.col("criterion")))
    return out


def _board(request: AuthedRequest) -> dashboard.Dashboard:
    filters = dashboard.parse_filters(request.GET, [p.id for p in PROGRAMMES])
    return dashboard.dashboard(user=request.user, filters=filters)


@area("analytics")
def analytics(request: AuthedRequest) -> HttpResponse:
    try:
        board = _board(request)
    except CaseworkError as exc:
        return render(request, "analytics.html", {"error": exc.detail, "query": request.GET,
                                                  "programmes": PROGRAMMES}, status=400)
    tables = _labelled(board.tables)
    words = _words()
    drawn = {
        "over_time": charts.over_time(tables["over_time"], words),
        "nationality": charts.horizontal(tables["nationality"], "country",
                                                   "applications", words),
        "region": charts.horizontal(tables["region"], "sub_region_label",
                                              "applications", words),
        "outcome": charts.outcomes(tables["outcome"], words),
        "processing": charts.processing(tables["processing"], words),
        "reasons": charts.horizontal(tables["reasons"], "criterion_text", "refusals",
                                               words, top=10),
    }
    query = urlencode({k: v for k, v in request.GET.items() if v})
    return render(request, "analytics.html", {
        "board": board, "tables": {k: t.to_dicts() for k, t in tables.items()},
        "charts": drawn, "query": request.GET, "download_query": query,
        "programmes": PROGRAMMES, "target_days": settings.PROCESSING_TARGET_DAYS,
        "small": dashboard.SMALL, "enquiries": _enquiries(request)})


@area("analytics")
def analytics_download(request: AuthedRequest, table: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS or table not in (*dashboard.COUNTS, "enquiries"):
        raise Http404
    if table == "enquiries":
        frame = enquiries.weekly(exact=dashboard.exact_counts(request.user),
                                 lang=language(get_language()))
    else:
        try:
            board = _board(request)
        except CaseworkError as exc:
            return HttpResponse(exc.detail, status=400,
                                content_type="text/plain; charset=utf-8")
        frame = _labelled(board.tables)[table]
    if fmt == "csv":
        body = frame_to_csv(frame)
    else:
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        body = buffer.getvalue()
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="kvisa-{table}.{fmt}"'
    return response
