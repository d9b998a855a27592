"""Building Altair charts fast and the data stable: axes, scales, legends and marks as plain
dicts, channels without the shorthand parser, no debug-mode validation, rounded floats, wrapped
labels."""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache, wraps
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from veikart.core.model import Indicator, Unit

_DIGITS = 4


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
