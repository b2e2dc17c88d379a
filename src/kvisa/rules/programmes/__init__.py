"""Every programme kvisa knows, one folder each (see :mod:`kvisa.rules.discovery`),
in the order each folder's ``rules.py`` declares (``ORDER``).

``PROGRAMMES`` are the rules; ``FACETS`` and ``ROUTES`` what a comparison of
routes reads from each folder's ``pathway.py``.  Nothing here names a programme:
a new programme is a new folder.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kvisa.i18n import add_catalogue
from kvisa.rules.discovery import programme_folders
from kvisa.rules.errors import RulesDefinitionError
from kvisa.rules.facets import Facets, Route
from kvisa.rules.model import Programme


def _load() -> list[tuple[int, Programme, ModuleType | None]]:
    loaded = []
    for folder in programme_folders():
        add_catalogue(folder.path)
        rules = importlib.import_module(f"{folder.module}.rules")
        pathway = (importlib.import_module(f"{folder.module}.pathway")
                   if folder.file("pathway.py") else None)
        programme = getattr(rules, "PROGRAMME", None)
        if not isinstance(programme, Programme):
            raise RulesDefinitionError(f"{folder.path}/rules.py declares no PROGRAMME")
        loaded.append((int(getattr(rules, "ORDER", 1000)), programme, pathway))
    loaded.sort(key=lambda entry: (entry[0], entry[1].id))
    ids = [programme.id for _order, programme, _pathway in loaded]
    if len(ids) != len(set(ids)):
        raise RulesDefinitionError(f"two programme folders declare the same id: {ids}")
    return loaded


_LOADED = _load()
PROGRAMMES: tuple[Programme, ...] = tuple(programme for _o, programme, _p in _LOADED)
FACETS: dict[str, Facets] = {programme.id: getattr(pathway, "FACETS", Facets())
                             for _o, programme, pathway in _LOADED}
ROUTES: tuple[Route, ...] = tuple(route for _o, _programme, pathway in _LOADED
                                  for route in getattr(pathway, "ROUTES", ()))
