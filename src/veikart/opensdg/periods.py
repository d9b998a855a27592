"""The `Year` column of Open SDG data as our periods (see docs/opensdg.md, "Periods").

Open SDG only asks for a year, but real data hold financial and academic years ("2021/22"),
multi-year spans ("2015 to 2017", "1985-87"), quarters ("2020 Q1"), months ("1993 01"),
date ranges ("17 May to 11 June 2023") and annotations ("2019/20 [Note 5]", "2001-2005
(baseline)", "1974a"). Each becomes one canonical period:

* a year, quarter, month or date that says exactly that keeps its meaning (`2020 Q1` ->
  `2020-Q1`, `1993 01` -> `1993-01`, `2021.0` -> `2021`);
* a fiscal year is a fiscal year (`2012/13`; `2012/2013` and `2012-13` are written so), a range of
  years a range (`2010-2015`; also `2010 to 2015`, `1985-87`), a range of fiscal years one
  (`2015/16-2017/18`): each its own period, never one of the calendar years it touches; the
  row's note keeps the published text where it differs from the period's;
* a range of dates becomes its first day, and the row's note keeps the published text;
* an annotation is dropped from the period and kept, with the rest of the text, in the note.

`YYYY-NN` is either a month or a range ("2011-12"). It is decided once per file: months if every
such text has NN 01-12 and at least one cannot be a range of one to ten years; else ranges.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["PeriodText", "dash_means_month", "parse_period"]

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_M = r"([A-Za-z]{3,9})\.?"

_YEAR = re.compile(r"^(\d{4})$")
_YEAR_FLOAT = re.compile(r"^(\d{4})\.0+$")
_YEAR_LETTER = re.compile(r"^(\d{4})[a-z]$")
_ANNOTATION = re.compile(r"\s*(\[[^\]]*\]|\([^)]*\))$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*Q([1-4])$", re.IGNORECASE)
_QUARTER_FIRST = re.compile(r"^Q([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE)
_MONTH_SPACE = re.compile(r"^(\d{4})(?: |M)(\d{2})$")
_MONTH_DASH = re.compile(r"^(\d{4})-(\d{2})$")
_MONTH_NAME = re.compile(rf"^{_M}\s+(\d{{4}})$")
_YEAR_MONTH_NAME = re.compile(rf"^(\d{{4}})\s+{_M}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\s+{_M}\s+(\d{{4}})$")
_YEAR_RANGE = re.compile(
    r"^(\d{4})(?:/(\d{2}|\d{4}))?\s*(?:to|-|–|—|/)\s*(\d{4}|\d{2})(?:/(\d{2}|\d{4}))?$", re.IGNORECASE
)
_DATE_RANGE = re.compile(
    rf"^(\d{{1,2}})\s+{_M}(?:\s+(\d{{4}}))?\s*(?:to|-|–|—)\s*(\d{{1,2}})\s+{_M}\s+(\d{{4}})$", re.IGNORECASE
)


class PeriodText:
    """How one Year text was read: the canonical period (None if unreadable), its kind
    (year, quarter, month, date, year_range, date_range) and whether the note must keep the
    published text because the period alone does not say all of it."""

    __slots__ = ("keep_text", "kind", "period")

    def __init__(self, period: str | None, kind: str, keep_text: bool):
        self.period = period
        self.kind = kind
        self.keep_text = keep_text


_UNREADABLE = PeriodText(None, "", False)


def _end_year(start: int, end_text: str) -> int:
    """The end of a range: a four-digit year, or two digits after `start` within a century."""
    if len(end_text) == 4:
        return int(end_text)
    end = start // 100 * 100 + int(end_text)
    return end + 100 if end < start else end


def _plausible_range(start: int, end_text: str) -> bool:
    return 1 <= _end_year(start, end_text) - start <= 10


def dash_means_month(texts: set[str]) -> bool:
    """Whether `YYYY-NN` means a month in a file whose Year texts are `texts`."""
    found = False
    for text in texts:
        m = _MONTH_DASH.match(text.strip())
        if m is None:
            continue
        nn = int(m[2])
        if not 1 <= nn <= 12:
            return False
        if not _plausible_range(int(m[1]), m[2]):
            found = True
    return found


def _month(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _year(y: int) -> str | None:
    return f"{y:04d}" if y >= 1 else None


def parse_period(text: str, months_for_dash: bool = False) -> PeriodText:
    """Read one Year text (see the module docstring)."""
    s = " ".join(text.split())
    if m := _YEAR.match(s):
        return PeriodText(_year(int(m[1])), "year", False)
    keep = False
    while m := _ANNOTATION.search(s):
        if m.start() == 0:
            break
        s = s[: m.start()]
        keep = True
    result = _parse(s, months_for_dash)
    if result.period is None:
        return _UNREADABLE
    if keep:
        result.keep_text = True
    return result


def _parse(s: str, months_for_dash: bool) -> PeriodText:
    if m := _YEAR.match(s):
        return PeriodText(_year(int(m[1])), "year", False)
    if m := _YEAR_FLOAT.match(s):
        return PeriodText(_year(int(m[1])), "year", False)
    if m := _YEAR_LETTER.match(s):
        return PeriodText(_year(int(m[1])), "year", True)
    if m := _QUARTER.match(s):
        return PeriodText(f"{int(m[1]):04d}-Q{m[2]}", "quarter", False)
    if m := _QUARTER_FIRST.match(s):
        return PeriodText(f"{int(m[2]):04d}-Q{m[1]}", "quarter", False)
    if m := _MONTH_SPACE.match(s):
        if 1 <= int(m[2]) <= 12:
            return PeriodText(f"{m[1]}-{m[2]}", "month", False)
        return _UNREADABLE
    if months_for_dash and (m := _MONTH_DASH.match(s)):
        if 1 <= int(m[2]) <= 12:
            return PeriodText(f"{m[1]}-{m[2]}", "month", False)
        return _UNREADABLE
    if (m := _MONTH_NAME.match(s)) and (mo := _month(m[1])):
        return PeriodText(f"{m[2]}-{mo:02d}", "month", False)
    if (m := _YEAR_MONTH_NAME.match(s)) and (mo := _month(m[2])):
        return PeriodText(f"{m[1]}-{mo:02d}", "month", False)
    if m := _DATE.match(s):
        return PeriodText(_ymd(int(m[1]), int(m[2]), int(m[3])), "date", False)
    if (m := _DAY_MONTH_YEAR.match(s)) and (mo := _month(m[2])):
        return PeriodText(_ymd(int(m[3]), mo, int(m[1])), "date", False)
    if m := _YEAR_RANGE.match(s):
        return _range(s, m)
    if m := _DATE_RANGE.match(s):
        m1, m2 = _month(m[2]), _month(m[5])
        if m1 is None or m2 is None:
            return _UNREADABLE
        end_year = int(m[6])
        start_year = int(m[3]) if m[3] else (end_year - 1 if m1 > m2 else end_year)
        return PeriodText(_ymd(start_year, m1, int(m[1])), "date_range", True)
    return _UNREADABLE


def _range(s: str, m: re.Match[str]) -> PeriodText:
    """A fiscal year (`2012/13`, `2012/2013`, `2012-13`), a range of years (`2010-2015`,
    `2015 to 2017`, `1985-87`) or a range of fiscal years (`2015/16 to 2017/18`)."""
    start = int(m[1])
    if m[2] is not None and not _plausible_range(start, m[2]):
        return _UNREADABLE
    end = _end_year(start, m[3])
    if not (1 <= end - start <= 10 if len(m[3]) == 2 else 0 <= end - start <= 100):
        return _UNREADABLE  # "2020/19": not a range
    if start < 1:
        return _UNREADABLE
    fiscal_start = m[2] is not None and _end_year(start, m[2]) == start + 1
    fiscal_end = m[4] is not None and _end_year(end, m[4]) == end + 1
    if m[2] is None and m[4] is None:
        if end == start:  # "2015 to 2015"
            return PeriodText(_year(start), "year", True)
        separator = s[4 : len(s) - len(m[3])].strip()
        if end == start + 1 and (separator == "/" or len(m[3]) == 2):
            period, kind = f"{start:04d}/{end % 100:02d}", "fiscal_year"
        else:
            period, kind = f"{start:04d}-{end:04d}", "year_range"
    elif fiscal_start and fiscal_end and end > start:
        period, kind = f"{start:04d}/{(start + 1) % 100:02d}-{end:04d}/{(end + 1) % 100:02d}", "fiscal_year_range"
    else:
        # one side a fiscal year ("2015/16 to 2017"): the calendar years from the first to the last named
        last = _end_year(end, m[4]) if m[4] is not None else end
        if last <= start:
            return _UNREADABLE
        period, kind = f"{start:04d}-{last:04d}", "year_range"
    return PeriodText(period, kind, period != s)
