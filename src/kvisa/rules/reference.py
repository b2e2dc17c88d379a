"""Reference data the rules read besides parameters: local average wages by city and year.

China's 2019 employment route to permanent residence compares each year's
salary with a multiple of the *local* average wage (one figure per city and
year, published by each city's statistics or social-security bureau).  Such a
table is not a parameter of the law — it grows every year and differs by city —
so it lives here as a dated, cited dataset.  kvisa ships the figures below in
``reference_data/cn_local_average_wage.csv``; an administrator extends or
replaces them (the casework app stores each upload as a new version and calls
:func:`install`).

A city or year missing from the table is never filled in: the rule that needs
it is *unknown*, and the explanation names the missing figure.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from kvisa.rules.errors import RulesError

COLUMNS = ("city", "city_zh", "year", "average_wage_cny", "status", "source", "url")
SERIES = "urban_units_all_employees"
"""Which published average the table holds: the all-employee average wage of urban
units (全口径城镇单位就业人员平均工资, the base of social insurance), not the higher
average of non-private units.  The 2019 rule does not say which it means; the
permanent-residence parameter ``employment_average_wage_series`` records the
reading, and the rule reads this table only when the two agree."""
ROW_STATUSES = ("official", "reported")
"""``official``: read from the publishing bureau's own release; ``reported``: a
secondary quotation of it, not yet checked against the release."""

MAX_BYTES = 2_000_000
EARLIEST_YEAR, LATEST_YEAR = 1978, 2199
_CITY = re.compile(r"^[A-Za-z][A-Za-z .'-]{0,59}$")


class ReferenceTableError(RulesError):
    """A wage table that cannot be used; ``line`` is the CSV line at fault (1 = header)."""

    def __init__(self, line: int, problem: str) -> None:
        self.line, self.problem = line, problem
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass(frozen=True)
class AverageWage:
    """One city's average annual wage of urban employees for one calendar year."""

    city: str
    city_zh: str
    year: int
    average_wage_cny: float
    status: str
    source: str
    url: str
    line: int = field(default=0, compare=False)
    """The CSV line it was read from (for errors about it)."""

    @property
    def key(self) -> str:
        return wage_key(self.city, self.year)


def wage_key(city: str, year: int) -> str:
    """The lookup key a rule builds from a record: case-insensitive city, year."""
    return f"{city.strip().casefold()}|{year}"


def _row(line: int, raw: dict[str, str | None]) -> AverageWage:
    if None in raw or any(raw.get(name) is None for name in COLUMNS):
        raise ReferenceTableError(line, f"expected {len(COLUMNS)} columns "
                                  f"({', '.join(COLUMNS)})")
    values = {name: str(raw[name]).strip() for name in COLUMNS}
    if not _CITY.match(values["city"]):
        raise ReferenceTableError(line, f"city {values['city']!r} must be a name in Latin "
                                  "letters (e.g. Shanghai)")
    try:
        year = int(values["year"])
    except ValueError:
        raise ReferenceTableError(line, f"year {values['year']!r} is not a whole number") \
            from None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ReferenceTableError(line, f"year {year} is outside {EARLIEST_YEAR}–{LATEST_YEAR}")
    try:
        amount = float(values["average_wage_cny"].replace(",", ""))
    except ValueError:
        raise ReferenceTableError(line, f"average_wage_cny {values['average_wage_cny']!r} is "
                                  "not a number") from None
    if not 1_000 <= amount <= 10_000_000:
        raise ReferenceTableError(line, f"average_wage_cny {amount:,.0f} is not a plausible "
                                  "yearly wage in CNY (1,000 – 10,000,000)")
    if values["status"] not in ROW_STATUSES:
        raise ReferenceTableError(line, f"status must be one of {', '.join(ROW_STATUSES)}")
    if not values["source"]:
        raise ReferenceTableError(line, "source is empty: every figure needs its publisher")
    if not values["url"].startswith(("https://", "http://")):
        raise ReferenceTableError(line, "url must be a web address (http:// or https://)")
    return AverageWage(values["city"], values["city_zh"], year, amount, values["status"],
                       values["source"], values["url"], line)


