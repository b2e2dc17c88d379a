"""China foreigner's work permit: categories A, B and C with the points table.

Classification Standards (Trial) (外国人来华工作分类标准（试行）) and the interim
points table (积分要素计分赋值表（暂行版）) — not the earlier trial table, which
scored work years and Chinese differently.  The province's own "local
encouragement" points (0–10) are not modelled: they are set locally and would
only add to a total.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

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
    Output,
    Programme,
    derived,
)

STANDARDS = Citation(
    instrument="Classification Standards for Foreigners Working in China (Trial) "
               "(外国人来华工作分类标准（试行）)",
    article="categories A, B, C; basic conditions",
    url="http://zssvisa.cn/chanpinlanmu/247.html",
)
POINTS_TABLE = Citation(
    instrument="Points table for foreigners working in China, interim version "
               "(积分要素计分赋值表（暂行版）)",
    url="https://smebrother.com/blogs/news/外國人來華工作積分要素計分賦值表",
)


def _int(value: object) -> pl.Expr:
    return pl.lit(None, dtype=pl.Int64) if value is None else pl.lit(int(value))  # type: ignore[call-overload]


age = derived("age_years", age_years)


def _scored_parts(ctx: Context) -> list[tuple[pl.Expr, int, int]]:
    """Each factor of the points table: (its points, the fewest, the most it can give)."""
    experience = pl.col("years_work_experience").floor()
    experience_points = (
        pl.when(experience.is_null()).then(pl.lit(None, dtype=pl.Int64))
        .when(experience < 2).then(pl.lit(0))
        .otherwise(pl.min_horizontal(pl.lit(20.0), experience + 3).cast(pl.Int64))
    )
    education_table = ctx["cn.work_permit.education_points"]
    education_points = points_by_value(pl.col("__highest_level"), education_table)
    hsk = pl.col("hsk_level").cast(pl.Int64)
    hsk_points = pl.when(hsk >= 5).then(pl.lit(5)).otherwise(hsk)
    former = pl.col("former_chinese_national")
    language_points = (
        pl.when(former.is_null()).then(pl.lit(None, dtype=pl.Int64))
        .when(former).then(pl.lit(5)).otherwise(hsk_points)
    )
    location_value = ctx["cn.work_permit.location_points"]
    location = pl.col("work_in_encouraged_region").cast(pl.Int64) * _int(location_value)
    bonus_value = ctx["cn.work_permit.bonus_points"]
    bonus = pl.any_horizontal(
        pl.col("degree_institution_recognised"), pl.col("fortune_500_experience"),
        pl.col("holds_patents"), pl.col("years_continuous_work_in_china") >= 5,
    ).cast(pl.Int64) * _int(bonus_value)
    salary_bands = ctx["cn.work_permit.salary_points"]
    months_bands = ctx["cn.work_permit.months_points"]
    age_bands = ctx["cn.work_permit.age_points"]
    return [
        (banded(pl.col("annual_salary_cny"), salary_bands), *_band_range(salary_bands)),
        (education_points, 0, max((education_table or {0: 0}).values())),
        (experience_points, 0, 20),
        (banded(pl.col("months_in_china_per_year"), months_bands), *_band_range(months_bands)),
        (language_points, 0, 5),
        (banded(age(ctx), age_bands), *_band_range(age_bands)),
        (location, 0, int(location_value or 0)),
        (bonus, 0, int(bonus_value or 0)),
    ]


def _band_range(bands: list[list[float]] | None) -> tuple[int, int]:
    scores = [int(points) for _, points in bands or [[0, 0]]]
    return min(scores), max(scores)


def points_expr(ctx: Context) -> pl.Expr:
    """Total points; null when any scored fact is missing (a total must not guess)."""
    parts = [part for part, _, _ in _scored_parts(ctx)]
    total = parts[0]
    for part in parts[1:]:
        total = total + part  # `+` propagates null: one unknown factor → unknown total
    return total


def _bound(ctx: Context, most: bool) -> pl.Expr:
    parts = [part.fill_null(high if most else low) for part, low, high in _scored_parts(ctx)]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


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


PROGRAMME = Programme(
    id="cn.work_permit",
    name="China foreigner's work permit (category A or B)",
    name_zh="外国人来华工作许可（A类或B类）",
    in_force_from=dt.date(2017, 4, 1),
    in_force_citation=Citation(STANDARDS.instrument, "nationwide from 1 Apr 2017 "
                               "(date unverified; sources say 2017)", STANDARDS.url),
    in_force_status="reported",
    rule=AllOf(
        id="cn.work_permit.conditions",
        children=(
            Criterion("cn.work_permit.employer", "Has a job with an employer in China that "
                      "applies for the permit.", "有中国境内用人单位聘用并由其申请。", STANDARDS,
                      lambda ctx: pl.col("chinese_employer_job_offer")),
            Criterion("cn.work_permit.adult", "Is at least 18 years old.", "年满18周岁。",
                      STANDARDS, _min_age),
            Criterion("cn.work_permit.no_criminal_record", "Has no criminal record.",
                      "无犯罪记录。", STANDARDS, lambda ctx: pl.col("no_criminal_record")),
            Criterion("cn.work_permit.good_health", "Is in good health.", "身体健康。",
                      STANDARDS, lambda ctx: pl.col("good_health")),
            AnyOf(
                id="cn.work_permit.category",
                text="Meets category A or category B.",
                text_zh="符合A类或B类标准。",
                children=(
                    Criterion("cn.work_permit.category_a",
                              "Category A: direct qualification, salary ≥ "
                              "{cn.work_permit.a_salary_multiple}× the local average, or ≥ "
                              "{cn.work_permit.a_points} points.",
                              "A类：直接认定、工资不低于当地平均工资"
                              "{cn.work_permit.a_salary_multiple}倍或积分"
                              "{cn.work_permit.a_points}分以上。",
                              STANDARDS, category_a_expr),
                    Criterion("cn.work_permit.category_b",
                              "Category B: bachelor's degree and "
                              "{cn.work_permit.b_min_experience_years} years' experience, "
                              "salary ≥ {cn.work_permit.b_salary_multiple}× the local average, "
                              "or ≥ {cn.work_permit.b_points} points.",
                              "B类：学士学位及{cn.work_permit.b_min_experience_years}年以上工作经历、"
                              "工资不低于当地平均工资{cn.work_permit.b_salary_multiple}倍或积分"
                              "{cn.work_permit.b_points}分以上。",
                              STANDARDS, category_b_expr),
                ),
            ),
        ),
    ),
    outputs=(
        Output("cn.work_permit.points", "Points (interim table)", "积分（暂行版）",
               POINTS_TABLE, points, "points"),
        Output("cn.work_permit.category_letter", "Category (A, B or C; C is quota-controlled)",
               "类别（A、B或C；C类实行配额管理）", STANDARDS, _category, "category"),
    ),
)
