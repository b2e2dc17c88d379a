"""Every command that changes a case.  One transaction each, with its journal
entry and audit event; a retry with the same client transaction id is applied
once; the row lock makes concurrent decisions safe (the second gets a conflict).

Names follow ``<entity>_<action>(*, …)`` so ``grep application_`` lists
everything that can happen to an application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kvisa.accounts.models import AdviserLink, User
from kvisa.audit import log as audit
from kvisa.casework import decisions, document_kinds, duplicates, submission, uploads
from kvisa.casework.assessment import assess
from kvisa.casework.errors import (
    Forbidden,
    IncompleteApplication,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from kvisa.casework.issuers import issuer_for
from kvisa.casework.models import (
    Application,
    Decision,
    Document,
    DuplicateFlag,
    EvidenceRequest,
    State,
)
from kvisa.casework.notifications import notify
from kvisa.casework.policy import (
    Permission,
    decide,
    roles_with,
)
from kvisa.casework.service_programmes import default_programme, reference_prefix, service_for
from kvisa.casework.transitions import acting_capacity, locked, transition
from kvisa.casework.workflow import REVERSAL_WINDOW_DAYS
from kvisa.documents.errors import DocumentError
from kvisa.rules import PROGRAMMES, ProfileError, validate_profile
from kvisa.rules.facts import ALIASES, FACTS_BY_NAME

DOCUMENT_KINDS = document_kinds.KINDS
IDENTITY_FIELDS = ("surname", "given_names", "sex", "passport_number", "passport_expiry",
                   "old_card_number", "route", "chinese_name",
                   "passport_issuing_state", "institution_name", "institution_country",
                   "phone", "home_address", "intended_entry_date", "visited_china_before")


# ------------------------------------------------------------------ drafts

def application_create(*, applicant: User, programme: str = "", by: User | None = None,
                       request_id: str = "") -> Application:
    by = by or applicant
    programme = programme or default_programme()
    if programme not in {p.id for p in PROGRAMMES}:
        raise InvalidInput(_("Unknown programme %(id)s.") % {"id": programme})
    if service_for(programme) is None:
        raise InvalidInput(_("This service takes no applications for %(id)s: compare it on "
                             "the pathways page instead.") % {"id": programme})
    decide(applicant, Permission.APPLY).enforce()
    decide(by, Permission.ACT_FOR, applicant).enforce()
    with transaction.atomic():
        application = Application.objects.create(applicant=applicant, programme=programme)
        application.reference = f"{reference_prefix(programme)}{application.pk:08d}"
        application.save(update_fields=["reference"])
        audit.record(actor=by.email, action="application.create", object_type="application",
                     object_id=application.pk, after={"programme": programme},
                     request_id=request_id)
    return application


def application_save_draft(*, application_id: int, by: User, profile: dict[str, Any],
                           identity: dict[str, Any], request_id: str = "") -> Application:
    """Autosave: keeps whatever was typed; only known, well-typed facts are kept in the
    profile (the rest is reported back so the page can show it beside the field)."""
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown identity field %(name)s.") % {"name": sorted(unknown)[0]})
    _check_draft_bounds(profile, identity)
    with transaction.atomic():
        application = locked(application_id)
        acting_capacity(by, application, "edit_draft")
        if application.state != State.DRAFT:
            raise NotAllowed(_("Only a draft can be edited."))
        before = {"profile": application.profile, "identity": application.identity}
        application.profile = {k: v for k, v in profile.items() if v not in (None, "")}
        application.identity = {k: v for k, v in identity.items() if v not in (None, "")}
        application.nationality = str(application.profile.get("nationality", ""))[:3]
        application.version += 1
        application.updated_at = timezone.now()
        application.save()
        after = {"profile": application.profile, "identity": application.identity}
        # the audit keeps which fields changed and a digest of the new draft, not two
        # full copies per autosave (the draft itself is on the application row)
        changed = sorted({f"{part}.{key}" for part in ("profile", "identity")
                          for key in set(before[part]) | set(after[part])
                          if before[part].get(key) != after[part].get(key)})
        audit.record(actor=by.email, action="application.save_draft",
                     object_type="application", object_id=application.pk,
                     after={"changed": changed, "sha256": _digest(after)},
                     request_id=request_id)
    return application


MAX_DRAFT_BYTES = 64 * 1024
MAX_VALUE_CHARS = 500


def _digest(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str,
                                     ensure_ascii=False).encode()).hexdigest()


def _check_draft_bounds(profile: dict[str, Any], identity: dict[str, Any]) -> None:
    """Only known facts, each value of a sane size, the whole draft bounded.

    A value that does not parse yet is kept (the page shows the problem beside
    the field); a key that is no fact at all, or a megabyte in one field, is refused.
    """
    for name in profile:
        if name not in FACTS_BY_NAME and name not in ALIASES:
            raise InvalidInput(_("%(name)s: not a fact of the profile (see the JSON Schema "
                                 "at /api/v1/openapi.json).") % {"name": name})
    for name, value in (*profile.items(), *identity.items()):
        if len(json.dumps(value, default=str)) > MAX_VALUE_CHARS and name != "degrees":
            raise InvalidInput(_("%(name)s: the value is too long.") % {"name": name})
    if len(json.dumps({"p": profile, "i": identity}, default=str)) > MAX_DRAFT_BYTES:
        raise InvalidInput(_("The draft is too large (at most %(kb)d KB).")
                           % {"kb": MAX_DRAFT_BYTES // 1024})


def application_submit(*, application_id: int, by: User, client_txn_id: str,
                       request_id: str = "", expected_version: int | None = None,
                       declared: bool = False) -> Application:
    def check(application: Application) -> dict[str, Any]:
        found = submission.problems(application)
        if found:
            raise IncompleteApplication(
                ngettext("%(n)d answer needs your attention before you submit: %(first)s",
                         "%(n)d answers need your attention before you submit; the first: "
                         "%(first)s", len(found)) % {"n": len(found), "first": found[0].message},
                [{"field": p.field, "message": p.message} for p in found])
        try:
            validate_profile(application.profile)
        except ProfileError as exc:  # a contradiction the per-field checks cannot see
            raise InvalidInput(str(exc)) from None
        verdict = assess(application).verdict
        application.precheck = verdict
        application.submitted_at = timezone.now()
        flags = duplicates.find(application)
        notify(application, "submit")
        return {"precheck": verdict, **({"declared": True} if declared else {}),
                **({"possible_duplicates": [f.other_id for f in flags]} if flags else {})}

    return transition(application_id=application_id, action="submit", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=check,
                       expected_version=expected_version)


def application_withdraw(*, application_id: int, by: User, client_txn_id: str,
                         request_id: str = "", expected_version: int | None = None
                         ) -> Application:
    return transition(application_id=application_id, action="withdraw", by=by,
                       client_txn_id=client_txn_id, request_id=request_id,
                       expected_version=expected_version)


# ------------------------------------------------------------------ review

def application_assign(*, application_id: int, by: User, client_txn_id: str,
                       request_id: str = "", expected_version: int | None = None
                       ) -> Application:
    def assign(application: Application) -> dict[str, Any]:
        application.assigned_to = by
        return {"assigned_to": by.pk}

    return transition(application_id=application_id, action="assign", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=assign,
                       expected_version=expected_version)


def application_reassign(*, application_id: int, by: User, officer_id: int,
                         client_txn_id: str, request_id: str = "",
                         expected_version: int | None = None) -> Application:
    def assign(application: Application) -> dict[str, Any]:
        officer = User.objects.filter(pk=officer_id, role__in=roles_with(Permission.WORK_CASES),
                                      is_active=True).first()
        if officer is None:
            raise InvalidInput(_("Cases can only be assigned to officers."))
        if application.applicant_id == officer.pk:
            raise Forbidden(_("An officer cannot review their own application."))
        application.assigned_to = officer
        return {"assigned_to": officer.pk}

    return transition(application_id=application_id, action="reassign", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=assign,
                       expected_version=expected_version)


def application_request_evidence(*, application_id: int, by: User, message: str,
                                 due_date: dt.date, client_txn_id: str, request_id: str = "",
                                 expected_version: int | None = None) -> Application:
    if not message.strip():
        raise InvalidInput(_("Say what evidence is needed."))
    if due_date <= timezone.localdate():
        raise InvalidInput(_("The due date must be in the future."))

    def ask(application: Application) -> dict[str, Any]:
        request = EvidenceRequest.objects.create(application=application, message=message,
                                                 due_date=due_date, requested_by=by)
        notify(application, "request_evidence", message=message, due=due_date.isoformat())
        return {"evidence_request": request.pk, "due_date": due_date.isoformat()}

    return transition(application_id=application_id, action="request_evidence", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=ask,
                       expected_version=expected_version, payload={"message": message})


def application_answer_evidence(*, application_id: int, by: User, answer: str,
                                client_txn_id: str, request_id: str = "",
                                expected_version: int | None = None) -> Application:
    if not answer.strip():
        raise InvalidInput(_("Write an answer (documents can be uploaded too)."))

    def respond(application: Application) -> dict[str, Any]:
        pending = application.evidence_requests.filter(answered_at__isnull=True).last()
        if pending is None:
            raise NotAllowed(_("There is no open evidence request."))
        pending.answer, pending.answered_at = answer, timezone.now()
        pending.save()
        return {"evidence_request": pending.pk}

    return transition(application_id=application_id, action="answer_evidence", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=respond,
                       expected_version=expected_version)


def application_approve(*, application_id: int, by: User, note: str = "", client_txn_id: str,
                        request_id: str = "", expected_version: int | None = None
                        ) -> Application:
    """Approve; a K visa is then issued in the same transaction (MRZ, seal, e-visa)."""
    def decide(application: Application) -> dict[str, Any]:
        Decision.objects.create(application=application, outcome="approve", note=note,
                                decided_by=by)
        return {"note": note} if note else {}

    with transaction.atomic():
        application = transition(application_id=application_id, action="approve", by=by,
                                  client_txn_id=client_txn_id, request_id=request_id,
                                  effect=decide, expected_version=expected_version)

        issuer = issuer_for(application.programme)
        if application.state == State.APPROVED and issuer is not None:
            application = issuer(application=application, by=by, request_id=request_id,
                                 client_txn_id=f"{client_txn_id}:issue")
    return application


def application_refuse(*, application_id: int, by: User, reasons: list[str], note: str = "",
                       client_txn_id: str, request_id: str = "",
                       expected_version: int | None = None) -> Application:
    if not reasons and not note.strip():
        raise InvalidInput(_("Give at least one reason: a failed criterion or a note."))

    def decide(application: Application) -> dict[str, Any]:
        assessment = assess(application).assessment
        known = {c.id for c in assessment.criteria}
        unknown = [r for r in reasons if r not in known]
        if unknown:
            raise InvalidInput(_("Unknown criterion %(id)s.") % {"id": unknown[0]})
        allowed = set(decisions.refusal_reasons(assessment))
        moot = [r for r in reasons if r not in allowed]
        if moot:
            raise InvalidInput(_("%(id)s cannot be a reason: it is met, unknown, or an "
                                 "alternative that another met route makes moot.")
                               % {"id": moot[0]})
        Decision.objects.create(application=application, outcome="refuse", reasons=reasons,
                                note=note, decided_by=by)
        notify(application, "refuse")
        return {"reasons": reasons, "note": note}

    return transition(application_id=application_id, action="refuse", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=decide,
                       expected_version=expected_version)


def application_reverse(*, application_id: int, by: User, note: str, client_txn_id: str,
                        request_id: str = "", expected_version: int | None = None
                        ) -> Application:
    """A supervisor reopens a refusal within the reversal window."""
    if not note.strip():
        raise InvalidInput(_("Explain why the refusal is reversed."))

    def reopen(application: Application) -> dict[str, Any]:
        refusal = application.decisions.filter(outcome="refuse").last()
        if refusal is None or timezone.now() - refusal.decided_at > dt.timedelta(
                days=REVERSAL_WINDOW_DAYS):
            raise NotAllowed(_("Refusals can be reversed within %(days)d days.")
                             % {"days": REVERSAL_WINDOW_DAYS})
        Decision.objects.create(application=application, outcome="reverse", note=note,
                                decided_by=by)
        return {"note": note}

    return transition(application_id=application_id, action="reverse", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=reopen,
                       expected_version=expected_version)


def application_resolve_duplicate(*, application_id: int, by: User, flag_id: int,
                                  outcome: str, note: str = "", client_txn_id: str,
                                  request_id: str = "", expected_version: int | None = None
                                  ) -> Application:
    """An officer decides a possible duplicate: not a duplicate, linked (the same person,
    both cases stand), or refused as a duplicate (the refusal names the other case)."""
    if outcome not in (DuplicateFlag.NOT_DUPLICATE, DuplicateFlag.LINKED,
                       DuplicateFlag.REFUSED):
        raise InvalidInput(_("Choose: not a duplicate, linked, or refused."))
    other_reference = ""

    def resolve(application: Application) -> dict[str, Any]:
        nonlocal other_reference
        flag = application.duplicate_flags.select_related("other").filter(
            pk=flag_id, status=DuplicateFlag.OPEN).first()
        if flag is None:
            raise NotAllowed(_("There is no open duplicate flag %(id)s on this case.")
                             % {"id": flag_id})
        flag.status, flag.note = outcome, note
        flag.resolved_by, flag.resolved_at = by, timezone.now()
        flag.save()
        other_reference = flag.other.reference or str(flag.other_id)
        return {"flag": flag.pk, "outcome": outcome, "other": other_reference, "note": note}

    with transaction.atomic():
        application = transition(application_id=application_id, action="resolve_duplicate",
                                  by=by, client_txn_id=client_txn_id, request_id=request_id,
                                  effect=resolve, expected_version=expected_version)
        if outcome == DuplicateFlag.REFUSED and other_reference:
            application = application_refuse(
                application_id=application_id, by=by, reasons=[],
                note=_("Duplicate of %(ref)s. %(note)s") % {"ref": other_reference,
                                                             "note": note},
                client_txn_id=f"{client_txn_id}:refuse", request_id=request_id)
    return application


# ------------------------------------------------------------------ documents

def _check_photo(clean: uploads.CleanFile) -> None:
    """A passport-style photo: an image, upright, big enough, not blank."""
    from kvisa.documents import resident_card

    if clean.media_type == "application/pdf":
        raise InvalidInput(_("A photo must be a JPEG or PNG image, not a PDF."))
    try:
        resident_card.check_photo(clean.data)
    except DocumentError as exc:
        raise InvalidInput(_("This is not a usable photo: %(why)s.") % {"why": exc}) from None


def document_upload(*, application_id: int, by: User, kind: str, name: str, data: bytes,
                    request_id: str = "") -> Document:
    if kind not in DOCUMENT_KINDS:
        raise InvalidInput(_("Unknown document kind %(kind)s.") % {"kind": kind})
    clean = uploads.clean(data)  # refuses before anything is stored
    if kind == "photo":
        _check_photo(clean)
    try:
        application = Application.objects.get(pk=application_id)
    except Application.DoesNotExist:
        raise NotFound(_("No such application.")) from None
    acting_capacity(by, application, "upload")
    if application.state not in (State.DRAFT, State.EVIDENCE_REQUESTED):
        raise NotAllowed(_("Documents can be added to a draft or when evidence is requested."))
    created = uploads.store(clean)  # outside the transaction: a store outage is a 503
    try:
        with transaction.atomic():
            # counted under the case's row lock: concurrent uploads cannot pass the limit
            counted = locked(application.pk).documents.count()
            if counted >= MAX_DOCUMENTS_PER_APPLICATION:
                raise NotAllowed(_("This application already has %(n)d documents, the most "
                                   "it can hold; remove one to add another.")
                                 % {"n": MAX_DOCUMENTS_PER_APPLICATION})
            document = Document.objects.create(
                application=application, kind=kind, original_name=name[:200],
                media_type=clean.media_type, size=len(clean.data), sha256=clean.sha256,
                uploaded_by=by, active_content=clean.active_content)
            audit.record(actor=by.email, action="document.upload", object_type="application",
                         object_id=application.pk, after={"document": document.pk,
                                                          "sha256": clean.sha256,
                                                          "kind": kind,
                                                          "active_content":
                                                              clean.active_content},
                         request_id=request_id)
    except BaseException:
        if created and not Document.objects.filter(sha256=clean.sha256).exists():
            uploads.remove(clean.sha256)
        raise
    return document


def document_remove(*, application_id: int, document_id: int, by: User,
                    request_id: str = "") -> None:
    """Take a document off a draft (to replace a wrong or unreadable file).

    Only before submission: once an officer may have relied on a file it stays.
    The stored file goes too unless another document has the same content.
    """
    with transaction.atomic():
        application = locked(application_id)
        acting_capacity(by, application, "upload")
        document = application.documents.filter(pk=document_id).first()
        if document is None:
            raise NotFound(_("No such document."))
        if application.state != State.DRAFT:
            raise NotAllowed(_("A document can be removed only before the application is "
                               "submitted."))
        sha256 = document.sha256
        document.delete()
        audit.record(actor=by.email, action="document.remove", object_type="application",
                     object_id=application.pk, before={"document": document_id,
                                                       "sha256": sha256},
                     request_id=request_id)

        def unlink() -> None:
            if not Document.objects.filter(sha256=sha256).exists():
                uploads.remove(sha256)
        transaction.on_commit(unlink)


def personal_data_viewed(*, application: Application, by: User, what: str,
                         request_id: str = "") -> None:
    """Every staff view of an applicant's personal data is itself an audit event."""
    if not by.is_staff_role:
        return
    with transaction.atomic():
        audit.record(actor=by.email, action=f"view.{what}", object_type="application",
                     object_id=application.pk, request_id=request_id)


