"""The answer when the file store cannot be reached: 503, with nothing lost.

An upload, an approval or a download that needs the store fails before its
state change commits (files are written first, rows after), so a 503 means
"nothing was done; try again" and the person's draft and answers stay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kvisa.filestore import StoreUnavailable

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class StoreOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, StoreUnavailable):
            return None
        log.error("file store unavailable: %s", exc)
        response = render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS},
                          status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
