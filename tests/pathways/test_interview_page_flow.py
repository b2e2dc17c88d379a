"""/pathways as an interview, through HTTP (Django's test client): state in the form,
answers checked, tampering harmless, and "start an application" surviving sign-in."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _state(html: str) -> dict:  # type: ignore[type-arg]
    raw = re.search(r'name="state" value="([^"]*)"', html)
    assert raw is not None
    return json.loads(raw.group(1).replace("&quot;", '"'))


def _asking(html: str) -> str:
    found = re.search(r'name="asking" value="([^"]*)"', html)
    return found.group(1) if found else ""


def test_each_answer_moves_on_and_is_carried_in_the_form_not_the_address() -> None:
    client = Client()
    first = client.get("/pathways")
    assert first.status_code == 200
    asking = _asking(first.content.decode())
    assert asking
    answer = client.post("/pathways", {"state": json.dumps({"answers": {}, "history": []}),
                                       "asking": asking, "dont_know": "1"})
    html = answer.content.decode()
    assert _asking(html) and _asking(html) != asking
    assert _state(html)["answers"] == dict.fromkeys(asking.split(","))
    assert _state(html)["history"] == [asking.split(",")]


def test_a_bad_or_missing_answer_is_said_in_words_with_422() -> None:
    client = Client()
    empty = json.dumps({"answers": {}, "history": []})
    missing = client.post("/pathways", {"state": empty, "asking": "date_of_birth",
                                        "continue": "1"})
    assert missing.status_code == 422 and "Enter an answer" in missing.content.decode()
    future = client.post("/pathways", {"state": empty, "asking": "date_of_birth",
                                       "answer": "2999-01-01"})
    assert future.status_code == 422 and "must be in the past" in future.content.decode()
    both = client.post("/pathways", {"state": empty, "asking": "no_criminal_record,good_health",
                                     "answer": ["none", "good_health"]})
    assert both.status_code == 422 and "on its own" in both.content.decode()


def test_a_tampered_state_starts_again_without_an_error_page() -> None:
    for state in ("not json", json.dumps({"answers": {"hsk_level": 99}}),
                  json.dumps({"answers": {"x" * 10: 1}}), "{" * 30_000):
        response = Client().post("/pathways", {"state": state})
        assert response.status_code == 200
        assert _asking(response.content.decode())


def test_the_all_fields_form_stays_for_advisers() -> None:
    page = Client().get("/pathways/all")
    assert page.status_code == 200 and 'id="p-date_of_birth"' in page.content.decode()
    assert 'href="/pathways/all"' in Client().get("/pathways").content.decode()


def test_start_an_application_survives_sign_in_and_fills_the_draft() -> None:
    from kvisa.casework.models import Application
    from tests.support.people import make_user

    user = make_user("applicant")
    client = Client()
    answers = {"date_of_birth": "1997-03-02", "highest_degree": "master",
               "degree_field": "0613", "us_job_offer": "true"}
    to_login = client.post("/pathways/apply", {**answers, "programme": "cn.k_visa"})
    assert to_login.status_code == 302 and "/accounts/login/" in to_login["Location"]
    assert "next=/applications/start/" in to_login["Location"]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    confirm = client.get("/applications/start/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "1997-03-02" in html and 'data-testid="carried"' in html
    assert "us_job_offer" not in html  # the K visa form does not ask it
    created = client.post("/applications/start/", {**answers, "programme": "cn.k_visa"})
    assert created.status_code == 302
    draft = Application.objects.filter(applicant=user).latest("pk")
    assert draft.profile["date_of_birth"] == "1997-03-02"
    assert draft.profile["degree_field"] == "0613"
    # the answers are used once: coming back does not offer them again
    assert client.get("/applications/start/").status_code == 302


def test_a_new_account_confirmed_by_e_mail_arrives_at_the_application() -> None:
    from django.core import mail

    client = Client()
    client.post("/pathways/apply", {"date_of_birth": "1997-03-02", "programme": "cn.k_visa"})
    client.post("/accounts/register/", {"display_name": "Ravi", "email": "ravi@example.org",
                                        "password": "a long and memorable test passphrase"})
    link = re.search(r"http\S+/accounts/verify/\S+/", mail.outbox[-1].body)
    assert link is not None
    confirmed = client.get(link.group(0).replace("http://testserver", ""))
    assert confirmed.status_code == 302 and confirmed["Location"] == "/applications/start/"
    assert "1997-03-02" in client.get("/applications/start/").content.decode()


def test_changing_an_answer_drops_the_follow_ups_that_rested_on_it() -> None:
    degree = [{"level": "master", "field": "0613", "institution_recognised": True}]
    state = {"answers": {"highest_degree": "master", "degree_field": "0613",
                         "degree_institution_recognised": True, "degrees": degree},
             "history": [["highest_degree"], ["degree_field"],
                         ["degree_institution_recognised"], ["degrees"]]}
    asked = Client().post("/pathways", {"state": json.dumps(state), "change": "degrees"})
    html = asked.content.decode()
    assert "any other degree" in html and re.search(r'value="0"[^>]*checked', html)
    changed = Client().post("/pathways", {"state": json.dumps(state), "changing": "1",
                                          "asking": "highest_degree", "answer": "doctorate"})
    assert changed.status_code == 200
    after = _state(changed.content.decode())
    assert after["answers"]["highest_degree"] == "doctorate"
    assert "degree_field" not in after["answers"] and "degrees" not in after["answers"]
    assert ["highest_degree"] in after["history"] and ["degrees"] not in after["history"]


def test_sources_are_cited_by_their_chinese_names_in_chinese() -> None:
    page = Client().post("/pathways/all", {"highest_degree": "master"},
                         HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "国务院令第814号" in page and "State Council Order No. 814" not in page
    assert "第6条第6项" in page
    # an article that says more than its number is in the reader's language too
    assert "2025年10月1日起施行" in page and "in force 1 Oct 2025" not in page
    english = Client().post("/pathways/all", {"highest_degree": "master"}).content.decode()
    assert "State Council Order No. 814" in english


def test_every_chinese_source_reads_in_chinese_on_a_chinese_page() -> None:
    """No English phrase left in a Chinese programme's sources (issue 27, rule 10)."""
    import re

    from kvisa.rules.labels import citation_text
    from kvisa.rules.model import walk_criteria
    from kvisa.rules.programmes import PROGRAMMES

    phrase = re.compile(r"[A-Za-z]+ [a-z]+ [a-z]+")  # three Latin words in a row
    chinese = [programme for programme in PROGRAMMES if programme.id.startswith("cn.")]
    assert len(chinese) == 4
    for programme in chinese:
        citations = [programme.in_force_citation,
                     *(criterion.citation for criterion, _ in walk_criteria(programme.rule)),
                     *(output.citation for output in programme.outputs),
                     *(item.citation for item in programme.not_modelled)]
        for citation in citations:
            cited = citation_text({"instrument": citation.instrument,
                                   "article": citation.article}, "zh")
            assert not phrase.search(cited), (programme.id, cited)
