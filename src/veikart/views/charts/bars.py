"""Grouped horizontal bars, one band per category and one bar per period (statistics with one
or two periods, survey questions with several answers)."""

from __future__ import annotations

from typing import Any

import altair as alt

from veikart.core.model import Indicator
from veikart.i18n import _
from veikart.views.charts._altair import _ch, _mark, _props, _wrap
from veikart.views.charts._parts import _axis_format, _unit_title, _value_scale


def _period_colours(n: int) -> list[str]:
    """Colours for n periods, oldest first; the latest is always the strong blue."""
    order = ["#0072B2", "#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#F0E442", "#000000"]
    return [order[i % len(order)] for i in range(n)][::-1]


def _grouped_bars(
    ind: Indicator,
    rows: list[dict[str, Any]],
    categories: list[str],
    groups: list[str],
    *,
    category_title: str,
    plot_width: int,
) -> tuple[alt.LayerChart, int]:
    """Horizontal bars: a band per category ("c"), one bar per group ("g", a period) inside it,
    coloured by group, its value ("f") written at the end. Returns the chart and its height."""
    wrapped = {c: "\n".join(_wrap(c, 36)) for c in categories}
    for r in rows:
        r["cw"] = wrapped[r["c"]]
    order = [wrapped[c] for c in categories]
    lines = max(w.count("\n") + 1 for w in order)
    band = max(len(groups) * 16 + 12, lines * 15 + 10)
    height = max(40, band * len(categories))
    y = _ch(
        alt.Y,
        "cw:N",
        sort=order,
        title=None,
        scale=_props(paddingInner=0.2),
        axis=_props(labelExpr="split(datum.value, '\\n')", labelLimit=330, labelLineHeight=14, tickSize=0),
    )
    y_offset = _ch(alt.YOffset, "g:N", sort=groups)
    x = _ch(
        alt.X,
        "v:Q",
        scale=_value_scale(ind),
        axis=_props(format=_axis_format(ind), title=_unit_title(ind), tickCount=5),
    )
    colour = _ch(
        alt.Color,
        "g:N",
        scale=_props(domain=groups, range=_period_colours(len(groups))),
        sort=groups,
        legend=_props(title=None, orient="bottom", direction="horizontal") if len(groups) > 1 else None,
    )
    tooltip = [
        _ch(alt.Tooltip, "c:N", title=category_title),
        _ch(alt.Tooltip, "g:N", title=_("Period")),
        _ch(alt.Tooltip, "f:N", title=_("Value")),
    ]
    base = alt.Chart(alt.NamedData("bars"))
    bars = _mark(base, "bar").encode(x=x, y=y, yOffset=y_offset, color=colour, tooltip=tooltip)
    text = _mark(base, "text", align="left", baseline="middle", dx=4, fontSize=11)
    text = text.encode(x=x, y=y, yOffset=y_offset, text=_ch(alt.Text, "f:N"))
    return alt.LayerChart(layer=[bars, text], width=plot_width, height=height), height
