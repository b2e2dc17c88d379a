"""The fact vocabulary: one definition of every profile fact.

A *fact* is a named, typed column of an applicant profile.  The same
definition produces the JSON model (pydantic, for ``kvisa check`` and the API),
the JSON Schema (``kvisa schema``) and the Polars schema (batch screening), so
the three can never disagree.  A missing fact is ``null`` — never a guessed
default — and the engine reports the criteria that need it as *unknown*.

Money is held as ``Float64`` CNY/USD amounts in frames: thresholds are whole
currency units and Decimal columns would cost the batch path several times its
speed; profile JSON still rejects negative or non-numeric amounts.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from dataclasses import dataclass, replace
from typing import Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from kvisa.i18n import gettext_noop as N_
from kvisa.rules.discovery import programme_folders
from kvisa.rules.errors import ProfileError, RulesDefinitionError

Kind = Literal["date", "country", "choice", "code", "bool", "int", "years", "money", "months",
               "degrees", "employment_records", "text"]
"""The one vocabulary of what an answer is, read by the rules, the forms, the interview,
the API and the CLI alike.  ``code`` is a field of study (ISCED-F 2013), ``country``
an ISO 3166-1 alpha-3 code; ``years``, ``money`` and ``months`` are numbers that may
have decimals, ``int`` a whole number; ``text`` is an answer no rule reads (a name,
an address), asked by the service's forms only."""

NUMBER_KINDS: frozenset[str] = frozenset({"int", "years", "money", "months"})


@dataclass(frozen=True)
class Option:
    """One answer of a coded fact: the value profiles hold, its name (a message id of
    the catalogue) and the words people look for it by (any language)."""

    value: str
    label: str
    words: str = ""


DEGREE_OPTIONS = (Option("none", N_("None")), Option("secondary", N_("Secondary school")),
                  Option("bachelor", N_("Bachelor's")), Option("master", N_("Master's")),
                  Option("doctorate", N_("Doctorate")))
INVESTMENT_OPTIONS = (
    Option("encouraged_industry", N_("An encouraged industry")),
    Option("western_or_poverty_county",
           N_("The western region or a poverty-alleviation county")),
    Option("central", N_("The central region")), Option("other", N_("Elsewhere")))
DEGREE_LEVELS = tuple(o.value for o in DEGREE_OPTIONS)
DEGREE_WORDS = (N_("secondary"), N_("bachelor"), N_("master"), N_("doctorate"))
"""A degree level as a sentence's parameter names it ("a {…min_degree}'s degree"): the
value itself is the message id, so a sentence reads it in its own language."""
INVESTMENT_REGIONS = tuple(o.value for o in INVESTMENT_OPTIONS)


@dataclass(frozen=True)
class Ask:
    """How a fact is asked of a person, in plain words (English message ids; the
    catalogue holds the translations, :func:`kvisa.i18n.translate` reads them).

    ``statement`` is the first-person sentence a yes/no fact shows when several are
    asked together ("select all that apply"; ``group`` names the set); ticking it
    answers the fact *true*.  ``known`` ranks how likely a person knows the answer
    (1: from memory, 2: from papers, 3: a judgement of their standing): between two
    equally useful questions the more knowable one comes first.  ``probes`` are the
    values tried when weighing how much an answer could decide (numbers only; other
    kinds try every choice).  ``after`` names the fact this one follows up ("that
    degree", "that investment"): it is never asked before that fact is answered.
    ``yes_is`` is False for a question asked the positive way round about a fact that
    is negative ("Do you have a criminal record?" for ``no_criminal_record``):
    answering "Yes" makes the fact *false*.  ``help`` says what counts; the pages
    add the sources of the criteria that read the fact
    (:func:`kvisa.rules.fact_text.sources`).
    """

    question: str
    help: str = ""
    statement: str = ""
    group: str = ""
    known: int = 1
    probes: tuple[Any, ...] = ()
    after: str = ""
    yes_is: bool = True


@dataclass(frozen=True)
class Fact:
    """One profile fact: its name (a JSON key and a column name), type and bounds, and
    how a person is asked it (None: never asked of a person — reference data or a
    list the application form collects)."""

    name: str
    kind: Kind
    description: str
    options: tuple[Option, ...] = ()
    """A ``choice`` fact's answers, each with its name."""
    minimum: float | None = None
    maximum: float | None = None
    ask: Ask | None = None
    label: str = ""
    """The words a page or table shows: a message id of the one catalogue, put into
    the reader's language by :func:`kvisa.rules.labels.fact_label`."""

    @property
    def choices(self) -> tuple[str, ...]:
        """The values a ``choice`` fact may take."""
        return tuple(o.value for o in self.options)


