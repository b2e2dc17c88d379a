"""The printed symbol that carries a Visible Digital Seal: a Data Matrix (ECC 200).

Which symbology: ICAO Doc 9303 Part 13 (8th edition, 2021), "Visible Digital
Seals", has the seal encoded as a Data Matrix symbol (ISO/IEC 16022, ECC 200),
square or rectangular; Germany's BSI TR-03137 Part 1 (v2.5, 2021) says the
same for its visa, residence-permit and arrival-attestation seals, and every
real seal among tsenger/vdstools' test resources is a Data Matrix.
[sure: the BSI guideline and the deployed seals are read here; Part 13 itself
could not be fetched from this machine, so its clause is cited from an
earlier reading. ../shared/facts/mrz-specimens.md lists "QR, DataMatrix or
Aztec", which is not what deployments print.]

kvisa therefore prints Data Matrix.  Readers (:func:`kvisa.documents.evisa.read_barcodes`)
also take QR codes, because kvisa printed its seals as QR codes before, and
those documents stay valid until they expire; and Aztec, which ICAO's later
"VDS for non-constrained environments" allows, so a verifier never refuses a
seal for its printing alone.

Why zxing-cpp (Apache-2.0) writes the symbol: it is already kvisa's reader, it
encodes binary data in Data Matrix's base-256 mode, and segno writes QR only.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import zxingcpp
from PIL import Image
from reportlab.pdfgen import canvas

FORMAT = zxingcpp.BarcodeFormat.DataMatrix
READ_FORMATS = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.DataMatrix,
                                        zxingcpp.BarcodeFormat.QRCode,
                                        zxingcpp.BarcodeFormat.Aztec])
# the symbol's name where a document (printed in both languages) says what to scan
NAME_EN, NAME_ZH = "Data Matrix code", "Data Matrix 二维码"
QUIET_ZONE = 2  # modules; ISO/IEC 16022 asks for at least one


@lru_cache(maxsize=256)
def modules(payload: bytes) -> tuple[tuple[bool, ...], ...]:
    """The symbol's dark (True) and light modules, row by row, quiet zone included."""
    code = zxingcpp.create_barcode(payload, FORMAT)
    cells = np.array(code.to_image(scale=1, add_quiet_zones=False)) < 128
    padded = np.pad(cells, QUIET_ZONE, constant_values=False)
    return tuple(tuple(bool(cell) for cell in row) for row in padded)


def image(payload: bytes, side: int) -> Image.Image:
    """The symbol as a black-on-white picture about ``side`` pixels square.

    Each module is a whole number of pixels (no resampling blur), so the
    picture may be a few pixels smaller than ``side``.
    """
    grid = np.array(modules(payload))
    scale = max(1, side // max(grid.shape))
    pixels = np.where(grid, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels.repeat(scale, axis=0).repeat(scale, axis=1)).convert("RGB")


def read(picture: Image.Image) -> list[bytes]:
    """The raw payloads of every seal symbol zxing-cpp finds in a picture."""
    return [bytes(result.bytes)
            for result in zxingcpp.read_barcodes(picture.convert("L"), formats=READ_FORMATS)]


def draw(page: canvas.Canvas, payload: bytes, *, x: float, y: float, size: float) -> None:
    """Draw the symbol on a ReportLab page as vector squares, ``size`` points wide.

    (x, y) is the lower-left corner; a light square under it keeps the quiet
    zone light on any background.  Each row's runs of dark modules are one
    rectangle, so the page stays small and prints without hairline gaps.
    """
    grid = modules(payload)
    module = size / max(len(grid), len(grid[0]))
    page.setFillColorRGB(1, 1, 1)
    page.rect(x, y, module * len(grid[0]), module * len(grid), stroke=0, fill=1)
    page.setFillColorRGB(0, 0, 0)
    for row, cells in enumerate(grid):
        top = y + (len(grid) - 1 - row) * module
        start = None
        for column, dark in enumerate((*cells, False)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                page.rect(x + start * module, top, (column - start) * module, module,
                          stroke=0, fill=1)
                start = None
