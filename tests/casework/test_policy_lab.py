"""The policy lab: a what-if run asked for on the page, checked before it is queued, run
by the database-backed worker, read back with its changed people; a failed run says why
and keeps nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from kvisa import filestore
from kvisa.accounts.models import Role
from kvisa.analytics import policy_lab
from kvisa.audit.models import AuditEvent
from kvisa.casework.models import PolicyRun
from kvisa.population.synthetic import population
from tests.support.people import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)  # the job is queued on commit


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def _ask(client, **fields):  # type: ignore[no-untyped-def]
    form = {"name": "age 40", "parameter-0": "cn.k_visa.max_age", "value-0": "40",
            "generate": "3000", "seed": "5", "on": "2026-11-27", "programme": "", **fields}
    return client.post("/policy-lab/", form)


def test_a_run_is_queued_worked_and_read_with_its_changed_people() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    page = analyst.get("/policy-lab/").content.decode()
    assert "cn.k_visa.max_age" in page and 'data-testid="catalogue"' in page
    asked = _ask(analyst)
    assert asked.status_code == 302
    run = PolicyRun.objects.get()
    assert run.status == PolicyRun.QUEUED and run.overrides == {"cn.k_visa.max_age": 40}
    assert AuditEvent.objects.filter(action="policy_run.create").count() == 1
    waiting = analyst.get(asked["Location"]).content.decode()
    assert 'data-status="queued"' in waiting and 'hx-trigger="every 2s"' in waiting
    _work()
    run.refresh_from_db()
    assert run.status == PolicyRun.DONE and run.done_rows == run.total_rows == 3000
    lost = run.summary["changed"]["cn.k_visa"]["lost"]
    assert lost > 0 and run.summary["changed"]["us.h1b"]["total"] == 0
    done = analyst.get(asked["Location"]).content.decode()
    assert 'data-status="done"' in done and "every 2s" not in done
    assert 'data-testid="changes"' in done and "<svg" in done
    # the criterion that changed, in words, with the scenario's value in it
    changes = done.split('data-testid="changes"')[1].split("</table>")[0]
    assert "Aged 40 or under" in changes and "cn.k_visa.age_max" not in changes
    # every change accounted for on the programme's line, and who changed, in words
    changed = run.summary["changed"]["cn.k_visa"]
    line = done.split('data-programme="cn.k_visa"')[1].split("</tr>")[0]
    between = changed["total"] - changed["gained"] - changed["lost"]
    assert f'data-testid="between">{between:,}<' in line and f">{changed['total']:,}<" in line
    who = done.split('data-testid="who-changed"')[1].split("</section>")[0]
    assert "Age on the day:" in who and "30-45" in who and "Nationality:" in who
    assert "(IND)" in who or "(CHN)" in who  # countries by name, beside their code
    chart = done.split("<svg")[1].split("</svg>")[0]
    assert "K visa" in chart and "age 40" in chart and "cn.k_visa" not in chart  # names, not ids
    second = analyst.get(asked["Location"] + "?page=2").content.decode()
    assert "Page 2 of" in second
    csv = pl.read_csv(io.BytesIO(b"".join(analyst.get(
        f"/policy-lab/runs/{run.pk}/changes.csv").streaming_content)))
    assert csv.filter(pl.col("programme") == "cn.k_visa").height == run.summary["changed"][
        "cn.k_visa"]["total"]
    summary = json.loads(b"".join(analyst.get(
        f"/policy-lab/runs/{run.pk}/summary.json").streaming_content))
    assert summary["changed"] == run.summary["changed"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"parameter-0": "cn.k_visa.nothing"}, "cn.k_visa.nothing"),
    ({"value-0": "old"}, "max_age"),
    ({"parameter-0": "", "value-0": ""}, "Choose at least one parameter"),
    ({"generate": "0"}, "Generate between 1 and"),
    ({"on": "27/11/2026"}, "Enter a date"),
])
def test_a_run_that_cannot_work_is_refused_before_it_is_queued(fields, message) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for(make_user(Role.ANALYST))
    answer = _ask(analyst, **fields)
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not PolicyRun.objects.exists()


def test_a_refused_form_keeps_every_choice_and_more_rows_are_read() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    refused = _ask(analyst, **{"parameter-7": "cn.k_visa.min_age", "value-7": "20",
                               "programme": "cn.k_visa", "on": "not a date"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert '<option value="cn.k_visa.max_age" selected>' in page
    assert 'name="value-0" value="40"' in page
    assert '<option value="cn.k_visa.min_age" selected>' in page and "<details open>" in page
    assert '<option value="cn.k_visa" selected>' in page
    assert _ask(analyst, **{"parameter-7": "cn.k_visa.min_age", "value-7": "20"}).status_code \
        == 302
    assert PolicyRun.objects.get().overrides == {"cn.k_visa.max_age": 40, "cn.k_visa.min_age": 20}


def test_an_uploaded_population_with_an_unknown_column_is_refused() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    bad = SimpleUploadedFile("people.csv", b"surname,date_of_birth\nSHARMA,1990-01-01\n")
    answer = _ask(analyst, generate="", population=bad)
    assert answer.status_code == 400 and "surname: unknown column" in answer.content.decode()
    assert not PolicyRun.objects.exists()


def test_a_failed_run_says_why_and_keeps_nothing() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    buffer = io.BytesIO()
    population(500, seed=2).write_parquet(buffer)
    upload = SimpleUploadedFile("pop.parquet", buffer.getvalue())
    asked = _ask(analyst, generate="", population=upload)
    assert asked.status_code == 302
    run = PolicyRun.objects.get()
    (policy_lab.folder(run) / "population.parquet").write_bytes(b"not parquet any more")
    _work()
    run.refresh_from_db()
    assert run.status == PolicyRun.FAILED and "not a readable Parquet file" in run.error
    page = analyst.get(asked["Location"]).content.decode()
    assert 'data-testid="run-error"' in page and "Nothing of it was kept" in page
    assert not [p.name for p in policy_lab.folder(run).iterdir()
                if p.name.startswith(("result", "work"))]
    assert not filestore.names(filestore.records(), f"policy-lab/{run.pk}/try-1")
    assert analyst.get(f"/policy-lab/runs/{run.pk}/changes.csv").status_code == 404


def test_another_node_shows_the_results_from_the_store() -> None:
    """The node showing a run need not be the one whose worker ran it: the outputs are
    read from the records store (here its working folder is gone, as on another node)."""
    analyst = client_for(make_user(Role.ANALYST))
    buffer = io.BytesIO()
    population(800, seed=3).write_parquet(buffer)
    asked = _ask(analyst, generate="", population=SimpleUploadedFile("pop.parquet",
                                                                     buffer.getvalue()))
    run = PolicyRun.objects.get()
    shutil.rmtree(policy_lab.folder(run))  # the worker's node is not the one that took it
    _work()
    run.refresh_from_db()
    assert run.status == PolicyRun.DONE and run.attempt == 1
    here = analyst.get(asked["Location"]).content.decode()
    shutil.rmtree(policy_lab.folder(run))  # and the page is shown by yet another node
    elsewhere = analyst.get(asked["Location"]).content.decode()
    assert 'data-testid="changes"' in elsewhere
    assert here.split('data-testid="changes"')[1] == elsewhere.split('data-testid="changes"')[1]
    summary = analyst.get(f"/policy-lab/runs/{run.pk}/summary.json")
    assert json.loads(b"".join(summary.streaming_content))["changed"] == run.summary["changed"]


def _stall(run: PolicyRun, attempt: int) -> None:
    """As a worker that claimed try ``attempt`` and died: running, silent for long."""
    PolicyRun.objects.filter(pk=run.pk).update(
        status=PolicyRun.RUNNING, attempt=attempt,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=policy_lab.STALLED_SECONDS + 1))


def test_a_run_whose_worker_died_is_taken_up_again_then_failed_with_why() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    _ask(analyst, generate="400")
    run = PolicyRun.objects.get()
    _stall(run, 1)
    assert policy_lab.recover_stalled() == [(run.pk, "queued")]
    run.refresh_from_db()
    assert run.status == PolicyRun.QUEUED
    _work()  # the first try's job, still queued, finds its try taken and does nothing
    run.refresh_from_db()
    assert run.status == PolicyRun.DONE and run.attempt == 2 and run.heartbeat_at
    # a late write from the dead first try changes nothing
    policy_lab.run_policy.call(run.pk, 1)
    assert PolicyRun.objects.get(pk=run.pk).attempt == 2
    _stall(run, policy_lab.MAX_ATTEMPTS)
    assert policy_lab.recover_stalled() == [(run.pk, "failed")]
    run.refresh_from_db()
    assert run.status == PolicyRun.FAILED and "stopped answering" in run.error


def test_only_analysts_supervisors_and_admins_use_the_lab() -> None:
    for role in (Role.APPLICANT, Role.OFFICER):
        assert client_for(make_user(role)).get("/policy-lab/").status_code == 404
    assert client_for(make_user(Role.SUPERVISOR)).get("/policy-lab/").status_code == 200
