"""Casework tests work on cases: the database and a visa signer key for each, and people
in the common roles as fixtures (helpers live in :mod:`tests.support`)."""

from __future__ import annotations

from typing import Any

import pytest

from kvisa.accounts.models import Role, User
from kvisa.site.bootstrap import ensure_signer
from tests.support.people import make_user


@pytest.fixture(autouse=True)
def _casework(db: Any, settings: Any) -> None:
    """Every casework test works on cases: the database, and a visa signer key."""
    ensure_signer()


@pytest.fixture
def applicant(db: Any) -> User:
    return make_user(Role.APPLICANT)


@pytest.fixture
def officer(db: Any) -> User:
    return make_user(Role.OFFICER)


@pytest.fixture
def supervisor(db: Any) -> User:
    return make_user(Role.SUPERVISOR)
