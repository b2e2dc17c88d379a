"""The programmes this service takes applications for: the one registry in the service.

The rules of every programme live in its folder (``kvisa/rules/programmes/``),
with no Django.  What only a running service needs — the start page's address,
title and list of papers, the letters of a case reference, what an approval
issues (an e-visa or a resident card), the documents each route requires — is
registered here, once per programme, so that no view, form or service names a
programme.  A programme with a folder and no entry here is compared and
explained everywhere, and simply has no application (the US routes, which
kvisa never issues).

The documents lists: how sure they are is said in :mod:`kvisa.casework.document_kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kvisa.casework.document_kinds import Requirement

_IDENTITY = (Requirement(("passport_page",), _("to check your identity against the passport")),
             Requirement(("photo",), _("for the visa or card")))


@dataclass(frozen=True)
class ServiceProgramme:
    """What the service needs of one programme it takes applications for."""

    programme: str
    slug: str                      # /apply/<slug>/
    title: Any                     # the start page's heading (lazy translation)
    short_name: Any                # "K visa": in lists of cases and captions
    intro: Any                     # the start page's first sentence
    start_button: Any              # "Start a K visa application"
    start_heading: Any             # "Start your K visa application"
    application_name: Any          # "K visa application"
    start_documents: tuple[Any, ...]
    reference_prefix: str          # KV00000123
    issues: Literal["visa", "card"]
    visa_type: str = ""            # the letter on an issued visa
    issue_outputs: tuple[str, ...] = ()
    """The rules' outputs an approval reads (validity, entries, stay); none may be blank."""
    requirements: tuple[Requirement, ...] = ()
    route_requirements: dict[str, tuple[Requirement, ...]] = field(default_factory=dict)
    optional_kinds: tuple[str, ...] = ()
    """Kinds the start page asks people to have ready without requiring them."""

    def required(self, route: str = "") -> tuple[Requirement, ...]:
        return self.requirements + self.route_requirements.get(route, ())


K_VISA = "cn.k_visa"
PERMANENT_RESIDENCE = "cn.permanent_residence"

SERVICE_PROGRAMMES: tuple[ServiceProgramme, ...] = (
    ServiceProgramme(
        programme=K_VISA, slug="k-visa",
        title=_("K visa for young science and technology talent"),
        short_name=_("K visa"),
        intro=_("China's K visa lets young foreign science and technology talent enter "
                "without an invitation from a Chinese employer (State Council Order No. 814, "
                "in force since 1 October 2025)."),
        start_button=_("Start a K visa application"),
        start_heading=_("Start your K visa application"),
        application_name=_("K visa application"),
        start_documents=(
            _("Passport photo page"),
            _("Degree certificate (bachelor's or higher in a STEM field), with a translation "
              "if it is not in Chinese or English"),
            _("Proof of teaching or research at a recognised institution, if that is how you "
              "qualify"), _("A CV"), _("A passport-style photo")),
        reference_prefix="KV", issues="visa", visa_type="K",
        issue_outputs=(f"{K_VISA}.validity_years", f"{K_VISA}.entries", f"{K_VISA}.stay_days"),
        requirements=(*_IDENTITY,
                      Requirement(("degree_certificate", "teaching_research_proof"),
                                  _("the proof of your degree, or of your teaching or research "
                                    "post"))),
        optional_kinds=("cv",)),
    ServiceProgramme(
        programme=PERMANENT_RESIDENCE, slug="permanent-residence",
        title=_("Permanent residence (the China “green card”)"),
        short_name=_("Permanent residence"),
        intro=_("Permanent residence lets you live and work in China without a time limit; "
                "the card that proves it carries your 18-character number."),
        start_button=_("Start a permanent residence application"),
        start_heading=_("Start your permanent-residence application"),
        application_name=_("Permanent residence application"),
        start_documents=(
            _("Passport photo page"), _("A passport-style photo (it goes on the card)"),
            _("For the employment route: for each of the last four years, the employment and "
              "individual income tax records"),
            _("For the family routes: marriage or birth certificates and proof of residence"),
            _("For the investment route: the investment and tax records"),
            _("A certificate of no criminal record and a health certificate")),
        reference_prefix="PR", issues="card",
        issue_outputs=(f"{PERMANENT_RESIDENCE}.card_validity_years",),
        requirements=(*_IDENTITY,
                      Requirement(("health_certificate",), _("the law asks for good health")),
                      Requirement(("criminal_record_certificate",),
                                  _("the law asks for no criminal record"))),
        route_requirements={
            "employment": (Requirement(("employment_tax_record",),
                                       _("your salary and income tax, year by year")),),
            "senior_post": (Requirement(("employer_letter",),
                                        _("your post and how long you held it")),
                            Requirement(("employment_tax_record",), _("your tax record"))),
            "investment": (Requirement(("investment_proof",),
                                       _("the capital paid in and for how long")),),
            "spouse": (Requirement(("relationship_proof",), _("your marriage")),),
            "child": (Requirement(("relationship_proof",), _("your parent in China")),),
            "elderly": (Requirement(("relationship_proof",), _("your relatives in China")),),
            "contribution": (Requirement(("evidence",), _("the authority's recognition")),),
        }),
)
BY_PROGRAMME: dict[str, ServiceProgramme] = {s.programme: s for s in SERVICE_PROGRAMMES}
BY_SLUG: dict[str, ServiceProgramme] = {s.slug: s for s in SERVICE_PROGRAMMES}
OTHER_REFERENCE_PREFIX = "KA"


def default_programme() -> str:
    """The programme an application is for when nothing says otherwise (one setting)."""
    return str(settings.DEFAULT_PROGRAMME)


def service_for(programme: str) -> ServiceProgramme | None:
    """The service's entry for ``programme``; None where it takes no applications."""
    return BY_PROGRAMME.get(programme)


def required(programme: str, route: str = "") -> tuple[Requirement, ...]:
    """The checklist for a programme (and the chosen route, where it has routes)."""
    entry = BY_PROGRAMME.get(programme)
    return entry.required(route) if entry else _IDENTITY


def missing(programme: str, route: str, uploaded: set[str]) -> list[Requirement]:
    """The lines of the checklist that no uploaded document satisfies yet."""
    return [r for r in required(programme, route) if not r.met_by(uploaded)]


def upload_kinds(programme: str, route: str = "") -> tuple[str, ...]:
    """The kinds the upload form offers: those the checklist asks for, then "further
    evidence" (never a kind the programme does not need)."""
    entry = BY_PROGRAMME.get(programme)
    kinds = [k for r in required(programme, route) for k in r.kinds]
    optional = entry.optional_kinds if entry else ()
    return tuple(dict.fromkeys([*kinds, *optional, "evidence"]))


def reference_prefix(programme: str) -> str:
    entry = BY_PROGRAMME.get(programme)
    return entry.reference_prefix if entry else OTHER_REFERENCE_PREFIX


def next_kind(programme: str, route: str, uploaded: set[str]) -> str:
    """The kind the upload form starts on: the first one still missing (after an
    upload the form moves on, rather than back to the passport page)."""
    still = missing(programme, route, uploaded)
    return still[0].kinds[0] if still else "evidence"
