"""Ask only what decides: the next question of a guided comparison, from the rules.

Given the answers so far (``None`` = "I don't know"), the interview weighs every
fact a person can answer (:attr:`kvisa.rules.facts.Fact.ask`) that an open route
still reads: it tries the fact's possible answers on the row engine and counts
how many open routes each answer would decide and how many of their criteria it
would settle.  The question with the best average wins; ties go to what a person
most likely knows, then to the vocabulary's order, so the choice is deterministic.
Yes/no facts that share a ``group`` are asked together ("select all that apply").

When no answer can change a verdict any more, facts that a cost or a time of an
open route still waits for are asked (the US employer's size decides a fee).
Then the interview ends: ``next`` is None.

Pure Python, no Django: the page, ``POST /api/v1/pathways/interview`` and
``kvisa interview`` all print :meth:`Step.as_dict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import language, pick, punctuation, translate
from kvisa.pathways.compare import Comparison, RouteResult, compare
from kvisa.pathways.routes import ROUTES, Route
from kvisa.rules import fact_text
from kvisa.rules import reference as wages
from kvisa.rules.engine import Decider, decider
from kvisa.rules.errors import ProfileError
from kvisa.rules.facts import FACTS, FACTS_BY_NAME, GROUPS, Fact, validate_profile
from kvisa.rules.row_engine import kleene_all

ROUTE_WEIGHT = 10
"""A route decided counts as ten of its criteria settled: deciding routes is the goal,
settling criteria is progress towards it (some routes need two answers together)."""

MAX_ANSWERS = 80
"""More answers than there are facts is not an interview."""

ASKABLE: tuple[Fact, ...] = tuple(f for f in FACTS if f.ask is not None)

SETTLING = (N_("Which of these are true?"),
            N_("They decide what the routes open to you cost, or their odds."))
"""The page of yes/no facts from several groups that costs or odds still wait for."""


@dataclass(frozen=True)
class Option:
    value: Any
    label: str

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True)
class Question:
    """One page: one fact, or several yes/no facts asked together (``select_all``)."""

    facts: tuple[str, ...]
    kind: str
    """The fact's kind (:data:`kvisa.rules.facts.Kind`: bool, choice, country, code, date,
    int, years, money, months), or the shape of a question that is not one fact's:
    ``select_all`` (several yes/no facts), ``other_degrees``, ``city`` (a city stands
    for its average wage)."""
    text: str
    help: str
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"facts": list(self.facts), "question": self.text, "help": self.help,
                "kind": self.kind, "options": [o.as_dict() for o in self.options],
                "minimum": self.minimum, "maximum": self.maximum}


@dataclass
class Step:
    """Where an interview stands: the next question (None when done), why it is
    asked, how many questions have been answered, and every route as it stands."""

    next: Question | None
    reason: str
    asked: int
    comparison: Comparison
    answers: dict[str, Any]
    lang: str = "en"

    def routes(self) -> list[RouteResult]:
        return self.comparison.routes

    def as_dict(self) -> dict[str, Any]:
        return {
            "next": self.next.as_dict() if self.next else None, "reason": self.reason,
            "asked": self.asked, "as_of": self.comparison.as_of.isoformat(),
            "routes": [{"programme": r.route.programme, "route": r.route.key,
                        "name": translate(r.route.name, self.lang),
                        "verdict": r.verdict, "status": r.status, "missing": r.missing,
                        "totals": r.as_dict()["totals"]} for r in self.comparison.routes]}


# ----------------------------------------------------------------- the rules, as routes


@dataclass(frozen=True)
class _RouteShape:
    route: Route
    verdict_of: tuple[str, ...]   # criteria/groups whose Kleene AND is the route's verdict
    criteria: tuple[str, ...]     # every criterion the route rests on
    reads: frozenset[str]         # facts those criteria read


def _shapes(rules: Decider) -> tuple[_RouteShape, ...]:
    shapes = []
    for route in ROUTES:
        cp = next(c for c in rules.programmes if c.programme.id == route.programme)
        ids = {cc.criterion.id for cc in cp.criteria} | {g.id for g in cp.groups}
        if route.group is not None and route.group not in ids:
            continue  # a draft route, not evaluated
        prefix = f"{route.programme}.route"
        if route.group is None:
            mine = list(cp.criteria)
            verdict_of: tuple[str, ...] = (route.programme,)
        else:
            shared = [cc for cc in cp.criteria if not cc.route.startswith(prefix)]
            own = [cc for cc in cp.criteria
                   if cc.route.startswith(route.group) or cc.criterion.id == route.group]
            mine = shared + own
            verdict_of = (*(cc.criterion.id for cc in shared), route.group)
        shapes.append(_RouteShape(route, verdict_of, tuple(cc.criterion.id for cc in mine),
                                  frozenset(f for cc in mine for f in cc.facts)))
    return tuple(shapes)


@lru_cache(maxsize=32)
def _rules(on: dt.date) -> tuple[Decider, tuple[_RouteShape, ...], dict[str, tuple[str, ...]]]:
    rules = decider(on)
    reads = {cc.criterion.id: cc.facts for cp in rules.programmes for cc in cp.criteria}
    return rules, _shapes(rules), reads


def _verdict(shape: _RouteShape, values: dict[str, bool | None]) -> bool | None:
    return kleene_all([values[node] for node in shape.verdict_of])


# ----------------------------------------------------------------------- answers


def typed_answers(answers: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """The facts answered, typed ("I don't know" leaves a fact out, as the rules read
    an absent fact); a bad answer raises ProfileError."""
    if not isinstance(answers, dict):
        raise ProfileError("answers", "must be an object of fact: value or null")
    if len(answers) > MAX_ANSWERS:
        raise ProfileError("answers", f"at most {MAX_ANSWERS} answers")
    unknown_fact = next((k for k in answers if k not in FACTS_BY_NAME), None)
    if unknown_fact is not None:
        raise ProfileError(unknown_fact, "unknown fact (see `kvisa schema` for the vocabulary)")
    given = {k: v for k, v in answers.items() if v is not None}
    return validate_profile(given, today=on)


# ----------------------------------------------------------------------- questions


def _probes(fact: Fact, on: dt.date) -> tuple[Any, ...]:
    assert fact.ask is not None
    if fact.kind == "bool":
        return (True, False)
    if fact.kind == "choice":
        return fact.choices
    if fact.kind == "date":  # ages, as dates of birth on the day
        return tuple(_birthday(on, age) for age in fact.ask.probes)
    if fact.kind == "code":
        return ("0613", "0311")  # one science field, one not
    if fact.kind == "country":
        return ("IND", "CHN", "USA")
    return tuple(float(p) if fact.kind in ("years", "money", "months") else p
                 for p in fact.ask.probes)


def _birthday(on: dt.date, age: int) -> dt.date:
    try:
        return on.replace(year=on.year - age) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return on.replace(year=on.year - age, day=28) - dt.timedelta(days=1)


@dataclass(frozen=True)
class _Candidate:
    facts: tuple[str, ...]
    trials: tuple[dict[str, Any], ...]
    known: int
    order: int


def _lead(name: str, answered: set[str]) -> str:
    """The fact to ask first for ``name``: the one it follows up, while unanswered
    ("that investment" is asked after "how much have you invested")."""
    fact = FACTS_BY_NAME[name]
    while fact.ask is not None and fact.ask.after and fact.ask.after not in answered:
        fact = FACTS_BY_NAME[fact.ask.after]
    return fact.name


def follow_ups(names: Iterable[str]) -> set[str]:
    """Facts asked as follow-ups of ``names``, directly or through another follow-up:
    their answers no longer hold when an answer to ``names`` changes."""
    changed = set(names)
    found: set[str] = set()
    grew = True
    while grew:
        grew = False
        for fact in ASKABLE:
            assert fact.ask is not None
            if fact.ask.after and fact.ask.after in changed | found and fact.name not in found:
                found.add(fact.name)
                grew = True
    return found - changed


def only_degree(facts: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The ``degrees`` list of someone whose one degree is the one they described
    (the "no other degree" answer), or None while its level is not known."""
    level = facts.get("highest_degree")
    if level not in ("bachelor", "master", "doctorate"):
        return None
    return [{"level": level, "field": facts.get("degree_field"),
             "institution_recognised": facts.get("degree_institution_recognised")}]


