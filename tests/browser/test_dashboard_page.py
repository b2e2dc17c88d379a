"""The flows dashboard with the demo's history, in a real browser: analyst (small cells
suppressed) and supervisor, English and Chinese, desktop and phone; axe-core clean."""

from __future__ import annotations

import pytest

from tests.support.browser import sign_in

from .test_start_and_axe import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}



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
        sign_in(page, live_server.url, email, demo.PASSWORD)
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
        # the demo's enquiries: a rise since 1 August, by region, over time
        enquiry_growth = page.get_by_test_id("enquiry-growth").inner_text()
        assert ("以来" if zh else "since") in enquiry_growth and "+" in enquiry_growth
        assert page.locator("#enquiries figure svg").count() == 1
        shot(page, f"20-dashboard-{email.split('@')[0]}-{locale}-{size}")
        with page.expect_download() as download:
            page.locator("#nationality .downloads a").first.click()
        assert download.value.suggested_filename == "kvisa-nationality.csv"
        context.close()


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_policy_lab_asks_runs_and_shows_a_run(browser, live_server, shot, locale: str) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from kvisa.site import demo
    from kvisa.site.bootstrap import ensure_signer

    ensure_signer()
    demo.seed(count=4)
    for size in ("desktop", "phone"):
        context = browser.new_context(locale=locale, viewport=SIZES[size])
        page = context.new_page()
        sign_in(page, live_server.url, "analyst@demo.kvisa", demo.PASSWORD)
        page.goto(f"{live_server.url}/policy-lab/")
        page.locator("#parameter-0").select_option("cn.k_visa.max_age")
        page.locator("#value-0").fill("40")
        page.locator("#generate").fill("4000")
        page.locator("#lab-form button[type=submit]").click()
        page.locator("#run-status[data-status=queued]").wait_for()
        assert serious(page) == []
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        page.locator("#run-status[data-status=done]").wait_for(timeout=15_000)  # htmx polls
        assert page.locator("[data-testid=changes] tbody tr").count() == 50
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], f"{width}px wide"
        assert serious(page) == []
        shot(page, f"21-policy-run-{locale}-{size}")
        page.goto(f"{live_server.url}/policy-lab/")
        assert serious(page) == []
        shot(page, f"21-policy-lab-{locale}-{size}")
        context.close()
