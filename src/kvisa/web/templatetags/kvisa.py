"""Small template filters: dictionary lookup and translated labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kvisa import i18n
from kvisa.casework import document_kinds, policy
from kvisa.casework import profile_form as _registers_the_service_answers  # noqa: F401
from kvisa.casework.service_programmes import SERVICE_PROGRAMMES, service_for
from kvisa.i18n import date_order, translate
from kvisa.rules import fact_text, labels

register = template.Library()

DOCUMENT_LABELS = document_kinds.LABELS
ACTION_LABELS = {"submit": _("submitted"), "assign": _("assigned to an officer"),
                 "reassign": _("reassigned"), "request_evidence": _("evidence requested"),
                 "answer_evidence": _("evidence answered"), "approve": _("approved"),
                 "refuse": _("refused"), "issue": _("e-visa issued"),
                 "withdraw": _("withdrawn"), "reverse": _("refusal reversed"),
                 "resolve_duplicate": _("possible duplicate resolved")}
DUPLICATE_STATUS = {"open": _("to decide"), "not_duplicate": _("not a duplicate"),
                    "linked": _("linked: the same person"),
                    "refused": _("refused as a duplicate")}

ACTIVE_CONTENT_LABELS = {
    "javascript": _("JavaScript"), "launch": _("an action that starts a program"),
    "embedded_file": _("an embedded file"), "xfa_form": _("an XFA form"),
    "rich_media": _("rich media (Flash or video)"), "submit_form": _("a form that sends data"),
    "import_data": _("an action that imports data"),
    "trailing_data": _("data after the end of the PDF (a polyglot file?)"),
    "unreadable_structure": _("a structure kvisa could not fully read"),
    "too_many_objects_to_check": _("more objects than kvisa checks")}


@register.filter
def active_content_text(flags: list[str]) -> str:
    """'JavaScript, an embedded file' in the reader's language."""
    return ", ".join(str(ACTIVE_CONTENT_LABELS.get(flag, flag)) for flag in flags or [])


@register.filter
def may(user: Any, permission: str) -> bool:
    """``{% if user|may:"console" %}``: the authorisation policy, asked by a template
    (a page offers only what the service would allow)."""
    return policy.may(user, permission)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None




ROLE_LABELS = {"applicant": _("applicant"), "officer": _("officer"),
               "supervisor": _("supervisor"), "system": _("system")}


def _label_filter(table: dict[str, Any]) -> Any:
    def label(code: str) -> Any:
        return table.get(code, code)
    return label


# `{{ code|doc_label }}` and friends: the translated label, or the code itself
for _name, _table in {"doc_label": DOCUMENT_LABELS,
                      "duplicate_status": DUPLICATE_STATUS,
                      "role_label": ROLE_LABELS}.items():
    register.filter(_name, _label_filter(_table))


@register.filter
def split(text: str) -> list[str]:
    return text.split()


@register.filter
def percent(value: float) -> str:
    return f"{value:.0%}"


def _lang() -> str:
    return i18n.language(get_language())


@register.filter
def fact_label(name: str) -> str:
    """The fact's label in the reader's language (one source: kvisa.rules.labels)."""
    return labels.fact_label(name, _lang())


@register.filter
def status_label(status: str) -> str:
    return labels.status_label(status, _lang())


@register.filter
def status_sentence(status: str) -> str:
    return labels.status_sentence(status, _lang())


@register.filter
def citations(criteria: list[Any]) -> list[str]:
    """Each distinct source of a list of criteria once, in order (a checklist, not a wall),
    in the reader's language where the catalogue has the instrument's name."""
    lang = _lang()
    return list(dict.fromkeys(labels.citation_text(c.citation, lang) for c in criteria))


@register.filter
def cost_name(cost: Any) -> str:
    """What a fee is called, in the reader's language."""
    return str(cost.name_in(_lang()))


@register.filter
def translated(message: str) -> str:
    """A message id of the one catalogue (a fee's name, say) in the reader's language."""
    return translate(str(message), _lang())


@register.filter
def criterion_text(criterion: Any) -> str:
    """A criterion's sentence, its values filled in, in the reader's language: the one
    place a page picks it (results carry it in every language of the catalogue)."""
    if isinstance(criterion, dict):
        texts = criterion.get("texts") or {"en": criterion.get("text", ""),
                                           "zh": criterion.get("text_zh", "")}
    else:
        texts = getattr(criterion, "texts", None) or {"en": criterion.text}
    return i18n.pick(texts, _lang())


@register.filter
def city_name(row: Any) -> str:
    """A city of the wage table by its name in the reader's language."""
    return i18n.pick({"en": row.city, "zh": row.city_zh}, _lang())


@register.filter
def verdict_label(verdict: str) -> str:
    return labels.verdict_label(verdict, _lang())


@register.filter
def result_label(result: str) -> str:
    return labels.result_label(result, _lang())


