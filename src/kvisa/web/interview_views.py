"""/pathways as a guided interview (GOV.UK question pages): one question a page,
"I don't know" always offered, Back, a check-answers page with Change links, and
a result page that groups the routes.

Every page is a form: the answers so far travel in a hidden field (JSON), never
in the address (a date of birth in a URL ends up in logs), and nothing needs
JavaScript.  The questions are :func:`kvisa.pathways.interview.next_step`'s,
the same as the API's and the CLI's.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvisa.accounts import public_budget
from kvisa.casework.service_programmes import default_programme, service_for
from kvisa.i18n import language, punctuation, translate
from kvisa.pathways.chart import cost_time_svg
from kvisa.pathways.interview import (
    MAX_ANSWERS,
    Question,
    Step,
    follow_ups,
    next_step,
    question_for,
    typed_answers,
)
from kvisa.pathways.present import route_text
from kvisa.rules import ProfileError, RulesError, fact_text
from kvisa.rules.facts import FACTS_BY_NAME
from kvisa.rules.labels import verdict_label

MAX_STATE_BYTES = 20_000
"""Answers to every fact fit in a few kilobytes; more is not an interview's state."""


class _State:
    """The interview so far: answers, and the questions in the order they were asked
    (for Back and for the check-answers page)."""

    def __init__(self, answers: dict[str, Any], history: list[list[str]]) -> None:
        self.answers = answers
        self.history = history

    @classmethod
    def read(cls, data: Any) -> _State:
        raw = str(data.get("state", ""))
        try:
            state = json.loads(raw) if raw and len(raw) <= MAX_STATE_BYTES else {}
        except ValueError:
            state = {}
        answers = state.get("answers") if isinstance(state, dict) else None
        history = state.get("history") if isinstance(state, dict) else None
        if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
            answers = {}
        if not isinstance(history, list) or not all(
                isinstance(h, list) and all(isinstance(f, str) for f in h) for h in history):
            history = [[f] for f in answers]
        return cls(answers, [h for h in history if set(h) <= set(answers)])

    def dump(self) -> str:
        return json.dumps({"answers": self.answers, "history": self.history},
                          ensure_ascii=False, separators=(",", ":"))

    def without(self, facts: list[str]) -> _State:
        return _State({k: v for k, v in self.answers.items() if k not in facts},
                      [h for h in self.history if h != facts])


def _lang() -> str:
    return language(get_language())


def interview(request: HttpRequest) -> HttpResponse:
    """GET: the first question.  POST: an answer (or Back, Change, "I don't know")."""
    on = dt.date.today()
    lang = _lang()
    if request.method != "POST":
        return _question_page(request, _State({}, []), next_step({}, on=on, lang=lang))
    wait = public_budget.retry_after(request, "compute")
    if wait is not None:
        return public_budget.too_many_page(request, wait)
    state = _State.read(request.POST)
    try:
        step = next_step(state.answers, on=on, lang=lang)
    except (ProfileError, RulesError):  # a tampered state: start again, say nothing lost
        state, step = _State({}, []), next_step({}, on=on, lang=lang)
    if "back" in request.POST and state.history:
        last = state.history[-1]
        earlier = state.without(last)
        return _question_page(request, earlier, next_step(earlier.answers, on=on, lang=lang),
                              question=question_for(last, on, lang, earlier.answers),
                              values=state.answers)
    if "change" in request.POST:
        facts = [f for f in str(request.POST["change"]).split(",") if f in state.answers]
        if not facts:
            return _check_page(request, state, step, lang)
        return _question_page(request, state, step,
                              question=question_for(facts, on, lang, state.answers),
                              values=state.answers, changing=True)
    if "results" in request.POST:
        return _result_page(request, state, on, lang)
    asking = [f for f in str(request.POST.get("asking", "")).split(",") if f]
    if not asking:
        return _question_page(request, state, step)
    question = question_for(asking, on, lang, state.answers)
    given, problem, search = _answer(question, request.POST)
    if problem or search is not None:
        return _question_page(request, state, step, question=question, problem=problem,
                              search=search, values=request.POST,
                              changing="changing" in request.POST,
                              status=422 if problem else 200)
    stale = follow_ups(asking) if "changing" in request.POST else set()
    kept = {k: v for k, v in state.answers.items() if k not in stale}
    trial = _State({**kept, **given}, [h for h in state.history if h != asking
                                        and not set(h) & stale] + [asking])
    try:
        step = next_step(trial.answers, on=on, lang=lang)
    except ProfileError as exc:
        return _question_page(request, state, step, question=question,
                              problem=fact_text.problem_in_words(exc, _lang()),
                              values=request.POST,
                              changing="changing" in request.POST, status=422)
    if "changing" in request.POST or step.next is None:
        return _check_page(request, trial, step, lang)
    return _question_page(request, trial, step)


