"""The journeys a newcomer walks, against the real commands (``kvisa demo`` and
``kvisa serve``) with real gunicorn workers, over HTTP.

Browser tests use Django's test server; these use what users run, so a
problem in how a command prepares its processes (the demo once hung every
form because it forked gunicorn after the rules had started Polars' thread
pool) fails here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.support.files import photo as portrait
from tests.support.files import png
from tests.support.profiles import VISA_ANSWERS

from .site_process import KVISA, Visitor, free_port, reference_of, running, secret_from_otpauth

pytestmark = pytest.mark.process

DEMO_PASSWORD = "correct horse battery staple kvisa demo"
DEMO_TOTP = bytes.fromhex("3132333435363738393031323334353637383930")
PG_URL = os.environ.get("KVISA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KVISA_", "DATABASE_URL", "DJANGO_"))}
    return {**env, "KVISA_DATA_DIR": str(data_dir), "KVISA_SECURE_COOKIES": "0", **extra}


def pk_reference(page: str) -> bool:
    """The confirmation panel shows the reference number."""
    return bool(re.search(r'class="reference">KV\d{8}<', page))



def _walk(base: str, *, applicant: tuple[str, str], officer: tuple[str, str, bytes]) -> None:
    """Applicant applies, officer approves, anyone verifies the e-visa."""
    person = Visitor(base)
    person.sign_in(*applicant)
    started = person.post("/applications/start/", {"programme": "cn.k_visa"})
    assert started.status_code == 302, started.text[:300]
    pk = reference_of(started.headers["location"])
    tasks = person.get(started.headers["location"])  # the task list
    assert tasks.status_code == 200 and 'data-status="not_started"' in tasks.text
    form = person.get(f"/applications/{pk}/edit/identity/")  # hung under `kvisa demo` once
    assert form.status_code == 200 and "Surname" in form.text
    facts = {"surname": "SHARMA", "given_names": "Priya Devi", "sex": "F",
             "passport_number": "Z7654321", "passport_expiry": "2033-01-01",
             "date_of_birth": "1996-05-14", "nationality": "IND", "highest_degree": "master",
             "degree_field": "0613", "degree_institution_recognised": "true",
             "teaching_or_research_at_recognised_institution": "false",
             "years_work_experience": "4",
             **{k: str(v).lower() if isinstance(v, bool) else v
                for k, v in VISA_ANSWERS.items() if k != "passport_expiry"}}
    saved = person.post(f"/applications/{pk}/autosave/", facts)
    assert saved.status_code == 200 and 'data-testid="verdict"' in saved.text
    assert re.search(r'data-testid="verdict"[^>]*class="[^"]*eligible|class="[^"]*eligible'
                     r'[^"]*"[^>]*data-testid="verdict"', saved.text), saved.text[:800]
    for kind, name in (("degree_certificate", "degree.png"), ("passport_page", "passport.png")):
        uploaded = person.post(f"/applications/{pk}/upload/", {"kind": kind},
                               files={"files": (name, png(400, 300), "image/png")})
        assert uploaded.status_code == 302
    assert 'data-section="check" data-status="cannot_start"' in person.get(
        f"/applications/{pk}/edit/").text  # the photo is still missing
    uploaded = person.post(f"/applications/{pk}/upload/", {"kind": "photo"},
                           files={"files": ("me.jpg", portrait(), "image/jpeg")})
    assert "degree.png" in person.get(f"/applications/{pk}/edit/documents/").text
    assert 'data-section="documents" data-status="completed"' in person.get(
        f"/applications/{pk}/edit/").text
    txn = uuid.uuid4().hex
    answers = person.get(f"/applications/{pk}/check/")
    assert answers.status_code == 200 and "SHARMA" in answers.text
    refused = person.post(f"/applications/{pk}/submit/", {"client_txn_id": txn})
    assert refused.status_code == 302 and refused.headers["location"].endswith("/check/")
    for _attempt in range(2):  # a double submit is applied once
        submitted = person.post(f"/applications/{pk}/submit/",
                                {"client_txn_id": txn, "declaration": "yes"})
        assert submitted.status_code == 302
        assert submitted.headers["location"].endswith(f"/applications/{pk}/submitted/")
    assert pk_reference(person.get(f"/applications/{pk}/submitted/").text)
    status = person.get(f"/applications/{pk}/")
    assert status.status_code == 200 and "Submitted" in status.text

    staff = Visitor(base)
    staff.sign_in(*officer)
    queue = staff.get("/console/")
    assert queue.status_code == 200
    case = staff.get(f"/console/cases/{pk}/")
    assert case.status_code == 200 and "SHARMA" in case.text
    assert staff.post(f"/console/cases/{pk}/assign/",
                      {"client_txn_id": uuid.uuid4().hex}).status_code == 302
    unconfirmed = staff.post(f"/console/cases/{pk}/approve/",
                             {"client_txn_id": uuid.uuid4().hex})
    assert unconfirmed.status_code == 302 and "/confirm/approve/" in \
        unconfirmed.headers["location"]
    assert "Approve and issue the e-visa?" in staff.get(f"/console/cases/{pk}/confirm/approve/"
                                                         ).text
    assert staff.post(f"/console/cases/{pk}/approve/",
                      {"client_txn_id": uuid.uuid4().hex, "confirmed": "yes"}
                      ).status_code == 302
    assert "Issued" in staff.get(f"/console/cases/{pk}/").text

    evisa = person.get(f"/applications/{pk}/e-visa/")
    assert evisa.status_code == 200 and evisa.content.startswith(b"%PDF-")
    anyone = Visitor(base)
    anyone.get("/verify")
    verdict = anyone.post("/verify", files={"file": ("e-visa.pdf", evisa.content,
                                                     "application/pdf")})
    assert verdict.status_code == 200
    heading = re.search(r'data-testid="seal-status">([^<]*)<', verdict.text)
    assert heading and heading.group(1).startswith("Valid"), verdict.text[-1500:]
    for visitor in (person, staff, anyone):
        visitor.close()


def _policy_lab(base: str) -> None:
    """The demo's own worker runs a what-if asked for on the page."""
    analyst = Visitor(base)
    analyst.sign_in("analyst@demo.kvisa", DEMO_PASSWORD, DEMO_TOTP)
    assert analyst.get("/policy-lab/").status_code == 200
    asked = analyst.post("/policy-lab/", {
        "name": "age 40", "parameter-0": "cn.k_visa.max_age", "value-0": "40",
        "generate": "2000", "seed": "3", "on": "2026-11-27", "programme": "cn.k_visa"})
    assert asked.status_code == 302, asked.text[:500]
    deadline = time.monotonic() + 120
    while True:
        page = analyst.get(asked.headers["location"]).text
        if 'data-status="done"' in page or 'data-status="failed"' in page:
            break
        assert time.monotonic() < deadline, "the demo's worker did not run the job"
        time.sleep(1)
    assert 'data-status="done"' in page and 'data-testid="changes"' in page, page[-2000:]
    analyst.close()


