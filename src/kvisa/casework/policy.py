"""Who may do what: the one authorisation policy of the service (issue 25).

Every "may" lives here, asked one way: :func:`decide` ``(user, permission, obj)``
answers *allowed*, *not found* or *forbidden*, with the reason in words.
Services enforce the answer; buttons, templates (the ``may`` filter) and the
API ask the same question, so a page never offers what the service refuses.

Two kinds of permission:

- **By role** (:data:`BY_ROLE`): the parts of the site a role uses and the
  powers it holds (change reference data, see exact small counts, …). One row
  each; the role-matrix test is generated from this table.
- **On a case** (:data:`ON_A_CASE`: ``case.<action>`` and ``card.reissue``):
  first whether the person may see the case at all (else *not found* — never
  *forbidden*, which would tell a stranger it exists), then the capacity they act
  in (applicant, officer, supervisor; the case actions' capacities are read from
  the workflow's transition table), assignment, and "nobody acts on their own
  case".  ``case.see``, ``act_for`` and ``policy_run.see`` are answered beside it.

``kvisa permissions`` prints both tables: "who may reissue a card?" is one row.

Whether an action is possible *now* (the case's state, one card a day) is the
workflow's business, answered by the services as a conflict, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvisa.accounts.models import STAFF_ROLES, AdviserLink, Role, User
from kvisa.casework.errors import Forbidden, NotFound
from kvisa.casework.models import Application, State
from kvisa.casework.workflow import (
    APPLICANT,
    CASE_CHANGES,
    NEEDS_ASSIGNMENT,
    OFFICER,
    SUPERVISOR,
    SYSTEM,
    TRANSITIONS,
)


class Outcome(StrEnum):
    ALLOWED = "allowed"
    NOT_FOUND = "not found"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class Answer:
    """The policy's answer: the outcome, why (in words, for the person), and on a case
    the capacity the person acts in (``applicant``, ``officer``, ``supervisor``)."""

    outcome: Outcome
    reason: str = ""
    capacity: str | None = None
    # the refusal rests on this case's people (assignment, one's own case), not on the
    # role: a service answers first whether the action is possible in the case's state
    about_the_case: bool = False

    def __bool__(self) -> bool:
        return self.outcome is Outcome.ALLOWED

    def enforce(self) -> Answer:
        """Raise the casework error the outcome stands for; return self when allowed."""
        if self.outcome is Outcome.NOT_FOUND:
            raise NotFound(self.reason)
        if self.outcome is Outcome.FORBIDDEN:
            raise Forbidden(self.reason)
        return self


class Permission(StrEnum):
    """Everything the policy answers; the values are what templates and tests name."""

    # parts of the site
    USE_PORTAL = "portal"
    MANAGE_ADVISERS = "advisers"
    USE_CONSOLE = "console"
    SEE_WORKLOAD = "workload"
    USE_ANALYTICS = "analytics"
    MANAGE_STAFF_ACCOUNTS = "staff_accounts"
    READ_REFERENCE_DATA = "reference_data"
    # powers held by role
    APPLY = "apply"
    ACT_FOR_CLIENTS = "act_for_clients"
    WORK_CASES = "work_cases"
    CHANGE_REFERENCE_DATA = "change_reference_data"
    SEE_EXACT_COUNTS = "see_exact_counts"
    SEE_EVERY_POLICY_RUN = "see_every_policy_run"
    REPLACE_CARD_ISSUED_TODAY = "replace_card_issued_today"
    PASS_SECOND_FACTOR = "pass_second_factor"
    # on an object
    SEE_CASE = "case.see"
    ACT_FOR = "act_for"                 # obj: the applicant (a User)
    REISSUE_CARD = "card.reissue"       # obj: the card's application (ON_A_CASE)
    SEE_POLICY_RUN = "policy_run.see"   # obj: the run


@dataclass(frozen=True)
class ByRole:
    """One row of the policy: who holds a permission, and what it lets them do."""

    roles: frozenset[str]
    what: str
    refusal: Promise | None = None   # said to those without it (else a general sentence)


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


CASE_WORKERS = _roles(Role.OFFICER, Role.SUPERVISOR)

# the permissions that open a part of the site (pages and the API's lists)
PARTS_OF_THE_SITE = (Permission.USE_PORTAL, Permission.MANAGE_ADVISERS, Permission.USE_CONSOLE,
                     Permission.SEE_WORKLOAD, Permission.USE_ANALYTICS,
                     Permission.MANAGE_STAFF_ACCOUNTS, Permission.READ_REFERENCE_DATA)

BY_ROLE: dict[Permission, ByRole] = {
    Permission.USE_PORTAL: ByRole(_roles(Role.APPLICANT, Role.ADVISER),
                                  "the applicant portal: one's own (or clients') applications"),
    Permission.MANAGE_ADVISERS: ByRole(_roles(Role.APPLICANT),
                                       "give and withdraw an adviser's consent"),
    Permission.USE_CONSOLE: ByRole(CASE_WORKERS, "the officers' console and case queue"),
    Permission.SEE_WORKLOAD: ByRole(_roles(Role.SUPERVISOR), "every officer's workload"),
    Permission.USE_ANALYTICS: ByRole(_roles(Role.ANALYST, Role.SUPERVISOR, Role.ADMIN),
                                     "dashboards and the policy lab (aggregates only)"),
    Permission.MANAGE_STAFF_ACCOUNTS: ByRole(_roles(Role.ADMIN), "create staff accounts"),
    Permission.READ_REFERENCE_DATA: ByRole(
        _roles(Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN),
        "read the reference figures verdicts rest on"),
    Permission.APPLY: ByRole(_roles(Role.APPLICANT), "be the applicant of an application",
                             gettext_lazy("Only applicants (or their advisers) can apply.")),
    Permission.ACT_FOR_CLIENTS: ByRole(_roles(Role.ADVISER),
                                       "act for applicants who consented"),
    Permission.WORK_CASES: ByRole(CASE_WORKERS, "be assigned cases"),
    Permission.CHANGE_REFERENCE_DATA: ByRole(
        _roles(Role.ADMIN), "upload the average-wage table",
        gettext_lazy("Only an administrator can change reference data.")),
    Permission.SEE_EXACT_COUNTS: ByRole(
        _roles(Role.SUPERVISOR, Role.ADMIN),
        "exact small counts (analysts see disclosure-controlled figures)"),
    Permission.SEE_EVERY_POLICY_RUN: ByRole(_roles(Role.SUPERVISOR, Role.ADMIN),
                                            "every analyst's policy-lab runs"),
    Permission.REPLACE_CARD_ISSUED_TODAY: ByRole(
        _roles(Role.SUPERVISOR), "replace a resident card issued the same day"),
    Permission.PASS_SECOND_FACTOR: ByRole(frozenset(STAFF_ROLES),
                                          "must pass a second factor (TOTP) to sign in"),
}


def case_permission(action: str) -> str:
    """The permission to take ``action`` on a case (a workflow action, edit or upload)."""
    return f"case.{action}"


@dataclass(frozen=True)
class OnCase:
    """One row of the policy for what is done to a case: in which capacities, and whether
    an officer must be the one assigned.  Nobody acts on their own case as staff."""

    capacities: frozenset[str]
    assigned_officer_only: bool
    what: str
    refusal: Promise | None = None
    unseen: Promise | None = None    # "not found" in the object's own words


def _workflow_row(action: str) -> OnCase:
    """A case action's row, read from the workflow's transition table."""
    capacities = frozenset({role for (_state, a, role) in TRANSITIONS if a == action}
                           | CASE_CHANGES.get(action, set())) - {SYSTEM}
    return OnCase(capacities, action in NEEDS_ASSIGNMENT, f"{action.replace('_', ' ')} "
                  "(in the states the workflow allows)")


ON_A_CASE: dict[str, OnCase] = {
    **{case_permission(action): _workflow_row(action) for action in sorted(
        {a for (_state, a, role) in TRANSITIONS if role != SYSTEM} | set(CASE_CHANGES))},
    Permission.REISSUE_CARD: OnCase(
        frozenset({OFFICER, SUPERVISOR}), True, "renew or replace a resident card (one "
        "issued today: replace_card_issued_today)",
        gettext_lazy("Only the officer assigned to this case, or a supervisor, can reissue "
                     "its card."), gettext_lazy("No such card.")),
}


def roles_with(permission: Permission) -> frozenset[str]:
    """The roles holding a by-role permission (for queries: "everyone who works cases")."""
    return BY_ROLE[permission].roles


def decide(user: Any, permission: str, obj: Any = None) -> Answer:
    """May ``user`` do ``permission`` (on ``obj``)?  Allowed, not found or forbidden."""
    if not getattr(user, "is_authenticated", False):
        return Answer(Outcome.FORBIDDEN, _("Sign in first."))
    if permission in BY_ROLE:
        row = BY_ROLE[Permission(permission)]
        return Answer(Outcome.ALLOWED) if user.role in row.roles else Answer(
            Outcome.FORBIDDEN, str(row.refusal or _("Your role does not use this part of "
                                                    "the service.")))
    if permission == Permission.SEE_CASE:
        return _see_case(user, obj)
    if permission == Permission.ACT_FOR:
        return _act_for(user, obj)
    if permission == Permission.SEE_POLICY_RUN:
        if decide(user, Permission.USE_ANALYTICS) and (
                decide(user, Permission.SEE_EVERY_POLICY_RUN)
                or user.pk == obj.created_by_id):
            return Answer(Outcome.ALLOWED)
        return Answer(Outcome.NOT_FOUND, _("No such run."))
    if permission in ON_A_CASE:
        return _on_case(user, ON_A_CASE[permission], obj, permission)
    raise ValueError(f"the policy knows no permission {permission!r}")


def may(user: Any, permission: str, obj: Any = None) -> bool:
    """``decide`` as a yes/no, for buttons, menus and filters."""
    return bool(decide(user, permission, obj))


def capacity(user: User, application: Application) -> str | None:
    """The capacity ``user`` acts in on the case, or None if they may not see it."""
    return decide(user, Permission.SEE_CASE, application).capacity


def _acts_for(user: User, applicant_id: int) -> bool:
    """The applicant themself, or an adviser with the applicant's active consent."""
    return applicant_id == user.pk or (
        user.role in BY_ROLE[Permission.ACT_FOR_CLIENTS].roles and AdviserLink.objects.filter(
            applicant_id=applicant_id, adviser=user, revoked_at__isnull=True).exists())


