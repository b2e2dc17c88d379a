"""What-if scenarios: named parameter overrides, read from a YAML file.

A scenario file looks like::

    name: K visa up to age 40
    description: What if the authorities set the K visa age limit at 40?
    include_drafts: false          # optional: evaluate draft rules too
    parameters:
      cn.k_visa.max_age: 40

Overrides replace the value on every date.  Naming a parameter that does not
exist, giving a value of another type, or a number outside the parameter's
declared bounds is an error — a typo must never silently evaluate the baseline.

Scenario text comes from people kvisa does not control (a policy-lab form, an
uploaded file), so it is read by :func:`parse_plain_yaml`: no anchors or
aliases (a few hundred bytes of nested aliases expand to gigabytes), and
bounded size and depth.  Values echoed in errors are cut short.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kvisa.rules.errors import RulesError
from kvisa.rules.parameters import all_parameters

MAX_SCENARIO_BYTES = 64 * 1024
MAX_DEPTH = 6
MAX_NODES = 10_000
ECHO_CHARS = 80


def parse_plain_yaml(text: str, *, where: str = "scenario", max_bytes: int = MAX_SCENARIO_BYTES,
                     max_depth: int = MAX_DEPTH) -> Any:
    """Read YAML that holds only plain data: no anchors or aliases, bounded size and depth.

    PyYAML's safe loader builds only plain types but still expands aliases, so
    the event stream is checked before anything is built; the check costs one
    pass over text that is already bounded in bytes.
    """
    if len(text.encode("utf-8")) > max_bytes:
        raise RulesError(f"{where}: longer than {max_bytes // 1024} KB")
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise RulesError(f"{where}: anchors and aliases (& and *) are not accepted; "
                                 "write the value out")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    raise RulesError(f"{where}: nested deeper than {max_depth} levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise RulesError(f"{where}: more than {MAX_NODES:,} values")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{where}: not valid YAML ({exc.__class__.__name__})") from None


def echo(value: Any) -> str:
    """A value as an error may quote it: its repr, cut to a line."""
    text = repr(value)
    return text if len(text) <= ECHO_CHARS else f"{text[:ECHO_CHARS]}… ({len(text):,} characters)"


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


def override_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot replace parameter ``name`` (in words), or None if it can."""
    known = all_parameters()
    if name not in known:
        return f"unknown parameter {echo(name)} (see `kvisa parameters`)"
    sample = known[name].values[-1].value
    if not _same_type(sample, value) or not _same_shape(sample, value):
        return f"must be like {echo(sample)}, got {echo(value)}"
    return known[name].out_of_bounds(value)


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
    for name, value in raw.items():
        problem = override_problem(name, value)
        if problem:
            raise RulesError(f"{origin}: parameter {name!r}: {problem}")
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
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(f"{file}: no such scenario file") from None
    except UnicodeDecodeError as exc:
        raise RulesError(f"{file}: not valid YAML ({exc.__class__.__name__})") from None
    return scenario_from_dict(parse_plain_yaml(text, where=str(file)), origin=str(file))
