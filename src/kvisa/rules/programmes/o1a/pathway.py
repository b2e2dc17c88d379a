"""The O-1A's pathway facets: the employer's fees (no registration, no lottery, no
Proclamation 10973 payment), premium processing's 15 business days, and the
validity of a first approval with its one-year extensions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules.facets import Cost, Facets, ProgrammeAssessment, Route, cost, days_up_to

ID = "us.o1a"
ROUTES = (Route(ID, None, N_("US O-1A visa"), "USA"),)


class O1A(Facets):
    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        employer = "employer"
        return [
            cost(f"{ID}.i129_fee_usd", N_("Form I-129 filing fee (O petition)"), "USD", employer,
                 on, overrides),
            cost(f"{ID}.asylum_program_fee_usd", N_("Asylum Program Fee"), "USD", employer, on,
                 overrides),
            cost(f"{ID}.premium_processing_fee_usd", N_("Premium processing (optional)"), "USD",
                 employer, on, overrides, optional=True),
        ]

    def processing_days(self, assessment: ProgrammeAssessment, on: dt.date,
                        overrides: dict[str, Any]) -> dict[str, Any] | None:
        return days_up_to(f"{ID}.premium_processing_days", on, overrides, low=None,
                          note="business days, with premium processing; without it USCIS "
                               "publishes no time limit")

    def validity(self, assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any], lang: str) -> str | None:
        outputs = assessment.outputs
        if outputs.get(f"{ID}.initial_years") is None:
            return None
        return translate(N_("up to {years} years, extended {step} year at a time"),
                         lang).format(years=outputs[f"{ID}.initial_years"],
                                      step=outputs[f"{ID}.extension_years"])


FACETS = O1A()
