"""Progress of a whole framework: from the model and its observations to statuses, scores and
projections per series and per indicator. Pure: numbers in, numbers out.

Rules (beyond methodology.md, decided here and documented in docs/progress.md):
- A series is one combination of dimension values. Its ambition is the one whose scope matches
  the series exactly (scope {} matches the total series, {region: x} the series for region x
  with every other dimension blank). A series without an ambition is assessed without a target.
- The indicator's headline status is that of its total series when it has one (the national
  figure); otherwise the mean score of all its series (methodology.md's aggregation).
- Statistics, projection-only indicators and indicators without a direction get projections
  and no status (`not_assessed`).
- Times are period midpoints as fractional years (periods.py). A deadline counts at the
  midpoint of the period of the indicator's own frequency that contains it: "100 % by 2030"
  is compared with the 2030 value, "30 % by December 2029" with the December 2029 value.
- Suppressed observations and empty values are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date

import numpy as np

from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import Ambition, Direction, Indicator, IndicatorKind, ProjectionModel
from veikart.core.periods import Period, PeriodKind
from veikart.core.progress import Aggregate, SeriesProgress, Status, aggregate, assess_many
from veikart.core.projection import (
    DEFAULT_LEVEL,
    BacktestErrors,
    BacktestSummary,
    Fit,
    ProjectionError,
    RequiredPace,
    backtest,
    backtest_summary,
    expected_attainment,
    fit_many,
    project,
    required_pace,
)

__all__ = [
    "BacktestRow",
    "IndicatorResult",
    "ProjectionResult",
    "SeriesResult",
    "assess_framework",
    "backtest_framework",
    "deadline_time",
    "series_of",
]

HORIZON = 2100.0
#: No projection (path, band, attainment date, value at the deadline) from fewer observations:
#: every model has two parameters, so two points fit it exactly and leave no residual to measure
#: its uncertainty by; a third is the least that tests the trend at all (docs/progress.md).
MIN_PROJECTION_OBSERVATIONS = 3
#: A target at the natural limit (100 % where 100 % is the limit) counts as reached by the
#: projection once it comes within this share of the limit's range (0.5 percentage points of a
#: 0-100 % share): a saturating (logistic) path approaches its limit without ever touching it.
LIMIT_REACH_SHARE = 0.005


@dataclass(frozen=True)
class ProjectionResult:
    model: ProjectionModel
    fit: Fit
    level: float
    band_at_target: tuple[float, float] | None  # low, high at the target time
    value_at_target: float | None
    expected_attainment: float | None  # fractional year; None = not before `not_before`
    not_before: float | None
    required: RequiredPace | None
    start_time: float  # the last observation's time, where the path starts
    end_time: float  # where it ends: the horizon, or the deadline if later

    @cached_property
    def path(self) -> tuple[tuple[float, float, float, float], ...]:
        """The projected path from the last observation to the end, four points a year:
        (time, mid, low, high). Worked out when first asked for: of a corpus's thousands of
        series only the few that are drawn or described need theirs."""
        start, end = self.start_time, self.end_time
        steps = max(2, int(math.ceil((end - start) * 4)) + 1)
        grid = np.linspace(start, end, steps) if end > start else np.array([start])
        mid, low, high = project(self.fit, grid, level=self.level)
        return tuple(zip(grid.tolist(), mid.tolist(), low.tolist(), high.tolist(), strict=True))

    @cached_property
    def end(self) -> tuple[float, float, float, float]:
        """The path's last point (time, mid, low, high), without the rest of the path."""
        when = max(self.start_time, self.end_time)
        mid, low, high = project(self.fit, [when], level=self.level)
        return (when, float(mid[0]), float(low[0]), float(high[0]))


