"""The public pathways page gives the same answer as ``kvisa compare``, in both
languages, at phone width, and keeps what was typed when input is wrong."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from typer.testing import CliRunner

from kvisa.cli import app
from tests.support.browser import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROFILE = {"date_of_birth": "1995-01-01", "nationality": "IND", "highest_degree": "master",
           "degree_field": "0613", "degree_institution_recognised": True,
           "us_job_offer": True, "us_job_is_specialty_occupation": True,
           "us_offer_wage_level": 3, "outside_us": True, "holds_valid_h1b_visa": False}


def _cli_verdicts(tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(PROFILE))
    result = CliRunner().invoke(app, ["compare", str(profile), "--on",
                                      dt.date.today().isoformat(), "--json"])
    return {r["route"]: r["verdict"] for r in json.loads(result.stdout)["routes"]}


def _page_verdicts(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = page.locator("table[data-testid=routes] tbody tr")
    found = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        found[row.get_attribute("data-route")] = row.locator("[data-verdict]").get_attribute(
            "data-verdict")
    return found


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_page_and_cli_agree(browser, live_server, shot, tmp_path, locale) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(locale=locale, viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/pathways/all")
    upload = tmp_path / "me.json"
    upload.write_text(json.dumps(PROFILE))
    page.locator("#p-json").set_input_files(str(upload))
    page.locator("#compare").click()
    page.locator("table[data-testid=routes]").wait_for()
    assert _page_verdicts(page) == _cli_verdicts(tmp_path)
    # the summary first, and the open routes first in the table
    assert page.locator("[data-testid=summary]").is_visible()
    verdicts = list(_page_verdicts(page).values())
    order = {"eligible": 0, "undetermined": 1, "not_eligible": 2}
    assert [order[v] for v in verdicts] == sorted(order[v] for v in verdicts)
    h1b = page.locator("tr[data-route='us.h1b']")
    # abroad with the national-interest exception left blank: the payment is shown as
    # conditional, never dropped (with the Public Law 114-113 fee, the employer unknown)
    assert "107,595" in h1b.inner_text() and "45%" in h1b.inner_text()
    h1b.locator("summary[data-verdict]").click()  # keyboard-reachable details element
    assert h1b.locator(".criteria li").count() >= 3
    if locale == "zh-CN":
        assert "中国K字签证" in page.content()
    shot(page, f"09-pathways-{locale}")
    chart = page.locator("#chart")
    assert chart.locator("svg").count() == 1
    assert chart.bounding_box()["width"] <= 390  # fits the phone
    chart.screenshot(path=str(shot(page, f"09b-pathways-chart-{locale}").with_name(
        f"09b-pathways-chart-{locale}.png")))
    page.locator("[data-testid=summary]").screenshot(
        path=str(shot(page, f"09c-pathways-summary-{locale}").with_name(
            f"09c-pathways-summary-{locale}.png")))


def test_form_errors_keep_what_was_typed(browser, live_server, shot) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{live_server.url}/pathways/all")
    page.locator("#p-nationality").fill("India")
    page.locator("#p-years_work_experience").fill("five")
    page.locator("#p-degree_field").fill("software engineering")
    fill_date(page, "date_of_birth", "2999-01-01")
    page.locator("#p-us_offer_wage_level").fill("7")
    page.locator("#compare").click()
    error = page.locator("#p-years_work_experience-error")
    error.wait_for()
    # every bad answer at once, each beside its field and listed in the summary
    assert "past" in page.locator("#p-date_of_birth-error").inner_text()
    assert "1 to 4" in page.locator("#p-us_offer_wage_level-error").inner_text()
    assert page.locator("[data-testid=error-summary] li").count() == 3
    assert page.locator("#p-years_work_experience").input_value() == "five"
    assert page.locator("#p-degree_field").input_value().startswith("0613 Software")
    assert page.locator("#p-nationality").input_value() == "India (IND)"
    shot(page, "10-pathways-errors")
    page.locator("#p-years_work_experience").fill("5")
    fill_date(page, "date_of_birth", "1996-05-14")
    page.locator("#p-us_offer_wage_level").fill("2")
    page.keyboard.press("Enter")
    page.locator("table[data-testid=routes]").wait_for()
    page.get_by_role("button", name=re.compile("Start an application with these facts")).wait_for()


def test_pages_run_under_a_strict_content_security_policy(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_context(locale="en-GB").new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    response = page.goto(f"{live_server.url}/pathways/all")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#p-highest_degree").select_option("master")
    page.locator("#compare").click()
    page.locator("#chart svg").first.wait_for(state="attached")  # drawn on the server
    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")       # so did the selector's
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert violations == []
