"""``kvisa serve``, ``kvisa demo``, ``kvisa migrate``, ``kvisa users``, ``kvisa audit``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kvisa.cli.options import JsonOption
from kvisa.cli.output import console, err, fail, show

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
casework_app = typer.Typer(help="Case housekeeping.", no_args_is_help=True)
data_app = typer.Typer(help="Personal data: retention purge and pseudonymised extracts.",
                        no_args_is_help=True)
users_app = typer.Typer(help="Accounts: create the first administrator and staff.",
                        no_args_is_help=True)
def _open_database() -> None:
    """Set Django up for a command that reads the database; exit 2 if it is not usable."""
    from kvisa.site.bootstrap import django_setup

    django_setup()
    from kvisa.site.database import DatabaseNotReady, require_ready

    try:
        require_ready()
    except DatabaseNotReady as exc:
        fail(str(exc))


def _serve(host: str, port: int, *, workers: int = 2) -> None:
    from kvisa.site.bootstrap import ensure_signer, migrate

    migrate()
    ensure_signer()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()  # workers open their own; nothing shared across fork()
    from gunicorn.app.wsgiapp import WSGIApplication

    # no gunicorn access log: every request is one JSON line of kvisa.requests instead
    sys.argv = ["gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
                "--config", "python:kvisa.site.gunicorn_conf", "kvisa.site.wsgi:application"]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()


def _metrics_folder() -> None:
    """A fresh folder for the workers' metric samples (prometheus-client multiprocess)."""
    import tempfile

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kvisa-metrics-")