_FACTS: tuple[Fact, ...] = (
    # identity and education (DESIGN.md core vocabulary)
    Fact("date_of_birth", "date", "Date of birth (ISO 8601).",
         label=N_("Date of birth")),
    Fact("nationality", "country", "Nationality, ISO 3166-1 alpha-3 (as in the MRZ).",
         label=N_("Nationality")),
    Fact("degrees", "degrees",
         "Every completed degree: level, field (ISCED-F 2013 code), institution_recognised, "
         "optional country (ISO 3166-1 alpha-3) and year.  Without it the three facts below "
         "describe the highest degree only, and a test the highest degree fails stays "
         "unknown (another degree might pass).",
         label=N_("Every degree you hold")),
    Fact("highest_degree", "choice", "Highest completed degree.", DEGREE_OPTIONS,
         label=N_("Highest degree")),
    Fact("degree_field", "code", "Field of the highest degree, ISCED-F 2013 code (e.g. 0613).",
         label=N_("Field of study")),
    Fact(
        "degree_institution_recognised",
        "bool",
        "The degree is from a well-known university or research institution (officer-confirmed).",
        label=N_("Degree from a well-known university or research institution"),
    ),
    Fact(
        "teaching_or_research_at_recognised_institution",
        "bool",
        "Engaged in teaching or research in a STEM field at a well-known university or "
        "research institution.",
        label=N_("Teaching or research at a well-known institution"),
    ),
    Fact("years_work_experience", "years", "Years of relevant work experience.", minimum=0,
         label=N_("Years of work experience")),
    # China: work permit points, R visa, permanent residence
    Fact("annual_salary_cny", "money", "Annual salary (wage income) in China, CNY — the one "
         "salary fact for the work-permit points and the permanent-residence salary route.",
         minimum=0,
         label=N_("Annual salary in China (CNY)")),
    Fact("chinese_employer_job_offer", "bool",
         "Has a job (or offer) with an employer in China that will apply for the work permit.",
         label=N_("Job with an employer in China")),
    Fact("months_in_china_per_year", "months", "Months a year worked/resided in China.",
         minimum=0, maximum=12,
         label=N_("Months a year in China")),
    Fact("hsk_level", "int", "Chinese proficiency: HSK level 0-6 (0 = none).", minimum=0,
         maximum=6,
         label=N_("Chinese level (HSK 0-6)")),
    Fact("former_chinese_national", "bool", "Former Chinese national.",
         label=N_("Former Chinese national")),
    Fact("work_in_encouraged_region", "bool",
         "Works in the western region, an old north-east industrial base or a poverty county.",
         label=N_("Works in an encouraged region")),
    Fact("fortune_500_experience", "bool", "Work experience at a Fortune Global 500 company.",
         label=N_("Fortune Global 500 experience")),
    Fact("holds_patents", "bool", "Holds patents or other intellectual property.",
         label=N_("Holds patents")),
    Fact("direct_category_a_qualification", "bool",
         "Qualifies directly for work-permit category A (talent programme, recognised award, "
         "encouraged post, innovation or excellent young talent).",
         label=N_("Qualifies directly for category A")),
    Fact("no_criminal_record", "bool", "Has no criminal record.",
         label=N_("No criminal record")),
    Fact("good_health", "bool", "Is in good health.",
         label=N_("Good health")),
    Fact("years_continuous_work_in_china", "years", "Consecutive years of work in China up to "
         "the application date.", minimum=0,
         label=N_("Years of continuous work in China")),
    Fact("years_actual_residence_in_china", "years",
         "Cumulative years actually resided in China (within the qualifying work period).",
         minimum=0,
         label=N_("Years actually resident in China")),
    Fact("annual_income_tax_cny", "money", "Annual individual income tax paid in China, CNY.",
         minimum=0,
         label=N_("Annual income tax paid in China (CNY)")),
    Fact("employment_records", "employment_records",
         "Work in China by calendar year: year, city (as in the local average wage table), "
         "salary_cny, income_tax_cny and months_in_china.  When given, the 2019 employment "
         "route checks each of the required years against that city's average wage and the "
         "four single-figure facts beside it are not read.",
         label=N_("Work in China year by year")),
    Fact("local_urban_average_income_cny", "money",
         "Previous year's average wage of urban on-the-job employees where the person works, CNY.",
         minimum=0,
         label=N_("Local average wage (CNY)")),
    Fact("good_tax_record", "bool", "Has a good tax (and credit) record in China.",
         label=N_("Good tax record")),
    Fact("investment_usd", "money", "Paid-in registered capital of direct investment in China, "
         "USD.", minimum=0,
         label=N_("Direct investment in China (USD)")),
    Fact("investment_region", "choice", "Where/what the investment is.", INVESTMENT_OPTIONS,
         label=N_("Kind or region of the investment")),
    Fact("years_investment_stable", "years", "Consecutive years the investment has stayed at "
         "that level.", minimum=0,
         label=N_("Years the investment has been stable")),
    Fact("holds_senior_post", "bool", "Deputy general manager / associate professor or above "
         "(or equivalent) at a qualifying employer.",
         label=N_("Holds a senior post")),
    Fact("years_in_senior_post", "years", "Consecutive years in that post.", minimum=0,
         label=N_("Years in the senior post")),
    Fact("significant_contribution", "bool",
         "Has made a significant and outstanding contribution to China or is specially needed "
         "(authority-assessed).",
         label=N_("Significant contribution to China")),
    Fact("key_industry_or_region", "bool", "Works in a key national industry or region.",
         label=N_("Works in a key industry or region")),
    Fact("spouse_of_chinese_or_pr_holder", "bool", "Spouse of a Chinese citizen or of a foreign "
         "permanent resident.",
         label=N_("Spouse of a Chinese citizen or permanent resident")),
    Fact("years_married", "years", "Years of marriage.", minimum=0,
         label=N_("Years of marriage")),
    Fact("years_continuous_residence_in_china", "years",
         "Consecutive years resident in China up to the application date.", minimum=0,
         label=N_("Years of continuous residence in China")),
    Fact("unmarried", "bool", "Is unmarried.",
         label=N_("Unmarried")),
    Fact("joining_family_in_china", "bool", "Joins a parent or direct relative in China who is "
         "a Chinese citizen or permanent resident and supports them.",
         label=N_("Joining family in China")),
    Fact("no_direct_relatives_abroad", "bool", "Has no direct relatives outside China.",
         label=N_("No direct relatives abroad")),
    Fact("stable_livelihood_and_residence", "bool", "Has a stable livelihood and dwelling in "
         "China.",
         label=N_("Stable livelihood and home in China")),
    # United States
    Fact("us_job_offer", "bool", "Has a US job offer from a cap-subject employer.",
         label=N_("US job offer")),
    Fact("us_job_is_specialty_occupation", "bool",
         "The offered US job requires a bachelor's or higher degree in the specific specialty.",
         label=N_("The US job is a specialty occupation")),
    Fact("us_offer_wage_level", "int", "OEWS wage level of the offered wage (1-4).", minimum=1,
         maximum=4,
         label=N_("US wage level (1-4)")),
    Fact("us_advanced_degree", "bool", "Holds a US master's degree or higher.",
         label=N_("US master's degree or higher")),
    Fact("years_college_completed", "years",
         "Years of college-level study completed toward a bachelor's degree, for someone "
         "without one (a degree's equivalent for the H-1B).", minimum=0, maximum=4,
         label=N_("Years of college study (without a degree)")),
    Fact("years_specialty_experience", "years",
         "Years of progressively responsible experience in the job's specialty (for the "
         "H-1B, three years stand for each missing year of college).", minimum=0,
         label=N_("Years of experience in the job's specialty")),
    Fact("us_employer_50_plus_employees", "bool",
         "The US petitioner employs 50 or more people in the United States.",
         label=N_("US employer has 50 or more employees")),
    Fact("us_employer_over_half_h1b_l1", "bool",
         "More than half of the US petitioner's employees hold H-1B or L-1 status.",
         label=N_("Over half of the US employer's staff hold H-1B or L-1")),
    Fact("outside_us", "bool", "Is outside the United States (consular processing).",
         label=N_("Outside the US now")),
    Fact("holds_valid_h1b_visa", "bool", "Holds a valid H-1B visa.",
         label=N_("Holds a valid H-1B visa")),
    Fact("us_petition_requests_consular_notification", "bool",
         "The H-1B petition asks for consular or port-of-entry notification or pre-flight "
         "inspection (a trigger of the Proclamation 10973 payment).",
         label=N_("Petition asks for consular notification or pre-flight inspection")),
    Fact("us_change_of_status_denied", "bool",
         "The petition's request for a change of status or extension inside the US is (or "
         "would be) denied, e.g. after leaving the US or falling out of status.",
         label=N_("Change of status in the US denied")),
    Fact("us_national_interest_exception", "bool",
         "The Secretary of Homeland Security granted a national-interest exception to the "
         "Proclamation 10973 payment.",
         label=N_("National-interest exception granted")),
    Fact("eb1a_major_award", "bool", "Has a one-time major internationally recognised award.",
         label=N_("Major international award")),
    Fact("eb1a_criteria_met", "int", "How many of the ten EB-1A evidence criteria are met.",
         minimum=0, maximum=10,
         label=N_("EB-1A evidence criteria met (0-10)")),
    Fact("eb1a_sustained_acclaim", "bool", "USCIS final-merits finding of sustained acclaim.",
         label=N_("Sustained acclaim (final merits)")),
    Fact("us_exceptional_ability", "bool", "Exceptional ability in the sciences, arts or "
         "business (EB-2).",
         label=N_("Exceptional ability (EB-2)")),
    Fact("niw_merit_and_importance", "bool",
         "The proposed endeavour has substantial merit and national importance (Dhanasar 1).",
         label=N_("Endeavour of merit and national importance")),
    Fact("niw_well_positioned", "bool", "Well positioned to advance the endeavour (Dhanasar 2).",
         label=N_("Well positioned to advance it")),
    Fact("niw_waiver_beneficial", "bool",
         "On balance a waiver of the job offer and labour certification benefits the US "
         "(Dhanasar 3).",
         label=N_("Waiver benefits the US")),
)

