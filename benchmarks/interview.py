"""The guided comparison measured (issue 26): questions until the end, agreement with
``compare`` on the whole profile, and time per step.

Personas come from the synthetic population (:mod:`kvisa.population.synthetic`),
completed with seeded draws for the facts it leaves out (permanent-residence,
green-card and US-petition facts), so that each persona knows every fact a
person can be asked.  Each persona answers from its own profile; with
``--unknown SHARE`` it answers "I don't know" to that share of questions.

Prints the mean and maximum number of questions (pages) until ``next`` is null,
how many routes the personas who know everything leave undetermined, agreement
of the final verdicts with ``compare`` on the persona's whole profile (must be
100%), and the p50/p95 time of a step.  Targets for personas who know every
fact: no route left undetermined, mean ≤ 10 questions, maximum ≤ 15; p50 ≤ 10 ms.

Usage: ``uv run python benchmarks/interview.py [--personas 200] [--unknown 0.3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from typing import Any

from kvisa.pathways.compare import compare
from kvisa.pathways.interview import next_step, only_degree
from kvisa.population.synthetic import population
from kvisa.rules import reference as wages
from kvisa.rules.facts import FACTS

ON = dt.date(2026, 12, 1)


def _wage_options() -> list[float]:
    _, rows = wages.current()
    latest: dict[str, Any] = {}
    for row in rows:
        if row.year < ON.year and (row.city not in latest or row.year > latest[row.city].year):
            latest[row.city] = row
    return [float(r.average_wage_cny) for r in latest.values()]


def personas(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` whole profiles: the synthetic population's facts, then the rest drawn."""
    rng = random.Random(seed)
    frame = population(count, seed=seed, missing=0.0, on=ON)
    wage_values = _wage_options()
    people = []
    for row in frame.iter_rows(named=True):
        person = {k: v for k, v in row.items() if v is not None}
        for fact in FACTS:
            if fact.ask is None or fact.name in person or fact.kind == "degrees":
                continue
            person[fact.name] = _draw(fact, rng)
        person["local_urban_average_income_cny"] = rng.choice(wage_values)
        # one degree each, the one the synthetic facts describe ("no other degree")
        person["degrees"] = only_degree(person)
        # the O-1A's eight kinds of evidence are the EB-1A's ten less the two for the arts:
        # a person's two counts fit together (validate_profile refuses them otherwise)
        arts = rng.randint(0, min(2, person["eb1a_criteria_met"]))
        person["o1a_criteria_met"] = min(8, person["eb1a_criteria_met"] - arts)
        # a salary's tax is about a fifth of what is over the threshold: keep them coherent
        person["annual_income_tax_cny"] = round(max(0.0, person["annual_salary_cny"] - 60_000)
                                                * rng.uniform(0.05, 0.3), -2)
        people.append(person)
    return people


def _draw(fact: Any, rng: random.Random) -> Any:
    if fact.kind == "bool":
        return rng.random() < 0.2
    if fact.kind == "choice":
        return rng.choice(fact.choices)
    if fact.kind == "int":
        return rng.randint(int(fact.minimum or 0), int(fact.maximum or 10))
    if fact.kind in ("years", "months"):
        top = fact.maximum if fact.maximum is not None else 12
        return float(rng.randint(0, int(top)))
    if fact.kind == "money":
        return float(rng.choice((0, 0, 200_000, 800_000, 2_000_000)))
    raise ValueError(fact.name)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def run(person: dict[str, Any], unknown: float, rng: random.Random
        ) -> tuple[int, list[float], dict[str, str], dict[str, str]]:
    answers: dict[str, Any] = {}
    times = []
    questions = 0
    while True:
        start = time.perf_counter()
        step = next_step(answers, on=ON)
        times.append((time.perf_counter() - start) * 1000)
        if step.next is None:
            break
        questions += 1
        dont_know = rng.random() < unknown
        for name in step.next.facts:
            answers[name] = None if dont_know else _json(person.get(name))
    final = {r.route.key: r.verdict for r in step.routes()}
    whole = compare(person, on=ON, suggest_changes=False)
    expected = {r.route.key: r.verdict for r in whole.routes}
    return questions, times, final, expected


def naive_run(person: dict[str, Any]) -> int:
    """The plain greedy choice the issue compares with: one fact a page, the fact
    missing from most open routes, until no route waits for an askable fact."""
    from kvisa.rules.facts import FACTS_BY_NAME

    answers: dict[str, Any] = {}
    questions = 0
    while True:
        step = next_step(answers, on=ON)
        counts: dict[str, int] = {}
        for route in step.routes():
            if route.verdict != "undetermined":
                continue
            for name in route.missing:
                fact = FACTS_BY_NAME.get(name)
                if fact is not None and fact.ask is not None and name not in answers:
                    counts[name] = counts.get(name, 0) + 1
        if not counts:
            return questions
        name = max(counts, key=lambda n: (counts[n], n))
        answers[name] = _json(person.get(name))
        questions += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--personas", type=int, default=200)
    parser.add_argument("--unknown", type=float, default=0.0,
                        help="share of questions answered \"I don't know\"")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--naive", action="store_true",
                        help="also count the plain greedy choice's questions (slower)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    next_step({}, on=ON)  # compile the rules once, as a running service has
    counts, times, undetermined, agree, total = [], [], 0, 0, 0
    naive: list[int] = []
    for person in personas(args.personas, args.seed):
        if args.naive:
            naive.append(naive_run(person))
        questions, step_times, final, expected = run(person, args.unknown, rng)
        counts.append(questions)
        times += step_times
        undetermined += sum(1 for v in final.values() if v == "undetermined")
        total += len(final)
        if args.unknown == 0:
            agree += sum(1 for k, v in final.items() if expected.get(k) == v)
    times.sort()
    print(f"personas: {args.personas}, answering \"I don't know\" to {args.unknown:.0%}")
    print(f"questions until done: mean {statistics.mean(counts):.1f}, "
          f"max {max(counts)} (targets ≤ 10 and ≤ 15 when every fact is known)")
    print(f"routes left undetermined: {undetermined} of {total}")
    if naive:
        print(f"the plain greedy choice (fact missing from most routes, one a page): mean "
              f"{statistics.mean(naive):.1f}, max {max(naive)}")
    if args.unknown == 0:
        print(f"final verdicts agreeing with compare on the whole profile: "
              f"{agree}/{total} ({agree / total:.1%})")
    print(f"time per step: p50 {times[len(times) // 2]:.1f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.1f} ms over {len(times)} steps")


if __name__ == "__main__":
    main()
