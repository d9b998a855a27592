"""Progress towards an ambition: status and score of a time series.

Pure: no I/O. Implements the rules of methodology.md (Eurostat's "ratio of
actual to required growth" as adopted by Statistics Canada for Open SDG):

* with a target (ambition):   R = s * d * CAGR(yi, y0) / |CAGR(yT, y0)|,
  bands R >= 0.95 on track, >= 0.60 acceleration needed, >= 0 limited progress, else
  deterioration; score piecewise linear in R (-5 at R <= -0.60, 0 at 0.60, +5 at R >= 1.30);
* without a target:           P = s * d * CAGR(yi, y0),
  bands 1.5 % * C, 0.5 % * C and 0 per year, with the natural-limit factor C (a = 4.44);
  score -5 at P <= -2 %, -2.5 at 0, 0 at 0.5 % C, +2.5 at 1.5 % C, +5 at >= 2 % C.

Times are fractional years (see :mod:`veikart.core.periods`: a period counts at its midpoint,
2023 -> 2023.5, 2023-Q1 -> 2023.125).

Decisions beyond the methodology's text (each tested in ``tests/core/test_progress.py``):

* **Order of the rules.** A series without a direction is *not assessed*. Otherwise "target
  achieved" is decided from the latest observation alone ("whatever the trend", as Open SDG
  does), before the data checks; a single observation that meets the target is therefore
  "target achieved". All other statuses need the checks below to pass.
* **Data checks** (first failing one gives ``reason``): no finite observation
  (``no_observations``); none at/after the base time (``no_base_observation``); fewer than two
  from the base on (``too_few_observations``); latest minus base under one year
  (``span_under_one_year``, 1e-9 year tolerance so monthly midpoints count); observations from
  the base on, or the target, of both signs (``mixed_signs``; zeros are sign-neutral);
  target time not after the base time (``target_year_not_after_base``); a non-finite result
  (``not_computable``, only with absurdly large or small values).
* **Zero replacement.** A zero base or target becomes ``s * 0.001`` (so it keeps the series'
  sign; Open SDG always uses +0.001, which would make negative series "mixed"). The target
  achieved test uses the target as given; R uses the replaced one. ``zero_replaced`` says so.
* **Threshold tolerance.** Progress values are compared with the thresholds with an absolute
  tolerance of 1e-12, so that 100 -> 101.5 in one year (P = 0.0149999999999999 in binary)
  counts as the 1.5 % it is.
* **Score within its band.** The score is the piecewise-linear function of R (or P), capped
  to [-5, 5] and clamped to the band of the status: [2.5, 5] on track, [0, 2.5) acceleration
  needed, [-2.5, 0) limited, [-5, -2.5) deterioration. The knots of the score coincide with the
  thresholds, so the clamp only acts on a progress value that lies within the 1e-12 tolerance
  below a threshold: its score, a hair under the band, is lifted to the band's lower edge.
* **Required CAGR of zero** (target equal to the base value, not achieved): R is -inf when
  the series moved away from the target (deterioration, score -5), +inf when it moved towards
  it (possible only through the zero replacement; on track, +5), and 0 when it did not move
  (limited progress, -2.5). ``progress_value`` then holds that infinity.
* **Natural limit** only applies without a target, and only when it lies in the desired
  direction from the base value: ``d * (limit - y0) >= 0``; otherwise C = 1. C = 0 (base at
  the limit) and P >= 0 give on track with score +5.
* **One kernel.** :func:`assess_series` (one series, readable checks in Python) and
  :func:`assess_many` (vectorised checks) compute every formula with the same elementwise numpy
  function, so they agree to the last bit (libm's ``pow`` and numpy's SIMD ``power`` can differ
  in the last place, which could flip a status exactly at a threshold).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, TypeAlias, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from veikart.core.model import Direction

Floats: TypeAlias = NDArray[np.float64]
Codes: TypeAlias = NDArray[np.int8]
Mask: TypeAlias = NDArray[np.bool_]

__all__ = [
    "OPEN_SDG_STATUS",
    "REASONS",
    "STATUS_CODES",
    "Aggregate",
    "SeriesProgress",
    "Status",
    "aggregate",
    "assess_many",
    "assess_series",
    "direction_sign",
    "status_from_score",
]


class Status(StrEnum):
    """Progress categories, ids as in methodology.md's category table."""

    TARGET_ACHIEVED = "target_achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    UNABLE_TO_ASSESS = "unable_to_assess"
    NOT_ASSESSED = "not_assessed"


