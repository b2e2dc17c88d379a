"""Uploads: sniffed by content, size-limited, images re-encoded, bad files leave nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from PIL import Image
from pypdf.actions import JavaScript
from reportlab.pdfgen import canvas

from kvisa import filestore
from kvisa.accounts.models import Role
from kvisa.casework import services
from kvisa.casework.errors import InvalidInput, NotAllowed
from kvisa.casework.models import Document
from tests.support.cases import submitted
from tests.support.people import client_for, make_user


def _stored() -> set[str]:
    return set(filestore.names(filestore.documents(), ""))


def _pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number in range(pages):
        page.drawString(100, 700, f"page {number}")
        page.showPage()
    page.save()
    return buffer.getvalue()


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 64), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def draft(applicant):  # type: ignore[no-untyped-def]
    return services.application_create(applicant=applicant)


@pytest.mark.parametrize(("data", "message"), [
    (b"MZ\x90\x00" + b"\x00" * 200, "Only PDF, JPEG and PNG"),       # an .exe named .pdf
    (b"%PDF-1.7\n garbage", "damaged"),                                # broken PDF
    (None, "between 1 and 50 pages"),                                   # a 60-page PDF bomb
    (_jpeg_with_exif()[:300], "damaged, truncated"),                   # truncated JPEG
    (b"", "empty"),
    (b"%PDF-" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),      # oversize
])
def test_bad_files_are_refused_and_nothing_is_stored(applicant, draft, data, message) -> None:  # type: ignore[no-untyped-def]
    before = _stored()
    payload = _pdf(60) if data is None else data
    with pytest.raises(InvalidInput, match=message):
        services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                 name="innocent.pdf", data=payload)
    assert _stored() == before
    assert not Document.objects.exists()


def test_images_are_re_encoded_without_metadata(applicant, draft) -> None:  # type: ignore[no-untyped-def]
    original = _jpeg_with_exif()
    assert b"SecretCam" in original
    document = services.document_upload(application_id=draft.pk, by=applicant,
                                        kind="passport_page", name="p.jpg", data=original)
    from kvisa.casework.uploads import read

    stored = read(document.sha256)
    assert b"SecretCam" not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    assert document.media_type == "image/jpeg"


def test_several_files_per_slot_and_a_pdf(applicant, draft) -> None:  # type: ignore[no-untyped-def]
    for pages in (1, 2):
        services.document_upload(application_id=draft.pk, by=applicant,
                                 kind="degree_certificate", name=f"d{pages}.pdf",
                                 data=_pdf(pages))
    assert draft.documents.filter(kind="degree_certificate").count() == 2


def test_uploads_are_closed_once_submitted(applicant) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    with pytest.raises(NotAllowed):
        services.document_upload(application_id=application.pk, by=applicant, kind="cv",
                                 name="cv.pdf", data=_pdf(1))


def test_the_upload_page_reports_errors_by_file(applicant, draft) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(applicant)
    response = client.post(f"/applications/{draft.pk}/upload/", {
        "kind": "cv", "files": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00evil"),
                                SimpleUploadedFile("cv.pdf", _pdf(1))]}, follow=True)
    text = response.content.decode()
    assert "virus.pdf: Only PDF, JPEG and PNG" in text and "cv.pdf uploaded" in text
    assert draft.documents.count() == 1


def _png_bomb(width: int, height: int) -> bytes:
    """A small PNG that decodes to width × height pixels (one colour compresses well)."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def test_an_image_bomb_is_refused_from_its_header_before_decoding(applicant, draft) -> None:  # type: ignore[no-untyped-def]
    import tracemalloc

    bomb = _png_bomb(10_000, 7_900)                  # 79 Mpx, under Pillow's own 2× limit
    assert len(bomb) < 1_000_000
    before = _stored()
    tracemalloc.start()
    with pytest.raises(InvalidInput, match="million pixels"):
        services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                 name="photo.png", data=bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50_000_000                         # nothing was decoded
    assert _stored() == before and not Document.objects.exists()


def test_a_pdf_is_always_a_download_and_an_image_may_show_inline(applicant, draft) -> None:  # type: ignore[no-untyped-def]
    pdf = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                   name="cv.pdf", data=_pdf(1))
    png = io.BytesIO()
    Image.new("RGB", (20, 20)).save(png, "PNG")
    image = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                     name="a.png", data=png.getvalue())
    client = client_for(applicant)
    as_pdf = client.get(f"/applications/{draft.pk}/documents/{pdf.pk}/")
    assert as_pdf["Content-Disposition"].startswith("attachment")
    assert as_pdf["X-Content-Type-Options"] == "nosniff"
    as_image = client.get(f"/applications/{draft.pk}/documents/{image.pk}/")
    assert as_image["Content-Disposition"] == "inline"


def _pdf_with(make: Any) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    make(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _launch(writer: Any) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"),
        NameObject("/F"): TextStringObject("calc.exe")})


@pytest.mark.parametrize(("make", "flags"), [
    (lambda w: None, []),
    (lambda w: w.add_open_action(JavaScript("app.alert('hello');")), ["javascript"]),
    (lambda w: w.add_attachment("payload.txt", b"hidden"), ["embedded_file"]),
    (_launch, ["launch"]),
], ids=["clean", "javascript", "attachment", "launch"])
def test_active_content_in_a_pdf_is_recorded_and_shown_to_the_officer(
        applicant, make, flags) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    officer = make_user(Role.OFFICER)
    services.application_assign(application_id=application.pk, by=officer,
                                client_txn_id="assign-active")
    services.application_request_evidence(
        application_id=application.pk, by=officer, message="More, please",
        due_date=dt.date.today() + dt.timedelta(days=10), client_txn_id="ask-active")
    document = services.document_upload(application_id=application.pk, by=applicant,
                                        kind="evidence", name="evidence.pdf",
                                        data=_pdf_with(make))
    assert document.active_content == flags
    page = client_for(officer).get(f"/console/cases/{application.pk}/").content.decode()
    assert ('data-testid="active-content"' in page) == bool(flags)
    if "javascript" in flags:
        assert "JavaScript" in page


def test_a_pdf_with_a_payload_after_its_end_is_flagged(applicant, draft) -> None:  # type: ignore[no-untyped-def]
    polyglot = _pdf(1) + _jpeg_with_exif()
    document = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                        name="cv.pdf", data=polyglot)
    assert "trailing_data" in document.active_content
