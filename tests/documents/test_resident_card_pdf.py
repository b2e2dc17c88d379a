"""The resident card as documents: a PDF whose faces are real, tagged text in embedded
fonts with the photo as an image, PNG faces from the same layout, and the seal printed
as a Data Matrix (Doc 9303 Part 13) that reads back off the PDF and the picture."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from kvisa.documents import evisa, resident_card, resident_id
from tests.support.files import photo

CARD = {"surname": "MUELLER", "given_names": "ANNA MARIA",
        "chinese_name": "穆安娜", "nationality": "DEU", "date_of_birth": dt.date(1985, 7, 1),
        "sex": "F", "valid_from": dt.date(2026, 12, 1), "valid_until": dt.date(2036, 11, 30),
        "old_number": "DEU110085070112", "issuing_authority": "Demonstration issuer",
        "issuing_authority_zh": "演示签发机关"}


@pytest.fixture(scope="module")
def made(p256_signer):  # type: ignore[no-untyped-def]
    number = resident_id.generate(province_code="11", nationality="DEU",
                                  birth_date="1985-07-01", sex="F", sequence=1)
    card = resident_card.card_from_dict({**CARD, "number": number})
    return card, resident_card.issue(card, photo(), p256_signer[0],
                                     verify_url="https://kvisa.example/verify")


def test_the_pdf_holds_both_faces_as_text_in_both_languages(made) -> None:  # type: ignore[no-untyped-def]
    card, documents = made
    page = pypdfium2.PdfDocument(documents.pdf)[0]
    text = page.get_textpage().get_text_range()
    for expected in ("外国人永久居留身份证", "Foreign Permanent Resident ID Card",
                     "MUELLER, ANNA MARIA", "穆安娜", card.number, "1985-07-01",
                     "2036-11-30", "演示签发机关", "Demonstration issuer",
                     "https://kvisa.example/verify", "DEU110085070112", "Data Matrix"):
        assert expected in text, expected
    images = [o for o in page.get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1, "the photo is the page's one image; the faces are drawn"


def test_every_font_is_embedded_and_the_page_is_tagged(made) -> None:  # type: ignore[no-untyped-def]
    _card, documents = made
    reader = PdfReader(io.BytesIO(documents.pdf))
    embedded = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = descendant["/FontDescriptor"].get_object()
        embedded.append(("NotoSansCJK" in str(font["/BaseFont"]),
                         any(k in descriptor for k in ("/FontFile", "/FontFile2"))))
    assert embedded and all(noto and inside for noto, inside in embedded), embedded
    with pikepdf.open(io.BytesIO(documents.pdf)) as pdf:
        roles = [str(element.S) for element in pdf.Root.StructTreeRoot.K.K]
        assert roles[0] == "/H1" and roles.count("/Figure") == 2 and "/P" in roles
        assert str(pdf.Root.Lang) == "en"
        with pdf.open_metadata() as meta:
            assert meta["pdfaid:part"] == "2"


def _symbols(picture: Image.Image) -> list[tuple[str, bytes]]:
    return [(result.format.name, bytes(result.bytes))
            for result in zxingcpp.read_barcodes(picture.convert("L"))]


def test_the_seal_is_a_data_matrix_on_the_pdf_and_on_the_back(made) -> None:  # type: ignore[no-untyped-def]
    _card, documents = made
    assert evisa.find_seal(documents.pdf) == documents.seal
    page = pypdfium2.PdfDocument(documents.pdf)[0].render(scale=3).to_pil()
    assert ("DataMatrix", documents.seal) in _symbols(page)
    back = Image.open(io.BytesIO(documents.back_png))
    assert back.size == (1011, 638)
    assert ("DataMatrix", documents.seal) in _symbols(back)
    front = Image.open(io.BytesIO(documents.front_png))
    assert front.size == (1011, 638) and not _symbols(front)
