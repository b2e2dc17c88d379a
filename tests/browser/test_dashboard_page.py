"""The flows dashboard with the demo's history, in a real browser: analyst (small cells
suppressed) and supervisor, English and Chinese, desktop and phone; axe-core clean."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .test_start_and_axe import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form:has(#id_password) button[type=submit]").click()
    device = TOTPDevice.objects.get(user__email=email)
    page.locator("#id_token").fill(f"{totp(device.bin_key):06d}")
    page.locator("form:has(#id_token) button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_dashboard_for_analyst_and_supervisor(browser, live_server, shot, locale: str,  # type: ignore[no-untyped-def]
                                              size: str) -> None:
    from kvisa.site import demo
    from kvisa.site.bootstrap import ensure_signer

    ensure_signer()
    demo.seed(count=36)
    zh = locale == "zh-CN"
    for email in ("analyst@demo.kvisa", "supervisor@demo.kvisa"):
        context = browser.new_context(locale=locale, viewport=SIZES[size])
        page = context.new_page()
        _sign_in(page, live_server.url, email, demo.PASSWORD)
        page.goto(f"{live_server.url}/analytics/")
        headline = page.get_by_test_id("growth")
        headline.wait_for()
        assert page.locator("section.panel figure svg").count() >= 4
        assert ("申请流量看板" if zh else "Flows dashboard") in page.title()
        analyst = email.startswith("analyst")
        assert (page.get_by_test_id("suppression-note").count() == 1) is analyst
        if analyst:
            assert "&lt;5" in page.content()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], f"{width}px wide"
        assert serious(page) == []
        shot(page, f"20-dashboard-{email.split('@')[0]}-{locale}-{size}")
        with page.expect_download() as download:
            page.locator("#nationality .downloads a").first.click()
        assert download.value.suggested_filename == "kvisa-nationality.csv"
        context.close()
