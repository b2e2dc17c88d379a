"""The service's Prometheus metrics (prometheus-client), defined once.

Labels carry only names the code chose (a view's name, an HTTP method, a
status class, a case action): never an address, an e-mail, a case number or
anything a person typed, so a metric can be shipped anywhere.

Several gunicorn workers: prometheus-client's multiprocess mode, switched on
by ``PROMETHEUS_MULTIPROC_DIR`` (``kvisa serve`` sets it), adds them up.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "kvisa_request_seconds", "Time to answer a request, by view.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
CASE_ACTIONS = Counter(
    "kvisa_case_actions_total", "Case actions committed (submit, approve …).", ["action"])