GROUPS: dict[str, tuple[str, str]] = {
    "family": (N_("Which of these describe your family?"),
               N_("Chinese permanent residence is open to some family members of Chinese "
                  "citizens and permanent residents (2004 Measures, Art. 6).")),
    # Three pages of one theme each would be three pages for everyone: the record and
    # health every Chinese route asks, with the work-permit distinctions, are one page;
    # a person's studies, US position and standing in their field are another (issue 26:
    # grouping is how the page count stays small — 12.1 pages on average became 9.5).
    "you_in_china": (N_("Which of these are true of you?"),
                     N_("Every Chinese route asks for a clean record and good health. The "
                        "others count for a Chinese work permit (points, or category A "
                        "directly) or for Chinese permanent residence: leave them unticked if "
                        "you have not worked in China.")),
    "us_petition": (N_("Which of these are true of your US employer and its petition?"),
                    N_("They decide which US government fees apply, including the "
                       "US$100,000 payment of Proclamation 10973. Your employer can tell you.")),
    "your_work": (N_("Which of these describe your studies, your work and your plans?"),
                  N_("A well-known university or research post opens the K visa (its rules "
                     "name no list: an officer decides). A US job offer in the field of your "
                     "degree opens the H-1B. Standing in your field counts for the US green "
                     "cards for extraordinary ability and in the national interest, and for "
                     "Chinese permanent residence for a contribution.")),
}
"""The yes/no facts asked together as "select all that apply": (question, help)."""

_AGE_PROBES = (16, 25, 36, 50, 62)
"""Ages tried for the date of birth (turned into dates on the evaluation day)."""

