"""The application as a task list (GOV.UK pattern): sections, their pages, their status.

A draft is answered section by section — Identity, Education and work (or the
permanent-residence route and situation), Documents, Check and submit — and
each section says whether it is not started, in progress or completed.  The
questions that are hard to answer honestly get a page of their own, asked in
plain words ("Do you have a criminal record?"), even where the fact the rules
read is the opposite ("no criminal record").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kvisa.casework import service_programmes, submission
from kvisa.casework.models import Application
from kvisa.casework.profile_form import (
    CONTACT,
    FIELDS_BY_NAME,
    IDENTITY,
    PR,
    PR_IDENTITY,
    PR_ROUTE_FIELDS,
    RECORD_FIELDS,
    TRAVEL,
    Field,
    degree_answers,
    record_rows,
)
from kvisa.i18n import translate
from kvisa.rules import fact_text
from kvisa.rules.facts import FACTS_BY_NAME, Ask


@dataclass(frozen=True)
class Question:
    """A hard question on a page of its own, in the plain words of the fact's one
    definition (:attr:`kvisa.rules.facts.Fact.ask`), with what counts and its sources."""

    field: str

    @property
    def _ask(self) -> Ask:
        ask = FACTS_BY_NAME[self.field].ask
        assert ask is not None, f"{self.field} has no question"
        return ask

    @property
    def text(self) -> str:
        return translate(self._ask.question, get_language())

    @property
    def hint(self) -> str:
        return translate(self._ask.help, get_language())

    @property
    def sources(self) -> list[str]:
        return fact_text.sources_in_words(self.field, dt.date.today(), get_language())

    @property
    def inverted(self) -> bool:
        """"Yes" means the fact is false (a criminal record → ``no_criminal_record``)."""
        return not self._ask.yes_is


@dataclass(frozen=True)
class Page:
    slug: str
    title: Any
    kind: str = "fields"   # fields | question | route | records | documents
    fields: tuple[Field, ...] = ()
    question: Question | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The answers this page holds (what its errors are filed under)."""
        if self.question:
            return (self.question.field,)
        return {"route": ("route",), "records": ("records",),
                "documents": ("documents",)}.get(self.kind, tuple(f.name for f in self.fields))


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    pages: tuple[Page, ...]


@dataclass
class Task:
    """A section as the task list shows it."""

    section: Section
    status: str      # not_started | in_progress | completed | cannot_start
    problems: list[submission.Problem] = field(default_factory=list)

    @property
    def first(self) -> Page:
        return self.section.pages[0]


NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = (
    "not_started", "in_progress", "completed", "cannot_start")
STATUS_LABELS = {NOT_STARTED: _("Not started"), IN_PROGRESS: _("In progress"),
                 COMPLETED: _("Completed"), CANNOT_START: _("Cannot start yet")}
# answers a person may rightly leave blank: the section is complete without them
OPTIONAL = {"given_names", "chinese_name", "old_card_number", "other_degree_level",
            "other_degree_field", "other_degree_recognised"}

_PERSON = (FIELDS_BY_NAME["date_of_birth"], FIELDS_BY_NAME["nationality"])
_RECOGNISED = Question("degree_institution_recognised")
_TEACHING = Question("teaching_or_research_at_recognised_institution")
_CRIMINAL = Question("no_criminal_record")
_HEALTH = Question("good_health")

_K_SECTIONS = (
    Section("identity", _("Identity (as in your passport)"),
            (Page("identity", _("Identity (as in your passport)"), fields=IDENTITY + _PERSON),)),
    Section("education", _("Education and work"), (
        Page("degree", _("Your highest degree"),
             fields=tuple(FIELDS_BY_NAME[n] for n in ("highest_degree", "degree_field",
                                                      "institution_name",
                                                      "institution_country"))),
        Page("recognised", _("Your university"), "question", question=_RECOGNISED),
        Page("other-degree", _("Other degrees"), fields=tuple(
            FIELDS_BY_NAME[n] for n in ("only_degree", "other_degree_level",
                                        "other_degree_field", "other_degree_recognised"))),
        Page("teaching", _("Teaching or research"), "question", question=_TEACHING),
        Page("experience", _("Work experience"),
             fields=(FIELDS_BY_NAME["years_work_experience"],)),
    )),
    Section("contact", _("Contact details and travel"), (
        Page("contact", _("How to reach you"), fields=CONTACT),
        Page("travel", _("Your journey"), fields=TRAVEL),
    )),
)


