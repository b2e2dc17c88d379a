"""ICAO Doc 9303 machine-readable zones: parse, check, compose.

Formats: TD1 (3×30), TD2 (2×36), TD3 passports (2×44), MRV-A (2×44) and MRV-B
(2×36) visas.  Written here rather than taken from a library because no
permissively licensed, maintained Python library handles the corners this
project needs: TD1/TD2 document numbers longer than nine characters (Part 5
§4.2.4: the check digit covers positions 6-14 and the continuation in the
optional data, *not* the filler at position 15), the TD3 optional-data check
digit that may be ``<`` when the field is all fillers, and visas, which have
neither a composite nor an optional-data check digit.

A structurally unusable MRZ (wrong line count or length, characters outside
``A-Z 0-9 <``) raises :class:`DocumentError`; a readable MRZ with wrong check
digits parses with ``valid = False`` and a check list saying which field,
what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from kvisa.documents.errors import DocumentError

Format = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]
LAYOUT: dict[Format, tuple[int, int]] = {
    "TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44), "MRVA": (2, 44), "MRVB": (2, 36)}
_ALLOWED = re.compile(r"[A-Z0-9<]*")
_WEIGHTS = (7, 3, 1)
SPECIAL_STATES = {
    "D": "Germany", "UTO": "Utopia (specimen)", "XXA": "stateless person",
    "XXB": "refugee (1951 Convention)", "XXC": "refugee (other)", "XXX": "unspecified",
    "EUE": "European Union", "UNO": "United Nations", "UNA": "UN specialised agency",
    "UNK": "UN interim administration in Kosovo", "XOM": "Sovereign Military Order of Malta",
    "XPO": "INTERPOL", "XCC": "Caribbean Community", "XES": "Organisation of Eastern Caribbean "
    "States", "XBA": "African Development Bank", "XIM": "African Export-Import Bank",
    "XDC": "Southern African Development Community", "XEC": "ECOWAS", "RKS": "Kosovo",
    "GBD": "British Overseas Territories citizen", "GBN": "British National (Overseas)",
    "GBO": "British Overseas citizen", "GBP": "British protected person",
    "GBS": "British subject"}


def char_value(char: str) -> int:
    """Doc 9303 Part 3 §4.9: digits 0-9, A=10 … Z=35, filler 0."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == "<":
        return 0
    raise DocumentError(f"character {char!r} is not allowed in an MRZ")


