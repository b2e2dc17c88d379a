"""The case workflow through its services: transitions, idempotency, conflicts, issuance."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from kvisa.accounts.models import AdviserLink, Role
from kvisa.audit.log import verify_chain
from kvisa.audit.models import AuditEvent
from kvisa.casework import services
from kvisa.casework.errors import Conflict, Forbidden, InvalidInput, NotAllowed, NotFound
from kvisa.casework.models import Action, Application, State
from kvisa.documents.signer import read_certificate
from kvisa.documents.verify import verify
from kvisa.issuance.models import Visa
from tests.support.cases import IDENTITY, PROFILE, submitted, under_review
from tests.support.files import attach_required_documents
from tests.support.people import make_user


def test_the_whole_journey_issues_a_verifying_e_visa(applicant, officer, settings) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    assert application.state == State.SUBMITTED and application.precheck == "eligible"
    services.application_assign(application_id=application.pk, by=officer, client_txn_id="a1")
    services.application_request_evidence(
        application_id=application.pk, by=officer, message="Degree certificate, please",
        due_date=dt.date.today() + dt.timedelta(days=7), client_txn_id="e1")
    services.application_answer_evidence(application_id=application.pk, by=applicant,
                                          answer="Uploaded", client_txn_id="ans1")
    final = services.application_approve(application_id=application.pk, by=officer,
                                         client_txn_id="ok1")
    assert final.state == State.ISSUED
    visa = Visa.objects.get(application=final)
    assert visa.number == f"K{final.pk:08d}" and visa.entries == 0 and visa.stay_days == 180
    assert (visa.valid_until - visa.valid_from).days in (1825, 1826)
    result = verify(bytes.fromhex(visa.seal_hex), [read_certificate(settings.SIGNER_CERT)])
    assert result.status == "valid", result.reason
    kinds = list(Action.objects.filter(application=final).values_list("kind", flat=True))
    assert kinds == ["submit", "assign", "request_evidence", "answer_evidence", "approve",
                     "issue"]
    assert verify_chain().ok


def test_a_retried_action_is_applied_once(applicant) -> None:  # type: ignore[no-untyped-def]
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile=PROFILE, identity=IDENTITY)
    for _ in range(3):
        attach_required_documents(application.pk)
        services.application_submit(application_id=application.pk, by=applicant,
                                    client_txn_id="same-click")
    assert Action.objects.filter(application=application, kind="submit").count() == 1
    with pytest.raises(Conflict):
        services.application_withdraw(application_id=application.pk, by=applicant,
                                      client_txn_id="same-click")


def test_transitions_outside_the_table_are_refused(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    with pytest.raises(NotAllowed):
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="x")
    with pytest.raises(NotAllowed):
        attach_required_documents(application.pk)
        services.application_submit(application_id=application.pk, by=applicant,
                                    client_txn_id="again")


def test_only_the_assigned_officer_decides(applicant, officer) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    other = make_user(Role.OFFICER)
    with pytest.raises(Forbidden, match="assigned"):
        services.application_approve(application_id=application.pk, by=other,
                                     client_txn_id="x")


def test_an_officer_cannot_act_on_their_own_application(officer) -> None:  # type: ignore[no-untyped-def]
    applicant_officer = make_user(Role.APPLICANT)
    application = submitted(applicant_officer)
    # an officer who is also the applicant (same person, same account id) cannot assign it
    application.applicant = officer
    application.save()
    with pytest.raises(Forbidden, match="own application"):
        services.application_assign(application_id=application.pk, by=officer,
                                    client_txn_id="self")


def test_other_applicants_get_not_found(applicant) -> None:  # type: ignore[no-untyped-def]
    application = submitted(applicant)
    stranger = make_user(Role.APPLICANT)
    with pytest.raises(NotFound):
        services.application_withdraw(application_id=application.pk, by=stranger,
                                      client_txn_id="w")


def test_an_adviser_acts_only_with_consent(applicant) -> None:  # type: ignore[no-untyped-def]
    adviser = make_user(Role.ADVISER)
    with pytest.raises(Forbidden):
        services.application_create(applicant=applicant, by=adviser)
    link = services.adviser_grant(applicant=applicant, adviser_email=adviser.email)
    application = services.application_create(applicant=applicant, by=adviser)
    services.adviser_revoke(applicant=applicant, link_id=link.pk)
    assert not AdviserLink.objects.filter(revoked_at__isnull=True).exists()
    with pytest.raises(NotFound):
        services.application_save_draft(application_id=application.pk, by=adviser,
                                        profile={}, identity={})


def test_submitting_needs_valid_facts(applicant) -> None:  # type: ignore[no-untyped-def]
    application = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=application.pk, by=applicant,
                                    profile={**PROFILE, "date_of_birth": "1996-02-30"},
                                    identity=IDENTITY)
    with pytest.raises(InvalidInput, match="real date") as caught:
        attach_required_documents(application.pk)
        services.application_submit(application_id=application.pk, by=applicant,
                                    client_txn_id="s")
    assert [p["field"] for p in caught.value.problems] == ["date_of_birth"]  # type: ignore[attr-defined]
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_refusal_reasons_and_supervisor_reversal(applicant, officer, supervisor) -> None:  # type: ignore[no-untyped-def]
    application = under_review(applicant, officer)
    with pytest.raises(InvalidInput):
        services.application_refuse(application_id=application.pk, by=officer, reasons=[],
                                    note=" ", client_txn_id="r0")
    with pytest.raises(InvalidInput, match="Unknown criterion"):
        services.application_refuse(application_id=application.pk, by=officer,
                                    reasons=["cn.k_visa.nope"], note="", client_txn_id="r1")
    with pytest.raises(InvalidInput, match="cannot be a reason"):  # met: no reason
        services.application_refuse(application_id=application.pk, by=officer,
                                    reasons=["cn.k_visa.stem_field"], note="",
                                    client_txn_id="r2a")
    services.application_refuse(application_id=application.pk, by=officer, reasons=[],
                                note="The degree certificate is forged.", client_txn_id="r2")
    with pytest.raises(Forbidden):  # no state lets an officer reverse (as the API said)
        services.application_reverse(application_id=application.pk, by=officer, note="x",
                                     client_txn_id="rv0")
    reopened = services.application_reverse(application_id=application.pk, by=supervisor,
                                            note="Reviewed", client_txn_id="rv1")
    assert reopened.state == State.UNDER_REVIEW


def test_a_failure_mid_transition_leaves_the_previous_state(applicant, officer, settings,  # type: ignore[no-untyped-def]
                                                           tmp_path) -> None:
    application = under_review(applicant, officer)
    events = AuditEvent.objects.count()
    settings.SIGNER_KEY = str(tmp_path / "missing.pem")
    from kvisa.issuance.common import _signer
    _signer.cache_clear()
    with pytest.raises(Exception):  # noqa: B017 — any failure inside issuance
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="ok")
    _signer.cache_clear()
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert not Visa.objects.filter(application=application).exists()
    assert AuditEvent.objects.count() == events
    assert not application.decisions.exists()


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_yield_one_decision() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    applicant = make_user(Role.APPLICANT)
    officer = make_user(Role.OFFICER)
    supervisor = make_user(Role.SUPERVISOR)
    application = under_review(applicant, officer)
    outcomes: list[Any] = []
    barrier = threading.Barrier(2)

    def decide(who: Any, action: str) -> None:
        barrier.wait()
        try:
            if action == "approve":
                services.application_approve(application_id=application.pk, by=who,
                                             client_txn_id=f"{action}-{who.pk}")
            else:
                services.application_refuse(application_id=application.pk, by=who,
                                            reasons=[], note="no", client_txn_id="refuse")
            outcomes.append(action)
        except (NotAllowed, Conflict) as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(officer, "approve")),
               threading.Thread(target=decide, args=(supervisor, "refuse"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    decided = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if not isinstance(o, str)]
    assert len(decided) == 1 and len(refused) == 1
    assert "not possible" in str(refused[0])
    assert application.decisions.count() == 1
    assert verify_chain().ok


def test_the_applicant_is_mailed_when_needed(applicant, officer,  # type: ignore[no-untyped-def]
                                             django_capture_on_commit_callbacks) -> None:
    from django.core import mail

    application = under_review(applicant, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_evidence(
            application_id=application.pk, by=officer, message="Translation please",
            due_date=dt.date.today() + dt.timedelta(days=7), client_txn_id="mail-e")
    assert mail.outbox[-1].to == [applicant.email]
    assert "Translation please" in mail.outbox[-1].body and "签证官要求" in mail.outbox[-1].body
    services.application_answer_evidence(application_id=application.pk, by=applicant,
                                          answer="done", client_txn_id="mail-a")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="mail-ok")
    assert "e-visa is issued" in mail.outbox[-1].subject


def test_no_mail_when_the_action_fails(applicant, officer,  # type: ignore[no-untyped-def]
                                       django_capture_on_commit_callbacks) -> None:
    from django.core import mail

    application = under_review(applicant, officer)
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        services.application_request_evidence(
            application_id=application.pk, by=officer, message="x",
            due_date=dt.date.today() - dt.timedelta(days=1), client_txn_id="mail-bad")
    assert len(mail.outbox) == before


def test_overdue_evidence_is_found_and_reminded(applicant, officer,  # type: ignore[no-untyped-def]
                                                django_capture_on_commit_callbacks) -> None:
    from django.core import mail
    from typer.testing import CliRunner

    from kvisa.casework.models import EvidenceRequest
    from kvisa.casework.selectors import QueueFilters, application_queue
    from kvisa.cli import app

    application = under_review(applicant, officer)
    services.application_request_evidence(
        application_id=application.pk, by=officer, message="Translation",
        due_date=dt.date.today() + dt.timedelta(days=5), client_txn_id="due")
    assert application_queue(officer=officer, filters=QueueFilters(overdue=True)).items == []
    EvidenceRequest.objects.update(due_date=dt.date.today() - dt.timedelta(days=1))
    overdue = application_queue(officer=officer, filters=QueueFilters(overdue=True)).items
    assert [a.pk for a in overdue] == [application.pk]
    with django_capture_on_commit_callbacks(execute=True):
        result = CliRunner().invoke(app, ["casework", "remind", "--within", "0"])
    assert result.exit_code == 0 and "reminded 1" in result.stdout
    assert any("evidence due" in m.subject for m in mail.outbox)
    assert verify_chain().ok


def test_issuance_reads_the_rules_outputs_and_refuses_without_one(applicant, officer,  # type: ignore[no-untyped-def]
                                                                  monkeypatch) -> None:
    """No guessed fallback: an output the rules cannot give refuses issuance, names
    it, and the case stays under review with nothing issued."""
    from dataclasses import replace

    from kvisa.casework import service_programmes

    application = under_review(applicant, officer)
    entry = service_programmes.BY_PROGRAMME["cn.k_visa"]
    monkeypatch.setitem(service_programmes.BY_PROGRAMME, "cn.k_visa", replace(
        entry, issue_outputs=(*entry.issue_outputs, "cn.k_visa.no_such_output")))
    with pytest.raises(InvalidInput, match=r"cn\.k_visa\.no_such_output"):
        services.application_approve(application_id=application.pk, by=officer,
                                     client_txn_id="approve-missing")
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    assert not Visa.objects.filter(application=application).exists()
    assert not Action.objects.filter(application=application, kind="approve").exists()
    monkeypatch.undo()
    issued = services.application_approve(application_id=application.pk, by=officer,
                                          client_txn_id="approve-ok")
    visa = Visa.objects.get(application=issued)
    assert (visa.stay_days, visa.entries) == (180, 0)  # from the K visa outputs
    assert (visa.valid_until - visa.valid_from).days in (5 * 365 - 1, 5 * 365)
