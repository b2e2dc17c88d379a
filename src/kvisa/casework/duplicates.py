"""Duplicate applicants, by declared rules: found when a case is submitted, resolved
by an officer (not a duplicate / linked / refused), journaled like any action.

Rules are data (``RULES``): a strict one — same passport number, birth date and
nationality — and a fuzzy one — same birth date and nationality, names alike
across scripts.  Names are compared after transliteration to Latin letters
(anyascii, ISC: 张伟 → ZHANGWEI), ignoring order and spacing (rapidfuzz, MIT),
so "ZHANG WEI", "Wei Zhang" and "张伟" meet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii
from django.db.models import TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from rapidfuzz import fuzz

from kvisa.casework.models import Application, DuplicateFlag, State

NAME_THRESHOLD = 85.0
MAX_CANDIDATES = 500   # people born the same day checked per submission, newest first
MAX_FLAGS = 20         # an officer reads them; more would say "many", not "which"


@dataclass(frozen=True)
class DuplicateRule:
    name: str
    strength: str            # "strict" (same document) or "fuzzy" (probably the same person)
    description: str
    matches: Callable[[Application, Application], bool]


def _clean(text: Any) -> str:
    return "".join(str(text or "").upper().split())


def _latin(text: str) -> str:
    return " ".join(anyascii(text).upper().replace("<", " ").split())


def name_similarity(first: str, second: str) -> float:
    """0-100: the same name in any order, spacing or script scores near 100."""
    a, b = _latin(first), _latin(second)
    if not a or not b:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
               fuzz.ratio("".join(sorted(a.split())), "".join(sorted(b.split()))))


def full_name(application: Application) -> str:
    identity = application.identity
    return f"{identity.get('surname', '')} {identity.get('given_names', '')}".strip()


def _same(field: str, source: str) -> Callable[[Application, Application], bool]:
    def same(a: Application, b: Application) -> bool:
        left, right = getattr(a, source).get(field), getattr(b, source).get(field)
        return bool(left) and _clean(left) == _clean(right)
    return same


def _all(*tests: Callable[[Application, Application], bool]
         ) -> Callable[[Application, Application], bool]:
    return lambda a, b: all(test(a, b) for test in tests)


RULES: tuple[DuplicateRule, ...] = (
    DuplicateRule("same_passport", "strict",
                  "Same passport number, date of birth and nationality",
                  _all(_same("passport_number", "identity"), _same("date_of_birth", "profile"),
                       _same("nationality", "profile"))),
    DuplicateRule("similar_name", "fuzzy",
                  "Same date of birth and nationality, names alike across scripts",
                  _all(_same("date_of_birth", "profile"), _same("nationality", "profile"),
                       lambda a, b: name_similarity(full_name(a), full_name(b))
                       >= NAME_THRESHOLD)),
)


def find(application: Application) -> list[DuplicateFlag]:
    """Flag earlier cases this one may duplicate (one flag per other case: the
    strongest rule that matched).  Runs inside the submission's transaction."""
    birth = application.profile.get("date_of_birth")
    if not birth:
        return []
    # every rule needs the same birth date: one indexed look-up (the "duplicate_birth"
    # expression index), newest first, and a bounded number of flags per case
    # (cast to text: compared as a plain string on PostgreSQL and SQLite alike, matching
    # the index expression)
    candidates = (Application.objects.alias(birth=Cast(KeyTextTransform("date_of_birth",
                                                                         "profile"),
                                                        output_field=TextField()))
                  .filter(birth=str(birth))
                  .exclude(pk=application.pk)
                  .exclude(state__in=[State.DRAFT, State.WITHDRAWN])
                  .order_by("-submitted_at")[:MAX_CANDIDATES])
    flags = []
    for other in candidates:
        rule = next((r for r in RULES if r.matches(application, other)), None)
        if rule is not None:
            flags.append(DuplicateFlag(application=application, other=other, rule=rule.name,
                                       strength=rule.strength))
            if len(flags) == MAX_FLAGS:
                break
    return DuplicateFlag.objects.bulk_create(flags, ignore_conflicts=True)
