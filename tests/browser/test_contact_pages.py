"""Contact details and travel (issue 27 rule 4), in a real browser, both languages, at
390 and 1366 px, axe-core clean: the two pages, a wrong telephone said at once beside
its field, and every answer back on "Check your answers"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.support.browser import fill_date

from .test_dashboard_page import SIZES
from .test_security_round4_pages import _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_contact_and_travel_pages(browser: Any, live_server: Any, shot: Any, locale: str,
                                  size: str) -> None:
    from django.utils import timezone

    from kvisa.accounts.models import Role
    from kvisa.casework import services
    from tests.browser.test_pr_journey import PASSWORD, _person
    from tests.support.cases import IDENTITY, PROFILE
    from tests.support.files import attach_required_documents

    zh = locale == "zh-CN"
    email = f"contact-{locale.lower()}-{size}@example.org"
    applicant = _person(email, Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity=IDENTITY)
    attach_required_documents(application.pk)
    base = live_server.url
    page = browser.new_context(locale=locale, viewport=SIZES[size]).new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{base}/applications/{application.pk}/edit/contact/")
    page.locator("#f-phone, [name=phone]").first.fill("call me")
    page.locator("[name=home_address]").fill("12 MG Road, Bengaluru")
    with page.expect_navigation():
        page.locator("button[type=submit]").filter(has_text="保存" if zh else "Save").first.click()
    page.get_by_test_id("error-summary").wait_for()
    assert ("国家代码" if zh else "country code") in page.get_by_test_id("error-summary").inner_text()
    assert page.locator("[name=home_address]").input_value() == "12 MG Road, Bengaluru"
    _fits(page, size)
    shot(page, f"48-contact-error-{locale}-{size}")
    page.locator("[name=phone]").fill("+91 98765 43210")
    with page.expect_navigation():
        page.locator("button[type=submit]").filter(has_text="保存" if zh else "Save").first.click()
    assert page.url.endswith("/travel/")
    soon = timezone.localdate() + dt.timedelta(days=40)
    fill_date(page, "intended_entry_date", soon.isoformat())
    page.locator("[name=visited_china_before]").select_option("false")
    _fits(page, size)
    shot(page, f"49-travel-{locale}-{size}")
    with page.expect_navigation():
        page.locator("button[type=submit]").filter(has_text="保存" if zh else "Save").first.click()
    page.goto(f"{base}/applications/{application.pk}/check/")
    answers = page.locator("body").inner_text()
    assert "+91 98765 43210" in answers and "12 MG Road, Bengaluru" in answers
    _fits(page, size)
    shot(page, f"50-check-contact-{locale}-{size}")
