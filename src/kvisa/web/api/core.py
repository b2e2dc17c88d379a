"""The API's frame: authentication (a bearer token or the browser session with its
CSRF token), RFC 9457 problem answers for every error, the public endpoints' budget,
and who is asking."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from kvisa.accounts import public_budget
from kvisa.accounts.models import ApiToken, TokenScope, User
from kvisa.casework.errors import (
    CaseworkError,
    Forbidden,
    IncompleteApplication,
)
from kvisa.documents.errors import DocumentError
from kvisa.filestore import StoreUnavailable
from kvisa.rules import RulesError
from kvisa.web.outages import RETRY_AFTER_SECONDS


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


@api.exception_handler(StoreUnavailable)
def _store_unavailable(request: HttpRequest, exc: StoreUnavailable) -> HttpResponse:
    response = problem(request, 503, "Store unavailable",
                       "Files cannot be stored or read at the moment; nothing was done. "
                       "Retry with the same idempotency key.")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
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


def spend_public_budget(request: HttpRequest, scope: str) -> None:
    """Count a public request against its address's budget (429 when over)."""
    wait = public_budget.retry_after(request, scope)
    if wait is not None:
        raise OverBudget(wait)


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, "Error", str(exc))


def caller(request: HttpRequest) -> User:
    """The caller; staff signed in by session must also have passed the second factor."""
    user = request.user
    if not isinstance(user, User):
        raise Forbidden("Sign in first.")
    by_token = getattr(request, "kvisa_token", False)
    if user.is_staff_role and not by_token and not user.is_verified():  # type: ignore[attr-defined]
        raise Forbidden("Staff must complete the second factor.")
    return user


def request_id(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")
