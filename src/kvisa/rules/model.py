"""The building blocks of a programme: citations, criteria, routes, outputs.

A criterion's expression is a function of a :class:`Context` (evaluation date
and parameter values) returning a Polars boolean expression over fact columns.
The facts and parameters a criterion reads are *recorded while its expression
is built*, so the explanation can never list a fact the rule does not read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from kvisa.i18n import translate

Status = Literal["in_force", "draft", "authority-set", "reported"]
STATUSES: tuple[str, ...] = ("in_force", "draft", "authority-set", "reported")

# How sure a value is, strongest first.  A verdict is as sure as the weakest
# criterion or parameter value that decided it; a scenario's override is a
# what-if, weaker than any source.
STATUS_RANK: dict[str, int] = {"in_force": 4, "authority-set": 3, "reported": 2, "draft": 1,
                               "scenario": 0}


def weakest(statuses: Iterable[str]) -> str:
    """The least certain of ``statuses`` (``in_force`` when there are none)."""
    known = [s for s in statuses if s in STATUS_RANK]
    return min(known, key=STATUS_RANK.__getitem__) if known else "in_force"


def strongest(statuses: Iterable[str]) -> str:
    known = [s for s in statuses if s in STATUS_RANK]
    return max(known, key=STATUS_RANK.__getitem__) if known else "in_force"


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: the instrument, its article or section, and an address."""

    instrument: str
    article: str = ""
    url: str = ""
    note: str = ""
    quote: str = ""
    """The article's own words, where an official text gives them (verbatim, in the
    language of the text): the catalogue shows them above the criterion, so that a
    lawyer reads the law beside the code that applies it (Catala's lesson)."""

    def __str__(self) -> str:
        parts = [self.instrument]
        if self.article:
            parts.append(self.article)
        return ", ".join(parts)

    def as_dict(self) -> dict[str, str]:
        return {"instrument": self.instrument, "article": self.article, "url": self.url,
                "note": self.note, "quote": self.quote}


class Context:
    """What an expression may read besides facts: the date and the parameters.

    ``ctx["<programme>.max_age"]`` returns the value in force on ``ctx.on`` (or the
    scenario's override) and records that the expression used it.
    """

    def __init__(self, on: dt.date, values: dict[str, Any],
                 absent: frozenset[str] = frozenset()) -> None:
        self.on = on
        self._values = values
        self.used: dict[str, Any] = {}
        self.used_reference = False
        self.declared: list[str] = []
        """Facts a rule depends on without reading them in this plan (see :meth:`declare`)."""
        self.absent = absent
        """Facts known to be null on every row: a rule may skip work that reads them
        (the ``degrees`` list is costly to scan when no row has one)."""

    def average_wages(self) -> dict[str, float]:
        """The local average wage table (:mod:`kvisa.rules.reference`): key → CNY a year.

        Read at compile time; the engine keys its cache on the table's version,
        so an administrator's new table is used by the next evaluation.
        """
        from kvisa.rules import reference

        self.used_reference = True
        return reference.lookup_table()

    def __getitem__(self, name: str) -> Any:
        """The parameter's value, or ``None`` when the law sets none on this date.

        A rule reading ``None`` must yield *unknown* (null), never a guess.
        """
        value = self._values.get(name)
        self.used[name] = value
        return value

    def declare(self, *facts: str) -> None:
        """Count ``facts`` as read although the expression skips them.

        Where a fact is null on every row (``absent``), a rule takes a cheaper plan
        that leaves it out; the fact still decides the answer in general, so the
        explanation must still name it as missing.
        """
        self.declared.extend(facts)

    def child(self) -> Context:
        return Context(self.on, self._values, self.absent)


ExprBuilder = Callable[[Context], pl.Expr]

DERIVED: dict[str, ExprBuilder] = {}
"""Intermediate columns (name → builder) computed once per evaluation, before criteria."""


def derived(name: str, builder: ExprBuilder) -> ExprBuilder:
    """Register ``builder`` as an intermediate column; return a builder that reads it.

    Several criteria and outputs may read the same costly value (the work-permit
    points feed category A, category B, the R visa and two outputs).  Computing
    it once as a column keeps a one-row explanation fast, where query planning
    and not arithmetic is the cost.  The engine attributes the derived column's
    facts and parameters to every rule that reads it.
    """
    column = f"__{name}"
    DERIVED[column] = builder
    return lambda ctx: pl.col(column)