def check_digit(data: str) -> str:
    """The 7-3-1 weighted check digit of ``data``."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


@dataclass
class Check:
    field: str
    expected: str
    found: str
    ok: bool


@dataclass
class ParsedMRZ:
    format: Format
    valid: bool
    fields: dict[str, Any]
    checks: list[Check] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "valid": self.valid, "fields": self.fields,
                "checks": [asdict(c) for c in self.checks], "problems": self.problems}


def normalise_lines(lines: str | list[str] | tuple[str, ...]) -> list[str]:
    """Split and trim input lines; refuse what cannot be an MRZ, saying why."""
    if isinstance(lines, str):
        lines = [lines]
    cleaned = [part.strip() for line in lines for part in line.splitlines() if part.strip()]
    if not cleaned:
        raise DocumentError("no MRZ lines given")
    if sum(len(line) for line in cleaned) > 200:
        raise DocumentError("too long for an MRZ (at most 3×30 or 2×44 characters)")
    for number, line in enumerate(cleaned, 1):
        if not _ALLOWED.fullmatch(line):
            bad = next(c for c in line if not _ALLOWED.fullmatch(c))
            hint = " (lowercase: MRZ letters are capitals)" if bad.islower() else ""
            raise DocumentError(f"line {number}: character {bad!r} at position "
                                f"{line.index(bad) + 1} is not allowed in an MRZ{hint}")
    return cleaned


def detect_format(lines: list[str]) -> Format:
    shape = (len(lines), {len(line) for line in lines})
    if shape == (3, {30}):
        return "TD1"
    if shape == (2, {36}):
        return "MRVB" if lines[0].startswith("V") else "TD2"
    if shape == (2, {44}):
        if lines[0].startswith("V"):
            return "MRVA"
        if lines[0].startswith("P"):
            return "TD3"
        raise DocumentError("2×44 MRZ must start with P (passport) or V (visa)")
    lengths = "+".join(str(len(line)) for line in lines)
    raise DocumentError(f"{len(lines)} line(s) of {lengths} characters match no MRZ format "
                        "(TD1 3×30, TD2 2×36, TD3 2×44, MRV-A 2×44, MRV-B 2×36)")


def resolve_date(yymmdd: str, kind: Literal["birth", "expiry"], today: dt.date
                 ) -> tuple[dt.date | None, str | None]:
    """Century from context: a birth lies in the past; an expiry within 50 years of today."""
    if "<" in yymmdd:
        return None, "unknown date parts (<)" if kind == "birth" else "expiry date missing"
    if not yymmdd.isdigit():
        return None, "not a date YYMMDD"
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = 2000
    if kind == "birth" and 2000 + yy > today.year:
        century = 1900
    if kind == "expiry" and 2000 + yy > today.year + 50:
        century = 1900
    try:
        value = dt.date(century + yy, mm, dd)
    except ValueError:
        return None, f"{yymmdd} is not a real date"
    if kind == "birth" and value > today:
        value = value.replace(year=value.year - 100)
    return value, None


def split_name(raw: str) -> tuple[str, str]:
    primary, _, secondary = raw.partition("<<")
    return (primary.replace("<", " ").strip(),
            secondary.rstrip("<").replace("<", " ").strip())


class _Checker:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def digit(self, name: str, data: str, found: str, *, filler_ok: bool = False) -> None:
        expected = check_digit(data)
        ok = found == expected or (filler_ok and found == "<" and set(data) <= {"<"})
        self.checks.append(Check(name, expected, found, ok))


def _common(fields: dict[str, Any], line: str, problems: list[str], today: dt.date,
            checker: _Checker, *, expiry_field: str = "expiry_date") -> None:
    """Number, nationality, birth, sex, expiry: the same 28 characters in TD2/TD3/MRV."""
    fields["nationality"] = line[10:13]
    fields["birth_date"], problem = resolve_date(line[13:19], "birth", today)
    if problem:
        problems.append(f"birth_date: {problem}")
    checker.digit("birth_date", line[13:19], line[19])
    fields["sex"] = line[20]
    if line[20] not in "FM<":
        problems.append(f"sex: {line[20]!r} is not F, M or <")
    fields[expiry_field], problem = resolve_date(line[21:27], "expiry", today)
    if problem:
        problems.append(f"{expiry_field}: {problem}")
    checker.digit(expiry_field, line[21:27], line[27])


def _long_number(head: str, marker: str, optional: str) -> tuple[str, str, str, str] | None:
    """(number, check data, check digit, rest of optional data) for a >9 character number."""
    if marker != "<":
        return None
    continuation, _, rest = optional.partition("<")
    if len(continuation) < 2:
        return None
    extra, digit = continuation[:-1], continuation[-1]
    return head.rstrip("<") + extra, head + extra, digit, rest.strip("<")


def parse(lines: str | list[str] | tuple[str, ...], *, today: dt.date | None = None
          ) -> ParsedMRZ:
    """Parse and check an MRZ of any format."""
    today = today or dt.date.today()
    mrz = normalise_lines(lines)
    kind = detect_format(mrz)
    checker = _Checker()
    problems: list[str] = []
    fields: dict[str, Any] = {}
    if kind == "TD1":
        first, second, third = mrz
        fields["document_code"] = first[0:2].rstrip("<")
        fields["issuing_state"] = first[2:5]
        long = _long_number(first[5:14], first[14], first[15:30])
        if long:
            fields["document_number"], data, digit, fields["optional_data"] = long
            checker.digit("document_number", data, digit)
        else:
            fields["document_number"] = first[5:14].rstrip("<")
            fields["optional_data"] = first[15:30].rstrip("<")
            checker.digit("document_number", first[5:14], first[14])
        fields["birth_date"], problem = resolve_date(second[0:6], "birth", today)
        if problem:
            problems.append(f"birth_date: {problem}")
        checker.digit("birth_date", second[0:6], second[6])
        fields["sex"] = second[7]
        if second[7] not in "FM<":
            problems.append(f"sex: {second[7]!r} is not F, M or <")
        fields["expiry_date"], problem = resolve_date(second[8:14], "expiry", today)
        if problem:
            problems.append(f"expiry_date: {problem}")
        checker.digit("expiry_date", second[8:14], second[14])
        fields["nationality"] = second[15:18]
        fields["optional_data_2"] = second[18:29].rstrip("<")
        checker.digit("composite", first[5:30] + second[0:7] + second[8:15] + second[18:29],
                      second[29])
        fields["surname"], fields["given_names"] = split_name(third)
    else:
        first, second = mrz
        fields["document_code"] = first[0:2].rstrip("<")
        fields["issuing_state"] = first[2:5]
        fields["surname"], fields["given_names"] = split_name(first[5:])
        long = (_long_number(second[0:9], second[9], second[28:35]) if kind == "TD2" else None)
        if long:
            fields["document_number"], data, digit, fields["optional_data"] = long
            checker.digit("document_number", data, digit)
        else:
            fields["document_number"] = second[0:9].rstrip("<")
            checker.digit("document_number", second[0:9], second[9])
        expiry = "valid_until" if kind in ("MRVA", "MRVB") else "expiry_date"
        _common(fields, second, problems, today, checker, expiry_field=expiry)
        if kind == "TD3":
            fields["optional_data"] = second[28:42].rstrip("<")
            checker.digit("optional_data", second[28:42], second[42], filler_ok=True)
            checker.digit("composite", second[0:10] + second[13:20] + second[21:43],
                          second[43])
        elif kind == "TD2":
            fields.setdefault("optional_data", second[28:35].rstrip("<"))
            checker.digit("composite", second[0:10] + second[13:20] + second[21:35],
                          second[35])
        else:
            fields["optional_data"] = second[28:].rstrip("<")
            fields["visa_type"] = first[1] if first[1] != "<" else ""
    for state_field in ("issuing_state", "nationality"):
        code = fields[state_field]
        if not re.fullmatch(r"[A-Z]{3}|[A-Z]{2}<|[A-Z]<<", code):
            problems.append(f"{state_field}: {code!r} is not a three-letter state code")
    kind_ok = {"TD1": "IAC", "TD2": "IAC", "TD3": "P", "MRVA": "V", "MRVB": "V"}[kind]
    if fields["document_code"][:1] not in kind_ok:
        problems.append(f"document_code: {fields['document_code']!r} does not fit {kind}")
    if kind == "TD1" and fields["document_code"] == "AI":
        problems.append("document_code: 'AI' is not allowed")
    for name in ("birth_date", "expiry_date", "valid_until"):
        if isinstance(fields.get(name), dt.date):
            fields[name] = fields[name].isoformat()
    valid = all(c.ok for c in checker.checks) and not problems
    return ParsedMRZ(kind, valid, fields, checker.checks, problems)


# --------------------------------------------------------------------------- compose

_TRANSLITERATION = {"Ä": "AE", "Å": "AA", "Æ": "AE", "Ö": "OE", "Ø": "OE", "Ü": "UE",
                    "ß": "SS", "Þ": "TH", "Ð": "D", "Ŀ": "L", "Ł": "L", "Œ": "OE", "Ĳ": "IJ"}


def transliterate(name: str) -> str:
    """Latin transliteration for the MRZ (Doc 9303 Part 3 §6, the common Latin cases).

    Recommended multi-letter forms (Ä→AE, Ø→OE, ß→SS…) first, then accents
    stripped by Unicode decomposition; spaces and hyphens become ``<``;
    apostrophes and other punctuation are dropped.
    """
    upper = name.upper()
    text = "".join(_TRANSLITERATION.get(c, c) for c in upper)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\s\-]+", "<", text.strip())
    text = re.sub(r"[^A-Z<]", "", text)
    if not text and name.strip():
        raise DocumentError(f"name {name!r} has no Latin characters; give a Latin spelling")
    return text


def name_field(surname: str, given_names: str, width: int) -> str:
    """``SURNAME<<GIVEN<NAMES`` truncated to ``width`` (Doc 9303 Part 3 §4.6 in outline).

    When too long, given names are shortened to initials from the last one
    backwards, then cut; a surname that alone does not fit is cut so that at
    least ``<<`` and one given-name character remain.
    """
    primary, secondary = transliterate(surname), transliterate(given_names)
    if not primary:
        raise DocumentError("surname: required")
    full = f"{primary}<<{secondary}" if secondary else primary
    if len(full) <= width:
        return full.ljust(width, "<")
    parts = secondary.split("<")
    for index in range(len(parts) - 1, -1, -1):
        parts[index] = parts[index][:1]
        candidate = f"{primary}<<{'<'.join(parts)}"
        if len(candidate) <= width:
            return candidate.ljust(width, "<")
    room = width - len(primary) - 2
    if room >= 1:
        return f"{primary}<<{'<'.join(parts)}"[:width]
    keep = width - 3 if secondary else width
    return (f"{primary[:keep]}<<{secondary[:1]}" if secondary else primary[:keep])[:width]


def _field(value: str, width: int, name: str) -> str:
    value = value.upper()
    if len(value) > width:
        raise DocumentError(f"{name}: {value!r} is longer than {width} characters")
    if not _ALLOWED.fullmatch(value):
        raise DocumentError(f"{name}: {value!r} has characters outside A-Z, 0-9 and <")
    return value.ljust(width, "<")


def _date(value: dt.date | str | None, name: str) -> str:
    if value is None or value == "":
        return "<<<<<<"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise DocumentError(f"{name}: {value!r} is not a real date (YYYY-MM-DD)") from None
    return value.strftime("%y%m%d")


def _state(value: str, name: str) -> str:
    code = value.upper().ljust(3, "<")
    if not re.fullmatch(r"[A-Z]{3}|[A-Z]{2}<|[A-Z]<<", code):
        raise DocumentError(f"{name}: {value!r} is not an ICAO three-letter state code")
    return code


def compose(kind: Format, *, surname: str, given_names: str = "", document_number: str,
            nationality: str, birth_date: dt.date | str | None, sex: str,
            expiry_date: dt.date | str | None, issuing_state: str,
            document_code: str | None = None, optional_data: str = "",
            optional_data_2: str = "") -> list[str]:
    """Compose the MRZ lines of ``kind`` from fields, with every check digit."""
    if kind not in LAYOUT:
        raise DocumentError(f"format: {kind!r} is not one of {', '.join(LAYOUT)}")
    sex = (sex or "<").upper()
    if sex == "X":
        sex = "<"  # X appears only in the visual zone; the MRZ writes <
    if sex not in ("F", "M", "<"):
        raise DocumentError(f"sex: {sex!r} must be F, M, X or <")
    number = document_number.upper().replace(" ", "")
    if not re.fullmatch(r"[A-Z0-9]+", number):
        raise DocumentError(f"document_number: {document_number!r} must be letters and digits")
    default_code = {"TD1": "I", "TD2": "I", "TD3": "P", "MRVA": "V", "MRVB": "V"}[kind]
    code = _field(document_code or default_code, 2, "document_code")
    state, nation = _state(issuing_state, "issuing_state"), _state(nationality, "nationality")
    birth, expiry = _date(birth_date, "birth_date"), _date(expiry_date, "expiry_date")
    width = LAYOUT[kind][1]
    if kind == "TD1":
        if len(number) > 9:
            head, extra = number[:9], number[9:]
            continued = _field(extra + check_digit(head + extra) + "<" + optional_data, 15,
                               "optional_data")
            first = code + state + head + "<" + continued
        else:
            head = _field(number, 9, "document_number")
            first = code + state + head + check_digit(head) + _field(optional_data, 15,
                                                                     "optional_data")
        second = (birth + check_digit(birth) + sex + expiry + check_digit(expiry) + nation
                  + _field(optional_data_2, 11, "optional_data_2"))
        second += check_digit(first[5:30] + second[0:7] + second[8:15] + second[18:29])
        return [first, second, name_field(surname, given_names, 30)]
    first = code + state + name_field(surname, given_names, width - 5)
    if len(number) > 9 and kind != "TD2":
        raise DocumentError(f"document_number: {kind} holds at most 9 characters")
    optional: str | None = None
    if len(number) > 9:
        head, extra = number[:9], number[9:]
        number_part = head + "<"
        optional = _field(extra + check_digit(head + extra) + "<" + optional_data, 7,
                          "optional_data")
    else:
        head = _field(number, 9, "document_number")
        number_part = head + check_digit(head)
    second = number_part + nation + birth + check_digit(birth) + sex + expiry
    second += check_digit(expiry)
    if kind == "TD3":
        data = _field(optional_data, 14, "optional_data")
        digit = "<" if set(data) == {"<"} else check_digit(data)
        second += data + digit
        second += check_digit(second[0:10] + second[13:20] + second[21:43])
    elif kind == "TD2":
        second += optional if optional is not None else _field(optional_data, 7, "optional_data")
        second += check_digit(second[0:10] + second[13:20] + second[21:35])
    else:
        second += _field(optional_data, width - 28, "optional_data")
    return [first, second]