def _act_for(user: User, applicant: User) -> Answer:
    if _acts_for(user, applicant.pk):
        return Answer(Outcome.ALLOWED, capacity=APPLICANT)
    return Answer(Outcome.FORBIDDEN, _("You do not act for this applicant."))


def _see_case(user: User, application: Application) -> Answer:
    """Applicants and advisers see their own (or their clients') cases; officers and
    supervisors every case once it is submitted, never a draft; analysts and
    administrators no individual case."""
    not_found = Answer(Outcome.NOT_FOUND, _("No such application."))
    if user.role in BY_ROLE[Permission.USE_PORTAL].roles:
        if _acts_for(user, application.applicant_id):
            return Answer(Outcome.ALLOWED, capacity=APPLICANT)
        return not_found
    if user.role in CASE_WORKERS and application.state != State.DRAFT:
        return Answer(Outcome.ALLOWED,
                      capacity=SUPERVISOR if user.role == Role.SUPERVISOR else OFFICER)
    return not_found


def decide_each(user: Any, permissions: list[str], application: Application
                ) -> dict[str, Answer]:
    """``decide`` for several permissions on one case, seeing the case once (a page's
    buttons: an adviser's consent is one query, not one per button)."""
    seen = _see_case(user, application) if getattr(user, "is_authenticated", False) else None
    return {permission: _on_case(user, ON_A_CASE[permission], application, permission, seen)
            if seen is not None and permission in ON_A_CASE
            else decide(user, permission, application) for permission in permissions}


