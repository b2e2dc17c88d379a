"""What-if scenarios: named parameter overrides, read from a YAML file.

A scenario file looks like::

    name: K visa up to age 40
    description: What if the authorities set the K visa age limit at 40?
    include_drafts: false          # optional: evaluate draft rules too
    parameters:
      cn.k_visa.max_age: 40

Overrides replace the value on every date.  Naming a parameter that does not
exist, or giving a value of another type, is an error — a typo must never
silently evaluate the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kvisa.rules.errors import RulesError
from kvisa.rules.parameters import all_parameters


def freeze(value: Any) -> Any:
    """A hashable stand-in for a parameter value (lists and tables included), so that
    compiled scenarios can be cached; :func:`thaw` gives the value back."""
    if isinstance(value, list):
        return ("__list__", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("__dict__", tuple((k, freeze(v)) for k, v in sorted(value.items())))
    return value


def thaw(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__list__":
        return [thaw(v) for v in value[1]]
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "__dict__":
        return {k: thaw(v) for k, v in value[1]}
    return value


@dataclass(frozen=True)
class Scenario:
    name: str
    overrides: tuple[tuple[str, Any], ...] = ()
    """(name, frozen value) pairs: hashable, see :func:`freeze`."""
    include_drafts: bool | None = None
    description: str = ""

    @property
    def parameters(self) -> dict[str, Any]:
        return {name: thaw(value) for name, value in self.overrides}


def _same_type(old: Any, new: Any) -> bool:
    numeric = (int, float)
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool)
    if isinstance(old, numeric):
        return isinstance(new, numeric)
    return type(old) is type(new)


def _same_shape(old: Any, new: Any) -> bool:
    """A list keeps its element type; a table keeps its keys' and values' types."""
    if isinstance(old, list) and old:
        return all(_same_type(old[0], item) for item in new)
    if isinstance(old, dict) and old:
        first = next(iter(old.values()))
        return all(isinstance(k, type(next(iter(old)))) and _same_type(first, v)
                   and _same_shape(first, v) for k, v in new.items())
    return True


def scenario_from_dict(document: Any, *, origin: str = "scenario") -> Scenario:
    """Check a scenario document and build the :class:`Scenario`."""
    if not isinstance(document, dict):
        raise RulesError(f"{origin}: must be a mapping with 'name' and 'parameters'")
    unknown = set(document) - {"name", "description", "include_drafts", "parameters"}
    if unknown:
        raise RulesError(f"{origin}: unknown key {sorted(unknown)[0]!r}")
    raw = document.get("parameters") or {}
    if not isinstance(raw, dict):
        raise RulesError(f"{origin}: 'parameters' must be a mapping of name to value")
    known = all_parameters()
    for name, value in raw.items():
        if name not in known:
            raise RulesError(f"{origin}: unknown parameter {name!r} (see `kvisa parameters`)")
        sample = known[name].values[-1].value
        if not _same_type(sample, value) or not _same_shape(sample, value):
            raise RulesError(f"{origin}: parameter {name!r} must be like {sample!r}, "
                             f"got {value!r}")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise RulesError(f"{origin}: parameter {name!r} must not be negative")
    drafts = document.get("include_drafts")
    if drafts is not None and not isinstance(drafts, bool):
        raise RulesError(f"{origin}: include_drafts must be true or false")
    return Scenario(name=str(document.get("name", origin)),
                    overrides=tuple((k, freeze(v)) for k, v in sorted(raw.items())),
                    include_drafts=drafts,
                    description=str(document.get("description", "")))


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario YAML file; a missing or malformed file is a :class:`RulesError`."""
    file = Path(path)
    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{file}: no such scenario file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RulesError(f"{file}: not valid YAML ({exc.__class__.__name__})") from None
    return scenario_from_dict(document, origin=str(file))