def _candidates(wanted: set[str], on: dt.date, answered: set[str],
                facts: dict[str, Any]) -> list[_Candidate]:
    """Each askable fact in ``wanted`` as its own question, or its group's."""
    wanted = {_lead(name, answered) for name in wanted} - answered
    found: list[_Candidate] = []
    grouped: dict[str, list[Fact]] = {}
    for order, fact in enumerate(ASKABLE):
        if fact.name not in wanted:
            continue
        assert fact.ask is not None
        if fact.kind == "degrees":  # "apart from that degree": once it is described
            only = only_degree(facts)
            described = {"degree_field", "degree_institution_recognised"} <= answered
            if only is not None and described:
                found.append(_Candidate(("degrees",), ({"degrees": only},), fact.ask.known,
                                        order))
            continue
        if fact.ask.group:
            grouped.setdefault(fact.ask.group, []).append(fact)
            continue
        found.append(_Candidate((fact.name,), tuple({fact.name: v} for v in _probes(fact, on)),
                                fact.ask.known, order))
    for members in grouped.values():
        names_ = tuple(f.name for f in members)
        known = min(f.ask.known for f in members if f.ask)
        order = min(ASKABLE.index(f) for f in members)
        if len(members) == 1:
            trials: tuple[dict[str, Any], ...] = ({names_[0]: True}, {names_[0]: False})
        else:  # none, all, and each one alone: what a person's ticks most often look like
            trials = ({n: False for n in names_}, {n: True for n in names_},
                      *({n: n == one for n in names_} for one in names_))
        found.append(_Candidate(names_, trials, known, order))
    return found


