"""Crash test: a submission storm, the server killed with SIGKILL, PostgreSQL restarted.

Afterwards it counts, from the database:

* every submission that got a success answer is there exactly once (lost=0,
  duplicated=0), with its journal entry and its audit event;
* nothing is half-written (a submitted case without its journal entry, a journal
  entry without its audit event, a draft with a submit entry);
* ``kvisa audit verify`` passes.

It prints ``acknowledged=N lost=0 duplicated=0 half_written=0 audit=intact`` and
exits 1 otherwise.  Clients behave as the API asks: a request that got no answer
is retried with the same Idempotency-Key.

Usage: ``make crash-test`` or ``uv run python scripts/crash_test.py [--drafts 600]
[--clients 12] [--no-postgres-restart]``.  It needs PostgreSQL on 127.0.0.1:5432
(``KVISA_CRASH_DATABASE_URL`` points elsewhere) and, for the PostgreSQL restart,
``pg_ctlcluster`` (Debian) run as root or the postgres user.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from kvisa.site.specimen_answers import visa_answers

ADMIN_URL = os.environ.get("KVISA_CRASH_DATABASE_URL",
                           "postgresql://postgres@127.0.0.1:5432/postgres")
KVISA = [sys.executable, "-m", "kvisa.cli"]
PROFILE = {"date_of_birth": "1994-03-02", "nationality": "IND", "highest_degree": "master",
           "degree_field": "0613", "degree_institution_recognised": True,
           "teaching_or_research_at_recognised_institution": False,
           "years_work_experience": 3.0}
IDENTITY = {"surname": "CRASH", "given_names": "TEST", "sex": "F",
            "passport_number": "X0000000", **visa_answers("IND", random.Random(1))}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    name = f"kvisa_crash_{os.getpid()}_{random.randrange(1 << 30):x}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlparse(ADMIN_URL)._replace(path=f"/{name}").geturl()


def _drop(url: str) -> None:
    name = urllib.parse.urlparse(url).path.lstrip("/")
    with contextlib.suppress(psycopg.Error), psycopg.connect(ADMIN_URL,
                                                              autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(env: dict[str, str], drafts: int) -> list[tuple[int, str]]:
    """Applicants with complete drafts and write tokens, made through the services."""
    script = f"""
import json, sys
from kvisa.site.bootstrap import django_setup
django_setup()
from django.db import transaction
from kvisa.accounts.models import ApiToken, Role, User
from kvisa.casework import services
from kvisa.site.demo import attach_required_documents
out = []
for n in range({drafts}):
    with transaction.atomic():
        user = User.objects.create_user(f"crash{{n}}@test.kvisa", None, role=Role.APPLICANT,
                                        display_name=f"Crash {{n}}", email_verified=True)
    application = services.application_create(applicant=user)
    services.application_save_draft(application_id=application.pk, by=user,
                                    profile={PROFILE!r}, identity={IDENTITY!r})
    attach_required_documents(application.pk, user)
    out.append([application.pk, ApiToken.issue(user, "crash", scope="write")[1]])
json.dump(out, sys.stdout)
"""
    import json

    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, check=True, timeout=900)
    return [(int(pk), str(token)) for pk, token in json.loads(result.stdout)]


class Server:
    """``kvisa serve`` in its own process group, killed with SIGKILL on demand."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*KVISA, "serve", "--port", str(self.port), "--workers", "2"], env=self.env,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{self.port}/", timeout=2).status_code == 200:
                    return
            time.sleep(0.3)
        raise SystemExit("kvisa serve did not start; see " + str(self.log))

    def kill(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Tally:
    acknowledged: set[int] = field(default_factory=set)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _storm(base: str, work: list[tuple[int, str]], tally: Tally, stop_at: float) -> None:
    """Submit each draft; retry with the same key until answered or time runs out."""
    with httpx.Client(base_url=base, timeout=10) as client:
        for pk, token in work:
            key = f"crash-submit-{pk}"
            while time.monotonic() < stop_at:
                try:
                    response = client.post(f"/api/v1/applications/{pk}/submit", json={},
                                           headers={"Authorization": f"Bearer {token}",
                                                    "Idempotency-Key": key})
                except httpx.TransportError:
                    with tally.lock:
                        tally.errors += 1
                    time.sleep(0.2)
                    continue
                if response.status_code == 200:
                    with tally.lock:
                        tally.acknowledged.add(pk)
                    break
                if response.status_code in (409, 500, 502, 503):
                    time.sleep(0.2)  # in flight elsewhere, or the database was away: retry
                    continue
                break  # any other answer: not acknowledged, not retried


def _restart_postgres() -> bool:
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        print("skipping the PostgreSQL restart: pg_ctlcluster not found", file=sys.stderr)
        return False
    version = sorted(os.listdir("/etc/postgresql"))[0]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart",
               "-m", "immediate"]  # like a crash: no checkpoint, recovery from the WAL
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        print("PostgreSQL restart failed: " + result.stderr.strip(), file=sys.stderr)
        return False
    return True


