"""MRZ parses per second and seal verifications per second (issue 3).

Compared, where it applies, with the ``mrz`` package (GPL-3.0, benchmark-only,
never a kvisa dependency): ``uv run --with mrz python benchmarks/documents.py``.
Without it the kvisa figures are printed alone.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable

from kvisa.documents import evisa, mrz
from kvisa.documents.signer import create_signer, load_signing_key, read_certificate
from kvisa.documents.verify import verify

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TODAY = dt.date(2026, 11, 26)


def rate(action: Callable[[], object], seconds: float = 2.0) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            action()
        count += 100
    return count / (time.perf_counter() - start)


def main() -> None:
    print(f"{'workload':<48} {'per second':>12}")
    for label, lines in (("TD3", TD3), ("TD1", TD1)):
        speed = rate(lambda lines=lines: mrz.parse(lines, today=TODAY))
        print(f"{f'kvisa mrz.parse {label} specimen':<48} {speed:>12,.0f}")
    try:
        from mrz.checker.td1 import TD1CodeChecker  # type: ignore[import-not-found]
        from mrz.checker.td3 import TD3CodeChecker  # type: ignore[import-not-found]
    except ImportError:
        print("(mrz package not installed: run with `uv run --with mrz` to compare)")
    else:
        td3, td1 = "\n".join(TD3), "\n".join(TD1)
        print(f"{'mrz package TD3CodeChecker (GPL, benchmark only)':<48} "
              f"{rate(lambda: TD3CodeChecker(td3)):>12,.0f}")
        print(f"{'mrz package TD1CodeChecker (GPL, benchmark only)':<48} "
              f"{rate(lambda: TD1CodeChecker(td1)):>12,.0f}")
    with tempfile.TemporaryDirectory() as folder:
        for curve in ("P-256", "brainpoolP256r1", "P-384"):
            key_path, cert_path = create_signer(f"{folder}/{curve}", curve=curve)
            key = load_signing_key(key_path, cert_path)
            certificate = read_certificate(cert_path)
            visa = evisa.visa_from_json(
                '{"surname":"Sharma","given_names":"Priya","nationality":"IND",'
                '"date_of_birth":"1996-05-14","sex":"F","passport_number":"Z1234567",'
                '"visa_type":"K","visa_number":"K00012345","issuing_state":"CHN",'
                '"valid_from":"2026-01-10","valid_until":"2031-01-09","entries":0,'
                '"duration_of_stay_days":180}')
            seal = evisa.make_seal(visa, key)
            assert verify(seal, [certificate], on=TODAY).valid
            print(f"{f'kvisa seal verification, {curve}':<48} "
                  f"{rate(lambda s=seal, c=certificate: verify(s, [c], on=TODAY)):>12,.0f}")
            print(f"{f'kvisa seal signing, {curve}':<48} "
                  f"{rate(lambda v=visa, k=key: evisa.make_seal(v, k)):>12,.0f}")


if __name__ == "__main__":
    main()
