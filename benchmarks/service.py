"""The application service on PostgreSQL over loopback (issue 4 targets, 2 cores).

* submissions per second sustained through ``POST /api/v1/applications/{id}/submit``
  (each one a transaction with a row lock, a journal entry, an audit event and
  the rule pre-check), with p50/p99 latency;
* the officer queue page (HTML and API) and a case page, p99, with ``--rows``
  (default 1,000,000) applications in the table.

Targets: ≥ 300 submissions/s; queue and case pages p99 < 100 ms.
Usage: ``uv run python benchmarks/service.py [--rows 1000000] [--seconds 20]``.
It creates (and reuses) the database in ``KVISA_BENCH_DATABASE_URL``
(default ``postgresql://postgres@127.0.0.1:5432/kvisa_bench``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import http.cookiejar
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

URL = os.environ.get("KVISA_BENCH_DATABASE_URL",
                     "postgresql://postgres@127.0.0.1:5432/kvisa_bench")
PORT = 8099


def ensure_database() -> None:
    parts = urllib.parse.urlparse(URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(data_dir: str) -> None:
    os.environ["DATABASE_URL"] = URL
    os.environ["KVISA_DATA_DIR"] = data_dir
    os.environ["KVISA_HTTP_DEMO"] = "1"
    from kvisa.site.bootstrap import django_setup, ensure_signer, migrate

    django_setup(data_dir)
    migrate()
    ensure_signer()


def attach_documents(applications: list[Any]) -> None:
    """The documents submission requires, on every draft: each file is checked and
    stored once (uploads are content-addressed), its rows written in bulk."""
    from kvisa.casework import service_programmes, uploads
    from kvisa.casework.models import Document
    from kvisa.site.demo import portrait, specimen_pdf

    rows = []
    for requirement in service_programmes.required("cn.k_visa"):
        kind = requirement.kinds[0]
        clean = uploads.clean(portrait() if kind == "photo" else specimen_pdf(kind))
        uploads.store(clean)
        rows += [Document(application=a, kind=kind, original_name=f"{kind}.bin",
                          media_type=clean.media_type, size=len(clean.data),
                          sha256=clean.sha256, uploaded_by_id=a.applicant_id)
                 for a in applications]
    Document.objects.bulk_create(rows, batch_size=5000)


def seed(rows: int, drafts: int) -> tuple[str, list[tuple[int, str]], int]:
    """Officer token, (application id, applicant token) drafts, and a case id."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kvisa.accounts.models import ApiToken, Role, User
    from kvisa.casework.models import Application

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE casework_action, casework_document, casework_evidencerequest,"
                       " casework_decision, casework_visa, casework_auditevent,"
                       " casework_audithead, casework_application, accounts_apitoken,"
                       " accounts_adviserlink, otp_totp_totpdevice, accounts_user CASCADE")
    password = make_password("benchmark officer passphrase")
    officer = User.objects.create(email="officer@bench", display_name="Officer", role=Role.OFFICER,
                                  password=password, email_verified=True)
    TOTPDevice.objects.create(user=officer, name="bench", confirmed=True,
                              key="3132333435363738393031323334353637383930")
    officer_token = ApiToken.issue(officer, "bench", scope="write")[1]
    owner = User.objects.create(email="bulk@bench", display_name="Bulk", role=Role.APPLICANT,
                                password="!")
    print(f"loading {rows:,} applications …", flush=True)
    rng = random.Random(7)
    nations = ["IND", "CHN", "DEU", "USA", "VNM", "BRA", "NGA", "FRA"]
    states = ["submitted", "under_review", "evidence_requested", "issued", "refused"]
    start = dt.datetime(2025, 10, 1, tzinfo=dt.UTC)
    profile = json.dumps({"date_of_birth": "1995-01-01", "nationality": "IND",
                          "highest_degree": "master", "degree_field": "0613",
                          "degree_institution_recognised": True})
    identity = json.dumps({"surname": "BULK", "given_names": "ROW", "sex": "F",
                           "passport_number": "X1234567"})
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg 3 connection: COPY is the fast path for 1M rows
        with raw.cursor().copy(
                "COPY casework_application (applicant_id, programme, profile, identity, state,"
                " version, nationality, precheck, created_at, updated_at, submitted_at)"
                " FROM STDIN") as copy:
            for index in range(rows):
                when = start + dt.timedelta(seconds=index * 30 + rng.randint(0, 29))
                copy.write_row((owner.pk, "cn.k_visa", profile, identity,
                                states[index % len(states)], 1, rng.choice(nations),
                                "eligible", when, when, when))
        cursor.execute("ANALYZE casework_application")
    case_id = Application.objects.filter(state="submitted").order_by("submitted_at").first().pk
    print(f"creating {drafts:,} applicants with drafts …", flush=True)
    applicants = User.objects.bulk_create([
        User(email=f"a{i}@bench", display_name=f"A{i}", role=Role.APPLICANT, password="!",
             email_verified=True) for i in range(drafts)])
    tokens = []
    api_tokens = []
    for user in applicants:
        token = f"kv_bench_{user.pk}_{random.getrandbits(64):x}"
        tokens.append(token)
        api_tokens.append(ApiToken(user=user, name="bench", scope="write",
                                    digest=ApiToken.digest_of(token)))
    ApiToken.objects.bulk_create(api_tokens)
    applications = Application.objects.bulk_create([
        Application(applicant=user, programme="cn.k_visa", profile=json.loads(profile),
                    identity=json.loads(identity), nationality="IND") for user in applicants])
    for application in applications:
        application.reference = f"KB{application.pk:08d}"
    Application.objects.bulk_update(applications, ["reference"], batch_size=5000)
    attach_documents(applications)
    return officer_token, [(a.pk, t) for a, t in zip(applications, tokens, strict=True)], case_id


