"""Evaluate programmes on a frame of profiles, or explain them for one profile.

``evaluate`` turns every criterion into a Polars boolean column (null means
*unknown*: a fact it needs is missing) and combines them with Kleene logic
(``all_horizontal``/``any_horizontal``), which is exactly three-valued law:
one failed condition decides "no", one satisfied route decides "yes", and
otherwise missing facts leave the answer undetermined.  ``explain`` is
``evaluate`` on one row, so the officer's pre-check and the adviser's batch
of ten million can never disagree.

Traps avoided here: ``pl.when(null)`` falls through to ``otherwise`` (no
``when`` is used in verdicts); aggregations skip nulls (none are used);
``filter`` drops null rows (never used on results).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Literal

import polars as pl

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import languages, translate
from kvisa.rules import reference
from kvisa.rules.errors import RulesError
from kvisa.rules.facts import (
    POLARS_SCHEMA,
    profile_frame,
    resolve_alias_columns,
    validate_profile,
)
from kvisa.rules.labels import status_sentence
from kvisa.rules.model import (
    DERIVED,
    AllOf,
    AnyOf,
    Citation,
    Context,
    Criterion,
    Node,
    Programme,
    Season,
    strongest,
    walk_criteria,
    walk_groups,
    weakest,
)
from kvisa.rules.parameters import all_parameters, values_on
from kvisa.rules.programmes import PROGRAMMES
from kvisa.rules.row_engine import Unsupported, compile_expr, kleene_all, kleene_any
from kvisa.rules.scenario import Scenario, thaw

Result = Literal["met", "not_met", "unknown"]
Verdict = Literal["eligible", "not_eligible", "undetermined"]


def programme_ids() -> list[str]:
    return [p.id for p in PROGRAMMES]


def _select_programmes(programmes: Iterable[str] | None) -> tuple[Programme, ...]:
    if programmes is None:
        return tuple(PROGRAMMES)
    by_id = {p.id: p for p in PROGRAMMES}
    chosen: dict[str, Programme] = {}
    for pid in programmes:  # a repeated id is asked once: one column per programme
        if pid in chosen:
            continue
        if pid not in by_id:
            shown = pid if len(str(pid)) <= 40 else f"{str(pid)[:40]}…"
            raise RulesError(f"programme: unknown id {shown!r}; known: {', '.join(by_id)}")
        chosen[pid] = by_id[pid]
    return tuple(chosen.values())


IN_FORCE_FROM = N_("The programme is in force on the evaluation date (from "
                   "{in_force.from}).")
IN_FORCE_BETWEEN = N_("The programme is in force on the evaluation date (from "
                      "{in_force.from} until {in_force.until}).")


def _in_force_criterion(programme: Programme, on: dt.date) -> Criterion:
    """The criterion every programme has: its text is a catalogue message whose window
    placeholders are filled like a parameter's (see :func:`_window`)."""
    start, end = programme.in_force_from, programme.in_force_until
    return Criterion(
        id=f"{programme.id}.in_force",
        text=IN_FORCE_BETWEEN if end else IN_FORCE_FROM,
        citation=programme.in_force_citation, status=programme.in_force_status,
        expr=lambda ctx: pl.lit(on >= start and (end is None or on < end), dtype=pl.Boolean),
    )


def _window(programme: Programme) -> dict[str, Any]:
    """The values of the in-force criterion's placeholders."""
    until = programme.in_force_until
    return {"in_force.from": programme.in_force_from.isoformat(),
            "in_force.until": until.isoformat() if until else ""}


def _prune(node: Node, include_drafts: bool) -> Node | None:
    if node.status == "draft" and not include_drafts:
        return None
    if isinstance(node, Criterion):
        return node
    kept = tuple(c for c in (_prune(ch, include_drafts) for ch in node.children) if c is not None)
    return type(node)(id=node.id, children=kept, text=node.text, status=node.status)


def _group_expr(node: AllOf | AnyOf) -> pl.Expr:
    """Kleene AND/OR of the children's columns (criteria or groups already computed)."""
    if not node.children:  # every route was a draft left out: AND of nothing / OR of nothing
        return pl.lit(isinstance(node, AllOf), dtype=pl.Boolean)
    parts = [pl.col(child.id) for child in node.children]
    return pl.all_horizontal(parts) if isinstance(node, AllOf) else pl.any_horizontal(parts)


def _depths(node: Node, depth: int = 0) -> Iterable[tuple[AllOf | AnyOf, int]]:
    if isinstance(node, Criterion):
        return
    yield node, depth
    for child in node.children:
        yield from _depths(child, depth + 1)


@dataclass(frozen=True)
class ParameterUse:
    name: str
    value: Any
    status: str
    source: dict[str, str] | None


