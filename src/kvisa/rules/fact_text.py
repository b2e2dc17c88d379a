"""What people read and choose for a fact, from its one definition: its answers by
name, a coded answer found by the words people use, its value in words, and the
sources that say what counts.

Pages, the CLI, e-mails and PDFs all call :func:`in_words`; the application form,
the all-fields page and the interview all call :func:`options` and :func:`find`.
The service registers the answers its forms ask besides the rules' facts (a
surname, the route chosen) with :func:`register`, in the same vocabulary, so that
one lookup formats every answer a case holds.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from babel.numbers import format_decimal

from kvisa import reference
from kvisa.i18n import date_order, languages, reader_date, reader_locale, translate
from kvisa.i18n import gettext_noop as N_
from kvisa.rules.errors import ProfileError
from kvisa.rules.facts import (
    DEGREE_OPTIONS,
    FACTS_BY_NAME,
    NUMBER_KINDS,
    Fact,
    Option,
    definition,
)

YES, NO, NOT_GIVEN = N_("Yes"), N_("No"), "—"
RECOGNISED = N_("well-known institution")
NOT_RECOGNISED = N_("institution not well known")


# ---------------------------------------------------------------------- answers


def options(fact: Fact, lang: str = "en") -> tuple[Option, ...]:
    """The answers of a coded fact, named in ``lang``, in the order a reader looks
    for them; ``words`` holds what :func:`find` searches (names in both languages)."""
    if fact.kind == "choice":
        return tuple(Option(o.value, translate(o.label, lang), o.words) for o in fact.options)
    if fact.kind == "country":
        return _countries(lang)
    if fact.kind == "code":
        return _fields(lang)
    return ()


# An option's ``words`` are its names in every language, then the words people use,
# separated by "|": a name typed in full picks the option even where its words are
# part of another's ("India" is in "British Indian Ocean Territory").

@cache
def _countries(lang: str) -> tuple[Option, ...]:
    return tuple(Option(code, label, "|".join(filter(None, (
        code, *(reference.country_name(code, other) for other in languages())))))
        for code, label in reference.country_choices(lang))


@cache
def _fields(lang: str) -> tuple[Option, ...]:
    return tuple(Option(code, label, "|".join((code, *reference.field_names(code),
                                                reference.SUBJECT_WORDS.get(code, ""))))
                 for code, label in reference.field_choices(lang))


def find(fact: Fact, words: str, lang: str = "en") -> tuple[Option, ...]:
    """The answers whose names, code or usual words hold every word typed, in either
    language: "computer science" finds 0611, 0612 and 0613; "印度" finds India."""
    wanted = words.casefold().split()
    if not wanted:
        return ()
    return tuple(o for o in options(fact, lang)
                 if all(w in f"{o.label} {o.words}".casefold() for w in wanted))


def read_coded(fact: Fact, typed: str, lang: str = "en") -> tuple[str | None, tuple[Option, ...]]:
    """A coded answer from what a person typed or picked: (the value, ()) when it names
    one answer — its value, its name, or words only it matches — else (None, the
    answers the words find, maybe none)."""
    text = typed.strip().casefold()
    for option in options(fact, lang):
        names = (option.value, option.label, *option.words.split("|"))
        if text in (name.casefold() for name in names):
            return option.value, ()
    found = find(fact, typed, lang)
    if len(found) == 1:
        return found[0].value, ()
    return None, found


def yes_no(fact: Fact, lang: str = "en") -> tuple[Option, Option]:
    """"Yes" and "No" with the value each gives the fact: a question asked the other
    way round ("Do you have a criminal record?" for ``no_criminal_record``) has
    "Yes" give *false*."""
    yes_is = fact.ask.yes_is if fact.ask is not None else True
    return (Option("true" if yes_is else "false", translate(YES, lang)),
            Option("false" if yes_is else "true", translate(NO, lang)))


# ------------------------------------------------------------- reading an answer


class AnswerProblem(ValueError):
    """An answer that cannot be read, with what is wrong in the reader's words and the
    answers the words found, if any (a coded answer that matched several)."""

    def __init__(self, message: str, found: tuple[Option, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.found = found


DATE_PARTS = ("day", "month", "year")


def posted(data: Any, name: str) -> str:
    """The raw answer a form sent for ``name``: its one box, or a date's three boxes
    (``name-day``, ``name-month``, ``name-year``) joined as YYYY-M-D (blank when all
    three are blank)."""
    keys = [f"{name}-{part}" for part in DATE_PARTS]
    if any(key in data for key in keys):
        day, month, year = (str(data.get(key, "") or "").strip() for key in keys)
        return f"{year}-{month}-{day}" if (day or month or year) else ""
    return str(data.get(name, "") or "").strip()


def date_parts(value: Any) -> dict[str, str]:
    """A date's boxes as a form shows them again (a value that never parsed keeps what
    was typed in each box)."""
    text = "" if value is None else str(value)
    pieces = text.split("-")
    if len(pieces) == 3:
        year, month, day = pieces
        return {"day": day.lstrip("0") if day.isdigit() else day,
                "month": month.lstrip("0") if month.isdigit() else month, "year": year}
    return {"day": "", "month": "", "year": text}


def read(fact: Fact, raw: str, lang: str = "en") -> Any:
    """The typed value of what a person entered for ``fact`` (None for a blank answer),
    or :class:`AnswerProblem` saying, in ``lang``, what to enter instead.

    Every form (the application, the all-answers page, the interview) reads answers
    here, so one answer is read alike wherever it is typed."""
    text = raw.strip()
    if text == "":
        return None
    if fact.kind == "bool":
        if text not in ("true", "false"):
            raise AnswerProblem(translate(N_("Choose yes or no."), lang))
        return text == "true"
    if fact.kind in NUMBER_KINDS:
        return _read_number(fact, text, lang)
    if fact.kind == "date":
        return _read_date(text, lang).isoformat()
    if fact.kind in ("country", "code", "choice"):
        value, found = read_coded(fact, text, lang)
        if value is None:
            raise AnswerProblem(_coded_problem(fact, text, found, lang), found)
        return value
    return text


def _read_number(fact: Fact, text: str, lang: str) -> float | int:
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").replace("_", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise AnswerProblem(_number_hint(fact, lang)) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise AnswerProblem(_number_hint(fact, lang))
    if fact.kind == "int":
        if not number.is_integer():
            raise AnswerProblem(translate(N_("Enter a whole number, for example 4."), lang))
        number = int(number)
    bounds = bounds_problem(fact, number, lang)
    if bounds:
        raise AnswerProblem(bounds)
    return number


def _number_hint(fact: Fact, lang: str) -> str:
    if fact.kind == "int":
        return translate(N_("Enter a whole number, for example 4."), lang)
    return translate(N_("Enter a number, for example 4 or 4.5."), lang)


def bounds_problem(fact: Fact, number: float, lang: str = "en") -> str:
    """What is wrong with a number outside the fact's bounds ("" when inside)."""
    low, high = fact.minimum, fact.maximum
    if (low is None or number >= low) and (high is None or number <= high):
        return ""
    if low is not None and high is not None:
        return translate(N_("Enter a number from %(low)s to %(high)s."), lang) % {
            "low": f"{low:g}", "high": f"{high:g}"}
    if low is not None:
        return translate(N_("Enter %(limit)s or more."), lang) % {"limit": f"{low:g}"}
    return translate(N_("Enter %(limit)s or less."), lang) % {"limit": f"{high:g}"}


