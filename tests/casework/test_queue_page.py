"""The officer's queue page: search, count, sort by any column, pages both ways, and
filter values that cannot be used reported rather than dropped."""

from __future__ import annotations

from typing import Any

import pytest

from kvisa.accounts.models import Role
from kvisa.casework import selectors, services
from tests.support.cases import IDENTITY, PROFILE
from tests.support.files import attach_required_documents
from tests.support.people import client_for, make_user


def _submit(surname: str, passport: str, nationality: str) -> Any:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(
        application_id=application.pk, by=applicant,
        profile={**PROFILE, "nationality": nationality},
        identity={**IDENTITY, "surname": surname, "passport_number": passport})
    attach_required_documents(application.pk)
    return services.application_submit(application_id=application.pk, by=applicant,
                                       client_txn_id=f"s-{passport}")


def test_search_count_sort_and_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    first = _submit("OKAFOR", "A1111111", "NGA")
    _submit("SILVA", "B2222222", "BRA")
    third = _submit("TANAKA", "C3333333", "JPN")
    client = client_for(make_user(Role.OFFICER))

    page = client.get("/console/").content.decode()
    assert "3 cases" in page
    found = client.get("/console/", {"q": "tanaka"}).content.decode()
    assert third.reference in found and first.reference not in found and "1 case" in found
    by_passport = client.get("/console/", {"q": "a1111111"}).content.decode()
    assert first.reference in by_passport and third.reference not in by_passport
    assert first.reference in client.get("/console/", {"q": first.reference}).content.decode()
    nothing = client.get("/console/", {"q": "nobody"}).content.decode()
    assert "No case matches your search." in nothing

    # each case names its applicant as in the passport, and the column sorts
    by_name = client.get("/console/", {"sort": "applicant"}).content.decode()
    assert by_name.index("OKAFOR, ") < by_name.index("SILVA, ") < by_name.index("TANAKA, ")
    by_name_down = client.get("/console/", {"sort": "-applicant"}).content.decode()
    assert by_name_down.index("TANAKA, ") < by_name_down.index("OKAFOR, ")

    ordered = client.get("/console/", {"sort": "-nationality"}).content.decode()
    assert ordered.index("NGA") < ordered.index("JPN") < ordered.index("BRA")
    assert 'aria-sort="descending"' in ordered

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    one = client.get("/console/").content.decode()
    assert "page 1 of 2" in one and 'rel="next"' in one and 'rel="prev"' not in one
    two = client.get("/console/", {"page": "2"}).content.decode()
    assert third.reference in two and 'rel="prev"' in two and 'rel="next"' not in two


@pytest.mark.parametrize(("query", "message"), [
    ({"state": "bogus"}, "There is no state"),
    ({"programme": "cn.nope"}, "There is no programme"),
    ({"nationality": "INDIA"}, "three-letter code"),
    ({"precheck": "maybe"}, "no pre-check result"),
    ({"sort": "salary"}, "cannot be sorted by"),
    ({"page": "zero"}, "whole number from 1"),
])
def test_a_filter_that_cannot_be_used_is_reported(query: dict[str, str], message: str) -> None:
    _submit("OKAFOR", "A1111111", "NGA")
    answer = client_for(make_user(Role.OFFICER)).get("/console/", query)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert message in page and "1 case" in page  # the queue is still shown
