"""The permanent-resident ID number: MOD 11-2 check, layout, generation, old numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvisa.documents.errors import DocumentError
from kvisa.documents.resident_id import check_character, generate, parse


@pytest.mark.parametrize(("body", "check"), [
    ("11010519491231002", "X"),   # GB 11643-1999 example
    ("44052418800101001", "4"),
])
def test_mod_11_2_examples(body: str, check: str) -> None:
    assert check_character(body) == check


def test_generate_and_decode() -> None:
    number = generate(province_code="31", nationality="IND", birth_date="1990-05-01",
                      sex="F", sequence=37)
    parsed = parse(number)
    assert parsed.valid and len(number) == 18 and number[0] == "9"
    assert (parsed.province, parsed.nationality, parsed.birth_date, parsed.sex) == (
        "Shanghai", "IND", "1990-05-01", "F")


def test_problems_are_named() -> None:
    number = generate(province_code="11", nationality="840", birth_date="1985-02-03", sex="M",
                      sequence=0)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    parsed = parse(wrong)
    assert not parsed.valid and parsed.problems[0].startswith("check character: expected")
    body = "91184020250230001"  # 30 February
    assert "not a real date" in parse(body + check_character(body)).problems[0]
    citizen = "11010519491231002X"
    assert "first digit must be 9" in parse(citizen).problems[0]


def test_old_fifteen_character_number_is_recognised() -> None:
    parsed = parse("USA310078901234")
    assert parsed.version == "2004/2017" and parsed.nationality == "USA"


@pytest.mark.parametrize("bad", ["12345", "9" * 19, "ABC12", "93135619900501074Y", "x" * 50])
def test_unusable_numbers(bad: str) -> None:
    with pytest.raises(DocumentError):
        parse(bad)


def test_generate_refuses_bad_input() -> None:
    with pytest.raises(DocumentError, match="province_code"):
        generate(province_code="99", nationality="IND", birth_date="1990-01-01", sex="F",
                 sequence=1)
    with pytest.raises(DocumentError, match="nationality"):
        generate(province_code="11", nationality="ZZZ", birth_date="1990-01-01", sex="F",
                 sequence=1)


@settings(max_examples=300, deadline=None)
@given(birth=st.dates(dt.date(1930, 1, 1), dt.date(2020, 1, 1)),
       sex=st.sampled_from(["M", "F"]), sequence=st.integers(0, 499),
       province=st.sampled_from(["11", "31", "44", "51"]), position=st.integers(0, 17),
       digit=st.sampled_from("0123456789X"))
def test_any_single_character_change_is_detected(birth, sex, sequence, province, position,  # type: ignore[no-untyped-def]
                                                 digit) -> None:
    number = generate(province_code=province, nationality="IND", birth_date=birth, sex=sex,
                      sequence=sequence)
    assert parse(number).valid
    if number[position] == digit or (digit == "X" and position < 17):
        return
    changed = number[:position] + digit + number[position + 1:]
    assert not parse(changed).valid
