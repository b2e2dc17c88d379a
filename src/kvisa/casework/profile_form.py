"""The application form's fields, built from the fact vocabulary (one definition).

Typed values are kept as typed in the draft, even when they do not yet parse,
so that nothing is lost; the pre-check reports the bad ones beside their field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kvisa.casework.service_programmes import PERMANENT_RESIDENCE
from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules import fact_text
from kvisa.rules.errors import ProfileError
from kvisa.rules.facts import FACTS_BY_NAME, Ask, Fact, Kind, Option, register, validate_profile
from kvisa.rules.model import walk_groups
from kvisa.rules.programmes import PROGRAMMES, ROUTES

FIELDS_BY_NAME: dict[str, Field] = {}


@dataclass(frozen=True)
class Field:
    """One question of the application form, read from its one definition: a fact of
    the rules, or an answer the service asks that no rule reads (declared below in the
    same vocabulary and registered with :func:`kvisa.rules.fact_text.register`).

    A field among others shows the fact's label; a yes/no field shows its question
    (a bare label reads as a statement); the help says what counts.
    """

    fact: Fact
    section: str = "profile"
    route: str = ""  # permanent residence: the route the question belongs to

    @property
    def name(self) -> str:
        return self.fact.name

    @property
    def kind(self) -> Kind:
        return self.fact.kind

    @property
    def label(self) -> str:
        ask = self.fact.ask
        words = ask.question if ask is not None and (self.kind == "bool" or not self.fact.label) \
            else self.fact.label
        return translate(words, get_language())

    @property
    def help(self) -> str:
        ask = self.fact.ask
        return translate(ask.help, get_language()) if ask is not None and ask.help else ""

    @property
    def options(self) -> tuple[Option, ...]:
        """A coded field's answers in the reader's language; a yes/no field's Yes and No
        with the value each gives (a question asked the other way round inverts them)."""
        if self.kind == "bool":
            return fact_text.yes_no(self.fact, get_language())
        return fact_text.options(self.fact, get_language())


def _fact(name: str, section: str = "profile", route: str = "") -> Field:
    return Field(FACTS_BY_NAME[name], section, route)


def _answer(name: str, kind: Kind, label: str, section: str = "identity", *,
            options: tuple[Option, ...] = (), help_text: str = "", question: str = ""
            ) -> Field:
    """A question only the service asks (no rule reads it), in the facts' vocabulary."""
    ask = Ask(question or label, help_text) if (help_text or question) else None
    answer = Fact(name, kind, str(label), options, label=label, ask=ask)
    register(answer)
    return Field(answer, section)


SEX_OPTIONS = (Option("F", N_("Female")), Option("M", N_("Male")),
               Option("X", N_("Unspecified")))

IDENTITY = (
    _answer("surname", "text", N_("Surname (as in passport)")),
    _answer("given_names", "text", N_("Given names")),
    _answer("sex", "choice", N_("Sex"), options=SEX_OPTIONS),
    _answer("passport_number", "text", N_("Passport number")),
    _answer("passport_expiry", "date", N_("Passport expiry date")),
)
PROFILE = (
    _fact("date_of_birth"),
    _fact("nationality"),
    _fact("highest_degree"),
    _fact("degree_field"),
    # what the officer checks "well-known" against (the rules name no list): kept with
    # the identity answers, as no rule reads them
    _answer("institution_name", "text",
            N_("Name of the university or institution that awarded it")),
    _answer("institution_country", "country", N_("Country of that university or institution")),
    _fact("degree_institution_recognised"),
    # Other degrees: the rules read "any degree that …", and a highest degree outside
    # STEM leaves the K visa open until the applicant says what else they hold.
    _answer("only_degree", "bool", N_("This is my only degree at bachelor's level or above"),
            "degrees", question=N_("This is my only degree at bachelor's level or above")),
    _answer("other_degree_level", "choice", N_("Another degree: level"), "degrees",
            options=FACTS_BY_NAME["highest_degree"].options),
    _answer("other_degree_field", "code", N_("Another degree: field of study"), "degrees"),
    _answer("other_degree_recognised", "bool",
            N_("Another degree: from a well-known university or research institution"),
            "degrees", question=N_("Another degree: from a well-known university or "
                                   "research institution")),
    _fact("teaching_or_research_at_recognised_institution"),
    _fact("years_work_experience"),
)
# How to reach the applicant and when they mean to travel: what a visa application
# form asks besides the conditions (China's online visa application, COVA, asks for
# a telephone, a home address, the intended date of arrival and earlier visits to
# China; read from the form itself, not from ../shared/facts/).  Kept with the
# identity answers: no rule reads them; the officer does.
CONTACT = (
    _answer("phone", "text", N_("Telephone number, with the country code"),
            help_text=N_("For example +91 98765 43210")),
    _answer("home_address", "text", N_("Home address")),
)
TRAVEL = (
    _answer("intended_entry_date", "date", N_("When do you plan to arrive in China?")),
    _answer("visited_china_before", "bool", N_("Have you been to China before?"),
            question=N_("Have you been to China before?")),
)
ALL_FIELDS = IDENTITY + PROFILE + CONTACT + TRAVEL

