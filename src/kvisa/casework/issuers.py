"""Which issuer an approval calls, per programme: the service registry names the kind
(a visa or a resident card), and the issuing app registers the function that issues
each kind (:mod:`kvisa.issuance`, when Django starts).  Cases never import the issuers:
the approval finds them here, and runs the one it finds in its own transaction."""

from __future__ import annotations

from collections.abc import Callable

from kvisa.casework.models import Application
from kvisa.casework.service_programmes import service_for

Issuer = Callable[..., Application]
_ISSUERS: dict[str, Issuer] = {}


def register(kind: str, issuer: Issuer) -> None:
    """The function that issues ``kind`` ("visa", "card") on an approval."""
    _ISSUERS[kind] = issuer


def issuer_for(programme: str) -> Issuer | None:
    """What an approval of ``programme`` issues; None where the service issues nothing.

    A kind the registry names with no issuer registered is a set-up error (the issuing
    app is not installed), said as such rather than approving without issuing.
    """
    entry = service_for(programme)
    if entry is None:
        return None
    try:
        return _ISSUERS[entry.issues]
    except KeyError:
        raise RuntimeError(f"no issuer registered for {entry.issues!r}: is kvisa.issuance "
                           "in INSTALLED_APPS?") from None
