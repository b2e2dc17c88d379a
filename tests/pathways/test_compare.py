"""Pathways: profiles with known answers across every route."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kvisa.cli import app
from kvisa.pathways.compare import compare
from kvisa.rules import ProfileError

ENGINEER = {"date_of_birth": "1995-01-01", "highest_degree": "master", "degree_field": "0613",
            "degree_institution_recognised": True, "us_job_offer": True,
            "us_job_is_specialty_occupation": True, "us_offer_wage_level": 3,
            "us_advanced_degree": False, "outside_us": True, "holds_valid_h1b_visa": False,
            "us_national_interest_exception": False,
            # a small employer: the Public Law 114-113 fee does not apply
            "us_employer_50_plus_employees": False, "us_employer_over_half_h1b_l1": False}


def route(comparison, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in comparison.routes if r.route.key == key)


def _items(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.item: str(c.amount) for c in result.costs}


def _payment(result):  # type: ignore[no-untyped-def]
    return next((c for c in result.costs if "Proclamation 10973" in c.item), None)


def test_h1b_payment_applies_abroad_after_the_proclamation() -> None:
    after = route(compare(ENGINEER, on=dt.date(2025, 10, 1)), "us.h1b")
    assert after.verdict == "eligible"
    payment = _payment(after)
    assert payment and payment.amount == 100000 and not payment.conditional
    # during the FY2026 registration (March 2025) the proclamation did not exist yet
    before = route(compare(ENGINEER, on=dt.date(2025, 3, 10)), "us.h1b")
    assert _payment(before) is None


def test_no_payment_for_a_granted_change_of_status_inside_the_us() -> None:
    inside = route(compare({**ENGINEER, "outside_us": False,
                            "us_petition_requests_consular_notification": False,
                            "us_change_of_status_denied": False}, on=dt.date(2025, 10, 1)),
                   "us.h1b")
    assert _payment(inside) is None
    assert _items(inside)["Form I-129 filing fee"] == "780"
    assert all(c.payer == "employer" for c in inside.costs)


@pytest.mark.parametrize("blank", ["holds_valid_h1b_visa", "outside_us",
                                   "us_national_interest_exception"])
def test_a_blank_fact_makes_the_payment_conditional_never_absent(blank: str) -> None:
    profile = {k: v for k, v in ENGINEER.items() if k != blank}
    result = route(compare(profile, on=dt.date(2026, 1, 15)), "us.h1b")
    payment = _payment(result)
    assert payment is not None and payment.amount == 100000
    assert payment.conditional and blank in payment.depends_on
    assert blank in result.missing
    assert result.totals["USD"]["up_to"] - result.totals["USD"]["certain"] == 100000


def test_inside_the_us_with_the_other_triggers_blank_the_payment_is_conditional() -> None:
    result = route(compare({**ENGINEER, "outside_us": False}, on=dt.date(2026, 1, 15)),
                   "us.h1b")
    payment = _payment(result)
    assert payment and payment.conditional
    assert set(payment.depends_on) == {"us_petition_requests_consular_notification",
                                       "us_change_of_status_denied"}


def test_only_facts_that_can_change_the_payment_are_asked_for() -> None:
    # abroad and no H-1B visa: consular notification or a denied change of status
    # cannot make the payment any more due
    result = route(compare({k: v for k, v in ENGINEER.items()
                            if k != "us_national_interest_exception"},
                           on=dt.date(2026, 1, 15)), "us.h1b")
    assert _payment(result).depends_on == ["us_national_interest_exception"]  # type: ignore[union-attr]


def test_compare_table_and_json_show_the_conditional_payment(tmp_path: Path) -> None:
    profile = tmp_path / "abroad.json"
    profile.write_text(json.dumps({k: v for k, v in ENGINEER.items()
                                   if k != "holds_valid_h1b_visa"}))
    runner = CliRunner()
    text = runner.invoke(app, ["compare", str(profile), "--on", "2026-01-15"],
                         env={"COLUMNS": "100"})
    assert text.exit_code == 0, text.output
    flat = " ".join(text.output.split())
    assert "up to 103,595 USD — depends on: Holds a valid H-1B visa" in flat
    document = json.loads(runner.invoke(app, ["compare", str(profile), "--on", "2026-01-15",
                                              "--json"]).output)
    h1b = next(r for r in document["routes"] if r["programme"] == "us.h1b")
    payment = next(c for c in h1b["costs"] if "Proclamation" in c["item"])
    assert payment["conditional"] is True and payment["depends_on"] == ["holds_valid_h1b_visa"]
    assert "holds_valid_h1b_visa" in h1b["missing"]


def test_a_route_without_a_published_fee_says_so() -> None:
    k_visa = route(compare(ENGINEER, on=dt.date(2026, 1, 15)), "cn.k_visa")
    assert k_visa.costs and all(not c.published for c in k_visa.costs)
    assert k_visa.costs[0].as_dict()["amount"] is None


def test_k_visa_does_not_exist_before_1_october_2025() -> None:
    assert route(compare(ENGINEER, on=dt.date(2025, 9, 30)), "cn.k_visa").verdict == \
        "not_eligible"
    k_visa = route(compare(ENGINEER, on=dt.date(2025, 10, 1)), "cn.k_visa")
    assert k_visa.verdict == "eligible"
    assert k_visa.validity == "5 years, multiple entries, 180 days per stay"


def test_odds_are_those_of_the_season_the_person_can_enter() -> None:
    random = route(compare(ENGINEER, on=dt.date(2025, 3, 10)), "us.h1b").odds
    assert random and random["probability"] == pytest.approx(0.353)
    assert "random" in random["basis"] and random["season"] == "FY2026 cap season"
    # asked in January 2026, the next registration (March 2026) is weighted
    weighted = route(compare(ENGINEER, on=dt.date(2026, 1, 15)), "us.h1b").odds
    assert weighted and weighted["probability"] == pytest.approx(0.45)
    assert weighted["season"] == "FY2027 cap season" and weighted["status"] == "reported"
    assert route(compare(ENGINEER, on=dt.date(2026, 3, 1)), "cn.k_visa").odds is None


def test_h1b_time_to_start_follows_the_cap_season() -> None:
    days = route(compare(ENGINEER, on=dt.date(2026, 11, 26)), "us.h1b").processing_days
    assert days and days["min"] == days["max"] == (dt.date(2027, 10, 1)
                                                   - dt.date(2026, 11, 26)).days
    # during the registration window the season is this year's, starting 1 October
    during = route(compare(ENGINEER, on=dt.date(2026, 3, 10)), "us.h1b").processing_days
    assert during and during["max"] == (dt.date(2026, 10, 1) - dt.date(2026, 3, 10)).days


def test_changes_to_qualify_are_the_smallest_ones() -> None:
    profile = {"date_of_birth": "1985-01-01", "no_criminal_record": True, "good_health": True,
               "years_continuous_work_in_china": 2.5, "months_in_china_per_year": 7,
               "annual_salary_cny": 500000, "local_urban_average_income_cny": 100000,
               "annual_income_tax_cny": 100000, "highest_degree": "bachelor",
               "degree_field": "0311", "degree_institution_recognised": True,
               "teaching_or_research_at_recognised_institution": False}
    comparison = compare(profile, on=dt.date(2026, 6, 1))
    employment = route(comparison, "cn.permanent_residence.route.employment")
    needed = {c.fact: c.needed for c in employment.changes}
    assert needed == {"years_continuous_work_in_china": 4.0, "annual_salary_cny": 600000,
                      "annual_income_tax_cny": 120000}
    assert "1.5 more years" in employment.changes[0].text
    # an economics bachelor's as the highest degree does not refuse the K visa: the
    # profile does not say it is the only degree, so the comparison asks for the list
    k_visa = route(comparison, "cn.k_visa")
    assert k_visa.verdict == "undetermined" and "degrees" in k_visa.missing


def test_missing_facts_are_listed_for_undetermined_routes() -> None:
    eb2 = route(compare({"highest_degree": "doctorate"}, on=dt.date(2026, 1, 1)),
                "us.green_card.route.eb2_niw")
    assert eb2.verdict == "undetermined"
    assert {"niw_merit_and_importance", "niw_well_positioned"} <= set(eb2.missing)


def test_draft_routes_only_when_asked() -> None:
    keys = {r.route.key for r in compare({}, on=dt.date(2026, 1, 1)).routes}
    assert "cn.permanent_residence.route.contribution" in keys
    assert len(keys) == 14  # 10 Chinese routes without the drafts, 4 US


def test_bad_profile_names_the_field() -> None:
    with pytest.raises(ProfileError, match="outside_us"):
        compare({"outside_us": "yes"})


def test_cli_json_shape_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(ENGINEER))
    result = runner.invoke(app, ["compare", str(profile), "--on", "2026-03-01", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["as_of"] == "2026-03-01"
    first = document["routes"][0]
    assert {"programme", "route", "verdict", "missing", "changes_to_qualify", "costs",
            "processing_days", "validity", "odds"} <= set(first)
    h1b = next(r for r in document["routes"] if r["programme"] == "us.h1b")
    assert {"item", "amount", "currency", "payer", "source"} <= set(h1b["costs"][0])
    assert h1b["odds"]["probability"] == pytest.approx(0.45)
    table = runner.invoke(app, ["compare", str(profile), "--on", "2026-03-01"])
    assert table.exit_code == 0 and "US H-1B" in table.stdout
    profile.write_text('{"outside_us": "yes"}')
    bad = runner.invoke(app, ["compare", str(profile)])
    assert bad.exit_code == 2 and "outside_us" in bad.stderr


def test_the_public_law_114_113_fee_is_conditional_while_the_employer_is_unknown() -> None:
    profile = {k: v for k, v in ENGINEER.items() if not k.startswith("us_employer_")}
    result = route(compare(profile, on=dt.date(2026, 1, 15)), "us.h1b")
    fee = next(c for c in result.costs if c.key == "us.h1b.pl_114_113_fee_usd")
    assert fee.amount == 4000 and fee.conditional
    assert set(fee.depends_on) == {"us_employer_50_plus_employees",
                                   "us_employer_over_half_h1b_l1"}
    due = route(compare({**ENGINEER, "us_employer_50_plus_employees": True,
                         "us_employer_over_half_h1b_l1": True}, on=dt.date(2026, 1, 15)),
                "us.h1b")
    assert due.totals["USD"]["certain"] == result.totals["USD"]["certain"] + 4000


def test_check_and_compare_word_an_open_amount_alike(tmp_path: Path) -> None:
    """`check` prints an open payment as `compare` prints an open total: "up to … —
    depends on: …", never a bare "?"."""
    profile = tmp_path / "abroad.json"
    profile.write_text(json.dumps({k: v for k, v in ENGINEER.items()
                                   if k != "holds_valid_h1b_visa"}))
    text = CliRunner().invoke(app, ["check", str(profile), "--on", "2026-01-15", "-p",
                                    "us.h1b"], env={"COLUMNS": "120"})
    flat = " ".join(text.output.split())
    assert ("Proclamation payment (US$100,000) due with the petition: up to 100,000 USD — "
            "depends on: Holds a valid H-1B visa") in flat
    assert "payment_usd: ?" not in flat
