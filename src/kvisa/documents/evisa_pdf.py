"""The e-visa page: a visa zone the size of an MRV-A sticker, the data in both languages,
the seal, and where to verify it — every font embedded.

Layout: a 120 × 80 mm visa zone (Doc 9303 Part 7's MRV-A) holds the photo, the
main data and, along its bottom edge, the two MRZ lines in OCR-B at 10
characters per inch (2.54 mm pitch); below it the full data in English and
Chinese, then the Visible Digital Seal as a Data Matrix symbol (:mod:`kvisa.documents.symbol`)
with a line saying where to verify it.  Border and background lines are kvisa's own design, not an
imitation of any state's security printing.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from functools import lru_cache
from pathlib import Path

import iso3166
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from kvisa.documents import fonts, symbol
from kvisa.documents.issued_visa import IssuedVisa
from kvisa.documents.pdf_archival import Marks, finish
from kvisa.reference import country_name

STATES = {"CHN": ("PEOPLE'S REPUBLIC OF CHINA", "中华人民共和国")}
MRZ_PITCH = 2.54 * mm          # 10 characters per inch
VISA_ZONE = (120 * mm, 80 * mm)
INK = (0.12, 0.12, 0.16)
ACCENT = (0.47, 0.14, 0.14)
TINT = (0.90, 0.87, 0.80)


@lru_cache(maxsize=1)
def charset() -> str:
    """Every character an e-visa page can print: one font subset per process, reused.

    Printable ASCII (names, numbers and the MRZ are Latin), the page's own Chinese
    words (read from this module's source, so a new label is never forgotten), and
    every country's Chinese name.
    """
    own = Path(__file__).read_text(encoding="utf-8")
    chinese = {c for c in own + symbol.NAME_ZH if "\u2e80" <= c <= "\uffef"}
    for country in iso3166.countries:
        chinese.update(country_name(country.alpha3, "zh") or "")
    return "".join(sorted({chr(c) for c in range(32, 127)} | chinese | set("·–—")))


def _state_names(code: str) -> tuple[str, str]:
    if code in STATES:
        return STATES[code]
    return ((country_name(code, "en") or code).upper(), country_name(code, "zh") or code)


def _entries(entries: int) -> tuple[str, str]:
    return ("Multiple", "多次") if entries == 0 else (str(entries), f"{entries}次")


def _sex(sex: str) -> tuple[str, str]:
    return {"F": ("F", "女"), "M": ("M", "男")}.get(sex, (sex, "未说明"))


def rows(visa: IssuedVisa) -> list[tuple[str, str, str]]:
    """(English label, Chinese label, value) in the order the page prints them."""
    v = visa
    nationality = v.nationality
    entries_en, entries_zh = _entries(v.entries)
    sex_en, sex_zh = _sex(v.sex)
    return [
        ("Surname", "姓", v.surname),
        ("Given names", "名", v.given_names or "—"),
        ("Nationality", "国籍", f"{nationality} · {country_name(nationality, 'en') or ''} · "
         f"{country_name(nationality, 'zh') or ''}".rstrip(" ·")),
        ("Date of birth", "出生日期", v.date_of_birth.isoformat()),
        ("Sex", "性别", f"{sex_en} · {sex_zh}"),
        ("Passport number", "护照号码", v.passport_number),
        ("Visa type", "签证种类", v.visa_type),
        ("Visa number", "签证号码", v.visa_number),
        ("Valid from", "有效期自", v.valid_from.isoformat()),
        ("Valid until", "有效期至", v.valid_until.isoformat()),
        ("Entries", "入境次数", f"{entries_en} · {entries_zh}"),
        ("Duration of each stay", "每次停留期", f"{v.duration_of_stay_days} days · "
         f"{v.duration_of_stay_days}天"),
    ]


def _background(page: canvas.Canvas, width: float, height: float) -> None:
    """Fine wave lines and a double border: kvisa's own pattern."""
    page.setStrokeColorRGB(*TINT)
    page.setLineWidth(0.3)
    for row in range(0, int(height / mm), 6):
        path = page.beginPath()
        base = row * mm
        path.moveTo(0, base)
        for step in range(0, int(width / mm) + 2, 2):
            path.lineTo(step * mm, base + 1.2 * mm * math.sin(step / 9))
        page.drawPath(path, stroke=1, fill=0)
    page.setStrokeColorRGB(*ACCENT)
    page.setLineWidth(1.2)
    page.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    page.setLineWidth(0.4)
    page.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)


def _photo(page: canvas.Canvas, photo: bytes | None, *, x: float, y: float, w: float,
           h: float) -> None:
    page.setStrokeColorRGB(*INK)
    page.setLineWidth(0.5)
    if photo is None:
        page.rect(x, y, w, h)
        return
    image = Image.open(io.BytesIO(photo)).convert("RGB")
    image.thumbnail((600, 800))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    page.drawImage(ImageReader(buffer), x, y, width=w, height=h, preserveAspectRatio=True,
                   anchor="c")
    page.rect(x, y, w, h)


