"""Load: a realistic mix against ``kvisa serve`` on PostgreSQL, with Locust, headless.

Applicants draft (autosave), upload a document, submit once and then poll
their status; officers read the queue, open cases, assign and decide.  Runs at
50, 200 and 500 concurrent users and prints, per endpoint, requests per second,
p50 and p99 and the error rate (the figures in docs/reliability.md).

Usage: ``uv run python benchmarks/load.py [--rows 20000] [--seconds 30]
[--users 50 200 500] [--nodes 2]``.  ``--nodes 2`` runs the same mix through HAProxy
in front of two ``kvisa serve`` nodes sharing the database and an S3-compatible store
(the cluster of ``make cluster-test``) and adds each node's CPU use.  The database is
``KVISA_BENCH_DATABASE_URL`` (default
``postgresql://postgres@127.0.0.1:5432/kvisa_bench``), emptied first.
When Locust imports this file (``locust -f benchmarks/load.py``) only the user
classes below are used; the accounts come from ``KVISA_LOAD_ACCOUNTS``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import datetime as dt
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from locust import HttpUser, between, task

from kvisa.site.specimen_answers import visa_answers

# a 1×1 PNG: the upload path (sniffing, decoding, re-encoding, storing) without megabytes
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMB"
                       "AQDJ/pLvAAAAAElFTkSuQmCC")
PROFILE = {"date_of_birth": "1995-01-01", "nationality": "IND", "highest_degree": "master",
           "degree_field": "0613", "degree_institution_recognised": True}
IDENTITY = {"surname": "LOAD", "given_names": "TEST", "sex": "F",
            "passport_number": "X1234567", **visa_answers("IND", random.Random(1))}

_accounts: dict[str, object] = {}
_next_draft = itertools.count()
_lock = threading.Lock()


def _load_accounts() -> dict[str, object]:
    if not _accounts:
        path = os.environ.get("KVISA_LOAD_ACCOUNTS")
        if path:
            _accounts.update(json.loads(Path(path).read_text()))
    return _accounts


class Applicant(HttpUser):
    """Drafts, autosaves, uploads, submits once, then checks the status now and then."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        drafts = _load_accounts()["drafts"]
        assert isinstance(drafts, list)
        offset = int(os.environ.get("KVISA_LOAD_OFFSET", "0"))  # each run its own drafts
        with _lock:
            self.case, token = drafts[(offset + next(_next_draft)) % len(drafts)]
        self.headers = {"Authorization": f"Bearer {token}"}
        self.saves = 0
        self.submitted = False
        # a person of their own: birth date and passport differ from everyone else's
        born = dt.date(1980, 1, 1) + dt.timedelta(days=int(self.case) % 9000)
        self.profile = {**PROFILE, "date_of_birth": born.isoformat()}
        self.identity = {**IDENTITY, "passport_number": f"L{int(self.case):08d}"}

    @task(3)
    def autosave(self) -> None:
        if self.submitted:
            return self.status()
        self.saves += 1
        self.client.put(f"/api/v1/applications/{self.case}/draft", json={
            "profile": {**self.profile, "years_work_experience": float(self.saves % 10)},
            "identity": self.identity}, headers=self.headers, name="PUT draft")
        return None

    @task(1)
    def upload(self) -> None:
        if self.submitted:
            return self.status()
        self.client.post(f"/api/v1/applications/{self.case}/documents",
                         data={"kind": "passport_page"}, files={"file": ("p.png", PNG)},
                         headers=self.headers, name="POST document")
        return None

    @task(1)
    def submit(self) -> None:
        if self.submitted:
            return self.status()
        response = self.client.post(
            f"/api/v1/applications/{self.case}/submit", json={},
            headers={**self.headers, "Idempotency-Key": f"load-submit-{self.case}"},
            name="POST submit")
        self.submitted = response.status_code in (200, 409)
        return None

    @task(3)
    def status(self) -> None:
        self.client.get(f"/api/v1/applications/{self.case}", headers=self.headers,
                        name="GET application")