def _count(url: str, acknowledged: set[int], ids: list[int]) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT a.id, a.state, COUNT(j.id) FROM casework_application a "
            "LEFT JOIN casework_action j ON j.application_id = a.id AND j.kind = 'submit' "
            "WHERE a.id = ANY(%s) GROUP BY a.id, a.state", [ids]).fetchall()
        without_event = connection.execute(
            "SELECT COUNT(*) FROM casework_action j WHERE NOT EXISTS (SELECT 1 FROM "
            "casework_auditevent e WHERE e.journal_action_id = j.id)").fetchone()
    by_id = {pk: (state, submits) for pk, state, submits in rows}
    lost = sum(1 for pk in acknowledged if by_id.get(pk, ("", 0))[1] == 0
               or by_id[pk][0] == "draft")
    duplicated = sum(1 for state, submits in by_id.values() if submits > 1)
    half = sum(1 for state, submits in by_id.values()
               if (state == "draft") != (submits == 0))
    return {"lost": lost, "duplicated": duplicated,
            "half_written": half + int(without_event[0] if without_event else 0)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drafts", type=int, default=600)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=120, help="give up after this long")
    parser.add_argument("--no-postgres-restart", action="store_true")
    args = parser.parse_args()

    url = _database_url()
    folder = Path(tempfile.mkdtemp(prefix="kvisa-crash-"))
    # only this run's settings: nothing inherited (a test runner's settings module, say)
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith(("KVISA_", "DJANGO_", "DATABASE_URL"))}
    env = {**inherited, "DATABASE_URL": url, "KVISA_DATA_DIR": str(folder),
           "KVISA_HTTP_DEMO": "1", "KVISA_SECURE_COOKIES": "0"}
    server = Server(env, _free_port(), folder / "serve.log")
    try:
        if subprocess.run([*KVISA, "migrate"], env=env, capture_output=True).returncode:
            raise SystemExit("kvisa migrate failed")
        work = _seed(env, args.drafts)
        server.start()
        tally = Tally()
        stop_at = time.monotonic() + args.seconds
        shares = [work[n::args.clients] for n in range(args.clients)]
        threads = [threading.Thread(target=_storm, args=(f"http://127.0.0.1:{server.port}",
                                                          share, tally, stop_at))
                   for share in shares]
        for thread in threads:
            thread.start()
        _wait_for(tally, len(work) // 4)
        server.kill()                      # SIGKILL the application server mid-storm
        print(f"killed the server after {len(tally.acknowledged)} acknowledged", flush=True)
        time.sleep(1)
        server.start()
        if not args.no_postgres_restart:
            _wait_for(tally, len(work) // 2)
            if _restart_postgres():        # and PostgreSQL, as after a crash
                print(f"restarted PostgreSQL after {len(tally.acknowledged)} acknowledged",
                      flush=True)
        for thread in threads:
            thread.join()
        server.stop()
        subprocess.run([*KVISA, "audit", "chain"], env=env, capture_output=True, timeout=120)
        verified = subprocess.run([*KVISA, "audit", "verify"], env=env, capture_output=True,
                                  text=True, timeout=300)
        counts = _count(url, tally.acknowledged, [pk for pk, _ in work])
        audit_state = "intact" if verified.returncode == 0 else "broken"
        print(f"acknowledged={len(tally.acknowledged)} lost={counts['lost']} "
              f"duplicated={counts['duplicated']} half_written={counts['half_written']} "
              f"audit={audit_state} transport_errors={tally.errors}")
        if audit_state != "intact":
            print(verified.stderr.strip(), file=sys.stderr)
        ok = (audit_state == "intact" and counts["lost"] == counts["duplicated"] ==
              counts["half_written"] == 0 and len(tally.acknowledged) > 0)
        return 0 if ok else 1
    finally:
        server.stop()
        _drop(url)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(tally: Tally, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(tally.acknowledged) < count and time.monotonic() < deadline:
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
