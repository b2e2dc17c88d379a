"""Which documents an application carries, and which ones each route requires.

One table, read by the upload form (the kinds offered), the Documents task
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
STATUS = "reported"  # the weakest source behind the lists below (see the module text)


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


_IDENTITY = (Requirement(("passport_page",), _("to check your identity against the passport")),
             Requirement(("photo",), _("for the visa or card")))
_K_VISA = (*_IDENTITY,
           Requirement(("degree_certificate", "teaching_research_proof"),
                       _("the proof of your degree, or of your teaching or research post")))
_PR_COMMON = (*_IDENTITY,
              Requirement(("health_certificate",), _("the law asks for good health")),
              Requirement(("criminal_record_certificate",),
                          _("the law asks for no criminal record")))
_PR_ROUTES: dict[str, tuple[Requirement, ...]] = {
    "employment": (Requirement(("employment_tax_record",),
                               _("your salary and income tax, year by year")),),
    "senior_post": (Requirement(("employer_letter",), _("your post and how long you held it")),
                    Requirement(("employment_tax_record",), _("your tax record"))),
    "investment": (Requirement(("investment_proof",), _("the capital paid in and for how "
                                                        "long")),),
    "spouse": (Requirement(("relationship_proof",), _("your marriage")),),
    "child": (Requirement(("relationship_proof",), _("your parent in China")),),
    "elderly": (Requirement(("relationship_proof",), _("your relatives in China")),),
    "contribution": (Requirement(("evidence",), _("the authority's recognition")),),
}


def required(programme: str, route: str = "") -> tuple[Requirement, ...]:
    """The checklist for a programme (and, for permanent residence, the chosen route)."""
    if programme == "cn.permanent_residence":
        return _PR_COMMON + _PR_ROUTES.get(route, ())
    return _K_VISA


def missing(programme: str, route: str, uploaded: set[str]) -> list[Requirement]:
    """The lines of the checklist that no uploaded document satisfies yet."""
    return [r for r in required(programme, route) if not r.met_by(uploaded)]


OPTIONAL: dict[str, tuple[str, ...]] = {"cn.k_visa": ("cv",)}
"""Kinds a programme's start page asks people to have ready without requiring them."""


def offered(programme: str, route: str = "") -> tuple[str, ...]:
    """The kinds the upload form offers: those the checklist asks for, then "further
    evidence" (never a kind the programme does not need)."""
    kinds = [k for r in required(programme, route) for k in r.kinds]
    return tuple(dict.fromkeys([*kinds, *OPTIONAL.get(programme, ()), "evidence"]))


def next_kind(programme: str, route: str, uploaded: set[str]) -> str:
    """The kind the upload form starts on: the first one still missing (after an
    upload the form moves on, rather than back to the passport page)."""
    still = missing(programme, route, uploaded)
    return still[0].kinds[0] if still else "evidence"
