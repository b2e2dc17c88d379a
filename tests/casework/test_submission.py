"""Submitting: every missing answer at once, linked to its field; check answers; declaration;
confirmation with the reference, next steps and the processing time."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from kvisa.accounts.models import ApiToken, Role
from kvisa.casework import services
from kvisa.casework.errors import IncompleteApplication
from kvisa.casework.models import Action, Application, State
from tests.support.cases import IDENTITY, PROFILE
from tests.support.files import attach_required_documents
from tests.support.people import client_for, make_user


def test_the_service_lists_every_problem_at_once() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={"date_of_birth": "2999-01-01",
                                             "years_work_experience": "four"},
                                    identity={"surname": "SHARMA"})
    with pytest.raises(IncompleteApplication) as caught:
        attach_required_documents(application.pk)
        services.application_submit(application_id=application.pk, by=applicant,
                                    client_txn_id="s")
    fields = [p["field"] for p in caught.value.problems]
    assert fields == ["sex", "passport_number", "passport_expiry", "nationality", "phone",
                      "home_address", "intended_entry_date", "visited_china_before",
                      "institution_name", "institution_country", "date_of_birth",
                      "years_work_experience"]
    messages = " ".join(p["message"] for p in caught.value.problems)
    assert "date of birth in the past" in messages and "Enter a number" in messages
    assert "String should match" not in messages and "_" not in messages
    application.refresh_from_db()
    assert application.state == State.DRAFT and not Action.objects.filter(kind="submit")


def test_the_api_answers_422_with_the_problems() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 't', scope='write')[1]}")
    answer = api.post(f"/api/v1/applications/{application.pk}/submit",
                      json.dumps({"client_txn_id": "x"}), content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["title"] == "Application incomplete"
    assert {p["field"] for p in answer.json()["problems"]} >= {"surname", "date_of_birth"}


def test_an_incomplete_draft_goes_back_to_the_form_with_a_linked_summary() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={"years_work_experience": "four"},
                                    identity={"surname": "SHARMA"})
    check = client.get(f"/applications/{application.pk}/check/")
    assert check.status_code == 302 and "?check=1" in check["Location"]
    page = client.get(f"/applications/{application.pk}/edit/?check=1").content.decode()
    assert 'data-testid="error-summary"' in page
    assert (f'<a href="/applications/{application.pk}/edit/identity/#f-passport_number">'
            'Enter your passport number.</a>') in page
    assert f'href="/applications/{application.pk}/edit/documents/#f-documents"' in page
    page = client.get(f"/applications/{application.pk}/edit/experience/?check=1"
                      ).content.decode()
    assert 'id="f-years_work_experience" name="years_work_experience" aria-invalid="true" ' \
           'aria-describedby="f-years_work_experience-error"' in page
    assert 'id="f-years_work_experience-error">Enter a number' in page
    # submitting anyway (a stale page) lands on the same summary, nothing submitted
    posted = client.post(f"/applications/{application.pk}/submit/",
                         {"client_txn_id": "t", "declaration": "yes"})
    assert "?check=1" in posted["Location"]
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_check_answers_declaration_and_confirmation() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity=IDENTITY)
    attach_required_documents(application.pk)
    page = client.get(f"/applications/{application.pk}/check/").content.decode()
    assert "Check your answers before submitting" in page
    assert f'href="/applications/{application.pk}/edit/identity/#f-passport_number">Change' \
        in page
    assert "Is your highest degree from a well-known university or research institution?" in page
    assert "SHARMA" in page and "India" in page
    no_declaration = client.post(f"/applications/{application.pk}/submit/",
                                 {"client_txn_id": "t"}, follow=True)
    assert "Confirm the declaration" in no_declaration.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.DRAFT
    done = client.post(f"/applications/{application.pk}/submit/",
                       {"client_txn_id": "t", "declaration": "yes"})
    assert done["Location"] == f"/applications/{application.pk}/submitted/"
    assert Action.objects.get(application=application, kind="submit").payload["declared"]
    confirmation = client.get(done["Location"]).content.decode()
    assert re.search(rf'class="reference">{application.reference}<', confirmation)
    assert "What happens next" in confirmation
    assert "No official processing time is published" in confirmation  # K visa: none


def test_permanent_residence_needs_a_route_and_states_its_time_limit_as_reported() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant,
                                              programme="cn.permanent_residence")
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={"date_of_birth": "1985-01-01",
                                             "nationality": "DEU"}, identity=IDENTITY)
    with pytest.raises(IncompleteApplication) as caught:
        attach_required_documents(application.pk)
        services.application_submit(application_id=application.pk, by=applicant,
                                    client_txn_id="s")
    assert [p["field"] for p in caught.value.problems] == ["route"]
    client.post(f"/applications/{application.pk}/route/", {"route": "spouse"})
    attach_required_documents(application.pk)  # and now the marriage certificate
    client.post(f"/applications/{application.pk}/submit/",
                {"client_txn_id": "t", "declaration": "yes"})
    confirmation = client.get(f"/applications/{application.pk}/submitted/").content.decode()
    assert "Up to 90 days." in confirmation and "secondary sources" in confirmation
