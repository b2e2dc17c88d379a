"""Properties of the engine: citations, dated parameters, three-valued logic, scenarios."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kvisa.rules import (
    FACTS,
    PROGRAMMES,
    RulesError,
    evaluate,
    explain,
    scenario_from_dict,
)
from kvisa.rules.errors import ProfileError, RulesDefinitionError
from kvisa.rules.facts import profile_frame, validate_profile
from kvisa.rules.helpers import birthday_cutoff
from kvisa.rules.parameters import _parse_parameter, all_parameters

ON = dt.date(2026, 6, 1)


def test_every_criterion_and_output_cites_an_instrument_and_address() -> None:
    for programme in PROGRAMMES:
        assert programme.in_force_citation.instrument
        for criterion, _route in programme.criteria():
            assert criterion.citation.instrument, criterion.id
            assert criterion.citation.url.startswith("http"), criterion.id
            assert criterion.text and criterion.text_zh, criterion.id
        for output in programme.outputs:
            assert output.citation.url.startswith("http"), output.id


def test_chinese_criterion_texts_carry_no_english_words() -> None:
    """The explanation a Chinese reader sees is Chinese throughout (dates and ids aside)."""
    assessment = explain({"date_of_birth": "1995-01-01"}, on=ON)
    for programme in assessment.programmes:
        for criterion in programme.criteria:
            words = [w for w in re.findall(r"[A-Za-z]{3,}", criterion.text_zh)
                     if w not in ("HSK", "ISCED", "STEM", "GDP", "USCIS", "EB", "NIW")]
            assert not words, (criterion.id, criterion.text_zh)


def test_every_parameter_value_has_a_source_and_status() -> None:
    parameters = all_parameters()
    assert "cn.k_visa.max_age" in parameters
    for parameter in parameters.values():
        for value in parameter.values:
            assert value.source.instrument and value.source.url
            assert value.status in ("in_force", "draft", "authority-set", "reported")


def test_a_parameter_without_a_source_is_refused_at_load() -> None:
    with pytest.raises(RulesDefinitionError, match="source"):
        _parse_parameter("x.y", {"description": "d", "unit": "u", "values": [
            {"from": dt.date(2020, 1, 1), "value": 1, "status": "in_force"}]})


def test_parameter_dates_must_increase() -> None:
    source = {"instrument": "i", "url": "https://example.org"}
    with pytest.raises(RulesDefinitionError, match="increase"):
        _parse_parameter("x.y", {"description": "d", "unit": "u", "values": [
            {"from": dt.date(2021, 1, 1), "value": 1, "status": "in_force", "source": source},
            {"from": dt.date(2020, 1, 1), "value": 2, "status": "in_force", "source": source}]})


def test_value_in_force_changes_on_its_start_date() -> None:
    payment = all_parameters()["us.h1b.entry_payment_usd"]
    assert payment.at(dt.date(2025, 9, 20)).value == 0  # type: ignore[union-attr]
    assert payment.at(dt.date(2025, 9, 21)).value == 100000  # type: ignore[union-attr]


@pytest.mark.parametrize(("on", "years", "expected"), [
    (dt.date(2026, 1, 15), 18, dt.date(2008, 1, 15)),
    (dt.date(2024, 2, 29), 18, dt.date(2006, 2, 28)),   # leap day, common target year
    (dt.date(2024, 2, 29), 20, dt.date(2004, 2, 29)),   # leap day, leap target year
])
def test_birthday_cutoff(on: dt.date, years: int, expected: dt.date) -> None:
    assert birthday_cutoff(on, years) == expected


def test_drafts_are_excluded_unless_asked_for() -> None:
    profile = {"years_continuous_work_in_china": 8}
    default = explain(profile, ["cn.permanent_residence"], ON).programme("cn.permanent_residence")
    drafted = explain(profile, ["cn.permanent_residence"], ON, include_drafts=True
                      ).programme("cn.permanent_residence")
    assert not any(c.status == "draft" for c in default.criteria)
    assert any(c.status == "draft" for c in drafted.criteria)
    scenario = scenario_from_dict({"name": "drafts", "include_drafts": True})
    via_scenario = explain(profile, ["cn.permanent_residence"], ON, scenario
                           ).programme("cn.permanent_residence")
    assert len(via_scenario.criteria) == len(drafted.criteria)


def test_explanation_shows_parameters_with_status_and_source() -> None:
    result = explain({"date_of_birth": "1990-01-01"}, ["cn.k_visa"], ON).programme("cn.k_visa")
    age_max = next(c for c in result.criteria if c.id == "cn.k_visa.age_max")
    (use,) = age_max.parameters
    assert (use.name, use.value, use.status) == ("cn.k_visa.max_age", 45, "reported")
    assert use.source and use.source["url"].startswith("https://")
    assert age_max.facts == {"date_of_birth": dt.date(1990, 1, 1)}


def test_scenario_overrides_are_reported_as_scenario() -> None:
    scenario = scenario_from_dict({"name": "35", "parameters": {"cn.k_visa.max_age": 35}})
    result = explain({"date_of_birth": "1988-01-01"}, ["cn.k_visa"], ON, scenario)
    age_max = next(c for c in result.programme("cn.k_visa").criteria
                   if c.id == "cn.k_visa.age_max")
    assert age_max.result == "not_met"
    assert age_max.parameters[0].status == "scenario"
    assert result.scenario == "35"


@pytest.mark.parametrize(("document", "message"), [
    ({"parameters": {"cn.k_visa.max_agee": 40}}, "'cn.k_visa.max_agee': unknown parameter"),
    ({"parameters": {"cn.k_visa.max_age": "forty"}}, "must be like 45"),
    ({"parameters": {"cn.k_visa.max_age": -1}}, "-1 is outside 0 to 120"),
    ({"parameters": {"cn.k_visa.max_age": float("inf")}}, "inf is not a finite number"),
    ({"parameters": {"cn.k_visa.max_age": 10 ** 40}}, "is outside 0 to 120"),
    ({"parameter": {}}, "unknown key 'parameter'"),
    ({"include_drafts": "yes"}, "include_drafts must be true or false"),
    ([1, 2], "must be a mapping"),
])
def test_bad_scenarios_are_refused(document: object, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        scenario_from_dict(document)


def test_unknown_programme_is_refused() -> None:
    with pytest.raises(RulesError, match=r"unknown id 'cn\.x_visa'"):
        explain({}, ["cn.x_visa"], ON)


def test_evaluate_adds_missing_fact_columns_and_refuses_wrong_types() -> None:
    frame = pl.DataFrame({"date_of_birth": [dt.date(1990, 1, 1)]})
    result = evaluate(frame, ["cn.k_visa"], ON)
    assert result["cn.k_visa"].to_list() == [None]
    with pytest.raises(RulesError, match="date_of_birth: column has type"):
        evaluate(pl.DataFrame({"date_of_birth": ["1990-01-01"]}), ["cn.k_visa"], ON)


def test_verdict_only_evaluation_matches_detailed() -> None:
    frame = profile_frame([validate_profile(p) for p in (
        {"date_of_birth": "1990-01-01", "highest_degree": "master", "degree_field": "0613",
         "degree_institution_recognised": True},
        {"date_of_birth": "1970-01-01", "teaching_or_research_at_recognised_institution": True},
        {},
    )])
    brief = evaluate(frame, on=ON, detail=False)
    full = evaluate(frame, on=ON)
    for programme in PROGRAMMES:
        assert brief[programme.id].to_list() == full[programme.id].to_list()
    assert "cn.k_visa.stem_field" not in brief.columns


# ------------------------------------------------------------- monotonicity

def _value_strategy(fact):  # type: ignore[no-untyped-def]
    if fact.kind == "degrees":
        from kvisa.rules.facts import DEGREE_LEVELS

        return st.lists(st.fixed_dictionaries(
            {"level": st.sampled_from(DEGREE_LEVELS)},
            optional={"field": st.sampled_from(["0613", "0533", "0413", "0311"]),
                      "institution_recognised": st.booleans()}), max_size=3)
    if fact.kind == "date":
        return st.dates(dt.date(1940, 1, 1), dt.date(2025, 12, 31))
    if fact.kind == "country":
        return st.sampled_from(["IND", "DEU", "USA", "CHN", "BRA"])
    if fact.kind == "code":
        return st.sampled_from(["0613", "0533", "0311", "0714", "0912"])
    if fact.kind == "choice":
        return st.sampled_from(fact.choices)
    if fact.kind == "bool":
        return st.booleans()
    low = int(fact.minimum or 0)
    high = int(fact.maximum if fact.maximum is not None else 2_000_000)
    if fact.kind == "int":
        return st.integers(low, high)
    return st.integers(low, high).map(float)


PROFILE = st.fixed_dictionaries({}, optional={f.name: _value_strategy(f) for f in FACTS})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=PROFILE, extra=st.data())
def test_filling_a_missing_fact_never_flips_a_decided_result(profile, extra) -> None:  # type: ignore[no-untyped-def]
    missing = [f for f in FACTS if f.name not in profile]
    if not missing:
        return
    fact = extra.draw(st.sampled_from(missing))
    filled = {**profile, fact.name: extra.draw(_value_strategy(fact))}
    try:
        frame = profile_frame([validate_profile(_json(profile)),
                               validate_profile(_json(filled))])
    except ProfileError:
        assume(False)  # a contradictory profile (degrees vs highest degree) is refused
        return
    result = evaluate(frame, on=ON, include_drafts=True)
    for column in result.columns[len(FACTS):]:
        before, after = result[column].to_list()
        if isinstance(before, bool):
            assert before == after, (column, fact.name)


def _json(profile: dict) -> dict:  # type: ignore[type-arg]
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in profile.items()}


def test_the_committed_rule_catalogue_is_current() -> None:
    from pathlib import Path

    from kvisa.rules.catalogue import markdown

    committed = Path(__file__).parents[2] / "docs" / "rules.md"
    assert committed.read_text(encoding="utf-8") == markdown() + "\n", \
        "run `uv run kvisa catalogue -o docs/rules.md`"


def test_criterion_texts_state_the_values_they_test() -> None:
    assessment = explain({}, on=ON, include_drafts=True)
    for programme in assessment.programmes:
        for criterion in programme.criteria:
            for text in (criterion.text, criterion.text_zh):
                assert "{" not in text and " ? " not in text, (criterion.id, text)
    k_visa = assessment.programme("cn.k_visa")
    age = next(c for c in k_visa.criteria if c.id == "cn.k_visa.age_max")
    assert "45" in age.text
    scenario = scenario_from_dict({"name": "35", "parameters": {"cn.k_visa.max_age": 35}})
    under = explain({}, ["cn.k_visa"], ON, scenario).programme("cn.k_visa")
    assert "35" in next(c for c in under.criteria if c.id == "cn.k_visa.age_max").text
