"""A scenario may override a parameter of any type: numbers, lists and tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kvisa.rules import RulesError, explain, scenario_from_dict

STEM = "cn.k_visa.stem_isced_broad_fields"
PROFILE = {"date_of_birth": "1996-05-14", "nationality": "IND",
           "degrees": [{"level": "master", "field": "0613", "institution_recognised": True}],
           "teaching_or_research_at_recognised_institution": False}


def _stem(parameters: dict[str, object]) -> str:
    scenario = scenario_from_dict({"name": "what if", "parameters": parameters})
    assessment = explain(PROFILE, ["cn.k_visa"], scenario=scenario).programmes[0]
    return next(c.result for c in assessment.criteria if c.id.endswith("stem_field"))


def test_a_list_override_changes_the_answer_and_is_cached_separately() -> None:
    assert _stem({STEM: ["05", "06", "07"]}) == "met"
    assert _stem({STEM: ["05"]}) == "not_met"      # ICT (06) no longer counts
    assert _stem({STEM: ["05", "06", "07"]}) == "met"


def test_a_table_override_is_accepted() -> None:
    draft = {"renowned": [3, 1, 0], "key_industry": [3, 1, 4], "six_times": [4, 2, 6],
             "long_service": [8, 4, 3]}
    scenario = scenario_from_dict({"name": "draft", "include_drafts": True,
                                   "parameters": {"cn.permanent_residence.draft_routes": draft}})
    assert scenario.parameters["cn.permanent_residence.draft_routes"] == draft
    explain({"years_continuous_work_in_china": 9.0}, ["cn.permanent_residence"],
            scenario=scenario)


@pytest.mark.parametrize("value", [[5], "05", [["05"]]])
def test_a_list_of_the_wrong_kind_is_refused(value: object) -> None:
    with pytest.raises(RulesError, match=STEM):
        scenario_from_dict({"name": "x", "parameters": {STEM: value}})


def test_the_cli_takes_a_list_override(kvisa_cli: Any, tmp_path: Path) -> None:
    scenario = tmp_path / "stem.yaml"
    scenario.write_text(f"name: narrower STEM\nparameters:\n  {STEM}: ['05']\n")
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(PROFILE))
    run = kvisa_cli("check", str(profile), "--scenario", str(scenario),
                    "--programme", "cn.k_visa", "--json", timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["assessments"][0]["verdict"] == "not_eligible"