@dataclass(frozen=True)
class CompiledCriterion:
    criterion: Criterion
    route: str
    expr: pl.Expr
    facts: tuple[str, ...]
    parameters: dict[str, Any]
    uses: tuple[ParameterUse, ...] = ()
    text: str = ""
    text_zh: str = ""
    missing: pl.Expr | None = None
    texts: dict[str, str] = field(default_factory=dict)
    """The sentence in every language of the catalogue, its values filled in."""

    @property
    def status(self) -> str:
        """The criterion's own status, or weaker if a parameter value it reads is weaker."""
        return weakest([self.criterion.status, *(u.status for u in self.uses)])


@dataclass(frozen=True)
class CompiledOutput:
    id: str
    expr: pl.Expr
    facts: tuple[str, ...]
    parameters: dict[str, Any]
    uses: tuple[ParameterUse, ...] = ()

    @property
    def status(self) -> str:
        return weakest(u.status for u in self.uses)


@dataclass(frozen=True)
class CompiledDerived:
    name: str
    expr: pl.Expr
    facts: tuple[str, ...]
    parameters: dict[str, Any]


@dataclass(frozen=True)
class CompiledProgramme:
    programme: Programme
    rule: Node
    criteria: tuple[CompiledCriterion, ...]
    groups: tuple[AllOf | AnyOf, ...]
    outputs: tuple[CompiledOutput, ...]
    season: Season | None = None


