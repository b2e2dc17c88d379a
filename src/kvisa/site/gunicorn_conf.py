"""gunicorn's settings for ``kvisa serve``: JSON logs, and metrics summed over workers.

prometheus-client's multiprocess mode keeps each worker's samples in files under
PROMETHEUS_MULTIPROC_DIR (``kvisa serve`` makes a fresh folder per start);
a worker that exits is marked dead so its gauges stop counting.
"""

from __future__ import annotations

import os
from typing import Any

from kvisa import logs

logconfig_dict = logs.config(os.environ.get("KVISA_LOG_LEVEL", "WARNING"),
                             as_json=os.environ.get("KVISA_LOG_FORMAT", "json") == "json")


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
