"""A verified seal read as a person reads a visa: whose, which passport, valid when,
how many entries, how long each stay — for airline and border staff at /verify.

The checks themselves are :mod:`kvisa.documents.verify`; this only puts their
result into words in the reader's language, and turns the ways a pasted or
uploaded seal can fail into plain messages (never a Python error text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvisa.documents import mrz
from kvisa.documents.errors import DocumentError
from kvisa.documents.verify import Verification

STATUS_WORDS = {
    "valid": gettext_lazy("Valid"), "malformed": gettext_lazy("Not a readable seal"),
    "unknown_signer": gettext_lazy("Signed by someone kvisa does not trust"),
    "invalid_signature": gettext_lazy("The signature does not match: the seal was altered"),
    "invalid_visa_mrz": gettext_lazy("The visa data inside the seal is inconsistent"),
    "seal_visa_mismatch": gettext_lazy("The printed visa differs from the seal"),
    "invalid_passport_mrz": gettext_lazy("The passport data is inconsistent"),
    "seal_passport_mismatch": gettext_lazy("The passport is not the one the visa was issued for"),
    "not_yet_valid": gettext_lazy("Not valid yet"), "expired": gettext_lazy("Expired"),
}


@dataclass(frozen=True)
class SealReading:
    """The facts a person compares with the traveller's passport."""

    surname: str
    given_names: str
    birth_date: dt.date | None
    passport_number: str
    nationality: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    entries: int | None      # 0: multiple
    stay_days: int | None


def read(result: Verification) -> SealReading | None:
    """The visa's facts from a seal whose signature held; None for anything else."""
    lines = result.features.get("mrz")
    if not lines or result.status in ("malformed", "unknown_signer", "invalid_signature"):
        return None
    try:
        fields = mrz.parse(lines).fields
    except DocumentError:
        return None
    stay = result.features.get("duration_of_stay") or {}
    return SealReading(
        surname=fields.get("surname", ""), given_names=fields.get("given_names", ""),
        birth_date=_date(fields.get("birth_date")),
        passport_number=result.features.get("passport_number") or
        fields.get("document_number", ""),
        nationality=fields.get("nationality", ""),
        valid_from=_date(result.header.get("issue_date")),
        valid_until=_date(fields.get("valid_until")),
        entries=result.features.get("number_of_entries"),
        stay_days=stay.get("days") if isinstance(stay, dict) else None)


@dataclass(frozen=True)
class CardReading:
    """A permanent resident card's facts, to compare with the holder and the card."""

    surname: str
    given_names: str
    chinese_name: str
    birth_date: dt.date | None
    nationality: str
    card_number: str
    old_card_number: str
    valid_from: dt.date | None
    valid_until: dt.date | None


def read_card(result: Verification) -> CardReading | None:
    """The card's facts from a card seal whose signature held; None for anything else."""
    features = result.features
    if "card_number" not in features or result.status in (
            "malformed", "unknown_signer", "invalid_signature"):
        return None
    return CardReading(
        surname=features.get("surname", ""), given_names=features.get("given_names", ""),
        chinese_name=features.get("chinese_name", ""),
        birth_date=_date(features.get("date_of_birth")),
        nationality=features.get("nationality", ""), card_number=features["card_number"],
        old_card_number=features.get("old_card_number", ""),
        valid_from=_date(result.header.get("issue_date")),
        valid_until=_date(features.get("valid_until")))


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def seal_bytes_from_text(text: str) -> bytes:
    """The pasted seal as bytes; DocumentError in words a person can act on."""
    cleaned = "".join(text.split())
    if not cleaned:
        raise DocumentError(_("Paste what a barcode scanner read from the seal, or upload "
                              "the PDF or a photo."))
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise DocumentError(_("That is not a seal: a pasted seal is hexadecimal text (the "
                              "digits 0-9 and the letters a-f). Copy it again from the "
                              "e-visa, or upload the PDF or a photo of its barcode.")) from None
