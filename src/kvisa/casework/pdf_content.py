"""What an uploaded PDF can do besides show pages: scripts, launches, attachments.

Officers open applicants' PDFs; a PDF with JavaScript, a launch action, an
embedded file or an XFA form can act when opened in a full PDF reader.  kvisa
never serves PDFs inline, and records what it finds so the officer's case
page can warn before the file is opened.  pypdf (BSD) parses the file and
resolves compressed object streams, which a byte search would miss; the walk
covers every object reachable from the document's root, with a cap so that a
crafted file cannot make it run for long.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_OBJECTS = 100_000

# PDF name → the flag recorded
_KEYS = {"/JavaScript": "javascript", "/JS": "javascript", "/EmbeddedFiles": "embedded_file",
         "/EmbeddedFile": "embedded_file", "/XFA": "xfa_form", "/RichMedia": "rich_media"}
_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/SubmitForm": "submit_form",
            "/ImportData": "import_data", "/GoToE": "embedded_file"}
_EOF = re.compile(rb"%%EOF\s*$")


def active_content(data: bytes) -> list[str]:
    """Sorted flags for what this PDF contains besides pages (empty: nothing found)."""
    flags: set[str] = set()
    if not _EOF.search(data[-2048:]):
        flags.add("trailing_data")  # bytes after the end: a polyglot or a hidden payload
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        root: Any = reader.trailer.get("/Root")
        _walk(root, flags)
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError):
        flags.add("unreadable_structure")
    return sorted(flags)


def _walk(start: Any, flags: set[str]) -> None:
    seen: set[tuple[int, int]] = set()
    stack = [start]
    visited = 0
    while stack and visited < MAX_OBJECTS:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ident = (item.idnum, item.generation)
            if ident in seen:
                continue
            seen.add(ident)
            item = item.get_object()
        visited += 1
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in _KEYS:
                    flags.add(_KEYS[key])
                if key == "/S" and str(value) in _ACTIONS:
                    flags.add(_ACTIONS[str(value)])
                if key != "/Parent":  # parents are reached from the root already
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    if stack:
        flags.add("too_many_objects_to_check")
