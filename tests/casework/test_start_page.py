"""Each programme's start page, before sign-up: who qualifies, what to bring, cost, time."""

from __future__ import annotations

from django.test import Client

from kvisa.accounts.models import Role
from kvisa.casework.models import Application
from tests.support.people import client_for, make_user


def test_the_k_visa_start_page_says_who_qualifies_and_what_it_costs() -> None:
    page = Client().get("/apply/k-visa/").content.decode()
    assert "Who can apply" in page and "What you need" in page
    assert "Degree certificate" in page and "Government fees" in page
    assert 'id="start-now" href="/accounts/register/?next=/apply/k-visa/"' in page
    assert "Order No. 814" in page or "814" in page


def test_the_permanent_residence_page_lists_the_routes_and_the_shared_conditions() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get("/apply/permanent-residence/")
    text = page.content.decode()
    assert page.status_code == 200 and "谁可以申请" in text and "中国永久居留：工资和纳税" in text
    assert text.count("<li>") > 5


def test_a_signed_in_applicant_starts_from_it() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    page = client.get("/apply/permanent-residence/").content.decode()
    assert 'value="cn.permanent_residence"' in page
    client.post("/applications/start/", {"programme": "cn.permanent_residence"})
    assert Application.objects.get(applicant=applicant).programme == "cn.permanent_residence"
    assert Client().get("/apply/nothing/").status_code == 404


def test_the_dashboard_says_when_action_is_needed() -> None:
    import datetime as dt

    from django.utils import timezone

    from kvisa.casework import services
    from tests.support.cases import under_review

    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    case = under_review(applicant, officer)
    due = timezone.localdate() + dt.timedelta(days=10)
    services.application_request_evidence(application_id=case.pk, by=officer,
                                          message="Translation", due_date=due,
                                          client_txn_id="e")
    page = client_for(applicant).get("/applications/").content.decode()
    assert 'data-testid="action-needed"' in page
    assert f"Action needed by {due.day} {due:%b} {due.year}" in page


def test_alternatives_are_said_as_alternatives() -> None:
    page = Client().get("/apply/k-visa/").content.decode()
    options = page[page.index('data-testid="options"'):]
    options = options[:options.index("</ol>")]
    assert options.count("all of:") == 1       # a STEM degree (three conditions) …
    assert "teaching or research" in options   # … or teaching/research
    conditions = page[page.index('data-testid="conditions"'):]
    conditions = conditions[:conditions.index("</ul>")]
    assert "18" in conditions and "teach" not in conditions.lower()
