"""The application form's fields, built from the fact vocabulary (one definition).

Typed values are kept as typed in the draft, even when they do not yet parse,
so that nothing is lost; the pre-check reports the bad ones beside their field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvisa.casework.service_programmes import PERMANENT_RESIDENCE
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
    route: str = ""  # permanent residence: the route the question belongs to


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
    # what the officer checks "well-known" against (the rules name no list): kept with
    # the identity answers, as no rule reads them
    Field("institution_name", _("Name of the university or institution that awarded it"),
          "text", section="identity"),
    Field("institution_country", _("Country of that university or institution"), "country",
          section="identity"),
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
# How to reach the applicant and when they mean to travel: what a visa application
# form asks besides the conditions (China's online visa application, COVA, asks for
# a telephone, a home address, the intended date of arrival and earlier visits to
# China; read from the form itself, not from ../shared/facts/).  Kept with the
# identity answers: no rule reads them; the officer does.
CONTACT = (
    Field("phone", _("Telephone number, with the country code (for example +91 98765 43210)"),
          "text", section="identity"),
    Field("home_address", _("Home address"), "text", section="identity"),
)
TRAVEL = (
    Field("intended_entry_date", _("When do you plan to arrive in China?"), "date",
          section="identity"),
    Field("visited_china_before", _("Have you been to China before?"), "bool",
          section="identity"),
)
ALL_FIELDS = IDENTITY + PROFILE + CONTACT + TRAVEL

# ------------------------------------------------------------ permanent residence
PR = PERMANENT_RESIDENCE  # the programme whose form asks for a route and its facts
PR_ROUTES = (
    ("employment", _("Work in China: salary and income tax (rules of 2019)")),
    ("senior_post", _("A senior post at a qualifying employer")),
    ("investment", _("Direct investment in China")),
    ("spouse", _("Spouse of a Chinese citizen or permanent resident")),
    ("child", _("Child under 18 joining a parent")),
    ("elderly", _("Aged 60 or over, joining relatives")),
    ("contribution", _("Significant contribution to China")),
)
REGIONS = (("", "—"), ("encouraged_industry", _("An encouraged industry")),
           ("western_or_poverty_county", _("The western region or a poverty-alleviation county")),
           ("central", _("The central region")), ("other", _("Elsewhere")))
PR_IDENTITY = (
    Field("chinese_name", _("Name in Chinese characters, if you have one"), "text",
          section="identity"),
    Field("old_card_number", _("Number of your old 15-character card, if you hold one"),
          "text", section="identity"),
)
PR_COMMON = (
    Field("date_of_birth", _("Date of birth"), "date", section="pr"),
    Field("nationality", _("Nationality (as in the passport)"), "country", section="pr"),
    Field("no_criminal_record", _("Do you have no criminal record anywhere?"), "bool",
          section="pr"),
    Field("good_health", _("Are you in good health?"), "bool", section="pr"),
)


def _pr(route: str, *fields: tuple[str, Any, str] | tuple[str, Any, str, tuple[Any, ...]]
        ) -> tuple[Field, ...]:
    return tuple(Field(f[0], f[1], f[2], f[3] if len(f) > 3 else (), "pr", route)
                 for f in fields)


TAX = ("good_tax_record", _("Is your tax record in China good (no arrears or penalties)?"), "bool")
RESIDENCE = (
    ("years_continuous_residence_in_china", _("Years lived in China without a break"), "number"),
    ("months_in_china_per_year", _("Months a year you live in China (the lowest year)"),
     "number"),
    ("stable_livelihood_and_residence", _("Do you have a stable income and a home in China?"),
     "bool"),
)
PR_ROUTE_FIELDS = (
    *_pr("senior_post",
         ("holds_senior_post", _("Are you a deputy general manager, associate professor or "
                                 "above (or equivalent) at a qualifying employer?"), "bool"),
         ("years_in_senior_post", _("Years in that post without a break"), "number"),
         ("years_actual_residence_in_china", _("Years actually lived in China in that time"),
          "number"), TAX),
    *_pr("investment",
         ("investment_usd", _("Paid-in capital of your direct investment (US dollars)"),
          "number"),
         ("investment_region", _("Where or in what is the investment?"), "choice", REGIONS),
         ("years_investment_stable", _("Years the investment has stayed at that level"),
          "number"), TAX),
    *_pr("spouse",
         ("spouse_of_chinese_or_pr_holder", _("Are you married to a Chinese citizen or a "
                                              "permanent resident of China?"), "bool"),
         ("years_married", _("Years married"), "number"), *RESIDENCE),
    *_pr("child",
         ("unmarried", _("Are you unmarried?"), "bool"),
         ("joining_family_in_china", _("Are you joining a parent in China who supports you?"),
          "bool")),
    *_pr("elderly",
         ("no_direct_relatives_abroad", _("Do you have no direct relatives outside China?"),
          "bool"),
         ("joining_family_in_china", _("Are you joining direct relatives in China who "
                                       "support you?"), "bool"), *RESIDENCE),
    *_pr("contribution",
         ("significant_contribution", _("Has the authority recognised a significant "
                                        "contribution to China, or a special national need?"),
          "bool")),
)
RECORD_FIELDS = (("city", _("City")), ("salary_cny", _("Salary income (CNY)")),
                 ("income_tax_cny", _("Income tax paid (CNY)")),
                 ("months_in_china", _("Months lived in China")))
_RECORD_KEY = re.compile(r"^rec-(\d{4})-(city|salary_cny|income_tax_cny|months_in_china)$")


def fields_for(programme: str) -> tuple[Field, ...]:
    """Every question of the programme's form (identity first)."""
    if programme == PR:
        return IDENTITY + PR_IDENTITY + CONTACT + PR_COMMON + PR_ROUTE_FIELDS
    return ALL_FIELDS


