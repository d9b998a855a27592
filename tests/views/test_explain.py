"""Explanations say what the numbers say, in English and in bokmål."""

from __future__ import annotations

from datetime import date

from tests.core.test_assess import framework, share, table
from veikart.core.assess import assess_framework
from veikart.core.model import Ambition, Direction, IndicatorKind, Unit
from veikart.i18n import set_language
from veikart.views.explain import explain_indicator, method_note


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


def test_without_an_ambition_trend_words_not_a_verdict_and_the_score_only_in_the_method_note() -> None:
    ind = share("tid", unit=Unit.DAYS, direction=Direction.LOWER_IS_BETTER)
    r = _one(ind, [((), "2024", 159), ((), "2025", 106)])
    text = explain_indicator(r)
    assert text.startswith("The time fell from 159 days in 2024 to 106 days in 2025.")
    assert "the trend is decreasing" in text and "On track" not in text and "5.0" not in text
    # two observations: no projection, and the paragraph says why
    assert r.headline is not None and r.headline.projection is None
    assert "No projection: 2 observations, fewer than the 3 a trend needs." in text
    note = method_note(r)
    assert note is not None and "5.0" in note and "33.3%" in note and "On track" not in note
    set_language("nb")
    nb = explain_indicator(r)
    assert "utviklingen er avtakende" in nb and "I rute" not in nb
    assert "I rute" not in (method_note(r) or "")
    up = explain_indicator(_one(share("opp"), [((), "2023", 10), ((), "2024", 12), ((), "2025", 14)]))
    assert "utviklingen er økende" in up and "I rute" not in up
    flat = explain_indicator(_one(share("flat"), [((), "2023", 50), ((), "2024", 50.1), ((), "2025", 50.2)]))
    assert "utviklingen er stabil" in flat


def test_growth_words_match_the_sign_of_a_compound_projection() -> None:
    stat = share("ned", kind=IndicatorKind.STATISTIC, unit=Unit.COUNT, projection_model="compound")
    text = explain_indicator(_one(stat, [((), "2023", 40), ((), "2024", 30), ((), "2025", 20)]))
    assert "compound decline" in text and "compound growth" not in text
    set_language("nb")
    nb = explain_indicator(_one(stat, [((), "2023", 40), ((), "2024", 30), ((), "2025", 20)]))
    assert "eksponentiell nedgang" in nb and "eksponentiell vekst" not in nb
    rising = explain_indicator(_one(stat, [((), "2023", 20), ((), "2024", 30), ((), "2025", 40)]))
    assert "eksponentiell vekst" in rising


def test_a_target_at_the_natural_limit_is_reached_at_the_stated_threshold() -> None:
    from veikart.core.assess import LIMIT_REACH_SHARE

    ind = share(
        ambitions=[Ambition(value=100, unit=Unit.PERCENT, deadline=date(2030, 12, 31))],
        projection_model="logistic",
        natural_limit={"lower": 0, "upper": 100},
    )
    r = _one(ind, [((), "2021", 50), ((), "2022", 60), ((), "2023", 69), ((), "2024", 76), ((), "2025", 82)])
    s = r.headline
    assert s is not None and s.projection is not None
    assert s.reach_value == 100 - LIMIT_REACH_SHARE * 100
    assert s.projection.expected_attainment is not None  # reached at 99.5 %, not "not before 2100"
    text = explain_indicator(r)
    assert "99.5% counts as reaching 100%" in text and "not reached before 2100" not in text


def test_status_and_projection_that_disagree_say_why() -> None:
    # fast compounding from a low base: on track by the status, but the linear trend is late
    ind = share(ambitions=[Ambition(value=30, unit=Unit.PERCENT, deadline=date(2027, 12, 31))], projection_model="linear")
    r = _one(ind, [((), "2023", 1), ((), "2024", 3), ((), "2025", 6)])
    s = r.headline
    assert s is not None and s.projection is not None and s.projection.expected_attainment is not None
    assert s.projection.expected_attainment > (s.target_time or 0)
    text = explain_indicator(r)
    assert r.status.value == "on_track"
    assert "The status and the projection differ" in text and "after the deadline" in text


def test_target_achieved_unable_and_statistics() -> None:
    ind = share(ambitions=[Ambition(value=75, unit=Unit.PERCENT, deadline=date(2030, 12, 31))])
    text = explain_indicator(_one(ind, [((), "2023", 70), ((), "2025", 76)]))
    assert "The ambition of 75% by 2030 is reached." in text and text.endswith("Target achieved.")
    text = explain_indicator(_one(share(), [((), "2025", 40)]))
    assert text.startswith("The share was 40% in 2025.") and "cannot be assessed" in text
    stat = share("s", kind=IndicatorKind.STATISTIC, unit=Unit.COUNT, projection_model="linear")
    text = explain_indicator(_one(stat, [((), "2023", 10), ((), "2024", 20), ((), "2025", 30)]))
    assert "A statistic" in text and "would be 80 in 2030" in text  # linear: +10 a year, 5 more years
