"""An officer sees a possible duplicate (a Chinese-script name matching a Latin one)
and resolves it, in English and Chinese (screenshots kept)."""

from __future__ import annotations

import pytest

from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.casework.models import DuplicateFlag
from tests.support.browser import sign_in
from tests.support.cases import PROFILE
from tests.support.files import attach_required_documents
from tests.support.people import make_user
from tests.support.profiles import VISA_ANSWERS

from .test_journey import PASSWORD
from .test_newcomer_pages import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted(identity: dict[str, str]):  # type: ignore[no-untyped-def]
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity={"sex": "M", **VISA_ANSWERS, **identity})
    attach_required_documents(application.pk)
    return services.application_submit(application_id=application.pk, by=applicant,
                                       client_txn_id=f"s-{application.pk}")


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_an_officer_resolves_a_possible_duplicate(browser, live_server, shot, locale) -> None:  # type: ignore[no-untyped-def]
    _submitted({"surname": "ZHANG", "given_names": "WEI", "passport_number": "E11111111"})
    second = _submitted({"surname": "张", "given_names": "伟", "passport_number": "E22222222"})
    officer = make_user(Role.OFFICER)
    officer.set_password(PASSWORD)
    officer.save()
    services.application_assign(application_id=second.pk, by=officer, client_txn_id="a")
    page = browser.new_context(locale=locale, viewport=SIZES["desktop"]).new_page()
    sign_in(page, live_server.url, officer.email, staff=True)
    page.goto(f"{live_server.url}/console/cases/{second.pk}/")
    panel = page.locator("[data-testid=duplicates]")
    assert "ZHANG WEI" in panel.inner_text()
    shot(page, f"32-case-duplicate-{locale}")
    panel.locator("input[value=linked]").check()
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert DuplicateFlag.objects.get(application=second).status == "linked"
    assert ("同一人" if locale == "zh-CN" else "the same person") in page.locator(
        "[data-testid=duplicates]").inner_text()
    page.context.close()
