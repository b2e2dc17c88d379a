"""The permanent resident card's face (front and back) and its Visible Digital Seal.

kvisa draws its own card, the size of an ID-1 card (85.6 × 54 mm), with the
holder's photo, names in Latin and Chinese letters, number and validity — a
layout of its own, deliberately *not* an imitation of the state's security
design.  The back carries a Visible Digital Seal with the card data, signed by
the same key as the e-visa, so anyone can check it offline with ``kvisa vds
verify`` or on /verify.

The seal uses the VDS header and TLV message of ICAO Doc 9303 Part 13 with a
document feature definition of kvisa's own (:data:`CARD_FEATURE_REFERENCE`):
ICAO defines no profile for a residence card, so the features below are kvisa's
and say so in ``describe``.  The photo is not in the seal (it would not fit a
printed symbol); its SHA-256 is, binding the printed photo to the signed data.  The
faces themselves are laid out in :mod:`kvisa.documents.card_face`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kvisa.documents import c40, card_face, resident_id, vds
from kvisa.documents.errors import DocumentError
from kvisa.documents.signer import SigningKey

# kvisa's own profile (private range): "kvisa permanent resident card, version 1"
CARD_FEATURE_REFERENCE = 0xF1
CARD_DOCUMENT_TYPE = 0xF1

TAG_NUMBER, TAG_NAME, TAG_NAME_ZH, TAG_NATIONALITY = 0x01, 0x02, 0x03, 0x04
TAG_BIRTH, TAG_SEX, TAG_VALID_UNTIL, TAG_OLD_NUMBER, TAG_PHOTO = 0x05, 0x06, 0x07, 0x08, 0x09

MIN_PHOTO_PIXELS = (240, 300)


class IssuedCard(BaseModel):
    """A card as the casework service hands it to the document layer."""

    model_config = ConfigDict(extra="forbid", strict=True)

    number: str = Field(pattern=r"^9[0-9]{16}[0-9X]$")
    old_number: str = Field(default="", pattern=r"^([A-Z]{3}[0-9]{12})?$")
    surname: str = Field(min_length=1, max_length=39, pattern=r"^[A-Z][A-Z <'-]*$")
    given_names: str = Field(default="", max_length=39, pattern=r"^[A-Z <'-]*$")
    chinese_name: str = Field(default="", max_length=20)
    nationality: str = Field(pattern=r"^[A-Z]{3}$")
    date_of_birth: dt.date
    sex: Literal["F", "M"]
    valid_from: dt.date
    valid_until: dt.date
    # who issues is the deployment's to say (KVISA_ISSUING_AUTHORITY); kvisa itself is
    # no authority, so its default never names a real one
    issuing_authority: str = Field(default="kvisa demonstration issuer", max_length=60)
    issuing_authority_zh: str = Field(default="kvisa 演示签发机关", max_length=30)


@dataclass
class CardDocuments:
    seal: bytes
    front_png: bytes
    back_png: bytes
    pdf: bytes


def check_photo(data: bytes) -> Image.Image:
    """The holder's photo as an image, or a DocumentError saying why it is not one."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            photo = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise DocumentError("the photo is not a JPEG or PNG image") from None
    width, height = photo.size
    if width < MIN_PHOTO_PIXELS[0] or height < MIN_PHOTO_PIXELS[1]:
        raise DocumentError(f"the photo is {width} × {height} pixels; at least "
                            f"{MIN_PHOTO_PIXELS[0]} × {MIN_PHOTO_PIXELS[1]} are needed")
    if not 1.05 <= height / width <= 1.8:
        raise DocumentError("the photo must be upright, taller than wide (a passport-style "
                            "head-and-shoulders photo)")
    if len(photo.resize((16, 16)).getcolors(256) or range(256)) < 8:
        raise DocumentError("the photo is blank or a single colour")
    return photo


def photo_digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:16]


def _name_c40(card: IssuedCard) -> str:
    name = f"{card.surname}<<{card.given_names}".replace(" ", "<").replace("'", "")
    return name.replace("-", "<").rstrip("<")


def card_features(card: IssuedCard, photo: bytes) -> list[tuple[int, bytes]]:
    features = [
        (TAG_NUMBER, c40.encode(card.number)),
        (TAG_NAME, c40.encode(_name_c40(card))),
        (TAG_NATIONALITY, c40.encode(card.nationality)),
        (TAG_BIRTH, vds.encode_date(card.date_of_birth)),
        (TAG_SEX, card.sex.encode("ascii")),
        (TAG_VALID_UNTIL, vds.encode_date(card.valid_until)),
        (TAG_PHOTO, photo_digest(photo)),
    ]
    if card.chinese_name:
        features.append((TAG_NAME_ZH, card.chinese_name.encode("utf-8")))
    if card.old_number:
        features.append((TAG_OLD_NUMBER, c40.encode(card.old_number)))
    return features


