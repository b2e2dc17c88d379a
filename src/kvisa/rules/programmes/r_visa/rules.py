"""China R visa for high-level foreign talent and urgently needed specialists.

Regulations on the Administration of the Entry and Exit of Foreigners (2013),
Art. 6; since 1 Jan 2018 applicants must meet the category A (high-end talent)
standard of the work-permit classification, so this programme reuses that
expression rather than restating it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.model import AllOf, Citation, Criterion, Output, Programme
from kvisa.rules.programmes.work_permit.rules import category_a_expr

REGULATIONS = Citation(
    instrument=N_("Regulations on the Administration of the Entry and Exit of Foreigners "
                  "(State Council Order No. 637)"),
    article=N_("Art. 6: R visa for high-level foreign talent and urgently needed specialists"),
    url="https://gwgpac.org/page91?article_id=3496&pagenum=1",
    note="in force 1 Sep 2013 (date from memory)",
)
FACILITATION = Citation(
    instrument=N_("R visa facilitation for foreign high-end talent (from 1 Jan 2018)"),
    article=N_("applicants must meet category A of the Classification Standards (Trial)"),
    url="https://www.teamrelocations.com/immigration/china/visa-rules-eased-for-top-talent",
)

ORDER = 20
"""Where the programme comes in lists and comparisons."""

PROGRAMME = Programme(
    id="cn.r_visa",
    name=N_("China R visa (high-level foreign talent)"),
    # The visa exists since 2013; the conditions modelled here are the 2018 ones.
    in_force_from=dt.date(2018, 1, 1),
    in_force_citation=FACILITATION,
    rule=AllOf(
        id="cn.r_visa.conditions",
        children=(
            Criterion("cn.r_visa.category_a",
                      N_("Is high-level talent: meets the category A (high-end talent) standard."),
                      FACILITATION, category_a_expr),
            Criterion("cn.r_visa.no_criminal_record", N_("Has no criminal record."),
                      FACILITATION, lambda ctx: pl.col("no_criminal_record")),
        ),
    ),
    outputs=(
        Output("cn.r_visa.validity_years", N_("Longest validity (multiple entries)"), FACILITATION,
               lambda ctx: pl.lit(ctx["cn.r_visa.validity_years_max"]), "years"),
        Output("cn.r_visa.stay_days", N_("Stay per entry"), FACILITATION,
               lambda ctx: pl.lit(ctx["cn.r_visa.stay_days"]), "days"),
        Output("cn.r_visa.fee_cny", N_("Visa fee"), FACILITATION,
               lambda ctx: pl.lit(ctx["cn.r_visa.visa_fee_cny"]), "CNY"),
    ),
)
