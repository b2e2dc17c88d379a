"""Which issuer an approval calls, per programme: the registry names the kind (a visa or
a resident card), and this table the function that issues it in the approval's
transaction."""

from __future__ import annotations

from collections.abc import Callable

from kvisa.casework.card_issuance import card_issue
from kvisa.casework.issuance import visa_issue
from kvisa.casework.models import Application
from kvisa.casework.service_programmes import service_for

Issuer = Callable[..., Application]

def issuer_for(programme: str) -> Issuer | None:
    """What an approval of ``programme`` issues, in the approval's transaction (the
    registry says which kind); None where the service issues nothing."""
    entry = service_for(programme)
    if entry is None:
        return None
    return {"visa": visa_issue, "card": card_issue}[entry.issues]
