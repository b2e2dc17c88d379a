"""Enquiries counted as the seed counts them (issue 26, part 5): in aggregate only,
from finished comparisons and start pages, shown to analysts by region and over
time with the change since a day, small counts suppressed, downloadable."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re

import polars as pl
import pytest
from django.test import Client

from kvisa.accounts.models import Role
from kvisa.analytics import enquiries
from kvisa.casework import enquiry_counts
from kvisa.casework.models import EnquiryCount
from tests.support.people import client_for, make_user


def _finish_interview(nationality: str) -> str:
    state = {"answers": {"nationality": nationality, "date_of_birth": "1997-03-02",
                         "highest_degree": "master", "degree_field": "0613",
                         "degree_institution_recognised": True},
             "history": [["nationality"], ["date_of_birth"], ["highest_degree"],
                         ["degree_field"], ["degree_institution_recognised"]]}
    page = Client().post("/pathways", {"state": json.dumps(state), "results": "1"})
    assert page.status_code == 200
    return page.content.decode()


def test_a_finished_comparison_is_one_enquiry_with_nothing_about_the_person() -> None:
    _finish_interview("IND")
    _finish_interview("IND")
    row = EnquiryCount.objects.get()
    assert (row.source, row.sub_region, row.count) == ("interview", "034", 2)
    assert "cn.k_visa" in row.routes_open.split(",")
    assert {f.name for f in EnquiryCount._meta.get_fields()} == {
        "id", "day", "source", "sub_region", "routes_open", "count"}


def test_the_api_counts_a_comparison_and_a_finished_interview_as_the_pages_do() -> None:
    api = Client()
    profile = {"nationality": "IND", "date_of_birth": "1997-03-02", "highest_degree": "master",
               "degree_field": "0613", "degree_institution_recognised": True}
    compared = api.post("/api/v1/pathways/compare", {"profile": profile},
                        content_type="application/json")
    assert compared.status_code == 200
    row = EnquiryCount.objects.get()
    assert (row.source, row.sub_region, row.count) == ("api", "034", 1)
    assert "cn.k_visa" in row.routes_open.split(",")
    # an interview counts once, at its last step (when there is no next question)
    asking = api.post("/api/v1/pathways/interview", {"answers": {"nationality": "DEU"}},
                      content_type="application/json").json()
    assert asking["next"] is not None and EnquiryCount.objects.count() == 1
    answers: dict[str, object] = {"nationality": "DEU"}
    for _ in range(40):
        step = api.post("/api/v1/pathways/interview", {"answers": answers},
                        content_type="application/json").json()
        if step["next"] is None:
            break
        answers.update(dict.fromkeys(step["next"]["facts"]))  # "I don't know" to each
    assert step["next"] is None
    finished = EnquiryCount.objects.get(sub_region="155")
    assert (finished.source, finished.count) == ("api", 1)


def test_an_application_started_from_a_start_page_is_an_enquiry() -> None:
    applicant = client_for(make_user(Role.APPLICANT))
    page = applicant.get("/apply/k-visa/").content.decode()
    assert 'name="from" value="start_page"' in page
    applicant.post("/applications/start/", {"programme": "cn.k_visa", "from": "start_page"})
    applicant.post("/applications/start/", {"programme": "cn.k_visa"})  # not from a start page
    assert EnquiryCount.objects.get().source == "start_page"
    assert EnquiryCount.objects.get().count == 1


def test_the_change_since_a_day_against_the_same_length_before() -> None:
    today = dt.date(2026, 12, 1)
    since = dt.date(2026, 11, 1)
    for offset in range(31):  # October: 1 a day; November: 2 a day
        enquiry_counts.record("interview", nationality="IND", routes_open=(),
                         day=since - dt.timedelta(days=offset + 1))
    for offset in range(31):
        for _ in range(2):
            enquiry_counts.record("interview", nationality="DEU", routes_open=(),
                             day=since + dt.timedelta(days=offset))
    growth = enquiries.growth_since(since, today, exact=True)
    assert growth["recent"] == 62 and growth["earlier"] == 31 and growth["days"] == 31
    assert growth["change"] == pytest.approx(1.0)


def test_analysts_see_small_counts_suppressed_and_can_download_them() -> None:
    today = dt.date.today()
    for _ in range(7):
        enquiry_counts.record("interview", nationality="VNM", routes_open=("us.h1b",), day=today)
    for _ in range(2):
        enquiry_counts.record("interview", nationality="BRA", routes_open=(), day=today)
    analyst = client_for(make_user(Role.ANALYST))
    html = analyst.get("/analytics/").content.decode()
    section = html[html.index('id="enquiries"'):]
    assert "Southeast Asia" in section and "&lt;5" in section
    assert re.search(r">\s*7\s*<", section)
    csv = analyst.get("/analytics/enquiries.csv")
    assert csv.status_code == 200 and "Southeast Asia" in csv.content.decode()
    frame = pl.read_parquet(io.BytesIO(analyst.get("/analytics/enquiries.parquet").content))
    by_region = dict(zip(frame["sub_region"], frame["enquiries"], strict=True))
    assert by_region["035"] == 7 and by_region["419"] is None
    supervisor = client_for(make_user(Role.SUPERVISOR))
    exact = pl.read_parquet(io.BytesIO(supervisor.get("/analytics/enquiries.parquet").content))
    assert dict(zip(exact["sub_region"], exact["enquiries"], strict=True))["419"] == 2


def test_the_demo_seeds_thirty_weeks_with_a_rise_after_august() -> None:
    from kvisa.site.demo import seed_enquiries

    today = dt.date(2026, 12, 1)
    total = seed_enquiries(random.Random(7), today=today)
    assert total > 1000
    days = EnquiryCount.objects.dates("day", "day")
    assert days[0] == today - dt.timedelta(days=30 * 7 - 1)
    growth = enquiries.growth_since(dt.date(2026, 8, 1), today, exact=True)
    assert growth["change"] > 0.2
    supervisor = client_for(make_user(Role.SUPERVISOR))
    html = supervisor.get("/analytics/?enquiries_since=2026-08-01").content.decode()
    assert re.search(r'data-testid="enquiry-growth"[^>]*><strong>\+\d+%</strong> per day since',
                     html)  # the 30 weeks begin inside the period before 1 August


def test_a_period_partly_before_the_first_count_is_compared_per_day() -> None:
    since, today = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    for offset in range(10):  # counting began 10 days before: 3 a day, then 6 a day
        for _ in range(3):
            enquiry_counts.record("interview", nationality="USA", routes_open=(),
                             day=since - dt.timedelta(days=offset + 1))
    for offset in range(30):
        for _ in range(6):
            enquiry_counts.record("interview", nationality="USA", routes_open=(),
                             day=since + dt.timedelta(days=offset))
    growth = enquiries.growth_since(since, today, exact=True)
    assert growth["per_day"] and growth["earlier_days"] == 10
    assert growth["counted_from"] == dt.date(2026, 10, 22)
    assert growth["change"] == pytest.approx(1.0)  # 6 a day against 3, not 180 against 30