def adviser_grant(*, applicant: User, adviser_email: str, request_id: str = "") -> AdviserLink:
    adviser = User.objects.filter(email=adviser_email.lower(),
                                  role__in=roles_with(Permission.ACT_FOR_CLIENTS)).first()
    if adviser is None:
        raise InvalidInput(_("No adviser account with that e-mail."))
    with transaction.atomic():
        link, _created = AdviserLink.objects.get_or_create(applicant=applicant, adviser=adviser,
                                                           revoked_at=None)
        audit.record(actor=applicant.email, action="adviser.grant", object_type="user",
                     object_id=applicant.pk, after={"adviser": adviser.email},
                     request_id=request_id)
    return link


def adviser_revoke(*, applicant: User, link_id: int, request_id: str = "") -> None:
    with transaction.atomic():
        link = AdviserLink.objects.select_for_update().filter(
            pk=link_id, applicant=applicant, revoked_at__isnull=True).first()
        if link is None:
            raise NotFound(_("No such adviser link."))
        link.revoked_at = timezone.now()
        link.save()
        audit.record(actor=applicant.email, action="adviser.revoke", object_type="user",
                     object_id=applicant.pk, after={"adviser": link.adviser.email},
                     request_id=request_id)


# Enough for every required document, a few replacements and evidence asked for
# later; more would only be a way to fill the disk (each file is up to 10 MB).
MAX_DOCUMENTS_PER_APPLICATION = 20
MAX_FILES_PER_REQUEST = 5


def max_upload() -> int:
    return int(settings.MAX_UPLOAD_BYTES)
