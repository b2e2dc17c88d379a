"""Neither the MRZ parser nor the seal decoder may crash on any input (slow; CI runs it)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvisa.documents import mrz, vds
from kvisa.documents.errors import DocumentError
from kvisa.documents.verify import verify

FUZZ = settings(max_examples=100_000, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
MRZ_CHARS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<ap \n\x00é", max_size=50)


@pytest.mark.slow
@FUZZ
@given(lines=st.lists(MRZ_CHARS, max_size=4) | st.lists(
    st.sampled_from([30, 36, 44]).flatmap(
        lambda n: st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=n,
                          max_size=n)), min_size=2, max_size=3))
def test_mrz_parser_never_crashes(lines: list[str]) -> None:
    try:
        parsed = mrz.parse(lines, today=dt.date(2026, 1, 1))
    except DocumentError:
        return
    assert isinstance(parsed.valid, bool)


@pytest.mark.slow
@FUZZ
@given(data=st.binary(max_size=300) | st.binary(max_size=200).map(lambda b: b"\xdc\x03" + b))
def test_seal_decoder_and_verifier_never_crash(data: bytes) -> None:
    try:
        seal = vds.decode(data)
        vds.describe_features(seal)
    except DocumentError:
        pass
    assert verify(data, [], on=dt.date(2026, 1, 1)).status in (
        "malformed", "unknown_signer")
