"""Names for the codes a profile holds: countries (ISO 3166-1 alpha-3) and fields of
study (ISCED-F 2013), in English and Simplified Chinese.

Profiles, JSON and files keep the codes; people read the names.  Country
names come from the CLDR data in Babel and the alpha-3 → alpha-2 mapping from
iso3166 (both kept libraries).  No library ships the ISCED-F 2013 field list,
so it is written out here from UNESCO's classification (UNESCO Institute for
Statistics, "ISCED Fields of Education and Training 2013", 2014); the Chinese
names are kvisa's translation.
"""

from __future__ import annotations

from functools import cache

import iso3166

from kvisa.i18n import gettext_noop as N_
from kvisa.i18n import language, languages, reader_locale, translate

# code → UNESCO's English name, a message id of the one catalogue (its Chinese, kvisa's
# translation, is in django.po); broad fields (2 digits) and detailed ones (4 digits)
ISCED_F: dict[str, str] = {
    "00": N_("Generic programmes and qualifications"),
    "01": N_("Education"),
    "0111": N_("Education science"),
    "0112": N_("Training for pre-school teachers"),
    "0113": N_("Teacher training without subject specialisation"),
    "0114": N_("Teacher training with subject specialisation"),
    "02": N_("Arts and humanities"),
    "0211": N_("Audio-visual techniques and media production"),
    "0212": N_("Fashion, interior and industrial design"),
    "0213": N_("Fine arts"),
    "0214": N_("Handicrafts"),
    "0215": N_("Music and performing arts"),
    "0221": N_("Religion and theology"),
    "0222": N_("History and archaeology"),
    "0223": N_("Philosophy and ethics"),
    "0231": N_("Language acquisition"),
    "0232": N_("Literature and linguistics"),
    "03": N_("Social sciences, journalism and information"),
    "0311": N_("Economics"),
    "0312": N_("Political sciences and civics"),
    "0313": N_("Psychology"),
    "0314": N_("Sociology and cultural studies"),
    "0321": N_("Journalism and reporting"),
    "0322": N_("Library, information and archival studies"),
    "04": N_("Business, administration and law"),
    "0411": N_("Accounting and taxation"),
    "0412": N_("Finance, banking and insurance"),
    "0413": N_("Management and administration"),
    "0414": N_("Marketing and advertising"),
    "0415": N_("Secretarial and office work"),
    "0416": N_("Wholesale and retail sales"),
    "0417": N_("Work skills"),
    "0421": N_("Law"),
    "05": N_("Natural sciences, mathematics and statistics"),
    "0511": N_("Biology"),
    "0512": N_("Biochemistry"),
    "0521": N_("Environmental sciences"),
    "0522": N_("Natural environments and wildlife"),
    "0531": N_("Chemistry"),
    "0532": N_("Earth sciences"),
    "0533": N_("Physics"),
    "0541": N_("Mathematics"),
    "0542": N_("Statistics"),
    "06": N_("Information and communication technologies"),
    "0611": N_("Computer use"),
    "0612": N_("Database and network design and administration"),
    "0613": N_("Software and applications development and analysis"),
    "07": N_("Engineering, manufacturing and construction"),
    "0711": N_("Chemical engineering and processes"),
    "0712": N_("Environmental protection technology"),
    "0713": N_("Electricity and energy"),
    "0714": N_("Electronics and automation"),
    "0715": N_("Mechanics and metal trades"),
    "0716": N_("Motor vehicles, ships and aircraft"),
    "0721": N_("Food processing"),
    "0722": N_("Materials (glass, paper, plastic and wood)"),
    "0723": N_("Textiles (clothes, footwear and leather)"),
    "0724": N_("Mining and extraction"),
    "0731": N_("Architecture and town planning"),
    "0732": N_("Building and civil engineering"),
    "08": N_("Agriculture, forestry, fisheries and veterinary"),
    "0811": N_("Crop and livestock production"),
    "0812": N_("Horticulture"),
    "0821": N_("Forestry"),
    "0831": N_("Fisheries"),
    "0841": N_("Veterinary"),
    "09": N_("Health and welfare"),
    "0911": N_("Dental studies"),
    "0912": N_("Medicine"),
    "0913": N_("Nursing and midwifery"),
    "0914": N_("Medical diagnostic and treatment technology"),
    "0915": N_("Therapy and rehabilitation"),
    "0916": N_("Pharmacy"),
    "0917": N_("Traditional and complementary medicine and therapy"),
    "0921": N_("Care of the elderly and of disabled adults"),
    "0922": N_("Child care and youth services"),
    "0923": N_("Social work and counselling"),
    "10": N_("Services"),
    "1011": N_("Domestic services"),
    "1012": N_("Hair and beauty services"),
    "1013": N_("Hotel, restaurants and catering"),
    "1014": N_("Sports"),
    "1015": N_("Travel, tourism and leisure"),
    "1021": N_("Community sanitation"),
    "1022": N_("Occupational health and safety"),
    "1031": N_("Military and defence"),
    "1032": N_("Protection of persons and property"),
    "1041": N_("Transport services"),
}