def _pr_situation(route: str) -> tuple[Page, ...]:
    own = tuple(f for f in PR_ROUTE_FIELDS if f.route == route)
    pages = [Page("criminal-record", _("Criminal record"), "question", question=_CRIMINAL),
             Page("health", _("Health"), "question", question=_HEALTH)]
    if own:
        pages.append(Page("situation", _("Your situation"), fields=own))
    if route == "employment":
        pages.append(Page("records", _("Work in China, year by year"), "records"))
    return tuple(pages)


def sections(application: Application) -> tuple[Section, ...]:
    """The task list's sections for this draft (the route decides what follows it)."""
    tail = (Section("documents", _("Documents"),
                    (Page("documents", _("Documents"), "documents"),)),)
    if application.programme != PR:
        return _K_SECTIONS + tail
    route = str(application.identity.get("route", ""))
    return (Section("identity", _("Identity (as in your passport)"),
                    (Page("identity", _("Identity (as in your passport)"),
                          fields=IDENTITY + PR_IDENTITY + _PERSON),)),
            Section("route", _("Route"), (Page("route", _("Which route are you applying "
                                                         "under?"), "route"),)),
            Section("situation", _("Your situation"), _pr_situation(route)),
            Section("contact", _("Contact details"),
                    (Page("contact", _("How to reach you"), fields=CONTACT),)),
            *tail)


def page(application: Application, slug: str) -> tuple[Section, Page] | None:
    for section in sections(application):
        for candidate in section.pages:
            if candidate.slug == slug:
                return section, candidate
    return None


def next_page(application: Application, slug: str) -> Page | None:
    """The page after ``slug`` in its section (None at the section's end)."""
    found = page(application, slug)
    if found is None:
        return None
    pages = found[0].pages
    index = pages.index(found[1])
    return pages[index + 1] if index + 1 < len(pages) else None


def page_of(application: Application, problem_field: str) -> str:
    """The slug of the page that holds an answer (the error summary links there)."""
    for section in sections(application):
        for candidate in section.pages:
            if problem_field in candidate.names:
                return candidate.slug
    return sections(application)[0].pages[0].slug


def _values(application: Application) -> dict[str, Any]:
    return {**application.identity, **application.profile,
            **degree_answers(application.profile)}


def _answered(name: str, values: dict[str, Any], application: Application,
              today: dt.date) -> bool:
    if name == "route":
        return bool(values.get("route"))
    if name == "documents":
        return not service_programmes.missing(application.programme, str(values.get("route", "")),
                                          _uploaded(application))
    if name == "records":
        return all(row.get(key) not in (None, "") for row in record_rows(today,
                                                                            application.profile)
                   for key, _label in RECORD_FIELDS)
    if name == "only_degree" and values.get("other_degree_level"):
        return True
    return values.get(name) not in (None, "")


def _touched(name: str, values: dict[str, Any], application: Application) -> bool:
    if name == "documents":
        return bool(_uploaded(application))
    if name == "records":
        return bool(application.profile.get("employment_records"))
    return values.get(name) not in (None, "")


def _uploaded(application: Application) -> set[str]:
    return set(application.documents.values_list("kind", flat=True))


def task_list(application: Application, today: dt.date) -> list[Task]:
    """Every section with its status, then "Check and submit"."""
    values = _values(application)
    found = submission.problems(application)
    tasks: list[Task] = []
    for section in sections(application):
        names = [n for p in section.pages for n in p.names]
        problems = [p for p in found if p.field in names]
        needed = [n for n in names if n not in OPTIONAL]
        if not any(_touched(n, values, application) for n in names):
            status = NOT_STARTED
        elif not problems and all(_answered(n, values, application, today) for n in needed):
            status = COMPLETED
        else:
            status = IN_PROGRESS
        tasks.append(Task(section, status, problems))
    check = Section("check", _("Check your answers and submit"), ())
    tasks.append(Task(check, NOT_STARTED if not found else CANNOT_START))
    return tasks
