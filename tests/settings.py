"""Test settings: PostgreSQL from KVISA_TEST_DATABASE_URL, a throwaway data directory."""

import os
import tempfile

os.environ.setdefault("KVISA_DATA_DIR", tempfile.mkdtemp(prefix="kvisa-test-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "KVISA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("KVISA_SECURE_COOKIES", "0")

from kvisa.site import paths

paths.prepare()  # the test server writes, as `kvisa serve` does

from kvisa.site.settings import *  # noqa: E402, F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
