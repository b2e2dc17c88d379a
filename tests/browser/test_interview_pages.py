"""/pathways as a guided interview, walked in a real browser: one question a page,
Back, "I don't know", check answers with Change, the grouped result, and on into
an application draft after signing in — in both languages, at 390 and 1366 px,
with axe-core clean and no horizontal scroll."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_start_and_axe import SIZES, serious
from tests.support.browser import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The enquirer: answers by fact; a fact not here is answered "I don't know".
ENQUIRER: dict[str, Any] = {
    "date_of_birth": "1997-03-02", "nationality": "IND", "highest_degree": "master",
    "degree_field": "0613", "degree_institution_recognised": True,
    "degrees": "0",  # "No, only that one"
    "teaching_or_research_at_recognised_institution": False, "years_work_experience": "4",
    "no_criminal_record": True, "good_health": True, "us_job_offer": True,
    "us_job_is_specialty_occupation": True, "outside_us": True,
}


def _submit(page: Any, selector: str) -> None:
    """Click a submit button and wait for the page it leads to: without the wait, the
    next look can land on the page being left (a flake seen under CI load)."""
    with page.expect_navigation():
        page.locator(selector).click()


def _answer(page: Any, facts: list[str], kind: str) -> None:
    """Answer the question on the page as the enquirer would (no script, real clicks)."""
    if kind == "select_all":
        ticked = [f for f in facts if ENQUIRER.get(f) is True]
        if not any(f in ENQUIRER for f in facts):
            _submit(page, "#dont-know")
            return
        for fact in ticked:
            page.locator(f"input[name=answer][value='{fact}']").check()
        if not ticked:
            page.locator("#a-none").check()
    elif facts[0] not in ENQUIRER:
        _submit(page, "#dont-know")
        return
    else:
        value = ENQUIRER[facts[0]]
        if kind == "code":
            page.locator("#search").fill("软件" if "zh" in page.url or page.locator(
                "html[lang^=zh]").count() else "software")
            _submit(page, "button[name=find]")
            page.locator(f"input[name=answer][value='{value}']").check()
        elif kind == "country":
            page.locator("#answer").select_option(value)
        elif kind in ("bool", "choice", "city"):
            text = {True: "true", False: "false"}.get(value, value)
            page.locator(f"input[name=answer][value='{text}']").check()
        elif kind == "date":
            fill_date(page, "answer", str(value))
        else:
            page.locator("#answer").fill(str(value))
    _submit(page, "#continue")


def _walk(page: Any, size: str, check: Any) -> int:
    pages = 0
    while page.locator("input[name=asking]").count():
        pages += 1
        assert pages < 40
        facts = page.locator("input[name=asking]").input_value().split(",")
        kind = _kind(page)
        if pages <= 2:
            check(page)
        _answer(page, facts, kind)
    return pages


def _kind(page: Any) -> str:
    if page.locator("input[type=checkbox][name=answer]").count():
        return "select_all"
    if page.locator("#search").count():
        return "code"
    if page.locator("select#answer").count():
        return "country"
    if page.locator("input[type=radio][name=answer]").count():
        values = page.locator("input[type=radio][name=answer]").first.get_attribute("value")
        return "bool" if values in ("true", "false") else "choice"
    if page.locator("[name=answer-day]").count():
        return "date"
    return "number"


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_interview_to_its_result_and_into_a_draft(browser, live_server, shot, locale: str,
                                                     size: str) -> None:  # type: ignore[no-untyped-def]
    from kvisa.accounts.models import Role
    from kvisa.casework.models import Application
    from tests.browser.test_pr_journey import PASSWORD, _person

    lang = locale[:2]
    width = SIZES[size]["width"]
    email = f"interview-{lang}-{size}@example.org"
    _person(email, Role.APPLICANT)
    page = browser.new_context(locale=locale, viewport=SIZES[size]).new_page()
    page.goto(f"{live_server.url}/pathways")

    def check(page: Any) -> None:
        assert serious(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#dont-know").is_visible()
        assert page.locator("[data-testid=running]").is_visible()

    # Back returns to the question before, with its answer kept
    first = page.locator("input[name=asking]").input_value()
    _answer(page, first.split(","), _kind(page))
    _submit(page, "button[name=back]")
    assert page.locator("input[name=asking]").input_value() == first
    shot(page, f"interview-question-{lang}-{size}")
    boxes = page.locator("input[type=checkbox][name=answer]")
    assert any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    # a question left unanswered is a problem said in words, nothing lost
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    _submit(page, "#continue")
    assert page.locator("[data-testid=error-summary]").is_visible()
    assert serious(page) == []
    shot(page, f"interview-error-{lang}-{size}")
    pages = _walk(page, size, check)
    assert 5 <= pages <= 30
    # check your answers, with a Change link that comes back here
    page.locator("[data-testid=answers]").wait_for()
    assert serious(page) == []
    shot(page, f"interview-check-{lang}-{size}")
    page.locator("button[name=change]").first.click()
    page.locator("#continue").click()
    page.locator("[data-testid=answers]").wait_for()
    page.locator("#results").click()
    # the result: grouped, the H-1B open with its conditional payment, a chart that fits
    h1b = page.locator("[data-route='us.h1b']")
    assert h1b.get_attribute("data-verdict") == "eligible"
    assert page.locator("[data-group=eligible] [data-route='us.h1b']").count() == 1
    # abroad, no H-1B visa, no exception: the US$100,000 payment is in the total (certain
    # where the employer's answers were given, "up to" where they were not)
    assert re.search(r"10[37],595 USD", h1b.inner_text()), h1b.inner_text()
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    chart = page.locator(".chart-narrow svg" if size == "phone" else ".chart-wide svg")
    assert chart.is_visible() and chart.bounding_box()["width"] <= width
    shot(page, f"interview-result-{lang}-{size}")
    # on into an application: sign in, confirm, and the draft holds the answers
    page.locator("#apply").click()
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.locator("[data-testid=carried]").wait_for()
    assert serious(page) == []
    shot(page, f"interview-start-{lang}-{size}")
    page.locator("#start-application").click()
    page.locator("h1").first.wait_for()
    draft = Application.objects.filter(applicant__email=email).latest("pk")
    assert draft.profile["date_of_birth"] == "1997-03-02"
    assert draft.profile["highest_degree"] == "master"
    assert draft.profile["degree_field"] == "0613"


@pytest.mark.parametrize(("locale", "size"), [("en-GB", "desktop"), ("zh-CN", "phone")])
def test_signed_out_from_the_result_through_registration_into_a_draft(
        browser, live_server, shot, locale: str, size: str) -> None:  # type: ignore[no-untyped-def]
    """The anonymous path: compare, start an application, create an account, confirm
    the e-mail, and arrive at the application with the answers (issue 27 rule 1)."""
    from django.core import mail

    from kvisa.casework.models import Application

    lang = locale[:2]
    email = f"newcomer-{lang}@example.org"
    page = browser.new_context(locale=locale, viewport=SIZES[size]).new_page()
    page.goto(f"{live_server.url}/pathways")
    _walk(page, size, lambda page: None)
    page.locator("#results").click()
    page.locator("#apply").click()
    page.wait_for_url(re.compile("/accounts/login/"))
    page.locator("a[href^='/accounts/register/']").last.click()
    page.locator("#id_display_name").fill("Ravi Kumar")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill("a quiet orchard beside the northern canal 2026")
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state()
    link = re.search(r"http\S+/accounts/verify/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(0).replace("http://testserver", live_server.url))
    page.locator("[data-testid=carried]").wait_for()
    assert "/applications/start/" in page.url
    assert serious(page) == []
    shot(page, f"interview-registered-start-{lang}-{size}")
    page.locator("#start-application").click()
    page.locator("h1").first.wait_for()
    draft = Application.objects.get(applicant__email=email)
    assert draft.profile["date_of_birth"] == "1997-03-02"
    assert draft.profile["highest_degree"] == "master"
