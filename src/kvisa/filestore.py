"""The service's two file stores, reached through Django's storage API.

"documents" holds uploads, issued e-visas and card faces by their sha256;
"records" holds signed audit checkpoints and the policy lab's populations and
outputs.  Settings choose the backend (``STORAGES`` in ``kvisa.site.settings``):
the local disk for one machine, an S3-compatible store (django-storages) for
several.  This module adds only what the storage API leaves to its callers:

- writing a name once (a content-addressed file or a checkpoint is never
  overwritten, whichever node writes it first);
- reading as a stream, so a download never holds a whole file in memory;
- one error for "the store cannot be reached", which the site answers with 503,
  whatever the backend raised (an OSError from a disk, a botocore error from S3).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages


class StoreUnavailable(Exception):
    """The file store could not be read or written; nothing was acknowledged."""


def documents() -> Storage:
    return storages["documents"]


def records() -> Storage:
    return storages["records"]


def _is_store_failure(exc: BaseException) -> bool:
    if isinstance(exc, FileNotFoundError):
        return False  # a missing name is an answer, not an outage
    if isinstance(exc, OSError):
        return True
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - django-storages[s3] is a dependency
        return False
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return code not in ("404", "NoSuchKey")
    return isinstance(exc, BotoCoreError)


@contextlib.contextmanager
def reachable(what: str) -> Iterator[None]:
    """Turn any backend's outage into StoreUnavailable, naming what was being done."""
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as exc:
        if _is_store_failure(exc):
            raise StoreUnavailable(f"the file store cannot be reached ({what}): "
                                   f"{type(exc).__name__}") from exc
        raise


def put_once(store: Storage, name: str, data: bytes) -> bool:
    """Write ``data`` under ``name`` unless the name exists; True if this call wrote it.

    Why not ``store.save`` alone: on a name that exists it picks another name
    (FileSystemStorage) or overwrites (S3 with overwrite allowed); either breaks
    "one object per name".  Two nodes racing on a content-addressed name write
    the same bytes, so the loser's write changes nothing a reader sees.
    """
    with reachable(f"writing {name}"):
        if store.exists(name):
            return False
        saved = store.save(name, ContentFile(data))
        if saved != name:  # lost a race to another writer: keep theirs, drop ours
            store.delete(saved)
            return False
        return True


def read(store: Storage, name: str) -> bytes:
    with reachable(f"reading {name}"), store.open(name, "rb") as handle:
        return bytes(handle.read())


def exists(store: Storage, name: str) -> bool:
    with reachable(f"looking for {name}"):
        return bool(store.exists(name))


def stream(store: Storage, name: str) -> IO[bytes]:
    """An open, readable stream of the file, read in blocks by whoever consumes it.

    On S3 this is the object's HTTP body itself (botocore's StreamingBody), not
    django-storages' S3File, which would first copy the whole object.
    """
    with reachable(f"opening {name}"):
        bucket = getattr(store, "bucket", None)
        if bucket is not None:
            body: Any = bucket.Object(store._normalize_name(name)).get()["Body"]  # type: ignore[attr-defined]
            return io.BufferedReader(_Closing(body), buffer_size=64 * 1024)
        return store.open(name, "rb")


class _Closing(io.RawIOBase):
    """A StreamingBody as a file object FileResponse can read in blocks and close."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._body.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._body.close()
        super().close()


def probe(store: Storage) -> None:
    """Raise StoreUnavailable unless the store can be reached and written to now:
    the bucket answers (S3), or the folder exists or can be made and is writable."""
    with reachable("checking the store"):
        bucket = getattr(store, "bucket", None)
        if bucket is not None:
            bucket.meta.client.head_bucket(Bucket=bucket.name)
            return
        location = Path(store.location)  # type: ignore[attr-defined]
        location.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(location, os.W_OK | os.X_OK):
            raise PermissionError(f"{location} is not writable")


def delete(store: Storage, name: str) -> None:
    with reachable(f"deleting {name}"):
        store.delete(name)


def names(store: Storage, folder: str) -> list[str]:
    """Every file name under ``folder`` (recursively), sorted."""
    found: list[str] = []
    with reachable(f"listing {folder}"):
        if getattr(store, "bucket", None) is None and not store.exists(folder):
            return []
        pending = [folder.strip("/")]
        while pending:
            current = pending.pop()
            directories, files = store.listdir(current)
            found.extend(f"{current}/{name}" if current else name for name in files)
            pending.extend(f"{current}/{name}" if current else name for name in directories)
    return sorted(found)
