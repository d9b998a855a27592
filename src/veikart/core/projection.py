"""Projection of a series to its deadline: "when will we get there?".

Pure: no I/O, numpy only. methodology.md ("Beyond the agencies: projection to the deadline")
asks for three models, an uncertainty band, the expected date the ambition is reached, the
required pace from now on, and backtests. Every model is a straight line in a transformed
space, ``z(t) = intercept + slope * (t - t_ref)``, with ``y = inverse(z)``:

* **compound** -- ``z = log|y|``. The line goes through the base and the latest observation,
  i.e. its growth rate is exactly the CAGR(yi, y0) that the status uses (methodology.md asks
  for compound growth "consistent with the status"; a least-squares line in log space would
  not be). So a series with R >= 1 is projected to reach its target by the deadline, and one
  with R < 1 after it. Zero values become ``s * 0.001`` as in the status; values of both
  signs cannot be fitted. All-negative series are modelled as ``-exp(z)``.
* **linear** -- ``z = y``, ordinary least squares.
* **logistic** -- saturation towards the natural limit: ``y = floor + (limit - floor) *
  sigmoid(z)``, with the upper asymptote at ``limit`` and the lower at ``floor`` (default 0,
  which suits shares rising to 100 % and falling to 0 % alike). ``z = logit`` of the share of
  the way from floor to limit, fitted by least squares (a linearised logistic: no iteration,
  so it cannot fail to converge). Values at or beyond a bound are clipped to 0.1 % inside it
  (``Fit.clipped`` counts them), so a series that has reached its limit still fits.

**Uncertainty band** (default 80 %): a prediction interval in the transformed space,
``z(t) +/- q * se * sqrt(1 + 1/n + (t - t_mean)^2 / Sxx)`` with ``se`` the residual standard
error on n - 2 degrees of freedom and ``q`` the normal quantile (1.2816 for 80 %; the normal
rather than Student's t quantile, which keeps scipy out). It widens with the distance from the
data. For the compound model, whose line is anchored rather than least-squares, the same
formula is used as an approximation. Back-transformed, the band is multiplicative for compound
growth and stays inside the bounds for the logistic model. With fewer than three points there
are no residual degrees of freedom: the band is zero-width and ``Fit.band_available`` is False.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import NamedTuple, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from veikart.core.model import ProjectionModel
from veikart.core.progress import TIME_TOLERANCE, ZERO_REPLACEMENT, DirectionLike, direction_sign

Floats: TypeAlias = NDArray[np.float64]

__all__ = [
    "BacktestErrors",
    "BacktestSummary",
    "Fit",
    "ProjectionError",
    "RequiredPace",
    "backtest",
    "backtest_summary",
    "expected_attainment",
    "fit",
    "fit_many",
    "project",
    "required_pace",
]

LOGISTIC_CLIP = 0.001  # share of the floor-to-limit range kept away from each bound
DEFAULT_LEVEL = 0.80
DEFAULT_HORIZON = 2100.0


class ProjectionError(ValueError):
    """The series cannot be fitted with the model asked for (the message says why)."""


@dataclass(frozen=True, slots=True)
class Fit:
    """A fitted model: a line in the transformed space (see the module docstring)."""

    model: ProjectionModel
    intercept: float  # z at t_ref
    slope: float  # change of z per year
    t_ref: float
    n: int  # observations fitted
    residual_se: float  # in z; 0 when n < 3
    t_mean: float
    sxx: float  # sum of (t - t_mean)^2
    first_time: float
    last_time: float
    sign: float = 1.0  # compound: -1 for an all-negative series
    limit: float | None = None  # logistic: upper asymptote
    floor: float = 0.0  # logistic: lower asymptote
    zero_replaced: bool = False  # compound: a zero became s * 0.001
    clipped: int = 0  # logistic: values at or beyond a bound

    @property
    def band_available(self) -> bool:
        """False with fewer than three points: the band is then zero-width."""
        return self.n >= 3

    @property
    def growth_rate(self) -> float | None:
        """Compound: growth per year of |y| (the status's CAGR); None for other models."""
        return math.expm1(self.slope) if self.model is ProjectionModel.COMPOUND else None

    def transform(self, y: ArrayLike) -> Floats:
        """Values to the model's linear space z."""
        return _to_z(self.model, np.asarray(y, dtype=np.float64), self.limit, self.floor)

    def inverse(self, z: ArrayLike) -> Floats:
        """The model's linear space back to values."""
        z = np.asarray(z, dtype=np.float64)
        match self.model:
            case ProjectionModel.COMPOUND:
                return self.sign * np.exp(z)
            case ProjectionModel.LOGISTIC:
                assert self.limit is not None
                return self.floor + (self.limit - self.floor) / (1 + np.exp(-z))
            case _:
                return z


def _to_z(model: ProjectionModel, y: Floats, limit: float | None, floor: float) -> Floats:
    match model:
        case ProjectionModel.COMPOUND:  # log|y|, a zero counting as 0.001
            return np.log(np.where(y == 0, ZERO_REPLACEMENT, np.abs(y)))
        case ProjectionModel.LOGISTIC:  # logit of the share of the way from floor to limit
            assert limit is not None
            share = np.clip((y - floor) / (limit - floor), LOGISTIC_CLIP, 1 - LOGISTIC_CLIP)
            return np.log(share / (1 - share))
        case _:
            return y


# --- fitting --------------------------------------------------------------------------------


def _clean(times: ArrayLike, values: ArrayLike, base_time: float | None) -> tuple[Floats, Floats]:
    """Finite observations (at or after base_time) in time order."""
    t = np.asarray(times, dtype=np.float64).ravel()
    y = np.asarray(values, dtype=np.float64).ravel()
    if t.shape != y.shape:
        raise ProjectionError(f"times and values differ in length ({t.size} and {y.size})")
    keep = np.isfinite(t) & np.isfinite(y)
    if base_time is not None:
        keep &= t >= base_time - TIME_TOLERANCE
    order = np.argsort(t[keep], kind="stable")
    return t[keep][order], y[keep][order]


def fit(
    times: ArrayLike,
    values: ArrayLike,
    model: ProjectionModel | str,
    *,
    limit: float | None = None,
    floor: float = 0.0,
    base_time: float | None = None,
) -> Fit:
    """Fit ``model`` to a series (fractional-year times; NaN values skipped).

    ``base_time`` keeps the observations at or after it, as :func:`veikart.core.progress.
    assess_series` does, so that a compound projection uses the same base as the status.
    ``limit`` (and ``floor``) are the logistic model's asymptotes; the other models ignore them.
    Raises ProjectionError with fewer than two observations at distinct times, values of both
    signs (compound), or a logistic model without a limit above the floor.
    """
    t = np.asarray(times, dtype=np.float64).ravel()
    y = np.asarray(values, dtype=np.float64).ravel()
    if t.shape != y.shape:
        raise ProjectionError(f"times and values differ in length ({t.size} and {y.size})")
    out = fit_many([t], [y], model, limit=limit, floor=floor, base_time=base_time)[0]
    if isinstance(out, ProjectionError):
        raise out
    return out


def fit_many(
    times: Sequence[ArrayLike],
    values: Sequence[ArrayLike],
    model: ProjectionModel | str,
    *,
    limit: float | None = None,
    floor: float = 0.0,
    base_time: float | None = None,
) -> list[Fit | ProjectionError]:
    """:func:`fit` for many series with the same model at once: for each series (``times[i]``,
    ``values[i]``) its Fit, or the ProjectionError that says why it cannot be fitted.

    One pass of array arithmetic over all series, padded to the longest (an indicator of the
    UK corpus has up to a few thousand series; fitting them one by one cost a few hundred numpy
    calls each). :func:`fit` is this function for one series, so the two cannot disagree.
    """
    model = ProjectionModel(model)
    rows = len(times)
    if rows != len(values):
        raise ValueError(f"{rows} time rows but {len(values)} value rows")
    if rows == 0:
        return []
    lengths = [np.size(r) for r in times]
    width = max(max(lengths), 1)
    t = np.full((rows, width), np.nan)
    y = np.full((rows, width), np.nan)
    bad_length: dict[int, ProjectionError] = {}
    for i, (tr, yr) in enumerate(zip(times, values, strict=True)):
        if np.size(tr) != np.size(yr):
            bad_length[i] = ProjectionError(
                f"times and values differ in length ({np.size(tr)} and {np.size(yr)})"
            )
            continue
        t[i, : lengths[i]] = tr
        y[i, : lengths[i]] = yr

    keep = np.isfinite(t) & np.isfinite(y)
    if base_time is not None:
        keep &= t >= base_time - TIME_TOLERANCE
    # Each row's kept points in time order (ties in their given order), the rest after them.
    order = np.argsort(np.where(keep, t, np.inf), axis=1, kind="stable")
    t = np.take_along_axis(t, order, axis=1)
    y = np.take_along_axis(y, order, axis=1)
    keep = np.take_along_axis(keep, order, axis=1)
    n = keep.sum(axis=1)
    at = np.arange(rows)
    last = np.maximum(n - 1, 0)
    first_t, last_t = t[:, 0], t[at, last]
    with np.errstate(invalid="ignore"):
        short = (n < 2) | ~(last_t - first_t > 0)

    compound, logistic = model is ProjectionModel.COMPOUND, model is ProjectionModel.LOGISTIC
    negative: NDArray[np.bool_] = np.any(keep & (y < 0), axis=1)
    both_signs: NDArray[np.bool_] = np.any(keep & (y > 0), axis=1) & negative & compound
    no_limit = logistic and (limit is None or not limit > floor)
    asked_limit, limit = limit, (float(limit) if logistic and limit is not None else None)
    ys = np.where(keep, y, 1.0 if not logistic else (floor + (limit or floor + 1.0)) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = _to_z(model, ys, limit, floor) if not no_limit else np.zeros_like(ys)
        nf = np.maximum(n, 1).astype(np.float64)
        t_mean = np.where(keep, t, 0.0).sum(axis=1) / nf
        dt = np.where(keep, t - t_mean[:, None], 0.0)
        sxx = (dt * dt).sum(axis=1)
        if compound:  # through base and latest: slope = log(1 + CAGR(yi, y0))
            t_ref, intercept = last_t, z[at, last]
            slope = (intercept - z[:, 0]) / (last_t - first_t)
        else:
            t_ref = t_mean
            intercept = np.where(keep, z, 0.0).sum(axis=1) / nf
            slope = (dt * np.where(keep, z - intercept[:, None], 0.0)).sum(axis=1) / sxx
        resid = np.where(keep, z - (intercept[:, None] + slope[:, None] * (t - t_ref[:, None])), 0.0)
        rss = (resid * resid).sum(axis=1)
        residual_se = np.where(n >= 3, np.sqrt(rss / np.maximum(n - 2, 1)), 0.0)
    zero_replaced = compound & (keep & (y == 0)).any(axis=1)
    if logistic and not no_limit:
        assert limit is not None
        share = (y - floor) / (limit - floor)
        clipped = (keep & ((share < LOGISTIC_CLIP) | (share > 1 - LOGISTIC_CLIP))).sum(axis=1)
    else:
        clipped = np.zeros(rows, dtype=np.int64)

    cols = [a.tolist() for a in (intercept, slope, t_ref, n, residual_se, t_mean, sxx, first_t, last_t)]
    out: list[Fit | ProjectionError] = []
    for i in range(rows):
        if i in bad_length:
            out.append(bad_length[i])
        elif short[i]:
            out.append(ProjectionError(f"need at least two observations at different times, got {int(n[i])}"))
        elif both_signs[i]:
            out.append(ProjectionError("compound growth cannot fit values of both signs"))
        elif no_limit:
            out.append(ProjectionError(f"the logistic model needs a natural limit above {floor}, got {asked_limit}"))
        else:
            b, s_, tr, ni, se, tm, sx, f0, f1 = (c[i] for c in cols)
            out.append(
                Fit(
                    model=model,
                    intercept=b,
                    slope=s_,
                    t_ref=tr,
                    n=int(ni),
                    residual_se=se,
                    t_mean=tm,
                    sxx=sx,
                    first_time=f0,
                    last_time=f1,
                    sign=-1.0 if compound and negative[i] else 1.0,
                    limit=limit,
                    floor=float(floor),
                    zero_replaced=bool(zero_replaced[i]),
                    clipped=int(clipped[i]),
                )
            )
    return out


# --- projecting -----------------------------------------------------------------------------


def project(fit: Fit, times: ArrayLike, *, level: float = DEFAULT_LEVEL) -> tuple[Floats, Floats, Floats]:
    """Projected values ``(mid, low, high)`` at ``times`` with a ``level`` prediction band.

    See the module docstring for the band. ``low <= mid <= high`` always; the band is
    zero-width when ``fit.band_available`` is False (or the data lie exactly on the model).
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, not {level}")
    t = np.asarray(times, dtype=np.float64)
    z = fit.intercept + fit.slope * (t - fit.t_ref)
    q = NormalDist().inv_cdf(0.5 + level / 2)
    half = q * fit.residual_se * np.sqrt(1 + 1 / fit.n + (t - fit.t_mean) ** 2 / fit.sxx)
    mid, a, b = fit.inverse(z), fit.inverse(z - half), fit.inverse(z + half)
    return mid, np.minimum(np.minimum(a, b), mid), np.maximum(np.maximum(a, b), mid)


def expected_attainment(
    fit: Fit,
    target: float,
    direction: DirectionLike,
    *,
    horizon: float = DEFAULT_HORIZON,
) -> float | None:
    """Fractional year when the projection (its mid line) first reaches ``target``.

    Counted from the last fitted observation: if the fitted value there already meets the
    target, that time is returned. None means "not before ``horizon``": the projection moves
    away from the target or stays flat, crosses it after the horizon, or can never reach it (a
    logistic curve never reaches its asymptotes, so a target at the natural limit itself is
    never reached; compound growth never changes sign).
    """
    d = direction_sign(direction)
    if d == 0:
        raise ValueError("expected_attainment needs a direction (+1 or -1)")
    at_last = float(fit.inverse(fit.intercept + fit.slope * (fit.last_time - fit.t_ref)))
    if d * (at_last - target) >= 0:
        return fit.last_time
    z_target = _reachable_z(fit, target)
    if z_target is None or fit.slope == 0:
        return None
    when = fit.t_ref + (z_target - fit.intercept) / fit.slope
    if not when >= fit.last_time - TIME_TOLERANCE or when > horizon:
        return None  # the crossing lies behind us: the line moves away from the target
    return max(when, fit.last_time)


def _reachable_z(fit: Fit, target: float) -> float | None:
    """The target in z, or None when the model's curve never takes that value."""
    match fit.model:
        case ProjectionModel.COMPOUND:
            if target * fit.sign < 0:
                return None
            return float(fit.transform(target))
        case ProjectionModel.LOGISTIC:
            assert fit.limit is not None
            if not fit.floor < target < fit.limit:
                return None
            share = (target - fit.floor) / (fit.limit - fit.floor)
            return math.log(share / (1 - share))  # unclipped: the exact crossing
        case _:
            return float(target)


@dataclass(frozen=True, slots=True)
class RequiredPace:
    """The pace needed from now to reach the target by its deadline."""

    years_left: float
    per_year: float | None  # average change per year, in the indicator's unit
    growth_rate: float | None  # compound only: the CAGR needed from now on
    overdue: bool  # the deadline is not after the current time: no pace can make it


def required_pace(
    current_time: float,
    current_value: float,
    target: float,
    target_time: float,
    model: ProjectionModel | str,
) -> RequiredPace:
    """Pace per year from the current observation to the target (methodology.md: "+6.2
    percentage points a year").

    ``per_year`` = (target - current) / years left, for every model (for a logistic path it is
    the average over the years left). For the compound model ``growth_rate`` is the CAGR
    needed, with the status's rules: a zero current value or target becomes s * 0.001, and a
    target of the other sign than the current value gives None.
    """
    model = ProjectionModel(model)
    years = float(target_time) - float(current_time)
    if years <= 0:
        return RequiredPace(years_left=years, per_year=None, growth_rate=None, overdue=True)
    per_year = (float(target) - float(current_value)) / years
    growth = (
        _required_growth(float(current_value), float(target), years)
        if model is ProjectionModel.COMPOUND
        else None
    )
    return RequiredPace(years_left=years, per_year=per_year, growth_rate=growth, overdue=False)


def _required_growth(current: float, target: float, years: float) -> float | None:
    if current * target < 0:
        return None
    s = -1.0 if current < 0 or target < 0 else 1.0
    a = target if target != 0 else s * ZERO_REPLACEMENT
    b = current if current != 0 else s * ZERO_REPLACEMENT
    return float((a / b) ** (1 / years) - 1)


# --- backtesting ----------------------------------------------------------------------------


class BacktestErrors(NamedTuple):
    """Errors at the held-out observations, oldest first.

    ``abs_pct_errors``: |projected - actual| / |actual| * 100 (NaN where actual is 0).
    ``signed_errors``: projected - actual, in the indicator's unit (positive = too high).
    """

    abs_pct_errors: Floats
    signed_errors: Floats


def backtest(
    times: ArrayLike,
    values: ArrayLike,
    model: ProjectionModel | str,
    holdout: int = 1,
    *,
    limit: float | None = None,
    floor: float = 0.0,
) -> BacktestErrors:
    """Hold out the last ``holdout`` observations, fit the rest, and compare the projection
    with what happened (methodology.md, "Backtesting"). Raises ProjectionError when fewer than
    two observations remain to fit."""
    t, y = _clean(times, values, None)
    if not 1 <= holdout <= t.size - 2:
        raise ProjectionError(
            f"holdout must be between 1 and {t.size - 2} for {t.size} observations (two are needed "
            f"to fit), not {holdout}"
        )
    f = fit(t[:-holdout], y[:-holdout], model, limit=limit, floor=floor)
    predicted, _, _ = project(f, t[-holdout:])
    actual = y[-holdout:]
    signed = predicted - actual
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(actual != 0, np.abs(signed) / np.abs(actual) * 100, np.nan)
    return BacktestErrors(abs_pct_errors=pct, signed_errors=signed)


@dataclass(frozen=True, slots=True)
class BacktestSummary:
    """Errors of one model over many series (points pooled)."""

    mape: float  # mean absolute percentage error, %
    bias: float  # mean signed percentage error, % (positive = projections too high)
    n_series: int
    n_errors: int  # held-out points with a percentage error


def backtest_summary(results: Iterable[BacktestErrors]) -> BacktestSummary:
    """MAPE and bias over many backtests. The bias is the mean of sign(error) * |% error|, so
    it is comparable across series in different units. NaN (actual 0) points are skipped;
    with none left both figures are NaN."""
    pct: list[Floats] = []
    n_series = 0
    for r in results:
        n_series += 1
        pct.append(np.sign(r.signed_errors) * r.abs_pct_errors)
    signed = np.concatenate(pct) if pct else np.empty(0)
    signed = signed[~np.isnan(signed)]
    if signed.size == 0:
        return BacktestSummary(mape=math.nan, bias=math.nan, n_series=n_series, n_errors=0)
    return BacktestSummary(
        mape=float(np.abs(signed).mean()),
        bias=float(signed.mean()),
        n_series=n_series,
        n_errors=int(signed.size),
    )