def field_name(code: str, lang: str = "en") -> str | None:
    """The ISCED-F name of a 2- or 4-digit code (a 3-digit code reads as its broad field)."""
    name = ISCED_F.get(code) or ISCED_F.get(code[:2])
    return None if name is None else translate(name, lang)


def field_names(code: str) -> tuple[str, ...]:
    """A field's name in every language of the catalogue (what a search reads)."""
    return tuple(translate(ISCED_F[code], lang) for lang in languages())


def field_choices(lang: str = "en") -> list[tuple[str, str]]:
    """Detailed fields as (code, "code name"), in code order, for a picker."""
    return [(code, f"{code} {translate(name, lang)}")
            for code, name in ISCED_F.items() if len(code) == 4]


# The words people call their subject by, where ISCED's names differ (nobody studies
# "Software and applications development and analysis"; they study computer science).
# Kept beside the codes so that every picker finds the same subjects.
SUBJECT_WORDS: dict[str, str] = {
    "0611": "computer science IT information technology 计算机 信息技术",
    "0612": "computer science computer networks database systems administration cyber security "
            "计算机 网络 数据库 网络安全",
    "0613": "computer science software engineering programming artificial intelligence AI "
            "machine learning data science 计算机科学 软件工程 编程 人工智能 机器学习 数据科学",
    "0533": "physics astronomy 物理 天文",
    "0531": "chemistry 化学",
    "0541": "mathematics maths math 数学",
    "0542": "statistics data science 统计 数据科学",
    "0511": "biology life sciences 生物 生命科学",
    "0512": "biochemistry molecular biology genetics 生物化学 分子生物学 遗传",
    "0714": "electronics electrical engineering telecommunications 电子 电气工程 通信",
    "0713": "electrical engineering energy power 电气 能源 电力",
    "0715": "mechanical engineering mechanics 机械工程",
    "0716": "automotive aerospace aeronautical engineering 汽车 航空航天",
    "0711": "chemical engineering 化学工程 化工",
    "0732": "civil engineering construction 土木工程 建筑",
    "0912": "medicine medical doctor MD 医学 临床",
    "0311": "economics 经济学",
    "0413": "business administration management MBA 工商管理 管理",
    "0412": "finance banking accounting 金融 银行 会计",
    "0421": "law legal 法学 法律",
}


def country_name(alpha3: str, lang: str = "en") -> str | None:
    """The country's short name in ``lang``, or None for a code that is not ISO 3166-1."""
    country = iso3166.countries_by_alpha3.get(alpha3.upper())
    if country is None:
        return None
    return str(reader_locale(lang).territories.get(country.alpha2, country.name))


@cache
def country_choices(lang: str = "en") -> list[tuple[str, str]]:
    """Every ISO 3166-1 country as (alpha-3, "name (alpha-3)"), sorted as a reader of
    ``lang`` looks for it: by name, and in Chinese by the name's pinyin."""
    pairs = [(c.alpha3, country_name(c.alpha3, lang) or c.name) for c in iso3166.countries]
    return [(code, f"{name} ({code})") for code, name in sorted(
        pairs, key=lambda p: reading_order(p[1], lang))]


def reading_order(text: str, lang: str = "en") -> tuple[str, ...]:
    """A sort key: Chinese text by its pinyin (as dictionaries and lists in China are
    ordered; code-point order is stroke-blind and random to a reader), else the text.

    pypinyin (MIT) reads the characters: Python's own sorting has no Chinese
    collation, and the system's zh_CN locale is not on every machine."""
    return _COLLATIONS.get(language(lang), _by_letters)(text)


def _by_letters(text: str) -> tuple[str, ...]:
    return (text.casefold(),)


def _by_pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return (*lazy_pinyin(text), text)


_COLLATIONS = {"zh": _by_pinyin}
"""How a language orders names, where letter order is not how its readers look."""