def _answer(question: Question, data: Any) -> tuple[dict[str, Any], str, str | None]:
    """(answers, problem, search words) from one question page's form."""
    facts = list(question.facts)
    if "dont_know" in data:
        return dict.fromkeys(facts), "", None
    if question.kind == "code" and "find" in data:
        return {}, "", str(data.get("search", "")).strip()
    if question.kind == "select_all":
        ticked = set(data.getlist("answer"))
        if "none" in ticked and len(ticked) > 1:
            return {}, _("Tick “None of these” on its own, or only the ones that apply."), None
        if not ticked:
            return {}, _("Tick all that apply, or “None of these”."), None
        return {f: f in ticked for f in facts}, "", None
    raw = fact_text.posted(data, "answer")
    if not raw:
        if not question.options:
            return {}, _("Enter an answer, or choose “I don't know”."), None
        return {}, _("Choose an answer, or “I don't know”."), None
    if question.options:
        chosen = [o.value for i, o in enumerate(question.options)
                  if _option_text(question, i) == raw]
        if not chosen:
            return {}, _("Choose one of the answers offered."), None
        return {facts[0]: chosen[0]}, "", None
    try:
        return {facts[0]: fact_text.read(FACTS_BY_NAME[facts[0]], raw, _lang())}, "", None
    except fact_text.AnswerProblem as problem:
        return {}, problem.message, None


def _option_text(question: Question, index: int) -> str:
    """An option's value in the form: the answer itself, or for a list-valued question
    (another degree?) its position."""
    if question.kind == "other_degrees":
        return str(index)
    return _as_text(question.options[index].value)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _running(step: Step) -> dict[str, str]:
    """Route names by verdict, in a sentence's list, for the summary beside each question."""
    lang = step.lang
    found: dict[str, list[str]] = {"eligible": [], "undetermined": [], "not_eligible": []}
    for result in step.routes():
        name = translate(result.route.name, lang)
        found.setdefault(result.verdict, []).append(name)
    return {verdict: punctuation("separator", lang).join(names)
            for verdict, names in found.items()}


def _question_page(request: HttpRequest, state: _State, step: Step, *,
                   question: Question | None = None, problem: str = "",
                   search: str | None = None, values: Any = None, changing: bool = False,
                   status: int = 200) -> HttpResponse:
    question = question or step.next
    if question is None:
        return _check_page(request, state, step, _lang())
    options = [{"value": _option_text(question, i), "label": o.label}
               for i, o in enumerate(question.options)]
    current = _current(question, values if values is not None else {})
    if question.kind == "code":
        chosen = current.get("answer", "")
        found = {o.value for o in fact_text.find(FACTS_BY_NAME[question.facts[0]],
                                                 search or "", _lang())}
        options = [o for o in options if o["value"] in found or o["value"] == chosen]
    return render(request, "pathways/question.html", {
        "question": question, "options": options, "problem": problem, "search": search or "",
        "current": current, "state": state.dump(), "asked": len(state.history) + 1,
        "reason": step.reason if question == step.next else "",
        "running": _running(step), "can_go_back": bool(state.history) and not changing,
        "changing": changing}, status=status)


def _current(question: Question, values: Any) -> dict[str, Any]:
    """What the form shows as already chosen (an earlier answer, or what was sent)."""
    if hasattr(values, "getlist"):  # the form just sent
        return {"answer": fact_text.posted(values, "answer"),
                "ticked": set(values.getlist("answer"))}
    if question.kind == "select_all":
        return {"ticked": {f for f in question.facts if values.get(f) is True}}
    value = values.get(question.facts[0])
    if question.kind == "other_degrees":
        shown = "" if question.facts[0] not in values else ("0" if value else "1")
        return {"answer": shown, "ticked": set()}
    return {"answer": "" if value is None else _as_text(value), "ticked": set()}


