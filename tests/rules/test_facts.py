"""Profile validation: clear errors naming the field, and no coercion."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kvisa.rules import ProfileError, profile_json_schema, validate_profile


@pytest.mark.parametrize(("profile", "field", "fragment"), [
    ({"favourite_colour": "red"}, "favourite_colour", "unknown fact"),
    ({"date_of_birth": "2000-02-31"}, "date_of_birth", "day value is outside"),
    ({"date_of_birth": "31/01/2000"}, "date_of_birth", "date"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth", "in the future"),
    ({"annual_salary_cny": -5}, "annual_salary_cny", "greater than or equal to 0"),
    ({"annual_salary_cny": "5000"}, "annual_salary_cny", "number"),
    ({"us_job_offer": 1}, "us_job_offer", "boolean"),
    ({"us_job_offer": "yes"}, "us_job_offer", "boolean"),
    ({"highest_degree": "phd"}, "highest_degree", "must be one of"),
    ({"nationality": "India"}, "nationality", "pattern"),
    ({"us_offer_wage_level": 5}, "us_offer_wage_level", "less than or equal to 4"),
    ({"hsk_level": 2.5}, "hsk_level", "integer"),
])
def test_bad_facts_name_the_field(profile: dict, field: str, fragment: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ProfileError) as caught:
        validate_profile(profile)
    assert caught.value.field == field
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"{field}: ")


def test_a_good_profile_is_typed_and_missing_facts_are_none() -> None:
    facts = validate_profile({"date_of_birth": "1990-01-01", "years_work_experience": 3})
    assert facts["date_of_birth"] == dt.date(1990, 1, 1)
    assert facts["years_work_experience"] == 3.0
    assert facts["highest_degree"] is None


def test_not_an_object() -> None:
    with pytest.raises(ProfileError, match="profile: must be a JSON object"):
        validate_profile([1, 2])  # type: ignore[arg-type]


def test_schema_lists_every_fact_and_forbids_others() -> None:
    schema = profile_json_schema()
    assert schema["additionalProperties"] is False
    assert "date_of_birth" in schema["properties"]
    json.dumps(schema)


def test_the_old_income_name_is_an_accepted_alias_of_the_one_salary_fact() -> None:
    import datetime as dt

    import polars as pl

    from kvisa.rules import evaluate, profile_json_schema
    from kvisa.rules.errors import ProfileError
    from kvisa.rules.facts import validate_profile

    assert validate_profile({"annual_income_cny": 500000.0})["annual_salary_cny"] == 500000.0
    assert validate_profile('{"annual_income_cny": 1.0}')["annual_salary_cny"] == 1.0
    assert validate_profile({"annual_income_cny": 2.0, "annual_salary_cny": 2.0})[
        "annual_salary_cny"] == 2.0
    try:
        validate_profile({"annual_income_cny": 2.0, "annual_salary_cny": 3.0})
        raise AssertionError("contradicting alias accepted")
    except ProfileError as exc:
        assert exc.field == "annual_income_cny"
    schema = profile_json_schema()["properties"]["annual_income_cny"]
    assert schema["deprecated"] is True and "annual_salary_cny" in schema["description"]
    old = evaluate(pl.DataFrame({"annual_income_cny": [700000.0],
                                 "local_urban_average_income_cny": [100000.0]}),
                   ["cn.work_permit"], dt.date(2026, 1, 1))
    assert old["cn.work_permit.category_a"].to_list() == [True]


@pytest.mark.parametrize(("o1a", "eb1a", "fits"), [
    (3, 3, True), (3, 5, True), (0, 2, True), (8, 10, True),
    (4, 3, False),   # more O-1A kinds than EB-1A kinds: the eight are among the ten
    (2, 5, False),   # five EB-1A kinds leave at least three O-1A kinds
])
def test_the_two_evidence_counts_must_fit_together(o1a: int, eb1a: int, fits: bool) -> None:
    from kvisa.rules import fact_text

    profile = {"o1a_criteria_met": o1a, "eb1a_criteria_met": eb1a}
    if fits:
        assert validate_profile(profile)["o1a_criteria_met"] == o1a
        return
    with pytest.raises(ProfileError) as caught:
        validate_profile(profile)
    assert caught.value.field == "o1a_criteria_met"
    words = fact_text.problem_in_words(caught.value, "en")
    assert "at most the EB-1A count" in words and "_" not in words