def make_seal(card: IssuedCard, photo: bytes, key: SigningKey, *,
              signed_on: dt.date | None = None) -> bytes:
    parsed = resident_id.parse(card.number)
    if not parsed.valid:
        raise DocumentError(f"card number {card.number} is not valid: "
                            + ", ".join(parsed.problems))
    cert = key.certificate
    header = vds.Header(issuing_state="CHN", signer=cert.signer,
                        certificate_reference=cert.reference, issue_date=card.valid_from,
                        signature_date=signed_on or dt.date.today(),
                        feature_definition=CARD_FEATURE_REFERENCE,
                        document_type=CARD_DOCUMENT_TYPE)
    signed_part = vds.unsigned_bytes(header, card_features(card, photo))
    return vds.with_signature(signed_part, key.sign(signed_part))


def is_card(seal: vds.Seal) -> bool:
    return (seal.header.feature_definition, seal.header.document_type) == (
        CARD_FEATURE_REFERENCE, CARD_DOCUMENT_TYPE)


def describe(seal: vds.Seal) -> dict[str, Any]:
    """The card's features by name (DocumentError when one is malformed)."""
    result: dict[str, Any] = {"profile": "kvisa permanent resident card v1 (kvisa's own "
                              "feature definition, not an ICAO-defined profile)"}
    for tag, value in seal.features:
        if tag == TAG_NUMBER:
            result["card_number"] = c40.decode(value)
        elif tag == TAG_NAME:
            surname, _, given = c40.decode(value).partition("<<")
            result["surname"] = surname.replace("<", " ").strip()
            result["given_names"] = given.replace("<", " ").strip()
        elif tag == TAG_NAME_ZH:
            try:
                result["chinese_name"] = value.decode("utf-8")
            except UnicodeDecodeError:
                raise DocumentError("the Chinese name in the seal is not UTF-8") from None
        elif tag == TAG_NATIONALITY:
            result["nationality"] = c40.decode(value)
        elif tag == TAG_BIRTH:
            result["date_of_birth"] = vds.decode_date(value, "date of birth").isoformat()
        elif tag == TAG_SEX:
            result["sex"] = value.decode("ascii", errors="replace")
        elif tag == TAG_VALID_UNTIL:
            result["valid_until"] = vds.decode_date(value, "valid until").isoformat()
        elif tag == TAG_OLD_NUMBER:
            result["old_card_number"] = c40.decode(value)
        elif tag == TAG_PHOTO:
            result["photo_sha256_prefix"] = value.hex()
        else:
            result.setdefault("other", {})[f"0x{tag:02x}"] = value.hex()
    if "card_number" not in result or "valid_until" not in result:
        raise DocumentError("the card seal has no card number or validity")
    return result


# ------------------------------------------------------------------ the faces

def face_text(card: IssuedCard) -> card_face.CardText:
    """What the card prints, in its words (labels are bilingual on the face itself)."""
    return card_face.CardText(
        number=card.number, name=f"{card.surname}, {card.given_names}".strip(", "),
        chinese_name=card.chinese_name, sex={"F": "女 F", "M": "男 M"}[card.sex],
        date_of_birth=card.date_of_birth.isoformat(), nationality=card.nationality,
        validity=f"{card.valid_from.isoformat()} – {card.valid_until.isoformat()}",
        old_number=card.old_number, authority=card.issuing_authority,
        authority_zh=card.issuing_authority_zh)


def issue(card: IssuedCard, photo: bytes, key: SigningKey, *, verify_url: str,
          signed_on: dt.date | None = None) -> CardDocuments:
    """Seal, both faces as pictures, and the PDF with both faces in real text."""
    portrait = check_photo(photo)
    seal = make_seal(card, photo, key, signed_on=signed_on)
    text = face_text(card)
    front, back = card_face.front(text), card_face.back(text, verify_url)
    pdf = card_face.to_pdf(front, back, title=f"Permanent resident card {card.number} · "
                           "外国人永久居留身份证", author=card.issuing_authority,
                           photo=portrait, seal=seal)
    return CardDocuments(seal, card_face.to_png(front, photo=portrait, seal=seal),
                         card_face.to_png(back, photo=None, seal=seal), pdf)


def card_from_dict(data: dict[str, Any]) -> IssuedCard:
    try:
        return IssuedCard.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "card"
        raise DocumentError(f"{where}: {error['msg']}") from None
