"""US employment-based green cards: EB-1A and EB-2 with a national interest waiver.

EB-1A (INA §203(b)(1)(A); 8 CFR 204.5(h)): a one-time major award or 3 of the
10 evidence criteria — necessary, not sufficient: USCIS then makes a final
merits determination of sustained acclaim (Kazarian two-step), so that finding
is its own fact.  EB-2 NIW (INA §203(b)(2)(B)(i); Matter of Dhanasar, 26 I&N
Dec. 884 (AAO 2016)): an advanced degree or exceptional ability, then the three
Dhanasar prongs.  Both allow self-petition: no job offer is asked for.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.helpers import NULL, at_least, count_at_least, degree_at_least
from kvisa.rules.model import AllOf, AnyOf, Citation, Context, Criterion, Programme

EB1A = Citation("8 CFR 204.5(h)(3); INA §203(b)(1)(A)", "one-time major award, or 3 of 10 "
                "criteria", "https://docsbay.net/h-aliens-with-extraordinary-ability",
                quote="A petition for an alien of extraordinary ability must be accompanied by "
                      "evidence that the alien has sustained national or international acclaim "
                      "and that his or her achievements have been recognized in the field of "
                      "expertise. Such evidence shall include evidence of a one-time achievement "
                      "(that is, a major, internationally recognized award), or at least three "
                      "of the following:")
KAZARIAN = Citation("Kazarian v. USCIS (9th Cir. 2010); USCIS policy memo of 22 Dec 2010",
                    "final merits determination",
                    "https://eb1agreencard.com/how-does-uscis-officer-evaluate-eb1a-case")
DHANASAR = Citation("Matter of Dhanasar, 26 I&N Dec. 884 (AAO 2016); INA §203(b)(2)(B)(i)",
                    "three-prong national interest waiver test",
                    "http://www.visalaw.com/news-from-the-courts-16/")
EB2 = Citation("INA §203(b)(2); 8 CFR 204.5(k)", "advanced degree or exceptional ability",
               "https://www.mhkimmigration.com/precedential-national-interest-waiver-decision-"
               "matter-of-dhanasar/")

G = "us.green_card"


def _eb1a_count(ctx: Context) -> pl.Expr:
    """Read from the O-1A count while the EB-1A count is not known: the EB-1A's ten kinds
    of evidence are the O-1A's eight and two for the arts, so it is between the O-1A count
    and two more (see the O-1A programme's evidence criterion)."""
    needed = ctx[f"{G}.eb1a_min_criteria"]
    if needed is None:
        return NULL
    return count_at_least("eb1a_criteria_met", needed, bounded_by="o1a_criteria_met",
                          below=0, above=2)


def _advanced_degree(ctx: Context) -> pl.Expr:
    years = ctx[f"{G}.eb2_equivalent_experience_years"]
    equivalent = (degree_at_least("bachelor", ctx) & at_least("years_work_experience", years)
                  if years is not None else NULL)
    return pl.any_horizontal(degree_at_least("master", ctx), equivalent,
                             pl.col("us_exceptional_ability"))


ORDER = 60
"""Where the programme comes in lists and comparisons."""

PROGRAMME = Programme(
    id=G,
    name=N_("US employment-based green card (EB-1A, EB-2 NIW)"),
    in_force_from=dt.date(1991, 10, 1),
    in_force_citation=Citation("Immigration Act of 1990", "employment-based preferences, "
                               "in force 1 Oct 1991 (date from memory)",
                               "https://www.everycrsreport.com/reports/R42048.html"),
    rule=AnyOf(
        id=f"{G}.route",
        children=(
            AllOf(id=f"{G}.route.eb1a", text=N_("EB-1A extraordinary ability."), children=(
                AnyOf(id=f"{G}.route.eb1a.evidence", text=N_("Initial evidence."), children=(
                    Criterion(f"{G}.route.eb1a.major_award", N_("Has a one-time major "
                              "internationally recognised award."),
                              EB1A, lambda ctx: pl.col("eb1a_major_award")),
                    Criterion(f"{G}.route.eb1a.three_criteria", N_("Meets at least 3 of the 10 "
                              "evidence criteria."), EB1A,
                              _eb1a_count),
                )),
                Criterion(f"{G}.route.eb1a.acclaim", N_("Final merits: sustained national or "
                          "international acclaim, at the very top of the field."), KAZARIAN,
                          lambda ctx: pl.col("eb1a_sustained_acclaim")),
            )),
            AllOf(id=f"{G}.route.eb2_niw", text=N_("EB-2 national interest waiver."), children=(
                Criterion(f"{G}.route.eb2_niw.eb2", N_("Holds an advanced degree (or a "
                          "bachelor's and 5 years' progressive experience) or has exceptional "
                          "ability."),
                          EB2, _advanced_degree),
                Criterion(f"{G}.route.eb2_niw.merit", N_("The endeavour has substantial merit "
                          "and national importance."),
                          DHANASAR, lambda ctx: pl.col("niw_merit_and_importance")),
                Criterion(f"{G}.route.eb2_niw.positioned", N_("Is well positioned to advance it."),
                          DHANASAR,
                          lambda ctx: pl.col("niw_well_positioned")),
                Criterion(f"{G}.route.eb2_niw.balance", N_("On balance, waiving the job offer "
                          "and labour certification benefits the US."), DHANASAR,
                          lambda ctx: pl.col("niw_waiver_beneficial")),
            )),
        ),
    ),
)
