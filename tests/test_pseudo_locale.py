"""A pseudo-locale that marks every message: what a page or command shows unmarked was
never put through the catalogue, and no translator could ever translate it.

The pseudo-locale ``qps`` (tests only) is built from the committed ``django.po``:
every translation is its message wrapped in ⟦ ⟧.  It is taught to both halves of
the language layer — Django's (LANGUAGES, LOCALE_PATHS) and :mod:`kvisa.i18n` —
as a third language would be, with no change in code.  Text that is data, not
words of the service (numbers, dates, codes, names of countries from CLDR, the
product's name), is allowed unmarked.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest

from kvisa import i18n
from kvisa.rules import engine

SOURCE_PO = Path(__file__).parents[1] / "src" / "kvisa" / "locale" / "zh_Hans" / "LC_MESSAGES" \
    / "django.po"
OPEN, CLOSE = "⟦", "⟧"
ALLOWED = re.compile(
    r"""^(?:kvisa|English|简体中文|Pseudo|GitHub|JSON|CSV|API|OpenAPI|PDF|MRZ|ICAO|HTTP)$""")
"""Names that are the same in every language (the product, formats, the language menu's
own names of languages)."""


def _pseudo(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}" if text else text


@pytest.fixture(scope="module")
def pseudo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pseudo") / "locale"
    target = folder / "qps" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = polib.pofile(str(SOURCE_PO))
    po.metadata["Language"] = "qps"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: _pseudo(entry.msgid), 1: _pseudo(entry.msgid_plural)}
        else:
            entry.msgstr = _pseudo(entry.msgid)
    po.save_as_mofile(str(target / "django.mo"))
    return folder


@pytest.fixture
def pseudo(pseudo_folder: Path, settings: Any) -> Any:
    settings.LANGUAGES = [*settings.LANGUAGES, ("qps", "Pseudo")]
    settings.LOCALE_PATHS = [str(pseudo_folder), *settings.LOCALE_PATHS]
    i18n.add_language("qps", "qps", pseudo_folder)
    engine._compile.cache_clear()  # compiled sentences are made for the languages known
    yield "qps"
    i18n.remove_language("qps")
    engine._compile.cache_clear()


class _Text(HTMLParser):
    """The text a reader sees: text nodes outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg", "datalist", "textarea"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg", "datalist", "textarea"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(data)


def unmarked(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """Words outside ⟦ ⟧ that are not numbers, codes, data or allowed names."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    while re.search(r"⟦[^⟦⟧]*⟧", text):
        text = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    words = re.findall(r"[^\W\d_][\w'’.-]*", text)
    return [w for w in words if not ALLOWED.match(w)
            and not re.fullmatch(r"[A-Z]{2,4}\d*|[A-Z]\d+|\d+\w*|[a-z]{2}(-[a-z]+)?", w)]


def _page_words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return unmarked("\n".join(parser.chunks), _citations())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/pathways", "/pathways/all", "/apply/k-visa/",
                                  "/accounts/login/", "/verify"])
def test_public_pages_show_no_text_the_catalogue_never_saw(pseudo: str, client: Any,
                                                           path: str) -> None:
    page = client.get(path, HTTP_ACCEPT_LANGUAGE=pseudo)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'lang="{pseudo}"' in html  # the page is in the pseudo-locale
    assert _page_words(html) == [], path


@pytest.mark.django_db
def test_a_compared_profile_shows_no_unmarked_text(pseudo: str, client: Any) -> None:
    page = client.post("/pathways/all", {
        "date_of_birth-day": "14", "date_of_birth-month": "5", "date_of_birth-year": "1996",
        "nationality": "IND", "highest_degree": "master", "degree_field": "0613",
        "degree_institution_recognised": "true", "years_work_experience": "4"},
        HTTP_ACCEPT_LANGUAGE=pseudo)
    assert 'data-testid="summary"' in page.content.decode()
    assert _page_words(page.content.decode()) == []


def test_cli_tables_show_no_unmarked_text(pseudo: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kvisa.cli import app

    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"date_of_birth": "1996-05-14", "nationality": "IND",
                                   "highest_degree": "master", "degree_field": "0613"}))
    for command in (["check", str(profile), "--on", "2026-01-01", "--lang", pseudo],
                    ["compare", str(profile), "--on", "2026-01-01", "--lang", pseudo]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
        # a table wraps a citation across lines: its words, not its whole text, are data
        cited = {w for c in _citations() for w in unmarked(c)}
        assert [w for w in unmarked(result.output) if w not in cited] == [], command


def _citations() -> tuple[str, ...]:
    """The pinpoints and notes of every citation: the law's own references (Art. 6(6),
    "in force 1 Oct 2025"), data beside the words, written as the sources write them."""
    from kvisa.rules.programmes import PROGRAMMES

    found: set[str] = set()
    for programme in PROGRAMMES:
        citations = [programme.in_force_citation, *(c.citation for c, _r in programme.criteria()),
                     *(o.citation for o in programme.outputs)]
        for citation in citations:
            found.update(part for part in (citation.instrument, citation.article) if part)
    return tuple(found)


@pytest.mark.django_db
def test_the_applicants_and_the_officers_pages_show_no_unmarked_text(pseudo: str) -> None:
    """Their own answers (a name, a passport number, a university) are data; every word
    of the service around them is the catalogue's."""
    from kvisa.accounts.models import Role
    from kvisa.casework import services
    from tests.support.cases import IDENTITY, PROFILE, under_review
    from tests.support.people import client_for, make_user

    applicant = make_user(Role.APPLICANT, display_name="Priya Sharma")
    draft = services.application_create(applicant=applicant)
    services.application_save_draft(application_id=draft.pk, by=applicant, profile=PROFILE,
                                    identity=IDENTITY)
    own = client_for(applicant)
    data = tuple(str(v) for v in (*IDENTITY.values(), *PROFILE.values(), "Priya Sharma",
                                  draft.reference, applicant.email))
    for page in ("/applications/", f"/applications/{draft.pk}/edit/",
                 f"/applications/{draft.pk}/edit/identity/",
                 f"/applications/{draft.pk}/edit/degree/",
                 f"/applications/{draft.pk}/check/"):
        html = own.get(page, HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()
        parser = _Text()
        parser.feed(html)
        assert unmarked("\n".join(parser.chunks), (*data, *_citations())) == [], page
    officer = make_user(Role.OFFICER, display_name="Wang Fang")
    case = under_review(make_user(Role.APPLICANT, display_name="Lea Meyer"), officer)
    html = client_for(officer).get(f"/console/cases/{case.pk}/",
                                   HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()
    parser = _Text()
    parser.feed(html)
    from kvisa.rules import fact_text

    # the applicant's answers as the page writes them (a country's CLDR name, a date's
    # month), the files they uploaded and their media types are data too
    answers = tuple(fact_text.in_words(k, v, pseudo) for k, v in
                    {**case.identity, **case.profile}.items())
    files = tuple(x for d in case.documents.all() for x in (d.original_name, d.media_type))
    staff_data = (*data, *answers, *files, "Wang Fang", "Lea Meyer", case.reference,
                  officer.email)
    found = unmarked("\n".join(parser.chunks), (*staff_data, *_citations()))
    assert found == [], " ".join(found)
