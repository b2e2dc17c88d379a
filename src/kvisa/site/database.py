"""Is the configured database usable?  Checked before a command reads it.

A command that only reads (``kvisa audit verify``, ``kvisa casework remind``)
must not create an empty SQLite file as a side effect, and a database that
does not exist or was never migrated is a user's set-up problem (exit 2 with
what to do), not an internal error.
"""

from __future__ import annotations

from pathlib import Path


class DatabaseNotReady(Exception):
    """The configured database cannot be used yet; the message says what to do."""


def describe() -> str:
    """The database in words a user recognises (file path or host/name, never a password)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {db['NAME']}"
    return f"database '{db.get('NAME')}' on {db.get('HOST') or 'localhost'}:{db.get('PORT') or ''}"


def require_ready() -> None:
    """Raise :class:`DatabaseNotReady` unless the database exists and is fully migrated."""
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    db = settings.DATABASES["default"]
    hint = ("set DATABASE_URL (or KVISA_DATA_DIR, e.g. the folder `kvisa demo` printed) "
            "to the right database, or create it with `kvisa migrate`")
    if db["ENGINE"].endswith("sqlite3") and not Path(str(db["NAME"])).exists():
        raise DatabaseNotReady(f"no database: {describe()} does not exist; {hint}")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseNotReady(f"cannot open {describe()}: {first_line}; {hint}") from exc
    if pending:
        raise DatabaseNotReady(f"{describe()} is not migrated ({len(pending)} migrations "
                               "pending); run `kvisa migrate`")
