"""Dated, cited parameters read from the packaged YAML files.

Each programme folder's ``parameters.yaml`` holds the values the law fixes for
one programme.  A value starts on its ``from`` date and lasts until the next
value starts (or its own optional ``until``), so a change of law is one new
dated entry and date ranges cannot have gaps.  Every value carries its own
``source`` and ``status`` (``in_force``, ``draft``, ``authority-set`` or
``reported``); loading refuses a value without them.  A parameter that holds
numbers declares ``bounds: [lowest, highest]`` beside its unit: every number
in every dated value (and in any what-if override) must lie within them, so a
scenario cannot ask for an age limit of 10^40 or a fee of infinity.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from kvisa.rules.discovery import programme_folders
from kvisa.rules.errors import RulesDefinitionError
from kvisa.rules.model import STATUSES, Citation, Status


@dataclass(frozen=True)
class ParameterValue:
    start: dt.date
    value: Any
    status: Status
    source: Citation
    until: dt.date | None = None


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...]
    bounds: tuple[float, float] | None = None

    def out_of_bounds(self, value: Any) -> str | None:
        """Why ``value`` cannot be this parameter's value (in words), or None when it can."""
        for number in numbers_in(value):
            if not math.isfinite(number):
                return f"{number} is not a finite number"
            if self.bounds is None:
                return "takes no numbers"
            low, high = self.bounds
            if not low <= number <= high:
                return (f"{_short(number)} is outside {_short(low)} to {_short(high)} "
                        f"({self.unit})")
        return None

    def at(self, on: dt.date) -> ParameterValue | None:
        """The value in force on ``on``, or ``None`` before the first or after an ``until``."""
        current = None
        for value in self.values:
            if value.start <= on:
                current = value
        if current is not None and current.until is not None and on >= current.until:
            return None
        return current


def numbers_in(value: Any) -> Iterator[float]:
    """Every number inside a value (lists and the values of tables), booleans excluded."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield float(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from numbers_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from numbers_in(item)


def _short(number: float) -> str:
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:.6g}"


def _bounds(raw: Any, name: str) -> tuple[float, float] | None:
    if raw is None:
        return None
    if (not isinstance(raw, list) or len(raw) != 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in raw)
            or raw[0] > raw[1]):
        raise RulesDefinitionError(f"parameter {name}: bounds must be [lowest, highest]")
    return float(raw[0]), float(raw[1])


def _citation(raw: Any, where: str) -> Citation:
    if not isinstance(raw, dict) or not raw.get("instrument") or not raw.get("url"):
        raise RulesDefinitionError(f"{where}: source needs an instrument and a url")
    return Citation(instrument=str(raw["instrument"]), article=str(raw.get("article", "")),
                    url=str(raw["url"]), note=str(raw.get("note", "")))


def _as_date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    raise RulesDefinitionError(f"{where}: {raw!r} is not a date")


def _parse_parameter(name: str, raw: dict[str, Any]) -> Parameter:
    for key in ("description", "unit", "values"):
        if key not in raw:
            raise RulesDefinitionError(f"parameter {name}: missing {key}")
    values: list[ParameterValue] = []
    for index, entry in enumerate(raw["values"]):
        where = f"parameter {name} value {index}"
        status = entry.get("status")
        if status not in STATUSES:
            raise RulesDefinitionError(f"{where}: status must be one of {STATUSES}")
        value = entry.get("value")
        until = entry.get("until")
        values.append(ParameterValue(
            start=_as_date(entry.get("from"), where), value=value, status=status,
            source=_citation(entry.get("source"), where),
            until=_as_date(until, where) if until is not None else None))
    starts = [v.start for v in values]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise RulesDefinitionError(f"parameter {name}: 'from' dates must strictly increase")
    if any(v.until is not None for v in values[:-1]):
        raise RulesDefinitionError(f"parameter {name}: only the last value may have 'until'")
    parameter = Parameter(name=name, description=str(raw["description"]),
                          unit=str(raw["unit"]), values=tuple(values),
                          bounds=_bounds(raw.get("bounds"), name))
    for index, entry in enumerate(values):
        if any(True for _ in numbers_in(entry.value)) and parameter.bounds is None:
            raise RulesDefinitionError(f"parameter {name}: holds numbers, so it needs bounds")
        problem = parameter.out_of_bounds(entry.value)
        if problem:
            raise RulesDefinitionError(f"parameter {name} value {index}: {problem}")
    return parameter


@cache
def all_parameters() -> dict[str, Parameter]:
    """Every parameter by its full name (``<programme>.<name>``), read once from each
    programme folder's ``parameters.yaml``."""
    found: dict[str, Parameter] = {}
    for folder in programme_folders():
        file = folder.file("parameters.yaml")
        if file is None:
            continue
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        programme = document["programme"]
        for short, raw in (document.get("parameters") or {}).items():
            name = f"{programme}.{short}"
            found[name] = _parse_parameter(name, raw)
    return found


def values_on(on: dt.date, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Name → value in force on ``on``, with scenario overrides applied."""
    values = {}
    for name, parameter in all_parameters().items():
        current = parameter.at(on)
        if current is not None:
            values[name] = current.value
    values.update(overrides or {})
    return values
