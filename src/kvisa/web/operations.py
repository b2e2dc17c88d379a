"""What a balancer and an operator ask of a node: /healthz, /readyz, /metrics.

- ``/healthz``: the process answers (no dependency is touched, so a database
  outage never makes a balancer restart healthy processes);
- ``/readyz``: this node can serve: the database answers, both file stores can
  be read, and the visa signer and the audit keys are readable.  The balancer
  sends traffic only to ready nodes;
- ``/metrics``: Prometheus text, for scrapers on the operator's network only
  (loopback by default, ``KVISA_METRICS_FROM``, or ``KVISA_METRICS_TOKEN``).
  Request latency comes from :class:`RequestMetricsMiddleware`; the state of the
  service (events not yet chained, the last checkpoint's age, queued and
  running jobs) is read from the database when scraped, so every node reports
  the same shared state.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from kvisa import filestore
from kvisa.metrics import REQUEST_SECONDS

requests_log = logging.getLogger("kvisa.requests")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _stores() -> None:
    for store in (filestore.documents(), filestore.records()):
        filestore.probe(store)


def _keys() -> None:
    """The mounted secrets are there and readable now (not merely cached in memory): the
    visa signer's key and certificate, and the audit chain's current key (a service with
    no audit key yet is ready: its first chainer makes one)."""
    from kvisa.audit import keys as audit_keys

    needed = [Path(settings.SIGNER_KEY), Path(settings.SIGNER_CERT)]
    key_id = audit_keys.current_id()
    if key_id is not None:
        needed.append(audit_keys.key_dir() / f"{key_id}.pem")
    for path in needed:
        if not os.access(path, os.R_OK):
            raise FileNotFoundError(path.name)


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "store": _stores,
                                         "keys": _keys}


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when every dependency answers; 503 naming the ones that do not."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # a probe reports, it never raises
            results[name] = f"failed: {type(exc).__name__}"
    ready = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ready" if ready else "not ready", **results},
                        status=200 if ready else 503)


def _allowed(request: HttpRequest) -> bool:
    token = os.environ.get("KVISA_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if token and hmac.compare_digest(given.encode(), token.encode()):
        return True
    allowed = os.environ.get("KVISA_METRICS_FROM", "127.0.0.0/8,::1/128")
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net.strip(), strict=False)
               for net in allowed.split(",") if net.strip())


class ServiceStateCollector(Collector):
    """Gauges read from the shared database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from kvisa.audit import checkpoints as audit_checkpoints
        from kvisa.audit.models import AuditEvent
        from kvisa.casework.models import PolicyRun

        lag = GaugeMetricFamily("kvisa_audit_chain_lag_events",
                                "Audit events committed but not yet chained.")
        lag.add_metric([], AuditEvent.objects.filter(sequence__isnull=True).count())
        yield lag
        age = GaugeMetricFamily("kvisa_audit_checkpoint_age_seconds",
                                "Seconds since the newest signed checkpoint (-1: none).")
        newest = audit_checkpoints.last()
        age.add_metric([], -1.0 if newest is None else time.time() - _epoch(newest.at))
        yield age
        jobs = GaugeMetricFamily("kvisa_jobs", "Policy-lab runs by status.", labels=["status"])
        for status in (PolicyRun.QUEUED, PolicyRun.RUNNING):
            jobs.add_metric([status], PolicyRun.objects.filter(status=status).count())
        yield jobs


def _epoch(iso: str) -> float:
    return dt.datetime.fromisoformat(iso).timestamp()


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(status=404)
    registry: Any = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    state = CollectorRegistry()
    state.register(ServiceStateCollector())
    body = generate_latest(registry) + generate_latest(state)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


OPERATIONS_PATHS = ("/healthz", "/readyz", "/metrics")


class RequestMetricsMiddleware:
    """Time every request by its view's name, and log it as one JSON line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match.route) if match is not None else "unmatched"
        status = f"{response.status_code // 100}xx"
        REQUEST_SECONDS.labels(view=view, method=request.method or "", status=status
                               ).observe(elapsed)
        if request.path not in OPERATIONS_PATHS:
            requests_log.info("request", extra={
                "request_id": getattr(request, "request_id", ""),
                "method": request.method, "view": view, "status": response.status_code,
                "ms": round(elapsed * 1000, 1)})
        return response