def _read_date(text: str, lang: str) -> dt.date:
    pieces = text.split("-")
    try:
        if len(pieces) != 3 or not all(p.strip().isdigit() for p in pieces):
            raise ValueError(text)
        year, month, day = (int(p) for p in pieces)
        if year < 1000:
            raise ValueError(text)
        return dt.date(year, month, day)
    except ValueError:
        raise AnswerProblem(translate(N_("Enter a real date, for example %(example)s."), lang)
                            % {"example": date_example(lang)}) from None


def date_example(lang: str = "en") -> str:
    """An example date as typed into the boxes, in the reader's order ("14 5 1996")."""
    parts = {"day": "14", "month": "5", "year": "1996"}
    return " ".join(parts[p] for p in date_order(lang))


def _coded_problem(fact: Fact, text: str, found: tuple[Option, ...], lang: str) -> str:
    if found:
        return translate(N_("More than one answer matches “%(words)s”: choose one of "
                            "%(answers)s."), lang) % {
            "words": text, "answers": "; ".join(o.label for o in found[:8])}
    if fact.kind == "code":
        return translate(N_("Nothing matches “%(words)s”. Try a shorter or more general "
                            "word, such as “engineering”."), lang) % {"words": text}
    if fact.kind == "country":
        return translate(N_("Nothing matches “%(words)s”. Type the country's name, for "
                            "example India."), lang) % {"words": text}
    return translate(N_("Choose one of the answers offered."), lang)


