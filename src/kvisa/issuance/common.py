"""What every issuer shares: the service's signer key, the rules' grant for the
applicant on the day of issue, and the programme's entry in the service registry.

Kept apart from the issuers themselves so that the e-visa and the resident card
depend on it and not on each other.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kvisa.casework.assessment import assess
from kvisa.casework.errors import InvalidInput
from kvisa.casework.models import Application
from kvisa.casework.service_programmes import ServiceProgramme, service_for
from kvisa.documents.signer import (
    SignerCertificate,
    SigningKey,
    load_signing_key,
    read_certificate,
)


@lru_cache(maxsize=2)
def _signer(key: str, cert: str) -> SigningKey:
    return load_signing_key(key, cert)


def signer() -> SigningKey:
    return _signer(settings.SIGNER_KEY, settings.SIGNER_CERT)


def signer_certificate_pem() -> bytes:
    with open(settings.SIGNER_CERT, "rb") as handle:
        return handle.read()


def trusted_certificates() -> list[SignerCertificate]:
    return [read_certificate(settings.SIGNER_CERT)]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def granted(application: Application, today: dt.date, names: tuple[str, ...]
            ) -> dict[str, Any]:
    """The rules' outputs ``names`` for this applicant on ``today``; InvalidInput naming the
    first one the rules cannot give (never a default in its place)."""
    assessment = assess(application, today).assessment
    values = {name: assessment.outputs.get(name) for name in names}
    missing = [name for name, value in values.items() if value is None]
    if missing:
        raise InvalidInput(_("The rules give no value for %(output)s on %(day)s, so nothing "
                             "can be issued; the facts it needs: %(facts)s.") % {
            "output": missing[0], "day": today.isoformat(),
            "facts": ", ".join(assessment.output_depends_on.get(missing[0], ())) or "—"})
    return values


def registered_service(application: Application) -> ServiceProgramme:
    entry = service_for(application.programme)
    if entry is None:
        raise InvalidInput(_("This service issues nothing for %(id)s.")
                           % {"id": application.programme})
    return entry
