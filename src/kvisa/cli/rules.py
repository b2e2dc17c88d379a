"""The rules' commands: ``programmes``, ``parameters``, ``catalogue``, ``schema``,
``check``, ``screen`` and ``compare``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kvisa.cli.options import (
    EngineOption,
    JsonOption,
    LangOption,
    SchedulerOption,
    WorkersOption,
    parse_date,
    read_json,
)
from kvisa.cli.output import console, emit, err, guarded
from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import pick, translate
from kvisa.rules import PROGRAMMES, explain, load_scenario, profile_json_schema
from kvisa.rules.parameters import all_parameters
from kvisa.rules.scenario import Scenario

OnOption = Annotated[str | None, typer.Option("--on", help="Evaluation date YYYY-MM-DD "
                                              "(default: today).")]
ProgrammeOption = Annotated[list[str] | None, typer.Option(
    "--programme", "-p", help="Programme id (repeatable; default: all).")]
ScenarioOption = Annotated[Path | None, typer.Option("--scenario", help="Scenario YAML file.")]
DraftsOption = Annotated[bool, typer.Option("--include-drafts",
                                            help="Also evaluate draft (not enacted) rules.")]


def _scenario(path: Path | None) -> Scenario | None:
    return guarded(lambda: load_scenario(path)) if path else None


def _inputs(on: str | None, profile: Path, scenario: Path | None
            ) -> tuple[dt.date, Any, Scenario | None]:
    """The date, profile document and scenario a profile command works on (exit 2 if bad)."""
    return parse_date(on), read_json(profile), _scenario(scenario)


def programmes(as_json: JsonOption = False) -> None:
    """List the programmes: ids, names, in-force dates and status."""
    if as_json:
        listing = [{"id": p.id, "name": p.name, "name_zh": p.name_zh,
                    "in_force_from": p.in_force_from.isoformat(),
                    "in_force_until": p.in_force_until.isoformat() if p.in_force_until
                    else None, "status": p.status,
                    "not_modelled": [{"text": n.text, "text_zh": n.text_zh,
                                      "citation": n.citation.as_dict()}
                                     for n in p.not_modelled]} for p in PROGRAMMES]
        emit({"programmes": listing})
    table = Table(title="Programmes")
    for column in ("id", "name", "名称", "in force from", "until", "status"):
        # identifiers are never cut: other columns fold instead
        table.add_column(column, no_wrap=column in ("id", "in force from", "until", "status"),
                         overflow="fold")
    for p in PROGRAMMES:
        table.add_row(p.id, p.name, p.name_zh, p.in_force_from.isoformat(),
                      p.in_force_until.isoformat() if p.in_force_until else "—", p.status)
    console.print(table)
    for p in PROGRAMMES:
        for route in p.not_modelled:
            console.print(f"not modelled — {escape(p.id)}: {escape(route.text)} "
                          f"[dim]({escape(route.citation.instrument)})[/]", soft_wrap=True)


def parameters(
    on: OnOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every parameter with the value in force on a date, its status and source."""
    when = parse_date(on)
    if as_json:
        listing = {}
        for name, parameter in all_parameters().items():
            current = parameter.at(when)
            listing[name] = None if current is None else {
                "value": current.value, "unit": parameter.unit, "status": current.status,
                "from": current.start.isoformat(), "source": current.source.as_dict()}
        emit({"as_of": when.isoformat(), "parameters": listing})
    table = Table(title=f"Parameters on {when.isoformat()}")
    for column in ("name", "value", "unit", "status", "source"):
        table.add_column(column, overflow="fold", no_wrap=column == "name")
    for name, parameter in all_parameters().items():
        current = parameter.at(when)
        if current is None:
            table.add_row(name, "—", parameter.unit, "not in force", "")
        else:
            table.add_row(name, json.dumps(current.value, default=str), parameter.unit,
                          current.status, str(current.source))
    console.print(table)


def catalogue(output: Annotated[Path | None, typer.Option("--output", "-o",
                                                          help="Write to a file.")] = None
              ) -> None:
    """Print the rule catalogue (Markdown): programmes, criteria, citations, parameters."""
    from kvisa.rules.catalogue import markdown

    text = markdown()
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


