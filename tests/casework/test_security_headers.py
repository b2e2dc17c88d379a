"""Headers and cookies a browser needs to keep a person's data to the session:
no-store for anything signed in, CSP, referrer and opener policies, __Host- cookies
in production; and a signed-in password change that ends every other session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from kvisa.accounts.models import ApiToken, Role
from tests.support.people import PASSWORD, client_for, make_user
from tests.support.profiles import VISA_ANSWERS


def test_signed_in_answers_are_never_stored_public_pages_may_be() -> None:
    applicant = make_user(Role.APPLICANT)
    page = client_for(applicant).get("/applications/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(applicant, 't')[1]}")
    assert api.get("/api/v1/applications")["Cache-Control"] == "no-store"
    public = Client().get("/verify")
    assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")
    policy = public["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "script-src 'self'"):
        assert directive in policy
    assert public["Referrer-Policy"] == "same-origin"
    assert public["Cross-Origin-Opener-Policy"] == "same-origin"
    assert public["X-Content-Type-Options"] == "nosniff"


def test_production_cookies_carry_the_host_prefix(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("KVISA_", "DATABASE_URL", "DJANGO_"))}
    env = {**clean, "KVISA_DATA_DIR": str(tmp_path), "KVISA_SECRET_KEY": "y" * 50,
           "DJANGO_SETTINGS_MODULE": "kvisa.site.settings"}
    shown = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import "
         "settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
         "s.SESSION_COOKIE_SECURE)"], capture_output=True, text=True, env=env, timeout=120)
    assert shown.stdout.split() == ["__Host-kvisa-session", "__Host-kvisa-csrf", "True"], \
        shown.stderr


def test_changing_the_password_needs_the_old_one_and_ends_other_sessions() -> None:
    applicant = make_user(Role.APPLICANT)
    here, elsewhere = client_for(applicant), client_for(applicant)
    token = ApiToken.issue(applicant, "t")[1]
    wrong = here.post("/accounts/password/", {
        "old_password": "not my password at all", "new_password1": "x" * 3,
        "new_password2": "x" * 3})
    assert wrong.status_code == 200 and "incorrectly" in wrong.content.decode()
    new = "a different and longer memorable passphrase"
    done = here.post("/accounts/password/", {"old_password": PASSWORD,
                                              "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/changed/"
    assert "Password changed" in here.get(done["Location"]).content.decode()
    assert here.get("/applications/").status_code == 200          # this session goes on
    assert elsewhere.get("/applications/").status_code == 302     # the other one ended
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/applications").status_code == 401


def test_an_idle_or_over_long_session_ends_and_says_so(settings) -> None:  # type: ignore[no-untyped-def]
    import time

    from kvisa.accounts.session_guard import SEEN, STARTED

    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    assert client.get("/applications/").status_code == 200
    session = client.session
    session[SEEN] = time.time() - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    ended = client.get("/applications/")
    assert ended.status_code == 302 and ended["Location"].startswith(
        "/accounts/login/?next=%2Fapplications%2F")
    assert "sign in again" in client.get(ended["Location"]).content.decode()
    assert client.get("/applications/").status_code == 302          # signed out for good
    background = client_for(applicant)
    session = background.session
    session[STARTED] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 5
    session[SEEN] = time.time()
    session.save()
    assert background.get("/applications/", HTTP_HX_REQUEST="true").status_code == 401


def test_an_active_session_goes_on() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    for _ in range(3):
        assert client.get("/applications/").status_code == 200


def test_trace_is_refused_and_the_api_is_not_redirected_to_https(settings) -> None:  # type: ignore[no-untyped-def]
    assert Client().generic("TRACE", "/verify").status_code == 405
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/"]
    page = Client().get("/verify")
    assert page.status_code == 301 and page["Location"].startswith("https://")
    api = Client().get("/api/v1/applications")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    assert api.json()["title"] == "HTTPS required"
    assert Client().get("/api/v1/applications", secure=True).status_code == 401


HOSTILE = '<script>alert("x")</script>'


def test_hostile_text_is_shown_as_text_on_every_staff_page() -> None:
    from kvisa.casework import services
    from tests.support.files import attach_required_documents
    from tests.support.files import pdf as specimen_pdf

    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(
        application_id=application.pk, by=applicant,
        profile={"date_of_birth": "1996-05-14", "nationality": "IND"},
        identity={"surname": HOSTILE, "given_names": '"><img src=x onerror=alert(1)>',
                  "sex": "F", "passport_number": "Z1234567", **VISA_ANSWERS,
                  "home_address": HOSTILE, "institution_name": HOSTILE})
    services.document_upload(application_id=application.pk, by=applicant, kind="cv",
                             name=f"{HOSTILE}.pdf", data=specimen_pdf("cv"))
    attach_required_documents(application.pk)
    services.application_submit(application_id=application.pk, by=applicant,
                                client_txn_id="x")
    staff = client_for(officer)
    pages = [staff.get(f"/console/cases/{application.pk}/"),
             staff.get("/console/?q=alert"), staff.get("/console/"),
             client_for(applicant).get(f"/applications/{application.pk}/")]
    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in text and "<img src=x" not in text
    case = pages[0].content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in case
    assert "&lt;img src=x onerror=alert(1)&gt;" in case


def test_signing_in_gives_a_new_session_and_forms_need_the_csrf_token() -> None:
    from kvisa.casework import services

    applicant = make_user(Role.APPLICANT)
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/accounts/login/")
    token = login_page.context["csrf_token"]
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    signed_in = client.post("/accounts/login/", {"username": applicant.email,
                                                 "password": PASSWORD,
                                                 "csrfmiddlewaretoken": token})
    assert signed_in.status_code == 302
    assert client.session.session_key != before                    # no fixation
    application = services.application_create(applicant=applicant)
    forged = client.post(f"/applications/{application.pk}/autosave/", {"surname": "X"})
    assert forged.status_code == 403
    application.refresh_from_db()
    assert "surname" not in application.identity


def test_asking_for_another_persons_case_is_logged_with_ids_only(caplog) -> None:  # type: ignore[no-untyped-def]
    from kvisa.casework import services
    from kvisa.casework.errors import NotFound

    owner, other = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    application = services.application_create(applicant=owner)
    services.application_save_draft(application_id=application.pk, by=owner,
                                    profile={}, identity={"surname": "SHARMA"})
    with caplog.at_level("WARNING", logger="kvisa.security"):
        assert client_for(other).get(f"/applications/{application.pk}/").status_code == 404
        with pytest.raises(NotFound):
            services.application_withdraw(application_id=application.pk, by=other,
                                          client_txn_id="w")
        assert client_for(other).get("/applications/999999/").status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "kvisa.security"]
    events = [json.loads(line) for line in lines]
    assert [(e["event"], e["user"], e["case"], e["via"]) for e in events] == [
        ("access_refused", other.pk, application.pk, "read"),
        ("access_refused", other.pk, application.pk, "withdraw")]
    assert all(e["request"] for e in events[:1])
    assert not any("SHARMA" in line or owner.email in line for line in lines)