def record_years(on: dt.date, profile: dict[str, Any]) -> list[int]:
    """The years the employment table asks about: the ones the rule counts, and any kept."""
    from kvisa.rules.parameters import values_on
    from kvisa.rules.programmes.permanent_residence.rules import required_years

    needed = values_on(on).get(f"{PR}.employment_years") or 0
    kept = [int(r["year"]) for r in profile.get("employment_records") or ()
            if isinstance(r, dict) and isinstance(r.get("year"), int)]
    return sorted(set(required_years(on, needed)) | set(kept), reverse=True)


def record_rows(on: dt.date, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """The employment table's rows as the page shows them (typed values kept)."""
    by_year = {r.get("year"): r for r in profile.get("employment_records") or ()
               if isinstance(r, dict)}
    def shown(value: Any) -> Any:
        return int(value) if isinstance(value, float) and value.is_integer() else value

    return [{"year": year, **{k: shown(by_year.get(year, {}).get(k))
                              for k, _label in RECORD_FIELDS}}
            for year in record_years(on, profile)]


def _records_from_post(data: Any) -> list[dict[str, Any]] | None:
    """``employment_records`` from the table: a year with nothing typed is left out."""
    rows: dict[int, dict[str, Any]] = {}
    for key in data:
        match = _RECORD_KEY.match(str(key))
        raw = str(data.get(key, "")).strip()
        if not match or raw == "":
            continue
        value: Any = raw
        if match.group(2) != "city":
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                value = raw
        rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    if not rows:
        return None
    return [{"year": year, **rows[year]} for year in sorted(rows)]


FIELDS_BY_NAME.update({f.name: f for f in ALL_FIELDS})
FIELDS_BY_NAME.update({f.name: f for f in PR_IDENTITY + PR_COMMON + PR_ROUTE_FIELDS
                       if f.name not in FIELDS_BY_NAME})


def parse_post(data: Any, programme: str = ""
               ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(profile, identity) from a submitted form, converting what parses.

    A permanent-residence form also gives the route chosen (kept with the
    identity answers, as it is no fact of the rules) and the yearly records.
    """
    profile: dict[str, Any] = {}
    identity: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    if programme == PR:
        route = str(data.get("route", "")).strip()
        if route in dict(PR_ROUTES):
            identity["route"] = route
        records = _records_from_post(data)
        if records is not None:
            profile["employment_records"] = records
    for field in fields_for(programme):
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
        elif field.name in ("nationality", "surname", "given_names", "passport_number",
                            "old_card_number", "institution_country"):
            value = raw.upper() if field.name != "given_names" else raw
        if field.section == "degrees":
            answers[field.name] = value
            continue
        if field.name in profile and value == profile[field.name]:
            continue  # the same question asked on two routes
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


def plain_problem(error: ProfileError) -> str:
    """What is wrong with an answer, in the reader's words (never a validator's message)."""
    kind = error.kind
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return gettext("Enter a whole number, for example 4.")
    if kind.startswith(("float", "int")):
        return gettext("Enter a number, for example 4 or 4.5.")
    if kind in ("greater_than_equal", "greater_than"):
        return gettext("Enter %(limit)s or more.") % {"limit": error.limit}
    if kind in ("less_than_equal", "less_than"):
        return gettext("Enter %(limit)s or less.") % {"limit": error.limit}
    if kind == "future":
        return gettext("This date is in the future.")
    if kind.startswith("date"):
        return gettext("Enter a real date, for example 1996-05-14.")
    if kind.startswith("bool"):
        return gettext("Choose yes or no.")
    if kind == "literal_error":
        return gettext("Choose one of the answers offered.")
    if kind in ("string_pattern_mismatch", "string_type", "string_too_long"):
        return gettext("This answer is not in the form expected.")
    return str(error.problem)


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
            errors[name] = plain_problem(exc)
    # facts valid one by one may still contradict each other (the degrees list and
    # the highest degree): leave the list out and say why, so the pre-check still runs
    try:
        validate_profile(good)
    except ProfileError as exc:
        good.pop("degrees", None)
        errors["degrees"] = exc.problem
    return good, errors


def _as_posted(value: Any) -> str:
    """A stored answer as the form would post it back."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def merged_post(identity: dict[str, Any], profile: dict[str, Any], posted: Any
                ) -> dict[str, str]:
    """The whole form as posted, when one page posts only its own questions.

    Each page of the task list sends its own fields; every other answer is
    the draft's, written back as the form would post it, so that one parser
    (:func:`parse_post`) reads the result and a page never erases another's.
    """
    data: dict[str, str] = {}
    for name, value in {**identity, **profile, **degree_answers(profile)}.items():
        if not isinstance(value, list | dict):
            data[name] = _as_posted(value)
    for row in profile.get("employment_records") or ():
        if isinstance(row, dict) and isinstance(row.get("year"), int):
            for key, _label in RECORD_FIELDS:
                if row.get(key) is not None:
                    data[f"rec-{row['year']}-{key}"] = _as_posted(row[key])
    data.update({str(key): str(posted.get(key, "")) for key in posted
                 if key != "csrfmiddlewaretoken"})
    return data
