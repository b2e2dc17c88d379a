"""A permanent-residence application on the employment route, in a real browser, from draft
to issued card: in English and in Chinese, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kvisa.accounts.models import Role, User
from kvisa.casework.models import Application
from kvisa.documents import resident_id
from kvisa.issuance.models import ResidentCard
from kvisa.site.bootstrap import ensure_signer
from tests.support.browser import fill_date, sign_in
from tests.support.files import pdf as specimen_pdf
from tests.support.files import photo as portrait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and memorable test passphrase"


def _person(email: str, role: str) -> User:
    user = User.objects.create_user(email, PASSWORD, role=role, display_name=email.split("@")[0],
                                    email_verified=True)
    if user.is_staff_role:
        TOTPDevice.objects.create(user=user, name="app", confirmed=True,
                                  key="3132333435363738393031323334353637383930")
    return user



@pytest.mark.parametrize(("locale", "lang"), [("en-GB", "en"), ("zh-CN", "zh")])
def test_employment_route_from_draft_to_issued_card(browser, live_server, shot, tmp_path,  # type: ignore[no-untyped-def]
                                                    locale: str, lang: str) -> None:
    ensure_signer()
    base = live_server.url
    _person(f"anna-{lang}@example.org", Role.APPLICANT)
    _person(f"officer-{lang}@browser.test", Role.OFFICER)
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, f"anna-{lang}@example.org")
    page.goto(f"{base}/applications/")
    page.locator("button[name=programme][value='cn.permanent_residence']").click()
    tasks = page.locator("[data-testid=task-list]")
    tasks.locator("[data-section=route] a").click()
    page.locator("input[name=route][value=employment]").check()
    page.locator("#step-route button[type=submit]").click()
    tasks.locator("[data-section=route][data-status=completed]").wait_for()

    tasks.locator("[data-section=identity] a").click()
    page.locator("#f-surname").fill("MUELLER")
    page.locator("#f-given_names").fill("ANNA")
    page.locator("#f-sex").select_option("F")
    page.locator("#f-passport_number").fill("C01X00T47")
    fill_date(page, "passport_expiry", "2033-01-01")
    page.locator("#f-chinese_name").fill("穆安娜")
    fill_date(page, "date_of_birth", "1985-03-01")
    page.locator("#f-nationality").fill("Germany")
    page.locator("#draft button[type=submit]").click()
    tasks.locator("[data-section=identity][data-status=completed]").wait_for()

    tasks.locator("[data-section=situation] a").click()
    page.locator("#f-no_criminal_record-no").check()       # "No, I have no criminal record"
    shot(page, f"pr-00-question-{lang}")
    page.locator("#draft button[type=submit]").click()
    page.locator("#f-good_health").check()                 # "Yes, I am in good health"
    page.locator("#draft button[type=submit]").click()
    this_year = timezone.localdate().year
    for year in range(this_year - 4, this_year):
        page.locator(f"input[name=rec-{year}-city]").fill("Shanghai")
        page.locator(f"input[name=rec-{year}-salary_cny]").fill("1200000")
        page.locator(f"input[name=rec-{year}-income_tax_cny]").fill("300000")
        page.locator(f"input[name=rec-{year}-months_in_china]").fill("11")
    # the shipped table has Shanghai up to 2024: the latest year may be unknown, and the
    # pre-check must say which figure is missing rather than guess
    page.locator("[data-testid=verdict]").wait_for()
    page.wait_for_function("document.querySelector('#precheck .saved') !== null")
    shot(page, f"pr-01-form-{lang}")
    page.locator("#draft button[type=submit]").click()
    tasks.locator("[data-section=situation][data-status=completed]").wait_for()

    tasks.locator("[data-section=contact] a").click()
    page.locator("#f-phone").fill("+44 20 7946 0123")
    page.locator("#f-home_address").fill("Room 1203, 88 Century Avenue, Shanghai")
    page.locator("#draft button[type=submit]").click()
    tasks.locator("[data-section=contact][data-status=completed]").wait_for()

    tasks.locator("[data-section=documents] a").click()
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(portrait())
    uploads = [("photo", photo)]
    for kind in ("passport_page", "health_certificate", "criminal_record_certificate",
                 "employment_tax_record"):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(specimen_pdf(kind))
        uploads.append((kind, path))
    for kind, path in uploads:
        page.locator("#kind").select_option(kind)
        page.locator("#files").set_input_files(str(path))
        page.locator("form[enctype] button[type=submit]").first.click()
        page.locator(f"text={path.name}").first.wait_for()
    expect(page.locator("[data-testid=checklist] .not_met")).to_have_count(0)
    shot(page, f"pr-01a-documents-{lang}")
    page.goto(f"{base}/applications/")
    application = Application.objects.get(applicant__email=f"anna-{lang}@example.org")
    assert application.profile["no_criminal_record"] is True
    records = application.profile["employment_records"]
    assert [r["year"] for r in records] == list(range(this_year - 4, this_year))
    page.goto(f"{base}/applications/{application.pk}/edit/")
    assert tasks.locator("[data-status=completed]").count() == 5
    shot(page, f"pr-01-tasks-{lang}")
    page.locator("#check-answers").click()
    page.locator("[data-testid=answers]").wait_for()
    shot(page, f"pr-01b-check-{lang}")
    page.locator("#declaration-yes").check()
    page.locator("#submit-application").click()
    page.locator("[data-testid=confirmation]").wait_for()
    shot(page, f"pr-01c-confirmation-{lang}")

    staff = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    console = staff.new_page()
    sign_in(console, base, f"officer-{lang}@browser.test")
    console.goto(f"{base}/console/cases/{application.pk}/")
    console.locator("#assign").click()
    console.locator("[data-testid=by-year]").wait_for()
    rows = console.locator("[data-testid=by-year] tbody tr")
    assert rows.count() == 4
    shot(console, f"pr-02-case-{lang}")
    console.locator("#approve").click()
    console.locator("[data-testid=decision-summary]").wait_for()
    shot(console, f"pr-02b-confirm-{lang}")
    console.locator("#confirm-decision").click()
    console.locator("[data-testid=cards]").wait_for()
    card = ResidentCard.objects.get(application=application)
    assert resident_id.parse(card.number).valid
    # the last change says what was issued under this programme: a card, not an e-visa
    change = console.get_by_test_id("last-change").inner_text()
    assert ("resident card issued" if lang == "en" else "永久居留身份证已签发") in change
    assert "e-visa" not in change and "电子签证" not in change
    # the yearly records are the table's, not repeated as a line of the answers
    assert "2022: Shanghai" not in console.locator("main").inner_text()
    shot(console, f"pr-03-card-history-{lang}")

    page.goto(f"{base}/applications/{application.pk}/")
    page.locator("[data-testid=card-issued]").wait_for()
    assert card.number in page.content()
    page.wait_for_function("[...document.querySelectorAll('img.card-face')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    shot(page, f"pr-04-issued-{lang}")

    verifier = browser.new_context(locale=locale).new_page()
    verifier.goto(f"{base}/verify")
    verifier.locator("#seal").fill(card.seal_hex)
    verifier.locator("form[enctype] button[type=submit]").click()
    reading = verifier.locator("[data-testid=seal-reading]")
    reading.wait_for()
    assert card.number in reading.inner_text() and "穆安娜" in reading.inner_text()
    shot(verifier, f"pr-05-verify-{lang}")
