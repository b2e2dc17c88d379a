"""Thin views: parse the request, call a service or selector, render.

Applicant portal (with advisers), officer console, supervisor tools, the public
seal verification page and the analysts' aggregate dashboard.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Min, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kvisa.accounts import public_budget
from kvisa.accounts.models import AdviserLink, User
from kvisa.accounts.typing import AuthedRequest
from kvisa.casework import (
    actions,
    decisions,
    enquiry_counts,
    seal_reading,
    selectors,
    services,
    submission,
    tasks,
    uploads,
)
from kvisa.casework.assessment import assess
from kvisa.casework.errors import CaseworkError, IncompleteApplication, NotFound
from kvisa.casework.models import Application, EnquiryCount, State
from kvisa.casework.policy import Permission, may, roles_with
from kvisa.casework.profile_form import (
    PR,
    PR_ROUTES,
    Field,
    fields_for,
    parse_post,
)
from kvisa.casework.service_programmes import default_programme
from kvisa.documents import evisa, mrz
from kvisa.documents.errors import DocumentError
from kvisa.documents.verify import verify
from kvisa.issuance import card as card_issuance
from kvisa.issuance.common import signer_certificate_pem, trusted_certificates
from kvisa.issuance.models import ResidentCard
from kvisa.rules.programmes.permanent_residence.rules import employment_by_year


def rid(request: AuthedRequest) -> str:
    return getattr(request, "request_id", "")


def area(name: str):  # type: ignore[no-untyped-def]
    """Signed-in users whose role uses this area (the policy's table); others get 404.

    A background (htmx) request from an expired session gets 401 instead of the
    sign-in page, so the page can keep what was typed and say so.
    """
    def decorate(view):  # type: ignore[no-untyped-def]
        @wraps(view)
        def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                if request.headers.get("HX-Request"):
                    return HttpResponse(_("Your session has ended."), status=401)
                return redirect_to_login(request.get_full_path())
            if not may(request.user, name):
                raise Http404
            return view(request, *args, **kwargs)
        return wrapper
    return decorate


def _get(request: AuthedRequest, pk: int) -> Application:
    try:
        return selectors.application_get(user=request.user, application_id=pk,
                                         request_id=rid(request))
    except NotFound:
        raise Http404 from None


def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated:
        if may(user, Permission.USE_CONSOLE):
            return redirect("console:queue")
        if may(user, Permission.MANAGE_STAFF_ACCOUNTS):
            return redirect("accounts:staff")
        if may(user, Permission.USE_ANALYTICS):
            return redirect("analytics")
        return redirect("portal:dashboard")
    return render(request, "home.html")


# ------------------------------------------------------------------ applicant portal

@area("portal")
def dashboard(request: AuthedRequest) -> HttpResponse:
    applications = selectors.applications_for(user=request.user).select_related(
        "applicant").annotate(due=Min("evidence_requests__due_date",
                                      filter=Q(evidence_requests__answered_at__isnull=True)))
    # an adviser's clients (nobody else is anyone's adviser)
    clients = list(AdviserLink.objects.filter(adviser=request.user, revoked_at__isnull=True)
                   .select_related("applicant"))
    return render(request, "portal/dashboard.html", {"applications": applications,
                                                     "clients": clients})


PENDING_START = "pending_start"
"""Session key: an application someone asked to start before signing in (the
programme and the answers they gave on /pathways), kept through sign-in,
registration and e-mail confirmation so that nothing is typed twice."""


@require_http_methods(["GET", "POST"])
@area("portal")
def start(request: AuthedRequest) -> HttpResponse:
    if request.method == "GET":  # arriving from sign-in or registration
        pending = request.session.get(PENDING_START)
        if not isinstance(pending, dict):
            return redirect("portal:dashboard")
        programme = str(pending.get("programme") or default_programme())
        asked = {f.name for f in fields_for(programme)}
        prefill = {k: v for k, v in dict(pending.get("prefill", {})).items() if k in asked}
        shown = {k: {"true": True, "false": False}.get(v, v) for k, v in prefill.items()}
        return render(request, "portal/start_confirm.html", {
            "programme": programme, "prefill": prefill, "shown": shown})
    request.session.pop(PENDING_START, None)
    applicant = request.user
    if request.POST.get("applicant"):  # an adviser applying for a consenting client
        wanted = request.POST["applicant"]
        client = int(wanted) if wanted.isdigit() and len(wanted) < 19 else 0
        link = AdviserLink.objects.filter(adviser=request.user, revoked_at__isnull=True,
                                          applicant_id=client).first()
        if link is None:
            raise Http404
        applicant = link.applicant
    try:
        application = services.application_create(
            applicant=applicant, by=request.user,
            programme=request.POST.get("programme", ""), request_id=rid(request))
    except CaseworkError as exc:
        messages.error(request, exc.detail)
        return redirect("portal:dashboard")
    if request.POST.get("from") == "start_page":  # an enquiry, counted in aggregate only
        enquiry_counts.record(EnquiryCount.START_PAGE, nationality=None, routes_open=())
    asked = {f.name for f in fields_for(application.programme)}
    prefill = {k: v for k, v in request.POST.items() if k in asked}
    if prefill:
        profile, identity = parse_post(prefill, application.programme)
        services.application_save_draft(application_id=application.pk, by=request.user,
                                        profile=profile, identity=identity,
                                        request_id=rid(request))
    return redirect("portal:edit", pk=application.pk)


def _precheck(application: Application) -> dict[str, Any]:
    case = assess(application)
    return {"assessment": case.assessment, "errors": case.errors}


@area("portal")
def check_answers(request: AuthedRequest, pk: int) -> HttpResponse:
    """Check your answers, then the declaration: the last page before submitting."""
    application = _get(request, pk)
    if application.state != State.DRAFT:
        return redirect("portal:detail", pk=pk)
    if submission.problems(application):
        return redirect(f"{reverse('portal:edit', args=[pk])}?check=1#error-summary")
    return render(request, "portal/check.html", {
        "application": application, "answers": _answers(application),
        "route_label": dict(PR_ROUTES).get(application.identity.get("route", ""), ""),
        "records": application.profile.get("employment_records") or [],
        "documents": application.documents.all(), "client_txn_id": uuid.uuid4().hex,
        **_precheck(application)})


def _answers(application: Application) -> list[dict[str, Any]]:
    """Every answer given, as its page asked it (check answers and the case page)."""
    values = {**application.identity, **application.profile}
    fields = [f for f in fields_for(application.programme) if values.get(f.name) not in
              (None, "")]
    if application.programme == PR:
        route = application.identity.get("route", "")
        fields = [f for f in fields if not f.route or f.route == route]
    return [_answer_row(application, f, values[f.name]) for f in fields]


def _answer_row(application: Application, field: Field, value: Any) -> dict[str, Any]:
    """One line of "Check your answers": asked as the page asked it, with its Change link."""
    slug = tasks.page_of(application, field.name)
    located = tasks.page(application, slug)
    question = located[1].question if located else None
    if question is not None and question.inverted and isinstance(value, bool):
        value = not value
    return {"name": field.name, "label": question.text if question else field.label,
            "value": value, "change": reverse("portal:page", args=[application.pk, slug])
            + f"#f-{field.name}"}


@require_POST
@area("portal")
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Submit after the declaration; anything missing sends the applicant back to it."""
    _get(request, pk)  # a case the caller may not see is "not found", whatever was sent
    if request.POST.get("declaration") != "yes":
        messages.error(request, _("Confirm the declaration to submit your application."))
        return redirect("portal:check", pk=pk)
    try:
        actions.perform("submit", application_id=pk, by=request.user,
                        client_txn_id=request.POST.get("client_txn_id", ""),
                        data={"declared": True}, request_id=rid(request))
    except NotFound:
        raise Http404 from None
    except IncompleteApplication:
        return redirect(f"{reverse('portal:edit', args=[pk])}?check=1#error-summary")
    except CaseworkError as exc:
        messages.error(request, exc.detail)
        return redirect("portal:detail", pk=pk)
    return redirect("portal:submitted", pk=pk)


@area("portal")
def submitted(request: AuthedRequest, pk: int) -> HttpResponse:
    """The confirmation panel: reference, what happens next, how long, who to ask."""
    application = _get(request, pk)
    if application.state == State.DRAFT:
        return redirect("portal:edit", pk=pk)
    from kvisa.pathways.costs import processing_days

    assessment = assess(application).assessment
    days = processing_days(application.programme, assessment, timezone.localdate(), {})
    return render(request, "portal/submitted.html", {
        "application": application, "days": days,
        "contact": settings.CONTACT_EMAIL})


@require_POST
@area("portal")
def mrz_prefill(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    text = request.POST.get("mrz", "")[:400]
    try:
        parsed = mrz.parse(text)
    except DocumentError as exc:
        return _mrz_again(request, pk, text, [_("Could not read the lines: %(why)s")
                                              % {"why": exc}], fixable=False)
    if not parsed.valid and request.POST.get("use_anyway") != "yes":
        # an invalid zone fills nothing unless the applicant confirms it is what the
        # passport shows (a damaged passport can carry a wrong check digit)
        return _mrz_again(request, pk, text, _mrz_problems(parsed), fixable=True)
    fields = parsed.fields
    identity = {**application.identity, "surname": fields.get("surname", ""),
                "given_names": fields.get("given_names", ""),
                "sex": fields.get("sex", "").replace("<", "X"),
                "passport_number": fields.get("document_number", ""),
                "passport_expiry": fields.get("expiry_date") or ""}
    profile = {**application.profile, "nationality": fields.get("nationality", "").replace(
        "<", ""), "date_of_birth": fields.get("birth_date") or ""}
    try:
        services.application_save_draft(application_id=pk, by=request.user, profile=profile,
                                        identity=identity, request_id=rid(request))
    except CaseworkError as exc:
        messages.error(request, exc.detail)
    return redirect("portal:page", pk=pk, slug="identity")


MRZ_FIELDS = {"document_number": gettext_lazy("passport number"),
              "birth_date": gettext_lazy("date of birth"),
              "expiry_date": gettext_lazy("expiry date"),
              "valid_until": gettext_lazy("valid-until date"),
              "optional_data": gettext_lazy("personal number"),
              "composite": gettext_lazy("second line as a whole (final check digit)")}


def _mrz_problems(parsed: mrz.ParsedMRZ) -> list[str]:
    found = [_("The check digit of the %(field)s is %(found)s, but the characters before it "
               "give %(expected)s.") % {"field": MRZ_FIELDS.get(c.field, c.field),
                                        "found": c.found, "expected": c.expected}
             for c in parsed.checks if not c.ok]
    return found + [str(p) for p in parsed.problems]


def _mrz_again(request: AuthedRequest, pk: int, text: str, problems: list[str], *,
               fixable: bool) -> HttpResponse:
    """Back to the form with the pasted lines kept and what is wrong with them."""
    request.session[f"mrz-{pk}"] = {"text": text, "problems": problems, "fixable": fixable}
    return redirect(f"{reverse('portal:page', args=[pk, 'identity'])}#mrz-box")


@require_POST
@area("portal")
def upload(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, _("Choose at least one file."))
    if len(files) > services.MAX_FILES_PER_REQUEST:
        messages.error(request, _("Upload at most %(n)d files at a time; nothing was "
                                  "uploaded.") % {"n": services.MAX_FILES_PER_REQUEST})
        files = []
    for file in files:
        if file.size and file.size > services.max_upload():
            messages.error(request, _("%(name)s: larger than 10 MB.") % {"name": file.name})
            continue
        try:
            services.document_upload(application_id=application.pk, by=request.user,
                                     kind=request.POST.get("kind", ""), name=file.name or "upload",
                                     data=file.read(services.max_upload() + 1),
                                     request_id=rid(request))
            messages.success(request, _("%(name)s uploaded.") % {"name": file.name})
        except CaseworkError as exc:
            messages.error(request, f"{file.name}: {exc.detail}")
    if application.state == State.DRAFT:
        return redirect("portal:page", pk=pk, slug="documents")
    return redirect("portal:detail", pk=pk)


def _form_data(request: AuthedRequest) -> dict[str, Any]:
    """A POSTed form as the action's input: repeated fields (reasons) as lists."""
    return {key: (request.POST.getlist(key) if len(request.POST.getlist(key)) > 1 or
                  key == "reasons" else request.POST.get(key)) for key in request.POST}


def _act(request: AuthedRequest, work: Callable[[], object],
         done: str | Callable[[Any], str], to: str) -> HttpResponse:
    """Run a state change from a form: its message on success (``done``, or made from
    what the work returned), the service's reason on refusal, "not found" for a case
    the caller may not see; then back to ``to``."""
    try:
        result = work()
        messages.success(request, done(result) if callable(done) else done)
    except NotFound:
        raise Http404 from None
    except CaseworkError as exc:
        messages.error(request, exc.detail)
    return redirect(to)


def _perform(request: AuthedRequest, pk: int, name: str, target: str) -> HttpResponse:
    """Run a case action from a form; the service decides whether this user may."""
    if name not in actions.ACTIONS:
        raise Http404
    post = request.POST
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    return _act(request, lambda: actions.perform(
        name, application_id=pk, by=request.user, client_txn_id=post.get("client_txn_id", ""),
        data=_form_data(request), request_id=rid(request), expected_version=version),
        lambda application: actions.done_message(name, application), reverse(target, args=[pk]))


@require_POST
@area("portal")
def applicant_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    return _perform(request, pk, action, "portal:detail")


@area("portal")
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    return render(request, "portal/detail.html", {
        **_what_next(application), "answers": _answers(application),
        "route_label": dict(PR_ROUTES).get(application.identity.get("route", ""), ""),
        "records": application.profile.get("employment_records") or [],
        "application": application, "actions": application.actions.select_related("actor"),
        "documents": application.documents.all(),
        "open_request": application.evidence_requests.filter(answered_at__isnull=True).last(),
        "client_txn_id": uuid.uuid4().hex, "document_kinds": services.DOCUMENT_KINDS,
        "max_files_per_request": services.MAX_FILES_PER_REQUEST,
        "max_documents": services.MAX_DOCUMENTS_PER_APPLICATION,
        "available": actions.available(application, request.user),
        "visa": getattr(application, "visa", None), "card": _current_card(application)})


def _what_next(application: Application) -> dict[str, Any]:
    """What happens next on this case, and by when at the latest the programme's published
    processing time says (None where it publishes none: no date is promised)."""
    from kvisa.pathways.costs import processing_days

    days = None
    pending = application.state in (State.SUBMITTED, State.UNDER_REVIEW,
                                    State.EVIDENCE_REQUESTED)
    if pending:
        days = processing_days(application.programme, assess(application).assessment,
                               timezone.localdate(), {})
    latest = None
    if days and days.get("max") and application.submitted_at:
        latest = timezone.localtime(application.submitted_at).date() + dt.timedelta(
            days=int(days["max"]))
    return {"days": days, "decision_by": latest, "pending": pending}


def _current_card(application: Application) -> ResidentCard | None:
    return application.resident_cards.filter(superseded_at__isnull=True).order_by("-pk").first()


CARD_FILES = {"front": ("front_sha256", "image/png", "front.png"),
              "back": ("back_sha256", "image/png", "back.png"),
              "pdf": ("pdf_sha256", "application/pdf", "card.pdf")}


@login_required
def card_download(request: AuthedRequest, pk: int, card: int, face: str) -> FileResponse:
    """A card's face (PNG) or both faces (PDF), for the holder and the case's staff."""
    application = _get(request, pk)
    found = application.resident_cards.filter(pk=card).first()
    if found is None or face not in CARD_FILES:
        raise Http404
    field, media, suffix = CARD_FILES[face]
    sha = getattr(found, field)
    if not sha:
        raise Http404
    services.personal_data_viewed(application=application, by=request.user,
                                  what=f"card.{found.pk}.{face}", request_id=rid(request))
    return FileResponse(uploads.open_stream(sha), as_attachment=face == "pdf",
                        filename=f"resident-card-{found.number}-{suffix}", content_type=media)


@require_POST
@area("console")
def card_reissue(request: AuthedRequest, pk: int, card: int) -> HttpResponse:
    application = _get(request, pk)
    if not application.resident_cards.filter(pk=card).exists():
        raise Http404
    try:
        new = card_issuance.card_reissue(card_id=card, by=request.user,
                                         reason=request.POST.get("reason", ""),
                                         note=request.POST.get("note", "")[:500],
                                         request_id=rid(request))
    except CaseworkError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("A new card with number %(number)s is issued, valid until "
                                    "%(until)s; the earlier card is superseded.")
                         % {"number": new.number, "until": new.valid_until.isoformat()})
    return redirect("console:case", pk=pk)


@login_required
def evisa_download(request: AuthedRequest, pk: int) -> FileResponse:
    application = _get(request, pk)
    visa = getattr(application, "visa", None)
    if visa is None:
        raise Http404
    services.personal_data_viewed(application=application, by=request.user, what="evisa",
                                  request_id=rid(request))
    return FileResponse(uploads.open_stream(visa.pdf_sha256), as_attachment=True,
                        filename=f"e-visa-{visa.number}.pdf", content_type="application/pdf")


@require_POST
@area("portal")
def document_remove(request: AuthedRequest, pk: int, doc: int) -> HttpResponse:
    return _act(request, lambda: services.document_remove(
        application_id=pk, document_id=doc, by=request.user, request_id=rid(request)),
        _("The document is removed; you can upload another."),
        reverse("portal:page", args=[pk, "documents"]))


@login_required
def document_view(request: AuthedRequest, pk: int, doc: int) -> FileResponse:
    application = _get(request, pk)
    document = application.documents.filter(pk=doc).first()
    if document is None:
        raise Http404
    services.personal_data_viewed(application=application, by=request.user,
                                  what=f"document.{document.pk}", request_id=rid(request))
    # A PDF is stored as uploaded and may carry JavaScript or be a polyglot: it is
    # always a download, never rendered by the browser inside the site.  Images
    # were decoded and re-encoded on upload, so they may be shown inline.
    is_pdf = document.media_type == "application/pdf"
    response = FileResponse(uploads.open_stream(document.sha256),
                            content_type=document.media_type, as_attachment=is_pdf,
                            filename=f"document-{document.pk}.pdf" if is_pdf else "")
    if not is_pdf:
        response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# ------------------------------------------------------------------ officer console

def _case_facts(application: Application) -> list[tuple[str, Any]]:
    """(name, value) of every answer kept, in the order the form asks them; anything
    kept that the form no longer asks (an API client's extra fact) comes last, so the
    officer sees all of it."""
    values = {**application.identity, **application.profile}
    asked = [f.name for f in fields_for(application.programme) if f.name in values]
    return [(name, values[name]) for name in asked] + [
        (name, value) for name, value in values.items() if name not in set(asked)]

@area("console")
def case(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    services.personal_data_viewed(application=application, by=request.user, what="case",
                                  request_id=rid(request))
    case_assessment = assess(application)
    assessment = case_assessment.assessment
    by_year = (employment_by_year(case_assessment.facts, case_assessment.on)
               if application.programme == PR else [])
    officers = User.objects.filter(role__in=roles_with(Permission.WORK_CASES)).exclude(
        pk=application.applicant_id)
    return render(request, "console/case.html", {
        "application": application, "assessment": assessment, "by_year": by_year,
        "route_label": dict(PR_ROUTES).get(application.identity.get("route", ""), ""),
        "failed": [c for c in assessment.criteria
                   if c.id in set(decisions.refusal_reasons(assessment))],
        "actions": application.actions.select_related("actor"),
        "last_change": application.actions.select_related("actor").last(),
        "documents": application.documents.all(), "client_txn_id": uuid.uuid4().hex,
        # the yearly records have a table of their own beside the answers: not twice
        "facts": [(name, value) for name, value in _case_facts(application)
                  if not (by_year and name == "employment_records")],
        "photo": application.documents.filter(kind="photo").order_by("-pk").first(),
        "requests": application.evidence_requests.all(), "officers": officers,
        "visa": getattr(application, "visa", None),
        "cards": card_issuance.card_history(application),
        "reissue_reasons": [(r.value, r.label) for r in card_issuance.REISSUE_REASONS],
        "available": actions.available(application, request.user),
        "duplicate_flags": application.duplicate_flags.select_related("other"),
        "default_due": (dt.date.today() + dt.timedelta(days=14)).isoformat()})


@require_POST
@area("console")
def case_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action in CONFIRMED_DECISIONS and request.POST.get("confirmed") != "yes":
        # a decision from the web always passes its confirmation page first
        _get(request, pk)
        query = {"note": request.POST.get("note", ""),
                 "reasons": request.POST.getlist("reasons")}
        return redirect(f"{reverse('console:confirm', args=[pk, action])}?"
                        f"{urlencode(query, doseq=True)}")
    return _perform(request, pk, action, "console:case")


CONFIRMED_DECISIONS = ("approve", "refuse")


@area("console")
def confirm_decision(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """The decision summarised before it is made: one click never issues or refuses."""
    if action not in CONFIRMED_DECISIONS:
        raise Http404
    application = _get(request, pk)
    if action not in actions.available(application, request.user):
        messages.error(request, _("This decision is not open to you now."))
        return redirect("console:case", pk=pk)
    assessment = assess(application).assessment
    allowed = decisions.refusal_reasons(assessment)
    chosen = [r for r in request.GET.getlist("reasons") if r]
    note = request.GET.get("note", "")[:4000]
    if action == "refuse":
        moot = [r for r in chosen if r not in allowed]
        if moot or not (chosen or note.strip()):
            messages.error(request, _("Give at least one reason: a criterion that is not met, "
                                      "or an explanation.") if not moot else
                           _("Only criteria that are not met and that decide the case can be "
                             "reasons."))
            return redirect("console:case", pk=pk)
    by_id = {c.id: c for c in assessment.criteria}
    opened = decisions.documents_opened(application, request.user.email)
    documents = list(application.documents.all())
    return render(request, "console/confirm.html", {
        "application": application, "action": action, "assessment": assessment,
        "relied_on": [c for c in assessment.criteria if c.result == "met"],
        "open_criteria": [c for c in assessment.criteria if c.result == "unknown"],
        "reasons": [by_id[r] for r in chosen], "note": note,
        "documents": [(d, opened.get(d.pk, False)) for d in documents],
        "unopened": sum(1 for d in documents if not opened.get(d.pk)),
        "client_txn_id": uuid.uuid4().hex,
        "route_label": dict(PR_ROUTES).get(application.identity.get("route", ""), "")})


@area("workload")
def workload(request: AuthedRequest) -> HttpResponse:
    loads, unassigned = selectors.team_workload(user=request.user)
    return render(request, "console/workload.html", {
        "loads": loads, "unassigned": unassigned, "officers": loads,
        "client_txn_id": uuid.uuid4().hex})


@require_POST
@area("workload")
def workload_reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    """A supervisor moves a case to another officer from the workload page."""
    return _act(request, lambda: actions.perform(
        "reassign", application_id=pk, by=request.user,
        client_txn_id=request.POST.get("client_txn_id", ""),
        data={"officer_id": request.POST.get("officer_id", "")}, request_id=rid(request)),
        _("The case is reassigned."), reverse("console:workload"))


# ------------------------------------------------------------------ public verification

def verify_page(request: AuthedRequest) -> HttpResponse:
    """Anyone checks a seal: the answer in words, the pasted text kept on error."""
    result, error, detail = None, None, ""
    pasted = request.POST.get("seal", "")[:20_000] if request.method == "POST" else ""
    if request.method == "POST":
        wait = public_budget.retry_after(request, "verify")
        if wait is not None:
            return public_budget.too_many_page(request, wait)
        try:
            upload_file = request.FILES.get("file")
            if upload_file is not None:
                if upload_file.size and upload_file.size > evisa.MAX_IMAGE_BYTES:
                    raise DocumentError(_("The file is larger than 15 MB."))
                try:
                    with public_budget.deadline():
                        data = evisa.find_seal(upload_file.read())
                except (DocumentError, public_budget.DeadlineExceeded) as exc:
                    detail = str(exc)
                    raise DocumentError(_("No seal could be read from this file. Upload the "
                                          "e-visa PDF, or a sharp photo of its barcode.")) from None
            else:
                data = seal_reading.seal_bytes_from_text(pasted)
            result = verify(data, trusted_certificates())
        except DocumentError as exc:
            error = str(exc)
    reading = seal_reading.read(result) if result is not None else None
    card = seal_reading.read_card(result) if result is not None else None
    status_words = seal_reading.STATUS_WORDS.get(result.status, "") if result else ""
    return render(request, "verify.html", {"result": result, "error": error, "detail": detail,
                                           "pasted": pasted, "reading": reading,
                                           "card": card,
                                           "status_words": status_words})


def signer_certificate(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(signer_certificate_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="kvisa-visa-signer.pem"'
    return response


def audit_public_keys(request: AuthedRequest) -> HttpResponse:
    """The audit keys' public halves, so a checkpoint file can be checked anywhere."""
    from kvisa.audit import keys as audit_keys

    response = HttpResponse(audit_keys.public_keys_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="kvisa-audit-keys.pem"'
    return response