@dataclass(frozen=True)
class Compiled:
    """Everything needed to evaluate, built once per (programmes, date, scenario)."""

    derived: tuple[CompiledDerived, ...]
    programmes: tuple[CompiledProgramme, ...]
    detail_stages: tuple[tuple[pl.Expr, ...], ...]
    verdict_stages: tuple[tuple[pl.Expr, ...], ...]
    temporary: tuple[str, ...]
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Built on first use: the one-row plan (:class:`RowPlan`)."""


class RowPlan:
    """The same compiled rules as plain-Python functions of one row (:mod:`row_engine`)."""

    def __init__(self, compiled: Compiled) -> None:
        self.derived = [(d.name, compile_expr(d.expr)) for d in compiled.derived]
        self.criteria = [(cc.criterion.id, compile_expr(cc.expr))
                         for cp in compiled.programmes for cc in cp.criteria]
        self.columns = list(self.criteria)
        self.columns += [(o.id, compile_expr(o.expr))
                         for cp in compiled.programmes for o in cp.outputs]
        self.columns += [(f"{cc.criterion.id}::missing", compile_expr(cc.missing))
                         for cp in compiled.programmes for cc in cp.criteria
                         if cc.missing is not None]
        self.outputs = {o.id: compile_expr(o.expr)
                        for cp in compiled.programmes for o in cp.outputs}
        # per output, only the derived columns it reads (directly or through another):
        # the deciding-facts search evaluates one output over many completions
        self.derived_for = {o.id: self._derived_reading(compiled, o.expr)
                            for cp in compiled.programmes for o in cp.outputs}
        # groups bottom-up, children before parents
        self.groups = [(group.id, isinstance(group, AllOf), [c.id for c in group.children])
                       for cp in compiled.programmes
                       for group, _ in sorted(_depths(cp.rule), key=lambda g: -g[1])]

    def _with_derived(self, facts: dict[str, Any]) -> dict[str, Any]:
        row = _typed(facts)
        for name, function in self.derived:
            row[name] = function(row)
        return row

    def row(self, facts: dict[str, Any]) -> dict[str, Any]:
        """Every column the detailed Polars plan gives for this profile."""
        row = self._with_derived(facts)
        for name, function in self.columns:
            row[name] = function(row)
        for gid, all_of, children in self.groups:
            values = [row[c] for c in children]
            row[gid] = (kleene_all(values) if all_of else kleene_any(values)) if children \
                else all_of
        return row

    def decisions(self, facts: dict[str, Any]) -> dict[str, bool | None]:
        """Only what decides: each criterion's and each group's value (no outputs, no
        lists of missing facts), for callers that weigh many possible answers."""
        row = self._with_derived(facts)
        for name, function in self.criteria:
            row[name] = function(row)
        for gid, all_of, children in self.groups:
            values = [row[c] for c in children]
            row[gid] = (kleene_all(values) if all_of else kleene_any(values)) if children \
                else all_of
        return row

    def _derived_reading(self, compiled: Compiled, expr: pl.Expr
                         ) -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
        needed = set(expr.meta.root_names())
        for item in reversed(compiled.derived):  # a derived column may read an earlier one
            if item.name in needed:
                needed |= set(item.expr.meta.root_names())
        return [(name, function) for name, function in self.derived if name in needed]

    def outputs_of(self, facts: dict[str, Any], ids: Iterable[str]) -> dict[str, Any]:
        ids = list(ids)
        row = _typed(facts)
        done: set[str] = set()
        for oid in ids:
            for name, function in self.derived_for[oid]:
                if name not in done:
                    row[name] = function(row)
                    done.add(name)
        return {oid: self.outputs[oid](row) for oid in ids}


def _typed(facts: dict[str, Any]) -> dict[str, Any]:
    """The profile with each value of the type its Polars column has (4 → 4.0 for a
    Float64 fact), so the one-row path computes with the numbers the batch path sees."""
    row = dict(facts)
    for name in _FLOAT_FACTS:
        value = row.get(name)
        if value is not None and not isinstance(value, float):
            row[name] = float(value)
    for name, fields in _FLOAT_FIELDS.items():
        items = row.get(name)
        if items:
            row[name] = [None if item is None else {
                k: (float(v) if k in fields and v is not None else v) for k, v in item.items()}
                for item in items]
    return row


_FLOAT_FACTS = tuple(n for n, t in POLARS_SCHEMA.items() if t == pl.Float64)
_FLOAT_FIELDS = {n: {f.name for f in t.inner.fields if f.dtype == pl.Float64}
                 for n, t in POLARS_SCHEMA.items()
                 if isinstance(t, pl.List) and isinstance(t.inner, pl.Struct)}


_ROW_PATH = [True]


@contextlib.contextmanager
def polars_one_row() -> Iterator[None]:
    """Explain through the one-row Polars plan instead of the row engine (tests and
    benchmarks compare the two paths with it)."""
    _ROW_PATH[0] = False
    try:
        yield
    finally:
        _ROW_PATH[0] = True


def row_plan(compiled: Compiled) -> RowPlan | None:
    """The one-row plan of ``compiled``, or None where a rule uses an expression the
    row engine does not translate (the caller then keeps the Polars path)."""
    if not _ROW_PATH[0]:
        return None
    if "row" not in compiled.memo:
        try:
            compiled.memo["row"] = RowPlan(compiled)
        except Unsupported:
            compiled.memo["row"] = None
    plan = compiled.memo["row"]
    return plan if isinstance(plan, RowPlan) else None


def _stages(derived: tuple[CompiledDerived, ...], programmes: tuple[CompiledProgramme, ...]
            ) -> tuple[tuple[tuple[pl.Expr, ...], ...], tuple[tuple[pl.Expr, ...], ...]]:
    # one stage per derived column: a derived column may read an earlier one
    first = tuple((d.expr,) for d in derived)
    criteria = tuple(c.expr for cp in programmes for c in cp.criteria)
    # groups bottom-up, one stage per depth, each reading its children's columns
    by_depth: dict[int, list[pl.Expr]] = {}
    for cp in programmes:
        for group, depth in _depths(cp.rule):
            by_depth.setdefault(depth, []).append(_group_expr(group).alias(group.id))
    groups = [tuple(by_depth[d]) for d in sorted(by_depth, reverse=True)]
    outputs = tuple(output.expr for cp in programmes for output in cp.outputs)
    # outputs read facts and derived columns only, so they share the criteria stage
    detail = (*first, criteria + outputs, *groups)
    verdicts = tuple(
        _inline(cp.rule, {c.criterion.id: c.expr for c in cp.criteria}).alias(cp.programme.id)
        for cp in programmes)
    return detail, (*first, verdicts)


class _Attribution:
    """Facts and parameters an expression reads, through any derived column it uses."""

    def __init__(self, on: dt.date, values: dict[str, Any], absent: frozenset[str]) -> None:
        self.on, self.values, self.absent = on, values, absent
        self.derived: dict[str, CompiledDerived] = {}

    def reads(self, expr: pl.Expr, used: dict[str, Any], declared: Iterable[str] = ()
              ) -> tuple[tuple[str, ...], dict[str, Any]]:
        """(facts, parameters) ``expr`` reads, with the facts a rule ``declared``;
        reference data counts as a parameter (:data:`REFERENCE_TABLE`), so its status
        reaches the verdict like any other."""
        facts: list[str] = []
        params = dict(used)
        for name in expr.meta.root_names():
            if name in DERIVED:
                item = self._derived(name)
                facts.extend(item.facts)
                params.update(item.parameters)
            elif name in POLARS_SCHEMA:
                facts.append(name)
        facts.extend(declared)
        return tuple(dict.fromkeys(facts)), params

    def _derived(self, name: str) -> CompiledDerived:
        """Compile a derived column after those it reads (insertion order = evaluation order)."""
        if name not in self.derived:
            ctx = Context(self.on, self.values, self.absent)
            expr = DERIVED[name](ctx)
            facts, params = self.reads(expr, _with_reference(ctx), ctx.declared)
            self.derived[name] = CompiledDerived(name, expr.alias(name), facts, params)
        return self.derived[name]


_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def _format_value(value: Any, lang: str = "en") -> str:
    if isinstance(value, str):
        return translate(value, lang)  # a coded word ("bachelor") in the sentence's language
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return "?" if value is None else str(value)


def fill_text(text: str, values: dict[str, Any], lang: str = "en") -> str:
    """Put the values a criterion tests into its text ("aged {cn.k_visa.max_age} or under"),
    a coded word in the sentence's language (学士 for "bachelor")."""
    return _PLACEHOLDER.sub(lambda m: _format_value(values.get(m.group(1)), lang), text)


