"""``kvisa interview`` as a script drives it: one process per question, the answers
file growing between them, until ``next`` is null."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

from tests.support.cli import KVISA  # noqa: E402


def test_a_script_drives_the_interview_one_process_per_question(tmp_path: Path) -> None:
    answers_file = tmp_path / "answers.json"
    answers: dict[str, object] = {}
    for _ in range(60):
        answers_file.write_text(json.dumps(answers))
        result = subprocess.run([*KVISA, "interview", "--answers", str(answers_file),
                                 "--on", "2026-12-01", "--json"],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        step = json.loads(result.stdout)
        assert step["asked"] == len(answers)
        if step["next"] is None:
            break
        for name in step["next"]["facts"]:
            answers[name] = None  # "I don't know" to everything
    else:
        pytest.fail("the interview did not end")
    assert {r["verdict"] for r in step["routes"]} <= {"eligible", "not_eligible", "undetermined"}
    assert len(step["routes"]) == 14  # 13 + the O-1A
