"""WSGI entry point (gunicorn kvisa.site.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from kvisa import paths

paths.prepare()  # a server writes: its data folder and secret key must exist
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvisa.site.settings")
application = get_wsgi_application()

from kvisa.audit.log import chain_in_background  # noqa: E402  (needs Django set up)
from kvisa.rules import explain  # noqa: E402

chain_in_background()
# Compile the rules now, in this worker (after gunicorn's fork, so Polars' thread pool
# belongs to this process): the first submission would otherwise wait seconds for it.
explain({}, None)
