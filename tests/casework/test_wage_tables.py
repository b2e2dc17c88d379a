"""The local average wage table in the service: an administrator extends it, the rules read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kvisa.accounts.models import Role
from kvisa.audit.models import AuditEvent
from kvisa.casework import wage_tables
from kvisa.casework.errors import Forbidden, InvalidInput
from kvisa.casework.models import WageTable
from kvisa.rules import explain, reference
from tests.support.people import client_for, make_user

HEADER = "city,city_zh,year,average_wage_cny,status,source,url\n"
HANGZHOU = HEADER + "Hangzhou,杭州,2024,110000,official,Hangzhou Statistics Bureau,https://tjj.hangzhou.gov.cn/\n"


@pytest.fixture(autouse=True)
def _shipped_table_afterwards() -> Iterator[None]:
    yield
    reference.install(reference.shipped())
    wage_tables._installed_pk = None


def income_result(city: str) -> str:
    records = [{"year": y, "city": "Shanghai", "salary_cny": 2e6, "income_tax_cny": 5e5,
                "months_in_china": 12.0} for y in (2022, 2023, 2024)]
    records.append({"year": 2025, "city": city, "salary_cny": 2e6, "income_tax_cny": 5e5,
                    "months_in_china": 12.0})
    assessment = explain({"employment_records": records}, ["cn.permanent_residence"],
                         dt.date(2026, 11, 27)).programmes[0]
    return next(c.result for c in assessment.criteria if c.id.endswith("employment.income"))


def test_an_upload_extends_the_table_is_audited_and_read_by_the_rules(db: Any) -> None:
    admin = make_user(Role.ADMIN)
    wage_tables.sync()
    assert income_result("Hangzhou") == "unknown"
    table = wage_tables.upload(by=admin, data=HANGZHOU.encode(), note="2024 release")
    assert table.rows == len(reference.shipped()) + 1 and table.mode == "extend"
    assert AuditEvent.objects.filter(action="reference.wage_table", object_id=str(table.pk)
                                     ).exists()
    assert income_result("Hangzhou") == "met"


def test_another_process_picks_up_the_newest_version(db: Any) -> None:
    admin = make_user(Role.ADMIN)
    wage_tables.upload(by=admin, data=HANGZHOU.encode())
    reference.install(reference.shipped())  # as a process that has not seen it yet
    wage_tables._installed_pk = None
    assert income_result("Hangzhou") == "unknown"
    wage_tables.sync()
    assert income_result("Hangzhou") == "met"


@pytest.mark.parametrize(("data", "why"), [
    (HEADER + "Shanghai,上海,2022,99999,official,Bureau,https://x.org/\n", "already in the table"),
    (HEADER + "Shanghai,上海,2026,150000,official,Bureau,https://x.org/\n", "no figure for 2025"),
    (HEADER + "Hangzhou,杭州,2024,lots,official,Bureau,https://x.org/\n", "line 2"),
    (b"\x89PNG\r\n\x1a\n", "not UTF-8"),
])
def test_a_bad_upload_changes_nothing_and_says_why(db: Any, data: str | bytes, why: str) -> None:
    admin = make_user(Role.ADMIN)
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match=why):
        wage_tables.upload(by=admin, data=data.encode() if isinstance(data, str) else data)
    assert WageTable.objects.count() == 0 and AuditEvent.objects.count() == events


def test_replacing_corrects_a_figure(db: Any) -> None:
    admin = make_user(Role.ADMIN)
    table = wage_tables.upload(by=admin, data=HANGZHOU.encode(), replace=True)
    assert table.rows == 1 and table.mode == "replace"
    assert [r.city for r in wage_tables.current_rows()[1]] == ["Hangzhou"]


def test_only_an_administrator_uploads(db: Any) -> None:
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.APPLICANT):
        with pytest.raises(Forbidden):
            wage_tables.upload(by=make_user(role), data=HANGZHOU.encode())


def test_the_page_shows_figures_to_staff_and_takes_an_admins_upload(db: Any) -> None:
    officer = client_for(make_user(Role.OFFICER))
    page = officer.get("/reference/average-wages/").content.decode()
    assert "Shanghai" in page and "Add or replace figures" not in page
    refused = officer.post("/reference/average-wages/", {
        "table": SimpleUploadedFile("t.csv", HANGZHOU.encode(), "text/csv")})
    assert refused.status_code == 302 and WageTable.objects.count() == 0
    admin = client_for(make_user(Role.ADMIN))
    assert "Add or replace figures" in admin.get("/reference/average-wages/").content.decode()
    done = admin.post("/reference/average-wages/", {
        "table": SimpleUploadedFile("t.csv", HANGZHOU.encode(), "text/csv"), "mode": "extend"},
        follow=True)
    assert "Saved: the table now has" in done.content.decode()
    assert "Hangzhou" in admin.get("/reference/average-wages/?format=csv").content.decode()
    bad = admin.post("/reference/average-wages/", {
        "table": SimpleUploadedFile("t.csv", HANGZHOU.encode(), "text/csv")}, follow=True)
    assert "already in the table" in bad.content.decode()
    assert WageTable.objects.count() == 1


def test_applicants_do_not_see_the_page(db: Any) -> None:
    client = client_for(make_user(Role.APPLICANT))
    assert client.get("/reference/average-wages/").status_code == 404
