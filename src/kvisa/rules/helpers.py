"""Small expression builders shared by the programmes.

Ages are compared on full dates, never on birth years: "at least N completed
years on day D" is ``date_of_birth <= D shifted back N years``.  Moving the
date arithmetic to the literal side keeps the batch path a single comparison
per row, and the 29 February rule lives in one place (:func:`birthday_cutoff`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from itertools import pairwise
from typing import Any

import polars as pl

from kvisa.rules.facts import DEGREE_LEVELS
from kvisa.rules.model import Context, derived

DOB = pl.col("date_of_birth")


def birthday_cutoff(on: dt.date, years: int) -> dt.date:
    """Latest birth date of someone who has completed ``years`` years on ``on``.

    Someone born on 29 February completes a year on 1 March in common years
    (the birthday has not come while the calendar shows 28 February), so on
    28 February of a common year the cutoff is 28 February.
    """
    year = on.year - years
    try:
        return on.replace(year=year)
    except ValueError:  # on is 29 February and `year` is not a leap year
        return dt.date(year, 2, 28)


def age_at_least(ctx: Context, years: int) -> pl.Expr:
    """Completed years of age on the evaluation date are at least ``years``."""
    return pl.lit(birthday_cutoff(ctx.on, int(years))) >= DOB


def age_at_most(ctx: Context, years: int) -> pl.Expr:
    """Completed years of age on the evaluation date are at most ``years``."""
    return pl.lit(birthday_cutoff(ctx.on, int(years) + 1)) < DOB


RANK = {level: rank for rank, level in enumerate(DEGREE_LEVELS)}


def _listed_rank(ctx: Context) -> pl.Expr:
    """The rank of the highest listed degree (null without a list)."""
    return pl.col("degrees").list.eval(
        pl.element().struct.field("level").replace_strict(RANK, default=None,
                                                          return_dtype=pl.Int64)).list.max()


LISTED_RANK = derived("listed_rank", _listed_rank)


def _highest_level(ctx: Context) -> pl.Expr:
    """The highest degree level: the fact, or the highest of the listed degrees.

    The listed rank is a column of its own: a lookup chain over a ``list.eval``
    expression made Polars evaluate the list once per branch and row (24 s for
    100,000 rows against 4 ms for the column).
    """
    if "degrees" in ctx.absent:
        # no row lists degrees: the fact alone (the list is still named in explanations)
        ctx.declare("degrees")
        return pl.col("highest_degree")
    by_rank = {rank: level for level, rank in RANK.items()}
    return pl.coalesce(pl.col("highest_degree"), lookup(LISTED_RANK(ctx), by_rank, pl.String()))


HIGHEST_LEVEL = derived("highest_level", _highest_level)


def _highest_rank(ctx: Context) -> pl.Expr:
    """The highest degree's rank (0 none … 4 doctorate), computed once per evaluation."""
    return lookup(pl.col("highest_degree"), RANK, pl.Int8())


HIGHEST_RANK = derived("highest_rank", _highest_rank)


def one_of(value: pl.Expr, options: Iterable[object]) -> pl.Expr:
    """``value`` is one of a few ``options`` (null when ``value`` is null).

    Why not ``is_in``: Polars' streaming engine runs ``is_in`` as a node of
    its own beside the rest of the row's expressions, and the stream split
    to feed it buffered rows, so a screen's memory grew with the file size
    (1.5 GB for 10M rows).  A handful of comparisons stays row by row.
    """
    tests = [value == option for option in options]
    if not tests:
        return pl.when(value.is_not_null()).then(pl.lit(False))
    return pl.any_horizontal(tests)


def starts_with_one_of(value: pl.Expr, prefixes: Iterable[str]) -> pl.Expr:
    """``value`` begins with one of ``prefixes`` (null when ``value`` is null).

    Never a slice then a comparison: a slice makes a new string per row, and was
    most of the K visa's batch time.  Digit prefixes of one length (ISCED broad
    fields "05", "06", "07") are runs of consecutive numbers, and a run is two
    comparisons of the whole code: "05" <= code < "08".
    """
    wanted = sorted(set(prefixes))
    if not wanted:
        return pl.when(value.is_not_null()).then(pl.lit(False))
    width = len(wanted[0])
    if not all(p.isdigit() and len(p) == width for p in wanted):
        return pl.any_horizontal([value.str.starts_with(prefix) for prefix in wanted])
    runs: list[list[int]] = []
    for number in (int(p) for p in wanted):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    if any(last + 1 >= 10 ** width for _, last in runs):  # "99": no next prefix to stop at
        return pl.any_horizontal([value.str.starts_with(prefix) for prefix in wanted])
    tests = [(value >= f"{first:0{width}d}") & (value < f"{last + 1:0{width}d}")
             for first, last in runs]
    return tests[0] if len(tests) == 1 else pl.any_horizontal(tests)


