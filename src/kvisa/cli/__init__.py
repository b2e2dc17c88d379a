"""The ``kvisa`` command line (Typer + Rich): one app, one output kit, a module per group.

- :mod:`kvisa.cli.output` — the console, failures, JSON and tables, and the exit
  contract (0 done, 1 a negative answer, 2 unusable input, 3 a bug);
- :mod:`kvisa.cli.options` — options and input files the commands share;
- :mod:`kvisa.cli.rules` — programmes, parameters, catalogue, check, screen, compare;
- :mod:`kvisa.cli.interview` — the guided comparison;
- :mod:`kvisa.cli.documents` — MRZ, resident ID numbers, seals, e-visas, signer keys;
- :mod:`kvisa.cli.policy_lab` — synthetic populations and what-if scenarios;
- :mod:`kvisa.cli.site` — the service: serve, demo, users, audit, data, permissions.
"""

from __future__ import annotations

import sys

import typer

from kvisa.cli import documents, interview, policy_lab, rules, site
from kvisa.cli.output import err

app = typer.Typer(help="kvisa: talent-visa rules, documents and pathways.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
for group in (rules, documents, interview, site, policy_lab):
    group.register(app)


def main() -> None:
    """Entry point: a bug still ends in one line on stderr (exit 3), never a traceback."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # last resort; every known error has its own message
        err.print(f"error: internal error ({exc.__class__.__name__}: {exc}); please report it",
                  markup=False, highlight=False)
        sys.exit(3)