@dataclass(frozen=True)
class SeriesResult:
    indicator: str
    key: tuple[str, ...]
    dimensions: tuple[str, ...]
    periods: tuple[str, ...]
    times: tuple[float, ...]
    values: tuple[float, ...]
    ambition: Ambition | None
    target_time: float | None
    progress: SeriesProgress | None
    projection: ProjectionResult | None
    #: the pace needed from the latest observation to the ambition (also without a projection)
    required: RequiredPace | None = None
    #: the value the projection counts as reaching the ambition: the ambition itself, or just
    #: short of a natural limit (LIMIT_REACH_SHARE); None without an ambition
    reach_value: float | None = None

    @property
    def too_short_to_project(self) -> bool:
        return len(self.values) < MIN_PROJECTION_OBSERVATIONS

    @property
    def is_total(self) -> bool:
        return not any(self.key)

    @property
    def scope(self) -> dict[str, str]:
        return {d: v for d, v in zip(self.dimensions, self.key, strict=True) if v}


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    status: Status
    score: float | None
    headline: SeriesResult | None  # the total series when there is one
    series: tuple[SeriesResult, ...] = field(default_factory=tuple)
    aggregated: bool = False  # True: status is the mean over series (no total series)

    @property
    def assessed(self) -> bool:
        return self.status not in (Status.NOT_ASSESSED,)


def deadline_time(deadline: date, kind: PeriodKind) -> float:
    """The deadline as the midpoint of the period (of the data's kind) that contains it."""
    match kind:
        case PeriodKind.YEAR:
            return Period.parse(f"{deadline.year}").fractional_year()
        case PeriodKind.QUARTER:
            return Period.parse(f"{deadline.year}-Q{(deadline.month - 1) // 3 + 1}").fractional_year()
        case PeriodKind.MONTH:
            return Period.parse(f"{deadline.year}-{deadline.month:02d}").fractional_year()
        case _:
            return Period(deadline, PeriodKind.DATE).fractional_year()


@dataclass
class _Series:
    key: tuple[str, ...]
    periods: list[str]
    times: list[float]
    values: list[float]
    kind: PeriodKind


def series_of(table: ObservationTable) -> list[_Series]:
    """The table's series in first-seen order, each sorted by time, without empty or suppressed
    values."""
    # Each distinct period text is parsed once (a corpus has a few dozen, on 170,000 rows).
    known: dict[str, tuple[tuple[object, int], str, float, int]] = {}
    kinds = list(PeriodKind)
    by_key: dict[tuple[str, ...], list[tuple[tuple[object, int], str, float, int, float]]] = {}
    values, flags, periods, keys = table.values, table.flags, table.periods, table.keys
    for i in range(len(table)):
        value = values[i]
        if value is None or (flags[i] and "suppressed" in flags[i]):
            continue
        text = periods[i]
        p = known.get(text)
        if p is None:
            period = Period.parse(text)
            p = known[text] = (period._key(), str(period), period.fractional_year(), kinds.index(period.kind))
        by_key.setdefault(keys[i], []).append((*p, value))
    out = []
    for key, points in by_key.items():
        points.sort(key=lambda pt: pt[0])  # stable: equal periods keep their order
        out.append(
            _Series(
                key,
                [pt[1] for pt in points],
                [pt[2] for pt in points],
                [pt[4] for pt in points],
                kinds[min(pt[3] for pt in points)],
            )
        )
    return out


def _ambition_for(ind: Indicator, dims: tuple[str, ...], key: tuple[str, ...]) -> Ambition | None:
    scope = {d: v for d, v in zip(dims, key, strict=True) if v}
    matches = [a for a in ind.ambitions if a.scope == scope]
    return min(matches, key=lambda a: a.deadline) if matches else None


def _steered(ind: Indicator) -> bool:
    return (
        ind.kind is IndicatorKind.INDICATOR and not ind.projection_only and ind.direction is not Direction.NONE
    )


def _sign(direction: Direction) -> int:
    return {Direction.HIGHER_IS_BETTER: 1, Direction.LOWER_IS_BETTER: -1}.get(direction, 0)


def _limit(ind: Indicator) -> float | None:
    """The natural limit in the desired direction (methodology.md)."""
    lo, hi = ind.bounds()
    if ind.direction is Direction.HIGHER_IS_BETTER:
        return hi
    if ind.direction is Direction.LOWER_IS_BETTER:
        return lo
    return None


def _fits(ind: Indicator, series: list[_Series]) -> list[Fit | None]:
    """Each series' fit of the indicator's projection model (None where it cannot be fitted),
    all series at once."""
    if not series:
        return []
    model = ind.projection_model
    lo, hi = ind.bounds()
    logistic = model is ProjectionModel.LOGISTIC
    fits = fit_many(
        [s.times for s in series],
        [s.values for s in series],
        model,
        limit=hi if logistic else None,
        floor=lo if (logistic and lo is not None) else 0.0,
    )
    return [f if isinstance(f, Fit) else None for f in fits]