def _open_routes(shapes: Sequence[_RouteShape], values: dict[str, bool | None],
                 interest: set[str] | None) -> list[_RouteShape]:
    return [s for s in shapes if _verdict(s, values) is None and (
        interest is None or s.route.key in interest or s.route.programme in interest)]


def _best(candidates: list[_Candidate], facts: dict[str, Any], open_: list[_RouteShape],
          rules: Decider, values: dict[str, bool | None]
          ) -> tuple[_Candidate | None, list[_RouteShape], list[_RouteShape]]:
    """The candidate whose answers decide most on average; the routes it can decide,
    and the routes whose criteria it settles (progress when none is decided alone)."""
    best: tuple[tuple[float, int, int], _Candidate, list[_RouteShape], list[_RouteShape]] | None
    best = None
    for candidate in candidates:
        total = 0
        decides: list[_RouteShape] = []
        settles: list[_RouteShape] = []
        for trial in candidate.trials:
            after = rules({**facts, **trial})
            for shape in open_:
                if _verdict(shape, after) is not None:
                    total += ROUTE_WEIGHT
                    if shape not in decides:
                        decides.append(shape)
                settled = sum(1 for c in shape.criteria
                              if values[c] is None and after[c] is not None)
                total += settled
                if settled and shape not in settles:
                    settles.append(shape)
        key = (total / len(candidate.trials), -candidate.known, -candidate.order)
        if best is None or key > best[0]:
            best = (key, candidate, decides, settles)
    if best is None or best[0][0] == 0:
        return None, [], []
    return best[1], best[2], best[3]


def question_for(facts: Iterable[str], on: dt.date, lang: str = "en",
                 answers: dict[str, Any] | None = None) -> Question:
    """The question that asks ``facts`` (one fact, or a select-all group's members), as
    the interview asks it given ``answers``: for Back and Change, which show it again."""
    names_ = tuple(facts)
    unknown = [n for n in names_ if n not in FACTS_BY_NAME or FACTS_BY_NAME[n].ask is None]
    if not names_ or unknown:
        raise ProfileError(unknown[0] if unknown else "facts", "not a question the interview asks")
    given = {k: v for k, v in (answers or {}).items() if k != "degrees"}
    return _question(names_, on, language(lang), given)


