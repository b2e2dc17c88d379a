"""``kvisa interview``: the guided comparison in a terminal, or one step as JSON.

The questions come from :func:`kvisa.pathways.interview.next_step`, the same
function behind ``POST /api/v1/pathways/interview`` and the /pathways pages:
with ``--answers FILE --json`` the command prints exactly the API's document
for those answers and asks nothing, so a script can drive an interview one
question at a time.  Without ``--json`` it asks in the terminal (Rich prompts)
until no answer can change a verdict, then prints the comparison.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from kvisa.cli.options import parse_date, read_json
from kvisa.cli.output import console, fail, guarded
from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import languages, translate
from kvisa.rules import fact_text
from kvisa.rules.facts import FACTS_BY_NAME

DONT_KNOW = "?"
NONE_OF_THESE = N_("None of these")
PICK_NUMBERS = N_("Numbers of all that apply, e.g. 1,3")
ANSWERS_AGAIN = N_("Your answers, to use again:")
YES_OR_NO = N_("y (yes) or n (no)")
YES_NO: dict[str, bool | str | None] = {"y": True, "yes": True, "是": True, "n": False,
                                        "no": False, "否": False, DONT_KNOW: None}


def interview(
    answers_file: Annotated[Path | None, typer.Option(
        "--answers", help="JSON object of answers so far: {fact: value or null (I don't "
        "know)}.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Evaluation date YYYY-MM-DD "
                                           "(default: today).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the questions: en or zh.")] = "en",
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the next step as the API does, and ask nothing.")] = False,
) -> None:
    """Ask only what decides: one question at a time until every route is settled."""
    from kvisa.pathways.interview import next_step

    when = parse_date(on)
    if lang not in languages():
        fail(f"--lang: {lang!r} is not one of {', '.join(languages())}")
    answers: dict[str, Any] = {}
    if answers_file is not None:
        loaded = read_json(answers_file)
        if not isinstance(loaded, dict):
            fail(f"{answers_file}: answers must be a JSON object of fact: value or null")
        answers = loaded
    step = guarded(lambda: next_step(answers, on=when, lang=lang))
    if as_json:
        sys.stdout.write(json.dumps(step.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    while step.next is not None:
        console.print()
        console.print(f"[dim]{step.asked + 1}. {escape(step.reason)}[/]")
        given = _ask(console, step.next.as_dict(), lang)
        trial = {**answers, **given}
        try:
            step = next_step(trial, on=when, lang=lang)
        except ValueError as exc:  # ProfileError: say it, ask again
            console.print(f"[red]{escape(str(exc))}[/]")
            continue
        answers = trial
    from kvisa.cli.rules import print_comparison

    console.print()
    print_comparison(step.comparison, when, lang)
    console.print(f"\n{escape(translate(ANSWERS_AGAIN, lang))} "
                  f"{escape(json.dumps(answers, ensure_ascii=False, default=str))}")


def _ask(console: Console, question: dict[str, Any], lang: str) -> dict[str, Any]:
    """One question in the terminal; ``?`` is "I don't know" for every fact it asks."""
    facts: list[str] = question["facts"]
    console.print(f"[bold]{escape(question['question'])}[/]")
    if question["help"]:
        console.print(escape(question["help"]))
    hint = translate("(? = I don't know)", lang)
    kind = question["kind"]
    if kind == "select_all":
        options = question["options"]
        for number, option in enumerate(options, 1):
            console.print(f"  {number}. {escape(option['label'])}")
        console.print(f"  0. {escape(translate(NONE_OF_THESE, lang))}")
        while True:
            raw = Prompt.ask(f"{translate(PICK_NUMBERS, lang)} {hint}",
                             console=console).strip()
            if raw == DONT_KNOW:
                return dict.fromkeys(facts)
            picked = _numbers(raw, len(options))
            if picked is not None:
                return {o["value"]: index in picked for index, o in enumerate(options, 1)}
            console.print(translate("Give numbers from the list, 0 for none, or ?.", lang))
    if kind == "bool":
        # "yes" is the first option, whatever value it gives the fact (a question asked
        # the positive way round gives "no criminal record" false)
        yes, no = (o["value"] for o in question["options"])
        while True:
            raw = Prompt.ask(f"{translate(YES_OR_NO, lang)} {hint}", console=console)
            said = YES_NO.get(raw.strip().lower(), "")
            if said != "":
                return {facts[0]: None if said is None else (yes if said else no)}
            console.print(translate(YES_OR_NO, lang))
    if question["options"]:
        return {facts[0]: _pick(console, question, lang, hint)}
    fact = FACTS_BY_NAME[facts[0]]
    while True:
        raw = Prompt.ask(f"{_format_hint(kind, lang)} {hint}", console=console).strip()
        if raw == DONT_KNOW:
            return {facts[0]: None}
        try:  # read as every form reads it, with the same words for what is wrong
            value = fact_text.read(fact, raw, lang)
        except fact_text.AnswerProblem as problem:
            console.print(escape(problem.message))
            continue
        if value is not None:
            return {facts[0]: value}
        console.print(translate("That is not an answer this question takes.", lang))


def _pick(console: Console, question: dict[str, Any], lang: str, hint: str) -> Any:
    """Choose one option: by number from a short list, by words from a long one."""
    options = question["options"]
    shown = options
    while True:
        if len(shown) <= 20:
            for number, option in enumerate(shown, 1):
                console.print(f"  {number}. {escape(option['label'])}")
            prompt = translate("Number", lang)
        else:
            prompt = translate("Type a few words to find it", lang)
        raw = Prompt.ask(f"{prompt} {hint}", console=console).strip()
        if raw == DONT_KNOW:
            return None
        if raw.isdigit() and 1 <= int(raw) <= len(shown) and len(shown) <= 20:
            return shown[int(raw) - 1]["value"]
        words = raw.lower().split()
        if question["kind"] in ("code", "country"):  # by names in either language, or the
            fact = FACTS_BY_NAME[question["facts"][0]]  # words people use for subjects
            codes = {o.value for o in fact_text.find(fact, raw, lang)}
            found = [o for o in options if o["value"] in codes]
        else:
            found = [o for o in options if all(w in f"{o['label']} {o['value']}".lower()
                                               for w in words)]
        if found:
            shown = found
        else:
            console.print(translate("Nothing matches; try other words.", lang))


def _numbers(raw: str, count: int) -> set[int] | None:
    try:
        picked = {int(part) for part in raw.replace(" ", "").split(",") if part}
    except ValueError:
        return None
    if picked == {0}:
        return set()
    return picked if picked and all(1 <= n <= count for n in picked) else None


FORMAT_HINTS = {"date": N_("Date (YYYY-MM-DD)"), "int": N_("Whole number")}


def _format_hint(kind: str, lang: str) -> str:
    return translate(FORMAT_HINTS.get(kind, N_("Number")), lang)


def register(app: typer.Typer) -> None:
    app.command("interview")(interview)
