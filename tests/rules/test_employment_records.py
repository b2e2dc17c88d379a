"""China's 2019 employment route to permanent residence, year by year, against a local wage table.

The route (NIA, nationwide from 1 Aug 2019): 4 consecutive years of work, at
least 6 months a year in China, salary at least 6x the previous year's local
average wage, income tax at least 20% of that standard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl
import pytest

from kvisa.rules import ProfileError, evaluate, explain, reference, validate_profile
from kvisa.rules.programmes.permanent_residence.rules import employment_by_year
from kvisa.rules.reference import ReferenceTableError, merge, parse_average_wages

ON = dt.date(2026, 11, 27)  # the required years are 2022-2025; averages 2021-2024
P = "cn.permanent_residence"
HEADER = "city,city_zh,year,average_wage_cny,status,source,url\n"


def table(*rows: str) -> str:
    return HEADER + "".join(f"{row},official,Bureau,https://example.org/\n" for row in rows)


@pytest.fixture(autouse=True)
def wage_table() -> Iterator[None]:
    """A known table for every test here; the shipped one afterwards."""
    reference.install(parse_average_wages(table(
        "Shanghai,上海,2021,100000", "Shanghai,上海,2022,110000", "Shanghai,上海,2023,120000",
        "Shanghai,上海,2024,130000", "Beijing,北京,2023,150000")))
    yield
    reference.install(reference.shipped())


def record(year: int, *, city: str | None = "Shanghai", salary: float | None = 900_000,
           tax: float | None = 200_000, months: float | None = 10) -> dict[str, object]:
    return {"year": year, "city": city, "salary_cny": salary, "income_tax_cny": tax,
            "months_in_china": months}


def profile(records: list[dict[str, object]]) -> dict[str, object]:
    return {"no_criminal_record": True, "good_health": True, "employment_records": records}


def employment(records: list[dict[str, object]]) -> dict[str, tuple[str, list[str]]]:
    assessment = explain(profile(records), [P], ON).programmes[0]
    return {c.id.rsplit(".", 1)[1]: (c.result, c.missing) for c in assessment.criteria
            if ".route.employment." in c.id}


FOUR_GOOD = [record(2022), record(2023), record(2024), record(2025)]


def test_four_good_years_meet_every_test_and_the_route() -> None:
    results = employment(FOUR_GOOD)
    assert {k: v[0] for k, v in results.items()} == {
        "in_force": "met", "years": "met", "months": "met", "income": "met", "tax": "met"}
    assert explain(profile(FOUR_GOOD), [P], ON).programmes[0].verdict == "eligible"


def test_each_year_is_compared_with_the_previous_years_average_of_its_city() -> None:
    # 2025 is compared with 2024's 130,000: 6x is 780,000, so 779,999 fails and 780,000 passes
    below = [*FOUR_GOOD[:3], record(2025, salary=779_999)]
    assert employment(below)["income"][0] == "not_met"
    at = [*FOUR_GOOD[:3], record(2025, salary=780_000, tax=156_000)]
    assert employment(at)["income"][0] == "met"
    assert employment(at)["tax"][0] == "met"  # 20% of 780,000, not of the salary
    short_tax = [*FOUR_GOOD[:3], record(2025, salary=2_000_000, tax=155_999)]
    assert employment(short_tax)["tax"][0] == "not_met"


def test_a_missing_year_fails_the_consecutive_years() -> None:
    results = employment([record(2022), record(2024), record(2025)])
    assert results["years"][0] == "not_met"
    assert explain(profile([record(2022), record(2024), record(2025)]), [P], ON
                   ).programmes[0].routes[f"{P}.route.employment"] == "not_met"


def test_too_few_months_in_one_year_fails() -> None:
    assert employment([*FOUR_GOOD[:3], record(2025, months=5.5)])["months"][0] == "not_met"


def test_a_city_or_year_missing_from_the_table_is_unknown_and_named() -> None:
    # Hangzhou is not in the table; Beijing has 2023 but not 2024
    results = employment([*FOUR_GOOD[:2], record(2024, city="Beijing"),
                          record(2025, city="Hangzhou")])
    assert results["income"] == ("unknown", ["average_wage.Hangzhou.2024"])
    assert results["tax"] == ("unknown", ["average_wage.Hangzhou.2024"])
    assert results["years"][0] == "met"
    assert explain(profile([*FOUR_GOOD[:3], record(2025, city="Hangzhou")]), [P], ON
                   ).programmes[0].verdict != "eligible"


def test_a_blank_field_names_the_year_and_field_not_the_single_figure_facts() -> None:
    results = employment([*FOUR_GOOD[:3], record(2025, tax=None)])
    assert results["tax"] == ("unknown", ["employment_records.2025.income_tax_cny"])
    assert results["income"][0] == "met"


def test_without_records_the_single_figures_are_read_and_named() -> None:
    results = employment([])  # an empty list: no year has a record
    assert results["years"][0] == "not_met"
    missing = explain({"good_health": True}, [P], ON).programmes[0]
    income = next(c for c in missing.criteria if c.id.endswith("employment.income"))
    assert "annual_salary_cny" in income.missing and "employment_records" in income.missing


def test_a_new_table_is_read_by_the_next_evaluation() -> None:
    records = [*FOUR_GOOD[:3], record(2025, city="Hangzhou")]
    assert employment(records)["income"][0] == "unknown"
    _, rows = reference.current()
    reference.install(merge(rows, parse_average_wages(table("Hangzhou,杭州,2024,100000"))))
    assert employment(records)["income"][0] == "met"


def test_batch_and_explain_agree_on_yearly_records() -> None:
    cases = [FOUR_GOOD, [*FOUR_GOOD[:3], record(2025, salary=1)],
             [*FOUR_GOOD[:3], record(2025, city="Hangzhou")], FOUR_GOOD[1:]]
    frame = pl.DataFrame({"employment_records": cases, "no_criminal_record": [True] * 4,
                          "good_health": [True] * 4},
                         schema_overrides={"employment_records": pl.List(pl.Struct({
                             "year": pl.Int64, "city": pl.String, "salary_cny": pl.Float64,
                             "income_tax_cny": pl.Float64, "months_in_china": pl.Float64}))})
    batch = evaluate(frame, [P], ON)[f"{P}.route.employment.income"].to_list()
    one = [{"met": True, "not_met": False, "unknown": None}[employment(c)["income"][0]]
           for c in cases]
    assert batch == one == [True, False, None, None]


def test_the_officers_table_shows_each_year_with_its_average_and_source() -> None:
    rows = employment_by_year(profile([*FOUR_GOOD[:3], record(2025, salary=100)]), ON)
    assert [r["year"] for r in rows] == [2022, 2023, 2024, 2025]
    last = rows[-1]
    assert last["wage_year"] == 2024 and last["average"] == 130_000
    assert last["salary_standard"] == 780_000 and last["income"] is False
    assert last["met"] is False and last["average_url"] == "https://example.org/"
    gap = employment_by_year(profile(FOUR_GOOD[1:]), ON)
    assert gap[0] == {"year": 2022, "present": False, "met": False}


def test_two_records_for_one_year_are_refused() -> None:
    with pytest.raises(ProfileError, match="2023 appears more than once"):
        validate_profile(profile([record(2023), record(2023)]))
    with pytest.raises(ProfileError, match="employment_records"):
        validate_profile(profile([record(2023, months=13)]))


# ------------------------------------------------------------- the table itself

def test_the_shipped_table_is_valid_and_cited() -> None:
    rows = reference.shipped()
    assert rows and all(r.source and r.url.startswith("http") for r in rows)
    assert {r.status for r in rows} <= {"official", "reported"}


@pytest.mark.parametrize(("text", "line", "problem"), [
    (table("Shanghai,上海,2021,100000", "Shanghai,上海,2021,100001"), 3, "overlapping"),
    (table("Shanghai,上海,2021,100000", "Shanghai,上海,2023,100001"), 3, "no figure for 2022"),
    (table("Shanghai,上海,20x1,100000"), 2, "not a whole number"),
    (table("Shanghai,上海,2021,-5"), 2, "not a plausible"),
    (table("Shanghai,上海,2021,lots"), 2, "not a number"),
    (table("上海,上海,2021,100000"), 2, "Latin letters"),
    ("city,year,average\nShanghai,2021,1\n", 1, "header must be"),
    (HEADER + "Shanghai,上海,2021,100000,maybe,Bureau,https://x.org/\n", 2, "status must be"),
    (HEADER + "Shanghai,上海,2021,100000,official,,https://x.org/\n", 2, "source is empty"),
    (HEADER + "Shanghai,上海,2021,100000,official,Bureau,ftp://x\n", 2, "web address"),
    (HEADER + "Shanghai,上海,2021\n", 2, "expected 7 columns"),
])
def test_a_malformed_table_is_refused_with_its_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(ReferenceTableError, match=problem) as caught:
        parse_average_wages(text.encode())
    assert caught.value.line == line


def test_a_table_that_is_not_utf8_or_empty_is_refused() -> None:
    with pytest.raises(ReferenceTableError, match="not UTF-8"):
        parse_average_wages(HEADER.encode() + "Shanghai,上海,2021,1".encode("gb18030"))
    with pytest.raises(ReferenceTableError, match="no rows"):
        parse_average_wages(HEADER)


def test_extending_refuses_a_changed_figure_and_a_gap() -> None:
    current = parse_average_wages(table("Shanghai,上海,2021,100000"))
    with pytest.raises(ReferenceTableError, match="already in the table"):
        merge(current, parse_average_wages(table("Shanghai,上海,2021,99999")))
    with pytest.raises(ReferenceTableError, match="no figure for 2022"):
        merge(current, parse_average_wages(table("Shanghai,上海,2023,120000")))
    grown = merge(current, parse_average_wages(table("Shanghai,上海,2022,110000")))
    assert [r.year for r in grown] == [2021, 2022]
