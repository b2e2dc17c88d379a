"""Government fees, processing time, validity and odds of each route, from dated parameters.

Every amount comes from a parameter in force on the comparison date, with the
parameter's source, so a fee change is one dated YAML entry and the comparison
follows it.  Where the sources give no figure (K visa fees by nationality,
K visa processing time) nothing is invented: the item is absent or null.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kvisa.rules.engine import ProgrammeAssessment
from kvisa.rules.parameters import all_parameters


@dataclass
class Cost:
    item: str
    amount: Decimal
    currency: str
    payer: str
    source: str
    optional: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item, "amount": str(self.amount), "currency": self.currency,
                "payer": self.payer, "source": self.source, "optional": self.optional}


def _value(name: str, on: dt.date, overrides: dict[str, Any]) -> Any:
    if name in overrides:
        return overrides[name]
    current = all_parameters()[name].at(on)
    return None if current is None else current.value


def _source(name: str, on: dt.date) -> str:
    current = all_parameters()[name].at(on)
    if current is None:
        return ""
    text = current.source.instrument
    return f"{text} ({current.source.url})" if current.source.url else text


def _cost(name: str, item: str, currency: str, payer: str, on: dt.date,
          overrides: dict[str, Any], *, optional: bool = False) -> Cost | None:
    amount = _value(name, on, overrides)
    if amount is None:
        return None
    return Cost(item, Decimal(str(amount)), currency, payer, _source(name, on), optional)


def costs(programme: str, assessment: ProgrammeAssessment, on: dt.date,
          overrides: dict[str, Any]) -> list[Cost]:
    """Fees for ``programme``; the H-1B payment only where the rules say it applies."""
    found: list[Cost | None] = []
    if programme == "cn.r_visa":
        found.append(_cost("cn.r_visa.visa_fee_cny", "R visa fee (applicant and family)", "CNY",
                           "applicant", on, overrides))
    elif programme == "us.h1b":
        employer = "employer"
        found += [
            _cost("us.h1b.registration_fee_usd", "H-1B registration", "USD", employer, on,
                  overrides),
            _cost("us.h1b.i129_fee_usd", "Form I-129 filing fee", "USD", employer, on, overrides),
            _cost("us.h1b.asylum_program_fee_usd", "Asylum Program Fee", "USD", employer, on,
                  overrides),
            _cost("us.h1b.acwia_fee_usd", "ACWIA training fee", "USD", employer, on, overrides),
            _cost("us.h1b.fraud_fee_usd", "Fraud Prevention and Detection fee", "USD", employer,
                  on, overrides),
            _cost("us.h1b.premium_processing_fee_usd", "Premium processing (optional)", "USD",
                  employer, on, overrides, optional=True),
        ]
        payment = assessment.outputs.get("us.h1b.payment_usd")
        if payment:
            found.append(Cost("Proclamation 10973 payment (new petition, beneficiary abroad)",
                              Decimal(str(int(payment))), "USD", employer,
                              _source("us.h1b.entry_payment_usd", on)))
    elif programme == "us.green_card":
        found.append(_cost("us.green_card.i140_fee_usd", "Form I-140 filing fee", "USD",
                           "applicant (self-petition)", on, overrides))
    return [c for c in found if c is not None]


def processing_days(programme: str, on: dt.date, overrides: dict[str, Any]
                    ) -> dict[str, int | None] | None:
    """Typical days from applying to the right to enter or work; None where unpublished."""
    if programme == "cn.r_visa":
        top = _value("cn.r_visa.processing_days_max", on, overrides)
        return {"min": 2, "max": int(top)} if top is not None else None
    if programme == "cn.permanent_residence":
        top = _value("cn.permanent_residence.processing_days_max", on, overrides)
        return {"min": None, "max": int(top)} if top is not None else None
    if programme == "us.h1b":
        opens = _value("us.h1b.registration_opens", on, overrides)
        start = _value("us.h1b.employment_start", on, overrides)
        if opens is None or start is None:
            return None
        registration = dt.date(on.year, *opens)
        if registration < on:
            registration = dt.date(on.year + 1, *opens)
        begins = dt.date(registration.year, *start)
        return {"min": (begins - on).days, "max": (begins - on).days}
    return None


def validity(programme: str, assessment: ProgrammeAssessment, on: dt.date,
             overrides: dict[str, Any]) -> str | None:
    outputs = assessment.outputs
    if programme == "cn.k_visa" and outputs.get("cn.k_visa.validity_years") is not None:
        entries = outputs["cn.k_visa.entries"]
        return (f"{outputs['cn.k_visa.validity_years']} years, "
                f"{'multiple' if entries == 0 else entries} entries, "
                f"{outputs['cn.k_visa.stay_days']} days per stay")
    if programme == "cn.r_visa" and outputs.get("cn.r_visa.validity_years") is not None:
        low = _value("cn.r_visa.validity_years_min", on, overrides)
        return (f"{low}-{outputs['cn.r_visa.validity_years']} years, multiple entries, "
                f"{outputs['cn.r_visa.stay_days']} days per stay")
    if programme == "cn.permanent_residence":
        years = outputs.get("cn.permanent_residence.card_validity_years")
        return f"permanent; card valid {years} years" if years else "permanent"
    if programme == "us.h1b":
        years = _value("us.h1b.period_years", on, overrides)
        return f"{years} years, renewable to 6" if years else None
    if programme == "us.green_card":
        return "permanent"
    return None


def odds(programme: str, assessment: ProgrammeAssessment, on: dt.date,
         overrides: dict[str, Any]) -> dict[str, Any] | None:
    if programme != "us.h1b":
        return None
    probability = assessment.outputs.get("us.h1b.selection_probability")
    method = _value("us.h1b.selection_method", on, overrides)
    if method == "weighted":
        random_rate = _value("us.h1b.random_selection_probability", on, overrides)
        basis = ("weighted selection by wage level (DHS projection, 90 FR 60864); "
                 f"under the former random lottery: {random_rate}")
    else:
        basis = "random selection, FY2026 rate of unique beneficiaries selected (USCIS)"
    if probability is None:
        basis += "; give the offered wage level (1-4) to compute it"
    return {"probability": probability, "basis": basis}
