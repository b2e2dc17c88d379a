"""Password rules of NIST SP 800-63B-4 §3.1.1.2.

At least 15 characters when the password is the only factor, at least 8 when
the account has (or, for staff, must have) a second factor; at least 64
allowed (kvisa accepts 128); no composition rules; checked against a
blocklist (Django's 20,000 common passwords plus context words below).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 128
CONTEXT_WORDS = ("kvisa", "visa", "password", "passwort", "mima", "123456789")


def has_second_factor(user: Any) -> bool:
    if user is None or getattr(user, "pk", None) is None:
        return getattr(user, "role", "applicant") in ("officer", "supervisor", "analyst",
                                                       "admin")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return bool(getattr(user, "is_staff_role", False)) or TOTPDevice.objects.filter(
        user=user, confirmed=True).exists()


class NistLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = 8 if has_second_factor(user) else 15
        if len(password) < minimum:
            raise ValidationError(
                _("Use at least %(min)d characters. A long phrase is easiest to remember.")
                % {"min": minimum}, code="password_too_short")
        if len(password) > MAX_LENGTH:
            raise ValidationError(_("Use at most %(max)d characters.") % {"max": MAX_LENGTH},
                                  code="password_too_long")

    def get_help_text(self) -> str:
        return _("At least 15 characters (8 with a second factor). Spaces and any characters "
                 "are allowed; paste from a password manager works.")


class ContextBlocklistValidator:
    """Refuse passwords that are mostly the service's own name or a trivial sequence."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower().replace(" ", "")
        for word in CONTEXT_WORDS:
            if lowered.replace(word, "") == "" or len(set(lowered)) <= 2:
                raise ValidationError(_("This password is too easy to guess."),
                                      code="password_blocklisted")

    def get_help_text(self) -> str:
        return ""
