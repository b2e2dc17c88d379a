"""The embedded SQLite default holds concurrent writes (each in its own process, as
gunicorn's workers are), with no "database is locked" error."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

WRITER = textwrap.dedent('''
    import sys, uuid
    from kvisa.site.bootstrap import django_setup
    django_setup()
    from kvisa.accounts.models import User
    from kvisa.casework import services
    from kvisa.casework.models import Application
    from tests.support.profiles import VISA_ANSWERS
    who = User.objects.get(email=sys.argv[1])
    failures = 0
    for round in range(15):
        try:
            app = services.application_create(applicant=who)
            services.application_save_draft(
                application_id=app.pk, by=who,
                profile={"date_of_birth": "1996-05-14", "nationality": "IND",
                         "highest_degree": "master", "degree_field": "0613",
                         "degree_institution_recognised": True,
                         "teaching_or_research_at_recognised_institution": False},
                identity={"surname": "SHARMA", "given_names": "PRIYA", "sex": "F",
                          "passport_number": "Z1234567", **VISA_ANSWERS})
            from tests.support.files import attach_required_documents
            attach_required_documents(app.pk)
            services.application_submit(application_id=app.pk, by=who,
                                        client_txn_id=uuid.uuid4().hex)
        except Exception as exc:
            failures += 1
            print("failed:", type(exc).__name__, exc, file=sys.stderr)
    print(failures)
''')


def test_four_processes_writing_at_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KVISA_", "DATABASE_URL", "DJANGO_"))}
    env["KVISA_DATA_DIR"] = str(tmp_path)
    from tests.support.cli import KVISA as kvisa
    assert subprocess.run([*kvisa, "migrate"], env=env, capture_output=True,
                          timeout=120).returncode == 0
    for n in range(4):
        made = subprocess.run([*kvisa, "users", "create", f"writer{n}@test.kvisa", "--role",
                               "applicant", "--password-stdin"], env=env, timeout=120,
                              input="a long and memorable writer passphrase\n",
                              capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, f"writer{n}@test.kvisa"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for n in range(4)]
    results = [w.communicate(timeout=300) for w in writers]
    for (out, err), writer in zip(results, writers, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "0", err[-2000:]
    verified = subprocess.run([*kvisa, "audit", "verify"], env=env, capture_output=True,
                              text=True, timeout=120)
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stderr
