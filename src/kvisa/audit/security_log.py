"""Refused access, written down: a signed-in user asking for a case they may not see.

The person asking gets "not found" (never "forbidden": that would tell them the
case exists); the operator gets one JSON line on the ``kvisa.security`` logger
with who asked, for which case, by which way and the request id — ids only,
no personal data (ASVS 5.0 V16.3.2).  Ship the process log to a separate
system to alert on repeated probing.
"""

from __future__ import annotations

import json
import logging

from kvisa.accounts.models import User

log = logging.getLogger("kvisa.security")


def access_refused(*, user: User, application_id: int, via: str, request_id: str = "") -> None:
    log.warning(json.dumps({"event": "access_refused", "user": user.pk,
                            "role": getattr(user, "role", ""), "case": application_id,
                            "via": via, "request": request_id}, sort_keys=True))
