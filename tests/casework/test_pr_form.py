"""The permanent-residence form: a route chosen, its questions, the yearly table, the officer's view."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.casework.models import Application
from tests.support.files import attach_required_documents
from tests.support.people import client_for, make_user
from tests.support.profiles import PR_ANSWERS

PR = "cn.permanent_residence"


def _years() -> list[int]:
    this = timezone.localdate().year
    return [this - 4, this - 3, this - 2, this - 1]


def _start(client: Any) -> Application:
    response = client.post("/applications/start/", {"programme": PR})
    assert response.status_code == 302
    return Application.objects.latest("pk")


def test_the_route_decides_the_questions_and_the_precheck() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = _start(client)
    assert application.programme == PR
    base = f"/applications/{application.pk}/edit"
    tasks = client.get(f"{base}/").content.decode()
    assert "Permanent residence application" in tasks and 'data-section="route"' in tasks
    page = client.get(f"{base}/route/").content.decode()
    assert "Which route" in page and 'name="rec-' not in page
    assert 'data-route-result="employment">(needs your answers)' in page
    assert client.get(f"{base}/situation/").status_code == 404   # no route, no questions

    client.post(f"/applications/{application.pk}/route/", {"route": "spouse"})
    page = client.get(f"{base}/situation/").content.decode()
    assert 'name="years_married"' in page and 'name="investment_usd"' not in page
    assert "Has been married for at least 5 years" in page          # the route's criteria
    assert "Paid-in investment" not in page                          # not another route's

    client.post(f"/applications/{application.pk}/route/", {"route": "employment"})
    page = client.get(f"{base}/records/").content.decode()
    for year in _years():
        assert f'name="rec-{year}-salary_cny"' in page
    assert 'name="years_married"' not in client.get(f"{base}/situation/").content.decode()


def test_yearly_records_are_saved_checked_and_shown_to_the_officer() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = _start(client)
    client.post(f"/applications/{application.pk}/route/", {"route": "employment"})
    first, *rest = _years()
    form = {"route": "employment", "date_of_birth": "1985-03-01", "nationality": "DEU",
            "no_criminal_record": "true", "good_health": "true", "surname": "MUELLER",
            "given_names": "ANNA", "sex": "F", "passport_number": "C01X00T47", **PR_ANSWERS}
    for year in _years():
        form |= {f"rec-{year}-city": "Shanghai", f"rec-{year}-salary_cny": "2,000,000",
                 f"rec-{year}-income_tax_cny": "500000", f"rec-{year}-months_in_china": "11"}
    form[f"rec-{first}-income_tax_cny"] = "lots"   # kept as typed, reported
    answer = client.post(f"/applications/{application.pk}/autosave/", form)
    assert answer.status_code == 200
    application.refresh_from_db()
    records = application.profile["employment_records"]
    assert [r["year"] for r in records] == _years()
    assert records[1] == {"year": rest[0], "city": "Shanghai", "salary_cny": 2_000_000.0,
                          "income_tax_cny": 500_000.0, "months_in_china": 11.0}
    assert records[0]["income_tax_cny"] == "lots"
    assert application.identity["route"] == "employment"
    assert "employment_records" in answer.content.decode()  # named beside the pre-check

    page = client.get(f"/applications/{application.pk}/edit/records/").content.decode()
    assert f'name="rec-{first}-income_tax_cny" aria-label="{first}: Income tax paid (CNY)" ' \
           'value="lots"' in page

    form[f"rec-{first}-income_tax_cny"] = "500000"
    client.post(f"/applications/{application.pk}/autosave/", form)
    attach_required_documents(application.pk)
    services.application_submit(application_id=application.pk, by=applicant, client_txn_id="s")
    officer = make_user(Role.OFFICER)
    case = client_for(officer).get(f"/console/cases/{application.pk}/").content.decode()
    assert 'data-testid="by-year"' in case and "Route applied under" in case
    # the shipped Shanghai figures are secondary quotations: the verdict says so
    assert "reported in secondary sources" in case
    for year in _years():
        assert f'<th scope="row">{year}</th>' in case


def test_an_unknown_route_is_refused_and_a_k_visa_has_no_routes() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = _start(client)
    answer = client.post(f"/applications/{application.pk}/route/", {"route": "lottery"},
                         follow=True)
    assert "Choose one of the routes." in answer.content.decode()
    application.refresh_from_db()
    assert "route" not in application.identity
    k_visa = client.post("/applications/start/", {"programme": "cn.k_visa"})
    assert k_visa.status_code == 302
    pk = Application.objects.latest("pk").pk
    client.post(f"/applications/{pk}/route/", {"route": "employment"}, follow=True)
    assert "route" not in Application.objects.get(pk=pk).identity


def test_the_page_and_the_api_precheck_are_one_assessment() -> None:
    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = _start(client)
    client.post(f"/applications/{application.pk}/route/", {"route": "spouse"})
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={"date_of_birth": "1985-03-01",
                                             "years_married": "four"},  # unreadable
                                    identity={"route": "spouse"})
    api = client.get(f"/api/v1/applications/{application.pk}/precheck").json()
    criteria = [c["id"] for c in api["assessments"][0]["criteria"]]
    assert any(".route.spouse." in c for c in criteria)
    assert not any(".route.investment." in c for c in criteria)   # the case's route only
    assert "years_married" in api["unreadable_answers"]
    page = client.get(f"/applications/{application.pk}/edit/situation/").content.decode()
    assert "Has been married for at least 5 years" in page and "Paid-in investment" not in page


def test_every_case_says_what_happens_next_with_its_time_and_answers() -> None:
    import datetime as dt

    from kvisa.casework.models import State

    applicant = make_user(Role.APPLICANT)
    client = client_for(applicant)
    application = _start(client)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={"date_of_birth": "1985-03-01",
                                             "years_married": 6.0},
                                    identity={"route": "spouse"})
    draft = client.get(f"/applications/{application.pk}/").content.decode()
    assert "nothing is sent until you submit it" in draft
    submitted = timezone.now() - dt.timedelta(days=10)
    Application.objects.filter(pk=application.pk).update(state=State.UNDER_REVIEW,
                                                         submitted_at=submitted)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    section = page.split('data-testid="what-next"')[1].split("</section>")[0]
    assert "An officer is checking your application" in section
    assert 'data-testid="processing-time"' in section   # a time, or that none is published
    answers = page.split('data-testid="your-answers"')[1].split("</details>")[0]
    assert "China permanent residence: spouse" in answers and "1985" in answers
    Application.objects.filter(pk=application.pk).update(state=State.WITHDRAWN)
    assert "nothing more happens on it" in client.get(
        f"/applications/{application.pk}/").content.decode()
