"""The crash test, short: a storm of submissions, the server killed with SIGKILL
mid-storm and restarted; nothing acknowledged is lost or doubled, nothing is
half-written, the audit chain verifies.  (``make crash-test`` also restarts
PostgreSQL; that is left out here because other tests share the server.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "crash_test.py"


def test_a_killed_server_loses_and_doubles_nothing() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--drafts", "90", "--clients", "6",
                             "--no-postgres-restart"], capture_output=True, text=True,
                            timeout=600)
    summary = re.search(r"acknowledged=(\d+) lost=(\d+) duplicated=(\d+) "
                        r"half_written=(\d+) audit=(\w+)", result.stdout)
    assert summary, result.stdout + result.stderr
    acknowledged, lost, duplicated, half, audit = summary.groups()
    assert "killed the server" in result.stdout
    assert int(acknowledged) > 0
    assert (lost, duplicated, half, audit) == ("0", "0", "0", "intact"), result.stdout
    assert result.returncode == 0
