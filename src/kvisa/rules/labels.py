"""Words people read: each fact's label, and the words for verdicts, results and
statuses, in English and Simplified Chinese.

Keys (``annual_salary_cny``) stay in JSON and files; tables, pages and e-mails
show these labels.  They live beside the fact vocabulary, not in a web
translation catalogue, so that the CLI (no Django) and the pages say the same
thing; a test checks that every fact has both labels.
"""

from __future__ import annotations

from kvisa.i18n import translate
from kvisa.rules.facts import FACTS_BY_NAME

FACT_LABELS: dict[str, tuple[str, str]] = {
    "date_of_birth": ("Date of birth", "出生日期"),
    "nationality": ("Nationality", "国籍"),
    "degrees": ("Every degree you hold", "您获得的全部学位"),
    "employment_records": ("Work in China year by year", "在华逐年工作记录"),
    "highest_degree": ("Highest degree", "最高学位"),
    "degree_field": ("Field of study", "所学专业"),
    "degree_institution_recognised": ("Degree from a well-known university or research "
                                      "institution", "学位来自知名高校或科研机构"),
    "teaching_or_research_at_recognised_institution": (
        "Teaching or research at a well-known institution", "在知名高校或科研机构从事教学或科研"),
    "years_work_experience": ("Years of work experience", "工作经验年数"),
    "annual_salary_cny": ("Annual salary in China (CNY)", "在华年薪（人民币）"),
    "months_in_china_per_year": ("Months a year in China", "每年在华月数"),
    "hsk_level": ("Chinese level (HSK 0-6)", "汉语水平（HSK 0-6级）"),
    "former_chinese_national": ("Former Chinese national", "曾为中国公民"),
    "work_in_encouraged_region": ("Works in an encouraged region", "在鼓励地区工作"),
    "fortune_500_experience": ("Fortune Global 500 experience", "世界500强工作经历"),
    "holds_patents": ("Holds patents", "拥有专利"),
    "direct_category_a_qualification": ("Qualifies directly for category A",
                                        "直接符合A类条件"),
    "no_criminal_record": ("No criminal record", "无犯罪记录"),
    "good_health": ("Good health", "身体健康"),
    "years_continuous_work_in_china": ("Years of continuous work in China", "在华连续工作年数"),
    "years_actual_residence_in_china": ("Years actually resident in China", "在华实际居住年数"),
    "chinese_employer_job_offer": ("Job with an employer in China", "有中国境内用人单位聘用"),
    "annual_income_tax_cny": ("Annual income tax paid in China (CNY)",
                              "在华年缴个人所得税（人民币）"),
    "local_urban_average_income_cny": ("Local average wage (CNY)", "当地城镇职工平均工资（人民币）"),
    "good_tax_record": ("Good tax record", "纳税记录良好"),
    "investment_usd": ("Direct investment in China (USD)", "在华直接投资（美元）"),
    "investment_region": ("Kind or region of the investment", "投资类别或地区"),
    "years_investment_stable": ("Years the investment has been stable", "投资稳定年数"),
    "holds_senior_post": ("Holds a senior post", "担任高级职务"),
    "years_in_senior_post": ("Years in the senior post", "任职年数"),
    "significant_contribution": ("Significant contribution to China", "对中国有重大突出贡献"),
    "key_industry_or_region": ("Works in a key industry or region", "在重点产业或地区工作"),
    "spouse_of_chinese_or_pr_holder": ("Spouse of a Chinese citizen or permanent resident",
                                       "中国公民或永久居留者的配偶"),
    "years_married": ("Years of marriage", "婚姻年数"),
    "years_continuous_residence_in_china": ("Years of continuous residence in China",
                                            "在华连续居留年数"),
    "unmarried": ("Unmarried", "未婚"),
    "joining_family_in_china": ("Joining family in China", "投靠在华亲属"),
    "no_direct_relatives_abroad": ("No direct relatives abroad", "境外无直系亲属"),
    "stable_livelihood_and_residence": ("Stable livelihood and home in China",
                                        "在华有稳定生活保障和住所"),
    "us_job_offer": ("US job offer", "美国工作邀约"),
    "us_job_is_specialty_occupation": ("The US job is a specialty occupation",
                                       "美国职位属于专业职业"),
    "us_offer_wage_level": ("US wage level (1-4)", "美国工资级别（1-4）"),
    "us_advanced_degree": ("US master's degree or higher", "美国硕士或以上学位"),
    "years_college_completed": ("Years of college study (without a degree)",
                                "已完成的大学学习年数（未获学位）"),
    "years_specialty_experience": ("Years of experience in the job's specialty",
                                   "该职位专业领域的工作经验年数"),
    "us_employer_50_plus_employees": ("US employer has 50 or more employees",
                                      "美国雇主有50名或以上员工"),
    "us_employer_over_half_h1b_l1": ("Over half of the US employer's staff hold H-1B or L-1",
                                     "美国雇主一半以上员工持H-1B或L-1身份"),
    "outside_us": ("Outside the US now", "目前在美国境外"),
    "holds_valid_h1b_visa": ("Holds a valid H-1B visa", "持有有效H-1B签证"),
    "us_petition_requests_consular_notification": (
        "Petition asks for consular notification or pre-flight inspection",
        "申请要求领事通知或登机前查验"),
    "us_change_of_status_denied": ("Change of status in the US denied", "在美身份变更被拒"),
    "us_national_interest_exception": ("National-interest exception granted",
                                       "获得国家利益豁免"),
    "eb1a_major_award": ("Major international award", "国际重大奖项"),
    "eb1a_criteria_met": ("EB-1A evidence criteria met (0-10)", "符合的EB-1A证据标准数（0-10）"),
    "eb1a_sustained_acclaim": ("Sustained acclaim (final merits)", "持续的声誉（综合评估）"),
    "us_exceptional_ability": ("Exceptional ability (EB-2)", "杰出能力（EB-2）"),
    "niw_merit_and_importance": ("Endeavour of merit and national importance",
                                 "事业具有实质价值和国家重要性"),
    "niw_well_positioned": ("Well positioned to advance it", "有能力推进该事业"),
    "niw_waiver_beneficial": ("Waiver benefits the US", "豁免对美国有利"),
}

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
    pair = FACT_LABELS.get(name)
    if pair:
        return _pick(pair, lang)
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
