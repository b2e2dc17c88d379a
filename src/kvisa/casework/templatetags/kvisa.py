"""Small template filters: dictionary lookup and translated labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kvisa.rules import labels

register = template.Library()

DOCUMENT_LABELS = {"degree_certificate": _("Degree certificate"),
                   "passport_page": _("Passport photo page"), "cv": _("CV"),
                   "teaching_research_proof": _("Proof of teaching or research"),
                   "evidence": _("Further evidence")}
ACTION_LABELS = {"submit": _("submitted"), "assign": _("assigned to an officer"),
                 "reassign": _("reassigned"), "request_evidence": _("evidence requested"),
                 "answer_evidence": _("evidence answered"), "approve": _("approved"),
                 "refuse": _("refused"), "issue": _("e-visa issued"),
                 "withdraw": _("withdrawn"), "reverse": _("refusal reversed")}


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None




DEGREE_LABELS = {"none": _("None"), "secondary": _("Secondary school"),
                 "bachelor": _("Bachelor's"), "master": _("Master's"),
                 "doctorate": _("Doctorate")}
VERDICT_LABELS = {"eligible": _("eligible"), "not_eligible": _("not eligible"),
                  "undetermined": _("undetermined")}
RESULT_LABELS = {"met": _("met"), "not_met": _("not met"), "unknown": _("unknown")}


def _label_filter(table: dict[str, Any]) -> Any:
    def label(code: str) -> Any:
        return table.get(code, code)
    return label


# `{{ code|doc_label }}` and friends: the translated label, or the code itself
for _name, _table in {"doc_label": DOCUMENT_LABELS, "action_label": ACTION_LABELS,
                      "degree_label": DEGREE_LABELS,
                      "verdict_label": VERDICT_LABELS, "result_label": RESULT_LABELS}.items():
    register.filter(_name, _label_filter(_table))


@register.filter
def split(text: str) -> list[str]:
    return text.split()


@register.filter
def percent(value: float) -> str:
    return f"{value:.0%}"


def _lang() -> str:
    return "zh" if (get_language() or "en").startswith("zh") else "en"


@register.filter
def fact_label(name: str) -> str:
    """The fact's label in the reader's language (one source: kvisa.rules.labels)."""
    return labels.fact_label(name, _lang())


@register.filter
def status_label(status: str) -> str:
    return labels.status_label(status, _lang())


@register.filter
def citations(criteria: list[Any]) -> list[str]:
    """Each distinct source of a list of criteria once, in order (a checklist, not a wall)."""
    seen: dict[str, None] = {}
    for criterion in criteria:
        cite = criterion.citation
        seen[f"{cite['instrument']} {cite['article']}".strip()] = None
    return list(seen)
