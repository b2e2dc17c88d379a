"""Duplicate applicants: declared rules flag a new case, across scripts; an officer
resolves it (not a duplicate / linked / refused), journaled and audited."""

from __future__ import annotations

import pytest

from kvisa.accounts.models import Role
from kvisa.audit.models import AuditEvent
from kvisa.casework import duplicates, services
from kvisa.casework.errors import NotAllowed
from kvisa.casework.models import Action, DuplicateFlag, State
from tests.support.cases import PROFILE
from tests.support.files import attach_required_documents
from tests.support.people import client_for, make_user
from tests.support.profiles import VISA_ANSWERS


def _submitted(identity: dict[str, str], profile: dict | None = None):  # type: ignore[no-untyped-def, type-arg]
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=profile or PROFILE,
                                    identity={"sex": "F", **VISA_ANSWERS, **identity})
    attach_required_documents(application.pk)
    return services.application_submit(application_id=application.pk, by=applicant,
                                       client_txn_id=f"s-{application.pk}")


@pytest.mark.parametrize(("first", "second", "score"), [
    ("ZHANG WEI", "张伟", 95), ("SHARMA PRIYA", "Priya Sharma", 95),
    ("MUELLER JONAS", "Müller Jonas", 85), ("WANG XIAOMING", "王小明", 95),
])
def test_names_meet_across_order_spacing_and_script(first: str, second: str,
                                                    score: int) -> None:
    assert duplicates.name_similarity(first, second) >= score


def test_different_people_do_not_meet() -> None:
    assert duplicates.name_similarity("SHARMA PRIYA", "PATEL ARJUN") < 60


def test_the_same_passport_is_a_strict_duplicate() -> None:
    first = _submitted({"surname": "SHARMA", "given_names": "PRIYA",
                        "passport_number": "Z1234567"})
    second = _submitted({"surname": "VERMA", "given_names": "P",
                         "passport_number": "z1234567 "})
    flag = DuplicateFlag.objects.get(application=second)
    assert (flag.other_id, flag.rule, flag.strength) == (first.pk, "same_passport", "strict")
    journal = Action.objects.get(application=second, kind="submit")
    assert journal.payload["possible_duplicates"] == [first.pk]


def test_a_name_in_chinese_characters_meets_its_latin_form() -> None:
    first = _submitted({"surname": "ZHANG", "given_names": "WEI",
                        "passport_number": "E11111111"})
    second = _submitted({"surname": "张", "given_names": "伟", "passport_number": "E22222222"})
    flag = DuplicateFlag.objects.get(application=second)
    assert (flag.other_id, flag.rule) == (first.pk, "similar_name")


def test_another_birth_date_or_nationality_is_not_flagged() -> None:
    _submitted({"surname": "ZHANG", "given_names": "WEI", "passport_number": "E1"})
    other = _submitted({"surname": "ZHANG", "given_names": "WEI", "passport_number": "E2"},
                       {**PROFILE, "date_of_birth": "1990-01-01"})
    foreign = _submitted({"surname": "ZHANG", "given_names": "WEI", "passport_number": "E3"},
                         {**PROFILE, "nationality": "SGP"})
    assert not DuplicateFlag.objects.filter(application__in=[other, foreign]).exists()


@pytest.mark.parametrize("outcome", ["not_duplicate", "linked", "refused"])
def test_an_officer_resolves_a_flag_and_it_is_journaled(outcome: str) -> None:
    _submitted({"surname": "SHARMA", "given_names": "PRIYA", "passport_number": "Z1"})
    second = _submitted({"surname": "SHARMA", "given_names": "PRIYA", "passport_number": "Z1"})
    officer = make_user(Role.OFFICER)
    services.application_assign(application_id=second.pk, by=officer, client_txn_id="a")
    flag = DuplicateFlag.objects.get(application=second)
    web = client_for(officer)
    page = web.get(f"/console/cases/{second.pk}/").content.decode()
    assert 'data-testid="duplicates"' in page and "resolve_duplicate" in page
    response = web.post(
        f"/console/cases/{second.pk}/resolve_duplicate/",
        {"client_txn_id": "d1", "flag_id": flag.pk, "outcome": outcome, "note": "checked"})
    assert response.status_code == 302
    flag.refresh_from_db()
    second.refresh_from_db()
    assert flag.status == outcome and flag.resolved_by == officer
    assert Action.objects.filter(application=second, kind="resolve_duplicate").exists()
    assert AuditEvent.objects.filter(action="application.resolve_duplicate",
                                     object_id=str(second.pk)).exists()
    assert second.state == (State.REFUSED if outcome == "refused" else State.UNDER_REVIEW)
    with pytest.raises(NotAllowed):  # a resolved flag stays resolved
        services.application_resolve_duplicate(
            application_id=second.pk, by=officer, flag_id=flag.pk, outcome="linked",
            client_txn_id="d2")
