"""The JSON API: a whole case through /api/v1/, RFC 9457 errors, the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from reportlab.pdfgen import canvas

from kvisa.accounts.models import ApiToken, Role
from tests.support.cases import IDENTITY, PROFILE
from tests.support.files import photo
from tests.support.people import make_user


def api_for(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'test', scope='write')[1]}")


def _pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "degree")
    page.save()
    return buffer.getvalue()


def test_a_case_from_draft_to_issued_through_the_api(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    me, staff = api_for(applicant), api_for(officer)
    created = me.post("/api/v1/applications", {"programme": "cn.k_visa"},
                      content_type="application/json").json()
    pk = created["id"]
    draft = me.put(f"/api/v1/applications/{pk}/draft", {"profile": PROFILE, "identity": IDENTITY},
                   content_type="application/json")
    assert draft.status_code == 200
    assert me.get(f"/api/v1/applications/{pk}/precheck").json()["assessments"][0][
        "verdict"] == "eligible"
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploaded = me.post(f"/api/v1/applications/{pk}/documents",
                       {"kind": "degree_certificate",
                        "file": SimpleUploadedFile("degree.pdf", _pdf())})
    assert uploaded.status_code == 201, uploaded.content
    refused = me.post(f"/api/v1/applications/{pk}/submit", {"client_txn_id": "s-0"},
                      content_type="application/json")
    assert refused.status_code == 422
    assert {p["field"] for p in refused.json()["problems"]} == {"documents"}
    for kind, name, data in (("passport_page", "passport.pdf", _pdf()),
                             ("photo", "me.jpg", photo())):
        assert me.post(f"/api/v1/applications/{pk}/documents",
                       {"kind": kind, "file": SimpleUploadedFile(name, data)}
                       ).status_code == 201
    submit = {"client_txn_id": "s-1"}
    first = me.post(f"/api/v1/applications/{pk}/submit", submit, content_type="application/json")
    again = me.post(f"/api/v1/applications/{pk}/submit", submit, content_type="application/json")
    assert first.json()["state"] == again.json()["state"] == "submitted"
    assert first.json()["version"] == again.json()["version"]
    queue = staff.get("/api/v1/queue?nationality=IND").json()
    assert [a["id"] for a in queue] == [pk]
    staff.post(f"/api/v1/applications/{pk}/assign", {"client_txn_id": "a"},
               content_type="application/json")
    staff.post(f"/api/v1/applications/{pk}/request-evidence",
               {"client_txn_id": "e", "message": "Translation please",
                "due_date": (dt.date.today() + dt.timedelta(days=7)).isoformat()},
               content_type="application/json")
    me.post(f"/api/v1/applications/{pk}/evidence-answer", {"client_txn_id": "ans",
                                                           "answer": "Attached"},
            content_type="application/json")
    approved = staff.post(f"/api/v1/applications/{pk}/approve", {"client_txn_id": "ok"},
                          content_type="application/json").json()
    assert approved["state"] == "issued"
    seal = me.get(f"/api/v1/applications/{pk}").json()
    assert seal["state"] == "issued"
    from kvisa.issuance.models import Visa

    verified = Client().post("/api/v1/verify", {"seal_hex": Visa.objects.get().seal_hex},
                             content_type="application/json").json()
    assert verified["status"] == "valid"


def test_errors_are_problem_json(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    me = api_for(applicant)
    wrong_state = me.post("/api/v1/applications/999999/submit", {"client_txn_id": "x"},
                          content_type="application/json")
    assert wrong_state.status_code == 404
    body = wrong_state.json()
    assert wrong_state["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    bad = me.post("/api/v1/applications", {"programme": "cn.nope"},
                  content_type="application/json")
    assert bad.status_code == 422 and "cn.nope" in bad.json()["detail"]
    malformed = me.post("/api/v1/applications", "{not json", content_type="application/json")
    assert 400 <= malformed.status_code < 500
    assert api_for(officer).get("/api/v1/applications").status_code == 403
    assert me.get("/api/v1/queue").status_code == 403
    rules = Client().post("/api/v1/rules/check", {"profile": {"date_of_birth": "2000-02-31"}},
                          content_type="application/json")
    assert rules.status_code == 422 and "date_of_birth" in rules.json()["detail"]
    seal = Client().post("/api/v1/verify", {"seal_hex": "zz"}, content_type="application/json")
    assert seal.status_code == 422


def test_concurrent_version_check_gives_a_conflict(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    from tests.support.cases import under_review

    application = under_review(applicant, officer)
    stale = application.version - 1
    response = api_for(officer).post(
        f"/api/v1/applications/{application.pk}/approve",
        {"client_txn_id": "late", "expected_version": stale}, content_type="application/json")
    assert response.status_code == 409 and "changed since" in response.json()["detail"]


def test_openapi_document_lists_every_action() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    paths = set(document["paths"])
    for expected in ("/api/v1/applications", "/api/v1/applications/{application_id}/submit",
                     "/api/v1/applications/{application_id}/approve", "/api/v1/queue",
                     "/api/v1/pathways/compare", "/api/v1/pathways/interview",
                     "/api/v1/verify"):
        assert expected in paths
    assert Client().get("/api/v1/docs").status_code == 200


def test_pathways_api_matches_the_library() -> None:
    from kvisa.pathways.compare import compare

    profile = {**PROFILE, "us_job_offer": True, "outside_us": True}
    body = Client().post("/api/v1/pathways/compare", {"profile": profile, "on": "2026-03-01"},
                         content_type="application/json").json()
    expected = compare(profile, on=dt.date(2026, 3, 1)).as_dict()
    assert [r["verdict"] for r in body["routes"]] == [r["verdict"] for r in expected["routes"]]


def test_pathways_api_shows_a_payment_that_depends_on_a_blank_fact() -> None:
    profile = {"highest_degree": "master", "us_job_offer": True,
               "us_job_is_specialty_occupation": True, "outside_us": True,
               "us_national_interest_exception": False}
    body = Client().post("/api/v1/pathways/compare", {"profile": profile, "on": "2026-01-15"},
                         content_type="application/json").json()
    h1b = next(r for r in body["routes"] if r["programme"] == "us.h1b")
    payment = next(c for c in h1b["costs"] if "Proclamation" in c["item"])
    assert payment["amount"] == "100000" and payment["conditional"] is True
    assert payment["depends_on"] == ["holds_valid_h1b_visa"]
    assert "holds_valid_h1b_visa" in h1b["missing"]
    # up to: the payment and the Public Law 114-113 fee, while the employer is unknown
    assert h1b["totals"]["USD"]["up_to"] == "107595"
    assert set(h1b["totals"]["USD"]["depends_on"]) >= {"holds_valid_h1b_visa",
                                                       "us_employer_50_plus_employees"}
    assert h1b["season"]["label"] == "FY2027 cap season"


def test_supervisor_only_endpoints(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    from tests.support.cases import under_review

    application = under_review(applicant, officer)
    other = make_user(Role.OFFICER)
    refused = api_for(officer).post(f"/api/v1/applications/{application.pk}/reassign",
                                    {"client_txn_id": "r", "officer_id": other.pk},
                                    content_type="application/json")
    assert refused.status_code == 403
    supervisor = make_user(Role.SUPERVISOR)
    moved = api_for(supervisor).post(f"/api/v1/applications/{application.pk}/reassign",
                                     {"client_txn_id": "r", "officer_id": other.pk},
                                     content_type="application/json")
    assert moved.status_code == 200


def test_interview_api_prints_the_library_step() -> None:
    from kvisa.pathways.interview import next_step

    answers = {"date_of_birth": "1997-03-02", "nationality": "IND", "good_health": None}
    response = Client().post("/api/v1/pathways/interview",
                             {"answers": answers, "on": "2026-12-01", "lang": "zh"},
                             content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body == next_step(answers, on=dt.date(2026, 12, 1), lang="zh").as_dict()
    assert body["asked"] == 3 and body["next"]["facts"]
    assert "good_health" not in body["next"]["facts"]  # "I don't know" is not asked again


@pytest.mark.parametrize("body", [
    {"answers": {"date_of_birth": "1990-02-30"}},
    {"answers": {"shoe_size": 44}},
    {"answers": {}, "lang": "fr"},
    {"answers": {}, "routes": ["xx.nothing"]},
    {"answers": [1, 2]},
])
def test_interview_api_refuses_bad_answers_with_a_problem(body: dict[str, Any]) -> None:
    response = Client().post("/api/v1/pathways/interview", body,
                             content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"]
