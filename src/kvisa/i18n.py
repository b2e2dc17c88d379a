"""One catalogue for every layer: the rules, pathways, the CLI and Django read the
same gettext messages (``locale/<lang>/LC_MESSAGES/django.po``).

Django's own ``gettext`` needs settings and an active language; the rules and
the CLI run without Django, so this module reads the compiled catalogue with the
standard library's :mod:`gettext` (no other library needed).  Strings defined in
the rules are marked with :func:`gettext_noop` so that ``makemessages`` collects
them into the translators' file; they are translated when read, for the reader's
language.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (read later with
    :func:`translate` in the reader's language).  ``makemessages`` knows the name."""
    return message


def language(lang: str | None) -> str:
    """``zh`` for any Chinese tag (``zh``, ``zh-hans``, ``zh_Hans``), else ``en``."""
    return "zh" if (lang or "").lower().startswith("zh") else "en"


# A programme folder kept outside kvisa carries its own translations in
# ``<folder>/locale/<lang>/LC_MESSAGES/messages.mo``; the loader adds the folder
# here, and its catalogue answers what kvisa's own does not.
_EXTRA_FOLDERS: list[Path] = []


def add_catalogue(folder: Path) -> None:
    """Read ``folder/locale`` (a programme folder's own translations) after kvisa's."""
    if (folder / "locale").is_dir() and folder not in _EXTRA_FOLDERS:
        _EXTRA_FOLDERS.append(folder)
        _catalogue.cache_clear()


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang != "zh":
        return gettext.NullTranslations()
    found = gettext.translation("django", LOCALE_DIR, languages=["zh_Hans"], fallback=True)
    for folder in _EXTRA_FOLDERS:
        found.add_fallback(gettext.translation("messages", folder / "locale",
                                               languages=["zh_Hans"], fallback=True))
    return found


def translate(message: str, lang: str | None = "en") -> str:
    """``message`` in ``lang`` from the catalogue (the message itself where it has none)."""
    return _catalogue(language(lang)).gettext(message) if message else message
