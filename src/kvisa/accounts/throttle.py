"""Slowing down password guessing without handing attackers a lockout button.

Three limits, each answering one attack:

* per (account, address) — django-axes: five failures pause that pair for 15
  minutes;
* per account, from any address — an exponential delay after five failures
  (1 s, 2 s, 4 s … capped at 15 minutes), forgotten a day after the last
  failure; a browser that has signed in to the account before carries a
  signed *device cookie* and is not delayed (OWASP's device-cookie pattern),
  so an attacker spraying from many addresses slows themselves, not the owner;
* per address — registrations and password-reset requests per hour.

Counters live in the database, not a per-process cache, so every worker
process and the embedded SQLite default see the same numbers.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kvisa.accounts.models import AccountThrottle, RequestQuota, User

FREE_FAILURES = 5
MAX_DELAY_SECONDS = 15 * 60
FORGET_AFTER = dt.timedelta(days=1)
DEVICE_COOKIE = "kvisa_device"
DEVICE_SALT = "kvisa.accounts.device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _delay(failures: int) -> int:
    if failures < FREE_FAILURES:
        return 0
    return int(min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS))


def account_wait(email: str) -> int:
    """Seconds before this account may be tried again from an unknown browser (0: now)."""
    row = AccountThrottle.objects.filter(email=email.strip().lower()).first()
    if row is None or row.last_failure_at is None:
        return 0
    since = timezone.now() - row.last_failure_at
    if since > FORGET_AFTER:
        return 0
    return max(0, int(_delay(row.failures) - since.total_seconds() + 0.999))


def record_failure(email: str) -> None:
    address = email.strip().lower()[:254]
    if not address:
        return
    now = timezone.now()
    with transaction.atomic():
        row, _ = AccountThrottle.objects.select_for_update().get_or_create(email=address)
        if row.last_failure_at and now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        row.save(update_fields=["failures", "last_failure_at"])


def record_success(email: str) -> None:
    AccountThrottle.objects.filter(email=email.strip().lower()).delete()


def remember_device(response: HttpResponse, user: User, *, secure: bool) -> None:
    value = signing.dumps({"u": user.pk, "e": user.email}, salt=DEVICE_SALT)
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_MAX_AGE, httponly=True,
                        samesite="Lax", secure=secure)


def trusted_device(request: HttpRequest, email: str) -> bool:
    """This browser signed in to ``email`` before (a signed cookie says so)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if not value:
        return False
    try:
        data = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("e") == email.strip().lower()


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def allow(scope: str, key: str, *, limit: int, per_seconds: int) -> bool:
    """Count one request for (scope, key) in the current window; False once over ``limit``."""
    window = int(timezone.now().timestamp()) // per_seconds
    key = key[:254]
    updated = RequestQuota.objects.filter(scope=scope, key=key, window=window).update(
        count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RequestQuota.objects.create(scope=scope, key=key, window=window, count=1)
        except IntegrityError:  # another worker created it first
            RequestQuota.objects.filter(scope=scope, key=key, window=window).update(
                count=F("count") + 1)
        RequestQuota.objects.filter(scope=scope, key=key, window__lt=window - 1).delete()
    count = RequestQuota.objects.filter(scope=scope, key=key, window=window).values_list(
        "count", flat=True).first()
    return (count or 0) <= limit
