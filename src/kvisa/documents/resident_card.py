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
QR code); its SHA-256 is, binding the printed photo to the signed data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import segno
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from kvisa.documents import c40, resident_id, vds
from kvisa.documents.errors import DocumentError
from kvisa.documents.signer import SigningKey

# kvisa's own profile (private range): "kvisa permanent resident card, version 1"
CARD_FEATURE_REFERENCE = 0xF1
CARD_DOCUMENT_TYPE = 0xF1

TAG_NUMBER, TAG_NAME, TAG_NAME_ZH, TAG_NATIONALITY = 0x01, 0x02, 0x03, 0x04
TAG_BIRTH, TAG_SEX, TAG_VALID_UNTIL, TAG_OLD_NUMBER, TAG_PHOTO = 0x05, 0x06, 0x07, 0x08, 0x09

DPI = 300
CARD_MM = (85.6, 54.0)
MIN_PHOTO_PIXELS = (240, 300)
FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


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


# ------------------------------------------------------------------ the face

def _font(size_mm: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = FONT_FILES[1 if bold else 0]
    if not Path(path).exists():
        raise DocumentError("the card needs the Noto Sans CJK font (Debian package "
                            "fonts-noto-cjk); run scripts/system-deps.sh")
    # index 2: the Simplified Chinese face of the collection
    return ImageFont.truetype(path, int(size_mm / 25.4 * DPI), index=2)


def _px(value_mm: float) -> int:
    return round(value_mm / 25.4 * DPI)


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (_px(CARD_MM[0]), _px(CARD_MM[1])), (250, 247, 240))
    draw = ImageDraw.Draw(image)
    # kvisa's own background: fine diagonal guilloche-like lines in two tints
    for offset in range(-image.height, image.width, _px(1.2)):
        draw.line([(offset, image.height), (offset + image.height, 0)], fill=(236, 228, 214),
                  width=1)
    draw.rounded_rectangle([_px(1), _px(1), image.width - _px(1), image.height - _px(1)],
                           radius=_px(3), outline=(120, 36, 36), width=_px(0.4))
    return image, draw


def _field(draw: ImageDraw.ImageDraw, x: float, y: float, label: str, value: str,
           size: float = 2.6) -> None:
    draw.text((_px(x), _px(y)), label, fill=(110, 90, 80), font=_font(1.6))
    draw.text((_px(x), _px(y + 2.1)), value, fill=(20, 20, 20), font=_font(size, bold=True))


def render_front(card: IssuedCard, photo: bytes) -> bytes:
    image, draw = _canvas()
    draw.text((_px(4), _px(3)), "外国人永久居留身份证", fill=(120, 36, 36), font=_font(3.2, True))
    draw.text((_px(4), _px(7.2)), "Foreign Permanent Resident ID Card · issued by kvisa",
              fill=(120, 36, 36), font=_font(1.8))
    portrait = check_photo(photo)
    box = (_px(24), _px(30))
    portrait.thumbnail(box)
    image.paste(portrait, (image.width - _px(4) - portrait.width, _px(12)))
    name = f"{card.surname}, {card.given_names}".strip(", ")
    _field(draw, 4, 12, "姓名 Name", name, 2.8)
    if card.chinese_name:
        _field(draw, 4, 18, "中文姓名 Chinese name", card.chinese_name)
    _field(draw, 4, 24, "性别 Sex", {"F": "女 F", "M": "男 M"}[card.sex])
    _field(draw, 22, 24, "出生日期 Date of birth", card.date_of_birth.isoformat())
    _field(draw, 4, 30, "国籍 Nationality", card.nationality)
    _field(draw, 22, 30, "有效期限 Valid", f"{card.valid_from.isoformat()} – "
           f"{card.valid_until.isoformat()}", 2.3)
    _field(draw, 4, 39, "证件号码 Card number", card.number, 3.4)
    if card.old_number:
        draw.text((_px(4), _px(47)), f"原证件号码 Former number {card.old_number}",
                  fill=(80, 80, 80), font=_font(1.7))
    return _png(image)


def render_back(card: IssuedCard, seal: bytes, verify_url: str) -> bytes:
    image, draw = _canvas()
    code = segno.make_qr(seal, error="m", mode="byte")
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=1, border=4)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    side = _px(44)
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    image.paste(qr, (image.width - side - _px(4), _px(5)))
    draw.text((_px(4), _px(5)), "签发机关 Issuing authority", fill=(110, 90, 80), font=_font(1.6))
    draw.text((_px(4), _px(7.3)), card.issuing_authority_zh, fill=(20, 20, 20),
              font=_font(2.4, True))
    draw.text((_px(4), _px(10.8)), card.issuing_authority, fill=(20, 20, 20), font=_font(1.8))
    lines = ["数字印章（ICAO VDS）可离线核验", "Digital seal: verify offline with the",
             "issuer's certificate at", verify_url]
    for index, line in enumerate(lines):
        draw.text((_px(4), _px(20 + index * 3)), line, fill=(60, 60, 60), font=_font(1.8))
    draw.text((_px(4), _px(46)), card.number, fill=(20, 20, 20), font=_font(2.2, True))
    return _png(image)


def _png(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, "PNG", dpi=(DPI, DPI))
    return output.getvalue()


def render_pdf(card: IssuedCard, front: bytes, back: bytes) -> bytes:
    """One A4 page with both faces at their real size (images only: no fonts to embed)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    page.setTitle(f"Permanent resident card {card.number}")
    page.setAuthor(card.issuing_authority)
    _width, height = A4
    width_mm, height_mm = CARD_MM
    for index, face in enumerate((front, back)):
        page.drawImage(ImageReader(io.BytesIO(face)), 20 * mm,
                       height - (30 + index * (height_mm + 10) + height_mm) * mm,
                       width=width_mm * mm, height=height_mm * mm)
    page.showPage()
    page.save()
    return buffer.getvalue()


def issue(card: IssuedCard, photo: bytes, key: SigningKey, *, verify_url: str,
          signed_on: dt.date | None = None) -> CardDocuments:
    check_photo(photo)
    seal = make_seal(card, photo, key, signed_on=signed_on)
    front, back = render_front(card, photo), render_back(card, seal, verify_url)
    return CardDocuments(seal, front, back, render_pdf(card, front, back))


def card_from_dict(data: dict[str, Any]) -> IssuedCard:
    try:
        return IssuedCard.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "card"
        raise DocumentError(f"{where}: {error['msg']}") from None
