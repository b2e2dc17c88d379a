"""Counting an enquiry: one more in the day's count for its source, the UN M49
sub-region of the nationality (when answered) and the routes found open — and
nothing else (see :mod:`kvisa.analytics.enquiries` for why, and for the analysts'
view of the counts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kvisa import regions
from kvisa.casework.models import EnquiryCount

MAX_ROUTES_TEXT = 400


def record(source: str, *, nationality: str | None, routes_open: Iterable[str],
           day: dt.date | None = None) -> None:
    """Add one enquiry to its count (created at 1 the first time; safe under races)."""
    key = {"day": day or timezone.localdate(), "source": source,
           "sub_region": regions.sub_region(nationality) or "",
           "routes_open": ",".join(sorted(set(routes_open)))[:MAX_ROUTES_TEXT]}
    with transaction.atomic():
        if EnquiryCount.objects.filter(**key).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                EnquiryCount.objects.create(**key, count=1)
        except IntegrityError:  # another request created it first: add to theirs
            EnquiryCount.objects.filter(**key).update(count=F("count") + 1)
