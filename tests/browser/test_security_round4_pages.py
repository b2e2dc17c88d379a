"""The pages that changed in security round 4, in a real browser, both languages, at
390 and 1366 px, axe-core clean: a policy-lab value refused at its field, the
dashboard's rounded total for analysts, the document limits, the card renewal form
(with its note) and the 429 page of a public page over its budget."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import sign_in

from .test_dashboard_page import SIZES
from .test_start_and_axe import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any, size: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], f"{width}px wide"
    assert serious(page) == []


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_round4_pages(browser, live_server, shot, settings, locale: str,  # type: ignore[no-untyped-def]
                      size: str) -> None:
    from kvisa.casework.models import Application
    from kvisa.issuance.models import ResidentCard
    from kvisa.site import demo
    from kvisa.site.bootstrap import ensure_signer

    ensure_signer()
    demo.seed(count=12)
    zh = locale == "zh-CN"
    base = live_server.url
    context = browser.new_context(locale=locale, viewport=SIZES[size])
    page = context.new_page()

    sign_in(page, base, "analyst@demo.kvisa", demo.PASSWORD)
    page.goto(f"{base}/policy-lab/")
    page.locator("#parameter-0").select_option("cn.k_visa.max_age")
    page.locator("#value-0").fill(".inf")
    page.locator("#lab-form button[type=submit]").click()
    error = page.locator("#value-0-error")
    error.wait_for()
    assert "not a finite number" in error.inner_text()
    _fits(page, size)
    shot(page, f"40-policy-lab-refused-value-{locale}-{size}")
    page.goto(f"{base}/analytics/")
    headline = page.get_by_test_id("headline").inner_text()
    assert ("约" if zh else "about") in headline or "<5" in headline
    _fits(page, size)
    shot(page, f"41-dashboard-rounded-total-{locale}-{size}")
    context.close()

    context = browser.new_context(locale=locale, viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("applicant@demo.kvisa")
    page.locator("#id_password").fill(demo.PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state()
    draft = Application.objects.filter(applicant__email="applicant@demo.kvisa",
                                       state="draft").first()
    assert draft is not None
    page.goto(f"{base}/applications/{draft.pk}/edit/documents/")
    limit = page.locator("#files-limit").inner_text()
    assert ("每次最多" if zh else "Up to 5 files at a time") in limit
    _fits(page, size)
    shot(page, f"42-documents-limits-{locale}-{size}")
    context.close()

    card = ResidentCard.objects.filter(superseded_at__isnull=True).select_related(
        "application").first()
    assert card is not None
    context = browser.new_context(locale=locale, viewport=SIZES[size])
    page = context.new_page()
    sign_in(page, base, "supervisor@demo.kvisa", demo.PASSWORD)
    page.goto(f"{base}/console/cases/{card.application_id}/")
    note = page.locator("#reissue-note")
    note.wait_for()
    _fits(page, size)
    shot(page, f"43-card-reissue-form-{locale}-{size}")
    context.close()

    settings.KVISA_PUBLIC_BUDGETS = {"compute": (0, 60), "verify": (0, 60)}
    context = browser.new_context(locale=locale, viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{base}/verify")
    page.locator("textarea, input[name=seal]").first.fill("dc")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert ("秒后重试" if zh else "try again in") in body
    _fits(page, size)
    shot(page, f"44-verify-too-many-{locale}-{size}")
    context.close()
