"""A real S3-compatible server for tests: moto's server mode, a process on loopback.

moto implements the S3 REST protocol over HTTP, so django-storages and boto3
talk to it exactly as they would to AWS S3, Ceph RGW or MinIO.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "kvisa-test", "AWS_SECRET_ACCESS_KEY": "kvisa-test-secret",
               "AWS_DEFAULT_REGION": "us-east-1"}


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@contextmanager
def s3_server(host: str = "127.0.0.1") -> Iterator[str]:
    """Start moto's S3 server; yield its endpoint URL; stop it afterwards."""
    port = free_port(host)
    server = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen([str(server), "-H", host, "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **CREDENTIALS})
    endpoint = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection((host, port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def make_bucket(endpoint: str) -> str:
    import boto3

    name = f"kvisa-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, **{
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": CREDENTIALS["AWS_DEFAULT_REGION"]}).create_bucket(Bucket=name)
    return name


def s3_storages(endpoint: str, bucket: str) -> dict[str, dict[str, object]]:
    """The STORAGES setting a deployment with KVISA_S3_BUCKET gets, pointed at ``endpoint``."""
    def store(location: str) -> dict[str, object]:
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": bucket, "location": location, "endpoint_url": endpoint,
            "access_key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "secret_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            "region_name": CREDENTIALS["AWS_DEFAULT_REGION"], "file_overwrite": False,
            "default_acl": None, "querystring_auth": False, "max_memory_size": 1024 * 1024}}
    return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND":
                            "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "documents": store("documents"), "records": store("records")}