def test_kvisa_demo_serves_the_whole_journey(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "demo"
    with running(["demo", "--port", str(port), "--data-dir", str(data), "--applications", "8"],
                 env=_env(tmp_path / "elsewhere"), port=port, log=tmp_path / "demo.log") as base:
        # the demo applicant's own cases are there from the first sign-in
        person = Visitor(base)
        person.sign_in("applicant@demo.kvisa", DEMO_PASSWORD)
        dashboard = person.get("/applications/").text
        for state in ("Draft", "Evidence requested", "Issued"):
            assert state in dashboard, state
        person.close()
        _walk(base, applicant=("applicant@demo.kvisa", DEMO_PASSWORD),
              officer=("officer@demo.kvisa", DEMO_PASSWORD, DEMO_TOTP))
        _policy_lab(base)
    log = (tmp_path / "demo.log").read_text()
    assert "WORKER TIMEOUT" not in log
    assert f"export KVISA_DATA_DIR={data.resolve()}" in log.replace("\n", "")
    # other commands find the demo's data the way the demo says
    verified = subprocess.run([*KVISA, "audit", "verify"], env=_env(data.resolve()),
                              capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stderr
    assert "audit chain intact" in verified.stdout


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database for one ``kvisa serve``; dropped afterwards."""
    name = f"kvisa_serve_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_kvisa_serve_on_postgresql(tmp_path: Path, fresh_postgres: str) -> None:
    env = _env(tmp_path / "data", DATABASE_URL=fresh_postgres, KVISA_HTTP_DEMO="1")
    password = "a long and memorable serve passphrase"

    def kvisa(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([*KVISA, *args], env=env, input=stdin, capture_output=True,
                              text=True, timeout=120)

    # before migration the database is a set-up problem, not an internal error
    unmigrated = kvisa("audit", "verify")
    assert unmigrated.returncode == 2 and "kvisa migrate" in unmigrated.stderr
    assert kvisa("migrate").returncode == 0
    made = kvisa("users", "create", "officer@serve.test", "--role", "officer",
                 "--password-stdin", stdin=password + "\n")
    assert made.returncode == 0, made.stderr
    otpauth = re.search(r"otpauth://\S+", made.stdout.replace("\n", ""))
    assert otpauth
    assert kvisa("users", "create", "priya@serve.test", "--role", "applicant",
                 "--password-stdin", stdin=password + "\n").returncode == 0
    port = free_port()
    with running(["serve", "--port", str(port)], env=env, port=port,
                 log=tmp_path / "serve.log") as base:
        _walk(base, applicant=("priya@serve.test", password),
              officer=("officer@serve.test", password, secret_from_otpauth(otpauth.group(0))))
        _operable(base, tmp_path / "serve.log")
    verified = kvisa("audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout


def _operable(base: str, log: Path) -> None:
    """What a balancer and an operator see of ``kvisa serve``: health, readiness, metrics
    summed over its gunicorn workers, and JSON log lines that carry the request id."""
    assert httpx.get(base + "/healthz").json() == {"status": "ok"}
    ready = httpx.get(base + "/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text
    for _ in range(6):  # spread over both workers
        httpx.get(base + "/pathways", headers={"X-Request-Id": "probe-walk-1"})
    metrics = httpx.get(base + "/metrics").text
    submitted = re.search(r'kvisa_case_actions_total\{action="submit"\} (\S+)', metrics)
    assert submitted and float(submitted.group(1)) >= 1, metrics[-2000:]
    pages = re.search(r'kvisa_request_seconds_count\{method="GET",status="2xx",'
                      r'view="pathways"\} (\S+)', metrics)
    assert pages and float(pages.group(1)) >= 6
    assert "@serve.test" not in metrics
    lines = [json.loads(line) for line in log.read_text(errors="replace").splitlines()
             if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "probe-walk-1"]
    assert len(mine) == 6 and all(line["view"] == "pathways" for line in mine)


def _pdf_texts(folder: Path) -> list[str]:
    """The text of every PDF the service stored (e-visas, card PDFs)."""
    import pypdfium2

    texts = []
    for path in folder.rglob("*"):
        if path.is_file() and path.read_bytes()[:5] == b"%PDF-":
            document = pypdfium2.PdfDocument(path.read_bytes())
            texts.append("".join(page.get_textpage().get_text_range() for page in document))
    return texts


def test_every_link_points_where_the_demo_runs(tmp_path: Path) -> None:
    """A demo on another port than 8000 links to that port in every e-mail and PDF."""
    port = free_port()
    data = tmp_path / "demo"
    made = subprocess.run([*KVISA, "demo", "--port", str(port), "--data-dir", str(data),
                           "--applications", "12", "--no-serve"], env=_env(tmp_path / "x"),
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr[-2000:]
    assert f"http://127.0.0.1:{port}/apply/k-visa/" in made.stdout.replace("\n", "")
    # the staff second factor as plain text to type, and as a QR code to scan
    assert "secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in made.stdout.replace("\n", "")
    assert sum(line.count("\u2588") + line.count("\u2580") + line.count("\u2584")
               for line in made.stdout.splitlines()) > 100
    mails = [p.read_text(errors="replace") for p in (data / "mail").glob("*") if p.is_file()]
    assert mails and all("127.0.0.1:8000" not in mail for mail in mails)
    assert any(f"127.0.0.1:{port}" in mail for mail in mails)
    pdfs = _pdf_texts(data / "documents")
    assert pdfs and all("127.0.0.1:8000" not in text for text in pdfs)
    assert any(f"127.0.0.1:{port}/verify" in text for text in pdfs)
