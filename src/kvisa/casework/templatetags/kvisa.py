"""Small template filters: dictionary lookup and translated labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

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




FACT_LABELS = {
    "date_of_birth": _("Date of birth"), "nationality": _("Nationality (e.g. IND, DEU)"),
    "highest_degree": _("Highest degree"),
    "degree_field": _("Field of study (ISCED-F code, e.g. 0613)"),
    "degree_institution_recognised": _("Degree from a well-known university"),
    "teaching_or_research_at_recognised_institution":
        _("Teaching or research at a well-known institution"),
    "years_work_experience": _("Years of work experience"),
    "annual_salary_cny": _("Annual salary in China (CNY)"),
    "local_urban_average_income_cny": _("Local average wage (CNY)"),
    "years_continuous_work_in_china": _("Years of continuous work in China"),
    "months_in_china_per_year": _("Months a year in China"),
    "us_job_offer": _("US job offer"), "us_job_is_specialty_occupation":
        _("The US job is a specialty occupation"),
    "us_offer_wage_level": _("US wage level (1-4)"),
    "us_advanced_degree": _("US master's degree or higher"),
    "outside_us": _("Outside the US now"), "holds_valid_h1b_visa": _("Holds a valid H-1B visa"),
    "no_criminal_record": _("No criminal record"), "good_health": _("Good health"),
}
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
                      "fact_label": FACT_LABELS, "degree_label": DEGREE_LABELS,
                      "verdict_label": VERDICT_LABELS, "result_label": RESULT_LABELS}.items():
    register.filter(_name, _label_filter(_table))


@register.filter
def split(text: str) -> list[str]:
    return text.split()


@register.filter
def percent(value: float) -> str:
    return f"{value:.0%}"
