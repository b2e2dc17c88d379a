"""Personal data: what kvisa keeps, for how long, and what analysts may see.

Classes of data and their retention (the periods are kvisa's defaults, set by
``RETENTION``; a deployment sets its own under its law — PIPL Art. 19 and GDPR
Art. 5(1)(e) ask for no longer than the purpose needs):

* identity (names, passport, sex) and the profile (birth date, degrees, work):
  while the case is open; then 2 years after a refusal or withdrawal, 2 years
  after the visa's validity ends, 1 year after a draft was last touched;
* documents (passport page, certificates, photos): with the identity;
* decisions and the journal: kept — who decided what, when and why — with the
  person's data removed from the case;
* the audit log: kept in full (it holds e-mail addresses of staff and applicants,
  ids and changed-field names, no profile values).

``purge`` removes what is due: the case's identity and profile are cleared
(nationality, the only field the published statistics use, stays), its
documents' files are deleted unless another case holds the same file, and an
audit event records the purge — in one transaction per case.

``pseudonymised_rows`` is the only extract analysts get (PIPL Art. 6, GDPR Art.
5(1)(c) minimisation): a keyed hash instead of any id, nationality, programme,
state, the week of submission and the days to a decision — no names, passports,
birth dates or free text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from kvisa.audit import log as audit
from kvisa.casework import uploads
from kvisa.casework.models import Application, Decision, Document, State

RETENTION = {
    "draft": dt.timedelta(days=365),           # after the last change
    "closed": dt.timedelta(days=2 * 365),      # after refusal or withdrawal
    "issued": dt.timedelta(days=2 * 365),      # after the visa's validity ends
}


@dataclass(frozen=True)
class PurgeReport:
    cases: int
    documents_deleted: int
    files_deleted: int


def due_for_purge(today: dt.date) -> Any:
    """The cases whose personal data is past its retention on ``today``."""
    now = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    not_purged = Q(purged_at__isnull=True)
    drafts = Q(state=State.DRAFT, updated_at__lt=now - RETENTION["draft"])
    closed = Q(state__in=[State.REFUSED, State.WITHDRAWN],
               updated_at__lt=now - RETENTION["closed"])
    issued = Q(state=State.ISSUED, visa__valid_until__lt=today - RETENTION["issued"])
    return Application.objects.filter(not_purged & (drafts | closed | issued))


def purge(today: dt.date, *, dry_run: bool = False, actor: str = "system") -> PurgeReport:
    cases = documents = files = 0
    for application in due_for_purge(today).order_by("pk").iterator(chunk_size=200):
        cases += 1
        if dry_run:
            continue
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.purged_at is not None:
                continue
            hashes = list(locked.documents.values_list("sha256", flat=True))
            documents += len(hashes)
            visa = getattr(locked, "visa", None)
            if visa is not None:  # the e-visa PDF and MRZ name the person; the number stays
                hashes.append(visa.pdf_sha256)
                visa.mrz, visa.seal_hex = [], ""
                visa.save(update_fields=["mrz", "seal_hex"])
            cleared = sorted({*locked.identity, *locked.profile} - {"nationality"})
            locked.identity, locked.profile = {}, {}
            locked.purged_at = timezone.now()
            locked.save(update_fields=["identity", "profile", "purged_at"])
            locked.documents.update(original_name="")
            audit.record(actor=actor, action="application.purge", object_type="application",
                         object_id=locked.pk, after={"cleared": cleared,
                                                     "documents": len(hashes)})
        for sha in hashes:  # files go after the commit: a failure leaves files, never a
            still_used = Document.objects.filter(   # case pointing nowhere
                sha256=sha, application__purged_at__isnull=True).exists()
            if not still_used and uploads.exists(sha):
                uploads.remove(sha)
                files += 1
    return PurgeReport(cases, documents, files)


def _pseudonym(application_id: int) -> str:
    key = hashlib.sha256(("kvisa.pseudonym:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, str(application_id).encode(), hashlib.sha256).hexdigest()[:16]


PSEUDONYMISED_COLUMNS = ("case", "programme", "nationality", "state", "precheck",
                         "submitted_week", "outcome", "days_to_decision")


def pseudonymised_rows() -> list[dict[str, Any]]:
    """One row per submitted case, nothing that names or identifies a person."""
    decided = dict(Decision.objects.exclude(outcome="reverse").values("application_id")
                   .annotate(last=Max("decided_at")).values_list("application_id", "last"))
    outcomes = dict(Decision.objects.exclude(outcome="reverse").order_by("decided_at")
                    .values_list("application_id", "outcome"))
    rows = []
    for case in (Application.objects.exclude(state=State.DRAFT)
                 .filter(submitted_at__isnull=False).order_by("pk")
                 .values("pk", "programme", "nationality", "state", "precheck",
                         "submitted_at")):
        submitted = case["submitted_at"]
        if submitted is None:  # excluded by the query; kept for the type checker
            continue
        last = decided.get(case["pk"])
        monday = (submitted.date() - dt.timedelta(days=submitted.weekday()))
        rows.append({"case": _pseudonym(case["pk"]), "programme": case["programme"],
                     "nationality": case["nationality"], "state": case["state"],
                     "precheck": case["precheck"], "submitted_week": monday.isoformat(),
                     "outcome": outcomes.get(case["pk"], ""),
                     "days_to_decision": (last - submitted).days if last else None})
    return rows
