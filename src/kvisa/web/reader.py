"""The reader's region, for the dates and numbers of one request.

A page is in English or Chinese (Django's LocaleMiddleware picks which), but an
Indian and an American reader of the same English page write dates and group
digits differently.  The region comes from the browser's Accept-Language: the
first tag in the page's language that names one (``en-IN`` → ``IN``).  Without
one, :mod:`kvisa.i18n` writes dates as CLDR's world English does (14 May 1996).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header

from kvisa.i18n import reset_reader_region, set_reader_region


def region_of(accept_language: str, page_language: str) -> str:
    """The region of the first accepted language that is the page's language ("" if none)."""
    wanted = page_language.split("-")[0].lower()
    for tag, _quality in parse_accept_lang_header(accept_language[:500]):
        parts = tag.replace("_", "-").split("-")
        if parts[0].lower() == wanted and len(parts) > 1 and len(parts[-1]) == 2 \
                and parts[-1].isalpha():
            return parts[-1].upper()
    return ""


class ReaderRegionMiddleware:
    """Sets the reader's region for the request (after LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        region = region_of(request.META.get("HTTP_ACCEPT_LANGUAGE", ""), get_language() or "en")
        token = set_reader_region(region)
        try:
            return self.get_response(request)
        finally:
            reset_reader_region(token)
