"""What a programme says besides its rules: its routes, fees, time, validity, odds.

Each programme folder (``rules/programmes/<name>/``) declares its *pathway facets*
in ``pathway.py``: a :class:`Facets` subclass, and the :class:`Route` list a person
compares.  :mod:`kvisa.pathways` loops over them with no programme id of its
own, so a new programme is one folder.  Everything here is plain Python (no
Django): the rules layer stays importable by the CLI, batch jobs and Dask.

Every amount comes from a parameter in force on the day the person would act,
with the parameter's source and status, and nothing is more certain than its
source:

- a cost that depends on a fact the profile leaves blank is *conditional* (shown
  with the facts it depends on), never dropped;
- a fee that is not published says so (``amount`` is ``None``), never a blank
  that reads as "free";
- each figure carries the status of the value it came from.

Texts are English message ids of the one catalogue (:mod:`kvisa.i18n`), put
into the reader's language when shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules.parameters import all_parameters


class ProgrammeAssessment(Protocol):
    """What the facets read of a programme's assessment
    (:class:`kvisa.rules.engine.ProgrammeAssessment` has it): declared here so that
    the facets, which the engine's programmes import, never import the engine."""

    outputs: dict[str, Any]
    output_depends_on: dict[str, list[str]]
    output_status: dict[str, str]
    season: dict[str, Any] | None


@dataclass(frozen=True)
class Route:
    """One route a person can compare: a whole programme, or one of its groups.

    A route's verdict is the Kleene AND of the programme's shared conditions and
    that route's group.  ``name`` is a message id of the catalogue.
    """

    programme: str
    group: str | None          # id of the route's group in the programme; None = whole
    name: str
    country: str

    @property
    def key(self) -> str:
        return self.group or self.programme

    @property
    def name_zh(self) -> str:
        return translate(self.name, "zh")

    def name_in(self, lang: str | None) -> str:
        return translate(self.name, lang)


@dataclass
class Cost:
    item: str
    amount: Decimal | None       # None: the fee is not published
    currency: str
    payer: str
    source: str
    status: str = "in_force"
    optional: bool = False
    conditional: bool = False    # applies only if the facts in depends_on turn out so
    depends_on: list[str] = field(default_factory=list)
    key: str = ""                # stable id for programs; ``item`` is for people
    or_else: tuple[str, Decimal | None, str] | None = None
    """The other of two fees of which one is paid (its name, amount and currency), while
    the facts that choose are unknown: shown beside this one, never added."""

    @property
    def published(self) -> bool:
        return self.amount is not None

    def name_in(self, lang: str = "en") -> str:
        """What the fee is called, in the reader's language (with the other it may be)."""
        name = translate(self.item, lang)
        if self.or_else is None:
            return name
        other, amount, currency = self.or_else
        return translate(N_("%(item)s; or %(other)s: %(amount)s %(currency)s"), lang) % {
            "item": name, "other": translate(other, lang),
            "amount": "?" if amount is None else f"{amount:,.0f}", "currency": currency}

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "item": self.name_in("en"),
                "amount": None if self.amount is None else str(self.amount),
                "currency": self.currency, "payer": self.payer, "source": self.source,
                "status": self.status, "optional": self.optional,
                "conditional": self.conditional, "depends_on": self.depends_on,
                "published": self.published}


def act_on(assessment: ProgrammeAssessment, on: dt.date) -> dt.date:
    """The day a person would act: the season's date where the programme has seasons."""
    season = assessment.season
    return dt.date.fromisoformat(season["act_on"]) if season else on


def value(name: str, on: dt.date, overrides: dict[str, Any]) -> Any:
    """A parameter's value on ``on`` (a scenario's override first); None if none is set."""
    if name in overrides:
        return overrides[name]
    current = all_parameters()[name].at(on)
    return None if current is None else current.value


def status(name: str, on: dt.date, overrides: dict[str, Any]) -> str:
    """How sure the value :func:`value` gives is (a scenario's override is a what-if)."""
    if name in overrides:
        return "scenario"
    current = all_parameters()[name].at(on)
    return "in_force" if current is None else current.status


def source(name: str, on: dt.date) -> str:
    """The instrument (and address) a parameter's value on ``on`` comes from."""
    current = all_parameters()[name].at(on)
    if current is None:
        return ""
    text = current.source.instrument
    return f"{text} ({current.source.url})" if current.source.url else text


def cost(name: str, item: str, currency: str, payer: str, on: dt.date,
         overrides: dict[str, Any], *, optional: bool = False) -> Cost:
    """A fee from a parameter; a parameter with no value on ``on`` is "not published"."""
    amount = value(name, on, overrides)
    return Cost(item, None if amount is None else Decimal(str(amount)), currency, payer,
                source(name, on), status(name, on, overrides), optional, key=name)


def days_up_to(name: str, on: dt.date, overrides: dict[str, Any], *, low: int | None,
               note: str) -> dict[str, Any] | None:
    """Processing days whose upper bound is the parameter ``name`` (None while it has no
    value: the page says "not published"), with that value's status."""
    top = value(name, on, overrides)
    return None if top is None else {"min": low, "max": int(top),
                                     "status": status(name, on, overrides), "note": note}


def unpublished(key: str, item: str, payer: str, note: str) -> Cost:
    """A fee the law charges and no official text publishes: said, never left out."""
    return Cost(item, None, "", payer, note, status="in_force", key=key)


def fee_from_output(assessment: ProgrammeAssessment, output: str, parameter: str,
                    item: str, on: dt.date, overrides: dict[str, Any],
                    payer: str = "employer", currency: str = "USD") -> Cost | None:
    """A fee the rules decide per person: due, conditional on blank facts, or not due.

    The rule's output says whether it applies (its amount, 0, or unknown with the
    facts that would settle it); the amount shown is the parameter's, with its
    source and status.
    """
    due = assessment.outputs.get(output)
    depends_on = assessment.output_depends_on.get(output, [])
    amount = value(parameter, on, overrides)
    if due is None and depends_on and amount:
        return Cost(item, Decimal(str(amount)), currency, payer, source(parameter, on),
                    status(parameter, on, overrides), conditional=True,
                    depends_on=list(depends_on), key=parameter)
    if due:
        return Cost(item, Decimal(str(int(due))), currency, payer, source(parameter, on),
                    status(parameter, on, overrides), key=parameter)
    return None


class Facets:
    """A programme's pathway facets; each says nothing (None, no costs) unless the
    programme's ``pathway.py`` overrides it, and a page shows "not published"."""

    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        """Fees on ``on`` (already the day the person would act)."""
        return []

    def processing_days(self, assessment: ProgrammeAssessment, on: dt.date,
                        overrides: dict[str, Any]) -> dict[str, Any] | None:
        """Typical days from applying to the right to enter or work:
        ``{"min", "max", "status", "note"}``, or None where none is published."""
        return None

    def validity(self, assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any], lang: str) -> str | None:
        """How long the right lasts, in words in ``lang``."""
        return None

    def odds(self, assessment: ProgrammeAssessment, on: dt.date,
             overrides: dict[str, Any]) -> dict[str, Any] | None:
        """The chance of selection where chance decides."""
        return None

    def waiting_note(self, facts: dict[str, Any], lang: str) -> str | None:
        """Where a queue decides the wait (a per-country limit), say so."""
        return None


def entries_text(entries: Any, lang: str) -> str:
    """A visa's entries in words: 0 is the rules' code for "multiple"."""
    if entries == 0:
        return translate(N_("multiple entries"), lang)
    return translate(N_("{count} entries"), lang).format(count=entries)
