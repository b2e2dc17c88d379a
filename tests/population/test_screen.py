"""Streaming screening of real CSV and Parquet files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from kvisa.population.screen import screen_file
from kvisa.rules import RulesError, evaluate
from kvisa.rules.facts import FACTS_BY_NAME

ON = dt.date(2026, 1, 1)


def _profiles(n: int) -> pl.DataFrame:
    return pl.DataFrame({
        "id": [f"p{i}" for i in range(n)],
        "date_of_birth": [dt.date(1960 + i % 50, 1 + i % 12, 1 + i % 28) for i in range(n)],
        "highest_degree": [("bachelor", "master", "secondary", None)[i % 4] for i in range(n)],
        "degree_field": [("0613", "0311", "0533")[i % 3] for i in range(n)],
        "degree_institution_recognised": [(True, False, None)[i % 3] for i in range(n)],
        "annual_salary_cny": [float(i * 1000) for i in range(n)],
    })


def test_parquet_in_batches_equals_one_evaluation(tmp_path: Path) -> None:
    frame = _profiles(2_500)
    source = tmp_path / "in.parquet"
    frame.write_parquet(source, row_group_size=300)
    out = tmp_path / "out.parquet"
    seen: list[tuple[int, int]] = []
    summary = screen_file(source, out, on=ON, batch_rows=700,
                          progress=lambda d, t: seen.append((d, t)))
    assert summary.rows == summary.good == 2_500 and summary.bad == 0
    assert seen[-1] == (2_500, 2_500) and len(seen) >= 4
    evaluated = evaluate(frame, on=ON)
    results = [c for c in evaluated.columns if c not in FACTS_BY_NAME and c != "id"]
    actual = pl.read_parquet(out)
    assert actual.columns == ["row", "id", *results]    # the facts are not repeated
    assert actual["row"].to_list() == list(range(1, 2_501))
    assert actual.drop("row").equals(evaluated.select("id", *results))
    counts = summary.verdicts["cn.k_visa"]
    assert sum(counts.values()) == 2_500
    assert counts["eligible"] == evaluated["cn.k_visa"].sum()
    assert counts["undetermined"] == evaluated["cn.k_visa"].null_count() > 0


def test_with_facts_and_arrow_output(tmp_path: Path) -> None:
    frame = _profiles(1_000)
    source = tmp_path / "in.parquet"
    frame.write_parquet(source)
    out = tmp_path / "out.arrow"
    summary = screen_file(source, out, on=ON, programmes=["cn.k_visa"], with_facts=True)
    actual = pl.read_ipc(out)
    evaluated = evaluate(frame, ["cn.k_visa"], on=ON)
    assert actual.columns[:len(frame.columns) + 1] == ["row", *frame.columns]
    assert actual.drop("row").equals(evaluated.select(actual.columns[1:]))
    assert summary.verdicts["cn.k_visa"]["eligible"] == evaluated["cn.k_visa"].sum()


def test_a_row_column_in_the_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("row,date_of_birth\n1,1990-01-01\n")
    with pytest.raises(RulesError, match="row: the name of the output's row-number column"):
        screen_file(source, tmp_path / "out.parquet", on=ON, keep=("id", "row"))
    assert not (tmp_path / "out.parquet").exists()


def test_csv_bad_rows_are_reported_and_good_rows_screened(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,date_of_birth,annual_salary_cny,us_job_offer,highest_degree,nationality\n"
        "1,1990-01-01,100000,true,master,IND\n"
        "2,1990-01-01,-5,true,master,IND\n"
        "3,1990-01-01,100000,yes,master,IND\n"
        "4,2999-01-01,100000,TRUE,master,IND\n"
        "5,1990-01-01,100000,false,phd,IND\n"
        "6,1990-01-01,,,,\n"
        "7,1990-01-01,100000,true,master,india\n"
        "8,1990-01-01,100000,true,master\n")
    out = tmp_path / "out.parquet"
    summary = screen_file(source, out, on=ON)
    assert summary.rows == 8
    assert summary.good == 2 and summary.bad == 6
    with (tmp_path / "out.errors.csv").open() as handle:
        reasons = [f"{row},{reason}" for row, reason in list(csv.reader(handle))[1:]]
    assert "2,annual_salary_cny: must not be below 0" in reasons
    assert "3,us_job_offer: must be true or false" in reasons
    assert "4,date_of_birth: is in the future" in reasons
    assert any(r.startswith("5,highest_degree: must be one of") for r in reasons)
    assert any("nationality: must be an ISO 3166-1 alpha-3 code" in r for r in reasons)
    assert any("malformed CSV line" in r for r in reasons)
    assert pl.read_parquet(out)["id"].to_list() == ["1", "6"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file"),
    (b"\xff\xfe\x00\x01", "not UTF-8"),
])
def test_unusable_csv_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    with pytest.raises(RulesError, match=message):
        screen_file(source, tmp_path / "out.parquet", on=ON)


def test_not_a_parquet_file(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    source.write_text("hello")
    with pytest.raises(RulesError, match="not a readable Parquet file"):
        screen_file(source, tmp_path / "out.parquet", on=ON)
    assert not (tmp_path / "out.parquet").exists()


def test_wrongly_typed_parquet_column(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pl.DataFrame({"us_job_offer": [1, 0]}).write_parquet(source)
    with pytest.raises(RulesError, match="us_job_offer: column has type"):
        screen_file(source, tmp_path / "out.parquet", on=ON)
    assert not (tmp_path / "out.parquet").exists()


def test_degrees_as_json_in_a_csv_and_the_old_income_name(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,date_of_birth,degrees,annual_income_cny\n"
        '1,1994-01-01,"[{""level"": ""master"", ""field"": ""0413"", ""institution_recognised"": true},'
        ' {""level"": ""bachelor"", ""field"": ""0714"", ""institution_recognised"": true}]",700000\n'
        '2,1994-01-01,"[{""level"": ""phd""}]",1\n'
        "3,1994-01-01,not json,1\n")
    out = tmp_path / "out.parquet"
    summary = screen_file(source, out, on=ON)
    assert summary.good == 1 and summary.bad == 2
    with (tmp_path / "out.errors.csv").open() as handle:
        reasons = [row[1] for row in list(csv.reader(handle))[1:]]
    assert all(r.startswith("degrees: must be a JSON list of degrees") for r in reasons)
    result = pl.read_parquet(out)
    assert result["cn.k_visa.stem_field"].to_list() == [True]       # the STEM bachelor's counts
    assert result["row"].to_list() == [1]
    assert "annual_salary_cny" not in result.columns                 # facts are not repeated…
    with_facts = tmp_path / "facts.parquet"
    screen_file(source, with_facts, on=ON, with_facts=True)
    assert pl.read_parquet(with_facts)["annual_salary_cny"].to_list() == [700000.0]  # …unless asked: the alias read as the fact


def test_a_file_that_breaks_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    good_rows = "".join(f"{i},1990-01-01\n" for i in range(5_000))
    source.write_bytes(f"id,date_of_birth\n{good_rows}".encode() + b"x,\xff\xfe\n")
    with pytest.raises(RulesError, match="malformed CSV"):
        screen_file(source, tmp_path / "out.parquet", on=ON, batch_rows=1_000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_the_screen_command_writes_arrow_with_facts_as_a_process(kvisa_cli: Any, tmp_path: Path) -> None:
    """`kvisa screen` run as a user runs it: exit 0, the summary table, the file it names."""
    source = tmp_path / "in.csv"
    source.write_text("id,date_of_birth,highest_degree,degree_field\n"
                      "a,1995-01-01,master,0613\nb,1995-02-30,master,0613\n")
    out = tmp_path / "out.arrow"
    done = kvisa_cli("screen", str(source), "-o", str(out), "--on", "2026-01-01",
                     "-p", "cn.k_visa", "--with-facts", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 rows: 1 screened, 1 with errors" in done.stdout
    frame = pl.read_ipc(out)
    assert frame["row"].to_list() == [1] and frame["id"].to_list() == ["a"]
    assert frame["highest_degree"].to_list() == ["master"] and "cn.k_visa" in frame.columns
    assert (tmp_path / "out.errors.csv").read_text().splitlines()[1].startswith(
        "2,date_of_birth: not a real date")
