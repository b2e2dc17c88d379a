"""A case moves from state to state here, and only here: the policy asked, the row
locked, the idempotency key claimed, the journal entry and the audit event written
in the same transaction (issue 25: the services and both issuers call this one public
function instead of passing a private one between them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kvisa.accounts.models import User
from kvisa.audit import log as audit
from kvisa.audit import security_log
from kvisa.casework.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kvisa.casework.models import Action, Application
from kvisa.casework.policy import Answer, Outcome, case_permission, decide
from kvisa.casework.workflow import SYSTEM, next_state
from kvisa.metrics import CASE_ACTIONS


def permission_on(user: User, application: Application, action: str) -> Answer:
    """The policy's answer on ``user`` doing ``action``: NotFound if they may not see the
    case at all (the refusal is logged), Forbidden if their role may not do it.  A
    refusal about this case's people (assignment, one's own case) is returned, for the
    caller to enforce after it has said whether the case's state allows the action."""
    answer = decide(user, case_permission(action), application)
    if answer.outcome is Outcome.NOT_FOUND:
        security_log.access_refused(user=user, application_id=application.pk, via=action)
    return answer if answer.about_the_case else answer.enforce()


def acting_capacity(user: User, application: Application, action: str) -> str:
    """The capacity ``user`` may do ``action`` on the case in (the policy, enforced)."""
    capacity = permission_on(user, application, action).enforce().capacity
    assert capacity is not None
    return capacity


def locked(application_id: int) -> Application:
    """The case, row-locked until the caller's transaction ends; NotFound if none."""
    try:
        return Application.objects.select_for_update().get(pk=application_id)
    except Application.DoesNotExist:
        raise NotFound(_("No such application.")) from None


def _snapshot(application: Application) -> dict[str, Any]:
    return {"state": application.state, "version": application.version,
            "assigned_to": application.assigned_to_id}


def transition(*, application_id: int, action: str, by: User, client_txn_id: str,
                request_id: str = "", expected_version: int | None = None,
                payload: dict[str, Any] | None = None,
                effect: Callable[[Application], dict[str, Any] | None] | None = None,
                system: bool = False) -> Application:
    if not client_txn_id or len(client_txn_id) > 80:
        raise InvalidInput(_("An idempotency key (Idempotency-Key header or client_txn_id, "
                             "1-80 characters) is required."))
    with transaction.atomic():
        _claim_key(application_id, client_txn_id)
        application = locked(application_id)
        answer = Answer(Outcome.ALLOWED, capacity=SYSTEM) if system else permission_on(
            by, application, action)
        role = answer.capacity or SYSTEM
        digest = request_digest.get()
        earlier = Action.objects.filter(application=application,
                                        client_txn_id=client_txn_id).first()
        if earlier is not None:
            if earlier.kind != action or earlier.actor_id != by.pk:
                raise Conflict(_("This transaction id was already used for another action."))
            if earlier.request_digest and digest and earlier.request_digest != digest:
                raise InvalidInput(_("This Idempotency-Key was already used for a different "
                                     "request; use a new key for a new request."))
            # a retry: applied once already; answer as the first time did
            application.state = earlier.result.get("state", application.state)
            application.version = earlier.result.get("version", application.version)
            return application
        if expected_version is not None and expected_version != application.version:
            raise Conflict(_("The case changed since you opened it (now: %(state)s). Reload "
                             "and try again.") % {"state": application.get_state_display()})
        new_state = next_state(application.state, action, role)
        if new_state is None:
            raise NotAllowed(_("“%(action)s” is not possible while the case is %(state)s.")
                             % {"action": action, "state": application.get_state_display()})
        answer.enforce()
        before = _snapshot(application)
        extra = effect(application) if effect else None
        application.state = new_state
        application.version += 1
        application.updated_at = timezone.now()
        # effects may set only these; the profile is frozen once submitted
        application.save(update_fields=["state", "version", "updated_at", "assigned_to",
                                        "precheck", "submitted_at"])
        details = {**(payload or {}), **(extra or {})}
        # The row lock above serialises actions on this case, so the unique
        # (application, client_txn_id) constraint is a safety net, not a race.
        journal = Action.objects.create(
            application=application, kind=action, actor=by, role=role,
            from_state=before["state"], to_state=new_state, payload=details,
            client_txn_id=client_txn_id, request_digest=digest,
            result={"state": new_state, "version": application.version})
        audit.record(actor=by.email, action=f"application.{action}", object_type="application",
                     object_id=application.pk, before=before,
                     after={**_snapshot(application), **details}, request_id=request_id,
                     journal_action=journal)
        transaction.on_commit(CASE_ACTIONS.labels(action=action).inc)
        return application


# What the request that carries a client transaction id (Idempotency-Key) asked for,
# as a digest; set by the adapter (API endpoint or form view) around the service call.
request_digest: ContextVar[str] = ContextVar("kvisa_request_digest", default="")


def digest_of_request(action: str, data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([action, data], sort_keys=True, default=str,
                                     ensure_ascii=False).encode()).hexdigest()


def _claim_key(application_id: int, key: str) -> None:
    """409 while another request with the same key on this case is still running.

    A PostgreSQL advisory lock held until the transaction ends; on SQLite writers
    are serialised anyway (IMMEDIATE transactions), so the second simply finds
    the first's journal entry and gets its answer.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))",
                       [f"kvisa-txn:{application_id}:{key}"])
        (claimed,) = cursor.fetchone()
    if not claimed:
        raise Conflict(_("A request with this Idempotency-Key is still being processed; "
                         "retry when it has finished."))
