"""The draft as a task list: sections with statuses, a page per group of questions,
hard questions in plain words, required documents per route."""

from __future__ import annotations

import re

import pytest

from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.casework.errors import IncompleteApplication
from kvisa.casework.models import Application, State
from tests.support.cases import IDENTITY, PROFILE
from tests.support.files import attach_required_documents
from tests.support.files import pdf as specimen_pdf
from tests.support.files import photo as portrait
from tests.support.people import client_for, make_user


def _statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-section="(\w+)" data-status="(\w+)"', html))


def test_a_new_draft_lists_every_section_not_started() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    page = client_for(applicant).get(f"/applications/{application.pk}/edit/").content.decode()
    assert _statuses(page) == {"identity": "not_started", "education": "not_started",
                               "contact": "not_started", "documents": "not_started",
                               "check": "cannot_start"}
    assert "Not started" in page and "Cannot start yet" in page


def test_a_page_saves_its_own_answers_and_keeps_the_others() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={"highest_degree": "master"}, identity={})
    answer = client.post(f"/applications/{application.pk}/edit/identity/", {
        "surname": "sharma", "given_names": "Priya", "sex": "F", "passport_number": "z1234567",
        "passport_expiry": "2031-01-01", "date_of_birth": "1996-05-14", "nationality": "IND"})
    assert answer.status_code == 302 and answer["Location"].endswith(
        f"/applications/{application.pk}/edit/")
    application.refresh_from_db()
    assert application.identity["surname"] == "SHARMA"
    assert application.profile == {"highest_degree": "master", "date_of_birth": "1996-05-14",
                                   "nationality": "IND"}
    page = client.get(f"/applications/{application.pk}/edit/").content.decode()
    assert _statuses(page)["identity"] == "completed"
    assert _statuses(page)["education"] == "in_progress"


def test_a_section_walks_page_by_page_and_an_unreadable_answer_stays_on_its_page() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    base = f"/applications/{application.pk}/edit"
    blank = client.post(f"{base}/degree/", {"highest_degree": "master", "degree_field": "0613"})
    assert blank.status_code == 200  # the institution is asked for the officer: said at once
    assert "Enter the name of the university or institution" in blank.content.decode()
    moved = client.post(f"{base}/degree/", {"highest_degree": "master", "degree_field": "0613",
                                            "institution_name": "Indian Institute of Science",
                                            "institution_country": "India"})
    assert moved["Location"].endswith(f"{base}/recognised/")
    question = client.get(f"{base}/recognised/").content.decode()
    assert "Is your highest degree from a well-known university or research institution?" in question
    assert client.post(f"{base}/recognised/", {"degree_institution_recognised": "true"}
                       )["Location"].endswith(f"{base}/other-degree/")
    client.post(f"{base}/other-degree/", {"only_degree": "true"})
    client.post(f"{base}/teaching/", {"teaching_or_research_at_recognised_institution": "false"})
    wrong = client.post(f"{base}/experience/", {"years_work_experience": "four"})
    assert wrong.status_code == 200
    text = wrong.content.decode()
    assert 'data-testid="error-summary"' in text and 'href="#f-years_work_experience"' in text
    assert 'aria-invalid="true"' in text and "Enter a number" in text
    application.refresh_from_db()
    assert application.profile["years_work_experience"] == "four"  # kept as typed
    assert client.post(f"{base}/experience/", {"years_work_experience": "4"}
                       )["Location"].endswith(f"{base}/")
    page = client.get(f"{base}/").content.decode()
    assert _statuses(page)["education"] == "completed"


