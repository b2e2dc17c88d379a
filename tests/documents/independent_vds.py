"""An independent VDS reader written in the test suite from Doc 9303 Part 13's tables.

It shares no code with kvisa.documents: its own C40 table, its own length
rules, its own date reading.  A seal kvisa writes must read the same here.
"""

from __future__ import annotations

C40_SET = {3: "<", **{4 + i: str(i) for i in range(10)},
           **{14 + i: chr(65 + i) for i in range(26)}}


def c40_text(data: bytes) -> str:
    text, i = "", 0
    while i < len(data):
        if data[i] == 254:
            text += chr(data[i + 1] - 1)
            i += 2
            continue
        word = data[i] * 256 + data[i + 1] - 1
        triple = [word // 1600, (word // 40) % 40, word % 40]
        text += "".join(C40_SET[v] for v in triple if v != 0)
        i += 2
    return text


def length(data: bytes, i: int) -> tuple[int, int]:
    if data[i] < 128:
        return data[i], i + 1
    n = data[i] - 128
    return int.from_bytes(data[i + 1:i + 1 + n], "big"), i + 1 + n


def read(data: bytes) -> dict:  # type: ignore[type-arg]
    assert data[0] == 0xDC and data[1] == 0x03
    country = c40_text(data[2:4])
    head = c40_text(data[4:8])
    ref_len = int(head[4:6], 16)
    n_bytes = ((6 + ref_len + 2) // 3) * 2
    ident = c40_text(data[4:4 + n_bytes])
    i = 4 + n_bytes

    def date(b: bytes) -> str:
        digits = str(int.from_bytes(b, "big")).zfill(8)
        return f"{digits[4:]}-{digits[:2]}-{digits[2:4]}"

    out = {"country": country, "signer": ident[:4], "reference": ident[6:6 + ref_len],
           "issued": date(data[i:i + 3]), "signed": date(data[i + 3:i + 6]),
           "feature_ref": data[i + 6], "category": data[i + 7], "features": {}}
    i += 8
    while i < len(data):
        tag = data[i]
        size, start = length(data, i + 1)
        value = data[start:start + size]
        if tag == 0xFF:
            out["signature"] = value
            out["signed_bytes"] = data[:i]
            break
        out["features"][tag] = value
        i = start + size
    return out
