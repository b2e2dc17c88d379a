"""Aggregates for analysts, supervisors and administrators (no personal data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from kvisa.analytics import dashboard
from kvisa.web.api.core import caller

router = Router()


@router.get("/analytics/flows", tags=["analytics"])
def flows(request: HttpRequest) -> Any:
    return dashboard.flow_statistics(user=caller(request))
