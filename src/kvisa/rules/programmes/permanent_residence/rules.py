"""China permanent residence ("green card").

Routes in force: the seven categories of Art. 6 of the 2004 Measures (MPS &
MFA Order No. 74; all periods are consecutive years immediately before the
application) and the nationwide salary-and-tax route of 1 Aug 2019.  The 2020
Ministry of Justice draft regulations (Art. 15 work routes) were never enacted:
they are encoded with status ``draft`` and evaluated only when asked for.
Dependants of investment/post/contribution holders (Art. 6(4)) are not
modelled: they follow the principal's case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.rules import reference
from kvisa.rules.facts import POLARS_SCHEMA
from kvisa.rules.helpers import (
    NULL,
    age_at_least,
    age_at_most,
    at_least,
    date_in,
    degree_at_least,
    income_multiple_at_least,
    one_of,
)
from kvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Context,
    Criterion,
    ExprBuilder,
    NotModelled,
    Output,
    Programme,
    Status,
)

MEASURES = N_("Measures for the Administration of Examination and Approval of Foreigners' "
              "Permanent Residence in China (MPS & MFA Order No. 74, 2004)")
MEASURES_URL = "http://crsrw.com/zhishichanquanbaohu/32762.html"


def art(article: str, url: str = MEASURES_URL) -> Citation:
    return Citation(MEASURES, article, url)


NIA_2019 = Citation(
    N_("National Immigration Administration, measures in force nationwide 1 Aug 2019"),
    N_("PR for long-term workers: 4 years, 6 months a year, salary ≥ 6× local average, "
       "tax ≥ 20% of that standard"),
    "https://www.3haojob.com/ap/16472006164819.html")
DRAFT_2020 = Citation(
    N_("Regulations on the Administration of Permanent Residence of Foreigners "
       "(draft for comments, Ministry of Justice, 27 Feb 2020; not enacted)"),
    "Art. 15", "https://www.referchina.com/2020/03/important-draft-updates-affecting.html")

P = "cn.permanent_residence"


def _years(fact: str, parameter: str) -> ExprBuilder:
    def build(ctx: Context) -> pl.Expr:
        value = ctx[parameter]
        return at_least(fact, value) if value is not None else NULL
    return build


def _investment_amount(ctx: Context) -> pl.Expr:
    region, amount = pl.col("investment_region"), pl.col("investment_usd")
    low = ctx[f"{P}.investment_encouraged_usd"]
    central = ctx[f"{P}.investment_central_usd"]
    total = ctx[f"{P}.investment_total_usd"]
    if None in (low, central, total):
        return NULL
    return pl.any_horizontal(
        one_of(region, ["encouraged_industry", "western_or_poverty_county"]) & (amount >= low),
        (region == "central") & (amount >= central),
        amount >= total,
    )


def _employment_income(ctx: Context) -> pl.Expr:
    multiple = ctx[f"{P}.employment_income_multiple"]
    return income_multiple_at_least("annual_salary_cny", multiple) if multiple else NULL


# --- the 2019 route year by year ---------------------------------------------------
# With ``employment_records`` each of the last N calendar years is checked against
# the average wage of the city worked in, for the year before (上一年度), read from
# kvisa.rules.reference.  The same expressions serve the batch path (inside
# ``list.eval``) and the officer's per-year table (on an exploded frame).

Field = Callable[[str], pl.Expr]
RECORDS = pl.col("employment_records")


def required_years(on: dt.date, years: int) -> list[int]:
    """The last ``years`` completed calendar years before ``on`` (tax records are yearly)."""
    return list(range(on.year - int(years), on.year))


def _record_checks(ctx: Context, field: Field) -> dict[str, pl.Expr] | None:
    """Per record: the local average used, the standards, and each test (None: law unset)."""
    multiple = ctx[f"{P}.employment_income_multiple"]
    share = ctx[f"{P}.employment_tax_share"]
    months = ctx[f"{P}.employment_months_per_year"]
    lag = ctx[f"{P}.employment_wage_year_lag"]
    series = ctx[f"{P}.employment_average_wage_series"]
    if None in (multiple, share, months, lag):
        return None
    # a table of another series than the rule means is no figure for it: unknown
    table = ctx.average_wages() if series == reference.SERIES else {}
    wage_year = field("year") - int(lag)
    key = pl.concat_str([field("city").str.strip_chars().str.to_lowercase(), pl.lit("|"),
                         wage_year.cast(pl.String)])
    average = (key.replace_strict(table, default=None, return_dtype=pl.Float64) if table
               else pl.lit(None, dtype=pl.Float64))
    salary_standard = average * float(multiple)
    tax_standard = salary_standard * float(share)
    return {"wage_year": wage_year, "average": average, "salary_standard": salary_standard,
            "tax_standard": tax_standard,
            "months": field("months_in_china") >= float(months),
            "income": field("salary_cny") >= salary_standard,
            "tax": field("income_tax_cny") >= tax_standard}


# what each per-year test reads from a record, beside the wage table
_TEST_FIELDS = {"months": ("months_in_china",), "income": ("city", "salary_cny"),
                "tax": ("city", "income_tax_cny")}


def _element(name: str) -> pl.Expr:
    return pl.element().struct.field(name)


def _each_year(test: str | None, scalar: ExprBuilder) -> ExprBuilder:
    """Every required year passes ``test`` (None: has a record); else the single figures.

    A year without a record fails the "years" test and leaves the others unknown
    (the years test decides the route); a record with a blank field, or a city
    and year absent from the wage table, leaves that year unknown.
    """
    def build(ctx: Context) -> pl.Expr:
        if "employment_records" in ctx.absent:
            # no row has records: the single figures decide, and the wage table (with
            # its own status) is not read at all; the records stay named as the way to
            # settle a year-by-year answer
            return pl.when(RECORDS.is_null()).then(scalar(ctx)).otherwise(NULL)
        years = ctx[f"{P}.employment_years"]
        checks = _record_checks(ctx, _element) if test is not None else None
        if years is None or (test is not None and checks is None):
            return NULL
        per_year = []
        for year in required_years(ctx.on, years):
            year_is = _element("year") == year
            present = RECORDS.list.eval(year_is).list.any()
            if test is None:
                per_year.append(present)
                continue
            assert checks is not None
            value = RECORDS.list.eval(checks[test].filter(year_is)).list.first()
            per_year.append(pl.when(present).then(value).otherwise(pl.lit(None, pl.Boolean)))
        return (pl.when(RECORDS.is_null()).then(scalar(ctx))
                .otherwise(pl.all_horizontal(per_year)))
    return build


def _each_year_missing(test: str) -> ExprBuilder:
    """Names of what leaves a year unknown: ``employment_records.<year>.<field>`` or
    ``average_wage.<City>.<year>``."""
    def build(ctx: Context) -> pl.Expr:
        years = ctx[f"{P}.employment_years"]
        checks = _record_checks(ctx, _element)
        if years is None or checks is None:
            return pl.lit(None, dtype=pl.List(pl.String))
        names: list[pl.Expr] = []
        for year in required_years(ctx.on, years):
            year_is = _element("year") == year
            present = RECORDS.list.eval(year_is).list.any()
            names.append(pl.when(RECORDS.is_not_null() & ~present)
                         .then(pl.lit(f"employment_records.{year}.record")))
            for name in _TEST_FIELDS[test]:
                blank = RECORDS.list.eval((_element(name).is_null()).filter(year_is)).list.first()
                names.append(pl.when(blank).then(pl.lit(f"employment_records.{year}.{name}")))
            if test in ("income", "tax"):
                city = RECORDS.list.eval(_element("city").filter(year_is)).list.first()
                no_figure = RECORDS.list.eval(
                    (checks["average"].is_null() & _element("city").is_not_null())
                    .filter(year_is)).list.first()
                names.append(pl.when(no_figure).then(pl.format(
                    "average_wage.{}.{}", city,
                    pl.lit(year - int(ctx[f"{P}.employment_wage_year_lag"])))))
        # null on rows without records: the engine then names the null facts as usual
        return (pl.when(RECORDS.is_null()).then(pl.lit(None, dtype=pl.List(pl.String)))
                .otherwise(pl.concat_list(names).list.drop_nulls()))
    return build


def employment_by_year(profile: dict[str, object], on: dt.date) -> list[dict[str, object]]:
    """The officer's per-year table for the 2019 route: one row per required year.

    Each row has the record's figures, the local average read (with its source
    and how sure it is), the salary and tax standards, and the result of each
    test (True / False / None = unknown), computed by the same expressions as
    the criteria.  Empty when the profile has no ``employment_records``.
    """
    from kvisa.rules import reference
    from kvisa.rules.parameters import values_on

    records = profile.get("employment_records")
    ctx = Context(on, values_on(on))
    years = ctx[f"{P}.employment_years"]
    checks = _record_checks(ctx, pl.col)
    if not isinstance(records, list) or years is None or checks is None:
        return []
    frame = pl.DataFrame(records, schema=dict(
        POLARS_SCHEMA["employment_records"].inner.to_schema()))  # type: ignore[attr-defined]
    evaluated = frame.with_columns(**{name: expr for name, expr in checks.items()})
    by_year = {row["year"]: row for row in evaluated.to_dicts()}
    rows: list[dict[str, object]] = []
    for year in required_years(on, years):
        row = by_year.get(year)
        if row is None:
            rows.append({"year": year, "present": False, "met": False})
            continue
        figure = reference.find(row["city"], row["wage_year"]) if row["city"] else None
        tests = [row["months"], row["income"], row["tax"]]
        met = False if False in tests else (None if None in tests else True)
        rows.append({**row, "present": True, "met": met,
                     "average_source": figure.source if figure else "",
                     "average_url": figure.url if figure else "",
                     "average_status": figure.status if figure else ""})
    return rows


def _employment_tax(ctx: Context) -> pl.Expr:
    multiple = ctx[f"{P}.employment_income_multiple"]
    share = ctx[f"{P}.employment_tax_share"]
    if multiple is None or share is None:
        return NULL
    standard = pl.col("local_urban_average_income_cny") * float(multiple)
    reaches = pl.col("annual_income_tax_cny") >= standard * float(share)
    # no tax paid is below any share of a (positive) average wage, whatever the city
    return reaches & (pl.col("annual_income_tax_cny") > 0) if multiple * share > 0 else reaches


def _draft(ctx: Context, route: str) -> pl.Expr:
    table = ctx[f"{P}.draft_routes"]
    if table is None:
        return NULL
    worked, resided, multiple = table[route]
    parts = [at_least("years_continuous_work_in_china", worked),
             at_least("years_actual_residence_in_china", resided)]
    if multiple:
        parts.append(income_multiple_at_least("annual_salary_cny", multiple))
    return pl.all_horizontal(parts)


def _age_min(parameter: str) -> ExprBuilder:
    def build(ctx: Context) -> pl.Expr:
        years = ctx[parameter]
        return age_at_least(ctx, years) if years is not None else NULL
    return build


def _child_age(ctx: Context) -> pl.Expr:
    limit = ctx[f"{P}.child_max_age"]
    return age_at_most(ctx, limit - 1) if limit is not None else NULL


def _residence_routes(prefix: str, article: str) -> tuple[Criterion, ...]:
    """Continuous residence, months a year and livelihood: shared by Art. 6(5) and 6(7)."""
    return (
        Criterion(f"{prefix}.residence_years", N_("Has resided in China for "
                  "{cn.permanent_residence.family_years} consecutive years."), art(article),
                  _years("years_continuous_residence_in_china", f"{P}.family_years")),
        Criterion(f"{prefix}.months_per_year", N_("Stays in China at least "
                  "{cn.permanent_residence.family_months_per_year} months each year."),
                  art(article),
                  _years("months_in_china_per_year", f"{P}.family_months_per_year")),
        Criterion(f"{prefix}.livelihood", N_("Has a stable livelihood and dwelling."), art(article),
                  lambda ctx: pl.col("stable_livelihood_and_residence")),
    )


def _tax(prefix: str, citation: Citation, status: Status = "in_force") -> Criterion:
    return Criterion(f"{prefix}.tax_record", N_("Has a good tax record."),
                     citation, lambda ctx: pl.col("good_tax_record"), status=status)


def _draft_route(key: str, text: str, extra: tuple[Criterion, ...] = ()) -> AllOf:
    rid = f"{P}.route.draft_{key}"
    return AllOf(
        id=rid, text=text, status="draft",
        children=(*extra,
                  Criterion(f"{rid}.work_residence_income", text, DRAFT_2020,
                            lambda ctx: _draft(ctx, key), status="draft"),
                  _tax(rid, DRAFT_2020, "draft")),
    )


ORDER = 40
"""Where the programme comes in lists and comparisons."""

PROGRAMME = Programme(
    id=P,
    name=N_("China permanent residence"),
    not_modelled=(NotModelled(
        N_("Spouses and unmarried children under 18 who apply together with an investor, a "
        "senior post holder or a contributor (Art. 6, last paragraph): not evaluated here — "
        "ask the office."),
        art(N_("Art. 6: the spouse and unmarried children under 18 of persons under "
               "items 1-3 may apply with them"))),),
    in_force_from=dt.date(2004, 8, 15),
    in_force_citation=art(N_("promulgated 15 Aug 2004")),
    rule=AllOf(
        id=f"{P}.conditions",
        children=(
            Criterion(f"{P}.no_criminal_record", N_("Abides by Chinese law and has no criminal "
                      "record."), art("Art. 6"),
                      lambda ctx: pl.col("no_criminal_record")),
            Criterion(f"{P}.good_health", N_("Is in good health."), art("Art. 6"),
                      lambda ctx: pl.col("good_health")),
            AnyOf(id=f"{P}.route", text=N_("One of the routes."),
                  children=(
                AllOf(id=f"{P}.route.investment", text=N_("Investment (Art. 6(1))."), children=(
                    Criterion(f"{P}.route.investment.amount",
                              N_("Paid-in investment of at least US$0.5M (encouraged industry, "
                              "western region or poverty county), US$1M (central region) or "
                              "US$2M (total)."),
                              Citation(MEASURES, N_("investment thresholds (quoted as Art. 7, "
                                          "number unverified)"),
                                       "http://www.7sjm.com/laws/206166.html"),
                              _investment_amount),
                    Criterion(f"{P}.route.investment.stable", N_("The investment has been stable "
                              "for 3 consecutive years."), art("Art. 6(1)"),
                              _years("years_investment_stable", f"{P}.investment_years")),
                    _tax(f"{P}.route.investment", art("Art. 6(1)")),
                )),
                AllOf(id=f"{P}.route.senior_post", text=N_("Senior post (Art. 6(2))."), children=(
                    Criterion(f"{P}.route.senior_post.post", N_("Holds a post of deputy general "
                              "manager or associate professor or above at a qualifying employer."),
                              art("Art. 6(2)"), lambda ctx: pl.col("holds_senior_post")),
                    Criterion(f"{P}.route.senior_post.years", N_("Has held it for 4 consecutive "
                              "years."), art("Art. 6(2)"),
                              _years("years_in_senior_post", f"{P}.senior_post_years")),
                    Criterion(f"{P}.route.senior_post.residence", N_("Resided in China at least 3 "
                              "years in total in those 4 years."),
                              art("Art. 6(2)"), _years("years_actual_residence_in_china",
                                                        f"{P}.senior_post_residence_years")),
                    _tax(f"{P}.route.senior_post", art("Art. 6(2)")),
                )),
                Criterion(f"{P}.route.contribution", N_("Has made a significant and outstanding "
                          "contribution to China or is specially needed (Art. 6(3))."),
                          art("Art. 6(3)"),
                          lambda ctx: pl.col("significant_contribution")),
                AllOf(id=f"{P}.route.spouse", text=N_("Spouse of a Chinese citizen or permanent "
                      "resident (Art. 6(5))."),
                      children=(
                    Criterion(f"{P}.route.spouse.spouse", N_("Is the spouse of a Chinese citizen "
                              "or of a foreign permanent resident."),
                              art("Art. 6(5)"),
                              lambda ctx: pl.col("spouse_of_chinese_or_pr_holder")),
                    Criterion(f"{P}.route.spouse.marriage", N_("Has been married for at least 5 "
                              "years."), art("Art. 6(5)"),
                              _years("years_married", f"{P}.family_years")),
                    *_residence_routes(f"{P}.route.spouse", "Art. 6(5)"),
                )),
                AllOf(id=f"{P}.route.child", text=N_("Unmarried child under 18 joining parents "
                      "(Art. 6(6))."),
                      children=(
                    Criterion(f"{P}.route.child.age", N_("Is under 18."),
                              art("Art. 6(6)"), _child_age),
                    Criterion(f"{P}.route.child.unmarried", N_("Is unmarried."),
                              art("Art. 6(6)"), lambda ctx: pl.col("unmarried")),
                    Criterion(f"{P}.route.child.joining", N_("Joins a parent in China."),
                              art("Art. 6(6)"), lambda ctx: pl.col("joining_family_in_china")),
                )),
                AllOf(id=f"{P}.route.elderly", text=N_("Dependant aged 60 or over (Art. 6(7))."),
                      children=(
                    Criterion(f"{P}.route.elderly.age", N_("Is at least 60."),
                              art("Art. 6(7)"), _age_min(f"{P}.elderly_min_age")),
                    Criterion(f"{P}.route.elderly.no_relatives_abroad", N_("Has no direct "
                              "relatives abroad."), art("Art. 6(7)"),
                              lambda ctx: pl.col("no_direct_relatives_abroad")),
                    Criterion(f"{P}.route.elderly.joining", N_("Joins direct relatives in China."),
                              art("Art. 6(7)"),
                              lambda ctx: pl.col("joining_family_in_china")),
                    *_residence_routes(f"{P}.route.elderly", "Art. 6(7)"),
                )),
                AllOf(id=f"{P}.route.employment", text=N_("Salary and tax (nationwide from 1 Aug "
                      "2019)."), children=(
                    Criterion(f"{P}.route.employment.in_force", N_("The route applies on the "
                              "evaluation date (from 1 Aug 2019)."),
                              NIA_2019, lambda ctx: date_in(ctx, dt.date(2019, 8, 1))),
                    Criterion(f"{P}.route.employment.years", N_("Has worked in China for "
                              "{cn.permanent_residence.employment_years} consecutive years "
                              "(a record for each of the last "
                              "{cn.permanent_residence.employment_years} calendar years)."),
                              NIA_2019,
                              _each_year(None, _years("years_continuous_work_in_china",
                                                      f"{P}.employment_years"))),
                    Criterion(f"{P}.route.employment.months", N_("Lives in China at least "
                              "{cn.permanent_residence.employment_months_per_year} months "
                              "each of those years."),
                              NIA_2019,
                              _each_year("months", _years("months_in_china_per_year",
                                                          f"{P}.employment_months_per_year")),
                              missing=_each_year_missing("months")),
                    Criterion(f"{P}.route.employment.income", N_("Each year's salary is at least "
                              "{cn.permanent_residence.employment_income_multiple}× the "
                              "previous year's average wage of urban employees in that "
                              "city."), NIA_2019,
                              _each_year("income", _employment_income),
                              missing=_each_year_missing("income")),
                    Criterion(f"{P}.route.employment.tax", N_("Each year's income tax is at least "
                              "20% of that salary standard."),
                              NIA_2019, _each_year("tax", _employment_tax),
                              missing=_each_year_missing("tax")),
                )),
                _draft_route("renowned", N_("Doctorate or graduate of a renowned university, 3 "
                             "years' work and 1 year's residence (draft Art. 15(1))."),
                             (Criterion(f"{P}.route.draft_renowned.degree",
                                        N_("Holds a doctorate or graduated from an "
                                           "internationally renowned university."),
                                        DRAFT_2020,
                                        lambda ctx: pl.any_horizontal(
                                            degree_at_least("doctorate", ctx),
                                            pl.col("degree_institution_recognised")),
                                        status="draft"),)),
                _draft_route("key_industry", N_("3 years' work in a key industry or region, 1 "
                             "year's residence, wage ≥ 4× average (draft Art. 15(2))."),
                             (Criterion(f"{P}.route.draft_key_industry.sector", N_("Works in a key "
                                        "national industry or region."),
                                        DRAFT_2020, lambda ctx: pl.col("key_industry_or_region"),
                                        status="draft"),)),
                _draft_route("six_times", N_("4 years' work, 2 years' residence, wage ≥ 6× average "
                             "(draft Art. 15(3)).")),
                _draft_route("long_service", N_("8 years' work, 4 years' residence, wage ≥ 3× "
                             "average (draft Art. 15(4)).")),
            )),
        ),
    ),
    outputs=(
        Output(f"{P}.card_validity_years", N_("Card validity (10 years from 18, else 5)"),
               art("Art. 21",
               "https://www2.lvshuolvda.cn/flbk/863724.html"),
               lambda ctx: pl.when(pl.col("date_of_birth").is_null())
               .then(pl.lit(None, dtype=pl.Int64))
               .when(age_at_least(ctx, 18)).then(pl.lit(ctx[f"{P}.card_validity_adult_years"]))
               .otherwise(pl.lit(ctx[f"{P}.card_validity_minor_years"])), "years"),
    ),
)