def _season(programme: Programme, on: dt.date, overrides: dict[str, Any]) -> Season | None:
    if programme.season is None:
        return None

    def lookup(name: str, when: dt.date) -> Any:
        return values_on(when, overrides).get(name)

    return programme.season(on, lookup)


@lru_cache(maxsize=256)
def _compile(ids: tuple[str, ...], on: dt.date, overrides: tuple[tuple[str, Any], ...],
             include_drafts: bool, absent: frozenset[str] = frozenset(),
             reference_version: str = "") -> Compiled:
    # reference_version only keys the cache: a new wage table compiles anew
    overridden = {name: thaw(value) for name, value in overrides}
    values = values_on(on, overridden)
    attribution = _Attribution(on, values, absent)
    compiled = []
    for programme in _select_programmes(ids):
        season = _season(programme, on, overridden)
        # a programme that runs in seasons reads its parameters on the day the
        # person can act; derived columns stay on the query date (none is seasonal)
        act_on = season.act_on if season else on
        own_values = values_on(act_on, overridden) if season else values
        body = _prune(programme.rule, include_drafts)
        window = _window(programme)
        root = AllOf(id=programme.id, children=(_in_force_criterion(programme, on),)
                     + ((body,) if body is not None else ()))
        criteria = []
        for criterion, route in walk_criteria(root):
            ctx = Context(act_on, own_values, absent)
            expr = criterion.expr(ctx)
            facts, params = attribution.reads(expr, _with_reference(ctx), ctx.declared)
            placeholders = {**params, **window}
            missing = (criterion.missing(Context(act_on, own_values, absent))
                       .alias(f"{criterion.id}::missing") if criterion.missing else None)
            criteria.append(CompiledCriterion(
                criterion, route, expr.alias(criterion.id), facts, params,
                _parameter_uses(params, act_on, overridden),
                fill_text(criterion.text, placeholders),
                fill_text(criterion.text_zh, placeholders, "zh"),
                missing, {lang: fill_text(translate(criterion.text, lang), placeholders, lang)
                          for lang in languages()}))
        outputs = []
        for output in programme.outputs:
            ctx = Context(act_on, own_values, absent)
            expr = output.expr(ctx)
            facts, params = attribution.reads(expr, _with_reference(ctx), ctx.declared)
            outputs.append(CompiledOutput(output.id, expr.alias(output.id), facts, params,
                                          _parameter_uses(params, act_on, overridden)
                                          # a value read on the season's day rests on its dates
                                          + (_season_uses(season) if params else ())))
        groups = tuple(g for g in walk_groups(root) if g.id != programme.id)
        compiled.append(CompiledProgramme(programme, root, tuple(criteria), groups,
                                          tuple(outputs), season))
    derived = tuple(attribution.derived.values())
    detail, verdicts = _stages(derived, tuple(compiled))
    return Compiled(derived, tuple(compiled), detail, verdicts, tuple(d.name for d in derived))


# Facts whose absence lets the rules take a cheaper plan (see Context.absent).
SKIPPABLE = ("degrees", "employment_records")


def _absent_in_frame(schema: pl.Schema) -> frozenset[str]:
    return frozenset(f for f in SKIPPABLE if f not in schema or schema[f] == pl.Null)


# Evaluation dates kvisa accepts: wide enough for any real question (and for
# ages and seasons computed from them), narrow enough that date arithmetic
# never leaves the calendar.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def _compiled(programmes: Iterable[str] | None, on: dt.date, scenario: Scenario | None,
              include_drafts: bool, absent: frozenset[str] = frozenset()) -> Compiled:
    if not isinstance(on, dt.date):
        raise RulesError(f"on: {on!r} is not a date")
    if not EARLIEST_DATE <= on <= LATEST_DATE:
        raise RulesError(f"on: {on.isoformat()} is outside the dates kvisa evaluates "
                         f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})")
    ids = tuple(p.id for p in _select_programmes(programmes))
    drafts = include_drafts or bool(scenario and scenario.include_drafts)
    overrides = scenario.overrides if scenario else ()
    return _compile(ids, on, overrides, drafts, absent, reference.current()[0])


def programmes_reading(names: Iterable[str], programmes: Iterable[str] | None, on: dt.date, *,
                       scenarios: Iterable[Scenario | None] = (None,),
                       include_drafts: bool = False) -> set[str]:
    """The programmes whose rules or outputs read any parameter in ``names``.

    A scenario that overrides only other programmes' parameters leaves a
    programme's verdicts exactly as they were, so a what-if need not evaluate
    it twice.  Reads are taken from the compiled rules under each of
    ``scenarios`` (a parameter read only under an override counts), and a
    parameter under a programme's own prefix always counts (seasons read theirs).
    """
    wanted = set(names)
    found: set[str] = set()
    for scenario in scenarios:
        for compiled in _compiled(programmes, on, scenario, include_drafts).programmes:
            pid = compiled.programme.id
            read = {n for c in compiled.criteria for n in c.parameters}
            read |= {n for o in compiled.outputs for n in o.parameters}
            if read & wanted or any(n.startswith(f"{pid}.") for n in wanted):
                found.add(pid)
    return found


