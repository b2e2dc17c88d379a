"""The action table is the only gate.

* every action of the workflow has exactly one entry, and every entry says who
  may take it (a new action without both fails here);
* a case the caller may not see is 404 for every action and method, page or
  API — the same answer as for a case that does not exist;
* pages and API endpoints hold no role checks of their own (the source says so).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from kvisa.accounts.models import AdviserLink, Role
from kvisa.casework import actions, services
from kvisa.casework.workflow import TRANSITIONS
from tests.support.cases import submitted, under_review
from tests.support.people import client_for, make_user

SRC = Path(__file__).resolve().parents[2] / "src" / "kvisa"

# who, in words, may take each action (checked against the workflow table)
MAY_TAKE = {
    "submit": {"applicant"}, "withdraw": {"applicant"}, "answer_evidence": {"applicant"},
    "assign": {"officer", "supervisor"}, "reassign": {"supervisor"},
    "request_evidence": {"officer", "supervisor"}, "approve": {"officer", "supervisor"},
    "refuse": {"officer", "supervisor"}, "reverse": {"supervisor"},
    "resolve_duplicate": {"officer", "supervisor"},
}


def test_every_workflow_action_has_one_entry_and_a_row_here() -> None:
    assert set(actions.ACTIONS) == actions.workflow_actions()
    assert set(MAY_TAKE) == set(actions.ACTIONS)
    for name, roles in MAY_TAKE.items():
        assert {role for (_, action, role) in TRANSITIONS if action == name} == roles, name


def _strangers() -> dict[str, Client]:
    adviser_without_consent = make_user(Role.ADVISER)
    return {"stranger": client_for(make_user(Role.APPLICANT)),
            "adviser": client_for(adviser_without_consent),
            "analyst": client_for(make_user(Role.ANALYST)),
            "admin": client_for(make_user(Role.ADMIN))}


def _answers(client: Client, pk: int, action: actions.CaseAction) -> list[int]:
    body = {"client_txn_id": "probe", "message": "x", "due_date": "2099-01-01",
            "answer": "x", "note": "x", "officer_id": 1, "flag_id": 1,
            "outcome": "linked"}
    api = f"/api/v1/applications/{pk}/{action.api_path}"
    page = (f"/console/cases/{pk}/{action.name}/" if action.side == "console" else
            f"/applications/{pk}/{ {'answer_evidence': 'answer'}.get(action.name, action.name)}/")
    return [client.post(api, body, content_type="application/json").status_code,
            client.post(api, {}, content_type="application/json").status_code,
            client.post(page, body).status_code, client.post(page, {}).status_code]


@pytest.mark.parametrize("name", list(actions.ACTIONS))
def test_a_case_you_may_not_see_is_404_for_every_action(name: str) -> None:
    owner, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = under_review(owner, officer)
    action = actions.ACTIONS[name]
    for who, client in _strangers().items():
        seen = _answers(client, application.pk, action)
        missing = _answers(client, application.pk + 10_000, action)
        # the API's body validation (422) happens before any lookup, the same for both
        assert seen == missing, (who, name, seen, missing)
        assert all(status in (404, 422) for status in seen), (who, name, seen)
        assert seen[0] == 404 and seen[2] == 404, (who, name, seen)


def test_officers_cannot_see_drafts_whatever_they_try() -> None:
    owner = make_user(Role.APPLICANT)
    draft = services.application_create(applicant=owner)
    officer = client_for(make_user(Role.OFFICER))
    for name in ("assign", "approve", "refuse"):
        api = f"/api/v1/applications/{draft.pk}/{actions.ACTIONS[name].api_path}"
        response = officer.post(api, {"client_txn_id": "x", "note": "x"},
                                content_type="application/json")
        assert response.status_code == 404, (name, response.status_code)
    for method in ("get", "put"):
        path = (f"/api/v1/applications/{draft.pk}" if method == "get" else
                f"/api/v1/applications/{draft.pk}/draft")
        response = getattr(officer, method)(path, {}, content_type="application/json")
        assert response.status_code == 404, (method, response.status_code)


def test_an_adviser_with_consent_acts_and_loses_access_when_it_is_revoked() -> None:
    owner, adviser = make_user(Role.APPLICANT), make_user(Role.ADVISER)
    link = AdviserLink.objects.create(applicant=owner, adviser=adviser)
    application = submitted(owner)
    web = client_for(adviser)
    assert web.get(f"/applications/{application.pk}/").status_code == 200
    link.revoked_at = link.granted_at
    link.save()
    response = web.post(f"/applications/{application.pk}/withdraw/", {"client_txn_id": "w"})
    assert response.status_code == 404


def test_buttons_come_from_the_table(applicant, officer, supervisor) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    assert actions.available(application, officer) == ["request_evidence", "approve",
                                                        "refuse"]
    assert actions.available(application, make_user(Role.OFFICER)) == []  # not assigned
    assert set(actions.available(application, supervisor)) == {
        "reassign", "request_evidence", "approve", "refuse"}
    assert actions.available(application, applicant) == ["withdraw"]
    page = client_for(officer).get(f"/console/cases/{application.pk}/").content.decode()
    assert 'id="approve"' in page and "'reassign'" not in page and "/reassign/" not in page


@pytest.mark.parametrize("module", ["web/api/cases.py", "web/case_views.py"])
def test_pages_and_endpoints_hold_no_role_checks(module: str) -> None:
    source = (SRC / module).read_text()
    assert not re.search(r"\.role\s*(==|!=|in|not in)\b", source), module
    assert "_officer_side" not in source and "_applicant_side" not in source
