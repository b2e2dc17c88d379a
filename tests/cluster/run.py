"""``make cluster-test``: two ``kvisa serve`` nodes behind HAProxy, and what must survive.

It starts, on this machine:

- a fresh database on the local PostgreSQL (as the tests use);
- an S3-compatible server (moto's server mode, from PyPI: a test stand-in for AWS S3,
  Ceph RGW or MinIO, speaking the same REST protocol);
- two nodes, ``kvisa serve`` on two loopback addresses (127.0.0.2 and 127.0.0.3), each
  with its own data folder, sharing only what a real cluster shares: the database,
  the store and the mounted secrets (the signer, the audit keys, the session key);
- HAProxy from Debian in front, round robin, sending traffic only to nodes whose
  ``/readyz`` answers.

Then, in order: a journey that crosses nodes (upload on A, view on B, submit on A,
approve on B, download the e-visa from A, verify it on B); a storm of submissions
through the balancer with node A SIGKILLed in the middle, the clients retrying with
their idempotency keys; and ``kvisa audit verify``.  It prints one line::

    nodes=2 acknowledged=N lost=0 duplicated=0 cross_node=ok audit=intact

and exits non-zero unless every part holds.  ``--drafts`` and ``--clients`` size the
storm (the suite runs a short one: tests/process/test_cluster.py).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.process.site_process import Visitor, secret_from_otpauth  # noqa: E402
from tests.support.cli import KVISA  # noqa: E402
from tests.support.profiles import IDENTITY, PROFILE  # noqa: E402
from tests.support.s3 import CREDENTIALS, free_port, make_bucket, s3_server  # noqa: E402

NODE_HOSTS = {"a": "127.0.0.2", "b": "127.0.0.3"}
ADMIN_URL = os.environ.get("KVISA_TEST_DATABASE_URL",
                           "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "a long cluster passphrase for the journey"
HAPROXY_CONFIG = """
global
    maxconn 4000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # a busy node answers its probe late, not never: waiting 5 s keeps it in service
    timeout check 5s
    # requests beyond what the nodes' workers take wait here, not in a node's backlog
    timeout queue 30s
    retries 3
    option redispatch
    retry-on conn-failure empty-response
frontend kvisa
    bind {bind}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    default-server inter 1s fall 3 rise 2 maxconn {per_node}
{servers}
"""


@dataclass
class Cluster:
    balancer: str
    nodes: dict[str, str]
    env: dict[str, str]
    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def kill(self, name: str) -> None:
        """SIGKILL a node's whole process group (gunicorn's master and its workers)."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    name = f"kvisa_cluster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cluster_env(workdir: Path, database_url: str, endpoint: str, bucket: str,
                balancer: str) -> dict[str, str]:
    """What every node (and every command an operator runs) is given: one database, one
    store, and the secrets mounted from one place — never files of a node's own."""
    mounted = workdir / "secrets"
    mounted.mkdir(mode=0o700)
    kept = {key: value for key, value in os.environ.items()
            if not key.startswith(("KVISA_", "DATABASE_URL", "PROMETHEUS_", "DJANGO_"))}
    return {**kept, **CREDENTIALS,
            "DATABASE_URL": database_url, "KVISA_S3_BUCKET": bucket,
            "KVISA_S3_ENDPOINT_URL": endpoint, "KVISA_HTTP_DEMO": "1",
            "KVISA_SECRET_KEY": secrets.token_urlsafe(50),
            "KVISA_SIGNER_KEY": str(mounted / "visa-signer.key.pem"),
            "KVISA_SIGNER_CERT": str(mounted / "visa-signer.cert.pem"),
            "KVISA_AUDIT_KEYS": str(mounted / "audit"),
            "KVISA_AUDIT_SIGNER_KEY": str(mounted / "audit-checkpoint-signer.pem"),
            # the trust pins and the witness are another party's (in production another
            # host: KVISA_AUDIT_WITNESS=https://…); here a folder both nodes reach
            "KVISA_AUDIT_TRUST": str(workdir / "trust"),
            "KVISA_AUDIT_WITNESS": str(workdir / "witness"),
            "KVISA_ALLOWED_HOSTS": ",".join(["127.0.0.1", "localhost", *NODE_HOSTS.values()]),
            "KVISA_SITE_URL": balancer, "KVISA_PUBLIC_VERIFY_PER_MINUTE": "1000",
            "KVISA_LOG_LEVEL": "WARNING",
            "KVISA_DATA_DIR": str(workdir / "operator")}


