"""The pathways page checks every answer at once and puts the routes open now first."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_bad_answer_is_reported_at_once_in_plain_words() -> None:
    answer = Client().post("/pathways", {"date_of_birth": "2999-01-01", "nationality": "XYZ",
                                         "us_offer_wage_level": "7",
                                         "years_work_experience": "five"})
    assert answer.status_code == 422
    page = answer.content.decode()
    assert 'data-testid="error-summary"' in page and "4 answers need correcting" in page
    assert "Date of birth must be in the past." in page
    assert "Nothing matches “XYZ”. Type the country&#x27;s name" in page
    assert "Enter a number from 1 to 4." in page
    assert "Enter a number, for example" in page
    assert "String should" not in page and "Input should" not in page


def test_coded_answers_are_found_by_the_words_people_use() -> None:
    """A country by its name (either language), a subject by everyday words; words that
    fit several subjects name each one, and the boxes keep what was typed."""
    page = Client().post("/pathways", {
        "date_of_birth-day": "14", "date_of_birth-month": "5", "date_of_birth-year": "1996",
        "nationality": "印度", "degree_field": "computer science"}).content.decode()
    assert "More than one answer matches “computer science”" in page
    for subject in ("0611 Computer use", "0612 Database and network design",
                    "0613 Software and applications development"):
        assert subject in page
    assert 'value="India (IND)"' in page and 'value="computer science"' in page
    assert 'name="date_of_birth-day" value="14"' in page
    found = Client().post("/pathways", {
        "date_of_birth-day": "14", "date_of_birth-month": "5", "date_of_birth-year": "1996",
        "nationality": "India", "degree_field": "software engineering",
        "highest_degree": "master"}).content.decode()
    assert 'data-testid="summary"' in found and 'value="0613 Software' in found


def test_the_summary_names_the_open_routes_first() -> None:
    page = Client().post("/pathways", {
        "date_of_birth": "1996-05-14", "nationality": "IND", "highest_degree": "master",
        "degree_field": "0613", "degree_institution_recognised": "true",
        "years_work_experience": "4", "no_criminal_record": "true"}).content.decode()
    summary = page[page.index('data-testid="summary"'):page.index("</section>",
                                                                   page.index('data-testid="summary"'))]
    assert "You can apply now for:" in summary and "K visa" in summary
    table = page[page.index('data-testid="routes"'):]
    rows = [chunk.split('"')[0] for chunk in table.split('data-verdict="')[1:]]
    order = {"eligible": 0, "undetermined": 1, "not_eligible": 2}
    assert [order[v] for v in rows] == sorted(order[v] for v in rows)


def test_the_comparison_date_is_typed_in_the_readers_order_and_checked() -> None:
    bad = Client().post("/pathways/all", {"on-day": "31", "on-month": "2", "on-year": "2026",
                                          "nationality": "IND"})
    assert bad.status_code == 422 and "Enter a real date, for example 14 5 1996." in \
        bad.content.decode()
    american = Client().get("/pathways/all", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    # month first to an American reader, day first to everyone else, year first in Chinese
    assert american.index('name="on-month"') < american.index('name="on-day"')
    world = Client().get("/pathways/all", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert world.index('name="on-day"') < world.index('name="on-month"')
    chinese = Client().get("/pathways/all", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert chinese.index('name="on-year"') < chinese.index('name="on-month"')
