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


@pytest.mark.parametrize("text", ["2025Q3", "2025-Q5", "2025-13", "2025-00", "2025-02-30", "25", "", "2025/26", "Q3-2025"])
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
