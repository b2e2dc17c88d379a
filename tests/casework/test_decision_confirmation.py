"""Officer decisions pass a confirmation page; refusal reasons are the criteria that decide."""

from __future__ import annotations

from kvisa.accounts.models import Role
from kvisa.casework import decisions, services
from kvisa.casework.models import Application, State
from kvisa.rules import explain
from tests.support.cases import PROFILE, under_review
from tests.support.files import png
from tests.support.people import client_for, make_user


def test_one_click_never_decides_and_the_summary_says_what_was_opened() -> None:
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = under_review(applicant, officer)
    Application.objects.filter(pk=application.pk).update(state=State.DRAFT)
    services.document_upload(application_id=application.pk, by=applicant,
                                        kind="degree_certificate", name="degree.png",
                                        data=png())
    Application.objects.filter(pk=application.pk).update(state=State.UNDER_REVIEW)
    client = client_for(officer)
    answer = client.post(f"/console/cases/{application.pk}/approve/", {"client_txn_id": "a"})
    assert answer.status_code == 302 and "/confirm/approve/" in answer["Location"]
    assert Application.objects.get(pk=application.pk).state == State.UNDER_REVIEW

    page = client.get(f"/console/cases/{application.pk}/confirm/approve/").content.decode()
    assert "Approve and issue the e-visa?" in page and "Criteria this decision relies on" in page
    assert "Holds a bachelor" in page or "degree" in page
    assert "not opened by you" in page and 'data-testid="unopened-warning"' in page
    for each in application.documents.all():
        client.get(f"/applications/{application.pk}/documents/{each.pk}/")
    page = client.get(f"/console/cases/{application.pk}/confirm/approve/").content.decode()
    assert "opened by you" in page and 'data-testid="unopened-warning"' not in page

    done = client.post(f"/console/cases/{application.pk}/approve/",
                       {"client_txn_id": "a", "confirmed": "yes"})
    assert done.status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.ISSUED
    case = client.get(f"/console/cases/{application.pk}/").content.decode()
    assert f'href="/applications/{application.pk}/e-visa/"' in case


def test_refusal_reasons_never_include_an_alternative_of_a_met_route() -> None:
    # eligible by degree (STEM master's): "teaches or researches" fails but does not matter
    assessment = explain({**PROFILE, "teaching_or_research_at_recognised_institution": False},
                         ["cn.k_visa"]).programmes[0]
    assert assessment.verdict == "eligible"
    failed = [c.id for c in assessment.criteria if c.result == "not_met"]
    assert failed and decisions.refusal_reasons(assessment) == []
    # too old: the age criterion decides and is offered
    old = explain({**PROFILE, "date_of_birth": "1950-01-01"}, ["cn.k_visa"]).programmes[0]
    assert any("age" in r for r in decisions.refusal_reasons(old))


def test_a_refusal_is_confirmed_with_its_reasons() -> None:
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = under_review(applicant, officer)
    client = client_for(officer)
    moot = client.get(f"/console/cases/{application.pk}/confirm/refuse/",
                      {"reasons": "cn.k_visa.teaching_or_research"}, follow=True)
    assert "Only criteria that are not met" in moot.content.decode()
    empty = client.get(f"/console/cases/{application.pk}/confirm/refuse/", follow=True)
    assert "Give at least one reason" in empty.content.decode()
    page = client.get(f"/console/cases/{application.pk}/confirm/refuse/",
                      {"note": "The degree certificate is forged."}).content.decode()
    assert "Refuse this application?" in page and "The degree certificate is forged." in page
    client.post(f"/console/cases/{application.pk}/refuse/",
                {"client_txn_id": "r", "confirmed": "yes",
                 "note": "The degree certificate is forged."})
    assert Application.objects.get(pk=application.pk).state == State.REFUSED


def test_a_decision_not_open_to_the_officer_has_no_confirmation_page() -> None:
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = under_review(applicant, officer)
    other = client_for(make_user(Role.OFFICER))
    answer = other.get(f"/console/cases/{application.pk}/confirm/approve/", follow=True)
    assert "This decision is not open to you now." in answer.content.decode()
    assert client_for(make_user(Role.APPLICANT)).get(
        f"/console/cases/{application.pk}/confirm/approve/").status_code == 404
