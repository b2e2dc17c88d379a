"""No answer more certain than its source: blank facts make costs conditional (never
absent), verdicts carry the weakest status that decided them, drafts are labelled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvisa.pathways.compare import compare
from kvisa.rules import FACTS, explain
from kvisa.rules.labels import fact_label

from ..rules.test_engine import _json, _value_strategy

ON = dt.date(2026, 1, 15)
US_FACTS = [f for f in FACTS if f.name.startswith(("us_", "outside_us", "holds_valid",
                                                   "eb1a_", "niw_"))
            or f.name in ("highest_degree", "nationality", "date_of_birth")]
PROFILE = st.fixed_dictionaries({}, optional={f.name: _value_strategy(f) for f in US_FACTS})


def _shown(profile: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Every cost and odds figure on show, by (route, item)."""
    shown: dict[tuple[str, str], Any] = {}
    for route in compare(profile, on=ON, suggest_changes=False).routes:
        for cost in route.costs:
            assert cost.key, cost.item
            shown[(route.route.key, cost.key)] = cost
        if route.odds is not None:
            shown[(route.route.key, "odds")] = route.odds
    return shown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=PROFILE, extra=st.data())
@pytest.mark.slow
def test_blanking_a_fact_never_hides_a_cost_or_the_odds(profile, extra) -> None:  # type: ignore[no-untyped-def]
    if not profile:
        return
    full = _json(profile)
    blank = extra.draw(st.sampled_from(sorted(full)))
    partial = {k: v for k, v in full.items() if k != blank}
    before, after = _shown(full), _shown(partial)
    for key, item in before.items():
        if key[1] == "odds":
            assert key in after, key
            if item["probability"] is not None and after[key]["probability"] is None:
                assert blank in after[key]["depends_on"], (key, blank)
            continue
        if item.amount is None or item.amount == 0:
            continue
        assert key in after, (key, blank)          # shown before → still shown …
        now = after[key]
        if now.conditional and not item.conditional:
            assert blank in now.depends_on, (key, blank)   # … at most conditional on it


def test_a_verdict_resting_on_a_draft_says_so() -> None:
    profile = {"date_of_birth": "1980-01-01", "no_criminal_record": True, "good_health": True,
               "years_continuous_work_in_china": 8, "years_actual_residence_in_china": 5,
               "months_in_china_per_year": 10, "annual_salary_cny": 330000,
               "local_urban_average_income_cny": 100000, "annual_income_tax_cny": 70000,
               "good_tax_record": True}
    pr = explain(profile, ["cn.permanent_residence"], ON,
                 include_drafts=True).programme("cn.permanent_residence")
    assert pr.verdict == "eligible" and pr.status == "draft"
    assert any("draft_long_service" in item for item in pr.status_basis)
    # without drafts the same person is not eligible under the law in force
    assert explain(profile, ["cn.permanent_residence"], ON).programme(
        "cn.permanent_residence").verdict != "eligible"
    routes = {r.route.key: r for r in compare(profile, on=ON, include_drafts=True).routes}
    draft = routes["cn.permanent_residence.route.draft_long_service"]
    assert draft.verdict == "eligible" and draft.status == "draft"
    assert "not law" in draft.route.name and draft.status_note
    assert "cn.permanent_residence.route.draft_long_service" not in {
        r.route.key for r in compare(profile, on=ON).routes}


def test_a_verdict_on_a_reported_age_limit_says_so_and_names_the_number() -> None:
    k_visa = explain({"date_of_birth": "1980-01-01", "highest_degree": "master",
                      "degree_field": "0613", "degree_institution_recognised": True},
                     ["cn.k_visa"], ON).programme("cn.k_visa")
    assert k_visa.verdict == "not_eligible" and k_visa.status == "reported"
    age = next(c for c in k_visa.criteria if c.id == "cn.k_visa.age_max")
    assert "45" in age.text and "45" in age.text_zh and age.status == "reported"
    assert "cn.k_visa.max_age" in k_visa.status_basis


def test_a_verdict_decided_by_law_in_force_is_in_force() -> None:
    # no job offer: refused on the Act (in force), whatever a reported parameter says
    # of the degree's equivalent
    h1b = explain({"highest_degree": "secondary", "us_job_offer": False}, ["us.h1b"],
                  ON).programme("us.h1b")
    assert h1b.verdict == "not_eligible" and h1b.status == "in_force"


def test_a_parameter_that_is_only_reported_never_yields_in_force() -> None:
    k_visa = explain({"date_of_birth": "1996-05-14", "highest_degree": "master",
                      "degree_field": "0613", "degree_institution_recognised": True},
                     ["cn.k_visa"], ON).programme("cn.k_visa")
    assert k_visa.verdict == "eligible" and k_visa.status == "reported"


def test_every_fact_has_a_label_in_both_languages() -> None:
    for fact in FACTS:
        english, chinese = fact_label(fact.name, "en"), fact_label(fact.name, "zh")
        assert english != fact.name and chinese != english, fact.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), fact.name
