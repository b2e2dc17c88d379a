"""The pages that now speak in words (issue 27), in a real browser, both languages, at
390 and 1366 px, axe-core clean: the officer's queue (programme names), a case page
(the last change and who made it) and the applicant's case page (dates and roles in
the reader's language)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import sign_in

from .test_dashboard_page import SIZES
from .test_security_round4_pages import _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_staff_and_applicant_pages_in_words(browser: Any, live_server: Any, shot: Any,
                                            locale: str, size: str) -> None:
    from kvisa.casework.models import Application
    from kvisa.site import demo
    from kvisa.site.bootstrap import ensure_signer

    ensure_signer()
    demo.seed(count=12)
    zh = locale == "zh-CN"
    base = live_server.url
    context = browser.new_context(locale=locale, viewport=SIZES[size])
    page = context.new_page()
    sign_in(page, base, "officer@demo.kvisa", demo.PASSWORD)
    page.goto(f"{base}/console/")
    queue = page.locator("table.queue").inner_text()
    assert ("K字签证" if zh else "China K visa") in queue and "cn.k_visa" not in queue
    # who each case is: the applicant's name as in the passport, in a column of its own
    headings = page.locator("table.queue thead th").all_inner_texts()
    assert headings[1].startswith("申请人" if zh else "Applicant")
    named = Application.objects.exclude(state="draft").exclude(identity={}).first()
    assert named is not None and named.identity["surname"] in queue
    _fits(page, size)
    shot(page, f"45-queue-names-{locale}-{size}")
    case = Application.objects.exclude(state="draft").order_by("pk").first()
    assert case is not None
    page.goto(f"{base}/console/cases/{case.pk}/")
    change = page.get_by_test_id("last-change").inner_text()
    assert ("最近变更" if zh else "Last change") in change
    _fits(page, size)
    shot(page, f"46-case-last-change-{locale}-{size}")
    context.close()

    context = browser.new_context(locale=locale, viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("applicant@demo.kvisa")
    page.locator("#id_password").fill(demo.PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state()
    issued = Application.objects.filter(applicant__email="applicant@demo.kvisa",
                                        state="issued").first()
    assert issued is not None
    page.goto(f"{base}/applications/{issued.pk}/")
    history = page.locator("ol.history").inner_text()
    assert ("(applicant)" not in history) if zh else ("(applicant)" in history)
    _fits(page, size)
    shot(page, f"47-applicant-case-{locale}-{size}")
    context.close()