def _question(candidate_facts: tuple[str, ...], on: dt.date, lang: str,
              facts: dict[str, Any] | None = None) -> Question:
    if len(candidate_facts) > 1:
        first = FACTS_BY_NAME[candidate_facts[0]]
        assert first.ask is not None
        groups = {FACTS_BY_NAME[n].ask.group for n in candidate_facts}  # type: ignore[union-attr]
        text, help_ = GROUPS[first.ask.group] if len(groups) == 1 else SETTLING
        options = tuple(Option(n, translate(FACTS_BY_NAME[n].ask.statement, lang))  # type: ignore[union-attr]
                        for n in candidate_facts)
        return Question(candidate_facts, "select_all", translate(text, lang),
                        translate(help_, lang), options)
    fact = FACTS_BY_NAME[candidate_facts[0]]
    assert fact.ask is not None
    text, help_ = translate(fact.ask.question, lang), translate(fact.ask.help, lang)
    if fact.kind == "degrees":
        only = only_degree(facts or {})
        return Question((fact.name,), "other_degrees", text, help_, (
            Option(only, translate("No, only that one", lang)),
            Option(None, translate("Yes (the application asks for each)", lang))))
    kind, options = _kind_and_options(fact, on, lang)
    return Question((fact.name,), kind, text, help_, options, fact.minimum, fact.maximum)


def _kind_and_options(fact: Fact, on: dt.date, lang: str) -> tuple[str, tuple[Option, ...]]:
    """The question's kind — the fact's own, in the facts' one vocabulary — and its
    answers, named as every form names them (:mod:`kvisa.rules.fact_text`).  A city
    stands for the local average wage, which kvisa looks up."""
    if fact.name == "local_urban_average_income_cny":
        return "city", _city_options(on, lang)
    if fact.kind == "bool":
        return "bool", tuple(Option(o.value == "true", o.label)
                             for o in fact_text.yes_no(fact, lang))
    return fact.kind, tuple(Option(o.value, o.label) for o in fact_text.options(fact, lang))


def _city_options(on: dt.date, lang: str) -> tuple[Option, ...]:
    """Each city of the wage table, worth its average wage of the year before ``on``
    (the latest earlier year where that one is not in the table yet)."""
    options = []
    _, rows = wages.current()
    for city, city_zh in wages.cities():
        years = sorted((r for r in rows if r.city == city and r.year < on.year),
                       key=lambda r: r.year)
        if not years:
            continue
        row = years[-1]
        label = translate("%(city)s (average wage %(year)s: %(amount)s CNY, %(status)s)", lang) % {
            "city": pick({"en": city, "zh": city_zh}, lang), "year": row.year,
            "amount": f"{row.average_wage_cny:,.0f}",
            "status": translate("reported" if row.status == "reported" else "official", lang)}
        options.append(Option(float(row.average_wage_cny), label))
    return tuple(options)


def _reason(decides: Iterable[_RouteShape], lang: str, *, together: bool = False,
            settles: bool = False) -> str:
    listed = punctuation("separator", lang).join(dict.fromkeys(
        translate(s.route.name, lang) for s in decides))
    if settles:
        return translate("Asked because it settles what these routes cost or take: "
                         "%(routes)s.", lang) % {"routes": listed}
    if together:
        return translate("Asked because, with other answers, it can decide: %(routes)s.",
                         lang) % {"routes": listed}
    return translate("Asked because it can decide: %(routes)s.", lang) % {"routes": listed}


N_("%(city)s (average wage %(year)s: %(amount)s CNY, %(status)s)")
N_("Asked because it settles what these routes cost or take: %(routes)s.")
N_("Asked because, with other answers, it can decide: %(routes)s.")
N_("Asked because it can decide: %(routes)s.")
N_("reported")
N_("No, only that one")
N_("Yes (the application asks for each)")
N_("official")


