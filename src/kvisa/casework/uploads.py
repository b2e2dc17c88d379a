"""Uploaded documents: sniffed by content, images re-encoded, stored by sha256.

Only PDF, JPEG and PNG are accepted, recognised by their bytes, never by the
file name or the browser's claimed type.  Images are decoded and re-encoded,
which drops EXIF and other metadata and anything hidden after the image; a
truncated image fails to decode and is refused.  PDFs must open in pdfium and
have at most 50 pages (a "PDF bomb" of thousands of pages or a broken file is
refused).  Files go to the "documents" store (:mod:`kvisa.filestore`: the local
disk outside any web root, or an S3-compatible store) by content hash.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import IO

import pypdfium2
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from kvisa import filestore
from kvisa.casework.errors import InvalidInput
from kvisa.casework.pdf_content import active_content

MAX_PAGES = 50
MAX_PIXELS = 40_000_000


@dataclass
class CleanFile:
    data: bytes
    media_type: str
    sha256: str
    active_content: list[str] = field(default_factory=list)


def sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def clean(data: bytes) -> CleanFile:
    """Check and normalise an upload; raise InvalidInput with a reason a person understands."""
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."))
    if not data:
        raise InvalidInput(_("The file is empty."))
    media_type = sniff(data)
    if media_type is None:
        raise InvalidInput(_("Only PDF, JPEG and PNG files are accepted; this file's content "
                             "is none of them, whatever its name says."))
    if media_type == "application/pdf":
        try:
            document = pypdfium2.PdfDocument(data)
            pages = len(document)
            document.close()
        except pypdfium2.PdfiumError:
            raise InvalidInput(_("The PDF is damaged and cannot be opened.")) from None
        if pages == 0 or pages > MAX_PAGES:
            raise InvalidInput(_("A PDF must have between 1 and %(max)d pages.")
                               % {"max": MAX_PAGES})
        return CleanFile(data, media_type, hashlib.sha256(data).hexdigest(),
                         active_content(data))
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            # The header gives the size before any pixel is decoded.  Pillow itself
            # refuses only above twice MAX_IMAGE_PIXELS (it merely warns between),
            # so a small file decoding to ~80 Mpx would still cost ~1 GB: check here.
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidInput(_("The image is %(w)d × %(h)d pixels; at most %(max)d "
                                     "million pixels are accepted.")
                                   % {"w": width, "h": height, "max": MAX_PIXELS // 1_000_000})
            image.load()
            output = io.BytesIO()
            fmt = "PNG" if media_type == "image/png" else "JPEG"
            converted = image.convert("RGB") if fmt == "JPEG" else image.copy()
            converted.save(output, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise InvalidInput(_("The image is damaged, truncated or too large.")) from None
    cleaned = output.getvalue()
    return CleanFile(cleaned, media_type, hashlib.sha256(cleaned).hexdigest())


def name_for(sha256: str) -> str:
    """The file's name in the documents store: fanned out by its first hex digits."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def store(file: CleanFile) -> bool:
    """Write the file once; True if it was new (identical content is stored once,
    also when two nodes receive it)."""
    return filestore.put_once(filestore.documents(), name_for(file.sha256), file.data)


def read(sha256: str) -> bytes:
    return filestore.read(filestore.documents(), name_for(sha256))


def open_stream(sha256: str) -> IO[bytes]:
    """The stored file as a stream, for a download that never holds it whole."""
    return filestore.stream(filestore.documents(), name_for(sha256))


def exists(sha256: str) -> bool:
    return filestore.exists(filestore.documents(), name_for(sha256))


def remove(sha256: str) -> None:
    filestore.delete(filestore.documents(), name_for(sha256))
