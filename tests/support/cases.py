"""Cases driven through the services, as an applicant and an officer would drive them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from kvisa.accounts.models import User
from kvisa.casework import services
from kvisa.casework.models import Application
from tests.support.files import attach_required_documents
from tests.support.profiles import IDENTITY, PROFILE

__all__ = ["IDENTITY", "PROFILE", "held_elsewhere", "submitted", "under_review"]



def submitted(applicant: User, profile: dict[str, Any] | None = None) -> Application:
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=profile or PROFILE, identity=IDENTITY)
    attach_required_documents(application.pk, applicant)
    return services.application_submit(application_id=application.pk, by=applicant,
                                       client_txn_id=f"submit-{application.pk}")


def under_review(applicant: User, officer: User) -> Application:
    application = submitted(applicant)
    return services.application_assign(application_id=application.pk, by=officer,
                                       client_txn_id=f"assign-{application.pk}")


@contextlib.contextmanager
def held_elsewhere(sql: str, params: list[Any] | None = None) -> Iterator[None]:
    """Run ``sql`` (a lock) in another thread's open transaction while the body runs:
    another request or chainer "in flight" at the same time."""
    import threading

    from django.db import connections, transaction

    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic(), connections["default"].cursor() as cursor:
            cursor.execute(sql, params or [])
            holding.set()
            release.wait(timeout=30)
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(timeout=10)
    try:
        yield
    finally:
        release.set()
        holder.join()
