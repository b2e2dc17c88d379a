"""The flows dashboard: counts over time with the recent change, processing times,
refusal reasons, small cells suppressed for analysts, downloads, filters checked."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from django.utils import timezone

from kvisa.accounts.models import Role
from kvisa.casework import decisions, services
from kvisa.casework.models import Application, Decision
from kvisa.casework.profile_form import checked_profile
from kvisa.rules import explain
from tests.support.cases import PROFILE, submitted
from tests.support.people import client_for, make_user

NOT_STEM = {**PROFILE, "degree_field": "0413"}


def _case(*, weeks_ago: float, nationality: str = "IND", decided_after: int | None = None,
          refuse: bool = False) -> Application:
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = submitted(applicant, {**(NOT_STEM if refuse else PROFILE),
                                        "nationality": nationality})
    when = timezone.now() - dt.timedelta(weeks=weeks_ago)
    if decided_after is not None:
        services.application_assign(application_id=application.pk, by=officer,
                                    client_txn_id="a")
        if refuse:
            assessment = explain(checked_profile(application.profile)[0],
                                 ["cn.k_visa"]).programmes[0]
            services.application_refuse(
                application_id=application.pk, by=officer, client_txn_id="r",
                reasons=decisions.refusal_reasons(assessment)[:1])
        else:
            services.application_approve(application_id=application.pk, by=officer,
                                         client_txn_id="ok")
        Decision.objects.filter(application=application).update(
            decided_at=when + dt.timedelta(days=decided_after))
    Application.objects.filter(pk=application.pk).update(submitted_at=when)
    return application


@pytest.fixture
def flows() -> None:
    for _ in range(6):
        _case(weeks_ago=1, decided_after=2)              # recent, India
    for _ in range(2):
        _case(weeks_ago=2, nationality="DEU")            # recent, open, small cell
    for _ in range(4):
        _case(weeks_ago=6, decided_after=10)             # earlier
    _case(weeks_ago=7, decided_after=20, refuse=True)
    _case(weeks_ago=12)                                  # open and past target (30 days)


def test_a_supervisor_sees_exact_counts_the_change_and_processing_times(flows: None) -> None:
    page = client_for(make_user(Role.SUPERVISOR)).get("/analytics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<strong class=\"big\">14</strong>" in text
    # last 4 weeks: 8; the 4 weeks before: 5 → +60%
    assert "+60% in the last 4 weeks: 8 applications, against 5" in text
    table = text.split('data-testid="processing-table"')[1].split("</table>")[0]
    # decided: 6 after 2 days, 4 after 10, 1 after 20 → median 2, p90 10; open 3, 1 past 30 days
    assert "<td class=\"num\">11</td><td class=\"num\">2.0</td><td class=\"num\">10.0</td>" \
           "<td class=\"num\">3</td><td class=\"num\">1</td>" in table
    assert "<svg" in text and "suppression-note" not in text
    assert "Germany (DEU)" in text


def test_an_analyst_sees_small_cells_suppressed_on_the_page_and_in_downloads(
        flows: None) -> None:
    analyst = client_for(make_user(Role.ANALYST))
    text = analyst.get("/analytics/").content.decode()
    assert 'data-testid="suppression-note"' in text
    nationality = text.split('id="nationality"')[1].split("</section>")[0]
    assert "Germany (DEU)</td><td class=\"num\">&lt;5</td>" in nationality
    assert "India (IND)</td><td class=\"num\">12</td>" in nationality
    csv = analyst.get("/analytics/nationality.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    frame = pl.read_csv(io.BytesIO(csv.content))
    assert frame.filter(pl.col("nationality") == "DEU")["applications"].to_list() == [None]
    parquet = pl.read_parquet(io.BytesIO(analyst.get("/analytics/processing.parquet").content))
    assert parquet["past_target"].to_list() == [None]          # 1 case: hidden
    exact = client_for(make_user(Role.SUPERVISOR)).get("/analytics/nationality.csv")
    assert pl.read_csv(io.BytesIO(exact.content)).filter(
        pl.col("nationality") == "DEU")["applications"].to_list() == [2]


def test_regions_group_nationalities_as_the_un_does_in_both_languages(flows: None) -> None:
    supervisor = client_for(make_user(Role.SUPERVISOR))
    region = supervisor.get("/analytics/").content.decode().split('id="region"')[1].split(
        "</section>")[0]
    assert "<td>Asia</td><td>Southern Asia</td><td class=\"num\">12</td>" in region
    assert "<td>Europe</td><td>Western Europe</td><td class=\"num\">2</td>" in region
    rows = pl.read_csv(io.BytesIO(supervisor.get("/analytics/region.csv").content),
                       schema_overrides={"region": pl.String, "sub_region": pl.String})
    assert rows.select("region", "sub_region", "applications").rows() == [
        ("142", "034", 12), ("150", "155", 2)]
    analyst = client_for(make_user(Role.ANALYST))
    chinese = analyst.get("/analytics/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode().split(
        'id="region"')[1]
    assert "<td>亚洲</td><td>南亚</td><td class=\"num\">12</td>" in chinese
    assert "<td>欧洲</td><td>西欧</td><td class=\"num\">&lt;5</td>" in chinese


def test_filters_narrow_the_counts_and_bad_ones_are_reported(flows: None) -> None:
    supervisor = client_for(make_user(Role.SUPERVISOR))
    start = (timezone.localdate() - dt.timedelta(weeks=3)).isoformat()
    narrowed = supervisor.get(f"/analytics/?start={start}&period=month").content.decode()
    assert "<strong class=\"big\">8</strong>" in narrowed
    for query, message in (("start=2026-13-01", "is not a date"),
                           ("programme=us.nothing", "there is no programme"),
                           ("start=2026-05-01&end=2026-01-01", "after the end date"),
                           ("period=year", "choose week or month")):
        answer = supervisor.get(f"/analytics/?{query}")
        assert answer.status_code == 400 and message in answer.content.decode(), query
    assert supervisor.get("/analytics/nationality.xlsx").status_code == 404


def test_refusal_reasons_are_named_by_criterion(flows: None) -> None:
    text = client_for(make_user(Role.SUPERVISOR)).get("/analytics/").content.decode()
    reasons = text.split('id="reasons"')[1].split("</section>")[0]
    assert "Engaged in STEM teaching or research at a well-known university" in reasons
    assert "cn.k_visa." not in reasons.split("<tbody>")[1]      # words, not ids


def test_applicants_and_officers_do_not_see_the_dashboard() -> None:
    for role in (Role.APPLICANT, Role.OFFICER):
        assert client_for(make_user(role)).get("/analytics/").status_code == 404


def test_an_empty_week_keeps_its_place_as_a_gap() -> None:
    import datetime as dt

    from kvisa.analytics.dashboard import over_time

    submitted = [dt.datetime(2026, 11, 2, 10), dt.datetime(2026, 11, 3, 9),
                 dt.datetime(2026, 11, 17, 12)]  # nothing in the week of 9 November
    table = over_time(pl.DataFrame({"submitted": submitted}), "week")
    assert table["period"].to_list() == [dt.date(2026, 11, 2), dt.date(2026, 11, 9),
                                         dt.date(2026, 11, 16)]
    assert table["applications"].to_list() == [2, 0, 1]
