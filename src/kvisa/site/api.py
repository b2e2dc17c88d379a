"""The JSON API, ``/api/v1/`` (Django Ninja): every portal and console action.

Authentication: a bearer token (``Authorization: Bearer kv_…``) or the browser
session (with its CSRF token).  Errors are RFC 9457 ``application/problem+json``.
Public endpoints (seal verification, pathways comparison, rule check) need none.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer, django_auth
from pydantic import Field, create_model

from kvisa.accounts import public_budget
from kvisa.accounts.models import ApiToken, TokenScope, User
from kvisa.analytics import dashboard
from kvisa.casework import actions, selectors, services
from kvisa.casework.actions import CaseAction
from kvisa.casework.assessment import assess
from kvisa.casework.errors import (
    CaseworkError,
    Forbidden,
    IncompleteApplication,
    InvalidInput,
)
from kvisa.casework.models import Application
from kvisa.documents.errors import DocumentError
from kvisa.documents.verify import verify
from kvisa.issuance.common import trusted_certificates
from kvisa.rules import RulesError, explain

MAX_PROGRAMMES_ASKED = 50


class TokenAuth(HttpBearer):
    """A bearer token that is neither revoked nor expired; a read-only one only reads."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = ApiToken.objects.select_related("user").filter(
            digest=ApiToken.digest_of(token), revoked_at__isnull=True,
            expires_at__gt=timezone.now()).first()
        if row is None or not row.user.is_active:
            return None
        if row.scope != TokenScope.WRITE and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise Forbidden("This token is read-only: create a token that may act.")
        request.user = row.user
        request.kvisa_token = True  # type: ignore[attr-defined]
        return row.user


api = NinjaAPI(title="kvisa", version="1.0.0", urls_namespace="api",
               description="Talent-visa applications, rules, documents and pathways.",
               auth=[TokenAuth(), django_auth])


def problem(request: HttpRequest, status: int, title: str, detail: str,
            **extra: object) -> HttpResponse:
    response = api.create_response(request, {
        "type": f"https://kvisa.example/problems/{title.lower().replace(' ', '-')}",
        "title": title, "status": status, "detail": detail, "instance": request.path,
        **extra}, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


@api.exception_handler(CaseworkError)
def _casework(request: HttpRequest, exc: CaseworkError) -> HttpResponse:
    extra = {"problems": exc.problems} if isinstance(exc, IncompleteApplication) else {}
    return problem(request, exc.status, exc.title, exc.detail, **extra)


@api.exception_handler(RulesError)
def _rules(request: HttpRequest, exc: RulesError) -> HttpResponse:
    return problem(request, 422, "Invalid profile", str(exc))


@api.exception_handler(DocumentError)
def _document(request: HttpRequest, exc: DocumentError) -> HttpResponse:
    return problem(request, 422, "Unusable document", str(exc))


@api.exception_handler(NinjaValidationError)
def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", []))
    return problem(request, 422, "Invalid input", f"{where}: {first.get('msg', 'invalid')}")


@api.exception_handler(AuthenticationError)
def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(request, 401, "Unauthorized", "Sign in or send a bearer token.")


class OverBudget(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


@api.exception_handler(OverBudget)
def _over_budget(request: HttpRequest, exc: OverBudget) -> HttpResponse:
    response = problem(request, 429, "Too many requests",
                       f"This address has used its budget for this endpoint; "
                       f"try again in {exc.wait} s.")
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(public_budget.DeadlineExceeded)
def _deadline(request: HttpRequest, exc: public_budget.DeadlineExceeded) -> HttpResponse:
    return problem(request, 503, "Took too long", f"{exc}; nothing was kept. Send a smaller "
                   "request, or try again later.")


def _public(request: HttpRequest, scope: str) -> None:
    """Count a public request against its address's budget (429 when over)."""
    wait = public_budget.retry_after(request, scope)
    if wait is not None:
        raise OverBudget(wait)


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, "Error", str(exc))


def _user(request: HttpRequest) -> User:
    """The caller; staff signed in by session must also have passed the second factor."""
    user = request.user
    if not isinstance(user, User):
        raise Forbidden("Sign in first.")
    by_token = getattr(request, "kvisa_token", False)
    if user.is_staff_role and not by_token and not user.is_verified():  # type: ignore[attr-defined]
        raise Forbidden("Staff must complete the second factor.")
    return user


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


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


@api.get("/applications", response=list[ApplicationOut], tags=["applications"])
def list_applications(request: HttpRequest) -> Any:
    return list(selectors.applications_for(user=_user(request))[:200])


@api.post("/applications", response={201: ApplicationOut}, tags=["applications"])
def create_application(request: HttpRequest, body: CreateIn) -> Any:
    user = _user(request)
    return 201, services.application_create(applicant=user, programme=body.programme,
                                            request_id=_rid(request))


@api.get("/applications/{application_id}", response=ApplicationOut, tags=["applications"])
def get_application(request: HttpRequest, application_id: int) -> Any:
    user = _user(request)
    application = selectors.application_get(user=user, application_id=application_id)
    services.personal_data_viewed(application=application, by=user, what="api",
                                  request_id=_rid(request))
    return application


@api.put("/applications/{application_id}/draft", response=ApplicationOut,
         tags=["applications"])
def save_draft(request: HttpRequest, application_id: int, body: DraftIn) -> Any:
    user = _user(request)
    return services.application_save_draft(application_id=application_id, by=user,
                                           profile=body.profile, identity=body.identity,
                                           request_id=_rid(request))


@api.get("/applications/{application_id}/precheck", tags=["applications"])
def precheck(request: HttpRequest, application_id: int) -> Any:
    user = _user(request)
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
                               by=_user(request), client_txn_id=_idempotency_key(request, body),
                               data=data, expected_version=body.expected_version,
                               request_id=_rid(request))

    endpoint.__annotations__ = {"request": HttpRequest, "application_id": int,
                                "body": body_model, "return": Any}
    endpoint.__name__ = f"action_{action.name}"
    endpoint.__doc__ = str(action.label)
    tag = "applications" if action.side == "applicant" else "console"
    api.post(f"/applications/{{application_id}}/{action.api_path}", response=ApplicationOut,
             tags=[tag], operation_id=f"application_{action.name}",
             summary=str(action.label))(endpoint)
    return endpoint


