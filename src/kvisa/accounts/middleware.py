"""Request ids for the audit log, and the second factor every staff role must pass."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kvisa.logs import REQUEST_ID

SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
ALLOWED_WITHOUT_SECOND_FACTOR = ("/accounts/second-factor", "/accounts/logout", "/static/",
                                 "/i18n/", "/verify", "/pathways")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-Id", "")
        # a caller's id is kept only if it is a plain token (it goes into logs and audit)
        request.request_id = given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request.request_id)  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response["X-Request-Id"] = request.request_id  # type: ignore[attr-defined]
        return response


class StaffSecondFactorMiddleware:
    """Staff who logged in with a password alone see only the TOTP page until verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "is_staff_role", False)
                and not user.is_verified()
                and not request.path.startswith("/api/")
                and not request.path.startswith(ALLOWED_WITHOUT_SECOND_FACTOR)):
            target = reverse("accounts:second_factor")
            if request.method == "GET" and request.path != "/":
                # where the person was going survives the second factor
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'")


class ContentSecurityPolicyMiddleware:
    """Pages run only the site's own script files: an injected inline script never runs.

    A header is all it takes (Django 5.2 has no CSP setting yet); the API's
    browsable docs are left alone, and a view that sets its own policy keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class PrivateResponsesMiddleware:
    """Nothing shown to a signed-in person (or an API token) is kept by a browser or a
    shared cache: a passport number must not outlive the session on a library PC
    (ASVS 5.0 V14.3.2).  Public pages (start, verify, static files) may be cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = (user is not None and user.is_authenticated) or \
            "HTTP_AUTHORIZATION" in request.META
        if private:
            response.headers["Cache-Control"] = "no-store"
        return response


class RejectNulMiddleware:
    """Text with a NUL character is refused at the door (400), whatever the field.

    No field of kvisa's holds one, PostgreSQL's text and jsonb cannot store one,
    and some tools cut strings at it; refusing here answers clearly instead of a
    database error deep inside (found by Schemathesis).  File contents of
    multipart uploads are binary and exempt; their other fields are not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            import json

            body = {"type": "https://kvisa.example/problems/invalid-input",
                    "title": "Invalid input", "status": 400,
                    "detail": "The request contains a NUL character, which no field accepts.",
                    "instance": request.path}
            return HttpResponse(json.dumps(body), status=400,
                                content_type="application/problem+json")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in key or any("\x00" in v for v in values)
               for key, values in request.GET.lists()):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        if request.content_type == "multipart/form-data":
            return any("\x00" in key or any("\x00" in v for v in values)
                       for key, values in request.POST.lists())
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
