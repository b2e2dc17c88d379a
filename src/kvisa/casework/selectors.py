"""Queries: what a user may see, the officer queue, workload, analytics aggregates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from kvisa.accounts.models import AdviserLink, User
from kvisa.audit import security_log
from kvisa.casework.errors import NotFound
from kvisa.casework.models import Application, State
from kvisa.casework.policy import Permission, decide, may, require, roles_with

PAGE_SIZE = 50


def application_get(*, user: User, application_id: int, request_id: str = "") -> Application:
    """The application if ``user`` may see it; otherwise NotFound (never "forbidden",
    which would reveal that it exists)."""
    queryset = Application.objects.select_related("applicant", "assigned_to")
    try:
        application = queryset.get(pk=application_id)
    except (Application.DoesNotExist, ValueError):
        raise NotFound("No such application.") from None
    if not decide(user, Permission.SEE_CASE, application):
        security_log.access_refused(user=user, application_id=application.pk, via="read",
                                    request_id=request_id)
        raise NotFound("No such application.")
    return application


def applications_for(*, user: User) -> QuerySet[Application]:
    require(user, Permission.USE_PORTAL)
    if may(user, Permission.ACT_FOR_CLIENTS):
        clients = AdviserLink.objects.filter(adviser=user, revoked_at__isnull=True).values(
            "applicant_id")
        return Application.objects.filter(applicant_id__in=clients).order_by("-updated_at")
    return Application.objects.filter(applicant=user).order_by("-updated_at")


MAX_AGE_DAYS = 36_500
"""The oldest a case can be asked about (100 years): beyond it a date would leave the calendar."""


@dataclass
class QueueFilters:
    programme: str = ""
    state: str = ""
    nationality: str = ""
    precheck: str = ""
    older_than_days: int | None = None
    mine: bool = False
    overdue: bool = False
    officer_id: int | None = None


@dataclass
class QueuePage:
    items: list[Application]
    next_cursor: str | None


def _queue_queryset(officer: User, filters: QueueFilters) -> QuerySet[Application]:
    require(officer, Permission.USE_CONSOLE)
    queryset = Application.objects.select_related("applicant", "assigned_to")
    if filters.state and filters.state != State.DRAFT:
        queryset = queryset.filter(state=filters.state)
    else:
        queryset = queryset.filter(state__in=[State.SUBMITTED, State.UNDER_REVIEW,
                                              State.EVIDENCE_REQUESTED])
    if filters.programme:
        queryset = queryset.filter(programme=filters.programme)
    if filters.nationality:
        queryset = queryset.filter(nationality=filters.nationality.upper()[:3])
    if filters.precheck:
        queryset = queryset.filter(precheck=filters.precheck)
    if filters.older_than_days:
        queryset = queryset.filter(
            submitted_at__lte=timezone.now() - dt.timedelta(days=filters.older_than_days))
    if filters.mine:
        queryset = queryset.filter(assigned_to=officer)
    if filters.officer_id:
        queryset = queryset.filter(assigned_to_id=filters.officer_id)
    if filters.overdue:
        queryset = queryset.filter(state=State.EVIDENCE_REQUESTED,
                                   evidence_requests__due_date__lt=timezone.localdate(),
                                   evidence_requests__answered_at__isnull=True)
    return queryset


def application_queue(*, officer: User, filters: QueueFilters, cursor: str | None = None,
                      page_size: int = PAGE_SIZE) -> QueuePage:
    """Oldest submitted first, keyset-paged on (submitted_at, id): constant time per page
    however deep, backed by the ``queue_*`` indexes (the API's queue)."""
    queryset = _queue_queryset(officer, filters)
    if cursor:
        try:
            stamp, pk = cursor.split("_")
            after = dt.datetime.fromisoformat(stamp)
            queryset = queryset.filter(Q(submitted_at__gt=after) |
                                       Q(submitted_at=after, pk__gt=int(pk)))
        except ValueError:
            pass  # a mangled cursor restarts from the first page
    items = list(queryset.order_by("submitted_at", "pk")[:page_size + 1])
    following = None
    if len(items) > page_size:
        items = items[:page_size]
        last = items[-1]
        following = f"{last.submitted_at.isoformat()}_{last.pk}" if last.submitted_at else None
    return QueuePage(items, following)


# the officer's queue page: column → ordering (the "waiting" column is the submission date)
QUEUE_SORTS = {
    "submitted": ("submitted_at", "pk"), "reference": ("reference",),
    "applicant": ("identity__surname", "identity__given_names", "submitted_at"),
    "nationality": ("nationality", "submitted_at"), "programme": ("programme", "submitted_at"),
    "state": ("state", "submitted_at"), "precheck": ("precheck", "submitted_at"),
    "officer": ("assigned_to__display_name", "submitted_at"), "due": ("due", "submitted_at"),
}


@dataclass
class QueueListing:
    items: Sequence[Application]
    total: int
    page: int
    pages: int
    sort: str


def queue_listing(*, officer: User, filters: QueueFilters, search: str = "",
                  sort: str = "submitted", page: int = 1,
                  page_size: int = PAGE_SIZE) -> QueueListing:
    """The queue as the officer's page shows it: searched, sorted by any column, counted
    and paged by number (so there is a previous page and a total)."""
    queryset = _queue_queryset(officer, filters).annotate(
        due=Min("evidence_requests__due_date",
                filter=Q(evidence_requests__answered_at__isnull=True)))
    wanted = search.strip()[:80]
    if wanted:
        queryset = queryset.filter(
            Q(reference__iexact=wanted) | Q(identity__passport_number__iexact=wanted.upper())
            | Q(identity__surname__icontains=wanted) | Q(identity__given_names__icontains=wanted)
            | Q(applicant__display_name__icontains=wanted))
    descending = sort.startswith("-")
    columns = QUEUE_SORTS.get(sort.lstrip("-"), QUEUE_SORTS["submitted"])
    order = [(f"-{c}" if descending else c) for c in columns]
    total = queryset.count()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    items = list(queryset.order_by(*order, "pk")[(page - 1) * page_size:page * page_size])
    return QueueListing(items, total, page, pages, sort)


def evidence_due(*, within_days: int) -> list[Any]:
    """Open evidence requests due within ``within_days`` (or overdue), oldest first."""
    from kvisa.casework.models import EvidenceRequest

    limit = timezone.localdate() + dt.timedelta(days=within_days)
    return list(EvidenceRequest.objects.filter(
        answered_at__isnull=True, due_date__lte=limit,
        application__state=State.EVIDENCE_REQUESTED).select_related(
            "application", "application__applicant").order_by("due_date"))


@dataclass
class OfficerLoad:
    """One officer's open cases, by state and by how long they have waited."""

    id: int
    name: str
    role: str
    under_review: int = 0
    evidence_requested: int = 0
    week: int = 0           # waiting 0-7 days since submission
    month: int = 0          # 8-30 days
    older: int = 0          # more than 30 days
    overdue: int = 0        # evidence requests past their due date
    oldest_days: int | None = None
    cases: list[tuple[Application, int]] = field(default_factory=list)

    @property
    def open_cases(self) -> int:
        return self.under_review + self.evidence_requested


def team_workload(*, user: User) -> tuple[list[OfficerLoad], int]:
    """Every officer's open cases (oldest first) and the number nobody has taken yet."""
    require(user, Permission.SEE_WORKLOAD)
    today = timezone.localdate()
    loads = {u.pk: OfficerLoad(u.pk, u.display_name, u.role) for u in User.objects.filter(
        role__in=roles_with(Permission.WORK_CASES), is_active=True).order_by("display_name")}
    open_states = [State.UNDER_REVIEW, State.EVIDENCE_REQUESTED]
    cases = (Application.objects.filter(state__in=open_states, assigned_to__isnull=False)
             .annotate(due=Min("evidence_requests__due_date",
                               filter=Q(evidence_requests__answered_at__isnull=True)))
             .order_by("submitted_at", "pk"))
    for case in cases:
        load = loads.get(case.assigned_to_id or 0)
        if load is None:
            continue
        waited = (today - case.submitted_at.date()).days if case.submitted_at else 0
        load.cases.append((case, waited))
        if case.state == State.UNDER_REVIEW:
            load.under_review += 1
        else:
            load.evidence_requested += 1
        if waited <= 7:
            load.week += 1
        elif waited <= 30:
            load.month += 1
        else:
            load.older += 1
        if case.due is not None and case.due < today:
            load.overdue += 1
        load.oldest_days = max(load.oldest_days or 0, waited)
    unassigned = Application.objects.filter(state=State.SUBMITTED).count()
    return sorted(loads.values(), key=lambda load: -load.open_cases), unassigned
