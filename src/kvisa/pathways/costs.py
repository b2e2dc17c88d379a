"""Government fees, processing time, validity and odds of each route, from dated parameters.

Every amount comes from a parameter in force on the day the person would act
(the comparison date, or the next season's date for a programme that runs in
seasons), with the parameter's source and status, so a fee change is one
dated YAML entry and the comparison follows it.

Nothing is more certain than its source:
- a cost that depends on a fact the profile leaves blank is *conditional*
  (shown with the facts it depends on), never dropped;
- a route whose fee is not published says so (``amount`` is ``None``),
  never a blank that reads as "free";
- each figure carries the status of the value it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kvisa.rules.engine import ProgrammeAssessment
from kvisa.rules.parameters import all_parameters

# Nationals of these countries wait years under the per-country limit (INA §202(a)(2)):
# the two with EB-1/EB-2 final action dates behind the worldwide date in the
# bulletins the facts cite.
PER_COUNTRY_LIMITED = {"IND": "India", "CHN": "China"}


@dataclass
class Cost:
    item: str
    amount: Decimal | None       # None: the fee is not published
    currency: str
    payer: str
    source: str
    status: str = "in_force"
    optional: bool = False
    conditional: bool = False    # applies only if the facts in depends_on turn out so
    depends_on: list[str] = field(default_factory=list)
    key: str = ""                # stable id for programs; ``item`` is for people

    @property
    def published(self) -> bool:
        return self.amount is not None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "item": self.item,
                "amount": None if self.amount is None else str(self.amount),
                "currency": self.currency, "payer": self.payer, "source": self.source,
                "status": self.status, "optional": self.optional,
                "conditional": self.conditional, "depends_on": self.depends_on,
                "published": self.published}


def act_on(assessment: ProgrammeAssessment, on: dt.date) -> dt.date:
    """The day a person would act: the season's date where the programme has seasons."""
    season = assessment.season
    return dt.date.fromisoformat(season["act_on"]) if season else on


def _value(name: str, on: dt.date, overrides: dict[str, Any]) -> Any:
    if name in overrides:
        return overrides[name]
    current = all_parameters()[name].at(on)
    return None if current is None else current.value


def _status(name: str, on: dt.date, overrides: dict[str, Any]) -> str:
    if name in overrides:
        return "scenario"
    current = all_parameters()[name].at(on)
    return "in_force" if current is None else current.status


def _source(name: str, on: dt.date) -> str:
    current = all_parameters()[name].at(on)
    if current is None:
        return ""
    text = current.source.instrument
    return f"{text} ({current.source.url})" if current.source.url else text


def _cost(name: str, item: str, currency: str, payer: str, on: dt.date,
          overrides: dict[str, Any], *, optional: bool = False) -> Cost:
    """A fee from a parameter; a parameter with no value on ``on`` is "not published"."""
    amount = _value(name, on, overrides)
    return Cost(item, None if amount is None else Decimal(str(amount)), currency, payer,
                _source(name, on), _status(name, on, overrides), optional, key=name)


def _unpublished(key: str, item: str, payer: str, note: str) -> Cost:
    return Cost(item, None, "", payer, note, status="in_force", key=key)


def _fee_from_output(assessment: ProgrammeAssessment, output: str, parameter: str,
                     item: str, on: dt.date, overrides: dict[str, Any]) -> Cost | None:
    """A fee the rules decide per person: due, conditional on blank facts, or not due.

    The rule's output says whether it applies (its amount, 0, or unknown with the
    facts that would settle it); the amount shown is the parameter's, with its
    source and status.
    """
    value = assessment.outputs.get(output)
    depends_on = assessment.output_depends_on.get(output, [])
    amount = _value(parameter, on, overrides)
    if value is None and depends_on and amount:
        return Cost(item, Decimal(str(amount)), "USD", "employer",
                    _source(parameter, on), _status(parameter, on, overrides),
                    conditional=True, depends_on=list(depends_on), key=parameter)
    if value:
        return Cost(item, Decimal(str(int(value))), "USD", "employer", _source(parameter, on),
                    _status(parameter, on, overrides), key=parameter)
    return None


def _h1b_payment(assessment: ProgrammeAssessment, on: dt.date,
                 overrides: dict[str, Any]) -> Cost | None:
    """The Proclamation 10973 payment (new petition, beneficiary abroad)."""
    return _fee_from_output(assessment, "us.h1b.payment_usd", "us.h1b.entry_payment_usd",
                            "Proclamation 10973 payment", on, overrides)


def _pl_114_113_fee(assessment: ProgrammeAssessment, on: dt.date,
                    overrides: dict[str, Any]) -> Cost | None:
    """The Public Law 114-113 fee (50+ US employees, over half H-1B or L-1)."""
    return _fee_from_output(assessment, "us.h1b.pl_114_113_fee_usd", "us.h1b.pl_114_113_fee_usd",
                            "Public Law 114-113 fee (employers of 50+, over half H-1B or L-1)",
                            on, overrides)


