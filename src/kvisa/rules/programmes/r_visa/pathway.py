"""The R visa's pathway facets: its fee, processing time and validity, all from
dated parameters and the rules' outputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules.facets import Cost, Facets, ProgrammeAssessment, Route, cost, days_up_to, value

ID = "cn.r_visa"
ROUTES = (Route(ID, None, N_("China R visa"), "CHN"),)


class RVisa(Facets):
    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        return [cost(f"{ID}.visa_fee_cny", N_("R visa fee (applicant and family)"), "CNY",
                     "applicant", on, overrides)]

    def processing_days(self, assessment: ProgrammeAssessment, on: dt.date,
                        overrides: dict[str, Any]) -> dict[str, Any] | None:
        return days_up_to(f"{ID}.processing_days_max", on, overrides, low=2,
                          note="working days")

    def validity(self, assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any], lang: str) -> str | None:
        outputs = assessment.outputs
        if outputs.get(f"{ID}.validity_years") is None:
            return None
        return translate(N_("{low}-{high} years, multiple entries, {stay} days per stay"),
                         lang).format(low=value(f"{ID}.validity_years_min", on, overrides),
                                      high=outputs[f"{ID}.validity_years"],
                                      stay=outputs[f"{ID}.stay_days"])


FACETS = RVisa()
