"""Synthetic applicant populations for benchmarks, demos and policy what-ifs.

Calibration (see ../shared/facts/statistics.md; all figures approximate):
India ≈ 70% of H-1B recipients and China ≈ 12% shape the nationality mix of
a US-facing pool; degree levels and fields are spread so that every K visa
route, and every unknown, occurs.  About one fact in ten is left missing on
purpose, since real profiles are incomplete.  The generator is seeded, so a
population is reproducible.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from kvisa.rules.facts import DEGREE_LEVELS, POLARS_SCHEMA

NATIONALITIES = {"IND": 0.55, "CHN": 0.10, "DEU": 0.05, "USA": 0.05, "VNM": 0.05, "IDN": 0.05,
                 "BRA": 0.04, "NGA": 0.04, "GBR": 0.04, "FRA": 0.03}
DEGREES = {"secondary": 0.08, "bachelor": 0.47, "master": 0.33, "doctorate": 0.10,
           "none": 0.02}
FIELDS = ("0511", "0533", "0541", "0613", "0714", "0731", "0311", "0413", "0912", "0231")


def population(rows: int, *, seed: int = 2025, missing: float = 0.1,
               on: dt.date = dt.date(2026, 1, 1)) -> pl.DataFrame:
    """``rows`` synthetic profiles with the core facts (others left null)."""
    rng = np.random.default_rng(seed)

    def pick(options: dict[str, float]) -> np.ndarray:
        keys = list(options)
        weights = np.array([options[k] for k in keys])
        return np.array(keys)[rng.choice(len(keys), rows, p=weights / weights.sum())]

    def maybe(values: np.ndarray) -> pl.Series:
        series = pl.Series(values)
        return series.scatter(np.flatnonzero(rng.random(rows) < missing), None)

    days_old = rng.integers(18 * 365, 65 * 365, rows)
    births = np.datetime64(on) - days_old.astype("timedelta64[D]")
    salary = np.round(rng.lognormal(12.2, 0.7, rows), -3)
    columns = {
        "date_of_birth": maybe(births).cast(pl.Date),
        "nationality": pick(NATIONALITIES),
        "highest_degree": maybe(pick(DEGREES)),
        "degree_field": maybe(rng.choice(FIELDS, rows)),
        "degree_institution_recognised": maybe(rng.random(rows) < 0.35),
        "teaching_or_research_at_recognised_institution": maybe(rng.random(rows) < 0.12),
        "years_work_experience": maybe(np.round(rng.gamma(2.0, 3.0, rows), 1)),
        "annual_salary_cny": maybe(salary),
        "local_urban_average_income_cny": np.full(rows, 120_000.0),
        "months_in_china_per_year": maybe(rng.integers(0, 13, rows).astype(float)),
        "hsk_level": maybe(rng.integers(0, 7, rows)),
        "former_chinese_national": rng.random(rows) < 0.01,
        "work_in_encouraged_region": rng.random(rows) < 0.1,
        "fortune_500_experience": rng.random(rows) < 0.15,
        "holds_patents": rng.random(rows) < 0.05,
        "direct_category_a_qualification": rng.random(rows) < 0.02,
        "no_criminal_record": maybe(rng.random(rows) < 0.99),
        "good_health": maybe(rng.random(rows) < 0.98),
        "years_continuous_work_in_china": maybe(np.round(rng.gamma(1.0, 2.0, rows), 1)),
        "chinese_employer_job_offer": maybe(rng.random(rows) < 0.4),
        "us_job_offer": maybe(rng.random(rows) < 0.3),
        "us_job_is_specialty_occupation": maybe(rng.random(rows) < 0.8),
        "us_offer_wage_level": maybe(rng.integers(1, 5, rows)),
        "us_advanced_degree": maybe(rng.random(rows) < 0.3),
        "outside_us": maybe(rng.random(rows) < 0.6),
        "holds_valid_h1b_visa": rng.random(rows) < 0.05,
    }
    frame = pl.DataFrame(columns)
    assert set(frame.columns) <= set(POLARS_SCHEMA)
    assert set(DEGREES) == set(DEGREE_LEVELS)
    return frame.cast({name: POLARS_SCHEMA[name] for name in frame.columns})