@dataclass(frozen=True)
class Decider:
    """The rules in force on one day, as a function from typed facts to the value of
    every criterion and group (Kleene: True, False or None), plus what each
    criterion reads.  For callers that try many answers on one profile (the guided
    interview): a few hundred evaluations cost milliseconds on the row engine.

    The rules are compiled once without the ``degrees`` and ``employment_records``
    lists and once with ``degrees``: a profile is evaluated by the plan that
    matches the lists it holds (as :func:`explain` does)."""

    compiled: Compiled
    with_degrees: Compiled

    @property
    def programmes(self) -> tuple[CompiledProgramme, ...]:
        return self.compiled.programmes

    def __call__(self, facts: dict[str, Any]) -> dict[str, bool | None]:
        compiled = self.with_degrees if facts.get("degrees") is not None else self.compiled
        plan = row_plan(compiled)
        if plan is not None:
            return plan.decisions(facts)
        return _polars_row(compiled, facts)


def decider(on: dt.date, programmes: Iterable[str] | None = None) -> Decider:
    """A :class:`Decider` for ``on`` (no scenario, no drafts; facts given as
    :func:`~kvisa.rules.facts.validate_profile` returns them)."""
    return Decider(_compiled(programmes, on, None, False, frozenset(SKIPPABLE)),
                   _compiled(programmes, on, None, False,
                             frozenset(SKIPPABLE) - {"degrees"}))


def _conform(lazy: pl.LazyFrame, schema: pl.Schema) -> tuple[pl.LazyFrame, list[str]]:
    """Add missing fact columns as nulls (and say which); refuse fact columns of the
    wrong type.  ``schema`` is ``lazy``'s, already collected by the caller."""
    additions, blanks = [], []
    for name, dtype in POLARS_SCHEMA.items():
        if name not in schema:
            additions.append(pl.lit(None, dtype=dtype).alias(name))
            blanks.append(name)
        elif schema[name] != dtype and schema[name] != pl.Null:
            raise RulesError(f"{name}: column has type {schema[name]}, expected {dtype}")
        elif schema[name] == pl.Null:
            additions.append(pl.col(name).cast(dtype))
    return (lazy.with_columns(additions) if additions else lazy), blanks


def evaluate_lazy(frame: pl.DataFrame | pl.LazyFrame, programmes: Iterable[str] | None = None,
                  on: dt.date | None = None, scenario: Scenario | None = None, *,
                  include_drafts: bool = False, detail: bool = True) -> pl.LazyFrame:
    """The lazy plan behind :func:`evaluate` (for streaming and Dask workers)."""
    lazy = resolve_alias_columns(frame.lazy())
    given = lazy.collect_schema()
    compiled = _compiled(programmes, on or dt.date.today(), scenario, include_drafts,
                         _absent_in_frame(given))
    conformed, blanks = _conform(lazy, given)
    # the fact columns the frame lacks are blanks while the rules run, not results:
    # dropping them at the end lets Polars make only those some rule reads (on 10M
    # rows, every other blank column is 80 MB written for nothing)
    return _plan(compiled, conformed, detail).drop(blanks)


def _plan(compiled: Compiled, lazy: pl.LazyFrame, detail: bool) -> pl.LazyFrame:
    for stage in compiled.detail_stages if detail else compiled.verdict_stages:
        lazy = lazy.with_columns(stage)
    return lazy.drop(compiled.temporary)


def _inline(node: Node, exprs: dict[str, pl.Expr]) -> pl.Expr:
    if isinstance(node, Criterion):
        return exprs[node.id]
    if not node.children:
        return pl.lit(isinstance(node, AllOf), dtype=pl.Boolean)
    parts = [_inline(child, exprs) for child in node.children]
    return pl.all_horizontal(parts) if isinstance(node, AllOf) else pl.any_horizontal(parts)


def evaluate(frame: pl.DataFrame | pl.LazyFrame, programmes: Iterable[str] | None = None,
             on: dt.date | None = None, scenario: Scenario | None = None, *,
             include_drafts: bool = False, detail: bool = True) -> pl.DataFrame:
    """Evaluate programmes on every row of ``frame``.

    Returns ``frame`` plus one Boolean verdict column per programme (named by
    its id; null = undetermined) and, with ``detail``, one column per criterion
    and route (null = unknown) and one per output (points, fees, odds).
    """
    return evaluate_lazy(frame, programmes, on, scenario, include_drafts=include_drafts,
                         detail=detail).collect()


# --------------------------------------------------------------------- explain


@dataclass
class CriterionResult:
    id: str
    text: str
    text_zh: str
    result: Result
    route: str
    status: str
    citation: dict[str, str]
    facts: dict[str, Any]
    parameters: list[ParameterUse]
    missing: list[str]
    texts: dict[str, str] = field(default_factory=dict)
    """The sentence in every language of the catalogue (pages read it with
    :func:`kvisa.i18n.pick`; ``text``/``text_zh`` stay for the JSON contract)."""