def _wait_ready(url: str, process: subprocess.Popen[bytes] | None, log: Path,
                within: float = 180) -> None:
    deadline = time.monotonic() + within
    while True:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{url} exited {process.returncode}:\n"
                             + log.read_text(errors="replace")[-3000:])
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} was not ready within {within:.0f} s")
        time.sleep(0.3)


@contextlib.contextmanager
def running_cluster(workdir: Path, database_url: str, *, store: tuple[str, str] | None = None,
                    workers: int = 2) -> Iterator[Cluster]:
    """The cluster, on a new S3 server, or on ``store`` = (endpoint, bucket) if given."""
    with contextlib.ExitStack() as stack:
        if store is None:
            endpoint = stack.enter_context(s3_server())
            store = (endpoint, make_bucket(endpoint))
        yield stack.enter_context(_nodes_and_balancer(workdir, database_url, store, workers))


@contextlib.contextmanager
def _nodes_and_balancer(workdir: Path, database_url: str, store: tuple[str, str],
                        workers: int) -> Iterator[Cluster]:
    port, front = free_port("127.0.0.2"), free_port()
    balancer = f"http://127.0.0.1:{front}"
    env = cluster_env(workdir, database_url, *store, balancer)
    subprocess.run([*KVISA, "migrate"], env=env, check=True, capture_output=True)
    cluster = Cluster(balancer, {name: f"http://{host}:{port}"
                                 for name, host in NODE_HOSTS.items()}, env, workdir)
    try:
        for name, host in NODE_HOSTS.items():
            log = workdir / f"node-{name}.log"
            node_env = {**env, "KVISA_DATA_DIR": str(workdir / f"node-{name}")}
            cluster.processes[name] = subprocess.Popen(
                [*KVISA, "serve", "--host", host, "--port", str(port),
                 "--workers", str(workers)],
                env=node_env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                start_new_session=True)
            # one after the other: the first start makes the signer both then share
            _wait_ready(cluster.nodes[name], cluster.processes[name], log)
        config = workdir / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(
            bind=f"127.0.0.1:{front}", per_node=workers * 4, servers="\n".join(
                f"    server {name} {host}:{port} check" for name, host in NODE_HOSTS.items())))
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        cluster.processes["balancer"] = subprocess.Popen(
            [haproxy, "-f", str(config), "-db"], stdout=(workdir / "haproxy.log").open("wb"),
            stderr=subprocess.STDOUT, start_new_session=True)
        _wait_ready(balancer, cluster.processes["balancer"], workdir / "haproxy.log")
        yield cluster
    finally:
        for process in cluster.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in cluster.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# --- people and drafts, made as an operator would (commands and the API) ----------------

