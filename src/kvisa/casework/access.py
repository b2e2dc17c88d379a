"""Who may see a case, and in which capacity they act on it: one rule for every door.

Pages, the API and the services all ask :func:`acting_role`.  A person who may
not see a case gets "not found" from every method — never "forbidden" or
"conflict", which would tell a stranger that the case exists.
"""

from __future__ import annotations

from kvisa.accounts.models import AdviserLink, Role, User
from kvisa.casework.models import Application, State
from kvisa.casework.workflow import APPLICANT, OFFICER, SUPERVISOR


def acts_for(user: User, application: Application) -> bool:
    """The applicant, or an adviser with the applicant's active consent."""
    if application.applicant_id == user.pk:
        return True
    return user.role == Role.ADVISER and AdviserLink.objects.filter(
        applicant_id=application.applicant_id, adviser=user, revoked_at__isnull=True).exists()


def acting_role(user: User, application: Application) -> str | None:
    """``applicant``/``officer``/``supervisor`` for those who may see the case, else None.

    Applicants and advisers see their own (or their clients') cases; officers and
    supervisors see every case once it is submitted, never a draft; analysts and
    administrators see no individual case.
    """
    if user.role in (Role.APPLICANT, Role.ADVISER):
        return APPLICANT if acts_for(user, application) else None
    if user.role in (Role.OFFICER, Role.SUPERVISOR) and application.state != State.DRAFT:
        return OFFICER if user.role == Role.OFFICER else SUPERVISOR
    return None


# Which roles use which part of the site (pages and the API's lists); a case's own
# doors are decided by acting_role and the workflow table above.
AREAS: dict[str, set[str]] = {
    "portal": {Role.APPLICANT, Role.ADVISER},
    "advisers": {Role.APPLICANT},
    "console": {Role.OFFICER, Role.SUPERVISOR},
    "workload": {Role.SUPERVISOR},
    "analytics": {Role.ANALYST, Role.SUPERVISOR, Role.ADMIN},
    "staff_accounts": {Role.ADMIN},
    # reading the reference figures verdicts rest on; uploading is for administrators
    "reference_data": {Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN},
}


def may_use(user: User, area: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in AREAS[area]


def require_area(user: User, area: str) -> None:
    """Forbidden unless ``user``'s role uses ``area`` (lists and aggregates, not a case)."""
    from kvisa.casework.errors import Forbidden

    if not may_use(user, area):
        raise Forbidden(f"Your role does not use {area}.")


# Policy-lab runs (what-if scenarios over whole populations): the analyst who
# asked for a run sees it and its downloads; supervisors and administrators
# oversee every run.  Anyone else — another analyst included — gets "not found".
SEES_EVERY_POLICY_RUN: set[str] = {Role.SUPERVISOR, Role.ADMIN}


def may_see_policy_run(user: User, created_by_id: int) -> bool:
    return may_use(user, "analytics") and (
        user.role in SEES_EVERY_POLICY_RUN or user.pk == created_by_id)
