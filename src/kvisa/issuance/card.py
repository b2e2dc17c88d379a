"""Issuing the Foreign Permanent Resident ID Card: number, face, seal, renewal and replacement.

The number (kvisa.documents.resident_id) is the holder's for life: it is taken
once, at the first issue, from a counter row per (prefix, sex) locked for the
moment of one upsert, so concurrent issuances at one office each get their own.
Renewal and replacement make a new card with the same number that replaces the
earlier one (kept, marked superseded): the chain is the card's history.

Everything happens in the caller's transaction; the rendered files are written
by content hash first, and a failure anywhere rolls the case back to where it
was (an orphan file is harmless and identical content is stored once).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kvisa.accounts.models import User
from kvisa.audit import log as audit
from kvisa.casework import uploads
from kvisa.casework.errors import InvalidInput, NotAllowed, NotFound
from kvisa.casework.models import Application, State
from kvisa.casework.notifications import notify
from kvisa.casework.policy import Permission, decide
from kvisa.casework.transitions import transition
from kvisa.documents import resident_card, resident_id
from kvisa.documents.errors import DocumentError
from kvisa.issuance.common import add_years, granted, registered_service, signer
from kvisa.issuance.models import ResidentCard

MAX_CARD_SEQUENCE = 499  # resident_id.generate: 500 numbers per prefix and sex


def _card_years(app: Application, today: dt.date) -> Any:
    """The card's validity in years, as the rules grant it (the registry names the output)."""
    names = registered_service(app).issue_outputs
    return granted(app, today, names)[names[0]]


