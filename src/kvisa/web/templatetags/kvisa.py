"""Small template filters: dictionary lookup and translated labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kvisa import reference
from kvisa.casework import document_kinds, policy
from kvisa.casework.profile_form import FIELDS_BY_NAME, PR_ROUTES
from kvisa.casework.service_programmes import SERVICE_PROGRAMMES, service_for
from kvisa.rules import labels

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




DEGREE_LABELS = {"none": _("None"), "secondary": _("Secondary school"),
                 "bachelor": _("Bachelor's"), "master": _("Master's"),
                 "doctorate": _("Doctorate")}
SEX_LABELS = {"F": _("Female"), "M": _("Male"), "X": _("Unspecified")}
VERDICT_LABELS = {"eligible": _("eligible"), "not_eligible": _("not eligible"),
                  "undetermined": _("undetermined")}
RESULT_LABELS = {"met": _("met"), "not_met": _("not met"), "unknown": _("unknown")}
ROLE_LABELS = {"applicant": _("applicant"), "officer": _("officer"),
               "supervisor": _("supervisor"), "system": _("system")}


def _label_filter(table: dict[str, Any]) -> Any:
    def label(code: str) -> Any:
        return table.get(code, code)
    return label


# `{{ code|doc_label }}` and friends: the translated label, or the code itself
for _name, _table in {"doc_label": DOCUMENT_LABELS, "action_label": ACTION_LABELS,
                      "duplicate_status": DUPLICATE_STATUS,
                      "degree_label": DEGREE_LABELS,
                      "verdict_label": VERDICT_LABELS, "result_label": RESULT_LABELS,
                      "role_label": ROLE_LABELS}.items():
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
def status_sentence(status: str) -> str:
    return labels.status_sentence(status, _lang())


@register.filter
def citations(criteria: list[Any]) -> list[str]:
    """Each distinct source of a list of criteria once, in order (a checklist, not a wall),
    in the reader's language where the catalogue has the instrument's name."""
    lang = _lang()
    return list(dict.fromkeys(labels.citation_text(c.citation, lang) for c in criteria))


@register.filter
def code_options(kind: str) -> list[tuple[str, str]]:
    """Choices for a coded field, named in the reader's language (codes stay the values)."""
    if kind == "country":
        return reference.country_choices(_lang())
    if kind == "field_of_study":
        return reference.field_choices(_lang())
    return []


@register.filter
def in_options(value: Any, options: list[tuple[str, str]]) -> bool:
    return any(code == value for code, _label in options)


@register.filter
def field_label(name: str) -> Any:
    """A case field's label: the form's own label, or the fact's label."""
    if name == "route":
        return _("Route applied under")
    field = FIELDS_BY_NAME.get(name)
    return field.label if field is not None else labels.fact_label(name, _lang())


def _degree_in_words(degree: dict[str, Any]) -> str:
    level = str(DEGREE_LABELS.get(str(degree.get("level")), degree.get("level")))
    parts = [level]
    if degree.get("field"):
        parts.append(fact_value(degree["field"], "degree_field"))
    recognised = degree.get("institution_recognised")
    if recognised is not None:
        parts.append(str(_("well-known institution") if recognised
                         else _("institution not well known")))
    return ", ".join(parts)


@register.filter
def money(value: Any) -> str:
    """An amount with thousands separators and no decimals ("—" when blank)."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:g}"


def _records_in_words(records: list[Any]) -> str:
    parts = []
    for r in records:
        if isinstance(r, dict):
            parts.append(f"{r.get('year')}: {r.get('city') or '—'}, {money(r.get('salary_cny'))}"
                         f" / {money(r.get('income_tax_cny'))}, {money(r.get('months_in_china'))}")
    return "; ".join(parts)


@register.filter
def fact_value(value: Any, name: str) -> str:
    """A fact's value as a person reads it: Yes/No, a date in the reader's language,
    a country or field of study by name beside its code, a degree by its label."""
    if value is None or value == "":
        return "—"
    if name == "degrees" and isinstance(value, list):
        return "; ".join(_degree_in_words(d) for d in value if isinstance(d, dict))
    if name == "employment_records" and isinstance(value, list):
        return _records_in_words(value)
    if name == "route":
        return str(dict(PR_ROUTES).get(str(value), value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    field = FIELDS_BY_NAME.get(name)
    kind = field.kind if field is not None else ""
    if kind == "country" or name == "nationality":
        named = reference.country_name(str(value), _lang())
        return f"{value} {named}" if named else str(value)
    if kind == "field_of_study" or name == "degree_field":
        named = reference.field_name(str(value), _lang())
        return f"{value} {named}" if named else str(value)
    if name == "highest_degree":
        return str(DEGREE_LABELS.get(str(value), value))
    if name == "sex":
        return str(SEX_LABELS.get(str(value), value))
    if kind == "date" or name in ("date_of_birth", "passport_expiry"):
        try:
            return date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
            return programme.name_zh if _lang() == "zh" else programme.name
    return programme_id


@register.filter
def reader_date(value: Any) -> str:
    """A date as the reader writes it: "3 Dec 2031", or "2031年12月3日" in Chinese
    (Django's "j M Y" gives "3 十二月 2031", which no Chinese reader writes)."""
    if not value:
        return ""
    if _lang() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    from django.utils.dateformat import format as date_format

    return date_format(value, "j M Y")