def _check_page(request: HttpRequest, state: _State, step: Step, lang: str) -> HttpResponse:
    rows = []
    for facts in state.history:
        question = question_for(facts, step.comparison.as_of, lang, state.answers)
        rows.append({"question": question.text, "answer": _answer_words(question, state, lang),
                     "change": ",".join(facts)})
    return render(request, "pathways/check.html", {
        "rows": rows, "state": state.dump(), "running": _running(step),
        "finished": step.next is None})


def _answer_words(question: Question, state: _State, lang: str) -> str:
    labels = {_as_text(o.value): o.label for o in question.options}
    if question.kind == "select_all":
        if all(state.answers.get(f) is None for f in question.facts):
            return _("I don't know")
        ticked = [labels.get(f, f) for f in question.facts if state.answers.get(f) is True]
        return punctuation("semicolon", lang).join(ticked) if ticked else _("None of these")
    value = state.answers.get(question.facts[0])
    if question.kind == "other_degrees":
        return question.options[0].label if value else _("Yes, or not sure")
    if value is None:
        return _("I don't know")
    return labels.get(_as_text(value), _as_text(value))


GROUPS = ("eligible", "could", "undetermined", "not_eligible")


def _result_page(request: HttpRequest, state: _State, on: dt.date, lang: str) -> HttpResponse:
    from kvisa.pathways.compare import compare

    try:
        comparison = compare(typed_answers(state.answers, on), on=on)
    except (ProfileError, RulesError):
        return _question_page(request, _State({}, []), next_step({}, on=on, lang=lang))
    from kvisa.casework import enquiry_counts
    from kvisa.casework.models import EnquiryCount

    nationality = state.answers.get("nationality")
    enquiry_counts.record(EnquiryCount.INTERVIEW,
                     nationality=nationality if isinstance(nationality, str) else None,
                     routes_open=[r.route.key for r in comparison.routes
                                  if r.verdict == "eligible"])
    grouped: dict[str, list[Any]] = {g: [] for g in GROUPS}
    chart = []
    for route in comparison.routes:
        group = "could" if route.verdict == "not_eligible" and route.changes else route.verdict
        grouped[group].append((route, route_text(route, lang)))
        totals = route.totals
        usd, cny = totals.get("USD", {}), totals.get("CNY", {})
        chart.append({"name": route.route.name,
                      "verdict": route.verdict, "verdict_label": verdict_label(route.verdict, lang),
                      "usd": float(usd.get("certain", 0)), "usd_up_to": float(usd.get("up_to", 0)),
                      "cny": float(cny.get("certain", 0)),
                      "days": (route.processing_days or {}).get("max"),
                      "odds": (route.odds or {}).get("probability")})
    wide, unplaced = cost_time_svg(chart, lang)
    narrow, _unplaced = cost_time_svg(chart, lang, narrow=True)
    apply_to = service_for(default_programme())
    own = [r for r in comparison.routes if apply_to and r.route.programme == apply_to.programme]
    return render(request, "pathways/result.html", {
        "groups": [(g, grouped[g]) for g in GROUPS if grouped[g]], "state": state.dump(),
        "as_of": comparison.as_of, "chart_wide": wide, "chart_narrow": narrow,
        "unplaced": punctuation("separator", lang).join(unplaced),
        "prefill": _prefill(state.answers),
        "apply": apply_to,
        "apply_open": any(r.verdict != "not_eligible" for r in own)})


def _prefill(answers: dict[str, Any]) -> dict[str, str]:
    """The answers an application form asks too, as its fields expect them."""
    return {name: _as_text(value) for name, value in answers.items() if value is not None}


def apply(request: HttpRequest) -> HttpResponse:
    """"Start an application with these answers": keep the answers in the session and
    go to the application's start, through sign-in (and registration) when needed."""
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import redirect
    from django.urls import reverse

    from kvisa.rules.facts import FACTS_BY_NAME

    if request.method != "POST":
        return redirect("pathways")
    programme = str(request.POST.get("programme", ""))
    if service_for(programme) is None:  # the service takes no applications for it
        programme = default_programme()
    prefill = {k: str(v)[:200] for k, v in request.POST.items() if k in FACTS_BY_NAME}
    request.session["pending_start"] = {"programme": programme, "prefill": prefill}
    if request.user.is_authenticated:
        return redirect("portal:start")
    return redirect_to_login(reverse("portal:start"))
