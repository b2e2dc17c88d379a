"""The one-row path: the rules' own Polars expressions, evaluated on a dict in plain Python.

Why: explaining one profile (every page's pre-check, the public comparison,
each step of a guided interview) ran the rules as a one-row Polars query, and
planning that query cost 10-15 ms whatever the row — more than all the rest of
the work.  A row needs no query engine.

How, without a second rule source: the expressions the rules build are read
back through Polars' own serialisation (``Expr.meta.serialize(format="json")``)
and turned, once per compiled rule set, into nested Python closures that
follow Polars' semantics: nulls propagate through arithmetic and comparisons,
``&``/``|`` and the horizontal any/all are Kleene, ``when`` takes a null
predicate as false, ``list.eval`` runs its expression over the list's
elements as a column.  The batch path keeps Polars; a property test over
100,000 random profiles per programme holds the two to identical results.

An expression using anything not translated here raises :class:`Unsupported`
when compiled, and the caller keeps the Polars path for that rule set: the
answer is the same, only slower.  The serialised form is Polars' own and can
change between releases (Polars is pinned in uv.lock); a change shows up as
:class:`Unsupported` or in the property test, never as a silent difference.

Written by hand because no library evaluates Polars expressions outside Polars.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

Row = dict[str, Any]
RowFn = Callable[[Any], Any]
EPOCH = dt.date(1970, 1, 1)


class Unsupported(Exception):
    """An expression this module does not translate; use the Polars path."""


def compile_expr(expr: pl.Expr) -> Callable[[Row], Any]:
    """A function of a row (fact and derived-column values by name) giving the value
    the expression has for that row in Polars."""
    tree = json.loads(expr.meta.serialize(format="json"))
    return _node(tree, column=False)


# ----------------------------------------------------------------------------- values

def _kleene_and(values: Sequence[Any]) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _kleene_or(values: Sequence[Any]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _null_safe(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        return None if a is None or b is None else op(a, b)
    return apply


def _true_divide(a: Any, b: Any) -> Any:
    if b == 0:
        return math.copysign(math.inf, a) if a else math.nan
    return a / b


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "Eq": _null_safe(lambda a, b: a == b), "NotEq": _null_safe(lambda a, b: a != b),
    "Lt": _null_safe(lambda a, b: a < b), "LtEq": _null_safe(lambda a, b: a <= b),
    "Gt": _null_safe(lambda a, b: a > b), "GtEq": _null_safe(lambda a, b: a >= b),
    "Plus": _null_safe(lambda a, b: a + b), "Minus": _null_safe(lambda a, b: a - b),
    "Multiply": _null_safe(lambda a, b: a * b), "TrueDivide": _null_safe(_true_divide),
    "And": lambda a, b: _kleene_and((a, b)), "Or": lambda a, b: _kleene_or((a, b)),
    "EqValidity": lambda a, b: a == b, "NotEqValidity": lambda a, b: a != b,
}


def _cast(value: Any, dtype: str) -> Any:
    if value is None:
        return None
    if dtype in ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise Unsupported("a cast of a non-finite float to an integer")
            return int(value)  # Polars truncates toward zero
        return int(value)
    if dtype in ("Float32", "Float64"):
        return float(value)
    if dtype == "String":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            raise Unsupported("a cast of a float to text")
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if dtype == "Boolean":
        return bool(value)
    raise Unsupported(f"a cast to {dtype}")


def _literal(spec: Any) -> Any:
    if not isinstance(spec, dict):
        raise Unsupported(f"literal {spec!r}")
    kind, inner = next(iter(spec.items()))
    if kind == "Dyn":
        (number_kind, number), = inner.items()
        return float(number) if number_kind == "Float" else int(number)
    if kind != "Scalar":
        raise Unsupported(f"literal {kind}")
    (scalar_kind, value), = inner.items()
    if scalar_kind == "Null":
        return None
    if scalar_kind in ("Boolean", "String"):
        return value
    if scalar_kind.startswith(("Int", "UInt")):
        return int(value)
    if scalar_kind.startswith("Float"):
        return float(value)
    if scalar_kind == "Date":
        return EPOCH + dt.timedelta(days=int(value))
    if scalar_kind == "List":
        return _arrow_list(bytes(value))
    raise Unsupported(f"a {scalar_kind} literal")


def _arrow_list(data: bytes) -> list[Any]:
    """A list literal, which Polars serialises as an Arrow IPC stream of one column."""
    import pyarrow.ipc

    table = pyarrow.ipc.open_stream(data).read_all()
    if table.num_columns != 1:
        raise Unsupported("a list literal of several columns")
    return list(table.column(0).to_pylist())


def _cut(value: Any, breaks: list[float], labels: list[str], left_closed: bool) -> Any:
    if value is None:
        return None
    for index, edge in enumerate(breaks):
        if (value < edge) if left_closed else (value <= edge):
            return labels[index]
    return labels[len(breaks)]


def _format(template: str, insertions: list[int], parts: Sequence[Any]) -> Any:
    if any(p is None for p in parts):
        return None
    out, last = [], 0
    for position, part in zip(insertions, parts, strict=True):
        out.append(template[last:position])
        out.append(_cast(part, "String") if not isinstance(part, str) else part)
        last = position
    out.append(template[last:])
    return "".join(out)


def _floor(value: Any) -> Any:
    if value is None or isinstance(value, int):
        return value
    return float(math.floor(value)) if math.isfinite(value) else value


def _clip(value: Any, low: Any, high: Any) -> Any:
    if value is None:
        return None
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


def _replace(value: Any, mapping: dict[Any, Any], default: Any) -> Any:
    if value is None:
        return None
    return mapping.get(value, default)


def _strip(value: Any, characters: Any) -> Any:
    if value is None:
        return None
    return value.strip() if characters is None else value.strip(characters)


def _slice(value: Any, offset: Any, length: Any) -> Any:
    if value is None or offset is None:
        return None
    if offset < 0:
        raise Unsupported("a string slice from the end")
    return value[offset:] if length is None else value[offset:offset + length]


def _list_get(values: Any, index: Any) -> Any:
    if values is None or index is None:
        return None
    if -len(values) <= index < len(values):
        return values[index]
    return None


def _list_max(values: Any) -> Any:
    if values is None:
        return None
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _list_concat(*parts: Any) -> Any:
    """``pl.concat_list``: lists are joined; a scalar (null included) is one element.

    The rules concatenate scalars (names of missing facts, or null) into a list; a
    null *list* among the inputs would make Polars' answer null, which a Python
    value cannot tell from a null scalar, so lists are required to be present.
    """
    joined: list[Any] = []
    for part in parts:
        if isinstance(part, list):
            joined.extend(part)
        else:
            joined.append(part)
    return joined


def _temporal(part: str) -> Callable[[Any], Any]:
    if part not in ("Year", "Month", "Day"):
        raise Unsupported(f"the {part} of a date")
    name = part.lower()
    return lambda value: None if value is None else getattr(value, name)


def _any(values: list[Any], ignore_nulls: bool) -> Any:
    if ignore_nulls:
        return any(v is True for v in values)
    return _kleene_or(values)


# ----------------------------------------------------------------------------- nodes
#
# Row mode: a compiled node maps a row (dict) to a value.  Column mode (inside
# ``list.eval``): it maps the list's elements to a column (a list); a column of
# one value (a literal, an aggregate) stands for every element, as in Polars.


def _broadcast(columns: Sequence[list[Any]]) -> tuple[list[Any], ...]:
    """Columns of one length: a one-value column stands for every element (an empty
    list's column stays empty, as in Polars)."""
    sizes = {len(c) for c in columns if len(c) != 1}
    if len(sizes) > 1:
        raise ValueError("columns of different lengths")
    size = sizes.pop() if sizes else 1
    return tuple(c * size if len(c) == 1 and size != 1 else c for c in columns)


class _Constant:
    """A value that does not depend on the row (a literal, or an operation on
    literals, folded when compiled): parameters enter the rules as literals, and
    calling a closure for each of them on every row was a third of the time."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, env: Any) -> Any:
        return self.value


def _elementwise(op: Callable[..., Any], parts: list[RowFn], column: bool) -> RowFn:
    if not column:
        if all(isinstance(p, _Constant) for p in parts):
            try:
                return _Constant(op(*(p.value for p in parts)))  # type: ignore[attr-defined]
            except Exception:  # raise when a row is evaluated, as before
                pass
        if len(parts) == 1:
            first = parts[0]
            return lambda env: op(first(env))
        if len(parts) == 2:
            left, right = parts
            if isinstance(right, _Constant):
                fixed = right.value
                return lambda env: op(left(env), fixed)
            if isinstance(left, _Constant):
                given = left.value
                return lambda env: op(given, right(env))
            return lambda env: op(left(env), right(env))
        return lambda env: op(*(p(env) for p in parts))

    def each(env: Any) -> list[Any]:
        columns = _broadcast([p(env) for p in parts])
        return [op(*values) for values in zip(*columns, strict=True)]
    return each


def _node(tree: Any, column: bool) -> RowFn:
    if tree == "Element":
        if not column:
            raise Unsupported("an element outside list.eval")
        return lambda elements: elements
    if not isinstance(tree, dict) or len(tree) != 1:
        raise Unsupported(f"node {str(tree)[:60]}")
    kind, body = next(iter(tree.items()))
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise Unsupported(f"a {kind} expression")
    return handler(body, column)


def _alias(body: Any, column: bool) -> RowFn:
    return _node(body[0], column)


def _column(name: Any, column: bool) -> RowFn:
    if column:
        raise Unsupported("a column inside list.eval")
    return lambda row: row[name]


def _literal_node(body: Any, column: bool) -> RowFn:
    value = _literal(body)
    return (lambda env: [value]) if column else _Constant(value)


def _binary(body: Any, column: bool) -> RowFn:
    op = _BINARY.get(body["op"])
    if op is None:
        raise Unsupported(f"the {body['op']} operator")
    return _elementwise(op, [_node(body["left"], column), _node(body["right"], column)],
                        column)


def _ternary(body: Any, column: bool) -> RowFn:
    predicate = _node(body["predicate"], column)
    truthy, falsy = _node(body["truthy"], column), _node(body["falsy"], column)
    if not column:
        return lambda row: truthy(row) if predicate(row) is True else falsy(row)
    return _elementwise(lambda p, t, f: t if p is True else f, [predicate, truthy, falsy],
                        column)


def _cast_node(body: Any, column: bool) -> RowFn:
    dtype = body["dtype"]
    if not isinstance(dtype, dict) or "Literal" not in dtype or not isinstance(
            dtype["Literal"], str):
        raise Unsupported(f"a cast to {dtype}")
    target = dtype["Literal"]
    return _elementwise(lambda v: _cast(v, target), [_node(body["expr"], column)], column)


def _eval(body: Any, column: bool) -> RowFn:
    if column:
        raise Unsupported("list.eval inside list.eval")
    source = _node(body["expr"], column=False)
    evaluation = _node(body["evaluation"], column=True)
    variant = body.get("variant", "List")
    if variant == "List":
        def listed(row: Row) -> Any:
            values = source(row)
            if values is None:
                return None
            result = evaluation(values)
            return result * len(values) if len(result) == 1 and len(values) != 1 else result
        return listed
    if variant == "ListAgg":
        def aggregated(row: Row) -> Any:
            values = source(row)
            if values is None:
                return None
            result = evaluation(values)
            if len(result) != 1:
                raise ValueError("an aggregation gave more than one value")
            return result[0]
        return aggregated
    raise Unsupported(f"list.eval variant {variant}")


def _filter(body: Any, column: bool) -> RowFn:
    if not column:
        raise Unsupported("a filter outside list.eval")
    source, by = _node(body["input"], True), _node(body["by"], True)

    def kept(elements: Any) -> list[Any]:
        values, keep = _broadcast([source(elements), by(elements)])
        return [v for v, k in zip(values, keep, strict=True) if k is True]
    return kept


def _function(body: Any, column: bool) -> RowFn:
    spec = body["function"]
    inputs = body["input"]
    parts = [_node(i, column) for i in inputs]
    if isinstance(spec, str):
        simple = _SIMPLE.get(spec)
        if simple is None:
            raise Unsupported(f"the {spec} function")
        return _elementwise(simple, parts, column)
    (family, detail), = spec.items()
    if family == "Boolean":
        return _boolean(detail, parts, column)
    if family == "StringExpr":
        return _string(detail, parts, column)
    if family == "StructExpr":
        (what, name), = detail.items()
        if what != "FieldByName":
            raise Unsupported(f"struct {what}")
        return _elementwise(lambda s: None if s is None else s.get(name), parts, column)
    if family == "ListExpr":
        return _list(detail, parts, column)
    if family == "TemporalExpr":
        return _elementwise(_temporal(detail), parts, column)
    if family == "Cut":
        if detail.get("include_breaks") or detail.get("labels") is None:
            raise Unsupported("cut without labels")
        breaks, labels, closed = detail["breaks"], detail["labels"], detail["left_closed"]
        return _elementwise(lambda v: _cut(v, breaks, labels, closed), parts, column)
    if family == "Clip":
        if not (detail.get("has_min") and detail.get("has_max")):
            raise Unsupported("a one-sided clip")
        return _elementwise(_clip, parts, column)
    if family == "ReplaceStrict":
        return _replace_strict(inputs, parts, column)
    raise Unsupported(f"the {family} functions")


_SIMPLE: dict[str, Callable[..., Any]] = {
    "FillNull": lambda value, fill: fill if value is None else value,
    "Floor": _floor,
    "Coalesce": lambda *values: next((v for v in values if v is not None), None),
    "MinHorizontal": lambda *values: min((v for v in values if v is not None), default=None),
    "MaxHorizontal": lambda *values: max((v for v in values if v is not None), default=None),
}


def _boolean(detail: Any, parts: list[RowFn], column: bool) -> RowFn:
    if detail == "IsNull":
        return _elementwise(lambda v: v is None, parts, column)
    if detail == "IsNotNull":
        return _elementwise(lambda v: v is not None, parts, column)
    if detail == "Not":
        return _elementwise(lambda v: None if v is None else not v, parts, column)
    if detail == "AnyHorizontal":
        return _elementwise(lambda *v: _kleene_or(v), parts, column)
    if detail == "AllHorizontal":
        return _elementwise(lambda *v: _kleene_and(v), parts, column)
    if isinstance(detail, dict) and "Any" in detail and column and len(parts) == 1:
        ignore = bool(detail["Any"]["ignore_nulls"])
        source = parts[0]
        return lambda elements: [_any(source(elements), ignore)]
    raise Unsupported(f"boolean {detail}")


def _string(detail: Any, parts: list[RowFn], column: bool) -> RowFn:
    if detail == "Slice":
        return _elementwise(_slice, parts, column)
    if detail == "StartsWith":
        return _elementwise(_null_safe(lambda v, prefix: v.startswith(prefix)), parts, column)
    if detail == "Lowercase":
        return _elementwise(lambda v: None if v is None else v.lower(), parts, column)
    if detail == "StripChars":
        return _elementwise(_strip, parts, column)
    if isinstance(detail, dict) and "ConcatHorizontal" in detail:
        options = detail["ConcatHorizontal"]
        delimiter, ignore = options["delimiter"], options["ignore_nulls"]

        def concat(*values: Any) -> Any:
            if not ignore and any(v is None for v in values):
                return None
            return delimiter.join(_cast(v, "String") for v in values if v is not None)
        return _elementwise(concat, parts, column)
    if isinstance(detail, dict) and "Format" in detail:
        template, insertions = detail["Format"]["format"], detail["Format"]["insertions"]
        return _elementwise(lambda *values: _format(template, insertions, values), parts,
                            column)
    raise Unsupported(f"string {detail}")


def _list(detail: Any, parts: list[RowFn], column: bool) -> RowFn:
    if isinstance(detail, dict) and "Get" in detail:
        if not detail["Get"]:
            raise Unsupported("list.get that fails out of bounds")
        return _elementwise(_list_get, parts, column)
    if detail == "Max":
        return _elementwise(_list_max, parts, column)
    if detail == "DropNulls":
        return _elementwise(lambda v: None if v is None else [x for x in v if x is not None],
                            parts, column)
    if detail == "Concat":
        return _elementwise(_list_concat, parts, column)
    raise Unsupported(f"list {detail}")


def _replace_strict(inputs: list[Any], parts: list[RowFn], column: bool) -> RowFn:
    if len(inputs) != 4:
        raise Unsupported("replace_strict without a default")
    try:
        old, new, default = (_literal(i["Literal"]) for i in inputs[1:])
    except (KeyError, TypeError):
        raise Unsupported("replace_strict with computed mappings") from None
    if not isinstance(old, list) or not isinstance(new, list) or len(old) != len(new):
        raise Unsupported("replace_strict mappings")
    mapping = dict(zip(old, new, strict=True))
    return _elementwise(lambda v: _replace(v, mapping, default), parts[:1], column)


_HANDLERS: dict[str, Callable[[Any, bool], RowFn]] = {
    "Alias": _alias, "Column": _column, "Literal": _literal_node, "BinaryExpr": _binary,
    "Ternary": _ternary, "Cast": _cast_node, "Eval": _eval, "Filter": _filter,
    "Function": _function,
}


def kleene_all(values: Sequence[Any]) -> bool | None:
    """``pl.all_horizontal`` of booleans (exported for group evaluation)."""
    return _kleene_and(values)


def kleene_any(values: Sequence[Any]) -> bool | None:
    return _kleene_or(values)


__all__ = ["Unsupported", "compile_expr", "kleene_all", "kleene_any"]
