"""The applicant's draft as a task list and one page per group of questions.

The task list (``portal:edit``) shows each section with its status and, when a
submission was refused, every missing answer linked to the page that asks it.
Each page saves as the applicant types (htmx autosave) and on "Save and
continue"; a page posts only its own questions and the rest of the draft is
kept (:func:`kvisa.casework.profile_form.merged_post`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kvisa.accounts.typing import AuthedRequest
from kvisa.casework import document_kinds, service_programmes, services, submission, tasks
from kvisa.casework.errors import CaseworkError
from kvisa.casework.models import Application, State
from kvisa.casework.profile_form import (
    PR,
    PR_ROUTES,
    RECORD_FIELDS,
    degree_answers,
    merged_post,
    parse_post,
    record_rows,
    record_years,
)
from kvisa.rules import reference
from kvisa.web.case_views import _get, _precheck, area, rid


def _draft(request: AuthedRequest, pk: int) -> Application | HttpResponse:
    application = _get(request, pk)
    if application.state != State.DRAFT:
        return redirect("portal:detail", pk=pk)
    return application


@area("portal")
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The task list: sections with their status; after a refused submission, every
    missing answer, each linked to the page that asks it."""
    application = _draft(request, pk)
    if isinstance(application, HttpResponse):
        return application
    found = submission.problems(application) if request.GET.get("check") else []
    linked = [(reverse("portal:page", args=[pk, tasks.page_of(application, p.field)])
               + f"#f-{p.field}", p.message) for p in found]
    return render(request, "portal/tasks.html", {
        "application": application, "tasks": tasks.task_list(application,
                                                             timezone.localdate()),
        "problems": linked, "statuses": tasks.STATUS_LABELS,
        "client_txn_id": uuid.uuid4().hex, **_precheck(application)})


def _page_context(application: Application, section: tasks.Section, page: tasks.Page,
                  found: list[submission.Problem]) -> dict[str, Any]:
    today = timezone.localdate()
    route = str(application.identity.get("route", ""))
    mine = [p for p in found if p.field in page.names]
    context: dict[str, Any] = {
        "application": application, "section": section, "page": page,
        "values": {**application.identity, **application.profile,
                   **degree_answers(application.profile)},
        "problems": mine, "field_problems": {p.field: p.message for p in mine},
        "route": route, "pr": application.programme == PR,
    }
    if page.kind == "route":
        assessment = _precheck(application)["assessment"]
        context.update(routes=PR_ROUTES, route_results={
            code: assessment.routes.get(f"{PR}.route.{code}") for code, _label in PR_ROUTES})
    if page.kind == "records":
        context.update(record_fields=RECORD_FIELDS, records=record_rows(today,
                                                                       application.profile),
                       employment_years=record_years(today, {}),
                       wage_cities=reference.cities())
    if page.kind == "documents":
        uploaded = set(application.documents.values_list("kind", flat=True))
        context.update(
            checklist=[(r, r.met_by(uploaded)) for r in service_programmes.required(
                application.programme, route)],
            document_kinds=service_programmes.upload_kinds(application.programme, route),
            next_kind=service_programmes.next_kind(application.programme, route, uploaded),
            list_status=document_kinds.STATUS,
            max_files_per_request=services.MAX_FILES_PER_REQUEST,
            max_documents=services.MAX_DOCUMENTS_PER_APPLICATION,
            client_txn_id=uuid.uuid4().hex)
    return context


@area("portal")
def form_page(request: AuthedRequest, pk: int, slug: str) -> HttpResponse:
    """One page of a section. POST saves it (never losing what was typed), then goes
    on to the section's next page, or back to the task list at the section's end;
    answers that do not read as answers keep the applicant on the page, each named."""
    application = _draft(request, pk)
    if isinstance(application, HttpResponse):
        return application
    located = tasks.page(application, slug)
    if located is None:
        raise Http404
    section, page = located
    if request.method == "POST" and page.kind != "documents":
        try:
            application = _save(request, application, page)
        except CaseworkError as exc:
            messages.error(request, exc.detail)
            return redirect("portal:page", pk=pk, slug=slug)
        wrong = [p for p in submission.problems(application)
                 if p.field in page.names and _is_bad_value(application, p.field)]
        if not wrong:
            following = tasks.next_page(application, slug)
            if following is not None:
                return redirect("portal:page", pk=pk, slug=following.slug)
            return redirect("portal:edit", pk=pk)
        located = tasks.page(application, slug) or located
        section, page = located
        context = _page_context(application, section, page, wrong)
    else:
        found = submission.problems(application) if request.GET.get("check") else []
        context = _page_context(application, section, page, found)
        context["mrz_attempt"] = request.session.pop(f"mrz-{pk}", None) \
            if page.slug == "identity" else None
    return render(request, "portal/page.html", {**context, **_precheck(application)})


def _is_bad_value(application: Application, name: str) -> bool:
    """An answer given but not readable, or one no application can go without (said at
    once on its page); other missing answers may wait, and the page moves on."""
    if name in submission.required_names(application.programme) \
            or name in submission.CHECKED_AT_ONCE:
        return True
    if name == "route":
        return False
    if name == "records":
        return bool(application.profile.get("employment_records"))
    if name == "other_degree_level":
        return True
    values = {**application.identity, **application.profile}
    return values.get(name) not in (None, "")


def _save(request: AuthedRequest, application: Application, page: tasks.Page) -> Application:
    posted: dict[str, Any] = dict(request.POST.items())
    if page.question is not None:
        answer = posted.get(page.question.field, "")
        if page.question.inverted and answer in ("true", "false"):
            posted[page.question.field] = "false" if answer == "true" else "true"
    data = merged_post(application.identity, application.profile, posted)
    profile, identity = parse_post(data, application.programme)
    return services.application_save_draft(application_id=application.pk, by=request.user,
                                           profile=profile, identity=identity,
                                           request_id=rid(request))


@require_POST
@area("portal")
def autosave(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save as the applicant types (htmx); answers the page's live pre-check."""
    application = _get(request, pk)
    slug = request.POST.get("page", "")
    located = tasks.page(application, slug) if slug else None
    try:
        if located is not None:
            application = _save(request, application, located[1])
        else:
            profile, identity = parse_post(merged_post(application.identity,
                                                       application.profile, request.POST),
                                           application.programme)
            application = services.application_save_draft(
                application_id=application.pk, by=request.user, profile=profile,
                identity=identity, request_id=rid(request))
    except CaseworkError as exc:
        return HttpResponse(exc.detail, status=exc.status)
    return render(request, "portal/_precheck.html", {"application": application,
                                                     "saved": True, **_precheck(application)})


@require_POST
@area("portal")
def choose_route(request: AuthedRequest, pk: int) -> HttpResponse:
    """Permanent residence: the route applied under decides which questions follow."""
    application = _get(request, pk)
    route = request.POST.get("route", "")
    if application.programme != PR or route not in dict(PR_ROUTES):
        messages.error(request, _("Choose one of the routes."))
        return redirect("portal:page", pk=pk, slug="route")
    try:
        services.application_save_draft(
            application_id=application.pk, by=request.user, profile=application.profile,
            identity={**application.identity, "route": route}, request_id=rid(request))
    except CaseworkError as exc:
        messages.error(request, exc.detail)
        return redirect("portal:page", pk=pk, slug="route")
    return redirect("portal:edit", pk=pk)