class InCatalogue:
    """What has a ``text`` written once, in English, as a message id of the one catalogue
    (``django.po``): its Chinese is read from there when asked, never stored."""

    text: str

    @property
    def text_zh(self) -> str:
        return translate(self.text, "zh")


@dataclass(frozen=True)
class Criterion(InCatalogue):
    """One condition of the law, with its text in English and Chinese and its citation."""

    id: str
    text: str
    citation: Citation
    expr: ExprBuilder
    status: Status = "in_force"
    missing: ExprBuilder | None = None
    """Optional: a List[String] expression naming what a row lacks beyond null facts
    (a record's blank field, a city and year absent from a reference table), so an
    *unknown* result says exactly which figure would settle it."""


@dataclass(frozen=True)
class AllOf(InCatalogue):
    """Every child must hold (Kleene AND: one failure decides, else unknown wins)."""

    id: str
    children: tuple[Node, ...]
    text: str = ""
    status: Status = "in_force"


@dataclass(frozen=True)
class AnyOf(InCatalogue):
    """At least one child must hold (Kleene OR: one success decides, else unknown wins)."""

    id: str
    children: tuple[Node, ...]
    text: str = ""
    status: Status = "in_force"


Node = Criterion | AllOf | AnyOf


@dataclass(frozen=True)
class Output(InCatalogue):
    """A value the law attaches to a profile beyond the verdict (points, fees, odds)."""

    id: str
    text: str
    citation: Citation
    expr: ExprBuilder
    unit: str = ""


@dataclass(frozen=True)
class Season:
    """The next time a person can act in a programme that runs in seasons.

    Parameters that depend on the season (fees, selection method and odds)
    are read on ``act_on``, not on the date of the query: on 15 January the
    question is what the March registration will do, not what last year's did.
    """

    label: str
    act_on: dt.date
    dates: dict[str, dt.date] = field(default_factory=dict)
    status: str = "in_force"
    """How sure the dates are (a season whose dates are not yet published borrows the
    last season's pattern: ``reported``)."""
    note: str = ""
    source: str = ""
    """The parameter the dates come from (it joins the status basis of what the
    season decides)."""

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "act_on": self.act_on.isoformat(),
                "dates": {k: v.isoformat() for k, v in self.dates.items()},
                "status": self.status, "note": self.note}


SeasonFinder = Callable[[dt.date, Callable[[str, dt.date], Any]], "Season | None"]
"""(query date, lookup(parameter, date) → value) → the season a person would act in."""


@dataclass(frozen=True)
class NotModelled(InCatalogue):
    """A route of a programme that kvisa does not evaluate, with where the law has it."""

    text: str
    citation: Citation


@dataclass(frozen=True)
class Programme:
    """A legal route: criteria combined by all-of/any-of, in force between two dates."""

    id: str
    name: str
    rule: Node
    in_force_from: dt.date
    in_force_citation: Citation
    in_force_until: dt.date | None = None
    status: Status = "in_force"
    outputs: tuple[Output, ...] = field(default_factory=tuple)
    season: SeasonFinder | None = None
    in_force_status: Status = "in_force"
    """How sure the start (and end) date is; a date seen only in secondary sources is reported."""
    not_modelled: tuple[NotModelled, ...] = field(default_factory=tuple)
    """Routes the law has and kvisa does not evaluate: listed, so that their absence
    is never read as "not eligible"."""

    @property
    def name_zh(self) -> str:
        """The name in Chinese, from the one catalogue (``django.po``)."""
        return translate(self.name, "zh")

    def criteria(self) -> Iterator[tuple[Criterion, str]]:
        """Every criterion with the id of the route (group) it belongs to."""
        yield from walk_criteria(self.rule)


def walk_criteria(node: Node, parent: str = "") -> Iterator[tuple[Criterion, str]]:
    """Every criterion under ``node`` with the id of the group that holds it."""
    if isinstance(node, Criterion):
        yield node, parent
        return
    for child in node.children:
        yield from walk_criteria(child, node.id)


def walk_groups(node: Node) -> Iterator[AllOf | AnyOf]:
    """Every all-of/any-of group under ``node``, ``node`` first."""
    if isinstance(node, Criterion):
        return
    yield node
    for child in node.children:
        yield from walk_groups(child)
