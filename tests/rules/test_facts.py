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