def _final_step(facts: dict[str, Any], on: dt.date, overrides: dict[str, Any]) -> Cost:
    """Adjustment of status inside the US, or an immigrant visa abroad: one or the other.

    Where the person is is a fact; while it is blank the dearer of the two is
    shown as conditional on it (never both, which no one pays).
    """
    inside = _cost("us.green_card.i485_fee_usd",
                   "Form I-485 adjustment of status (inside the US)", "USD", "applicant", on,
                   overrides)
    abroad = _cost("us.green_card.immigrant_visa_fee_usd",
                   "Immigrant visa application (outside the US)", "USD", "applicant", on,
                   overrides)
    inside.key = abroad.key = "us.green_card.final_step"
    where = facts.get("outside_us")
    if where is True:
        return abroad
    if where is False:
        return inside
    dearer = max((inside, abroad), key=lambda c: c.amount or 0)
    other = abroad if dearer is inside else inside
    dearer.item = (f"{dearer.item}; or {other.item}: {other.amount} {other.currency}")
    dearer.conditional, dearer.depends_on = True, ["outside_us"]
    return dearer


def costs(programme: str, assessment: ProgrammeAssessment, on: dt.date,
          overrides: dict[str, Any], facts: dict[str, Any] | None = None) -> list[Cost]:
    """Fees for ``programme`` on the day the person would act."""
    when = act_on(assessment, on)
    found: list[Cost | None] = []
    if programme == "cn.k_visa":
        found.append(_unpublished("cn.k_visa.fee", "K visa fee", "applicant",
                                  "fee not published (set per nationality by the embassy)"))
    elif programme == "cn.work_permit":
        found.append(_unpublished("cn.work_permit.fee", "Work permit fee", "employer",
                                  "fee not published"))
    elif programme == "cn.permanent_residence":
        found.append(_unpublished("cn.permanent_residence.fee", "Permanent residence fee",
                                  "applicant", "fee not published"))
    elif programme == "cn.r_visa":
        found.append(_cost("cn.r_visa.visa_fee_cny", "R visa fee (applicant and family)", "CNY",
                           "applicant", when, overrides))
    elif programme == "us.h1b":
        employer = "employer"
        found += [
            _cost("us.h1b.registration_fee_usd", "H-1B registration", "USD", employer, when,
                  overrides),
            _cost("us.h1b.i129_fee_usd", "Form I-129 filing fee", "USD", employer, when,
                  overrides),
            _cost("us.h1b.asylum_program_fee_usd", "Asylum Program Fee", "USD", employer, when,
                  overrides),
            _cost("us.h1b.acwia_fee_usd", "ACWIA training fee", "USD", employer, when, overrides),
            _cost("us.h1b.fraud_fee_usd", "Fraud Prevention and Detection fee", "USD", employer,
                  when, overrides),
            _cost("us.h1b.premium_processing_fee_usd", "Premium processing (optional)", "USD",
                  employer, when, overrides, optional=True),
            _h1b_payment(assessment, when, overrides),
            _pl_114_113_fee(assessment, when, overrides),
        ]
    elif programme == "us.green_card":
        payer = "applicant (self-petition)"
        found += [
            _cost("us.green_card.i140_fee_usd", "Form I-140 filing fee", "USD", payer, when,
                  overrides),
            _cost("us.green_card.asylum_program_fee_usd", "Asylum Program Fee (I-140)", "USD",
                  payer, when, overrides),
            _final_step(facts or {}, when, overrides),
        ]
    return [c for c in found if c is not None]


def total(costs_: list[Cost]) -> dict[str, dict[str, Any]]:
    """Per currency: the sure total, and the most it can be once conditional costs apply."""
    sums: dict[str, dict[str, Any]] = {}
    for cost in costs_:
        if cost.optional or cost.amount is None:
            continue
        entry = sums.setdefault(cost.currency, {"certain": Decimal(0), "up_to": Decimal(0),
                                                "depends_on": []})
        entry["up_to"] += cost.amount
        if cost.conditional:
            entry["depends_on"] += [f for f in cost.depends_on if f not in entry["depends_on"]]
        else:
            entry["certain"] += cost.amount
    return sums


