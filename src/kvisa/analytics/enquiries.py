"""Enquiries as the seed counts them: "enquiries up more than 30% since August, from
India, Southeast Asia, Europe and the United States".

Each finished guided comparison and each application started from a start page
is one enquiry, added to a count per day, source, UN M49 sub-region of the
nationality (when answered) and routes found open.  Nothing else is kept: no
name, no address, no cookie, no time of day — and so no audit event per
enquiry either, which would itself be a timestamped record of one person's
visit; the counts are statistics, not case data.

The analysts' view: enquiries per week by region, and the change since a chosen
day against the same length of time before it ("+32% since 1 Aug").  Counts
under :data:`~kvisa.analytics.dashboard.SMALL` are suppressed for analysts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db.models import Sum
from django.utils.translation import gettext

from kvisa import regions
from kvisa.analytics.dashboard import SMALL, disclosed_total
from kvisa.casework.models import EnquiryCount


def weekly(*, exact: bool, lang: str = "en") -> pl.DataFrame:
    """Enquiries per week (Monday) and M49 sub-region of the nationality (null: not
    answered), small counts null for analysts."""
    rows = (EnquiryCount.objects.values("day", "sub_region").annotate(n=Sum("count"))
            .order_by())
    frame = pl.DataFrame([{"day": r["day"], "sub_region": r["sub_region"] or None,
                           "enquiries": int(r["n"])} for r in rows],
                         schema={"day": pl.Date, "sub_region": pl.String,
                                 "enquiries": pl.Int64})
    table = (frame.with_columns(week=pl.col("day").dt.truncate("1w"))
             .group_by("week", "sub_region").agg(pl.col("enquiries").sum())
             .sort(["week", "sub_region"], nulls_last=True))
    table = table.with_columns(sub_region_label=pl.col("sub_region").map_elements(
        lambda code: regions.region_name(code, lang), return_dtype=pl.String)
        .fill_null(gettext("Not given")))
    if not exact:
        small = (pl.col("enquiries") > 0) & (pl.col("enquiries") < SMALL)
        table = table.with_columns(enquiries=pl.when(small).then(None)
                                   .otherwise(pl.col("enquiries")))
    return table.select("week", "sub_region", "sub_region_label", "enquiries")


def growth_since(since: dt.date, today: dt.date, *, exact: bool) -> dict[str, Any]:
    """Enquiries from ``since`` to ``today`` against the same number of days before.

    Where counting began inside that earlier period, the two are compared per day
    over the days actually counted (``per_day``, with ``counted_from``): a period
    partly before the first count is not a period with no enquiries.
    """
    length = (today - since).days + 1
    before = since - dt.timedelta(days=length)
    first = EnquiryCount.objects.order_by("day").values_list("day", flat=True).first()

    def total(start: dt.date, end: dt.date) -> int:
        found = EnquiryCount.objects.filter(day__gte=start, day__lte=end).aggregate(
            n=Sum("count"))["n"]
        return int(found or 0)

    recent, earlier = total(since, today), total(before, since - dt.timedelta(days=1))
    counted_from = max(before, first) if first is not None else before
    earlier_days = (since - counted_from).days
    per_day = counted_from > before
    change = None
    if earlier and earlier_days > 0:
        change = (recent / length) / (earlier / earlier_days) - 1
    result = {"since": since, "days": length, "recent": recent, "earlier": earlier,
              "change": change, "suppressed": False, "per_day": per_day,
              "counted_from": counted_from, "earlier_days": earlier_days}
    if not exact and (0 < recent < SMALL or 0 < earlier < SMALL):
        return {**result, "change": None, "suppressed": True,
                "recent": disclosed_total(recent, exact=False),
                "earlier": disclosed_total(earlier, exact=False)}
    if not exact:
        return {**result, "recent": disclosed_total(recent, exact=False),
                "earlier": disclosed_total(earlier, exact=False)}
    return result


def default_since(today: dt.date) -> dt.date:
    """1 August of the latest year where it has passed: the seed's reference point."""
    august = dt.date(today.year, 8, 1)
    return august if august <= today else dt.date(today.year - 1, 8, 1)
