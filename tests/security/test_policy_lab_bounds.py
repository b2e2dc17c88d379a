"""The policy lab's inputs are bounded in what they expand to (issue 21, finding 2),
and a run is seen by who asked for it (finding 4)."""

from __future__ import annotations

import io

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from kvisa.accounts.models import Role
from kvisa.analytics import policy_lab
from kvisa.audit.models import AuditEvent
from kvisa.casework.models import PolicyRun
from tests.support.people import client_for, make_user

pytestmark = pytest.mark.django_db(transaction=True)  # runs are queued on commit

# 312 bytes of nested aliases: 9^6 (about half a million) items once expanded
ALIAS_BOMB = ("[&a [1,1,1,1,1,1,1,1,1], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
              "&c [*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], "
              "&e [*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]]")


def _ask(client, **fields):  # type: ignore[no-untyped-def]
    form = {"name": "what-if", "parameter-0": "cn.k_visa.max_age", "value-0": "40",
            "generate": "500", "seed": "5", "on": "2026-11-27", "programme": "", **fields}
    return client.post("/policy-lab/", form)


@pytest.mark.parametrize(("parameter", "value", "words"), [
    ("cn.work_permit.age_points", ALIAS_BOMB, "anchors and aliases"),
    ("cn.k_visa.max_age", ".inf", "not a finite number"),
    ("cn.k_visa.max_age", ".nan", "not a finite number"),
    ("cn.k_visa.max_age", "1.0e+40", "outside 0 to 120 (years)"),
    ("cn.k_visa.max_age", "10000000000000000000000000000000000000000", "outside 0 to 120"),
    ("cn.work_permit.age_points", "[" * 40 + "]" * 40, "nested deeper than"),
])
def test_a_value_that_would_expand_or_overflow_is_refused_at_its_field(
        parameter: str, value: str, words: str) -> None:
    analyst = client_for(make_user(Role.ANALYST))
    answer = _ask(analyst, **{"parameter-0": parameter, "value-0": value})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert words in page and 'id="value-0-error"' in page and 'aria-invalid="true"' in page
    assert len(answer.content) < 200_000  # nothing expanded is echoed
    assert not PolicyRun.objects.exists()
    assert not AuditEvent.objects.filter(action="policy_run.create").exists()


def test_an_error_echoes_a_long_value_cut_short() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    long_list = "[" + ", ".join(["'x'"] * 800) + "]"
    answer = _ask(analyst, **{"value-0": long_list})
    assert answer.status_code == 400
    assert "characters)" in answer.content.decode()


def _nulls_parquet(rows: int) -> bytes:
    """A Parquet file of ``rows`` null ids: a few KB that stand for millions of rows."""
    buffer = io.BytesIO()
    pq.write_table(pa.table({"id": pa.nulls(rows, pa.string())}), buffer)
    return buffer.getvalue()


def test_a_small_parquet_file_of_twenty_million_rows_is_refused_from_its_footer() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    data = _nulls_parquet(20_000_000)
    assert len(data) < 100_000
    answer = _ask(analyst, generate="", population=SimpleUploadedFile("pop.parquet", data))
    assert answer.status_code == 400
    assert "20,000,000 rows; at most 5,000,000" in answer.content.decode()
    assert not PolicyRun.objects.exists()


def test_a_csv_header_of_a_million_columns_is_refused_before_parsing() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    header = ",".join(f"c{i}" for i in range(1_000_000)).encode() + b"\n1\n"
    answer = _ask(analyst, generate="", population=SimpleUploadedFile("pop.csv", header))
    assert answer.status_code == 400
    assert "longer than 64 KB" in answer.content.decode()
    wide = ",".join(f"c{i}" for i in range(600)).encode() + b"\n"
    answer = _ask(analyst, generate="", population=SimpleUploadedFile("pop.csv", wide))
    assert "600 columns; at most 500" in answer.content.decode()


def test_one_person_has_at_most_two_runs_waiting() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    assert _ask(analyst).status_code == 302
    assert _ask(analyst).status_code == 302
    third = _ask(analyst)
    assert third.status_code == 400 and "2 runs waiting or running" in third.content.decode()
    assert PolicyRun.objects.count() == 2
    # someone else is not held up by them
    assert _ask(client_for(make_user(Role.ANALYST))).status_code == 302


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def test_runs_are_seen_by_who_asked_and_by_supervisors() -> None:
    owner_user = make_user(Role.ANALYST)
    owner, other = client_for(owner_user), client_for(make_user(Role.ANALYST))
    supervisor = client_for(make_user(Role.SUPERVISOR))
    asked = _ask(owner)
    run = PolicyRun.objects.get()
    _work()
    urls = [asked["Location"], *(f"/policy-lab/runs/{run.pk}/{name}" for name in
                                 ("changes.csv", "changes.parquet", "summary.json"))]
    for url in urls:
        assert owner.get(url).status_code == 200, url
        assert supervisor.get(url).status_code == 200, url
        assert other.get(url).status_code == 404, url
    assert f'href="/policy-lab/runs/{run.pk}/"' not in other.get("/policy-lab/").content.decode()
    assert f'href="/policy-lab/runs/{run.pk}/"' in owner.get("/policy-lab/").content.decode()
    assert policy_lab.runs_visible_to(owner_user).count() == 1


def test_a_run_without_a_change_and_an_absurd_page_number_both_render() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    asked = _ask(analyst, **{"value-0": "45"})  # the value in force: nobody changes
    _work()
    run = PolicyRun.objects.get()
    assert run.status == PolicyRun.DONE
    page = analyst.get(asked["Location"])
    assert page.status_code == 200
    huge = analyst.get(asked["Location"] + "?page=" + "9" * 30)
    assert huge.status_code == 200
    csv = b"".join(analyst.get(f"/policy-lab/runs/{run.pk}/changes.csv").streaming_content)
    assert pl.read_csv(io.BytesIO(csv)).height == 0


def test_changes_download_streams_in_row_order_across_parts() -> None:
    analyst = client_for(make_user(Role.ANALYST))
    asked = _ask(analyst, generate="3000")
    _work()
    run = PolicyRun.objects.get()
    response = analyst.get(f"/policy-lab/runs/{run.pk}/changes.parquet")
    assert response.streaming
    frame = pl.read_parquet(io.BytesIO(b"".join(response.streaming_content)))
    assert frame.height == sum(v["total"] for v in run.summary["changed"].values())
    assert frame.select("row", "programme").equals(frame.select("row", "programme").sort(
        "row", "programme"))
    last = analyst.get(asked["Location"] + "?page=999").content.decode()
    assert "Page" in last
