"""Government fees, processing time, validity and odds of each route, from the
programme folders' pathway facets (:mod:`kvisa.rules.facets`).

This module names no programme: it finds each programme's facets by its id and
adds what every route shares — fees on the day the person would act (the
season's date for a programme that runs in seasons) and their totals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kvisa.rules.engine import ProgrammeAssessment
from kvisa.rules.facets import Cost, Facets, act_on
from kvisa.rules.programmes import FACETS

__all__ = ["Cost", "costs", "odds", "processing_days", "total", "validity", "waiting_note"]


def _facets(programme: str) -> Facets:
    return FACETS.get(programme) or Facets()


def costs(programme: str, assessment: ProgrammeAssessment, on: dt.date,
          overrides: dict[str, Any], facts: dict[str, Any] | None = None) -> list[Cost]:
    """Fees for ``programme`` on the day the person would act."""
    found = _facets(programme).costs(assessment, act_on(assessment, on), overrides, facts or {})
    return [c for c in found if c is not None]


def total(costs_: list[Cost]) -> dict[str, dict[str, Any]]:
    """Per currency: the sure total, and the most it can be once conditional costs apply."""
    sums: dict[str, dict[str, Any]] = {}
    for cost in costs_:
        if cost.optional or cost.amount is None:
            continue
        entry = sums.setdefault(cost.currency, {"certain": Decimal(0), "up_to": Decimal(0),
                                                "depends_on": []})
        entry["up_to"] += cost.amount
        if cost.conditional:
            entry["depends_on"] += [f for f in cost.depends_on if f not in entry["depends_on"]]
        else:
            entry["certain"] += cost.amount
    return sums


def processing_days(programme: str, assessment: ProgrammeAssessment, on: dt.date,
                    overrides: dict[str, Any]) -> dict[str, Any] | None:
    """Typical days from applying to the right to enter or work, with the figure's status.

    ``None`` where no figure is published (the page says "not published").
    """
    return _facets(programme).processing_days(assessment, on, overrides)


def waiting_note(programme: str, facts: dict[str, Any], lang: str = "en") -> str | None:
    """Where a queue (the US per-country limit) decides the wait, say so; None elsewhere."""
    return _facets(programme).waiting_note(facts, lang)


def validity(programme: str, assessment: ProgrammeAssessment, on: dt.date,
             overrides: dict[str, Any], lang: str = "en") -> str | None:
    """How long the right lasts, in words in the reader's language."""
    return _facets(programme).validity(assessment, on, overrides, lang)


def odds(programme: str, assessment: ProgrammeAssessment, on: dt.date,
         overrides: dict[str, Any]) -> dict[str, Any] | None:
    """The chance of selection where chance decides, with its season, basis and status."""
    return _facets(programme).odds(assessment, on, overrides)
