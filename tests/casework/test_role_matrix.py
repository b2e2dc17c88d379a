"""Every page and endpoint × every role, in one table.

For each role the expected status of a request on *someone else's* case (or a
case in general for staff).  404 rather than 403 wherever answering 403 would
reveal that an applicant's case exists.
"""

from __future__ import annotations

import pytest
from django.test import Client

from kvisa.accounts.models import Role
from kvisa.casework import services
from tests.support.cases import under_review
from tests.support.people import client_for, make_user

ROLES = ["anonymous", "owner", "stranger", "adviser", "officer", "supervisor", "analyst",
         "admin"]
LOGIN = 302  # redirect to sign-in
# method, path (with {pk}), expected status by role in ROLES order
MATRIX = [
    ("get", "/applications/", [LOGIN, 200, 200, 200, 404, 404, 404, 404]),
    ("get", "/applications/{pk}/", [LOGIN, 200, 404, 404, 404, 404, 404, 404]),
    ("get", "/applications/{pk}/edit/", [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("post", "/applications/{pk}/autosave/", [LOGIN, 409, 404, 404, 404, 404, 404, 404]),
    ("post", "/applications/{pk}/mrz/", [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("post", "/applications/{pk}/upload/", [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("post", "/applications/{pk}/submit/", [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("post", "/applications/{pk}/answer/", [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("post", "/applications/{pk}/documents/1/remove/",
     [LOGIN, 404, 404, 404, 404, 404, 404, 404]),
    ("get", "/applications/{pk}/check/", [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("get", "/applications/{pk}/submitted/", [LOGIN, 200, 404, 404, 404, 404, 404, 404]),
    ("post", "/applications/{pk}/route/", [LOGIN, 302, 404, 404, 404, 404, 404, 404]),
    ("get", "/applications/{pk}/cards/1/pdf/", [LOGIN, 404, 404, 404, 404, 404, 404, 404]),
    ("post", "/console/cases/{pk}/cards/1/reissue/",
     [LOGIN, 404, 404, 404, 404, 404, 404, 404]),
    ("get", "/reference/average-wages/", [LOGIN, 404, 404, 404, 200, 200, 200, 200]),
    ("get", "/applications/{pk}/e-visa/", [LOGIN, 404, 404, 404, 404, 404, 404, 404]),
    ("get", "/console/", [LOGIN, 404, 404, 404, 200, 200, 404, 404]),
    ("get", "/console/cases/{pk}/", [LOGIN, 404, 404, 404, 200, 200, 404, 404]),
    ("post", "/console/cases/{pk}/assign/", [LOGIN, 404, 404, 404, 302, 302, 404, 404]),
    ("get", "/console/workload/", [LOGIN, 404, 404, 404, 404, 200, 404, 404]),
    ("get", "/analytics/", [LOGIN, 404, 404, 404, 404, 200, 200, 200]),
    ("get", "/accounts/staff/", [LOGIN, 404, 404, 404, 404, 404, 404, 200]),
    ("get", "/accounts/advisers/", [LOGIN, 200, 200, 404, 404, 404, 404, 404]),
    ("get", "/verify", [200] * 8),
    ("get", "/pathways", [200] * 8),
    ("get", "/api/v1/applications", [401, 200, 200, 200, 403, 403, 403, 403]),
    ("get", "/api/v1/applications/{pk}", [401, 200, 404, 404, 200, 200, 404, 404]),
    # staff who see the case learn nothing new from 403; those who may not see it get 404
    ("post", "/api/v1/applications/{pk}/withdraw", [401, 200, 404, 404, 403, 403, 404, 404]),
    ("get", "/api/v1/queue", [401, 403, 403, 403, 200, 200, 403, 403]),
    ("post", "/api/v1/applications/{pk}/approve", [401, 403, 404, 404, 200, 403, 404, 404]),
    ("get", "/api/v1/analytics/flows", [401, 403, 403, 403, 403, 200, 200, 200]),
]


@pytest.mark.parametrize(("method", "path", "expected"), MATRIX,
                         ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_role_matrix(method: str, path: str, expected: list[int]) -> None:
    owner = make_user(Role.APPLICANT)
    officer = make_user(Role.OFFICER)
    application = under_review(owner, officer)
    people = {"owner": owner, "stranger": make_user(Role.APPLICANT),
              "adviser": make_user(Role.ADVISER), "officer": officer,
              "supervisor": make_user(Role.SUPERVISOR), "analyst": make_user(Role.ANALYST),
              "admin": make_user(Role.ADMIN)}
    url = path.format(pk=application.pk)
    data = {"client_txn_id": f"matrix-{method}-{path}"}
    for role, status in zip(ROLES, expected, strict=True):
        client = Client() if role == "anonymous" else client_for(people[role])
        if method == "get":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        assert response.status_code == status, (role, url, response.status_code)
        if role == "anonymous" and status == LOGIN:
            assert "/accounts/login/" in response["Location"]
        if response.status_code == 200 and url.endswith(("/withdraw", "/approve")):
            application = services.application_create(applicant=owner)  # state changed
            break
