"""Make a one-page ReportLab PDF tagged (for screen readers) and PDF/A-2b (for archives).

Why by hand: ReportLab's open-source edition writes neither a structure tree
nor PDF/A metadata, and no maintained Python library adds tags to an existing
content stream.  So the page is marked while it is drawn (:class:`Marks`: each
piece of content inside ``/Role <</MCID n>> BDC … EMC``, decoration inside
``/Artifact BMC … EMC``), and :func:`finish` then writes, with pikepdf
(MPL-2.0), what ISO 32000 §14.7–14.8 and ISO 19005-2 ask of the file: the
structure tree with its parent tree, ``MarkInfo``, the document language, an
sRGB output intent and XMP metadata naming PDF/A-2 level B.  Fonts are already
embedded and subset (:mod:`kvisa.documents.fonts`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import pikepdf
from PIL import ImageCms
from reportlab.pdfgen import canvas

ROLES = {"H1", "H2", "P", "Figure", "Span"}


@dataclass(frozen=True)
class Mark:
    role: str
    mcid: int
    alt: str = ""
    lang: str = ""


class Marks:
    """Records the page's marked content in reading order while it is drawn."""

    def __init__(self, page: canvas.Canvas) -> None:
        self.page = page
        self.marks: list[Mark] = []

    @contextmanager
    def tag(self, role: str, *, alt: str = "", lang: str = "") -> Iterator[None]:
        if role not in ROLES:
            raise ValueError(f"unknown structure role {role}")
        mark = Mark(role, len(self.marks), alt, lang)
        self.marks.append(mark)
        self.page.addLiteral(f"/{role} <</MCID {mark.mcid}>> BDC")
        yield
        self.page.addLiteral("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """Decoration a screen reader skips (background, borders)."""
        self.page.addLiteral("/Artifact BMC")
        yield
        self.page.addLiteral("EMC")


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile from Little CMS (through Pillow): the output intent's colours."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def finish(pdf: bytes, marks: list[Mark], *, lang: str) -> bytes:
    """The PDF with its structure tree, language, output intent and PDF/A-2b metadata."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0].obj
        tree = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        top = document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=tree, K=pikepdf.Array()))
        in_order = pikepdf.Array()
        for mark in marks:
            element = pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                         S=pikepdf.Name("/" + mark.role), P=top, Pg=page,
                                         K=mark.mcid)
            if mark.alt:
                element.Alt = pikepdf.String(mark.alt)
            if mark.lang:
                element.Lang = pikepdf.String(mark.lang)
            indirect = document.make_indirect(element)
            top.K.append(indirect)
            in_order.append(indirect)
        tree.K = top
        tree.ParentTree = document.make_indirect(pikepdf.Dictionary(
            Nums=pikepdf.Array([0, document.make_indirect(in_order)])))
        tree.ParentTreeNextKey = 1
        page.StructParents = 0
        page.Tabs = pikepdf.Name.S
        root = document.Root
        root.StructTreeRoot = tree
        root.MarkInfo = pikepdf.Dictionary(Marked=True)
        root.Lang = pikepdf.String(lang)
        root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        profile = document.make_stream(srgb_profile())
        profile.N = 3
        root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
            Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=profile)])
        if "/Trapped" in document.docinfo:  # no XMP twin: PDF/A wants the two to agree
            del document.docinfo["/Trapped"]
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta.load_from_docinfo(document.docinfo)
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
        output = io.BytesIO()
        document.save(output, fix_metadata_version=True)
    return output.getvalue()
