"""China foreigner's work permit: categories A, B and C with the points table.

Classification Standards (Trial) (外国人来华工作分类标准（试行）) and the interim
points table (积分要素计分赋值表（暂行版）) — not the earlier trial table, which
scored work years and Chinese differently.  The province's own "local
encouragement" points (0–10) are not modelled: they are set locally and would
only add to a total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.helpers import (
    NULL,
    age_at_least,
    age_years,
    banded,
    degree_at_least,
    income_multiple_at_least,
    points_by_value,
)
from kvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Context,
    Criterion,
    ExprBuilder,
    Output,
    Programme,
    derived,
)

STANDARDS = Citation(
    instrument=N_("Classification Standards for Foreigners Working in China (Trial) "
                  "(外国人来华工作分类标准（试行）)"),
    article=N_("categories A, B, C; basic conditions"),
    url="http://zssvisa.cn/chanpinlanmu/247.html",
)
POINTS_TABLE = Citation(
    instrument=N_("Points table for foreigners working in China, interim version "
                  "(积分要素计分赋值表（暂行版）)"),
    url="https://smebrother.com/blogs/news/外國人來華工作積分要素計分賦值表",
)


def _int(value: object) -> pl.Expr:
    return pl.lit(None, dtype=pl.Int64) if value is None else pl.lit(int(value))  # type: ignore[call-overload]


age = derived("age_years", age_years)


def _experience_points(ctx: Context) -> pl.Expr:
    experience = pl.col("years_work_experience").floor()
    return (
        pl.when(experience.is_null()).then(pl.lit(None, dtype=pl.Int64))
        .when(experience < 2).then(pl.lit(0))
        .otherwise(pl.min_horizontal(pl.lit(20.0), experience + 3).cast(pl.Int64))
    )


def _language_points(ctx: Context) -> pl.Expr:
    hsk = pl.col("hsk_level").cast(pl.Int64)
    hsk_points = pl.when(hsk >= 5).then(pl.lit(5)).otherwise(hsk)
    former = pl.col("former_chinese_national")
    return (
        pl.when(former.is_null()).then(pl.lit(None, dtype=pl.Int64))
        .when(former).then(pl.lit(5)).otherwise(hsk_points)
    )


def _bonus_points(ctx: Context) -> pl.Expr:
    return pl.any_horizontal(
        pl.col("degree_institution_recognised"), pl.col("fortune_500_experience"),
        pl.col("holds_patents"), pl.col("years_continuous_work_in_china") >= 5,
    ).cast(pl.Int64) * _int(ctx["cn.work_permit.bonus_points"])


Range = Callable[[Context], tuple[int, int]]
"""The fewest and the most points a factor can give, from the parameters in force."""


def _band_range(bands: list[list[float]] | None) -> tuple[int, int]:
    scores = [int(points) for _, points in bands or [[0, 0]]]
    return min(scores), max(scores)


def _banded_part(fact: str, table: str) -> tuple[ExprBuilder, Range]:
    return (lambda ctx: banded(pl.col(fact), ctx[table]),
            lambda ctx: _band_range(ctx[table]))

# Each factor of the points table as its own derived column (computed once, read by
# the total and by its two bounds), with the fewest and the most points it can give.
_FACTORS: dict[str, tuple[ExprBuilder, Range]] = {
    "salary": _banded_part("annual_salary_cny", "cn.work_permit.salary_points"),
    "education": (lambda ctx: points_by_value(pl.col("__highest_level"),
                                              ctx["cn.work_permit.education_points"]),
                  lambda ctx: (0, max((ctx["cn.work_permit.education_points"]
                                       or {"": 0}).values()))),
    "experience": (_experience_points, lambda ctx: (0, 20)),
    "months": _banded_part("months_in_china_per_year", "cn.work_permit.months_points"),
    "language": (_language_points, lambda ctx: (0, 5)),
    "age": (lambda ctx: banded(age(ctx), ctx["cn.work_permit.age_points"]),
            lambda ctx: _band_range(ctx["cn.work_permit.age_points"])),
    "location": (lambda ctx: pl.col("work_in_encouraged_region").cast(pl.Int64)
                 * _int(ctx["cn.work_permit.location_points"]),
                 lambda ctx: (0, int(ctx["cn.work_permit.location_points"] or 0))),
    "bonus": (_bonus_points, lambda ctx: (0, int(ctx["cn.work_permit.bonus_points"] or 0))),
}
FACTORS: dict[str, tuple[ExprBuilder, Range]] = {
    name: (derived(f"cn.work_permit.points.{name}", build), bounds)
    for name, (build, bounds) in _FACTORS.items()}


def _sum(parts: list[pl.Expr]) -> pl.Expr:
    total = parts[0]
    for part in parts[1:]:
        total = total + part  # `+` propagates null: one unknown factor → unknown total
    return total


def points_expr(ctx: Context) -> pl.Expr:
    """Total points; null when any scored fact is missing (a total must not guess)."""
    return _sum([read(ctx) for read, _ in FACTORS.values()])


def _bound(ctx: Context, most: bool) -> pl.Expr:
    return _sum([read(ctx).fill_null(bounds(ctx)[1 if most else 0])
                 for read, bounds in FACTORS.values()])


points = derived("cn.work_permit.points", points_expr)
points_low = derived("cn.work_permit.points_low", lambda ctx: _bound(ctx, most=False))
points_high = derived("cn.work_permit.points_high", lambda ctx: _bound(ctx, most=True))


def _points_at_least(ctx: Context, name: str) -> pl.Expr:
    """The total reaches the threshold: met when it does with the fewest points the
    unknown factors could give, not met when it cannot with the most, else unknown.
    (A total is never guessed; a person far below the threshold is told so
    without being asked every factor.)"""
    threshold = ctx[name]
    if threshold is None:
        return NULL
    # Kleene: low ≥ t → true; else high ≥ t → unknown; else false
    return (points_low(ctx) >= threshold) | ((points_high(ctx) >= threshold) & NULL)


def category_a_expr(ctx: Context) -> pl.Expr:
    """Category A (high-end talent): a direct qualification, 6× salary, or ≥ 85 points."""
    multiple = ctx["cn.work_permit.a_salary_multiple"]
    return pl.any_horizontal(
        pl.col("direct_category_a_qualification"),
        income_multiple_at_least("annual_salary_cny", multiple) if multiple else NULL,
        _points_at_least(ctx, "cn.work_permit.a_points"),
    )


def category_b_expr(ctx: Context) -> pl.Expr:
    """Category B (professional): bachelor's + 2 years, 4× salary, or ≥ 60 points."""
    years = ctx["cn.work_permit.b_min_experience_years"]
    multiple = ctx["cn.work_permit.b_salary_multiple"]
    return pl.any_horizontal(
        degree_at_least("bachelor", ctx) & (pl.col("years_work_experience") >= years)
        if years is not None else NULL,
        income_multiple_at_least("annual_salary_cny", multiple) if multiple else NULL,
        _points_at_least(ctx, "cn.work_permit.b_points"),
    )


