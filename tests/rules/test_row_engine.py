"""One rule source, two paths: the one-row engine and the Polars batch must agree exactly.

Random profiles (blanks, several degrees, yearly records, values on every
threshold), dates around every in-force date, and what-if scenarios: for
each, every column the batch computes — verdicts, criteria, routes, outputs
and the facts a rule names as missing — must equal what the row engine
computes for that profile.  The full run (``slow``) checks 100,000 profiles,
each on every programme; the quick run checks a sample of the same.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
import pytest

from kvisa.rules import engine, explain, scenario_from_dict
from kvisa.rules.errors import ProfileError
from kvisa.rules.facts import FACTS, profile_frame, validate_profile

DATES = [dt.date(2019, 7, 31), dt.date(2019, 8, 1), dt.date(2025, 9, 20),
         dt.date(2025, 9, 21), dt.date(2025, 9, 30), dt.date(2025, 10, 1),
         dt.date(2026, 2, 26), dt.date(2026, 2, 27), dt.date(2026, 3, 19),
         dt.date(2026, 3, 20), dt.date(2026, 12, 4)]
SCENARIOS: list[dict[str, Any] | None] = [
    None,
    {"name": "older", "parameters": {"cn.k_visa.max_age": 40, "cn.k_visa.min_age": 21}},
    {"name": "series", "parameters": {
        "cn.permanent_residence.employment_average_wage_series": "urban_non_private",
        "cn.permanent_residence.employment_income_multiple": 4}},
    {"name": "random", "include_drafts": True, "parameters": {
        "us.h1b.selection_method": "random", "us.h1b.entry_payment_usd": 0}},
]
COUNTRIES = ["IND", "CHN", "USA", "DEU", "BRA", "NGA", "FRA"]
CODES = ["0613", "0611", "0511", "0713", "0311", "0412", "0112", "0588", "06", "07"]
CITIES = ["Shanghai", "shanghai ", "Beijing", "Hangzhou"]
NUMBERS = {"years": [0.0, 0.5, 1.0, 2.0, 2.9, 3.0, 4.0, 5.0, 6.0, 8.0, 12.0, 20.0],
           "money": [0.0, 49999.0, 50000.0, 100000.0, 250000.0, 499999.0, 500000.0,
                     600000.0, 1000000.0, 2000000.0],
           "months": [0.0, 3.0, 5.9, 6.0, 8.5, 9.0, 12.0]}


def _value(kind: str, name: str, rng: random.Random, on: dt.date) -> Any:
    if kind == "date":
        years = rng.choice([17, 18, 21, 26, 40, 45, 46, 55, 60, 61, 30, 35])
        day = on.replace(year=on.year - years) if not (on.month == 2 and on.day == 29) else on
        return (day + dt.timedelta(days=rng.choice([-1, 0, 1, 40, -200]))).isoformat()
    if kind == "country":
        return rng.choice(COUNTRIES)
    if kind == "code":
        return rng.choice(CODES)
    if kind == "bool":
        return rng.random() < 0.6
    if kind == "int":
        fact = next(f for f in FACTS if f.name == name)
        low, high = int(fact.minimum or 0), int(fact.maximum if fact.maximum is not None else 6)
        return rng.randint(low, high)
    if name == "years_college_completed":
        return rng.choice([0.0, 1.0, 2.0, 3.5, 4.0])
    return rng.choice(NUMBERS[kind])


def _degrees(rng: random.Random) -> list[dict[str, Any]]:
    levels = ["secondary", "bachelor", "master", "doctorate"]
    return [{"level": rng.choice(levels),
             "field": rng.choice([*CODES[:6], None]),
             "institution_recognised": rng.choice([True, False, None]),
             "country": rng.choice([*COUNTRIES, None]),
             "year": rng.choice([2010, 2018, None])}
            for _ in range(rng.randint(0, 3))]


def _records(rng: random.Random, on: dt.date) -> list[dict[str, Any]]:
    years = rng.sample(range(on.year - 6, on.year), rng.randint(0, 5))
    return [{"year": year, "city": rng.choice([*CITIES, None]),
             "salary_cny": rng.choice([None, 300000.0, 800000.0, 1500000.0]),
             "income_tax_cny": rng.choice([None, 10000.0, 200000.0, 400000.0]),
             "months_in_china": rng.choice([None, 3.0, 6.0, 12.0])} for year in years]


def random_profile(rng: random.Random, on: dt.date) -> dict[str, Any]:
    """A profile with each fact present or blank, valid as the API would accept it."""
    profile: dict[str, Any] = {}
    for fact in FACTS:
        if rng.random() < 0.35:
            continue
        if fact.kind == "degrees":
            profile[fact.name] = _degrees(rng)
        elif fact.kind == "employment_records":
            profile[fact.name] = _records(rng, on)
        elif fact.kind == "choice":
            profile[fact.name] = rng.choice(fact.choices)
        else:
            profile[fact.name] = _value(fact.kind, fact.name, rng, on)
    if "degrees" in profile:  # the single-degree facts must describe the highest one
        for name in ("highest_degree", "degree_field", "degree_institution_recognised"):
            profile.pop(name, None)
    return profile


def profiles(count: int, on: dt.date, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    found: list[dict[str, Any]] = []
    while len(found) < count:
        try:
            found.append(validate_profile(random_profile(rng, on), today=on))
        except ProfileError:
            continue
    return found


def _columns(compiled: engine.Compiled) -> list[str]:
    names = [cc.criterion.id for cp in compiled.programmes for cc in cp.criteria]
    names += [g.id for cp in compiled.programmes for g, _ in engine._depths(cp.rule)]
    names += [o.id for cp in compiled.programmes for o in cp.outputs]
    names += [f"{cc.criterion.id}::missing" for cp in compiled.programmes
              for cc in cp.criteria if cc.missing is not None]
    return names


def agree(count: int, on: dt.date, scenario_document: dict[str, Any] | None, seed: int) -> int:
    """Check ``count`` random profiles on both paths; the number of cells compared."""
    scenario = scenario_from_dict(scenario_document) if scenario_document else None
    drafts = bool(scenario_document and scenario_document.get("include_drafts"))
    people = profiles(count, on, seed)
    cells = 0
    for absent in ({"degrees": [], "employment_records": []}, {}):
        group = [p for p in people if all((p.get(f) is None) == (f in absent)
                                          for f in engine.SKIPPABLE)] if absent else [
            p for p in people if any(p.get(f) is not None for f in engine.SKIPPABLE)]
        if not group:
            continue
        frame = profile_frame(group)
        skip = engine._absent_in_frame(frame.schema) if not absent else frozenset(
            engine.SKIPPABLE)
        if absent:  # no row has them: the same cheaper plan explain takes
            frame = frame.with_columns(pl.lit(None).alias(f) for f in engine.SKIPPABLE)
            skip = frozenset(engine.SKIPPABLE)
        compiled = engine._compiled(None, on, scenario, drafts, skip)
        plan = engine.row_plan(compiled)
        assert plan is not None, "the row engine must translate every rule"
        lazy = engine._plan(compiled, engine._conform(frame.lazy(), frame.schema)[0], detail=True)
        lazy = lazy.with_columns(cc.missing for cp in compiled.programmes
                                 for cc in cp.criteria if cc.missing is not None)
        batch = lazy.collect()
        names = _columns(compiled)
        for index, profile in enumerate(group):
            row = plan.row(profile)
            expected = batch.row(index, named=True)
            for name in names:
                assert row[name] == expected[name], (on, scenario_document, name, profile,
                                                     row[name], expected[name])
            cells += len(names)
    return cells


@pytest.mark.parametrize("on", DATES[::2])
def test_row_engine_and_batch_agree_on_a_sample(on: dt.date) -> None:
    assert agree(150, on, SCENARIOS[DATES.index(on) % len(SCENARIOS)], seed=on.toordinal())


@pytest.mark.slow
def test_row_engine_and_batch_agree_on_100000_profiles() -> None:
    """100,000 profiles, each evaluated on every programme (so 100,000 per programme)."""
    combos = [(on, scenario) for on in DATES for scenario in SCENARIOS]
    per_combo = -(-100_000 // len(combos))
    total = 0
    for number, (on, scenario) in enumerate(combos):
        agree(per_combo, on, scenario, seed=number)
        total += per_combo
    assert total >= 100_000


def test_explain_is_the_same_on_both_paths() -> None:
    """Statuses, deciding facts, missing facts and texts: the whole assessment."""
    for number, on in enumerate(DATES[::3]):
        for profile in profiles(25, on, seed=1000 + number):
            fast = explain(profile, on=on).to_dict()
            with engine.polars_one_row():
                slow = explain(profile, on=on).to_dict()
            assert fast == slow, (on, profile)


def test_the_row_engine_is_used_for_one_profile() -> None:
    compiled = engine._compiled(None, dt.date(2026, 1, 1), None, False,
                                frozenset(engine.SKIPPABLE))
    assert engine.row_plan(compiled) is not None