def _on_case(user: User, row: OnCase, application: Application, permission: str,
             seen: Answer | None = None) -> Answer:
    if seen is None:  # (an Answer that refuses is falsy: test for None, not truth)
        seen = _see_case(user, application)
    if not seen:
        return Answer(Outcome.NOT_FOUND, str(row.unseen)) if row.unseen else seen
    role = seen.capacity
    assert role is not None
    if role not in row.capacities:
        return Answer(Outcome.FORBIDDEN, str(row.refusal) if row.refusal else _(
            "Your role cannot do “%(action)s” on a case.") % {"action": permission[5:]}, role)
    if role == OFFICER and row.assigned_officer_only and \
            application.assigned_to_id != user.pk:
        return Answer(Outcome.FORBIDDEN, str(row.refusal) if row.refusal else _(
            "Only the officer assigned to this case can do that."), role, True)
    if role in (OFFICER, SUPERVISOR) and application.applicant_id == user.pk:
        return Answer(Outcome.FORBIDDEN, _("You cannot act on your own application."), role,
                      True)
    return Answer(Outcome.ALLOWED, capacity=role)


def table() -> list[dict[str, str]]:
    """Every permission in words, one row each: who holds it and on what condition."""
    rows = [{"permission": str(p.value), "who": ", ".join(sorted(row.roles)),
             "condition": "", "what": row.what} for p, row in BY_ROLE.items()]
    for name, case_row in ON_A_CASE.items():
        conditions = ["sees the case"]
        if APPLICANT in case_row.capacities:
            conditions.append("as the applicant, or an adviser with their consent")
        if case_row.assigned_officer_only and OFFICER in case_row.capacities:
            conditions.append("an officer only if assigned to it")
        if case_row.capacities & {OFFICER, SUPERVISOR}:
            conditions.append("staff never on their own case")
        rows.append({"permission": str(name), "who": ", ".join(sorted(case_row.capacities)),
                     "condition": "; ".join(conditions), "what": case_row.what})
    return rows


def require(user: Any, permission: str, obj: Any = None) -> Answer:
    """``decide`` enforced: the casework error its outcome stands for, or the answer."""
    return decide(user, permission, obj).enforce()
