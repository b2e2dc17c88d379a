"""Signing in with a real browser, in any language the page is in."""

from __future__ import annotations

from typing import Any

from tests.support.people import PASSWORD, second_factor_code


def sign_in(page: Any, base: str, email: str, password: str = PASSWORD, *,
            staff: bool | None = None) -> None:
    """Sign in by the form's field names (not its words), waiting for each answer page;
    staff (``staff=None``: whoever has a device) type their current TOTP code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(f"{base}/accounts/login/")
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) button[type=submit]").click()
    if staff is None:
        staff = TOTPDevice.objects.filter(user__email=email).exists()
    if staff:
        page.locator("main input[name=token]").fill(second_factor_code(email))
        with page.expect_navigation():
            page.locator("form:has(input[name=token]) button[type=submit]").click()
    page.wait_for_load_state()


def fill_date(page: Any, name: str, iso: str) -> None:
    """Type an ISO date into a date input's three boxes (day, month, year), whatever
    order the reader's locale shows them in."""
    year, month, day = iso.split("-")
    for part, value in (("day", day), ("month", month), ("year", year)):
        page.locator(f"[name='{name}-{part}']").fill(value.lstrip("0") if part != "year"
                                                     else value)