_ASKS: dict[str, Ask] = {
    # asked as "any other degree?": "no" is the list of the one degree already
    # described; the application form collects every other degree in full
    "degrees": Ask(N_("Apart from that degree, have you completed any other degree?"),
                   N_("Another degree can qualify you where the highest one does not "
                      "(its field, or where it is from). The application asks for each."),
                   known=1, after="highest_degree"),
    "date_of_birth": Ask(N_("What is your date of birth?"),
                         N_("As in your passport. The K visa is for people aged 18 to 45."),
                         known=1, probes=_AGE_PROBES),
    "nationality": Ask(N_("What is your nationality?"),
                       N_("As in the passport you would travel on. It sets the wait for a "
                          "US green card and is counted, without your name, in enquiry "
                          "figures."), known=1),
    "highest_degree": Ask(N_("What is the highest degree you have completed?"),
        help=N_("Count only degrees you have completed. The K visa asks for a bachelor's degree "
           "or higher."),
        known=1),
    "degree_field": Ask(N_("What did you study for that degree?"),
                        N_("Type words such as \"computer science\" or \"physics\". The K visa "
                           "asks for science, technology, engineering or mathematics."),
                        known=1, after="highest_degree"),
    "degree_institution_recognised": Ask(
        N_("Is your highest degree from a well-known university or research institution?"),
        N_("The K visa's rules name no list: an officer decides, from your degree "
           "certificate. Universities in the widely used world rankings, or national research "
           "institutes, usually count."),
        statement=N_("My highest degree is from a well-known university or research "
                     "institution"), group="your_work", known=2),
    "teaching_or_research_at_recognised_institution": Ask(
        N_("Do you teach or do research in a science or technology field at a well-known "
           "university or research institution?"),
        N_("The K visa's second way in, instead of the degree."),
        statement=N_("I teach or do research in science or technology at a well-known "
                     "university or research institution"), group="your_work", known=1),
    "years_work_experience": Ask(N_("How many years of work experience do you have in your "
                                    "field?"), N_("Count full-time work after your studies."),
                                 known=1, probes=(0, 3, 5, 10)),
    "annual_salary_cny": Ask(N_("What is (or will be) your yearly salary in China, in "
                                "Chinese yuan?"),
                             N_("Enter 0 if you have no job in China."), known=2,
                             probes=(0, 150_000, 500_000, 1_200_000)),
    "chinese_employer_job_offer": Ask(
        N_("Do you have a job, or a job offer, with an employer in China?"),
        help=N_("An employer registered in China that will apply for your work permit. A Chinese "
                "work permit needs one; the K visa does not."),
        statement=N_("I have a job, or a job offer, with an employer in China"),
        group="you_in_china", known=1),
    "months_in_china_per_year": Ask(N_("How many months a year do you live in China?"),
                                    N_("Enter 0 if you do not live in China."), known=1,
                                    probes=(0, 6, 9, 12)),
    "hsk_level": Ask(N_("What is your level of Chinese (HSK 0 to 6)?"),
                     N_("Enter 0 if you have not passed an HSK test."), known=1,
                     probes=(0, 3, 5)),
    "former_chinese_national": Ask(
        N_("Were you once a Chinese citizen?"),
        help=N_("You held Chinese nationality and gave it up. It counts for a Chinese work "
                "permit's points."),
        statement=N_("I was once a Chinese citizen"), group="you_in_china", known=1),
    "work_in_encouraged_region": Ask(
        N_("Do you work in western China, an old north-east industrial base or a poverty "
           "county?"),
        help=N_("The western provinces, the old industrial bases of the north-east, and counties "
                "once listed for poverty alleviation. It counts for a Chinese work permit's "
                "points."),
        statement=N_("I work in western China, an old north-east industrial base or a "
                     "poverty-alleviation county"), group="you_in_china", known=2),
    "fortune_500_experience": Ask(
        N_("Have you worked for a Fortune Global 500 company?"),
        help=N_("Work for a company on the Fortune Global 500 list. It counts for a Chinese work "
                "permit's points."),
        statement=N_("I have worked for a Fortune Global 500 company"),
        group="you_in_china", known=1),
    "holds_patents": Ask(N_("Do you hold a patent?"),
                         help=N_("A patent or other registered intellectual property in your name."
                                 " It counts for a Chinese work permit's points."),
                         statement=N_("I hold a patent or other registered intellectual "
                                      "property"), group="you_in_china", known=1),
    "direct_category_a_qualification": Ask(
        N_("Do you qualify for category A of a Chinese work permit directly?"),
        help=N_("A national talent programme, an internationally recognised award, or a post the "
                "authorities encourage puts you in category A without points."),
        statement=N_("I am in a national talent programme, hold a recognised international "
                     "award, or am recruited to an encouraged post"),
        group="you_in_china", known=3),
    "no_criminal_record": Ask(
        N_("Do you have a criminal record, in China or in any other country?"),
        N_("Every Chinese route asks for a clean record. An application asks for a police "
           "certificate from each country you have lived in."),
        statement=N_("I have no criminal record anywhere"), group="you_in_china", known=1,
        yes_is=False),
    "good_health": Ask(N_("Are you in good health?"),
        help=N_("Every Chinese route asks for good health. An application asks for a health "
           "certificate."),
        statement=N_("I am in good health"),
                       group="you_in_china", known=1),
    "years_continuous_work_in_china": Ask(
        N_("For how many years without a break have you worked in China?"),
        N_("Enter 0 if you have not worked in China."), known=1, probes=(0, 2, 4, 6)),
    "years_actual_residence_in_china": Ask(
        N_("Of those years, how many did you actually live in China?"),
        N_("Count the time you were in the country, not only the years of the job."),
        known=2, probes=(0, 2, 3, 4), after="years_continuous_work_in_china"),
    "annual_income_tax_cny": Ask(N_("How much income tax do you pay in China a year, in "
                                    "Chinese yuan?"),
                                 N_("Your tax certificate or the tax app shows it. Enter 0 if "
                                    "none."), known=2, probes=(0, 20_000, 100_000)),
    "local_urban_average_income_cny": Ask(
        N_("Which city in China do you work in?"),
        N_("Permanent residence through salary compares your pay with that city's average "
           "wage, which kvisa looks up for you."), known=1, probes=(90_000, 150_000, 250_000),
        after="annual_salary_cny"),
    "good_tax_record": Ask(N_("Is your tax record in China good?"),
                           help=N_("No tax arrears or penalties in China. Permanent residence "
                                   "through work, a senior post or investment asks for it."),
                           statement=N_("My tax record in China is good: no arrears or "
                                        "penalties"), group="you_in_china", known=2),
    "investment_usd": Ask(N_("How much have you invested directly in a company in China, in "
                             "US dollars?"),
                          N_("Paid-in registered capital. Enter 0 if none."), known=2,
                          probes=(0, 500_000, 1_000_000, 2_000_000)),
    "investment_region": Ask(
        N_("Where, or in what, is that investment?"),
        help=N_("Investment in an encouraged industry, in the western region or a "
                "poverty-alleviation county, or in the central region, needs less capital "
                "for permanent residence."),
        known=2, after="investment_usd"),
    "years_investment_stable": Ask(N_("For how many years has the investment stayed at that "
                                      "level?"),
        help=N_("Count the years without a break in which the paid-in capital stayed at least at "
           "that level."),
        known=2, probes=(0, 3, 5),
                                  after="investment_usd"),
    "holds_senior_post": Ask(
        N_("Are you a deputy general manager, associate professor or above at a "
           "qualifying employer in China?"),
        help=N_("Deputy general manager, deputy factory director, associate professor, associate "
                "researcher or above, or an equivalent post, at a qualifying employer."),
        statement=N_("I am a deputy general manager, associate professor or above (or "
                     "equivalent) at a qualifying employer in China"),
        group="you_in_china", known=1),
    "years_in_senior_post": Ask(N_("For how many years without a break have you held that "
                                   "post?"),
        help=N_("Permanent residence through a senior post asks for four years in the post "
           "without a break."),
        known=1, probes=(0, 2, 4),
                               after="holds_senior_post"),
    "significant_contribution": Ask(
        N_("Have you made a significant and outstanding contribution to China?"),
        help=N_("The authority decides; a claim needs its recognition, for example an award from "
                "the state."),
        statement=N_("I have made a significant and outstanding contribution to China, or "
                     "China has a special need for my skills"), group="your_work", known=3),
    "key_industry_or_region": Ask(
        N_("Do you work in a key national industry or region of China?"),
        help=N_("An industry or region the state names as a priority. It counts for a Chinese "
                "work permit."),
        statement=N_("I work in a key national industry or region of China"),
        group="you_in_china", known=2),
    "spouse_of_chinese_or_pr_holder": Ask(
        N_("Are you married to a Chinese citizen or a permanent resident of China?"),
        help=N_("Permanent residence for a spouse asks for five years of marriage and five years "
                "of residence in China."),
        statement=N_("I am married to a Chinese citizen or a permanent resident of China"),
        group="family", known=1),
    "years_married": Ask(N_("For how many years have you been married?"),
        help=N_("Count from the date of the marriage."),
        known=1,
                         probes=(0, 3, 5), after="spouse_of_chinese_or_pr_holder"),
    "years_continuous_residence_in_china": Ask(
        N_("For how many years without a break have you lived in China?"),
        N_("Enter 0 if you do not live in China."), known=1, probes=(0, 3, 5, 10)),
    "unmarried": Ask(N_("Are you unmarried?"),
        help=N_("A child under 18 joining a parent must be unmarried."),
        statement=N_("I am unmarried"), group="family",
                     known=1),
    "joining_family_in_china": Ask(
        N_("Are you joining a parent or close relative in China who is a Chinese citizen or "
           "permanent resident and supports you?"),
        help=N_("A parent, or for people aged 60 or over a direct relative, who is a Chinese "
                "citizen or permanent resident and supports you."),
        statement=N_("I am joining a parent or close relative in China who is a Chinese "
                     "citizen or permanent resident and supports me"), group="family",
        known=1),
    "no_direct_relatives_abroad": Ask(
        N_("Do any of your parents, children or your spouse live outside China?"),
        N_("Permanent residence for people aged 60 or over who join family asks that none "
           "of their direct relatives live abroad."),
        statement=N_("I have no parents, children or spouse outside China"), group="family",
        known=1, yes_is=False),
    "stable_livelihood_and_residence": Ask(
        N_("Do you have a stable income and a home in China?"),
        help=N_("A regular income and a home you own or rent in China. Permanent residence "
                "through family asks for both."),
        statement=N_("I have a stable income and a home in China"), group="you_in_china",
        known=1),
    "us_job_offer": Ask(N_("Do you have a job offer from an employer in the United States?"),
                        help=N_("An offer from an employer in the United States that will file a "
                                "petition for you."),
                        statement=N_("I have a job offer from an employer in the United "
                                     "States"), group="your_work", known=1),
    "us_job_is_specialty_occupation": Ask(
        N_("Does that US job require a degree in its specific field?"),
        help=N_("The job itself needs a bachelor's degree or higher in a specific field, such as "
                "software engineering; a degree in any field is not enough."),
        statement=N_("The US job requires a bachelor's degree or higher in its specific "
                     "field"), group="your_work", known=2),
    "us_offer_wage_level": Ask(N_("At which US wage level (1 to 4) is the offered pay?"),
                               N_("Your employer's labour condition application names it; "
                                  "level 4 is the highest."), known=2, probes=(1, 2, 3, 4),
                               after="us_job_offer"),
    "us_advanced_degree": Ask(N_("Do you hold a master's degree or higher from a US "
                                 "university?"),
                              help=N_("A US master's degree or higher counts for the H-1B's second"
                                      " lottery and the EB-2 green card."),
                              statement=N_("I hold a master's degree or higher from a US "
                                           "university"), group="your_work", known=1),
    "years_college_completed": Ask(
        N_("How many years of university study have you completed without finishing a "
           "degree?"), N_("Enter 0 if none."), known=1, probes=(0, 2, 4)),
    "years_specialty_experience": Ask(
        N_("How many years of increasingly responsible work have you done in the US job's "
           "field?"),
        N_("For the H-1B, three such years stand in for each missing year of university "
           "(8 CFR 214.2(h)(4)(iii)(D)(5))."), known=1, probes=(0, 6, 12)),
    "us_employer_50_plus_employees": Ask(
        N_("Does your US employer have 50 or more employees in the United States?"),
        help=N_("It decides the size of the US training fee an employer pays (US$750 or "
                "US$1,500)."),
        statement=N_("My US employer has 50 or more employees in the United States"),
        group="us_petition", known=2),
    "us_employer_over_half_h1b_l1": Ask(
        N_("Do more than half of your US employer's staff hold H-1B or L-1 status?"),
        help=N_("Large employers with more than half their staff on H-1B or L-1 pay an extra "
                "US$4,000 fee."),
        statement=N_("More than half of my US employer's staff hold H-1B or L-1 status"),
        group="us_petition", known=2),
    "outside_us": Ask(N_("Are you outside the United States now?"),
                      help=N_("The US$100,000 payment applies to new petitions for people outside "
                              "the United States."),
                      statement=N_("I am outside the United States now"),
                      group="your_work", known=1),
    "holds_valid_h1b_visa": Ask(N_("Do you hold a valid H-1B visa?"),
                                help=N_("A valid H-1B visa in your passport exempts a petition "
                                        "from the US$100,000 payment."),
                                statement=N_("I hold a valid H-1B visa"),
                                group="your_work", known=1),
    "us_petition_requests_consular_notification": Ask(
        N_("Will the petition ask for you to get the visa at a consulate abroad?"),
        help=N_("Your employer's petition names how you will get the visa; a consulate abroad "
                "triggers the US$100,000 payment."),
        statement=N_("The petition asks for consular notification or pre-flight "
                     "inspection (I would get the visa at a consulate abroad)"),
        group="us_petition", known=2),
    "us_change_of_status_denied": Ask(
        N_("Would a change of status inside the United States be denied?"),
        help=N_("A change of status inside the United States avoids the US$100,000 payment; its "
                "denial brings the payment back."),
        statement=N_("A change of status or extension inside the United States would be "
                     "denied (for example after leaving the country)"),
        group="us_petition", known=3),
    "us_national_interest_exception": Ask(
        N_("Has the US granted a national-interest exception to the US$100,000 payment?"),
        help=N_("Only the US Secretary of Homeland Security grants it, case by case."),
        statement=N_("The Secretary of Homeland Security granted a national-interest "
                     "exception to the US$100,000 payment"), group="us_petition", known=2),
    "eb1a_major_award": Ask(N_("Have you won a major international award?"),
                            help=N_("A one-time award of international renown, such as a Nobel "
                                    "Prize. Lesser prizes count as one of the ten kinds of "
                                    "evidence."),
                            statement=N_("I have won a major international award (such as "
                                         "a Nobel Prize)"), group="your_work", known=1),
    "eb1a_criteria_met": Ask(
        N_("How many of the ten kinds of evidence of extraordinary ability do you have?"),
        N_("Prizes, memberships, press about you, judging others' work, original "
           "contributions, scholarly articles, exhibitions, a leading role, high pay, "
           "commercial success (8 CFR 204.5(h)(3))."), known=2, probes=(0, 2, 3, 5)),
    "eb1a_sustained_acclaim": Ask(
        N_("Are you among the small percentage at the very top of your field?"),
        help=N_("USCIS decides it on the evidence as a whole, after counting the kinds of "
                "evidence."),
        statement=N_("I have sustained national or international acclaim, among the small "
                     "percentage at the very top of my field"), group="your_work", known=3),
    "us_exceptional_ability": Ask(
        N_("Is your ability in the sciences, arts or business well above the usual?"),
        help=N_("Expertise well above what is usual in your field, shown by at least three kinds "
                "of evidence (8 CFR 204.5(k)(3)(ii))."),
        statement=N_("My expertise in the sciences, arts or business is well above what is "
                     "usual in my field"), group="your_work", known=3),
    "niw_merit_and_importance": Ask(
        N_("Does your planned work have substantial merit and national importance?"),
        help=N_("The first of the three Dhanasar tests: the work matters beyond one employer or "
                "one region."),
        statement=N_("It has substantial merit and importance for the United States as a "
                     "whole"), group="your_work", known=3),
    "niw_well_positioned": Ask(N_("Are you well placed to advance that work?"),
                               help=N_("The second Dhanasar test: your education, record and plans"
                                       " make success likely."),
                               statement=N_("I am well placed to advance it (training, "
                                            "record, plans)"), group="your_work", known=3),
    "niw_waiver_beneficial": Ask(
        N_("Would the US benefit from waiving the job offer?"),
        help=N_("The third Dhanasar test: the United States gains more by waiving the job offer "
                "than by requiring it."),
        statement=N_("The United States would benefit from waiving the job offer and the "
                     "labour certification"), group="your_work", known=3),
}
"""How each fact a person can answer is asked (the interview, issue 26).  Facts
without an entry are never asked: the ``degrees`` and ``employment_records`` lists
come from the application form."""



