"""Where the programme folders are: found by looking, never listed by hand.

A programme is one folder holding ``rules.py`` (its criteria), ``parameters.yaml``
(its dated values), ``cases.yaml`` (its lawyer-readable cases), ``pathway.py``
(routes, fees, time, validity, odds) and, where it needs facts no other
programme asks, ``facts.py``.  The folders under ``kvisa/rules/programmes/`` are
kvisa's own; a deployment (or a test) may add folders of its own through the
``KVISA_PROGRAMMES_PATH`` environment variable (directories, separated as
``PATH`` is).

This module imports nothing of kvisa: the parameter and fact registries ask it
for folders while the programmes themselves are still being imported.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

PROGRAMMES_PATH_VARIABLE = "KVISA_PROGRAMMES_PATH"
OWN = Path(__file__).resolve().parent / "programmes"


@dataclass(frozen=True)
class Folder:
    """One programme folder and the module name its files import under."""

    path: Path
    module: str

    def file(self, name: str) -> Path | None:
        found = self.path / name
        return found if found.is_file() else None


def _folders_in(root: Path, prefix: str) -> list[Folder]:
    if not root.is_dir():
        return []
    return [Folder(entry, prefix + entry.name) for entry in sorted(root.iterdir())
            if (entry / "rules.py").is_file() and (entry / "__init__.py").is_file()]


def extra_roots() -> list[Path]:
    """The directories ``KVISA_PROGRAMMES_PATH`` names, in order."""
    value = os.environ.get(PROGRAMMES_PATH_VARIABLE, "")
    return [Path(part).resolve() for part in value.split(os.pathsep) if part]


def programme_folders() -> list[Folder]:
    """kvisa's own programme folders, then those on ``KVISA_PROGRAMMES_PATH``.

    An added directory goes onto ``sys.path`` so that its folders import as
    top-level packages (``<folder>.rules``).
    """
    found = _folders_in(OWN, "kvisa.rules.programmes.")
    for root in extra_roots():
        if str(root) not in sys.path:
            sys.path.append(str(root))
        found += _folders_in(root, "")
    return found
