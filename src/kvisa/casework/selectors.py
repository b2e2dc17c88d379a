"""Queries: what a user may see, the officer queue, workload, analytics aggregates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kvisa.accounts.models import AdviserLink, Role, User
from kvisa.casework.access import acting_role, require_area
from kvisa.casework.errors import NotFound
from kvisa.casework.models import Application, State

PAGE_SIZE = 50


def application_get(*, user: User, application_id: int) -> Application:
    """The application if ``user`` may see it; otherwise NotFound (never "forbidden",
    which would reveal that it exists)."""
    queryset = Application.objects.select_related("applicant", "assigned_to")
    try:
        application = queryset.get(pk=application_id)
    except (Application.DoesNotExist, ValueError):
        raise NotFound("No such application.") from None
    if acting_role(user, application) is None:
        raise NotFound("No such application.")
    return application


def applications_for(*, user: User) -> QuerySet[Application]:
    require_area(user, "portal")
    if user.role == Role.ADVISER:
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


@dataclass
class QueuePage:
    items: list[Application]
    next_cursor: str | None


def application_queue(*, officer: User, filters: QueueFilters, cursor: str | None = None,
                      page_size: int = PAGE_SIZE) -> QueuePage:
    """Oldest submitted first, keyset-paged on (submitted_at, id): constant time per page
    however deep, backed by the ``queue_*`` indexes."""
    require_area(officer, "console")
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
    if filters.overdue:
        queryset = queryset.filter(state=State.EVIDENCE_REQUESTED,
                                   evidence_requests__due_date__lt=timezone.localdate(),
                                   evidence_requests__answered_at__isnull=True)
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


def evidence_due(*, within_days: int) -> list[Any]:
    """Open evidence requests due within ``within_days`` (or overdue), oldest first."""
    from kvisa.casework.models import EvidenceRequest

    limit = timezone.localdate() + dt.timedelta(days=within_days)
    return list(EvidenceRequest.objects.filter(
        answered_at__isnull=True, due_date__lte=limit,
        application__state=State.EVIDENCE_REQUESTED).select_related(
            "application", "application__applicant").order_by("due_date"))


def team_workload(*, user: User) -> list[Any]:
    require_area(user, "workload")
    return list(User.objects.filter(role__in=[Role.OFFICER, Role.SUPERVISOR])
                .annotate(open_cases=Count("assigned_cases", filter=Q(
                    assigned_cases__state__in=[State.UNDER_REVIEW, State.EVIDENCE_REQUESTED])))
                .values("id", "display_name", "email", "role", "open_cases")
                .order_by("-open_cases"))


def flow_statistics(*, user: User) -> dict[str, Any]:
    """Aggregates only (no personal data): for analysts, supervisors and administrators."""
    require_area(user, "analytics")
    submitted = Application.objects.exclude(state=State.DRAFT)
    return {
        "by_state": dict(submitted.values_list("state").annotate(n=Count("id"))),
        "by_nationality": dict(submitted.values_list("nationality").annotate(n=Count("id"))
                               .order_by("-n")[:15]),
        "by_programme": dict(submitted.values_list("programme").annotate(n=Count("id"))),
        "by_precheck": dict(submitted.values_list("precheck").annotate(n=Count("id"))),
        "total": submitted.count(),
    }