def schema() -> None:
    """Print the JSON Schema of an applicant profile."""
    emit(profile_json_schema())


_SYMBOL = {"met": "[green]✓ met[/]", "not_met": "[red]✗ not met[/]",
           "unknown": "[yellow]? unknown[/]"}
_VERDICT = {"eligible": "[bold green]eligible[/]", "not_eligible": "[bold red]not eligible[/]",
            "undetermined": "[bold yellow]undetermined[/]"}


# the headings of `kvisa check`'s tables, message ids of the one catalogue
HEADS = (N_("criterion"), N_("result"), N_("citation"), N_("missing"))


def check(
    profile: Annotated[Path, typer.Argument(help="Profile JSON file.")],
    on: OnOption = None,
    programme: ProgrammeOption = None,
    scenario: ScenarioOption = None,
    include_drafts: DraftsOption = False,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Assess one profile against the programmes, with every criterion and its citation."""
    when, document, chosen = _inputs(on, profile, scenario)
    assessment = guarded(lambda: explain(document, programme or None, when, chosen,
                                         include_drafts=include_drafts))
    if as_json:
        emit(assessment.to_dict())
    from kvisa.pathways.present import facts_in_words, output_text
    from kvisa.rules.labels import (
        citation_text,
        result_label,
        status_label,
        verdict_label,
        word,
    )

    heads = [translate(head, lang) for head in HEADS]
    for pa in assessment.programmes:
        verdict = verdict_label(pa.verdict, lang)
        if pa.status != "in_force":
            verdict += f" — {status_label(pa.status, lang)}"
        table = Table(title=f"{translate(pa.name, lang)} — {escape(verdict)}",
                      title_justify="left", show_lines=False)
        for index, head in enumerate(heads):
            table.add_column(head, overflow="fold", no_wrap=index == 1)
        for c in pa.criteria:
            status = "" if c.status == "in_force" else f" [dim]({status_label(c.status, lang)})[/]"
            needed = c.id not in pa.not_needed  # another alternative of an "any of" met
            table.add_row(escape(pick(c.texts, lang)) + status,
                          _SYMBOL[c.result].replace(c.result.replace("_", " "),
                                                    result_label(c.result, lang))
                          if needed else f"– {word('not needed', lang)}",
                          escape(citation_text(c.citation, lang)),
                          facts_in_words(c.missing, lang) if needed else "")
        console.print(table)
        for key in pa.outputs:
            label = translate(OUTPUT_NAMES.get(key, key), lang)
            console.print(f"  {escape(label)}: {escape(output_text(pa, key, lang))}")
    as_of = translate(N_("as of %(day)s"), lang) % {"day": assessment.as_of.isoformat()}
    if assessment.scenario:
        as_of += translate(N_(", scenario %(name)s"), lang) % {"name": assessment.scenario}
    console.print(f"[dim]{escape(as_of)}[/]")


OUTPUT_NAMES = {o.id: o.text for p in PROGRAMMES for o in p.outputs}
"""What each output is called (a message id), by its id."""


def screen(
    source: Annotated[Path, typer.Argument(help="Profiles: .csv or .parquet, any size.")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Result file: .parquet, or .arrow for Arrow IPC (quicker to "
        "write); a folder with --engine dask.")],
    on: OnOption = None,
    programme: ProgrammeOption = None,
    scenario: ScenarioOption = None,
    include_drafts: DraftsOption = False,
    errors: Annotated[Path | None, typer.Option(help="Errors CSV (default OUT.errors.csv).")]
    = None,
    keep: Annotated[list[str] | None, typer.Option(help="Non-fact column to carry through "
                                                   "(repeatable; 'id' always is).")] = None,
    verdicts_only: Annotated[bool, typer.Option(help="Write verdict columns only.")] = False,
    with_facts: Annotated[bool, typer.Option(help="Repeat the input's facts beside the "
                                             "results (slower; they are in the input).")]
    = False,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    workers: WorkersOption = 2,
) -> None:
    """Screen a file of profiles; bad rows go to an errors file, good rows are still screened.

    Each output row has the input's row number (as in the errors file), id and
    --keep columns, then verdicts, criteria and computed values; --with-facts
    adds the facts.  With --engine dask the Parquet file's row groups are screened on a Dask
    cluster and OUTPUT is a folder of part files (one table to Polars or DuckDB).
    """
    from kvisa.population.screen import screen_file, screen_partitioned

    when = parse_date(on)
    chosen = _scenario(scenario)
    kept = ("id", *(keep or ()))
    with Progress(TextColumn("screening"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeRemainingColumn(), console=err, transient=True) as bar:
        task = bar.add_task("screen", total=None)

        def moved(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        if engine == "local" and not scheduler:
            summary = guarded(lambda: screen_file(
                source, output, on=when, programmes=programme or None, scenario=chosen,
                include_drafts=include_drafts, errors=errors, keep=kept,
                detail=not verdicts_only, with_facts=with_facts, progress=moved))
        else:
            summary = guarded(lambda: screen_partitioned(
                source, output, on=when, engine=engine, scheduler=scheduler, workers=workers,
                programmes=programme or None, scenario=chosen, include_drafts=include_drafts,
                errors=errors, keep=kept, detail=not verdicts_only, with_facts=with_facts,
                progress=moved))
    table = Table(title=f"Screened {summary.rows:,} rows: {summary.good:,} screened, "
                        f"{summary.bad:,} with errors", title_justify="left")
    for column in ("programme", "eligible", "not eligible", "undetermined"):
        table.add_column(column, justify="right" if column != "programme" else "left")
    for pid, counts in summary.verdicts.items():
        table.add_row(pid, f"{counts['eligible']:,}", f"{counts['not_eligible']:,}",
                      f"{counts['undetermined']:,}")
    console.print(table)
    console.print(f"results: {output}" + (f"; errors: {errors or output.with_suffix('.errors.csv')}"
                                          if summary.bad else ""))


def compare(
    profile: Annotated[Path, typer.Argument(help="Profile JSON file.")],
    on: OnOption = None,
    scenario: ScenarioOption = None,
    include_drafts: DraftsOption = False,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Compare every route side by side: verdict, what is missing, cost, time, odds."""
    from kvisa.pathways.compare import compare as compare_routes

    when, document, chosen = _inputs(on, profile, scenario)
    comparison = guarded(lambda: compare_routes(document, on=when, scenario=chosen,
                                                include_drafts=include_drafts))
    if as_json:
        emit(comparison.as_dict())
    print_comparison(comparison, when, lang)


# Below this width a side-by-side table squeezes words into 6-character columns:
# print one block per route instead.
WIDE_TABLE = 140


def print_comparison(comparison: Any, when: dt.date, lang: str) -> None:
    from kvisa.pathways.present import route_text
    from kvisa.rules.labels import word

    heads = [word(k, lang) for k in ("route", "verdict", "missing / to qualify",
                                     "government fees", "days", "validity", "odds")]
    texts = [route_text(r, lang) for r in comparison.routes]
    title = f"{word('Routes on', lang)} {when.isoformat()}"
    if console.width >= WIDE_TABLE:
        table = Table(title=title, show_lines=True)
        for index, head in enumerate(heads):
            table.add_column(head, overflow="fold", no_wrap=index == 0,
                             min_width=14 if index == 1 else None)
        for text in texts:
            table.add_row(text.name, text.verdict_with_status,
                          "\n".join(filter(None, [text.missing, *text.changes, text.waiting])),
                          "\n".join(text.fees) or "—", text.days, text.validity, text.odds)
        console.print(table)
        return
    console.print(f"[bold]{escape(title)}[/]")
    for text in texts:
        block = Table.grid(padding=(0, 2))
        block.add_column(style="dim", no_wrap=True)
        block.add_column(overflow="fold")
        rows = [(heads[1], text.verdict_with_status),
                (heads[2], "\n".join(filter(None, [text.missing, *text.changes, text.waiting]))),
                (heads[3], "\n".join(text.fees) or "—"), (heads[4], text.days),
                (heads[5], text.validity), (heads[6], text.odds)]
        for head, value in rows:
            if (value and value != "—") or head in (heads[1], heads[3]):
                block.add_row(head, escape(value))
        console.print()
        console.print(f"[bold]{escape(text.name)}[/]")
        console.print(block)


def register(app: typer.Typer) -> None:
    for command in (programmes, parameters, catalogue, schema, check, screen, compare):
        app.command()(command)
