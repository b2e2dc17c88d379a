"""The cluster test, short: two ``kvisa serve`` nodes behind HAProxy on PostgreSQL and an
S3-compatible store; a journey across nodes, a storm with a node SIGKILLed, the audit
verified (``make cluster-test`` runs the long one: tests/cluster/run.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.process


def test_two_nodes_lose_nothing_when_one_dies() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "cluster" / "run.py"),
                           "--drafts", "30", "--clients", "6"],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, f"{line}\n{done.stderr[-3000:]}"
    assert line == "nodes=2 acknowledged=30 lost=0 duplicated=0 cross_node=ok audit=intact"
