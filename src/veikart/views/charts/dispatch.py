"""Which chart an indicator gets (`chart_kind`) and the chart itself (`chart_for`), with at
most `MAX_CHART_SERIES` series drawn."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from veikart.core.assess import IndicatorResult
from veikart.core.dataset import FrameworkData
from veikart.core.model import IndicatorKind
from veikart.i18n import _
from veikart.views.charts.category import category_chart
from veikart.views.charts.progress import progress_chart
from veikart.views.charts.survey import survey_chart
from veikart.views.chartspec import ChartSpec


def chart_kind(result: IndicatorResult) -> str | None:
    """'survey', 'category' or 'progress'; None when there is nothing to draw."""
    ind = result.indicator
    if not any(s.values for s in result.series):
        return None
    if ind.survey is not None:
        return "survey"
    if ind.kind is IndicatorKind.STATISTIC:
        return "category"
    if (
        not ind.ambitions
        and not ind.projection_only
        and len(result.series) > 1
        and not any(s.is_total for s in result.series)
    ):
        return "category"  # a breakdown without a total or an ambition has nothing to progress towards
    return "progress"


def chart_for(
    result: IndicatorResult,
    data: FrameworkData,
    chart_id: str,
    *,
    vintage: str | date | None = None,
    show_title: bool = True,
) -> ChartSpec | None:
    """The chart of an indicator, or None when it has no observations (the report's
    `ChartFactory`)."""
    kind = chart_kind(result)
    if kind is None:
        return None
    table = data.observations.get(result.indicator.id)
    common: dict[str, Any] = {"chart_id": chart_id, "vintage": vintage, "show_title": show_title}
    shown, note = _limit_series(result)
    if kind == "survey":
        chart = survey_chart(shown, table, **common)
    elif kind == "category":
        chart = category_chart(shown, table, **common)
    else:
        chart = progress_chart(shown, table, horizon_year=data.framework.horizon_year, **common)
    if note:
        chart = replace(chart, alt=f"{chart.alt} {note}", provenance=f"{chart.provenance} {note}")
        chart.spec["description"] = chart.alt
    return chart


#: A chart draws at most this many series; an indicator with more (an SDG indicator split by
#: 374 local authorities) shows its total and the largest ones, and says so. A chart of
#: thousands of series is unreadable, and Vega itself gives up on it.
MAX_CHART_SERIES = 24


def _limit_series(result: IndicatorResult) -> tuple[IndicatorResult, str | None]:
    if len(result.series) <= MAX_CHART_SERIES:
        return result, None
    total = [s for s in result.series if s.is_total]
    rest = sorted(
        (s for s in result.series if not s.is_total and s.values),
        key=lambda s: (-abs(s.values[-1]), s.key),
    )
    keep = set(map(id, (total + rest)[:MAX_CHART_SERIES]))
    shown = tuple(s for s in result.series if id(s) in keep)
    note = _(
        "The chart shows {shown} of {all} series (the total and those with the largest latest "
        "values); the open data hold them all."
    ).format(shown=len(shown), all=len(result.series))
    return replace(result, series=shown), note