def processing_days(programme: str, assessment: ProgrammeAssessment, on: dt.date,
                    overrides: dict[str, Any]) -> dict[str, Any] | None:
    """Typical days from applying to the right to enter or work, with the figure's status.

    ``None`` where no figure is published (the page says "not published").
    """
    if programme == "cn.r_visa":
        name = "cn.r_visa.processing_days_max"
        top = _value(name, on, overrides)
        return None if top is None else {"min": 2, "max": int(top),
                                         "status": _status(name, on, overrides),
                                         "note": "working days"}
    if programme == "cn.permanent_residence":
        name = "cn.permanent_residence.processing_days_max"
        top = _value(name, on, overrides)
        return None if top is None else {
            "min": None, "max": int(top), "status": _status(name, on, overrides),
            "note": "time limit of the 2015 Shanghai measures; not a nationwide rule"}
    if programme == "us.h1b" and assessment.season:
        begins = dt.date.fromisoformat(assessment.season["dates"]["employment_start"])
        days = (begins - on).days
        return {"min": days, "max": days, "status": "in_force",
                "note": f"{assessment.season['label']}: employment from {begins.isoformat()}"}
    return None


def waiting_note(programme: str, facts: dict[str, Any], lang: str = "en") -> str | None:
    """Where the per-country limit (7%) decides the wait, say so; None elsewhere."""
    if programme != "us.green_card":
        return None
    zh = lang.startswith("zh")
    country = facts.get("nationality")
    if country in PER_COUNTRY_LIMITED:
        if zh:
            name = {"IND": "印度", "CHN": "中国"}[country]
            return (f"{name}公民需等待数年才能获得签证名额："
                    "每国限额为每年优先类签证的7%（INA §202(a)(2)）")
        return (f"nationals of {PER_COUNTRY_LIMITED[country]} wait years for a visa number: "
                "the per-country limit is 7% of the yearly preference visas (INA §202(a)(2))")
    if country is None:
        if zh:
            return "取决于国籍：每国限额（7%，INA §202(a)(2)）使印度和中国公民需等待数年"
        return ("depends on nationality: the per-country limit (7%, INA §202(a)(2)) means "
                "years of waiting for nationals of India and China")
    return None


def validity(programme: str, assessment: ProgrammeAssessment, on: dt.date,
             overrides: dict[str, Any], lang: str = "en") -> str | None:
    """How long the right lasts, in words (English or Chinese)."""
    zh = lang.startswith("zh")
    outputs = assessment.outputs

    def entries_text(entries: Any) -> str:
        if entries == 0:
            return "多次入境" if zh else "multiple entries"
        return f"{entries}次入境" if zh else f"{entries} entries"

    if programme == "cn.k_visa" and outputs.get("cn.k_visa.validity_years") is not None:
        years, stay = outputs["cn.k_visa.validity_years"], outputs["cn.k_visa.stay_days"]
        entries = entries_text(outputs["cn.k_visa.entries"])
        return (f"{years}年，{entries}，每次停留{stay}天" if zh
                else f"{years} years, {entries}, {stay} days per stay")
    if programme == "cn.r_visa" and outputs.get("cn.r_visa.validity_years") is not None:
        low = _value("cn.r_visa.validity_years_min", on, overrides)
        high, stay = outputs["cn.r_visa.validity_years"], outputs["cn.r_visa.stay_days"]
        return (f"{low}-{high}年，多次入境，每次停留{stay}天" if zh
                else f"{low}-{high} years, multiple entries, {stay} days per stay")
    if programme == "cn.permanent_residence":
        years = outputs.get("cn.permanent_residence.card_validity_years")
        if zh:
            return f"永久；证件有效期{years}年" if years else "永久"
        return f"permanent; card valid {years} years" if years else "permanent"
    if programme == "us.h1b":
        years = _value("us.h1b.period_years", act_on(assessment, on), overrides)
        if not years:
            return None
        return f"{years}年，可延至6年" if zh else f"{years} years, renewable to 6"
    if programme == "us.green_card":
        return "永久" if zh else "permanent"
    return None


def odds(programme: str, assessment: ProgrammeAssessment, on: dt.date,
         overrides: dict[str, Any]) -> dict[str, Any] | None:
    """The chance of selection where chance decides, with its season, basis and status."""
    if programme != "us.h1b":
        return None
    when = act_on(assessment, on)
    output = "us.h1b.selection_probability"
    probability = assessment.outputs.get(output)
    method = _value("us.h1b.selection_method", when, overrides)
    random_name = "us.h1b.random_selection_probability"
    current = all_parameters()[random_name].at(when)
    latest = f"{current.source.article}: {current.value:.1%}" if current else "none published"
    if method == "weighted":
        basis = ("weighted selection by wage level (DHS projection, 90 FR 60864); under the "
                 f"former random lottery, latest published rate ({latest})")
    else:
        basis = f"random selection, latest published rate ({latest}, USCIS)"
    season = assessment.season["label"] if assessment.season else None
    depends_on = assessment.output_depends_on.get(output, [])
    return {"probability": probability, "basis": basis, "season": season, "method": method,
            "status": assessment.output_status.get(output, "in_force"),
            "conditional": probability is None and bool(depends_on), "depends_on": depends_on}
