"""A programme is one folder (issue 24): a folder placed outside kvisa, named by
``KVISA_PROGRAMMES_PATH``, appears in ``kvisa programmes``, the catalogue,
``kvisa compare``, ``kvisa check``, the public API and the guided comparison of a
running ``kvisa serve``, with no other change."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from .site_process import KVISA, free_port, running
from .test_commands_journey import _env as journey_env

pytestmark = pytest.mark.process

FOLDERS = Path(__file__).parents[1] / "rules" / "fixtures" / "extra_programmes"
PROFILE = {"years_work_experience": 4, "us_job_offer": True}


def _env(data_dir: Path) -> dict[str, str]:
    return journey_env(data_dir, KVISA_PROGRAMMES_PATH=str(FOLDERS))


def _kvisa(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*KVISA, *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_folder_on_the_path_is_a_programme_everywhere(tmp_path: Path) -> None:
    env = _env(tmp_path / "data")
    listed = json.loads(_kvisa(env, "programmes", "--json"))
    entries = listed if isinstance(listed, list) else listed["programmes"]
    assert "rt.test_visa" in [p["id"] for p in entries]
    # its translations are its own folder's (locale/zh_Hans/LC_MESSAGES/messages.po)
    ours = next(p for p in entries if p["id"] == "rt.test_visa")
    assert ours["name_zh"] == "鲁里塔尼亚测试签证"
    catalogue = _kvisa(env, "catalogue")
    assert "## Ruritanian test visa — 鲁里塔尼亚测试签证" in catalogue
    assert "至少3年工作经验。" in catalogue  # the placeholder filled in Chinese too
    assert "`rt.test_visa.min_years`" in catalogue  # its parameters.yaml was read
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(PROFILE))
    compared = json.loads(_kvisa(env, "compare", str(profile), "--on", "2026-06-01", "--json"))
    route = next(r for r in compared["routes"] if r["programme"] == "rt.test_visa")
    assert route["verdict"] == "eligible"
    assert route["totals"]["USD"]["certain"] == "77"  # its pathway.py's fee
    checked = json.loads(_kvisa(env, "check", str(profile), "--programme", "rt.test_visa",
                                "--on", "2026-06-01", "--json"))
    assert "rt.test_visa" in json.dumps(checked)

    port = free_port()
    with running(["serve", "--port", str(port)], env=env, port=port,
                 log=tmp_path / "serve.log") as base:
        answer = httpx.post(f"{base}/api/v1/rules/check", json={
            "profile": PROFILE, "programmes": ["rt.test_visa"], "on": "2026-06-01"}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert answer.json()["assessments"][0]["verdict"] == "eligible"
        answer = httpx.post(f"{base}/api/v1/pathways/compare",
                            json={"profile": PROFILE, "on": "2026-06-01"}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert "rt.test_visa" in [r["programme"] for r in answer.json()["routes"]]
        answer = httpx.post(f"{base}/api/v1/pathways/interview",
                            json={"answers": PROFILE, "on": "2026-06-01"}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert "rt.test_visa" in json.dumps(answer.json())
        page = httpx.get(f"{base}/pathways", timeout=30)
        assert page.status_code == 200


def test_without_the_path_the_folder_is_not_there(tmp_path: Path) -> None:
    env = {k: v for k, v in _env(tmp_path).items() if k != "KVISA_PROGRAMMES_PATH"}
    assert "rt.test_visa" not in _kvisa(env, "programmes", "--json")
