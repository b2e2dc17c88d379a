"""The issued card as files and seal: photo checked, face rendered, seal verifiable offline,
renewal and replacement keeping the number and the history."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from PIL import Image

from kvisa.accounts.models import Role, User
from kvisa.casework import services, uploads
from kvisa.casework.errors import InvalidInput, NotAllowed
from kvisa.casework.models import Application, State
from kvisa.documents import evisa, resident_id
from kvisa.issuance import card as card_issuance
from kvisa.issuance.models import ResidentCard
from tests.support.files import attach_required_documents, photo
from tests.support.people import client_for, make_user
from tests.support.profiles import PR_ANSWERS

PR = "cn.permanent_residence"
PROFILE = {"date_of_birth": "1985-07-01", "nationality": "DEU", "no_criminal_record": True,
           "good_health": True}
IDENTITY = {"surname": "MUELLER", "given_names": "ANNA MARIA", "sex": "F",
            "passport_number": "C01X00T47", "chinese_name": "穆安娜",
            "old_card_number": "DEU110085070112", "route": "employment", **PR_ANSWERS}


def under_review(photo: bytes | None = None) -> tuple[Application, User, User]:
    applicant, officer = make_user(Role.APPLICANT), make_user(Role.OFFICER)
    application = services.application_create(applicant=applicant, programme=PR)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity=IDENTITY)
    if photo is not None:
        services.document_upload(application_id=application.pk, by=applicant, kind="photo",
                                 name="me.jpg", data=photo)
    attach_required_documents(application.pk)
    services.application_submit(application_id=application.pk, by=applicant, client_txn_id="s")
    services.application_assign(application_id=application.pk, by=officer, client_txn_id="a")
    return application, applicant, officer


def issued() -> tuple[Application, User, User, ResidentCard]:
    application, applicant, officer = under_review(photo())
    services.application_approve(application_id=application.pk, by=officer, client_txn_id="ok")
    return application, applicant, officer, ResidentCard.objects.get(application=application)


def test_the_card_has_faces_a_pdf_and_a_seal_that_verifies() -> None:
    application, applicant, _officer, card = issued()
    front = Image.open(io.BytesIO(uploads.read(card.front_sha256)))
    assert front.size == (1011, 638)  # 85.6 × 54 mm at 300 dpi
    pdf = uploads.read(card.pdf_sha256)
    assert pdf.startswith(b"%PDF-")
    assert evisa.find_seal(pdf).hex() == card.seal_hex  # the seal is readable off the print

    page = client_for(applicant).get(f"/applications/{application.pk}/").content.decode()
    assert card.number in page and 'data-testid="card-issued"' in page
    client = client_for(applicant)
    picture = client.get(f"/applications/{application.pk}/cards/{card.pk}/front/")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    download = client.get(f"/applications/{application.pk}/cards/{card.pk}/pdf/")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    answer = Client().post("/verify", {"seal": card.seal_hex}).content.decode()
    assert "Valid permanent resident card for" in answer and card.number in answer
    assert "穆安娜" in answer and "DEU110085070112" in answer

    tampered = bytearray(bytes.fromhex(card.seal_hex))
    tampered[30] ^= 0x01
    answer = Client().post("/verify", {"seal": tampered.hex()}).content.decode()
    assert "Not valid" in answer and "Valid permanent resident card" not in answer


def test_kvisa_vds_verify_checks_the_card_offline(kvisa_cli: Any, tmp_path: Path) -> None:
    _application, _applicant, _officer, card = issued()
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(uploads.read(card.pdf_sha256))
    run = kvisa_cli("vds", "verify", str(pdf), "--cert", settings.SIGNER_CERT, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["status"] == "valid"
    assert result["features"]["card_number"] == card.number
    assert result["features"]["valid_until"] == card.valid_until.isoformat()
    expired = kvisa_cli("vds", "verify", str(pdf), "--cert", settings.SIGNER_CERT,
                        "--on", "2099-01-01", timeout=120)
    assert expired.returncode != 0 and "expired" in expired.stdout + expired.stderr


def test_without_a_photo_nothing_is_issued_and_the_case_stays() -> None:
    application, _applicant, officer = under_review(photo=None)
    # submission needs a photo now; one lost afterwards (purged, say) must still stop issue
    application.documents.filter(kind="photo").delete()
    with pytest.raises(InvalidInput, match="photo"):
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="ok")
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert not ResidentCard.objects.exists()


@pytest.mark.parametrize(("data", "why"), [
    (photo(100, 130), "at least 240"),
    (photo(480, 360), "upright"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "not a PDF|damaged"),
])
def test_a_photo_that_is_not_a_photo_is_refused(data: bytes, why: str) -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant, programme=PR)
    with pytest.raises(InvalidInput, match=why):
        services.document_upload(application_id=application.pk, by=applicant, kind="photo",
                                 name="x", data=data)
    assert not application.documents.exists()


def test_a_blank_image_is_not_a_photo() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant, programme=PR)
    blank = io.BytesIO()
    Image.new("RGB", (300, 400), (255, 255, 255)).save(blank, "PNG")
    with pytest.raises(InvalidInput, match="blank"):
        services.document_upload(application_id=application.pk, by=applicant, kind="photo",
                                 name="x.png", data=blank.getvalue())


def test_replacement_and_renewal_keep_the_number_and_the_history() -> None:
    application, _applicant, officer, first = issued()
    ResidentCard.objects.filter(pk=first.pk).update(
        issued_at=timezone.now() - dt.timedelta(days=400))
    lost = card_issuance.card_reissue(card_id=first.pk, by=officer, reason="lost",
                                      note="Holder reported it lost on the metro.")
    first.refresh_from_db()
    assert lost.number == first.number and lost.replaces == first
    assert first.superseded_at is not None and lost.valid_until == first.valid_until
    assert resident_id.parse(lost.number).valid
    with pytest.raises(NotAllowed, match="already been replaced"):
        card_issuance.card_reissue(card_id=first.pk, by=make_user(Role.SUPERVISOR),
                                   reason="damaged", note="Holder says it is cracked.")
    with pytest.raises(NotAllowed, match="replaced only by a supervisor"):
        card_issuance.card_reissue(card_id=lost.pk, by=officer, reason="renewal",
                                   note="Asked again the same day.")
    renewed = card_issuance.card_reissue(card_id=lost.pk, by=make_user(Role.SUPERVISOR),
                                         reason="renewal", note="Renewal asked at the desk.")
    assert renewed.number == first.number and renewed.replaces == lost
    assert [c.reason for c in card_issuance.card_history(application)] == [
        "renewal", "lost", "first"]
    assert ResidentCard.objects.filter(superseded_at__isnull=True).count() == 1
    case = client_for(officer).get(f"/console/cases/{application.pk}/").content.decode()
    assert case.count(first.number) >= 3 and "superseded" in case


def test_a_card_is_found_by_its_new_and_its_old_number(settings: Any) -> None:
    application, _applicant, officer, card = issued()
    client = client_for(officer)
    for number in (card.number, "deu110085070112"):
        answer = client.get("/console/", {"card": number})
        assert answer.status_code == 302 and answer["Location"] == \
            f"/console/cases/{application.pk}/"
    missing = client.get("/console/", {"card": "911111199001010011"})
    assert "No card has the number" in missing.content.decode()


def test_a_stranger_cannot_download_a_card() -> None:
    application, _applicant, _officer, card = issued()
    stranger = client_for(make_user(Role.APPLICANT))
    assert stranger.get(f"/applications/{application.pk}/cards/{card.pk}/pdf/"
                        ).status_code == 404


def test_a_card_number_collision_issues_nothing_and_the_case_stays(settings: Any) -> None:
    """A number already on a card (say, loaded from an older system) is never issued twice."""
    settings.OFFICE_PROVINCE_CODE = "11"
    application, _applicant, officer = under_review(photo())
    taken = resident_id.generate(province_code="11", nationality="DEU",
                                 birth_date="1985-07-01", sex="F", sequence=0)
    other = services.application_create(applicant=make_user(Role.APPLICANT),
                                        programme=PR)
    ResidentCard.objects.create(application=other, number=taken, prefix=taken[:14], sex="F",
                                sequence=0, valid_from=dt.date(2024, 1, 1),
                                valid_until=dt.date(2034, 1, 1))
    with pytest.raises(InvalidInput, match="already taken"):
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="ok")
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert ResidentCard.objects.filter(application=application).count() == 0
