"""The H-1B's pathway facets: the employer's fees (with the Proclamation 10973
payment and the Public Law 114-113 fee where the rules say they are due), the
season's employment start, the period of stay and the odds of selection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules.facets import (
    Cost,
    Facets,
    ProgrammeAssessment,
    Route,
    act_on,
    cost,
    fee_from_output,
    value,
)
from kvisa.rules.parameters import all_parameters

ID = "us.h1b"
ROUTES = (Route(ID, None, N_("US H-1B"), "USA"),)


class H1B(Facets):
    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        employer = "employer"
        return [
            cost(f"{ID}.registration_fee_usd", N_("H-1B registration"), "USD", employer, on,
                 overrides),
            cost(f"{ID}.i129_fee_usd", N_("Form I-129 filing fee"), "USD", employer, on, overrides),
            cost(f"{ID}.asylum_program_fee_usd", N_("Asylum Program Fee"), "USD", employer, on,
                 overrides),
            cost(f"{ID}.acwia_fee_usd", N_("ACWIA training fee"), "USD", employer, on, overrides),
            cost(f"{ID}.fraud_fee_usd", N_("Fraud Prevention and Detection fee"), "USD", employer,
                 on, overrides),
            cost(f"{ID}.premium_processing_fee_usd", N_("Premium processing (optional)"), "USD",
                 employer, on, overrides, optional=True),
            # Proclamation 10973 (new petition, beneficiary abroad)
            fee_from_output(assessment, f"{ID}.payment_usd", f"{ID}.entry_payment_usd",
                            N_("Proclamation 10973 payment"), on, overrides),
            # Public Law 114-113 (50+ US employees, over half H-1B or L-1)
            fee_from_output(assessment, f"{ID}.pl_114_113_fee_usd", f"{ID}.pl_114_113_fee_usd",
                            N_("Public Law 114-113 fee (employers of 50+, over half H-1B or L-1)"),
                            on, overrides),
        ]

    def processing_days(self, assessment: ProgrammeAssessment, on: dt.date,
                        overrides: dict[str, Any]) -> dict[str, Any] | None:
        if not assessment.season:
            return None
        begins = dt.date.fromisoformat(assessment.season["dates"]["employment_start"])
        days = (begins - on).days
        return {"min": days, "max": days, "status": "in_force",
                "note": f"{assessment.season['label']}: employment from {begins.isoformat()}"}

    def validity(self, assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any], lang: str) -> str | None:
        years = value(f"{ID}.period_years", act_on(assessment, on), overrides)
        if not years:
            return None
        return translate(N_("{years} years, renewable to 6"), lang).format(years=years)

    def odds(self, assessment: ProgrammeAssessment, on: dt.date,
             overrides: dict[str, Any]) -> dict[str, Any] | None:
        when = act_on(assessment, on)
        output = f"{ID}.selection_probability"
        probability = assessment.outputs.get(output)
        method = value(f"{ID}.selection_method", when, overrides)
        current = all_parameters()[f"{ID}.random_selection_probability"].at(when)
        latest = (f"{current.source.article}: {current.value:.1%}" if current
                  else "none published")
        if method == "weighted":
            basis = ("weighted selection by wage level (DHS projection, 90 FR 60864); under "
                     f"the former random lottery, latest published rate ({latest})")
        else:
            basis = f"random selection, latest published rate ({latest}, USCIS)"
        season = assessment.season["label"] if assessment.season else None
        depends_on = assessment.output_depends_on.get(output, [])
        return {"probability": probability, "basis": basis, "season": season,
                "method": method, "status": assessment.output_status.get(output, "in_force"),
                "conditional": probability is None and bool(depends_on),
                "depends_on": depends_on}


FACETS = H1B()
