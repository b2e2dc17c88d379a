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

from kvisa.accounts.models import ApiToken, Role, TokenScope, User
from kvisa.casework import selectors, services
from kvisa.casework.errors import CaseworkError, Forbidden
from kvisa.casework.issuance import trusted_certificates
from kvisa.casework.models import Application
from kvisa.documents.errors import DocumentError
from kvisa.documents.verify import verify
from kvisa.rules import RulesError, explain


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


def problem(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    response = api.create_response(request, {
        "type": f"https://kvisa.example/problems/{title.lower().replace(' ', '-')}",
        "title": title, "status": status, "detail": detail, "instance": request.path},
        status=status)
    response["Content-Type"] = "application/problem+json"
    return response


@api.exception_handler(CaseworkError)
def _casework(request: HttpRequest, exc: CaseworkError) -> HttpResponse:
    return problem(request, exc.status, exc.title, exc.detail)


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
    programme: str = "cn.k_visa"


class DraftIn(Schema):
    profile: dict[str, Any] = {}
    identity: dict[str, Any] = {}


class TxnIn(Schema):
    client_txn_id: str
    expected_version: int | None = None


class EvidenceIn(TxnIn):
    message: str
    due_date: dt.date


class AnswerIn(TxnIn):
    answer: str


class DecisionIn(TxnIn):
    note: str = ""
    reasons: list[str] = []


class ReassignIn(TxnIn):
    officer_id: int


class ReverseIn(TxnIn):
    note: str


def _applicant_side(user: User) -> None:
    if user.role not in (Role.APPLICANT, Role.ADVISER):
        raise Forbidden("Only applicants and their advisers use this endpoint.")


def _officer_side(user: User) -> None:
    if user.role not in (Role.OFFICER, Role.SUPERVISOR):
        raise Forbidden("Only officers and supervisors use this endpoint.")


@api.get("/applications", response=list[ApplicationOut], tags=["applications"])
def list_applications(request: HttpRequest) -> Any:
    user = _user(request)
    _applicant_side(user)
    return list(selectors.applications_for(user=user)[:200])


@api.post("/applications", response={201: ApplicationOut}, tags=["applications"])
def create_application(request: HttpRequest, body: CreateIn) -> Any:
    user = _user(request)
    _applicant_side(user)
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
    selectors.application_get(user=user, application_id=application_id)
    return services.application_save_draft(application_id=application_id, by=user,
                                           profile=body.profile, identity=body.identity,
                                           request_id=_rid(request))


@api.get("/applications/{application_id}/precheck", tags=["applications"])
def precheck(request: HttpRequest, application_id: int) -> Any:
    user = _user(request)
    application = selectors.application_get(user=user, application_id=application_id)
    return explain(application.profile, [application.programme]).to_dict()


# Applicant actions call the service directly: it checks who may act (404 for anyone
# else's case) under its row lock, so a separate lookup would only repeat the work.


@api.post("/applications/{application_id}/submit", response=ApplicationOut,
          tags=["applications"])
def submit(request: HttpRequest, application_id: int, body: TxnIn) -> Any:
    return services.application_submit(application_id=application_id, by=_user(request),
                                       client_txn_id=body.client_txn_id,
                                       request_id=_rid(request))


@api.post("/applications/{application_id}/withdraw", response=ApplicationOut,
          tags=["applications"])
def withdraw(request: HttpRequest, application_id: int, body: TxnIn) -> Any:
    return services.application_withdraw(application_id=application_id, by=_user(request),
                                         client_txn_id=body.client_txn_id,
                                         request_id=_rid(request))


@api.post("/applications/{application_id}/evidence-answer", response=ApplicationOut,
          tags=["applications"])
def answer_evidence(request: HttpRequest, application_id: int, body: AnswerIn) -> Any:
    return services.application_answer_evidence(
        application_id=application_id, by=_user(request), answer=body.answer,
        client_txn_id=body.client_txn_id, request_id=_rid(request))


@api.post("/applications/{application_id}/documents", response={201: dict},
          tags=["applications"])
def upload_document(request: HttpRequest, application_id: int, kind: Form[str],
                    file: File[UploadedFile]) -> Any:
    user = _user(request)
    selectors.application_get(user=user, application_id=application_id)
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
    _officer_side(user)
    filters = selectors.QueueFilters(programme=programme, state=state, nationality=nationality,
                                     precheck=precheck, older_than_days=older_than_days)
    return selectors.application_queue(officer=user, filters=filters, cursor=after).items


def _officer_action(request: HttpRequest, application_id: int, call: Any) -> Any:
    user = _user(request)
    _officer_side(user)
    selectors.application_get(user=user, application_id=application_id)
    return call(user)


@api.post("/applications/{application_id}/assign", response=ApplicationOut, tags=["console"])
def assign(request: HttpRequest, application_id: int, body: TxnIn) -> Any:
    return _officer_action(request, application_id, lambda user: services.application_assign(
        application_id=application_id, by=user, client_txn_id=body.client_txn_id,
        request_id=_rid(request)))


@api.post("/applications/{application_id}/request-evidence", response=ApplicationOut,
          tags=["console"])
def request_evidence(request: HttpRequest, application_id: int, body: EvidenceIn) -> Any:
    return _officer_action(request, application_id,
                           lambda user: services.application_request_evidence(
                               application_id=application_id, by=user, message=body.message,
                               due_date=body.due_date, client_txn_id=body.client_txn_id,
                               expected_version=body.expected_version,
                               request_id=_rid(request)))


@api.post("/applications/{application_id}/approve", response=ApplicationOut, tags=["console"])
def approve(request: HttpRequest, application_id: int, body: DecisionIn) -> Any:
    return _officer_action(request, application_id, lambda user: services.application_approve(
        application_id=application_id, by=user, note=body.note,
        client_txn_id=body.client_txn_id, expected_version=body.expected_version,
        request_id=_rid(request)))


@api.post("/applications/{application_id}/refuse", response=ApplicationOut, tags=["console"])
def refuse(request: HttpRequest, application_id: int, body: DecisionIn) -> Any:
    return _officer_action(request, application_id, lambda user: services.application_refuse(
        application_id=application_id, by=user, reasons=body.reasons, note=body.note,
        client_txn_id=body.client_txn_id, expected_version=body.expected_version,
        request_id=_rid(request)))


@api.post("/applications/{application_id}/reassign", response=ApplicationOut,
          tags=["console"])
def reassign(request: HttpRequest, application_id: int, body: ReassignIn) -> Any:
    def call(user: User) -> Any:
        if user.role != Role.SUPERVISOR:
            raise Forbidden("Only supervisors reassign cases.")
        officer = User.objects.filter(pk=body.officer_id).first()
        if officer is None:
            raise HttpError(422, "No such officer.")
        return services.application_reassign(application_id=application_id, by=user,
                                              officer=officer, client_txn_id=body.client_txn_id,
                                              request_id=_rid(request))
    return _officer_action(request, application_id, call)


@api.post("/applications/{application_id}/reverse", response=ApplicationOut,
          tags=["console"])
def reverse(request: HttpRequest, application_id: int, body: ReverseIn) -> Any:
    def call(user: User) -> Any:
        if user.role != Role.SUPERVISOR:
            raise Forbidden("Only supervisors reverse decisions.")
        return services.application_reverse(application_id=application_id, by=user,
                                            note=body.note, client_txn_id=body.client_txn_id,
                                            request_id=_rid(request))
    return _officer_action(request, application_id, call)


@api.get("/analytics/flows", tags=["analytics"])
def flows(request: HttpRequest) -> Any:
    user = _user(request)
    if user.role not in (Role.ANALYST, Role.SUPERVISOR, Role.ADMIN):
        raise Forbidden("Analysts only.")
    return selectors.flow_statistics()


class SealIn(Schema):
    seal_hex: str
    on: dt.date | None = None


@api.post("/verify", auth=None, tags=["public"])
def verify_seal(request: HttpRequest, body: SealIn) -> Any:
    try:
        data = bytes.fromhex(body.seal_hex.replace(" ", ""))
    except ValueError:
        raise DocumentError("seal_hex: not hexadecimal") from None
    return verify(data, trusted_certificates(), on=body.on or timezone.localdate()).as_dict()


class CheckIn(Schema):
    profile: dict[str, Any]
    on: dt.date | None = None
    programmes: list[str] | None = None
    include_drafts: bool = False


@api.post("/rules/check", auth=None, tags=["public"])
def rules_check(request: HttpRequest, body: CheckIn) -> Any:
    return explain(body.profile, body.programmes, body.on or dt.date.today(),
                   include_drafts=body.include_drafts).to_dict()


@api.post("/pathways/compare", auth=None, tags=["public"])
def pathways_compare(request: HttpRequest, body: CheckIn) -> Any:
    from kvisa.pathways.compare import compare

    return compare(body.profile, on=body.on or dt.date.today(),
                   include_drafts=body.include_drafts).as_dict()
