"""Observation periods: a year, a quarter, a month, a single date, a fiscal year or a range.

Canonical text forms (what packages store and what `Period.parse` accepts):

    2025            a year
    2025-Q3         a quarter
    2025-07         a month
    2025-07-15      a date (continuously updated data)
    2012/13         a fiscal (or academic) year: twelve months across the turn of 2012 and 2013
    2010-2015       a range of calendar years (2010 to 2015, both included)
    2015/16-2017/18 a range of fiscal years

For progress calculations a period is a fractional year at its midpoint
(2025 -> 2025.5, 2025-Q3 -> 2025.625, 2025-07 -> 2025.5417). Annual data therefore keep
whole-year differences, and sub-annual data are placed consistently within the year.
A fiscal year's start month is not in its text; it counts at the turn of its two calendar
years (2012/13 -> 2013.0), as if it ran from July to June, so it never coincides with the
calendar year 2012 (2012.5) or 2013 (2013.5). A range counts at the midpoint of its first and
last years (2010-2015 -> 2013.0, 2015/16-2017/18 -> 2017.0).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import total_ordering

__all__ = ["Period", "PeriodError", "PeriodKind"]


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    DATE = "date"
    FISCAL_YEAR = "fiscal_year"
    YEAR_RANGE = "year_range"
    FISCAL_YEAR_RANGE = "fiscal_year_range"


class PeriodError(ValueError):
    """A period string that is not one of the four canonical forms. `reason` is "form" (not
    one of the forms), "month" (month outside 01-12), "date" (no such calendar day) or "year"
    (outside MIN_YEAR-MAX_YEAR)."""

    def __init__(self, message: str, text: str = "", reason: str = "form"):
        super().__init__(message)
        self.text, self.reason = text, reason


# ASCII digits only: \d would take other scripts' digits (full-width, Arabic-Indic) as well.
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.ASCII)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_FISCAL = re.compile(r"^(\d{4})/(\d{2})$", re.ASCII)
_RANGE = re.compile(r"^(\d{4})-(\d{4})$", re.ASCII)
_FISCAL_RANGE = re.compile(r"^(\d{4})/(\d{2})-(\d{4})/(\d{2})$", re.ASCII)

#: The years a period may fall in (as a framework's base and horizon years): every output can
#: place and draw them (the year 0000 is no date; 9999 leaves no room after it).
MIN_YEAR, MAX_YEAR = 1900, 2200

_HINT = "use 2025, 2025-Q3, 2025-07 or 2025-07-15"

#: A fiscal year is placed as if it began on this day of its first calendar year (see above).
FISCAL_START = (7, 1)

_LENGTH_RANK = {
    PeriodKind.YEAR_RANGE: -1,
    PeriodKind.FISCAL_YEAR_RANGE: -1,
    PeriodKind.YEAR: 0,
    PeriodKind.FISCAL_YEAR: 0,
    PeriodKind.QUARTER: 1,
    PeriodKind.MONTH: 2,
    PeriodKind.DATE: 3,
}


def _next_year(start: int, two: str) -> bool:
    """Whether the two digits `two` are the year after `start` (2012/13, 1999/00)."""
    return int(two) == (start + 1) % 100


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """One period. Ordered by start date, then longest first (a year before its first quarter)."""

    start: date
    kind: PeriodKind
    last: int = 0  # a range: the (first calendar year of the) last year it covers; else 0

    def _key(self) -> tuple[date, int, int]:
        return (self.start, _LENGTH_RANK[self.kind], -self.last)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    @classmethod
    def parse(cls, text: str) -> Period:
        s = text.strip()
        if len(s) >= 4 and s[:4].isascii() and s[:4].isdigit() and not MIN_YEAR <= int(s[:4]) <= MAX_YEAR:
            raise PeriodError(f"the year of {text!r} is not {MIN_YEAR}-{MAX_YEAR}; {_HINT}", text, "year")
        if m := _YEAR.match(s):
            return cls(date(int(m[1]), 1, 1), PeriodKind.YEAR)
        if m := _QUARTER.match(s):
            return cls(date(int(m[1]), 3 * int(m[2]) - 2, 1), PeriodKind.QUARTER)
        if m := _MONTH.match(s):
            month = int(m[2])
            if not 1 <= month <= 12:
                raise PeriodError(f"month {month} is not 01-12 in {text!r}; {_HINT}", text, "month")
            return cls(date(int(m[1]), month, 1), PeriodKind.MONTH)
        if m := _DATE.match(s):
            try:
                return cls(date(int(m[1]), int(m[2]), int(m[3])), PeriodKind.DATE)
            except ValueError as exc:
                raise PeriodError(f"{text!r} is not a calendar date ({exc}); {_HINT}", text, "date") from None
        if (m := _FISCAL.match(s)) and _next_year(int(m[1]), m[2]):
            return cls(date(int(m[1]), *FISCAL_START), PeriodKind.FISCAL_YEAR)
        if (m := _RANGE.match(s)) and int(m[2]) > int(m[1]):
            return cls(date(int(m[1]), 1, 1), PeriodKind.YEAR_RANGE, int(m[2]))
        if (
            (m := _FISCAL_RANGE.match(s))
            and _next_year(int(m[1]), m[2])
            and _next_year(int(m[3]), m[4])
            and int(m[3]) > int(m[1])
        ):
            return cls(date(int(m[1]), *FISCAL_START), PeriodKind.FISCAL_YEAR_RANGE, int(m[3]))
        raise PeriodError(f"{text!r} is not a period; {_HINT}", text, "form")

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def end(self) -> date:
        """Last day of the period."""
        y, m = self.start.year, self.start.month
        match self.kind:
            case PeriodKind.YEAR:
                return date(y, 12, 31)
            case PeriodKind.QUARTER:
                last = m + 2
                return date(y, last, calendar.monthrange(y, last)[1])
            case PeriodKind.MONTH:
                return date(y, m, calendar.monthrange(y, m)[1])
            case PeriodKind.FISCAL_YEAR:
                return date(y + 1, *FISCAL_START) - timedelta(days=1)
            case PeriodKind.YEAR_RANGE:
                return date(self.last, 12, 31)
            case PeriodKind.FISCAL_YEAR_RANGE:
                return date(self.last + 1, *FISCAL_START) - timedelta(days=1)
            case _:
                return self.start

    def fractional_year(self) -> float:
        """Midpoint of the period as a fractional year (the convention used in progress)."""
        y = self.start.year
        match self.kind:
            case PeriodKind.YEAR:
                return y + 0.5
            case PeriodKind.QUARTER:
                return y + (self.start.month - 1) / 12 + 1.5 / 12
            case PeriodKind.MONTH:
                return y + (self.start.month - 1) / 12 + 0.5 / 12
            case PeriodKind.FISCAL_YEAR:
                return y + 1.0
            case PeriodKind.YEAR_RANGE:
                return (y + self.last) / 2 + 0.5
            case PeriodKind.FISCAL_YEAR_RANGE:
                return (y + self.last) / 2 + 1.0
            case _:
                days = 366 if calendar.isleap(y) else 365
                return y + (self.start.timetuple().tm_yday - 0.5) / days

    def __str__(self) -> str:
        match self.kind:
            case PeriodKind.YEAR:
                return f"{self.start.year:04d}"
            case PeriodKind.QUARTER:
                return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
            case PeriodKind.MONTH:
                return f"{self.start.year:04d}-{self.start.month:02d}"
            case PeriodKind.FISCAL_YEAR:
                return _fiscal(self.start.year)
            case PeriodKind.YEAR_RANGE:
                return f"{self.start.year:04d}-{self.last:04d}"
            case PeriodKind.FISCAL_YEAR_RANGE:
                return f"{_fiscal(self.start.year)}-{_fiscal(self.last)}"
            case _:
                return self.start.isoformat()


def _fiscal(year: int) -> str:
    return f"{year:04d}/{(year + 1) % 100:02d}"


def as_of_time(text: str) -> datetime:
    """What "as known on" means for a text: a date is the end of that day; an ISO time is that
    time; both as naive UTC, the store's clock. ValueError for anything else."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time.max)
    when = datetime.fromisoformat(text)
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def date_as_fractional_year(d: date) -> float:
    """A deadline date as a fractional year (end of that day)."""
    days = 366 if calendar.isleap(d.year) else 365
    return d.year + d.timetuple().tm_yday / days