# ----------------------------------------------------------------------- the step


def next_step(answers: dict[str, Any], *, on: dt.date | None = None, lang: str = "en",
              routes: Iterable[str] | None = None) -> Step:
    """The next question for ``answers`` (or None), why, and every route as it stands.

    ``routes`` limits the routes the questions try to decide (route keys or
    programme ids); every route is still reported.  Raises ProfileError on a bad
    answer, as :func:`~kvisa.pathways.compare.compare` does.
    """
    on = on or dt.date.today()
    lang = language(lang)
    facts = typed_answers(answers, on)
    interest = set(routes) if routes is not None else None
    if interest is not None:
        known_keys = {r.key for r in ROUTES} | {r.programme for r in ROUTES}
        strange = sorted(interest - known_keys)
        if strange:
            raise ProfileError("routes", f"unknown route {strange[0]!r}")
    rules, shapes, reads = _rules(on)
    values = rules(facts)
    open_ = _open_routes(shapes, values, interest)
    answered = set(answers)
    question: Question | None = None
    reason = ""
    if open_:
        wanted = {f for shape in open_ for c in shape.criteria if values[c] is None
                  for f in reads[c]} - answered
        candidates = _candidates(wanted, on, answered, facts)
        chosen, decides, settles = _best(candidates, facts, open_, rules, values)
        if chosen is not None:
            question = _question(chosen.facts, on, lang, facts)
            reason = _reason(decides or settles, lang, together=not decides)
        elif candidates:  # no one answer decides alone; answers together may
            fallback = min(candidates, key=lambda c: (c.known, c.order))
            question = _question(fallback.facts, on, lang, facts)
            # the routes that read it, or what it leads to ("that investment")
            leads = set(fallback.facts) | follow_ups(fallback.facts)
            reason = _reason([s for s in open_ if leads & s.reads] or open_, lang,
                             together=True)
    # Suggestions (what would change a verdict) belong to the result page, which asks
    # for them once; a step only reports where each route stands.
    comparison = compare(facts, on=on, suggest_changes=False)
    if question is None:
        question, reason = _settling_question(comparison, answered, on, lang, interest, facts)
    return Step(question, reason, len(answered), comparison, dict(answers), lang)


def _settling_question(comparison: Comparison, answered: set[str], on: dt.date, lang: str,
                       interest: set[str] | None, typed: dict[str, Any]
                       ) -> tuple[Question | None, str]:
    """A fact that a cost or the odds of a route open to the person waits for (an
    output such as the work-permit category letter is settled by the application)."""
    waiting: dict[str, list[RouteResult]] = {}
    for result in comparison.routes:
        if result.verdict != "eligible" or (interest is not None and not (
                {result.route.key, result.route.programme} & interest)):
            continue
        pending = [f for cost in result.costs for f in cost.depends_on]
        pending += (result.odds or {}).get("depends_on", [])
        for name in dict.fromkeys(pending):
            fact = FACTS_BY_NAME.get(name)
            if fact is not None and fact.ask is not None and name not in answered:
                waiting.setdefault(name, []).append(result)
    candidates = _candidates(set(waiting), on, answered, typed) if waiting else []
    if not candidates:
        return None, ""
    chosen = min(candidates, key=lambda c: (-sum(len(waiting.get(f, ())) for f in c.facts),
                                            c.known, c.order))
    yes_no = tuple(f.name for f in ASKABLE if f.kind == "bool" and f.name in waiting
                   and _lead(f.name, answered) == f.name)
    if set(chosen.facts) <= set(yes_no):  # every yes/no fact a cost waits for, on one page
        chosen = replace(chosen, facts=yes_no)
    routes = [r for f in chosen.facts for r in waiting.get(f, [])]
    shapes = [_RouteShape(r.route, (), (), frozenset()) for r in routes]
    return _question(chosen.facts, on, lang, typed), _reason(shapes, lang, settles=True)
