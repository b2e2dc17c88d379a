"""What stops a draft from being submitted: every problem at once, in words, by field.

The service refuses a submission while :func:`problems` returns anything, and
the applicant's pages show the same list as an error summary (GOV.UK pattern):
each problem links to its field, and the field carries the message beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvisa.casework import service_programmes
from kvisa.casework.models import Application
from kvisa.casework.profile_form import PR, asked_of_everyone, checked_profile
from kvisa.rules import fact_text
from kvisa.rules.facts import definition


@dataclass(frozen=True)
class Problem:
    field: str      # the form field's name: the summary links to #f-<field>
    message: str


def _required(programme: str = "") -> dict[str, str]:
    """The answers an application to ``programme`` cannot go without, with what to do.

    Besides who the person is, every programme asks how to reach them, and a visa
    asks about the journey and the institution behind the degree
    (:func:`profile_form.asked_of_everyone` says which).
    """
    everyone = {
        "surname": _("Enter your surname as it is in your passport."),
        "sex": _("Choose your sex as it is in your passport."),
        "passport_number": _("Enter your passport number."),
        "passport_expiry": _("Enter the date your passport expires."),
        "date_of_birth": _("Enter your date of birth."),
        "nationality": _("Choose your nationality as it is in your passport."),
    }
    asked = {
        "phone": _("Enter a telephone number where you can be reached, with its country "
                   "code."),
        "home_address": _("Enter your home address."),
        "intended_entry_date": _("Enter the date you plan to arrive in China."),
        "visited_china_before": _("Say whether you have been to China before."),
        "institution_name": _("Enter the name of the university or institution that "
                              "awarded your highest degree."),
        "institution_country": _("Enter the country of the university or institution that "
                                 "awarded your highest degree."),
    }
    return {**everyone, **{f.name: asked[f.name] for f in asked_of_everyone(programme)}}


def _bad_value(name: str, value: Any, said: str) -> str:
    """What is wrong with a kept answer that does not read, from its definition (the
    words every form uses), or with the lists the form builds."""
    if name == "employment_records":
        return _("Check the yearly table: amounts and months are numbers (months 0 to 12), "
                 "cities in Latin letters.")
    if name == "degrees":
        return _("Your other degree contradicts your highest degree: make them agree.")
    if not isinstance(value, list | dict):
        unreadable = _unreadable(name, value)
        if unreadable:
            return unreadable
    if name == "date_of_birth":
        return _("Enter a real date of birth in the past, for example 14 May 1996.")
    return said or str(_("Check this answer."))


def problems(application: Application) -> list[Problem]:
    """Every reason the draft cannot be submitted yet (empty when it can)."""
    found: list[Problem] = []
    values = {**application.identity, **application.profile}
    if application.programme == PR and not application.identity.get("route"):
        found.append(Problem("route", _("Choose the route you are applying under.")))
    for name, message in _required(application.programme).items():
        if values.get(name) in (None, ""):
            found.append(Problem(name, message))
    expiry = _passport_expiry_problem(values.get("passport_expiry"))
    if expiry:
        found.append(Problem("passport_expiry", expiry))
    for name, check in _CONTACT_CHECKS.items():
        problem = check(values.get(name))
        if problem:
            found.append(Problem(name, problem))
    _good, errors = checked_profile(application.profile)
    for name, said in errors.items():
        if not any(p.field == name for p in found):
            found.append(Problem(_anchor(name), _bad_value(name, application.profile.get(name),
                                                           said)))
    uploaded = set(application.documents.values_list("kind", flat=True))
    route = str(application.identity.get("route", ""))
    for requirement in service_programmes.missing(application.programme, route, uploaded):
        found.append(Problem("documents", _("Upload a document: %(document)s (%(why)s).")
                             % {"document": requirement.label, "why": requirement.why}))
    return found


def _passport_expiry_problem(value: Any) -> str:
    """What is wrong with the passport's expiry date, or "" (also blank: it may wait)."""
    if value in (None, ""):
        return ""
    try:
        expiry = dt.date.fromisoformat(str(value))
    except ValueError:
        return _unreadable("passport_expiry", value) or str(_("Check this answer."))
    if expiry < timezone.localdate():
        return str(_("This passport expired on %(day)s: apply with a passport that is still "
                     "valid, and give its details.") % {"day": expiry.isoformat()})
    return ""


def _unreadable(name: str, value: Any) -> str:
    """The definition's words for an answer that does not read as its kind ("" if it
    reads)."""
    fact = definition(name)
    try:
        if fact is not None:
            fact_text.read(fact, str(value), get_language())
    except fact_text.AnswerProblem as problem:
        return problem.message
    return ""


_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
MAX_DAYS_AHEAD = 366
"""How far ahead an arrival may be planned: a visa is applied for shortly before travel."""


def _phone_problem(value: Any) -> str:
    if value in (None, ""):
        return ""
    digits = sum(ch.isdigit() for ch in str(value))
    if not _PHONE.match(str(value)) or not 6 <= digits <= 15:  # ITU-T E.164: at most 15
        return str(_("Enter a telephone number with its country code, in digits, for "
                     "example +91 98765 43210."))
    return ""


def _arrival_problem(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return _unreadable("intended_entry_date", value) or str(_("Check this answer."))
    today = timezone.localdate()
    if day < today:
        return str(_("The date you plan to arrive has passed: enter a date from today on."))
    if (day - today).days > MAX_DAYS_AHEAD:
        return str(_("Enter a date within a year from today: apply nearer the time."))
    return ""


_CONTACT_CHECKS: dict[str, Callable[[Any], str]] = {
    "phone": _phone_problem, "intended_entry_date": _arrival_problem}
"""Answers kept with the identity that are checked as soon as they are given."""


CHECKED_AT_ONCE = frozenset({"passport_expiry", *_CONTACT_CHECKS})
"""Answers whose page says at once what is wrong with them (they may still be blank)."""


def required_names(programme: str = "") -> set[str]:
    """The answers no application can be submitted without (a page says so at once)."""
    return set(_required(programme))


def _anchor(name: str) -> str:
    """The field the message belongs to: the yearly table and degrees have their own."""
    return {"employment_records": "records", "degrees": "other_degree_level"}.get(name, name)