# ------------------------------------------------------------ permanent residence
PR = PERMANENT_RESIDENCE  # the programme whose form asks for a route and its facts


def _route_options() -> tuple[Option, ...]:
    """The routes a person can apply under: the programme's own routes whose rules are
    law (a draft's are not), named as the comparison names them — one definition."""
    programme = next(p for p in PROGRAMMES if p.id == PR)
    drafts = {g.id for g in walk_groups(programme.rule) if g.status == "draft"}
    prefix = f"{PR}.route."
    return tuple(Option(route.group.removeprefix(prefix), route.name) for route in ROUTES
                 if route.programme == PR and route.group and route.group not in drafts)


ROUTE_OPTIONS = _route_options()
ROUTE = _answer("route", "choice", N_("Route applied under"), options=ROUTE_OPTIONS)
PR_ROUTES = tuple((o.value, _(o.label)) for o in ROUTE_OPTIONS)
PR_IDENTITY = (
    _answer("chinese_name", "text", N_("Name in Chinese characters, if you have one")),
    _answer("old_card_number", "text",
            N_("Number of your old 15-character card, if you hold one")),
)


def asked_of_everyone(programme: str) -> tuple[Field, ...]:
    """The answers besides the conditions that every application to ``programme`` must
    give: how to reach the applicant, and (for a visa, not for people already living in
    China) the journey and the degree's awarding institution."""
    if programme == PR:
        return CONTACT
    return (*CONTACT, *TRAVEL, FIELDS_BY_NAME["institution_name"],
            FIELDS_BY_NAME["institution_country"])


PR_COMMON = (_fact("date_of_birth", "pr"), _fact("nationality", "pr"),
             _fact("no_criminal_record", "pr"), _fact("good_health", "pr"))


def _pr(route: str, *names: str) -> tuple[Field, ...]:
    return tuple(_fact(name, "pr", route) for name in names)


_TAX = "good_tax_record"
_RESIDENCE = ("years_continuous_residence_in_china", "months_in_china_per_year",
              "stable_livelihood_and_residence")
PR_ROUTE_FIELDS = (
    *_pr("senior_post", "holds_senior_post", "years_in_senior_post",
         "years_actual_residence_in_china", _TAX),
    *_pr("investment", "investment_usd", "investment_region", "years_investment_stable", _TAX),
    *_pr("spouse", "spouse_of_chinese_or_pr_holder", "years_married", *_RESIDENCE),
    *_pr("child", "unmarried", "joining_family_in_china"),
    *_pr("elderly", "no_direct_relatives_abroad", "joining_family_in_china", *_RESIDENCE),
    *_pr("contribution", "significant_contribution"),
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


_UPPER_CASE = frozenset({"surname", "passport_number", "old_card_number"})
"""Written as the passport's machine-readable zone writes them."""

FIELDS_BY_NAME.update({f.name: f for f in ALL_FIELDS})
FIELDS_BY_NAME.update({f.name: f for f in (ROUTE, *PR_IDENTITY, *PR_COMMON, *PR_ROUTE_FIELDS)
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
    lang = get_language()
    for field in fields_for(programme):
        raw = fact_text.posted(data, field.name)
        if raw == "":
            continue
        value: Any
        try:
            value = fact_text.read(field.fact, raw, lang)
        except fact_text.AnswerProblem:
            value = raw  # kept as typed: the pre-check and the page say what is wrong
        if field.name in _UPPER_CASE and isinstance(value, str):
            value = value.upper()
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
            errors[name] = fact_text.problem_in_words(exc, get_language())
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