#: Names an Open SDG export must use (methodology.md: the middle three are
#: substantial_progress, moderate_progress and limited_progress; Open SDG has no separate
#: "not assessed", both non-statuses are its "not_available").
OPEN_SDG_STATUS: dict[Status, str] = {
    Status.TARGET_ACHIEVED: "target_achieved",
    Status.ON_TRACK: "substantial_progress",
    Status.ACCELERATION_NEEDED: "moderate_progress",
    Status.LIMITED_PROGRESS: "limited_progress",
    Status.DETERIORATION: "deterioration",
    Status.UNABLE_TO_ASSESS: "not_available",
    Status.NOT_ASSESSED: "not_available",
}

#: Small-int status codes used by :func:`assess_many`: ``STATUS_CODES[code]``.
STATUS_CODES: tuple[Status, ...] = tuple(Status)
_TA, _ON, _ACC, _LIM, _DET, _UNABLE, _NOT = range(7)

#: Machine codes for ``SeriesProgress.reason``; :func:`assess_many` gives ``REASONS[code]``
#: (code 0 = no reason).
REASONS: tuple[str | None, ...] = (
    None,
    "no_observations",
    "no_base_observation",
    "too_few_observations",
    "span_under_one_year",
    "mixed_signs",
    "target_year_not_after_base",
    "not_computable",
    "no_direction",
)
_STATUS_OBJECTS = np.array(STATUS_CODES, dtype=object)
_REASON_OBJECTS = np.array(REASONS, dtype=object)
_R_NONE, _R_NO_OBS, _R_NO_BASE, _R_FEW, _R_SPAN, _R_MIXED, _R_TARGET_TIME, _R_NAN, _R_NO_DIR = range(9)

# --- constants of methodology.md ----------------------------------------------------------

RATIO_HIGH, RATIO_MEDIUM, RATIO_LOW = 0.95, 0.60, 0.0  # "with a target", rule 3
GROWTH_HIGH, GROWTH_MEDIUM, GROWTH_LOW = 0.015, 0.005, 0.0  # "without a target", rule 2
LIMIT_EXPONENT = 4.44  # "natural limit": a
ZERO_REPLACEMENT = 0.001  # edge rules: zero base value or target
MIN_SPAN_YEARS = 1.0  # edge rules: ti - t0 >= 1 year

THRESHOLD_TOLERANCE = 1e-12  # see the module docstring
TIME_TOLERANCE = 1e-9  # fractional years: 2024.0417 - 2023.0417 may be 0.99999999999977

_SCORE_MIN, _SCORE_MAX = -5.0, 5.0
# Band of each status code (index): lowest and highest score. Upper edges are open.
_BAND_LO = np.array([5.0, 2.5, 0.0, -2.5, -5.0, np.nan, np.nan])
_BAND_HI = np.array(
    [
        5.0,
        5.0,
        np.nextafter(2.5, -np.inf),
        np.nextafter(0.0, -np.inf),
        np.nextafter(-2.5, -np.inf),
        np.nan,
        np.nan,
    ]
)

DirectionLike: TypeAlias = Direction | int
Method = Literal["target", "no_target"]


def direction_sign(direction: DirectionLike | str) -> int:
    """d of methodology.md: +1 higher is better, -1 lower is better, 0 none (not assessed)."""
    if isinstance(direction, str):
        direction = Direction(direction)
    if isinstance(direction, Direction):
        return {Direction.HIGHER_IS_BETTER: 1, Direction.LOWER_IS_BETTER: -1, Direction.NONE: 0}[direction]
    d = int(direction)
    if d not in (-1, 0, 1) or d != direction:
        raise ValueError(f"direction must be +1, -1, 0 or a Direction, not {direction!r}")
    return d


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeriesProgress:
    """The progress of one series. Field names follow Open SDG's calculation components.

    ``base_value`` and ``target`` are the values used (after a zero was replaced by 0.001,
    which ``zero_replaced`` flags). ``progress_value`` is R with a target, P without; it is
    also given for "target achieved" when the data allow it, and None when they do not.
    ``score`` is None exactly when the status is unable_to_assess or not_assessed.
    """

    base_value: float | None
    base_year: float | None
    current_value: float | None
    current_year: float | None
    target: float | None
    target_year: float | None
    direction: int
    limit: float | None
    progress_value: float | None
    status: Status
    score: float | None
    method: Method
    zero_replaced: bool = False
    c_factor: float | None = None
    reason: str | None = None

    @property
    def open_sdg_status(self) -> str:
        return OPEN_SDG_STATUS[self.status]


