"""The resident card's two faces, laid out once and painted twice: as pictures and in a PDF.

:func:`front` and :func:`back` say what each face shows and where (millimetres
from its top-left corner, text placed by its baseline): one layout.  Two
painters read it:

* :func:`to_png` draws a face at 300 dpi with Pillow, for the pages that show
  the card and for anyone who wants the picture;
* :func:`to_pdf` draws both faces at their real size on one A4 page with
  ReportLab: real text in embedded Noto Sans CJK subsets (selectable,
  searchable, read aloud), tagged in reading order and PDF/A-2b like the
  e-visa, the holder's photo as an image and the seal as vector modules.

The design is kvisa's own (ID-1 size, fine diagonal lines, a double rule), not
an imitation of any state's security printing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from kvisa.documents import fonts, symbol
from kvisa.documents.errors import DocumentError
from kvisa.documents.pdf_archival import Marks, finish

DPI = 300
SIZE_MM = (85.6, 54.0)          # ID-1
PAPER = (250, 247, 240)
LINES = (236, 228, 214)
ACCENT = (120, 36, 36)
LABEL = (110, 90, 80)
INK = (20, 20, 20)
NOTE = (60, 60, 60)
Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Words:
    """A line of text: left end of its baseline at (x, y) mm, ``size`` mm to the em."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    colour: Colour = INK
    role: Literal["H1", "P"] = "P"


@dataclass(frozen=True)
class Picture:
    """The photo (fitted into the box, kept to its right edge) or the seal's symbol."""

    x: float
    y: float
    width: float
    height: float
    what: Literal["photo", "seal"]


Part = Words | Picture


@dataclass(frozen=True)
class CardText:
    """What the faces print, already in the card's words (see ``resident_card``)."""

    number: str
    name: str
    chinese_name: str
    sex: str
    date_of_birth: str
    nationality: str
    validity: str
    old_number: str
    authority: str
    authority_zh: str


ASCENT = 1.16  # Noto Sans CJK's ascender, in ems: from a line's top to its baseline


def _field(x: float, y: float, label: str, value: str, size: float = 2.6) -> list[Part]:
    """A small label over its value (the label's top at y)."""
    return [Words(x, y + 1.6 * ASCENT, label, 1.6, colour=LABEL),
            Words(x, y + 2.1 + size * ASCENT, value, size, bold=True)]


def front(card: CardText) -> list[Part]:
    parts: list[Part] = [
        Words(4, 6.6, "外国人永久居留身份证", 3.2, bold=True, colour=ACCENT, role="H1"),
        Words(4, 9.2, "Foreign Permanent Resident ID Card · issued by kvisa", 1.8,
              colour=ACCENT),
        Picture(SIZE_MM[0] - 28, 12, 24, 30, "photo"),
        *_field(4, 12, "姓名 Name", card.name, 2.8),
    ]
    if card.chinese_name:
        parts += _field(4, 18, "中文姓名 Chinese name", card.chinese_name)
    parts += [*_field(4, 24, "性别 Sex", card.sex),
              *_field(22, 24, "出生日期 Date of birth", card.date_of_birth),
              *_field(4, 30, "国籍 Nationality", card.nationality),
              *_field(22, 30, "有效期限 Valid", card.validity, 2.3),
              *_field(4, 39, "证件号码 Card number", card.number, 3.4)]
    if card.old_number:
        parts.append(Words(4, 49, f"原证件号码 Former number {card.old_number}", 1.7,
                           colour=(80, 80, 80)))
    return parts


def back(card: CardText, verify_url: str) -> list[Part]:
    notes = ["数字印章可离线核验", f"（ICAO VDS，{symbol.NAME_ZH}）",
             "Digital seal: verify offline with the", "issuer's certificate at", verify_url]
    return [
        Picture(SIZE_MM[0] - 40, 9, 36, 36, "seal"),
        Words(4, 6.6, "签发机关 Issuing authority", 1.6, colour=LABEL),
        Words(4, 10.0, card.authority_zh, 2.4, bold=True),
        Words(4, 12.8, card.authority, 1.8),
        *(Words(4, 20.8 + index * 3, line, 1.8, colour=NOTE)
          for index, line in enumerate(notes) if line),
        Words(4, 48.6, card.number, 2.2, bold=True),
    ]


def printed_text(*faces: list[Part]) -> str:
    """Every character the faces print: the font subset the PDF embeds."""
    return "".join(part.text for face in faces for part in face if isinstance(part, Words))


# ------------------------------------------------------------------ pictures

def _px(value_mm: float) -> int:
    return round(value_mm / 25.4 * DPI)


@lru_cache(maxsize=32)
def _font(size_mm: float, bold: bool) -> ImageFont.FreeTypeFont:
    path, index = fonts.NOTO_SANS_CJK_BOLD if bold else fonts.NOTO_SANS_CJK
    if not Path(path).exists():
        raise DocumentError("the card needs the Noto Sans CJK font (Debian package "
                            "fonts-noto-cjk); run scripts/system-deps.sh")
    return ImageFont.truetype(path, _px(size_mm), index=index)


def _fit(photo: Image.Image, box: Picture, scale: float) -> tuple[Image.Image, int, int]:
    """The photo shrunk into the box, and where its top-left goes (kept to the right edge)."""
    fitted = photo.copy()
    fitted.thumbnail((round(box.width * scale), round(box.height * scale)))
    left = round((box.x + box.width) * scale) - fitted.width
    return fitted, left, round(box.y * scale)