def parse_average_wages(data: bytes | str) -> tuple[AverageWage, ...]:
    """Read and check a whole wage table; the first problem is raised with its line.

    Refused: not UTF-8 text, a header other than :data:`COLUMNS`, a bad value,
    the same city and year twice (an overlap), and a missing year between a
    city's first and last year (a gap, which would make a rule read "unknown"
    for a year the table seems to cover).
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ReferenceTableError(0, f"the file is larger than {MAX_BYTES // 1_000_000} MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ReferenceTableError(0, "the file is not UTF-8 text (save it as CSV UTF-8)") \
                from None
    reader = csv.DictReader(io.StringIO(data, newline=""))
    try:
        header = tuple(name.strip() for name in (reader.fieldnames or ()))
        if header != COLUMNS:
            raise ReferenceTableError(1, f"the header must be {','.join(COLUMNS)}")
        rows: list[AverageWage] = []
        seen: dict[str, int] = {}
        for raw in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                continue
            row = _row(line, raw)
            if row.key in seen:
                raise ReferenceTableError(line, f"{row.city} {row.year} is already on line "
                                          f"{seen[row.key]} (overlapping years)")
            seen[row.key] = line
            rows.append(row)
    except csv.Error as exc:
        raise ReferenceTableError(reader.line_num, f"not valid CSV ({exc})") from None
    if not rows:
        raise ReferenceTableError(0, "the table has no rows")
    _refuse_gaps(rows, seen)
    return tuple(sorted(rows, key=lambda r: (r.city.casefold(), r.year)))


def _refuse_gaps(rows: list[AverageWage], lines: dict[str, int]) -> None:
    years: dict[str, list[AverageWage]] = {}
    for row in rows:
        years.setdefault(row.city.casefold(), []).append(row)
    for city_rows in years.values():
        ordered = sorted(city_rows, key=lambda r: r.year)
        for before, after in itertools.pairwise(ordered):
            if after.year != before.year + 1:
                missing = ", ".join(str(y) for y in range(before.year + 1, after.year))
                line = lines.get(after.key, lines.get(before.key, 0))
                raise ReferenceTableError(line, f"{after.city} has no figure for "
                                          f"{missing} (a gap between {before.year} and "
                                          f"{after.year})")


def merge(current: tuple[AverageWage, ...], added: tuple[AverageWage, ...]
          ) -> tuple[AverageWage, ...]:
    """``current`` extended with ``added``; a city and year in both is refused, not replaced.

    Correcting a published figure is a replacement of the whole table, so that
    a changed number is always a deliberate act with its own version.
    """
    known = {row.key: row for row in current}
    for row in added:
        if row.key in known:
            raise ReferenceTableError(row.line, f"{row.city} {row.year} is already in the table "
                                      f"({known[row.key].average_wage_cny:,.0f} CNY); upload "
                                      "a full replacement to change a figure")
    merged = (*current, *added)
    _refuse_gaps(list(merged), {row.key: row.line for row in added})
    return tuple(sorted(merged, key=lambda r: (r.city.casefold(), r.year)))


def table_cells(rows: tuple[AverageWage, ...]) -> list[list[Any]]:
    """The table as cells in :data:`COLUMNS` order (the file format, without its header)."""
    return [[r.city, r.city_zh, r.year, f"{r.average_wage_cny:.0f}", r.status, r.source, r.url]
            for r in rows]


def to_csv(rows: tuple[AverageWage, ...]) -> str:
    """The table in its upload format, exactly as typed: the basis of its digest.
    (Downloads for people go through :mod:`kvisa.spreadsheet_csv`.)"""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(table_cells(rows))
    return out.getvalue()


def digest(rows: tuple[AverageWage, ...]) -> str:
    return hashlib.sha256(to_csv(rows).encode()).hexdigest()[:16]


def shipped() -> tuple[AverageWage, ...]:
    path = resources.files("kvisa.rules") / "reference_data" / "cn_local_average_wage.csv"
    return parse_average_wages(path.read_bytes())


class _Installed:
    """The table the rules read in this process (thread-safe swap)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: tuple[AverageWage, ...] | None = None
        self._version = ""

    def install(self, rows: tuple[AverageWage, ...], version: str | None = None) -> None:
        with self._lock:
            self._rows, self._version = rows, version or digest(rows)

    def get(self) -> tuple[str, tuple[AverageWage, ...]]:
        with self._lock:
            if self._rows is None:
                self._rows = shipped()
                self._version = digest(self._rows)
            return self._version, self._rows


_INSTALLED = _Installed()


def install(rows: tuple[AverageWage, ...], version: str | None = None) -> None:
    """Make ``rows`` the table every later evaluation in this process reads."""
    _INSTALLED.install(rows, version)


def current() -> tuple[str, tuple[AverageWage, ...]]:
    """(version, rows) of the table in use: the installed one, else the shipped one."""
    return _INSTALLED.get()


def lookup_table() -> dict[str, float]:
    """``wage_key(city, year)`` → average wage, for rule expressions."""
    return {row.key: row.average_wage_cny for row in current()[1]}


def find(city: str, year: int) -> AverageWage | None:
    wanted = wage_key(city, year)
    return next((row for row in current()[1] if row.key == wanted), None)


def cities() -> list[tuple[str, str]]:
    """(city, Chinese name) of every city in the table, for a form's choices."""
    seen: dict[str, tuple[str, str]] = {}
    for row in current()[1]:
        seen.setdefault(row.city.casefold(), (row.city, row.city_zh))
    return sorted(seen.values())
