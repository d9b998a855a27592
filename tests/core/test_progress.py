"""Progress status and score (methodology.md). Expected numbers are worked out by hand in the
comments; none is obtained by calling the code under test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veikart.core.model import Direction
from veikart.core.periods import Period
from veikart.core.progress import (
    OPEN_SDG_STATUS,
    REASONS,
    STATUS_CODES,
    Aggregate,
    SeriesProgress,
    Status,
    aggregate,
    assess_many,
    assess_series,
    status_from_score,
)

S = Status
T0 = 2023.5  # the year 2023 at its midpoint
approx = pytest.approx


def one_year(y0: float, yi: float, **kw) -> SeriesProgress:
    """Base at 2023.5, latest one year later: CAGR = yi / y0 - 1 exactly."""
    return assess_series([T0, T0 + 1], [y0, yi], **kw)


def with_target_10pct(yi: float) -> SeriesProgress:
    """Base 100, target 121 two years on: required CAGR = sqrt(1.21) - 1 = 0.10.
    With the latest value one year on, R = (yi / 100 - 1) / 0.10."""
    return one_year(100, yi, direction=1, target=121, target_time=T0 + 2)


# --- categories -------------------------------------------------------------------------------


def test_status_ids_follow_the_methodology_table():
    assert [s.value for s in Status] == [
        "target_achieved", "on_track", "acceleration_needed", "limited_progress",
        "deterioration", "unable_to_assess", "not_assessed",
    ]  # fmt: skip


def test_open_sdg_names_for_the_middle_three():
    assert OPEN_SDG_STATUS[S.ON_TRACK] == "substantial_progress"
    assert OPEN_SDG_STATUS[S.ACCELERATION_NEEDED] == "moderate_progress"
    assert OPEN_SDG_STATUS[S.LIMITED_PROGRESS] == "limited_progress"
    assert OPEN_SDG_STATUS[S.TARGET_ACHIEVED] == "target_achieved"
    assert OPEN_SDG_STATUS[S.DETERIORATION] == "deterioration"
    assert OPEN_SDG_STATUS[S.UNABLE_TO_ASSESS] == "not_available"
    assert one_year(100, 110, direction=1).open_sdg_status == "substantial_progress"


# --- with a target: R bands and score -----------------------------------------------------


@pytest.mark.parametrize(
    ("yi", "ratio", "status", "score"),
    [
        # R = 0.951: (0.951 - 0.60) / 0.14 = 2.5071428571
        (109.51, 0.951, S.ON_TRACK, 2.5071428571428571),
        # R = 0.949: 0.349 / 0.14 = 2.4928571429
        (109.49, 0.949, S.ACCELERATION_NEEDED, 2.4928571428571429),
        # R = 0.601: 0.001 / 0.14 = 0.0071428571
        (106.01, 0.601, S.ACCELERATION_NEEDED, 0.0071428571428571),
        # R = 0.599: -0.001 / 0.24 = -0.0041666667
        (105.99, 0.599, S.LIMITED_PROGRESS, -0.0041666666666667),
        # R = 0.001: (0.001 - 0.6) / 0.24 = -2.4958333333
        (100.01, 0.001, S.LIMITED_PROGRESS, -2.4958333333333333),
        # R = -0.001: -0.601 / 0.24 = -2.5041666667
        (99.99, -0.001, S.DETERIORATION, -2.5041666666666667),
        # R = 1.2: 0.6 / 0.14 = 4.2857142857
        (112.0, 1.2, S.ON_TRACK, 4.2857142857142857),
        # R = 1.3: 0.7 / 0.14 = 5 (the cap starts here)
        (113.0, 1.3, S.ON_TRACK, 5.0),
        # R = -0.6: -1.2 / 0.24 = -5 (the floor starts here); R = -1 stays at -5
        (94.0, -0.6, S.DETERIORATION, -5.0),
        (90.0, -1.0, S.DETERIORATION, -5.0),
    ],
)
def test_ratio_bands_from_both_sides(yi, ratio, status, score):
    r = with_target_10pct(yi)
    assert r.method == "target"
    assert r.progress_value == approx(ratio, rel=1e-9)
    assert r.status is status
    assert r.score == approx(score, rel=1e-9, abs=1e-12)


def test_ratio_exactly_at_095_is_on_track_with_score_25():
    # target 200 one year after base 100: required CAGR = 2 - 1 = 1; yi = 195: R = 0.95
    r = assess_series([T0, T0 + 1], [100, 195], direction=1, target=200, target_time=T0 + 1)
    assert r.progress_value == approx(0.95)
    assert (r.status, r.score) == (S.ON_TRACK, 2.5)


def test_ratio_exactly_at_060_and_at_0():
    # R = 160/100 - 1 = 0.6 -> acceleration needed, score 0
    r = assess_series([T0, T0 + 1], [100, 160], direction=1, target=200, target_time=T0 + 1)
    assert r.status is S.ACCELERATION_NEEDED and r.score == approx(0, abs=1e-12)
    # no change at all: R = 0 -> limited progress, score (0 - 0.6) / 0.24 = -2.5
    r = with_target_10pct(100)
    assert (r.status, r.score) == (S.LIMITED_PROGRESS, -2.5)


def test_negative_direction_with_target():
    # lower is better: 50 -> 45 in one year, target 40 two years after base.
    # required CAGR = sqrt(40/50) - 1 = -0.1055728090; actual CAGR = -0.1
    # R = (-1)(-0.1) / 0.1055728090 = 0.9472135955 -> acceleration; score 0.3472135955/0.14 = 2.4800971107
    r = one_year(50, 45, direction=Direction.LOWER_IS_BETTER, target=40, target_time=T0 + 2)
    assert r.direction == -1
    assert r.progress_value == approx(0.9472135954999578, rel=1e-12)
    assert r.status is S.ACCELERATION_NEEDED
    assert r.score == approx(2.480097110713984, rel=1e-12)


# --- target achieved ----------------------------------------------------------------------


def test_target_achieved_higher_is_better_whatever_the_trend():
    # 100 -> 96 is a fall, but 96 >= 95
    r = one_year(100, 96, direction=1, target=95, target_time=2030.5)
    assert (r.status, r.score, r.reason) == (S.TARGET_ACHIEVED, 5.0, None)
    # the progress value is still reported: R = -0.04 / |(0.95)^(1/7) - 1| < 0
    assert r.progress_value is not None and r.progress_value < 0


def test_target_achieved_lower_is_better_and_at_equality():
    r = one_year(10, 12, direction=-1, target=15, target_time=2030.5)
    assert r.status is S.TARGET_ACHIEVED and r.score == 5.0
    r = one_year(10, 8, direction=-1, target=8, target_time=2030.5)  # 8 <= 8
    assert r.status is S.TARGET_ACHIEVED


def test_target_achieved_needs_only_the_latest_observation():
    r = assess_series([2024.5], [97.0], direction=1, target=95, target_time=2030.5)
    assert (r.status, r.score, r.progress_value) == (S.TARGET_ACHIEVED, 5.0, None)


# --- without a target: P bands and score --------------------------------------------------


@pytest.mark.parametrize(
    ("yi", "status", "score"),
    [
        (102.0, S.ON_TRACK, 5.0),  # P = 2 %: 2.5 + 2.5 (0.02 - 0.015) / 0.005 = 5
        (103.0, S.ON_TRACK, 5.0),  # P = 3 %: capped at 5
        (101.6, S.ON_TRACK, 3.0),  # P = 1.6 %: 2.5 + 2.5 * 0.001 / 0.005 = 3.0
        (101.4, S.ACCELERATION_NEEDED, 2.25),  # P = 1.4 %: 2.5 * (0.014 - 0.005) / 0.01 = 2.25
        (100.6, S.ACCELERATION_NEEDED, 0.25),  # P = 0.6 %: 2.5 * 0.001 / 0.01 = 0.25
        (100.4, S.LIMITED_PROGRESS, -0.5),  # P = 0.4 %: -2.5 + 2.5 * 0.004 / 0.005 = -0.5
        (100.1, S.LIMITED_PROGRESS, -2.0),  # P = 0.1 %: -2.5 + 0.5 = -2.0
        (99.9, S.DETERIORATION, -2.625),  # P = -0.1 %: -2.5 + 2.5 * (-0.001) / 0.02 = -2.625
        (98.0, S.DETERIORATION, -5.0),  # P = -2 %: -5
        (90.0, S.DETERIORATION, -5.0),  # P = -10 %: floor -5
    ],
)
def test_growth_bands_from_both_sides(yi, status, score):
    r = one_year(100, yi, direction=1)
    assert r.method == "no_target"
    assert r.progress_value == approx(yi / 100 - 1, rel=1e-9)
    assert r.status is status
    assert r.score == approx(score, rel=1e-9)


def test_growth_exactly_at_the_thresholds():
    # 101.5 / 100 - 1 is 0.01499999999999990 in binary: the tolerance keeps it at 1.5 %
    r = one_year(100, 101.5, direction=1)
    assert (r.status, r.score) == (S.ON_TRACK, 2.5)
    r = one_year(100, 100.5, direction=1)  # 0.5 %: score 0
    assert r.status is S.ACCELERATION_NEEDED and r.score == approx(0, abs=1e-9)
    r = one_year(100, 100, direction=1)  # 0 %: limited, score -2.5
    assert (r.status, r.score) == (S.LIMITED_PROGRESS, -2.5)


def test_growth_over_several_years_uses_the_compound_rate():
    # 100 -> 121 over two years: CAGR = sqrt(1.21) - 1 = 10 %
    r = assess_series([2021.5, 2022.5, 2023.5], [100, 50, 121], direction=1)
    assert r.progress_value == approx(0.10)
    assert r.base_year == 2021.5 and r.current_year == 2023.5


# --- natural limit ------------------------------------------------------------------------


def test_limit_near_the_base_gives_c_near_zero():
    # b = 99, L = 100: C = 1 - 0.99^4.44 = 1 - exp(4.44 ln 0.99) = 1 - exp(-0.0446234912)
    #   = 1 - 0.9563574911 = 0.0436425089
    c = 0.04364250892314536
    # P = 1 % of C exactly: x = P / C = 0.01 -> acceleration, score 2.5 (0.01 - 0.005) / 0.01 = 1.25
    r = one_year(99, 99 * (1 + 0.01 * c), direction=1, limit=100)
    assert r.c_factor == approx(c, rel=1e-12)
    assert r.status is S.ACCELERATION_NEEDED
    assert r.score == approx(1.25, rel=1e-9)
    # without the limit the same growth (0.04 %) would be limited progress
    assert one_year(99, 99 * (1 + 0.01 * c), direction=1).status is S.LIMITED_PROGRESS


def test_limit_far_from_the_base_gives_c_near_one():
    # b = 10, L = 100: C = 1 - 0.1^4.44 = 1 - 3.6307805e-5 = 0.9999636922
    # P = 1.5 % >= 1.5 % C: on track; x = 0.015 / C = 0.0150005446,
    # score 2.5 + 2.5 * 5.446e-7 / 0.005 = 2.5002723
    r = one_year(10, 10.15, direction=1, limit=100)
    assert r.c_factor == approx(0.999963692194523, rel=1e-12)
    assert r.status is S.ON_TRACK
    assert r.score == approx(2.5002723184283626, rel=1e-9)


def test_limit_approached_from_above():
    # lower is better, limit 10 below base 15: L < b < 2L, C = 1 - ((20 - 15) / 10)^4.44 = 1 - 0.0460709130
    r = one_year(15, 14.9, direction=-1, limit=10)
    assert r.c_factor == approx(0.9539290869596531, rel=1e-12)
    # b >= 2L: C = 1
    assert one_year(25, 24, direction=-1, limit=10).c_factor == 1.0


def test_limit_not_in_the_desired_direction_is_ignored():
    # higher is better but the limit 50 lies below the base 80
    r = one_year(80, 81, direction=1, limit=50)
    assert r.c_factor == 1.0
    assert r.score == approx(one_year(80, 81, direction=1).score)


def test_base_value_at_the_limit():
    # C = 1 - (100/100)^4.44 = 0; holding the limit (P = 0) is on track with +5
    r = one_year(100, 100, direction=1, limit=100)
    assert (r.c_factor, r.status, r.score) == (0.0, S.ON_TRACK, 5.0)
    # falling away from it is still deterioration: P = -1 %, score -2.5 - 125 * 0.01 = -3.75
    r = one_year(100, 99, direction=1, limit=100)
    assert r.status is S.DETERIORATION and r.score == approx(-3.75)


def test_limit_is_not_used_with_a_target():
    r = one_year(99, 99.5, direction=1, limit=100, target=100, target_time=T0 + 5)
    assert r.c_factor is None and r.method == "target"


# --- signs and zeros ----------------------------------------------------------------------


def test_all_negative_values_use_s_minus_one():
    # -100 -> -90, higher is better: CAGR = 0.9 - 1 = -0.1; P = (-1)(+1)(-0.1) = +10 % -> on track, 5
    r = one_year(-100, -90, direction=1)
    assert (r.progress_value, r.status, r.score) == (approx(0.1), S.ON_TRACK, 5.0)
    # -100 -> -101: CAGR = 0.01, P = -1 % -> deterioration, -2.5 - 1.25 = -3.75
    r = one_year(-100, -101, direction=1)
    assert r.status is S.DETERIORATION and r.score == approx(-3.75)
    # target -81 two years on: required = sqrt(0.81) - 1 = -0.1; -95 after one year: CAGR = -0.05
    # R = (-1)(+1)(-0.05) / 0.1 = 0.5 -> limited, score (0.5 - 0.6) / 0.24 = -0.4166666667
    r = one_year(-100, -95, direction=1, target=-81, target_time=T0 + 2)
    assert r.progress_value == approx(0.5)
    assert r.status is S.LIMITED_PROGRESS and r.score == approx(-0.4166666666666667)


def test_zero_base_is_replaced():
    # base 0 -> 0.001; 0.002 one year later: P = 2 - 1 = 100 % -> on track, 5
    r = one_year(0, 0.002, direction=1)
    assert (r.base_value, r.zero_replaced, r.progress_value) == (0.001, True, approx(1.0))
    assert (r.status, r.score) == (S.ON_TRACK, 5.0)


def test_zero_target_is_replaced():
    # lower is better, 10 -> 5 in a year, target 0 two years on -> 0.001
    # required = (0.001 / 10)^(1/2) - 1 = 0.01 - 1 = -0.99; actual = -0.5
    # R = (-1)(-0.5) / 0.99 = 0.5050505051 -> limited; score (0.5050505 - 0.6) / 0.24 = -0.3956228956
    r = one_year(10, 5, direction=-1, target=0, target_time=T0 + 2)
    assert (r.target, r.zero_replaced) == (0.001, True)
    assert r.progress_value == approx(0.5050505050505051)
    assert r.status is S.LIMITED_PROGRESS and r.score == approx(-0.39562289562289543)


def test_zero_target_of_a_negative_series_keeps_the_sign():
    # -10 -> -5, higher is better, target 0 -> -0.001: same numbers as above mirrored
    r = one_year(-10, -5, direction=1, target=0, target_time=T0 + 2)
    assert r.target == -0.001 and r.status is S.LIMITED_PROGRESS
    assert r.progress_value == approx(0.5050505050505051)


def test_mixed_signs_cannot_be_assessed():
    r = one_year(-5, 3, direction=1)
    assert (r.status, r.score, r.reason) == (S.UNABLE_TO_ASSESS, None, "mixed_signs")
    # also when a middle value, or the target, has the other sign
    assert assess_series([2020.5, 2021.5, 2022.5], [5, -1, 6], direction=1).reason == "mixed_signs"
    assert one_year(5, 3, direction=-1, target=-1, target_time=2030.5).reason == "mixed_signs"


def test_required_growth_of_zero():
    # target equals the base value, the series moved away: R = -inf -> deterioration, -5
    r = assess_series([T0, T0 + 2], [100, 95], direction=1, target=100, target_time=2030.5)
    assert (r.progress_value, r.status, r.score) == (-math.inf, S.DETERIORATION, -5.0)
    # via the zero replacement: base 0.001 and target 0 -> 0.001, lower is better
    r = one_year(0.001, 0.0005, direction=-1, target=0, target_time=2030.5)  # moved towards it: +inf
    assert (r.progress_value, r.status, r.score) == (math.inf, S.ON_TRACK, 5.0)
    r = one_year(0.001, 0.001, direction=-1, target=0, target_time=2030.5)  # did not move: R = 0
    assert (r.progress_value, r.status, r.score) == (0.0, S.LIMITED_PROGRESS, -2.5)


# --- observations, base year and time -------------------------------------------------------


def test_one_observation_cannot_be_assessed():
    r = assess_series([2024.5], [50.0], direction=1)
    assert (r.status, r.reason, r.score) == (S.UNABLE_TO_ASSESS, "too_few_observations", None)
    assert assess_series([], [], direction=1).reason == "no_observations"
    assert assess_series([2024.5, 2025.5], [np.nan, 50.0], direction=1).reason == "too_few_observations"


def test_span_under_one_year():
    r = assess_series([2023.125, 2023.875], [10, 12], direction=1)  # 2023-Q1 to 2023-Q4
    assert (r.status, r.reason) == (S.UNABLE_TO_ASSESS, "span_under_one_year")


def test_quarterly_data_at_fractional_years():
    times = [Period.parse(p).fractional_year() for p in ("2023-Q1", "2023-Q3", "2024-Q1", "2024-Q3")]
    # 2023-Q1 = 2023.125, 2024-Q3 = 2024.625: 1.5 years
    # P = 1.03^(1/1.5) - 1 = 0.0199013105 -> on track; score 2.5 + 2.5 (0.0199013 - 0.015) / 0.005 = 4.9506552
    r = assess_series(times, [100, 101, 102, 103], direction=1, base_time=2023.0)
    assert (r.base_year, r.current_year) == (2023.125, 2024.625)
    assert r.progress_value == approx(0.01990131045678134, rel=1e-12)
    assert r.status is S.ON_TRACK and r.score == approx(4.950655228390671, rel=1e-9)


def test_monthly_midpoints_one_year_apart_count_as_one_year():
    times = [Period.parse(p).fractional_year() for p in ("2023-01", "2024-01")]
    r = assess_series(times, [100, 102], direction=1)
    assert r.status is S.ON_TRACK and r.progress_value == approx(0.02, rel=1e-9)


def test_base_year_without_a_value_uses_the_next_period():
    # base year 2023 has no value: the base is 2024 (80); latest 2025.5 (88): P = 10 %
    r = assess_series([2021.5, 2022.5, 2024.5, 2025.5], [10, 20, 80, 88], direction=1, base_time=2023.0)
    assert (r.base_year, r.base_value, r.progress_value) == (2024.5, 80.0, approx(0.1))


def test_unsorted_and_missing_observations():
    r = assess_series([2025.5, 2023.5, 2024.5], [110, 100, np.nan], direction=1)
    assert (r.base_value, r.current_value, r.progress_value) == (100.0, 110.0, approx(0.0488088482, rel=1e-9))


def test_no_observation_from_the_base_on():
    r = assess_series([2020.5, 2021.5], [1, 2], direction=1, base_time=2023.0)
    assert (r.status, r.reason) == (S.UNABLE_TO_ASSESS, "no_base_observation")


def test_target_year_not_after_the_base():
    r = assess_series([2023.5, 2024.5], [1, 2], direction=1, target=5, target_time=2023.5)
    assert r.reason == "target_year_not_after_base"


def test_no_direction_is_not_assessed():
    r = one_year(1, 2, direction=Direction.NONE)
    assert (r.status, r.reason, r.score) == (S.NOT_ASSESSED, "no_direction", None)


def test_a_target_needs_its_time():
    with pytest.raises(ValueError, match="target_time"):
        one_year(1, 2, direction=1, target=5)


# --- status from score and aggregation ----------------------------------------------------


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (5.0, S.ON_TRACK), (2.5, S.ON_TRACK), (2.4999, S.ACCELERATION_NEEDED),
        (0.0, S.ACCELERATION_NEEDED), (-1e-9, S.LIMITED_PROGRESS), (-2.5, S.LIMITED_PROGRESS),
        (-2.5000001, S.DETERIORATION), (-5.0, S.DETERIORATION), (None, S.UNABLE_TO_ASSESS),
        (math.nan, S.UNABLE_TO_ASSESS),
    ],
)  # fmt: skip
def test_status_from_score(score, status):
    assert status_from_score(score) is status


def test_status_from_score_target_achieved_only_when_told():
    assert status_from_score(5.0, target_achieved=True) is S.TARGET_ACHIEVED


def test_nested_groups_weigh_equally():
    # groups: mean(4, 2) = 3 and mean(-1) = -1; indicator: mean(3, -1) = 1 (flat mean would be 5/3)
    a = aggregate([[4.0, 2.0], [-1.0]])
    assert (a.score, a.status, a.n_series, a.n_assessed) == (1.0, S.ACCELERATION_NEEDED, 3, 3)
    # three levels: [[5, [1, 3]], 0] -> [5, 2] -> 3.5 ; then with 0: (3.5 + 0) / 2 = 1.75
    assert aggregate([[5.0, [1.0, 3.0]], 0.0]).score == 1.75


def test_aggregate_target_achieved_only_when_every_series_achieved():
    achieved = one_year(100, 96, direction=1, target=95, target_time=2030.5)
    on_track = one_year(100, 103, direction=1)  # P = 3 %: +5
    assert aggregate([achieved, achieved]).status is S.TARGET_ACHIEVED
    both = aggregate([achieved, on_track])
    assert (both.score, both.status) == (5.0, S.ON_TRACK)
    # an achieved sub-group counts as achieved one level up
    assert aggregate([aggregate([achieved]), [achieved]]).status is S.TARGET_ACHIEVED


def test_aggregate_leaves_out_series_without_a_score():
    unable = assess_series([2024.5], [1.0], direction=1)
    a = aggregate([2.0, None, unable, [None]])
    assert (a.score, a.status, a.n_series, a.n_assessed) == (2.0, S.ACCELERATION_NEEDED, 4, 1)
    assert aggregate([None, unable]).status is S.UNABLE_TO_ASSESS
    assert aggregate([]).status is S.UNABLE_TO_ASSESS
    not_assessed = one_year(1, 2, direction=0)
    assert aggregate([not_assessed, not_assessed]).status is S.NOT_ASSESSED
    assert aggregate([Aggregate(None, S.NOT_ASSESSED, 2, 0)]).status is S.NOT_ASSESSED


def test_aggregate_rejects_text():
    with pytest.raises(TypeError):
        aggregate(["on_track"])


# --- assess_many -----------------------------------------------------------------------------

FIELDS = ("score", "progress_value", "base_value", "base_year", "current_value", "current_year",
          "target", "c_factor")  # fmt: skip


def _same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or (a is not None and (a == b or (math.isnan(a) and math.isnan(b))))


def assert_many_equals_series(times, values, directions, base_times, targets, target_times, limits):
    many = assess_many(times, values, directions, base_times, targets, target_times, limits)
    for i in range(len(values)):
        opt = lambda x: None if math.isnan(x) else float(x)  # noqa: E731
        one = assess_series(
            times[i], values[i], direction=int(directions[i]), base_time=opt(base_times[i]),
            target=opt(targets[i]), target_time=opt(target_times[i]), limit=opt(limits[i]),
        )  # fmt: skip
        assert many["status"][i] is one.status, (i, one)
        assert STATUS_CODES[many["status_code"][i]] is one.status
        assert many["reason"][i] == one.reason and REASONS[many["reason_code"][i]] == one.reason
        assert bool(many["zero_replaced"][i]) == one.zero_replaced
        for f in FIELDS:
            assert _same(getattr(one, f), float(many[f][i])), (i, f, getattr(one, f), many[f][i])


def _random_inputs(rng: np.random.Generator, n: int, m: int):
    """Random series with NaN gaps, zeros, negative and mixed values, quarters, odd base years."""
    start = rng.choice([2015.5, 2020.125, 2019.0417])
    step = rng.choice([1.0, 0.25, 0.5], size=(n, 1))
    times = start + step * np.arange(m)[None, :] + rng.choice([0.0, 0.3], size=(n, m), p=[0.8, 0.2])
    kind = rng.integers(0, 4, size=(n, 1))
    level = np.where(kind == 0, -1.0, 1.0) * rng.uniform(1, 200, size=(n, 1))
    values = level * np.exp(np.cumsum(rng.normal(0, 0.05, size=(n, m)), axis=1))
    values = np.where(kind == 3, rng.normal(0, 1, size=(n, m)), values)  # mixed signs
    values = np.where(rng.random((n, m)) < 0.05, 0.0, values)
    values = np.where(rng.random((n, m)) < 0.25, np.nan, values)
    values = np.where(rng.random((n, m)) < 0.02, np.round(values), values)
    directions = rng.choice([1, -1, 0], size=n, p=[0.45, 0.45, 0.1])
    base_times = np.where(rng.random(n) < 0.5, np.nan, rng.uniform(2014, 2024, n))
    has_target = rng.random(n) < 0.5
    targets = np.where(has_target, values[:, 0] * rng.uniform(0.5, 1.5, n), np.nan)
    targets = np.where(has_target & (rng.random(n) < 0.1), 0.0, targets)
    targets = np.where(np.isnan(targets) & has_target, rng.uniform(1, 100, n), targets)
    target_times = np.where(has_target, rng.uniform(2015, 2035, n), np.nan)
    limit_rel = rng.choice([0.9, 1.0, 1.2, 3.0], size=n)
    limits = np.where(rng.random(n) < 0.4, np.abs(level[:, 0]) * limit_rel, np.nan)
    return times, values, directions, base_times, targets, target_times, limits


def test_assess_many_equals_assess_series_on_random_inputs():
    rng = np.random.default_rng(20260509)
    for n, m in [(400, 12), (200, 3), (50, 1)]:
        assert_many_equals_series(*_random_inputs(rng, n, m))


def test_assess_many_shared_time_axis_and_directions_as_enums():
    values = np.array([[100.0, 101.0, 102.0], [50.0, np.nan, 45.0]])
    many = assess_many(np.array([2023.5, 2024.5, 2025.5]), values,
                       [Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER])  # fmt: skip
    # row 0: P = 1.02^(1/2) - 1 = 0.0099504 -> acceleration
    # row 1: P = (0.9^(1/2) - 1)(-1) = 0.0513167 -> on track
    assert many["status"] == [S.ACCELERATION_NEEDED, S.ON_TRACK]
    assert many["progress_value"] == approx([0.009950493836207741, 0.05131670194948623])


def test_assess_many_validates_inputs():
    with pytest.raises(ValueError, match="target_time"):
        assess_many([[2023.5, 2024.5]], [[1.0, 2.0]], [1], None, [5.0], None)
    with pytest.raises(ValueError, match="directions"):
        assess_many([[2023.5, 2024.5]], [[1.0, 2.0]], [2])
    with pytest.raises(ValueError, match="2-dimensional"):
        assess_many([2023.5, 2024.5], [1.0, 2.0], [1])


# --- properties --------------------------------------------------------------------------------

RANK = {
    S.DETERIORATION: 0,
    S.LIMITED_PROGRESS: 1,
    S.ACCELERATION_NEEDED: 2,
    S.ON_TRACK: 3,
    S.TARGET_ACHIEVED: 4,
}
THRESHOLDS = {"target": (0.95, 0.60, 0.0), "no_target": (0.015, 0.005, 0.0)}

positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)
any_value = st.one_of(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), st.just(0.0))
both_directions = st.sampled_from([1, -1])


@st.composite
def series(draw, values=positive, directions=both_directions):
    n = draw(st.integers(min_value=2, max_value=8))
    steps = draw(st.lists(st.sampled_from([0.25, 0.5, 1.0, 2.0]), min_size=n - 1, max_size=n - 1))
    times = list(np.cumsum([2015.5, *steps]))
    vals = draw(st.lists(values, min_size=n, max_size=n))
    kw: dict = {"direction": draw(directions)}
    if draw(st.booleans()):
        kw["target"] = draw(values)
        kw["target_time"] = times[0] + draw(st.floats(min_value=0.5, max_value=20))
    elif draw(st.booleans()):
        kw["limit"] = draw(values)
    return times, vals, kw


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(series(directions=st.just(1)), st.floats(min_value=0, max_value=10))
def test_raising_the_latest_value_never_worsens_the_status(s, rise):
    times, vals, kw = s
    before = assess_series(times, vals, **kw)
    after = assess_series(times, [*vals[:-1], vals[-1] * (1 + rise)], **kw)
    if before.status is S.UNABLE_TO_ASSESS:
        assert after.status in (S.UNABLE_TO_ASSESS, S.TARGET_ACHIEVED)
        return
    assert RANK[after.status] >= RANK[before.status]
    assert after.score >= before.score - 1e-9


@settings(max_examples=300)
@given(series(), st.floats(min_value=0.01, max_value=100))
def test_scaling_values_target_and_limit_changes_nothing(s, k):
    times, vals, kw = s
    scaled = {key: (v * k if key in ("target", "limit") else v) for key, v in kw.items()}
    a = assess_series(times, vals, **kw)
    b = assess_series(times, [v * k for v in vals], **scaled)
    if a.score is None:
        assert b.status is a.status
        return
    assert b.score == approx(a.score, abs=1e-6)
    if b.status is not a.status:  # only at a knife edge of rounding
        edges = [t * (1 if a.c_factor is None or a.method == "target" else a.c_factor)
                 for t in THRESHOLDS[a.method]]  # fmt: skip
        assert min(abs(a.progress_value - e) for e in edges) < 1e-9


@settings(max_examples=500)
@given(series(values=any_value, directions=st.sampled_from([1, -1, 0])))
def test_score_within_range_and_in_its_status_band(s):
    times, vals, kw = s
    r = assess_series(times, vals, **kw)
    if r.status in (S.UNABLE_TO_ASSESS, S.NOT_ASSESSED):
        assert r.score is None and r.reason is not None
        return
    assert -5.0 <= r.score <= 5.0
    if r.status is S.TARGET_ACHIEVED:
        assert r.score == 5.0
    else:
        assert status_from_score(r.score) is r.status


@settings(max_examples=100, deadline=None)
@given(st.lists(series(values=any_value, directions=st.sampled_from([1, -1, 0])), min_size=1, max_size=6),
       st.one_of(st.none(), st.floats(min_value=2014, max_value=2030)))  # fmt: skip
def test_assess_many_equals_assess_series(batch, base_time):
    m = max(len(t) for t, _, _ in batch)
    pad = lambda xs: list(xs) + [np.nan] * (m - len(xs))  # noqa: E731
    get = lambda kw, key: kw.get(key, np.nan)  # noqa: E731
    assert_many_equals_series(
        np.array([pad(t) for t, _, _ in batch]),
        np.array([pad(v) for _, v, _ in batch]),
        np.array([kw["direction"] for _, _, kw in batch]),
        np.full(len(batch), np.nan if base_time is None else base_time),
        np.array([get(kw, "target") for _, _, kw in batch]),
        np.array([get(kw, "target_time") for _, _, kw in batch]),
        np.array([get(kw, "limit") for _, _, kw in batch]),
    )