def test_the_criminal_record_question_is_asked_in_plain_words() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant,
                                              programme="cn.permanent_residence")
    client.post(f"/applications/{application.pk}/route/", {"route": "child"})
    base = f"/applications/{application.pk}/edit"
    page = client.get(f"{base}/criminal-record/").content.decode()
    assert "Do you have a criminal record, in China or in any other country?" in page
    assert "<title>Do you have a criminal record" in page
    client.post(f"{base}/criminal-record/", {"no_criminal_record": "true"})  # "Yes, I have one"
    application.refresh_from_db()
    assert application.profile["no_criminal_record"] is False
    again = client.get(f"{base}/criminal-record/").content.decode()
    assert re.search(r'value="true" checked> Yes', again)
    client.post(f"{base}/criminal-record/", {"no_criminal_record": "false"})
    application.refresh_from_db()
    assert application.profile["no_criminal_record"] is True


def test_submission_without_the_routes_documents_is_refused_with_each_one_named() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant,
                                              programme="cn.permanent_residence")
    services.application_save_draft(
        application_id=application.pk, by=applicant,
        profile={"date_of_birth": "1960-01-01", "nationality": "DEU",
                 "no_criminal_record": True, "good_health": True},
        identity={**IDENTITY, "route": "spouse"})
    services.document_upload(application_id=application.pk, by=applicant, kind="photo",
                             name="me.jpg", data=portrait())
    with pytest.raises(IncompleteApplication) as caught:
        services.application_submit(application_id=application.pk, by=applicant,
                                    client_txn_id="s")
    missing = [p["message"] for p in caught.value.problems if p["field"] == "documents"]
    assert len(missing) == 4
    assert any("Certificate of no criminal record" in m for m in missing)
    assert any("marriage or birth certificate" in m for m in missing)
    assert not any("Photo" in m for m in missing)
    client = client_for(applicant)
    listed = client.get(f"/applications/{application.pk}/edit/?check=1").content.decode()
    assert f'href="/applications/{application.pk}/edit/documents/#f-documents"' in listed
    attach_required_documents(application.pk, applicant)
    done = services.application_submit(application_id=application.pk, by=applicant,
                                       client_txn_id="s2")
    assert done.state == State.SUBMITTED


def test_k_visa_needs_a_degree_or_a_teaching_proof_either_will_do() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity=IDENTITY)
    for kind, data in (("passport_page", specimen_pdf("passport")), ("photo", portrait()),
                       ("teaching_research_proof", specimen_pdf("contract"))):
        services.document_upload(application_id=application.pk, by=applicant, kind=kind,
                                 name=f"{kind}.bin", data=data)
    submitted = services.application_submit(application_id=application.pk, by=applicant,
                                            client_txn_id="s")
    assert submitted.state == State.SUBMITTED


def test_the_documents_page_shows_the_checklist_and_who_says_so() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    services.document_upload(application_id=application.pk, by=applicant, kind="photo",
                             name="me.jpg", data=portrait())
    page = client.get(f"/applications/{application.pk}/edit/documents/").content.decode()
    checklist = page.split('data-testid="checklist"')[1].split("</ul>")[0]
    assert '<li class="met">✓ Photo' in checklist
    assert '<li class="not_met">○ Passport photo page' in checklist
    assert "Degree certificate or Proof of teaching or research" in checklist
    assert "may ask for more" in page and "not an official checklist" in page
    kinds = re.findall(r'<option value="([a-z_]+)"( selected)?>', page.split('id="kind"')[1]
                       .split("</select>")[0])
    offered = [kind for kind, _selected in kinds]
    assert offered == ["passport_page", "photo", "degree_certificate",
                       "teaching_research_proof", "cv", "evidence"]  # no PR kinds
    assert [kind for kind, selected in kinds if selected] == ["passport_page"]  # next missing
    tasks = client.get(f"/applications/{application.pk}/edit/").content.decode()
    assert _statuses(tasks)["documents"] == "in_progress"


def test_a_page_that_does_not_exist_or_a_submitted_case_is_not_a_form() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    assert client.get(f"/applications/{application.pk}/edit/nope/").status_code == 404
    other = make_user(Role.APPLICANT)
    assert client_for(other).get(
        f"/applications/{application.pk}/edit/identity/").status_code == 404
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    assert client.get(f"/applications/{application.pk}/edit/identity/"
                      )["Location"].endswith(f"/applications/{application.pk}/")


