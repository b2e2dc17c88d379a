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
    assert "A date of birth cannot be in the future." in page
    assert "Choose a nationality from the list" in page
    assert "Enter a number from 1 to 4." in page
    assert "Enter a number, for example" in page
    assert "String should" not in page and "Input should" not in page


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
