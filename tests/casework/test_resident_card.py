"""Permanent residence on the same service: approval issues the Foreign Permanent
Resident ID Card — a valid 18-character number, unique under concurrent issuance at
one office, validity from the rules (10 years from 18, else 5)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connections

from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.casework.models import State
from kvisa.documents import resident_id
from kvisa.issuance.models import ResidentCard
from tests.support.files import attach_required_documents, photo
from tests.support.people import make_user
from tests.support.profiles import PR_ANSWERS

PR = "cn.permanent_residence"
PROFILE = {"date_of_birth": "1985-07-01", "nationality": "IND", "no_criminal_record": True,
           "good_health": True}


def _under_review(birth: str = "1985-07-01", sex: str = "F", **identity: Any):  # type: ignore[no-untyped-def]
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = services.application_create(applicant=applicant, programme=PR)
    services.application_save_draft(
        application_id=application.pk, by=applicant, profile={**PROFILE, "date_of_birth": birth},
        identity={"surname": "SHARMA", "given_names": "PRIYA", "sex": sex,
                  "passport_number": "Z1234567", "route": "employment", **PR_ANSWERS,
                  **identity})
    services.document_upload(application_id=application.pk, by=applicant, kind="photo",
                             name="me.jpg", data=photo())
    attach_required_documents(application.pk)
    services.application_submit(application_id=application.pk, by=applicant,
                                client_txn_id="s")
    services.application_assign(application_id=application.pk, by=officer, client_txn_id="a")
    return application, officer


def test_approval_issues_a_card_with_a_valid_number(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OFFICE_PROVINCE_CODE = "31"
    application, officer = _under_review(old_card_number="IND310085070101")
    issued = services.application_approve(application_id=application.pk, by=officer,
                                          client_txn_id="ok")
    assert issued.state == State.ISSUED
    card = ResidentCard.objects.get(application=application)
    parsed = resident_id.parse(card.number)
    assert parsed.valid and parsed.version == "2023", parsed.problems
    assert (parsed.province_code, parsed.nationality, parsed.birth_date, parsed.sex) == (
        "31", "IND", "1985-07-01", "F")
    assert card.valid_until == card.valid_from.replace(year=card.valid_from.year + 10) - \
        dt.timedelta(days=1)
    assert ResidentCard.objects.filter(old_number="IND310085070101").get() == card


def test_the_holder_is_told_about_the_card_not_an_e_visa(django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
                                                         mailoutbox) -> None:
    application, officer = _under_review()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="ok")
    card = ResidentCard.objects.get(application=application)
    mail = mailoutbox[-1]
    assert "permanent resident ID card" in mail.subject and "e-visa" not in mail.subject
    assert card.number in mail.body and "永久居留身份证" in mail.subject


def test_a_minor_gets_five_years() -> None:
    application, officer = _under_review(birth="2012-03-04", sex="M")
    services.application_approve(application_id=application.pk, by=officer, client_txn_id="ok")
    card = ResidentCard.objects.get(application=application)
    assert (card.valid_until - card.valid_from).days in (5 * 365 - 1, 5 * 365)
    assert resident_id.parse(card.number).sex == "M"


def test_a_card_cannot_be_numbered_without_a_sex_and_nothing_is_issued() -> None:
    from kvisa.casework.errors import InvalidInput

    application, officer = _under_review(sex="X")
    with pytest.raises(InvalidInput, match="sex"):
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="ok")
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert not ResidentCard.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_issuances_at_one_office_give_fifty_numbers() -> None:
    cases = [_under_review() for _ in range(50)]
    errors: list[BaseException] = []
    start = threading.Barrier(10)

    def approve(batch: list[Any]) -> None:
        try:
            start.wait(timeout=60)
            for application, officer in batch:
                services.application_approve(application_id=application.pk, by=officer,
                                             client_txn_id="ok")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(cases[n::10],)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(ResidentCard.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 50
    assert all(resident_id.parse(n).valid for n in numbers)
    assert sorted(ResidentCard.objects.values_list("sequence", flat=True)) == list(range(50))