class Officer(HttpUser):
    """Works the queue: reads it, opens the oldest case, assigns it, decides."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {_load_accounts()['officer']}"}

    @task(3)
    def queue(self) -> None:
        self.client.get("/api/v1/queue", headers=self.headers, name="GET queue")

    @task(2)
    def work_a_case(self) -> None:
        page = self.client.get("/api/v1/queue?state=submitted", headers=self.headers,
                               name="GET queue (submitted)")
        cases = page.json() if page.status_code == 200 else []
        if not cases:
            return
        case = cases[0]["id"]
        self.client.get(f"/api/v1/applications/{case}", headers=self.headers,
                        name="GET application (officer)")
        assigned = self.client.post(f"/api/v1/applications/{case}/assign", json={},
                                    headers={**self.headers,
                                             "Idempotency-Key": f"load-assign-{case}"},
                                    name="POST assign", catch_response=True)
        with assigned as response:
            if response.status_code in (409,):  # another officer was first: not an error
                response.success()
        if assigned.status_code == 200:
            approved = self.client.post(
                f"/api/v1/applications/{case}/approve", json={},
                headers={**self.headers, "Idempotency-Key": f"load-approve-{case}"},
                name="POST approve (issues the e-visa)", catch_response=True)
            with approved as response:
                # the officer users share one account, so two may reach the same case:
                # the second is told it changed (409), which is the right answer
                if response.status_code == 409:
                    response.success()


def _stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its children (a node: gunicorn and its workers)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in family:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def _run_levels(args: argparse.Namespace, folder: str, accounts: Path, host: str,
                nodes: dict[str, int]) -> None:
    offset = 0
    for users in args.users:
        prefix = Path(folder) / f"u{users}"
        before = {name: _cpu_seconds(pid) for name, pid in nodes.items()}
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", __file__, "--headless", "-u", str(users),
             "-r", str(max(1, users // 5)), "-t", f"{args.seconds}s", "--host", host,
             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
             "--stop-timeout", "10"],
            env={**os.environ, "KVISA_LOAD_ACCOUNTS": str(accounts),
                 "KVISA_LOAD_OFFSET": str(offset)}, check=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - started
        offset += users * 2
        rows = _stats(prefix)
        print(f"\n{users} users, {args.seconds} s, {len(nodes)} node(s):")
        print("| endpoint | requests/s | p50 ms | p99 ms | errors |")
        print("|---|---|---|---|---|")
        for row in rows:
            count = int(row["Request Count"] or 0)
            failures = int(row["Failure Count"] or 0)
            share = f"{failures / count:.1%}" if count else "—"
            print(f"| {row['Name']} | {float(row['Requests/s']):.1f} | "
                  f"{row['50%']} | {row['99%']} | {share} |")
        used = ", ".join(f"{name}: {(_cpu_seconds(pid) - before[name]) / wall:.2f} cores"
                         for name, pid in nodes.items())
        print(f"CPU per node (mean over the run): {used}")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import service  # the service benchmark's seeding and server

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--nodes", type=int, choices=(1, 2), default=1,
                        help="2: through HAProxy to two nodes on a shared S3 store")
    args = parser.parse_args()
    service.ensure_database()
    folder = tempfile.mkdtemp(prefix="kvisa-load-")
    with contextlib.ExitStack() as stack:
        store = None
        if args.nodes == 2:
            from tests.support.s3 import CREDENTIALS, make_bucket, s3_server

            endpoint = stack.enter_context(s3_server())
            store = (endpoint, make_bucket(endpoint))
            # the seeding stores the drafts' documents where the nodes will read them
            os.environ.update({**CREDENTIALS, "KVISA_S3_BUCKET": store[1],
                               "KVISA_S3_ENDPOINT_URL": store[0]})
        service.setup(folder)
        officer_token, drafts, _ = service.seed(args.rows, sum(args.users) * 2)
        accounts = Path(folder) / "accounts.json"
        accounts.write_text(json.dumps({"officer": officer_token, "drafts": drafts}))
        if store is None:
            server = service.start_server(folder)
            stack.callback(server.wait)
            stack.callback(server.terminate)
            _run_levels(args, folder, accounts, f"http://127.0.0.1:{service.PORT}",
                        {"node": server.pid})
            return
        from tests.cluster.run import running_cluster

        workdir = Path(folder) / "cluster"
        workdir.mkdir()
        cluster = stack.enter_context(running_cluster(workdir, service.URL, store=store,
                                                      workers=int(os.environ.get(
                                                          "KVISA_BENCH_WORKERS", "2"))))
        _run_levels(args, folder, accounts, cluster.balancer,
                    {name: cluster.processes[name].pid for name in ("a", "b")})


if __name__ == "__main__":
    main()