def to_png(face: list[Part], *, photo: Image.Image | None, seal: bytes) -> bytes:
    """One face as a 300 dpi PNG (1011 × 638 pixels)."""
    image = Image.new("RGB", (_px(SIZE_MM[0]), _px(SIZE_MM[1])), PAPER)
    draw = ImageDraw.Draw(image)
    for offset in range(-image.height, image.width, _px(1.2)):
        draw.line([(offset, image.height), (offset + image.height, 0)], fill=LINES, width=1)
    draw.rounded_rectangle([_px(1), _px(1), image.width - _px(1), image.height - _px(1)],
                           radius=_px(3), outline=ACCENT, width=_px(0.4))
    for part in face:
        if isinstance(part, Words):
            draw.text((_px(part.x), _px(part.y)), part.text, fill=part.colour,
                      font=_font(part.size, part.bold), anchor="ls")
        elif part.what == "photo" and photo is not None:
            fitted, left, top = _fit(photo, part, DPI / 25.4)
            image.paste(fitted, (left, top))
        elif part.what == "seal":
            picture = symbol.image(seal, _px(part.width))
            image.paste(picture, (_px(part.x + part.width) - picture.width, _px(part.y)))
    output = io.BytesIO()
    image.save(output, "PNG", dpi=(DPI, DPI))
    return output.getvalue()


# ------------------------------------------------------------------ the PDF

def _paint_face(page: canvas.Canvas, marks: Marks, face: list[Part], *, left: float,
                top: float, faces: dict[bool, str], photo: Image.Image | None,
                seal: bytes) -> None:
    """One face with its top-left corner at (left, top) points."""
    width, height = SIZE_MM[0] * mm, SIZE_MM[1] * mm
    bottom = top - height
    with marks.artifact():
        page.saveState()
        page.setFillColorRGB(*(c / 255 for c in PAPER))
        page.roundRect(left, bottom, width, height, 3 * mm, stroke=0, fill=1)
        clip = page.beginPath()
        clip.roundRect(left, bottom, width, height, 3 * mm)
        page.clipPath(clip, stroke=0, fill=0)
        page.setStrokeColorRGB(*(c / 255 for c in LINES))
        page.setLineWidth(0.25)
        step = 1.2 * mm
        offset = -height
        while offset < width:
            page.line(left + offset, bottom, left + offset + height, top)
            offset += step
        page.restoreState()
        page.setStrokeColorRGB(*(c / 255 for c in ACCENT))
        page.setLineWidth(0.4 * mm)
        page.roundRect(left + mm, bottom + mm, width - 2 * mm, height - 2 * mm, 3 * mm,
                       stroke=1, fill=0)
    for part in face:
        if isinstance(part, Words):
            with marks.tag(part.role):
                page.setFillColorRGB(*(c / 255 for c in part.colour))
                page.setFont(faces[part.bold], part.size * mm)
                page.drawString(left + part.x * mm, top - part.y * mm, part.text)
        elif part.what == "photo" and photo is not None:
            fitted, x, y = _fit(photo, part, 600 / 25.4)  # 600 dpi in the PDF
            with marks.tag("Figure", alt="Photo of the holder · 持证人照片"):
                buffer = io.BytesIO()
                fitted.save(buffer, "JPEG", quality=90)
                page.drawImage(ImageReader(buffer), left + x / 600 * 72,
                               top - (y + fitted.height) / 600 * 72,
                               width=fitted.width / 600 * 72, height=fitted.height / 600 * 72)
        elif part.what == "seal":
            with marks.tag("Figure", alt=f"{symbol.NAME_EN} holding the card's ICAO Visible "
                           f"Digital Seal · 含证件数字印章的{symbol.NAME_ZH}"):
                symbol.draw(page, seal, x=left + part.x * mm,
                            y=top - (part.y + part.height) * mm, size=part.width * mm)


def to_pdf(front_face: list[Part], back_face: list[Part], *, title: str, author: str,
           photo: Image.Image | None, seal: bytes) -> bytes:
    """One A4 page with both faces at their real size, tagged and PDF/A-2b."""
    headings = ["Permanent resident card · 外国人永久居留身份证", "Front · 正面", "Back · 背面"]
    printed = printed_text(front_face, back_face) + "".join(headings)
    faces = {False: fonts.register(fonts.NOTO_SANS_CJK, printed),
             True: fonts.register(fonts.NOTO_SANS_CJK_BOLD, printed)}
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=faces[False],
                         initialFontSize=10)
    page.setTitle(title)
    page.setAuthor(author)
    page.setCreator("kvisa")
    marks = Marks(page)
    _width, height = A4
    page.setFillColorRGB(*(c / 255 for c in ACCENT))
    page.setFont(faces[True], 14)
    with marks.tag("H1"):
        page.drawString(20 * mm, height - 20 * mm, headings[0])
    for index, (label, face) in enumerate(((headings[1], front_face),
                                           (headings[2], back_face))):
        top = height - (32 + index * (SIZE_MM[1] + 14)) * mm
        page.setFillColorRGB(*(c / 255 for c in LABEL))
        page.setFont(faces[True], 9)
        with marks.tag("H2"):
            page.drawString(20 * mm, top + 3 * mm, label)
        _paint_face(page, marks, face, left=20 * mm, top=top, faces=faces, photo=photo,
                    seal=seal)
    page.showPage()
    page.save()
    return finish(buffer.getvalue(), marks.marks, lang="en")
