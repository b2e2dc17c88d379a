"""Rule fidelity, third review (issue 22): each rule on the CLI, the API and the page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kvisa.cli import app
from kvisa.rules import explain
from kvisa.rules.labels import fact_label

RECORDS = [{"year": y, "city": "Shanghai", "salary_cny": 1500000.0,
            "income_tax_cny": 400000.0, "months_in_china": 12.0} for y in range(2022, 2026)]
RESIDENT = {"no_criminal_record": True, "good_health": True, "employment_records": RECORDS}


def test_reference_rows_carry_their_status_into_check_and_its_json(tmp_path: Path) -> None:
    profile = tmp_path / "resident.json"
    profile.write_text(json.dumps(RESIDENT))
    document = json.loads(CliRunner().invoke(app, [
        "check", str(profile), "--on", "2026-03-01", "-p", "cn.permanent_residence",
        "--json"]).output)
    pr = document["assessments"][0]
    assert pr["verdict"] == "eligible" and pr["status"] == "reported"
    assert "reference.cn_local_average_wage" in pr["status_basis"]


@pytest.mark.django_db
def test_reference_status_reaches_the_api(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/rules/check", json.dumps(
        {"profile": RESIDENT, "on": "2026-03-01", "programmes": ["cn.permanent_residence"]}),
        content_type="application/json").json()
    assert answer["assessments"][0]["status"] == "reported"
    compared = client.post("/api/v1/pathways/compare", json.dumps(
        {"profile": RESIDENT, "on": "2026-03-01"}), content_type="application/json").json()
    employment = [r for r in compared["routes"] if r["programme"] == "cn.permanent_residence"
                  and r["verdict"] == "eligible"]
    assert employment and all(r["status"] == "reported" for r in employment)


def test_the_series_the_rule_means_is_a_cited_parameter() -> None:
    from kvisa.rules import scenario_from_dict
    from kvisa.rules.parameters import all_parameters

    series = all_parameters()["cn.permanent_residence.employment_average_wage_series"]
    assert "which published series is not stated" in series.values[-1].source.article
    other = scenario_from_dict({"name": "non-private", "parameters": {
        "cn.permanent_residence.employment_average_wage_series": "urban_non_private"}})
    result = explain(RESIDENT, ["cn.permanent_residence"], dt.date(2026, 3, 1),
                     other).programme("cn.permanent_residence")
    assert result.routes["cn.permanent_residence.route.employment"] == "unknown"


def test_a_city_missing_from_the_table_reads_as_typed_in_chinese() -> None:
    assert fact_label("average_wage.Beijing.2024", "zh").startswith("「Beijing」2024年")
    assert fact_label("average_wage.Shanghai.2017", "zh").startswith("上海2017年")
    assert "Beijing2024" not in fact_label("average_wage.Beijing.2024", "zh")


def test_a_route_not_modelled_is_listed_not_silent() -> None:
    listing = json.loads(CliRunner().invoke(app, ["programmes", "--json"]).output)
    pr = next(p for p in listing["programmes"] if p["id"] == "cn.permanent_residence")
    assert pr["not_modelled"] and "Spouses and unmarried children" in pr["not_modelled"][0][
        "text"]
    text = CliRunner().invoke(app, ["programmes"], env={"COLUMNS": "200"}).output
    assert "not modelled — cn.permanent_residence" in text


@pytest.mark.django_db
def test_the_pathways_page_shows_the_conditional_pl_114_113_fee(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/pathways", {
        "date_of_birth": "1995-01-01", "highest_degree": "master", "us_job_offer": "true",
        "us_job_is_specialty_occupation": "true", "on": "2026-01-15"}).content.decode()
    assert "Public Law 114-113 fee" in page
