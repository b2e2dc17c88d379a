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
from babel import Locale

# code → (English, Chinese); broad fields (2 digits) and detailed fields (4 digits)
ISCED_F: dict[str, tuple[str, str]] = {
    "00": ("Generic programmes and qualifications", "通用课程和资格"),
    "01": ("Education", "教育"),
    "0111": ("Education science", "教育学"),
    "0112": ("Training for pre-school teachers", "学前教师培训"),
    "0113": ("Teacher training without subject specialisation", "非学科专业教师培训"),
    "0114": ("Teacher training with subject specialisation", "学科专业教师培训"),
    "02": ("Arts and humanities", "艺术与人文"),
    "0211": ("Audio-visual techniques and media production", "视听技术与媒体制作"),
    "0212": ("Fashion, interior and industrial design", "服装、室内与工业设计"),
    "0213": ("Fine arts", "美术"),
    "0214": ("Handicrafts", "手工艺"),
    "0215": ("Music and performing arts", "音乐与表演艺术"),
    "0221": ("Religion and theology", "宗教与神学"),
    "0222": ("History and archaeology", "历史与考古"),
    "0223": ("Philosophy and ethics", "哲学与伦理学"),
    "0231": ("Language acquisition", "语言习得"),
    "0232": ("Literature and linguistics", "文学与语言学"),
    "03": ("Social sciences, journalism and information", "社会科学、新闻与信息"),
    "0311": ("Economics", "经济学"),
    "0312": ("Political sciences and civics", "政治学与公民学"),
    "0313": ("Psychology", "心理学"),
    "0314": ("Sociology and cultural studies", "社会学与文化研究"),
    "0321": ("Journalism and reporting", "新闻与报道"),
    "0322": ("Library, information and archival studies", "图书馆、信息与档案学"),
    "04": ("Business, administration and law", "商业、管理与法律"),
    "0411": ("Accounting and taxation", "会计与税务"),
    "0412": ("Finance, banking and insurance", "金融、银行与保险"),
    "0413": ("Management and administration", "管理与行政"),
    "0414": ("Marketing and advertising", "市场营销与广告"),
    "0415": ("Secretarial and office work", "文秘与办公"),
    "0416": ("Wholesale and retail sales", "批发与零售"),
    "0417": ("Work skills", "工作技能"),
    "0421": ("Law", "法律"),
    "05": ("Natural sciences, mathematics and statistics", "自然科学、数学与统计学"),
    "0511": ("Biology", "生物学"),
    "0512": ("Biochemistry", "生物化学"),
    "0521": ("Environmental sciences", "环境科学"),
    "0522": ("Natural environments and wildlife", "自然环境与野生动物"),
    "0531": ("Chemistry", "化学"),
    "0532": ("Earth sciences", "地球科学"),
    "0533": ("Physics", "物理学"),
    "0541": ("Mathematics", "数学"),
    "0542": ("Statistics", "统计学"),
    "06": ("Information and communication technologies", "信息与通信技术"),
    "0611": ("Computer use", "计算机应用"),
    "0612": ("Database and network design and administration", "数据库与网络设计和管理"),
    "0613": ("Software and applications development and analysis", "软件与应用开发和分析"),
    "07": ("Engineering, manufacturing and construction", "工程、制造与建筑"),
    "0711": ("Chemical engineering and processes", "化学工程与工艺"),
    "0712": ("Environmental protection technology", "环境保护技术"),
    "0713": ("Electricity and energy", "电力与能源"),
    "0714": ("Electronics and automation", "电子与自动化"),
    "0715": ("Mechanics and metal trades", "机械与金属加工"),
    "0716": ("Motor vehicles, ships and aircraft", "机动车、船舶与航空器"),
    "0721": ("Food processing", "食品加工"),
    "0722": ("Materials (glass, paper, plastic and wood)", "材料（玻璃、纸、塑料和木材）"),
    "0723": ("Textiles (clothes, footwear and leather)", "纺织（服装、鞋类和皮革）"),
    "0724": ("Mining and extraction", "采矿与开采"),
    "0731": ("Architecture and town planning", "建筑学与城市规划"),
    "0732": ("Building and civil engineering", "建筑与土木工程"),
    "08": ("Agriculture, forestry, fisheries and veterinary", "农业、林业、渔业与兽医"),
    "0811": ("Crop and livestock production", "种植与畜牧生产"),
    "0812": ("Horticulture", "园艺"),
    "0821": ("Forestry", "林业"),
    "0831": ("Fisheries", "渔业"),
    "0841": ("Veterinary", "兽医"),
    "09": ("Health and welfare", "卫生与福利"),
    "0911": ("Dental studies", "口腔医学"),
    "0912": ("Medicine", "医学"),
    "0913": ("Nursing and midwifery", "护理与助产"),
    "0914": ("Medical diagnostic and treatment technology", "医学诊断与治疗技术"),
    "0915": ("Therapy and rehabilitation", "治疗与康复"),
    "0916": ("Pharmacy", "药学"),
    "0917": ("Traditional and complementary medicine and therapy", "传统与补充医学和疗法"),
    "0921": ("Care of the elderly and of disabled adults", "老年人与残疾成人照护"),
    "0922": ("Child care and youth services", "儿童照护与青少年服务"),
    "0923": ("Social work and counselling", "社会工作与咨询"),
    "10": ("Services", "服务"),
    "1011": ("Domestic services", "家政服务"),
    "1012": ("Hair and beauty services", "美发与美容服务"),
    "1013": ("Hotel, restaurants and catering", "酒店、餐饮"),
    "1014": ("Sports", "体育"),
    "1015": ("Travel, tourism and leisure", "旅行、旅游与休闲"),
    "1021": ("Community sanitation", "社区卫生"),
    "1022": ("Occupational health and safety", "职业健康与安全"),
    "1031": ("Military and defence", "军事与国防"),
    "1032": ("Protection of persons and property", "人身与财产保护"),
    "1041": ("Transport services", "运输服务"),
}


