"""Applications and the console's queue: every portal and console action, one POST per
case action, derived from the action table (:mod:`kvisa.casework.actions`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import create_model

from kvisa.casework import actions, selectors, services
from kvisa.casework.actions import CaseAction
from kvisa.casework.assessment import assess
from kvisa.casework.errors import InvalidInput
from kvisa.casework.models import Application
from kvisa.web.api.core import caller, request_id

router = Router()


class ApplicationOut(Schema):
    id: int
    reference: str | None
    programme: str
    state: str
    version: int
    precheck: str
    profile: dict[str, Any]
    identity: dict[str, Any]
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    visa_number: str | None = None

    @staticmethod
    def resolve_visa_number(obj: Application) -> str | None:
        if obj.state != "issued":  # only issued cases have a visa: spare the query
            return None
        visa = getattr(obj, "visa", None)
        return visa.number if visa else None


class CreateIn(Schema):
    programme: str = ""  # "": the service's default programme (settings.DEFAULT_PROGRAMME)


class DraftIn(Schema):
    profile: dict[str, Any] = {}
    identity: dict[str, Any] = {}


class TxnIn(Schema):
    """What every case action carries besides its own input: its idempotency key —
    the standard ``Idempotency-Key`` header, or ``client_txn_id`` in the body (kept as an
    alias) — and, optionally, the version the client saw (a stale one is a conflict).

    Per the IETF Idempotency-Key draft: the same key with the same request returns
    the first answer; with a different request, 422; while the first is still
    running, 409."""

    client_txn_id: str | None = None
    expected_version: int | None = None


@router.get("/applications", response=list[ApplicationOut], tags=["applications"])
def list_applications(request: HttpRequest) -> Any:
    return list(selectors.applications_for(user=caller(request))[:200])


@router.post("/applications", response={201: ApplicationOut}, tags=["applications"])
def create_application(request: HttpRequest, body: CreateIn) -> Any:
    user = caller(request)
    return 201, services.application_create(applicant=user, programme=body.programme,
                                            request_id=request_id(request))


@router.get("/applications/{application_id}", response=ApplicationOut, tags=["applications"])
def get_application(request: HttpRequest, application_id: int) -> Any:
    user = caller(request)
    application = selectors.application_get(user=user, application_id=application_id)
    services.personal_data_viewed(application=application, by=user, what="api",
                                  request_id=request_id(request))
    return application


@router.put("/applications/{application_id}/draft", response=ApplicationOut,
         tags=["applications"])
def save_draft(request: HttpRequest, application_id: int, body: DraftIn) -> Any:
    user = caller(request)
    return services.application_save_draft(application_id=application_id, by=user,
                                           profile=body.profile, identity=body.identity,
                                           request_id=request_id(request))


@router.get("/applications/{application_id}/precheck", tags=["applications"])
def precheck(request: HttpRequest, application_id: int) -> Any:
    user = caller(request)
    application = selectors.application_get(user=user, application_id=application_id)
    return assess(application).to_dict()


def _idempotency_key(request: HttpRequest, body: TxnIn) -> str:
    header = request.headers.get("Idempotency-Key", "").strip().strip('"')
    if header and body.client_txn_id and header != body.client_txn_id:
        raise InvalidInput("Idempotency-Key and client_txn_id differ; send one of them.")
    return header or body.client_txn_id or ""


def _action_endpoint(action: CaseAction) -> Any:
    """One POST endpoint per case action, its body the action's input plus TxnIn.

    No lookup and no role check here: the service decides under the case's row
    lock (404 for a case the caller may not see, whatever the method).
    """
    body_model = create_model(f"{action.input.__name__.removesuffix('Input')}Request",
                              __base__=(TxnIn, action.input))

    def endpoint(request: HttpRequest, application_id: int, body: Any) -> Any:
        data = body.model_dump(exclude={"client_txn_id", "expected_version"})
        return actions.perform(action.name, application_id=application_id,
                               by=caller(request), client_txn_id=_idempotency_key(request, body),
                               data=data, expected_version=body.expected_version,
                               request_id=request_id(request))

    endpoint.__annotations__ = {"request": HttpRequest, "application_id": int,
                                "body": body_model, "return": Any}
    endpoint.__name__ = f"action_{action.name}"
    endpoint.__doc__ = str(action.label)
    tag = "applications" if action.side == "applicant" else "console"
    router.post(f"/applications/{{application_id}}/{action.api_path}", response=ApplicationOut,
             tags=[tag], operation_id=f"application_{action.name}",
             summary=str(action.label))(endpoint)
    return endpoint


for _action in actions.ACTIONS.values():
    _action_endpoint(_action)


@router.post("/applications/{application_id}/documents", response={201: dict},
          tags=["applications"])
def upload_document(request: HttpRequest, application_id: int, kind: Form[str],
                    file: File[UploadedFile]) -> Any:
    user = caller(request)
    document = services.document_upload(
        application_id=application_id, by=user, kind=kind, name=file.name or "upload",
        data=file.read(services.max_upload() + 1), request_id=request_id(request))
    return 201, {"id": document.pk, "sha256": document.sha256, "media_type": document.media_type,
                 "size": document.size}


@router.get("/queue", response=list[ApplicationOut], tags=["console"])
def queue(request: HttpRequest, programme: str = "", state: str = "", nationality: str = "",
          precheck: str = "",
          older_than_days: Annotated[int | None, Query(ge=0, le=selectors.MAX_AGE_DAYS)] = None,
          after: str | None = None) -> Any:
    user = caller(request)
    filters = selectors.QueueFilters(programme=programme, state=state, nationality=nationality,
                                     precheck=precheck, older_than_days=older_than_days)
    return selectors.application_queue(officer=user, filters=filters, cursor=after).items
