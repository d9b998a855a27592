"""The progress chart ("Framdrift mot 2030"): the observed series, the ambition and good level,
and the projection with its uncertainty band."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import altair as alt

from veikart.core.assess import IndicatorResult, SeriesResult
from veikart.core.dataset import ObservationTable
from veikart.core.model import Unit
from veikart.i18n import _, fmt_percent
from veikart.i18n.labels import label
from veikart.views import vocabulary
from veikart.views.charts._altair import _ch, _mark, _props, _r, _unchecked, _v, _wrap
from veikart.views.charts._alttext import _change_sentence, _join
from veikart.views.charts._frame import _empty, _finish
from veikart.views.charts._parts import (
    _annual,
    _axis_format,
    _clip,
    _line_colours,
    _ordered,
    _point,
    _series_legend,
    _tooltip,
    _unit_title,
    _x_years,
)
from veikart.views.charts.provenance import _provenance, illustrative_notice
from veikart.views.charts.style import (
    _FIT,
    AMBITION_COLOUR,
    AMBITION_DASH,
    AMBITION_TEXT,
    GOOD_COLOUR,
    GOOD_DASH,
    GOOD_TEXT,
    PROJECTION_DASH,
    SHAPES,
    WIDTH,
)
from veikart.views.chartspec import ChartSpec
from veikart.views.explain import model_name
from veikart.views.format import fmt_deadline, fmt_period, fmt_value


def _quoted_projection(
    s: SeriesResult, horizon_year: int
) -> tuple[float, str, tuple[float, float] | None] | None:
    """The projected value to quote, where, and its band: at the ambition's deadline, else at
    the horizon."""
    proj = s.projection
    if proj is None or len(proj.path) < 2:
        return None
    if s.ambition is not None and proj.value_at_target is not None:
        band = proj.band_at_target if proj.fit.band_available else None
        return proj.value_at_target, fmt_deadline(s.ambition.deadline), band
    t, mid, low, high = min(proj.path, key=lambda p: abs(p[0] - (horizon_year + 0.5)))
    return mid, str(int(t)), ((low, high) if proj.fit.band_available else None)


@_unchecked
def progress_chart(
    result: IndicatorResult,
    table: ObservationTable | None,
    *,
    horizon_year: int,
    chart_id: str,
    vintage: str | date | None = None,
    show_title: bool = True,
) -> ChartSpec:
    """"Progress towards 2030": observations, ambition(s), good level and projection.

    With several series (e.g. regions) each gets a colour and a point shape, and the total is
    black and thicker; every series with a projection gets its dashed line, the emphasised
    series (the total, or the only series) also its band and value labels.
    """
    ind = result.indicator
    series = _ordered(result)
    prov = _provenance(ind, table, vintage)
    title = _("Progress towards {year}").format(year=horizon_year)
    if not series:
        return _empty(chart_id=chart_id, title=title, prov=prov, show_title=show_title)
    multi = len(series) > 1
    names = [vocabulary.series_name(ind, s.scope) for s in series]
    colours = _line_colours(series)
    shapes = [SHAPES[i % len(SHAPES)] for i in range(len(series))]
    lead = next((s for s in series if s.is_total), None) or (series[0] if not multi else None)
    lead_name = vocabulary.series_name(ind, lead.scope) if lead is not None else None
    annual = _annual(series)

    # x: whole years from the first observation to the horizon, or a later deadline; without a
    # projection or an ambition to the last observation only (nothing is drawn beyond it)
    targets = [s.target_time for s in series if s.ambition is not None and s.target_time is not None]
    x0 = math.floor(min(s.times[0] for s in series))
    ahead = bool(targets) or any(s.projection is not None for s in series)
    x1 = max(horizon_year + 1 if ahead else 0, math.ceil(max(s.times[-1] for s in series)), *(math.ceil(t) for t in targets))

    obs, proj, band = [], [], []
    for s, name in zip(series, names, strict=True):
        width = 3.0 if s is lead else 1.75
        for p, t, v in zip(s.periods, s.times, s.values, strict=True):
            obs.append(_point(ind, name, p, t, v, width))
        if s.projection is None or len(s.projection.path) < 2:
            continue
        for t, mid, low, high in s.projection.path:
            if t > x1:
                break
            proj.append(
                {"t": _r(t), "v": _v(ind, _clip(ind, mid)), "s": name, "w": 2.0 if s is lead else 1.25}
            )
            if s is lead and s.projection.fit.band_available:
                band.append({"t": _r(t), "lo": _v(ind, _clip(ind, low)), "hi": _v(ind, _clip(ind, high))})

    # ambitions: one marker per distinct (deadline, value), named by series where they differ
    ambitions: dict[tuple[float, float], list[SeriesResult]] = {}
    for s in series:
        if s.ambition is not None and s.target_time is not None:
            ambitions.setdefault((_r(s.target_time), s.ambition.value), []).append(s)
    amb_rows = []
    for (t, value), owners in ambitions.items():
        text = _("Ambition {value}").format(value=fmt_value(value, ind.unit))
        if len(ambitions) > 1:
            text += f" ({', '.join(vocabulary.series_name(ind, s.scope) for s in owners)})"
        amb_rows.append({"t": t, "v": _v(ind, value), "f": text})
    goods = sorted({g for s in series if s.ambition and (g := s.ambition.good_level) is not None})
    good_text = _("Good level {value}")
    good_rows = [
        {"t": _r(x0 + 0.05), "v": _v(ind, g), "f": good_text.format(value=fmt_value(g, ind.unit))}
        for g in goods
    ]
    quoted = _quoted_projection(lead, horizon_year) if lead is not None else None
    labels = []
    if lead is not None:
        last_value = lead.values[-1]
        labels.append(
            {"t": _r(lead.times[-1]), "v": _v(ind, last_value), "f": fmt_value(last_value, ind.unit)}
        )
    end_labels = []
    if quoted is not None and proj:
        end = next(r for r in reversed(proj) if r["s"] == lead_name)
        end_labels.append({"t": end["t"], "v": end["v"], "f": fmt_value(_clip(ind, quoted[0]), ind.unit)})

    # y: shares from 0 % to 100 %, or to a tenth above the highest value when that is below 60 %
    # (PLL's 30 % ambition would otherwise be a flat line at the bottom); otherwise from zero,
    # clipping a band that would dwarf the rest
    clip_band = False
    if ind.unit is Unit.PERCENT:
        core = [r["v"] for r in obs + proj + amb_rows + good_rows] + [r["hi"] for r in band]
        top = max(core, default=1.0)
        upper = 1.0 if top > 0.6 else min(1.0, math.ceil(top * 1.15 * 10) / 10)
        y_scale, clip_band = _props(domain=[0, upper], nice=False), upper < 1.0
    else:
        core = [r["v"] for r in obs + proj + amb_rows + good_rows]
        top, bottom = max(core), min(0.0, *core)
        if max((r["hi"] for r in band), default=top) > 1.5 * top > 0:
            y_scale, clip_band = _props(domain=[bottom, _r(1.5 * top)], nice=True), True
        else:
            y_scale = _props(zero=True, nice=True)
    x = _x_years(x0, x1, annual)
    y_axis = _props(format=_axis_format(ind), title=_unit_title(ind), tickCount=5)
    y = _ch(alt.Y, "v:Q", scale=y_scale, axis=y_axis)
    dims = series[-1].dimensions
    legend = _series_legend(vocabulary.dimension_title(ind, dims[0]) if dims else None, names) if multi else None
    colour = _ch(alt.Color, "s:N", scale=_props(domain=names, range=colours), sort=names, legend=legend)
    shape = _ch(alt.Shape, "s:N", scale=_props(domain=names, range=shapes), sort=names, legend=legend)
    width = _ch(alt.StrokeWidth, "w:Q", scale=None)

    data: dict[str, list[dict[str, Any]]] = {"obs": obs}
    layers: list[alt.Chart] = []
    if band and lead_name is not None:
        data["band"] = band
        layers.append(
            _mark(
                alt.Chart(alt.NamedData("band")),
                "area",
                opacity=0.2, color=colours[names.index(lead_name)], clip=clip_band,
            )
            .encode(x=x, y=_ch(alt.Y, "lo:Q", scale=y_scale, axis=y_axis), y2=alt.Y2(field="hi"))
        )
    if good_rows:
        data["good"] = good_rows
        good = alt.Chart(alt.NamedData("good"))
        rule = _mark(good, "rule", color=GOOD_COLOUR, strokeDash=GOOD_DASH, strokeWidth=1.5)
        layers.append(rule.encode(y=y))
        layers.append(
            _mark(good, "text", align="left", baseline="top", dy=4, color=GOOD_TEXT, fontSize=11)
            .encode(x=x, y=y, text=_ch(alt.Text, "f:N"))
        )
    if amb_rows:
        data["ambition"] = amb_rows
        layers.append(
            _mark(
                alt.Chart(alt.NamedData("ambition")),
                "rule",
                color=AMBITION_COLOUR, strokeDash=AMBITION_DASH, strokeWidth=1.25, opacity=0.8,
            )
            .encode(y=y)
        )
    if proj:
        data["projection"] = proj
        layers.append(
            _mark(alt.Chart(alt.NamedData("projection")), "line", strokeDash=PROJECTION_DASH, clip=True)
            .encode(x=x, y=y, color=colour, strokeWidth=width, detail=_ch(alt.Detail, "s:N"))
        )
    observed = alt.Chart(alt.NamedData("obs"))
    dense = max(len(s.values) for s in series) > 24
    layers.append(
        _mark(observed, "line").encode(
            x=x, y=y, color=colour, strokeWidth=width, detail=_ch(alt.Detail, "s:N")
        )
    )
    layers.append(
        _mark(observed, "point", filled=True, size=18 if dense else 45, opacity=1).encode(
            x=x, y=y, color=colour, shape=shape, tooltip=_tooltip(_("Series"))
        )
    )
    if amb_rows:
        ambition = alt.Chart(alt.NamedData("ambition"))
        layers.append(
            _mark(ambition, "point", shape="diamond", filled=True, size=150, color=AMBITION_COLOUR, opacity=1)
            .encode(x=x, y=y, tooltip=_ch(alt.Tooltip, "f:N", title=_("Ambition")))
        )
        layers.append(
            _mark(ambition, "text",
                align="right", baseline="bottom", dx=-8, dy=-6, color=AMBITION_TEXT, fontWeight="bold"
            ).encode(x=x, y=y, text=_ch(alt.Text, "f:N"))
        )
    if labels and not multi:
        data["last"] = labels
        layers.append(
            _mark(
                alt.Chart(alt.NamedData("last")),
                "text",
                align="right", baseline="bottom", dx=-6, dy=-6, fontWeight="bold",
            )
            .encode(x=x, y=y, text=_ch(alt.Text, "f:N"))
        )
    if end_labels:
        data["end"] = end_labels
        layers.append(
            _mark(
                alt.Chart(alt.NamedData("end")),
                "text",
                align="right", baseline="top", dx=-2, dy=8, fontWeight="bold",
            )
            .encode(x=x, y=y, text=_ch(alt.Text, "f:N"))
        )

    # the key in words: the marks differ by more than colour, and the words say what they mean
    key = [_("Solid line: observed.")]
    if proj:
        shown = (lead or series[0]).projection
        model = model_name(shown) if shown is not None else label(ind.projection_model)
        if band and lead is not None and lead.projection is not None:
            key.append(
                _("Dashed line: projection ({model}), shaded: {level} uncertainty band.").format(
                    model=model, level=fmt_percent(lead.projection.level * 100, 0)
                )
            )
        else:
            key.append(_("Dashed line: projection ({model}).").format(model=model))
    if amb_rows:
        key.append(_("Diamond: ambition."))
    subtitle = ([illustrative_notice()] if prov.illustrative else []) + _wrap(" ".join(key), 110)

    # the alt text: what the chart shows, from the data
    first = lead or series[0]
    sentences = [_("Line chart") + "."]
    if multi:
        sentences.append(_("{n} series: {names}.").format(n=len(series), names=", ".join(names)))
        sentences.append(f"{vocabulary.series_name(ind, first.scope)}: {_change_sentence(ind, first)}")
    else:
        sentences.append(_change_sentence(ind, first))
    for (_t, value), owners in ambitions.items():
        owned = owners[0].ambition
        assert owned is not None, "only series with an ambition are grouped in ambitions"
        text = _("Ambition: {value} by {deadline}.").format(
            value=fmt_value(value, ind.unit), deadline=fmt_deadline(owned.deadline)
        )
        if len(ambitions) > 1:
            text = text.removesuffix(".") + f" ({', '.join(vocabulary.series_name(ind, s.scope) for s in owners)})."
        sentences.append(text)
    sentences += [_("Good level: {value}.").format(value=fmt_value(g, ind.unit)) for g in goods]
    if quoted is not None and lead is not None and lead.projection is not None:
        value, when, q_band = quoted
        args = {
            "model": model_name(lead.projection),
            "value": fmt_value(_clip(ind, value), ind.unit),
            "year": when,
        }
        if q_band is not None:
            sentences.append(
                _("Projection ({model}): {value} in {year}, uncertainty band {low} to {high}.").format(
                    **args,
                    low=fmt_value(_clip(ind, q_band[0]), ind.unit),
                    high=fmt_value(_clip(ind, q_band[1]), ind.unit),
                )
            )
        else:
            sentences.append(_("Projection ({model}): {value} in {year}.").format(**args))
    if multi:
        others = [
            f"{name} {fmt_value(s.values[-1], ind.unit)} ({fmt_period(s.periods[-1])})"
            for s, name in zip(series, names, strict=True)
            if s is not first
        ]
        sentences.append(_("Latest values: {values}.").format(values=_join(others)))
    if prov.illustrative:
        sentences.append(illustrative_notice() + ".")

    size = (WIDTH, 400 if multi else 360)
    chart = alt.LayerChart(layer=layers, width=size[0], height=size[1], autosize=_FIT)
    return _finish(
        chart,
        data,
        chart_id=chart_id,
        title=title,
        subtitle=subtitle,
        show_title=show_title,
        alt_text=" ".join(sentences),
        prov=prov,
        size=size,
    )
