"""People in every role, signed in to a test client, their second factor included."""

from __future__ import annotations

import itertools
from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvisa.accounts.models import User

PASSWORD = "a long and memorable test passphrase"
# RFC 6238's test secret ("12345678901234567890"), hex as django-otp stores it
TOTP_KEY = "3132333435363738393031323334353637383930"
_numbers = itertools.count()


def make_user(role: str, *, email: str = "", **extra: Any) -> User:
    """A verified account in ``role``; staff get a confirmed TOTP device."""
    number = next(_numbers)
    user = User.objects.create_user(email or f"{role}{number}@test.kvisa", PASSWORD, role=role,
                                    display_name=extra.pop("display_name",
                                                           f"{role.title()} {number}"),
                                    email_verified=True, **extra)
    if user.is_staff_role:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True, key=TOTP_KEY)
    return user


def second_factor_code(user: User | str) -> str:
    """The current TOTP code of ``user`` (or the account with that e-mail).

    Each code is accepted once (ASVS V6.5.1): the device is started afresh, so two
    sign-ins within one 30-second window both succeed.
    """
    device = TOTPDevice.objects.get(user__email=user) if isinstance(user, str) else \
        TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key):06d}"


def client_for(user: User) -> Client:
    """A test client signed in as ``user``, past the second factor for staff."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.is_staff_role:
        response = client.post("/accounts/second-factor/", {"token": second_factor_code(user)})
        assert response.status_code == 302, response.content[:500]
    return client