@dataclass
class ProgrammeAssessment:
    programme: str
    name: str
    name_zh: str
    verdict: Verdict
    status: str
    in_force_from: dt.date
    in_force_until: dt.date | None
    routes: dict[str, Result]
    criteria: list[CriterionResult]
    outputs: dict[str, Any] = field(default_factory=dict)
    output_depends_on: dict[str, list[str]] = field(default_factory=dict)
    """Per output left open (null) by missing facts: the facts that would settle it."""
    output_status: dict[str, str] = field(default_factory=dict)
    status_basis: list[str] = field(default_factory=list)
    """The weakest criteria and parameter values the verdict rests on (their ids)."""
    output_range: dict[str, list[Any]] = field(default_factory=dict)
    """Per open output whose blank facts are yes/no: [least, most] it can come to."""
    output_units: dict[str, str] = field(default_factory=dict)
    not_needed: list[str] = field(default_factory=list)
    """Criteria in an alternative of an "any of" that another alternative met: their
    result does not matter, and a page shows them as not needed, not as failures."""
    season: dict[str, Any] | None = None

    @property
    def missing(self) -> list[str]:
        """Facts that would decide the verdict, or settle a cost, odds or time it carries.

        An undetermined verdict lists the facts of its unknown criteria; a verdict
        that is not "not eligible" also lists the facts its open outputs wait for,
        so a payment that depends on a blank fact is never silently absent.
        """
        facts: list[str] = []
        if self.verdict == "undetermined":
            facts += [f for c in self.criteria for f in c.missing]
        if self.verdict != "not_eligible":
            facts += [f for names in self.output_depends_on.values() for f in names]
        return list(dict.fromkeys(facts))


@dataclass
class Assessment:
    as_of: dt.date
    scenario: str | None
    programmes: list[ProgrammeAssessment]

    def programme(self, pid: str) -> ProgrammeAssessment:
        for item in self.programmes:
            if item.programme == pid:
                return item
        raise KeyError(pid)

    def to_dict(self) -> dict[str, Any]:
        """The ``kvisa check --json`` document."""
        def clean(value: Any) -> Any:
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [clean(v) for v in value]
            return value

        assessments = []
        for pa in self.programmes:
            item = asdict(pa)
            item["missing"] = pa.missing
            item["status_note"] = status_note(pa.status)
            assessments.append(clean(item))
        return {"as_of": self.as_of.isoformat(), "scenario": self.scenario,
                "assessments": assessments}


def _result(value: bool | None) -> Result:
    return "unknown" if value is None else ("met" if value else "not_met")


def _verdict(value: bool | None) -> Verdict:
    return "undetermined" if value is None else ("eligible" if value else "not_eligible")


# The reference data rules may read (kvisa.rules.reference), named as a parameter is.
REFERENCE_TABLE = "reference.cn_local_average_wage"
_ROW_STATUS = {"official": "in_force", "reported": "reported"}


def _with_reference(ctx: Context) -> dict[str, Any]:
    """What an expression read: its parameters, and the wage table if it read that."""
    if not ctx.used_reference:
        return ctx.used
    return {**ctx.used, REFERENCE_TABLE: reference.current()[0]}


def _reference_use(version: str) -> ParameterUse:
    """The wage table as a datum a verdict rests on: as sure as its least sure row.

    Which rows a profile reads depends on its cities and years, so a criterion that
    reads the table takes the weakest status of the table as a whole — never more
    certain than its source.
    """
    rows = reference.current()[1]
    status = weakest(_ROW_STATUS.get(r.status, "reported") for r in rows) if rows \
        else "reported"
    return ParameterUse(REFERENCE_TABLE, version, status, {
        "instrument": "Local average wages of urban employees, by city and year "
                      "(kvisa reference table)",
        "article": f"version {version}; rows marked official or reported",
        "url": "", "note": "see /reference/average-wages/ for each row's source"})


def _season_uses(season: Season | None) -> tuple[ParameterUse, ...]:
    """The season's dates as a datum what is read on them rests on (fees, odds)."""
    if season is None or not season.source:
        return ()
    dates = {k: v.isoformat() for k, v in season.dates.items()}
    opens = season.dates.get("registration_opens", season.act_on)
    value = all_parameters()[season.source].at(dt.date(opens.year, 12, 31))
    status = weakest([season.status, value.status if value else "reported"])
    return (ParameterUse(season.source, dates, status,
                         value.source.as_dict() if value else None),)


def _parameter_uses(used: dict[str, Any], on: dt.date, overridden: dict[str, Any]
                    ) -> tuple[ParameterUse, ...]:
    uses = []
    for name, value in used.items():
        if name == REFERENCE_TABLE:
            uses.append(_reference_use(str(value)))
            continue
        if name in overridden:
            uses.append(ParameterUse(name, value, "scenario", None))
            continue
        current = all_parameters()[name].at(on)
        if current is None:
            uses.append(ParameterUse(name, None, "undefined_on_date", None))
            continue
        uses.append(ParameterUse(name, value, current.status, current.source.as_dict()))
    return tuple(uses)