def _programme_facts() -> tuple[Fact, ...]:
    """Facts a programme folder declares in its own ``facts.py`` (``FACTS``), for the
    one programme that asks them.

    Each file is loaded by its path, not as ``<package>.facts``: importing the
    package would import every programme's rules, and rules read this module,
    which is still being built.  A programme's facts may import ``Fact``, ``Ask``
    and ``N_`` from here (already defined above).
    """
    found: list[Fact] = []
    for folder in programme_folders():
        file = folder.file("facts.py")
        if file is None:
            continue
        spec = importlib.util.spec_from_file_location(f"_kvisa_facts_{folder.path.name}", file)
        if spec is None or spec.loader is None:
            raise RulesDefinitionError(f"{file} cannot be loaded")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found += list(getattr(module, "FACTS", ()))
    return tuple(found)


FACTS: tuple[Fact, ...] = tuple(replace(f, ask=_ASKS.get(f.name)) for f in _FACTS) + \
    _programme_facts()
FACTS_BY_NAME: dict[str, Fact] = {fact.name: fact for fact in FACTS}

_ANSWERS: dict[str, Fact] = dict(FACTS_BY_NAME)


def register(*answers: Fact) -> None:
    """Add answers a service form asks that no rule reads (a surname, the route chosen),
    in the same vocabulary, so that labels and values in words know them too."""
    for answer in answers:
        known = _ANSWERS.get(answer.name)
        if known is not None and known != answer:
            raise RulesDefinitionError(f"{answer.name} is already defined differently")
        _ANSWERS[answer.name] = answer


