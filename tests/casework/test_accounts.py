"""Accounts: NIST password rules, e-mail verification, throttling, API tokens."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvisa.accounts.models import Role, User
from tests.support.people import PASSWORD, make_user


def _check(password: str, role: str) -> None:
    password_validation.validate_password(password, User(email="p@example.org", role=role,
                                                         display_name="P"))


def test_password_length_depends_on_the_second_factor() -> None:
    with pytest.raises(ValidationError, match="at least 15"):
        _check("fourteen chars", Role.APPLICANT)
    _check("fifteen chars!!", Role.APPLICANT)
    _check("8 chars!", Role.OFFICER)            # staff always have TOTP
    _check("a long pass phrase with spaces, ümlauts and 漢字 that runs to 64 ch", Role.APPLICANT)
    with pytest.raises(ValidationError):
        _check("a" * 129, Role.APPLICANT)


def test_blocklisted_passwords_are_refused() -> None:
    with pytest.raises(ValidationError):
        _check("passwordpassword", Role.APPLICANT)
    with pytest.raises(ValidationError):
        _check("aaaaaaaaaaaaaaaaaa", Role.APPLICANT)


@pytest.mark.parametrize(("password", "reason"), [
    ("Password1234567", "most often used"),
    ("123456789012345", "most often used"),
    ("qwertyuiopasdfgh", "most often used"),
    ("kvisakvisakvisa1", "repeats"),
    ("abcdefghijklmnopq", "sequence"),
    ("asdfghjkl;lkjhgfdsa", "keyboard"),
    ("p.anderson@example.org", "e-mail"),
])
def test_guessable_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    """The security probe's four, plus a sequence, a keyboard walk and the user's own e-mail."""
    user = User(email="p.anderson@example.org", role=Role.APPLICANT, display_name="P Anderson")
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password, user)
    assert any(reason in message for message in refused.value.messages), refused.value.messages


def test_no_composition_rules() -> None:
    _check("all lower case words here", Role.APPLICANT)


def test_registration_requires_the_e_mail_link() -> None:
    client = Client()
    response = client.post("/accounts/register/", {"display_name": "Anna", "email":
                                                    "Anna@Example.org", "password": PASSWORD})
    assert response.status_code == 200
    user = User.objects.get(email="anna@example.org")
    assert not user.is_active
    refused = client.post("/accounts/login/", {"username": "anna@example.org",
                                               "password": PASSWORD})
    assert refused.status_code == 200  # the form again: inactive until the link is opened
    link = re.search(r"http\S+/accounts/verify/\S+/", mail.outbox[-1].body).group(0)
    assert client.get(link.replace("http://testserver", "")).status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.email_verified
    assert client.get(link.replace("http://testserver", "")).status_code == 400  # used once


def test_throttling_locks_a_user_from_one_address_not_everywhere() -> None:
    user = make_user(Role.APPLICANT)
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert owner.post("/accounts/login/", {"username": user.email,
                                           "password": PASSWORD}).status_code == 302
    owner.post("/accounts/logout/")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        attacker.post("/accounts/login/", {"username": user.email, "password": "wrong guess"})
    blocked = attacker.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert blocked.status_code in (403, 429) or b"Too many attempts" in blocked.content
    # the owner's browser has signed in before: no delay, no lockout
    response = owner.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_guesses_from_many_addresses_are_slowed_per_account() -> None:
    """The probe: 10 addresses x 5 guesses.  Now the account delays doubling guesses."""
    from kvisa.accounts.models import AccountThrottle

    user = make_user(Role.APPLICANT)
    answered = []
    for address in range(10):
        attacker = Client(REMOTE_ADDR=f"203.0.113.{address + 1}")
        for _ in range(5):
            answered.append(attacker.post("/accounts/login/", {
                "username": user.email, "password": "wrong guess"}).status_code)
    # five guesses were checked (the fifth also trips axes for that one address); the
    # other 45 came inside the doubling delay and were refused without a password check
    assert answered.count(200) == 4 and answered.count(429) == 46
    assert AccountThrottle.objects.get(email=user.email).failures == 5
    delayed = Client(REMOTE_ADDR="192.0.2.50").post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert delayed.status_code == 429 and int(delayed["Retry-After"]) >= 1
    assert b"Wait" in delayed.content
    # the delay is a delay, not a lockout: once it has passed, the right password works
    row = AccountThrottle.objects.get(email=user.email)
    row.last_failure_at = row.last_failure_at - dt.timedelta(hours=1)
    row.save()
    assert Client(REMOTE_ADDR="192.0.2.50").post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    assert not AccountThrottle.objects.filter(email=user.email).exists()


def test_registration_and_reset_are_limited_per_address() -> None:
    client = Client(REMOTE_ADDR="203.0.113.77")
    answers = [client.post("/accounts/register/", {
        "display_name": "Bot", "email": f"bot{n}@example.org",
        "password": "a long and memorable bot passphrase"}).status_code for n in range(12)]
    assert answers[:10] == [200] * 10 and answers[10:] == [429, 429]
    assert User.objects.filter(email__startswith="bot").count() == 10
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post("/accounts/register/", {"display_name": "Ann", "email": "ann@example.org",
                                              "password": PASSWORD}).status_code == 200
    target = make_user(Role.APPLICANT)
    mail.outbox.clear()
    resets = [client.post("/accounts/password-reset/", {"email": target.email}).status_code
              for _ in range(12)]
    assert resets[:10] == [302] * 10 and resets[10:] == [429, 429]
    assert len(mail.outbox) == 3  # at most three reset mails an hour to one address


def test_api_token_authenticates_and_csrf_protects_sessions(applicant) -> None:  # type: ignore[no-untyped-def]
    from kvisa.accounts.models import ApiToken

    _, token = ApiToken.issue(applicant, "cli", scope="write")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    created = api.post("/api/v1/applications", {"programme": "cn.k_visa"},
                       content_type="application/json")
    assert created.status_code == 201
    session = Client(enforce_csrf_checks=True)
    session.force_login(applicant, backend="django.contrib.auth.backends.ModelBackend")
    refused = session.post("/api/v1/applications", {"programme": "cn.k_visa"},
                           content_type="application/json")
    assert refused.status_code == 403
    assert Client(HTTP_AUTHORIZATION="Bearer kv_wrong").get(
        "/api/v1/applications").status_code == 401


def test_only_admins_create_staff_accounts() -> None:
    from tests.support.people import client_for

    admin = client_for(make_user(Role.ADMIN))
    officer = client_for(make_user(Role.OFFICER))
    assert officer.get("/accounts/staff/").status_code == 404
    weak = admin.post("/accounts/staff/", {"display_name": "New", "email": "new@kvisa.test",
                                           "role": "officer", "password": "short"})
    assert weak.status_code == 200 and not User.objects.filter(email="new@kvisa.test").exists()
    created = admin.post("/accounts/staff/", {"display_name": "New", "email": "new@kvisa.test",
                                              "role": "officer", "password": "jx4!Tr9q"})
    assert created.status_code == 302
    assert User.objects.get(email="new@kvisa.test").role == Role.OFFICER


def test_a_new_staff_member_sets_up_totp_at_first_sign_in() -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("fresh@kvisa.test", PASSWORD, role=Role.SUPERVISOR,
                                    display_name="Fresh")
    client = Client()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    page = client.get("/accounts/second-factor/")
    assert b"otpauth://" in page.content and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/accounts/second-factor/", {"token": "000000"}).status_code == 200
    time.sleep(1.1)  # django-otp throttles the next try for 2^(failures-1) seconds
    done = client.post("/accounts/second-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/console/").status_code == 200


def test_api_tokens_are_shown_once_and_can_be_revoked(applicant) -> None:  # type: ignore[no-untyped-def]
    from kvisa.accounts.models import ApiToken
    from tests.support.people import client_for

    web = client_for(applicant)
    page = web.post("/accounts/api-token/", {"name": "my script", "scope": "read",
                                               "days": "90"})
    token = re.search(rb'data-testid="new-token">([^<]+)<', page.content).group(1).decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/applications").status_code == 200
    assert token.encode() not in web.get("/accounts/api-token/").content  # shown once
    row = ApiToken.objects.get(user=applicant)
    web.post("/accounts/api-token/", {"revoke": str(row.pk)})
    assert api.get("/api/v1/applications").status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "http://evil.example", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_no_open_redirect_after_the_second_factor(target: str) -> None:
    officer = make_user(Role.OFFICER)
    client = Client()
    signed = client.post("/accounts/login/?next=/accounts/second-factor/%3Fnext%3D"
                         + target, {"username": officer.email, "password": PASSWORD})
    assert signed.status_code == 302
    device = TOTPDevice.objects.get(user=officer)
    done = client.post(signed["Location"], {"token": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 302
    assert done["Location"] == "/", done["Location"]


def test_a_local_next_is_kept_after_the_second_factor() -> None:
    officer = make_user(Role.OFFICER)
    client = Client()
    client.post("/accounts/login/", {"username": officer.email, "password": PASSWORD})
    device = TOTPDevice.objects.get(user=officer)
    done = client.post("/accounts/second-factor/?next=/console/",
                       {"token": f"{totp(device.bin_key):06d}"})
    assert done["Location"] == "/console/"


def _token_from(page: Any) -> str:
    found = re.search(rb'data-testid="new-token">([^<]+)<', page.content)
    assert found, page.content[:2000]
    return found.group(1).decode()


def test_api_tokens_expire(applicant) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from kvisa.accounts.models import ApiToken

    row, token = ApiToken.issue(applicant, "cli")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/applications").status_code == 200
    assert (row.expires_at - timezone.now()).days in (89, 90)  # 90 days by default
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now())
    assert api.get("/api/v1/applications").status_code == 401


def test_a_password_change_or_role_change_ends_every_token(applicant) -> None:  # type: ignore[no-untyped-def]
    from kvisa.accounts.models import ApiToken

    first = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 'a')[1]}")
    applicant.set_password("another long and memorable passphrase")
    applicant.save()
    assert first.get("/api/v1/applications").status_code == 401
    assert ApiToken.objects.get(name="a").revoked_reason == "password changed"
    second = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 'b')[1]}")
    applicant.role = Role.ADVISER
    applicant.save(update_fields=["role"])
    assert second.get("/api/v1/applications").status_code == 401
    applicant.last_login = None
    third = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 'c')[1]}")
    applicant.save(update_fields=["last_login"])  # signing in does not end tokens
    assert third.get("/api/v1/applications").status_code == 200


def test_a_password_reset_ends_every_token(applicant) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from kvisa.accounts.models import ApiToken

    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 'a')[1]}")
    uid = urlsafe_base64_encode(force_bytes(applicant.pk))
    web = Client()
    form = web.get(f"/accounts/password-reset/{uid}/"
                   f"{default_token_generator.make_token(applicant)}/", follow=True)
    new = "a completely different and long passphrase"
    response = web.post(form.redirect_chain[-1][0], {"new_password1": new,
                                                      "new_password2": new})
    assert response.status_code == 302, response.content[:1000]
    assert api.get("/api/v1/applications").status_code == 401


def test_a_read_only_token_cannot_act(applicant) -> None:  # type: ignore[no-untyped-def]
    from kvisa.accounts.models import ApiToken

    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 'r')[1]}")
    assert api.get("/api/v1/applications").status_code == 200
    response = api.post("/api/v1/applications", {"programme": "cn.k_visa"},
                        content_type="application/json")
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert not applicant.applications.exists()


def test_staff_confirm_a_token_with_a_fresh_code(officer) -> None:  # type: ignore[no-untyped-def]
    from django_otp.oath import totp

    from tests.support.people import client_for

    web = client_for(officer)
    refused = web.post("/accounts/api-token/", {"name": "s", "scope": "write", "days": "30"})
    assert b"new-token" not in refused.content and b'class="error"' in refused.content
    device = TOTPDevice.objects.get(user=officer)
    device.refresh_from_db()
    device.last_t = -1  # the sign-in code was used; allow this step's code in the same window
    device.save()
    page = web.post("/accounts/api-token/", {"name": "s", "scope": "write", "days": "30",
                                             "token": f"{totp(device.bin_key):06d}"})
    api = Client(HTTP_AUTHORIZATION=f"Bearer {_token_from(page)}")
    assert api.get("/api/v1/queue").status_code == 200


def test_a_right_code_typed_too_soon_after_a_wrong_one_says_wait() -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("hasty@kvisa.test", PASSWORD, role=Role.OFFICER,
                                    display_name="Hasty")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True,
                                       key="3132333435363738393031323334353637383930")
    client = Client()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    wrong = client.post("/accounts/second-factor/", {"token": "000000"}).content.decode()
    assert "not right or has expired" in wrong
    # six wrong codes in a row (three are free): the device refuses every code for 8 s
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=6,
                                                   throttling_failure_timestamp=timezone.now())
    soon = client.post("/accounts/second-factor/",
                       {"token": f"{totp(device.bin_key):06d}"}).content.decode()
    assert re.search(r"Too many wrong codes in a row: wait [78] seconds", soon), soon[-2000:]
    assert "not right" not in soon


def test_one_wrong_code_then_the_right_one_signs_in() -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("typo@kvisa.test", PASSWORD, role=Role.OFFICER,
                                    display_name="Typo")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True,
                                       key="3132333435363738393031323334353637383930")
    client = Client()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert client.post("/accounts/second-factor/", {"token": "000000"}).status_code == 200
    right = client.post("/accounts/second-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert right.status_code == 302


def test_a_code_used_twice_is_said_to_be_used() -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("twice@kvisa.test", PASSWORD, role=Role.OFFICER,
                                    display_name="Twice")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True,
                                       key="3132333435363738393031323334353637383930")
    code = f"{totp(device.bin_key):06d}"
    first = Client()
    first.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert first.post("/accounts/second-factor/", {"token": code}).status_code == 302
    second = Client()
    second.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    again = second.post("/accounts/second-factor/", {"token": code}).content.decode()
    assert "already used" in again


def test_where_a_supervisor_was_going_survives_the_second_factor() -> None:
    supervisor = make_user(Role.SUPERVISOR)
    client = Client()
    signed = client.post("/accounts/login/?next=/console/workload/",
                         {"username": supervisor.email, "password": PASSWORD})
    assert signed["Location"] == "/console/workload/"
    asked = client.get("/console/workload/")
    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/second-factor/?next=%2Fconsole%2Fworkload%2F"
    device = TOTPDevice.objects.get(user=supervisor)
    done = client.post(asked["Location"], {"token": f"{totp(device.bin_key):06d}"})
    assert done["Location"] == "/console/workload/"
