"""The policy lab: what-if runs over a whole population, as background jobs.

An analyst picks a population (generated from kvisa's cited calibration, or
an uploaded CSV/Parquet file of profile columns) and a scenario (parameters
from the catalogue with new values).  Everything that can be wrong is checked
when the run is asked for — unknown parameter, value of the wrong type, a file
with unknown or mistyped columns — so a queued run has only the work left.
The job runs through Django's task framework (the django-tasks backport with
its database backend, on SQLite or PostgreSQL), started by ``kvisa worker`` on
any node (the queue is in the database); ``kvisa demo`` starts one.  A failed
job records its error and removes its output folder: nothing half-written stays.

Several nodes: the uploaded population and the finished outputs live in the
"records" file store (``policy-lab/<run>/``), each try's outputs under its own
prefix, so a node that did not run the job shows the results (it copies them
to its local folder once).  A worker sends a heartbeat while it runs; a run
silent for :data:`STALLED_SECONDS` (its worker died) is queued again by any
worker, up to :data:`MAX_ATTEMPTS` tries, then failed with the reason — never
left "running" for ever.  A stale worker that wakes up cannot overwrite a
newer try's outcome: every write names the try it belongs to.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kvisa import filestore
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
# A running job writes a heartbeat this often; silent for STALLED_SECONDS, it is stalled.
HEARTBEAT_SECONDS = 5.0
STALLED_SECONDS = 60.0
MAX_ATTEMPTS = 3
log = logging.getLogger(__name__)


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
    """This node's working folder for the run (a cache of what the store holds)."""
    return data_dir() / "policy-lab" / str(run.pk)


def _store_prefix(run: PolicyRun) -> str:
    return f"policy-lab/{run.pk}"


def _result_prefix(run: PolicyRun) -> str:
    return f"{_store_prefix(run)}/try-{run.attempt}/result"


def result_folder(run: PolicyRun) -> Path:
    """The finished run's outputs on this node, copied from the store the first time.

    Why copy rather than read from the store: the pages read Parquet footers and
    parts at random (bounded memory per page), which a local file does well; the
    copy is made once per node and per try, into a temporary folder renamed into
    place, so a reader never sees half a copy.
    """
    local = folder(run) / f"result-{run.attempt}"
    if local.is_dir():
        return local
    if run.attempt == 0:  # a run finished before the store: its outputs stayed local
        return folder(run) / "result"
    prefix = _result_prefix(run)
    staging = folder(run) / f".result-{run.attempt}-{time.monotonic_ns()}"
    for name in filestore.names(filestore.records(), prefix):
        target = staging / name[len(prefix) + 1:]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(filestore.read(filestore.records(), name))
    staging.mkdir(parents=True, exist_ok=True)
    try:
        staging.rename(local)
    except OSError:  # another request copied it first
        shutil.rmtree(staging, ignore_errors=True)
    return local


def _publish(run: PolicyRun, result: Path) -> None:
    """Put every output file in the store under this try's prefix."""
    prefix = _result_prefix(run)
    for path in sorted(p for p in result.rglob("*") if p.is_file()):
        filestore.put_once(filestore.records(), f"{prefix}/{path.relative_to(result)}",
                           path.read_bytes())


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
    # in the store, for whichever node's worker takes the job
    filestore.put_once(filestore.records(), f"{_store_prefix(run)}/{path.name}", data)
    return path.name


