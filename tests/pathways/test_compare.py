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
            "us_advanced_degree": False, "outside_us": True, "holds_valid_h1b_visa": False}


def route(comparison, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in comparison.routes if r.route.key == key)


def _items(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.item: str(c.amount) for c in result.costs}


def test_h1b_payment_applies_abroad_after_the_proclamation() -> None:
    after = route(compare(ENGINEER, on=dt.date(2025, 10, 1)), "us.h1b")
    assert after.verdict == "eligible"
    assert any("Proclamation 10973" in item for item in _items(after))
    before = route(compare(ENGINEER, on=dt.date(2025, 9, 20)), "us.h1b")
    assert not any("Proclamation 10973" in item for item in _items(before))


def test_no_payment_for_a_change_of_status_inside_the_us() -> None:
    inside = route(compare({**ENGINEER, "outside_us": False}, on=dt.date(2025, 10, 1)),
                   "us.h1b")
    assert not any("Proclamation" in item for item in _items(inside))
    assert _items(inside)["Form I-129 filing fee"] == "780"
    assert all(c.payer == "employer" for c in inside.costs)


def test_k_visa_does_not_exist_before_1_october_2025() -> None:
    assert route(compare(ENGINEER, on=dt.date(2025, 9, 30)), "cn.k_visa").verdict == \
        "not_eligible"
    k_visa = route(compare(ENGINEER, on=dt.date(2025, 10, 1)), "cn.k_visa")
    assert k_visa.verdict == "eligible"
    assert k_visa.validity == "5 years, multiple entries, 180 days per stay"


def test_odds_under_random_and_weighted_selection() -> None:
    random = route(compare(ENGINEER, on=dt.date(2026, 1, 1)), "us.h1b").odds
    assert random and random["probability"] == pytest.approx(0.353)
    assert "random" in random["basis"]
    weighted = route(compare(ENGINEER, on=dt.date(2026, 3, 1)), "us.h1b").odds
    assert weighted and weighted["probability"] == pytest.approx(0.45)
    assert route(compare(ENGINEER, on=dt.date(2026, 3, 1)), "cn.k_visa").odds is None


def test_h1b_time_to_start_follows_the_cap_season() -> None:
    days = route(compare(ENGINEER, on=dt.date(2026, 11, 26)), "us.h1b").processing_days
    assert days == {"min": (dt.date(2027, 10, 1) - dt.date(2026, 11, 26)).days,
                    "max": (dt.date(2027, 10, 1) - dt.date(2026, 11, 26)).days}


def test_changes_to_qualify_are_the_smallest_ones() -> None:
    profile = {"date_of_birth": "1985-01-01", "no_criminal_record": True, "good_health": True,
               "years_continuous_work_in_china": 2.5, "months_in_china_per_year": 7,
               "annual_income_cny": 500000, "local_urban_average_income_cny": 100000,
               "annual_income_tax_cny": 100000, "highest_degree": "bachelor",
               "degree_field": "0311", "degree_institution_recognised": True,
               "teaching_or_research_at_recognised_institution": False}
    comparison = compare(profile, on=dt.date(2026, 6, 1))
    employment = route(comparison, "cn.permanent_residence.route.employment")
    needed = {c.fact: c.needed for c in employment.changes}
    assert needed == {"years_continuous_work_in_china": 4.0, "annual_income_cny": 600000,
                      "annual_income_tax_cny": 120000}
    assert "1.5 more years" in employment.changes[0].text
    k_visa = route(comparison, "cn.k_visa")
    assert k_visa.verdict == "not_eligible"
    fields = next(c for c in k_visa.changes if c.fact == "degree_field")
    assert fields.needed == ["05", "06", "07"]


def test_missing_facts_are_listed_for_undetermined_routes() -> None:
    eb2 = route(compare({"highest_degree": "doctorate"}, on=dt.date(2026, 1, 1)),
                "us.green_card.route.eb2_niw")
    assert eb2.verdict == "undetermined"
    assert {"niw_merit_and_importance", "niw_well_positioned"} <= set(eb2.missing)


def test_draft_routes_only_when_asked() -> None:
    keys = {r.route.key for r in compare({}, on=dt.date(2026, 1, 1)).routes}
    assert "cn.permanent_residence.route.contribution" in keys
    assert len(keys) == 13


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
