"""``kvisa serve``, ``kvisa demo``, ``kvisa migrate``, ``kvisa audit verify``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
casework_app = typer.Typer(help="Case housekeeping.", no_args_is_help=True)
console = Console()


def _serve(host: str, port: int, *, workers: int = 2) -> None:
    from kvisa.site.bootstrap import ensure_signer, migrate

    migrate()
    ensure_signer()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = ["gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
                "--access-logfile", "-", "kvisa.site.wsgi:application"]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()


def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port.")] = 8000,
          workers: Annotated[int, typer.Option(help="Worker processes.")] = 2) -> None:
    """Run the site (migrates first; DATABASE_URL picks the database)."""
    from kvisa.site.bootstrap import django_setup

    django_setup()
    _serve(host, port, workers=workers)


def demo(port: Annotated[int, typer.Option(help="Port.")] = 8000,
         data_dir: Annotated[Path | None, typer.Option(help="Where the demo keeps its data.")]
         = None,
         applications: Annotated[int, typer.Option(help="How many demo applications.")] = 200,
         no_serve: Annotated[bool, typer.Option(help="Only prepare the data.")] = False) -> None:
    """Create an embedded SQLite demo with accounts and applications, and serve it."""
    folder = data_dir or Path("var/demo")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)  # the demo always uses its own SQLite file
    os.environ.setdefault("KVISA_HTTP_DEMO", "1")
    from kvisa.site.bootstrap import django_setup, ensure_signer, migrate

    django_setup(str(folder.resolve()))
    migrate()
    ensure_signer()
    from kvisa.site.demo import seed

    console.print(f"Preparing demo data in {folder} …")
    accounts = seed(applications)
    table = Table(title="Demo accounts (password for all: "
                        f"'{accounts[0].password}')", title_justify="left")
    for column in ("e-mail", "role", "second factor (add to an authenticator app)"):
        table.add_column(column, overflow="fold")
    for account in accounts:
        table.add_row(account.email, account.role, account.totp_url or "—")
    console.print(table)
    console.print(f"Site: http://127.0.0.1:{port}/  ·  mail is written to {folder / 'mail'}")
    if not no_serve:
        _serve("127.0.0.1", port, workers=2)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exit 1 if any row was edited, inserted or deleted."""
    from kvisa.site.bootstrap import django_setup

    django_setup()
    from kvisa.casework.audit import verify_chain

    report = verify_chain()
    if report.ok:
        console.print(f"audit chain intact: {report.events} events")
        return
    sys.stderr.write(f"audit chain broken: {report.problem}\n")
    raise typer.Exit(1)


@casework_app.command("remind")
def casework_remind(within: Annotated[int, typer.Option(
        help="Remind about evidence due within this many days (and overdue).")] = 3) -> None:
    """E-mail applicants whose evidence is due soon or overdue (run daily, e.g. from cron)."""
    from kvisa.site.bootstrap import django_setup

    django_setup()
    from django.db import transaction

    from kvisa.casework import audit
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


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(demo)
    app.add_typer(audit_app, name="audit")
    app.add_typer(casework_app, name="casework")