def _operator(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([*KVISA, *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"kvisa {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout


def _person(env: dict[str, str], email: str, role: str) -> str:
    """Create the account; return its second-factor URL (staff) or ''."""
    made = _operator(env, "users", "create", email, "--role", role, "--password-stdin",
                     stdin=PASSWORD + "\n")
    found = re.search(r"otpauth://\S+", made.replace("\n", ""))
    return found.group(0) if found else ""


def _token(base: str, email: str) -> str:
    """An API token that may act, asked for on the account page as its owner would."""
    visitor = Visitor(base)
    visitor.sign_in(email, PASSWORD)
    page = visitor.post("/accounts/api-token/", {"name": "cluster", "scope": "write",
                                                 "days": "30"})
    visitor.close()
    found = re.search(r'data-testid="new-token">([^<]+)<', page.text)
    if page.status_code != 200 or not found:
        raise SystemExit(f"no API token for {email}: {page.status_code} {page.text[-800:]}")
    return found.group(1)


def _required_uploads() -> list[tuple[str, str, bytes, str]]:
    from tests.support.files import pdf, photo

    kinds = ["photo", "passport_page", "degree_certificate", "cv"]
    return [(kind, *(("photo.jpg", photo(), "image/jpeg") if kind == "photo" else
                     (f"{kind}.pdf", pdf(kind), "application/pdf"))) for kind in kinds]


def _draft(base: str, token: str, passport: str) -> tuple[int, dict[str, str]]:
    """A complete draft through the API on ``base``: (id, sha256 of each upload)."""
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=auth, timeout=60) as api:
        created = api.post("/api/v1/applications", json={})
        assert created.status_code == 201, created.text
        case = int(created.json()["id"])
        saved = api.put(f"/api/v1/applications/{case}/draft", json={
            "profile": PROFILE, "identity": {**IDENTITY, "passport_number": passport}})
        assert saved.status_code == 200, saved.text
        stored = {}
        for kind, name, data, media in _required_uploads():
            uploaded = api.post(f"/api/v1/applications/{case}/documents", data={"kind": kind},
                                files={"file": (name, data, media)})
            assert uploaded.status_code == 201, uploaded.text
            stored[kind] = uploaded.json()["sha256"]
        missing = api.get(f"/api/v1/applications/{case}/precheck")
        assert missing.status_code == 200, missing.text
    return case, stored


# --- the journey across nodes -----------------------------------------------------------

def journey(cluster: Cluster) -> None:
    """Upload on A, view on B, submit on A, approve on B, download from A, verify on B."""
    a, b = cluster.nodes["a"], cluster.nodes["b"]
    _person(cluster.env, "journey@cluster.test", "applicant")
    otpauth = _person(cluster.env, "officer@cluster.test", "officer")
    officer_secret = secret_from_otpauth(otpauth)
    applicant_token = _token(a, "journey@cluster.test")
    case, stored = _draft(a, applicant_token, "Z7654321")                    # upload on A
    on_b = Visitor(b)
    on_b.sign_in("journey@cluster.test", PASSWORD)
    documents = on_b.get(f"/applications/{case}/edit/documents/")
    assert documents.status_code == 200, documents.status_code
    for doc in _document_ids(documents.text, case):                          # view on B
        shown = on_b.get(f"/applications/{case}/documents/{doc}/")
        assert shown.status_code == 200
        assert hashlib.sha256(shown.content).hexdigest() in stored.values()
    auth = {"Authorization": f"Bearer {applicant_token}"}
    submitted = httpx.post(f"{a}/api/v1/applications/{case}/submit", json={},  # submit on A
                           headers={**auth, "Idempotency-Key": f"journey-{case}"}, timeout=60)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted", \
        submitted.text
    staff = Visitor(b)                                                       # approve on B
    staff.sign_in("officer@cluster.test", PASSWORD, officer_secret)
    assert staff.post(f"/console/cases/{case}/assign/",
                      {"client_txn_id": uuid.uuid4().hex}).status_code == 302
    approved = staff.post(f"/console/cases/{case}/approve/",
                          {"client_txn_id": uuid.uuid4().hex, "confirmed": "yes"})
    assert approved.status_code == 302, approved.text[-800:]
    assert "Issued" in staff.get(f"/console/cases/{case}/").text
    on_a = Visitor(a)
    on_a.sign_in("journey@cluster.test", PASSWORD)
    evisa = on_a.get(f"/applications/{case}/e-visa/")                        # download, A
    assert evisa.status_code == 200 and evisa.content.startswith(b"%PDF-")
    anyone = Visitor(b)
    anyone.get("/verify")
    verdict = anyone.post("/verify", files={"file": ("e-visa.pdf", evisa.content,  # verify, B
                                                     "application/pdf")})
    assert verdict.status_code == 200
    assert 'data-testid="seal-status">Valid' in verdict.text, verdict.text[-1500:]
    for visitor in (on_a, on_b, anyone, staff):
        visitor.close()


def _document_ids(page: str, case: int) -> list[int]:
    found = sorted({int(n) for n in re.findall(rf"/applications/{case}/documents/(\d+)/", page)})
    assert found, page[-1500:]
    return found


# --- the storm, with a node killed in the middle ----------------------------------------

@dataclass
class StormResult:
    acknowledged: set[int]
    refused: dict[int, str]


def storm(cluster: Cluster, drafts: list[tuple[int, str]], clients: int,
          kill_after: int) -> StormResult:
    """Every draft submitted once through the balancer by ``clients`` threads; node A is
    SIGKILLed once ``kill_after`` submissions were acknowledged.  A client retries a
    failed or unanswered request with the same idempotency key, as the API asks."""
    acknowledged: set[int] = set()
    refused: dict[int, str] = {}
    lock = threading.Lock()
    killed = threading.Event()
    queue = list(drafts)

    def submit(case: int, token: str, client: httpx.Client) -> None:
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"storm-{case}"}
        for _attempt in range(60):
            try:
                answer = client.post(f"/api/v1/applications/{case}/submit", json={},
                                     headers=headers)
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            if answer.status_code == 200:
                with lock:
                    acknowledged.add(case)
                    if len(acknowledged) >= kill_after and not killed.is_set():
                        killed.set()
                        cluster.kill("a")
                return
            if answer.status_code in (409, 502, 503, 504):  # in flight elsewhere, or a node
                time.sleep(0.2)                               # went away: ask again
                continue
            with lock:
                refused[case] = f"{answer.status_code} {answer.text[:200]}"
            return
        with lock:
            refused[case] = "no answer after 60 tries"

    def client_loop() -> None:
        with httpx.Client(base_url=cluster.balancer, timeout=30) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    case, token = queue.pop()
                submit(case, token, client)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert killed.is_set(), "node A was never killed: the storm was too short"
    return StormResult(acknowledged, refused)


def _storm_drafts(cluster: Cluster, count: int, people: int = 4) -> list[tuple[int, str]]:
    """``count`` complete drafts of ``people`` applicants, made through the balancer,
    one thread per applicant."""
    drafts: list[tuple[int, str]] = []
    lock = threading.Lock()

    def make(person: int) -> None:
        email = f"storm{person}@cluster.test"
        token = _token(cluster.balancer, email)
        for index in range(person, count, people):
            case, _ = _draft(cluster.balancer, token, f"S{index:07d}")
            with lock:
                drafts.append((case, token))

    for person in range(people):
        _person(cluster.env, f"storm{person}@cluster.test", "applicant")
    threads = [threading.Thread(target=make, args=(person,)) for person in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(drafts) != count:
        raise SystemExit(f"only {len(drafts)} of {count} drafts were made")
    return drafts


def _submissions(database_url: str, cases: list[int]) -> tuple[set[int], int]:
    """(cases in the database as submitted, cases with more than one submit action)."""
    with psycopg.connect(database_url) as db:
        states: dict[int, str] = dict(db.execute("SELECT id, state FROM casework_application WHERE id = ANY(%s)",
                                 [cases]).fetchall())
        doubled = db.execute(
            "SELECT count(*) FROM (SELECT application_id FROM casework_action WHERE kind = "
            "'submit' AND application_id = ANY(%s) GROUP BY application_id HAVING count(*) > 1)"
            " twice", [cases]).fetchone()
    return {case for case, state in states.items() if state == "submitted"}, int(
        doubled[0] if doubled else 0)


def audit_intact(cluster: Cluster) -> bool:
    """``kvisa audit verify`` as an operator runs it, once the surviving node chained."""
    deadline = time.monotonic() + 60
    while True:
        with psycopg.connect(cluster.env["DATABASE_URL"]) as db:
            row = db.execute("SELECT count(*) FROM casework_auditevent "
                             "WHERE sequence IS NULL").fetchone()
        if (row and row[0] == 0) or time.monotonic() > deadline:
            break
        time.sleep(1)
    _operator(cluster.env, "audit", "checkpoint")
    verified = subprocess.run([*KVISA, "audit", "verify"], env=cluster.env,
                              capture_output=True, text=True, timeout=300)
    if verified.returncode != 0:
        print(verified.stdout[-2000:], verified.stderr[-2000:], file=sys.stderr)
    return verified.returncode == 0 and "intact" in verified.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drafts", type=int, default=120, help="submissions in the storm")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="kvisa-cluster-"))
    workdir.chmod(0o700)
    cross_node = "failed"
    try:
        with fresh_database() as database_url, running_cluster(workdir, database_url) as cluster:
            try:
                journey(cluster)
                cross_node = "ok"
            except AssertionError as exc:
                print(f"cross-node journey failed: {exc}", file=sys.stderr)
            drafts = _storm_drafts(cluster, args.drafts)
            result = storm(cluster, drafts, args.clients, kill_after=max(1, args.drafts // 3))
            cases = [case for case, _ in drafts]
            submitted, duplicated = _submissions(database_url, cases)
            lost = len(result.acknowledged - submitted)
            audit = "intact" if audit_intact(cluster) else "broken"
            for case, why in sorted(result.refused.items())[:5]:
                print(f"case {case} refused: {why}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"work folder: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"nodes=2 acknowledged={len(result.acknowledged)} lost={lost} "
          f"duplicated={duplicated} cross_node={cross_node} audit={audit}")
    good = (lost == 0 and duplicated == 0 and cross_node == "ok" and audit == "intact"
            and len(result.acknowledged) == len(drafts) and not result.refused)
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
