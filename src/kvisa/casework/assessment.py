"""The assessment of a case: one definition, read by every page, the API's pre-check,
submission, refusal and issuance (issue 25: computed three ways, they could disagree).

An application's answers are checked one by one (a bad answer is named in words
and left out, never guessed), the rules explain the rest on the day asked, and a
permanent-residence case is shown on the route it was made under: that route's
criteria and those every route shares, as sure as the wage figures it compared with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from kvisa.casework.models import Application
from kvisa.casework.profile_form import PR, checked_profile
from kvisa.rules import Assessment, ProgrammeAssessment, explain
from kvisa.rules.model import weakest
from kvisa.rules.programmes.permanent_residence.rules import employment_by_year


@dataclass
class CaseAssessment:
    """The rules on a case: the programme's assessment on the case's route, the answers
    they read, and the answers that could not be read (in words)."""

    assessment: ProgrammeAssessment
    facts: dict[str, Any]
    errors: dict[str, str]
    on: dt.date

    @property
    def verdict(self) -> str:
        return self.assessment.verdict

    def to_dict(self) -> dict[str, Any]:
        """The pre-check as the API gives it: the ``kvisa check --json`` document of
        this one programme, with the answers that could not be read."""
        return {**Assessment(self.on, None, [self.assessment]).to_dict(),
                "unreadable_answers": self.errors}


def assess(application: Application, on: dt.date | None = None) -> CaseAssessment:
    """The rules on ``application`` on ``on`` (today by default)."""
    on = on or timezone.localdate()
    facts, errors = checked_profile(application.profile)
    assessment = explain(facts, [application.programme], on).programmes[0]
    return CaseAssessment(_on_route(application, assessment, facts, on), facts, errors, on)


def _on_route(application: Application, assessment: ProgrammeAssessment,
              facts: dict[str, Any], on: dt.date) -> ProgrammeAssessment:
    """Permanent residence: the criteria of the chosen route and those every route shares."""
    route = application.identity.get("route")
    if application.programme == PR and route:
        assessment.criteria = [c for c in assessment.criteria if ".route." not in c.id
                               or c.id.startswith(f"{PR}.route.{route}.")]
    # the verdict is as sure as the wage figures it compared with
    if application.programme == PR and route == "employment" and any(
            r.get("average_status") == "reported" for r in employment_by_year(facts, on)):
        assessment.status = weakest([assessment.status, "reported"])
    return assessment
