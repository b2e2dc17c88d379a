"""How long a signed-in session lasts, and which requests are refused at the door.

Sessions end after ``KVISA_SESSION_IDLE_MINUTES`` without a request (default
60) and, whatever the activity, ``KVISA_SESSION_HOURS`` after sign-in (default
12): NIST SP 800-63B-4's AAL2 limits (1 hour idle, 24 hours at most) with a
working day's margin, as ASVS 5.0 V7.3 asks.  Django's session cookie gives
only one of the two, so this middleware keeps both times in the session.

TRACE (and CONNECT) are refused: nothing here needs them (ASVS V13.4.4).  When
the site redirects plain HTTP to HTTPS, the API is not redirected but refused,
so a client that sends a token in clear learns of it (ASVS V4.1.2).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

STARTED, SEEN = "kvisa_started", "kvisa_seen"


def session_ended(request: HttpRequest, now: float) -> bool:
    """True when the signed-in session has been idle or alive too long."""
    started = request.session.get(STARTED)
    seen = request.session.get(SEEN)
    if started is None or seen is None:
        return False
    return (now - seen > settings.SESSION_IDLE_SECONDS
            or now - started > settings.SESSION_ABSOLUTE_SECONDS)


class SessionTimeoutMiddleware:
    """Ends idle and over-long sessions; records activity at most once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.user here is the session's user (bearer tokens are read later, by the
        # API), so the limits apply to every request a session cookie authenticates,
        # whatever other header it carries.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            if session_ended(request, now):
                logout(request)
                if "HTTP_AUTHORIZATION" in request.META:
                    # the session is over; a bearer token may still authenticate the call
                    return self.get_response(request)
                if request.headers.get("HX-Request"):
                    return HttpResponse(_("Your session has ended."), status=401)
                messages.info(request, _("Your session ended after a time without activity "
                                         "or at its time limit: sign in again."))
                return redirect(f"{reverse('accounts:login')}?"
                                f"{urlencode({'next': request.get_full_path()})}")
            request.session.setdefault(STARTED, now)
            if now - request.session.get(SEEN, 0) > 60:
                request.session[SEEN] = now
        return self.get_response(request)


class MethodAndTransportMiddleware:
    """TRACE/CONNECT → 405; the API over plain HTTP, where HTTPS is required → 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("TRACE", "CONNECT"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST, PUT, DELETE"})
        if (getattr(settings, "SECURE_SSL_REDIRECT", False) and not request.is_secure()
                and request.path.startswith("/api/")):
            return JsonResponse({"type": "about:blank", "title": "HTTPS required",
                                 "status": 403, "detail": _("Use https:// for the API; "
                                                            "nothing was done.")},
                                status=403, content_type="application/problem+json")
        return self.get_response(request)
