"""/verify as airline and border staff use it, in English and Chinese: a valid seal
read as a sentence about the traveller, garbage answered in plain words with the
pasted text kept (screenshots kept)."""

from __future__ import annotations

import pytest

from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.issuance.models import Visa
from tests.support.cases import under_review
from tests.support.people import make_user

from .test_newcomer_pages import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_a_seal_reads_as_a_sentence_and_garbage_as_plain_words(browser, live_server, shot,  # type: ignore[no-untyped-def]
                                                                locale) -> None:
    from kvisa.site.bootstrap import ensure_signer

    ensure_signer()
    zh = locale == "zh-CN"
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = under_review(applicant, officer)
    services.application_approve(application_id=application.pk, by=officer,
                                 client_txn_id="approve")
    visa = Visa.objects.get(application=application)
    page = browser.new_context(locale=locale, viewport=SIZES["phone"]).new_page()
    page.goto(f"{live_server.url}/verify")
    page.locator("#seal").fill(visa.seal_hex)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    reading = page.locator("[data-testid=seal-reading]").inner_text()
    assert "SHARMA" in reading and "Z1234567" in reading and "IND" in reading
    assert ("多次入境" if zh else "multiple entries") in reading
    assert ("每次停留180天" if zh else "180 days each stay") in reading
    assert not page.locator("details").first.evaluate("e => e.open")  # internals folded
    shot(page, f"30-verify-valid-{locale}")

    page.goto(f"{live_server.url}/verify")
    page.locator("#seal").fill("this is not a seal")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("[data-testid=verify-error]").inner_text()
    assert ("不是电子签章" if zh else "That is not a seal") in error
    assert "fromhex" not in page.content() and "non-hexadecimal" not in page.content()
    assert page.locator("#seal").input_value() == "this is not a seal"
    shot(page, f"31-verify-garbage-{locale}")
