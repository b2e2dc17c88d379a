"""Run the lawyer-readable YAML cases: each on one row, and each file as one batch.

Both paths must give the expected verdicts and criteria, and agree with each
other on every criterion, route and output column.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import polars as pl
import pytest
import yaml

from kvisa.rules import evaluate, explain, scenario_from_dict
from kvisa.rules.discovery import programme_folders
from kvisa.rules.facts import profile_frame, validate_profile

VERDICT = {True: "eligible", False: "not_eligible", None: "undetermined"}
RESULT = {True: "met", False: "not_met", None: "unknown"}


def _load() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for folder in programme_folders():
        file = folder.file("cases.yaml")
        if file is None:
            continue
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        for case in document["cases"]:
            found.append((document["programme"], case))
    return found


ALL_CASES = _load()


def _profile(case: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in case["profile"].items()}


def _scenario(case: dict[str, Any]):  # type: ignore[no-untyped-def]
    return scenario_from_dict(case["scenario"]) if "scenario" in case else None


def test_every_programme_has_at_least_15_cases() -> None:
    counts: dict[str, int] = defaultdict(int)
    for programme, _ in ALL_CASES:
        counts[programme] += 1
    from kvisa.rules import programme_ids
    for pid in programme_ids():
        assert counts[pid] >= 15, f"{pid} has {counts[pid]} cases"


@pytest.mark.parametrize(("programme", "case"), ALL_CASES,
                         ids=[f"{p}: {c['name']}" for p, c in ALL_CASES])
def test_case_on_one_row(programme: str, case: dict[str, Any]) -> None:
    assessment = explain(_profile(case), [programme], case["date"], _scenario(case),
                         include_drafts=case.get("include_drafts", False))
    result = assessment.programme(programme)
    assert result.verdict == case["verdict"]
    by_id = {c.id: c.result for c in result.criteria}
    for cid, expected in (case.get("criteria") or {}).items():
        assert by_id[cid] == expected, cid
    for oid, expected in (case.get("outputs") or {}).items():
        assert result.outputs[oid] == pytest.approx(expected) if isinstance(expected, float) \
            else result.outputs[oid] == expected, oid
    for rid, expected in (case.get("routes") or {}).items():
        assert result.routes.get(rid, "absent") == expected, rid
    if "missing" in case:
        assert set(case["missing"]) <= set(result.missing)
    if "status" in case:
        assert result.status == case["status"]
    assert set(case.get("status_basis", [])) <= set(result.status_basis)
    for oid, expected in (case.get("output_status") or {}).items():
        assert result.output_status[oid] == expected, oid
    for key, expected in (case.get("season") or {}).items():
        assert result.season is not None
        found = result.season["dates"].get(key, result.season.get(key))
        assert str(found) == str(expected), key
    for cid in (case.get("criteria") or {}):
        criterion = next(c for c in result.criteria if c.id == cid)
        assert criterion.citation["instrument"], cid


def _batches() -> list[tuple[str, list[dict[str, Any]]]]:
    grouped: dict[tuple[str, dt.date, str, bool], list[dict[str, Any]]] = defaultdict(list)
    for programme, case in ALL_CASES:
        key = (programme, case["date"], repr(case.get("scenario")),
               case.get("include_drafts", False))
        grouped[key].append(case)
    return [(f"{k[0]} on {k[1]}", v) for k, v in grouped.items()]


@pytest.mark.parametrize(("label", "cases"), _batches(), ids=[b[0] for b in _batches()])
def test_batch_agrees_with_one_row(label: str, cases: list[dict[str, Any]]) -> None:
    programme = label.split(" on ")[0]
    first = cases[0]
    frame = profile_frame([validate_profile(_profile(c)) for c in cases])
    batch = evaluate(frame, [programme], first["date"], _scenario(first),
                     include_drafts=first.get("include_drafts", False))
    for index, case in enumerate(cases):
        row = batch.row(index, named=True)
        assert VERDICT[row[programme]] == case["verdict"], case["name"]
        single = explain(_profile(case), [programme], case["date"], _scenario(case),
                         include_drafts=case.get("include_drafts", False)).programme(programme)
        for criterion in single.criteria:
            assert RESULT[row[criterion.id]] == criterion.result, (case["name"], criterion.id)
        for oid, value in single.outputs.items():
            assert row[oid] == value, (case["name"], oid)


def test_batch_of_all_cases_has_a_column_per_criterion() -> None:
    frame = profile_frame([validate_profile(_profile(c)) for _, c in ALL_CASES])
    result = evaluate(frame, on=dt.date(2026, 1, 1))
    assert result.height == len(ALL_CASES)
    assert "cn.k_visa.stem_field" in result.columns
    assert result.schema["cn.k_visa"] == pl.Boolean
