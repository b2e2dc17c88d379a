"""Setting Django up from the CLI: settings, migrations, the demo signer key."""

from __future__ import annotations

import os
from pathlib import Path


def django_setup(data_dir: str | None = None, *, writable: bool = False) -> None:
    """Start Django; ``writable`` commands first create the data folder and secret key."""
    if data_dir:
        os.environ["KVISA_DATA_DIR"] = data_dir
    if writable:
        from kvisa import paths

        paths.prepare()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvisa.site.settings")
    import django

    django.setup()


def ensure_signer() -> None:
    """Create a demo visa signer key when none is configured (a deployment sets its own)."""
    from django.conf import settings

    from kvisa.documents.signer import create_signer

    key = Path(settings.SIGNER_KEY)
    if not key.exists():
        create_signer(key.parent)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
