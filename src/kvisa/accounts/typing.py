"""The request type of views that require a signed-in user."""

from __future__ import annotations

from django.http import HttpRequest

from kvisa.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    request_id: str
