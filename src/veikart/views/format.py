"""Numbers, periods and deadlines as a reader sees them, in the current language
(10,5 %, 106 dager, 2. kvartal 2025, desember 2025)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date

from veikart.core.model import Unit
from veikart.core.periods import Period, PeriodKind
from veikart.i18n import _, current_language, fmt_date, fmt_number, fmt_percent

__all__ = ["decimals_for", "fmt_deadline", "fmt_pace", "fmt_period", "fmt_value", "fmt_year"]


def decimals_for(value: float) -> int:
    """One decimal unless the value is whole (10 %, 10,5 %), two below 1 (0,25 %)."""
    if float(value).is_integer():
        return 0
    return 2 if abs(value) < 1 else 1


def fmt_value(value: float, unit: Unit, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = 0 if unit is Unit.COUNT else decimals_for(value)  # a projected count is whole
    d = decimals
    if unit is Unit.PERCENT:
        return fmt_percent(value, d)
    if unit is Unit.DAYS:
        return _("{n} days").format(n=fmt_number(value, d))
    if unit is Unit.NOK:
        return _("NOK {n}").format(n=fmt_number(value, d))
    if unit is Unit.PER_1000:
        return _("{n} per 1,000").format(n=fmt_number(value, d))
    if unit is Unit.PER_100000:
        return _("{n} per 100,000").format(n=fmt_number(value, d))
    return fmt_number(value, d)


def fmt_pace(per_year: float, unit: Unit) -> str:
    """A change per year in the unit's own terms: '5,8 prosentpoeng', '12 dager', '40'."""
    n = fmt_number(abs(per_year), 1 if abs(per_year) < 100 else 0)
    if unit is Unit.PERCENT:
        return _("{n} percentage points").format(n=n)
    if unit is Unit.DAYS:
        return _("{n} days").format(n=n)
    return n


def _locale() -> str:
    return "nb_NO" if current_language() == "nb" else "en_GB"


def fmt_period(text: str) -> str:
    """2025 -> '2025'; 2025-Q2 -> '2. kvartal 2025'; 2025-12 -> 'desember 2025'; dates as dates;
    fiscal years and ranges as written (2012/13, 2010-2015)."""
    return _fmt_period(text, current_language())


@lru_cache(maxsize=4096)
def _fmt_period(text: str, _lang: str) -> str:
    # a corpus has a few dozen distinct periods and the explanations of its 20,000 series name
    # them 100,000 times: each is parsed and worded once per language
    p = Period.parse(text)
    match p.kind:
        case PeriodKind.YEAR:
            return str(p.year)
        case PeriodKind.QUARTER:
            return _("Q{q} {year}").format(q=(p.start.month - 1) // 3 + 1, year=p.year)
        case PeriodKind.MONTH:
            return format_date(p.start, "LLLL y", locale=_locale())
        case PeriodKind.FISCAL_YEAR | PeriodKind.YEAR_RANGE | PeriodKind.FISCAL_YEAR_RANGE:
            return str(p)  # 2012/13, 2010-2015: as published
        case _:
            return fmt_date(p.start)


def fmt_deadline(deadline: date) -> str:
    """'2030' for the last day of a year, else 'desember 2029' or the date itself."""
    if (deadline.month, deadline.day) == (12, 31):
        return str(deadline.year)
    return fmt_date(deadline)


def fmt_year(t: float) -> str:
    """A fractional year as a reader's year: 2028.6 -> '2028'."""
    return str(int(t))
