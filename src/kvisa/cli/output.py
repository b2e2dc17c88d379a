"""What every ``kvisa`` command prints, and how it ends: the CLI's one output kit.

The exit contract, stated once:

- **0** — done; the answer is on stdout (a table for people, JSON with ``--json``).
- **1** — a negative answer where the command defines one (an invalid MRZ, a
  seal that does not verify, an audit chain that is broken).
- **2** — unusable input or an unusable environment (a file that cannot be read,
  an impossible date, a database that is not ready): one line on stderr that
  says what to change, never a traceback.
- **3** — a bug: one line on stderr asking for a report (see :func:`kvisa.cli.main`).

Commands hand their results here as data (rows of dicts, or a JSON document) and
this module renders them, so a table and its ``--json`` twin never drift apart.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)

T = TypeVar("T")


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit ``code`` (2: unusable input, by the contract)."""
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; a domain error becomes one line and exit code 2.

    The rules' and the documents' errors derive from ValueError; files from OSError.
    """
    try:
        return action()
    except (ValueError, OSError) as exc:
        fail(str(exc))


def emit(document: Any, code: int = 0) -> NoReturn:
    """Print ``document`` as JSON on stdout and end the command with ``code`` (a JSON
    document can carry a negative answer, exit 1, as well as a positive one)."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
    raise typer.Exit(code)


def show(rows: Sequence[dict[str, Any]], *, title: str, as_json: bool, key: str,
         columns: Sequence[str] | None = None, keep_whole: Sequence[str] = ()) -> None:
    """Rows as a table for people, or as ``{key: rows}`` JSON for programs.

    ``keep_whole`` columns (identifiers, dates) are never folded; the others wrap.
    """
    if as_json:
        emit({key: list(rows)})
    heads = list(columns or (rows[0].keys() if rows else ()))
    table = Table(title=title)
    for head in heads:
        table.add_column(head.replace("_", " "), overflow="fold", no_wrap=head in keep_whole)
    for row in rows:
        table.add_row(*("—" if row.get(head) in (None, "") else str(row[head])
                        for head in heads))
    console.print(table)
