"""Explanations say what the numbers say, in English and in bokmål."""

from __future__ import annotations

from datetime import date

from tests.core.test_assess import framework, share, table
from veikart.core.assess import assess_framework
from veikart.core.model import Ambition, Direction, IndicatorKind, Unit
from veikart.i18n import set_language
from veikart.views.explain import explain_indicator


def _one(ind, rows):  # type: ignore[no-untyped-def]
    (r,) = assess_framework(framework((ind, table(ind.id, rows))))
    return r


def test_with_an_ambition_the_paragraph_gives_change_pace_needed_pace_so_far_and_verdict() -> None:
    ind = share(ambitions=[Ambition(value=100, unit=Unit.PERCENT, deadline=date(2030, 12, 31))], projection_model="linear")
    r = _one(ind, [((), "2023", 62), ((), "2025", 71)])
    text = explain_indicator(r)
    assert text.startswith("The share rose from 62% in 2023 to 71% in 2025.")
    assert "To reach 100% by 2030 it must rise by 5.8 percentage points a year; the pace so far is 4.5" in text
    assert text.endswith("On track.")
    set_language("nb")
    nb = explain_indicator(r)
    assert "62\u00a0%" in nb and "2023" in nb and "5,8" in nb and "4,5" in nb and nb.endswith("I rute.")
    assert nb != text


def test_lower_is_better_and_no_ambition() -> None:
    ind = share("tid", unit=Unit.DAYS, direction=Direction.LOWER_IS_BETTER)
    text = explain_indicator(_one(ind, [((), "2024", 159), ((), "2025", 106)]))
    assert text.startswith("The time fell from 159 days in 2024 to 106 days in 2025.")
    assert "1.5 %" in text and "33.3% a year" in text and text.endswith("On track.")


def test_target_achieved_unable_and_statistics() -> None:
    ind = share(ambitions=[Ambition(value=75, unit=Unit.PERCENT, deadline=date(2030, 12, 31))])
    text = explain_indicator(_one(ind, [((), "2023", 70), ((), "2025", 76)]))
    assert "The ambition of 75% by 2030 is reached." in text and text.endswith("Target achieved.")
    text = explain_indicator(_one(share(), [((), "2025", 40)]))
    assert text.startswith("The share was 40% in 2025.") and "cannot be assessed" in text
    stat = share("s", kind=IndicatorKind.STATISTIC, unit=Unit.COUNT, projection_model="linear")
    text = explain_indicator(_one(stat, [((), "2023", 10), ((), "2024", 20), ((), "2025", 30)]))
    assert "A statistic" in text and "would be 80 in 2030" in text  # linear: +10 a year, 5 more years
