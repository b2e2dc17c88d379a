"""C40 text encoding as ICAO Doc 9303 Part 13 §2.6 uses it for seal headers and MRZs.

Three characters from the C40 basic set (space, 0-9, A-Z) pack into two
bytes: ``U = 1600·C1 + 40·C2 + C3 + 1``.  Two characters left over are padded
with the value 0 (Shift 1); a single one is written as ``0xFE`` followed by
its ASCII code plus one.  The MRZ filler ``<`` travels as the C40 space.
Written here because it is a dozen lines and no maintained Python package
implements this profile of it.
"""

from __future__ import annotations

from kvisa.documents.errors import DocumentError


def _value(char: str) -> int:
    if char in ("<", " "):
        return 3
    if "0" <= char <= "9":
        return ord(char) - 48 + 4
    if "A" <= char <= "Z":
        return ord(char) - 65 + 14
    raise DocumentError(f"character {char!r} cannot be C40-encoded (A-Z, 0-9, < only)")


def _char(value: int) -> str:
    if value == 3:
        return "<"
    if 4 <= value <= 13:
        return chr(value - 4 + 48)
    if 14 <= value <= 39:
        return chr(value - 14 + 65)
    raise DocumentError(f"C40 value {value} is not in the basic set")


def encode(text: str) -> bytes:
    out = bytearray()
    values = [_value(c) for c in text]
    full = len(values) - len(values) % 3
    for i in range(0, full, 3):
        packed = 1600 * values[i] + 40 * values[i + 1] + values[i + 2] + 1
        out += packed.to_bytes(2, "big")
    rest = values[full:]
    if len(rest) == 2:
        out += (1600 * rest[0] + 40 * rest[1] + 1).to_bytes(2, "big")
    elif len(rest) == 1:
        out += bytes((0xFE, ord(text[-1]) + 1))
    return bytes(out)


def decode(data: bytes) -> str:
    chars: list[str] = []
    i = 0
    while i < len(data):
        if data[i] == 0xFE:
            if i + 1 >= len(data):
                raise DocumentError("C40: 0xFE at the end without its character")
            if not 0x21 <= data[i + 1] <= 0x80:
                raise DocumentError(f"C40: byte 0x{data[i + 1]:02x} after 0xFE is not a character")
            chars.append(_char(_value(chr(data[i + 1] - 1))))
            i += 2
            continue
        if i + 1 >= len(data):
            raise DocumentError("C40: odd number of bytes")
        packed = (data[i] << 8 | data[i + 1]) - 1
        if packed < 0 or packed >= 64000:
            raise DocumentError(f"C40: byte pair {data[i:i + 2].hex()} is out of range")
        for position, value in enumerate((packed // 1600, packed // 40 % 40, packed % 40)):
            if value == 0 and position == 2:  # Shift 1 pads the last pair of two characters
                continue
            chars.append(_char(value))
        i += 2
    return "".join(chars)


def encoded_length(characters: int) -> int:
    """Bytes that ``characters`` C40 characters take."""
    return 2 * (characters // 3) + (2 if characters % 3 else 0)