def _category(ctx: Context) -> pl.Expr:
    a, b = category_a_expr(ctx), category_b_expr(ctx)
    return (
        pl.when(a.fill_null(False)).then(pl.lit("A"))
        .when(a.is_null()).then(pl.lit(None, dtype=pl.String))
        .when(b.fill_null(False)).then(pl.lit("B"))
        .when(b.is_null()).then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.lit("C"))
    )


def _min_age(ctx: Context) -> pl.Expr:
    years = ctx["cn.work_permit.min_age"]
    return age_at_least(ctx, years) if years is not None else NULL


ORDER = 30
"""Where the programme comes in lists and comparisons."""

PROGRAMME = Programme(
    id="cn.work_permit",
    name=N_("China foreigner's work permit (category A or B)"),
    in_force_from=dt.date(2017, 4, 1),
    in_force_citation=Citation(STANDARDS.instrument, N_("nationwide from 1 Apr 2017 "
                               "(date unverified; sources say 2017)"), STANDARDS.url),
    in_force_status="reported",
    rule=AllOf(
        id="cn.work_permit.conditions",
        children=(
            Criterion("cn.work_permit.employer", N_("Has a job with an employer in China that "
                      "applies for the permit."), STANDARDS,
                      lambda ctx: pl.col("chinese_employer_job_offer")),
            Criterion("cn.work_permit.adult", N_("Is at least 18 years old."),
                      STANDARDS, _min_age),
            Criterion("cn.work_permit.no_criminal_record", N_("Has no criminal record."),
                      STANDARDS, lambda ctx: pl.col("no_criminal_record")),
            Criterion("cn.work_permit.good_health", N_("Is in good health."),
                      STANDARDS, lambda ctx: pl.col("good_health")),
            AnyOf(
                id="cn.work_permit.category",
                text=N_("Meets category A or category B."),
                children=(
                    Criterion("cn.work_permit.category_a",
                              N_("Category A: direct qualification, salary ≥ "
                              "{cn.work_permit.a_salary_multiple}× the local average, or ≥ "
                              "{cn.work_permit.a_points} points."),
                              STANDARDS, category_a_expr),
                    Criterion("cn.work_permit.category_b",
                              N_("Category B: bachelor's degree and "
                              "{cn.work_permit.b_min_experience_years} years' experience, "
                              "salary ≥ {cn.work_permit.b_salary_multiple}× the local average, "
                              "or ≥ {cn.work_permit.b_points} points."),
                              STANDARDS, category_b_expr),
                ),
            ),
        ),
    ),
    outputs=(
        Output("cn.work_permit.points", N_("Points (interim table)"),
               POINTS_TABLE, points, "points"),
        Output("cn.work_permit.category_letter", N_("Category (A, B or C; C is quota-controlled)"),
               STANDARDS, _category, "category"),
    ),
)
