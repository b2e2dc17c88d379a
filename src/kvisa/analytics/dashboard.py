"""The flows dashboard's numbers: applications over time, by nationality and region, by programme
and outcome, processing times, cases past their target, refusal reasons.

Everything is an aggregate computed with Polars from one narrow query (no
names, no passport numbers).  Analysts see small cells suppressed — a count
of 1 to 4 people is shown as "<5" and left out of charts and downloads —
because a small count next to a nationality and a week can single a person
out (statistical disclosure control, as national statistics offices practise
it); supervisors and administrators, who may see the cases anyway, see exact
counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from kvisa import regions
from kvisa.accounts.models import User
from kvisa.casework.errors import InvalidInput
from kvisa.casework.models import Application, Decision, State
from kvisa.casework.policy import Permission, may, require

SMALL = 5
ROUND_TO = 5


def exact_counts(user: User) -> bool:
    """Who sees exact small counts: supervisors and administrators (who may see the
    cases anyway); analysts see the disclosure-controlled figures."""
    return may(user, Permission.SEE_EXACT_COUNTS)


def disclosed_total(n: int, *, exact: bool) -> int | None:
    """A total as the reader may see it: exact, or for analysts rounded to the nearest 5
    (None, shown as "<5", below 5), so that two selections that differ by one person
    cannot be subtracted to reveal a suppressed cell."""
    if exact or n == 0:
        return n
    if n < SMALL:
        return None
    return int(ROUND_TO * round(n / ROUND_TO))


def disclosed_counts(counts: dict[Any, int], *, exact: bool) -> dict[Any, int | None]:
    """Counts by group, with 1-4 suppressed (None) for analysts: the API's flows and
    the dashboard's tables follow the same rule."""
    if exact:
        return dict(counts)
    return {key: (None if 0 < n < SMALL else n) for key, n in counts.items()}
OPEN_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.EVIDENCE_REQUESTED)
OUTCOMES = {State.ISSUED: "approved", State.APPROVED: "approved", State.REFUSED: "refused",
            State.WITHDRAWN: "withdrawn"}


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None
    end: dt.date | None = None
    programme: str = ""
    period: str = "week"   # week | month


def parse_filters(query: Any, programmes: list[str]) -> Filters:
    """Filters from a query string; a value that cannot be used is an error, not ignored."""
    def day(name: str) -> dt.date | None:
        raw = str(query.get(name, "")).strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"{name}: {raw!r} is not a date (YYYY-MM-DD)") from None

    start, end = day("start"), day("end")
    if start and end and start > end:
        raise InvalidInput("start: the start date is after the end date")
    programme = str(query.get("programme", "")).strip()
    if programme and programme not in programmes:
        raise InvalidInput(f"programme: there is no programme {programme!r}")
    period = str(query.get("period", "week")).strip() or "week"
    if period not in ("week", "month"):
        raise InvalidInput("period: choose week or month")
    return Filters(start, end, programme, period)


def _selected(queryset: QuerySet[Any], filters: Filters, case: str = "") -> QuerySet[Any]:
    """``queryset`` narrowed to the filters; ``case`` is the path to the case ("application__")."""
    if filters.start:
        queryset = queryset.filter(**{f"{case}submitted_at__date__gte": filters.start})
    if filters.end:
        queryset = queryset.filter(**{f"{case}submitted_at__date__lte": filters.end})
    if filters.programme:
        queryset = queryset.filter(**{f"{case}programme": filters.programme})
    return queryset


def cases(filters: Filters) -> pl.DataFrame:
    """One row per submitted case: dates, programme, nationality, state, first decision."""
    queryset = _selected(Application.objects.exclude(state=State.DRAFT).filter(
        submitted_at__isnull=False), filters)
    rows = list(queryset.annotate(decided=Min("decisions__decided_at")).values_list(
        "id", "submitted_at", "programme", "nationality", "state", "decided"))
    schema: dict[str, pl.DataType] = {
        "id": pl.Int64(), "submitted": pl.Datetime("us", "UTC"), "programme": pl.String(),
        "nationality": pl.String(), "state": pl.String(), "decided": pl.Datetime("us", "UTC")}
    return pl.DataFrame(rows, schema=schema, orient="row")