def definition(name: str) -> Fact | None:
    """The one definition of a fact, or of an answer a service registered (None if
    neither)."""
    return _ANSWERS.get(name)


ALIASES: dict[str, str] = {"annual_income_cny": "annual_salary_cny"}
"""Old fact names still accepted (deprecated) → the fact they now mean."""


def resolve_aliases(profile: dict[str, Any]) -> dict[str, Any]:
    """Rename deprecated fact names; refuse an alias that contradicts its fact."""
    if not any(alias in profile for alias in ALIASES):
        return profile
    resolved = dict(profile)
    for alias, name in ALIASES.items():
        if alias not in resolved:
            continue
        value = resolved.pop(alias)
        if name in resolved and resolved[name] is not None and value is not None \
                and resolved[name] != value:
            raise ProfileError(alias, f"deprecated name of {name}, which has a different value "
                               f"({resolved[name]!r}); give {name} only")
        if resolved.get(name) is None:
            resolved[name] = value
    return resolved


def resolve_alias_columns(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The same for a frame: a column under a deprecated name fills its fact's column."""
    names = frame.collect_schema().names()
    for alias, name in ALIASES.items():
        if alias not in names:
            continue
        if name in names:
            frame = frame.with_columns(pl.coalesce(pl.col(name), pl.col(alias)).alias(name))
            frame = frame.drop(alias)
        else:
            frame = frame.rename({alias: name})
    return frame

_POLARS_TYPES: dict[Kind, pl.DataType] = {
    "date": pl.Date(),
    "country": pl.String(),
    "choice": pl.String(),
    "code": pl.String(),
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "years": pl.Float64(),
    "money": pl.Float64(),
    "months": pl.Float64(),
    "degrees": pl.List(pl.Struct({"level": pl.String(), "field": pl.String(),
                                  "institution_recognised": pl.Boolean(),
                                  "country": pl.String(), "year": pl.Int64()})),
    "employment_records": pl.List(pl.Struct({"year": pl.Int64(), "city": pl.String(),
                                             "salary_cny": pl.Float64(),
                                             "income_tax_cny": pl.Float64(),
                                             "months_in_china": pl.Float64()})),
    "text": pl.String(),
}

POLARS_SCHEMA: dict[str, pl.DataType] = {f.name: _POLARS_TYPES[f.kind] for f in FACTS}


DegreeLevel = Literal["none", "secondary", "bachelor", "master", "doctorate"]


class DegreeModel(BaseModel):
    """One degree in a profile's ``degrees`` list."""

    model_config = ConfigDict(extra="forbid", strict=True)
    level: DegreeLevel = Field(description="Degree level.")
    field: str | None = Field(default=None, pattern=r"^[0-9]{2,4}$",
                              description="ISCED-F 2013 field code.")
    institution_recognised: bool | None = Field(
        default=None, description="From a well-known university or research institution.")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$",
                                description="Country of the institution, ISO 3166-1 alpha-3.")
    year: int | None = Field(default=None, ge=1900, le=2100, description="Year completed.")


