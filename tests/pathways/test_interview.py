"""The guided comparison (issue 26): the next question, from the rules, through
:func:`kvisa.pathways.interview.next_step` (the function the API, the CLI and the
pages print)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kvisa.pathways.compare import compare
from kvisa.pathways.interview import next_step
from kvisa.rules.errors import ProfileError
from kvisa.rules.facts import FACTS_BY_NAME

ON = dt.date(2026, 12, 1)

# The enquirer, knowing every fact a person can be asked: 29, Indian,
# master's in software development from a recognised university, four years'
# experience, a US offer for a specialty occupation, no life in China yet.
ENQUIRER: dict[str, Any] = {
    "date_of_birth": "1997-03-02", "nationality": "IND", "highest_degree": "master",
    "degree_field": "0613", "degree_institution_recognised": True,
    "degrees": [{"level": "master", "field": "0613", "institution_recognised": True}],
    "teaching_or_research_at_recognised_institution": False, "years_work_experience": 4.0,
    "annual_salary_cny": 0.0, "chinese_employer_job_offer": False,
    "months_in_china_per_year": 0.0, "hsk_level": 0, "former_chinese_national": False,
    "work_in_encouraged_region": False, "fortune_500_experience": False,
    "holds_patents": False, "direct_category_a_qualification": False,
    "no_criminal_record": True, "good_health": True, "years_continuous_work_in_china": 0.0,
    "years_actual_residence_in_china": 0.0, "annual_income_tax_cny": 0.0,
    "local_urban_average_income_cny": 120_000.0, "good_tax_record": True,
    "investment_usd": 0.0, "investment_region": "other", "years_investment_stable": 0.0,
    "holds_senior_post": False, "years_in_senior_post": 0.0,
    "significant_contribution": False, "key_industry_or_region": False,
    "spouse_of_chinese_or_pr_holder": False, "years_married": 0.0,
    "years_continuous_residence_in_china": 0.0, "unmarried": True,
    "joining_family_in_china": False, "no_direct_relatives_abroad": False,
    "stable_livelihood_and_residence": False, "us_job_offer": True,
    "us_job_is_specialty_occupation": True, "us_offer_wage_level": 2,
    "us_advanced_degree": False, "years_college_completed": 0.0,
    "years_specialty_experience": 4.0, "us_employer_50_plus_employees": True,
    "us_employer_over_half_h1b_l1": False, "outside_us": True,
    "holds_valid_h1b_visa": False, "us_petition_requests_consular_notification": True,
    "us_change_of_status_denied": False, "us_national_interest_exception": False,
    "eb1a_major_award": False, "eb1a_criteria_met": 0, "eb1a_sustained_acclaim": False,
    "us_exceptional_ability": False, "niw_merit_and_importance": False,
    "niw_well_positioned": False, "niw_waiver_beneficial": False,
}


def walk(person: dict[str, Any] | None, **options: Any) -> tuple[list[tuple[str, ...]], Any]:
    """Answer every question from ``person`` (None: "I don't know" to everything)."""
    answers: dict[str, Any] = {}
    asked: list[tuple[str, ...]] = []
    step = next_step(answers, on=ON, **options)
    while step.next is not None:
        facts = tuple(step.next.facts)
        assert step.reason and not step.reason.endswith(": ."), step.reason  # names routes
        asked.append(facts)
        assert len(asked) <= 60, "an interview that does not end"
        for name in facts:
            answers[name] = None if person is None else person[name]
        step = next_step(answers, on=ON, **options)
    return asked, step


def test_the_first_question_is_chosen_the_same_way_every_time_with_its_reason() -> None:
    first, again = next_step({}, on=ON), next_step({}, on=ON)
    assert first.as_dict() == again.as_dict()
    assert first.next is not None and first.asked == 0
    assert first.reason.startswith("Asked because") and ":" in first.reason
    document = first.as_dict()
    assert set(document) >= {"next", "reason", "asked", "routes", "as_of"}
    assert set(document["next"]) >= {"facts", "question", "help", "kind", "options"}
    assert {"programme", "route", "verdict", "status", "missing", "totals"} <= set(
        document["routes"][0])


def test_a_person_who_knows_everything_ends_with_the_verdicts_of_the_whole_profile() -> None:
    asked, final = walk(ENQUIRER)
    whole = compare(ENQUIRER, on=ON, suggest_changes=False)
    assert ({r.route.key: r.verdict for r in final.routes()}
            == {r.route.key: r.verdict for r in whole.routes})
    # far fewer pages than the 57 facts a person can be asked (13 on 5 Dec 2026; the
    # plain greedy choice, one fact a page, needs about 31)
    assert len(asked) <= 15
    h1b = next(r for r in final.routes() if r.route.programme == "us.h1b")
    assert h1b.verdict == "eligible"


def test_no_fact_is_asked_twice_and_i_dont_know_ends_the_interview() -> None:
    asked, final = walk(None)
    names = [name for question in asked for name in question]
    assert len(names) == len(set(names))
    assert final.next is None
    assert all(r.verdict in ("undetermined", "not_eligible", "eligible")
               for r in final.routes())


def test_only_facts_a_person_can_know_are_asked() -> None:
    asked, _ = walk(ENQUIRER)
    for question in asked:
        for name in question:
            assert FACTS_BY_NAME[name].ask is not None
            assert name not in ("degrees", "employment_records")


def test_yes_no_facts_are_asked_together_as_select_all() -> None:
    step = next_step({}, on=ON)
    grouped = [q for q in walk(ENQUIRER)[0] if len(q) > 1]
    assert grouped, "no select-all question"
    assert step.next is not None
    if len(step.next.facts) > 1:
        assert step.next.kind == "select_all"
        assert [o.value for o in step.next.options] == list(step.next.facts)


def test_the_average_wage_is_asked_as_a_city_after_the_salary() -> None:
    worker = {**ENQUIRER, "annual_salary_cny": 400_000.0, "chinese_employer_job_offer": True,
              "months_in_china_per_year": 12.0, "years_continuous_work_in_china": 4.0,
              "years_actual_residence_in_china": 4.0, "annual_income_tax_cny": 60_000.0}
    asked, _ = walk(worker)
    flat = [name for question in asked for name in question]
    assert "local_urban_average_income_cny" in flat
    assert flat.index("annual_salary_cny") < flat.index("local_urban_average_income_cny")
    answers = {name: worker[name]
               for name in flat[:flat.index("local_urban_average_income_cny")]}
    question = next_step(answers, on=ON).next
    assert question is not None and question.kind == "city"
    assert any("Shanghai" in o.label and "CNY" in o.label for o in question.options)


def test_a_follow_up_is_never_asked_before_what_it_follows() -> None:
    asked, _ = walk({**ENQUIRER, "investment_usd": 2_000_000.0, "years_investment_stable": 4.0,
                     "investment_region": "encouraged_industry"})
    flat = [name for question in asked for name in question]
    for follow_up, first in (("years_investment_stable", "investment_usd"),
                             ("degree_field", "highest_degree"),
                             ("us_offer_wage_level", "us_job_offer")):
        if follow_up in flat:
            assert first in flat and flat.index(first) < flat.index(follow_up)


def test_a_route_of_interest_is_settled_with_fewer_questions() -> None:
    everything, _ = walk(ENQUIRER)
    k_only, final = walk(ENQUIRER, routes=["cn.k_visa"])
    assert len(k_only) < len(everything)
    k_visa = next(r for r in final.routes() if r.route.programme == "cn.k_visa")
    assert k_visa.verdict != "undetermined" or k_visa.missing == ["degrees"]


def test_questions_in_chinese() -> None:
    step = next_step({}, on=ON, lang="zh")
    assert step.next is not None
    assert any("\u4e00" <= ch <= "\u9fff" for ch in step.next.text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in step.reason)


@pytest.mark.parametrize("answers", [
    {"date_of_birth": "1990-13-45"},
    {"favourite_colour": "blue"},
    {"hsk_level": 9},
    {"highest_degree": "wizard"},
])
def test_a_bad_answer_is_refused_clearly(answers: dict[str, Any]) -> None:
    with pytest.raises(ProfileError):
        next_step(answers, on=ON)


def test_an_unknown_route_of_interest_is_refused() -> None:
    with pytest.raises(ProfileError, match="unknown route"):
        next_step({}, on=ON, routes=["xx.nothing"])


def test_a_complex_life_in_china_is_asked_in_order_and_every_reason_names_a_route() -> None:
    investor = {**ENQUIRER, "annual_salary_cny": 900_000.0, "chinese_employer_job_offer": True,
                "holds_senior_post": True, "years_in_senior_post": 5.0,
                "years_continuous_work_in_china": 6.0, "years_actual_residence_in_china": 5.0,
                "months_in_china_per_year": 11.0, "investment_usd": 2_500_000.0,
                "investment_region": "central", "years_investment_stable": 4.0,
                "annual_income_tax_cny": 150_000.0, "stable_livelihood_and_residence": True}
    asked, final = walk(investor)
    flat = [name for question in asked for name in question]
    assert flat.index("investment_usd") < flat.index("years_investment_stable")
    assert flat.index("years_continuous_work_in_china") < flat.index(
        "years_actual_residence_in_china")
    whole = compare(investor, on=ON, suggest_changes=False)
    assert ({r.route.key: r.verdict for r in final.routes()}
            == {r.route.key: r.verdict for r in whole.routes})
