"""Dates and numbers out of range are answered with 4xx and a reason, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from kvisa.accounts.models import Role
from tests.support.people import client_for, make_user

from .test_api import api_for


@pytest.mark.parametrize("path", ["/api/v1/rules/check", "/api/v1/pathways/compare"])
@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_evaluation_dates_outside_the_calendar_are_refused(path: str, on: str) -> None:
    response = Client(raise_request_exception=False).post(
        path, {"profile": {}, "on": on}, content_type="application/json")
    assert response.status_code == 422, response.content[:300]
    assert "outside the dates kvisa evaluates" in response.json()["detail"]


def test_the_edges_of_the_date_range_are_answered() -> None:
    for on in ("1900-01-01", "2199-12-31"):
        response = Client().post("/api/v1/pathways/compare", {"profile": {}, "on": on},
                                 content_type="application/json")
        assert response.status_code == 200, (on, response.content[:300])


def test_queue_age_filter_out_of_range() -> None:
    officer = make_user(Role.OFFICER)
    page = client_for(officer).get("/console/?older_than_days=99999999999")
    assert page.status_code == 400
    assert "between 0 and" in page.content.decode()
    api = api_for(officer).get("/api/v1/queue?older_than_days=99999999999")
    assert api.status_code == 422


def test_revoking_a_token_that_is_not_a_number_is_not_found() -> None:
    user = make_user(Role.APPLICANT)
    response = client_for(user).post("/accounts/api-token/", {"revoke": "abc"})
    assert response.status_code == 404


def test_pathways_page_with_a_date_out_of_range_says_so_beside_the_field() -> None:
    response = Client().post("/pathways", {"on": "9999-12-31", "highest_degree": "master"})
    assert response.status_code == 422
    assert "outside the dates kvisa evaluates" in response.content.decode()


def test_a_draft_keeps_only_facts_and_stays_small() -> None:
    from kvisa.audit.models import AuditEvent
    from kvisa.casework import services

    applicant = make_user(Role.APPLICANT)
    draft = services.application_create(applicant=applicant)
    api = api_for(applicant)
    junk = api.put(f"/api/v1/applications/{draft.pk}/draft",
                   {"profile": {"junk": "x" * 5_000_000}, "identity": {}},
                   content_type="application/json")
    assert junk.status_code == 422 and "junk" in junk.json()["detail"]
    long = api.put(f"/api/v1/applications/{draft.pk}/draft",
                   {"profile": {"nationality": "X" * 100_000}, "identity": {}},
                   content_type="application/json")
    assert long.status_code == 422 and "too long" in long.json()["detail"]
    saved = api.put(f"/api/v1/applications/{draft.pk}/draft",
                    {"profile": {"nationality": "IND", "highest_degree": "master"},
                     "identity": {"surname": "SHARMA"}}, content_type="application/json")
    assert saved.status_code == 200, saved.content[:300]
    event = AuditEvent.objects.filter(action="application.save_draft").latest("sequence")
    assert event.after["changed"] == ["identity.surname", "profile.highest_degree",
                                      "profile.nationality"]
    assert len(event.after["sha256"]) == 64 and event.before == {}


def test_the_form_asks_for_other_degrees_and_a_stem_bachelors_counts() -> None:
    from kvisa.casework import services

    applicant = make_user(Role.APPLICANT)
    draft = services.application_create(applicant=applicant)
    client = client_for(applicant)
    answers = {"date_of_birth": "1994-01-01", "highest_degree": "master",
               "degree_field": "0413", "degree_institution_recognised": "true",
               "teaching_or_research_at_recognised_institution": "false"}
    alone = client.post(f"/applications/{draft.pk}/autosave/", answers).content.decode()
    assert "undetermined" in alone and "Every degree you hold" in alone
    both = client.post(f"/applications/{draft.pk}/autosave/", {
        **answers, "other_degree_level": "bachelor", "other_degree_field": "0714",
        "other_degree_recognised": "true"}).content.decode()
    assert 'class="verdict eligible"' in both
    # a contradiction (another degree above the highest) is reported, not a 500
    wrong = client.post(f"/applications/{draft.pk}/autosave/", {
        **answers, "other_degree_level": "doctorate"})
    assert wrong.status_code == 200 and "not the highest level" in wrong.content.decode()
    page = client.get(f"/applications/{draft.pk}/edit/other-degree/")
    assert page.status_code == 200 and 'name="other_degree_level"' in page.content.decode()


def test_error_pages_use_the_site_layout() -> None:
    refused = Client(enforce_csrf_checks=True).post("/accounts/login/",
                                                     {"username": "x", "password": "y"})
    assert refused.status_code == 403
    assert "You cannot do that here" in refused.content.decode()
    assert 'href="/pathways"' in refused.content.decode()
    missing = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert missing.status_code == 404 and "找不到该页面" in missing.content.decode()


def test_the_server_error_page_renders_without_a_request() -> None:
    # Django renders 500.html with no request context: it must still work
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        page = render_to_string("500.html")
    assert "Something went wrong on our side" in page and 'href="/"' in page


def test_a_nul_character_anywhere_is_a_clear_400() -> None:
    """Found by Schemathesis: a NUL in a query reached PostgreSQL and answered 500."""
    from kvisa.accounts.models import ApiToken

    officer = make_user(Role.OFFICER)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(officer, 'n')[1]}")
    response = api.get("/api/v1/queue?programme=cn%00k")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    applicant = make_user(Role.APPLICANT)
    writer = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 'w', scope='write')[1]}")
    created = writer.post("/api/v1/applications", {}, content_type="application/json").json()
    draft = writer.put(f"/api/v1/applications/{created['id']}/draft",
                       '{"identity": {"surname": "A\\u0000B"}}',
                       content_type="application/json")
    assert draft.status_code == 400
    page = client_for(applicant).post(f"/applications/{created['id']}/autosave/",
                                      {"surname": "A\x00B"})
    assert page.status_code == 400