class EmploymentRecordModel(BaseModel):
    """One calendar year of work in China in a profile's ``employment_records``."""

    model_config = ConfigDict(extra="forbid", strict=True)
    year: int = Field(ge=1978, le=2199, description="Calendar year of the record.")
    city: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z .'-]{0,59}$",
                             description="City worked in, as named in the wage table.")
    salary_cny: float | None = Field(default=None, ge=0, description="Salary income, CNY.")
    income_tax_cny: float | None = Field(default=None, ge=0,
                                         description="Individual income tax paid, CNY.")
    months_in_china: float | None = Field(default=None, ge=0, le=12,
                                          description="Months lived in China that year.")


# Lists in a profile are bounded so that one request cannot ask for unbounded
# work: more degrees than a person earns, more yearly records than a working life.
MAX_DEGREES = 12
MAX_EMPLOYMENT_RECORDS = 60


def _pydantic_field(fact: Fact) -> tuple[Any, Any]:
    constraints: dict[str, Any] = {"default": None, "description": fact.description}
    if fact.minimum is not None:
        constraints["ge"] = fact.minimum
    if fact.maximum is not None:
        constraints["le"] = fact.maximum
    python_type: Any
    if fact.kind == "date":
        python_type = dt.date
    elif fact.kind == "country":
        python_type = str
        constraints["pattern"] = r"^[A-Z]{3}$"
    elif fact.kind == "code":
        python_type = str
        constraints["pattern"] = r"^[0-9]{2,4}$"
    elif fact.kind == "choice":
        python_type = Literal[fact.choices]
    elif fact.kind == "bool":
        python_type = bool
    elif fact.kind == "degrees":
        python_type = list[DegreeModel]
        constraints["max_length"] = MAX_DEGREES
    elif fact.kind == "employment_records":
        python_type = list[EmploymentRecordModel]
        constraints["max_length"] = MAX_EMPLOYMENT_RECORDS
    elif fact.kind == "int":
        python_type = int
    elif fact.kind == "text":
        python_type = str
    else:
        python_type = float
    return (python_type | None, Field(**constraints))


