from datetime import date

import pytest

from veikart.core.periods import Period, PeriodError, PeriodKind


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "frac"),
    [
        ("2025", PeriodKind.YEAR, date(2025, 1, 1), date(2025, 12, 31), 2025.5),
        ("2025-Q1", PeriodKind.QUARTER, date(2025, 1, 1), date(2025, 3, 31), 2025.125),
        ("2025-Q3", PeriodKind.QUARTER, date(2025, 7, 1), date(2025, 9, 30), 2025.625),
        ("2025-07", PeriodKind.MONTH, date(2025, 7, 1), date(2025, 7, 31), 2025 + 6.5 / 12),
        ("2024-02", PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29), 2024 + 1.5 / 12),
        ("2025-01-01", PeriodKind.DATE, date(2025, 1, 1), date(2025, 1, 1), 2025 + 0.5 / 365),
    ],
)
def test_parse_and_midpoint(text: str, kind: PeriodKind, start: date, end: date, frac: float) -> None:
    p = Period.parse(text)
    assert (p.kind, p.start, p.end) == (kind, start, end)
    assert p.fractional_year() == pytest.approx(frac)
    assert str(p) == text


@pytest.mark.parametrize("text", ["2025Q3", "2025-Q5", "2025-13", "2025-00", "2025-02-30", "25", "", "2025/27", "2015-2015", "Q3-2025"])
def test_bad_periods_say_what_is_accepted(text: str) -> None:
    with pytest.raises(PeriodError, match="2025-Q3"):
        Period.parse(text)


def test_order_is_by_start_then_length() -> None:
    texts = ["2025-07", "2024", "2025", "2025-Q3", "2025-01-15", "2025-Q1"]
    assert [str(p) for p in sorted(Period.parse(t) for t in texts)] == [
        "2024",
        "2025",
        "2025-Q1",
        "2025-01-15",
        "2025-Q3",
        "2025-07",
    ]


def test_fiscal_years_and_ranges_are_periods_of_their_own() -> None:
    # a fiscal year counts at the turn of its two calendar years, between them, never on one
    fy = Period.parse("2012/13")
    assert (str(fy), fy.kind, fy.fractional_year()) == ("2012/13", PeriodKind.FISCAL_YEAR, 2013.0)
    assert Period.parse("2012").fractional_year() < fy.fractional_year() < Period.parse("2013").fractional_year()
    assert Period.parse("1999/00").fractional_year() == 2000.0
    # a range counts at the midpoint of its first and last years: (2010.5 + 2015.5) / 2
    r = Period.parse("2010-2015")
    assert (str(r), r.kind, r.fractional_year(), r.end) == ("2010-2015", PeriodKind.YEAR_RANGE, 2013.0, date(2015, 12, 31))
    fr = Period.parse("2015/16-2017/18")
    assert (str(fr), fr.kind, fr.fractional_year()) == ("2015/16-2017/18", PeriodKind.FISCAL_YEAR_RANGE, 2017.0)
    assert Period.parse("2012/13") != Period.parse("2012") and Period.parse("2010-2015") != Period.parse("2010")
    order = ["2012", "2012/13", "2013", "2010-2015", "2012-Q3"]
    assert [str(p) for p in sorted(Period.parse(t) for t in order)] == ["2010-2015", "2012", "2012/13", "2012-Q3", "2013"]


def test_as_of_is_the_end_of_a_day_or_a_time_in_utc() -> None:
    from datetime import datetime, time

    from veikart.core.periods import as_of_time

    assert as_of_time("2026-01-29") == datetime.combine(datetime(2026, 1, 29).date(), time.max)
    assert as_of_time("2026-01-29T12:00:00") == datetime(2026, 1, 29, 12)
    # a time with its zone is the store's clock, UTC (the command line read it as local time before)
    assert as_of_time("2026-01-29T12:00:00+01:00") == datetime(2026, 1, 29, 11)
    with pytest.raises(ValueError):
        as_of_time("29.01.2026")