def test_the_degree_page_asks_the_institution_and_the_officer_sees_it() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    base = f"/applications/{application.pk}/edit"
    page = client.get(f"{base}/degree/").content.decode()
    assert 'name="institution_name"' in page and 'name="institution_country"' in page
    client.post(f"{base}/degree/", {"highest_degree": "master", "degree_field": "0613",
                                    "institution_name": "Indian Institute of Science",
                                    "institution_country": "IND"})
    application.refresh_from_db()
    assert application.identity["institution_name"] == "Indian Institute of Science"
    assert application.identity["institution_country"] == "IND"
    assert application.profile["highest_degree"] == "master"
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    officer = client_for(make_user(Role.OFFICER))
    case = officer.get(f"/console/cases/{application.pk}/").content.decode()
    assert "Indian Institute of Science" in case and "India (IND)" in case


def test_a_missing_surname_or_an_expired_passport_is_said_at_once() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    answer = client.post(f"/applications/{application.pk}/edit/identity/", {
        "surname": "", "given_names": "Priya", "sex": "F", "passport_number": "Z1234567",
        "passport_expiry": "2020-01-01", "date_of_birth": "1996-05-14", "nationality": "IND"})
    assert answer.status_code == 200  # stays on the page, nothing typed lost
    text = answer.content.decode()
    assert 'data-testid="error-summary"' in text
    assert 'href="#f-surname"' in text and "Enter your surname" in text
    assert 'href="#f-passport_expiry"' in text and "expired on 2020-01-01" in text
    application.refresh_from_db()
    assert application.identity["passport_number"] == "Z1234567"  # what was typed is kept
    # the check page refuses to continue while anything is missing or invalid
    check = client.get(f"/applications/{application.pk}/check/")
    assert check.status_code == 302 and "check=1" in check["Location"]


def test_contact_and_travel_are_asked_checked_at_once_and_shown_to_the_officer() -> None:
    """Issue 27 rule 4: what a visa form asks besides the conditions (a telephone, an
    address, the date of arrival, earlier visits), each checked as it is given."""
    import datetime as dt

    from django.utils import timezone

    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = services.application_create(applicant=applicant)
    base = f"/applications/{application.pk}/edit"
    wrong = client.post(f"{base}/contact/", {"phone": "call me", "home_address": "12 MG Road"})
    assert wrong.status_code == 200
    text = wrong.content.decode()
    assert 'href="#f-phone"' in text and "country code" in text
    application.refresh_from_db()
    assert application.identity["home_address"] == "12 MG Road"  # nothing typed is lost
    moved = client.post(f"{base}/contact/", {"phone": "+91 98765 43210",
                                             "home_address": "12 MG Road, Bengaluru"})
    assert moved["Location"].endswith(f"{base}/travel/")
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    late = client.post(f"{base}/travel/", {"intended_entry_date": past,
                                           "visited_china_before": "false"})
    assert late.status_code == 200 and "has passed" in late.content.decode()
    far = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    assert "within a year" in client.post(f"{base}/travel/", {
        "intended_entry_date": far}).content.decode()
    soon = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    done = client.post(f"{base}/travel/", {"intended_entry_date": soon,
                                           "visited_china_before": "false"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.identity["phone"] == "+91 98765 43210"
    assert application.identity["intended_entry_date"] == soon
    assert application.identity["visited_china_before"] is False
    page = client.get(f"{base}/").content.decode()
    assert _statuses(page)["contact"] == "completed"
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    officer = client_for(make_user(Role.OFFICER))
    case = officer.get(f"/console/cases/{application.pk}/").content.decode()
    assert "+91 98765 43210" in case and "12 MG Road, Bengaluru" in case
    assert "When do you plan to arrive in China?" in case