def next_card_sequence(prefix: str, sex: str) -> int:
    """The next free sequence for (prefix, sex), taken under the counter row's lock.

    One upsert statement: concurrent issuances at one office queue on the row and
    each gets its own number (PostgreSQL and SQLite both support it).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO casework_cardsequence (prefix, sex, last) VALUES (%s, %s, 0) "
            "ON CONFLICT (prefix, sex) DO UPDATE SET last = casework_cardsequence.last + 1 "
            "RETURNING last", [prefix, sex])
        (value,) = cursor.fetchone()
    if value > MAX_CARD_SEQUENCE:
        raise InvalidInput(_("All %(n)d card numbers for people of this sex born that day at "
                             "this office are used.") % {"n": MAX_CARD_SEQUENCE + 1})
    return int(value)


def holder_photo(application: Application) -> tuple[bytes, str]:
    """The newest photo uploaded with the application, checked: (bytes, sha256)."""
    document = application.documents.filter(kind="photo").order_by("-pk").first()
    if document is None:
        raise InvalidInput(_("The card needs the holder's photo: ask the applicant for a "
                             "passport-style photo (document kind “Photo”) first."))
    data = uploads.read(document.sha256)
    try:
        resident_card.check_photo(data)
    except DocumentError as exc:
        raise InvalidInput(_("The holder's photo cannot go on a card: %(why)s.")
                           % {"why": exc}) from None
    return data, document.sha256


def _card_data(app: Application, number: str, valid_from: dt.date, valid_until: dt.date,
               ) -> resident_card.IssuedCard:
    identity, profile = app.identity, app.profile
    try:
        return resident_card.card_from_dict({
            "number": number, "old_number": str(identity.get("old_card_number", "")).upper(),
            "surname": str(identity.get("surname", "")).upper(),
            "given_names": str(identity.get("given_names", "")).upper(),
            "chinese_name": str(identity.get("chinese_name", "")),
            "nationality": str(profile.get("nationality", "")),
            "date_of_birth": dt.date.fromisoformat(str(profile.get("date_of_birth", ""))),
            "sex": str(identity.get("sex", "")).upper(), "valid_from": valid_from,
            "valid_until": valid_until,
            "issuing_authority": settings.ISSUING_AUTHORITY,
            "issuing_authority_zh": settings.ISSUING_AUTHORITY_ZH})
    except (DocumentError, ValueError) as exc:
        raise InvalidInput(_("The card cannot be issued: %(why)s") % {"why": exc}) from None


def _render(card: resident_card.IssuedCard, photo: bytes) -> dict[str, str]:
    """Seal, faces and PDF made and stored; their references for the card row."""
    try:
        made = resident_card.issue(card, photo, signer(), verify_url=settings.VERIFY_URL)
    except DocumentError as exc:
        raise InvalidInput(_("The card cannot be issued: %(why)s") % {"why": exc}) from None
    stored = {}
    for name, data, media in (("front", made.front_png, "image/png"),
                              ("back", made.back_png, "image/png"),
                              ("pdf", made.pdf, "application/pdf")):
        file = uploads.CleanFile(data, media, hashlib.sha256(data).hexdigest())
        uploads.store(file)
        stored[f"{name}_sha256"] = file.sha256
    return {"seal_hex": made.seal.hex(), **stored}


def card_issue(*, application: Application, by: User, client_txn_id: str,
               request_id: str = "") -> Application:
    """Issue the first card for an approved application (the approval's transaction)."""

    def issue(app: Application) -> dict[str, object]:
        today = timezone.localdate()
        years = int(_card_years(app, today))
        photo, photo_sha = holder_photo(app)
        sex = str(app.identity.get("sex", "")).upper()
        try:
            probe = resident_id.generate(
                province_code=settings.OFFICE_PROVINCE_CODE,
                nationality=str(app.profile.get("nationality", "")),
                birth_date=str(app.profile.get("date_of_birth", "")), sex=sex, sequence=0)
        except DocumentError as exc:
            raise InvalidInput(_("The card cannot be numbered: %(why)s") % {"why": exc}
                               ) from None
        prefix = probe[:14]
        sequence = next_card_sequence(prefix, sex)
        number = resident_id.generate(province_code=settings.OFFICE_PROVINCE_CODE,
                                      nationality=str(app.profile["nationality"]),
                                      birth_date=str(app.profile["date_of_birth"]),
                                      sex=sex, sequence=sequence)
        valid_until = add_years(today, years) - dt.timedelta(days=1)
        files = _render(_card_data(app, number, today, valid_until), photo)
        try:
            with transaction.atomic():  # a savepoint: a collision leaves the case as it was
                card = ResidentCard.objects.create(
                    application=app, number=number, prefix=prefix, sex=sex, sequence=sequence,
                    old_number=str(app.identity.get("old_card_number", ""))[:15].upper(),
                    valid_from=today, valid_until=valid_until, photo_sha256=photo_sha,
                    **files)
        except IntegrityError:
            raise InvalidInput(_("Card number %(number)s is already taken; nothing was "
                                 "issued. Try again.") % {"number": number}) from None
        notify(app, "issue_card", card=card.number,
               valid_until=card.valid_until.isoformat())
        return {"card": card.number, "valid_until": card.valid_until.isoformat()}

    return transition(application_id=application.pk, action="issue", by=by,
                       client_txn_id=client_txn_id, request_id=request_id, effect=issue,
                       system=True)


REISSUE_REASONS = (ResidentCard.Reason.RENEWAL, ResidentCard.Reason.LOST,
                   ResidentCard.Reason.DAMAGED)


MIN_NOTE = 10


def _may_reissue(by: User, app: Application, old: ResidentCard) -> None:
    """The case-action policy, applied to cards: who sees the case, who is assigned,
    nobody on their own case, and one new card a day unless a supervisor makes it."""
    decide(by, Permission.REISSUE_CARD, app).enforce()
    if timezone.localtime(old.issued_at).date() == timezone.localdate() and \
            not decide(by, Permission.REPLACE_CARD_ISSUED_TODAY):
        raise NotAllowed(_("This card was issued today. A card issued today is replaced "
                           "only by a supervisor."))


def card_reissue(*, card_id: int, by: User, reason: str, note: str = "",
                 request_id: str = "") -> ResidentCard:
    """Renew or replace a card: same number, new card; the old one is superseded.

    A renewal runs for the holder's validity from today; a replacement keeps
    the old card's end date.  The officer assigned to the case (or a
    supervisor) does it, with a reason and a note saying why, under the case's
    row lock; the photo is the newest on the application (a new one can be
    requested as evidence first).
    """
    if reason not in REISSUE_REASONS:
        raise InvalidInput(_("Choose why the card is reissued."))
    note = note.strip()
    if len(note) < MIN_NOTE:
        raise InvalidInput(_("Say in a sentence why the card is reissued (for example, how "
                             "the holder reported it lost)."))
    with transaction.atomic():
        try:
            old = ResidentCard.objects.select_related("application").get(pk=card_id)
        except ResidentCard.DoesNotExist:
            raise NotFound(_("No such card.")) from None
        # the case's row lock first, as every case action takes it; then the card's
        app = Application.objects.select_for_update().get(pk=old.application_id)
        old = ResidentCard.objects.select_for_update().get(pk=card_id)
        _may_reissue(by, app, old)
        if app.state != State.ISSUED:
            raise NotAllowed(_("Only a card of an issued case can be reissued."))
        if old.superseded_at is not None:
            raise NotAllowed(_("This card has already been replaced; reissue the current "
                               "one."))
        today = timezone.localdate()
        if reason == ResidentCard.Reason.RENEWAL:
            years = int(_card_years(app, today))
            valid_until = add_years(today, years) - dt.timedelta(days=1)
        else:
            valid_until = old.valid_until
        if valid_until < today:
            raise NotAllowed(_("The card has expired: renew it instead of replacing it."))
        photo, photo_sha = holder_photo(app)
        files = _render(_card_data(app, old.number, today, valid_until), photo)
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        card = ResidentCard.objects.create(
            application=app, number=old.number, prefix=old.prefix, sex=old.sex,
            sequence=old.sequence, old_number=old.old_number, valid_from=today,
            valid_until=valid_until, replaces=old, reason=reason, photo_sha256=photo_sha,
            **files)
        audit.record(actor=by.email, action="card.reissue", object_type="application",
                     object_id=app.pk, request_id=request_id,
                     before={"card": old.pk, "valid_until": old.valid_until.isoformat()},
                     after={"card": card.pk, "number": card.number, "reason": reason,
                            "note": note[:500], "valid_until": valid_until.isoformat()})
        notify(app, "issue_card", card=card.number, valid_until=valid_until.isoformat())
    return card


def card_history(application: Application) -> list[ResidentCard]:
    """Every card of the case, newest first."""
    return list(application.resident_cards.order_by("-issued_at", "-pk"))
