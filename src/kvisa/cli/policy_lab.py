"""``kvisa population`` and ``kvisa scenario``: populations and what-if runs over them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kvisa.cli.options import EngineOption, SchedulerOption, WorkersOption, parse_date
from kvisa.cli.output import console, err, guarded

population_app = typer.Typer(help="Synthetic populations of applicant profiles.",
                             no_args_is_help=True)
scenario_app = typer.Typer(help="What-if scenarios over whole populations.",
                           no_args_is_help=True)


@population_app.command("generate")
def population_generate(
    rows: Annotated[int, typer.Argument(help="How many profiles.", min=1, max=50_000_000)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Parquet file to write.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same population).")] = 2025,
    missing: Annotated[float | None, typer.Option(
        help="Share of facts left blank, 0-1 (default: the calibration's).",
        min=0.0, max=1.0)] = None,
    calibration: Annotated[Path | None, typer.Option(
        help="Calibration YAML: every figure with its source (default: kvisa's own, "
        "kvisa/population/calibrations/default.yaml).")] = None,
) -> None:
    """Write a seeded synthetic population, drawn from a cited calibration."""
    from kvisa.population.calibration import load
    from kvisa.population.synthetic import population

    figures = guarded(lambda: load(calibration))
    output.parent.mkdir(parents=True, exist_ok=True)
    chunk = 1_000_000  # written row group by row group: 50M profiles never sit in memory
    writer = None
    try:
        import pyarrow.parquet as pq

        for start in range(0, rows, chunk):
            # chunk k has seed + k: the first million match population(rows, seed=seed)
            frame = population(min(chunk, rows - start), seed=seed + start // chunk,
                               missing=missing, calibration=figures)
            table = frame.to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(output, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=250_000)
    finally:
        if writer is not None:
            writer.close()
    console.print(f"{rows:,} profiles written to {output} (seed {seed}, calibration: "
                  f"{figures.name})")


@scenario_app.command("run")
def scenario_run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    population: Annotated[Path, typer.Option("--population", help="Profiles: .parquet "
                                             "or .csv.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")],
    on: Annotated[str | None, typer.Option("--on", help="Evaluation date YYYY-MM-DD.")] = None,
    programme: Annotated[list[str] | None, typer.Option(
        "--programme", "-p", help="Programme id (repeatable; default: all).")] = None,
    against: Annotated[Path | None, typer.Option(help="Compare with this scenario instead "
                                                 "of the law in force.")] = None,
    include_drafts: Annotated[bool, typer.Option("--include-drafts")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    workers: WorkersOption = 2,
) -> None:
    """Baseline and scenario on the same rows: who changes verdict, and why.

    The population is read row group by row group, here or on Dask workers
    (--engine dask, with --workers N for a local cluster or --scheduler ADDRESS).
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from kvisa.population.scenario_run import public_summary, run
    from kvisa.rules import load_scenario

    when = parse_date(on)
    chosen = guarded(lambda: load_scenario(scenario))
    baseline = guarded(lambda: load_scenario(against)) if against else None
    with Progress(TextColumn("comparing"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeRemainingColumn(), console=err, transient=True) as bar:
        task = bar.add_task("scenario", total=None)
        result = guarded(lambda: run(
            population, chosen, output, on=when, programmes=programme or None,
            baseline=baseline, include_drafts=include_drafts, engine=engine,
            scheduler=scheduler, workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total)))
    if as_json:
        sys.stdout.write(json.dumps(public_summary(result)) + "\n")
        return
    table = Table(title=f"{result.rows:,} profiles: {result.summary['baseline_name']} → "
                        f"{chosen.name}", title_justify="left")
    for column in ("programme", "eligible before", "eligible after", "gained", "lost"):
        table.add_column(column, justify="left" if column == "programme" else "right")
    for pid, changed in result.summary["changed"].items():
        table.add_row(pid, f"{result.summary['baseline'][pid]['eligible']:,}",
                      f"{result.summary['scenario'][pid]['eligible']:,}",
                      f"{changed['gained']:,}", f"{changed['lost']:,}")
    console.print(table)
    console.print(f"changes, summary and chart in {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(population_app, name="population")
    app.add_typer(scenario_app, name="scenario")
