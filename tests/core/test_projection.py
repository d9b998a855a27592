"""Projection to the deadline (methodology.md, "Beyond the agencies"). Expected numbers are
worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from veikart.core.model import Direction, ProjectionModel
from veikart.core.progress import Status, assess_series
from veikart.core.projection import (
    Fit,
    fit_many,
    BacktestErrors,
    ProjectionError,
    backtest,
    backtest_summary,
    expected_attainment,
    fit,
    project,
    required_pace,
)

M = ProjectionModel
approx = pytest.approx
YEARS = np.arange(2015.5, 2025.5)  # ten annual observations, 2015 to 2024


def compound_series():
    return YEARS, 100 * 1.05 ** (YEARS - 2015.5)


def linear_series():
    return YEARS, 50 + 3 * (YEARS - 2015.5)


def logistic_series():
    return YEARS, 100 / (1 + np.exp(-0.4 * (YEARS - 2020.0)))


# --- exact series are recovered -----------------------------------------------------------------


def test_compound_is_recovered():
    f = fit(*compound_series(), M.COMPOUND)
    assert f.growth_rate == approx(0.05, rel=1e-12)
    assert f.residual_se == approx(0, abs=1e-12)
    # 100 * 1.05^(t - 2015.5) = 200  <=>  t = 2015.5 + ln 2 / ln 1.05 = 2015.5 + 14.2066991 = 2029.7066991
    assert expected_attainment(f, 200, Direction.HIGHER_IS_BETTER) == approx(2029.7066990828905, abs=1e-9)
    mid, _, _ = project(f, [2030.5])
    assert mid[0] == approx(100 * 1.05**15)  # = 207.8928179


def test_linear_is_recovered():
    f = fit(*linear_series(), M.LINEAR)
    # slope 3; at t_mean = 2020.0 the line is 50 + 3 * 4.5 = 63.5
    assert (f.slope, f.t_ref, f.intercept) == (approx(3.0), 2020.0, approx(63.5))
    # 50 + 3 (t - 2015.5) = 100  <=>  t = 2015.5 + 50 / 3 = 2032.1666667
    assert expected_attainment(f, 100, 1) == approx(2032.1666666666667, abs=1e-9)


def test_logistic_is_recovered():
    f = fit(*logistic_series(), M.LOGISTIC, limit=100)
    # logit(y / 100) = 0.4 (t - 2020): slope 0.4, intercept 0 at t_mean 2020.0
    assert (f.slope, f.intercept, f.clipped) == (approx(0.4), approx(0, abs=1e-12), 0)
    # y = 90  <=>  logit(0.9) = ln 9 = 2.1972246 = 0.4 (t - 2020)  <=>  t = 2025.4930614
    assert expected_attainment(f, 90, 1) == approx(2025.493061443340548, abs=1e-9)


def test_negative_compound_series():
    t = YEARS
    f = fit(t, -100 * 0.9 ** (t - 2015.5), M.COMPOUND)
    # |y| shrinks 10 % a year: -100 * 0.9^n = -30  <=>  n = ln 0.3 / ln 0.9 = 11.4271727
    assert f.sign == -1 and f.growth_rate == approx(-0.1)
    assert expected_attainment(f, -30, 1) == approx(2015.5 + 11.427172663391419, abs=1e-9)
    assert expected_attainment(f, -50, 1) == 2024.5  # -38.7 in 2024.5: already above -50


def test_decreasing_logistic_share():
    t = YEARS
    f = fit(t, 100 / (1 + np.exp(0.5 * (t - 2018.0))), M.LOGISTIC, limit=100)
    # y = 100 / (1 + e^{0.5 (t - 2018)}) = 2  <=>  0.5 (t - 2018) = ln 49  <=>  t = 2018 + 7.7836406
    assert expected_attainment(f, 2, Direction.LOWER_IS_BETTER) == approx(2025.783640596221, abs=1e-9)
    assert expected_attainment(f, 10, Direction.LOWER_IS_BETTER) == 2024.5  # 3.73 in 2024.5: reached


# --- consistency with the status ------------------------------------------------------------------


def test_compound_projection_reaches_the_target_on_the_deadline_when_r_is_one():
    # base 100 (2023.5), target 121 in 2025.5: required CAGR 10 %; 110 in 2024.5 is exactly 10 %: R = 1
    times, values = [2022.5, 2023.5, 2024.5], [70.0, 100.0, 110.0]
    status = assess_series(times, values, direction=1, base_time=2023.0, target=121, target_time=2025.5)
    assert status.progress_value == approx(1.0)
    f = fit(times, values, M.COMPOUND, base_time=2023.0)
    assert f.growth_rate == approx(status.progress_value * 0.10)
    assert expected_attainment(f, 121, 1) == approx(2025.5, abs=1e-9)


@settings(max_examples=200)
@given(
    st.lists(st.floats(min_value=1, max_value=1e3), min_size=2, max_size=6),
    st.floats(min_value=1, max_value=1e3),
    st.floats(min_value=1.5, max_value=15),
)
def test_compound_attainment_matches_the_ratio(values, target, years_to_deadline):
    times = [2023.5 + i for i in range(len(values))]
    deadline = times[0] + len(values) + years_to_deadline
    assume(abs(values[-1] - target) > 1e-9 * target)  # not at the rounding edge of "reached"
    r = assess_series(times, values, direction=1, target=target, target_time=deadline)
    if r.status is Status.TARGET_ACHIEVED or r.progress_value is None or not math.isfinite(r.progress_value):
        return
    when = expected_attainment(fit(times, values, M.COMPOUND), target, 1, horizon=1e6)
    if r.progress_value > 1 + 1e-9:
        assert when is not None and when <= deadline + 1e-6
    elif r.progress_value < 1 - 1e-9:
        assert when is None or when >= deadline - 1e-6


# --- uncertainty band -----------------------------------------------------------------------------


def noisy():
    rng = np.random.default_rng(7)
    return YEARS, 50 + 3 * (YEARS - 2015.5) + rng.normal(0, 2, YEARS.size)


@pytest.mark.parametrize("model", list(M))
def test_band_contains_the_mid_and_widens_with_distance(model):
    t, y = noisy()
    f = fit(t, y, model, limit=120)
    assert f.band_available and f.residual_se > 0
    at = np.array([2020.0, 2026.5, 2030.5, 2040.5])
    mid, low, high = project(f, at)
    assert np.all(low < mid) and np.all(mid < high)
    width = high - low
    if model is not M.LOGISTIC:  # the logistic band narrows again near its asymptote
        assert np.all(np.diff(width) > 0)
    _, low95, high95 = project(f, at, level=0.95)
    assert np.all(high95 - low95 > width)


def test_linear_band_is_the_prediction_interval():
    # y = 0, 2, 1 at t = 0, 1, 2: slope 0.5, mean 1, residuals -0.5, 1, -0.5 -> se = sqrt(1.5 / 1)
    # at t = 1 (the mean): half width = 1.2815516 * sqrt(1.5) * sqrt(1 + 1/3) = 1.8123673
    f = fit([0.0, 1.0, 2.0], [0.0, 2.0, 1.0], M.LINEAR)
    mid, low, high = project(f, [1.0])
    assert mid[0] == approx(1.0)
    assert (high[0] - mid[0]) == approx(1.2815515655446004 * math.sqrt(1.5) * math.sqrt(4 / 3), rel=1e-9)
    assert (mid[0] - low[0]) == approx(high[0] - mid[0])


def test_two_points_have_no_band():
    f = fit([2023.5, 2024.5], [10.0, 12.0], M.LINEAR)
    mid, low, high = project(f, [2030.5])
    assert not f.band_available
    assert low[0] == mid[0] == high[0] == approx(24.0)  # 10 + 2 * 7


def test_logistic_band_stays_within_the_bounds():
    t, y = noisy()
    f = fit(t, y, M.LOGISTIC, limit=100)
    _, low, high = project(f, np.arange(2000.5, 2100.5))
    assert np.all(low >= 0) and np.all(high <= 100)


# --- attainment, pace and edge cases ------------------------------------------------------------------


def test_attainment_not_before_horizon():
    f = fit(*linear_series(), M.LINEAR)
    assert expected_attainment(f, 1000, 1) is None  # 2015.5 + 950 / 3 is after 2100
    assert expected_attainment(f, 1000, 1, horizon=3000) == approx(2015.5 + 950 / 3)
    assert expected_attainment(f, 10, -1) is None  # moving away from a lower target


def test_attainment_already_reached_returns_the_last_time():
    f = fit(*linear_series(), M.LINEAR)  # fitted 77 in 2024.5
    assert expected_attainment(f, 70, 1) == 2024.5


def test_logistic_never_reaches_its_limit():
    f = fit(*logistic_series(), M.LOGISTIC, limit=100)
    assert expected_attainment(f, 100, 1) is None
    assert expected_attainment(f, 100, 1, horizon=1e9) is None


def test_logistic_handles_values_at_the_limit():
    f = fit([2020.5, 2021.5, 2022.5, 2023.5], [80.0, 95.0, 100.0, 100.0], M.LOGISTIC, limit=100)
    assert f.clipped == 2 and f.slope > 0
    mid, _, high = project(f, [2030.5])
    assert 99 < mid[0] < 100 and high[0] <= 100


def test_flat_series_never_reaches_a_higher_target():
    f = fit([2020.5, 2021.5, 2022.5], [5.0, 5.0, 5.0], M.COMPOUND)
    assert f.growth_rate == 0 and expected_attainment(f, 6, 1) is None


def test_required_pace():
    # 40 in 2025.5, target 100 in 2030.5: (100 - 40) / 5 = 12 per year;
    # compound: (100 / 40)^(1/5) - 1 = 0.2011244
    p = required_pace(2025.5, 40, 100, 2030.5, M.COMPOUND)
    assert (p.years_left, p.per_year, p.overdue) == (5.0, 12.0, False)
    assert p.growth_rate == approx(0.20112443398143132)
    assert required_pace(2025.5, 40, 100, 2030.5, M.LINEAR).growth_rate is None
    # zero current value: 0.001 -> 1 in two years: sqrt(1000) - 1 = 30.6227766
    assert required_pace(2024.5, 0, 1, 2026.5, "compound").growth_rate == approx(30.622776601683793)
    assert required_pace(2024.5, -1, 1, 2026.5, "compound").growth_rate is None
    late = required_pace(2031.5, 40, 100, 2030.5, M.LINEAR)
    assert late.overdue and late.per_year is None


def test_fit_errors():
    with pytest.raises(ProjectionError, match="two observations"):
        fit([2024.5], [1.0], M.LINEAR)
    with pytest.raises(ProjectionError, match="two observations"):
        fit([2024.5, 2024.5], [1.0, 2.0], M.LINEAR)
    with pytest.raises(ProjectionError, match="both signs"):
        fit([2023.5, 2024.5], [-1.0, 2.0], M.COMPOUND)
    with pytest.raises(ProjectionError, match="limit"):
        fit([2023.5, 2024.5], [1.0, 2.0], M.LOGISTIC)
    with pytest.raises(ValueError):
        project(fit([2023.5, 2024.5], [1.0, 2.0], M.LINEAR), [2030.0], level=1.5)


# --- backtesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "model", "limit"),
    [
        (compound_series, M.COMPOUND, None),
        (linear_series, M.LINEAR, None),
        (logistic_series, M.LOGISTIC, 100),
    ],
)
def test_backtest_on_an_exact_series_has_no_error(series, model, limit):
    abs_pct, signed = backtest(*series(), model, holdout=3, limit=limit)
    assert abs_pct.shape == signed.shape == (3,)
    assert np.all(abs_pct < 1e-9) and np.all(np.abs(signed) < 1e-9)


def test_backtest_of_the_wrong_model_shows_its_error():
    # a linear fit to 100, 110, 121 (compound 10 %) projects 131 for 2018.5 instead of 133.1:
    # slope 10.5, mean 110.333 at 2016.5 -> 110.333 + 2 * 10.5 = 131.333; error -1.767, 1.3274 %
    abs_pct, signed = backtest([2015.5, 2016.5, 2017.5, 2018.5], [100, 110, 121, 133.1], M.LINEAR, holdout=1)
    assert signed[0] == approx(131.33333333333334 - 133.1)
    assert abs_pct[0] == approx(1.7666666666666515 / 133.1 * 100)


def test_backtest_summary():
    # points: +10 %, -20 %, +30 % (and one NaN where the actual was 0)
    a = BacktestErrors(np.array([10.0, 20.0]), np.array([1.0, -4.0]))
    b = BacktestErrors(np.array([30.0, np.nan]), np.array([3.0, 1.0]))
    s = backtest_summary([a, b])
    # MAPE = (10 + 20 + 30) / 3 = 20; bias = (10 - 20 + 30) / 3 = 6.6667
    assert (s.mape, s.bias, s.n_series, s.n_errors) == (20.0, approx(20 / 3), 2, 3)
    assert math.isnan(backtest_summary([]).mape)


def test_backtest_needs_two_points_to_fit():
    with pytest.raises(ProjectionError, match="holdout"):
        backtest([2020.5, 2021.5, 2022.5], [1.0, 2.0, 3.0], M.LINEAR, holdout=2)


# --- many series at once ---------------------------------------------------------------------

_row = st.lists(
    st.tuples(
        st.floats(min_value=2000, max_value=2030, allow_nan=False),
        st.one_of(
            st.floats(min_value=-500, max_value=500, allow_nan=False),
            st.sampled_from([0.0, math.nan, 100.0, -1.0]),
        ),
    ),
    min_size=0,
    max_size=9,
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(_row, min_size=1, max_size=6),
    model=st.sampled_from(list(ProjectionModel)),
    limit=st.sampled_from([None, 100.0, 0.0]),
    base_time=st.sampled_from([None, 2010.5]),
)
def test_fit_many_agrees_with_fit_series_by_series(rows, model, limit, base_time) -> None:
    """Each row of a batch fits as it would alone (padding to the longest row changes nothing),
    and a row that cannot be fitted gets the error fit() raises, without failing the others."""
    times = [[t for t, _ in r] for r in rows]
    values = [[v for _, v in r] for r in rows]
    batch = fit_many(times, values, model, limit=limit, base_time=base_time)
    assert len(batch) == len(rows)
    for t, v, got in zip(times, values, batch, strict=True):
        try:
            alone = fit(t, v, model, limit=limit, base_time=base_time)
        except ProjectionError as e:
            assert isinstance(got, ProjectionError) and str(got) == str(e)
            continue
        assert isinstance(got, Fit)
        for name in ("model", "n", "limit", "floor", "sign", "zero_replaced", "clipped", "first_time", "last_time"):
            assert getattr(got, name) == getattr(alone, name), name
        for name in ("intercept", "slope", "t_ref", "residual_se", "t_mean", "sxx"):
            assert getattr(got, name) == pytest.approx(getattr(alone, name), rel=1e-9, abs=1e-9), name


def test_fit_many_reports_each_bad_row() -> None:
    out = fit_many(
        [[2020.5, 2021.5], [2020.5], [2020.5, 2021.5, 2022.5], [2020.5, 2021.5]],
        [[1.0, 2.0], [1.0], [-1.0, 0.0, 2.0], [1.0]],
        ProjectionModel.COMPOUND,
    )
    assert isinstance(out[0], Fit) and out[0].slope == pytest.approx(math.log(2))
    assert "at least two observations" in str(out[1])
    assert "both signs" in str(out[2])
    assert "differ in length" in str(out[3])
    assert fit_many([], [], "linear") == []
