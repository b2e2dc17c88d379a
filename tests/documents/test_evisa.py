"""The e-visa PDF: it renders, its barcode reads back to a verifying seal."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from kvisa.documents import evisa, issued_visa
from kvisa.documents.errors import DocumentError
from kvisa.documents.signer import read_certificate
from kvisa.documents.verify import verify

from .test_vds import VISA


def test_pdf_renders_and_its_barcode_verifies(p256_signer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key, cert_path = p256_signer
    visa = issued_visa.visa_from_json(json.dumps(VISA))
    document = evisa.issue(visa, key)
    assert document.pdf.startswith(b"%PDF-")
    pdf = pypdfium2.PdfDocument(document.pdf)
    assert len(pdf) == 1
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    assert "K00012345" in text and document.mrz[1] in text and "电子签证" in text
    image = page.render(scale=2).to_pil()
    image.save(tmp_path / "evisa.png")  # kept for a human look when debugging
    seal = evisa.find_seal(document.pdf)
    assert seal == document.seal
    result = verify(seal, [read_certificate(cert_path)], on=dt.date(2026, 3, 1))
    assert result.status == "valid"
    # a photo of the page: the PNG rendering, downscaled and converted to JPEG
    photo = io.BytesIO()
    image.convert("RGB").resize((image.width // 2, image.height // 2)).save(photo, "JPEG")
    assert evisa.find_seal(photo.getvalue()) == document.seal


def test_a_pdf_without_a_barcode(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "no seal here")
    page.save()
    with pytest.raises(DocumentError, match="no Visible Digital Seal"):
        evisa.find_seal(buffer.getvalue())


@pytest.mark.parametrize("data", [b"not an image", b"%PDF-1.4 broken", b""])
def test_unreadable_files(data: bytes) -> None:
    with pytest.raises(DocumentError):
        evisa.find_seal(data)


@pytest.mark.parametrize(("change", "message"), [
    ({"valid_until": "2025-01-01"}, "valid_until is before valid_from"),
    ({"sex": "Q"}, "sex"),
    ({"visa_number": "K000123456789"}, "visa_number"),
    ({"entries": 300}, "entries"),
    ({"date_of_birth": "1996-02-30"}, "date_of_birth"),
    ({"extra": 1}, "extra"),
])
def test_bad_visa_records(change: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(DocumentError, match=message):
        issued_visa.visa_from_json(json.dumps({**VISA, **change}))


def test_the_image_is_the_expected_size() -> None:
    image = Image.new("L", (10, 10), 255)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert evisa.read_barcodes(buffer.getvalue()) == []
