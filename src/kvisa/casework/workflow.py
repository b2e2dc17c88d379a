"""The one transition table: (state, action, role) → new state.

Services consult nothing else to decide whether an action is allowed, so the
table is the whole workflow.  ``applicant`` covers an adviser acting with the
applicant's consent.
"""

from __future__ import annotations

from kvisa.casework.models import State

APPLICANT, OFFICER, SUPERVISOR, SYSTEM = "applicant", "officer", "supervisor", "system"
LIVE = (State.SUBMITTED, State.UNDER_REVIEW, State.EVIDENCE_REQUESTED)

TRANSITIONS: dict[tuple[str, str, str], str] = {
    (State.DRAFT, "submit", APPLICANT): State.SUBMITTED,
    (State.DRAFT, "withdraw", APPLICANT): State.WITHDRAWN,
    **{(state, "withdraw", APPLICANT): State.WITHDRAWN for state in LIVE},
    (State.SUBMITTED, "assign", OFFICER): State.UNDER_REVIEW,
    (State.SUBMITTED, "assign", SUPERVISOR): State.UNDER_REVIEW,
    (State.UNDER_REVIEW, "reassign", SUPERVISOR): State.UNDER_REVIEW,
    (State.EVIDENCE_REQUESTED, "reassign", SUPERVISOR): State.EVIDENCE_REQUESTED,
    (State.UNDER_REVIEW, "request_evidence", OFFICER): State.EVIDENCE_REQUESTED,
    (State.UNDER_REVIEW, "request_evidence", SUPERVISOR): State.EVIDENCE_REQUESTED,
    (State.EVIDENCE_REQUESTED, "answer_evidence", APPLICANT): State.UNDER_REVIEW,
    (State.UNDER_REVIEW, "approve", OFFICER): State.APPROVED,
    (State.UNDER_REVIEW, "approve", SUPERVISOR): State.APPROVED,
    (State.UNDER_REVIEW, "refuse", OFFICER): State.REFUSED,
    (State.UNDER_REVIEW, "refuse", SUPERVISOR): State.REFUSED,
    (State.APPROVED, "issue", SYSTEM): State.ISSUED,
    (State.REFUSED, "reverse", SUPERVISOR): State.UNDER_REVIEW,
    (State.UNDER_REVIEW, "resolve_duplicate", OFFICER): State.UNDER_REVIEW,
    (State.UNDER_REVIEW, "resolve_duplicate", SUPERVISOR): State.UNDER_REVIEW,
}

# What the applicant side may do to a case besides moving it between states (the
# services still check the state: a draft only for edits, uploads also on request).
CASE_CHANGES: dict[str, set[str]] = {"edit_draft": {APPLICANT}, "upload": {APPLICANT}}

# Actions an officer may take only on a case assigned to them.
NEEDS_ASSIGNMENT = {"request_evidence", "approve", "refuse", "resolve_duplicate"}
REVERSAL_WINDOW_DAYS = 30


def next_state(state: str, action: str, role: str) -> str | None:
    return TRANSITIONS.get((state, action, role))


def actions_for(state: str, role: str) -> list[str]:
    return [action for (s, action, r) in TRANSITIONS if s == state and r == role]