# --- the shared arithmetic (one code path for assess_series and assess_many) ----------------


def _cagr(a: Floats, b: Floats, ta: Floats, tb: Floats) -> Floats:
    """CAGR(a, b, ta, tb) = (a / b) ^ (1 / (ta - tb)) - 1 (methodology.md, notation)."""
    return np.power(a / b, 1.0 / (ta - tb)) - 1.0


def _ratio(directed: Floats, required: Floats) -> Floats:
    """R = directed / |required|; a zero required growth gives -inf, 0 or +inf (see module doc)."""
    safe = np.where(required > 0, required, 1.0)
    at_zero = np.where(directed == 0, 0.0, np.copysign(np.inf, directed))
    return np.where(required > 0, directed / safe, at_zero)


def _limit_factor(base: Floats, limit: Floats, d: Floats) -> Floats:
    """C of methodology.md, "without a target" rule 3; 1 where no limit or not in direction d."""
    b, lim = np.abs(base), np.abs(limit)
    applies = np.isfinite(limit) & (d * (limit - base) >= 0)
    safe_l = np.where(lim > 0, lim, 1.0)
    below = 1.0 - np.power(np.minimum(b / safe_l, 1.0), LIMIT_EXPONENT)
    above = 1.0 - np.power(np.clip((2.0 * lim - b) / safe_l, 0.0, 1.0), LIMIT_EXPONENT)
    c = np.where(b >= 2.0 * lim, 1.0, np.where(b <= lim, below, above))
    return np.where(applies, c, 1.0)


def _band(value: Floats, high: Floats | float, medium: Floats | float) -> Codes:
    """Status code from a progress value and the high/medium thresholds (low is 0)."""
    tol = THRESHOLD_TOLERANCE
    lower = np.where(value >= -tol, _LIM, _DET)
    return np.where(value >= high - tol, _ON, np.where(value >= medium - tol, _ACC, lower)).astype(np.int8)


def _clamp_to_band(raw: Floats, code: Codes) -> Floats:
    """Cap to [-5, 5] and keep within the band of the status (module docstring)."""
    clipped = np.clip(raw, _SCORE_MIN, _SCORE_MAX)
    return np.minimum(np.maximum(clipped, _BAND_LO[code]), _BAND_HI[code])


def _classify_ratio(r: Floats) -> tuple[Codes, Floats]:
    """Status code and score from R (methodology.md, "with a target" rules 3 and 4)."""
    code = _band(r, RATIO_HIGH, RATIO_MEDIUM)
    raw = np.where(r <= RATIO_MEDIUM, (r - RATIO_MEDIUM) / 0.24, (r - RATIO_MEDIUM) / 0.14)
    return code, _clamp_to_band(raw, code)


def _classify_growth(p: Floats, c: Floats) -> tuple[Codes, Floats]:
    """Status code and score from P and C (methodology.md, "without a target" rules 2-4)."""
    code = _band(p, GROWTH_HIGH * c, GROWTH_MEDIUM * c)
    negative = -2.5 + 2.5 * p / 0.02  # -5 at -2 %, -2.5 at 0
    x = p / np.where(c > 0, c, 1.0)  # P on the unscaled threshold basis
    positive = np.where(
        x < GROWTH_MEDIUM,
        -2.5 + 2.5 * x / GROWTH_MEDIUM,  # -2.5 at 0, 0 at 0.5 %
        np.where(
            x < GROWTH_HIGH,
            2.5 * (x - GROWTH_MEDIUM) / (GROWTH_HIGH - GROWTH_MEDIUM),  # 0 at 0.5 %, 2.5 at 1.5 %
            2.5 + 2.5 * (x - GROWTH_HIGH) / 0.005,  # 2.5 at 1.5 %, 5 at 2 %
        ),
    )
    held = p >= -THRESHOLD_TOLERANCE  # C = 0: the limit is held
    raw = np.where(c == 0, np.where(held, _SCORE_MAX, negative), np.where(p < 0, negative, positive))
    return code, _clamp_to_band(raw, code)


