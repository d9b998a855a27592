"""One Vega-Lite spec per chart, built with Altair, each returned as a `ChartSpec` with its alt
text and provenance line.

Three kinds of chart (`chart_for` picks one per indicator, `chart_kind` says which):

* **progress** ("Framdrift mot 2030"): the observed series (one line per series; the total drawn
  black and thicker), the ambition (a diamond at the deadline and a dashed line at the target
  value; a dotted line for the level counted as good, where stated) and the projection from the
  last observation to the deadline or the horizon (dashed, with its uncertainty band).
* **category** (statistics, and indicators broken down without a total or an ambition): one line
  per category, small multiples beyond `MAX_LINES` categories, or grouped bars when there are only
  one or two periods.
* **survey**: 100 % stacked bars, one per year, each labelled with its n (one answer per
  respondent); grouped bars per answer with one bar per year and n in the legend (several answers).

Rules every chart follows:

* Numbers and dates in the current language: the spec carries a Vega ``config.locale`` (decimal
  comma, no-break space between thousands and before the percent sign in bokmål). Percent values
  are stored as fractions and formatted with d3's ``%``, so the locale's percent sign applies.
* The Okabe-Ito palette; series also differ by point shape (and the total by line width), and
  observed, projected, ambition and good level differ by dash pattern and are named in words, so
  colour never carries meaning alone.
* Titles, axis titles, legends and the alt text in the current language through ``_()``; the alt
  text is also the spec's ``description``.
* Data honesty: when any plotted observation is illustrative, "Illustrasjonsdata - ikke
  offisielle tall" is in the chart (title block), in the alt text and in the provenance line, and
  ``ChartSpec.illustrative`` is True.
* Pure and deterministic: no I/O, no selections (so no generated parameter or view names), named
  inline datasets holding only the fields drawn, floats rounded. The same input gives the same
  dict.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache, wraps
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from veikart.core.assess import IndicatorResult, SeriesResult
from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import Indicator, IndicatorKind, Provenance, Source, Unit
from veikart.core.periods import Period, PeriodKind
from veikart.core.publication import is_suppressed
from veikart.i18n import _, current_language, fmt_date, fmt_percent
from veikart.i18n.labels import label, text_colour
from veikart.views import vocabulary
from veikart.views.chartspec import ChartSpec
from veikart.views.explain import _change, _subject, model_name
from veikart.views.format import fmt_deadline, fmt_period, fmt_value

__all__ = [
    "MAX_LINES",
    "PALETTE",
    "category_chart",
    "chart_for",
    "chart_kind",
    "illustrative_notice",
    "locale_config",
    "progress_chart",
    "survey_chart",
]

# --- look -----------------------------------------------------------------------------------

#: Okabe-Ito, ordered for lines on white: strong contrasts first; yellow (faint on white) and
#: black (kept for the total) last.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)  # fmt: skip
TOTAL_COLOUR = "#000000"
SINGLE_COLOUR = "#0072B2"  # blue: the series of a one-series chart
AMBITION_COLOUR = "#D55E00"  # vermillion
AMBITION_TEXT = "#A34800"  # vermillion darkened to 4.5:1 on white, for text
GOOD_COLOUR = "#009E73"  # bluish green
GOOD_TEXT = "#006B4F"
TEXT_COLOUR = "#222222"
MUTED = "#555555"
#: Point shapes per series (the diamond is kept for the ambition).
SHAPES: tuple[str, ...] = (
    "circle", "square", "triangle-up", "cross", "triangle-down", "triangle-right", "triangle-left", "stroke",
)  # fmt: skip
PROJECTION_DASH = [6, 4]
AMBITION_DASH = [8, 4]
GOOD_DASH = [2, 3]
#: More categories than this are drawn as small multiples (one panel each) rather than as lines
#: whose colours can no longer be told apart.
MAX_LINES = len(PALETTE) - 1
WIDTH = 720
#: The whole chart (titles, axes and legend included) fits the ChartSpec's width and height.
_FIT = alt.AutoSizeParams(type="fit", contains="padding")

_DIGITS = 4


def locale_config(lang: str | None = None) -> dict[str, Any]:
    """Vega's number and time locale (d3-format, d3-time-format) for the language."""
    if (lang or current_language()) == "nb":
        return {
            "number": {
                "decimal": ",",
                "thousands": "\u00a0",
                "grouping": [3],
                "currency": ["", "\u00a0kr"],
                "percent": "\u00a0%",
                "minus": "\u2212",
            },
            "time": {
                "dateTime": "%A %e. %B %Y kl. %X",
                "date": "%d.%m.%Y",
                "time": "%H:%M:%S",
                "periods": ["AM", "PM"],
                "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
                "shortDays": ["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
                "months": [
                    "januar", "februar", "mars", "april", "mai", "juni",
                    "juli", "august", "september", "oktober", "november", "desember",
                ],
                "shortMonths": [
                    "jan.", "feb.", "mar.", "apr.", "mai", "jun.",
                    "jul.", "aug.", "sep.", "okt.", "nov.", "des.",
                ],
            },
        }
    return {
        "number": {
            "decimal": ".",
            "thousands": ",",
            "grouping": [3],
            "currency": ["£", ""],
            "percent": "%",
            "minus": "\u2212",
        },
        "time": {
            "dateTime": "%a %e %b %X %Y",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": [
                "January", "February", "March", "April", "May", "June",
                "July", "August", "September", "October", "November", "December",
            ],
            "shortMonths": [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ],
        },
    }


