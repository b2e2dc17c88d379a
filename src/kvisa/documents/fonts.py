"""Fonts a travel document embeds: Noto Sans CJK (SIL OFL) for text, OCR-B for the MRZ.

ReportLab embeds TrueType outlines only, and both fonts ship from Debian as
OpenType with CFF outlines (``fonts-noto-cjk``, ``fonts-ocr-b``).  So each
document takes a subset of the glyphs it prints (fontTools' subsetter), the
subset's cubic CFF outlines are converted to quadratic TrueType outlines
(fontTools' cu2qu, within 1/1000 em: invisible at any print size) and the
result is registered with ReportLab, which embeds it (``pdffonts`` shows
``emb yes``).  No library does this conversion end to end, hence the few
lines here.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportLabFont

from kvisa.documents.errors import DocumentError

NOTO_SANS_CJK = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)  # SC face
NOTO_SANS_CJK_BOLD = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2)
OCR_B = ("/usr/share/fonts/opentype/ocr-b/OCRB.otf", 0)
PACKAGES = {NOTO_SANS_CJK[0]: "fonts-noto-cjk", NOTO_SANS_CJK_BOLD[0]: "fonts-noto-cjk",
            OCR_B[0]: "fonts-ocr-b"}


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca with quadratic outlines (in place)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=font["head"].unitsPerEm / 1000,
                                      reverse_direction=True))
        glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0


@lru_cache(maxsize=64)
def _subset_ttf(path: str, index: int, text: str) -> bytes:
    if not Path(path).exists():
        raise DocumentError(f"the font {path} is missing: install the Debian package "
                            f"{PACKAGES.get(path, 'that provides it')} (scripts/system-deps.sh)")
    font = TTFont(path, fontNumber=index, lazy=False)
    if "FFTM" in font:  # a FontForge timestamp the subsetter cannot subset (and warns)
        del font["FFTM"]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def register(face: tuple[str, int], text: str) -> str:
    """Register a subset of ``face`` covering ``text`` with ReportLab; return its name."""
    characters = "".join(sorted(set(text) | {chr(c) for c in range(32, 127)}))
    data = _subset_ttf(face[0], face[1], characters)
    name = "kv" + hashlib.sha256(data).hexdigest()[:12]
    if name not in pdfmetrics.getRegisteredFontNames():
        font = ReportLabFont(name, io.BytesIO(data))
        # ReportLab maps a second font with an already registered face name to
        # the first one, so a later subset (an authority's name with other
        # characters) printed with the first subset's glyphs and lost text.
        # The face name (the PDF's BaseFont) carries the subset's hash.
        font.face.name = font.face.name + b"-" + name.encode("ascii")
        pdfmetrics.registerFont(font)
    return name
