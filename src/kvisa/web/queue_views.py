"""The officer's queue page: search, filters, sort by any column, count and pages.

A filter value that cannot be used is reported above the table and the queue
is shown without it (status 400), never silently dropped.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kvisa.accounts.typing import AuthedRequest
from kvisa.casework import selectors
from kvisa.casework.models import State
from kvisa.issuance.models import ResidentCard
from kvisa.rules import programme_ids
from kvisa.web.case_views import area

PRECHECKS = ("eligible", "not_eligible", "undetermined")


def _card(query: Any, problems: list[str]) -> HttpResponse | None:
    """A card by its 18-character number or the holder's old 15-character one."""
    wanted = query.get("card", "").strip().upper()[:18]
    if not wanted:
        return None
    found = ResidentCard.objects.filter(Q(number=wanted) | Q(old_number=wanted)
                                        ).order_by("-pk").first()
    if found is not None:
        return redirect("console:case", pk=found.application_id)
    problems.append(_("No card has the number %(number)s (new or old).") % {"number": wanted})
    return None


def _filters(query: Any, problems: list[str]) -> selectors.QueueFilters:
    try:
        older = int(query.get("older_than_days") or 0) or None
    except ValueError:
        older = None
        problems.append(_("“Older than” must be a whole number of days."))
    if older is not None and not 0 <= older <= selectors.MAX_AGE_DAYS:
        problems.append(_("“Older than” must be between 0 and %(max)d days.")
                        % {"max": selectors.MAX_AGE_DAYS})
        older = None
    state = query.get("state", "")
    if state and state not in {code for code, _label in State.choices}:
        problems.append(_("There is no state “%(value)s”.") % {"value": state[:40]})
        state = ""
    programme = query.get("programme", "")
    if programme and programme not in programme_ids():
        problems.append(_("There is no programme “%(value)s”.") % {"value": programme[:40]})
        programme = ""
    nationality = query.get("nationality", "").strip()
    if nationality and not (len(nationality) == 3 and nationality.isalpha()):
        problems.append(_("A nationality is a three-letter code such as IND."))
        nationality = ""
    precheck = query.get("precheck", "")
    if precheck and precheck not in PRECHECKS:
        problems.append(_("There is no pre-check result “%(value)s”.") % {"value": precheck[:40]})
        precheck = ""
    raw_officer = query.get("officer", "")
    officer = int(raw_officer) if raw_officer.isdigit() and len(raw_officer) < 10 else None
    if raw_officer and officer is None:
        problems.append(_("An officer is given by their number."))
    return selectors.QueueFilters(
        programme=programme, state=state, nationality=nationality, precheck=precheck,
        older_than_days=older, mine=query.get("mine") == "1",
        overdue=query.get("overdue") == "1", officer_id=officer)


@area("console")
def queue(request: AuthedRequest) -> HttpResponse:
    query = request.GET
    problems: list[str] = []
    found = _card(query, problems)
    if found is not None:
        return found
    filters = _filters(query, problems)
    sort = query.get("sort", "submitted")
    if sort.lstrip("-") not in selectors.QUEUE_SORTS:
        problems.append(_("The queue cannot be sorted by “%(value)s”.") % {"value": sort[:40]})
        sort = "submitted"
    raw_page = query.get("page", "1")
    page_number = int(raw_page) if raw_page.isdigit() and len(raw_page) < 7 else 0
    if page_number < 1:
        problems.append(_("A page is a whole number from 1."))
        page_number = 1
    listing = selectors.queue_listing(officer=request.user, filters=filters,
                                      search=query.get("q", ""), sort=sort, page=page_number,
                                      page_size=selectors.PAGE_SIZE)
    for problem in problems:
        messages.error(request, problem)
    today = timezone.localdate()
    rows = [(app, (today - app.submitted_at.date()).days if app.submitted_at else None)
            for app in listing.items]
    keep = query.copy()
    for name in ("page", "sort"):
        keep.pop(name, None)
    return render(request, "console/queue.html", {
        "listing": listing, "rows": rows, "filters": filters, "states": State.choices,
        "programmes": programme_ids(), "q": query.get("q", ""), "keep": keep.urlencode(),
        "columns": _columns(listing.sort)}, status=400 if problems else 200)


def _columns(sort: str) -> list[dict[str, str]]:
    """Header cells: label, the sort link's value, and aria-sort for the current one."""
    labels = {"reference": _("Reference"), "applicant": _("Applicant"),
              "nationality": _("Nationality"),
              "programme": _("Programme"), "state": _("Status"), "precheck": _("Pre-check"),
              "submitted": _("Waiting (days)"), "due": _("Evidence due"),
              "officer": _("Officer")}
    current, descending = sort.lstrip("-"), sort.startswith("-")
    cells = []
    for key, label in labels.items():
        active = key == current
        cells.append({"label": str(label), "sort": f"-{key}" if active and not descending
                      else key,
                      "aria": ("descending" if descending else "ascending") if active else ""})
    return cells
