"""Issuing the e-visa an approval grants.

The K visa: number, validity, entries and stay from the rules' outputs for the
applicant on the day of issue (never a parameter read with a guessed
fallback: a missing value refuses issuance and names it), MRZ, Visible Digital
Seal and e-visa PDF from kvisa.documents, signed by the service's visa signer
key (``KVISA_SIGNER_KEY``/``KVISA_SIGNER_CERT``).  A programme without an
issuer is decided but issues nothing here.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kvisa.accounts.models import User
from kvisa.casework import uploads
from kvisa.casework.errors import InvalidInput
from kvisa.casework.models import Application
from kvisa.casework.notifications import notify
from kvisa.casework.transitions import transition
from kvisa.documents import evisa, issued_visa
from kvisa.documents.errors import DocumentError
from kvisa.issuance.common import add_years, granted, registered_service, signer
from kvisa.issuance.models import Visa


def visa_record(application: Application, today: dt.date) -> issued_visa.IssuedVisa:
    """The visa the rules grant this applicant today; the registry names the outputs
    (validity in years, entries, days of stay, in that order) and the visa's letter."""
    entry = registered_service(application)
    values = granted(application, today, entry.issue_outputs)
    validity, entries, stay = (values[name] for name in entry.issue_outputs)
    years = int(validity)
    identity, profile = application.identity, application.profile
    try:
        return issued_visa.IssuedVisa.model_validate({
            "surname": identity["surname"], "given_names": identity.get("given_names", ""),
            "nationality": profile["nationality"],
            "date_of_birth": dt.date.fromisoformat(profile["date_of_birth"]),
            "sex": identity.get("sex", "<"), "passport_number": identity["passport_number"],
            "visa_type": entry.visa_type,
            "visa_number": f"{entry.visa_type}{application.pk:08d}",
            "issuing_state": "CHN", "valid_from": today,
            "valid_until": add_years(today, years) - dt.timedelta(days=1),
            "entries": int(entries),
            "duration_of_stay_days": int(stay),
            "place_of_issue": settings.PLACE_OF_ISSUE,
        }, strict=False)
    except (KeyError, ValueError) as exc:
        raise InvalidInput(_("The application lacks data needed on the visa: %(what)s")
                           % {"what": exc}) from None


def _photo(application: Application) -> bytes | None:
    """The newest photo uploaded with the application (checked when it was uploaded)."""
    document = application.documents.filter(kind="photo").order_by("-pk").first()
    return uploads.read(document.sha256) if document is not None else None


def visa_issue(*, application: Application, by: User, client_txn_id: str,
               request_id: str = "") -> Application:

    def issue(app: Application) -> dict[str, object]:
        today = timezone.localdate()
        record = visa_record(app, today)
        try:
            document = evisa.issue(
                record, signer(), photo=_photo(app), verify_url=settings.VERIFY_URL,
                authority=(settings.ISSUING_AUTHORITY, settings.ISSUING_AUTHORITY_ZH))
        except DocumentError as exc:
            raise InvalidInput(str(exc)) from None
        stored = uploads.CleanFile(document.pdf, "application/pdf",
                                   hashlib.sha256(document.pdf).hexdigest())
        uploads.store(stored)
        visa = Visa.objects.create(
            application=app, number=record.visa_number, visa_type=record.visa_type,
            valid_from=record.valid_from, valid_until=record.valid_until,
            entries=record.entries, stay_days=record.duration_of_stay_days,
            mrz=document.mrz, seal_hex=document.seal.hex(), pdf_sha256=stored.sha256)
        notify(app, "issue", visa=visa.number)
        return {"visa": visa.number, "valid_until": record.valid_until.isoformat()}

    return transition(application_id=application.pk, action="issue", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=issue,
                       system=True)
