"""Filling the identity from a pasted MRZ: a zone that does not check out fills nothing
unless the applicant confirms it; the pasted text is kept and the wrong field named."""

from __future__ import annotations

from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.casework.models import Application
from kvisa.documents.mrz import compose
from tests.support.people import client_for, make_user


def _lines() -> list[str]:
    return compose("TD3", surname="Sharma", given_names="Priya", document_number="Z1234567",
                   nationality="IND", birth_date="1996-05-14", sex="F",
                   expiry_date="2033-01-01", issuing_state="IND")


def _setup():  # type: ignore[no-untyped-def]
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    return client_for(applicant), application


def test_a_valid_zone_fills_the_identity() -> None:
    client, application = _setup()
    client.post(f"/applications/{application.pk}/mrz/", {"mrz": "\n".join(_lines())})
    application.refresh_from_db()
    assert application.identity["passport_number"] == "Z1234567"
    assert application.profile["date_of_birth"] == "1996-05-14"


def test_a_wrong_check_digit_fills_nothing_names_the_field_and_keeps_the_text() -> None:
    client, application = _setup()
    first, second = _lines()
    digit = second[9]
    broken = "\n".join([first, second[:9] + str((int(digit) + 1) % 10) + second[10:]])
    answer = client.post(f"/applications/{application.pk}/mrz/", {"mrz": broken})
    assert answer.status_code == 302 and answer["Location"].endswith("#mrz-box")
    assert Application.objects.get(pk=application.pk).identity == {}
    page = client.get(f"/applications/{application.pk}/edit/identity/").content.decode()
    assert 'data-testid="mrz-error"' in page
    assert "The check digit of the passport number is" in page
    assert broken.split("\n")[1].replace("<", "&lt;") in page  # the pasted lines are kept
    assert 'name="use_anyway"' in page
    # shown once: a fresh visit to the form starts clean
    assert 'data-testid="mrz-error"' not in client.get(
        f"/applications/{application.pk}/edit/").content.decode()
    client.post(f"/applications/{application.pk}/mrz/", {"mrz": broken, "use_anyway": "yes"})
    assert Application.objects.get(pk=application.pk).identity["surname"] == "SHARMA"


def test_garbage_is_kept_with_a_plain_message() -> None:
    client, application = _setup()
    client.post(f"/applications/{application.pk}/mrz/", {"mrz": "hello world"})
    page = client.get(f"/applications/{application.pk}/edit/identity/").content.decode()
    assert "Nothing was filled in." in page and "hello world" in page
    assert 'name="use_anyway"' not in page
