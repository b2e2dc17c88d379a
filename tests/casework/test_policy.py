"""The one authorisation policy: its table is what the pages, menus and services do.

The matrices here are generated from :data:`kvisa.casework.policy.BY_ROLE`: change a
row and these tests expect the new answer everywhere (pages, menu links, services).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kvisa.accounts.models import Role
from kvisa.casework import policy, services, wage_tables
from kvisa.casework.errors import Forbidden, NotFound
from kvisa.casework.policy import BY_ROLE, Outcome, Permission, decide
from tests.support.cases import submitted, under_review
from tests.support.people import client_for, make_user

SRC = Path(policy.__file__).resolve().parents[1]

# the page each part of the site opens on, and the menu link that leads there
PAGES = {
    Permission.USE_PORTAL: ("/applications/", "/applications/"),
    Permission.MANAGE_ADVISERS: ("/accounts/advisers/", "/accounts/advisers/"),
    Permission.USE_CONSOLE: ("/console/", "/console/"),
    Permission.SEE_WORKLOAD: ("/console/workload/", "/console/workload/"),
    Permission.USE_ANALYTICS: ("/analytics/", "/analytics/"),
    Permission.MANAGE_STAFF_ACCOUNTS: ("/accounts/staff/", "/accounts/staff/"),
    Permission.READ_REFERENCE_DATA: ("/reference/average-wages/", "/reference/average-wages/"),
}
MATRIX = [(permission, role) for permission in PAGES for role in Role.values]


@pytest.mark.parametrize(("permission", "role"), MATRIX,
                         ids=[f"{p.value}-{r}" for p, r in MATRIX])
def test_each_part_of_the_site_opens_to_the_roles_the_table_names(
        permission: Permission, role: str) -> None:
    client = client_for(make_user(role))
    page, link = PAGES[permission]
    allowed = role in BY_ROLE[permission].roles
    response = client.get(page)
    assert response.status_code == (200 if allowed else 404)
    menu = client.get("/pathways").content.decode()
    assert (f'href="{link}"' in menu) is allowed


def test_every_part_of_the_site_in_the_table_has_a_page_tested_above() -> None:
    # a part added to the table without a page here would go untested
    assert set(PAGES) == set(policy.PARTS_OF_THE_SITE)


@pytest.mark.parametrize("role", Role.values)
def test_only_the_roles_in_the_table_change_reference_data(role: str) -> None:
    person = make_user(role)
    if role in BY_ROLE[Permission.CHANGE_REFERENCE_DATA].roles:
        with pytest.raises(Exception) as raised:  # allowed: the (empty) file is refused
            wage_tables.upload(by=person, data=b"")
        assert not isinstance(raised.value, Forbidden)
    else:
        with pytest.raises(Forbidden, match="administrator"):
            wage_tables.upload(by=person, data=b"")


@pytest.mark.parametrize("role", Role.values)
def test_only_the_roles_in_the_table_apply(role: str) -> None:
    person = make_user(role)
    if role in BY_ROLE[Permission.APPLY].roles:
        assert services.application_create(applicant=person).applicant == person
    else:
        with pytest.raises(Forbidden):
            services.application_create(applicant=person)


def test_a_case_answers_not_found_forbidden_or_allowed_with_reasons() -> None:
    owner, officer, other = (make_user(Role.APPLICANT), make_user(Role.OFFICER),
                             make_user(Role.OFFICER))
    case = under_review(owner, officer)
    stranger = decide(make_user(Role.APPLICANT), "case.approve", case)
    assert stranger.outcome is Outcome.NOT_FOUND and stranger.reason
    applicant = decide(owner, "case.approve", case)
    assert applicant.outcome is Outcome.FORBIDDEN and applicant.capacity == "applicant"
    unassigned = decide(other, "case.approve", case)
    assert unassigned.outcome is Outcome.FORBIDDEN and "assigned" in unassigned.reason
    assert decide(officer, "case.approve", case).outcome is Outcome.ALLOWED
    assert decide(make_user(Role.ANALYST), Permission.SEE_CASE, case).outcome is \
        Outcome.NOT_FOUND
    with pytest.raises(NotFound):
        decide(make_user(Role.ADMIN), "case.approve", case).enforce()


def test_officers_never_see_drafts_and_nobody_acts_on_their_own_case() -> None:
    officer = make_user(Role.OFFICER)
    draft = services.application_create(applicant=make_user(Role.APPLICANT))
    assert decide(officer, Permission.SEE_CASE, draft).outcome is Outcome.NOT_FOUND
    # staff cannot apply; one who applied before joining the staff still cannot decide
    applicant = make_user(Role.APPLICANT)
    case = submitted(applicant)
    applicant.role = Role.SUPERVISOR
    applicant.save()
    own = decide(applicant, "case.assign", case)
    assert own.outcome is Outcome.FORBIDDEN and "your own" in own.reason
    assert decide(make_user(Role.SUPERVISOR), "case.assign", case)


def test_an_unknown_permission_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="no permission"):
        decide(make_user(Role.ADMIN), "case.fly")


def test_signed_out_people_are_refused_everything() -> None:
    from django.contrib.auth.models import AnonymousUser

    for permission in BY_ROLE:
        assert decide(AnonymousUser(), permission).outcome is Outcome.FORBIDDEN


ROLE_COMPARISON = re.compile(r"\.role\b\s*(==|!=|not in|in)\b|role__in=[\[(]")


def test_no_role_is_compared_outside_the_policy_and_the_user_model() -> None:
    allowed = {SRC / "casework" / "policy.py", SRC / "accounts" / "models.py"}
    found = [f"{path.relative_to(SRC)}:{number}: {line.strip()}"
             for path in sorted(SRC.rglob("*")) if path.suffix in {".py", ".html"}
             and path not in allowed
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if ROLE_COMPARISON.search(line)]
    assert found == []


def test_kvisa_permissions_answers_who_may_reissue_a_card_in_one_row() -> None:
    import json

    from typer.testing import CliRunner

    from kvisa.cli import app

    run = CliRunner().invoke(app, ["permissions", "--json"])
    assert run.exit_code == 0, run.output
    rows = {row["permission"]: row for row in json.loads(run.stdout)["permissions"]}
    assert rows["card.reissue"]["who"] == "officer, supervisor"
    assert "assigned" in rows["card.reissue"]["condition"]
    # every permission the policy answers is listed
    assert set(rows) == {str(p) for p in BY_ROLE} | set(policy.ON_A_CASE)
