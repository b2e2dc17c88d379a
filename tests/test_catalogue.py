"""The one catalogue (issue 24): ``django.po`` is the translators' source and the only
place a sentence is translated; ``scripts/messages.py`` refreshes it and compiles
``django.mo``.  These hold the committed files to that."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from kvisa.i18n import translate
from kvisa.rules.facts import FACTS, GROUPS
from kvisa.rules.programmes import ROUTES

LOCALES = Path(__file__).parents[1] / "src" / "kvisa" / "locale"
LANGUAGES = sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALES / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_a_fuzzy_guess(language: str) -> None:
    po = _catalogue(language)
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []
    assert [e.msgid for e in po if not (e.msgstr or any(e.msgstr_plural.values()))] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_committed_source(language: str) -> None:
    """A .po edited without running scripts/messages.py would leave the pages behind."""
    po = _catalogue(language)
    mo = polib.mofile(str(LOCALES / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo}
    for entry in po:
        found = compiled.get((entry.msgctxt, entry.msgid))
        assert found is not None, entry.msgid
        if entry.msgid_plural:
            assert {int(k): v for k, v in found[1].items()} == \
                {int(k): v for k, v in entry.msgstr_plural.items()}, entry.msgid
        else:
            assert found[0] == entry.msgstr, entry.msgid


def test_what_the_rules_and_routes_say_is_in_the_catalogue() -> None:
    """Route names, fact questions, help and groups are message ids: each has Chinese."""
    texts = [route.name for route in ROUTES]
    for fact in FACTS:
        if fact.ask is not None:
            texts += [t for t in (fact.ask.question, fact.ask.help, fact.ask.statement) if t]
    texts += [t for pair in GROUPS.values() for t in pair]
    untranslated = [t for t in texts if translate(t, "zh") == t]
    assert untranslated == []


def test_a_programme_is_written_in_one_language_and_translated_in_the_catalogue() -> None:
    """A programme's names and criterion texts are English message ids (the model has no
    second-language field), and each one's Chinese comes from the catalogue."""
    import re

    from kvisa.rules.model import walk_groups
    from kvisa.rules.programmes import PROGRAMMES

    han = re.compile(r"[\u4e00-\u9fff]")
    for programme in PROGRAMMES:
        assert han.search(programme.name_zh) and not han.search(programme.name), programme.id
        for criterion, _route in programme.criteria():
            assert not han.search(criterion.text), criterion.id
            assert han.search(criterion.text_zh), criterion.id
        for group in walk_groups(programme.rule):
            assert not group.text or han.search(group.text_zh), group.id
        for output in programme.outputs:
            assert han.search(output.text_zh), output.id
        for route in programme.not_modelled:
            assert han.search(route.text_zh), route.text


SOURCE = Path(__file__).parents[1] / "src" / "kvisa"
SWITCH = re.compile(
    r"""startswith\(["']zh|==\s*["']zh|["']zh["']\s+if\b|\bif\s+zh\b|_zh\s+if\b"""
    r"""|\bzh\s*=\s*|LANG(?:UAGE_CODE)?(?:\|\S+)?\s*==""")
"""A choice of words or punctuation made by testing the language in place."""


def test_no_module_or_template_switches_on_the_language_itself() -> None:
    """Only the language layer (kvisa.i18n) looks at which language a reader reads:
    every other module asks it (translate, pick, punctuation, reader_date), so a third
    language is a catalogue and a settings entry, not a change in code."""
    found = []
    for path in [*SOURCE.rglob("*.py"), *SOURCE.rglob("*.html")]:
        if path.name == "i18n.py" or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SWITCH.search(line):
                found.append(f"{path.relative_to(SOURCE)}:{number}: {line.strip()}")
    assert found == []


PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def test_translations_carry_the_values_their_message_fills_in() -> None:
    """A translation that wrote today's value into its words (学士 for
    ``{cn.k_visa.min_degree}``) would say the old value under a what-if."""
    po = _catalogue("zh_Hans")
    lost = [e.msgid for e in po
            if set(PLACEHOLDER.findall(e.msgid)) != set(PLACEHOLDER.findall(e.msgstr))]
    assert lost == []


def test_a_what_if_value_reads_in_the_sentences_language() -> None:
    import datetime as dt

    from kvisa.rules import explain
    from kvisa.rules.scenario import Scenario

    def degree_sentence(scenario: Scenario | None) -> dict[str, str]:
        assessment = explain({}, ["cn.k_visa"], dt.date(2026, 1, 1), scenario)
        return next(c.texts for c in assessment.programmes[0].criteria
                    if c.id == "cn.k_visa.degree_level")

    assert degree_sentence(None)["zh"] == "获得学士及以上学位。"
    masters = degree_sentence(Scenario("masters", (("cn.k_visa.min_degree", "master"),)))
    assert masters == {"en": "Holds a master's degree or above.", "zh": "获得硕士及以上学位。"}
