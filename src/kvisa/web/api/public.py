"""What anyone may ask without signing in, within a per-address budget: verify a seal,
check a profile against the rules, compare routes, the guided interview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from kvisa.accounts import public_budget
from kvisa.documents.errors import DocumentError
from kvisa.documents.verify import verify
from kvisa.issuance.common import trusted_certificates
from kvisa.rules import explain
from kvisa.web.api.core import spend_public_budget

MAX_PROGRAMMES_ASKED = 50
router = Router()


# A seal is at most a few hundred bytes (Doc 9303 Part 13); 4 KB of hex is plenty.
MAX_SEAL_HEX = 8192
# Profiles are flat: a handful of facts, a few degrees, a working life of yearly records.
MAX_PROFILE_KEYS = 100


class SealIn(Schema):
    seal_hex: str = Field(max_length=MAX_SEAL_HEX)
    on: dt.date | None = None


@router.post("/verify", auth=None, tags=["public"])
def verify_seal(request: HttpRequest, body: SealIn) -> Any:
    spend_public_budget(request, "verify")
    try:
        data = bytes.fromhex(body.seal_hex.replace(" ", ""))
    except ValueError:
        raise DocumentError("seal_hex: not hexadecimal") from None
    with public_budget.deadline():
        return verify(data, trusted_certificates(),
                      on=body.on or timezone.localdate()).as_dict()


class CheckIn(Schema):
    profile: dict[str, Any] = Field(max_length=MAX_PROFILE_KEYS)
    on: dt.date | None = None
    # repeated ids are asked once; more ids than there are programmes cannot be right
    programmes: list[str] | None = Field(default=None, max_length=MAX_PROGRAMMES_ASKED)
    include_drafts: bool = False


@router.post("/rules/check", auth=None, tags=["public"])
def rules_check(request: HttpRequest, body: CheckIn) -> Any:
    spend_public_budget(request, "compute")
    with public_budget.deadline():
        return explain(body.profile, body.programmes, body.on or dt.date.today(),
                       include_drafts=body.include_drafts).to_dict()


@router.post("/pathways/compare", auth=None, tags=["public"])
def pathways_compare(request: HttpRequest, body: CheckIn) -> Any:
    from kvisa.pathways.compare import compare

    spend_public_budget(request, "compute")
    with public_budget.deadline():
        comparison = compare(body.profile, on=body.on or dt.date.today(),
                             include_drafts=body.include_drafts)
    _count_enquiry(body.profile.get("nationality"), comparison.routes)
    return comparison.as_dict()


def _count_enquiry(nationality: Any, routes: list[Any]) -> None:
    """An enquiry through the API counts as one through the pages does: a comparison
    of every route, or an interview's last step (the person's result)."""
    from kvisa.casework import enquiry_counts
    from kvisa.casework.models import EnquiryCount

    enquiry_counts.record(EnquiryCount.API,
                          nationality=nationality if isinstance(nationality, str) else None,
                          routes_open=[r.route.key for r in routes if r.verdict == "eligible"])


class InterviewIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict, max_length=MAX_PROFILE_KEYS)
    on: dt.date | None = None
    lang: str = Field(default="en", pattern=r"^(en|zh)$")
    # route keys or programme ids the questions should try to decide (all when absent)
    routes: list[str] | None = Field(default=None, max_length=MAX_PROGRAMMES_ASKED)


@router.post("/pathways/interview", auth=None, tags=["public"])
def pathways_interview(request: HttpRequest, body: InterviewIn) -> Any:
    """The guided comparison, one question at a time: send every answer so far
    (null = "I don't know"); get the next question (or null) and every route."""
    from kvisa.pathways.interview import next_step

    spend_public_budget(request, "compute")
    with public_budget.deadline():
        step = next_step(body.answers, on=body.on or dt.date.today(), lang=body.lang,
                         routes=body.routes)
    if step.next is None:
        _count_enquiry(body.answers.get("nationality"), step.routes())
    return step.as_dict()
