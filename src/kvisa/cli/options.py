"""Options and input files the commands share: dates, JSON documents, engines.

A bad value ends the command by the kit's contract (one line, exit 2), naming the
option or the file and what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from kvisa.cli.output import fail

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]
LangOption = Annotated[str, typer.Option(help="Language of the table: en or zh.")]
EngineOption = Annotated[str, typer.Option(
    "--engine", help="local (this process) or dask (a Dask cluster).")]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
    "(with --engine dask; default: start a local cluster).")]
WorkersOption = Annotated[int, typer.Option(
    "--workers", help="Worker processes of the local Dask cluster.", min=1, max=256)]

MAX_JSON_INPUT = 1_000_000


def parse_date(value: str | None, option: str = "--on") -> dt.date:
    """``value`` as a date (today when not given); exit 2 naming ``option`` if impossible."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a real date (YYYY-MM-DD)")


def read_json(path: Path) -> Any:
    """A small JSON document (a profile, answers) from ``path``; exit 2 saying why not."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot read ({exc.strerror})")
    if len(raw) > MAX_JSON_INPUT:
        fail(f"{path}: larger than 1 MB; a profile is a small JSON object")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
