"""Where kvisa keeps its data, and the one place that creates it.

Settings only read: a command that reads (``kvisa audit verify``) must leave
no data folder, database or key behind on a machine where there was none.
The commands that write — ``serve``, ``demo``, ``migrate``, ``users create``
— and the WSGI entry point call :func:`prepare` before Django starts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kvisa.write_once import publish_new


def data_dir() -> Path:
    return Path(os.environ.get("KVISA_DATA_DIR", Path.cwd() / "var")).resolve()


def secret_key_file() -> Path:
    return data_dir() / "secret_key"


def read_secret_key() -> str | None:
    """``KVISA_SECRET_KEY``, else the data folder's key file, else None (nothing written)."""
    if "KVISA_SECRET_KEY" in os.environ:
        return os.environ["KVISA_SECRET_KEY"]
    path = secret_key_file()
    return path.read_text().strip() if path.is_file() else None


def prepare() -> None:
    """Create the data folder, its static folder and the secret key if missing."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)
    path = secret_key_file()
    if "KVISA_SECRET_KEY" not in os.environ and not path.exists():
        # 0600 from the start, and whole: workers starting together share one key,
        # never an empty file another worker is still writing
        publish_new(path, secrets.token_urlsafe(50).encode())


def tighten() -> None:
    """The embedded database and the audit checkpoints readable by their owner only (0600):
    they hold passports, profiles and the log an auditor relies on."""
    folder = data_dir()
    for path in (folder / "kvisa.sqlite3", folder / "audit" / "checkpoints.jsonl"):
        if path.is_file():
            path.chmod(0o600)


def others_can_read() -> Path | None:
    """The data folder, if users other than its owner can read or enter it."""
    folder = data_dir()
    if folder.is_dir() and folder.stat().st_mode & 0o077:
        return folder
    return None
