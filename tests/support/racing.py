"""Processes that start one thing at the same instant, as workers of a new service do."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any


def _at_the_signal(barrier: Any, answers: Any, action: Callable[[], Any]) -> None:
    barrier.wait()
    answers.put(action())


def race(action: Callable[[], Any], racers: int = 8) -> list[Any]:
    """Run ``action`` in ``racers`` forked processes released together; their answers.

    Forked, so the test's settings and environment go along; every process must exit
    cleanly (an exception in one fails the test).
    """
    context = multiprocessing.get_context("fork")
    barrier, answers = context.Barrier(racers), context.Queue()
    processes = [context.Process(target=_at_the_signal, args=(barrier, answers, action))
                 for _ in range(racers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return [answers.get(timeout=5) for _ in range(racers)]
