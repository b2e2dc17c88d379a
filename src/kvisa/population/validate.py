"""Vectorised checking of profile columns read from CSV or Parquet.

The batch twin of :func:`kvisa.rules.facts.validate_profile`: the same fact
definitions, the same refusals (no coercion of ``"yes"`` to true, no
``2025-02-31``, no negative money, no birth in the future), but one reason
column computed for a whole batch at once, so ten million rows are checked
in seconds and every bad row keeps its own reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import polars as pl
from pydantic import BaseModel

from kvisa.rules.errors import RulesError
from kvisa.rules.facts import (
    FACTS,
    FACTS_BY_NAME,
    POLARS_SCHEMA,
    DegreeModel,
    EmploymentRecordModel,
    Fact,
)

REASON = "_reason"
_PATTERNS = {"country": r"^[A-Z]{3}$", "code": r"^[0-9]{2,4}$", "int": r"^[+-]?[0-9]+$"}


def _list_from_json(model: type[BaseModel]) -> Callable[[str], list[dict[str, object]] | None]:
    """Parser of a CSV cell holding a list (degrees, employment records) as JSON.

    Row by row in Python: Polars' JSON decoding fails the whole column on one bad
    cell, and a bad row must go to the errors file, not stop the screen.  None
    when the cell is not a valid list.
    """
    def parse(text: str) -> list[dict[str, object]] | None:
        try:
            items = json.loads(text)
            if not isinstance(items, list):
                return None
            return [model.model_validate(item).model_dump() for item in items]
        except (ValueError, TypeError):
            return None
    return parse


_LIST_MODELS: dict[str, type[BaseModel]] = {"degrees": DegreeModel,
                                            "employment_records": EmploymentRecordModel}


def _parse_text(fact: Fact, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(typed value, is-bad) for a text column; empty text is a missing fact."""
    text = pl.when(raw.str.strip_chars() == "").then(None).otherwise(raw.str.strip_chars())
    if fact.kind in _LIST_MODELS:
        value = text.map_elements(_list_from_json(_LIST_MODELS[fact.kind]),
                                  return_dtype=POLARS_SCHEMA[fact.name], skip_nulls=True)
        return value, text.is_not_null() & value.is_null()
    if fact.kind == "date":
        value = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        return value, text.is_not_null() & value.is_null()
    if fact.kind in ("country", "code"):
        return text, text.is_not_null() & ~text.str.contains(_PATTERNS[fact.kind])
    if fact.kind == "choice":
        return text, text.is_not_null() & ~text.is_in(list(fact.choices))
    if fact.kind == "bool":
        lowered = text.str.to_lowercase()
        value = pl.when(lowered == "true").then(True).when(lowered == "false").then(False)
        return value, text.is_not_null() & ~lowered.is_in(["true", "false"])
    if fact.kind == "int":
        value = text.cast(pl.Int64, strict=False)
        return value, text.is_not_null() & (~text.str.contains(_PATTERNS["int"])
                                            | value.is_null())
    value = text.cast(pl.Float64, strict=False)
    return value, text.is_not_null() & (value.is_null() | value.is_nan())


def _problem(fact: Fact) -> str:
    if fact.kind == "degrees":
        return ("must be a JSON list of degrees, each with a level and optionally field, "
                "institution_recognised, country and year")
    if fact.kind == "employment_records":
        return ("must be a JSON list of yearly records, each with a year and optionally city, "
                "salary_cny, income_tax_cny and months_in_china")
    if fact.kind == "date":
        return "not a real date (YYYY-MM-DD)"
    if fact.kind == "choice":
        return f"must be one of {', '.join(fact.choices)}"
    if fact.kind == "bool":
        return "must be true or false"
    if fact.kind == "country":
        return "must be an ISO 3166-1 alpha-3 code"
    if fact.kind == "code":
        return "must be an ISCED-F code of 2-4 digits"
    if fact.kind == "int":
        return "must be a whole number"
    return "must be a number"


def check_columns(schema: pl.Schema, keep: tuple[str, ...]) -> None:
    """Refuse unknown columns and fact columns of an unusable type (whole-file errors)."""
    for name, dtype in schema.items():
        if name in keep:
            continue
        if name not in FACTS_BY_NAME:
            raise RulesError(f"{name}: unknown column (not a fact; pass --keep {name} to carry "
                             "it through)")
        expected = POLARS_SCHEMA[name]
        numeric_ok = expected == pl.Float64() and dtype.is_integer()
        if dtype not in (expected, pl.String(), pl.Null()) and not numeric_ok:
            raise RulesError(f"{name}: column has type {dtype}, expected {expected} or text")


def validate_batch(frame: pl.DataFrame, *, today: dt.date | None = None) -> pl.DataFrame:
    """Type every fact column and add ``_reason`` (null for a good row)."""
    today = today or dt.date.today()
    typed: list[pl.Expr] = []
    reasons: list[pl.Expr] = []
    for fact in FACTS:
        if fact.name not in frame.columns:
            continue
        column = pl.col(fact.name)
        dtype = frame.schema[fact.name]
        if dtype == pl.String():
            value, bad = _parse_text(fact, column)
        else:
            value, bad = column.cast(POLARS_SCHEMA[fact.name]), pl.lit(False)
            if fact.kind in ("country", "code"):
                bad = value.is_not_null() & ~value.str.contains(_PATTERNS[fact.kind])
            elif fact.kind == "choice":
                bad = value.is_not_null() & ~value.is_in(list(fact.choices))
        reasons.append(pl.when(bad).then(pl.lit(f"{fact.name}: {_problem(fact)}")))
        if fact.minimum is not None:
            reasons.append(pl.when(value < fact.minimum).then(
                pl.lit(f"{fact.name}: must not be below {fact.minimum:g}")))
        if fact.maximum is not None:
            reasons.append(pl.when(value > fact.maximum).then(
                pl.lit(f"{fact.name}: must not be above {fact.maximum:g}")))
        if fact.kind == "date":
            reasons.append(pl.when(value > pl.lit(today)).then(
                pl.lit(f"{fact.name}: is in the future")))
        typed.append(value.alias(fact.name))
    reason = pl.coalesce(reasons) if reasons else pl.lit(None, dtype=pl.String)
    return frame.with_columns([*typed, reason.alias(REASON)])
