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

import datetime as dt
import gettext
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_date_format
from babel.lists import format_list

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (read later with
    :func:`translate` in the reader's language).  ``makemessages`` knows the name."""
    return message


# The languages the catalogue speaks: a code as pages and the CLI name it → the
# gettext locale folder of its translations.  English is the message ids
# themselves.  A language added here (and in Django's LANGUAGES) with its folder
# needs no other change; tests add a pseudo-locale through add_language.
_LOCALES: dict[str, str] = {"en": "", "zh": "zh_Hans"}


def add_language(code: str, locale_name: str, folder: Path) -> None:
    """Teach the layer a language whose catalogue lives in ``folder/<locale_name>``
    (tests add a pseudo-locale this way)."""
    _LOCALES[code] = locale_name
    _LOCALE_FOLDERS[locale_name] = folder
    _catalogue.cache_clear()


def remove_language(code: str) -> None:
    """Forget a language :func:`add_language` taught."""
    _LOCALE_FOLDERS.pop(_LOCALES.pop(code, ""), None)
    _catalogue.cache_clear()


_LOCALE_FOLDERS: dict[str, Path] = {}


def languages() -> tuple[str, ...]:
    """Every language the catalogue speaks (``en`` first)."""
    return tuple(_LOCALES)


def language(lang: str | None) -> str:
    """The catalogue's code for a language tag: ``zh`` for any Chinese tag (``zh``,
    ``zh-hans``, ``zh_Hans``), a language the layer was taught, else ``en``."""
    tag = (lang or "").lower().replace("_", "-")
    primary = tag.split("-")[0]
    if tag in _LOCALES:
        return tag
    return primary if primary in _LOCALES else "en"


def pick(texts: dict[str, str], lang: str | None) -> str:
    """A per-language text (``{"en": …, "zh": …}``) in the reader's language, or in
    English where it has none."""
    return texts.get(language(lang)) or texts.get("en", "")


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
    locale_name = _LOCALES.get(lang, "")
    if not locale_name:
        return gettext.NullTranslations()
    found = gettext.translation("django", _LOCALE_FOLDERS.get(locale_name, LOCALE_DIR),
                                languages=[locale_name], fallback=True)
    for folder in _EXTRA_FOLDERS:
        found.add_fallback(gettext.translation("messages", folder / "locale",
                                               languages=[locale_name], fallback=True))
    return found


def translate(message: str, lang: str | None = "en") -> str:
    """``message`` in ``lang`` from the catalogue (the message itself where it has none)."""
    return _catalogue(language(lang)).gettext(message) if message else message


# ------------------------------------------------------------ the reader's locale
#
# A page is in English or Chinese, but an Indian and an American reader of the same
# English page write dates differently.  The web layer sets the reader's region
# from the browser's Accept-Language for the request; without one, English dates
# follow CLDR's "world English" (en_001: 14 May 1996), which no reader misreads.

_REGION: ContextVar[str] = ContextVar("kvisa_reader_region", default="")


def set_reader_region(region: str) -> Token[str]:
    """The reader's region (``IN``, ``US``) for this request or command."""
    return _REGION.set(region.upper())


def reset_reader_region(token: Token[str]) -> None:
    _REGION.reset(token)


@cache
def _locale(lang: str, region: str) -> Locale:
    if lang != "en":
        try:
            return Locale.parse(_LOCALES.get(lang) or lang)
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en_001")
    if region:
        try:
            return Locale.parse(f"en_{region}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse("en_001")


def reader_locale(lang: str | None) -> Locale:
    """The CLDR locale a reader of ``lang`` writes dates and lists in."""
    return _locale(language(lang), _REGION.get())


def reader_date(value: dt.date, lang: str | None) -> str:
    """A date as the reader writes it: "14 May 1996", "May 14, 1996" to an American
    reader, "1996年5月14日" in Chinese (CLDR's medium format for the reader's locale)."""
    return format_date(value, "medium", locale=reader_locale(lang))


def date_order(lang: str | None) -> tuple[str, ...]:
    """The order a reader writes a date's parts in (``day``, ``month``, ``year``): the
    order of the boxes of a date input, read from the locale's short date pattern."""
    pattern = get_date_format("short", locale=reader_locale(lang)).pattern
    seen = {"d": "day", "M": "month", "y": "year"}
    order = [seen.pop(ch) for ch in pattern if ch in seen]
    return tuple(order + list(seen.values()))


def join(items: list[str], lang: str | None) -> str:
    """Items as a list in a sentence: "a, b and c", "a、b和c"."""
    return format_list(items, locale=reader_locale(lang)) if items else ""


# Punctuation a sentence is built with, by language (English's where a language has
# none here): the layer's, so that no module picks punctuation by language itself.
_PUNCTUATION: dict[str, dict[str, str]] = {
    "en": {"colon": ": ", "separator": ", ", "semicolon": "; ", "open": "“", "close": "”"},
    "zh": {"colon": "：", "separator": "、", "semicolon": "；", "open": "「", "close": "」"},
}


def punctuation(mark: str, lang: str | None) -> str:
    """``colon``, ``separator`` (between list items), ``semicolon``, ``open``/``close``
    (quotation marks) as the reader's language writes them."""
    return _PUNCTUATION.get(language(lang), _PUNCTUATION["en"]).get(mark) \
        or _PUNCTUATION["en"][mark]
