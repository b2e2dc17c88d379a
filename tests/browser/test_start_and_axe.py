"""The start pages and the new journey pages in both languages at phone and desktop width:
no horizontal scroll, and axe-core finds no serious or critical WCAG violation."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
AXE = Axe()


def serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page (WCAG 2.x A and AA rules)."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} × {v['nodes'][0]['target']})"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_public_pages(browser, live_server, shot, locale: str, size: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(locale=locale, viewport=SIZES[size]).new_page()
    for path, name in (("/apply/k-visa/", "start-k-visa"),
                       ("/apply/permanent-residence/", "start-pr"), ("/", "home"),
                       ("/verify", "verify"), ("/pathways", "pathways")):
        page.goto(f"{live_server.url}{path}")
        page.locator("h1").wait_for()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= SIZES[size]["width"], (path, wide)
        assert serious(page) == [], path
        if path.startswith("/apply/"):
            shot(page, f"{name}-{locale}-{size}")


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_journey_pages(browser, live_server, shot, locale: str) -> None:  # type: ignore[no-untyped-def]
    from kvisa.accounts.models import Role
    from kvisa.casework import services
    from kvisa.site.bootstrap import ensure_signer
    from tests.browser.test_pr_journey import _person
    from tests.support.cases import IDENTITY, PROFILE

    ensure_signer()
    lang = locale[:2]
    applicant = _person(f"axe-{lang}@example.org", Role.APPLICANT)
    officer = _person(f"axe-officer-{lang}@browser.test", Role.OFFICER)
    supervisor = _person(f"axe-super-{lang}@browser.test", Role.SUPERVISOR)
    draft = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=draft.pk, by=applicant, profile=PROFILE,
                                    identity=IDENTITY)
    pr = services.application_create(applicant=applicant, programme="cn.permanent_residence")
    services.application_save_draft(application_id=pr.pk, by=applicant,
                                    profile={"date_of_birth": "1985-03-01"},
                                    identity={"route": "employment"})
    case = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=case.pk, by=applicant, profile=PROFILE,
                                    identity=IDENTITY)
    from tests.support.files import attach_required_documents
    attach_required_documents(case.pk)
    services.application_submit(application_id=case.pk, by=applicant, client_txn_id="s")
    services.application_assign(application_id=case.pk, by=officer, client_txn_id="a")

    pages = {
        applicant.email: [f"/applications/{draft.pk}/edit/?check=1",
                          f"/applications/{draft.pk}/edit/identity/",
                          f"/applications/{draft.pk}/edit/recognised/",
                          f"/applications/{draft.pk}/edit/experience/?check=1",
                          f"/applications/{draft.pk}/edit/documents/",
                          f"/applications/{pr.pk}/edit/", f"/applications/{pr.pk}/edit/route/",
                          f"/applications/{pr.pk}/edit/criminal-record/",
                          f"/applications/{pr.pk}/edit/records/",
                          f"/applications/{draft.pk}/check/",
                          f"/applications/{case.pk}/submitted/", f"/applications/{case.pk}/",
                          f"/applications/{pr.pk}/", "/applications/",
                          "/accounts/password/"],
        officer.email: [f"/console/cases/{case.pk}/", f"/console/cases/{case.pk}/confirm/approve/",
                        "/console/?sort=-nationality", "/reference/average-wages/"],
        supervisor.email: ["/console/workload/", "/analytics/"],
    }
    for email, paths in pages.items():
        for size in ("phone", "desktop"):
            context = browser.new_context(locale=locale, viewport=SIZES[size])
            page = context.new_page()
            sign_in(page, live_server.url, email)
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                page.locator("h1").first.wait_for()
                assert serious(page) == [], path
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= SIZES[size]["width"], (path, size, wide)
                if size == "phone" or "confirm" in path or "check" in path:
                    name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "")
                    shot(page, f"axe-{name}-{lang}-{size}")
            context.close()
