"""The local average wage table in the service: uploads, versions, and what the rules read.

The rules read the table from :mod:`kvisa.rules.reference` (pure, no database).
Here an administrator's upload becomes a new :class:`WageTable` version, in one
transaction with its audit event, and every process installs the newest version
before it evaluates (one indexed query at most every few seconds, see
:class:`SyncWageTableMiddleware`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kvisa.accounts.models import User
from kvisa.audit import log as audit
from kvisa.casework.errors import InvalidInput
from kvisa.casework.models import WageTable
from kvisa.casework.policy import Permission, require
from kvisa.rules import reference
from kvisa.rules.reference import AverageWage, ReferenceTableError

_lock = threading.Lock()
_installed_pk: int | None = None
_checked_at = 0.0
RECHECK_SECONDS = 5.0
"""How stale another process's upload may be here: requests check at most this often."""


def current_rows() -> tuple[int | None, tuple[AverageWage, ...]]:
    """(version id or None for the shipped table, rows) of the newest table."""
    latest = WageTable.objects.order_by("-pk").first()
    if latest is None:
        return None, reference.shipped()
    return latest.pk, reference.parse_average_wages(latest.csv_text)


def sync() -> None:
    """Install the newest stored version in this process if it is not the one in use."""
    global _installed_pk
    newest = WageTable.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest == _installed_pk:
        return
    with _lock:
        pk, rows = current_rows()
        reference.install(rows, f"db-{pk}" if pk else None)
        _installed_pk = pk


def upload(*, by: User, data: bytes, replace: bool = False, note: str = "",
           request_id: str = "") -> WageTable:
    """Extend (default) or replace the table with a CSV file, validated whole.

    Nothing is stored unless the whole resulting table is valid: a bad line,
    an overlap with the current figures or a gap is refused with its line.
    """
    require(by, Permission.CHANGE_REFERENCE_DATA)
    try:
        added = reference.parse_average_wages(data)
    except ReferenceTableError as exc:
        raise InvalidInput(_("The file was not used: %(why)s") % {"why": exc}) from None
    with transaction.atomic():
        # the newest row locked: two uploads at once are applied one after the other
        latest = WageTable.objects.select_for_update().order_by("-pk").first()
        before = (reference.parse_average_wages(latest.csv_text) if latest
                  else reference.shipped())
        try:
            rows = added if replace else reference.merge(before, added)
        except ReferenceTableError as exc:
            raise InvalidInput(_("The file was not used: %(why)s") % {"why": exc}) from None
        table = WageTable.objects.create(
            csv_text=reference.to_csv(rows), digest=reference.digest(rows), rows=len(rows),
            mode=WageTable.Mode.REPLACE if replace else WageTable.Mode.EXTEND,
            note=note[:300], uploaded_by=by)
        audit.record(actor=by.email, action="reference.wage_table", object_type="wage_table",
                     object_id=table.pk, request_id=request_id,
                     before={"digest": reference.digest(before), "rows": len(before)},
                     after={"digest": table.digest, "rows": table.rows, "mode": table.mode,
                            "added": len(added)})
    sync()
    return table


def sync_if_due() -> None:
    """:func:`sync`, at most every RECHECK_SECONDS per process (it runs on every request)."""
    global _checked_at
    now = time.monotonic()
    if now - _checked_at >= RECHECK_SECONDS:
        _checked_at = now
        sync()


class SyncWageTableMiddleware:
    """Before each page or API call, make sure the rules read the newest wage table."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/static/"):
            sync_if_due()
        return self.get_response(request)