for _action in actions.ACTIONS.values():
    _action_endpoint(_action)


@api.post("/applications/{application_id}/documents", response={201: dict},
          tags=["applications"])
def upload_document(request: HttpRequest, application_id: int, kind: Form[str],
                    file: File[UploadedFile]) -> Any:
    user = _user(request)
    document = services.document_upload(
        application_id=application_id, by=user, kind=kind, name=file.name or "upload",
        data=file.read(services.max_upload() + 1), request_id=_rid(request))
    return 201, {"id": document.pk, "sha256": document.sha256, "media_type": document.media_type,
                 "size": document.size}


@api.get("/queue", response=list[ApplicationOut], tags=["console"])
def queue(request: HttpRequest, programme: str = "", state: str = "", nationality: str = "",
          precheck: str = "",
          older_than_days: Annotated[int | None, Query(ge=0, le=selectors.MAX_AGE_DAYS)] = None,
          after: str | None = None) -> Any:
    user = _user(request)
    filters = selectors.QueueFilters(programme=programme, state=state, nationality=nationality,
                                     precheck=precheck, older_than_days=older_than_days)
    return selectors.application_queue(officer=user, filters=filters, cursor=after).items


@api.get("/analytics/flows", tags=["analytics"])
def flows(request: HttpRequest) -> Any:
    return dashboard.flow_statistics(user=_user(request))


# A seal is at most a few hundred bytes (Doc 9303 Part 13); 4 KB of hex is plenty.
MAX_SEAL_HEX = 8192
# Profiles are flat: a handful of facts, a few degrees, a working life of yearly records.
MAX_PROFILE_KEYS = 100


class SealIn(Schema):
    seal_hex: str = Field(max_length=MAX_SEAL_HEX)
    on: dt.date | None = None


@api.post("/verify", auth=None, tags=["public"])
def verify_seal(request: HttpRequest, body: SealIn) -> Any:
    _public(request, "verify")
    try:
        data = bytes.fromhex(body.seal_hex.replace(" ", ""))
    except ValueError:
        raise DocumentError("seal_hex: not hexadecimal") from None
    with public_budget.deadline():
        return verify(data, trusted_certificates(),
                      on=body.on or timezone.localdate()).as_dict()


class CheckIn(Schema):
    profile: dict[str, Any] = Field(max_length=MAX_PROFILE_KEYS)
    on: dt.date | None = None
    # repeated ids are asked once; more ids than there are programmes cannot be right
    programmes: list[str] | None = Field(default=None, max_length=MAX_PROGRAMMES_ASKED)
    include_drafts: bool = False


@api.post("/rules/check", auth=None, tags=["public"])
def rules_check(request: HttpRequest, body: CheckIn) -> Any:
    _public(request, "compute")
    with public_budget.deadline():
        return explain(body.profile, body.programmes, body.on or dt.date.today(),
                       include_drafts=body.include_drafts).to_dict()


@api.post("/pathways/compare", auth=None, tags=["public"])
def pathways_compare(request: HttpRequest, body: CheckIn) -> Any:
    from kvisa.pathways.compare import compare

    _public(request, "compute")
    with public_budget.deadline():
        return compare(body.profile, on=body.on or dt.date.today(),
                       include_drafts=body.include_drafts).as_dict()


class InterviewIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict, max_length=MAX_PROFILE_KEYS)
    on: dt.date | None = None
    lang: str = Field(default="en", pattern=r"^(en|zh)$")
    # route keys or programme ids the questions should try to decide (all when absent)
    routes: list[str] | None = Field(default=None, max_length=MAX_PROGRAMMES_ASKED)


@api.post("/pathways/interview", auth=None, tags=["public"])
def pathways_interview(request: HttpRequest, body: InterviewIn) -> Any:
    """The guided comparison, one question at a time: send every answer so far
    (null = "I don't know"); get the next question (or null) and every route."""
    from kvisa.pathways.interview import next_step

    _public(request, "compute")
    with public_budget.deadline():
        return next_step(body.answers, on=body.on or dt.date.today(), lang=body.lang,
                         routes=body.routes).as_dict()

