"""Real files in real formats for uploads: images, a drawn photo, PDFs, and a draft's
required documents uploaded through the service."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw


def png(width: int = 300, height: int = 200, colour: tuple[int, int, int] = (240, 240, 255)
        ) -> bytes:
    """A plain PNG (a scanned page's stand-in)."""
    output = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(output, "PNG")
    return output.getvalue()


def write(folder: Path, name: str, data: bytes) -> str:
    """``data`` saved as ``folder/name``; the path as text (for a file input)."""
    path = folder / name
    path.write_bytes(data)
    return str(path)


@functools.lru_cache(maxsize=4)
def photo(width: int = 360, height: int = 480) -> bytes:
    """A passport-style JPEG photo, 3:4, a face-like oval on a light background."""
    image = Image.new("RGB", (width, height), (205, 220, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse([width * 0.3, height * 0.15, width * 0.7, height * 0.5], fill=(225, 185, 155))
    draw.rectangle([width * 0.15, height * 0.56, width * 0.85, height], fill=(50, 70, 120))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=90)
    return output.getvalue()


@functools.lru_cache(maxsize=16)
def pdf(title: str) -> bytes:
    """A one-page PDF headed ``title`` (a scanned certificate's stand-in)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setTitle(title)
    page.drawString(72, 760, f"TEST DOCUMENT - {title}")
    page.save()
    return buffer.getvalue()


def attach_required_documents(application_id: int, by: object | None = None) -> None:
    """Upload, through the service, what the draft's route still requires (a photo for
    a photo, a PDF for anything else), as its applicant unless ``by`` is given."""
    from kvisa.casework import service_programmes, services
    from kvisa.casework.models import Application, State

    application = Application.objects.get(pk=application_id)
    if application.state != State.DRAFT:
        return
    uploaded = set(application.documents.values_list("kind", flat=True))
    for requirement in service_programmes.missing(
            application.programme, str(application.identity.get("route", "")), uploaded):
        kind = requirement.kinds[0]
        data, name = (photo(), "photo.jpg") if kind == "photo" else \
            (pdf(kind.replace("_", " ")), f"{kind}.pdf")
        services.document_upload(application_id=application_id,
                                 by=by or application.applicant,  # type: ignore[arg-type]
                                 kind=kind, name=name, data=data)
