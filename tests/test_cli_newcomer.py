"""The CLI as a newcomer meets it, run as a process (piped, not a terminal)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kvisa.rules import PROGRAMMES

EXAMPLE = Path(__file__).parent.parent / "examples" / "profile.json"


@pytest.fixture
def kvisa(kvisa_cli: Any) -> Any:
    """``kvisa`` as a process, in a newcomer's environment."""
    def run(*args: str, env: dict[str, str] | None = None) -> Any:
        return kvisa_cli(*args, env=env, newcomer=True, timeout=120)
    return run


def test_programmes_piped_never_cuts_an_identifier(kvisa: Any) -> None:
    result = kvisa("programmes")
    assert result.returncode == 0
    for programme in PROGRAMMES:
        assert programme.id in result.stdout, programme.id
    assert "…" not in result.stdout


def test_programmes_json(kvisa: Any) -> None:
    document = json.loads(kvisa("programmes", "--json").stdout)
    ids = [p["id"] for p in document["programmes"]]
    assert ids == [p.id for p in PROGRAMMES]
    assert set(document["programmes"][0]) == {"id", "name", "name_zh", "in_force_from",
                                              "in_force_until", "status", "not_modelled"}


def test_compare_piped_prints_one_block_per_route_with_fact_labels(kvisa: Any) -> None:
    result = kvisa("compare", str(EXAMPLE), "--on", "2026-06-01")
    assert result.returncode == 0, result.stderr
    assert "China permanent residence: salary and tax" in result.stdout
    assert "undetermined" in result.stdout              # never broken mid-word
    assert "annual_salary_cny" not in result.stdout     # labels, not keys
    chinese = kvisa("compare", str(EXAMPLE), "--on", "2026-06-01", "--lang", "zh")
    assert "尚无法确定" in chinese.stdout and "缺少" in chinese.stdout


def test_a_missing_database_is_a_set_up_problem_not_a_bug(kvisa: Any, tmp_path: Path) -> None:
    folder = tmp_path / "nowhere"
    result = kvisa("audit", "verify", env={"KVISA_DATA_DIR": str(folder)})
    assert result.returncode == 2, result.stderr
    assert "does not exist" in result.stderr and "internal error" not in result.stderr
    # a read creates nothing: no database, no data folder, no secret key
    assert not folder.exists()


def test_a_reading_command_leaves_no_audit_key_behind(kvisa: Any, tmp_path: Path) -> None:
    """Migrated database, no key yet: verify reports the empty log and creates no key."""
    folder = tmp_path / "fresh"
    assert kvisa("migrate", env={"KVISA_DATA_DIR": str(folder)}).returncode == 0
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    result = kvisa("audit", "verify", env={"KVISA_DATA_DIR": str(folder)})
    assert result.returncode == 0 and "0 events" in result.stdout, result.stderr
    after = sorted(p.relative_to(folder) for p in folder.rglob("*")
                   if not p.name.startswith("kvisa.sqlite3-"))  # SQLite's WAL files
    assert after == before


def test_an_unreachable_database_is_named(kvisa: Any, tmp_path: Path) -> None:
    result = kvisa("audit", "verify", env={
        "KVISA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"})
    assert result.returncode == 2
    assert "cannot open database 'none'" in result.stderr


def test_changes_to_qualify_read_in_chinese(kvisa: Any, tmp_path: Path) -> None:
    profile = tmp_path / "worker.json"
    profile.write_text(json.dumps({
        "date_of_birth": "1985-01-01", "no_criminal_record": True, "good_health": True,
        "years_continuous_work_in_china": 2.5, "months_in_china_per_year": 7,
        "annual_salary_cny": 500000, "local_urban_average_income_cny": 100000,
        "annual_income_tax_cny": 100000}))
    chinese = kvisa("compare", str(profile), "--on", "2026-06-01", "--lang", "zh")
    assert chinese.returncode == 0, chinese.stderr
    flat = "".join(chinese.stdout.split())
    assert "在华连续工作年数需达到4（目前2.5）" in flat
    assert "在华年薪（人民币）至少600,000（目前500,000）" in flat


def test_production_settings_pass_djangos_deployment_check(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("KVISA_", "DATABASE_URL", "DJANGO_"))}
    env = {**clean, "KVISA_DATA_DIR": str(tmp_path), "KVISA_SECRET_KEY": "x" * 20 + os.urandom(
        24).hex(), "DJANGO_SETTINGS_MODULE": "kvisa.site.settings"}
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy",
                             "--fail-level", "WARNING"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
