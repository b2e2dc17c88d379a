"""The pages the security fixes changed, as people see them, in English and Chinese:
API tokens (scope, expiry, a staff member's fresh code), a delayed sign-in, the
officer's warning about a PDF with JavaScript (screenshots kept)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from kvisa.accounts.models import Role
from kvisa.casework import services
from tests.support.browser import sign_in
from tests.support.cases import under_review
from tests.support.people import make_user

from .test_journey import PASSWORD
from .test_newcomer_pages import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(role: str):  # type: ignore[no-untyped-def]
    user = make_user(role)
    user.set_password(PASSWORD)
    user.save()
    return user


def _pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert('hi');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_tokens_sign_in_delay_and_pdf_warning(browser, live_server, shot, locale) -> None:  # type: ignore[no-untyped-def]
    from kvisa.site.bootstrap import ensure_signer

    ensure_signer()
    zh = locale == "zh-CN"
    applicant = _person(Role.APPLICANT)
    context = browser.new_context(locale=locale, viewport=SIZES["phone"])
    page = context.new_page()
    sign_in(page, live_server.url, applicant.email)
    page.goto(f"{live_server.url}/accounts/api-token/")
    page.locator("main input[name=name]").fill("script")
    page.locator("main input[name=scope][value=read]").check()
    page.locator("main button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=new-token]").inner_text().startswith("kv_")
    table = page.locator("main table").inner_text()
    assert ("只读" if zh else "Read only") in table
    assert (dt.date.today() + dt.timedelta(days=90)).isoformat() in table
    shot(page, f"20-api-token-{locale}")
    context.close()

    # a sign-in delayed after guesses from elsewhere: said plainly, no password checked.
    # (The guesses are recorded directly: made from this browser's own address they
    # would also trip the per-address lock, and their timing would race the delay.)
    from django.utils import timezone

    from kvisa.accounts.models import AccountThrottle

    AccountThrottle.objects.create(email=applicant.email, failures=10,
                                   last_failure_at=timezone.now())
    fresh = browser.new_context(locale=locale, viewport=SIZES["phone"]).new_page()
    fresh.goto(f"{live_server.url}/accounts/login/")
    fresh.locator("main input[name=username]").fill(applicant.email)
    fresh.locator("main input[name=password]").fill(PASSWORD)
    fresh.locator("main button[type=submit]").click()
    fresh.wait_for_load_state()
    alert = fresh.locator("main [role=alert]").first.inner_text()
    assert ("请等待" if zh else "Wait") in alert
    shot(fresh, f"21-sign-in-delayed-{locale}")
    fresh.context.close()

    # the officer sees what a PDF can do before opening it
    owner, officer = _person(Role.APPLICANT), _person(Role.OFFICER)
    application = under_review(owner, officer)
    services.application_request_evidence(
        application_id=application.pk, by=officer, message="Your degree certificate",
        due_date=dt.date.today() + dt.timedelta(days=10), client_txn_id="ask")
    services.document_upload(application_id=application.pk, by=owner, kind="evidence",
                             name="degree.pdf", data=_pdf_with_javascript())
    console = browser.new_context(locale=locale, viewport=SIZES["desktop"]).new_page()
    sign_in(console, live_server.url, officer.email, staff=True)
    console.goto(f"{live_server.url}/console/cases/{application.pk}/")
    warning = console.locator("[data-testid=active-content]").inner_text()
    assert "JavaScript" in warning and ("警告" if zh else "Warning") in warning
    shot(console, f"22-case-pdf-warning-{locale}")
    console.context.close()
