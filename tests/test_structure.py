"""Invariants of the structure that import contracts cannot state (issue 25)."""

from __future__ import annotations

import re
from pathlib import Path

import kvisa

SRC = Path(kvisa.__file__).parent
EXPLAIN_CALL = re.compile(r"\bexplain\(")

# Who may call the rules' explain: the rules themselves and the domain packages over
# them, the one assessment of a case, and callers that assess no case (the public
# check, the CLI's check, a start page's empty profile, the server's warm-up, the
# policy lab's criterion sentences under a scenario, read from an empty profile).
EXPLAIN_CALLERS = {"casework/assessment.py", "web/start_views.py", "web/api/public.py",
                   "site/wsgi.py", "cli/rules.py", "web/policy_lab_views.py"}
DOMAIN = ("rules/", "pathways/", "population/")


def test_a_case_is_assessed_in_one_place() -> None:
    callers = {str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
               if not str(path.relative_to(SRC)).startswith(DOMAIN)
               and EXPLAIN_CALL.search(path.read_text())}
    assert callers == EXPLAIN_CALLERS

