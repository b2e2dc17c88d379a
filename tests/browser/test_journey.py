"""The whole journey in a real browser: register, apply, upload, submit, evidence,
approval, e-visa download, and the public verify page saying "valid"; then the
Chinese interface."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kvisa.accounts.models import Role, User
from kvisa.site.bootstrap import ensure_signer
from tests.support.browser import fill_date, sign_in
from tests.support.files import photo, png, write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and memorable test passphrase"
def _valid_mrz() -> str:
    from kvisa.documents.mrz import compose

    return "\n".join(compose("TD3", surname="Sharma", given_names="Priya",
                             document_number="Z1234567", nationality="IND",
                             birth_date="1996-05-14", sex="F", expiry_date="2033-01-01",
                             issuing_state="IND"))




def _officer() -> User:
    officer = User.objects.create_user("officer@browser.test", PASSWORD, role=Role.OFFICER,
                                       display_name="Officer Wang", email_verified=True)
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True,
                              key="3132333435363738393031323334353637383930")
    return officer



def test_apply_review_issue_and_verify(browser, live_server, shot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ensure_signer()
    base = live_server.url
    _officer()
    applicant = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = applicant.new_page()
    page.goto(base)
    shot(page, "01-home")
    page.get_by_role("link", name="Register").first.click()
    page.get_by_label("Your name").fill("Priya Sharma")
    page.get_by_label("E-mail").fill("priya@example.org")
    page.get_by_label("Password").fill("short one")
    page.get_by_role("button", name="Register").click()
    # wait: the answer is a new page, which a loaded machine may not have drawn yet
    page.get_by_role("alert").filter(has_text="at least 15 characters").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.get_by_text("Check your e-mail").wait_for()
    link = re.search(r"http\S+/accounts/verify/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Start a K visa application").click()
    tasks = page.get_by_test_id("task-list")
    tasks.wait_for()
    assert tasks.locator("[data-status=not_started]").count() == 4
    assert tasks.locator("[data-section=check][data-status=cannot_start]").count() == 1
    shot(page, "02a-task-list")
    page.get_by_role("link", name="Identity (as in your passport)").click()
    page.get_by_text(re.compile("Paste your passport")).click()
    page.get_by_label(re.compile("MRZ")).fill(_valid_mrz())
    page.get_by_role("button", name="Fill in from MRZ").click()
    expect(page.get_by_label("Surname (as in passport)")).to_have_value("SHARMA")
    page.get_by_role("button", name="Save and continue").click()
    tasks.locator("[data-section=identity][data-status=completed]").wait_for()

    page.get_by_role("link", name="Education and work").click()
    page.get_by_label("Highest degree").select_option("master")
    page.get_by_label(re.compile("Field of study")).fill("software engineering")
    page.get_by_role("button", name="Save and continue").click()
    # the officer checks the institution: it is needed, and the page says so at once
    page.get_by_test_id("error-summary").get_by_role("link", name=re.compile(
        "Enter the name of the university")).wait_for()
    shot(page, "02a2-institution-needed")
    page.get_by_label(re.compile("Name of the university")).fill("Indian Institute of Science")
    page.get_by_label(re.compile("Country of that university")).fill("India")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=re.compile("Is your highest degree from a well-known")).wait_for()
    page.get_by_label("Yes", exact=True).check()
    shot(page, "02b-question-page")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label(re.compile("This is my only degree")).select_option("true")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=re.compile("Do you teach or do research")).wait_for()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label(re.compile("Years of work experience")).fill("four")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_test_id("error-summary").get_by_role("link", name=re.compile(
        "Enter a number")).wait_for()                       # stays, named, kept as typed
    assert page.get_by_label(re.compile("Years of work experience")).input_value() == "four"
    page.get_by_label(re.compile("Years of work experience")).fill("4")
    page.locator("[data-testid=verdict].eligible").wait_for(timeout=10_000)
    page.get_by_role("button", name="Save and continue").click()
    tasks.locator("[data-section=education][data-status=completed]").wait_for()

    page.get_by_role("link", name="Contact details and travel").click()
    page.get_by_label(re.compile("Telephone number")).fill("+91 98765 43210")
    page.get_by_label("Home address").fill("12 MG Road, Bengaluru")
    page.get_by_role("button", name="Save and continue").click()
    arrival = dt.date.today() + dt.timedelta(days=60)
    fill_date(page, "intended_entry_date", arrival.isoformat())
    page.get_by_label(re.compile("Have you been to China")).select_option("false")
    page.get_by_role("button", name="Save and continue").click()
    tasks.locator("[data-section=contact][data-status=completed]").wait_for()

    page.get_by_role("link", name="Documents").click()
    uploads = (("degree_certificate", write(tmp_path, "degree.png", png())),
               ("passport_page", write(tmp_path, "degree.png", png())),
               ("photo", write(tmp_path, "me.jpg", photo())))
    for count, (kind, path) in enumerate(uploads, start=1):
        page.get_by_label("Kind").select_option(kind)
        page.get_by_label(re.compile("PDF, JPEG or PNG")).set_input_files(path)
        page.get_by_role("button", name="Upload").click()
        # each upload draws a new page: wait for the list to grow, not for a message
        # the previous page may still show
        expect(page.locator("ul.documents li form")).to_have_count(count)
    page.get_by_text(re.compile(r"me\.jpg uploaded")).wait_for()
    expect(page.get_by_test_id("checklist").locator(".not_met")).to_have_count(0)
    shot(page, "02c-documents")
    page.get_by_role("link", name="Back to your application").first.click()
    # the task list is a new page: wait for it rather than counting what is drawn so far
    expect(tasks.locator("[data-status=completed]")).to_have_count(4)
    shot(page, "02d-task-list-done")
    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("heading", name="Check your answers before submitting").wait_for()
    shot(page, "02e-check-answers")
    page.get_by_role("button", name="Submit application").click()   # without the declaration
    assert page.get_by_role("heading", name="Check your answers before submitting").is_visible()
    page.get_by_label("I confirm the information is true and complete").check()
    page.get_by_role("button", name="Submit application").click()
    page.get_by_role("heading", name="Application submitted").wait_for()
    reference = page.locator(".reference").inner_text()
    shot(page, "02f-confirmation")
    page.get_by_role("link", name="See your application").click()

    staff = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    console = staff.new_page()
    sign_in(console, base, "officer@browser.test", staff=True)
    console.get_by_role("link", name=reference).click()
    shot(console, "03-case")
    # the officer sees the photo beside the answers, in the order the form asked them
    assert console.get_by_test_id("holder-photo").locator("img").evaluate(
        "img => img.complete && img.naturalWidth > 0")
    labels = console.get_by_test_id("facts").locator("dt").all_inner_texts()
    assert labels.index("Surname (as in passport)") < labels.index("Home address")
    assert "Name of the university or institution that awarded it" in labels
    console.get_by_role("button", name="Assign to me").click()
    console.get_by_label("Evidence needed").fill("A certified translation of the degree.")
    console.get_by_role("button", name="Request evidence").click()
    console.locator("[data-testid=state]", has_text="Evidence requested").wait_for()

    page.reload()
    page.get_by_label("Your answer").fill("The translation is attached.")
    page.get_by_role("button", name="Send answer").click()
    page.get_by_text("Your answer is sent").wait_for()

    console.reload()
    console.get_by_role("button", name="Approve and issue…").click()
    console.get_by_role("heading", name="Approve and issue the e-visa?").wait_for()
    assert "not opened by you" in console.content()
    shot(console, "03b-confirm-approval")
    # issuing signs a PDF and chains the audit: the page says it is working meanwhile and
    # a second press sends nothing.  The test stops the form's first submission in the
    # page (after kvisa's own handler has run) to look, then sends it.
    console.evaluate("""() => {
        const form = document.getElementById("confirm-decision").form;
        form.addEventListener("submit", (event) => event.preventDefault(), {once: true});
    }""")
    confirm = console.get_by_role("button", name="Confirm: approve and issue the e-visa")
    confirm.click()
    console.get_by_role("status").filter(has_text="Issuing: signing the document").wait_for()
    assert confirm.is_disabled() and confirm.get_attribute("aria-disabled") == "true"
    shot(console, "03c-issuing")
    console.evaluate("() => document.getElementById('confirm-decision').form.submit()")
    console.locator("[data-testid=state]", has_text="Issued").wait_for()

    page.reload()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the e-visa")).click()
    pdf = tmp_path / "e-visa.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    shot(page, "04-issued")

    verifier = browser.new_context(locale="en-GB").new_page()
    verifier.goto(f"{base}/verify")
    verifier.get_by_label("PDF or photo").set_input_files(str(pdf))
    verifier.get_by_role("button", name="Verify").click()
    status = verifier.locator("[data-testid=seal-status]")
    status.wait_for()
    assert status.inner_text().startswith("Valid"), status.inner_text()
    assert "Compare these with the traveller's passport" in verifier.content()
    shot(verifier, "05-verify")


def test_chinese_interface(browser, live_server, shot) -> None:  # type: ignore[no-untyped-def]
    # a browser asking for Chinese gets Chinese …
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(live_server.url)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="注册").first.is_visible()
    shot(page, "06-home-zh")
    page.goto(f"{live_server.url}/verify")
    assert page.get_by_role("heading", name="核验电子签证").is_visible()
    shot(page, "07-verify-zh")
    # … and anyone can switch with the language selector
    english = browser.new_context(locale="en-GB").new_page()
    english.goto(f"{live_server.url}/accounts/register/")
    english.get_by_label("Language").select_option("zh-hans")
    english.get_by_role("heading", name="创建申请人账户").wait_for()
    english.get_by_label("密码").fill("太短了")
    english.get_by_role("button", name="注册").click()
    english.get_by_role("alert").first.wait_for()
    shot(english, "08-register-zh-errors")



def test_typed_work_survives_a_session_time_out(browser, live_server, shot) -> None:  # type: ignore[no-untyped-def]
    from kvisa.casework import services
    from kvisa.casework.models import Application

    user = User.objects.create_user("lea@example.org", PASSWORD, role=Role.APPLICANT,
                                    display_name="Lea", email_verified=True)
    application = services.application_create(applicant=user)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, "lea@example.org")
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/degree/")
    context.clear_cookies()                       # the session times out
    page.get_by_label(re.compile("Field of study")).fill("Electronics and automation")
    page.locator("#session-lost").wait_for(state="visible")
    sign_in(page, live_server.url, "lea@example.org")   # sign in again
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/degree/")
    # the words typed come back, and the draft keeps the field they name
    assert page.get_by_label(re.compile("Field of study")).input_value() == \
        "Electronics and automation"
    page.get_by_text("Draft saved.").wait_for()
    application.refresh_from_db()
    assert Application.objects.get(pk=application.pk).profile["degree_field"] == "0714"