def reach_value(ind: Indicator, target: float) -> float:
    """The value that counts as reaching `target`: the target itself, or, for a target at the
    natural limit in the desired direction, the limit less LIMIT_REACH_SHARE of its range."""
    limit = _limit(ind)
    lo, hi = ind.bounds()
    if limit is None or target != limit or lo is None or hi is None:
        return target
    return target - _sign(ind.direction) * LIMIT_REACH_SHARE * (hi - lo)


def _required(ind: Indicator, s: _Series, target: float | None, target_time: float | None, now: float | None) -> RequiredPace | None:
    if target is None or target_time is None or not s.values:
        return None
    last = s.times[-1]
    start = now if now is not None else last
    return required_pace(max(start, last), s.values[-1], target, target_time, ind.projection_model)


def _project(
    ind: Indicator,
    s: _Series,
    f: Fit | None,
    target: float | None,
    target_time: float | None,
    end_time: float,
    required: RequiredPace | None,
    level: float,
) -> ProjectionResult | None:
    if f is None or len(s.values) < MIN_PROJECTION_OBSERVATIONS:
        return None
    last = s.times[-1]
    end = max(end_time, target_time or end_time)
    band = value = attain = not_before = None
    if target is not None and target_time is not None:
        m, a, b = project(f, [target_time], level=level)
        value, band = float(m[0]), (float(a[0]), float(b[0]))
        direction = ind.direction if ind.direction is not Direction.NONE else Direction.HIGHER_IS_BETTER
        attain = expected_attainment(f, reach_value(ind, target), _sign(direction), horizon=HORIZON)
        not_before = HORIZON if attain is None else None
    return ProjectionResult(f.model, f, level, band, value, attain, not_before, required, last, end)


def assess_framework(
    data: FrameworkData, *, now: float | None = None, level: float = DEFAULT_LEVEL
) -> list[IndicatorResult]:
    """Statuses, scores and projections for every indicator and statistic of the framework.

    `now` (fractional year) is when the required pace is counted from; default: each series'
    latest observation.
    """
    fw = data.framework
    horizon_end = Period.parse(str(fw.horizon_year)).fractional_year()
    pending: list[tuple[Indicator, list[_Series], list[Ambition | None], list[float | None]]] = []
    rows_t: list[list[float]] = []
    rows_v: list[list[float]] = []
    dirs: list[float] = []
    bases: list[float] = []
    targets: list[float] = []
    target_times: list[float] = []
    limits: list[float] = []
    slots: list[tuple[int, int]] = []  # (pending index, series index) for each assessed row
    for ind in data.indicators.values():
        table = data.observations.get(ind.id)
        series = series_of(table) if table is not None else []
        dims = table.dimensions if table is not None else tuple(d.id for d in ind.dimensions)
        ambitions = [_ambition_for(ind, dims, s.key) for s in series]
        t_times = [deadline_time(a.deadline, s.kind) if a else None for a, s in zip(ambitions, series, strict=True)]
        pending.append((ind, series, ambitions, t_times))
        if not _steered(ind):
            continue
        base_year = ind.base_year if ind.base_year is not None else fw.base_year
        limit = _limit(ind)
        for j, (s, amb, tt) in enumerate(zip(series, ambitions, t_times, strict=True)):
            slots.append((len(pending) - 1, j))
            rows_t.append(s.times)
            rows_v.append(s.values)
            dirs.append(_sign(ind.direction))
            bases.append(float(base_year))
            targets.append(amb.value if amb else math.nan)
            target_times.append(tt if tt is not None else math.nan)
            limits.append(limit if limit is not None else math.nan)

    assessed: dict[tuple[int, int], SeriesProgress] = {}
    if slots:
        width = max(len(r) for r in rows_t) or 1
        t2 = np.full((len(slots), width), np.nan)
        v2 = np.full((len(slots), width), np.nan)
        for i, (t, v) in enumerate(zip(rows_t, rows_v, strict=True)):
            t2[i, : len(t)] = t
            v2[i, : len(v)] = v
        out = assess_many(t2, v2, np.array(dirs), np.array(bases), np.array(targets), np.array(target_times), np.array(limits))
        for i, slot in enumerate(slots):
            assessed[slot] = _series_progress(out, i, dirs[i], targets[i], target_times[i], limits[i])

    results: list[IndicatorResult] = []
    for pi, (ind, series, ambitions, t_times) in enumerate(pending):
        table = data.observations.get(ind.id)
        dims = table.dimensions if table is not None else tuple(d.id for d in ind.dimensions)
        fits = _fits(ind, series)
        srs = []
        for j, (s, amb, tt, f) in enumerate(zip(series, ambitions, t_times, fits, strict=True)):
            target = amb.value if amb else None
            required = _required(ind, s, target, tt, now)
            srs.append(
                SeriesResult(
                    ind.id,
                    s.key,
                    dims,
                    tuple(s.periods),
                    tuple(s.times),
                    tuple(s.values),
                    amb,
                    tt,
                    assessed.get((pi, j)),
                    _project(ind, s, f, target, tt, horizon_end, required, level),
                    required,
                    reach_value(ind, target) if target is not None else None,
                )
            )
        results.append(_indicator_result(ind, tuple(srs)))
    return results