def start_server(data_dir: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": URL, "KVISA_DATA_DIR": data_dir,
           "DJANGO_SETTINGS_MODULE": "kvisa.site.settings", "KVISA_HTTP_DEMO": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{PORT}",
         "--workers", os.environ.get("KVISA_BENCH_WORKERS", "3"),
         "--log-level", "warning", "kvisa.site.wsgi:application"], env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/verify", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def submissions(drafts: list[tuple[int, str]], seconds: float, clients: int) -> None:
    latencies: list[float] = []
    lock = threading.Lock()
    queue = list(drafts)
    deadline = time.perf_counter() + seconds
    errors = [0]

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT)
        while time.perf_counter() < deadline:
            with lock:
                if not queue:
                    return
                application_id, token = queue.pop()
            body = json.dumps({"client_txn_id": f"bench-{application_id}"})
            started = time.perf_counter()
            connection.request("POST", f"/api/v1/applications/{application_id}/submit", body,
                               {"Authorization": f"Bearer {token}",
                                "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                if response.status == 200:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    print(f"submissions: {len(latencies):,} in {took:.1f} s = {len(latencies) / took:,.0f}/s "
          f"(p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, {clients} clients, "
          f"{errors[0]} errors)")


WRK_SCRIPT = """
local drafts = {}
for line in io.lines(os.getenv("KVISA_DRAFTS")) do
  local id, token = line:match("(%d+) (%S+)")
  drafts[#drafts + 1] = {id, token}
end
local counter = 0
local stride = tonumber(os.getenv("KVISA_STRIDE"))
thread_offset = 0  -- a global, so that setup() can set it per thread
function setup(thread)
  thread:set("thread_offset", counter)
  counter = counter + 1
end
local next_index = 0
request = function()
  local index = next_index * stride + thread_offset + 1
  next_index = next_index + 1
  local draft = drafts[index]
  if draft == nil then draft = drafts[1] end
  return wrk.format("POST", "/api/v1/applications/" .. draft[1] .. "/submit",
    {["Authorization"] = "Bearer " .. draft[2], ["Content-Type"] = "application/json"},
    '{"client_txn_id": "wrk-' .. draft[1] .. '"}')
end
"""


def submissions_wrk(drafts: list[tuple[int, str]], seconds: float, clients: int) -> bool:
    """Load from wrk (C, little CPU of its own); False when wrk is not installed."""
    import shutil

    if shutil.which("wrk") is None:
        return False
    folder = Path(tempfile.mkdtemp())
    (folder / "drafts.txt").write_text("".join(f"{pk} {token}\n" for pk, token in drafts))
    (folder / "submit.lua").write_text(WRK_SCRIPT)
    threads = min(clients, 2)
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{int(seconds)}s", "--latency",
         "-s", str(folder / "submit.lua"), f"http://127.0.0.1:{PORT}"],
        env={**os.environ, "KVISA_DRAFTS": str(folder / "drafts.txt"),
             "KVISA_STRIDE": str(threads)},
        capture_output=True, text=True, check=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM casework_action WHERE kind = 'submit'")
        applied = cursor.fetchone()[0]
    lines = [line.strip() for line in result.stdout.splitlines()]
    def pick(prefix: str) -> str:
        return next((line.split()[-1] for line in lines if line.startswith(prefix)), "?")
    print(f"submissions (wrk, {clients} connections): {applied:,} applied in {seconds:.0f} s = "
          f"{applied / seconds:,.0f}/s; latency p50 {pick('50%')}, p99 {pick('99%')}")
    return True