def explain(profile: dict[str, Any], programmes: Sequence[str] | None = None,
            on: dt.date | None = None, scenario: Scenario | None = None, *,
            include_drafts: bool = False) -> Assessment:
    """Assess one profile: per programme the verdict and every criterion, with reasons.

    ``profile`` is validated first (:class:`~kvisa.rules.errors.ProfileError` on
    bad input); it is then evaluated as a one-row frame by :func:`evaluate`.
    """
    on = on or dt.date.today()
    facts = validate_profile(profile)
    absent = frozenset(f for f in SKIPPABLE if facts.get(f) is None)
    everything = _compiled(programmes, on, scenario, include_drafts, absent)
    compiled = everything.programmes
    fast = row_plan(everything)
    row = fast.row(facts) if fast is not None else _polars_row(everything, facts)
    open_outputs = [o for cp in compiled for o in cp.outputs if row[o.id] is None]
    ranges: dict[str, list[Any]] = {}
    deciding = _deciding_facts(everything, open_outputs, facts, ranges)
    assessed = []
    for cp in compiled:
        results = []
        for cc in cp.criteria:
            value = row[cc.criterion.id]
            used = {name: facts[name] for name in cc.facts}
            results.append(CriterionResult(
                id=cc.criterion.id, text=cc.text, text_zh=cc.text_zh, texts=cc.texts,
                result=_result(value), route=cc.route, status=cc.status,
                citation=_citation_dict(cc.criterion.citation), facts=used,
                parameters=list(cc.uses),
                missing=_missing(value, used, row, cc)))
        p = cp.programme
        depends_on = {o.id: deciding[o.id] for o in cp.outputs if o.id in deciding}
        status, basis = _decided_status(cp, row)
        assessed.append(ProgrammeAssessment(
            programme=p.id, name=p.name, name_zh=p.name_zh, verdict=_verdict(row[p.id]),
            status=weakest([p.status, status]), in_force_from=p.in_force_from,
            in_force_until=p.in_force_until,
            routes={g.id: _result(row[g.id]) for g in cp.groups}, criteria=results,
            outputs={o.id: row[o.id] for o in cp.outputs},
            output_depends_on={k: v for k, v in depends_on.items() if v},
            output_status={o.id: o.status for o in cp.outputs}, status_basis=basis,
            output_range={o.id: ranges[o.id] for o in cp.outputs
                          if o.id in ranges and o.id in depends_on and depends_on[o.id]},
            output_units={o.id: o.unit for o in p.outputs},
            not_needed=_not_needed(cp.rule, row),
            season=cp.season.as_dict() if cp.season else None))
    return Assessment(as_of=on, scenario=scenario.name if scenario else None,
                      programmes=assessed)


def _not_needed(node: Node, row: dict[str, Any]) -> list[str]:
    """Criteria under alternatives of a met "any of" that did not meet it themselves."""
    if isinstance(node, Criterion):
        return []
    found: list[str] = []
    for child in node.children:
        if isinstance(node, AnyOf) and row.get(node.id) is True and row.get(child.id) is not True:
            found += [c.id for c, _ in walk_criteria(child)] if not isinstance(
                child, Criterion) else [child.id]
        else:
            found += _not_needed(child, row)
    return found


def _polars_row(everything: Compiled, facts: dict[str, Any]) -> dict[str, Any]:
    """One profile through the Polars plan (the batch path on one row)."""
    # profile_frame has exactly the fact schema, so no conforming is needed
    plan = _plan(everything, profile_frame([facts]).lazy(), detail=True)
    extra = [cc.missing for cp in everything.programmes for cc in cp.criteria
             if cc.missing is not None]
    if extra:
        plan = plan.with_columns(extra)
    # The plan of one row has nothing to push down and its shared values are
    # already derived columns: the optimiser would cost more than it saves.
    row: dict[str, Any] = plan.collect(optimizations=pl.QueryOptFlags.none()).row(0, named=True)
    return row


def _missing(value: bool | None, used: dict[str, Any], row: dict[str, Any],
             cc: CompiledCriterion) -> list[str]:
    """What would settle an unknown criterion: what its rule names, else its null facts.

    A rule's own list (when not null for this row) replaces the null facts: a rule
    reading yearly records falls back on single figures only when the records are
    absent, and those blank figures would not settle it.
    """
    if value is not None:
        return []
    named = row.get(f"{cc.criterion.id}::missing") if cc.missing is not None else None
    if named is not None:
        return list(dict.fromkeys(n for n in named if n))
    return [n for n, v in used.items() if v is None]


def _citation_dict(citation: Citation) -> dict[str, str]:
    return citation.as_dict()


MAX_ENUMERATED_FACTS = 8


