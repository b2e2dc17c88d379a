"""The e-visa as a travel document: every font embedded (Noto Sans CJK, OCR-B), the
holder's photo, where to verify it, and the whole PDF signed (PAdES) by the seal's key."""

from __future__ import annotations

import asyncio
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pypdfium2
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from kvisa.documents import evisa, issued_visa

from .test_vds import VISA


def _photo() -> bytes:
    output = io.BytesIO()
    image = Image.new("RGB", (360, 480), (200, 215, 235))
    image.paste((40, 60, 110), (70, 260, 290, 480))
    image.save(output, "JPEG")
    return output.getvalue()


def _issue(key):  # type: ignore[no-untyped-def]
    visa = issued_visa.visa_from_json(json.dumps(VISA))
    return evisa.issue(visa, key, photo=_photo(), verify_url="https://kvisa.example/verify",
                       authority=("Demonstration issuer", "演示签发机关"))


def test_every_font_is_embedded_and_the_mrz_is_ocr_b(p256_signer) -> None:  # type: ignore[no-untyped-def]
    document = _issue(p256_signer[0])
    reader = PdfReader(io.BytesIO(document.pdf))
    fonts = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = descendant["/FontDescriptor"].get_object()
        fonts[str(font["/BaseFont"])] = any(k in descriptor for k in
                                            ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    names = " ".join(fonts)
    assert "NotoSansCJK" in names and "OCRB" in names
    assert "Helvetica" not in names and "STSong" not in names and "Courier" not in names


def test_the_page_reads_in_both_languages_with_photo_and_where_to_verify(p256_signer) -> None:  # type: ignore[no-untyped-def]
    document = _issue(p256_signer[0])
    page = pypdfium2.PdfDocument(document.pdf)[0]
    text = page.get_textpage().get_text_range()
    for expected in ("电子签证", "ELECTRONIC VISA", "中华人民共和国", "演示签发机关",
                     "https://kvisa.example/verify", "Multiple", "多次", document.mrz[0]):
        assert expected in text, expected
    images = [o for o in page.get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    assert images, "the holder's photo is on the page"
    assert evisa.find_seal(document.pdf) == document.seal


def test_the_pdf_is_signed_by_the_seals_key_and_a_change_breaks_it(p256_signer) -> None:  # type: ignore[no-untyped-def]
    key = p256_signer[0]
    document = _issue(key)
    root = asn1_x509.Certificate.load(
        key.certificate.certificate.public_bytes(serialization.Encoding.DER))

    def status(pdf: bytes):  # type: ignore[no-untyped-def]
        signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
        work = async_validate_pdf_signature(signature,
                                            ValidationContext(trust_roots=[root]))
        # a thread of its own: a browser test in this process may hold an event loop
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, work).result()

    good = status(document.pdf)
    assert good.intact and good.valid and good.trusted
    assert good.signing_cert.subject == root.subject
    index = document.pdf.index(b"stream") + 40     # a byte inside the first content stream
    tampered = document.pdf[:index] + bytes([document.pdf[index] ^ 1]) + \
        document.pdf[index + 1:]
    assert not status(tampered).intact


PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "f*", "F", "B", "B*", "b", "b*", "S", "s", "sh"}


def test_the_pdf_is_tagged_and_declares_pdf_a_2b(p256_signer) -> None:  # type: ignore[no-untyped-def]
    import pikepdf
    from PIL import ImageCms

    document = _issue(p256_signer[0])
    with pikepdf.open(io.BytesIO(document.pdf)) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert meta["dc:title"] == str(pdf.docinfo["/Title"])
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        profile = ImageCms.ImageCmsProfile(io.BytesIO(intent.DestOutputProfile.read_bytes()))
        assert "sRGB" in ImageCms.getProfileDescription(profile)
        assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "en"
        assert "/Encrypt" not in pdf.trailer

        top = pdf.Root.StructTreeRoot.K
        elements = list(top.K)
        roles = [str(e.S) for e in elements]
        assert roles[:2] == ["/P", "/H1"] and "/H2" in roles
        figures = [e for e in elements if pikepdf.Name.Figure == e.S]
        assert len(figures) == 2 and all(len(str(f.Alt)) > 10 for f in figures)
        page = pdf.pages[0]
        assert page.obj.StructParents == 0
        parents = pdf.Root.StructTreeRoot.ParentTree.Nums[1]

        # every mark on the page is either tagged content or an artifact, and every
        # tagged piece has its structure element (the parent tree, by MCID)
        depth, mcids = 0, []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                depth += 1
                if name == "BDC" and "/MCID" in operands[1]:
                    mcids.append(int(operands[1].MCID))
            elif name == "EMC":
                depth -= 1
            elif name in PAINTING:
                assert depth > 0, f"untagged {name}"
        assert depth == 0
        assert mcids == list(range(len(elements))) == [int(e.K) for e in elements]
        assert [parents[i].objgen for i in mcids] == [e.objgen for e in elements]

        widget = next(a for a in page.Annots if a.get("/FT") == pikepdf.Name.Sig)
        assert int(widget.F) & 0b100 and not int(widget.F) & 0b10  # printed, not hidden


def test_a_later_visa_with_other_characters_prints_all_of_them(p256_signer) -> None:  # type: ignore[no-untyped-def]
    """Each document's font subset is its own, whatever was issued before in the process."""
    visa = issued_visa.visa_from_json(json.dumps(VISA))
    evisa.issue(visa, p256_signer[0], authority=("First issuer", "甲机关"))
    later = evisa.issue(visa, p256_signer[0], authority=("Second issuer", "乙地出入境管理局"))
    text = pypdfium2.PdfDocument(later.pdf)[0].get_textpage().get_text_range()
    assert "乙地出入境管理局 · Second issuer" in text
