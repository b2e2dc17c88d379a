"""What a decision may rest on: the refusal reasons the rules support, and what was looked at.

A refusal may cite only criteria that are *not met* and that matter: an unmet
condition of one route is no reason when another route of the same "any of"
group is met (a K visa applicant who qualifies by degree is not refused for not
teaching).  The confirmation page shows these, and the service refuses any
other reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from kvisa.audit.models import AuditEvent
from kvisa.casework.models import Application, Document
from kvisa.rules import ProgrammeAssessment
from kvisa.rules.model import AllOf, AnyOf, Criterion, Node
from kvisa.rules.programmes import PROGRAMMES


def _ancestors(node: Node, above: tuple[str, ...] = ()) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(criterion id, ids of the groups above it, outermost first) for every criterion."""
    if isinstance(node, Criterion):
        yield node.id, above
        return
    assert isinstance(node, (AllOf, AnyOf))
    for child in node.children:
        yield from _ancestors(child, (*above, node.id))


def refusal_reasons(assessment: ProgrammeAssessment) -> list[str]:
    """Ids of the not-met criteria that may be given as reasons, in the rules' order."""
    programme = next(p for p in PROGRAMMES if p.id == assessment.programme)
    groups = dict(_ancestors(programme.rule))
    results = {c.id: c.result for c in assessment.criteria}
    reasons = []
    for criterion in assessment.criteria:
        if results.get(criterion.id) != "not_met":
            continue
        above = groups.get(criterion.id, ())
        if any(assessment.routes.get(group) == "met" for group in above):
            continue  # an alternative that did not matter: another branch is met
        reasons.append(criterion.id)
    return reasons


def documents_opened(application: Application, email: str) -> dict[int, bool]:
    """Document id → whether ``email`` has opened it (the audit log records each view)."""
    seen = set(AuditEvent.objects.filter(
        object_type="application", object_id=str(application.pk), actor=email,
        action__startswith="view.document.").values_list("action", flat=True))
    documents: list[Document] = list(application.documents.all())
    return {d.pk: f"view.document.{d.pk}" in seen for d in documents}