def _config() -> dict[str, Any]:
    axis = {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal"}
    return {
        "locale": locale_config(),
        "view": {"stroke": None},
        "axis": {**axis, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "gridColor": "#E6E6E6"},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOUR, "labelLimit": 440},
        "title": {
            "fontSize": 15,
            "subtitleFontSize": 12,
            "color": TEXT_COLOUR,
            "subtitleColor": TEXT_COLOUR,
            "anchor": "start",
            "offset": 10,
        },
        "header": {"labelFontSize": 11, "labelColor": TEXT_COLOUR},
        "text": {"fontSize": 12, "color": TEXT_COLOUR},
    }


# --- helpers --------------------------------------------------------------------------------


def _r(x: float, digits: int = _DIGITS) -> float:
    """Rounded, -0.0 made 0.0 (stable JSON)."""
    v = round(float(x), digits)
    return 0.0 if v == 0 else v


_TYPES = {"Q": "quantitative", "N": "nominal"}


def _props(**properties: Any) -> dict[str, Any]:
    """An axis, scale, legend or header as the plain dict Vega-Lite reads. Altair takes the dict
    wherever it takes its own class, and the spec is the same; but Altair copies every object
    of a chart several times as it builds it (each layer of a layer chart three times), and its
    Axis, Legend and Scale objects carry all their 30 to 70 properties, set or not, through
    every copy: half the time of building a chart."""
    return properties


def _mark(chart: alt.Chart, mark: str, **properties: Any) -> alt.Chart:
    """`chart.mark_<mark>(**properties)` with the mark as a plain dict (see `_props`): Altair's
    MarkDef carries its hundred properties through every copy of the chart. The chart is one
    of ours with only its data set."""
    # Altair takes a mark as its JSON (the schema's MarkDef); its typing lists only the classes
    return alt.Chart(chart.data, mark={"type": mark, **properties})  # type: ignore[arg-type]


def _unchecked(build: Any) -> Any:
    """Build a chart without Altair's debug mode, which validates every schema object against
    the Vega-Lite schema as it is made (two fifths of the build time; the tests validate the
    finished specs instead). The spec is the same either way."""

    @wraps(build)
    def quiet(*args: Any, **kwargs: Any) -> Any:
        with debug_mode(False):
            return build(*args, **kwargs)

    return quiet


def _ch(channel: Any, shorthand: str, **kw: Any) -> Any:
    """An encoding channel from 'field:Q' without Altair's shorthand parser (a third of the
    build time otherwise)."""
    field, kind = shorthand.split(":")
    return channel(field=field, type=_TYPES[kind], **kw)


def _v(ind: Indicator, value: float) -> float:
    """A value as drawn: percent as a fraction (for d3's '%'), else the value itself."""
    return _r(value / 100, _DIGITS + 2) if ind.unit is Unit.PERCENT else _r(value)


