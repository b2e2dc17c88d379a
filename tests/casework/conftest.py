"""People in every role, and helpers to drive cases through the services."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvisa.accounts.models import Role, User
from kvisa.casework import services
from kvisa.casework.models import Application
from kvisa.site.bootstrap import ensure_signer
from kvisa.site.demo import (
    attach_required_documents,
    portrait,  # noqa: F401  (a drawn test photo, as the demo uses)
)

PASSWORD = "a long and memorable test passphrase"
_counter = itertools.count()

PROFILE = {"date_of_birth": "1996-05-14", "nationality": "IND", "highest_degree": "master",
           "degree_field": "0613", "degree_institution_recognised": True,
           "teaching_or_research_at_recognised_institution": False,
           "years_work_experience": 4.0}
IDENTITY = {"surname": "SHARMA", "given_names": "PRIYA", "sex": "F",
            "passport_number": "Z1234567"}


@pytest.fixture(autouse=True)
def _signer(settings: Any) -> None:
    ensure_signer()


def make_user(role: str, **extra: Any) -> User:
    number = next(_counter)
    user = User.objects.create_user(f"{role}{number}@test.kvisa", PASSWORD, role=role,
                                    display_name=f"{role.title()} {number}",
                                    email_verified=True, **extra)
    if user.is_staff_role:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True,
                                  key="3132333435363738393031323334353637383930")
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.is_staff_role:
        device = TOTPDevice.objects.get(user=user)
        response = client.post("/accounts/second-factor/", {"token": f"{totp(device.bin_key):06d}"})
        assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def applicant(db: Any) -> User:
    return make_user(Role.APPLICANT)


@pytest.fixture
def officer(db: Any) -> User:
    return make_user(Role.OFFICER)


@pytest.fixture
def supervisor(db: Any) -> User:
    return make_user(Role.SUPERVISOR)


def submitted(applicant: User, profile: dict[str, Any] | None = None) -> Application:
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=profile or PROFILE, identity=IDENTITY)
    attach_required_documents(application.pk, applicant)
    return services.application_submit(application_id=application.pk, by=applicant,
                                       client_txn_id=f"submit-{application.pk}")


def under_review(applicant: User, officer: User) -> Application:
    application = submitted(applicant)
    return services.application_assign(application_id=application.pk, by=officer,
                                       client_txn_id=f"assign-{application.pk}")


@contextlib.contextmanager
def held_elsewhere(sql: str, params: list[Any] | None = None) -> Iterator[None]:
    """Run ``sql`` (a lock) in another thread's open transaction while the body runs:
    another request or chainer "in flight" at the same time."""
    import threading

    from django.db import connections, transaction

    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic(), connections["default"].cursor() as cursor:
            cursor.execute(sql, params or [])
            holding.set()
            release.wait(timeout=30)
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(timeout=10)
    try:
        yield
    finally:
        release.set()
        holder.join()
