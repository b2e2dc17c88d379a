"""Fixtures every test shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings: Any, tmp_path: Path) -> None:
    """Each test's database starts empty, so it gets its own checkpoint file too: a
    checkpoint left by an earlier test would (rightly) make ``verify`` call the log cut."""
    settings.AUDIT_CHECKPOINTS = str(tmp_path / "audit-checkpoints.jsonl")
    # and its own keys, pins and witness: a chain key made by another test is not pinned
    settings.AUDIT_KEY_DIR = str(tmp_path / "audit-keys")
    settings.AUDIT_SIGNER_KEY = str(tmp_path / "audit-signer.pem")
    settings.AUDIT_TRUST = str(tmp_path / "audit-trust")
    settings.AUDIT_WITNESS = str(tmp_path / "audit-witness")


# ---------------------------------------------------------------- tiers, from fixtures
# A test is in the database tier when it asks for the database (pytest-django's
# ``db``/``transactional_db``, a fixture that needs one, or the ``django_db`` mark),
# and in the process tier when it starts kvisa as a process (``kvisa_cli``).  Marked here, once, so that ``make check`` can run the pure tier first.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}
PROCESS_FIXTURES = {"kvisa_cli"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & DATABASE_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.db)
        if used & PROCESS_FIXTURES:
            item.add_marker(pytest.mark.process)


@pytest.fixture
def kvisa_cli() -> Any:
    """``kvisa`` as a separate process (:func:`tests.support.cli.run_kvisa`)."""
    from tests.support.cli import run_kvisa

    return run_kvisa