_tr = vocabulary.translated


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most about `width` characters, balanced in length."""
    return list(_wrapped(text, width))


@lru_cache(maxsize=4096)
def _wrapped(text: str, width: int) -> tuple[str, ...]:  # the same labels recur on every point
    if len(text) <= width:
        return (text,)
    lines = math.ceil(len(text) / width)
    return tuple(textwrap.wrap(text, width=math.ceil(len(text) / lines) + 4, break_on_hyphens=False) or [text])


def illustrative_notice() -> str:
    """'Illustrasjonsdata - ikke offisielle tall' (bokmål) / 'Illustrative data - not official figures'."""
    return _("Illustrative data - not official figures")


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
    return _capital(_tr(ind, "unit_label") or label(ind.unit))


_value_label = vocabulary.value_label
_dim_title = vocabulary.dimension_title


def _series_name(ind: Indicator, s: SeriesResult) -> str:
    return vocabulary.series_name(ind, s.scope)


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


def _plotted_rows(table: ObservationTable | None) -> list[int]:
    """The rows a chart may show: those the publication rule keeps (veikart.core.publication)."""
    if table is None:
        return []
    return [i for i in range(len(table)) if table.values[i] is not None and not is_suppressed(table.flags[i])]


def _short(text: str) -> str:
    """'Statistisk sentralbyrå (SSB)' -> 'SSB': an abbreviation in trailing parentheses."""
    text = text.strip()
    if text.endswith(")") and "(" in text:
        inner = text[text.rindex("(") + 1 : -1].strip()
        if inner and len(inner) <= 12 and " " not in inner:
            return inner
    return text


def _source_name(src: Source) -> str:
    org = _short(src.organisation)
    name = _short(src.name) if src.name else ""
    return f"{org}/{name}" if name and name != org else org


@dataclass(frozen=True)
class _Provenance:
    line: str
    illustrative: bool


def _provenance(ind: Indicator, table: ObservationTable | None, vintage: str | date | None) -> _Provenance:
    """'Kilde: SSB/KPR. Illustrasjonsdata - ikke offisielle tall. Data slik de var kjent ...'.

    The sources are those the plotted rows name, else the indicator's own."""
    rows = _plotted_rows(table)
    kinds = {table.provenance[i] for i in rows} if table is not None else set()
    ids = dict.fromkeys(table.source[i] for i in rows if table.source[i]) if table is not None else {}
    names = [_source_name(src) if (src := ind.source(sid)) is not None else sid for sid in ids]
    names = list(dict.fromkeys(names or [_source_name(s) for s in ind.sources]))
    parts: list[str] = []
    if names:
        parts.append(f"{_('Source') if len(names) == 1 else _('Sources')}: {'; '.join(names)}.")
    if Provenance.SEED.value in kinds:
        parts.append(_capital(label(Provenance.SEED)) + ".")
    illustrative = Provenance.ILLUSTRATIVE.value in kinds
    if illustrative:
        parts.append(illustrative_notice() + ".")
    if vintage:
        when = fmt_date(vintage) if isinstance(vintage, date) else vintage
        parts.append(_("Data as known on {date}.").format(date=when))
    return _Provenance(" ".join(parts), illustrative)


def _title(title: str, subtitle: Sequence[str], show_title: bool) -> alt.TitleParams | None:
    """The title block: the title, then the notice and the key in words. Without the title (the
    page shows it) the first line of the subtitle, the notice if any, takes its place in bold."""
    lines = [line for line in subtitle if line]
    if show_title:
        return alt.TitleParams(_wrap(title, 90), subtitle=lines or alt.Undefined)
    if not lines:
        return None
    return alt.TitleParams(lines[0], subtitle=lines[1:] or alt.Undefined, fontSize=12, fontWeight="bold")


def _finish(
    chart: alt.Chart | alt.LayerChart | alt.FacetChart,
    datasets: dict[str, list[dict[str, Any]]],
    *,
    chart_id: str,
    title: str,
    subtitle: Sequence[str],
    show_title: bool,
    alt_text: str,
    prov: _Provenance,
    size: tuple[int, int],
) -> ChartSpec:
    head = _title(title, subtitle, show_title)
    if head is not None:
        chart.title = head  # our own fresh chart: set, without .properties()' copy and validation
    # Altair's schema validation would take two thirds of the build; the tests validate instead
    spec = chart.to_dict(validate=False)
    spec["datasets"] = datasets
    spec["description"] = alt_text
    spec["config"] = _config()
    return ChartSpec(chart_id, title, spec, alt_text, prov.line, prov.illustrative, *size)


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


