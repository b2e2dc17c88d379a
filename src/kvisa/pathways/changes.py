"""The smallest changes of fact that would turn a failed criterion into a met one.

For each criterion a route fails, every fact it reads that a person can
change is varied over candidate values in one vectorised evaluation (the same
rules, on a frame of what-if rows); the first value that meets the criterion is
the suggestion.  Numbers are searched on a coarse grid, then a fine one between
the last failing and the first passing value, so "6× the local average" comes
back as the exact threshold, not a round guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from kvisa.rules.engine import CriterionResult, evaluate
from kvisa.rules.facts import DEGREE_LEVELS, FACTS_BY_NAME, profile_frame
from kvisa.rules.scenario import Scenario

# facts a plan cannot change, or that it would be wrong to suggest changing
FIXED = {"date_of_birth", "nationality", "no_criminal_record", "former_chinese_national",
         "good_health", "local_urban_average_income_cny"}
ISCED_BROAD = ["0011", "0111", "0211", "0311", "0411", "0511", "0611", "0711", "0811", "0911",
               "1011"]


@dataclass
class Change:
    fact: str
    current: Any
    needed: Any
    text: str
    criterion: str

    def as_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "current": self.current, "needed": self.needed,
                "text": self.text, "criterion": self.criterion}


def _met_at(facts: dict[str, Any], fact: str, candidates: list[Any], programme: str,
            criterion: str, on: dt.date, scenario: Scenario | None, include_drafts: bool
            ) -> list[bool]:
    rows = [{**facts, fact: value} for value in candidates]
    result = evaluate(profile_frame(rows), [programme], on, scenario,
                      include_drafts=include_drafts)
    return [bool(v) for v in result.get_column(criterion).fill_null(False).to_list()]


def _first(candidates: list[Any], met: list[bool]) -> Any:
    return next((value for value, ok in zip(candidates, met, strict=True) if ok), None)


def _numeric_candidates(fact: str, current: float | None) -> list[float]:
    spec = FACTS_BY_NAME[fact]
    start = float(current or 0)
    if spec.kind in ("years", "months"):
        top = float(spec.maximum) if spec.maximum is not None else start + 60
        steps = int((top - start) / 0.5)
        return [start + 0.5 * (i + 1) for i in range(max(steps, 0))]
    if spec.kind == "int":
        top = int(spec.maximum) if spec.maximum is not None else int(start) + 20
        return [float(v) for v in range(int(start) + 1, top + 1)]
    base = max(start, 1000.0)
    return [round(base * 1.01 ** i) for i in range(1, 700)]  # money: up to ~1000×


def find_change(facts: dict[str, Any], criterion: CriterionResult, programme: str,
                on: dt.date, scenario: Scenario | None, include_drafts: bool) -> list[Change]:
    """Changes, one per changeable fact, that would each meet ``criterion``."""
    found = []
    for fact in criterion.facts:
        if fact in FIXED:
            continue
        spec = FACTS_BY_NAME[fact]
        current = facts.get(fact)

        def met(candidates: list[Any], name: str = fact) -> list[bool]:
            return _met_at(facts, name, candidates, programme, criterion.id, on, scenario,
                           include_drafts)

        if spec.kind == "bool":
            if met([not current])[0]:
                found.append(Change(fact, current, not current,
                                    f"{spec.description} — now {'yes' if current else 'no'}",
                                    criterion.id))
        elif spec.kind == "choice":
            if fact == "highest_degree":
                start = DEGREE_LEVELS.index(current) + 1 if current in DEGREE_LEVELS else 0
                options: list[Any] = list(DEGREE_LEVELS[start:])
            else:
                options = [c for c in spec.choices if c != current]
            value = _first(options, met(options)) if options else None
            if value is not None:
                found.append(Change(fact, current, value, _choice_text(fact, value, current),
                                    criterion.id))
        elif spec.kind == "code":
            working = [c for c, ok in zip(ISCED_BROAD, met(ISCED_BROAD), strict=True) if ok]
            if working:
                broad = ", ".join(code[:2] for code in working)
                found.append(Change(fact, current, [c[:2] for c in working],
                                    f"a degree in ISCED-F broad field {broad}", criterion.id))
        elif spec.kind in ("years", "months", "int", "money"):
            candidates = _numeric_candidates(fact, current)
            if not candidates:
                continue
            results = met(candidates)
            value = _first(candidates, results)
            if value is None:
                continue
            index = candidates.index(value)
            if spec.kind == "money":  # narrow to the exact whole-unit threshold
                low = candidates[index - 1] if index else float(current or 0)
                while value - low > 1:
                    step = max(1.0, (value - low) / 200)
                    fine = [round(low + step * i) for i in range(1, 201)
                            if round(low + step * i) < value]
                    passing = _first(fine, met(fine)) if fine else None
                    if passing is None:
                        low = fine[-1] if fine else value - 1
                        if not fine:
                            break
                    else:
                        low, value = passing - step, passing
            found.append(Change(fact, current, value, _number_text(fact, value, current),
                                criterion.id))
    return found


def _choice_text(fact: str, value: Any, current: Any) -> str:
    if fact == "highest_degree":
        return f"a {value}'s degree" if value in ("bachelor", "master") else f"a {value}" + (
            f" (now {current})" if current else "")
    return f"{FACTS_BY_NAME[fact].description} {value}"


def _number_text(fact: str, value: float, current: Any) -> str:
    spec = FACTS_BY_NAME[fact]
    now = 0 if current is None else current
    if spec.kind in ("years", "months"):
        more = value - now
        unit = ("year" if spec.kind == "years" else "month") + ("" if more == 1 else "s")
        return (f"{more:g} more {unit}: {spec.description.rstrip('.')} "
                f"{value:g} (now {now:g})")
    if spec.kind == "money":
        return f"{spec.description.rstrip('.')} of at least {value:,.0f} (now {now:,.0f})"
    return f"{spec.description.rstrip('.')}: {value:g} (now {now:g})"


def as_polars_safe(value: Any) -> Any:
    """JSON-friendly scalars (dates as ISO text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pl.Series):
        return value.to_list()
    return value
