"""Hostile inputs, built as a prober would, and a runner that bounds the machine.

``bounded(fn, memory_mb=…)`` runs ``fn`` in a child process under
``RLIMIT_AS``: a regression that renders a giant bitmap or expands a bomb
fails the test with MemoryError (or a dead child) instead of exhausting the
machine the suite runs on.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import time
from collections.abc import Callable
from typing import Any


def huge_page_pdf(pages: int = 5, size_pt: float = 5000.0) -> bytes:
    """A tiny PDF whose empty pages declare an enormous size (the /verify probe)."""
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(size_pt, size_pt))
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def _child(queue: Any, memory_mb: int, fn: Callable[..., Any], args: tuple[Any, ...]
           ) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.perf_counter()
    try:
        value = fn(*args)
        queue.put(("ok", value, time.perf_counter() - started,
                   resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    except BaseException as exc:
        queue.put(("error", f"{type(exc).__name__}: {exc}", time.perf_counter() - started,
                   resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def bounded(fn: Callable[..., Any], *args: Any, memory_mb: int = 1500, timeout: float = 60.0
            ) -> tuple[str, Any, float, int]:
    """(outcome, value or error text, seconds, peak RSS in KB) of ``fn(*args)`` in a
    bounded child.  The child is spawned, not forked (a fork of a process whose
    Polars/pdfium threads hold locks can hang), so ``fn`` is a module-level function."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue, memory_mb, fn, args))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return ("timeout", None, timeout, 0)
    if queue.empty():
        return ("died", child.exitcode, 0.0, 0)
    return queue.get()


def find_seal_outcome(data: bytes) -> str:
    """What /verify's reader makes of ``data``: "found" or the error it reports."""
    from kvisa.documents import evisa
    from kvisa.documents.errors import DocumentError

    try:
        evisa.find_seal(data)
    except DocumentError as exc:
        return str(exc)
    return "found"