@dataclass(frozen=True, slots=True)
class _Computed:
    progress: Floats
    code: Codes
    score: Floats
    c_factor: Floats
    base_used: Floats
    target_used: Floats
    zero_replaced: Mask


def _compute(
    y0: Floats, yi: Floats, t0: Floats, ti: Floats, y_t: Floats, t_t: Floats,
    d: Floats, s: Floats, limit: Floats,
) -> _Computed:  # fmt: skip
    """The formulas of methodology.md on float64 arrays of one shape (NaN target = none).

    Elementwise only, so a row's result never depends on the other rows: assess_series and
    assess_many call this same function and agree to the last bit.
    """
    with np.errstate(all="ignore"):
        has_target = ~np.isnan(y_t)
        zero_base = y0 == 0
        zero_target = has_target & (y_t == 0)
        base = np.where(zero_base, s * ZERO_REPLACEMENT, y0)
        target = np.where(zero_target, s * ZERO_REPLACEMENT, y_t)
        directed = s * d * _cagr(yi, base, ti, t0)
        r = _ratio(directed, np.abs(_cagr(target, base, t_t, t0)))
        c = _limit_factor(base, limit, d)
        code_r, score_r = _classify_ratio(r)
        code_p, score_p = _classify_growth(directed, c)
        progress = np.where(has_target, r, directed)
    return _Computed(
        progress=progress,
        code=np.where(has_target, code_r, code_p).astype(np.int8),
        score=np.where(has_target, score_r, score_p),
        c_factor=np.where(has_target | np.isnan(limit), np.nan, c),
        base_used=base,
        target_used=target,
        zero_replaced=zero_base | zero_target,
    )


# --- one series -----------------------------------------------------------------------------


def _opt(x: float | None) -> float:
    return math.nan if x is None else float(x)


