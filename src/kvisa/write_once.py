"""Files that appear whole, once: keys, pins and the secret key.

One definition for every file that must never be seen half-written or made twice,
whoever races to create it (gunicorn workers starting together, two nodes on one
shared folder, a process killed half-way).
"""

from __future__ import annotations

import os
from pathlib import Path


def publish_new(path: Path, data: bytes, mode: int = 0o600) -> bool:
    """Write ``path`` whole, once: True if this call made it, False if it was there.

    Why not ``open(O_EXCL)`` and write: between the create and the write another
    process sees an empty file (a key that cannot be read) and a process killed in
    between leaves one.  Here the bytes go to a private temporary file first and
    ``link`` gives it the name only if the name is free, so a reader sees nothing or
    everything, and two processes racing get one winner.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)
