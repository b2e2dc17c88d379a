"""Command-line options shared by ``kvisa screen`` and ``kvisa scenario run``."""

from __future__ import annotations

from typing import Annotated

import typer

EngineOption = Annotated[str, typer.Option(
    "--engine", help="local (this process) or dask (a Dask cluster).")]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
    "(with --engine dask; default: start a local cluster).")]
WorkersOption = Annotated[int, typer.Option(
    "--workers", help="Worker processes of the local Dask cluster.", min=1, max=256)]
