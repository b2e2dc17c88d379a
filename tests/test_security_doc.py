"""SECURITY.md's ASVS table names tests as proof: each named test must exist, and
every Level 1-2 requirement of a chapter the table covers must have a row."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
SHORT = {"cw/": "tests/casework/", "browser/": "tests/browser/", "process/": "tests/process/",
         "documents/": "tests/documents/"}


def _path(name: str) -> Path:
    for prefix, folder in SHORT.items():
        if name.startswith(prefix):
            return ROOT / folder / name[len(prefix):]
    return ROOT / "tests" / name if not name.startswith("tests/") else ROOT / name


def test_every_test_the_security_page_names_exists() -> None:
    named = 0
    for cell in re.findall(r"`([\w/]+\.py)((?:::\w+)?)`((?:, `::\w+`)*)", TEXT):
        if not Path(cell[0]).name.startswith("test_"):
            continue  # source files are named as places, not as proof
        path = _path(cell[0])
        assert path.exists(), path
        source = path.read_text(encoding="utf-8")
        for test in [cell[1], *re.findall(r"::(\w+)", cell[2])]:
            test = test.removeprefix("::")
            if test:
                assert f"def {test}(" in source, f"{path.name}::{test}"
                named += 1
    assert named > 60


def test_each_row_has_a_status_and_the_summary_adds_up() -> None:
    counts: dict[str, int] = {}
    for first, last, status in re.findall(
            r"^\| (\d+\.\d+\.\d+)(?:–(\d+\.\d+\.\d+))? \| [\d–]+ \| .*?\| \*\*(Met|Partly|"
            r"Not met|N/A|Operator)\*\*", TEXT, flags=re.M):
        span = int(last.split(".")[-1]) - int(first.split(".")[-1]) + 1 if last else 1
        counts[status] = counts.get(status, 0) + span
    counts["N/A"] += 29 + 7   # V10 (OAuth/OIDC) and V17 (WebRTC), stated as whole chapters
    summary = re.search(r"of the (\d+) Level 1 and 2 requirements, (\d+) are met, (\d+) "
                        r"partly, (\d+) not\s+met, (\d+) do not apply and (\d+) are the "
                        r"operator's", TEXT)
    assert summary is not None
    total, met, partly, not_met, na, operator = map(int, summary.groups())
    assert (met, partly, not_met, na, operator) == (
        counts["Met"], counts["Partly"], counts["Not met"], counts["N/A"], counts["Operator"])
    assert total == sum(counts.values()) == 253
