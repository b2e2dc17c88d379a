"""What a newcomer sees first: the officer's case page in words (not keys), the
application form with named choices, the API docs offline, error pages in the
site's layout, and the pathways page showing a payment that depends on a blank
fact — in English and Chinese, at phone and desktop width (screenshots kept)."""

from __future__ import annotations

import re

import pytest

from kvisa.accounts.models import Role
from kvisa.casework import services
from tests.support.browser import sign_in
from tests.support.cases import IDENTITY, PROFILE
from tests.support.files import attach_required_documents
from tests.support.people import make_user

from .test_journey import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}



def _offline(context, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Refuse every request that leaves the test server; return what was refused."""
    refused: list[str] = []

    def guard(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(base):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()
    context.route("**/*", guard)
    return refused


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_case_page_and_form_speak_to_people(browser, live_server, shot, locale,  # type: ignore[no-untyped-def]
                                            size) -> None:
    from kvisa.site.bootstrap import ensure_signer

    ensure_signer()
    applicant = make_user(Role.APPLICANT)
    applicant.set_password(PASSWORD)
    applicant.save()
    officer = make_user(Role.OFFICER)
    officer.set_password(PASSWORD)
    officer.save()
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={**PROFILE, "degree_field": "0533"},
                                    identity=IDENTITY)
    draft = services.application_create(applicant=applicant)
    attach_required_documents(application.pk)
    services.application_submit(application_id=application.pk, by=applicant,
                                client_txn_id="n-1")
    zh = locale == "zh-CN"
    context = browser.new_context(locale=locale, viewport=SIZES[size])
    page = context.new_page()
    sign_in(page, live_server.url, officer.email, staff=True)
    page.goto(f"{live_server.url}/console/cases/{application.pk}/")
    facts = page.locator("[data-testid=facts]").inner_text()
    assert "degree_field" not in facts and "given_names" not in facts
    assert ("物理学" if zh else "0533 Physics") in facts
    assert ("是" if zh else "Yes") in facts and "True" not in facts
    assert ("印度" if zh else "India") in facts
    shot(page, f"10-case-{locale}-{size}")

    applicant_context = browser.new_context(locale=locale, viewport=SIZES[size])
    person = applicant_context.new_page()
    sign_in(person, live_server.url, applicant.email)
    person.goto(f"{live_server.url}/applications/{draft.pk}/edit/identity/")
    nationality = person.locator("#f-nationality")
    # typed by name in the reader's language, with every country offered as one types
    assert nationality.get_attribute("list") == "f-nationality-list"
    nationality.fill("德国" if zh else "Germany")
    nationality.blur()
    person.wait_for_load_state("networkidle")  # the autosave has answered
    shot(person, f"11a-identity-{locale}-{size}")
    person.goto(f"{live_server.url}/applications/{draft.pk}/edit/degree/")
    field = person.locator("#f-degree_field")
    field.fill("软件工程" if zh else "software engineering")
    field.blur()
    person.wait_for_load_state("networkidle")  # the autosave has answered
    shot(person, f"11-form-{locale}-{size}")
    # no request may still be running when the test database is flushed
    applicant_context.close()
    context.close()


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_api_docs_work_without_internet(browser, live_server, shot, locale) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale=locale, viewport=SIZES["desktop"])
    refused = _offline(context, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    assert "kvisa" in page.locator(".swagger-ui .info .title").inner_text()
    assert refused == [], refused
    shot(page, f"12-api-docs-{locale}")


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_error_pages_have_the_site_layout_and_a_way_back(browser, live_server, shot,  # type: ignore[no-untyped-def]
                                                         locale) -> None:
    page = browser.new_context(locale=locale, viewport=SIZES["phone"]).new_page()
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name=("找不到该页面" if locale == "zh-CN"
                                             else "Page not found")).is_visible()
    assert page.get_by_role("link", name=("返回首页" if locale == "zh-CN"
                                          else "Go to the start page")).is_visible()
    shot(page, f"13-not-found-{locale}")


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_pathways_page_shows_a_conditional_payment(browser, live_server, shot, locale) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(locale=locale, viewport=SIZES["desktop"]).new_page()
    page.goto(f"{live_server.url}/pathways/all")
    page.locator("#p-highest_degree").select_option("master")
    page.locator("#p-us_job_offer").select_option("true")
    page.locator("#p-us_job_is_specialty_occupation").select_option("true")
    page.locator("#p-outside_us").select_option("true")
    page.locator("#compare").click()
    fees = page.locator("tr[data-route='us.h1b'] [data-testid=fees]").inner_text()
    if locale == "zh-CN":
        assert re.search(r"最多 107,595 USD — 取决于：.*持有有效H-1B签证", fees), fees
        assert "美国雇主有50名或以上员工" in fees  # the Public Law 114-113 fee, conditional
    else:
        assert re.search(r"up to 107,595 USD — depends on: .*Holds a valid H-1B visa", fees), fees
        assert "US employer has 50 or more employees" in fees
    shot(page, f"14-pathways-payment-{locale}")
