"""US H-1B specialty-occupation visa, cap-subject petitions.

Eligibility: a job offer in a specialty occupation and a bachelor's degree or
higher, or its equivalent in college study and specialised experience (INA
§214(i); 8 CFR 214.2(h)(4)(iii)).  Outputs: which cap the beneficiary counts against,
the US$100,000 payment of Proclamation 10973 where it applies, the employer's
filing fees, and the odds of selection in the cap registration.

The payment applies (USCIS guidance of 20 Oct 2025) to a *new* petition filed
from 21 Sep 2025 for a beneficiary **outside the US without a valid H-1B
visa**, to a petition asking for consular or port-of-entry notification or
pre-flight inspection, and when a change of status or extension inside the US
is denied; not to a granted change of status inside the US (e.g. F-1 → H-1B),
nor where a national-interest exception is granted.  Each trigger is a fact:
a blank one leaves the payment *unknown* (shown as conditional), never 0.

The programme runs in seasons: the odds, fees and payment are those of the
next registration a person can enter, not those in force on the query date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.helpers import NULL, degree_at_least, lookup
from kvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Context,
    Criterion,
    Output,
    Programme,
    Season,
)

INA_214 = Citation("Immigration and Nationality Act", "§214(i) specialty occupation; §214(g) "
                   "cap", "https://www.ey.com/en_ca/insights/law/mobility-alerts/2025/"
                   "uscis-reaches-fiscal-year-2026-h-1b-cap")
PROCLAMATION = Citation(
    "Presidential Proclamation 10973, Restriction on Entry of Certain Nonimmigrant Workers "
    "(19 Sep 2025), and USCIS guidance of 20 Oct 2025",
    "§1(a)-(b); payment for new petitions for beneficiaries outside the US",
    "https://chanderlaw.com/relief-for-companies-uscis-clarifies-h-1b-change-of-status-"
    "petitions-may-not-be-subject-to-100k-fee")
FEES = Citation("USCIS fee schedule in force from 1 Apr 2024 (89 FR 6194)", "Form I-129 H-1B "
                "and related fees", "https://cilawgroup.com/news/2024/02/13/april-1-2024-h-1b-"
                "filing-fee-increase-explanation-and-breakdown")
SELECTION = Citation("8 CFR 214.2(h)(8)(iii); DHS weighted selection final rule, 90 FR 60864 "
                     "(effective 27 Feb 2026)", "selection of registrations",
                     "https://frtracker.app/fr/2025-23853")

H = "us.h1b"


def payment_applies(ctx: Context) -> pl.Expr:
    """Whether the Proclamation 10973 payment applies (Kleene: null = a trigger is unknown).

    Without a valid H-1B visa and without a national-interest exception, any
    one trigger suffices: abroad, consular notification asked for, or a change
    of status denied.  Inside the US with every trigger false, it does not.
    """
    amount = ctx[f"{H}.entry_payment_usd"]
    if amount is None:
        return NULL
    trigger = (pl.col("outside_us") | pl.col("us_petition_requests_consular_notification")
               | pl.col("us_change_of_status_denied"))
    return (pl.lit(amount > 0) & ~pl.col("us_national_interest_exception")
            & ~pl.col("holds_valid_h1b_visa") & trigger)


def _payment(ctx: Context) -> pl.Expr:
    amount = ctx[f"{H}.entry_payment_usd"]
    applies = payment_applies(ctx)
    return (pl.when(applies.is_null()).then(pl.lit(None, dtype=pl.Float64))
            .when(applies).then(pl.lit(float(amount or 0))).otherwise(pl.lit(0.0)))


REGULATION = Citation("8 CFR 214.2(h)(4)(iii)(C)(4) and (D)(5)", "a specialty occupation "
                      "requires the degree or its equivalent: education, specialised training "
                      "and/or progressively responsible experience, three years for each "
                      "year of college lacking",
                      "https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-214/"
                      "section-214.2")
PL_114_113 = Citation("Consolidated Appropriations Act, 2016 (Public Law 114-113)",
                      "Div. O, §402(g): fee for petitioners with 50+ US employees, over half "
                      "in H-1B or L status", "https://www.congress.gov/bill/114th-congress/"
                      "house-bill/2029")


def _degree_equivalent(ctx: Context) -> pl.Expr:
    """A degree's equivalent (INA §214(i)(1)(B); 8 CFR 214.2(h)(4)(iii)(D)(5)).

    The missing years of college are made up by specialised experience, three
    years for each: no college at all needs twelve.  While the experience is
    blank, a person without a degree is *unknown*, never refused.
    """
    per_year = ctx[f"{H}.degree_equivalence_years_per_college_year"]
    college_years = ctx[f"{H}.bachelor_college_years"]
    if per_year is None or college_years is None:
        return NULL
    experience = pl.col("years_specialty_experience")
    studied = pl.col("years_college_completed").clip(0, float(college_years))
    without_college = experience >= float(per_year) * float(college_years)
    with_college = experience >= (float(college_years) - studied) * float(per_year)
    return pl.any_horizontal(without_college, with_college)


def _pl_114_113_fee(ctx: Context) -> pl.Expr:
    """US$4,000 when the employer has 50+ US employees and over half hold H-1B or L-1
    (both facts known true); 0 when either is false; unknown (conditional) otherwise."""
    amount = ctx[f"{H}.pl_114_113_fee_usd"]
    if amount is None:
        return pl.lit(None, dtype=pl.Float64)
    applies = pl.col("us_employer_50_plus_employees") & pl.col("us_employer_over_half_h1b_l1")
    return (pl.when(applies.is_null()).then(pl.lit(None, dtype=pl.Float64))
            .when(applies).then(pl.lit(float(amount))).otherwise(pl.lit(0.0)))


def standard_fees_usd(ctx: Context) -> float | None:
    """Registration + I-129 + Asylum Program + ACWIA + fraud fees (employer of 26+)."""
    names = ("registration_fee_usd", "i129_fee_usd", "asylum_program_fee_usd",
             "acwia_fee_usd", "fraud_fee_usd")
    values = [ctx[f"{H}.{name}"] for name in names]
    return None if any(v is None for v in values) else float(sum(values))


def selection_probability(ctx: Context) -> pl.Expr:
    """Odds of selection: the published random rate, or the weighted rate by wage level."""
    method = ctx[f"{H}.selection_method"]
    if method == "weighted":
        table = ctx[f"{H}.weighted_selection_probability"]
        return lookup(pl.col("us_offer_wage_level"),
                      {int(k): float(v) for k, v in table.items()}, pl.Float64())
    rate = ctx[f"{H}.random_selection_probability"]
    return pl.lit(None if rate is None else float(rate), dtype=pl.Float64)


def _period_of(year: int, lookup: Callable[[str, dt.date], Any]
               ) -> tuple[dt.date, dt.date, bool] | None:
    """(opens, closes, published) of the registration for employment from 1 Oct ``year``.

    Each season's dates are published by USCIS shortly before it; a season not
    yet published takes the last published season's month and day (marked as
    such), never another year's dates as if they were its own.
    """
    period = lookup(f"{H}.registration_period", dt.date(year, 12, 31))
    if not period:
        return None
    opens, closes = period
    if opens.year == year:
        return opens, closes, True
    try:
        return opens.replace(year=year), closes.replace(year=year), False
    except ValueError:  # 29 February in a pattern: the day before
        return (opens - dt.timedelta(days=1)).replace(year=year), closes.replace(year=year), \
            False


def next_season(on: dt.date, lookup: Callable[[str, dt.date], Any]) -> Season | None:
    """The cap season a person can still enter on ``on``.

    Until this year's registration closes, this year's season (evaluated on the
    day it opens, or today while it is open); after that, next year's.
    """
    filing, start = lookup(f"{H}.filing_opens", on), lookup(f"{H}.employment_start", on)
    this_year = _period_of(on.year, lookup)
    if None in (filing, start) or this_year is None:
        return None
    year = on.year if on <= this_year[1] else on.year + 1
    found = this_year if year == on.year else _period_of(year, lookup)
    if found is None:
        return None
    opens, closes, published = found
    dates = {"registration_opens": opens, "registration_closes": closes,
             "filing_opens": dt.date(year, *filing), "employment_start": dt.date(year, *start)}
    return Season(label=f"FY{year + 1} cap season", act_on=max(on, opens), dates=dates,
                  status="in_force" if published else "reported",
                  note="" if published else "registration dates not yet published: the "
                  "last published season's days are used", source=f"{H}.registration_period")


ORDER = 50
"""Where the programme comes in lists and comparisons."""

PROGRAMME = Programme(
    id=H,
    name=N_("US H-1B specialty occupation (cap-subject)"),
    # Immigration Act of 1990 created H-1B; the rules modelled here (the 20,000
    # advanced-degree cap) date from the H-1B Visa Reform Act of 2004.
    in_force_from=dt.date(2004, 12, 8),
    in_force_citation=INA_214,
    rule=AllOf(
        id=f"{H}.conditions",
        children=(
            Criterion(f"{H}.job_offer", N_("Has a job offer from a US employer who will petition."),
                      INA_214,
                      lambda ctx: pl.col("us_job_offer")),
            Criterion(f"{H}.specialty_occupation", N_("The job is a specialty occupation."),
                      INA_214,
                      lambda ctx: pl.col("us_job_is_specialty_occupation")),
            AnyOf(id=f"{H}.degree_or_equivalent",
                  text=N_("A bachelor's degree or higher, or its equivalent."),
                  children=(
                      Criterion(f"{H}.degree", N_("Holds a bachelor's degree or higher."), INA_214,
                                lambda ctx: degree_at_least("bachelor", ctx)),
                      Criterion(f"{H}.degree_equivalent", N_("Without a degree: college study and "
                                "specialised experience equal to one, "
                                "{us.h1b.degree_equivalence_years_per_college_year} years of "
                                "experience for each missing year of college."),
                                REGULATION, _degree_equivalent),
                  )),
        ),
    ),
    outputs=(
        Output(f"{H}.advanced_degree_cap",
               N_("Counts first against the 20,000 advanced-degree cap"),
               INA_214, lambda ctx: pl.col("us_advanced_degree"), "bool"),
        Output(f"{H}.payment_usd", N_("Proclamation payment (US$100,000) due with the petition"),
               PROCLAMATION, _payment, "USD"),
        Output(f"{H}.pl_114_113_fee_usd",
               N_("Public Law 114-113 fee (employers of 50+, over half H-1B or L-1)"),
               PL_114_113, _pl_114_113_fee, "USD"),
        Output(f"{H}.employer_fees_usd", N_("Registration and filing fees (employer of 26+)"), FEES,
               lambda ctx: pl.lit(standard_fees_usd(ctx), dtype=pl.Float64), "USD"),
        Output(f"{H}.selection_probability", N_("Chance of selection in the cap registration"),
               SELECTION, selection_probability, "probability"),
    ),
    season=next_season,
)
