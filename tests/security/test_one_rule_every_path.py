"""One rule on every path (issue 21, finding 4): sessions, small counts, CSV cells,
account probing, documents per application, card renewal, passphrases."""

from __future__ import annotations

import io
import json
import re
import time
from typing import Any

import polars as pl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from kvisa.accounts.models import Role, User
from kvisa.casework import services
from kvisa.casework.errors import NotAllowed
from kvisa.casework.models import Application, State, WageTable
from kvisa.spreadsheet_csv import frame_to_csv, neutralise, rows_to_csv
from tests.support.cases import IDENTITY, PROFILE
from tests.support.people import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db


def test_an_authorization_header_does_not_keep_an_idle_session_alive(settings: Any) -> None:
    from kvisa.accounts.session_guard import SEEN

    client = client_for(make_user(Role.APPLICANT))
    session = client.session
    session[SEEN] = time.time() - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    ended = client.get("/applications/", HTTP_AUTHORIZATION="Bearer nothing")
    assert ended.status_code == 302 and "/accounts/login/" in ended["Location"]
    assert client.get("/applications/").status_code == 302  # signed out for good
    api = client.get("/api/v1/applications", HTTP_AUTHORIZATION="Bearer nothing")
    assert api.status_code == 401  # no session, and the token is no token


def _applications(count: int, nationality: str) -> None:
    applicant = make_user(Role.APPLICANT)
    for _ in range(count):
        Application.objects.create(applicant=applicant, programme="cn.k_visa",
                                   state=State.SUBMITTED, nationality=nationality,
                                   profile=PROFILE, identity=IDENTITY,
                                   submitted_at=timezone.now())


def test_analysts_get_no_small_count_from_the_api_and_a_rounded_total() -> None:
    _applications(3, "RUS")
    _applications(11, "IND")
    analyst = client_for(make_user(Role.ANALYST))
    flows = analyst.get("/api/v1/analytics/flows").json()
    assert flows["by_nationality"]["RUS"] is None and flows["by_nationality"]["IND"] == 11
    assert flows["total"] == 15 and flows["exact"] is False  # 14 rounded to 5
    page = analyst.get("/analytics/").content.decode()
    headline = page.split('data-testid="headline"')[1].split("</div>")[0]
    assert "about 15" in headline and "14" not in headline
    supervisor = client_for(make_user(Role.SUPERVISOR))
    exact = supervisor.get("/api/v1/analytics/flows").json()
    assert exact["by_nationality"]["RUS"] == 3 and exact["total"] == 14


def test_a_total_differenced_over_one_person_reveals_nothing() -> None:
    from kvisa.analytics.dashboard import disclosed_total

    # 12 and 13 people both show as 10 or 15 in steps that hide a single person
    assert {disclosed_total(n, exact=False) for n in (11, 12)} == {10}
    assert disclosed_total(3, exact=False) is None
    assert disclosed_total(3, exact=True) == 3


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tTAB", "\rCR"])
def test_csv_cells_that_a_spreadsheet_would_run_are_text(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert rows_to_csv(["a"], [[cell]]).splitlines()[1].lstrip('"').startswith("'")
    frame = pl.DataFrame({"text": [cell], "amount": [-5]})
    back = pl.read_csv(io.BytesIO(frame_to_csv(frame)))
    assert back["text"][0] == "'" + cell and back["amount"][0] == -5


def test_the_wage_table_download_neutralises_free_text() -> None:
    admin = client_for(make_user(Role.ADMIN))
    body = (b"city,city_zh,year,average_wage_cny,status,source,url\n"
            b'Shanghai,"=HYPERLINK(""http://evil"",""x"")",2018,100000,reported,'
            b"@cmd,https://example.org\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = admin.post("/reference/average-wages/", {
        "table": SimpleUploadedFile("wages.csv", body), "mode": "replace"})
    assert answer.status_code in (200, 302), answer.content[:300]
    assert WageTable.objects.exists()
    csv = admin.get("/reference/average-wages/?format=csv").content.decode()
    assert "'=HYPERLINK" in csv and "'@cmd" in csv
    assert ",=HYPERLINK" not in csv and ',"=HYPERLINK' not in csv


def test_registering_a_taken_address_answers_as_a_new_one_and_mails_the_owner() -> None:
    owner = make_user(Role.APPLICANT)
    mail.outbox.clear()
    fresh = Client().post("/accounts/register/", {"display_name": "New", "email":
                                                  "someone.new@example.org",
                                                  "password": PASSWORD})
    taken = Client().post("/accounts/register/", {"display_name": "Probe", "email":
                                                  owner.email, "password": PASSWORD})
    assert taken.status_code == fresh.status_code == 200
    assert "already exists" not in taken.content.decode()
    def strip(page: Any) -> str:
        text = page.content.decode().replace("someone.new@example.org", "X")
        return re.sub(r'CSRFToken": "[^"]+"|value="[A-Za-z0-9]{64}"', "", text.replace(
            owner.email, "X"))

    assert strip(taken) == strip(fresh)
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(to_owner) == 1 and "already has one" in to_owner[0].body
    assert User.objects.filter(email=owner.email).count() == 1


def test_documents_per_application_and_per_request_are_bounded() -> None:
    from tests.support.files import photo as portrait

    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant, programme="cn.k_visa")
    photo = portrait()
    for n in range(services.MAX_DOCUMENTS_PER_APPLICATION):
        services.document_upload(application_id=application.pk, by=applicant, kind="evidence",
                                 name=f"{n}.png", data=photo)
    with pytest.raises(NotAllowed, match="the most it can hold"):
        services.document_upload(application_id=application.pk, by=applicant, kind="evidence",
                                 name="one-more.png", data=photo)
    second = services.application_create(applicant=applicant, programme="cn.k_visa")
    client = client_for(applicant)
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"{n}.png", photo, content_type="image/png") for n in range(6)]
    answer = client.post(f"/applications/{second.pk}/upload/", {"kind": "evidence", "files": files},
                         follow=True)
    assert "at most 5 files at a time" in answer.content.decode()
    assert not second.documents.exists()
    page = client.get(f"/applications/{second.pk}/edit/documents/").content.decode()
    assert "Up to 5 files at a time, and 20 documents" in page


@pytest.mark.parametrize("phrase", ["correcthorsebatterystaple", "Correct Horse Battery Staple",
                                    "correct-horse-battery-staple",
                                    "The quick brown fox jumps over the lazy dog"])
def test_well_known_passphrases_are_refused(phrase: str) -> None:
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError, match="well known"):
        validate_password(phrase, User(email="x@example.org", role=Role.APPLICANT))
    validate_password("granite lamp under the quiet ferry", User(email="x@example.org",
                                                                 role=Role.APPLICANT))


def test_flows_json_is_the_same_rule_as_the_page() -> None:
    _applications(2, "BRA")
    analyst = client_for(make_user(Role.ANALYST))
    flows = analyst.get("/api/v1/analytics/flows").json()
    assert flows["total"] is None  # 2 people: below the threshold, not "2" and not "0"
    assert json.dumps(flows).count(": 2") == 0
