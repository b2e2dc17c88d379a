"""The rules commands of the CLI, through Typer's runner (the public interface)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from kvisa.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).parent.parent / "examples" / "profile.json"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_check_json_follows_the_documented_shape() -> None:
    result = run("check", str(EXAMPLE), "--on", "2026-01-01", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["as_of"] == "2026-01-01"
    first = document["assessments"][0]
    assert first["programme"] == "cn.k_visa"
    assert first["verdict"] in ("eligible", "not_eligible", "undetermined")
    criterion = first["criteria"][1]
    assert set(criterion) >= {"id", "text", "result", "citation", "facts", "missing"}
    assert criterion["result"] in ("met", "not_met", "unknown")


def test_check_before_the_k_visa_exists() -> None:
    result = run("check", str(EXAMPLE), "--on", "2025-09-30", "-p", "cn.k_visa", "--json")
    assert json.loads(result.stdout)["assessments"][0]["verdict"] == "not_eligible"


def test_check_table_in_chinese() -> None:
    result = run("check", str(EXAMPLE), "--on", "2026-01-01", "-p", "cn.k_visa", "--lang", "zh")
    assert result.exit_code == 0
    assert "K字签证" in result.stdout
    # the sources as a Chinese reader cites them, as the pages do (one catalogue)
    flat = "".join(result.stdout.split())
    assert "国务院令第814号" in flat and "第6条第6项" in flat
    assert "State Council Order" not in result.stdout


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    bad_date = tmp_path / "bad.json"
    bad_date.write_text('{"date_of_birth": "2001-02-29"}')
    not_json = tmp_path / "broken.json"
    not_json.write_text("{nope")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("parameters: {cn.k_visa.nope: 1}\n")
    cases = [
        (("check", str(bad_date)), "date_of_birth:"),
        (("check", str(not_json)), "not valid JSON"),
        (("check", str(binary)), "not UTF-8"),
        (("check", str(tmp_path / "absent.json")), "cannot read"),
        (("check", str(EXAMPLE), "--on", "2025-02-31"), "--on: '2025-02-31' is not a real date"),
        (("check", str(EXAMPLE), "-p", "cn.z"), "unknown id 'cn.z'"),
        (("check", str(EXAMPLE), "--scenario", str(scenario)), "unknown parameter"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output


def test_programmes_schema_and_parameters() -> None:
    assert "cn.k_visa" in run("programmes").stdout
    schema = json.loads(run("schema").stdout)
    assert "nationality" in schema["properties"]
    listing = json.loads(run("parameters", "--on", "2026-01-01", "--json").stdout)
    assert listing["parameters"]["cn.k_visa.max_age"]["value"] == 45
    assert listing["parameters"]["cn.k_visa.max_age"]["status"] == "reported"


def test_screen_writes_results_and_errors(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,date_of_birth,highest_degree,degree_field,degree_institution_recognised\n"
        "a,1995-01-01,master,0613,true\n"
        "b,1995-02-30,master,0613,true\n"
        "c,1960-01-01,bachelor,0311,false\n")
    out = tmp_path / "out.parquet"
    result = run("screen", str(source), "-o", str(out), "--on", "2026-01-01", "-p", "cn.k_visa")
    assert result.exit_code == 0, result.output
    assert "3 rows" in result.stdout and "1 with errors" in result.stdout
    frame = pl.read_parquet(out)
    assert frame["id"].to_list() == ["a", "c"]
    assert frame["cn.k_visa"].to_list() == [True, False]
    errors = (tmp_path / "out.errors.csv").read_text().splitlines()
    assert errors[1] == "2,date_of_birth: not a real date (YYYY-MM-DD)"


def test_screen_unknown_column_exits_2_and_leaves_no_output(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,date_of_birth\nAnna,1990-01-01\n")
    out = tmp_path / "out.parquet"
    result = run("screen", str(source), "-o", str(out))
    assert result.exit_code == 2
    assert "name: unknown column" in result.stderr
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))
