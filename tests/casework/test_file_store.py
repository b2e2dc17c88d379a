"""Files through the storage API, on the local disk and on a real S3-compatible server.

Each test runs twice: once on the embedded default (the local disk) and once on
moto's S3 server, with the STORAGES setting a deployment with KVISA_S3_BUCKET gets.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from typer.testing import CliRunner

from kvisa import filestore
from kvisa.audit import checkpoints as audit_checkpoints
from kvisa.audit import log as audit
from kvisa.audit.models import AuditEvent
from kvisa.casework import privacy, services, uploads
from kvisa.casework.models import Document
from kvisa.cli import app
from kvisa.issuance.models import Visa
from tests.support.cases import under_review
from tests.support.people import client_for
from tests.support.s3 import free_port, make_bucket, s3_server, s3_storages

from .test_uploads import _pdf


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


def _local(root: Path) -> dict[str, Any]:
    def store(folder: str) -> dict[str, Any]:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(root / folder)}}
    return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "documents": store("documents"), "records": store("records")}


@pytest.fixture(params=["local", "s3"])
def store_kind(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> str:
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        settings.STORAGES = s3_storages(endpoint, make_bucket(endpoint))
    else:
        settings.STORAGES = _local(tmp_path / "store")
    return str(request.param)


@pytest.fixture
def draft(applicant):  # type: ignore[no-untyped-def]
    return services.application_create(applicant=applicant)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_upload_is_stored_once_and_streams_back_with_its_headers(
        store_kind, applicant, draft) -> None:  # type: ignore[no-untyped-def]
    expected = "S3Storage" if store_kind == "s3" else "FileSystemStorage"
    assert type(filestore.documents()).__name__ == expected
    data = _pdf(2)
    first = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                     name="cv.pdf", data=data)
    again = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                     name="same-cv.pdf", data=data)
    assert first.sha256 == again.sha256
    assert filestore.names(filestore.documents(), "") == [uploads.name_for(first.sha256)]
    response = client_for(applicant).get(f"/applications/{draft.pk}/documents/{first.pk}/")
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == data  # type: ignore[arg-type]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_image_shows_inline_from_the_store(store_kind, applicant, draft) -> None:  # type: ignore[no-untyped-def]
    image = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                     name="a.png", data=_png())
    response = client_for(applicant).get(f"/applications/{draft.pk}/documents/{image.pk}/")
    assert response["Content-Disposition"] == "inline"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (30, 20)  # type: ignore[arg-type]


def test_the_e_visa_is_issued_into_the_store_and_purged_from_it(
        store_kind, applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    services.application_approve(application_id=application.pk, by=officer,
                                 client_txn_id="store")
    visa = Visa.objects.get(application=application)
    download = client_for(applicant).get(f"/applications/{application.pk}/e-visa/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[arg-type]
    assert uploads.exists(visa.pdf_sha256)
    privacy.purge(visa.valid_until + dt.timedelta(days=2 * 365 + 1))
    assert not uploads.exists(visa.pdf_sha256)


def _unreachable(store_kind: str, settings: Any, tmp_path: Path) -> None:
    if store_kind == "s3":  # a port nobody listens on
        settings.STORAGES = s3_storages(f"http://127.0.0.1:{free_port()}", "kvisa-gone")
    else:  # a store whose folder cannot be made: a file is in the way
        blocker = tmp_path / "not-a-folder"
        blocker.write_bytes(b"")
        settings.STORAGES = _local(blocker)


def test_an_outage_is_a_503_and_loses_nothing(store_kind, applicant, draft, settings,  # type: ignore[no-untyped-def]
                                              tmp_path) -> None:
    kept = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                    name="cv.pdf", data=_pdf(1))
    events = AuditEvent.objects.count()
    _unreachable(store_kind, settings, tmp_path)
    client = client_for(applicant)
    page = client.post(f"/applications/{draft.pk}/upload/",
                       {"kind": "cv", "files": [SimpleUploadedFile("cv3.pdf", _pdf(3))]})
    assert page.status_code == 503 and page["Retry-After"]
    assert "nothing was done" in page.content.decode()
    api = client.get(f"/applications/{draft.pk}/documents/{kept.pk}/")
    assert api.status_code == 503
    assert list(Document.objects.values_list("pk", flat=True)) == [kept.pk]
    assert AuditEvent.objects.filter(action="document.upload").count() == 1
    assert AuditEvent.objects.count() == events


# --- audit checkpoints, one object each, readable by every node -------------------------

@pytest.fixture
def checkpoints_in_store(store_kind, settings) -> str:  # type: ignore[no-untyped-def]
    settings.AUDIT_CHECKPOINTS = "store"
    return str(store_kind)


def _checkpoint_names() -> list[str]:
    return filestore.names(filestore.records(), audit_checkpoints.STORE_PREFIX)


def test_checkpoints_are_objects_in_the_store_never_overwritten(
        checkpoints_in_store, applicant, officer) -> None:  # type: ignore[no-untyped-def]
    under_review(applicant, officer)
    first = audit.chain_pending(checkpoint=True).checkpoint
    assert first is not None and first.witnessed
    assert audit.chain_pending(checkpoint=True).checkpoint is None  # the same head: kept
    under_review(applicant, officer)
    last = audit.chain_pending(checkpoint=True).checkpoint
    assert last is not None and last.sequence > first.sequence
    names = _checkpoint_names()
    assert len(names) == 2 and names[0].split("/")[-1].startswith(f"{first.sequence:012d}-")
    stored = json.loads(filestore.read(filestore.records(), names[-1]))
    assert stored["sequence"] == last.sequence and stored["cosignature"]
    report = audit.verify_chain()
    assert report.ok and report.checkpoints == 2, report.problem
    verify = CliRunner().invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_a_deleted_or_altered_checkpoint_object_is_caught(
        checkpoints_in_store, applicant, officer) -> None:  # type: ignore[no-untyped-def]
    under_review(applicant, officer)
    audit.chain_pending(checkpoint=True)
    under_review(applicant, officer)
    audit.chain_pending(checkpoint=True)
    _first, last = _checkpoint_names()
    record = json.loads(filestore.read(filestore.records(), last))
    filestore.delete(filestore.records(), last)
    report = audit.verify_chain()
    assert not report.ok and "lacks 1 checkpoint(s) the witness co-signed" in report.problem
    record["hash"] = "0" * 64
    filestore.put_once(filestore.records(), last, json.dumps(record).encode())
    report = audit.verify_chain()
    assert not report.ok and "signature" in report.problem, report.problem
