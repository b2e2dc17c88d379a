"""Compare every route side by side: verdict, what is missing, what would change it,
what it costs, how long it takes, how long it lasts and, where chance decides, the odds.

``compare`` is pure: one profile in, a :class:`Comparison` out, computed from
the same cited rules as ``kvisa check`` (``kvisa.rules.explain``) plus the
dated fee and time parameters.  The CLI, the API and the public page all
print this one object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kvisa.i18n import languages
from kvisa.pathways.changes import Change, as_polars_safe, find_change
from kvisa.pathways.costs import (
    Cost,
    costs,
    odds,
    processing_days,
    total,
    validity,
    waiting_note,
)
from kvisa.pathways.routes import ROUTES, Route
from kvisa.rules.engine import CriterionResult, ProgrammeAssessment, explain, status_note
from kvisa.rules.facts import validate_profile
from kvisa.rules.model import strongest, weakest
from kvisa.rules.scenario import Scenario

_KLEENE = {"met": True, "not_met": False, "unknown": None}


@dataclass
class RouteResult:
    route: Route
    verdict: str
    criteria: list[CriterionResult]
    missing: list[str]
    changes: list[Change]
    costs: list[Cost]
    processing_days: dict[str, Any] | None
    validity: str | None
    odds: dict[str, Any] | None
    outputs: dict[str, Any] = field(default_factory=dict)
    status: str = "in_force"
    waiting: str | None = None
    season: dict[str, Any] | None = None
    validity_zh: str | None = None
    waiting_zh: str | None = None
    validity_texts: dict[str, str | None] = field(default_factory=dict)
    """How long the right lasts in every language of the catalogue (pages pick the
    reader's; ``validity``/``validity_zh`` stay for the JSON contract)."""
    waiting_texts: dict[str, str | None] = field(default_factory=dict)

    @property
    def status_note(self) -> str:
        return status_note(self.status)

    @property
    def totals(self) -> dict[str, dict[str, Any]]:
        return total(self.costs)

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme": self.route.programme, "route": self.route.key,
            "name": self.route.name, "name_zh": self.route.name_zh,
            "country": self.route.country, "verdict": self.verdict,
            "status": self.status, "status_note": self.status_note,
            "missing": self.missing,
            "changes_to_qualify": [c.as_dict() for c in self.changes],
            "costs": [c.as_dict() for c in self.costs],
            "totals": {currency: {"certain": str(t["certain"]), "up_to": str(t["up_to"]),
                                  "depends_on": t["depends_on"]}
                       for currency, t in self.totals.items()},
            "season": self.season, "waiting": self.waiting,
            "processing_days": self.processing_days, "validity": self.validity,
            "validity_zh": self.validity_zh, "waiting_zh": self.waiting_zh,
            "odds": self.odds,
            "criteria": [{"id": c.id, "text": c.text, "text_zh": c.text_zh, "result": c.result,
                          "status": c.status, "citation": c.citation,
                          "missing": c.missing} for c in self.criteria],
            "outputs": {k: as_polars_safe(v) for k, v in self.outputs.items()},
        }


@dataclass
class Comparison:
    as_of: dt.date
    scenario: str | None
    routes: list[RouteResult]

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "scenario": self.scenario,
                "routes": [r.as_dict() for r in self.routes]}


def _route_criteria(route: Route, assessment: ProgrammeAssessment) -> list[CriterionResult]:
    if route.group is None:
        return list(assessment.criteria)
    shared_prefix = f"{route.programme}.route"
    return [c for c in assessment.criteria
            if not c.route.startswith(shared_prefix) or c.route.startswith(route.group)
            or c.id == route.group]


def _route_status(route: Route, assessment: ProgrammeAssessment,
                  criteria: list[CriterionResult], verdict: str) -> str:
    """How sure a route's verdict is, from the criteria that decided it.

    Eligible rests on every criterion of the route; not eligible on the surest
    criterion that failed (one is enough); undetermined on all of them.
    """
    if route.group is None:
        return assessment.status
    if verdict == "not_eligible":
        return strongest(c.status for c in criteria if c.result == "not_met")
    return weakest(c.status for c in criteria)


def _route_verdict(route: Route, assessment: ProgrammeAssessment,
                   criteria: list[CriterionResult]) -> str:
    if route.group is None:
        return assessment.verdict
    shared_prefix = f"{route.programme}.route"
    values = [_KLEENE[c.result] for c in criteria if not c.route.startswith(shared_prefix)]
    own: str | None = assessment.routes.get(route.group)
    if own is None:  # the route is a single criterion, not a group
        own = next(c.result for c in criteria if c.id == route.group)
    values.append(_KLEENE[own])
    if False in values:
        return "not_eligible"
    return "undetermined" if None in values else "eligible"


def compare(profile: dict[str, Any], *, on: dt.date | None = None,
            scenario: Scenario | None = None, include_drafts: bool = False,
            suggest_changes: bool = True) -> Comparison:
    """Compare every route for one profile (raises ProfileError on bad input)."""
    on = on or dt.date.today()
    facts = validate_profile(profile)
    programmes = list(dict.fromkeys(r.programme for r in ROUTES))
    assessment = explain(profile, programmes, on, scenario, include_drafts=include_drafts)
    overrides = scenario.parameters if scenario else {}
    results = []
    for route in ROUTES:
        pa = assessment.programme(route.programme)
        if route.group and route.group not in pa.routes and not any(
                c.id == route.group for c in pa.criteria):
            continue  # a draft route left out of this evaluation
        criteria = _route_criteria(route, pa)
        verdict = _route_verdict(route, pa, criteria)
        missing = (list(dict.fromkeys(f for c in criteria for f in c.missing))
                   if verdict == "undetermined" else [])
        if verdict != "not_eligible":  # facts a cost, the odds or the time still wait for
            missing = list(dict.fromkeys(
                missing + [f for names in pa.output_depends_on.values() for f in names]))
        changes: list[Change] = []
        if verdict == "not_eligible" and suggest_changes:
            for criterion in criteria:
                if criterion.result == "not_met" and not criterion.id.endswith(".in_force"):
                    changes += find_change(facts, criterion, route.programme, on, scenario,
                                           include_drafts)
        route_costs = costs(route.programme, pa, on, overrides, facts)
        if verdict != "not_eligible":  # facts a cost still waits for
            missing = list(dict.fromkeys(missing + [f for c in route_costs
                                                    for f in c.depends_on]))
        lasts = {lang: validity(route.programme, pa, on, overrides, lang)
                 for lang in languages()}
        waits = {lang: waiting_note(route.programme, facts, lang) for lang in languages()}
        results.append(RouteResult(
            route=route, verdict=verdict, criteria=criteria, missing=missing, changes=changes,
            costs=route_costs,
            processing_days=processing_days(route.programme, pa, on, overrides),
            validity=lasts["en"],
            odds=odds(route.programme, pa, on, overrides), outputs=pa.outputs,
            status=_route_status(route, pa, criteria, verdict),
            waiting=waits["en"], season=pa.season,
            validity_zh=lasts.get("zh"), waiting_zh=waits.get("zh"),
            validity_texts=lasts, waiting_texts=waits))
    return Comparison(on, scenario.name if scenario else None, results)