def problem_in_words(error: ProfileError, lang: str = "en") -> str:
    """What the rules' check found wrong with an answer, in the reader's words (never a
    validator's message), read from the fact's definition where it has bounds."""
    fact = definition(error.field)
    kind = error.kind
    if kind == "future":
        if fact is not None and fact.label:
            return translate(N_("%(label)s must be in the past."), lang) % {
                "label": translate(fact.label, lang)}
        return translate(N_("This date is in the future."), lang)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than") \
            and fact is not None and isinstance(error.limit, int | float):
        beyond = error.limit - 1 if kind.startswith("greater") else error.limit + 1
        return bounds_problem(fact, beyond, lang) or str(error.problem)
    if kind == "evidence_counts":
        return translate(N_("Your two counts of evidence do not fit together: the eight kinds "
                            "for the O-1A are among the ten for the EB-1A, so the O-1A count "
                            "is at most the EB-1A count and at least that count less two."),
                         lang)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return translate(N_("Enter a whole number, for example 4."), lang)
    if kind.startswith(("float", "int")):
        return translate(N_("Enter a number, for example 4 or 4.5."), lang)
    if kind.startswith("date"):
        return translate(N_("Enter a real date, for example %(example)s."), lang) % {
            "example": date_example(lang)}
    if kind.startswith("bool"):
        return translate(N_("Choose yes or no."), lang)
    if kind == "literal_error" or kind in ("string_pattern_mismatch", "string_type"):
        return translate(N_("Choose one of the answers offered."), lang)
    return str(error.problem)


# ---------------------------------------------------------------- values in words


def in_words(name: str, value: Any, lang: str = "en") -> str:
    """A fact's (or a registered answer's) value as a person reads it, in ``lang``:
    Yes/No, a date in the reader's locale, a country or a field by its name, a choice
    by its name, an amount with the reader's digit grouping, lists in sentences."""
    if value is None or value == "":
        return NOT_GIVEN
    fact = definition(name)
    kind = fact.kind if fact is not None else ""
    if isinstance(value, bool):
        return translate(YES if value else NO, lang)
    if kind == "degrees" and isinstance(value, list):
        return "; ".join(_degree(d, lang) for d in value if isinstance(d, dict))
    if kind == "employment_records" and isinstance(value, list):
        return "; ".join(_record(r, lang) for r in value if isinstance(r, dict))
    if kind == "date":
        return _date(value, lang)
    if fact is not None and kind in ("choice", "country", "code"):
        return _coded(fact, str(value), lang)
    if kind in NUMBER_KINDS:
        return number_in_words(value, lang)
    return str(value)


def _date(value: Any, lang: str) -> str:
    if isinstance(value, dt.date):
        return reader_date(value, lang)
    try:
        return reader_date(dt.date.fromisoformat(str(value)), lang)
    except ValueError:
        return str(value)  # kept as typed: the form reports it


def _coded(fact: Fact, value: str, lang: str) -> str:
    if fact.kind == "country":
        named = reference.country_name(value, lang)
        return f"{named} ({value})" if named else value
    if fact.kind == "code":
        named = reference.field_name(value, lang)
        return f"{value} {named}" if named else value
    label = next((o.label for o in fact.options if o.value == value), None)
    return translate(label, lang) if label else value


def number_in_words(value: Any, lang: str = "en") -> str:
    """A number with the reader's digit grouping (1,50,000 to an Indian reader)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return str(format_decimal(value, locale=reader_locale(lang)))


def _degree(degree: dict[str, Any], lang: str) -> str:
    level = str(degree.get("level"))
    parts = [next((translate(o.label, lang) for o in DEGREE_OPTIONS if o.value == level),
                  level)]
    if degree.get("field"):
        parts.append(_coded(FACTS_BY_NAME["degree_field"], str(degree["field"]), lang))
    recognised = degree.get("institution_recognised")
    if recognised is not None:
        parts.append(translate(RECOGNISED if recognised else NOT_RECOGNISED, lang))
    return ", ".join(parts)


def _record(record: dict[str, Any], lang: str) -> str:
    def amount(key: str) -> str:
        found = record.get(key)
        return NOT_GIVEN if found is None else number_in_words(found, lang)
    return (f"{record.get('year')}: {record.get('city') or NOT_GIVEN}, {amount('salary_cny')}"
            f" / {amount('income_tax_cny')}, {amount('months_in_china')}")


# ----------------------------------------------------------------------- sources


@cache
def sources(name: str, on: dt.date) -> tuple[dict[str, Any], ...]:
    """The citations of every criterion in force on ``on`` that reads ``name``: the
    law that says what counts for this fact (help text shows them beside it)."""
    from kvisa.rules.engine import decider

    found: dict[str, dict[str, Any]] = {}
    for compiled in decider(on).programmes:
        for cc in compiled.criteria:
            if name in cc.facts:
                citation = cc.criterion.citation.as_dict()
                found.setdefault(f"{citation['instrument']}|{citation['article']}", citation)
    return tuple(found.values())


def sources_in_words(name: str, on: dt.date, lang: str = "en") -> list[str]:
    """:func:`sources` as the reader cites them ("State Council Order No. 814, Art. 6");
    an article given as a long note is left out (help is no place for a paragraph)."""
    from kvisa.rules.labels import citation_text

    return list(dict.fromkeys(
        citation_text(c if len(c["article"]) <= 30 else {**c, "article": ""}, lang)
        for c in sources(name, on)))