def _nan_none(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _series_progress(out: dict, i: int, d: float, target: float, target_time: float, limit: float) -> SeriesProgress:
    has_target = not math.isnan(target)
    return SeriesProgress(
        base_value=_nan_none(out["base_value"][i]),
        base_year=_nan_none(out["base_year"][i]),
        current_value=_nan_none(out["current_value"][i]),
        current_year=_nan_none(out["current_year"][i]),
        target=_nan_none(out["target"][i]) if has_target else None,
        target_year=target_time if has_target else None,
        direction=int(d),
        limit=None if math.isnan(limit) else limit,
        progress_value=_nan_none(out["progress_value"][i]),
        status=out["status"][i],
        score=_nan_none(out["score"][i]),
        method="target" if has_target else "no_target",
        zero_replaced=bool(out["zero_replaced"][i]),
        c_factor=_nan_none(out["c_factor"][i]),
        reason=out["reason"][i],
    )


def _indicator_result(ind: Indicator, series: tuple[SeriesResult, ...]) -> IndicatorResult:
    if not _steered(ind):
        return IndicatorResult(ind, Status.NOT_ASSESSED, None, _total(series), series)
    if not series:
        return IndicatorResult(ind, Status.UNABLE_TO_ASSESS, None, None, series)
    total = _total(series)
    if total is not None and total.progress is not None:
        return IndicatorResult(ind, total.progress.status, total.progress.score, total, series)
    agg: Aggregate = aggregate([s.progress for s in series])
    return IndicatorResult(ind, agg.status, agg.score, None, series, aggregated=True)


def _total(series: tuple[SeriesResult, ...]) -> SeriesResult | None:
    return next((s for s in series if s.is_total), None)


@dataclass(frozen=True)
class BacktestRow:
    model: ProjectionModel
    summary: BacktestSummary
    chosen_by: int  # series whose metadata names this model


def backtest_framework(data: FrameworkData, holdout: int = 1) -> list[BacktestRow]:
    """Hold out the last `holdout` observations of every series with enough points (at least
    two left to fit), project from the rest with each model, and summarise the errors per model
    (methodology.md: "so the choice of model is evidence, not taste")."""
    results: dict[ProjectionModel, list[BacktestErrors]] = {m: [] for m in ProjectionModel}
    chosen = dict.fromkeys(ProjectionModel, 0)
    for ind in data.indicators.values():
        table = data.observations.get(ind.id)
        if table is None:
            continue
        lo, hi = ind.bounds()
        for s in series_of(table):
            if len(s.values) < holdout + 2:
                continue
            chosen[ind.projection_model] += 1
            for model in ProjectionModel:
                try:
                    errors = backtest(
                        s.times,
                        s.values,
                        model,
                        holdout,
                        limit=hi if model is ProjectionModel.LOGISTIC else None,
                        floor=lo if (model is ProjectionModel.LOGISTIC and lo is not None) else 0.0,
                    )
                except (ProjectionError, ValueError):
                    continue
                results[model].append(errors)
    return [BacktestRow(m, backtest_summary(results[m]), chosen[m]) for m in ProjectionModel]