def _zh(lang: str) -> bool:
    return lang.startswith("zh")


def field_name(code: str, lang: str = "en") -> str | None:
    """The ISCED-F name of a 2- or 4-digit code (a 3-digit code reads as its broad field)."""
    pair = ISCED_F.get(code) or ISCED_F.get(code[:2])
    return None if pair is None else pair[1 if _zh(lang) else 0]


def field_choices(lang: str = "en") -> list[tuple[str, str]]:
    """Detailed fields as (code, "code name"), in code order, for a picker."""
    return [(code, f"{code} {names[1 if _zh(lang) else 0]}")
            for code, names in ISCED_F.items() if len(code) == 4]


# The words people call their subject by, where ISCED's names differ (nobody studies
# "Software and applications development and analysis"; they study computer science).
# Kept beside the codes so that every picker finds the same subjects.
SUBJECT_WORDS: dict[str, str] = {
    "0611": "computer science IT information technology 计算机 信息技术",
    "0612": "database network systems administration cyber security 网络 数据库 网络安全",
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


def find_fields(words: str, lang: str = "en") -> list[tuple[str, str]]:
    """Detailed fields whose name (in either language), code or usual words contain
    every word typed: "computer science" finds 0613 and 0611."""
    wanted = words.lower().split()
    if not wanted:
        return []
    return [(code, label) for code, label in field_choices(lang)
            if all(w in " ".join((label, *ISCED_F[code], SUBJECT_WORDS.get(code, ""))).lower()
                   for w in wanted)]


@cache
def _locale(lang: str) -> Locale:
    return Locale("zh", script="Hans") if _zh(lang) else Locale("en")


def country_name(alpha3: str, lang: str = "en") -> str | None:
    """The country's short name in ``lang``, or None for a code that is not ISO 3166-1."""
    country = iso3166.countries_by_alpha3.get(alpha3.upper())
    if country is None:
        return None
    return str(_locale(lang).territories.get(country.alpha2, country.name))


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
    if not _zh(lang):
        return (text.casefold(),)
    from pypinyin import lazy_pinyin

    return (*lazy_pinyin(text), text)