def refusal_reasons(filters: Filters) -> pl.DataFrame:
    """Criterion ids cited in refusals of the filtered cases, one row per citation."""
    queryset = _selected(Decision.objects.filter(
        outcome="refuse", application__submitted_at__isnull=False), filters, "application__")
    reasons = [r for listed in queryset.values_list("reasons", flat=True) for r in listed or ()]
    return pl.DataFrame({"criterion": reasons}, schema={"criterion": pl.String})


def over_time(frame: pl.DataFrame, period: str) -> pl.DataFrame:
    every = "1w" if period == "week" else "1mo"
    if frame.is_empty():
        return pl.DataFrame(schema={"period": pl.Date, "applications": pl.UInt32,
                                    "growth": pl.Float64})
    counted = (frame.with_columns(period=pl.col("submitted").dt.date().dt.truncate(every))
               .group_by("period").len("applications").sort("period"))
    # every period between the first and the last, an empty one as 0: a gap is shown
    first, last = counted["period"].min(), counted["period"].max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    every_period = pl.DataFrame({"period": pl.date_range(first, last, every, eager=True)})
    counted = every_period.join(counted, on="period", how="left").with_columns(
        pl.col("applications").fill_null(0).cast(pl.UInt32))
    return counted.with_columns(
        growth=(pl.col("applications") / pl.col("applications").shift(1) - 1))


def recent_growth(frame: pl.DataFrame, today: dt.date, weeks: int = 4) -> dict[str, Any]:
    """Applications in the last ``weeks`` weeks against the ``weeks`` before."""
    day = pl.col("submitted").dt.date()
    cut, before = today - dt.timedelta(weeks=weeks), today - dt.timedelta(weeks=2 * weeks)
    recent = frame.filter(day > cut).height
    earlier = frame.filter((day > before) & (day <= cut)).height
    change = (recent / earlier - 1) if earlier else None
    return {"weeks": weeks, "recent": recent, "earlier": earlier, "change": change}


def by_nationality(frame: pl.DataFrame) -> pl.DataFrame:
    return (frame.group_by("nationality").len("applications")
            .sort(["applications", "nationality"], descending=[True, False]))


def by_region(frame: pl.DataFrame) -> pl.DataFrame:
    """Applications per UN M49 sub-region of the nationality (:mod:`kvisa.regions`)."""
    sub = pl.col("nationality").replace_strict(regions.SUB_REGION_OF, default=None,
                                               return_dtype=pl.String)
    parent = {code: parent for code, (parent, _members) in regions.SUB_REGIONS.items()}
    counted = frame.with_columns(sub_region=sub).group_by("sub_region").len("applications")
    return (counted.with_columns(region=pl.col("sub_region").replace_strict(
        parent, default=None, return_dtype=pl.String))
        .select("region", "sub_region", "applications")
        .sort(["applications", "sub_region"], descending=[True, False], nulls_last=True))


def by_outcome(frame: pl.DataFrame) -> pl.DataFrame:
    outcome = pl.col("state").replace_strict(
        {str(k): v for k, v in OUTCOMES.items()}, default="open")
    return (frame.with_columns(outcome=outcome).group_by("programme", "outcome")
            .len("applications").sort("programme", "outcome"))


