"""The ``kvisa`` command as a user runs it: a separate process, over the shell."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping

KVISA = [sys.executable, "-m", "kvisa.cli"]


def run_kvisa(*args: str, env: Mapping[str, str] | None = None, timeout: float = 300,
              input: str | None = None, newcomer: bool = False
              ) -> subprocess.CompletedProcess[str]:
    """Run ``kvisa ARGS`` and wait; text output captured, exit code not checked.

    ``newcomer``: without the test run's own KVISA_*, DATABASE_URL and DJANGO_*
    variables, as on a machine where kvisa was just installed.
    """
    base = {k: v for k, v in os.environ.items()
            if not (newcomer and k.startswith(("KVISA_", "DATABASE_URL", "DJANGO_")))}
    return subprocess.run([*KVISA, *args], capture_output=True, text=True, timeout=timeout,
                          input=input, env={**base, **(env or {})}, check=False)
