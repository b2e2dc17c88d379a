"""Words people read: each fact's label (declared with the fact, translated through
the one catalogue), and the words for verdicts, results and statuses.

Keys (``annual_salary_cny``) stay in JSON and files; tables, pages and e-mails
show these labels, so that the CLI (no Django) and the pages say the same thing;
a test checks that every fact has a label in both languages.
"""

from __future__ import annotations

import re
from typing import Any

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import language, pick, punctuation, translate
from kvisa.rules.facts import definition

VERDICTS: dict[str, str] = {
    "eligible": N_("eligible"),
    "not_eligible": N_("not eligible"),
    "undetermined": N_("undetermined"),
}
RESULTS: dict[str, str] = {
    "met": N_("met"), "not_met": N_("not met"), "unknown": N_("unknown"),
}
STATUSES: dict[str, str] = {
    "in_force": N_("in force"),
    "authority-set": N_("set by the authority (kvisa default)"),
    "reported": N_("reported, not officially published"),
    "draft": N_("a draft that is not law"),
    "scenario": N_("what-if scenario"),
}
STATUS_SENTENCES: dict[str, str] = {
    "authority-set": N_("This answer rests on a value the law leaves to the authority "
                        "(kvisa's default)."),
    "reported": N_("This answer rests on a value reported in secondary sources, not "
                   "officially published."),
    "draft": N_("This answer rests on a draft that is not law."),
    "scenario": N_("This answer is under a what-if scenario, not the law in force."),
}
WORDS: dict[str, str] = {
    "missing": N_("missing"),
    "depends on": N_("depends on"),
    "up to": N_("up to"),
    "not needed": N_("not needed"),
    "not published": N_("fee not published"),
    "route": N_("route"),
    "verdict": N_("verdict"),
    "missing / to qualify": N_("missing / to qualify"),
    "government fees": N_("government fees"),
    "days": N_("days"),
    "validity": N_("validity"),
    "odds": N_("odds"),
    "Routes on": N_("Routes on"),
    "not published (time)": N_("not published"),
    "permanent": N_("permanent"),
    "season": N_("season"),
}


RECORD_FIELDS: dict[str, str] = {
    "record": N_("record"),
    "city": N_("city"),
    "salary_cny": N_("salary (CNY)"),
    "income_tax_cny": N_("income tax (CNY)"),
    "months_in_china": N_("months in China"),
}


def fact_label(name: str, lang: str = "en") -> str:
    """The fact's label in ``lang`` (``en`` or ``zh``); the key itself if it has none.

    Also reads the finer names a rule gives for what it lacks:
    ``employment_records.2023.salary_cny`` (one field of one year's record) and
    ``average_wage.Shanghai.2022`` (a figure absent from the reference table).
    """
    fact = definition(name)
    if fact is not None and fact.label:
        return translate(fact.label, lang)
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "employment_records" and parts[2] in RECORD_FIELDS:
        return translate(N_("work in China in {year}: {what}"), lang).format(
            year=parts[1], what=translate(RECORD_FIELDS[parts[2]], lang))
    if len(parts) == 3 and parts[0] == "average_wage":
        return translate(N_("average wage of {city} for {year} (not in the reference table)"),
                         lang).format(city=city_name(parts[1], lang), year=parts[2])
    return name


def city_name(city: str, lang: str) -> str:
    """A city as the reader reads it: the wage table's Chinese name where it has one;
    else as the applicant typed it, set apart (「Beijing」) so that it never runs into
    the sentence around it."""
    from kvisa.rules import reference

    known = {name.casefold(): {"en": name, "zh": chinese} for name, chinese in reference.cities()}
    names = known.get(city.casefold())
    if names is not None:
        return pick(names, lang)
    if language(lang) == "en":
        return city
    return f"{punctuation('open', lang)}{city}{punctuation('close', lang)}"


def verdict_label(verdict: str, lang: str = "en") -> str:
    return translate(VERDICTS.get(verdict, verdict), lang)


def result_label(result: str, lang: str = "en") -> str:
    return translate(RESULTS.get(result, result), lang)


def status_label(status: str, lang: str = "en") -> str:
    return translate(STATUSES.get(status, status), lang)


def status_sentence(status: str, lang: str = "en") -> str:
    """A sentence to put beside a verdict that is less sure than law in force ("" if in force)."""
    pair = STATUS_SENTENCES.get(status)
    return translate(pair, lang) if pair else ""


def word(key: str, lang: str = "en") -> str:
    return translate(WORDS.get(key, key), lang)


_ARTICLE = re.compile(r"\bArt\. (\d+)(?:\((\d+)\))?")


def _articles_zh(article: str) -> str:
    """"Art. 6(1)" as a Chinese reader cites it (第6条第1项); the rest as written."""
    return _ARTICLE.sub(lambda m: f"第{m.group(1)}条" + (f"第{m.group(2)}项" if m.group(2)
                                                       else ""), article)


_ARTICLE_STYLES = {"zh": _articles_zh}
"""How a language cites an article, where it differs from "Art. 6(1)"."""


def citation_text(citation: dict[str, Any], lang: str = "en") -> str:
    """A source as the reader cites it: the instrument's name in their language where
    the catalogue has it, the articles as they write them (pages and the CLI alike)."""
    instrument = translate(str(citation.get("instrument", "")), lang)
    written = str(citation.get("article", ""))
    # an article that says more than its number is in the catalogue (marked in the
    # rules); a bare "Art. 6(1)" is cited in the reader's style
    article = translate(written, lang)
    if article == written:
        article = _ARTICLE_STYLES.get(language(lang), str)(written)
    return f"{instrument} {article}".strip()