ProfileModel: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Profile",
    __config__=ConfigDict(extra="forbid", strict=True, title="kvisa applicant profile"),
    **{fact.name: _pydantic_field(fact) for fact in FACTS},
)


def profile_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of a profile; every fact optional, unknown keys refused."""
    schema = ProfileModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    for alias, name in ALIASES.items():
        schema["properties"][alias] = {
            **schema["properties"][name], "deprecated": True,
            "description": f"Deprecated: the old name of {name}; give {name} instead."}
    return schema


def _describe(error: Any) -> ProfileError:
    field = ".".join(str(part) for part in error["loc"]) or "profile"
    kind = error["type"]
    if kind == "extra_forbidden":
        return ProfileError(field, "unknown fact (see `kvisa schema` for the vocabulary)")
    if kind == "literal_error" and field in FACTS_BY_NAME:
        choices = ", ".join(FACTS_BY_NAME[field].choices)
        return ProfileError(field, f"must be one of {choices}; got {error.get('input')!r}",
                            kind=kind)
    context = error.get("ctx") or {}
    limit = next((context[k] for k in ("ge", "gt", "le", "lt") if k in context), None)
    return ProfileError(field, f"{error['msg']} (got {error.get('input')!r})", kind=kind,
                        limit=limit)


def validate_profile(profile: dict[str, Any] | str | bytes, *, today: dt.date | None = None
                     ) -> dict[str, Any]:
    """Check a profile and return it with every fact typed (missing facts as ``None``).

    Accepts the parsed JSON object or the raw JSON text.  Nothing is coerced:
    ``"5"`` is not a number, ``1`` is not ``true``, ``2025-02-31`` is not a date.
    Raises :class:`ProfileError` naming the first bad field.
    """
    if isinstance(profile, (str, bytes)):
        try:
            parsed = json.loads(profile)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and any(alias in parsed for alias in ALIASES):
            profile = parsed
    if isinstance(profile, (str, bytes)):
        text = profile
    else:
        if not isinstance(profile, dict):
            raise ProfileError("profile", "must be a JSON object")
        text = json.dumps(resolve_aliases(profile), default=_json_default)
    try:
        model = ProfileModel.model_validate_json(text)
    except ValidationError as exc:
        raise _describe(exc.errors()[0]) from None
    values = model.model_dump()
    _check_degrees_agree(values)
    _check_one_record_a_year(values)
    _check_evidence_counts(values)
    birth = values.get("date_of_birth")
    if birth is not None and birth > (today or dt.date.today()):
        raise ProfileError("date_of_birth", f"{birth.isoformat()} is in the future",
                           kind="future")
    return values


def _check_evidence_counts(values: dict[str, Any]) -> None:
    """The O-1A count lies between the EB-1A count less two and the EB-1A count.

    The O-1A's eight kinds of evidence (8 CFR 214.2(o)(3)(iii)(B)) are the EB-1A's ten
    (8 CFR 204.5(h)(3)) less the two for the arts [kvisa's reading]; the rules read
    each count from the other while one is unknown, so the two must fit together.
    """
    o1a, eb1a = values.get("o1a_criteria_met"), values.get("eb1a_criteria_met")
    if o1a is None or eb1a is None or eb1a - 2 <= o1a <= eb1a:
        return
    raise ProfileError("o1a_criteria_met", f"{o1a} does not fit {eb1a} EB-1A criteria "
                       f"(the O-1A's eight are among the EB-1A's ten: between "
                       f"{max(eb1a - 2, 0)} and {min(eb1a, 8)})", kind="evidence_counts")


def _check_degrees_agree(values: dict[str, Any]) -> None:
    """The single-degree facts, when given beside ``degrees``, describe its highest degree.

    Two descriptions of the same degree that disagree cannot both be true, and
    the answer would depend on which one the rules read first.
    """
    degrees = values.get("degrees")
    single = {k: values.get(k) for k in ("highest_degree", "degree_field",
                                         "degree_institution_recognised")}
    if degrees is None or all(v is None for v in single.values()):
        return
    top = max((d["level"] for d in degrees), key=DEGREE_LEVELS.index, default="none")
    if single["highest_degree"] is not None and single["highest_degree"] != top:
        raise ProfileError("highest_degree", f"{single['highest_degree']} is not the highest "
                           f"level in degrees ({top}); give one or make them agree")

    def agrees(degree: dict[str, Any]) -> bool:
        return degree["level"] == top and all(
            given is None or listed is None or given == listed
            for given, listed in ((single["degree_field"], degree["field"]),
                                  (single["degree_institution_recognised"],
                                   degree["institution_recognised"])))
    if (degrees and not any(agrees(d) for d in degrees)) or (not degrees and (
            single["degree_field"] is not None
            or single["degree_institution_recognised"] is not None)):
        raise ProfileError("degree_field", "the highest degree's field or institution "
                           "differs from every degree of that level in degrees; make them agree")


def _check_one_record_a_year(values: dict[str, Any]) -> None:
    years = [r["year"] for r in values.get("employment_records") or ()]
    twice = sorted({y for y in years if years.count(y) > 1})
    if twice:
        raise ProfileError("employment_records", f"{', '.join(map(str, twice))} appears more "
                           "than once; give one record per year (add up two jobs in one year)")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def profile_frame(profiles: list[dict[str, Any]]) -> pl.DataFrame:
    """Frame with the full fact schema from already validated profiles."""
    rows = [tuple(p.get(name) for name in POLARS_SCHEMA) for p in profiles]
    return pl.DataFrame(rows, schema=POLARS_SCHEMA, orient="row")