def _deciding_facts(everything: Compiled, outputs: list[CompiledOutput],
                    facts: dict[str, Any], ranges: dict[str, list[Any]] | None = None
                    ) -> dict[str, list[str]]:
    """Per open output (null), the blank facts that can change it once they are known.

    Reading a fact is not the same as depending on it: abroad and without an
    H-1B visa, the payment's other triggers no longer matter.  Where an output's
    blank facts are yes/no (few enough), every completion is evaluated and a fact
    is kept only if flipping it changes the output in some completion; otherwise
    every blank fact the output reads is kept (never fewer than could matter).
    All outputs' completions go into one frame and one evaluation: a query plan
    per output would cost more than the rest of the explanation.
    """
    found: dict[str, list[str]] = {}
    enumerated: list[tuple[CompiledOutput, list[str], int]] = []
    rows: list[dict[str, Any]] = []
    for output in outputs:
        blank = [f for f in output.facts if facts[f] is None]
        if not blank or len(blank) > MAX_ENUMERATED_FACTS or any(
                POLARS_SCHEMA[f] != pl.Boolean for f in blank):
            found[output.id] = blank
            continue
        enumerated.append((output, blank, len(rows)))
        rows += [{**facts, **dict(zip(blank, combo, strict=True))}
                 for combo in itertools.product((True, False), repeat=len(blank))]
    if not enumerated:
        return found
    fast = row_plan(everything)
    if fast is not None:
        return _settle(enumerated, {
            output.id: [fast.outputs_of(rows[first + j], (output.id,))[output.id]
                        for j in range(2 ** len(blank))]
            for output, blank, first in enumerated}, found, ranges)
    exprs = [output.expr for output, _, _ in enumerated]
    needed = {name for expr in exprs for name in expr.meta.root_names()}
    for derived in reversed(everything.derived):  # a derived column may read an earlier one
        if derived.name in needed:
            needed |= set(derived.expr.meta.root_names())
    lazy = profile_frame(rows).lazy()
    for derived in everything.derived:
        if derived.name in needed:
            lazy = lazy.with_columns(derived.expr)
    table = lazy.select(exprs).collect(optimizations=pl.QueryOptFlags.none())
    return _settle(enumerated, {
        output.id: table[output.id].slice(first, 2 ** len(blank)).to_list()
        for output, blank, first in enumerated}, found, ranges)


def _settle(enumerated: list[tuple[CompiledOutput, list[str], int]],
            completions: dict[str, list[Any]], found: dict[str, list[str]],
            ranges: dict[str, list[Any]] | None) -> dict[str, list[str]]:
    """Per output, the blank facts whose flip changes it in some completion (``values``:
    the output in each completion, the blank facts counting down in binary)."""
    for output, blank, _first in enumerated:
        values = completions[output.id]
        known = [v for v in values if v is not None]
        if ranges is not None and known and all(isinstance(v, (int, float)) for v in known):
            ranges[output.id] = [min(known), max(known)]  # what it can come to, once known
        found[output.id] = [
            name for position, name in enumerate(blank)
            if any(values[j] != values[j ^ (1 << (len(blank) - 1 - position))]
                   for j in range(len(values)))]
    return found


def status_note(status: str) -> str:
    """What a verdict's status means, as a sentence to put beside it ("" when in force)."""
    return status_sentence(status, "en")


def _decided_status(cp: CompiledProgramme, row: dict[str, Any]) -> tuple[str, list[str]]:
    """How sure the verdict is: the weakest status along what decided it.

    Kleene logic tells which children decided a group: for "all of" that is
    met, every child; for "all of" not met, the surest failed child (any one
    suffices); for "any of" met, the surest met child; for "any of" not met,
    every child.  An undetermined node rests on all its children.  Returns the
    status and the ids of the criteria/parameters at that status.
    """
    by_id = {cc.criterion.id: cc for cc in cp.criteria}

    def walk(node: Node) -> tuple[str, list[str]]:
        if isinstance(node, Criterion):
            cc = by_id[node.id]
            status = cc.status
            weak = [u.name for u in cc.uses if u.status == status]
            return status, ([node.id] if cc.criterion.status == status else []) + weak
        value = row[node.id]
        parts = [(child, walk(child)) for child in node.children]
        decisive = [(c, r) for c, r in parts if row[c.id] is value] if value is not None \
            else parts
        pick_surest = (isinstance(node, AllOf) and value is False) or (
            isinstance(node, AnyOf) and value is True)
        if pick_surest and decisive:
            best = strongest(r[0] for _, r in decisive)
            chosen = [r for _, r in decisive if r[0] == best][:1]
        else:
            chosen = [r for _, r in (decisive or parts)]
        status = weakest([node.status, *(r[0] for r in chosen)])
        basis = [item for r in chosen if r[0] == status for item in r[1]]
        if node.status == status and node.status != "in_force":
            basis.insert(0, node.id)
        return status, list(dict.fromkeys(basis))

    status, basis = walk(cp.rule)
    return status, ([] if status == "in_force" else basis)
