"""The application form's fields, built from the fact vocabulary (one definition).

Typed values are kept as typed in the draft, even when they do not yet parse,
so that nothing is lost; the pre-check reports the bad ones beside their field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from kvisa.rules.errors import ProfileError
from kvisa.rules.facts import FACTS_BY_NAME, validate_profile

FIELDS_BY_NAME: dict[str, Field] = {}


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    kind: str            # text, date, choice, bool, number, country, field_of_study
    choices: tuple[tuple[str, Any], ...] = ()
    section: str = "profile"


DEGREES = (("", "—"), ("none", _("None")), ("secondary", _("Secondary school")),
           ("bachelor", _("Bachelor's")), ("master", _("Master's")),
           ("doctorate", _("Doctorate")))
SEX = (("", "—"), ("F", _("Female")), ("M", _("Male")), ("X", _("Unspecified")))

IDENTITY = (
    Field("surname", _("Surname (as in passport)"), "text", section="identity"),
    Field("given_names", _("Given names"), "text", section="identity"),
    Field("sex", _("Sex"), "choice", SEX, section="identity"),
    Field("passport_number", _("Passport number"), "text", section="identity"),
    Field("passport_expiry", _("Passport expiry date"), "date", section="identity"),
)
PROFILE = (
    Field("date_of_birth", _("Date of birth"), "date"),
    Field("nationality", _("Nationality (as in the passport)"), "country"),
    Field("highest_degree", _("Highest degree"), "choice", DEGREES),
    Field("degree_field", _("Field of study of the degree"), "field_of_study"),
    Field("degree_institution_recognised",
          _("The degree is from a well-known university or research institution"), "bool"),
    # Other degrees: the rules read "any degree that …", and a highest degree outside
    # STEM leaves the K visa open until the applicant says what else they hold.
    Field("only_degree", _("This is my only degree at bachelor's level or above"), "bool",
          section="degrees"),
    Field("other_degree_level", _("Another degree: level"), "choice", DEGREES,
          section="degrees"),
    Field("other_degree_field", _("Another degree: field of study"), "field_of_study",
          section="degrees"),
    Field("other_degree_recognised",
          _("Another degree: from a well-known university or research institution"), "bool",
          section="degrees"),
    Field("teaching_or_research_at_recognised_institution",
          _("I teach or do research in a STEM field at such an institution"), "bool"),
    Field("years_work_experience", _("Years of relevant work experience"), "number"),
)
ALL_FIELDS = IDENTITY + PROFILE
FIELDS_BY_NAME.update({f.name: f for f in ALL_FIELDS})


def parse_post(data: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(profile, identity) from a submitted form, converting what parses."""
    profile: dict[str, Any] = {}
    identity: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for field in ALL_FIELDS:
        raw = str(data.get(field.name, "")).strip()
        if raw == "":
            continue
        value: Any = raw
        if field.kind == "bool":
            value = {"true": True, "false": False}.get(raw, raw)
        elif field.kind == "number":
            try:
                value = float(raw)
            except ValueError:
                value = raw
        elif field.name in ("nationality", "surname", "given_names", "passport_number"):
            value = raw.upper() if field.name != "given_names" else raw
        if field.section == "degrees":
            answers[field.name] = value
            continue
        (identity if field.section == "identity" else profile)[field.name] = value
    degrees = _degrees_from_answers(profile, answers)
    if degrees is not None:
        profile["degrees"] = degrees
    return profile, identity


def _degrees_from_answers(profile: dict[str, Any], answers: dict[str, Any]
                          ) -> list[dict[str, Any]] | None:
    """The ``degrees`` fact from the form: the highest degree, plus another if given."""
    if "highest_degree" not in profile:
        return None
    highest = {"level": profile["highest_degree"], "field": profile.get("degree_field"),
               "institution_recognised": profile.get("degree_institution_recognised")}
    if answers.get("other_degree_level"):
        other = {"level": answers["other_degree_level"],
                 "field": answers.get("other_degree_field"),
                 "institution_recognised": answers.get("other_degree_recognised")}
        return [highest, other]
    if answers.get("only_degree") is True:
        return [highest]
    return None


def degree_answers(profile: dict[str, Any]) -> dict[str, Any]:
    """The form's answers about other degrees, read back from the ``degrees`` fact."""
    degrees = profile.get("degrees")
    if not isinstance(degrees, list) or not degrees:
        return {}
    if len(degrees) == 1:
        return {"only_degree": True}
    other = degrees[1] if isinstance(degrees[1], dict) else {}
    return {"only_degree": False, "other_degree_level": other.get("level"),
            "other_degree_field": other.get("field"),
            "other_degree_recognised": other.get("institution_recognised")}


def checked_profile(profile: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The facts that are valid, and an error per invalid one (for the pre-check)."""
    good: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in profile.items():
        if name not in FACTS_BY_NAME:
            continue
        try:
            validate_profile({name: value})
            good[name] = value
        except ProfileError as exc:
            errors[name] = exc.problem
    # facts valid one by one may still contradict each other (the degrees list and
    # the highest degree): leave the list out and say why, so the pre-check still runs
    try:
        validate_profile(good)
    except ProfileError as exc:
        good.pop("degrees", None)
        errors["degrees"] = exc.problem
    return good, errors
