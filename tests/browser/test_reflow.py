"""WCAG 2.2 reflow: at 320 px no page scrolls sideways (the probe measured the form at
411 px and the queue at 760 px), in English and Chinese."""

from __future__ import annotations

import pytest

from kvisa.accounts.models import Role
from kvisa.casework import services
from tests.support.browser import sign_in
from tests.support.cases import submitted
from tests.support.people import make_user

from .test_journey import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARROW = {"width": 320, "height": 640}


def _width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_no_page_scrolls_sideways_at_320_px(browser, live_server, shot, locale) -> None:  # type: ignore[no-untyped-def]
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    for person in (applicant, officer):
        person.set_password(PASSWORD)
        person.save()
    case = submitted(applicant)
    draft = services.application_create(applicant=applicant)
    public = browser.new_context(locale=locale, viewport=NARROW).new_page()
    for path in ("/", "/verify", "/pathways", "/accounts/register/"):
        public.goto(live_server.url + path)
        assert _width(public) <= 320, (path, _width(public))
    person = browser.new_context(locale=locale, viewport=NARROW).new_page()
    sign_in(person, live_server.url, applicant.email)
    for path in (f"/applications/{draft.pk}/edit/", f"/applications/{case.pk}/",
                 "/accounts/api-token/"):
        person.goto(live_server.url + path)
        person.wait_for_load_state("networkidle")
        assert _width(person) <= 320, (path, _width(person))
    shot(person, f"41-form-320-{locale}")
    staff = browser.new_context(locale=locale, viewport=NARROW).new_page()
    sign_in(staff, live_server.url, officer.email, staff=True)
    for path in ("/console/", f"/console/cases/{case.pk}/"):
        staff.goto(live_server.url + path)
        assert _width(staff) <= 320, (path, _width(staff))
    shot(staff, f"42-queue-320-{locale}")
