"""The supervisor's workload page: open cases per officer by state and age, overdue
evidence, links to each officer's cases, and reassignment from there."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.casework.models import Application, EvidenceRequest
from tests.support.cases import submitted, under_review
from tests.support.people import client_for, make_user


def test_counts_by_state_and_age_and_reassignment() -> None:
    officer, other = make_user(Role.OFFICER), make_user(Role.OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    fresh = under_review(make_user(Role.APPLICANT), officer)
    old = under_review(make_user(Role.APPLICANT), officer)
    Application.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=45))
    waiting = under_review(make_user(Role.APPLICANT), officer)
    services.application_request_evidence(
        application_id=waiting.pk, by=officer, message="Translation",
        due_date=timezone.localdate() + dt.timedelta(days=3), client_txn_id="e")
    EvidenceRequest.objects.filter(application=waiting).update(
        due_date=timezone.localdate() - dt.timedelta(days=1))
    submitted(make_user(Role.APPLICANT))          # nobody has it yet

    client = client_for(supervisor)
    page = client.get("/console/workload/").content.decode()
    assert "1 submitted case is waiting for an officer." in page
    row = page[page.index(f"?officer={officer.pk}"):]
    row = row[:row.index("</tr>")]
    numbers = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
    # under review, waiting for evidence, 0-7 days, 8-30, over 30, overdue, oldest
    assert numbers == ["2", "1", "2", "0", "1", "1", "45"], numbers

    mine = client.get("/console/", {"officer": officer.pk}).content.decode()
    assert fresh.reference in mine and "3 cases" in mine

    moved = client.post(f"/console/workload/{fresh.pk}/reassign/",
                        {"officer_id": other.pk, "client_txn_id": "ra"})
    assert moved.status_code == 302 and moved["Location"] == "/console/workload/"
    assert Application.objects.get(pk=fresh.pk).assigned_to == other


def test_officers_do_not_see_the_workload_page() -> None:
    assert client_for(make_user(Role.OFFICER)).get("/console/workload/").status_code == 404
    officer = make_user(Role.OFFICER)
    case = under_review(make_user(Role.APPLICANT), officer)
    answer = client_for(make_user(Role.OFFICER)).post(
        f"/console/workload/{case.pk}/reassign/", {"officer_id": officer.pk})
    assert answer.status_code == 404