@register.filter
def field_label(name: str) -> str:
    """An answer's label in the reader's language, from its one definition (a fact of
    the rules or an answer the service asks)."""
    return labels.fact_label(name, _lang())


@register.filter
def money(value: Any) -> str:
    """An amount with the reader's digit grouping and no decimals ("—" when blank)."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return fact_text.number_in_words(round(number) if abs(number) >= 100 else number, _lang())


@register.filter
def fact_value(value: Any, name: str) -> str:
    """An answer as a person reads it: one lookup in its definition
    (:func:`kvisa.rules.fact_text.in_words`)."""
    return fact_text.in_words(name, value, _lang())


@register.filter
def date_boxes(value: Any) -> list[dict[str, str]]:
    """A date input's three boxes in the order the reader writes a date (day, month,
    year; year first in Chinese; month first to an American reader), with what each holds."""
    held = fact_text.date_parts(value)
    names: dict[str, Any] = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
    return [{"part": part, "label": names[part], "value": held[part]}
            for part in date_order(_lang())]


@register.filter
def answer_options(name: str) -> tuple[Any, ...]:
    """An answer's choices in the reader's language, from its one definition."""
    fact = fact_text.definition(name)
    if fact is None:
        return ()
    if fact.kind == "bool":
        return fact_text.yes_no(fact, _lang())
    return fact_text.options(fact, _lang())


@register.filter
def answer_kind(name: str) -> str:
    """The answer's kind in the facts' one vocabulary ("" for an unknown name)."""
    fact = fact_text.definition(name)
    return fact.kind if fact is not None else ""


@register.filter
def as_posted(value: Any) -> str:
    """A stored answer as a form sends it back (true/false, 4 rather than 4.0)."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


@register.filter
def coded_shown(value: Any, name: str) -> str:
    """What a typed coded answer's box shows: the answer's name for a stored code
    ("India (IND)"), or the words as typed when they named no one answer."""
    fact = fact_text.definition(name)
    if value in (None, "") or fact is None:
        return ""
    found = next((o.label for o in fact_text.options(fact, _lang()) if o.value == value), None)
    return found or str(value)


@register.filter
def searchable(words: str) -> str:
    """An option's search words as the list beside it shows them."""
    return " · ".join(w for w in words.split("|")[1:] if w)


@register.filter
def date_example(_unused: Any) -> str:
    """An example date as typed into the boxes, in the reader's order."""
    return fact_text.date_example(_lang())


@register.filter
def fact_sources(name: str) -> list[str]:
    """The sources of the criteria that read this fact (what the help text rests on)."""
    return fact_text.sources_in_words(name, dt.date.today(), _lang())


@register.filter
def count_cell(value: Any, small: int = 5) -> str:
    """A count for a table: a suppressed (null) cell reads "<5"."""
    return f"<{small}" if value is None else f"{int(value):,}"


@register.filter
def signed_percent(value: Any) -> str:
    """+30% / −12%: a change with its sign."""
    if value is None:
        return "—"
    return f"{value:+.0%}".replace("-", "−")


@register.filter
def service(programme_id: str) -> Any:
    """The service's entry for a programme (its names, what it issues), or None."""
    return service_for(str(programme_id))


@register.filter
def issues_card(programme_id: str) -> bool:
    """Whether an approval of this programme issues a resident card (not a visa)."""
    entry = service_for(str(programme_id))
    return entry is not None and entry.issues == "card"


@register.filter
def action_words(kind: str, programme_id: str) -> Any:
    """What an action did, in words, for this programme: one place says that issuing
    under a programme that issues cards is "resident card issued", not "e-visa issued"
    (the history, the applicant's page and the case's last change all read it)."""
    if kind == "issue" and issues_card(programme_id):
        return _("resident card issued")
    return ACTION_LABELS.get(kind, kind)


@register.filter
def short_programme_name(programme_id: str) -> str:
    """"K visa", "Permanent residence": the service's short name, else the rules' name."""
    entry = service_for(str(programme_id))
    return str(entry.short_name) if entry is not None else programme_name(programme_id)


@register.simple_tag
def service_programmes() -> tuple[Any, ...]:
    """Every programme the service takes applications for, in order."""
    return SERVICE_PROGRAMMES


@register.filter
def programme_name(programme_id: str) -> str:
    """A programme's name in the reader's language (its id if kvisa does not know it)."""
    from kvisa.rules.programmes import PROGRAMMES

    for programme in PROGRAMMES:
        if programme.id == programme_id:
            return translate(programme.name, _lang())
    return programme_id


@register.filter
def reader_date(value: Any) -> str:
    """A date as the reader writes it: "3 Dec 2031" (or "Dec 3, 2031" to an American
    reader), "2031年12月3日" in Chinese — CLDR's form for the reader's locale."""
    if not value:
        return ""
    return i18n.reader_date(value, _lang())