def _population_here(job: PolicyRun, target: Path) -> Path:
    """The uploaded population on this node, fetched from the store if another took it."""
    local = target / job.population
    if not local.is_file():
        local.write_bytes(filestore.read(filestore.records(),
                                         f"{_store_prefix(job)}/{job.population}"))
    return local


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
def run_policy(run_id: int, attempt: int = 1) -> None:
    """The background job: generate or read the population, compare, keep the summary."""
    from kvisa.population.calibration import load
    from kvisa.population.scenario_run import run
    from kvisa.population.synthetic import population

    claimed = PolicyRun.objects.filter(pk=run_id, attempt=attempt - 1,
                                       status=PolicyRun.QUEUED).update(
        status=PolicyRun.RUNNING, attempt=attempt, started_at=timezone.now(),
        heartbeat_at=timezone.now())
    if not claimed:
        return  # a duplicate of a try already taken (or a run already settled)
    job = PolicyRun.objects.get(pk=run_id)
    this_try = PolicyRun.objects.filter(pk=run_id, attempt=attempt, status=PolicyRun.RUNNING)
    target = folder(job)
    last = [0.0]

    def moved(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 0.5 or done == total:
            last[0] = time.monotonic()
            this_try.update(done_rows=done, total_rows=total)

    stop = threading.Event()
    beating = threading.Thread(target=_heartbeat, args=(run_id, attempt, stop), daemon=True,
                               name=f"policy-run-{run_id}-heartbeat")
    beating.start()
    result_dir = target / f"work-{attempt}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(result_dir, ignore_errors=True)
        if job.population.startswith("generated:"):
            _kind, rows, seed = job.population.split(":")
            source = target / "population.parquet"
            population(int(rows), seed=int(seed), calibration=load()).write_parquet(
                source, row_group_size=250_000)
        else:
            source = _population_here(job, target)
        result = run(source, scenario_of(job), result_dir, on=job.on,
                     programmes=job.programmes or None, progress=moved)
        _publish(job, result_dir)
    except Exception as exc:  # the page shows why; nothing half-written stays
        shutil.rmtree(result_dir, ignore_errors=True)
        this_try.update(status=PolicyRun.FAILED, error=str(exc)[:2000],
                        finished_at=timezone.now())
        return
    finally:
        stop.set()
        beating.join(timeout=HEARTBEAT_SECONDS * 2)
    local = target / f"result-{attempt}"
    if not local.exists():
        result_dir.rename(local)  # this node need not copy back what it just wrote
    this_try.update(status=PolicyRun.DONE, summary=result.summary, finished_at=timezone.now(),
                    done_rows=result.rows + result.bad_rows,
                    total_rows=result.rows + result.bad_rows)


def _heartbeat(run_id: int, attempt: int, stop: threading.Event) -> None:
    """Say "still running" while the job works (also through long steps with no progress)."""
    from django.db import connection

    try:
        while not stop.wait(HEARTBEAT_SECONDS):
            PolicyRun.objects.filter(pk=run_id, attempt=attempt,
                                     status=PolicyRun.RUNNING).update(
                heartbeat_at=timezone.now())
    finally:
        connection.close()


def recover_stalled(now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """Queue again, or fail with the reason, every run whose worker has gone silent.

    Any worker calls this (at start and every heartbeat period), so a run is taken up
    again whichever node's worker died.  Returns (run id, "queued" or "failed").
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=STALLED_SECONDS)
    outcomes: list[tuple[int, str]] = []
    stalled = PolicyRun.objects.filter(status=PolicyRun.RUNNING, heartbeat_at__lt=cutoff)
    for run_id, attempt in stalled.values_list("pk", "attempt"):
        same_try = PolicyRun.objects.filter(pk=run_id, attempt=attempt,
                                            status=PolicyRun.RUNNING, heartbeat_at__lt=cutoff)
        if attempt >= MAX_ATTEMPTS:
            if same_try.update(status=PolicyRun.FAILED, finished_at=now, error=_(
                    "The worker running this stopped answering %(n)d times (a node died or "
                    "was restarted); ask for the run again.") % {"n": attempt}):
                outcomes.append((run_id, "failed"))
            continue
        with transaction.atomic():
            if same_try.update(status=PolicyRun.QUEUED, heartbeat_at=None):
                transaction.on_commit(functools.partial(run_policy.enqueue, run_id,
                                                        attempt + 1))
                outcomes.append((run_id, "queued"))
    for run_id, outcome in outcomes:
        log.warning("policy run %s stalled: %s", run_id, outcome)
    return outcomes


def watch_stalled() -> threading.Thread:
    """A thread of the worker process that recovers stalled runs every heartbeat period."""
    def watch() -> None:
        from django.db import close_old_connections

        while True:
            time.sleep(HEARTBEAT_SECONDS)
            try:
                recover_stalled()
            except Exception:  # the database is away for a moment: try next period
                log.exception("looking for stalled policy runs failed")
                close_old_connections()

    thread = threading.Thread(target=watch, daemon=True, name="policy-run-watch")
    thread.start()
    return thread
