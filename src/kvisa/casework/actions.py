"""The case actions, declared once: name, service, input, side, label.

Pages and API endpoints are derived from this table; none of them decides
who may do what.  Authorisation happens only inside the service, under the
case's row lock, from :mod:`kvisa.casework.policy` (who may do what) and
:mod:`kvisa.casework.workflow` (which action is possible in which state).
A page's buttons come from :func:`available`, which asks the same two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from kvisa.accounts.models import User
from kvisa.casework import services, transitions
from kvisa.casework.errors import InvalidInput, NotFound
from kvisa.casework.models import Application
from kvisa.casework.policy import Permission, case_permission, decide, decide_each
from kvisa.casework.workflow import SYSTEM, TRANSITIONS, next_state


class NoInput(BaseModel):
    model_config = ConfigDict(extra="ignore")


class EvidenceInput(NoInput):
    message: str = Field(min_length=1, max_length=4000)
    due_date: dt.date


class SubmitInput(NoInput):
    # the web journey's declaration ("true and complete"), kept in the journal
    declared: bool = False


class AnswerInput(NoInput):
    answer: str = Field(min_length=1, max_length=8000)


class ApproveInput(NoInput):
    note: str = Field(default="", max_length=4000)


class RefuseInput(NoInput):
    note: str = Field(default="", max_length=4000)
    reasons: list[str] = Field(default_factory=list, max_length=50)


class ReassignInput(NoInput):
    officer_id: int = Field(ge=1)


class ReverseInput(NoInput):
    note: str = Field(min_length=1, max_length=4000)


class ResolveDuplicateInput(NoInput):
    flag_id: int = Field(ge=1)
    outcome: Literal["not_duplicate", "linked", "refused"]
    note: str = Field(default="", max_length=4000)


@dataclass(frozen=True)
class CaseAction:
    name: str                       # the journal's kind, the workflow's action, the URL
    label: Promise                  # the button
    side: str                       # "applicant" (portal) or "console"
    input: type[NoInput]
    service: Callable[..., Application]
    api_path: str                   # /api/v1/applications/{id}/<api_path>
    done: Promise                   # the message after it succeeded
    # beyond state and role: whether the case has anything for it (a button hint only)
    applies: Callable[[Application], bool] | None = None


ACTIONS: dict[str, CaseAction] = {a.name: a for a in [
    CaseAction("submit", _("Submit application"), "applicant", SubmitInput,
               services.application_submit, "submit", _("Your application is submitted.")),
    CaseAction("withdraw", _("Withdraw"), "applicant", NoInput,
               services.application_withdraw, "withdraw", _("The application is withdrawn.")),
    CaseAction("answer_evidence", _("Send answer"), "applicant", AnswerInput,
               services.application_answer_evidence, "evidence-answer",
               _("Your answer is sent to the officer.")),
    CaseAction("assign", _("Assign to me"), "console", NoInput, services.application_assign,
               "assign", _("Assigned to you.")),
    CaseAction("reassign", _("Reassign"), "console", ReassignInput,
               services.application_reassign, "reassign", _("Reassigned.")),
    CaseAction("request_evidence", _("Request evidence"), "console", EvidenceInput,
               services.application_request_evidence, "request-evidence",
               _("Evidence requested; the applicant is told by e-mail.")),
    CaseAction("approve", _("Approve and issue"), "console", ApproveInput,
               services.application_approve, "approve", _("Approved.")),
    CaseAction("refuse", _("Refuse"), "console", RefuseInput, services.application_refuse,
               "refuse", _("Refused; the applicant is told the reasons by e-mail.")),
    CaseAction("reverse", _("Reverse refusal"), "console", ReverseInput,
               services.application_reverse, "reverse",
               _("Refusal reversed: the case is under review again.")),
    CaseAction("resolve_duplicate", _("Resolve possible duplicate"), "console",
               ResolveDuplicateInput, services.application_resolve_duplicate,
               "resolve-duplicate", _("Possible duplicate resolved."),
               applies=lambda case: case.duplicate_flags.filter(status="open").exists()),
]}


def done_message(name: str, application: Application) -> str:
    """What an action did, in words: its message, and for an approval the document
    issued ("Approved; e-visa K00000206 issued.")."""
    message = str(ACTIONS[name].done)
    if name == "approve" and application.state == "issued":
        visa = getattr(application, "visa", None)
        card = application.resident_cards.filter(superseded_at__isnull=True).first()
        if visa is not None:
            return _("Approved; e-visa %(number)s issued.") % {"number": visa.number}
        if card is not None:
            return _("Approved; permanent-resident card %(number)s issued.") % {
                "number": card.number}
    return message


def workflow_actions() -> set[str]:
    """Every action the transition table names for a person (the system's own excluded)."""
    return {action for (_, action, role) in TRANSITIONS if role != SYSTEM}


def parse_input(action: CaseAction, data: Mapping[str, Any]) -> NoInput:
    """The action's input from a form or a JSON body; InvalidInput names the field."""
    try:
        return action.input.model_validate(dict(data))
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "input"
        raise InvalidInput(gettext("%(field)s: %(problem)s") % {
            "field": where, "problem": first.get("msg", "invalid")}) from None


def perform(name: str, *, application_id: int, by: User, client_txn_id: str,
            data: Mapping[str, Any], request_id: str = "",
            expected_version: int | None = None) -> Application:
    """Run the action ``name``; the service decides whether ``by`` may."""
    action = ACTIONS[name]
    token = None
    try:
        inputs = parse_input(action, data).model_dump()
        # what this request asks for, so a reused key with another request is refused
        token = transitions.request_digest.set(transitions.digest_of_request(
            name, {**inputs, "expected_version": expected_version}))
        return action.service(application_id=application_id, by=by,
                              client_txn_id=client_txn_id, request_id=request_id,
                              expected_version=expected_version, **inputs)
    except InvalidInput:
        # input is checked before the case is looked up; a case the caller may not
        # see is still "not found", whatever they sent
        _must_see(application_id, by)
        raise
    finally:
        if token is not None:
            transitions.request_digest.reset(token)


def _must_see(application_id: int, user: User) -> None:
    application = Application.objects.filter(pk=application_id).first()
    if application is None or not decide(user, Permission.SEE_CASE, application):
        raise NotFound(gettext("No such application."))


def available(application: Application, user: User) -> list[str]:
    """The actions ``user`` could take on the case now (for the page's buttons).

    Only a hint: the service decides again, under the row lock, when one is taken.
    """
    names = []
    answers = decide_each(user, [case_permission(name) for name in ACTIONS], application)
    for name in ACTIONS:
        answer = answers[case_permission(name)]
        if not answer or next_state(application.state, name, answer.capacity or "") is None:
            continue
        applies = ACTIONS[name].applies
        if applies is not None and not applies(application):
            continue
        names.append(name)
    return names
