"""Log lines as JSON objects, each carrying the id of the request it belongs to.

Why JSON: a cluster's lines are gathered from every node by a log shipper and
searched by field; the request id (the X-Request-Id header, echoed to the
client and kept in the audit log) joins what the balancer, the nodes and the
audit trail saw of one request.  The formatter is python-json-logger's; only
the request id's context variable and its filter are ours.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

REQUEST_ID: ContextVar[str] = ContextVar("kvisa_request_id", default="")

JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d"


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django's own "django.request" lines are logged after the middleware has
            # left; they carry the request, which carries its id
            request = getattr(record, "request", None)
            record.request_id = REQUEST_ID.get() or str(getattr(request, "request_id", ""))
        return True


def config(level: str = "WARNING", *, as_json: bool = True) -> dict[str, object]:
    """A dictConfig for Django's LOGGING and gunicorn's logconfig_dict alike."""
    formatter: dict[str, object] = (
        {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": JSON_FORMAT,
         "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}
        if as_json else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] "
                                   "%(message)s"})
    return {"version": 1, "disable_existing_loggers": False,
            "filters": {"request_id": {"()": "kvisa.logs.RequestIdFilter"}},
            "formatters": {"kvisa": formatter},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kvisa",
                                     "filters": ["request_id"]}},
            "root": {"handlers": ["console"], "level": level},
            "loggers": {"kvisa.requests": {"level": "INFO"},
                        "gunicorn.error": {"level": "INFO", "propagate": True},
                        "gunicorn.access": {"level": "WARNING", "propagate": True}}}
