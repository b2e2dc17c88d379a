"""China K visa for young foreign science and technology talent.

Order No. 814 (Art. 6(6), Art. 7(6) of the amended Regulations) creates the
visa and leaves its conditions to the competent authorities; the four-ministry
Q&A of 14 Aug 2025 gives them: a STEM bachelor's degree or above from a
well-known university or research institution, OR teaching/research at one;
and an age condition whose numbers are authority-set (see the parameters).
No employer or inviting entity is required, so no criterion asks for one.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.helpers import (
    NULL,
    RANK,
    age_at_least,
    age_at_most,
    any_degree,
    degree_at_least,
    starts_with_one_of,
)
from kvisa.rules.model import AllOf, AnyOf, Citation, Context, Criterion, Output, Programme

ORDER_814 = Citation(
    instrument=N_("State Council Order No. 814 (Decision amending the Regulations on the "
                  "Administration of the Entry and Exit of Foreigners)"),
    article=N_("Art. 6(6), Art. 7(6); in force 1 Oct 2025"),
    url="https://gwgpac.org/page91?article_id=3496&pagenum=1",
)
QA = Citation(
    instrument=N_("MOJ, MFA, MPS and NIA Q&A on the K visa (14 Aug 2025)"),
    article=N_("eligibility: 学士学位及以上 STEM graduates of well-known institutions, or "
               "teaching/research there; requirements only on age and education or work"),
    url="http://www.gdmsci.cn/article/cwSQ4VCypk0e.html",
)


def _stem(ctx: Context) -> pl.Expr:
    """Some degree at the minimum level or above is in a STEM field."""
    fields, level = ctx["cn.k_visa.stem_isced_broad_fields"], ctx["cn.k_visa.min_degree"]
    if fields is None or level is None:
        return NULL
    stem = [str(f) for f in fields]
    return any_degree(ctx, lambda rank, field, _recognised: (rank >= RANK[level])
                      & starts_with_one_of(field, stem), min_level=level)


def _recognised_stem(ctx: Context) -> pl.Expr:
    """That STEM degree (or another one at the level) is from a well-known institution."""
    fields, level = ctx["cn.k_visa.stem_isced_broad_fields"], ctx["cn.k_visa.min_degree"]
    if fields is None or level is None:
        return NULL
    stem = [str(f) for f in fields]
    return any_degree(ctx, lambda rank, field, recognised: (rank >= RANK[level])
                      & starts_with_one_of(field, stem) & recognised, min_level=level)


def _min_degree(ctx: Context) -> pl.Expr:
    level = ctx["cn.k_visa.min_degree"]
    return degree_at_least(level, ctx) if level else NULL


def _age_min(ctx: Context) -> pl.Expr:
    years = ctx["cn.k_visa.min_age"]
    return age_at_least(ctx, years) if years is not None else NULL


def _age_max(ctx: Context) -> pl.Expr:
    years = ctx["cn.k_visa.max_age"]
    return age_at_most(ctx, years) if years is not None else NULL


ORDER = 10
"""Where the programme comes in lists and comparisons."""

PROGRAMME = Programme(
    id="cn.k_visa",
    name=N_("China K visa (young foreign science and technology talent)"),
    in_force_from=dt.date(2025, 10, 1),
    in_force_citation=ORDER_814,
    rule=AllOf(
        id="cn.k_visa.conditions",
        children=(
            Criterion("cn.k_visa.age_min", N_("Aged {cn.k_visa.min_age} or over on the day of "
                      "application."), QA, _age_min,
                      status="reported"),
            Criterion("cn.k_visa.age_max", N_("Aged {cn.k_visa.max_age} or under on the day of "
                      "application (\"young\" talent)."), QA, _age_max,
                      status="reported"),
            AnyOf(
                id="cn.k_visa.route",
                text=N_("Education or work: one of the two routes."),
                children=(
                    AllOf(
                        id="cn.k_visa.route.graduate",
                        text=N_("STEM graduate of a well-known university or research "
                                "institution."),
                        children=(
                            Criterion("cn.k_visa.degree_level",
                                      N_("Holds a {cn.k_visa.min_degree}'s degree or above."),
                                      QA, _min_degree),
                            Criterion("cn.k_visa.stem_field",
                                      N_("A degree at that level is in science, technology, "
                                      "engineering or mathematics (ISCED-F broad fields "
                                      "{cn.k_visa.stem_isced_broad_fields})."), QA, _stem),
                            Criterion("cn.k_visa.recognised_institution",
                                      N_("That STEM degree is from a well-known university or "
                                      "research institution in China or abroad."), QA,
                                      _recognised_stem),
                        ),
                    ),
                    Criterion("cn.k_visa.teaching_or_research",
                              N_("Engaged in STEM teaching or research at a well-known university "
                              "or research institution."), QA,
                              lambda ctx: pl.col(
                                  "teaching_or_research_at_recognised_institution")),
                ),
            ),
        ),
    ),
    outputs=(
        Output("cn.k_visa.validity_years", N_("Visa validity"), QA,
               lambda ctx: pl.lit(ctx["cn.k_visa.validity_years"]), "years"),
        Output("cn.k_visa.entries", N_("Entries (0 = multiple)"), QA,
               lambda ctx: pl.lit(ctx["cn.k_visa.entries"]), "entries"),
        Output("cn.k_visa.stay_days", N_("Stay per entry"), QA,
               lambda ctx: pl.lit(ctx["cn.k_visa.stay_days"]), "days"),
    ),
)
