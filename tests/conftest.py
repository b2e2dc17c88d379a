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
