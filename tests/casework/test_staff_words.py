"""Staff pages in words (issue 27, rule 6 and 10): programme names, what an action did,
the last change and who made it, a reference that says its programme, dates and roles
in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from kvisa.casework import services
from kvisa.web.templatetags.kvisa import reader_date
from tests.support.cases import submitted, under_review
from tests.support.people import client_for


def test_the_queue_names_programmes_and_actions_say_what_they_did(applicant: Any,
                                                                 officer: Any) -> None:
    case = submitted(applicant)
    web = client_for(officer)
    queue = web.get("/console/").content.decode()
    assert "China K visa (young foreign science and technology talent)" in queue
    assert "<td>cn.k_visa</td>" not in queue
    assigned = web.post(f"/console/cases/{case.pk}/assign/", {"client_txn_id": "a1"},
                        follow=True).content.decode()
    assert "Assigned to you." in assigned and "Done." not in assigned
    page = web.get(f"/console/cases/{case.pk}/").content.decode()
    assert 'data-testid="last-change"' in page and "Version" not in page
    assert officer.display_name in page.split('data-testid="last-change"')[1][:300]


def test_a_reference_says_its_programme(applicant: Any) -> None:
    k_visa = services.application_create(applicant=applicant, programme="cn.k_visa")
    residence = services.application_create(applicant=applicant,
                                             programme="cn.permanent_residence")
    assert k_visa.reference.startswith("KV") and residence.reference.startswith("PR")


def test_dates_and_roles_read_in_chinese(applicant: Any, officer: Any) -> None:
    import datetime as dt

    with translation.override("zh-hans"):
        assert reader_date(dt.date(2031, 12, 3)) == "2031年12月3日"
    with translation.override("en"):
        assert reader_date(dt.date(2031, 12, 3)) == "3 Dec 2031"
    case = under_review(applicant, officer)
    try:
        page = client_for(applicant).get(f"/applications/{case.pk}/",
                                         HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    finally:
        translation.activate("en")  # the request left Chinese active in this thread
    assert "(applicant)" not in page and "(officer)" not in page
    assert "（申请人）" in page or "(申请人)" in page


def test_an_approval_says_which_document_it_issued(applicant: Any, officer: Any) -> None:
    from kvisa.casework import actions

    case = under_review(applicant, officer)
    approved = actions.perform("approve", application_id=case.pk, by=officer,
                               client_txn_id="ap1", data={"reasons": []})
    with translation.override("en"):
        message = actions.done_message("approve", approved)
    assert approved.state == "issued" and f"e-visa {approved.visa.number} issued" in message

