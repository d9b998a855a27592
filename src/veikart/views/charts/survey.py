"""The survey chart: 100 % stacked bars, one per year with its n (one answer per respondent),
or grouped bars per answer with one bar per year (several answers allowed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt

from veikart.core.assess import IndicatorResult
from veikart.core.dataset import ObservationTable
from veikart.core.model import Indicator, Unit
from veikart.core.periods import Period
from veikart.i18n import _
from veikart.i18n.labels import text_colour
from veikart.views import vocabulary
from veikart.views.charts._altair import _ch, _mark, _props, _r, _unchecked, _v
from veikart.views.charts._frame import _empty, _finish
from veikart.views.charts._parts import _axis_format, _unit_title
from veikart.views.charts.bars import _grouped_bars
from veikart.views.charts.provenance import _plotted_rows, _provenance, illustrative_notice
from veikart.views.charts.style import MUTED, PALETTE, WIDTH
from veikart.views.chartspec import ChartSpec
from veikart.views.format import fmt_period, fmt_value


@dataclass(frozen=True)
class _Answer:
    period: str
    code: str
    value: float
    n: int | None


def _answers(ind: Indicator, table: ObservationTable | None) -> list[_Answer]:
    """The plotted rows that are answers (not totals, not other breakdowns)."""
    if table is None or ind.survey is None or ind.survey.answer_dimension not in table.dimensions:
        return []
    di = table.dimensions.index(ind.survey.answer_dimension)
    out = []
    for i in _plotted_rows(table):
        key = table.keys[i]
        if key[di] and not any(v for j, v in enumerate(key) if j != di):
            value = table.values[i]
            assert value is not None  # _plotted_rows keeps rows with values
            out.append(_Answer(table.periods[i], key[di], float(value), table.n[i]))
    return out


def _n_text(n: int) -> str:
    return f"n={n}"


@_unchecked
def survey_chart(
    result: IndicatorResult,
    table: ObservationTable | None,
    *,
    chart_id: str,
    vintage: str | date | None = None,
    show_title: bool = True,
) -> ChartSpec:
    """A survey question: stacked bars to 100 %, one per year with its n (one answer per
    respondent), or grouped bars per answer with one bar per year (several answers allowed)."""
    ind = result.indicator
    assert ind.survey is not None, "survey_chart needs an indicator with a survey block"
    prov = _provenance(ind, table, vintage)
    title = vocabulary.translated(ind, "title")
    answers = _answers(ind, table)
    if not answers:
        return _empty(chart_id=chart_id, title=title, prov=prov, show_title=show_title)
    dim = ind.survey.answer_dimension
    periods = sorted({a.period for a in answers}, key=Period.parse)
    declared = next((d.codes() for d in ind.dimensions if d.id == dim), [])
    seen = {a.code for a in answers}
    codes = [c for c in declared if c in seen] + sorted(seen - set(declared))
    name = {c: vocabulary.value_label(ind, dim, c) for c in codes}
    n_of: dict[str, int] = {}
    for a in answers:
        if a.n is not None:
            n_of[a.period] = max(a.n, n_of.get(a.period, 0))
    year = {p: fmt_period(p) for p in periods}
    with_n = {p: f"{year[p]} ({_n_text(n_of[p])})" if p in n_of else year[p] for p in periods}
    notice = [illustrative_notice()] if prov.illustrative else []
    answers.sort(key=lambda a: (codes.index(a.code), Period.parse(a.period)))

    unit = ind.unit
    if ind.survey.multiple_answers:
        rows = [
            {"c": name[a.code], "g": with_n[a.period], "v": _v(ind, a.value), "f": fmt_value(a.value, unit)}
            for a in answers
        ]
        groups = [with_n[p] for p in periods]
        chart, plot_h = _grouped_bars(
            ind, rows, [name[c] for c in codes], groups, category_title=vocabulary.dimension_title(ind, dim), plot_width=420
        )
        data = {"bars": rows}
        size = (WIDTH, plot_h + 150)
        total = fmt_value(100, Unit.PERCENT)
        key = [_("Several answers allowed, so the shares do not add up to {total}.").format(total=total)]
        last = periods[-1]
        by_code = {c: [a for a in answers if a.code == c] for c in codes}
        ranked = sorted(codes, key=lambda c: -next((a.value for a in by_code[c] if a.period == last), -1.0))
        items = []
        for c in ranked:
            first_a, last_a = by_code[c][0], by_code[c][-1]
            if first_a is last_a:
                items.append(f"{name[c]}: {fmt_value(last_a.value, ind.unit)} ({year[last_a.period]})")
            else:
                items.append(
                    _("{answer}: {a} ({p0}) to {b} ({p1})").format(
                        answer=name[c],
                        a=fmt_value(first_a.value, ind.unit),
                        p0=year[first_a.period],
                        b=fmt_value(last_a.value, ind.unit),
                        p1=year[last_a.period],
                    )
                )
        sentences = [
            _("Grouped bar chart, one bar per year; several answers allowed."),
            _("Years: {years}.").format(years=", ".join(groups)),
            "; ".join(items) + ".",
        ]
    else:
        colours = [PALETTE[i % len(PALETTE)] for i in range(len(codes))]
        labels = [name[c] for c in codes]
        y_order = [year[p] for p in periods]
        rows = []
        totals: dict[str, float] = {}
        for a in sorted(answers, key=lambda a: (Period.parse(a.period), codes.index(a.code))):
            i = codes.index(a.code)
            rows.append(
                {
                    "y": year[a.period],
                    "a": name[a.code],
                    "o": i,
                    "v": _v(ind, a.value),
                    "f": fmt_value(a.value, ind.unit),
                    # the share written inside segments wide enough to hold it, in a colour
                    # that contrasts with the fill
                    "l": fmt_value(a.value, ind.unit, 0) if a.value >= 6 else "",
                    "tc": text_colour(colours[i]),
                }
            )
            totals[a.period] = totals.get(a.period, 0.0) + a.value
        n_rows = [
            {"y": year[p], "v": _v(ind, totals[p]), "n": _n_text(n_of[p])} for p in periods if p in n_of
        ]
        data = {"bars": rows, "n": n_rows}
        # stacked to what the shares add up to (a rounding 99.9 % stays 99.9 %), on a 0-100 % axis
        top = max(1.0, *(_v(ind, t) for t in totals.values())) if ind.unit is Unit.PERCENT else None
        scale = _props(domain=[0, _r(top)], nice=False) if top else _props(zero=True)
        x = _ch(
            alt.X,
            "v:Q",
            stack="zero",
            scale=scale,
            axis=_props(format=_axis_format(ind), title=_unit_title(ind), tickCount=5),
        )
        y = _ch(alt.Y, "y:N", sort=y_order, title=None, axis=_props(tickSize=0, labelPadding=6))
        legend = _props(title=vocabulary.dimension_title(ind, dim), orient="bottom", direction="vertical", columns=1)
        colour = _ch(
            alt.Color, "a:N", scale=_props(domain=labels, range=colours), sort=labels, legend=legend
        )
        order = _ch(alt.Order, "o:Q", sort="ascending")
        tooltip = [
            _ch(alt.Tooltip, "y:N", title=_("Period")),
            _ch(alt.Tooltip, "a:N", title=vocabulary.dimension_title(ind, dim)),
            _ch(alt.Tooltip, "f:N", title=_("Value")),
        ]
        base = alt.Chart(alt.NamedData("bars"))
        bars = _mark(base, "bar", stroke="#FFFFFF", strokeWidth=1)
        bars = bars.encode(x=x, y=y, color=colour, order=order, tooltip=tooltip)
        shares = _mark(base, "text", align="center", baseline="middle", fontSize=11).encode(
            x=_ch(alt.X, "v:Q", stack="zero", bandPosition=0.5, scale=scale),
            y=y,
            detail=_ch(alt.Detail, "a:N"),
            order=order,
            text=_ch(alt.Text, "l:N"),
            color=_ch(alt.Color, "tc:N", scale=None),
        )
        layers = [bars, shares]
        if n_rows:
            layers.append(
                _mark(
                    alt.Chart(alt.NamedData("n")),
                    "text",
                    align="left", baseline="middle", dx=6, fontSize=11, color=MUTED,
                )
                .encode(x=_ch(alt.X, "v:Q", scale=scale), y=y, text=_ch(alt.Text, "n:N"))
            )
        plot_h = max(90, 34 * len(periods))
        size = (WIDTH, plot_h + 110 + 18 * len(codes))
        chart = alt.LayerChart(
            layer=layers,
            width=560,
            height=plot_h,
            resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent")),
        )
        key = []
        sentences = [
            _("Stacked bar chart, one bar per year, {p0} to {p1}.").format(
                p0=year[periods[0]], p1=year[periods[-1]]
            )
        ]
        for p in dict.fromkeys([periods[0], periods[-1]]):
            shares_text = ", ".join(
                f"{name[a.code]} {fmt_value(a.value, ind.unit)}" for a in answers if a.period == p
            )
            sentences.append(f"{with_n[p]}: {shares_text}.")
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
