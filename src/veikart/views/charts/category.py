"""The category chart of a statistic: one line per category, small multiples beyond
`MAX_LINES` categories, or grouped bars with only one or two periods."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import altair as alt

from veikart.core.assess import IndicatorResult
from veikart.core.dataset import ObservationTable
from veikart.core.periods import Period
from veikart.i18n import _
from veikart.views import vocabulary
from veikart.views.charts._altair import _ch, _mark, _props, _unchecked, _v, _wrap
from veikart.views.charts._alttext import _change_sentence, _join
from veikart.views.charts._frame import _empty, _finish
from veikart.views.charts._parts import (
    _annual,
    _axis_format,
    _line_colours,
    _ordered,
    _point,
    _series_legend,
    _tooltip,
    _unit_title,
    _value_scale,
    _x_years,
)
from veikart.views.charts.bars import _grouped_bars
from veikart.views.charts.provenance import _provenance, illustrative_notice
from veikart.views.charts.style import _FIT, MAX_LINES, SHAPES, SINGLE_COLOUR, WIDTH
from veikart.views.chartspec import ChartSpec
from veikart.views.format import fmt_period, fmt_value


@_unchecked
def category_chart(
    result: IndicatorResult,
    table: ObservationTable | None,
    *,
    chart_id: str,
    vintage: str | date | None = None,
    show_title: bool = True,
) -> ChartSpec:
    """A statistic: one line per category (small multiples beyond `MAX_LINES` categories), or
    grouped bars when there are only one or two periods."""
    ind = result.indicator
    series = _ordered(result)
    prov = _provenance(ind, table, vintage)
    title = vocabulary.translated(ind, "title")
    if not series:
        return _empty(chart_id=chart_id, title=title, prov=prov, show_title=show_title)
    names = [vocabulary.series_name(ind, s.scope) for s in series]
    dims = series[-1].dimensions
    dim_title = vocabulary.dimension_title(ind, dims[0]) if dims and len(series) > 1 else _("Series")
    periods = sorted({p for s in series for p in s.periods}, key=Period.parse)
    notice = [illustrative_notice()] if prov.illustrative else []
    key: list[str] = []
    data: dict[str, list[dict[str, Any]]]
    chart: alt.LayerChart | alt.FacetChart
    if len(periods) <= 2:
        groups = [fmt_period(p) for p in periods]
        one = len(series) == 1  # one series: a bar per period
        rows: list[dict[str, Any]] = []
        for s, name in zip(series, names, strict=True):
            for p, v in zip(s.periods, s.values, strict=True):
                g = fmt_period(p)
                rows.append({"c": g if one else name, "g": g, "v": _v(ind, v), "f": fmt_value(v, ind.unit)})
        chart, plot_h = _grouped_bars(
            ind, rows, groups if one else names, groups, category_title=dim_title, plot_width=520
        )
        data = {"bars": rows}
        size = (WIDTH, plot_h + 120)
        if one:
            parts = [f"{r['g']}: {r['f']}" for r in rows]
        else:
            parts = [g + ": " + _join([r["c"] + " " + r["f"] for r in rows if r["g"] == g]) for g in groups]
        sentences = [_("Bar chart") + ".", "; ".join(parts) + "."]
    else:
        multi = len(series) > 1
        facet = len(series) > MAX_LINES
        annual = _annual(series)
        x0 = math.floor(min(s.times[0] for s in series))
        x1 = max(math.ceil(max(s.times[-1] for s in series)), x0 + 1)
        colours = _line_colours(series, one_colour=facet)
        shapes = [SHAPES[i % len(SHAPES)] for i in range(len(series))]
        obs = []
        for s, name in zip(series, names, strict=True):
            width = 3.0 if s.is_total and multi else 2.0
            for p, t, v in zip(s.periods, s.times, s.values, strict=True):
                row = _point(ind, name, p, t, v, width)
                if facet:
                    row["h"] = "\n".join(_wrap(name, 22))
                obs.append(row)
        data = {"obs": obs}
        x = _x_years(x0, x1, annual)
        y_title = None if facet else _unit_title(ind)  # small multiples: in the subtitle instead
        y_axis = _props(format=_axis_format(ind), title=y_title, tickCount=4 if facet else 5)
        y = _ch(alt.Y, "v:Q", scale=_value_scale(ind), axis=y_axis)
        if facet:
            line = _mark(alt.Chart(), "line", color=SINGLE_COLOUR, strokeWidth=2).encode(x=x, y=y)
            points = _mark(alt.Chart(), "point", color=SINGLE_COLOUR, filled=True, size=22, opacity=1)
            points = points.encode(x=x, y=y, tooltip=_tooltip(dim_title))
            columns, cell = 6, (86, 80)
            headers = ["\n".join(_wrap(n, 22)) for n in names]
            header = _props(
                labelExpr="split(datum.value, '\\n')",
                labelLimit=0,
                labelFontSize=10,
                labelPadding=4,
                labelBaseline="bottom",
            )
            chart = (
                alt.LayerChart(data=alt.NamedData("obs"), layer=[line, points], width=cell[0], height=cell[1])
                .facet(
                    facet=_ch(alt.Facet, "h:N", sort=headers, title=None, header=header),
                    columns=columns,
                    spacing={"row": 12, "column": 12},
                )
            )
            size = (WIDTH, math.ceil(len(series) / columns) * (cell[1] + 70) + 110)
            key = [_("{unit}; one panel per category, on the same scale.").format(unit=_unit_title(ind))]
        else:
            legend = _series_legend(dim_title, names) if multi else None
            colour = _ch(
                alt.Color, "s:N", scale=_props(domain=names, range=colours), sort=names, legend=legend
            )
            shape = _ch(
                alt.Shape, "s:N", scale=_props(domain=names, range=shapes), sort=names, legend=legend
            )
            base = alt.Chart(alt.NamedData("obs"))
            width_enc = _ch(alt.StrokeWidth, "w:Q", scale=None)
            line = _mark(base, "line").encode(
                x=x, y=y, color=colour, strokeWidth=width_enc, detail=_ch(alt.Detail, "s:N")
            )
            points = _mark(base, "point", filled=True, size=40, opacity=1).encode(
                x=x, y=y, color=colour, shape=shape, tooltip=_tooltip(dim_title)
            )
            size = (WIDTH, 400 if multi else 360)
            chart = alt.LayerChart(layer=[line, points], width=size[0], height=size[1], autosize=_FIT)
        sentences = [_("Line chart") + "."]
        if multi:
            last = periods[-1]
            pairs = zip(series, names, strict=True)
            latest = sorted(
                ((s.values[-1], n) for s, n in pairs if s.periods[-1] == last), key=lambda vn: -vn[0]
            )
            p0, p1 = fmt_period(periods[0]), fmt_period(last)
            values = _join([f"{n} {fmt_value(v, ind.unit)}" for v, n in latest])
            sentences.append(_("{n} series from {p0} to {p1}.").format(n=len(series), p0=p0, p1=p1))
            sentences.append(_("Latest values ({period}): {values}.").format(period=p1, values=values))
        else:
            sentences.append(_change_sentence(ind, series[0]))
    if prov.illustrative:
        sentences.append(illustrative_notice() + ".")
    return _finish(
        chart,
        data,
        chart_id=chart_id,
        title=title,
        subtitle=notice + key,
        show_title=show_title,
        alt_text=" ".join(sentences),
        prov=prov,
        size=size,
    )