def lookup(value: pl.Expr, table: Mapping[Any, Any], dtype: pl.DataType) -> pl.Expr:
    """``table[value]`` row by row; null for a value not in the small ``table`` or null.

    Not ``replace_strict`` at the top of an expression, for the reason given
    in :func:`one_of`: Polars' streaming engine runs it beside the row's other
    expressions and buffers rows to join the two.
    """
    chain: Any = None
    for key, result in table.items():
        chain = (pl.when(value == key) if chain is None else chain.when(value == key)).then(
            pl.lit(result, dtype=dtype))
    return pl.lit(None, dtype=dtype) if chain is None else chain.otherwise(
        pl.lit(None, dtype=dtype))


def degree_at_least(level: str, ctx: Context | None = None) -> pl.Expr:
    """The highest degree is ``level`` or above (null when unknown).

    Where no row lists degrees (``ctx.absent``), the highest level is the fact's,
    and its rank is one integer comparison instead of several string ones.
    """
    if ctx is not None and "degrees" in ctx.absent:
        ctx.declare("degrees")
        return HIGHEST_RANK(ctx) >= RANK[level]
    allowed = list(DEGREE_LEVELS[DEGREE_LEVELS.index(level):])
    return one_of(pl.col("__highest_level"), allowed)


DegreeTest = Callable[[pl.Expr, pl.Expr, pl.Expr], pl.Expr]
"""(level rank, field code, institution recognised) → Boolean expression."""


def any_degree(ctx: Context, test: DegreeTest, *, min_level: str) -> pl.Expr:
    """Some degree passes ``test`` (Kleene: unknown while a degree that might pass is unknown).

    With ``degrees`` listed, the list decides.  Without it, the single-degree
    facts describe the highest degree only: if it passes, met; if it is below
    ``min_level``, no degree can pass, not met; otherwise another degree might
    pass, so unknown — never a refusal on the highest degree alone.
    """
    rank = pl.col("__highest_rank")
    single = test(rank, pl.col("degree_field"), pl.col("degree_institution_recognised"))
    below = rank < RANK[min_level]
    if "degrees" in ctx.absent:
        # No row lists degrees: the same answer without scanning lists, and without
        # reading the (all-null) column; it is declared, so explanations name it.
        # In Kleene algebra: passes → true; else below the level → false; else
        # unknown.
        ctx.declare("degrees")
        return single.fill_null(False) | (~below.fill_null(False) & NULL)
    element = pl.element().struct
    results = pl.col("degrees").list.eval(test(
        element.field("level").replace_strict(RANK, default=None, return_dtype=pl.Int64),
        element.field("field"), element.field("institution_recognised")))
    some_true = results.list.eval(pl.element().fill_null(False)).list.any()
    some_unknown = results.list.eval(pl.element().is_null()).list.any()
    # Kleene algebra, not `when` chains: a list expression inside a `when` was
    # evaluated once per branch and row (seconds per 100,000 rows).
    #   listed: some degree passes -> true; else one is unknown -> unknown; else false
    #   whole:  the single facts pass -> true; else a list -> listed; else below the
    #           level -> false; else unknown
    listed = some_true | (some_unknown & NULL)
    has_list = pl.col("degrees").is_not_null()
    return (single.fill_null(False) | (has_list & listed)
            | (~has_list & ~below.fill_null(False) & NULL))


def fact(name: str) -> pl.Expr:
    return pl.col(name)


def at_least(name: str, threshold: float) -> pl.Expr:
    return pl.col(name) >= pl.lit(float(threshold))