def staff_session() -> urllib.request.OpenerDirector:
    from django_otp.oath import totp

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, data: dict[str, str]) -> None:
        page = opener.open(f"http://127.0.0.1:{PORT}{path}").read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        opener.open(f"http://127.0.0.1:{PORT}{path}", urllib.parse.urlencode(
            {**data, "csrfmiddlewaretoken": token}).encode())

    post("/accounts/login/", {"username": "officer@bench",
                              "password": "benchmark officer passphrase"})
    code = f"{totp(bytes.fromhex('3132333435363738393031323334353637383930')):06d}"
    post("/accounts/second-factor/", {"token": code})
    return opener


def page_latency(label: str, fetch: object, count: int = 300) -> None:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        fetch()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    print(f"{label:<52} p50 {statistics.median(samples) * 1000:6.1f} ms   "
          f"p99 {percentile(samples, 0.99) * 1000:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--drafts", type=int, default=12_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    ensure_database()
    data_dir = tempfile.mkdtemp(prefix="kvisa-bench-")
    setup(data_dir)
    officer_token, drafts, case_id = seed(args.rows, args.drafts)
    server = start_server(data_dir)
    try:
        if not submissions_wrk(drafts, args.seconds, args.clients):
            submissions(drafts, args.seconds, args.clients)
        opener = staff_session()
        base = f"http://127.0.0.1:{PORT}"
        api = http.client.HTTPConnection("127.0.0.1", PORT)

        def api_get(path: str) -> None:
            api.request("GET", path, headers={"Authorization": f"Bearer {officer_token}"})
            response = api.getresponse()
            response.read()
            assert response.status == 200, response.status

        print(f"with {args.rows:,} applications in the table:")
        page_latency("queue page (HTML, first page)",
                     lambda: opener.open(f"{base}/console/").read())
        page_latency("queue page (HTML, nationality filter)",
                     lambda: opener.open(f"{base}/console/?nationality=DEU&state=submitted")
                     .read())
        page_latency("queue (API, first page)", lambda: api_get("/api/v1/queue"))
        deep = opener.open(f"{base}/console/").read().decode()
        cursor = deep.split("after=")[1].split('"')[0] if "after=" in deep else ""
        page_latency("queue page (HTML, next page via cursor)",
                     lambda: opener.open(f"{base}/console/?after={cursor}").read())
        page_latency("case page (HTML, with rule explanation and audit)",
                     lambda: opener.open(f"{base}/console/cases/{case_id}/").read())
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
