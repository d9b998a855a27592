"""The parts the chart kinds share: the series in order and their colours, the year axis, the
value scale and format, the series legend, the tooltip and an observation as drawn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from veikart.core.assess import IndicatorResult, SeriesResult
from veikart.core.model import Indicator, Unit
from veikart.core.periods import Period, PeriodKind
from veikart.i18n import _
from veikart.i18n.labels import label
from veikart.views import vocabulary
from veikart.views.charts._altair import _capital, _ch, _props, _r, _v
from veikart.views.charts.style import PALETTE, SINGLE_COLOUR, TOTAL_COLOUR
from veikart.views.format import fmt_period, fmt_value


def _axis_format(ind: Indicator) -> str:
    if ind.unit is Unit.PERCENT:
        return ".0%"
    if ind.unit in (Unit.COUNT, Unit.DAYS):
        return ",d"
    return ",.2~f"


def _clip(ind: Indicator, value: float) -> float:
    """Within what the indicator can take (a share stays within 0-100 %, a count above 0)."""
    lo, hi = ind.bounds()
    if lo is not None:
        value = max(lo, value)
    return min(hi, value) if hi is not None else value


def _unit_title(ind: Indicator) -> str:
    return _capital(vocabulary.translated(ind, "unit_label") or label(ind.unit))


def _ordered(result: IndicatorResult) -> list[SeriesResult]:
    """The series with observations: the total first, then the dimension values as declared."""
    ind = result.indicator
    codes = {d.id: d.codes() for d in ind.dimensions}

    def rank(s: SeriesResult) -> tuple[int, tuple[int, ...]]:
        order = []
        for d, v in zip(s.dimensions, s.key, strict=True):
            known = codes.get(d, [])
            order.append(-1 if not v else known.index(v) if v in known else len(known))
        return (1 if any(s.key) else 0, tuple(order))

    return sorted((s for s in result.series if s.values), key=rank)


def _line_colours(series: Sequence[SeriesResult], *, one_colour: bool = False) -> list[str]:
    """Black for the total among several series, else the palette in order."""
    if len(series) == 1 or one_colour:
        return [SINGLE_COLOUR] * len(series)
    out, k = [], 0
    for s in series:
        if s.is_total:
            out.append(TOTAL_COLOUR)
        else:
            out.append(PALETTE[k % len(PALETTE)])
            k += 1
    return out

def _year_axis(x0: int, x1: int, *, annual: bool, title: str | None = None) -> dict[str, Any]:
    """Year labels: under the middle of each year for annual data (where their points sit), at
    the start of each year otherwise."""
    span = max(1, x1 - x0)
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    off = 0.5 if annual else 0.0
    values = [y + off for y in range(x0, x1) if (y - x0) % step == 0]
    return _props(
        values=values, labelExpr="floor(datum.value)", grid=not annual, title=title, labelFlush=False
    )


def _annual(series: Sequence[SeriesResult]) -> bool:
    return all(Period.parse(p).kind is PeriodKind.YEAR for s in series for p in s.periods)


def _point(ind: Indicator, name: str, period: str, t: float, v: float, width: float) -> dict[str, Any]:
    """An observation as drawn: time, value, series, period and value as read, line width."""
    return {
        "t": _r(t),
        "v": _v(ind, v),
        "s": name,
        "p": fmt_period(period),
        "f": fmt_value(v, ind.unit),
        "w": width,
    }


def _x_years(x0: int, x1: int, annual: bool) -> Any:
    scale = _props(domain=[x0, x1], nice=False, zero=False)
    return _ch(alt.X, "t:Q", scale=scale, axis=_year_axis(x0, x1, annual=annual))


def _value_scale(ind: Indicator) -> dict[str, Any]:
    """0-100 % for shares; otherwise from zero."""
    if ind.unit is Unit.PERCENT:
        return _props(domain=[0, 1], nice=False)
    return _props(zero=True, nice=True)


def _series_legend(title: str | None, names: Sequence[str]) -> dict[str, Any]:
    """One legend for colour and shape (same field, same title, so Vega-Lite merges them)."""
    return _props(title=title, orient="bottom", columns=min(len(names), 3), symbolStrokeWidth=2)


def _tooltip(series_title: str) -> list[alt.Tooltip]:
    return [
        _ch(alt.Tooltip, "s:N", title=series_title),
        _ch(alt.Tooltip, "p:N", title=_("Period")),
        _ch(alt.Tooltip, "f:N", title=_("Value")),
    ]