def render(visa: IssuedVisa, lines: list[str], seal: bytes, *, photo: bytes | None = None,
           verify_url: str = "", authority: tuple[str, str] = ("", ""),
           issued_on: dt.date | None = None) -> bytes:
    """One A4 page, tagged for screen readers and PDF/A-2b; returns the PDF (unsigned)."""
    width, height = A4
    state_en, state_zh = _state_names(visa.issuing_state)
    data = rows(visa)
    place = visa.place_of_issue or ""
    issued = (issued_on or visa.valid_from).isoformat()
    authority_en, authority_zh = authority
    verify_en = f"Verify this seal at {verify_url} or with the issuer's certificate in any " \
                "ICAO Visible Digital Seal reader." if verify_url else \
                "Verify this seal with the issuer's certificate in any ICAO VDS reader."
    verify_zh = (f"扫描 {symbol.NAME_ZH}或访问 {verify_url} 核验本印章。" if verify_url
                 else "可用签发者证书核验本印章。")
    # the deployment's own words (authority, place) join the fixed set: still one subset
    printed = charset() + authority_zh + authority_en + place
    regular = fonts.register(fonts.NOTO_SANS_CJK, printed)
    bold = fonts.register(fonts.NOTO_SANS_CJK_BOLD, printed)
    ocr = fonts.register(fonts.OCR_B, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=regular,
                         initialFontSize=10)
    page.setTitle(f"Electronic visa {visa.visa_number} · 电子签证")
    page.setAuthor(authority_en or state_en)
    page.setSubject(f"{visa.surname}, {visa.given_names}")
    page.setCreator("kvisa")
    marks = Marks(page)
    with marks.artifact():
        _background(page, width, height)
    page.setFillColorRGB(*ACCENT)
    page.setFont(bold, 15)
    with marks.tag("P"):
        page.drawCentredString(width / 2, height - 22 * mm, f"{state_zh}  {state_en}")
    page.setFont(bold, 20)
    with marks.tag("H1"):
        page.drawCentredString(width / 2, height - 32 * mm, "电子签证  ELECTRONIC VISA")
    page.setFillColorRGB(*INK)
    page.setFont(regular, 8.5)
    if authority_en or authority_zh:
        with marks.tag("P"):
            page.drawCentredString(width / 2, height - 37.5 * mm,
                                   f"签发机关 Issuing authority: {authority_zh} · {authority_en}")
    with marks.tag("P"):
        page.drawCentredString(width / 2, height - 41.5 * mm, "签发地点和日期 Place and date of "
                               f"issue: {place + ', ' if place else ''}{issued}")

    # the visa zone (MRV-A size), photo left, main data right, MRZ along the bottom
    zone_w, zone_h = VISA_ZONE
    zx, zy = (width - zone_w) / 2, height - 47 * mm - zone_h
    page.setFillColorRGB(0.985, 0.975, 0.95)
    page.setStrokeColorRGB(*ACCENT)
    page.setLineWidth(0.8)
    with marks.artifact():
        page.roundRect(zx, zy, zone_w, zone_h, 3 * mm, stroke=1, fill=1)
    with marks.tag("Figure", alt="Photo of the holder · 持证人照片") if photo else \
            marks.artifact():
        _photo(page, photo, x=zx + 4 * mm, y=zy + 24 * mm, w=30 * mm, h=40 * mm)
    page.setFillColorRGB(*INK)
    main = [data[0], data[1], data[2], data[3], data[7], data[9], data[10]]
    for index, (en, zh, value) in enumerate(main):
        column, slot = divmod(index, 4)
        x = zx + 38 * mm + column * 42 * mm
        y = zy + zone_h - 10 * mm - slot * 11 * mm
        with marks.tag("P"):
            page.setFont(regular, 6)
            page.drawString(x, y + 3.2 * mm, f"{zh} {en}")
            page.setFont(bold, 8.5 if len(value) < 26 else 7)
            page.drawString(x, y, value[:40])
    # OCR-B at a size giving the 2.54 mm pitch; lines 4 mm apart, 4 mm above the bottom edge
    advance = pdfmetrics.stringWidth("<", ocr, 1)
    page.setFont(ocr, MRZ_PITCH / advance)
    for index, mrz_line in enumerate(lines):
        with marks.tag("P"):
            page.drawString(zx + (zone_w - MRZ_PITCH * len(mrz_line)) / 2,
                            zy + 4 * mm + (len(lines) - 1 - index) * 5 * mm, mrz_line)

    # the full data in both languages
    top = zy - 10 * mm
    for index, (en, zh, value) in enumerate(data):
        column, slot = divmod(index, 6)
        x = 22 * mm + column * 88 * mm
        y = top - slot * 11 * mm
        with marks.tag("P"):
            page.setFont(regular, 7)
            page.setFillColorRGB(0.35, 0.33, 0.3)
            page.drawString(x, y + 3.6 * mm, f"{en} · {zh}")
            page.setFillColorRGB(*INK)
            page.setFont(bold, 10)
            page.drawString(x, y, value[:48])

    # the seal and where to verify it
    size = 50 * mm
    qx, qy = (width - size) / 2, 30 * mm
    page.setFont(bold, 8)
    with marks.tag("H2"):
        page.drawCentredString(width / 2, qy + size + 3 * mm, "Digital seal 数字印章 (ICAO VDS)")
    with marks.tag("Figure", alt=f"{symbol.NAME_EN} holding the visa's ICAO Visible Digital "
                   f"Seal; scan it to verify · 含签证数字印章的{symbol.NAME_ZH}"):
        symbol.draw(page, seal, x=qx, y=qy, size=size)
    page.setFont(regular, 8)
    with marks.tag("P"):
        page.drawCentredString(width / 2, qy - 6 * mm, verify_en)
    with marks.tag("P", lang="zh-Hans"):
        page.drawCentredString(width / 2, qy - 11 * mm, verify_zh)
    page.showPage()
    page.save()
    return finish(buffer.getvalue(), marks.marks, lang="en")
