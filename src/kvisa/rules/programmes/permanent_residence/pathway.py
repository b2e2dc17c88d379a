"""Chinese permanent residence's pathway facets: one route per category of the 2004
Measures (and, shown only when drafts are asked for, the 2020 draft's categories),
an unpublished fee, and the Shanghai measures' time limit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules.facets import Cost, Facets, ProgrammeAssessment, Route, days_up_to, unpublished

ID = "cn.permanent_residence"


def _route(code: str, name: str) -> Route:
    return Route(ID, f"{ID}.route.{code}", name, "CHN")


ROUTES = (
    _route("investment", N_("China permanent residence: investment")),
    _route("senior_post", N_("China permanent residence: senior post")),
    _route("contribution", N_("China permanent residence: contribution")),
    _route("employment", N_("China permanent residence: salary and tax")),
    _route("spouse", N_("China permanent residence: spouse")),
    _route("child", N_("China permanent residence: child")),
    _route("elderly", N_("China permanent residence: elderly dependant")),
    # 2020 draft regulations (Art. 15): never enacted; shown only when drafts are asked for
    _route("draft_renowned",
           N_("China permanent residence: renowned graduate (2020 draft, not law)")),
    _route("draft_key_industry",
           N_("China permanent residence: key industry (2020 draft, not law)")),
    _route("draft_six_times",
           N_("China permanent residence: 6× average wage (2020 draft, not law)")),
    _route("draft_long_service",
           N_("China permanent residence: long service (2020 draft, not law)")),
)


class PermanentResidence(Facets):
    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        return [unpublished(f"{ID}.fee", N_("Permanent residence fee"), "applicant",
                            "fee not published")]

    def processing_days(self, assessment: ProgrammeAssessment, on: dt.date,
                        overrides: dict[str, Any]) -> dict[str, Any] | None:
        return days_up_to(f"{ID}.processing_days_max", on, overrides, low=None,
                          note="time limit of the 2015 Shanghai measures; not a nationwide "
                               "rule")

    def validity(self, assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any], lang: str) -> str | None:
        years = assessment.outputs.get(f"{ID}.card_validity_years")
        if years:
            return translate(N_("permanent; card valid {years} years"), lang).format(years=years)
        return translate(N_("permanent"), lang)


FACETS = PermanentResidence()
