"""Words people read: each fact's label (declared with the fact, translated through
the one catalogue), and the words for verdicts, results and statuses.

Keys (``annual_salary_cny``) stay in JSON and files; tables, pages and e-mails
show these labels, so that the CLI (no Django) and the pages say the same thing;
a test checks that every fact has a label in both languages.
"""

from __future__ import annotations

import re
from typing import Any

from kvisa.i18n import translate
from kvisa.rules.facts import FACTS_BY_NAME

VERDICTS: dict[str, tuple[str, str]] = {
    "eligible": ("eligible", "符合条件"),
    "not_eligible": ("not eligible", "不符合条件"),
    "undetermined": ("undetermined", "尚无法确定"),
}
RESULTS: dict[str, tuple[str, str]] = {
    "met": ("met", "满足"), "not_met": ("not met", "不满足"), "unknown": ("unknown", "未知"),
}
STATUSES: dict[str, tuple[str, str]] = {
    "in_force": ("in force", "现行有效"),
    "authority-set": ("set by the authority (kvisa default)", "由主管机关确定（kvisa默认值）"),
    "reported": ("reported, not officially published", "仅见于报道，未正式公布"),
    "draft": ("a draft that is not law", "草案，非现行法律"),
    "scenario": ("what-if scenario", "假设情景"),
}
STATUS_SENTENCES: dict[str, tuple[str, str]] = {
    "authority-set": ("This answer rests on a value the law leaves to the authority "
                      "(kvisa's default).", "该结论依据的数值由主管机关确定（kvisa默认值）。"),
    "reported": ("This answer rests on a value reported in secondary sources, not officially "
                 "published.", "该结论依据的数值仅见于报道，未正式公布。"),
    "draft": ("This answer rests on a draft that is not law.", "该结论依据的是尚未成为法律的草案。"),
    "scenario": ("This answer is under a what-if scenario, not the law in force.",
                 "该结论基于假设情景，而非现行法律。"),
}
WORDS: dict[str, tuple[str, str]] = {
    "missing": ("missing", "缺少"),
    "depends on": ("depends on", "取决于"),
    "up to": ("up to", "最多"),
    "not needed": ("not needed", "不需要"),
    "not published": ("fee not published", "费用未公布"),
    "route": ("route", "途径"),
    "verdict": ("verdict", "结论"),
    "missing / to qualify": ("missing / to qualify", "缺少的信息 / 如何符合"),
    "government fees": ("government fees", "政府费用"),
    "days": ("days", "天数"),
    "validity": ("validity", "有效期"),
    "odds": ("odds", "中签概率"),
    "Routes on": ("Routes on", "各途径比较，日期"),
    "not published (time)": ("not published", "未公布"),
    "permanent": ("permanent", "永久"),
    "season": ("season", "申报季"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang.startswith("zh") else pair[0]


RECORD_FIELDS: dict[str, tuple[str, str]] = {
    "record": ("record", "记录"),
    "city": ("city", "城市"),
    "salary_cny": ("salary (CNY)", "工资收入（人民币）"),
    "income_tax_cny": ("income tax (CNY)", "个人所得税（人民币）"),
    "months_in_china": ("months in China", "在华居住月数"),
}


def fact_label(name: str, lang: str = "en") -> str:
    """The fact's label in ``lang`` (``en`` or ``zh``); the key itself if it has none.

    Also reads the finer names a rule gives for what it lacks:
    ``employment_records.2023.salary_cny`` (one field of one year's record) and
    ``average_wage.Shanghai.2022`` (a figure absent from the reference table).
    """
    fact = FACTS_BY_NAME.get(name)
    if fact is not None and fact.label:
        return translate(fact.label, lang)
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "employment_records" and parts[2] in RECORD_FIELDS:
        what = _pick(RECORD_FIELDS[parts[2]], lang)
        return (f"{parts[1]}年在华工作{what}" if lang.startswith("zh")
                else f"work in China in {parts[1]}: {what}")
    if len(parts) == 3 and parts[0] == "average_wage":
        return (f"{city_name(parts[1], lang)}{parts[2]}年城镇单位就业人员平均工资（参考数据缺失）"
                if lang.startswith("zh")
                else f"average wage of {parts[1]} for {parts[2]} (not in the reference table)")
    return name


def city_name(city: str, lang: str) -> str:
    """A city as the reader reads it: the wage table's Chinese name where it has one;
    else as the applicant typed it, set apart (「Beijing」) so that it never runs into
    the sentence around it."""
    if not lang.startswith("zh"):
        return city
    from kvisa.rules import reference

    known = {name.casefold(): chinese for name, chinese in reference.cities()}
    chinese = known.get(city.casefold())
    return chinese if chinese else f"「{city}」"


def verdict_label(verdict: str, lang: str = "en") -> str:
    return _pick(VERDICTS.get(verdict, (verdict, verdict)), lang)


def result_label(result: str, lang: str = "en") -> str:
    return _pick(RESULTS.get(result, (result, result)), lang)


def status_label(status: str, lang: str = "en") -> str:
    return _pick(STATUSES.get(status, (status, status)), lang)


def status_sentence(status: str, lang: str = "en") -> str:
    """A sentence to put beside a verdict that is less sure than law in force ("" if in force)."""
    pair = STATUS_SENTENCES.get(status)
    return _pick(pair, lang) if pair else ""


def word(key: str, lang: str = "en") -> str:
    return _pick(WORDS.get(key, (key, key)), lang)


_ARTICLE = re.compile(r"\bArt\. (\d+)(?:\((\d+)\))?")


def _articles_zh(article: str) -> str:
    """"Art. 6(1)" as a Chinese reader cites it (第6条第1项); the rest as written."""
    return _ARTICLE.sub(lambda m: f"第{m.group(1)}条" + (f"第{m.group(2)}项" if m.group(2)
                                                       else ""), article)


def citation_text(citation: dict[str, Any], lang: str = "en") -> str:
    """A source as the reader cites it: the instrument's name in their language where
    the catalogue has it, the articles as they write them (pages and the CLI alike)."""
    instrument = translate(str(citation.get("instrument", "")), lang)
    article = str(citation.get("article", ""))
    if lang.startswith("zh"):
        article = _articles_zh(article)
    return f"{instrument} {article}".strip()
