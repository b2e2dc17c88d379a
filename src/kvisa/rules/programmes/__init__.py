"""Every programme kvisa knows, in display order."""

from kvisa.rules.model import Programme
from kvisa.rules.programmes import (
    green_card,
    h1b,
    k_visa,
    permanent_residence,
    r_visa,
    work_permit,
)

PROGRAMMES: tuple[Programme, ...] = (
    k_visa.PROGRAMME,
    r_visa.PROGRAMME,
    work_permit.PROGRAMME,
    permanent_residence.PROGRAMME,
    h1b.PROGRAMME,
    green_card.PROGRAMME,
)
