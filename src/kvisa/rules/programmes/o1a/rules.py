"""US O-1A visa: individuals with extraordinary ability in the sciences, education,
business or athletics (INA §101(a)(15)(O)(i); 8 CFR 214.2(o)).

No cap, no lottery and no Proclamation 10973 payment: the route many H-1B
candidates now weigh.  8 CFR 214.2(o)(3)(iii): a major, internationally
recognised award, or at least three of eight kinds of evidence — necessary, not
sufficient, since USCIS then weighs the whole record for sustained national or
international acclaim at the very top of the field (8 CFR 214.2(o)(3)(ii);
USCIS Policy Manual vol. 2, part M, the same two steps as for the EB-1A), so
that finding is its own criterion.  The petition is filed by a US employer or
a US agent (8 CFR 214.2(o)(2)(i)): a person cannot petition for themselves.

Not modelled: the written advisory opinion of a peer group (8 CFR 214.2(o)(5)),
which the petition must include (or explain the absence of) but which is a
document, not a condition on the person.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.helpers import NULL, count_at_least
from kvisa.rules.model import AllOf, AnyOf, Citation, Context, Criterion, Output, Programme

ID = "us.o1a"
ECFR = "https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-214/section-214.2"
PETITIONER = Citation("8 CFR 214.2(o)(2)(i)",
                      "petition filed by a US employer or a US agent", f"{ECFR}#p-214.2(o)(2)(i)")
EVIDENCE = Citation("8 CFR 214.2(o)(3)(iii)",
                    "(A) a major, internationally recognized award, such as the Nobel Prize; "
                    "or (B) at least three of eight forms of documentation",
                    f"{ECFR}#p-214.2(o)(3)(iii)")
ACCLAIM = Citation("8 CFR 214.2(o)(3)(ii); USCIS Policy Manual vol. 2, part M",
                   "extraordinary ability: sustained national or international acclaim; one "
                   "of the small percentage who have arisen to the very top of the field",
                   "https://www.uscis.gov/policy-manual/volume-2-part-m")
VALIDITY = Citation("8 CFR 214.2(o)(6)(iii), (o)(12)(ii)",
                    "approved for up to 3 years; extended in increments of up to 1 year",
                    f"{ECFR}#p-214.2(o)(6)(iii)")
STATUTE = Citation("Immigration Act of 1990, §207 (INA §101(a)(15)(O))",
                   "O and P classifications, effective 1 Apr 1992 (date from memory)",
                   "https://www.govinfo.gov/content/pkg/STATUTE-104/pdf/STATUTE-104-Pg4978.pdf")


def _three_criteria(ctx: Context) -> pl.Expr:
    """The O-1A's eight kinds of evidence are the EB-1A's ten less the two for the arts
    (exhibitions, commercial success in the performing arts), so an EB-1A count n says
    the O-1A count is between n - 2 and n [kvisa's reading of 8 CFR 214.2(o)(3)(iii)(B)
    beside 8 CFR 204.5(h)(3)]."""
    needed = ctx[f"{ID}.min_criteria"]
    if needed is None:
        return NULL
    return count_at_least("o1a_criteria_met", needed, bounded_by="eb1a_criteria_met",
                          below=2, above=0)


ORDER = 55
"""Where the programme comes in lists and comparisons: after the H-1B it stands beside."""

PROGRAMME = Programme(
    id=ID,
    name=N_("US O-1A visa (extraordinary ability)"),
    in_force_from=dt.date(1992, 4, 1),
    in_force_citation=STATUTE,
    rule=AllOf(
        id=f"{ID}.conditions",
        children=(
            Criterion(f"{ID}.petitioner", N_("A US employer (or a US agent) will file the "
                      "petition: the O-1A cannot be self-petitioned."), PETITIONER,
                      lambda ctx: pl.col("us_job_offer")),
            AnyOf(id=f"{ID}.evidence", text=N_("Initial evidence."),
                  children=(
                Criterion(f"{ID}.major_award", N_("Has a major, internationally recognised award "
                          "(such as a Nobel Prize)."),
                          EVIDENCE, lambda ctx: pl.col("eb1a_major_award")),
                Criterion(f"{ID}.three_criteria", N_("Meets at least {us.o1a.min_criteria} of the "
                          "8 evidence criteria."),
                          EVIDENCE, _three_criteria),
            )),
            Criterion(f"{ID}.acclaim", N_("Final merits: sustained national or international "
                      "acclaim, among the small percentage at the very top of the field."), ACCLAIM,
                      lambda ctx: pl.col("eb1a_sustained_acclaim")),
        ),
    ),
    outputs=(
        Output(f"{ID}.initial_years", N_("Longest first approval"), VALIDITY,
               lambda ctx: pl.lit(ctx[f"{ID}.initial_years"]), "years"),
        Output(f"{ID}.extension_years", N_("Each extension, at most"), VALIDITY,
               lambda ctx: pl.lit(ctx[f"{ID}.extension_years"]), "years"),
    ),
)
