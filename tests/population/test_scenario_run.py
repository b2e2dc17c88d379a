"""`kvisa population generate` and `kvisa scenario run`: who changes verdict, and why."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl

from kvisa.population.scenario_run import run
from kvisa.population.synthetic import population
from kvisa.rules import evaluate, scenario_from_dict

ON = dt.date(2026, 11, 27)



def test_generate_is_reproducible(kvisa_cli: Any, tmp_path: Path) -> None:
    for name in ("a", "b"):
        done = kvisa_cli("population", "generate", "500", "-o", str(tmp_path / f"{name}.parquet"),
                      "--seed", "11")
        assert done.returncode == 0, done.stderr
    assert pl.read_parquet(tmp_path / "a.parquet").equals(pl.read_parquet(tmp_path / "b.parquet"))


def test_a_lower_age_limit_loses_exactly_the_people_it_should(tmp_path: Path) -> None:
    frame = population(3_000, seed=5, on=ON)
    source = tmp_path / "pop.parquet"
    frame.write_parquet(source)
    scenario = scenario_from_dict({"name": "age 40", "parameters": {"cn.k_visa.max_age": 40}})
    result = run(source, scenario, tmp_path / "out", on=ON, programmes=["cn.k_visa"])
    # the same answer computed independently, row by row
    before = evaluate(frame, ["cn.k_visa"], ON)["cn.k_visa"]
    after = evaluate(frame, ["cn.k_visa"], ON, scenario)["cn.k_visa"]
    lost = int(((before == True) & (after != True).fill_null(True)).sum())  # noqa: E712
    assert result.summary["changed"]["cn.k_visa"] == {"gained": 0, "lost": lost,
                                                      "total": result.summary["changed"]
                                                      ["cn.k_visa"]["total"]}
    assert lost > 0
    changes = pl.read_parquet(tmp_path / "out" / "changes.parquet")
    assert changes["criteria_changed"].list.contains("cn.k_visa.age_max").all()
    assert (tmp_path / "out" / "verdicts.svg").read_text().startswith("<svg")
    assert (tmp_path / "out" / "verdicts.png").read_bytes().startswith(b"\x89PNG")
    assert sum(result.summary["by"]["nationality"]["cn.k_visa"].values()) == changes.height
    # who lost it: people over 40 on the day, so the two bands above 40 only
    bands = result.summary["by"]["age_band"]["cn.k_visa"]
    assert sum(bands.values()) == changes.height and set(bands) <= {"30-45", "46-59"}


def test_the_cli_prints_the_summary_and_compares_two_scenarios(kvisa_cli: Any, tmp_path: Path) -> None:
    population(800, seed=3, on=ON).write_parquet(tmp_path / "pop.parquet")
    (tmp_path / "a.yaml").write_text("name: forty\nparameters:\n  cn.k_visa.max_age: 40\n")
    (tmp_path / "b.yaml").write_text("name: thirty-five\nparameters:\n  cn.k_visa.max_age: 35\n")
    (tmp_path / "list.yaml").write_text(
        "name: ICT only\nparameters:\n  cn.k_visa.stem_isced_broad_fields: ['06']\n")
    done = kvisa_cli("scenario", "run", str(tmp_path / "b.yaml"), "--against", str(tmp_path / "a.yaml"),
                  "--population", str(tmp_path / "pop.parquet"), "-o", str(tmp_path / "o"),
                  "--on", ON.isoformat(), "-p", "cn.k_visa", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["rows"] == 800 and summary["engine"] == "local"
    assert summary["changed"]["cn.k_visa"]["gained"] == 0
    assert summary["baseline"]["cn.k_visa"]["eligible"] >= summary["scenario"]["cn.k_visa"][
        "eligible"]
    listed = kvisa_cli("scenario", "run", str(tmp_path / "list.yaml"), "--population",
                    str(tmp_path / "pop.parquet"), "-o", str(tmp_path / "l"), "--on",
                    ON.isoformat(), "-p", "cn.k_visa", "--json")
    assert listed.returncode == 0, listed.stderr         # a list override no longer crashes
    missing = kvisa_cli("scenario", "run", str(tmp_path / "a.yaml"), "--population",
                     str(tmp_path / "nope.parquet"), "-o", str(tmp_path / "x"))
    assert missing.returncode == 2 and "no such population file" in missing.stderr


def test_every_calibration_figure_is_cited_and_a_bad_file_is_one_line(kvisa_cli: Any, tmp_path: Path) -> None:
    import yaml

    from kvisa.population.calibration import DEFAULT, load

    figures = load()
    for name in ("nationality", "highest_degree", "degree_field", "age", "annual_salary_cny",
                 "missing_share", "shares"):
        cited = getattr(figures, name)
        assert len(cited.source) > 20 and cited.status in ("confirmed", "reported",
                                                           "assumption")
    assert "70%" in figures.nationality.source
    raw = yaml.safe_load(DEFAULT.read_text())
    raw["nationality"]["weights"] = {"IND": 1.0}
    (tmp_path / "india.yaml").write_text(yaml.safe_dump(raw))
    only = kvisa_cli("population", "generate", "300", "-o", str(tmp_path / "i.parquet"),
                  "--calibration", str(tmp_path / "india.yaml"))
    assert only.returncode == 0, only.stderr
    assert pl.read_parquet(tmp_path / "i.parquet")["nationality"].unique().to_list() == ["IND"]
    del raw["age"]["source"]
    (tmp_path / "uncited.yaml").write_text(yaml.safe_dump(raw))
    uncited = kvisa_cli("population", "generate", "10", "-o", str(tmp_path / "u.parquet"),
                     "--calibration", str(tmp_path / "uncited.yaml"))
    assert uncited.returncode == 2 and "age.source: Field required" in uncited.stderr
    raw["age"]["source"] = "a source long enough to count"
    raw["nationality"]["weights"] = {"XXX": 1.0}
    (tmp_path / "code.yaml").write_text(yaml.safe_dump(raw))
    bad = kvisa_cli("population", "generate", "10", "-o", str(tmp_path / "c.parquet"),
                 "--calibration", str(tmp_path / "code.yaml"))
    assert bad.returncode == 2 and "XXX is not an ISO 3166" in bad.stderr
    assert not (tmp_path / "u.parquet").exists() and not (tmp_path / "c.parquet").exists()


def test_programmes_the_scenario_does_not_touch_are_not_re_evaluated_and_still_right(
        tmp_path: Path) -> None:
    from kvisa.rules.engine import programme_ids, programmes_reading

    frame = population(2_000, seed=9, on=ON)
    frame.write_parquet(tmp_path / "pop.parquet")
    scenario = scenario_from_dict({"name": "PR at 3x", "parameters": {
        "cn.permanent_residence.employment_income_multiple": 3}})
    touched = programmes_reading(["cn.permanent_residence.employment_income_multiple"],
                                 None, ON, scenarios=(None, scenario))
    assert touched == {"cn.permanent_residence"}
    result = run(tmp_path / "pop.parquet", scenario, tmp_path / "out", on=ON)
    independent = evaluate(frame, None, ON, scenario, detail=False)
    for pid in programme_ids():
        column = independent[pid]
        assert result.summary["scenario"][pid] == {
            "eligible": int((column == True).sum()),  # noqa: E712
            "not_eligible": int((column == False).sum()),  # noqa: E712
            "undetermined": int(column.is_null().sum())}, pid
