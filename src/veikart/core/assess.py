"""Progress of a whole framework: from the model and its observations to statuses, scores and
projections per series and per indicator. Pure: numbers in, numbers out.

Rules (beyond methodology.md, decided here and documented in docs/progress.md):
- A series is one combination of dimension values. Its ambition is the one whose scope matches
  the series (scope {} matches the total series, {region: x} the series for region x with every
  other disaggregation blank; a unit or series dimension the scope leaves out may take any
  value). A series without an ambition is assessed without a target.
- A headline is a series whose disaggregations are all blank: the total when the indicator has
  no unit or series dimension, else one per unit (and series).
- The indicator's status is that of its headline when it has one (the national figure); the
  mean score of its headlines when it has several; otherwise the mean score of all its series
  (methodology.md's aggregation).
- An indicator with `assessed_series` is judged on those alone, each with its own direction,
  base year and limit: the mean of their scores, each weighing equally. One that matches no
  series because the repository has no headline for its unit or series falls back to the mean of
  that unit's (series') series, and the result's `reason` says so (`no_headline`); one that
  names a disaggregation the data lack counts for nothing (`no_series`).
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
from datetime import date
from functools import cached_property
from typing import TypedDict

import numpy as np

from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import (
    Ambition,
    AssessedSeries,
    DimensionRole,
    Direction,
    Indicator,
    IndicatorKind,
    ProjectionModel,
)
from veikart.core.periods import FISCAL_START, Period, PeriodKind
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
        steps = max(2, math.ceil((end - start) * 4) + 1)
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
    aggregated: bool = False  # True: status is the mean over series (no single headline)
    #: why the status is not what the metadata asked for: "no_headline" (an assessed series
    #: names a unit or series without a headline; the mean of its series is used instead) or
    #: "no_series" (an assessed series the data lack)
    reason: str | None = None
    missing: tuple[dict[str, str], ...] = ()  # the scopes of the assessed series not found

    @property
    def assessed(self) -> bool:
        return self.status not in (Status.NOT_ASSESSED,)


def deadline_time(deadline: date, kind: PeriodKind) -> float:
    """The deadline as the midpoint of the period (of the data's kind) that contains it."""
    match kind:
        case PeriodKind.YEAR | PeriodKind.YEAR_RANGE:
            return Period.parse(f"{deadline.year}").fractional_year()
        case PeriodKind.FISCAL_YEAR | PeriodKind.FISCAL_YEAR_RANGE:
            first = deadline.year if (deadline.month, deadline.day) >= FISCAL_START else deadline.year - 1
            return Period(date(first, *FISCAL_START), PeriodKind.FISCAL_YEAR).fractional_year()
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
    """The table's series in first-seen order, each sorted by time (then period), without empty
    or suppressed values."""
    # Each distinct period text is parsed once (a corpus has a few dozen, on 170,000 rows).
    known: dict[str, tuple[tuple[date, int, int], str, float, int]] = {}
    kinds = list(PeriodKind)
    by_key: dict[tuple[str, ...], list[tuple[tuple[date, int, int], str, float, int, float]]] = {}
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
        # by time (a range or fiscal year may start before a year that it ends after), then by
        # period; stable: equal periods keep their order
        points.sort(key=lambda pt: (pt[2], pt[0]))
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


def _free(ind: Indicator, dims: tuple[str, ...]) -> tuple[bool, ...]:
    """For each dimension: whether it is a unit or series dimension (not a disaggregation)."""
    roles = {d.id: d.role for d in ind.dimensions}
    return tuple(roles.get(d, DimensionRole.DISAGGREGATION) is not DimensionRole.DISAGGREGATION for d in dims)


def _matches(
    scope: dict[str, str], dims: tuple[str, ...], free: tuple[bool, ...], key: tuple[str, ...], *, loose: bool = False
) -> bool:
    """Whether a series (its key) is the one a scope selects: the scope's values, every other
    disaggregation blank (any value when `loose`), any unit or series the scope leaves out."""
    for d, f, v in zip(dims, free, key, strict=True):
        want = scope.get(d)
        if want is not None:
            if v != want:
                return False
        elif v and not f and not loose:
            return False
    return True


def _ambition_for(
    ind: Indicator, dims: tuple[str, ...], free: tuple[bool, ...], key: tuple[str, ...]
) -> Ambition | None:
    matches = [a for a in ind.ambitions if set(a.scope) <= set(dims) and _matches(a.scope, dims, free, key)]
    # the most specific first (a unit's own target before one for every unit), then the earliest
    return min(matches, key=lambda a: (-len(a.scope), a.deadline)) if matches else None


def _steered(ind: Indicator) -> bool:
    directed = ind.direction is not Direction.NONE or any(
        a.direction not in (None, Direction.NONE) for a in ind.assessed_series
    )
    return ind.kind is IndicatorKind.INDICATOR and not ind.projection_only and directed


def _sign(direction: Direction) -> int:
    return {Direction.HIGHER_IS_BETTER: 1, Direction.LOWER_IS_BETTER: -1}.get(direction, 0)


def _limit(ind: Indicator, direction: Direction | None = None) -> float | None:
    """The natural limit in the desired direction (methodology.md)."""
    lo, hi = ind.bounds()
    direction = direction or ind.direction
    if direction is Direction.HIGHER_IS_BETTER:
        return hi
    if direction is Direction.LOWER_IS_BETTER:
        return lo
    return None


@dataclass
class _Selection:
    """Which series of an indicator are assessed, with whose settings, and how they add up."""

    options: dict[int, AssessedSeries | None]  # series index -> its settings (None: the indicator's)
    groups: list[list[int]]  # series indices averaged together; the groups weigh equally
    headline: int | None  # the one series the status is, if it is one
    reason: str | None = None
    missing: tuple[dict[str, str], ...] = ()


def _select(ind: Indicator, dims: tuple[str, ...], free: tuple[bool, ...], series: list[_Series]) -> _Selection:
    if not ind.assessed_series:
        every = dict.fromkeys(range(len(series)))
        heads = [j for j, s in enumerate(series) if _matches({}, dims, free, s.key)]
        if len(heads) == 1:
            return _Selection(every, [heads], heads[0])
        return _Selection(every, [heads or list(range(len(series)))], None)
    options: dict[int, AssessedSeries | None] = {}
    groups: list[list[int]] = []
    reasons: list[str] = []
    missing: list[dict[str, str]] = []
    for sel in ind.assessed_series:
        known = set(sel.scope) <= set(dims)
        found = [j for j, s in enumerate(series) if known and _matches(sel.scope, dims, free, s.key)]
        if not found:
            headline_asked = all(free[dims.index(d)] for d in sel.scope if d in dims)
            missing.append(dict(sel.scope))
            if headline_asked and known:
                reasons.append("no_headline")
                found = [j for j, s in enumerate(series) if _matches(sel.scope, dims, free, s.key, loose=True)]
            else:
                reasons.append("no_series")
        for j in found:
            options.setdefault(j, sel)
        if found:
            groups.append(found)
    flat = [j for g in groups for j in g]
    headline = flat[0] if len(flat) == 1 and not reasons else None
    reason = "no_headline" if "no_headline" in reasons else (reasons[0] if reasons else None)
    return _Selection(options, groups, headline, reason, tuple(missing))


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
    pending: list[tuple[Indicator, list[_Series], list[Ambition | None], list[float | None], _Selection]] = []
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
        free = _free(ind, dims)
        ambitions = [_ambition_for(ind, dims, free, s.key) for s in series]
        t_times = [deadline_time(a.deadline, s.kind) if a else None for a, s in zip(ambitions, series, strict=True)]
        selection = _select(ind, dims, free, series)
        pending.append((ind, series, ambitions, t_times, selection))
        if not _steered(ind):
            continue
        base_year = ind.base_year if ind.base_year is not None else fw.base_year
        for j, (s, amb, tt) in enumerate(zip(series, ambitions, t_times, strict=True)):
            if j not in selection.options:
                continue
            sel = selection.options[j]
            direction = sel.direction if sel is not None and sel.direction is not None else ind.direction
            limit = sel.limit if sel is not None and sel.limit is not None else _limit(ind, direction)
            base = sel.base_year if sel is not None and sel.base_year is not None else base_year
            slots.append((len(pending) - 1, j))
            rows_t.append(s.times)
            rows_v.append(s.values)
            dirs.append(_sign(direction))
            bases.append(float(base))
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
    for pi, (ind, series, ambitions, t_times, selection) in enumerate(pending):
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
        results.append(_indicator_result(ind, tuple(srs), selection))
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


class _Why(TypedDict):
    """Why an indicator has no headline: IndicatorResult's `reason` and `missing`."""

    reason: str | None
    missing: tuple[dict[str, str], ...]


def _indicator_result(ind: Indicator, series: tuple[SeriesResult, ...], selection: _Selection) -> IndicatorResult:
    why = _Why(reason=selection.reason, missing=selection.missing)
    if not _steered(ind):
        return IndicatorResult(ind, Status.NOT_ASSESSED, None, _total(series), series)
    if not series:
        return IndicatorResult(ind, Status.UNABLE_TO_ASSESS, None, None, series, **why)
    if selection.headline is not None:
        head = series[selection.headline]
        if head.progress is not None:
            return IndicatorResult(ind, head.progress.status, head.progress.score, head, series, **why)
    if not selection.groups:
        return IndicatorResult(ind, Status.UNABLE_TO_ASSESS, None, None, series, aggregated=True, **why)
    agg: Aggregate = aggregate([[series[j].progress for j in g] for g in selection.groups])
    return IndicatorResult(ind, agg.status, agg.score, None, series, aggregated=True, **why)


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
