"""Which documents an application carries (the checklist each programme and route
requires is registered with the programme in :mod:`kvisa.casework.service_programmes`).

Read by the upload form (the kinds offered), the Documents task
(what is still missing, in words), submission (refused while a required
document is missing) and the officer's page.

How sure the lists are: the laws say only "corresponding supporting documents"
(Order 814, new Art. 7(6) of the Entry-Exit Administration Regulations) and,
for permanent residence, a passport, a health certificate, a certificate of no
criminal record and photos plus proof of the route's conditions (2004 Measures,
MPS/MFA Order No. 74, materials article, as summarised by secondary sources).
No embassy checklist was found, so each list carries the status ``reported``
and the page says the office may ask for more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    "passport_page": _("Passport photo page"),
    "photo": _("Photo (passport style, for the card)"),
    "degree_certificate": _("Degree certificate"),
    "teaching_research_proof": _("Proof of teaching or research"),
    "cv": _("CV"),
    "health_certificate": _("Health certificate"),
    "criminal_record_certificate": _("Certificate of no criminal record"),
    "employment_tax_record": _("Employment and tax record (one year)"),
    "employer_letter": _("Letter from your employer about your post"),
    "investment_proof": _("Proof of your investment (capital verification)"),
    "relationship_proof": _("Proof of the family relationship (marriage or birth "
                            "certificate)"),
    "evidence": _("Further evidence"),
}
KINDS: tuple[str, ...] = tuple(LABELS)
STATUS = "reported"  # the weakest source behind the checklists (see the module text)


@dataclass(frozen=True)
class Requirement:
    """One line of the checklist: any one of ``kinds`` satisfies it."""

    kinds: tuple[str, ...]
    why: Any  # shown beside the line

    def met_by(self, uploaded: set[str]) -> bool:
        return any(kind in uploaded for kind in self.kinds)

    @property
    def label(self) -> str:
        return str(_(" or ").join(str(LABELS[k]) for k in self.kinds))