def processing(frame: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """Days from submission to first decision (median, p90) and open cases past target."""
    target = settings.PROCESSING_TARGET_DAYS
    with_days = frame.with_columns(
        days=(pl.col("decided") - pl.col("submitted")).dt.total_hours() / 24,
        waiting=(pl.lit(now) - pl.col("submitted")).dt.total_hours() / 24)
    decided = with_days.filter(pl.col("days").is_not_null()).group_by("programme").agg(
        decided=pl.len(), median_days=pl.col("days").median().round(1),
        p90_days=pl.col("days").quantile(0.9, "nearest").round(1))
    late = with_days.filter(pl.col("state").is_in([str(s) for s in OPEN_STATES])).group_by(
        "programme").agg(open=pl.len(), past_target=(pl.col("waiting") > target).sum())
    return decided.join(late, on="programme", how="full", coalesce=True).sort("programme")


def reasons(refusals: pl.DataFrame) -> pl.DataFrame:
    return (refusals.group_by("criterion").len("refusals")
            .sort(["refusals", "criterion"], descending=[True, False]))


def suppress(table: pl.DataFrame, columns: tuple[str, ...]) -> tuple[pl.DataFrame, int]:
    """Counts of 1-4 in ``columns`` become null (shown as "<5"); returns how many cells."""
    hidden = 0
    for column in columns:
        if column in table.columns:
            small = (pl.col(column) > 0) & (pl.col(column) < SMALL)
            hidden += table.select(small.sum()).item() or 0
            table = table.with_columns(pl.when(small).then(None).otherwise(pl.col(column))
                                       .alias(column))
    return table, hidden


@dataclass
class Dashboard:
    filters: Filters
    exact: bool                    # False: small cells suppressed
    total: int | None             # rounded to 5 for analysts; None below 5
    growth: dict[str, Any]
    tables: dict[str, pl.DataFrame]
    suppressed: int


COUNTS = {"over_time": ("applications",), "nationality": ("applications",),
          "region": ("applications",),
          "outcome": ("applications",), "processing": ("decided", "open", "past_target"),
          "reasons": ("refusals",)}


def dashboard(*, user: User, filters: Filters) -> Dashboard:
    """Every table of the dashboard, suppressed for analysts."""
    require(user, Permission.USE_ANALYTICS)
    frame = cases(filters)
    now = timezone.now()
    tables = {"over_time": over_time(frame, filters.period), "nationality": by_nationality(frame),
              "region": by_region(frame),
              "outcome": by_outcome(frame), "processing": processing(frame, now),
              "reasons": reasons(refusal_reasons(filters))}
    exact = exact_counts(user)
    hidden = 0
    if not exact:
        for name, columns in COUNTS.items():
            tables[name], count = suppress(tables[name], columns)
            hidden += count
        # statistics of a hidden group are hidden with it
        tables["processing"] = tables["processing"].with_columns(
            [pl.when(pl.col("decided").is_null()).then(None).otherwise(pl.col(c)).alias(c)
             for c in ("median_days", "p90_days")])
        if "growth" in tables["over_time"].columns:   # a rate from a hidden count is hidden
            tables["over_time"] = tables["over_time"].with_columns(
                growth=pl.when(pl.col("applications").is_null()
                               | pl.col("applications").shift(1).is_null())
                .then(None).otherwise(pl.col("growth")))
    growth = recent_growth(frame, timezone.localdate())
    if not exact and (0 < growth["recent"] < SMALL or 0 < growth["earlier"] < SMALL):
        growth = {**growth, "change": None, "suppressed": True}
    elif not exact:
        growth = {**growth, "recent": disclosed_total(growth["recent"], exact=False),
                  "earlier": disclosed_total(growth["earlier"], exact=False)}
    return Dashboard(filters, exact, disclosed_total(frame.height, exact=exact), growth,
                     tables, hidden)


def flow_statistics(*, user: User) -> dict[str, Any]:
    """Aggregates only (no personal data): for analysts, supervisors and administrators."""
    require(user, Permission.USE_ANALYTICS)
    exact = exact_counts(user)
    submitted = Application.objects.exclude(state=State.DRAFT)

    def by(column: str, limit: int | None = None) -> dict[str, int | None]:
        rows = submitted.values_list(column).annotate(n=Count("id")).order_by("-n", column)
        return disclosed_counts(dict(rows[:limit] if limit else rows), exact=exact)

    return {
        "by_state": by("state"), "by_nationality": by("nationality", 15),
        "by_programme": by("programme"), "by_precheck": by("precheck"),
        "total": disclosed_total(submitted.count(), exact=exact),
        "exact": exact,
    }
