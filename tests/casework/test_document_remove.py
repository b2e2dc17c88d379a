"""An upload can be removed (and so replaced) before submission, never after."""

from __future__ import annotations

import pytest

from kvisa.accounts.models import Role
from kvisa.audit.models import AuditEvent
from kvisa.casework import services, uploads
from kvisa.casework.errors import NotAllowed
from kvisa.casework.models import Document
from tests.support.cases import IDENTITY, PROFILE
from tests.support.files import attach_required_documents, png
from tests.support.people import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)



def test_remove_before_submission_and_not_after() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity=IDENTITY)
    wrong = services.document_upload(application_id=application.pk, by=applicant,
                                     kind="degree_certificate", name="wrong.png",
                                     data=png(colour=(200, 10, 10)))
    client = client_for(applicant)
    page = client.get(f"/applications/{application.pk}/edit/documents/").content.decode()
    assert f"/documents/{wrong.pk}/remove/" in page
    answer = client.post(f"/applications/{application.pk}/documents/{wrong.pk}/remove/",
                         follow=True)
    assert "The document is removed" in answer.content.decode()
    assert not Document.objects.filter(pk=wrong.pk).exists()
    assert not uploads.exists(wrong.sha256)
    assert AuditEvent.objects.filter(action="document.remove",
                                     object_id=str(application.pk)).exists()

    right = services.document_upload(application_id=application.pk, by=applicant,
                                     kind="degree_certificate", name="right.png",
                                     data=png(colour=(10, 200, 10)))
    attach_required_documents(application.pk)
    services.application_submit(application_id=application.pk, by=applicant,
                                client_txn_id="s")
    with pytest.raises(NotAllowed, match="before the application is submitted"):
        services.document_remove(application_id=application.pk, document_id=right.pk,
                                 by=applicant)
    assert Document.objects.filter(pk=right.pk).exists()


def test_a_stranger_cannot_remove_a_document() -> None:
    applicant = make_user(Role.APPLICANT)
    application = services.application_create(applicant=applicant)
    document = services.document_upload(application_id=application.pk, by=applicant,
                                        kind="cv", name="cv.png", data=png(colour=(1, 2, 3)))
    stranger = client_for(make_user(Role.APPLICANT))
    answer = stranger.post(f"/applications/{application.pk}/documents/{document.pk}/remove/")
    assert answer.status_code == 404 and Document.objects.filter(pk=document.pk).exists()
