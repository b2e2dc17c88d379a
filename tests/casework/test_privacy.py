"""Retention and minimisation: personal data leaves when its period ends; analysts get
pseudonymised rows only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from kvisa.accounts.models import Role
from kvisa.audit import log as audit
from kvisa.audit.models import AuditEvent
from kvisa.casework import privacy, services, uploads
from kvisa.casework.models import Application
from kvisa.cli import app
from kvisa.issuance.models import Visa
from tests.support.cases import IDENTITY, PROFILE, submitted, under_review
from tests.support.files import attach_required_documents
from tests.support.people import make_user

from .test_uploads import _pdf


def _refused_long_ago(applicant, officer) -> Application:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    services.application_refuse(application_id=application.pk, by=officer,
                                reasons=[], note="Documents not genuine.",
                                client_txn_id="r")
    Application.objects.filter(pk=application.pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    return Application.objects.get(pk=application.pk)


def test_a_closed_case_past_retention_loses_its_personal_data(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    draft = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=draft.pk, by=applicant, profile=PROFILE,
                                    identity=IDENTITY)
    document = services.document_upload(application_id=draft.pk, by=applicant, kind="cv",
                                        name="cv-priya-sharma.pdf", data=_pdf(1))
    attach_required_documents(draft.pk)
    services.application_submit(application_id=draft.pk, by=applicant, client_txn_id="s")
    services.application_assign(application_id=draft.pk, by=officer, client_txn_id="a")
    services.application_refuse(application_id=draft.pk, by=officer, reasons=[], note="no",
                                client_txn_id="r")
    recent = submitted(make_user(Role.APPLICANT))
    Application.objects.filter(pk=draft.pk).update(
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert uploads.exists(document.sha256)
    mine = set(draft.documents.values_list("sha256", flat=True))
    kept = set(recent.documents.values_list("sha256", flat=True))
    count = draft.documents.count()

    report = privacy.purge(dt.date(2026, 6, 1))
    assert (report.cases, report.documents_deleted, report.files_deleted) == (
        1, count, len(mine - kept))
    assert not uploads.exists(document.sha256)
    assert all(uploads.exists(sha) for sha in kept)
    purged = Application.objects.get(pk=draft.pk)
    assert purged.identity == {} and purged.profile == {} and purged.purged_at is not None
    assert purged.nationality == "IND"                 # statistics keep the country
    assert purged.state == "refused" and purged.actions.count() == 3  # the record stays
    assert not uploads.exists(document.sha256)
    assert {d.original_name for d in purged.documents.all()} == {""}
    event = AuditEvent.objects.get(action="application.purge")
    assert "identity" not in str(event.after) and "surname" in event.after["cleared"]
    assert Application.objects.get(pk=recent.pk).identity != {}   # not yet due
    assert privacy.purge(dt.date(2026, 6, 1)).cases == 0           # once only
    audit.chain_pending()
    assert audit.verify_chain().ok


def test_an_issued_visa_is_kept_until_two_years_after_it_ends(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    services.application_approve(application_id=application.pk, by=officer,
                                 client_txn_id="ok")
    visa = Visa.objects.get(application=application)
    assert uploads.exists(visa.pdf_sha256)
    assert privacy.purge(visa.valid_until + dt.timedelta(days=365)).cases == 0
    assert privacy.purge(visa.valid_until + dt.timedelta(days=2 * 365 + 1)).cases == 1
    visa.refresh_from_db()
    assert visa.mrz == [] and visa.seal_hex == "" and visa.number  # the number stays
    assert not uploads.exists(visa.pdf_sha256)


def test_purge_from_the_command_line(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    _refused_long_ago(applicant, officer)
    dry = CliRunner().invoke(app, ["data", "purge", "--on", "2026-06-01", "--dry-run"])
    assert dry.exit_code == 0 and "1 case(s) due" in dry.stdout
    done = CliRunner().invoke(app, ["data", "purge", "--on", "2026-06-01"])
    assert done.exit_code == 0 and "1 case(s) purged" in done.stdout
    bad = CliRunner().invoke(app, ["data", "purge", "--on", "yesterday"])
    assert bad.exit_code == 2


def test_analysts_get_pseudonymised_rows_only(applicant, officer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    application = _refused_long_ago(applicant, officer)
    result = CliRunner().invoke(app, ["data", "extract", "-o", str(tmp_path / "x.parquet")])
    assert result.exit_code == 0, result.output
    frame = pl.read_parquet(tmp_path / "x.parquet")
    assert frame.columns == list(privacy.PSEUDONYMISED_COLUMNS)
    row = frame.row(0, named=True)
    assert row["nationality"] == "IND" and row["outcome"] == "refuse"
    text = frame.write_csv()
    for secret in ("SHARMA", "PRIYA", "Z1234567", "1996-05-14", application.reference or "KV"):
        assert secret not in text, secret
    assert str(application.pk) not in frame["case"].to_list()  # a keyed pseudonym, not the id
