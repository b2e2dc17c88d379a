"""China's Foreign Permanent Resident ID Card number (2023 card) and the older number.

18 characters, modelled on the citizen ID number (GB 11643-1999): ``9`` (the
foreigner marker), two digits for the province of the accepting authority,
three for the nationality (ISO 3166-1 numeric), the birth date ``YYYYMMDD``,
a three-digit sequence whose last digit is odd for men and even for women,
and an ISO 7064 MOD 11-2 check character (``X`` for 10).  Source: the NIA's
2023 machine-readable rules as reproduced by card-reader vendors, with the
position table from public validator code (marked unverified against the
official table in ../shared/facts/sources.md §3).

The 2004/2017 card number is 15 characters: three letters (the ISO alpha-3
nationality) and twelve digits.  Only that outline is official; the inner
layout claimed by third-party code is reported, not enforced.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from kvisa.documents.errors import DocumentError

WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
CHECK_CHARS = "10X98765432"

PROVINCES = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang",
}

# ISO 3166-1 numeric → alpha-3 for the nationalities kvisa meets most; others are
# reported by number only.
NUMERIC_TO_ALPHA3 = {
    "036": "AUS", "040": "AUT", "050": "BGD", "056": "BEL", "076": "BRA", "124": "CAN",
    "152": "CHL", "170": "COL", "203": "CZE", "208": "DNK", "818": "EGY", "246": "FIN",
    "250": "FRA", "276": "DEU", "300": "GRC", "356": "IND", "360": "IDN", "364": "IRN",
    "372": "IRL", "376": "ISR", "380": "ITA", "392": "JPN", "398": "KAZ", "404": "KEN",
    "410": "KOR", "458": "MYS", "484": "MEX", "496": "MNG", "524": "NPL", "528": "NLD",
    "554": "NZL", "566": "NGA", "578": "NOR", "586": "PAK", "604": "PER", "608": "PHL",
    "616": "POL", "620": "PRT", "642": "ROU", "643": "RUS", "682": "SAU", "702": "SGP",
    "710": "ZAF", "724": "ESP", "144": "LKA", "752": "SWE", "756": "CHE", "764": "THA",
    "792": "TUR", "804": "UKR", "784": "ARE", "826": "GBR", "840": "USA", "704": "VNM",
    "032": "ARG", "104": "MMR", "116": "KHM", "418": "LAO", "860": "UZB", "231": "ETH",
}
ALPHA3_TO_NUMERIC = {v: k for k, v in NUMERIC_TO_ALPHA3.items()}


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over 17 digits."""
    if not re.fullmatch(r"\d{17}", first17):
        raise DocumentError("the first 17 characters must be digits")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass
class ResidentId:
    number: str
    version: Literal["2023", "2004/2017"]
    valid: bool
    problems: list[str]
    province_code: str | None = None
    province: str | None = None
    nationality_numeric: str | None = None
    nationality: str | None = None
    birth_date: str | None = None
    sequence: str | None = None
    sex: str | None = None
    check: str | None = None
    expected_check: str | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def parse(number: str, *, today: dt.date | None = None) -> ResidentId:
    """Decode and check a permanent-resident ID number (either card version)."""
    today = today or dt.date.today()
    raw = number.strip().upper().replace(" ", "")
    if len(raw) > 40:
        raise DocumentError("too long for a resident ID number (18 or 15 characters)")
    if re.fullmatch(r"[A-Z]{3}\d{12}", raw):
        return ResidentId(raw, "2004/2017", True, [], nationality=raw[:3])
    if not re.fullmatch(r"\d{17}[\dX]", raw):
        raise DocumentError(f"{number!r} is neither an 18-character number (17 digits and a "
                            "check digit or X) nor a 15-character one (3 letters, 12 digits)")
    problems = []
    if raw[0] != "9":
        problems.append("first digit must be 9 (foreigner); 1-8 begin citizens' numbers")
    province = PROVINCES.get(raw[1:3])
    if province is None:
        problems.append(f"province code {raw[1:3]} is not a province-level code")
    try:
        birth = dt.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
        if birth > today:
            problems.append(f"birth date {birth.isoformat()} is in the future")
        birth_text: str | None = birth.isoformat()
    except ValueError:
        problems.append(f"birth date {raw[6:14]} is not a real date")
        birth_text = None
    expected = check_character(raw[:17])
    if raw[17] != expected:
        problems.append(f"check character: expected {expected}, found {raw[17]}")
    return ResidentId(
        number=raw, version="2023", valid=not problems, problems=problems,
        province_code=raw[1:3], province=province, nationality_numeric=raw[3:6],
        nationality=NUMERIC_TO_ALPHA3.get(raw[3:6]), birth_date=birth_text,
        sequence=raw[14:17], sex="M" if int(raw[16]) % 2 else "F", check=raw[17],
        expected_check=expected)


def generate(*, province_code: str, nationality: str, birth_date: dt.date | str,
             sex: str, sequence: int) -> str:
    """A 2023-version number; ``sequence`` 0-499 numbers people born the same day."""
    if province_code not in PROVINCES:
        raise DocumentError(f"province_code: {province_code!r} is not a province-level code")
    numeric = nationality if nationality.isdigit() else ALPHA3_TO_NUMERIC.get(nationality.upper())
    if numeric is None or not re.fullmatch(r"\d{3}", numeric):
        raise DocumentError(f"nationality: {nationality!r} is not a known ISO 3166-1 code "
                            "(give the numeric code)")
    if isinstance(birth_date, str):
        try:
            birth_date = dt.date.fromisoformat(birth_date)
        except ValueError:
            raise DocumentError(f"birth_date: {birth_date!r} is not a real date") from None
    if sex.upper() not in ("M", "F"):
        raise DocumentError("sex: must be M or F (the sequence parity encodes it)")
    if not 0 <= sequence <= 499:
        raise DocumentError("sequence: must be 0-499")
    last = (1 if sex.upper() == "M" else 0) + 2 * (sequence % 5)
    body = f"9{province_code}{numeric}{birth_date.strftime('%Y%m%d')}{sequence // 5:02d}{last}"
    return body + check_character(body)
