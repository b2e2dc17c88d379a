"""Synthetic applicant populations for benchmarks, demos and policy what-ifs.

The figures come from a calibration file (:mod:`kvisa.population.calibration`;
``calibrations/default.yaml`` cites each one: India ≈ 70% of H-1B recipients
and China ≈ 12% shape the nationality mix, the rest are kvisa's stated
assumptions).  The generator is seeded, so a population is reproducible.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from kvisa.population.calibration import Calibration, load
from kvisa.rules.facts import POLARS_SCHEMA


def population(rows: int, *, seed: int = 2025, missing: float | None = None,
               on: dt.date = dt.date(2026, 1, 1),
               calibration: Calibration | None = None) -> pl.DataFrame:
    """``rows`` synthetic profiles with the core facts (others left null)."""
    figures = calibration or load()
    missing = figures.missing_share.value if missing is None else missing
    share = figures.shares.values
    rng = np.random.default_rng(seed)

    def pick(options: dict[str, float]) -> np.ndarray:
        keys = list(options)
        weights = np.array([options[k] for k in keys])
        return np.array(keys)[rng.choice(len(keys), rows, p=weights / weights.sum())]

    def maybe(values: np.ndarray) -> pl.Series:
        series = pl.Series(values)
        return series.scatter(np.flatnonzero(rng.random(rows) < missing), None)

    def yes(name: str, default: float) -> np.ndarray:
        return rng.random(rows) < share.get(name, default)

    days_old = rng.integers(figures.age.min_years * 365, figures.age.max_years * 365, rows)
    births = np.datetime64(on) - days_old.astype("timedelta64[D]")
    salary = np.round(rng.lognormal(figures.annual_salary_cny.log_mean,
                                    figures.annual_salary_cny.log_sd, rows), -3)
    columns = {
        "date_of_birth": maybe(births).cast(pl.Date),
        "nationality": pick(figures.nationality.weights),
        "highest_degree": maybe(pick(figures.highest_degree.weights)),
        "degree_field": maybe(rng.choice(figures.degree_field.codes, rows)),
        "degree_institution_recognised": maybe(yes("degree_institution_recognised", 0.35)),
        "teaching_or_research_at_recognised_institution": maybe(
            yes("teaching_or_research_at_recognised_institution", 0.12)),
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
        "no_criminal_record": maybe(yes("no_criminal_record", 0.99)),
        "good_health": maybe(yes("good_health", 0.98)),
        "years_continuous_work_in_china": maybe(np.round(rng.gamma(1.0, 2.0, rows), 1)),
        "chinese_employer_job_offer": maybe(yes("chinese_employer_job_offer", 0.4)),
        "us_job_offer": maybe(yes("us_job_offer", 0.3)),
        "us_job_is_specialty_occupation": maybe(yes("us_job_is_specialty_occupation", 0.8)),
        "us_offer_wage_level": maybe(rng.integers(1, 5, rows)),
        "us_advanced_degree": maybe(yes("us_advanced_degree", 0.3)),
        "outside_us": maybe(yes("outside_us", 0.6)),
        "holds_valid_h1b_visa": yes("holds_valid_h1b_visa", 0.05),
    }
    frame = pl.DataFrame(columns)
    assert set(frame.columns) <= set(POLARS_SCHEMA)
    return frame.cast({name: POLARS_SCHEMA[name] for name in frame.columns})
