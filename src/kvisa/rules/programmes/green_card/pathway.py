"""The US green cards' pathway facets: the I-140 and the final step (adjustment
inside the US or an immigrant visa abroad), and the per-country limit that makes
nationals of India and China wait years."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import translate
from kvisa.rules.facets import Cost, Facets, ProgrammeAssessment, Route, cost

ID = "us.green_card"
ROUTES = (
    Route(ID, f"{ID}.route.eb1a", N_("US green card: EB-1A"), "USA"),
    Route(ID, f"{ID}.route.eb2_niw", N_("US green card: EB-2 NIW"), "USA"),
)

# Nationals of these countries wait years under the per-country limit (INA §202(a)(2)):
# the two with EB-1/EB-2 final action dates behind the worldwide date in the
# bulletins the facts cite.
PER_COUNTRY_LIMITED = {"IND": N_("India"), "CHN": N_("China")}


def _final_step(facts: dict[str, Any], on: dt.date, overrides: dict[str, Any]) -> Cost:
    """Adjustment of status inside the US, or an immigrant visa abroad: one or the other.

    Where the person is is a fact; while it is blank the dearer of the two is
    shown as conditional on it (never both, which no one pays).
    """
    inside = cost(f"{ID}.i485_fee_usd", N_("Form I-485 adjustment of status (inside the US)"),
                  "USD", "applicant", on, overrides)
    abroad = cost(f"{ID}.immigrant_visa_fee_usd", N_("Immigrant visa application (outside the US)"),
                  "USD", "applicant", on, overrides)
    inside.key = abroad.key = f"{ID}.final_step"
    where = facts.get("outside_us")
    if where is True:
        return abroad
    if where is False:
        return inside
    dearer = max((inside, abroad), key=lambda c: c.amount or 0)
    other = abroad if dearer is inside else inside
    dearer.or_else = (other.item, other.amount, other.currency)
    dearer.conditional, dearer.depends_on = True, ["outside_us"]
    return dearer


class GreenCard(Facets):
    def costs(self, assessment: ProgrammeAssessment, on: dt.date,
              overrides: dict[str, Any], facts: dict[str, Any]) -> list[Cost | None]:
        payer = "applicant (self-petition)"
        return [
            cost(f"{ID}.i140_fee_usd", N_("Form I-140 filing fee"), "USD", payer, on, overrides),
            cost(f"{ID}.asylum_program_fee_usd", N_("Asylum Program Fee (I-140)"), "USD", payer, on,
                 overrides),
            _final_step(facts, on, overrides),
        ]

    def validity(self, assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any], lang: str) -> str | None:
        return translate(N_("permanent"), lang)

    def waiting_note(self, facts: dict[str, Any], lang: str) -> str | None:
        country = facts.get("nationality")
        if country in PER_COUNTRY_LIMITED:
            return translate(N_("nationals of {country} wait years for a visa number: the "
                                "per-country limit is 7 percent of the yearly preference "
                                "visas (INA §202(a)(2))"), lang).format(
                country=translate(PER_COUNTRY_LIMITED[country], lang))
        if country is None:
            return translate(N_("depends on nationality: the per-country limit (7 percent, "
                                "INA §202(a)(2)) means years of waiting for nationals of India "
                                "and China"), lang)
        return None


FACETS = GreenCard()
