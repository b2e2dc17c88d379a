"""The pre-check beside the form never contradicts itself or speaks as a developer
(issue 27, rule 5): an alternative an "any of" did not need is "not needed", not a
red cross, and a bad answer is said in plain words in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from kvisa.casework import services
from tests.support.cases import IDENTITY, PROFILE
from tests.support.people import client_for


def _autosave(client: Any, pk: int, **answers: str) -> str:
    page = client.post(f"/applications/{pk}/autosave/", answers)
    return str(page.content.decode())


def test_an_alternative_not_needed_is_not_shown_as_failed(applicant: Any) -> None:
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity=IDENTITY)
    precheck = _autosave(client_for(applicant), application.pk)
    assert 'data-testid="verdict">eligible' in precheck
    assert 'data-not-needed="cn.k_visa.teaching_or_research"' in precheck
    assert "✗" not in precheck and "another way is already met" in precheck


def test_a_bad_answer_is_said_in_plain_words_in_both_languages(applicant: Any) -> None:
    application = services.application_create(applicant=applicant)
    client = client_for(applicant)
    english = _autosave(client, application.pk, years_work_experience="four")
    assert "Enter a number, for example 4 or 4.5." in english
    assert "Input should be" not in english and "got" not in english
    try:
        chinese = str(client.post(f"/applications/{application.pk}/autosave/",
                                  {"years_work_experience": "four"},
                                  HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    finally:
        translation.activate("en")
    assert "请填写数字" in chinese and "Input should be" not in chinese
