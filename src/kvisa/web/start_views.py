"""The start page of each programme, before anyone signs up (GOV.UK "start page").

Who qualifies, what to have ready, what it costs, how long it takes and what
is granted — every figure from the rules with its certainty — then "Start now".
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from kvisa.casework.profile_form import PR, PR_ROUTES
from kvisa.casework.service_programmes import BY_SLUG
from kvisa.i18n import language
from kvisa.pathways.compare import compare
from kvisa.pathways.present import route_text
from kvisa.rules import PROGRAMMES as PROGRAMMES_RULES
from kvisa.rules import explain
from kvisa.rules.model import AllOf, AnyOf, Criterion, Node


def start(request: HttpRequest, slug: str) -> HttpResponse:
    entry = BY_SLUG.get(slug)
    if entry is None:
        raise Http404
    programme, title, documents = entry.programme, entry.title, entry.start_documents
    today = timezone.localdate()
    lang = language(get_language())
    assessment = explain({}, [programme], today).programmes[0]
    by_id = {c.id: c for c in assessment.criteria}
    common, alternatives = _structure(next(p for p in PROGRAMMES_RULES
                                           if p.id == programme).rule)
    conditions = [by_id[i] for i in common if i in by_id]
    options = [[by_id[i] for i in ids if i in by_id] for ids in alternatives]
    # fees, time and validity are the programme's (every permanent-residence route shares them)
    route = next((r for r in compare({}, on=today, suggest_changes=False).routes
                  if r.route.programme == programme), None)
    return render(request, "start.html", {
        "slug": slug, "entry": entry, "programme": programme, "title": title,
        "documents": documents,
        "conditions": conditions, "assessment": assessment,
        "text": route_text(route, lang) if route is not None else None, "route": route,
        "routes": PR_ROUTES if programme == PR else (),
        "options": options if programme != PR else []})


def _criteria(node: Node) -> list[str]:
    if isinstance(node, Criterion):
        return [node.id]
    assert isinstance(node, (AllOf, AnyOf))
    return [i for child in node.children for i in _criteria(child)]


def _structure(node: Node) -> tuple[list[str], list[list[str]]]:
    """(criteria everyone must meet, alternatives of the first "any of" group): the
    shape of "all of these, and one of those" a start page can say in words."""
    common: list[str] = []
    alternatives: list[list[str]] = []
    if isinstance(node, AllOf):
        for child in node.children:
            inner_common, inner_alternatives = _structure(child)
            common += inner_common
            if inner_alternatives and not alternatives:
                alternatives = inner_alternatives
            elif inner_alternatives:
                common += [i for group in inner_alternatives for i in group]
    elif isinstance(node, AnyOf):
        alternatives = [_criteria(child) for child in node.children]
    else:
        common.append(node.id)
    return common, alternatives
