"""WCAG 2.2 basics on every public page, in English and Chinese: a skip link first,
a focus indicator that stands out, a page title of its own, hints tied to their
fields; staff navigation only after the second factor."""

from __future__ import annotations

import pytest

from kvisa.accounts.models import Role
from tests.support.people import make_user

from .test_journey import PASSWORD
from .test_newcomer_pages import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/verify", "/pathways", "/accounts/login/", "/accounts/register/",
         "/accounts/password-reset/"]


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_skip_link_focus_titles_and_hints(browser, live_server, shot, locale) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(locale=locale, viewport=SIZES["phone"]).new_page()
    titles = set()
    for path in PAGES:
        page.goto(live_server.url + path)
        title = page.title()
        assert title and title not in titles and "kvisa · kvisa" not in title, (path, title)
        titles.add(title)
        first = page.evaluate("document.querySelector('a[href], button, input:not([type=hidden]),"
                              " select, textarea').className")
        assert first == "skip-link", (path, first)  # the first thing a keyboard reaches
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Tab")  # (a page with autofocus starts in its first field)
        page.locator(".skip-link").focus()
        assert page.locator(".skip-link").is_visible()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        assert outline == "rgb(11, 12, 13)" or outline == "rgb(11, 12, 12)", outline
    page.goto(live_server.url + "/accounts/register/")
    hint = page.locator("#id_password").get_attribute("aria-describedby")
    assert hint and page.locator(f"#{hint}").count() == 1, hint
    page.keyboard.press("Tab")
    shot(page, f"40-skip-link-{locale}")


def test_staff_navigation_waits_for_the_second_factor(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(Role.OFFICER)
    officer.set_password(PASSWORD)
    officer.save()
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("main input[name=username]").fill(officer.email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    nav = page.locator("header nav").inner_text()
    assert "Queue" not in nav and "API access" not in nav
