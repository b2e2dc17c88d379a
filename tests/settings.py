"""Test settings: PostgreSQL from KVISA_TEST_DATABASE_URL, a throwaway data directory
per test process (xdist workers inherit the controller's environment, and two
workers creating the same signer key at once would leave a key and a certificate
that do not match)."""

import os
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("KVISA_TEST_DATA_DIR_OWNER") != f"{os.getpid()}":
    os.environ["KVISA_DATA_DIR"] = tempfile.mkdtemp(prefix=f"kvisa-test-{_worker}-")
    os.environ["KVISA_TEST_DATA_DIR_OWNER"] = f"{os.getpid()}"
os.environ["DATABASE_URL"] = os.environ.get(
    "KVISA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("KVISA_SECURE_COOKIES", "0")

from kvisa import paths  # noqa: E402  (reads the environment set above)

paths.prepare()  # the test server writes, as `kvisa serve` does

from kvisa.site.settings import *  # noqa: E402, F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
