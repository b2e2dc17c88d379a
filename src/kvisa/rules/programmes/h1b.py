"""US H-1B specialty-occupation visa, cap-subject petitions.

Eligibility: a job offer in a specialty occupation and a bachelor's degree or
higher (INA §214(i)).  Outputs: which cap the beneficiary counts against,
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

from kvisa.rules.helpers import NULL, degree_at_least, lookup
from kvisa.rules.model import AllOf, Citation, Context, Criterion, Output, Programme, Season

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


def next_season(on: dt.date, lookup: Callable[[str, dt.date], Any]) -> Season | None:
    """The cap season a person can still enter on ``on``.

    Until registration closes, this year's season (evaluated on the day it
    opens, or today while it is open); after that, next year's.
    """
    opens, closes = lookup(f"{H}.registration_opens", on), lookup(f"{H}.registration_closes", on)
    filing, start = lookup(f"{H}.filing_opens", on), lookup(f"{H}.employment_start", on)
    if None in (opens, closes, filing, start):
        return None
    year = on.year if on <= dt.date(on.year, *closes) else on.year + 1
    registration = dt.date(year, *opens)
    dates = {"registration_opens": registration, "registration_closes": dt.date(year, *closes),
             "filing_opens": dt.date(year, *filing), "employment_start": dt.date(year, *start)}
    return Season(label=f"FY{year + 1} cap season", act_on=max(on, registration), dates=dates)


PROGRAMME = Programme(
    id=H,
    name="US H-1B specialty occupation (cap-subject)",
    name_zh="美国H-1B专业职业签证（限额内）",
    # Immigration Act of 1990 created H-1B; the rules modelled here (the 20,000
    # advanced-degree cap) date from the H-1B Visa Reform Act of 2004.
    in_force_from=dt.date(2004, 12, 8),
    in_force_citation=INA_214,
    rule=AllOf(
        id=f"{H}.conditions",
        children=(
            Criterion(f"{H}.job_offer", "Has a job offer from a US employer who will petition.",
                      "有美国雇主的工作邀约并由其提交申请。", INA_214,
                      lambda ctx: pl.col("us_job_offer")),
            Criterion(f"{H}.specialty_occupation", "The job is a specialty occupation.",
                      "该职位属于专业职业。", INA_214,
                      lambda ctx: pl.col("us_job_is_specialty_occupation")),
            Criterion(f"{H}.degree", "Holds a bachelor's degree or higher.",
                      "具有学士或以上学位。", INA_214, lambda ctx: degree_at_least("bachelor")),
        ),
    ),
    outputs=(
        Output(f"{H}.advanced_degree_cap", "Counts first against the 20,000 advanced-degree cap",
               "先计入2万个高学历名额", INA_214, lambda ctx: pl.col("us_advanced_degree"), "bool"),
        Output(f"{H}.payment_usd", "Proclamation payment (US$100,000) due with the petition",
               "公告规定的10万美元付款", PROCLAMATION, _payment, "USD"),
        Output(f"{H}.employer_fees_usd", "Registration and filing fees (employer of 26+)",
               "注册及申请费（26人以上雇主）", FEES,
               lambda ctx: pl.lit(standard_fees_usd(ctx), dtype=pl.Float64), "USD"),
        Output(f"{H}.selection_probability", "Chance of selection in the cap registration",
               "抽签中选概率", SELECTION, selection_probability, "probability"),
    ),
    season=next_season,
)