def _join(items: Sequence[str], limit: int = 8) -> str:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(_("and {n} more").format(n=len(items) - limit))
    return ", ".join(shown)


def _change_sentence(ind: Indicator, s: SeriesResult) -> str:
    """What the series did, first to last: the explanations' own sentence (and translation)."""
    if len(s.values) > 1:
        return _change(ind, s, 0, len(s.values) - 1)
    return _("{subject} was {b} in {p1}.").format(
        subject=_subject(ind.unit), b=fmt_value(s.values[-1], ind.unit), p1=fmt_period(s.periods[-1])
    )


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


# --- progress chart -------------------------------------------------------------------------


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
    names = [_series_name(ind, s) for s in series]
    colours = _line_colours(series)
    shapes = [SHAPES[i % len(SHAPES)] for i in range(len(series))]
    lead = next((s for s in series if s.is_total), None) or (series[0] if not multi else None)
    lead_name = _series_name(ind, lead) if lead is not None else None
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
            text += f" ({', '.join(_series_name(ind, s) for s in owners)})"
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
    legend = _series_legend(_dim_title(ind, dims[0]) if dims else None, names) if multi else None
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
        sentences.append(f"{_series_name(ind, first)}: {_change_sentence(ind, first)}")
    else:
        sentences.append(_change_sentence(ind, first))
    for (_t, value), owners in ambitions.items():
        owned = owners[0].ambition
        assert owned is not None, "only series with an ambition are grouped in ambitions"
        text = _("Ambition: {value} by {deadline}.").format(
            value=fmt_value(value, ind.unit), deadline=fmt_deadline(owned.deadline)
        )
        if len(ambitions) > 1:
            text = text.removesuffix(".") + f" ({', '.join(_series_name(ind, s) for s in owners)})."
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


def _empty(*, chart_id: str, title: str, prov: _Provenance, show_title: bool) -> ChartSpec:
    text = _("No observations to draw yet.")
    chart = alt.Chart(
        alt.NamedData("note"),
        mark=alt.MarkDef(type="text", fontSize=14, color=MUTED),
        encoding=alt.FacetedEncoding(text=_ch(alt.Text, "f:N")),
        width=WIDTH,
        height=100,
    )
    return _finish(
        chart,
        {"note": [{"f": text}]},
        chart_id=chart_id,
        title=title,
        subtitle=[],
        show_title=show_title,
        alt_text=text,
        prov=prov,
        size=(WIDTH, 150),
    )


# --- bars -----------------------------------------------------------------------------------


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


# --- categories (statistics) ----------------------------------------------------------------


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
    title = _tr(ind, "title")
    if not series:
        return _empty(chart_id=chart_id, title=title, prov=prov, show_title=show_title)
    names = [_series_name(ind, s) for s in series]
    dims = series[-1].dimensions
    dim_title = _dim_title(ind, dims[0]) if dims and len(series) > 1 else _("Series")
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


# --- surveys --------------------------------------------------------------------------------


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
    title = _tr(ind, "title")
    answers = _answers(ind, table)
    if not answers:
        return _empty(chart_id=chart_id, title=title, prov=prov, show_title=show_title)
    dim = ind.survey.answer_dimension
    periods = sorted({a.period for a in answers}, key=Period.parse)
    declared = next((d.codes() for d in ind.dimensions if d.id == dim), [])
    seen = {a.code for a in answers}
    codes = [c for c in declared if c in seen] + sorted(seen - set(declared))
    name = {c: _value_label(ind, dim, c) for c in codes}
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
            ind, rows, [name[c] for c in codes], groups, category_title=_dim_title(ind, dim), plot_width=420
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
        legend = _props(title=_dim_title(ind, dim), orient="bottom", direction="vertical", columns=1)
        colour = _ch(
            alt.Color, "a:N", scale=_props(domain=labels, range=colours), sort=labels, legend=legend
        )
        order = _ch(alt.Order, "o:Q", sort="ascending")
        tooltip = [
            _ch(alt.Tooltip, "y:N", title=_("Period")),
            _ch(alt.Tooltip, "a:N", title=_dim_title(ind, dim)),
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


# --- which chart ----------------------------------------------------------------------------


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
