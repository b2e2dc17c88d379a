"""A programme is one folder (issue 24): nothing outside it names a programme.

The ids appear only in the programme folders, the service's registry of the
programmes it takes applications for, its settings (the default programme), the
database's migrations and model default, and the demo's seed data.  Everything
else finds a programme through these.
"""

from __future__ import annotations

import re
from pathlib import Path

from kvisa.rules.discovery import programme_folders
from kvisa.rules.programmes import PROGRAMMES

SOURCE = Path(__file__).parents[2] / "src" / "kvisa"
ALLOWED = {
    "casework/service_programmes.py",   # the service's registry
    "site/settings.py",                 # DEFAULT_PROGRAMME
    "site/demo.py",                     # seed data: applications of each kind
    "casework/models.py",               # the column default, frozen in migration 0001
}


def _id_pattern() -> re.Pattern[str]:
    """A programme id written as code writes it: in quotes or backticks."""
    ids = "|".join(re.escape(p.id) for p in PROGRAMMES)
    return re.compile(rf"[\"'`]({ids})\b")


def _where_named() -> dict[str, list[str]]:
    pattern = _id_pattern()
    own = [folder.path for folder in programme_folders()]
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*")):
        if path.suffix not in {".py", ".html", ".js"} or "migrations" in path.parts:
            continue
        if any(path.is_relative_to(folder) for folder in own):
            continue
        relative = path.relative_to(SOURCE).as_posix()
        hits = pattern.findall(path.read_text(encoding="utf-8"))
        if hits and relative not in ALLOWED:
            found[relative] = hits
    return found


def test_no_programme_id_outside_the_folders_and_the_registry() -> None:
    assert _where_named() == {}


def test_the_grep_would_see_a_programme_named_in_a_view(tmp_path: Path) -> None:
    """The check itself can fail: the pattern finds an id written as a view would."""
    pattern = _id_pattern()
    assert pattern.findall('if programme == "cn.k_visa":') == ["cn.k_visa"]
    assert pattern.findall("{% if p == 'us.o1a' %}") == ["us.o1a"]


def test_every_programme_folder_has_its_parts() -> None:
    for folder in programme_folders():
        for part in ("__init__.py", "rules.py", "parameters.yaml", "cases.yaml", "pathway.py"):
            assert folder.file(part) is not None, f"{folder.path.name} lacks {part}"


def test_the_catalogue_shows_the_law_s_words_above_the_criterion() -> None:
    """Law beside code: a citation's quoted words come first, then the rule applying them."""
    from kvisa.rules.catalogue import markdown

    lines = markdown().splitlines()
    quoted = [i for i, line in enumerate(lines) if "> “A petition for an alien of "
              "extraordinary ability" in line]
    assert quoted
    below = "\n".join(lines[quoted[0]:quoted[0] + 4])
    assert "**Has a one-time major internationally recognised award.**" in below
    assert "`us.green_card.route.eb1a.major_award`" in below
