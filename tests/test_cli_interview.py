"""``kvisa interview``: the API's document with ``--answers --json``, and a terminal
interview with Rich prompts (through Typer's runner, the public interface)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from kvisa.cli import app
from kvisa.pathways.interview import next_step

runner = CliRunner()


def test_answers_json_prints_exactly_the_api_document(tmp_path: Path) -> None:
    answers = {"date_of_birth": "1997-03-02", "highest_degree": "master", "hsk_level": None}
    (tmp_path / "answers.json").write_text(json.dumps(answers))
    result = runner.invoke(app, ["interview", "--answers", str(tmp_path / "answers.json"),
                                 "--on", "2026-12-01", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == next_step(answers, on=dt.date(2026, 12, 1)).as_dict()


def test_bad_answers_exit_2_with_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "answers.json").write_text(json.dumps({"date_of_birth": "1990-02-30"}))
    result = runner.invoke(app, ["interview", "--answers", str(tmp_path / "answers.json"),
                                 "--json"])
    assert result.exit_code == 2
    assert "date_of_birth" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "list.json").write_text("[1, 2]")
    result = runner.invoke(app, ["interview", "--answers", str(tmp_path / "list.json")])
    assert result.exit_code == 2 and "JSON object" in result.stderr


def test_a_terminal_interview_answered_i_dont_know_ends_with_the_comparison() -> None:
    result = runner.invoke(app, ["interview", "--on", "2026-12-01"], input="?\n" * 60)
    assert result.exit_code == 0, result.output
    assert "Asked because" in result.stdout
    assert "China K visa" in result.stdout and "US H-1B" in result.stdout
    assert "Your answers, to use again:" in result.stdout


def test_a_terminal_interview_asks_again_after_an_answer_it_cannot_take() -> None:
    # the first question is a select-all; "17,19" is not on its list, then "0" (none)
    result = runner.invoke(app, ["interview", "--on", "2026-12-01", "--lang", "zh"],
                           input="17,19\n0\n" + "?\n" * 60)
    assert result.exit_code == 0, result.output
    assert "请填写列表中的编号" in result.stdout


def test_the_terminal_reads_answers_as_every_form_does(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Whole numbers stay whole, a subject is found by everyday words, and "yes" to a
    question asked the positive way round gives its negative fact false."""
    import datetime as dt
    import io

    from rich.console import Console
    from rich.prompt import Prompt

    from kvisa.cli import interview as terminal
    from kvisa.pathways.interview import question_for

    on = dt.date(2026, 12, 1)
    typed: list[str] = []
    monkeypatch.setattr(Prompt, "ask", lambda *a, **k: typed.pop(0))
    out = io.StringIO()
    console = Console(file=out, width=200)

    def ask(fact: str, *answers: str) -> dict[str, object]:
        typed[:] = list(answers)
        return terminal._ask(console, question_for([fact], on, "en").as_dict(), "en")

    assert ask("hsk_level", "4.5", "9", "4") == {"hsk_level": 4}
    assert "Enter a whole number" in out.getvalue() and "from 0 to 6" in out.getvalue()
    assert ask("degree_field", "software engineering", "1") == {"degree_field": "0613"}
    assert ask("no_criminal_record", "y") == {"no_criminal_record": False}
    assert ask("good_health", "y") == {"good_health": True}
