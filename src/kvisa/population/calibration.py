"""The figures a synthetic population is drawn from, each with its source.

A calibration is a YAML file (``calibrations/default.yaml`` ships with kvisa):
nationality and degree weights, fields of study, ages, salaries, the share of
facts left blank and the share answering yes to each yes/no fact.  Every figure
names its source and how sure it is; a figure without a source is refused, so
a population can always say what it rests on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kvisa.rules.errors import RulesError
from kvisa.rules.facts import DEGREE_LEVELS, FACTS_BY_NAME

DEFAULT = Path(__file__).with_name("calibrations") / "default.yaml"
Status = Literal["confirmed", "reported", "assumption"]


class Cited(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=10)
    status: Status
    note: str = ""


class Weights(Cited):
    weights: dict[str, float]

    @field_validator("weights")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or any(w < 0 for w in value.values()) or sum(value.values()) <= 0:
            raise ValueError("weights must be zero or more and add up to more than zero")
        return value


class Codes(Cited):
    codes: list[str] = Field(min_length=1)


class Ages(Cited):
    min_years: int = Field(ge=0, le=120)
    max_years: int = Field(ge=1, le=120)


class Salary(Cited):
    log_mean: float = Field(gt=0, lt=20)
    log_sd: float = Field(gt=0, lt=5)


class Share(Cited):
    value: float = Field(ge=0, le=1)


class Shares(Cited):
    values: dict[str, float]


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    nationality: Weights
    highest_degree: Weights
    degree_field: Codes
    age: Ages
    annual_salary_cny: Salary
    missing_share: Share
    shares: Shares


def load(path: Path | None = None) -> Calibration:
    """The calibration at ``path`` (default: kvisa's own), checked figure by figure."""
    path = path or DEFAULT
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{path}: no such calibration file") from None
    except yaml.YAMLError as exc:
        raise RulesError(f"{path}: not valid YAML ({exc})") from None
    try:
        calibration = Calibration.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RulesError(f"{path}: {where}: {first['msg']}") from None
    _check_codes(path, calibration)
    return calibration


def _check_codes(path: Path, calibration: Calibration) -> None:
    import iso3166

    for code in calibration.nationality.weights:
        if code not in iso3166.countries_by_alpha3:
            raise RulesError(f"{path}: nationality.weights: {code} is not an ISO 3166 "
                             "alpha-3 country code")
    unknown = set(calibration.highest_degree.weights) - set(DEGREE_LEVELS)
    if unknown:
        raise RulesError(f"{path}: highest_degree.weights: unknown level {sorted(unknown)[0]}")
    for code in calibration.degree_field.codes:
        if not (code.isdigit() and len(code) == 4):
            raise RulesError(f"{path}: degree_field.codes: {code} is not a 4-digit ISCED-F code")
    for name, share in calibration.shares.values.items():
        fact = FACTS_BY_NAME.get(name)
        if fact is None or fact.kind != "bool":
            raise RulesError(f"{path}: shares.values: {name} is not a yes/no fact")
        if not 0 <= share <= 1:
            raise RulesError(f"{path}: shares.values: {name} must be between 0 and 1")
    if calibration.age.min_years >= calibration.age.max_years:
        raise RulesError(f"{path}: age: min_years must be below max_years")
