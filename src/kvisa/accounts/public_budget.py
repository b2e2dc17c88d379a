"""What one address may ask of the public endpoints, and how long one request may run.

The public endpoints (rule check, pathway comparison, seal verification) need
no account, so an address is all there is to count.  The budget lives in the
database (:func:`kvisa.accounts.throttle.allow`), so every worker process and
every node behind a balancer share it; over budget is ``429 Too Many
Requests`` with ``Retry-After``.

Bounding the input bounds the work, but a request that still runs long (a
pathological file, a slow machine) stops itself after ``KVISA_PUBLIC_DEADLINE``
seconds with a clear error instead of waiting for gunicorn's timeout to kill
the worker.  The deadline is a SIGALRM timer, so it applies where requests run
on the main thread (gunicorn's sync workers, which ``kvisa serve`` uses); in a
threaded development server it is a no-op.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kvisa.accounts.throttle import allow, client_address


@dataclass(frozen=True)
class Budget:
    scope: str
    limit: int
    per_seconds: int


def budget(scope: str) -> Budget:
    """The budget of one public scope, from settings (so an operator can tune it)."""
    limit, per = settings.KVISA_PUBLIC_BUDGETS[scope]
    return Budget(scope, int(limit), int(per))


def retry_after(request: HttpRequest, scope: str) -> int | None:
    """Count this request against its address; seconds to wait when over budget, else None."""
    item = budget(scope)
    if allow(f"public.{scope}", client_address(request), limit=item.limit,
             per_seconds=item.per_seconds):
        return None
    return max(1, item.per_seconds - int(time.time()) % item.per_seconds)


class DeadlineExceeded(Exception):
    """A public request ran past its deadline and stopped itself."""


@contextlib.contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    """Raise :class:`DeadlineExceeded` in the block once ``seconds`` have passed."""
    seconds = settings.KVISA_PUBLIC_DEADLINE if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DeadlineExceeded(f"the request took longer than {seconds:g} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def too_many_page(request: HttpRequest, wait: int) -> HttpResponse:
    """The 429 page for a public page over its budget, in the reader's language."""
    response = render(request, "429.html", {"retry_after": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response
