"""CSV for people who open it in a spreadsheet: the one writer every download uses.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets, so free text that
someone else typed (a wage table's source, a scenario's name) could run as
``=HYPERLINK(…)`` on a staff member's machine.  Per OWASP's "CSV Injection"
guidance each such text cell is prefixed with a single quote, which the
spreadsheet shows as text.  Numbers are written as numbers (a negative amount
stays a number); only text is changed.  Python's csv module and Polars
quote separators and quotes themselves; this adds only the formula rule.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def frame_to_csv(frame: pl.DataFrame, *, include_header: bool = True) -> bytes:
    """A Polars frame as CSV bytes, every text column neutralised."""
    pattern = "^[" + "".join("\\" + c if c in "-" else c for c in FORMULA_STARTS) + "]"
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    safe = frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern)).then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name)).alias(name) for name in texts) if texts else frame
    header = [str(neutralise(name)) for name in safe.columns]
    return safe.rename(dict(zip(safe.columns, header, strict=True))).write_csv(
        include_header=include_header).encode("utf-8")