def _public_address(host: str, port: int) -> None:
    """The address links in e-mails, e-visas and cards point to: ``KVISA_SITE_URL`` when
    the operator set it, else where this process serves (one setting, set before the
    settings are read, so every mail, PDF and card face agrees with the port)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    os.environ.setdefault("KVISA_SITE_URL", f"http://{shown}:{port}")


def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000,
          workers: Annotated[int, typer.Option(help="Worker processes.")] = 2) -> None:
    """Run the site (migrates first; DATABASE_URL picks the database)."""
    from kvisa.site.bootstrap import django_setup

    _public_address(host, port)
    _metrics_folder()  # before anything imports prometheus-client's metrics
    django_setup(writable=True)
    from kvisa.paths import others_can_read, tighten

    tighten()
    exposed = others_can_read()
    if exposed:
        err.print(f"warning: {exposed} can be read by other users of this machine; it holds "
                  "passports, profiles and keys: chmod 700 it", markup=False, soft_wrap=True)
    _serve(host, port, workers=workers)


def worker(batch: Annotated[bool, typer.Option(
        "--batch", help="Run the jobs waiting now, then stop.")] = False) -> None:
    """Run background jobs (the policy lab's what-if runs) from the database queue.

    Any number of nodes may run one: each takes the next job under a row lock, and
    each watches for runs whose worker died (queued again, or failed with why)."""
    from kvisa.site.bootstrap import django_setup

    django_setup(writable=True)
    from django.core.management import call_command

    from kvisa.analytics.policy_lab import recover_stalled, watch_stalled

    recover_stalled()
    if not batch:
        watch_stalled()
    call_command("db_worker", "--no-startup-delay", "--no-reload", "--interval", "1",
                 *(["--batch"] if batch else []))


def migrate() -> None:
    """Create or update the database's tables (DATABASE_URL or KVISA_DATA_DIR picks it)."""
    from kvisa.site.bootstrap import django_setup
    from kvisa.site.bootstrap import migrate as run_migrations

    django_setup(writable=True)
    from kvisa.site.database import describe

    run_migrations()
    console.print(f"migrated {describe()}")


def demo(port: Annotated[int, typer.Option(help="Port.")] = 8000,
         data_dir: Annotated[Path | None, typer.Option(help="Where the demo keeps its data.")]
         = None,
         applications: Annotated[int, typer.Option(help="How many demo applications.")] = 200,
         no_serve: Annotated[bool, typer.Option(help="Only prepare the data.")] = False) -> None:
    """Create an embedded SQLite demo with accounts and applications, and serve it."""
    folder = (data_dir or Path("var/demo")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)  # the demo always uses its own SQLite file
    os.environ["KVISA_HTTP_DEMO"] = "1"
    os.environ.setdefault("KVISA_LOG_FORMAT", "text")  # a person reads the demo's terminal
    _public_address("127.0.0.1", port)
    from kvisa.site.bootstrap import django_setup, ensure_signer
    from kvisa.site.bootstrap import migrate as run_migrations

    django_setup(str(folder), writable=True)
    run_migrations()
    ensure_signer()
    from kvisa.site.demo import seed

    console.print(f"Preparing demo data in {folder} …")
    accounts = seed(applications)
    table = Table(title="Demo accounts (password for all: "
                        f"'{accounts[0].password}')", title_justify="left")
    for column in ("e-mail", "role", "second factor"):
        table.add_column(column, overflow="fold")
    staff = [a for a in accounts if a.totp_url]
    for account in accounts:
        table.add_row(account.email, account.role,
                      "the demo code (below)" if account.totp_url else "—")
    console.print(table)
    if staff:
        _print_second_factor(staff[0].totp_url)
    site = os.environ["KVISA_SITE_URL"].rstrip("/")
    console.print(f"Site: {site}/  ·  mail is written to {folder / 'mail'}")
    console.print(f"Start as an applicant at {site}/apply/k-visa/ · officers at {site}/console/ "
                  f"· analysts at {site}/analytics/", soft_wrap=True)
    console.print(f"Other commands use this data when you first run:  "
                  f"export KVISA_DATA_DIR={folder}", soft_wrap=True)
    if no_serve:
        return
    # one background worker for the policy lab; it shares the terminal's process group,
    # so Ctrl-C (or stopping the demo) stops it with the site
    subprocess.Popen([sys.executable, "-m", "kvisa.cli", "worker"])
    _exec_serve("127.0.0.1", port)


def _exec_serve(host: str, port: int) -> None:
    """Replace this process with a fresh ``kvisa serve`` on the demo's data.

    Seeding ran the rules, which starts Polars' (Rayon) thread pool; a process
    that forks after that hands gunicorn's workers a pool whose threads do not
    exist in the child, and the first rule evaluation there waits forever.
    ``exec`` starts a clean interpreter, so the demo serves exactly as
    ``kvisa serve`` does.  The environment (KVISA_DATA_DIR, KVISA_HTTP_DEMO)
    carries the demo's settings across.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "kvisa.cli", "serve", "--host", host,
                              "--port", str(port)])


@users_app.command("create")
def users_create(
        email: Annotated[str, typer.Argument(help="The account's e-mail (its sign-in name).")],
        role: Annotated[str, typer.Option(help="applicant, adviser, officer, supervisor, "
                                               "analyst or admin.")] = "admin",
        name: Annotated[str, typer.Option(help="Display name.")] = "",
        password_stdin: Annotated[bool, typer.Option(
            "--password-stdin", help="Read the password from standard input "
                                     "(otherwise asked for twice, hidden).")] = False) -> None:
    """Create an account; staff get a TOTP second factor (its otpauth:// URL is printed once)."""
    _open_database()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kvisa.accounts.models import Role, User
    from kvisa.audit import log as audit

    if role not in Role.values:
        fail(f"--role: '{role}' is not one of {', '.join(Role.values)}")
    address = email.strip().lower()
    if User.objects.filter(email=address).exists():
        fail(f"an account for {address} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    candidate = User(email=address, display_name=name or address, role=role)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        fail("password: " + " ".join(exc.messages))
    with transaction.atomic():
        user = User.objects.create_user(address, password, display_name=name or address,
                                        role=role, email_verified=True)
        device = None
        if user.is_staff_role:
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        audit.record(actor="cli", action="user.create", object_type="user",
                     object_id=user.pk, after={"email": address, "role": role})
    console.print(f"created {role} {address}")
    if device is not None:
        console.print("second factor (add to an authenticator app; shown once):")
        console.print(device.config_url, markup=False, highlight=False, soft_wrap=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log; exit 1 naming the first event that can no longer be trusted.

    Checks each event's keyed hash and link against the pinned keys, the signed
    checkpoints outside the database against what the witness co-signed, events
    never chained, events older than the witnessing window and not witnessed, and
    that every journal action has its event.
    """
    _open_database()
    from kvisa.audit.log import verify_chain

    report = verify_chain()
    if report.ok:
        console.print(f"audit chain intact: {report.events} events, {report.checkpoints} "
                      f"signed checkpoints (trusted through event {report.trusted_through}; "
                      f"witnessed through event {report.witnessed_through})"
                      + (f", {report.pending} not yet chained" if report.pending else ""),
                      soft_wrap=True)
        for note in report.notes:
            console.print(f"note: {note}", soft_wrap=True)
        return
    sys.stderr.write(f"audit chain broken: {report.problem}\n")
    sys.stderr.write(f"first event that can no longer be trusted: {report.first_untrusted}; "
                     + (f"a signed checkpoint vouches for events 1-{report.trusted_through}"
                        if report.trusted_through else "no checkpoint vouches for any "
                        "earlier event") + "\n")
    raise typer.Exit(1)


@audit_app.command("chain")
def audit_chain() -> None:
    """Link events written but not yet chained (the service does this after each commit)."""
    _open_database()
    from kvisa.audit.log import chain_pending

    result = chain_pending(checkpoint=False)
    console.print(f"chained {result.chained} event(s); the chain has {result.last_sequence}")


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Chain what is pending and sign a checkpoint of the head now (also done at intervals)."""
    _open_database()

    from kvisa.audit.log import chain_pending

    result = chain_pending(checkpoint=True)
    if result.last_sequence == 0:
        console.print("the audit log is empty: nothing to checkpoint")
        return
    from kvisa.audit.checkpoints import where as checkpoints_where

    where = checkpoints_where()
    if result.checkpoint is None:
        console.print(f"event {result.last_sequence} is already checkpointed in {where}")
    else:
        console.print(f"checkpoint: event {result.checkpoint.sequence} signed with key "
                      f"{result.checkpoint.key_id}, kept in {where}", soft_wrap=True)


@audit_app.command("rotate-key")
def audit_rotate_key() -> None:
    """Start chaining with a new audit key (earlier keys are kept to verify old events)."""
    _open_database()
    from kvisa.audit import keys as audit_keys
    from kvisa.audit.log import chain_pending

    chain_pending(checkpoint=True)  # the old key signs the head it chained
    key = audit_keys.rotate()
    console.print(f"new audit key {key.key_id}; publish its public half: "
                  "`kvisa audit public-keys`")


@audit_app.command("pin")
def audit_pin(kind: Annotated[str, typer.Argument(help="chain, signer or witness")],
              public_key: Annotated[Path, typer.Argument(help="The public key (PEM).")]) -> None:
    """Pin a public key that verify trusts (e.g. a witness on another host)."""
    from kvisa.site.bootstrap import django_setup

    django_setup()
    from kvisa.audit import trust as audit_trust
    from kvisa.witness import WitnessError, key_id_of, load_public

    if kind not in audit_trust.KINDS:
        fail(f"kind: {kind!r} is not one of {', '.join(audit_trust.KINDS)}")
    try:
        key = load_public(public_key.read_bytes())
    except (OSError, ValueError, WitnessError) as exc:
        fail(f"{public_key}: not an Ed25519 public key ({exc})")
    path = audit_trust.pin(kind, key_id_of(key), key)
    console.print(f"pinned {kind} key {key_id_of(key)} at {path}", soft_wrap=True)


@audit_app.command("public-keys")
def audit_public_keys() -> None:
    """Print every audit key's public half (PEM), to check checkpoints elsewhere."""
    from kvisa.site.bootstrap import django_setup

    django_setup()
    from kvisa.audit import keys as audit_keys

    sys.stdout.write(audit_keys.public_keys_pem().decode())


witness_app = typer.Typer(help="A witness for the audit log's checkpoints (run it on "
                          "another host).", no_args_is_help=True)


@witness_app.command("init")
def witness_init(folder: Annotated[Path, typer.Option("--dir", help="The witness's folder.")],
                 signer_pub: Annotated[list[Path], typer.Option(
                     "--signer-pub", help="A checkpoint signer's public key (PEM) to accept; "
                     "`kvisa audit public-keys` prints it.")]) -> None:
    """Make a witness folder (its key, 0600) that accepts the given signers; print its key."""
    from kvisa.witness import WitnessError, WitnessFolder, key_id_of, public_pem

    witness = WitnessFolder(folder)
    try:
        witness.init([path.read_bytes() for path in signer_pub])
    except (OSError, ValueError, WitnessError) as exc:
        fail(str(exc))
    console.print(f"witness {key_id_of(witness.public())} in {folder}; pin its key on the "
                  "service with `kvisa audit pin witness FILE`:", soft_wrap=True)
    sys.stdout.write(public_pem(witness.public()).decode())


@witness_app.command("serve")
def witness_serve(folder: Annotated[Path, typer.Option("--dir", help="The witness's folder.")],
                  host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
                  port: Annotated[int, typer.Option(help="Port.")] = 8700) -> None:
    """Serve a witness folder over HTTP (POST /cosign, GET /log, GET /key)."""
    from kvisa.witness import WitnessError, serve

    try:
        console.print(f"witness serving {folder} on http://{host}:{port}", soft_wrap=True)
        serve(folder, host, port)
    except WitnessError as exc:
        fail(str(exc))


@casework_app.command("remind")
def casework_remind(within: Annotated[int, typer.Option(
        help="Remind about evidence due within this many days (and overdue).")] = 3) -> None:
    """E-mail applicants whose evidence is due soon or overdue (run daily, e.g. from cron)."""
    _open_database()
    from django.db import transaction

    from kvisa.audit import log as audit
    from kvisa.casework.notifications import notify
    from kvisa.casework.selectors import evidence_due

    due = evidence_due(within_days=within)
    for request in due:
        with transaction.atomic():
            notify(request.application, "remind", message=request.message,
                   due=request.due_date.isoformat())
            audit.record(actor="system", action="evidence.remind", object_type="application",
                         object_id=request.application.pk,
                         after={"evidence_request": request.pk})
    console.print(f"reminded {len(due)} applicant(s)")


@data_app.command("purge")
def data_purge(on: Annotated[str | None, typer.Option(
        help="Purge as of this day (YYYY-MM-DD; default today).")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run",
                                              help="Only count what is due.")] = False) -> None:
    """Remove personal data past its retention (see kvisa/casework/privacy.py); run daily."""
    import datetime as dt

    day = dt.date.today()
    if on:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            fail(f"--on: '{on}' is not a date (YYYY-MM-DD)")
    _open_database()
    from kvisa.casework.privacy import purge

    report = purge(day, dry_run=dry_run, actor="cli")
    verb = "due" if dry_run else "purged"
    console.print(f"{report.cases} case(s) {verb}; {report.documents_deleted} document(s), "
                  f"{report.files_deleted} file(s) deleted")


@data_app.command("extract")
def data_extract(output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to write: .csv or .parquet.")]) -> None:
    """A pseudonymised extract for analysts: no names, passports, birth dates or free text."""
    if output.suffix not in (".csv", ".parquet"):
        fail(f"--output: '{output}' must end in .csv or .parquet")
    _open_database()
    import polars as pl

    from kvisa.casework.privacy import PSEUDONYMISED_COLUMNS, pseudonymised_rows
    from kvisa.spreadsheet_csv import frame_to_csv

    frame = pl.DataFrame(pseudonymised_rows(), schema={
        "case": pl.String, "programme": pl.String, "nationality": pl.String,
        "state": pl.String, "precheck": pl.String, "submitted_week": pl.String,
        "outcome": pl.String, "days_to_decision": pl.Int64})
    frame = frame.select(PSEUDONYMISED_COLUMNS)
    if output.suffix == ".csv":
        output.write_bytes(frame_to_csv(frame))
    else:
        frame.write_parquet(output)
    console.print(f"{frame.height} case(s) written to {output}")


def permissions(as_json: JsonOption = False) -> None:
    """Who may do what: the service's one authorisation policy, a row per permission."""
    from kvisa.site.bootstrap import django_setup

    django_setup()
    from kvisa.casework import policy

    show(policy.table(), title="Who may do what", as_json=as_json, key="permissions",
         keep_whole=("permission",))


def register(app: typer.Typer) -> None:
    app.command()(permissions)
    app.command()(serve)
    app.command()(demo)
    app.command()(migrate)
    app.command()(worker)
    app.add_typer(audit_app, name="audit")
    app.add_typer(casework_app, name="casework")
    app.add_typer(users_app, name="users")
    app.add_typer(data_app, name="data")
    app.add_typer(witness_app, name="witness")


def _print_second_factor(url: str) -> None:
    """The staff accounts' shared demo second factor: its secret as plain text (to type
    into an authenticator app) and as a QR code in the terminal (to scan)."""
    from urllib.parse import parse_qs, urlsplit

    import segno


    secret = parse_qs(urlsplit(url).query).get("secret", [""])[0]
    console.print(f"Staff second factor (every demo staff account): secret [bold]{secret}[/] "
                  "(TOTP, 6 digits, 30 s) — type it into an authenticator app, or scan:",
                  soft_wrap=True)
    segno.make(url, error="m").terminal(out=sys.stdout, compact=True, border=2)
    sys.stdout.flush()
