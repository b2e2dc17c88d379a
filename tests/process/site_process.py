"""Run the commands users run (``kvisa demo``, ``kvisa serve``) as processes, and
talk to them over HTTP like a browser without JavaScript would."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
from django_otp.oath import totp

from tests.support.cli import KVISA


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running(args: list[str], *, env: dict[str, str], port: int, log: Path,
            ready_within: float = 180.0) -> Iterator[str]:
    """Start ``kvisa <args>`` in its own process group; yield its base URL once it answers."""
    with log.open("wb") as out:
        process = subprocess.Popen([*KVISA, *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + ready_within
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"kvisa {args[0]} exited {process.returncode}:\n"
                                         + log.read_text(errors="replace")[-3000:])
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(base + "/", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError(f"kvisa {args[0]} did not answer within "
                                         f"{ready_within:.0f} s")
                time.sleep(0.5)
            yield base
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def totp_now(secret: bytes) -> str:
    """The code the officer's authenticator app shows now (RFC 6238, as django-otp checks)."""
    return f"{totp(secret):06d}"


def secret_from_otpauth(url: str) -> bytes:
    secret = parse_qs(urlparse(url).query)["secret"][0]
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


class Visitor:
    """One person's browser session: cookies, CSRF token, redirects followed by hand."""

    def __init__(self, base: str) -> None:
        # 30 s: longer than any honest page, shorter than gunicorn's worker timeout
        self.http = httpx.Client(base_url=base, timeout=30, follow_redirects=False)

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def post(self, path: str, data: dict[str, str] | None = None,
             files: dict[str, tuple[str, bytes, str]] | None = None) -> httpx.Response:
        if "csrftoken" not in self.http.cookies:
            self.http.get("/accounts/login/")
        form = {"csrfmiddlewaretoken": self.http.cookies["csrftoken"], **(data or {})}
        return self.http.post(path, data=form, files=files,
                              headers={"Referer": str(self.http.base_url) + path})

    def sign_in(self, email: str, password: str, totp_secret: bytes | None = None) -> None:
        self.get("/accounts/login/")
        signed = self.post("/accounts/login/", {"username": email, "password": password})
        assert signed.status_code == 302, signed.text[:500]
        if totp_secret is not None:
            page = self.get("/console/")
            assert page.status_code == 302 and "second-factor" in page.headers["location"]
            done = self.post("/accounts/second-factor/", {"token": totp_now(totp_secret)})
            assert done.status_code == 302, done.text[:500]

    def close(self) -> None:
        self.http.close()


def reference_of(location: str) -> int:
    match = re.search(r"/applications/(\d+)/", location)
    assert match, location
    return int(match.group(1))
