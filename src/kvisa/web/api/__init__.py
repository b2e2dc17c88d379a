"""The JSON API, ``/api/v1/`` (Django Ninja): one router per part of the service —
cases (:mod:`.cases`), analytics (:mod:`.analytics`) and the public endpoints
(:mod:`.public`) — in one frame (:mod:`.core`: authentication, problem answers).

Authentication: a bearer token (``Authorization: Bearer kv_…``) or the browser
session (with its CSRF token).  Errors are RFC 9457 ``application/problem+json``.
Public endpoints (seal verification, pathways comparison, rule check) need none.
"""

from __future__ import annotations

from kvisa.web.api import analytics, cases, public
from kvisa.web.api.core import api

api.add_router("", cases.router)
api.add_router("", analytics.router)
api.add_router("", public.router)

__all__ = ["api"]
