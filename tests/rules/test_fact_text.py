"""One definition per fact: what people read and choose for it comes from it.

Kinds, labels, questions, help with its sources, bounds, options found by the
words people use, values in the reader's locale — asked of the definition
(:mod:`kvisa.rules.facts`, :mod:`kvisa.rules.fact_text`), the one place every form,
page and command reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import get_args

import pytest

from kvisa import i18n
from kvisa.rules import fact_text
from kvisa.rules.facts import FACTS, FACTS_BY_NAME, Kind

ON = dt.date(2026, 1, 1)
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "kvisa" / "templates"


@pytest.fixture
def region():  # type: ignore[no-untyped-def]
    tokens = []

    def set_region(code: str) -> None:
        tokens.append(i18n.set_reader_region(code))
    yield set_region
    for token in reversed(tokens):
        i18n.reset_reader_region(token)


def test_every_question_a_person_is_asked_says_what_counts_in_both_languages() -> None:
    for fact in FACTS:
        if fact.ask is None:
            continue
        assert fact.ask.help, f"{fact.name} has no help"
        assert i18n.translate(fact.ask.help, "zh") != fact.ask.help, fact.name


def test_help_cites_the_criteria_that_read_the_fact() -> None:
    recognised = fact_text.sources_in_words("degree_institution_recognised", ON)
    assert any("K visa" in s for s in recognised)
    salary = fact_text.sources_in_words("annual_salary_cny", ON)
    assert any("Classification Standards" in s for s in salary)
    assert fact_text.sources_in_words("nationality", ON) == []  # no criterion reads it
    assert fact_text.sources_in_words("annual_salary_cny", ON, "zh") != salary


def test_computer_science_finds_each_computing_field_by_name() -> None:
    found = fact_text.find(FACTS_BY_NAME["degree_field"], "computer science")
    assert [o.value for o in found] == ["0611", "0612", "0613"]
    assert all(re.match(r"^06\d\d \w", o.label) for o in found)  # each named, not a bare code
    chinese = fact_text.find(FACTS_BY_NAME["degree_field"], "软件", "zh")
    assert [o.value for o in chinese] == ["0613"] and "软件" in chinese[0].label


def test_countries_are_found_by_their_names_in_both_languages() -> None:
    nationality = FACTS_BY_NAME["nationality"]
    assert fact_text.read(nationality, "India") == "IND"
    assert fact_text.read(nationality, "印度") == "IND"
    assert fact_text.read(nationality, "germany", "zh") == "DEU"
    assert fact_text.read(nationality, "IND") == "IND"
    # a name typed in full is that country, though it is part of other names
    assert fact_text.read(nationality, "Guinea") == "GIN"


def test_words_that_fit_several_answers_name_each_and_words_that_fit_none_say_so() -> None:
    field = FACTS_BY_NAME["degree_field"]
    with pytest.raises(fact_text.AnswerProblem) as several:
        fact_text.read(field, "computer science")
    assert [o.value for o in several.value.found] == ["0611", "0612", "0613"]
    assert "0613 Software and applications development" in several.value.message
    with pytest.raises(fact_text.AnswerProblem) as none:
        fact_text.read(field, "underwater basket weaving")
    assert "Nothing matches" in none.value.message
    assert fact_text.read(field, "software engineering") == "0613"


@pytest.mark.parametrize(("code", "written", "order"), [
    ("", "14 May 1996", ("day", "month", "year")),
    ("IN", "14 May 1996", ("day", "month", "year")),
    ("US", "May 14, 1996", ("month", "day", "year")),
])
def test_dates_are_written_and_asked_in_the_readers_order(region, code: str, written: str,  # type: ignore[no-untyped-def]
                                                          order: tuple[str, ...]) -> None:
    region(code)
    assert fact_text.in_words("date_of_birth", "1996-05-14", "en") == written
    assert i18n.date_order("en") == order
    assert fact_text.in_words("date_of_birth", dt.date(1996, 5, 14), "zh") == "1996年5月14日"
    assert i18n.date_order("zh") == ("year", "month", "day")


def test_amounts_follow_the_readers_digit_grouping(region) -> None:  # type: ignore[no-untyped-def]
    assert fact_text.in_words("annual_salary_cny", 150000.0, "en") == "150,000"
    region("IN")
    assert fact_text.in_words("annual_salary_cny", 150000.0, "en") == "1,50,000"


def test_values_read_as_words_from_the_definition() -> None:
    assert fact_text.in_words("highest_degree", "master", "zh") == "硕士"
    assert fact_text.in_words("nationality", "IND", "en") == "India (IND)"
    assert fact_text.in_words("degree_field", "0613", "en").startswith("0613 Software")
    assert fact_text.in_words("good_health", True, "zh") == "是"
    assert fact_text.in_words("investment_region", "central", "en") == "The central region"
    assert fact_text.in_words("degrees", [{"level": "bachelor", "field": "0533",
                                           "institution_recognised": False}], "en") \
        == "Bachelor's, 0533 Physics, institution not well known"
    assert fact_text.in_words("date_of_birth", None) == "—"


def test_answers_are_read_by_kind_and_bounds_with_plain_words() -> None:
    hsk = FACTS_BY_NAME["hsk_level"]
    assert fact_text.read(hsk, "4") == 4
    for typed, said in (("4.5", "whole number"), ("seven", "whole number"),
                        ("9", "from 0 to 6")):
        with pytest.raises(fact_text.AnswerProblem, match=said):
            fact_text.read(hsk, typed)
    salary = FACTS_BY_NAME["annual_salary_cny"]
    assert fact_text.read(salary, "150,000") == 150000.0
    with pytest.raises(fact_text.AnswerProblem, match="0 or more"):
        fact_text.read(salary, "-5")
    birth = FACTS_BY_NAME["date_of_birth"]
    assert fact_text.read(birth, fact_text.posted(
        {"date_of_birth-day": "2", "date_of_birth-month": "3", "date_of_birth-year": "1997"},
        "date_of_birth")) == "1997-03-02"
    with pytest.raises(fact_text.AnswerProblem, match="real date, for example 14 5 1996"):
        fact_text.read(birth, "1997-02-30")
    with pytest.raises(fact_text.AnswerProblem, match="1996 5 14"):
        fact_text.read(birth, "1997-02-30", "zh")


def test_a_question_asked_the_positive_way_round_inverts_yes() -> None:
    record = FACTS_BY_NAME["no_criminal_record"]
    assert record.ask is not None and "a criminal record" in record.ask.question
    yes, no = fact_text.yes_no(record)
    assert (yes.label, yes.value, no.label, no.value) == ("Yes", "false", "No", "true")
    assert [o.value for o in fact_text.yes_no(FACTS_BY_NAME["good_health"])] == ["true", "false"]


def test_one_kind_vocabulary_in_the_templates() -> None:
    """The forms speak the facts' kinds; no second vocabulary of kinds is left."""
    kinds = set(get_args(Kind)) | {"select_all", "other_degrees", "city"}
    for template in TEMPLATES.rglob("*.html"):
        for subject, used in re.findall(r'([\w.]*kind) == ["\'](\w+)["\']',
                                        template.read_text()):
            if subject in ("kind", "question.kind", "field.kind"):
                assert used in kinds, f"{template.name}: kind {used!r} is not in the vocabulary"
