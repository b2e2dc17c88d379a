"""Every page and endpoint × every role: who may call it, and what the others get."""

from __future__ import annotations

import json

from django.test import Client

from kvisa.accounts.models import ApiToken, Role
from kvisa.casework import services
from tests.support.cases import submitted, under_review
from tests.support.people import client_for, make_user


def _issued(applicant, officer):  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    return services.application_approve(application_id=application.pk, by=officer,
                                        client_txn_id="ok")


def test_anonymous_users_are_sent_to_sign_in_and_the_api_answers_401(applicant) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    anonymous = Client()
    for url in ("/applications/", f"/applications/{application.pk}/", "/console/",
                f"/console/cases/{application.pk}/", "/analytics/", "/accounts/advisers/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    api = anonymous.get(f"/api/v1/applications/{application.pk}")
    assert api.status_code == 401
    assert api["Content-Type"] == "application/problem+json"
    for url in ("/", "/verify", "/pathways", "/api/v1/openapi.json"):
        assert anonymous.get(url).status_code == 200, url


def test_another_applicant_gets_404_everywhere(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = _issued(applicant, officer)
    stranger = client_for(make_user(Role.APPLICANT))
    for url in (f"/applications/{application.pk}/", f"/applications/{application.pk}/edit/",
                f"/applications/{application.pk}/e-visa/"):
        assert stranger.get(url).status_code == 404, url
    for url in (f"/applications/{application.pk}/withdraw/",
                f"/applications/{application.pk}/autosave/",
                f"/applications/{application.pk}/upload/"):
        assert stranger.post(url, {"client_txn_id": "x"}).status_code == 404, url
    token = ApiToken.issue(stranger_user := make_user(Role.APPLICANT), "t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get(f"/api/v1/applications/{application.pk}")
    assert response.status_code == 404 and response.json()["status"] == 404
    assert stranger_user.applications.count() == 0


def test_the_owner_sees_their_case_and_downloads_the_e_visa(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = _issued(applicant, officer)
    owner = client_for(applicant)
    assert owner.get(f"/applications/{application.pk}/").status_code == 200
    download = owner.get(f"/applications/{application.pk}/e-visa/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_an_analyst_sees_aggregates_and_no_personal_data(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    analyst = client_for(make_user(Role.ANALYST))
    assert analyst.get(f"/console/cases/{application.pk}/").status_code == 404
    assert analyst.get("/console/").status_code == 404
    assert analyst.get(f"/applications/{application.pk}/").status_code == 404
    page = analyst.get("/analytics/")
    assert page.status_code == 200
    assert applicant.email.encode() not in page.content
    assert b"SHARMA" not in page.content
    flows = analyst.get("/api/v1/analytics/flows").json()
    assert flows["total"] is None and "SHARMA" not in json.dumps(flows)  # 1: below 5
    assert analyst.get(f"/api/v1/applications/{application.pk}").status_code == 404


def test_applicants_do_not_reach_the_console_and_officers_not_the_portal(applicant,  # type: ignore[no-untyped-def]
                                                                        officer) -> None:
    assert client_for(applicant).get("/console/").status_code == 404
    assert client_for(officer).get("/applications/").status_code == 404


def test_staff_must_pass_the_second_factor(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    half = Client()
    signed_in = half.post("/accounts/login/", {"username": officer.email,
                                               "password": "a long and memorable test passphrase"})
    assert signed_in.status_code == 302
    response = half.get(f"/console/cases/{application.pk}/")
    assert response.status_code == 302 and "second-factor" in response["Location"]
    api = half.get("/api/v1/queue")
    assert api.status_code == 403


def test_officer_views_of_personal_data_are_audited(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    from kvisa.audit.models import AuditEvent

    application = submitted(applicant)
    before = AuditEvent.objects.filter(action="view.case").count()
    assert client_for(officer).get(f"/console/cases/{application.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view.case").count() == before + 1


def test_officers_cannot_see_drafts(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    draft = services.application_create(applicant=applicant)
    assert client_for(officer).get(f"/console/cases/{draft.pk}/").status_code == 404


def test_an_adviser_sees_only_consenting_clients(applicant) -> None:  # type: ignore[no-untyped-def]
    adviser = make_user(Role.ADVISER)
    application = submitted(applicant)
    client = client_for(adviser)
    assert client.get(f"/applications/{application.pk}/").status_code == 404
    services.adviser_grant(applicant=applicant, adviser_email=adviser.email)
    assert client.get(f"/applications/{application.pk}/").status_code == 200
    assert application.reference.encode() in client.get("/applications/").content
