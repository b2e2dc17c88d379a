"""Fixtures of the rule tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _shipped_wage_table() -> Any:
    """The cases are written against the wage table kvisa ships; a test elsewhere in
    this process may have installed another (as an administrator's upload does)."""
    from kvisa.rules import reference

    before = reference.current()
    reference.install(reference.shipped())
    yield
    reference.install(before[1], before[0])
