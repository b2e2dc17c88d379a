"""The e-visa: MRZ, Visible Digital Seal and a one-page PDF with the seal printed on it.

``issue(visa, key)`` composes the visa's MRV-A (or MRV-B) MRZ, builds and
signs the seal, and renders the PDF.  ``read_barcodes`` gets seal bytes back
from a PNG/JPEG photo or a PDF (rendered with pdfium, read with zxing-cpp) so
the verify page and ``kvisa vds`` accept whatever a traveller has.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from kvisa.documents import evisa_pdf, mrz, pades, symbol, vds
from kvisa.documents.errors import DocumentError
from kvisa.documents.issued_visa import IssuedVisa
from kvisa.documents.signer import SigningKey

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000
# A seal is on the e-visa's only page or on the card's back (page 2).
MAX_SEAL_PAGES = 2
PDF_RENDER_SCALE = 3.0
# An A4 page at 3x is about 4.5 megapixels; twice that covers A3 and any card.
MAX_PAGE_PIXELS = 9_000_000


def visa_mrz(visa: IssuedVisa) -> list[str]:
    return mrz.compose(visa.format, surname=visa.surname, given_names=visa.given_names,
                       document_number=visa.visa_number, nationality=visa.nationality,
                       birth_date=visa.date_of_birth, sex=visa.sex,
                       expiry_date=visa.valid_until, issuing_state=visa.issuing_state,
                       document_code="V" + visa.visa_type[0])


@dataclass
class EVisa:
    mrz: list[str]
    seal: bytes
    pdf: bytes


def make_seal(visa: IssuedVisa, key: SigningKey, *, signed_on: dt.date | None = None) -> bytes:
    lines = visa_mrz(visa)
    cert = key.certificate
    header = vds.Header(issuing_state=visa.issuing_state, signer=cert.signer,
                        certificate_reference=cert.reference, issue_date=visa.valid_from,
                        signature_date=signed_on or dt.date.today())
    features = vds.visa_features(mrz_lines=lines, entries=visa.entries,
                                 stay_days=visa.duration_of_stay_days,
                                 passport_number=visa.passport_number,
                                 visa_type=visa.visa_type.encode("ascii"))
    signed_part = vds.unsigned_bytes(header, features)
    return vds.with_signature(signed_part, key.sign(signed_part))


def issue(visa: IssuedVisa, key: SigningKey, *, signed_on: dt.date | None = None,
          photo: bytes | None = None, verify_url: str = "",
          authority: tuple[str, str] = ("", ""), sign: bool = True) -> EVisa:
    """MRZ, seal and the PDF (with the holder's photo if given), signed as a whole
    (PAdES) by the seal's key unless ``sign`` is false."""
    seal = make_seal(visa, key, signed_on=signed_on)
    lines = visa_mrz(visa)
    pdf = evisa_pdf.render(visa, lines, seal, photo=photo, verify_url=verify_url,
                           authority=authority, issued_on=signed_on)
    if sign:
        pdf = pades.sign_pdf(pdf, key, reason="Issued electronic visa "
                             f"{visa.visa_number}", location=visa.place_of_issue,
                             name=authority[0] or visa.issuing_state)
    return EVisa(lines, seal, pdf)


def read_barcodes(data: bytes) -> list[bytes]:
    """Raw payloads of the 2D barcodes in a PNG/JPEG image or in a PDF's pages."""
    import pypdfium2
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_IMAGE_BYTES:
        raise DocumentError("file larger than 15 MB")
    images: list[Any] = []
    if data[:5] == b"%PDF-":
        images = _pdf_pages(pypdfium2, data)
    else:
        try:
            image = Image.open(io.BytesIO(data))
            # the header gives the size: refuse before decoding a single pixel
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise DocumentError("image too large")
            image.load()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError,
                ValueError) as exc:
            raise DocumentError(f"not a PDF or an image ({exc.__class__.__name__})") from None
        images.append(image)
    return [payload for image in images for payload in symbol.read(image)]


def _page_scale(width_pt: float, height_pt: float) -> float:
    """Render scale for one page: 3x (about 216 dpi) within the per-page pixel budget.

    A page's size is the sender's to choose (a 727-byte PDF can declare five
    5000 x 5000 pt pages), so the scale shrinks as the page grows and the
    bitmap never exceeds ``MAX_PAGE_PIXELS``; a seal on an absurdly large page
    is then too small to read, and the answer is "no seal found".
    """
    area = max(width_pt, 1.0) * max(height_pt, 1.0)
    return min(PDF_RENDER_SCALE, (MAX_PAGE_PIXELS / area) ** 0.5)


def _pdf_pages(pypdfium2: Any, data: bytes) -> list[Any]:
    """The pages a seal can be on, rendered within a fixed pixel budget.

    Every renderer failure (a corrupt file, a page pdfium refuses to draw) is
    "not a readable PDF": the reader of /verify learns that no seal could be
    read, never a server error.
    """
    try:
        document = pypdfium2.PdfDocument(data)
        pages = []
        for index in range(min(len(document), MAX_SEAL_PAGES)):
            page = document[index]
            width, height = page.get_size()
            pages.append(page.render(scale=_page_scale(width, height)).to_pil())
        return pages
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(f"not a readable PDF ({exc.__class__.__name__})") from None


def find_seal(data: bytes) -> bytes:
    """The first barcode payload that starts with the seal magic byte 0xDC."""
    for payload in read_barcodes(data):
        if payload[:1] == bytes((vds.MAGIC,)):
            return payload
    raise DocumentError("no Visible Digital Seal barcode found")
