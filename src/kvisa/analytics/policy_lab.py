"""The policy lab: what-if runs over a whole population, as background jobs.

An analyst picks a population (generated from kvisa's cited calibration, or
an uploaded CSV/Parquet file of profile columns) and a scenario (parameters
from the catalogue with new values).  Everything that can be wrong is checked
when the run is asked for — unknown parameter, value of the wrong type, a file
with unknown or mistyped columns — so a queued run has only the work left.
The job runs through Django's task framework (the django-tasks backport with
its database backend, on SQLite or PostgreSQL), started by ``kvisa worker``;
``kvisa demo`` starts one.  A failed job records its error and removes its
output folder: nothing half-written stays.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kvisa.accounts.models import User
from kvisa.audit import log as audit
from kvisa.casework.errors import InvalidInput, NotFound
from kvisa.casework.models import PolicyRun
from kvisa.casework.policy import Permission, decide, may, require
from kvisa.paths import data_dir
from kvisa.population.engines import parquet_schema
from kvisa.population.validate import check_columns
from kvisa.rules import RulesError, scenario_from_dict
from kvisa.rules.scenario import Scenario

MAX_GENERATED = 5_000_000
MAX_UPLOAD = 200 * 1024 * 1024
# An uploaded population is held to the generated populations' cap, read from
# its metadata (the Parquet footer, a bounded CSV header) before it is accepted:
# bytes alone say little (32 KB of Parquet can hold 20 million rows).
MAX_ROWS = MAX_GENERATED
MAX_COLUMNS = 500
MAX_CSV_HEADER_BYTES = 64 * 1024
# Runs one person may have waiting or running at a time: the worker is shared.
MAX_OPEN_RUNS_PER_USER = 2


def runs_visible_to(user: User) -> QuerySet[PolicyRun]:
    """The runs ``user`` may list and open (the policy's ``policy_run.see``, as a query)."""
    runs = PolicyRun.objects.order_by("-pk")
    if not may(user, Permission.USE_ANALYTICS):
        return runs.none()
    return runs if may(user, Permission.SEE_EVERY_POLICY_RUN) else runs.filter(created_by=user)


def policy_run_get(*, user: User, pk: int) -> PolicyRun:
    """The run, or NotFound for one that does not exist or that ``user`` may not see."""
    run = PolicyRun.objects.filter(pk=pk).first()
    if run is None or not decide(user, Permission.SEE_POLICY_RUN, run):
        raise NotFound("No such run.")
    return run


def folder(run: PolicyRun) -> Path:
    return data_dir() / "policy-lab" / str(run.pk)


def scenario_of(run: PolicyRun) -> Scenario:
    return scenario_from_dict({"name": run.name, "parameters": run.overrides})


def policy_run_create(*, by: User, name: str, overrides: dict[str, Any], programmes: list[str],
                      on: dt.date, generate: int | None = None, seed: int = 7,
                      upload: tuple[str, bytes] | None = None, request_id: str = "") -> PolicyRun:
    """Check the scenario and population now, then queue the run (audited)."""
    require(by, Permission.USE_ANALYTICS)
    if not overrides:
        raise InvalidInput(_("Choose at least one parameter to change."))
    try:
        scenario_from_dict({"name": name or "what-if", "parameters": overrides})
    except RulesError as exc:
        raise InvalidInput(str(exc)) from None
    if (generate is None) == (upload is None):
        raise InvalidInput(_("Generate a population or upload one (not both)."))
    if generate is not None and not 1 <= generate <= MAX_GENERATED:
        raise InvalidInput(_("Generate between 1 and %(most)s profiles.")
                           % {"most": f"{MAX_GENERATED:,}"})
    with transaction.atomic():
        # counted under a lock on the person's row, so two quick submits cannot both pass
        User.objects.select_for_update().filter(pk=by.pk).first()
        open_runs = PolicyRun.objects.filter(
            created_by=by, status__in=(PolicyRun.QUEUED, PolicyRun.RUNNING)).count()
        if open_runs >= MAX_OPEN_RUNS_PER_USER:
            raise InvalidInput(_("You already have %(n)d runs waiting or running; ask for "
                                 "another when one has finished.") % {"n": open_runs})
        run = PolicyRun.objects.create(
            created_by=by, name=name or "what-if", overrides=overrides, programmes=programmes,
            on=on, population=f"generated:{generate}:{seed}" if generate else "")
        if upload is not None:
            run.population = _store_upload(run, *upload)
            run.save(update_fields=["population"])
        audit.record(actor=by.email, action="policy_run.create", object_type="policy_run",
                     object_id=run.pk, after={"name": run.name, "overrides": overrides,
                                              "population": run.population},
                     request_id=request_id)
        transaction.on_commit(lambda: run_policy.enqueue(run.pk))
    return run


def _store_upload(run: PolicyRun, name: str, data: bytes) -> str:
    """Keep an uploaded population beside the run, refusing unusable files now."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InvalidInput(_("The population must be a .csv or .parquet file."))
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(_("The population file is larger than 200 MB."))
    target = folder(run)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"population{suffix}"
    path.write_bytes(data)
    try:
        if suffix == ".parquet":
            rows = _parquet_shape(path)
            check_columns(parquet_schema(path), ("id",))
        else:
            rows = _csv_shape(data)
            check_columns(_csv_header_schema(data), ("id",))
        if rows > MAX_ROWS:
            raise InvalidInput(_("The population has %(rows)s rows; at most %(most)s are "
                                 "accepted.") % {"rows": f"{rows:,}", "most": f"{MAX_ROWS:,}"})
    except InvalidInput:
        shutil.rmtree(target, ignore_errors=True)
        raise
    except Exception as exc:  # any unreadable file: one clear reason
        shutil.rmtree(target, ignore_errors=True)
        message = str(exc).replace(str(path), name)[:300]
        raise InvalidInput(_("The population file cannot be used: %(why)s")
                           % {"why": message}) from None
    return path.name


def _too_many_columns(columns: int) -> InvalidInput:
    return InvalidInput(_("The population has %(n)s columns; at most %(most)d are accepted.")
                        % {"n": f"{columns:,}", "most": MAX_COLUMNS})


def _parquet_shape(path: Path) -> int:
    """Rows in a Parquet file, from its footer alone; refuses too many columns first."""
    import pyarrow.parquet as pq

    metadata = pq.read_metadata(path)
    if metadata.num_columns > MAX_COLUMNS:
        raise _too_many_columns(metadata.num_columns)
    return int(metadata.num_rows)


def _csv_header(data: bytes) -> bytes:
    end = data.find(b"\n", 0, MAX_CSV_HEADER_BYTES)
    if end < 0 and len(data) > MAX_CSV_HEADER_BYTES:
        raise InvalidInput(_("The CSV header (first line) is longer than %(kb)d KB.")
                           % {"kb": MAX_CSV_HEADER_BYTES // 1024})
    return data if end < 0 else data[:end]


def _csv_shape(data: bytes) -> int:
    """Data rows in a CSV file (lines after the header), its header checked for width first."""
    header = _csv_header(data)
    if header.count(b",") + 1 > MAX_COLUMNS:
        raise _too_many_columns(header.count(b",") + 1)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(0, lines - 1)


def _csv_header_schema(data: bytes) -> Any:
    import polars as pl

    return pl.read_csv(_csv_header(data) + b"\n", n_rows=0, infer_schema=False).schema


@task()
def run_policy(run_id: int) -> None:
    """The background job: generate or read the population, compare, keep the summary."""
    from kvisa.population.calibration import load
    from kvisa.population.scenario_run import run
    from kvisa.population.synthetic import population

    job = PolicyRun.objects.get(pk=run_id)
    PolicyRun.objects.filter(pk=run_id).update(status=PolicyRun.RUNNING,
                                               started_at=timezone.now())
    target = folder(job)
    last = [0.0]

    def moved(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 0.5 or done == total:
            last[0] = time.monotonic()
            PolicyRun.objects.filter(pk=run_id).update(done_rows=done, total_rows=total)

    try:
        target.mkdir(parents=True, exist_ok=True)
        if job.population.startswith("generated:"):
            _kind, rows, seed = job.population.split(":")
            source = target / "population.parquet"
            population(int(rows), seed=int(seed), calibration=load()).write_parquet(
                source, row_group_size=250_000)
        else:
            source = target / job.population
        result = run(source, scenario_of(job), target / "result", on=job.on,
                     programmes=job.programmes or None, progress=moved)
    except Exception as exc:  # the page shows why; nothing half-written stays
        shutil.rmtree(target / "result", ignore_errors=True)
        PolicyRun.objects.filter(pk=run_id).update(
            status=PolicyRun.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return
    PolicyRun.objects.filter(pk=run_id).update(
        status=PolicyRun.DONE, summary=result.summary, finished_at=timezone.now(),
        done_rows=result.rows + result.bad_rows, total_rows=result.rows + result.bad_rows)
