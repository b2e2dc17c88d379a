"""Public endpoints bound their work, not only their bytes (issue 21, finding 1)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kvisa.documents import evisa
from kvisa.documents.errors import DocumentError
from kvisa.rules import RulesError, explain
from tests.security.hostile import bounded, find_seal_outcome, huge_page_pdf


@pytest.mark.parametrize("size_pt", [5000.0, 14400.0])
def test_a_pdf_of_huge_empty_pages_is_read_within_a_pixel_budget(size_pt: float) -> None:
    data = huge_page_pdf(pages=5, size_pt=size_pt)
    assert len(data) < 2000
    outcome, value, _seconds, _ = bounded(find_seal_outcome, data, memory_mb=1200,
                                          timeout=60)
    assert outcome == "ok", value
    assert value == "no Visible Digital Seal barcode found" or "not a readable PDF" in value


def test_renderer_errors_are_no_seal_read() -> None:
    with pytest.raises(DocumentError, match="not a readable PDF"):
        evisa.find_seal(b"%PDF-1.7\n" + b"\x00" * 200)


def test_the_page_scale_shrinks_with_the_page() -> None:
    a4 = evisa._page_scale(595, 842)
    assert a4 == evisa.PDF_RENDER_SCALE
    huge = evisa._page_scale(14400, 14400)
    assert (14400 * huge) ** 2 <= evisa.MAX_PAGE_PIXELS * 1.01


def test_repeated_programme_ids_are_asked_once() -> None:
    assessment = explain({}, ["cn.k_visa", "cn.k_visa"])
    assert [p.programme for p in assessment.programmes] == ["cn.k_visa"]


def test_unknown_ids_are_refused_and_not_echoed_whole() -> None:
    with pytest.raises(RulesError) as caught:
        explain({}, ["x" * 10_000])
    assert len(str(caught.value)) < 400


@pytest.mark.django_db
def test_rules_check_refuses_long_lists_and_repeats_are_fine() -> None:
    client = Client()
    ok = client.post("/api/v1/rules/check", json.dumps(
        {"profile": {}, "programmes": ["cn.k_visa"] * 3}), content_type="application/json")
    assert ok.status_code == 200
    assert [a["programme"] for a in ok.json()["assessments"]] == ["cn.k_visa"]
    many = client.post("/api/v1/rules/check", json.dumps(
        {"profile": {}, "programmes": ["cn.k_visa"] * 20_000}),
        content_type="application/json")
    assert many.status_code == 422
    assert many["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_profile_lists_are_bounded() -> None:
    degrees = [{"level": "bachelor"}] * 500
    reply = Client().post("/api/v1/rules/check", json.dumps({"profile": {"degrees": degrees}}),
                          content_type="application/json")
    assert reply.status_code == 422
    assert "degrees" in reply.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("path,body", [
    ("/api/v1/rules/check", {"profile": {}, "programmes": ["cn.k_visa"]}),
    ("/api/v1/pathways/compare", {"profile": {}}),
    ("/api/v1/pathways/interview", {"answers": {}}),
    ("/api/v1/verify", {"seal_hex": "dc"}),
])
def test_public_endpoints_have_a_per_address_budget(settings: Any, path: str,
                                                    body: dict[str, Any]) -> None:
    settings.KVISA_PUBLIC_BUDGETS = {"compute": (3, 60), "verify": (3, 60)}
    client = Client(REMOTE_ADDR="203.0.113.9")
    codes = [client.post(path, json.dumps(body), content_type="application/json").status_code
             for _ in range(4)]
    assert 429 not in codes[:3] and 500 not in codes[:3]
    assert codes[3] == 429
    refused = client.post(path, json.dumps(body), content_type="application/json")
    assert 1 <= int(refused["Retry-After"]) <= 60
    # another address has its own budget
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(path, json.dumps(body), content_type="application/json"
                      ).status_code == codes[0]


@pytest.mark.django_db
def test_public_pages_have_a_per_address_budget(settings: Any) -> None:
    settings.KVISA_PUBLIC_BUDGETS = {"compute": (1, 60), "verify": (1, 60)}
    client = Client(REMOTE_ADDR="203.0.113.11")
    assert client.post("/verify", {"seal": "dc"}).status_code == 200
    page = client.post("/verify", {"seal": "dc"})
    assert page.status_code == 429 and "Retry-After" in page
    assert "try again in" in page.content.decode()
    assert client.post("/pathways", {}).status_code in (200, 422)
    assert client.post("/pathways", {}).status_code == 429


def test_a_public_request_stops_itself_at_its_deadline() -> None:
    import time

    from kvisa.accounts.public_budget import DeadlineExceeded, deadline

    with pytest.raises(DeadlineExceeded), deadline(0.2):
        time.sleep(2)