def _none_if_nan(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def assess_series(
    times: Sequence[float] | ArrayLike,
    values: Sequence[float] | ArrayLike,
    *,
    direction: DirectionLike,
    base_time: float | None = None,
    target: float | None = None,
    target_time: float | None = None,
    limit: float | None = None,
) -> SeriesProgress:
    """Assess one series (methodology.md; the module docstring lists the edge decisions).

    ``times`` are fractional years; NaN values (suppressed observations) are skipped and the
    observations are taken in time order. ``base_time`` is the configured base year as a
    fractional-year lower bound (2023 -> 2023.0): the base observation is the first at or after
    it (the first observation when None). The current observation is the last one.
    ``target_time`` is required with ``target``.
    """
    if target is not None and target_time is None:
        raise ValueError("a target needs a target_time (fractional year of the deadline)")
    target, target_time, limit = (None if x is None else float(x) for x in (target, target_time, limit))
    d = direction_sign(direction)
    method: Method = "no_target" if target is None else "target"
    obs = _observations(times, values)
    window = obs if base_time is None else [o for o in obs if o[0] >= base_time - TIME_TOLERANCE]
    base = window[0] if window else None
    current = obs[-1] if obs else None

    def result(status: Status, reason: str | None, score: float | None = None) -> SeriesProgress:
        return SeriesProgress(
            base_value=None if base is None else base[1],
            base_year=None if base is None else base[0],
            current_value=None if current is None else current[1],
            current_year=None if current is None else current[0],
            target=target, target_year=target_time, direction=d, limit=limit,
            progress_value=None, status=status, score=score, method=method, reason=reason,
        )  # fmt: skip

    if d == 0:
        return result(Status.NOT_ASSESSED, "no_direction")
    achieved = current is not None and target is not None and d * (current[1] - target) >= 0
    reason = _series_check(obs, window, target, target_time)
    out = None
    if reason is None:
        assert base is not None and current is not None
        s = -1.0 if any(v < 0 for _, v in window) or (target is not None and target < 0) else 1.0
        inputs = (base[1], current[1], base[0], current[0], target, target_time, d, s, limit)
        out = _compute(*(np.array([_opt(x)], dtype=np.float64) for x in inputs))
        reason = "not_computable" if math.isnan(out.progress[0]) else None
    if out is None or reason is not None:
        if achieved:
            return result(Status.TARGET_ACHIEVED, None, 5.0)
        return result(Status.UNABLE_TO_ASSESS, reason)
    assert base is not None and current is not None
    status = Status.TARGET_ACHIEVED if achieved else STATUS_CODES[out.code[0]]
    return SeriesProgress(
        base_value=float(out.base_used[0]),
        base_year=base[0],
        current_value=current[1],
        current_year=current[0],
        target=None if target is None else float(out.target_used[0]),
        target_year=target_time,
        direction=d,
        limit=limit,
        progress_value=float(out.progress[0]),
        status=status,
        score=5.0 if achieved else float(out.score[0]),
        method=method,
        zero_replaced=bool(out.zero_replaced[0]),
        c_factor=_none_if_nan(float(out.c_factor[0])),
    )


def _observations(times: Any, values: Any) -> list[tuple[float, float]]:
    """Finite (time, value) pairs in time order (stable: equal times keep their order)."""
    t = [float(x) for x in np.asarray(times, dtype=np.float64).ravel()]
    v = [float(x) for x in np.asarray(values, dtype=np.float64).ravel()]
    if len(t) != len(v):
        raise ValueError(f"times and values differ in length ({len(t)} and {len(v)})")
    pairs = [(a, b) for a, b in zip(t, v, strict=True) if math.isfinite(a) and math.isfinite(b)]
    return sorted(pairs, key=lambda p: p[0])


def _series_check(
    obs: list[tuple[float, float]],
    window: list[tuple[float, float]],
    target: float | None,
    target_time: float | None,
) -> str | None:
    """The first data check that fails (module docstring), or None."""
    if not obs:
        return "no_observations"
    if not window:
        return "no_base_observation"
    if len(window) < 2:
        return "too_few_observations"
    if window[-1][0] - window[0][0] < MIN_SPAN_YEARS - TIME_TOLERANCE:
        return "span_under_one_year"
    signed = [v for _, v in window] + ([] if target is None else [target])
    if any(v > 0 for v in signed) and any(v < 0 for v in signed):
        return "mixed_signs"
    if target is not None and target_time is not None and target_time - window[0][0] <= 0:
        return "target_year_not_after_base"
    return None


# --- many series at once --------------------------------------------------------------------


def _column(x: Any, n: int, name: str) -> Floats:
    """A per-series input as a float array of length n (None -> NaN, scalars broadcast)."""
    if x is None:
        return np.full(n, np.nan)
    arr = np.asarray(x, dtype=np.float64)
    try:
        return np.ascontiguousarray(np.broadcast_to(arr, (n,)), dtype=np.float64)
    except ValueError:
        raise ValueError(f"{name} has shape {arr.shape}; give a scalar or {n} values") from None


def _directions(directions: Any, n: int) -> Floats:
    arr = np.asarray(directions)
    if arr.dtype.kind in "OUS":
        arr = np.array([direction_sign(x) for x in np.broadcast_to(arr, (n,))], dtype=np.float64)
    d = _column(arr, n, "directions")
    if not np.all(np.isin(d, (-1.0, 0.0, 1.0))):
        raise ValueError("directions must be +1, -1 or 0")
    return d


def _time_ordered(t_shared: Floats | None, t: Floats, valid: Mask) -> bool:
    """True when every row's valid observations are already in non-decreasing time order."""
    if t_shared is not None:
        finite = t_shared[np.isfinite(t_shared)]
        return bool(np.all(finite[1:] >= finite[:-1]))
    key = np.where(valid, t, -np.inf)
    latest_before = np.maximum.accumulate(key, axis=1)[:, :-1]
    return bool(np.all(~valid[:, 1:] | (key[:, 1:] >= latest_before)))


def _rows_in_time_order(times: Floats, v: Floats) -> tuple[Floats, Floats, Mask]:
    """Times (2-D), values and validity mask, with each row's valid cells in time order.

    Invalid cells (NaN time or value) may stay anywhere; a stable sort (as in assess_series)
    is only done when some row is out of order.
    """
    t = np.broadcast_to(times, v.shape)
    valid = np.isfinite(v) & np.isfinite(t)
    if not _time_ordered(times if times.ndim == 1 else None, t, valid):
        order = np.argsort(np.where(valid, t, np.inf), axis=1, kind="stable")
        t = np.take_along_axis(t, order, axis=1)
        v = np.take_along_axis(v, order, axis=1)
        valid = np.take_along_axis(valid, order, axis=1)
    return t, v, valid


def assess_many(
    times_2d: ArrayLike,
    values_2d: ArrayLike,
    directions: ArrayLike,
    base_times: ArrayLike | None = None,
    targets: ArrayLike | None = None,
    target_times: ArrayLike | None = None,
    limits: ArrayLike | None = None,
) -> dict[str, Any]:
    """:func:`assess_series` for many series at once, vectorised with numpy.

    ``values_2d`` has one series per row, NaN-padded; ``times_2d`` has the same shape or is one
    shared time axis. Per-series inputs are arrays of length n or scalars; NaN (or None for the
    whole argument) means "none" for base_times, targets and limits. ``directions`` holds +1,
    -1 or 0 (or Direction values).

    Returns a dict of arrays of length n: ``status_code`` (int8 index into STATUS_CODES),
    ``status`` (list of Status), ``score``, ``progress_value``, ``base_value``, ``base_year``,
    ``current_value``, ``current_year``, ``target``, ``c_factor`` (float, NaN = None),
    ``zero_replaced`` (bool), ``reason_code`` (int8 index into REASONS) and ``reason`` (list).
    Every entry equals the corresponding field of assess_series for that row.
    """
    v = np.asarray(values_2d, dtype=np.float64)
    if v.ndim != 2:
        raise ValueError(f"values_2d must be 2-dimensional, not of shape {v.shape}")
    n, m = v.shape
    times = np.asarray(times_2d, dtype=np.float64)
    if times.shape not in (v.shape, (m,)):
        raise ValueError(f"times_2d has shape {times.shape}; give {v.shape} or ({m},)")
    d = _directions(directions, n)
    base_t, y_t, t_t, lim = (
        _column(x, n, name)
        for x, name in ((base_times, "base_times"), (targets, "targets"),
                        (target_times, "target_times"), (limits, "limits"))
    )  # fmt: skip
    has_target = ~np.isnan(y_t)
    if np.any(has_target & np.isnan(t_t)):
        raise ValueError("every target needs a target_time (fractional year of the deadline)")

    t, v, valid = _rows_in_time_order(times, v)
    rows = np.arange(n)
    lower = np.where(np.isnan(base_t), -np.inf, base_t - TIME_TOLERANCE)
    in_window = valid & (t >= lower[:, None])  # valid cells are in time order: a suffix
    i_base = np.argmax(in_window, axis=1)
    i_last = m - 1 - np.argmax(valid[:, ::-1], axis=1)
    has_obs, has_base = valid[rows, i_last], in_window[rows, i_base]
    n_window_ge_2 = has_base & (i_last > i_base)  # another valid cell after the base
    y0 = np.where(has_base, v[rows, i_base], np.nan)
    t0 = np.where(has_base, t[rows, i_base], np.nan)
    yi = np.where(has_obs, v[rows, i_last], np.nan)
    ti = np.where(has_obs, t[rows, i_last], np.nan)

    any_pos = (in_window & (v > 0)).any(axis=1) | (y_t > 0)  # zeros are sign-neutral
    any_neg = (in_window & (v < 0)).any(axis=1) | (y_t < 0)
    s = np.where(any_neg, -1.0, 1.0)
    out = _compute(y0, yi, t0, ti, y_t, t_t, d, s, lim)

    reason = np.select(
        [
            d == 0,
            ~has_obs,
            ~has_base,
            ~n_window_ge_2,
            ~(ti - t0 >= MIN_SPAN_YEARS - TIME_TOLERANCE),
            any_pos & any_neg,
            has_target & ~(t_t - t0 > 0),
            np.isnan(out.progress),
        ],
        [_R_NO_DIR, _R_NO_OBS, _R_NO_BASE, _R_FEW, _R_SPAN, _R_MIXED, _R_TARGET_TIME, _R_NAN],
        _R_NONE,
    ).astype(np.int8)
    ok = reason == _R_NONE
    achieved = (d != 0) & has_obs & has_target & (d * (yi - y_t) >= 0)

    code = np.where(achieved, _TA, np.where(d == 0, _NOT, np.where(ok, out.code, _UNABLE))).astype(np.int8)
    reason = np.where(achieved, _R_NONE, reason).astype(np.int8)
    score = np.where(achieved, 5.0, np.where(ok, out.score, np.nan))
    return {
        "status_code": code,
        "status": _STATUS_OBJECTS[code].tolist(),
        "score": score,
        "progress_value": np.where(ok, out.progress, np.nan),
        "base_value": np.where(ok, out.base_used, y0),
        "base_year": t0,
        "current_value": yi,
        "current_year": ti,
        "target": np.where(ok, out.target_used, y_t),
        "c_factor": np.where(ok, out.c_factor, np.nan),
        "zero_replaced": ok & out.zero_replaced,
        "reason_code": reason,
        "reason": _REASON_OBJECTS[reason].tolist(),
    }


# --- scores, statuses and aggregation -------------------------------------------------------


def status_from_score(score: float | None, *, target_achieved: bool = False) -> Status:
    """The status whose score band holds ``score`` (methodology.md, "with a target" rule 4).

    [2.5, 5] on track, [0, 2.5) acceleration needed, [-2.5, 0) limited, [-5, -2.5)
    deterioration; None or NaN -> unable to assess. "Target achieved" cannot be read from a
    score (+5 is also on track); pass ``target_achieved=True`` for it.
    """
    if target_achieved:
        return Status.TARGET_ACHIEVED
    if score is None or math.isnan(score):
        return Status.UNABLE_TO_ASSESS
    if score >= 2.5:
        return Status.ON_TRACK
    if score >= 0:
        return Status.ACCELERATION_NEEDED
    if score >= -2.5:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Score and status of a group of series (an indicator, a goal...)."""

    score: float | None
    status: Status
    n_series: int  # series (leaves) in the group
    n_assessed: int  # of which had a score


Item: TypeAlias = Union[float, SeriesProgress, Aggregate, Sequence["Item"], None]  # noqa: UP007


@dataclass(frozen=True, slots=True)
class _Node:
    score: float | None
    all_achieved: bool
    n_series: int
    n_assessed: int
    only_not_assessed: bool


def _leaf(item: Any) -> _Node:
    if isinstance(item, SeriesProgress):
        score, status = item.score, item.status
    elif isinstance(item, Aggregate):
        score, status = item.score, item.status
        if score is not None:
            return _Node(score, status is Status.TARGET_ACHIEVED, item.n_series, item.n_assessed, False)
        return _Node(None, False, item.n_series, 0, status is Status.NOT_ASSESSED)
    elif item is None or isinstance(item, numbers.Real):
        score = None if item is None or math.isnan(float(item)) else float(item)
        status = status_from_score(score)
    else:
        raise TypeError(f"cannot aggregate {type(item).__name__}; give scores, SeriesProgress or lists")
    if score is None or math.isnan(score):
        return _Node(None, False, 1, 0, status is Status.NOT_ASSESSED)
    return _Node(float(score), status is Status.TARGET_ACHIEVED, 1, 1, False)


def _node(item: Any) -> _Node:
    if isinstance(item, (SeriesProgress, Aggregate, numbers.Real)) or item is None:
        return _leaf(item)
    if isinstance(item, (str, bytes)):
        raise TypeError(f"cannot aggregate the text {item!r}; give scores, SeriesProgress or lists")
    children = [_node(x) for x in item]
    scored = [c for c in children if c.score is not None]
    scores = [c.score for c in scored if c.score is not None]
    return _Node(
        score=math.fsum(scores) / len(scores) if scores else None,
        all_achieved=bool(scored) and all(c.all_achieved for c in scored),
        n_series=sum(c.n_series for c in children),
        n_assessed=sum(c.n_assessed for c in children),
        only_not_assessed=bool(children) and all(c.only_not_assessed for c in children),
    )


def aggregate(items: Item) -> Aggregate:
    """Mean score of several series (methodology.md, edge rules: several series).

    ``items`` is a (nested) list of scores, SeriesProgress or Aggregate values; each list is
    averaged on its own first, so every group weighs equally whatever its size. Series without
    a score (unable to assess, not assessed, None) are left out; a group with none left is left
    out of its parent. The status comes from the score bands; "target achieved" only when every
    scored series achieved it (a bare number never counts as achieved). Nothing to score:
    not_assessed when every series is not assessed, else unable_to_assess.
    """
    node = _node(items)
    if node.score is None:
        status = Status.NOT_ASSESSED if node.only_not_assessed else Status.UNABLE_TO_ASSESS
    else:
        status = status_from_score(node.score, target_achieved=node.all_achieved)
    return Aggregate(node.score, status, node.n_series, node.n_assessed)