def count_at_least(name: str, threshold: float, *, bounded_by: str, below: int,
                   above: int) -> pl.Expr:
    """``name`` is at least ``threshold``; while ``name`` is not known, what a count it
    is tied to already settles.

    Two evidence counts that share most of their items bound each other: ``name``
    lies between ``bounded_by - below`` and ``bounded_by + above``
    (:func:`kvisa.rules.facts.validate_profile` refuses answers outside that), so the
    other count decides when the whole range is on one side of the threshold, and a
    person is not asked for a number their other answer already gives.
    """
    other = pl.col(bounded_by)
    # Kleene algebra, not a ``when`` chain (which evaluates and zips every branch over
    # every row): the least ``name`` can be reaches the threshold → true; the most it
    # can be does not → false; otherwise (or with no other count) unknown.  The counts
    # are whole numbers, so the other count is compared with a whole number (ceil):
    # exact, and not the same expression as the other programme's test of its own
    # count, which Polars' common-subexpression elimination would otherwise hoist out
    # of the criteria stage at a cost of 15% of a whole-population screen (measured
    # with benchmarks/screen.py, 6 Dec).
    surely = other >= pl.lit(math.ceil(threshold + below))
    possibly = other >= pl.lit(math.ceil(threshold - above))
    inferred = surely | (possibly & pl.lit(None, dtype=pl.Boolean))
    return (pl.col(name) >= pl.lit(float(threshold))).fill_null(inferred)


def income_multiple_at_least(income: str, multiple: float) -> pl.Expr:
    """``income`` is at least ``multiple`` times the local urban average income.

    An average wage is positive, so no income (0) is never a positive multiple of
    it, whatever the city: that much is known while the average is not (Kleene
    AND: false decides).
    """
    reaches = pl.col(income) >= pl.col("local_urban_average_income_cny") * pl.lit(float(multiple))
    return reaches & (pl.col(income) > 0) if multiple > 0 else reaches


def date_in(ctx: Context, start: dt.date, end: dt.date | None = None) -> pl.Expr:
    """A literal true/false: the evaluation date lies in [start, end)."""
    inside = ctx.on >= start and (end is None or ctx.on < end)
    return pl.lit(inside, dtype=pl.Boolean)


NULL = pl.lit(None, dtype=pl.Boolean)


def banded(value: pl.Expr, bands: list[list[float]] | None) -> pl.Expr:
    """Points from ``[[lower_bound, points], …]``; a null value scores null.

    The lowest band's points, plus, for each higher band the value reaches, the step
    up (or down) to that band's points: comparisons and sums, which Polars runs as
    plain vector arithmetic and a missing value leaves null.  (Not ``cut``: it makes
    a categorical whose labels must be parsed back into numbers, a third of the
    time of a whole-population screen; not a ``when`` chain, where a null
    comparison would fall through to the last branch.)  Values below the lowest
    bound score the lowest band, as the tables mean.
    """
    if bands is None:
        return pl.lit(None, dtype=pl.Int64)
    ascending = sorted((float(lower), int(points)) for lower, points in bands)
    steps = [(value >= pl.lit(lower)).cast(pl.Int64) * pl.lit(points - before)
             for (_, before), (lower, points) in pairwise(ascending) if points != before]
    lowest = pl.lit(ascending[0][1], dtype=pl.Int64)
    if not steps:  # one score whatever the value: still null for a missing value
        return pl.when(value.is_not_null()).then(lowest)
    return sum(steps, lowest)  # `+`, not sum_horizontal: a null value stays null


def points_by_value(value: pl.Expr, table: dict[str, int] | None) -> pl.Expr:
    """Points looked up from a small table of categories; unlisted scores 0, null stays null."""
    if table is None:
        return pl.lit(None, dtype=pl.Int64)
    total: pl.Expr = (value == "").cast(pl.Int64) * 0  # null-propagating zero
    for key, points in table.items():
        if points:
            total = total + (value == key).cast(pl.Int64) * int(points)
    return total


def age_years(ctx: Context) -> pl.Expr:
    """Completed years of age on the evaluation date (29 Feb birthdays count from 1 Mar)."""
    on_md = ctx.on.month * 100 + ctx.on.day
    birth_md = DOB.dt.month().cast(pl.Int32) * 100 + DOB.dt.day().cast(pl.Int32)
    not_yet = (birth_md > on_md).cast(pl.Int32)
    return (pl.lit(ctx.on.year) - DOB.dt.year().cast(pl.Int32) - not_yet).cast(pl.Int64)
